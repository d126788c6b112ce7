"""The registry's import kinds: ``enterprises`` (the firm list) and ``figures`` (annual figures).

Both upsert through ``app.enterprises.service`` so that its rules and audit rows apply to imported
records exactly as to records typed in through the API. A blank cell means "not in this file": it
leaves the stored value alone (a list from another office must not erase what staff entered).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.audit.service import Actor
from app.enterprises import bulk, service
from app.enterprises.enums import EnterpriseStatus, Industry, TechDomain
from app.enterprises.models import AnnualFigures, Enterprise
from app.enterprises.schemas import EnterpriseCreate, EnterpriseUpdate, FiguresWrite, validate_year
from app.errors import DomainError
from app.imports import cells
from app.imports.kinds import NO_SUCH_FIRM, Column, ImportKind, Outcome, RowRejected, archived_firm, register

CREDIT_CODE = Column(
    "credit_code", "统一社会信用代码", cells.credit_code, ("信用代码", "社会信用代码", "统一信用代码", "uscc"),
    required=True, description="18 characters; spaces and full-width characters are fine.",
    example="91430702MA4L0X1234",
)


def _firms(session: Session, rows: list[dict[str, Any]]) -> dict[str, Enterprise]:
    """The stored firms of a batch's credit codes, in one query."""
    codes = {values["credit_code"] for values in rows}
    return {firm.credit_code: firm for firm in session.scalars(select(Enterprise).where(
        Enterprise.credit_code.in_(codes)))}


@dataclass(frozen=True, slots=True)
class PlannedFirm:
    """What a row will do, decided before the import writes: register ``create``, apply ``change`` to the
    stored firm ``known``, or nothing (a stored firm with no change). Held compactly: an import plans up to
    100,000 rows before it writes."""

    # The row's parsed cells by FIELDS (None: blank), to plan it again if need be; for a new firm only which
    # cells it has (its validated values stand for them).
    cells: tuple[Any, ...]
    known: bulk.Version | None  # the stored firm planned from, None for a new one
    create: bulk.NewFirm | None = None
    change: bulk.Change | None = None

    @property
    def code(self) -> str:
        return str(self.create.fields[0] if self.create else self.cells[0])

    @property
    def values(self) -> dict[str, Any]:
        if self.create:
            given = self.create.snapshot()
            return {name: given[name] for name, has in zip(FIELDS, self.cells, strict=True) if has}
        return {name: value for name, value in zip(FIELDS, self.cells, strict=True) if value is not None}

    def outcome(self) -> Outcome:
        return Outcome.created if self.create else Outcome.updated if self.change else Outcome.unchanged


_PRESENT: dict[tuple[bool, ...], tuple[bool, ...]] = {}


def _present(cells_: tuple[Any, ...]) -> tuple[bool, ...]:
    """Which cells a row has, one shared tuple per pattern."""
    mask = tuple(value is not None for value in cells_)
    return _PRESENT.setdefault(mask, mask)


def prepare_enterprises(session: Session, rows: list[dict[str, Any]]) -> list[PlannedFirm | RowRejected]:
    """Validate a batch of rows against the stored firms (read, never written): the API's schemas and the
    changes ``service.update_enterprise`` would make."""
    stored = bulk.stored(session, (values["credit_code"] for values in rows))
    planned: list[PlannedFirm | RowRejected] = []
    for values in rows:
        state = stored.get(values["credit_code"])
        cells_ = tuple(values.get(name) for name in FIELDS)
        try:
            if state is None:
                new = bulk.NewFirm.of(EnterpriseCreate.model_validate(values))
                planned.append(PlannedFirm(_present(cells_), None, create=new))
            elif state.archived_at is not None:
                planned.append(RowRejected.one(
                    "credit_code", f"firm {state.id}「{state.name}」is archived: restore it first"))
            else:
                update = EnterpriseUpdate.model_validate({k: v for k, v in values.items() if k != "credit_code"})
                diff = bulk.diff(state, update.changes())
                change = bulk.Change(state.id, state.version, diff) if diff else None
                planned.append(PlannedFirm(cells_, state.key, change=change))
        except ValidationError as exc:
            planned.append(RowRejected.invalid(exc, "credit_code"))
    return planned


