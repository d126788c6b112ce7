"""The annual work-summary figures in the bureau's own phrasing, as Markdown or DOCX.

Pure rendering: it takes the figures, it never queries. Amounts follow the summary's habits — R&D in
亿元, subsidies and loans in 万元 — rounded half up to 2 places.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from docx import Document
from docx.shared import Pt

from app.stats.schemas import AnnualSummary, CountFigure, MoneyFigure, PipelineStats

_TWO_PLACES = Decimal("0.01")
_WAN = Decimal(10_000)
_YI = Decimal(100_000_000)


@dataclass(frozen=True)
class AnnualReport:
    summary: AnnualSummary
    programs: list[PipelineStats]


def wan(yuan: Decimal) -> str:
    """Yuan as 万元 with 2 places: 12,345,678.90 → '1234.57'."""
    return str((yuan / _WAN).quantize(_TWO_PLACES, ROUND_HALF_UP))


def yi(yuan: Decimal) -> str:
    """Yuan as 亿元 with 2 places: 1,234,567,890 → '12.35'."""
    return str((yuan / _YI).quantize(_TWO_PLACES, ROUND_HALF_UP))


def large_amount(yuan: Decimal) -> str:
    """亿元 from one 亿 upwards (as the summary writes R&D totals), 万元 below it."""
    return f"{yi(yuan)}亿元" if yuan >= _YI else f"{wan(yuan)}万元"


def growth(figure: CountFigure | MoneyFigure) -> str:
    """'增长12.50%', '下降3.00%', '与上年持平', or '' when last year was zero (no rate to give)."""
    if figure.change_percent is None:
        return ""
    if figure.change_percent > 0:
        return f"增长{figure.change_percent}%"
    if figure.change_percent < 0:
        return f"下降{-figure.change_percent}%"
    return "与上年持平"


def _with_growth(text: str, figure: CountFigure | MoneyFigure) -> str:
    rate = growth(figure)
    return f"{text}，{rate}" if rate else text


def _figures_text(s: AnnualSummary) -> str:
    # Annual figures arrive after the year closes: a total of zero means none entered yet, not a 100% fall.
    if s.rd_expense_above_scale.value == 0 and s.high_tech_income.value == 0:
        return f"{s.year}年度企业经营数据尚未录入。"
    rd, income = s.rd_expense_above_scale, s.high_tech_income
    return (_with_growth(f"完成规上企业研发投入{large_amount(rd.value)}", rd) + "；"
            + _with_growth(f"高新技术产品收入{large_amount(income.value)}", income) + "。")


def title(summary: AnnualSummary) -> str:
    return f"{summary.year}年度科技企业培育工作主要成效"


def paragraphs(summary: AnnualSummary) -> list[str]:
    s = summary
    as_of = f"{s.as_of.year}年{s.as_of.month}月{s.as_of.day}日"
    return [
        f"统计口径：{s.year}年1月1日至12月31日，有效高企数截至{as_of}。",
        "一、科技型企业梯次培育。"
        + _with_growth(f"完成科技型中小企业入库{s.tech_sme_registered.value}家", s.tech_sme_registered)
        + f"；全区高企推荐{s.high_tech_recommended.value}家，新认定高新技术企业{s.high_tech_newly_recognized.value}家，"
        + _with_growth(f"全年有效高企总数达{s.high_tech_valid.value}家", s.high_tech_valid) + "。",
        "二、企业研发投入。" + _figures_text(s),
        "三、财政奖补与科技金融。"
        + f"{s.rd_subsidy_firms.value}家企业争取研发财政奖补资金{wan(s.rd_subsidy_approved.value)}万元，"
        + f"已拨付{wan(s.rd_subsidy_disbursed.value)}万元；"
        + _with_growth(f"发放科技贷款{s.loans_disbursed.value}笔、{wan(s.loan_amount_disbursed.value)}万元",
                       s.loan_amount_disbursed)
        + f"，惠及企业{s.loan_firms.value}家。",
        "四、走访服务与政策宣传。"
        + f"走访企业{s.firms_visited.value}家、{s.visits.value}次，收集诉求{s.demands_raised.value}件，"
        + f"解决诉求{s.demands_resolved.value}件（按期解决{s.demands_resolved_on_time.value}件）；"
        + f"开展政策宣讲{s.publicity_events.value}场，覆盖企业{s.firms_reached.value}家、"
        + f"{s.publicity_headcount.value}人次。",
    ]


def _table_rows(stats: PipelineStats) -> tuple[list[str], list[list[str]]]:
    stages = stats.groups[0].stages if stats.groups else []
    money = [name for name in ("amount_requested", "amount_approved", "amount_disbursed")
             if any(getattr(stage, name) is not None for stage in stages)]
    headers = ["阶段", "数量"] + [{"amount_requested": "申请金额(万元)", "amount_approved": "核定金额(万元)",
                                   "amount_disbursed": "拨付/放款金额(万元)"}[name] for name in money]
    rows = []
    for stage in stages:
        row = [stage.label, str(stage.count)]
        row += [wan(getattr(stage, name) or Decimal(0)) for name in money]
        rows.append(row)
    return headers, rows


def render_markdown(report: AnnualReport) -> str:
    lines = [f"# {title(report.summary)}", ""]
    for text in paragraphs(report.summary):
        lines += [text, ""]
    if report.programs:
        lines += ["## 附表：各培育项目办理情况", ""]
    for stats in report.programs:
        headers, rows = _table_rows(stats)
        lines += [f"### {stats.program_label}（{stats.year}年度）", "", "| " + " | ".join(headers) + " |",
                  "|" + "---|" * len(headers)]
        lines += ["| " + " | ".join(row) + " |" for row in rows]
        lines.append("")
    return "\n".join(lines)


def render_docx(report: AnnualReport) -> bytes:
    document = Document()
    style = document.styles["Normal"]
    style.font.size = Pt(12)
    document.add_heading(title(report.summary), level=1)
    for text in paragraphs(report.summary):
        document.add_paragraph(text)
    if report.programs:
        document.add_heading("附表：各培育项目办理情况", level=2)
    for stats in report.programs:
        headers, rows = _table_rows(stats)
        document.add_heading(f"{stats.program_label}（{stats.year}年度）", level=3)
        table = document.add_table(rows=1, cols=len(headers))
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, headers, strict=True):
            cell.text = text
        for row in rows:
            for cell, text in zip(table.add_row().cells, row, strict=True):
                cell.text = text
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
