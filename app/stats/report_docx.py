"""The annual summary as a Word document laid out after GB/T 9704-2012 (党政机关公文格式).

A4 with the standard margins (top 37 mm, bottom 35 mm, left 28 mm, right 26 mm); title in 2号
方正小标宋简体, centred; first-level headings 3号黑体, second-level 3号楷体_GB2312, body 3号仿宋_GB2312 at a
fixed 28 pt line, first lines indented two characters; page numbers "— 1 —" in 4号宋体 at the foot; the
issuing office and the date (成文日期) closing the text on the right. Headings are the document's own
styles (with outline levels for the navigation pane), black, never Word's blue "Heading" styles.

Each Chinese font names its fallback in the font table (``w:altName``), so a computer without the
GB2312 fonts shows 仿宋/楷体 rather than whatever Word picks.
"""

from __future__ import annotations

import io
import re

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.opc.part import Part
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.styles.style import ParagraphStyle
from docx.text.paragraph import Paragraph

from app.stats.report import AnnualReport, date_text, lead, program_tables, sections, target_table, title

LATIN = "Times New Roman"
# (font, fallback when it is not installed)
TITLE_FONT = ("方正小标宋简体", "华文中宋")
HEADING_FONT = ("黑体", "SimHei")
SUBHEADING_FONT = ("楷体_GB2312", "楷体")
BODY_FONT = ("仿宋_GB2312", "仿宋")
PAGE_FONT = ("宋体", "SimSun")
FALLBACKS = dict([TITLE_FONT, HEADING_FONT, SUBHEADING_FONT, BODY_FONT, PAGE_FONT])

SIZE_2 = Pt(22)  # 二号
SIZE_3 = Pt(16)  # 三号
SIZE_4 = Pt(14)  # 四号
SIZE_TABLE = Pt(12)  # 小四
LINE = Pt(28)
BLACK = RGBColor(0, 0, 0)


def _set_fonts(element: object, east_asian: str) -> None:
    """Latin text in Times New Roman, Chinese in ``east_asian``; theme fonts removed (they would win)."""
    rpr = element.get_or_add_rPr()  # type: ignore[attr-defined]
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)
    for attribute, name in (("w:ascii", LATIN), ("w:hAnsi", LATIN), ("w:cs", LATIN), ("w:eastAsia", east_asian)):
        fonts.set(qn(attribute), name)


def _style(document: DocumentObject, name: str, font: str, size: Pt, *, bold: bool = False,
           align: int | None = None, indent: bool = False, outline: int | None = None) -> ParagraphStyle:
    style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    assert isinstance(style, ParagraphStyle)
    style.base_style = document.styles["Normal"]
    style.quick_style = True
    style.font.size, style.font.bold, style.font.color.rgb = size, bold, BLACK
    _set_fonts(style.element, font)
    paragraph = style.paragraph_format
    paragraph.line_spacing_rule, paragraph.line_spacing = WD_LINE_SPACING.EXACTLY, LINE
    paragraph.space_before = paragraph.space_after = Pt(0)
    paragraph.first_line_indent = Pt(size.pt * 2) if indent else Pt(0)
    if align is not None:
        paragraph.alignment = align
    if outline is not None:
        # A heading never ends a page: it moves to the next with the paragraph it introduces.
        paragraph.keep_with_next = True
        level = OxmlElement("w:outlineLvl")
        level.set(qn("w:val"), str(outline))
        style.element.get_or_add_pPr().append(level)
    return style


def _page(document: DocumentObject) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    # Page numbers as GB/T 9704 places them: odd pages at the right, even pages at the left, one character in.
    document.settings.odd_and_even_pages_header_footer = True
    odd, even = section.footer.paragraphs[0], section.even_page_footer.paragraphs[0]
    odd.alignment, odd.paragraph_format.right_indent = WD_ALIGN_PARAGRAPH.RIGHT, SIZE_4
    even.alignment, even.paragraph_format.left_indent = WD_ALIGN_PARAGRAPH.LEFT, SIZE_4
    for footer in (odd, even):
        _page_number(footer)


def _page_number(footer: Paragraph) -> None:
    """``— 7 —`` in 4号宋体."""
    footer.add_run("— ")
    run = footer.add_run()
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        if kind:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
        else:
            node = OxmlElement("w:instrText" if text == " PAGE " else "w:t")
            node.set(qn("xml:space"), "preserve")
            node.text = text
            run._r.append(node)
    footer.add_run(" —")
    for r in footer.runs:
        r.font.size, r.font.color.rgb = SIZE_4, BLACK
        _set_fonts(r._r, PAGE_FONT[0])