def upsert_enterprises(session: Session, rows: list[PlannedFirm | dict[str, Any]], actor: Actor
                       ) -> list[Outcome | RowRejected]:
    """Write a batch as planned (rows not planned yet are planned here); a batch whose firms changed since
    it was planned is planned again first, in this transaction."""
    planned = [row for row in rows if isinstance(row, PlannedFirm)]
    plans: list[PlannedFirm | RowRejected] = list(planned)
    if len(planned) != len(rows) or bulk.stale(session, {plan.code: plan.known for plan in planned}):
        plans = prepare_enterprises(session, [row.values if isinstance(row, PlannedFirm) else row for row in rows])
    ready = [plan for plan in plans if isinstance(plan, PlannedFirm)]
    bulk.update_firms(session, [plan.change for plan in ready if plan.change], actor=actor)
    bulk.create_firms(session, [plan.create for plan in ready if plan.create], actor=actor)
    return [plan if isinstance(plan, RowRejected) else plan.outcome() for plan in plans]


ENTERPRISES = register(ImportKind(
    name="enterprises",
    tables=("enterprises", "enterprise_tags"),
    title="企业名单",
    key=("credit_code",),
    upsert=upsert_enterprises,
    prepare=prepare_enterprises,
    columns=(
        CREDIT_CODE,
        Column("name", "企业名称", aliases=("单位名称", "公司名称", "企业名字"), required=True,
               description="As registered. Needed for a new firm.", example="常德市某某科技有限公司"),
        Column("district", "所属街道", aliases=("街道", "所属乡镇", "街道(乡镇)", "所属街道(乡镇)", "乡镇街道"),
               description="街道/乡镇. Needed for a new firm.", example="丹阳街道"),
        Column("park", "园区", aliases=("所在园区", "所属园区"), example="常德高新区"),
        Column("industry", "行业门类", cells.choice(Industry), ("行业", "所属行业", "国民经济行业"),
               description="GB/T 4754-2017 section: the letter (C) or its name (制造业).", example="C 制造业"),
        Column("industry_code", "行业代码", aliases=("行业大类代码",),
               description="GB/T 4754 division or group code, 2–4 digits, with or without its section letter "
               "(C3911).", example="39"),
        Column("tech_domain", "技术领域", cells.choice(TechDomain, numbered=True), ("高新技术领域", "所属技术领域"),
               description="One of the 8 national high-tech domains: its name, number (1–8) or code.",
               example="电子信息"),
        Column("above_scale", "规上企业", cells.boolean, ("是否规上", "规模以上企业", "是否规模以上企业"),
               description="是 or 否.", example="否"),
        Column("registered_on", "成立日期", cells.date, ("注册日期", "成立时间", "注册时间"),
               description="2023-12-08, 2023/12/08, 2023年12月8日 or an Excel date.", example="2018-05-20"),
        Column("address", "地址", aliases=("企业地址", "注册地址", "经营地址"), example="常德市武陵区某某路1号"),
        Column("legal_representative", "法定代表人", aliases=("法人", "法人代表"), example="张三"),
        Column("tags", "标签", cells.tags, ("企业标签",), description="Separated by 、 , or ;",
               example="专精特新、瞪羚"),
        Column("status", "经营状态", cells.choice(EnterpriseStatus), ("状态",),
               description="正常经营, 已迁出 or 已注销/关停.", example="正常经营"),
        Column("notes", "备注", description="Free text."),
    ),
))


FIELDS = tuple(column.field for column in ENTERPRISES.columns)  # credit_code first


FIGURES_FIELDS = ("employees", "tech_staff", "revenue", "total_cost", "rd_expense", "rd_expense_domestic",
                  "high_tech_income", "total_income", "total_assets", "ip_class1", "ip_class2")


def upsert_figures(session: Session, rows: list[dict[str, Any]], actor: Actor) -> list[Outcome | RowRejected]:
    firms = _firms(session, rows)
    stored = {(f.enterprise_id, f.year): f for f in session.scalars(select(AnnualFigures).where(
        AnnualFigures.enterprise_id.in_([firm.id for firm in firms.values()]),
        AnnualFigures.year.in_({values["year"] for values in rows if _plausible_year(values["year"])})))}
    results: list[Outcome | RowRejected] = []
    for values in rows:
        try:
            results.append(_upsert_year(session, firms.get(values["credit_code"]), stored, values, actor))
        except RowRejected as exc:
            results.append(exc)
        except ValidationError as exc:
            results.append(RowRejected.invalid(exc, "year"))
    return results


