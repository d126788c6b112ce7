"""科技型中小企业评价 (tech-SME evaluation) as a rule table plus pure functions.

Source: 《科技型中小企业评价办法》 国科发政〔2017〕115号 and 国科火字〔2022〕67号, as summarised in
``shared/domain/tech-sme.md``. The rule tables are in ``tech_sme_rules``; this module applies one to a firm.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from app.eligibility import inputs as named
from app.eligibility.outcome import (
    Verdict,
    added_to_both,
    added_to_part,
    all_of,
    any_of,
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
from app.eligibility.schemas import (
    Claims,
    FirmFacts,
    Indicator,
    InputItem,
    TechSmeEvaluation,
    Unit,
    YearFigures,
)
from app.eligibility.tech_sme_rules import CURRENT, RdBand, TechSmeRules
from app.enterprises.enums import Industry
from app.enums import label_of

TECH_STAFF = "tech_staff_share"
RD = "rd_intensity"
IP = "ip"


def _band_text(rules: TechSmeRules) -> dict[str, str]:
    staff = ", ".join(f"≥{share_text(s)} {p}分" for s, p in rules.tech_staff_bands)
    rd = ", ".join(f"≥{share_text(b.by_revenue)}或≥{share_text(b.by_cost)} {b.points}分" for b in rules.rd_bands)
    ip2 = ", ".join(f"≥{n}件 {p}分" for n, p in rules.ip_class2_bands)
    return {
        TECH_STAFF: f"{rules.version} 科技人员占比（科技人员÷职工总数）: {staff}, 其余0分",
        RD: f"{rules.version} 研发投入（研发费用÷销售收入 或 ÷成本费用总额，取高者）: {rd}, 其余0分",
        IP: f"{rules.version} 知识产权: Ⅰ类≥1件 {rules.ip_class1_points}分; Ⅱ类 {ip2}; 无0分",
    }


def _share_points(part: Decimal | int, whole: Decimal | int, bands: tuple[tuple[Decimal, int], ...]) -> int:
    return next((points for share, points in bands if at_least(part, whole, share)), 0)


def _next_share_band(points: int, bands: tuple[tuple[Decimal, int], ...]) -> tuple[Decimal, int] | None:
    better = [(share, p) for share, p in bands if p > points]
    return better[-1] if better else None


def _tech_staff(fig: YearFigures, rules: TechSmeRules) -> tuple[Indicator, int, int]:
    """The indicator and the lowest/highest points the missing inputs allow."""
    top = rules.tech_staff_bands[0][1]
    items = named.figures_of(fig, "employees", "tech_staff")
    rule = _band_text(rules)[TECH_STAFF]

    def make(note: str, **found: Any) -> Indicator:
        return named.scored(TECH_STAFF, "科技人员占比", rule, max_points=top, unit=Unit.percent, items=items,
                            note=note, **found)

    if fig.tech_staff == 0:
        return make("没有科技人员，得 0 分。", points=0, missing=[]), 0, 0
    if fig.employees is None or fig.tech_staff is None:
        return make("缺少职工总数或科技人员数，无法计分。"), 0, top
    points = _share_points(fig.tech_staff, fig.employees, rules.tech_staff_bands)
    share = percent(fig.tech_staff, fig.employees)
    note = f"科技人员 {fig.tech_staff} 人 / 职工 {fig.employees} 人 = {percent_text(share)}，得 {points} 分。"
    upgrade = _next_share_band(points, rules.tech_staff_bands)
    if upgrade is None:
        return make(note, points=points, value=share), points, points
    # New engineers are also employees: both sides of the share grow.
    more = max(whole_units(added_to_both(fig.tech_staff, fig.employees, upgrade[0])), 1)
    note += f"再增加 {more} 名科技人员可达 {share_text(upgrade[0])} 档（{upgrade[1]} 分）。"
    return make(note, points=points, value=share, threshold=upgrade[0] * 100, gap=Decimal(more),
                gap_unit=Unit.people), points, points


def _rd_points_by(rd: Decimal, whole: Decimal | None, bands: tuple[tuple[Decimal, int], ...]) -> int | None:
    if whole is None:
        return None
    # A zero denominator gives no ratio: that route scores nothing (the other one may).
    return _share_points(rd, whole, bands) if whole > 0 else 0


def _rd_gap(fig: YearFigures, rd: Decimal, band: RdBand) -> Decimal | None:
    """Least extra R&D spending that reaches ``band`` by either ratio (R&D is itself a cost)."""
    options = []
    if fig.revenue is not None and fig.revenue > 0:
        options.append(added_to_part(rd, fig.revenue, band.by_revenue))
    if fig.total_cost is not None and fig.total_cost > 0:
        options.append(added_to_both(rd, fig.total_cost, band.by_cost))
    return money_up(min(options)) if options else None


def _rd(fig: YearFigures, rules: TechSmeRules) -> tuple[Indicator, int, int]:
    top = rules.rd_bands[0].points
    items = named.figures_of(fig, "rd_expense", "revenue", "total_cost")
    rule = _band_text(rules)[RD]

    def make(note: str, **found: Any) -> Indicator:
        return named.scored(RD, "研发投入强度", rule, max_points=top, unit=Unit.percent, items=items, note=note,
                            **found)

    if fig.rd_expense is None:
        return make("缺少研发费用，无法计分。"), 0, top
    rd = fig.rd_expense
    by_revenue = _rd_points_by(rd, fig.revenue, tuple((b.by_revenue, b.points) for b in rules.rd_bands))
    by_cost = _rd_points_by(rd, fig.total_cost, tuple((b.by_cost, b.points) for b in rules.rd_bands))
    low = max((p for p in (by_revenue, by_cost) if p is not None), default=0)
    high = top if None in (by_revenue, by_cost) else low
    ratio_revenue = percent(rd, fig.revenue) if fig.revenue else None
    ratio_cost = percent(rd, fig.total_cost) if fig.total_cost else None
    parts = []
    if ratio_revenue is not None:
        parts.append(f"研发费用占销售收入 {percent_text(ratio_revenue)}（{by_revenue} 分）")
    if ratio_cost is not None:
        parts.append(f"占成本费用总额 {percent_text(ratio_cost)}（{by_cost} 分）")
    shown = max((r for r in (ratio_revenue, ratio_cost) if r is not None), default=None)
    if low < high:
        return make("；".join(parts + [f"另一比例缺少数据，至少 {low} 分。"]), value=shown), low, high
    note = ("；".join(parts) or "销售收入与成本费用均为 0") + f"，取高者得 {low} 分。"
    better = [b for b in rules.rd_bands if b.points > low]
    gap = _rd_gap(fig, rd, better[-1]) if better else None
    if gap is None:
        return make(note, points=low, value=shown), low, low
    note += f"再增加研发投入 {yuan_text(gap)} 可达 {better[-1].points} 分档。"
    return make(note, points=low, value=shown, threshold=better[-1].by_revenue * 100, gap=gap,
                gap_unit=Unit.yuan), low, low


def _ip2_points(count: int, rules: TechSmeRules) -> int:
    return next((points for least, points in rules.ip_class2_bands if count >= least), 0)


def _ip(fig: YearFigures, facts: FirmFacts, rules: TechSmeRules) -> tuple[Indicator, int, int]:
    top = rules.ip_class1_points
    rule = _band_text(rules)[IP]
    c1, c2 = fig.ip_class1, fig.ip_class2
    items = named.figures_of(fig, "ip_class1", "ip_class2")
    if facts.ip_ledger is not None:
        # The ledger's items in force outrank the year's summary counts.
        c1, c2 = facts.ip_ledger.class1, facts.ip_ledger.class2
        items = named.ledger(facts, "class1", "class2")

    def make(note: str, **found: Any) -> Indicator:
        return named.scored(IP, "知识产权", rule, max_points=top, unit=Unit.items, items=items, note=note, **found)

    if c1 is not None and c1 >= 1:
        return make(f"拥有Ⅰ类知识产权 {c1} 件，得 {top} 分。", points=top, value=Decimal(c1), missing=[]), top, top
    low = _ip2_points(c2, rules) if c2 is not None else 0
    if c1 is None or c2 is None:
        high = top if c1 is None else rules.ip_class2_bands[0][1]
        return make(f"知识产权数据不全，至少 {low} 分。"), low, high
    note = f"无Ⅰ类知识产权，Ⅱ类 {c2} 件，得 {low} 分。再获得 1 件Ⅰ类知识产权可得 {top} 分"
    better = [(n, p) for n, p in rules.ip_class2_bands if p > low]
    if better:
        note += f"，或再获得 {better[-1][0] - c2} 件Ⅱ类得 {better[-1][1]} 分"
    return make(note + "。", points=low, value=Decimal(c2), threshold=Decimal(1), gap=Decimal(1),
                gap_unit=Unit.items), low, low


# --- conditions -----------------------------------------------------------------------------------

def _amount(value: Decimal | int, money: bool) -> str:
    return yuan_text(Decimal(value)) if money else f"{value} 人"


def _cap(fig: YearFigures, field: str, cap: Decimal | int, rules: TechSmeRules) -> Indicator:
    label = named.LABELS[field]
    money = isinstance(cap, Decimal)
    rule = f"{rules.version} 条件二: {label} ≤ {_amount(cap, money)}"
    items = [named.figure(fig, field)]
    value: Decimal | int | None = getattr(fig, field)
    code = f"{field}_cap"
    if value is None:
        return named.condition(code, f"{label}上限", rule, Verdict.unknown, items=items,
                               note=f"缺少 {fig.year} 年{label}。")
    over = value - cap
    ok = over <= 0
    note = (f"{label} {_amount(value, money)}，不超过 {_amount(cap, money)}。" if ok
            else f"{label} {_amount(value, money)}，超过上限 {_amount(cap, money)}（超出 {_amount(over, money)}）。")
    return named.condition(code, f"{label}上限", rule, verdict(ok), items=items, note=note,
                           unit=Unit.yuan if money else Unit.people, value=Decimal(value), threshold=Decimal(cap),
                           gap=Decimal(over), gap_unit=Unit.yuan if money else Unit.people)


def _industry(facts: FirmFacts, rules: TechSmeRules) -> Indicator:
    items = [named.fact(facts, "industry"), named.fact(facts, "industry_code")]
    excluded = sorted(rules.excluded_sections | {s + d for s, d in rules.excluded_divisions})
    rule = f"{rules.version} 条件三: 不属于财税〔2015〕119号不适用研发费用加计扣除的行业（{'、'.join(excluded)}）"
    section = facts.industry
    if section is None:
        return named.condition("industry", "行业", rule, Verdict.unknown, items=items, missing=["行业门类"],
                               note="未登记行业门类，无法判断是否属于限制行业。")
    name = f"{section} {label_of(Industry(section))}"
    if section in rules.excluded_sections:
        return named.condition("industry", "行业", rule, Verdict.failed, items=items,
                               note=f"行业 {name} 不适用研发费用加计扣除，不能参加评价。")
    divisions = sorted(d for s, d in rules.excluded_divisions if s == section)
    if divisions and facts.industry_code is None:
        return named.condition("industry", "行业", rule, Verdict.unknown, items=items, missing=["行业代码"],
                               note=f"行业 {name} 须登记行业代码，才能排除 {'、'.join(section + d for d in divisions)}"
                                    "。")
    if facts.industry_code is not None and facts.industry_code[:2] in divisions:
        return named.condition("industry", "行业", rule, Verdict.failed, items=items,
                               note=f"行业代码 {facts.industry_code} 属于不适用研发费用加计扣除的行业。")
    return named.condition("industry", "行业", rule, Verdict.passed, items=items, note=f"行业 {name} 不受限制。")


def _tech_staff_nonzero(fig: YearFigures, low: int, high: int, rules: TechSmeRules) -> Indicator:
    least_share = rules.tech_staff_bands[-1][0]
    rule = f"{rules.version} 条件五: 科技人员指标得分不得为 0（科技人员占比 ≥ {share_text(least_share)}）"
    items = named.figures_of(fig, "employees", "tech_staff")
    label = "科技人员指标得分大于 0"
    if low > 0:
        return named.condition("tech_staff_points", label, rule, Verdict.passed, items=items,
                               note=f"科技人员指标得 {low} 分。")
    if high > 0:
        return named.condition("tech_staff_points", label, rule, Verdict.unknown, items=items,
                               note="缺少职工总数或科技人员数。")
    staff = fig.tech_staff or 0
    if not fig.employees:
        return named.condition("tech_staff_points", label, rule, Verdict.failed, items=items,
                               note="没有科技人员，科技人员指标得 0 分。")
    more = max(whole_units(added_to_both(staff, fig.employees, least_share)), 1)
    share = percent(staff, fig.employees)
    return named.condition(
        "tech_staff_points", label, rule, Verdict.failed, items=items, unit=Unit.percent, value=share,
        threshold=least_share * 100, gap=Decimal(more), gap_unit=Unit.people,
        shortfall=relative_shortfall(share, least_share * 100),
        note=f"科技人员占比 {percent_text(share)}，低于 {share_text(least_share)}，科技人员指标得 0 分；"
             f"再增加 {more} 名科技人员可得分。",
    )


def _score(low: int, high: int, items: list[Indicator], rules: TechSmeRules) -> Indicator:
    rule = f"{rules.version} 条件五: 评价得分 ≥ {rules.pass_score} 分（满分 100）"
    inputs = [InputItem(name=i.code, label=i.label, year=None, value=i.points) for i in items]
    need = Decimal(rules.pass_score)
    if low >= rules.pass_score:
        return named.condition("score", "评价得分", rule, Verdict.passed, items=inputs, unit=Unit.points,
                               value=Decimal(low), threshold=need,
                               note=f"得分{'' if low == high else '至少'} {low} 分，达到 {need} 分。")
    if high < rules.pass_score:
        return named.condition("score", "评价得分", rule, Verdict.failed, items=inputs, unit=Unit.points,
                               value=Decimal(high), threshold=need, gap=need - high, gap_unit=Unit.points,
                               shortfall=relative_shortfall(Decimal(high), need),
                               note=f"得分{'' if low == high else '最多'} {high} 分，"
                                    f"还差 {need - high} 分才到 {need} 分。")
    missing = named.merge_missing(i.missing for i in items)
    return named.condition("score", "评价得分", rule, Verdict.unknown, items=inputs, unit=Unit.points,
                           threshold=need, missing=missing,
                           note=f"得分在 {low}–{high} 分之间，取决于缺少的数据。")


DIRECT_ROUTES = (
    ("high_tech_certificate", "持有有效期内的高新技术企业资格证书"),
    ("national_award", "近五年获得过国家级科技奖励，并在获奖单位中排名前三"),
    ("provincial_rd_institution", "拥有经认定的省部级以上研发机构"),
    ("led_standard", "近五年主导制定过国际标准、国家标准或行业标准"),
)


def _direct(claims: Claims, facts: FirmFacts, rules: TechSmeRules) -> list[Indicator]:
    """Each route: confirmed by the registry's own record when it holds one (a record outranks the firm's
    statement), else by the firm's statement, else unknown."""
    routes = []
    recorded: Mapping[str, str] = facts.direct_routes
    for name, text in DIRECT_ROUTES:
        rule = f"{rules.version} 直接确认（符合条件一至四即可入库）: {text}"
        if name in recorded:
            routes.append(named.condition(name, text, rule, Verdict.passed,
                                          items=[named.claim(name, True)], note=f"登记系统记录：{recorded[name]}。"))
            continue
        value = getattr(claims, name)
        status = Verdict.unknown if value is None else verdict(value)
        note = {Verdict.passed: f"企业声明：{text}。", Verdict.failed: f"企业声明：不具备（{text}）。",
                Verdict.unknown: f"登记系统中没有此项，请向企业核实：{text}。"}[status]
        routes.append(named.condition(name, text, rule, status, items=[named.claim(name, value)], note=note))
    return routes


