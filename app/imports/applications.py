"""The ``applications`` import kind: a bureau's lists of tech-SME registrations, high-tech certificates,
subsidies and loans, upserted by credit code + program + year.

Every row goes through ``app.pipeline.service`` and ``app.pipeline.transitions``: a new record is created in
its program's first stage and moved to the stage the file names in one transition marked as imported, so the
stage's required fields, checks and derived dates (a certificate valid 3 years from its issue date) apply,
and the history and audit rows are the ones the API writes. Each row runs in its own savepoint: a row
refused half-way leaves nothing behind.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.audit.service import Actor
from app.enterprises.models import Enterprise
from app.enterprises.schemas import validate_year
from app.imports import cells
from app.imports.firms import CREDIT_CODE
from app.imports.kinds import (
    NO_SUCH_FIRM,
    Column,
    ImportKind,
    Outcome,
    RowRejected,
    archived_firm,
    register,
    upsert_each,
)
from app.messages import Text
from app.pipeline import declarations, transitions
from app.pipeline import service as pipeline
from app.pipeline.declarations import Program
from app.pipeline.models import Application
from app.pipeline.programs import RevocationReason
from app.pipeline.schemas import ApplicationCreate, TransitionCreate

IMPORTED = "导入：历史记录"
# Sent with the transition to the stage the record ends in; validity dates are derived there, so a
# re-import corrects only the other fields, like a PATCH.
STAGE_FIELDS = ("reference_no", "amount_approved", "amount_disbursed", "valid_until")
PATCH_FIELDS = ("reference_no", "amount_approved", "amount_disbursed", "amount_requested", "notes")
# Names offices use for a program, beside its code and its full label.
PROGRAM_ALIASES = {"科技型中小企业": "tech_sme", "科小": "tech_sme", "高新技术企业": "high_tech", "高企": "high_tech",
                   "研发奖补": "rd_subsidy", "研发费用奖补": "rd_subsidy", "科技贷": "tech_loan"}


def program_cell(value: Any, unit: str | None = None) -> str:
    key = cells.folded(cells.text(value)).strip()
    for program in declarations.programs():
        if key.casefold() in (program.code, program.label):
            return program.code
    if key in PROGRAM_ALIASES:
        return PROGRAM_ALIASES[key]
    names = "、".join(f"{p.label} ({p.code})" for p in declarations.programs())
    raise ValueError(Text("unknown program; one of: " + names, "无法识别的项目；应为以下之一：" + names))


def _stage(program: Program, text: str) -> str:
    key = cells.folded(text).strip()
    for stage in program.all_stages:
        if key.casefold() == stage.code or key == stage.label:
            return stage.code
    stages = "、".join(f"{s.label} ({s.code})" for s in program.all_stages)
    raise RowRejected.one("stage", Text(f"「{program.label}」 has no stage '{text}'; stages: " + stages,
                                        f"「{program.label}」没有“{text}”这个阶段；阶段有：" + stages))


def upsert_applications(session: Session, rows: list[dict[str, Any]], actor: Actor
                        ) -> list[Outcome | RowRejected]:
    codes = {values["credit_code"] for values in rows}
    firms = {f.credit_code: f for f in session.scalars(select(Enterprise).where(Enterprise.credit_code.in_(codes)))}
    return upsert_each(session, rows, lambda values: _upsert_one(
        session, firms.get(values["credit_code"]), values, actor), "stage")

def _upsert_one(session: Session, firm: Enterprise | None, values: dict[str, Any], actor: Actor) -> Outcome:
    if firm is None:
        raise RowRejected.one("credit_code", NO_SUCH_FIRM)
    if firm.archived_at is not None:
        raise RowRejected.one("credit_code", archived_firm(firm.id, firm.name))
    program = pipeline.get_program(values["program"])
    try:
        # Before any query: PostgreSQL fails on an integer out of range instead of finding nothing.
        year = validate_year(values["year"])
    except ValueError as exc:
        raise RowRejected.one("year", cells.reason_of(exc)) from exc
    stage = _stage(program, values["stage"]) if "stage" in values else None
    on: dt.date | None = values.get("on")
    existing = list(session.scalars(select(Application).where(
        Application.enterprise_id == firm.id, Application.program == program.code, Application.year == year,
        Application.archived_at.is_(None))))
    if len(existing) > 1:
        raise RowRejected.one("year", Text(
            f"the firm has {len(existing)} 「{program.label}」 records for {year}; "
            "a file cannot say which one it means: change them one by one",
            f"该企业 {year} 年有 {len(existing)} 条「{program.label}」记录，文件无法指明是哪一条：请逐条修改"))
    if existing:
        return _update(session, existing[0], stage, on, values, actor)
    if stage is not None and stage not in program.starts and on is None:
        raise RowRejected.one("on", Text("a record past its first stage needs the date it reached it "
                                         "(发证日期/入库日期/批准日期…)",
                                         "已过第一阶段的记录须填写到达该阶段的日期（发证日期/入库日期/批准日期…）"))
    start = stage if stage in program.starts else None
    create = ApplicationCreate.model_validate({
        "program": program.code, "enterprise_id": firm.id, "year": year, "stage": start, "on": on,
        **{f: values[f] for f in ("amount_requested", "notes") if f in values},
        **({"reference_no": values["reference_no"]} if start is not None and "reference_no" in values else {}),
    })
    application = pipeline.create_application(session, create, actor=actor, note=IMPORTED)
    if stage is not None and stage != application.stage:
        _move(session, application, stage, on, values, actor)
    return Outcome.created


def _move(session: Session, application: Application, stage: str, on: dt.date | None, values: dict[str, Any],
          actor: Actor) -> None:
    details = {"revocation_reason": values["revocation_reason"]} if "revocation_reason" in values else {}
    move = TransitionCreate.model_validate({"to": stage, "on": on, "note": IMPORTED, "details": details,
                                            **{f: values[f] for f in STAGE_FIELDS if f in values}})
    transitions.transition_application(session, application, move, actor=actor, imported=True)


def _update(session: Session, application: Application, stage: str | None, on: dt.date | None,
            values: dict[str, Any], actor: Actor) -> Outcome:
    moved = stage is not None and stage != application.stage
    if moved:
        assert stage is not None
        _move(session, application, stage, on, values, actor)
    changes = {f: values[f] for f in PATCH_FIELDS if f in values and values[f] != getattr(application, f)}
    diff = pipeline.update_application(session, application, changes, actor=actor) if changes else {}
    return Outcome.updated if moved or diff else Outcome.unchanged


APPLICATIONS = register(ImportKind(
    name="applications",
    tables=("applications", "stage_events"),
    title="申报与认定记录",
    key=("credit_code", "program", "year"),
    upsert=upsert_applications,
    ignored=("序号", "no", "#", "企业名称", "单位名称", "name"),
    columns=(
        CREDIT_CODE,
        Column("program", "项目", program_cell, ("培育项目", "项目类型", "申报项目"), required=True,
               description="Program code or name: 科技型中小企业评价入库 (tech_sme), 高新技术企业认定 (high_tech), "
               "研发财政奖补 (rd_subsidy), 科技贷款 (tech_loan).", example="高新技术企业认定"),
        Column("year", "年度", cells.year, ("申报年度", "认定年度", "入库年度", "年份"), required=True,
               description="Application (evaluation) year.", example="2023"),
        Column("stage", "环节", aliases=("状态", "办理状态", "当前环节"),
               description="Stage code or name (see GET /programs), e.g. 已认定, 已入库; blank: the first stage. "
               "A record may start in its final stage; the fields that stage needs are then required.",
               example="已认定"),
        Column("on", "日期", cells.date, ("发证日期", "入库日期", "认定日期", "批准日期", "放款日期", "办理日期"),
               description="When it reached that stage: issue date of a certificate, registration date… "
               "Needed for any stage past the first.", example="2023-12-08"),
        Column("reference_no", "编号", aliases=("证书编号", "入库登记编号", "登记编号", "合同编号"),
               description="Certificate number (GR…), 入库登记编号, contract number.", example="GR202343000240"),
        Column("amount_requested", "申请金额", cells.money, (), description="Yuan (see units)."),
        Column("amount_approved", "批准金额", cells.money, ("核定金额", "获批金额"), description="Yuan."),
        Column("amount_disbursed", "拨付金额", cells.money, ("放款金额", "实拨金额"), description="Yuan."),
        Column("valid_until", "到期日", cells.date, ("贷款到期日",),
               description="Loan maturity; certificate and registration validity are derived, not read."),
        Column("revocation_reason", "撤销原因", cells.choice(RevocationReason), ("取消原因",),
               description="For a revoked record (撤销, 取消资格): 弄虚作假 (fraud), 重大安全、质量事故或严重环境违法, "
               "未按期报告重大变化或累计两年未填报年度发展情况报表, 其他原因; it sets how long the firm may not apply "
               "again.", example="其他原因"),
        Column("notes", "备注", description="Free text."),
    ),
))
