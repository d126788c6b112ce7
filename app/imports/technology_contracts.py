"""The ``technology_contracts`` import kind: the technology market's registration list (技术合同认定登记表),
upserted by registration number. Rows go through the contracts' schemas and the shared record service, so
the same checks and audit rows apply as through the API; each row runs in its own savepoint."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.audit.service import Actor
from app.contracts import service as contracts
from app.contracts.enums import ContractType
from app.contracts.schemas import ContractCreate, ContractUpdate
from app.enterprises.models import Enterprise
from app.imports import cells
from app.imports.kinds import NO_SUCH_FIRM, Column, ImportKind, Outcome, RowRejected, register, upsert_each
from app.messages import Text
from app.records import crud

SELLER_CODE = Column(
    "credit_code", "卖方统一社会信用代码", cells.credit_code,
    ("统一社会信用代码", "卖方信用代码", "技术输出方统一社会信用代码", "信用代码", "uscc"), required=True,
    description="The selling district firm's credit code; the firm must be in the registry.",
    example="91430702MA4L0X1234")


def upsert_contracts(session: Session, rows: list[dict[str, Any]], actor: Actor) -> list[Outcome | RowRejected]:
    codes = {values["credit_code"] for values in rows}
    firms = {f.credit_code: f for f in session.scalars(select(Enterprise).where(Enterprise.credit_code.in_(codes)))}
    return upsert_each(session, rows, lambda values: _upsert_one(
        session, firms.get(values["credit_code"]), values, actor), "registration_no")

def _upsert_one(session: Session, firm: Enterprise | None, values: dict[str, Any], actor: Actor) -> Outcome:
    if firm is None:
        raise RowRejected.one("credit_code", NO_SUCH_FIRM)
    fields = {k: v for k, v in values.items() if k != "credit_code"}
    fields["enterprise_id"] = firm.id
    existing = contracts.by_registration_no(session, values["registration_no"])
    if existing is None:
        crud.create(session, contracts.KIND, ContractCreate.model_validate(fields), actor=actor)
        return Outcome.created
    if existing.archived_at is not None:
        raise RowRejected.one("registration_no", Text(
            f"contract {existing.id} with this number is archived: restore it first",
            f"登记号相同的合同 {existing.id} 已归档：请先恢复"))
    changes = ContractUpdate.model_validate(fields).changes()
    diff = crud.update(session, contracts.KIND, existing, changes, actor=actor)
    return Outcome.updated if diff else Outcome.unchanged


TECHNOLOGY_CONTRACTS = register(ImportKind(
    name="technology_contracts",
    tables=("technology_contracts",),
    title="技术合同认定登记",
    key=("registration_no",),
    upsert=upsert_contracts,
    ignored=("序号", "no", "#", "卖方名称", "卖方", "企业名称", "技术输出方"),
    columns=(
        Column("registration_no", "登记编号", aliases=("合同登记号", "认定登记号", "登记号"), required=True,
               description="The technology market's registration number; a re-import updates that contract.",
               example="2025430702000123"),
        SELLER_CODE,
        Column("contract_type", "合同类型", cells.choice(ContractType), ("技术合同类型", "类别"), required=True,
               description="技术开发, 技术转让, 技术许可, 技术咨询 or 技术服务 (or the English code).",
               example="技术开发"),
        Column("title", "合同名称", aliases=("项目名称",), description="The contract's name."),
        Column("buyer", "买方名称", aliases=("买方", "技术吸纳方"), required=True,
               description="The buying firm or institution.", example="常德市某机械有限公司"),
        Column("contract_amount", "成交额", cells.money, ("合同成交额", "合同金额"), required=True,
               description="Yuan (a header unit such as （万元） is multiplied out).", example="1000000.00"),
        Column("technology_amount", "技术交易额", cells.money, ("技术性收入",), required=True,
               description="Yuan; at most the 成交额.", example="800000.00"),
        Column("registered_on", "登记日期", cells.date, ("认定登记日期", "认定日期"), required=True,
               description="Date registered.", example="2025-05-06"),
        Column("notes", "备注", description="Free text."),
    ),
))
