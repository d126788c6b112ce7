"""高新技术企业认定 (high-tech recognition) readiness as a rule table plus pure functions.

Source: 《高新技术企业认定管理办法》 国科发火〔2016〕32号 第十一条 and 工作指引 国科发火〔2016〕195号, as summarised
in ``shared/domain/high-tech.md``. Each quantitative condition is pass / fail / unknown with its gap.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, replace
from decimal import Decimal

from app.eligibility import inputs as named
from app.eligibility.outcome import (
    HUNDRED,
    Verdict,
    added_to_both,
    added_to_part,
    all_of,
    at_least,
    money_up,
    percent,
    percent_text,
    relative_shortfall,
    share_text,
    verdict,
    whole_units,
    yuan_text,
)
from app.eligibility.schemas import Claims, FirmFacts, HighTechEvaluation, Indicator, InputItem, Unit, YearFigures
from app.enterprises.enums import TechDomain
from app.enums import label_of


@dataclass(frozen=True, slots=True)
class HighTechRules:
    version: str
    min_registered_days: int
    min_tech_staff_share: Decimal
    window_years: int
    # (latest year's revenue up to and including this, or None for any, R&D share needed), smallest first
    rd_bands: tuple[tuple[Decimal | None, Decimal], ...]
    min_domestic_rd_share: Decimal
    min_high_tech_income_share: Decimal
    innovation_score_above: Decimal  # strictly more than this
    declarations: tuple[str, ...]
    # The high-tech income share's denominator: the figure read, its name in the rule text.
    income_base: str = "revenue"
    # 工作指引: a class Ⅱ item counts for one application only.
    class2_once: bool = False


HIGH_TECH_2016 = HighTechRules(
    version="high_tech:2016",
    min_registered_days=365,
    min_tech_staff_share=Decimal("0.10"),
    window_years=3,
    rd_bands=(
        (Decimal(50_000_000), Decimal("0.05")), (Decimal(200_000_000), Decimal("0.04")), (None, Decimal("0.03")),
    ),
    min_domestic_rd_share=Decimal("0.60"),
    min_high_tech_income_share=Decimal("0.60"),
    innovation_score_above=Decimal(70),
    declarations=(
        "知识产权对主要产品（服务）在技术上发挥核心支持作用（第十一条第二项，专家评审）",
        "申请认定前一年内未发生重大安全、重大质量事故或严重环境违法行为（第十一条第八项）",
    ),
)

# The 2016 rules read again against the official texts: the income share is of 总收入 (收入总额 − 不征税收入),
# not of sales revenue; class Ⅱ IP used by an earlier application no longer counts.
HIGH_TECH_2016_1 = replace(HIGH_TECH_2016, version="high_tech:2016.1", income_base="total_income", class2_once=True)
CURRENT = HIGH_TECH_2016_1


def window(year: int, registered_on: dt.date | None, rules: HighTechRules = HIGH_TECH_2016) -> list[int]:
    """Fiscal years whose R&D and revenue are summed: the last three, fewer for a younger firm."""
    first = year - rules.window_years + 1
    if registered_on is not None:
        first = max(first, min(registered_on.year, year))
    return list(range(first, year + 1))


def _registered(facts: FirmFacts, as_of: dt.date, rules: HighTechRules) -> Indicator:
    rule = f"{rules.version} 第十一条第一项: 注册成立一年以上（≥ {rules.min_registered_days} 天）"
    items = [named.fact(facts, "registered_on")]
    need = rules.min_registered_days
    if facts.registered_on is None:
        return named.condition("registered_age", "注册成立满一年", rule, Verdict.unknown, items=items,
                               note="未登记成立日期。")
    days = (as_of - facts.registered_on).days
    ok = days >= need
    note = (f"成立于 {facts.registered_on}，至 {as_of} 已 {days} 天。" if ok
            else f"成立于 {facts.registered_on}，至 {as_of} 仅 {days} 天，还需 {need - days} 天。")
    return named.condition("registered_age", "注册成立满一年", rule, verdict(ok), items=items, note=note,
                           unit=Unit.days,
                           value=Decimal(days), threshold=Decimal(need), gap=Decimal(need - days), gap_unit=Unit.days,
                           shortfall=relative_shortfall(Decimal(days), Decimal(need)))


def _ip_from_ledger(facts: FirmFacts, rules: HighTechRules) -> Indicator:
    assert facts.ip_ledger is not None
    ledger = facts.ip_ledger
    rule = f"{rules.version} 第十一条第二项: 拥有Ⅰ类或Ⅱ类知识产权（至少 1 件）"
    if rules.class2_once:
        rule += "；Ⅱ类知识产权仅限在一次高企申请中使用（工作指引）"
    class2 = ledger.class2_unused if rules.class2_once else ledger.class2
    items = named.ledger(facts, "class1", "class2", "class2_unused")
    total = ledger.class1 + class2
    used = ledger.class2 - ledger.class2_unused
    counted = f"台账有效Ⅰ类 {ledger.class1} 件、可用Ⅱ类 {class2} 件"
    if rules.class2_once and used:
        counted += f"（另有 {used} 件Ⅱ类已在以往申请中使用，不再计入）"
    if total >= 1:
        return named.condition("ip_owned", "拥有知识产权", rule, Verdict.passed, items=items, unit=Unit.items,
                               value=Decimal(total), threshold=Decimal(1), note=counted + "。")
    return named.condition("ip_owned", "拥有知识产权", rule, Verdict.failed, items=items, unit=Unit.items,
                           value=Decimal(0), threshold=Decimal(1), gap=Decimal(1), gap_unit=Unit.items,
                           note=counted + "，至少需要 1 件可用的知识产权。")


def _ip(latest: YearFigures, facts: FirmFacts, rules: HighTechRules) -> Indicator:
    if facts.ip_ledger is not None:
        return _ip_from_ledger(facts, rules)
    rule = f"{rules.version} 第十一条第二项: 拥有Ⅰ类或Ⅱ类知识产权（至少 1 件）"
    items = named.figures_of(latest, "ip_class1", "ip_class2")
    counts = [c for c in (latest.ip_class1, latest.ip_class2) if c is not None]
    total = sum(counts)
    if total >= 1:
        return named.condition("ip_owned", "拥有知识产权", rule, Verdict.passed, items=items, unit=Unit.items,
                               value=Decimal(total), threshold=Decimal(1),
                               note=f"Ⅰ类 {latest.ip_class1 or 0} 件、Ⅱ类 {latest.ip_class2 or 0} 件。")
    if len(counts) < 2:
        return named.condition("ip_owned", "拥有知识产权", rule, Verdict.unknown, items=items,
                               note="知识产权数据不全。")
    return named.condition("ip_owned", "拥有知识产权", rule, Verdict.failed, items=items, unit=Unit.items,
                           value=Decimal(0), threshold=Decimal(1), gap=Decimal(1), gap_unit=Unit.items,
                           note="没有Ⅰ类或Ⅱ类知识产权，至少需要 1 件。")


def _domain(facts: FirmFacts, rules: HighTechRules) -> Indicator:
    rule = f"{rules.version} 第十一条第三项: 核心技术属于《国家重点支持的高新技术领域》"
    items = [named.fact(facts, "tech_domain")]
    if facts.tech_domain is None:
        return named.condition("tech_domain", "技术领域", rule, Verdict.unknown, items=items,
                               note="未登记技术领域。")
    name = label_of(TechDomain(facts.tech_domain))
    return named.condition("tech_domain", "技术领域", rule, Verdict.passed, items=items, note=f"技术领域：{name}。")


def _share_condition(code: str, label: str, rule: str, part: Decimal | int, whole: Decimal | int,
                     share: Decimal, *, what: str, part_label: str, whole_label: str, unit_text: str,
                     people: bool) -> Indicator:
    """A 'part ÷ whole ≥ share' condition where adding to the part also adds to the whole."""
    if whole <= 0:
        return named.condition(code, label, rule, Verdict.failed, items=[],
                               note=f"{whole_label}为 0，{what}无法达到 {share_text(share)}。")
    value = percent(part, whole)
    ok = at_least(part, whole, share)
    shown = f"{what} {value}%（{unit_text}），须 ≥ {share_text(share)}"
    if ok:
        return named.condition(code, label, rule, Verdict.passed, items=[], unit=Unit.percent, value=value,
                               threshold=share * HUNDRED, note=shown + "。")
    more = added_to_both(part, whole, share)
    gap = Decimal(max(whole_units(more), 1)) if people else money_up(more)
    gap_text = f" {gap} 名{part_label}" if people else f"{part_label} {yuan_text(gap)}"
    return named.condition(code, label, rule, Verdict.failed, items=[], unit=Unit.percent, value=value,
                           threshold=share * HUNDRED, gap=gap, gap_unit=Unit.people if people else Unit.yuan,
                           shortfall=relative_shortfall(value, share * HUNDRED), note=f"{shown}：还需增加{gap_text}。")


def _with_inputs(indicator: Indicator, items: list[InputItem]) -> Indicator:
    return indicator.model_copy(update={"inputs": items})


def _tech_staff(latest: YearFigures, rules: HighTechRules) -> Indicator:
    share = rules.min_tech_staff_share
    rule = f"{rules.version} 第十一条第四项: 科技人员占当年职工总数 ≥ {share_text(share)}"
    items = named.figures_of(latest, "employees", "tech_staff")
    if latest.employees is None or latest.tech_staff is None:
        return named.condition("tech_staff_share", "科技人员占比", rule, Verdict.unknown, items=items,
                               note="缺少职工总数或科技人员数。")
    found = _share_condition("tech_staff_share", "科技人员占比", rule, latest.tech_staff, latest.employees, share,
                             what="科技人员占比", part_label="科技人员", whole_label="职工总数",
                             unit_text=f"{latest.tech_staff}/{latest.employees} 人", people=True)
    return _with_inputs(found, items)


def _rd_bands(rules: HighTechRules) -> list[tuple[Decimal | None, Decimal, str]]:
    """(upper limit, share needed, the revenue span in words) of every R&D band."""
    bands, lower = [], None
    for limit, share in rules.rd_bands:
        if lower is None:
            span = f"≤ {yuan_text(limit)}"
        elif limit is None:
            span = f"> {yuan_text(lower)}"
        else:
            span = f"> {yuan_text(lower)} 且 ≤ {yuan_text(limit)}"
        bands.append((limit, share, span))
        lower = limit
    return bands


def _rd_share_needed(latest_revenue: Decimal, rules: HighTechRules) -> tuple[Decimal, str]:
    for limit, share, span in _rd_bands(rules):
        if limit is None or latest_revenue <= limit:
            return share, f"最近一年销售收入 {yuan_text(latest_revenue)}（{span}）"
    raise ValueError(f"{rules.version}: the last R&D band must have no upper limit")


def _rd_rule(rules: HighTechRules) -> str:
    parts = [f"{span} 须 ≥ {share_text(share)}" for _, share, span in _rd_bands(rules)]
    return (f"{rules.version} 第十一条第五项: 近{rules.window_years}个会计年度研发费用总额 ÷ 同期销售收入总额，"
            "按最近一年销售收入: " + "；".join(parts))


def _window_items(figures: Mapping[int, YearFigures], years: list[int], *names: str) -> list[InputItem]:
    return [named.figure(figures.get(y) or YearFigures(year=y), name) for y in years for name in names]


def _sum(figures: Mapping[int, YearFigures], years: list[int], name: str) -> Decimal:
    return sum((getattr(figures[y], name) for y in years), Decimal(0))


def _rd_intensity(figures: Mapping[int, YearFigures], years: list[int], rules: HighTechRules) -> Indicator:
    rule = _rd_rule(rules)
    items = _window_items(figures, years, "rd_expense", "revenue")
    if any(item.value is None for item in items):
        return named.condition("rd_intensity", "研发费用占比", rule, Verdict.unknown, items=items,
                               note=f"缺少 {years[0]}–{years[-1]} 年的研发费用或销售收入。")
    rd, revenue = _sum(figures, years, "rd_expense"), _sum(figures, years, "revenue")
    latest_revenue = figures[years[-1]].revenue or Decimal(0)
    share, band = _rd_share_needed(latest_revenue, rules)
    span = f"{years[0]}–{years[-1]} 年" if len(years) > 1 else f"{years[0]} 年"
    if revenue <= 0:
        return named.condition("rd_intensity", "研发费用占比", rule, Verdict.failed, items=items,
                               note=f"{span}销售收入为 0，无法达到研发费用比例要求。")
    value = percent(rd, revenue)
    shown = (f"{span}研发费用 {yuan_text(rd)} ÷ 销售收入 {yuan_text(revenue)} = {percent_text(value)}；"
             f"{band}，须 ≥ {share_text(share)}")
    if at_least(rd, revenue, share):
        return named.condition("rd_intensity", "研发费用占比", rule, Verdict.passed, items=items, unit=Unit.percent,
                               value=value, threshold=share * HUNDRED, note=shown + "。")
    gap = money_up(added_to_part(rd, revenue, share))
    return named.condition("rd_intensity", "研发费用占比", rule, Verdict.failed, items=items, unit=Unit.percent,
                           value=value, threshold=share * HUNDRED, gap=gap, gap_unit=Unit.yuan,
                           shortfall=relative_shortfall(value, share * HUNDRED),
                           note=f"{shown}：按现有收入还需增加研发投入 {yuan_text(gap)}。")


def _rd_domestic(figures: Mapping[int, YearFigures], years: list[int], rules: HighTechRules) -> Indicator:
    share = rules.min_domestic_rd_share
    rule = f"{rules.version} 第十一条第五项: 境内研发费用占全部研发费用 ≥ {share_text(share)}"
    items = _window_items(figures, years, "rd_expense_domestic", "rd_expense")
    if any(item.value is None for item in items):
        return named.condition("rd_domestic_share", "境内研发费用占比", rule, Verdict.unknown, items=items,
                               note=f"缺少 {years[0]}–{years[-1]} 年的研发费用或境内研发费用。")
    domestic, rd = _sum(figures, years, "rd_expense_domestic"), _sum(figures, years, "rd_expense")
    found = _share_condition("rd_domestic_share", "境内研发费用占比", rule, domestic, rd, share,
                             what="境内研发费用占比", part_label="境内研发费用", whole_label="研发费用",
                             unit_text=f"{yuan_text(domestic)}/{yuan_text(rd)}", people=False)
    return _with_inputs(found, items)


def _high_tech_income(latest: YearFigures, rules: HighTechRules) -> Indicator:
    share = rules.min_high_tech_income_share
    base = rules.income_base
    base_label = named.LABELS[base]
    rule = f"{rules.version} 第十一条第六项: 最近一年高新技术产品（服务）收入占同期总收入 ≥ {share_text(share)}"
    rule += "（总收入 = 收入总额 − 不征税收入）" if base == "total_income" else "（按销售收入计）"
    items = named.figures_of(latest, "high_tech_income", base)
    whole: Decimal | None = getattr(latest, base)
    if latest.high_tech_income is None or whole is None:
        return named.condition("high_tech_income_share", "高新技术产品收入占比", rule, Verdict.unknown, items=items,
                               note=f"缺少 {latest.year} 年高新技术产品(服务)收入或{base_label}。")
    found = _share_condition(
        "high_tech_income_share", "高新技术产品收入占比", rule, latest.high_tech_income, whole, share,
        what="高新技术产品(服务)收入占比", part_label="高新技术产品(服务)收入", whole_label=base_label,
        unit_text=f"{yuan_text(latest.high_tech_income)} ÷ {base_label} {yuan_text(whole)}", people=False,
    )
    return _with_inputs(found, items)


def _innovation(claims: Claims, rules: HighTechRules) -> Indicator:
    above = rules.innovation_score_above
    rule = f"{rules.version} 第十一条第七项: 企业创新能力评价得分 > {above} 分（专家评审，不含 {above} 分）"
    items = [named.claim("innovation_score", claims.innovation_score)]
    score = claims.innovation_score
    if score is None:
        return named.condition("innovation_score", "创新能力评价", rule, Verdict.unknown, items=items,
                               note="创新能力由专家评审；未提供企业自评分。")
    ok = score > above
    note = (f"自评分 {score} 分，高于 {above} 分。" if ok
            else f"自评分 {score} 分，须高于 {above} 分（还差 {above - score} 分以上）。")
    return named.condition("innovation_score", "创新能力评价", rule, verdict(ok), items=items, note=note,
                           unit=Unit.points, value=score, threshold=above, gap=above - score, gap_unit=Unit.points,
                           shortfall=relative_shortfall(score, above))


def evaluate(figures: Mapping[int, YearFigures], facts: FirmFacts, year: int, *, as_of: dt.date,
             claims: Claims | None = None, rules: HighTechRules = CURRENT) -> HighTechEvaluation:
    """Readiness for high-tech recognition on the figures of ``year`` and the years before it.

    ``figures`` maps fiscal year to that year's figures; a year without an entry counts as not reported.
    """
    claims = claims or Claims()
    years = window(year, facts.registered_on, rules)
    latest = figures.get(year) or YearFigures(year=year)
    conditions = [
        _registered(facts, as_of, rules), _ip(latest, facts, rules), _domain(facts, rules), _tech_staff(latest, rules),
        _rd_intensity(figures, years, rules), _rd_domestic(figures, years, rules),
        _high_tech_income(latest, rules), _innovation(claims, rules), *named.bar(facts, "high_tech", rules.version),
    ]
    outcome = all_of(c.status for c in conditions if c.status is not None)
    blocking = [c.code for c in conditions if c.status is Verdict.failed]
    undetermined = [c.code for c in conditions if c.status is Verdict.unknown]
    missing = named.merge_missing(c.missing for c in conditions)
    if outcome is Verdict.passed:
        summary = "各项可量化条件均已满足，可申报高新技术企业认定。"
    elif outcome is Verdict.failed:
        summary = "暂不满足：" + "；".join(c.note.rstrip("。") for c in conditions if c.code in blocking) + "。"
    else:
        summary = "尚无法判断：缺少 " + "、".join(missing) + "。"
    return HighTechEvaluation(
        rule_version=rules.version, year=year, outcome=outcome, summary=summary, conditions=conditions,
        blocking=blocking, undetermined=undetermined, missing=missing, declarations=list(rules.declarations),
        window=years,
    )
