"""The annual report's wording: units by size, growth phrases, 未录入, a year in progress, and a 公文-style
DOCX that reads back."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from decimal import Decimal
from typing import Any

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from app.indicators.enums import FigureUnit
from app.stats.report import (
    AnnualReport,
    amount,
    growth,
    large_amount,
    paragraphs,
    program_tables,
    render_docx,
    render_markdown,
    wan,
    yi,
)
from app.stats.schemas import (
    AnnualSummary,
    CountFigure,
    Figure,
    MoneyFigure,
    PipelineGroup,
    PipelineStats,
    PlatformCount,
    StageCount,
)
from app.stats.service import RECORD_UNITS


def _count(value: int, previous: int = 0) -> CountFigure:
    return CountFigure.of(value, previous)


def _money(value: str, previous: str = "0") -> MoneyFigure:
    return MoneyFigure.of(Decimal(value), Decimal(previous))


def _none(name: str) -> Figure:
    return Figure.of(None, None, RECORD_UNITS[name])


def summary(**overrides: Any) -> AnnualSummary:
    values: dict[str, Any] = {name: _none(name) for name in RECORD_UNITS}
    values.update(
        year=2026, as_of=dt.date(2026, 12, 31), enterprises=_count(2100, 2000),
        tech_sme_registered=_count(312, 280), high_tech_recommended=_count(45, 40),
        high_tech_newly_recognized=_count(31, 29), high_tech_renewed=_count(12, 10), high_tech_valid=_count(118, 104),
        rd_expense_above_scale=_money("1234567890.00", "1100000000.00"),
        high_tech_income=_money("5678901234.56", "5678901234.56"),
        rd_subsidy_firms=_count(27, 20), rd_subsidy_approved=_money("12345678.90"),
        rd_subsidy_disbursed=_money("10000000.00"), loans_disbursed=_count(64, 50),
        loan_amount_disbursed=_money("147000000.00", "100000000.00"), loan_firms=_count(58, 47),
        visits=_count(860, 700), firms_visited=_count(412, 380), demands_raised=_count(133, 120),
        demands_resolved=_count(120, 100), demands_resolved_on_time=_count(111, 90),
        publicity_events=_count(24, 20), publicity_headcount=_count(1830, 1500), firms_reached=_count(655, 600),
        high_tech_net_growth=Figure.of(14, 10, FigureUnit.firms), platforms=[],
    )
    values.update(overrides)
    return AnnualSummary(**values)


def program_table() -> PipelineStats:
    return PipelineStats(program="rd_subsidy", program_label="研发财政奖补", year=2026, group_by=None, groups=[
        PipelineGroup(key=None, label=None, total=27, stages=[
            StageCount(stage="submitted", label="已申报", count=0, amount_approved=Decimal(0),
                       amount_disbursed=Decimal(0)),
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

    @pytest.mark.parametrize(("yuan", "expected"), [
        ("147000000.00", "1.47亿元"), ("99999999.99", "1.00亿元"), ("99994999.99", "9999.50万元"),
        ("3500000.00", "350.00万元"), ("10000.00", "1.00万元"), ("8000.00", "8000.00元"),
    ])
    def test_the_unit_follows_the_size(self, yuan: str, expected: str) -> None:
        assert amount(Decimal(yuan)) == expected
        assert large_amount(Decimal(yuan)) == expected


class TestGrowth:
    def test_up_down_flat_and_unknown(self) -> None:
        assert growth(_count(110, 100)) == "同比增长10.00%"
        assert growth(_count(90, 100)) == "同比下降10.00%"
        assert growth(_count(100, 100)) == "与上年持平"
        assert growth(_count(5, 0)) == ""
        assert growth(Figure.of(5, None, FigureUnit.items)) == ""

    def test_in_progress_compares_with_the_same_period(self) -> None:
        assert growth(_count(110, 100), in_progress=True) == "较上年同期增长10.00%"

    def test_rate_is_rounded_half_up(self) -> None:
        assert _count(2, 3).change_percent == Decimal("-33.33")
        assert _count(1, 8).change_percent == Decimal("-87.50")


class TestParagraphs:
    def test_every_figure_is_filled_in_the_bureaus_phrasing(self) -> None:
        text = "\n".join(paragraphs(summary()))
        assert "完成科技型中小企业入库312家，同比增长11.43%" in text
        assert "全区高企推荐45家，新认定高新技术企业31家，同比增长6.90%" in text
        assert "有效高企总数达118家，同比增长13.46%，净增14家，同比增长40.00%" in text
        assert "在库规上企业研发投入12.35亿元，同比增长12.23%" in text
        assert "高新技术产品收入56.79亿元，与上年持平" in text
        assert "27家企业争取研发财政奖补资金1234.57万元，已拨付1000.00万元" in text
        # The example: loans of 14,700万元 are 1.47亿元.
        assert "发放科技贷款64笔、1.47亿元，同比增长47.00%，惠及企业58家" in text
        assert ("走访企业412家、860次，同比增长22.86%，收集诉求133件，同比增长10.83%，"
                "解决诉求120件（按期解决111件）") in text
        assert "开展政策宣讲24场，同比增长20.00%，覆盖企业655家、1830人次" in text
        assert "统计口径：2026年1月1日至12月31日" in text

    def test_figures_without_data_say_so(self) -> None:
        text = "\n".join(paragraphs(summary()))
        assert "技术合同登记未录入；产学研合作协议未录入。" in text
        assert "全区高新技术产业增加值未录入" in text
        assert "创新平台认定情况未录入。" in text
        assert "科技特派员工作未录入。" in text
        assert "0亿元" not in text

    def test_a_net_fall_of_high_tech_firms(self) -> None:
        text = paragraphs(summary(high_tech_net_growth=Figure.of(-3, 2, FigureUnit.firms)))[1]
        assert "净减少3家" in text

    def test_a_year_in_progress_is_counted_to_its_day(self) -> None:
        text = "\n".join(paragraphs(summary(as_of=dt.date(2026, 11, 15), in_progress=True)))
        assert "统计口径：2026年1月1日至11月15日，增长率与上年同期比较" in text
        assert "完成科技型中小企业入库312家，较上年同期增长11.43%" in text
        assert "1月1日至12月31日" not in text

    def test_platforms_and_targets(self) -> None:
        platforms = [PlatformCount(kind="key_laboratory", kind_label="重点实验室", level="provincial",
                                   level_label="省级", recognised=1, standing=1, first_at_level=True)]
        recognised = Figure.of(1, 0, FigureUnit.firms).model_copy(update={"target": Decimal(1),
                                                                    "completion_percent": Decimal("100.00")})
        text = "\n".join(paragraphs(summary(platforms=platforms, platforms_recognized=recognised)))
        assert ("新认定各类创新平台1家，完成年度目标（1家）的100.00%，其中省级重点实验室1家，"
                "实现省级重点实验室零的突破") in text
        assert "全年1项考核指标全部完成，圆满完成各项考核任务" in text

    def test_targets_not_met_are_named(self) -> None:
        missed = Figure.of(1, 0, FigureUnit.firms).model_copy(update={"target": Decimal(3),
                                                                 "completion_percent": Decimal("33.33")})
        assert "全年1项考核指标（新认定创新平台）未完成。" in paragraphs(summary(platforms_recognized=missed))[0]
        in_progress = summary(platforms_recognized=missed, as_of=dt.date(2026, 11, 15), in_progress=True)
        assert "截至11月15日，1项考核指标（新认定创新平台）尚在推进。" in paragraphs(in_progress)[0]

    def test_a_year_without_annual_figures_says_so_instead_of_a_fall(self) -> None:
        empty = summary(rd_expense_above_scale=_money("0", "1100000000.00"),
                        high_tech_income=_money("0", "5678901234.56"))
        text = "\n".join(paragraphs(empty))
        # Named once together, not one 未录入 after another.
        assert "规上企业研发投入、高新技术产品收入未录入。" in text
        assert text.count("未录入") == 5
        assert "下降100" not in text


class TestTables:
    def test_only_stages_holding_records_and_amounts_that_exist(self) -> None:
        empty = PipelineStats(program="tech_sme", program_label="科技型中小企业评价入库", year=2026, group_by=None,
                              groups=[PipelineGroup(key=None, label=None, total=0, stages=[
                                  StageCount(stage="draft", label="草稿", count=0)])])
        tables = program_tables([program_table(), empty])
        assert [t.caption for t in tables] == ["研发财政奖补（2026年度）"]
        assert tables[0].headers == ["阶段", "数量", "核定金额(万元)", "拨付/放款金额(万元)"]
        assert [row[0] for row in tables[0].rows] == ["已核定", "已拨付"]


def _report(**overrides: Any) -> AnnualReport:
    return AnnualReport(summary=summary(**overrides), programs=[program_table()], issuer="武陵区科学技术局",
                        dated=dt.date(2027, 1, 10))


class TestRendering:
    def test_markdown(self) -> None:
        markdown = render_markdown(_report())
        assert markdown.startswith("# 武陵区科学技术局2026年度科技创新工作总结\n")
        assert "### （一）科技型企业梯次培育" in markdown
        assert "### 研发财政奖补（2026年度）" in markdown
        assert "| 已拨付 | 20 | 1000.00 | 1000.00 |" in markdown
        assert markdown.rstrip().endswith("武陵区科学技术局\n2027年1月10日")

    def test_docx_follows_the_official_layout(self) -> None:
        content = render_docx(_report())
        document = Document(io.BytesIO(content))
        paragraphs_ = document.paragraphs
        assert paragraphs_[0].text == "武陵区科学技术局2026年度科技创新工作总结"
        assert paragraphs_[0].style.name == "公文标题"
        assert paragraphs_[0].style.font.size == Pt(22)
        section = document.sections[0]
        margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
        assert [round(m.mm) for m in margins if m is not None] == [37, 35, 28, 26]
        assert section.page_width is not None
        assert round(section.page_width.mm) == 210
        by_style = {p.style.name: p for p in paragraphs_}
        assert by_style["一级标题"].text in ("一、主要工作成效", "二、附表")
        assert any(p.text == "（一）科技型企业梯次培育" and p.style.name == "二级标题" for p in paragraphs_)
        assert any("发放科技贷款64笔、1.47亿元" in p.text and p.style.name == "公文正文" for p in paragraphs_)
        assert [p.text for p in paragraphs_[-2:]] == ["武陵区科学技术局", "2027年1月10日"]
        assert not any(p.style.name.startswith("Heading") for p in paragraphs_)
        table = document.tables[0]
        # A header's unit on a line of its own; the header row repeats on a new page.
        assert [c.text for c in table.rows[0].cells] == ["阶段", "数量", "核定金额\n（万元）",
                                                         "拨付/放款金额\n（万元）"]
        assert 'w:tblHeader w:val="true"' in table.rows[0]._tr.xml

        files = zipfile.ZipFile(io.BytesIO(content))
        styles = files.read("word/styles.xml").decode()
        for font in ("方正小标宋简体", "黑体", "楷体_GB2312", "仿宋_GB2312"):
            assert f'w:eastAsia="{font}"' in styles
        fonts = files.read("word/fontTable.xml").decode()
        assert '<w:font w:name="仿宋_GB2312"><w:altName w:val="仿宋"/>' in fonts
        # Odd pages numbered at the right, even pages at the left (GB/T 9704).
        assert document.settings.odd_and_even_pages_header_footer
        section = document.sections[0]
        assert section.footer.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT
        assert section.even_page_footer.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.LEFT
        for name in ("word/footer1.xml", "word/footer2.xml"):
            footer = files.read(name).decode()
            assert "PAGE" in footer
            assert "— " in footer
        for name in ("一级标题", "二级标题"):
            assert document.styles[name].paragraph_format.keep_with_next
        # Our styles are black; no heading of Word's template (blue) is used.
        for name in ("公文标题", "一级标题", "二级标题", "公文正文"):
            assert document.styles[name].font.color.rgb == (0, 0, 0)


class TestRates:
    def test_a_rate_changes_by_percentage_points(self) -> None:
        intensity = Figure.of(Decimal("2.51"), Decimal("2.24"), FigureUnit.percent)
        text = "\n".join(paragraphs(summary(rd_intensity=intensity)))
        assert "全社会研发经费投入强度达2.51%，较上年提高0.27个百分点" in text