def evaluate(fig: YearFigures, facts: FirmFacts, claims: Claims | None = None, *,
             rules: TechSmeRules = CURRENT) -> TechSmeEvaluation:
    """Evaluate one firm on one year's figures: conditions 2, 3 and 5 and the direct-confirmation routes."""
    claims = claims or Claims()
    staff, staff_low, staff_high = _tech_staff(fig, rules)
    rd, rd_low, rd_high = _rd(fig, rules)
    ip, ip_low, ip_high = _ip(fig, facts, rules)
    indicators = [staff, rd, ip]
    low, high = staff_low + rd_low + ip_low, staff_high + rd_high + ip_high
    basic = [_cap(fig, "employees", rules.max_employees, rules), _cap(fig, "revenue", rules.max_revenue, rules),
             _cap(fig, "total_assets", rules.max_assets, rules), _industry(facts, rules),
             *named.bar(facts, "tech_sme", rules.version)]
    by_score = [_tech_staff_nonzero(fig, staff_low, staff_high, rules), _score(low, high, indicators, rules)]
    direct = _direct(claims, facts, rules)
    direct_verdict = any_of(d.status for d in direct if d.status is not None)
    score_verdict = all_of(c.status for c in by_score if c.status is not None)
    route = any_of([score_verdict, direct_verdict])
    outcome = all_of([*(c.status for c in basic if c.status is not None), route])
    counted = basic + (by_score if direct_verdict is not Verdict.passed else [])
    blocking = [c.code for c in counted if c.status is Verdict.failed]
    undetermined = [c.code for c in counted if c.status is Verdict.unknown]
    missing = named.merge_missing(c.missing for c in [*basic, *indicators])
    score = low if low == high else None
    if outcome is Verdict.passed:
        how = (f"得分 {low} 分" if score_verdict is Verdict.passed
               else "直接确认：" + "；".join(d.label for d in direct if d.status is Verdict.passed))
        summary = f"符合科技型中小企业评价条件（{how}）。"
    elif blocking:
        reasons = "；".join(c.note.rstrip("。") for c in counted if c.code in blocking)
        summary = ("不符合：" + reasons + "。" if outcome is Verdict.failed
                   else f"按评分不符合：{reasons}。如企业具备直接确认条件之一仍可入库，请核实。")
    else:
        summary = "尚无法判断：缺少 " + "、".join(missing) + "。" if missing else "尚无法判断。"
    return TechSmeEvaluation(
        rule_version=rules.version, year=fig.year, outcome=outcome, summary=summary,
        conditions=basic + by_score, blocking=blocking, undetermined=undetermined, missing=missing,
        declarations=list(rules.declarations), score=score, score_min=low, score_max=high,
        pass_score=rules.pass_score, score_outcome=all_of([*(c.status for c in basic if c.status is not None),
                                                           score_verdict]),
        indicators=indicators, direct_confirmation=direct,
    )