def _plausible_year(year: int) -> bool:
    # Keeps absurd numbers out of the query (PostgreSQL would fail on an integer overflow); validate_year
    # then rejects the row with a reason.
    try:
        validate_year(year)
    except ValueError:
        return False
    return True


def _upsert_year(session: Session, enterprise: Enterprise | None, stored: dict[tuple[int, int], AnnualFigures],
                 values: dict[str, Any], actor: Actor) -> Outcome:
    try:
        year = validate_year(values["year"])
    except ValueError as exc:
        raise RowRejected.one("year", cells.reason_of(exc)) from exc
    if enterprise is None:
        raise RowRejected.one("credit_code", NO_SUCH_FIRM)
    if enterprise.archived_at is not None:
        raise RowRejected.one("credit_code", archived_firm(enterprise.id, enterprise.name))
    existing = stored.get((enterprise.id, year))
    merged = {f: getattr(existing, f) for f in FIGURES_FIELDS} if existing is not None else {}
    merged.update({k: v for k, v in values.items() if k in FIGURES_FIELDS})
    data = FiguresWrite.model_validate(merged)
    problems = data.inconsistencies()
    if problems:
        raise RowRejected(problems)
    try:
        _, created, diff = service.put_figures(session, enterprise, year, data, actor=actor)
    except DomainError as exc:
        # The registry's own rules, checked before it writes anything.
        field = str(exc.errors[0].loc[-1]) if exc.errors else "credit_code"
        raise RowRejected.one(field, exc.detail or cells.reason_of(exc)) from exc
    return Outcome.created if created else Outcome.updated if diff else Outcome.unchanged


FIGURES = register(ImportKind(
    name="figures",
    tables=("annual_figures",),
    title="企业年度经营数据",
    key=("credit_code", "year"),
    upsert=upsert_figures,
    ignored=("序号", "编号", "no", "#", "企业名称", "单位名称", "name"),
    columns=(
        CREDIT_CODE,
        Column("year", "年度", cells.year, ("年份", "数据年度", "统计年度"), required=True,
               description="Fiscal year, e.g. 2024.", example="2024"),
        Column("employees", "从业人员", cells.count, ("职工总数", "从业人员数", "从业人数", "员工人数"),
               description="Average for the year.", example="120"),
        Column("tech_staff", "科技人员", cells.count, ("科技人员数",), description="At most the employees.",
               example="30"),
        Column("revenue", "营业收入", cells.money, ("销售收入", "营业收入总额"), description="Yuan (see units).",
               example="25000000.00"),
        Column("total_cost", "成本费用总额", cells.money, ("成本费用",), example="21000000.00"),
        Column("rd_expense", "研发费用", cells.money, ("研发投入", "研究开发费用", "研发经费"),
               description="At most the total costs.", example="1500000.00"),
        Column("rd_expense_domestic", "境内研发费用", cells.money, (), description="At most the R&D expense.",
               example="1500000.00"),
        Column("high_tech_income", "高新技术产品收入", cells.money, ("高新技术产品(服务)收入", "高品收入"),
               description="At most the revenue and the total income.", example="18000000.00"),
        Column("total_income", "总收入", cells.money, ("总收入(元)", "收入总额减不征税收入"),
               description="收入总额 minus 不征税收入, yuan: the high-tech income share's denominator.",
               example="26000000.00"),
        Column("total_assets", "资产总额", cells.money, ("总资产",), example="40000000.00"),
        Column("ip_class1", "Ⅰ类知识产权", cells.count, ("一类知识产权", "I类知识产权数"),
               description="Invention patents and the like.", example="2"),
        Column("ip_class2", "Ⅱ类知识产权", cells.count, ("二类知识产权", "II类知识产权数"),
               description="Utility models, software copyrights and the like.", example="8"),
    ),
))
