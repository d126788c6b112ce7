"""The downloadable ``.xlsx`` template of an import kind: headers on the first sheet, help on the second."""

from __future__ import annotations

import io

from app.imports import cells
from app.imports.kinds import ImportKind

XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
def build_template(kind: ImportKind) -> bytes:
    # openpyxl is loaded by the first template, not by every worker at start.
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    bold, required = Font(bold=True), PatternFill("solid", fgColor="FFF2CC")
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = kind.title[:31]
    for index, column in enumerate(kind.columns, start=1):
        cell = sheet.cell(row=1, column=index, value=column.header)
        cell.font = bold
        if column.required:
            cell.fill = required
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = max(12, 2 * len(column.header) + 4)
        if column.parse in (cells.credit_code, cells.text):
            # Text format keeps Excel from turning codes into numbers and dropping digits.
            sheet.column_dimensions[letter].number_format = "@"
        elif column.parse is cells.date:
            sheet.column_dimensions[letter].number_format = "yyyy-mm-dd"
    sheet.freeze_panes = "A2"

    help_sheet = workbook.create_sheet("填写说明")
    help_sheet.append(["列名", "字段 (field)", "必填", "说明", "示例", "也可写作"])
    for cell in help_sheet[1]:
        cell.font = bold
    for column in kind.columns:
        help_sheet.append([column.header, column.field, "是" if column.required else "", column.description,
                           column.example, "、".join(column.aliases)])
    for letter, width in zip("ABCDEF", (18, 22, 6, 60, 24, 40), strict=True):
        help_sheet.column_dimensions[letter].width = width
    help_sheet.append([])
    help_sheet.append(["说明", "第一张表的第一行是列名，从第二行起每行一条记录；"
                               "列的顺序可以调整，空白单元格表示不修改已有数据。"])
    help_sheet.append(["金额", "单位为元，可写千分位（1,250,000）；写“万元”或在列名后注明（万元）时按万元换算。"])

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
