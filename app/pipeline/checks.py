"""What an application's values must satisfy: program details, computed and derived fields, consistency,
and the messages that name fields and stages. Pure checks; they raise ``DomainError``s and never write."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel, ValidationError

from app.errors import Conflict, ErrorItem, InvalidInput, error_items_from_pydantic
from app.messages import Text, in_language
from app.pipeline.declarations import COMMON_FIELDS, Program
from app.pipeline.models import Application

# Chinese names of the fields a message may have to name.
FIELD_LABELS = {**COMMON_FIELDS, "valid_from": "有效期起始日", "valid_until": "有效期至", "decided_on": "决定日期",
                 "evaluation": "评价得分"}


def field_label(field: str) -> str:
    return FIELD_LABELS.get(field, field)


def stage_labels(program: Program, codes: Sequence[str]) -> str:
    return "、".join(f"「{stage.label}」" if (stage := program.stage(code)) else code for code in codes)


def joined(messages: Sequence[str]) -> Text:
    """Several problems as one message, in both languages."""
    return Text("; ".join(messages), "；".join(in_language(m, "zh") for m in messages))


def ensure_active(application: Application) -> None:
    if application.archived_at is not None:
        raise Conflict(Text(f"Application {application.id} is archived; restore it before changing it.",
                            f"申报 {application.id} 已归档，请先恢复再修改。"))


def valid_details(program: Program, values: dict[str, Any], loc: list[str | int]) -> dict[str, Any]:
    """Validate details with the program's own schema; null values mean 'not set'."""
    try:
        model: BaseModel = program.details.model_validate({k: v for k, v in values.items() if v is not None})
    except ValidationError as exc:
        items = [ErrorItem(loc=[*loc, *i.loc], msg=i.text, type=i.type)
                 for i in error_items_from_pydantic(exc.errors())]
        raise InvalidInput(Text(f"details do not fit program {program.code}: {items[0].msg}",
                                f"「{program.label}」的详细信息有误：{items[0].text.zh}"), errors=items) from exc
    return model.model_dump(mode="json", exclude_none=True)


def refuse_computed(program: Program, sent: dict[str, Any], loc: list[str | int]) -> None:
    forged = [key for key in program.computed_details if key in sent]
    if forged:
        raise InvalidInput(Text(f"details.{forged[0]} is computed by Seedbed and cannot be set",
                                f"{field_label(forged[0])}由系统计算，不能填写"),
                           errors=[ErrorItem(loc=[*loc, key], msg=Text("computed by Seedbed; cannot be set",
                                                                       "由系统计算，不能填写"),
                                             type="read_only") for key in forged])


def refuse_derived(program: Program, sent: dict[str, Any]) -> None:
    derived = [field for field in program.derived_fields if field in sent]
    if derived:
        raise InvalidInput(Text(f"{derived[0]} is derived by 「{program.label}」 from its stages (a certificate's "
                                "issue date) and cannot be set; correct the transition or the issue date instead",
                                f"「{program.label}」的{field_label(derived[0])}由办理阶段（如发证日期）推算，不能直接填写；"
                                "请更正阶段变更或发证日期"),
                           errors=[ErrorItem(loc=["body", field], msg=Text("derived; cannot be set",
                                                                           "由系统推算，不能填写"), type="read_only")
                                   for field in derived])


def consistency_problems(application: Application) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    if (application.amount_disbursed is not None and application.amount_approved is not None
            and application.amount_disbursed > application.amount_approved):
        problems.append(("amount_disbursed", Text("cannot exceed the approved amount", "不能超过批准金额")))
    if (application.valid_from is not None and application.valid_until is not None
            and application.valid_until < application.valid_from):
        problems.append(("valid_until", Text("cannot be before valid_from", "不能早于有效期起始日")))
    return problems
