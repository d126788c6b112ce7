"""Naming the inputs a rule read, so every result says which figure it used and which one is missing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from app.eligibility.outcome import Verdict
from app.eligibility.schemas import FirmFacts, Indicator, InputItem, Unit, YearFigures

LABELS = {
    "employees": "职工总数",
    "tech_staff": "科技人员数",
    "revenue": "销售收入",
    "total_cost": "成本费用总额",
    "rd_expense": "研发费用",
    "rd_expense_domestic": "境内研发费用",
    "high_tech_income": "高新技术产品(服务)收入",
    "total_income": "总收入",
    "total_assets": "资产总额",
    "ip_class1": "Ⅰ类知识产权数",
    "ip_class2": "Ⅱ类知识产权数",
    "registered_on": "成立日期",
    "industry": "行业门类",
    "industry_code": "行业代码",
    "tech_domain": "技术领域",
    "high_tech_certificate": "有效高新技术企业证书",
    "national_award": "近五年国家级科技奖励（前三名）",
    "provincial_rd_institution": "省部级以上研发机构",
    "led_standard": "近五年主导制定国际/国家/行业标准",
    "innovation_score": "创新能力自评分",
}


def figure(figures: YearFigures, name: str) -> InputItem:
    value: int | Decimal | None = getattr(figures, name)
    return InputItem(name=name, label=LABELS[name], year=figures.year, value=value)


def figures_of(figures: YearFigures, *names: str) -> list[InputItem]:
    return [figure(figures, name) for name in names]


LEDGER_LABELS = {
    "class1": "知识产权台账：有效Ⅰ类",
    "class2": "知识产权台账：有效Ⅱ类",
    "class2_unused": "知识产权台账：有效且未被以往高企申请使用的Ⅱ类",
}


def ledger(facts: FirmFacts, *names: str) -> list[InputItem]:
    """Counts from the firm's IP ledger, named as such (not as a year's figures)."""
    assert facts.ip_ledger is not None
    return [InputItem(name=f"ip_ledger.{name}", label=LEDGER_LABELS[name], year=None,
                      value=getattr(facts.ip_ledger, name)) for name in names]


def bar(facts: FirmFacts, program: str, version: str) -> list[Indicator]:
    """A failed condition when a revocation bars the firm from applying again, else nothing."""
    if program not in facts.bars:
        return []
    rule = (f"{version} 撤销后的限制: 科技型中小企业被撤销登记编号当年不得再次参与评价、弄虚作假三年内不得参与评价；"
            "高新技术企业依第十九条被取消资格五年内不得再次申请认定")
    return [condition("revocation_bar", "撤销后限制申请", rule, Verdict.failed, items=[],
                      note=facts.bars[program] + "。")]


def fact(facts: FirmFacts, name: str) -> InputItem:
    value: dt.date | str | None = getattr(facts, name)
    return InputItem(name=name, label=LABELS[name], year=None, value=value)


def claim(name: str, value: bool | Decimal | None) -> InputItem:
    return InputItem(name=name, label=LABELS[name], year=None, value=value)


def missing_of(items: Iterable[InputItem]) -> list[str]:
    """'2024 研发费用' for a yearly figure, '成立日期' for a fact about the firm."""
    return [f"{item.year} {item.label}" if item.year is not None else item.label
            for item in items if item.value is None]


def merge_missing(groups: Iterable[Iterable[str]]) -> list[str]:
    merged: list[str] = []
    for group in groups:
        for name in group:
            if name not in merged:
                merged.append(name)
    return merged


def scored(code: str, label: str, rule: str, *, max_points: int, unit: Unit, items: list[InputItem], note: str,
           points: int | None = None, value: Decimal | None = None, threshold: Decimal | None = None,
           gap: Decimal | None = None, gap_unit: Unit | None = None, missing: list[str] | None = None
           ) -> Indicator:
    """A scored indicator: ``points`` is null while an input it depends on is missing."""
    return Indicator(
        code=code, label=label, rule=rule, status=None, points=points, max_points=max_points, value=value,
        threshold=threshold, unit=unit, gap=gap, gap_unit=gap_unit if gap is not None else None, inputs=items,
        missing=missing_of(items) if missing is None else missing, note=note,
    )


def condition(code: str, label: str, rule: str, status: Verdict, *, items: list[InputItem], note: str,
              unit: Unit | None = None, value: Decimal | None = None, threshold: Decimal | None = None,
              gap: Decimal | None = None, gap_unit: Unit | None = None, shortfall: Decimal | None = None,
              missing: list[str] | None = None) -> Indicator:
    """A pass/fail/unknown condition; a failed one always carries a shortfall (1 when nothing finer is known)."""
    if status is Verdict.failed and shortfall is None:
        shortfall = Decimal(1)
    return Indicator(
        code=code, label=label, rule=rule, status=status, value=value, threshold=threshold, unit=unit,
        gap=gap if status is Verdict.failed else None,
        gap_unit=gap_unit if gap is not None and status is Verdict.failed else None,
        shortfall=shortfall if status is Verdict.failed else None, inputs=items,
        missing=(missing_of(items) if missing is None else missing) if status is Verdict.unknown else [],
        note=note,
    )
