"""The annual work summary in the bureau's own phrasing: the text, and its Markdown rendering (the Word
document is ``report_docx``).

Pure rendering: it takes the figures, it never queries. Amounts take the unit their size calls for
(1.47亿元, 350.00万元, 8000.00元), rounded half up to 2 places; every figure with a previous year carries
its growth; a figure without data says 未录入 rather than 0. A year in progress is reported "截至 M月D日"
against the same period of last year.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from app.enums import label_of
from app.indicators.enums import TARGET_UNITS, FigureUnit, TargetIndicator
from app.stats.schemas import AnnualSummary, CountFigure, Figure, MoneyFigure, PipelineStats

_TWO_PLACES = Decimal("0.01")
_WAN = Decimal(10_000)
_YI = Decimal(100_000_000)
NOT_ENTERED = "未录入"

AnyFigure = CountFigure | MoneyFigure | Figure


@dataclass(frozen=True)
class AnnualReport:
    summary: AnnualSummary
    programs: list[PipelineStats]
    issuer: str = "区科学技术局"
    dated: dt.date | None = None  # 成文日期; the day of the report when None


@dataclass
class Section:
    """A heading (level 1: 一、 黑体; level 2: （一） 楷体) and its body paragraphs."""

    heading: str
    level: int
    paragraphs: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Table:
    caption: str
    headers: list[str]
    rows: list[list[str]]


def wan(yuan: Decimal) -> str:
    """Yuan as 万元 with 2 places: 12,345,678.90 → '1234.57'."""
    return str((yuan / _WAN).quantize(_TWO_PLACES, ROUND_HALF_UP))


def yi(yuan: Decimal) -> str:
    """Yuan as 亿元 with 2 places: 1,234,567,890 → '12.35'."""
    return str((yuan / _YI).quantize(_TWO_PLACES, ROUND_HALF_UP))


def amount(yuan: Decimal) -> str:
    """An amount in the unit its size calls for: 亿元 from one 亿 (after rounding to 万), 万元 from one 万,
    元 below: 147,000,000 → '1.47亿元', 3,500,000 → '350.00万元', 8,000 → '8000.00元'."""
    if (yuan / _WAN).quantize(_TWO_PLACES, ROUND_HALF_UP) >= _WAN:
        return f"{yi(yuan)}亿元"
    if yuan >= _WAN:
        return f"{wan(yuan)}万元"
    return f"{yuan.quantize(_TWO_PLACES, ROUND_HALF_UP)}元"


large_amount = amount


def number(value: Decimal | int) -> str:
    """A count or an area without trailing zeros: 230.00 → '230', 120.50 → '120.5'."""
    text = format(Decimal(value).quantize(_TWO_PLACES, ROUND_HALF_UP), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def quantity(value: Decimal | int, unit: FigureUnit) -> str:
    if unit is FigureUnit.yuan:
        return amount(Decimal(value))
    if unit is FigureUnit.percent:
        return f"{number(value)}%"
    return f"{number(value)}{label_of(unit)}"


def growth(figure: AnyFigure, in_progress: bool = False) -> str:
    """'同比增长12.50%', '同比下降3.00%', '与上年持平' ('较上年同期…' in a year in progress), or '' when there is
    no rate to give (last year zero or without data)."""
    rate = figure.change_percent
    if rate is None:
        return ""
    compared = "较上年同期" if in_progress else "同比"
    if rate > 0:
        return f"{compared}增长{rate}%"
    if rate < 0:
        return f"{compared}下降{-rate}%"
    return "与上年同期持平" if in_progress else "与上年持平"


def date_text(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


class Phrasing:
    """Sentences of one summary: each figure with its growth and, where set, its target."""

    def __init__(self, summary: AnnualSummary) -> None:
        self.s = summary

    def rate(self, figure: AnyFigure) -> str:
        if isinstance(figure, Figure) and figure.unit is FigureUnit.percent:
            return self.points(figure)
        text = growth(figure, self.s.in_progress)
        return f"，{text}" if text else ""

    def points(self, figure: Figure) -> str:
        """A rate changes by percentage points, not by a percent of itself."""
        if figure.value is None or figure.previous is None:
            return ""
        change = figure.value - figure.previous
        compared = "较上年同期" if self.s.in_progress else "较上年"
        if change == 0:
            return "，与上年持平"
        return f"，{compared}{'提高' if change > 0 else '下降'}{number(abs(change))}个百分点"

    def target(self, figure: AnyFigure, name: str) -> str:
        if figure.target is None:
            return ""
        unit = TARGET_UNITS[TargetIndicator(name)]
        return f"，完成年度目标（{quantity(figure.target, unit)}）的{figure.completion_percent}%"

    def of(self, text: str, name: str, unit: FigureUnit | None = None, *, word: str | None = None) -> str:
        """``text`` followed by the figure ``name`` in its unit (or ``word``: 场, 次…), growth and target; or
        未录入."""
        figure: AnyFigure = getattr(self.s, name)
        if figure.value is None:
            return f"{text}{NOT_ENTERED}"
        shown_unit = unit or (figure.unit if isinstance(figure, Figure) else
                              FigureUnit.yuan if isinstance(figure, MoneyFigure) else FigureUnit.firms)
        shown = f"{number(figure.value)}{word}" if word else quantity(figure.value, shown_unit)
        target = self.target(figure, name) if name in TargetIndicator.__members__ else ""
        return f"{text}{shown}{self.rate(figure)}{target}"


def title(summary: AnnualSummary, issuer: str = "区科学技术局") -> str:
    return f"{issuer}{summary.year}年度科技创新工作总结"


def scope(summary: AnnualSummary) -> str:
    s = summary
    if s.in_progress:
        return (f"（统计口径：{s.year}年1月1日至{s.as_of.month}月{s.as_of.day}日，增长率与上年同期比较。"
                f"有效高企数截至{date_text(s.as_of)}。）")
    return f"（统计口径：{s.year}年1月1日至12月31日；有效高企数截至{date_text(s.as_of)}。）"


def _targets(summary: AnnualSummary) -> list[tuple[str, AnyFigure]]:
    return [(name, getattr(summary, name)) for name in TargetIndicator.__members__
            if getattr(summary, name).target is not None]


def lead(summary: AnnualSummary) -> str:
    s = summary
    when = f"截至{s.as_of.month}月{s.as_of.day}日，" if s.in_progress else "全年"
    text = (f"{s.year}年，我局坚持以科技创新引领高质量发展，紧紧围绕考核目标，扎实推进科技型企业梯次培育、"
            "创新平台建设、技术转移转化、科技特派员服务和惠企政策落实等重点工作。")
    targets = _targets(s)
    if targets:
        done = [name for name, f in targets if f.completion_percent is not None and f.completion_percent >= 100]
        if len(done) == len(targets) and not s.in_progress:
            text += f"{when}{len(targets)}项考核指标全部完成，圆满完成各项考核任务。"
        else:
            pending = "、".join(label_of(TargetIndicator(name)) for name, _ in targets if name not in done)
            state = "尚在推进" if s.in_progress else "未完成"
            if done:
                text += f"{when}{len(targets)}项考核指标已完成{len(done)}项，{pending}{state}。"
            else:
                text += f"{when}{len(targets)}项考核指标（{pending}）{'均' if len(targets) > 1 else ''}{state}。"
    return text + scope(s)


def _cultivation(p: Phrasing) -> str:
    s = p.s
    return (p.of("完成科技型中小企业入库", "tech_sme_registered") + "；"
            + f"全区高企推荐{s.high_tech_recommended.value}家，"
            + p.of("新认定高新技术企业", "high_tech_newly_recognized") + "，"
            + p.of("有效高企总数达", "high_tech_valid") + "，"
            + _net(p) + "。")


def _net(p: Phrasing) -> str:
    net = p.s.high_tech_net_growth
    if net.value is not None and net.value < 0:
        return f"净减少{number(-net.value)}家" + p.target(net, "high_tech_net_growth")
    return p.of("净增", "high_tech_net_growth")


def _platforms(p: Phrasing) -> str:
    s = p.s
    if s.platforms_recognized.value is None and not s.platforms:
        return f"创新平台认定情况{NOT_ENTERED}。"
    new = [f"{c.level_label}{c.kind_label}{c.recognised}家" for c in s.platforms if c.recognised]
    text = p.of("新认定各类创新平台", "platforms_recognized", FigureUnit.firms) if new else "本年度未新增认定创新平台"
    if new:
        text += "，其中" + "、".join(new)
    firsts = [f"{c.level_label}{c.kind_label}" for c in s.platforms if c.first_at_level]
    if firsts:
        text += "，实现" + "、".join(firsts) + "零的突破"
    standing = [f"{c.level_label}{c.kind_label}{c.standing}家" for c in s.platforms if c.standing]
    if standing:
        text += f"。截至{date_text(s.as_of) if s.in_progress else '年底'}，全区拥有" + "、".join(standing)
    return text + "。"


def _transfer(p: Phrasing) -> str:
    s = p.s
    if s.technology_contracts.value is None:
        contracts = f"技术合同登记{NOT_ENTERED}"
    else:
        contracts = (f"登记技术合同{number(s.technology_contracts.value)}件，"
                     + p.of("企业技术合同交易额", "technology_contract_amount")
                     + f"（合同成交额{amount(s.technology_contract_turnover.value or Decimal(0))}）")
    if s.cooperation_agreements.value is None:
        cooperation = f"产学研合作协议{NOT_ENTERED}"
    else:
        cooperation = p.of("共签订产学研合作协议", "cooperation_agreements")
        if s.cooperation_amount.value:
            cooperation += f"，协议金额{amount(s.cooperation_amount.value)}"
    return f"{contracts}；{cooperation}。"


def _research(p: Phrasing) -> str:
    s = p.s
    parts = [p.of("全区高新技术产业增加值", "high_tech_value_added")]
    registry = s.rd_expense_above_scale
    if s.rd_expense_official.value is not None:
        text = p.of("规上企业研发投入", "rd_expense_official")
        if registry.value:
            text += f"（在库规上企业填报研发费用合计{amount(registry.value)}）"
        parts.append(text)
    elif registry.value:
        parts.append(p.of("在库规上企业研发投入", "rd_expense_above_scale"))
    else:
        parts.append(f"规上企业研发投入{NOT_ENTERED}")
    if s.rd_intensity.value is not None:
        parts.append(p.of("全社会研发经费投入强度达", "rd_intensity"))
    income = s.high_tech_income
    parts.append(p.of("高新技术产品收入", "high_tech_income") if income.value else f"高新技术产品收入{NOT_ENTERED}")
    return "；".join(_missing_together(parts)) + "。"


def _missing_together(parts: list[str]) -> list[str]:
    """Figures without data named once together (``A、B、C未录入``), after those with data."""
    missing = [part.removesuffix(NOT_ENTERED).removeprefix("全区") for part in parts if part.endswith(NOT_ENTERED)]
    given = [part for part in parts if not part.endswith(NOT_ENTERED)]
    if len(missing) < 2:
        return parts
    return [*given, ("全区" if not given else "") + "、".join(missing) + NOT_ENTERED]


def _funding(p: Phrasing) -> str:
    s = p.s
    return (f"{s.rd_subsidy_firms.value}家企业争取" + p.of("研发财政奖补资金", "rd_subsidy_approved")
            + f"，已拨付{amount(s.rd_subsidy_disbursed.value)}；"
            + f"发放科技贷款{s.loans_disbursed.value}笔、" + p.of("", "loan_amount_disbursed")
            + f"，惠及企业{s.loan_firms.value}家。")


def _commissioners(p: Phrasing) -> str:
    s = p.s
    if s.foreign_experts_introduced.value is None and s.commissioner_trainings.value is None:
        return f"科技特派员工作{NOT_ENTERED}。"
    parts = []
    if s.foreign_experts_introduced.value is not None:
        parts.append(f"引进外籍专家{number(s.foreign_experts_introduced.value)}个")
        levels = [(label, getattr(s, f"commissioners_{code}").value) for code, label in
                  (("national", "国家级"), ("provincial", "省级"), ("municipal", "市级"), ("district", "区级"))]
        serving = [f"{label}科技特派员{number(n)}个" for label, n in levels if n]
        if serving:
            parts.append("在岗" + "、".join(serving))
    if s.commissioner_trainings.value is None:
        parts.append(f"特派员服务记录{NOT_ENTERED}")
    else:
        parts.append(f"开展技术培训{number(s.commissioner_trainings.value)}次、" + p.of("", "commissioner_trainees"))
        parts.append(f"推广新技术{number(s.techniques_promoted.value or 0)}项、"
                     f"新品种{number(s.varieties_promoted.value or 0)}项")
        if s.demonstration_bases.value:
            parts.append(f"建立示范基地{number(s.demonstration_bases.value)}个、"
                         f"{number(s.demonstration_area_mu.value or 0)}亩")
    return "，".join(parts) + "。"


def _outreach(p: Phrasing) -> str:
    s = p.s
    return (f"走访企业{s.firms_visited.value}家、" + p.of("", "visits", word="次")
            + "，" + p.of("收集诉求", "demands_raised", word="件")
            + f"，解决诉求{s.demands_resolved.value}件（按期解决{s.demands_resolved_on_time.value}件）；"
            + p.of("开展政策宣讲", "publicity_events", word="场")
            + f"，覆盖企业{s.firms_reached.value}家、{s.publicity_headcount.value}人次。")


def sections(summary: AnnualSummary) -> list[Section]:
    p = Phrasing(summary)
    return [
        Section("一、主要工作成效", 1),
        Section("（一）科技型企业梯次培育", 2, [_cultivation(p)]),
        Section("（二）创新平台建设", 2, [_platforms(p)]),
        Section("（三）技术转移与产学研合作", 2, [_transfer(p)]),
        Section("（四）研发投入与高新技术产业", 2, [_research(p)]),
        Section("（五）财政奖补与科技金融", 2, [_funding(p)]),
        Section("（六）科技特派员服务", 2, [_commissioners(p)]),
        Section("（七）走访服务与政策宣传", 2, [_outreach(p)]),
    ]


def paragraphs(summary: AnnualSummary) -> list[str]:
    """The lead and every body paragraph, in order (headings left out)."""
    return [lead(summary)] + [text for section in sections(summary) for text in section.paragraphs]


def target_table(summary: AnnualSummary) -> Table | None:
    rows = []
    for name, figure in _targets(summary):
        unit = TARGET_UNITS[TargetIndicator(name)]
        assert figure.target is not None
        done = quantity(figure.value, unit) if figure.value is not None else NOT_ENTERED
        rate = f"{figure.completion_percent}%" if figure.completion_percent is not None else "—"
        rows.append([label_of(TargetIndicator(name)), quantity(figure.target, unit), done, rate])
    if not rows:
        return None
    return Table("考核目标完成情况", ["指标", "年度目标", "完成", "完成率"], rows)


def program_tables(programs: list[PipelineStats]) -> list[Table]:
    """One table per program with records in the year, of the stages holding any; amount columns only where
    some stage has an amount."""
    tables = []
    for stats in programs:
        stages = [stage for stage in (stats.groups[0].stages if stats.groups else []) if stage.count]
        if not stages:
            continue
        money = [name for name in ("amount_requested", "amount_approved", "amount_disbursed")
                 if any(getattr(stage, name) for stage in stages)]
        headers = ["阶段", "数量"] + [{"amount_requested": "申请金额(万元)", "amount_approved": "核定金额(万元)",
                                       "amount_disbursed": "拨付/放款金额(万元)"}[name] for name in money]
        # A stage without an amount (under review: nothing approved yet) shows a dash, not 0.00.
        rows = [[stage.label, str(stage.count)] + [wan(getattr(stage, name)) if getattr(stage, name) else "—"
                                                   for name in money] for stage in stages]
        tables.append(Table(f"{stats.program_label}（{stats.year}年度）", headers, rows))
    return tables


def render_markdown(report: AnnualReport) -> str:
    s = report.summary
    lines = [f"# {title(s, report.issuer)}", "", lead(s), ""]
    for section in sections(s):
        lines += [("## " if section.level == 1 else "### ") + section.heading, ""]
        for text in section.paragraphs:
            lines += [text, ""]
    tables = [t for t in [target_table(s)] if t] + program_tables(report.programs)
    if tables:
        lines += ["## 二、附表", ""]
    for table in tables:
        lines += [f"### {table.caption}", "", "| " + " | ".join(table.headers) + " |",
                  "|" + "---|" * len(table.headers)]
        lines += ["| " + " | ".join(row) + " |" for row in table.rows]
        lines.append("")
    lines += [report.issuer, date_text(report.dated or s.as_of), ""]
    return "\n".join(lines)


def render_docx(report: AnnualReport) -> bytes:
    from app.stats.report_docx import render

    return render(report)
