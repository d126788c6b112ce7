"""The annual report's wording: units, rounding, growth phrases, and a DOCX that reads back."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from docx import Document

from app.stats.report import AnnualReport, growth, large_amount, paragraphs, render_docx, render_markdown, wan, yi
from app.stats.schemas import AnnualSummary, CountFigure, MoneyFigure, PipelineGroup, PipelineStats, StageCount


def _count(value: int, previous: int = 0) -> CountFigure:
    return CountFigure.of(value, previous)


def _money(value: str, previous: str = "0") -> MoneyFigure:
    return MoneyFigure.of(Decimal(value), Decimal(previous))


def summary() -> AnnualSummary:
    return AnnualSummary(
        year=2026, as_of=dt.date(2026, 12, 31), enterprises=_count(2100, 2000),
        tech_sme_registered=_count(312, 280), high_tech_recommended=_count(45, 40),
        high_tech_newly_recognized=_count(31, 29), high_tech_renewed=_count(12, 10), high_tech_valid=_count(118, 104),
        rd_expense_above_scale=_money("1234567890.00", "1100000000.00"),
        high_tech_income=_money("5678901234.56", "5678901234.56"),
        rd_subsidy_firms=_count(27, 20), rd_subsidy_approved=_money("12345678.90"),
        rd_subsidy_disbursed=_money("10000000.00"), loans_disbursed=_count(64, 50),
        loan_amount_disbursed=_money("98765432.10", "100000000.00"), loan_firms=_count(58, 47),
        visits=_count(860, 700), firms_visited=_count(412, 380), demands_raised=_count(133, 120),
        demands_resolved=_count(120, 100), demands_resolved_on_time=_count(111, 90),
        publicity_events=_count(24, 20), publicity_headcount=_count(1830, 1500), firms_reached=_count(655, 600),
    )


def program_table() -> PipelineStats:
    return PipelineStats(program="rd_subsidy", program_label="研发财政奖补", year=2026, group_by=None, groups=[
        PipelineGroup(key=None, label=None, total=30, stages=[
            StageCount(stage="approved", label="已核定", count=7, amount_approved=Decimal("2345678.90"),
                       amount_disbursed=Decimal(0)),
            StageCount(stage="disbursed", label="已拨付", count=20, amount_approved=Decimal("10000000.00"),
                       amount_disbursed=Decimal("10000000.00")),
        ]),
    ])


class TestUnits:
    @pytest.mark.parametrize(("yuan", "expected"), [
        ("12345678.90", "1234.57"), ("0.00", "0.00"), ("49.99", "0.00"), ("50.00", "0.01"),
    ])
    def test_wan_rounds_half_up_to_two_places(self, yuan: str, expected: str) -> None:
        assert wan(Decimal(yuan)) == expected

    def test_yi(self) -> None:
        assert yi(Decimal("1234567890")) == "12.35"

    def test_large_amounts_switch_to_yi_at_one_yi(self) -> None:
        assert large_amount(Decimal("99999999.99")) == "10000.00万元"
        assert large_amount(Decimal("100000000")) == "1.00亿元"


class TestGrowth:
    def test_up_down_flat_and_unknown(self) -> None:
        assert growth(_count(110, 100)) == "增长10.00%"
        assert growth(_count(90, 100)) == "下降10.00%"
        assert growth(_count(100, 100)) == "与上年持平"
        assert growth(_count(5, 0)) == ""

    def test_rate_is_rounded_half_up(self) -> None:
        assert _count(2, 3).change_percent == Decimal("-33.33")
        assert _count(1, 8).change_percent == Decimal("-87.50")


class TestParagraphs:
    def test_every_figure_is_filled_in_the_bureaus_phrasing(self) -> None:
        text = "\n".join(paragraphs(summary()))
        assert "完成科技型中小企业入库312家，增长11.43%" in text
        assert "全区高企推荐45家，新认定高新技术企业31家" in text
        assert "全年有效高企总数达118家，增长13.46%" in text
        assert "完成规上企业研发投入12.35亿元，增长12.23%" in text
        assert "高新技术产品收入56.79亿元，与上年持平" in text
        assert "27家企业争取研发财政奖补资金1234.57万元，已拨付1000.00万元" in text
        assert "发放科技贷款64笔、9876.54万元，下降1.23%，惠及企业58家" in text
        assert "走访企业412家、860次，收集诉求133件，解决诉求120件（按期解决111件）" in text
        assert "开展政策宣讲24场，覆盖企业655家、1830人次" in text
        assert "有效高企数截至2026年12月31日" in text


class TestRendering:
    def test_markdown_has_heading_paragraphs_and_a_table_per_program(self) -> None:
        markdown = render_markdown(AnnualReport(summary=summary(), programs=[program_table()]))
        assert markdown.startswith("# 2026年度科技企业培育工作主要成效\n")
        assert "### 研发财政奖补（2026年度）" in markdown
        assert "| 已拨付 | 20 | 1000.00 | 1000.00 |" in markdown
        assert "amount_requested" not in markdown
        assert "申请金额" not in markdown  # the program's stages carry no requested amounts

    def test_docx_reads_back_with_the_figures(self) -> None:
        content = render_docx(AnnualReport(summary=summary(), programs=[program_table()]))
        document = Document(io.BytesIO(content))
        texts = [p.text for p in document.paragraphs]
        assert texts[0] == "2026年度科技企业培育工作主要成效"
        assert any("完成科技型中小企业入库312家" in t for t in texts)
        assert any("开展政策宣讲24场" in t for t in texts)
        table = document.tables[0]
        assert [c.text for c in table.rows[0].cells] == ["阶段", "数量", "核定金额(万元)", "拨付/放款金额(万元)"]
        assert [c.text for c in table.rows[2].cells] == ["已拨付", "20", "1000.00", "1000.00"]


class TestFiguresNotYetEntered:
    def test_a_year_without_annual_figures_says_so_instead_of_a_fall(self) -> None:
        empty = summary().model_copy(update={"rd_expense_above_scale": _money("0", "1100000000.00"),
                                             "high_tech_income": _money("0", "5678901234.56")})
        text = paragraphs(empty)[2]
        assert text == "二、企业研发投入。2026年度企业经营数据尚未录入。"