def _font_table(document: DocumentObject) -> None:
    """Name each Chinese font's fallback (w:altName) in word/fontTable.xml."""
    part = next((p for p in document.part.package.iter_parts() if str(p.partname) == "/word/fontTable.xml"), None)
    if not isinstance(part, Part):
        return
    xml = part.blob.decode("utf-8")
    entries = "".join(f'<w:font w:name="{name}"><w:altName w:val="{alt}"/><w:charset w:val="86"/>'
                      f'<w:family w:val="auto"/><w:pitch w:val="variable"/></w:font>'
                      for name, alt in FALLBACKS.items() if f'w:name="{name}"' not in xml)
    xml = re.sub(r"</w:fonts>\s*$", entries + "</w:fonts>", xml)
    part._blob = xml.encode("utf-8")


def _closing(document: DocumentObject, report: AnnualReport, body: ParagraphStyle) -> None:
    document.add_paragraph("", style=body)
    for text in (report.issuer, date_text(report.dated or report.summary.as_of)):
        paragraph = document.add_paragraph(text, style=body)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        paragraph.paragraph_format.first_line_indent = Pt(0)
        paragraph.paragraph_format.right_indent = Pt(SIZE_3.pt * 4)  # 右空四字


def _table(document: DocumentObject, caption: str, headers: list[str], rows: list[list[str]],
           styles: dict[str, ParagraphStyle]) -> None:
    # The caption stays with its table, and a short table on one page: a caption at the foot of a page
    # with its table on the next, or a header row alone, is what a reader of the printout objects to.
    document.add_paragraph(caption, style=styles["subheading"]).paragraph_format.keep_with_next = True
    table = document.add_table(rows=1, cols=len(headers))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _repeat_header(table.rows[0])
    lines = [(table.rows[0].cells, headers, True)] + [(table.add_row().cells, row, False) for row in rows]
    for number, (cells, texts, bold) in enumerate(lines, start=1):
        for cell, text in zip(cells, texts, strict=True):
            paragraph: Paragraph = cell.paragraphs[0]
            paragraph.style = styles["cell"]
            paragraph.paragraph_format.keep_with_next = number < len(lines)
            # A unit goes on its own line in a header rather than wherever the column breaks it.
            name, unit = (text.split("(", 1) + [""])[:2] if bold else (text, "")
            run = paragraph.add_run(name)
            run.font.bold = bold
            if unit:
                run.add_break()
                paragraph.add_run(f"（{unit.rstrip(')')}）").font.bold = bold


def _repeat_header(row: object) -> None:
    """The header row repeats on each page and no row splits across pages."""
    properties = row._tr.get_or_add_trPr()  # type: ignore[attr-defined]
    for tag in ("w:tblHeader", "w:cantSplit"):
        element = OxmlElement(tag)
        element.set(qn("w:val"), "true")
        properties.append(element)


def render(report: AnnualReport) -> bytes:
    document = Document()
    normal = document.styles["Normal"]
    normal.font.size, normal.font.color.rgb = SIZE_3, BLACK
    _set_fonts(normal.element, BODY_FONT[0])
    _page(document)
    _font_table(document)
    styles = {
        "title": _style(document, "公文标题", TITLE_FONT[0], SIZE_2, align=WD_ALIGN_PARAGRAPH.CENTER, outline=0),
        "heading": _style(document, "一级标题", HEADING_FONT[0], SIZE_3, indent=True, outline=1),
        "subheading": _style(document, "二级标题", SUBHEADING_FONT[0], SIZE_3, indent=True, outline=2),
        "body": _style(document, "公文正文", BODY_FONT[0], SIZE_3, indent=True,
                       align=WD_ALIGN_PARAGRAPH.JUSTIFY),
        "cell": _style(document, "表格文字", BODY_FONT[0], SIZE_TABLE, align=WD_ALIGN_PARAGRAPH.CENTER),
    }
    styles["cell"].paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    summary = report.summary
    document.add_paragraph(title(summary, report.issuer), style=styles["title"])
    document.add_paragraph("", style=styles["body"])
    document.add_paragraph(lead(summary), style=styles["body"])
    for section in sections(summary):
        document.add_paragraph(section.heading, style=styles["heading" if section.level == 1 else "subheading"])
        for text in section.paragraphs:
            document.add_paragraph(text, style=styles["body"])
    tables = [t for t in [target_table(summary)] if t] + program_tables(report.programs)
    if tables:
        document.add_paragraph("二、附表", style=styles["heading"])
    for table in tables:
        _table(document, table.caption, table.headers, table.rows, styles)
    _closing(document, report, styles["body"])
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
