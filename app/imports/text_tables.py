"""CSV and tab-separated text, in UTF-8, UTF-8 with BOM or GBK/GB18030, read one row at a time.

The encoding is detected, never guessed loosely: strict UTF-8 first, then strict GB18030 (a superset of
GBK, what Excel on Chinese Windows writes). Text that decodes but holds control, private-use or unassigned
characters is refused, so a wrong guess ends in a clear error instead of mojibake in the registry.
"""

from __future__ import annotations

import codecs
import csv
import io
import unicodedata
from collections.abc import Iterator
from typing import IO

from app.imports.reading import CHUNK, Cell, Table, file_problem, row_limit
from app.messages import Text

_UTF8_BOM = codecs.BOM_UTF8
_BAD_CATEGORIES = {"Cc", "Co", "Cs", "Cn"}


def _text_problem(text: str) -> str | None:
    for ch in text:
        if ch in "\r\n\t":
            continue
        category = unicodedata.category(ch)
        if category in _BAD_CATEGORIES or ch == "\ufffd":
            return f"character U+{ord(ch):04X}"
    return None


def _decodes_cleanly(stream: IO[bytes], encoding: str) -> tuple[bool, str | None]:
    """(decodes?, problem): whether the whole stream decodes strictly, and any unprintable character."""
    stream.seek(0)
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    try:
        while chunk := stream.read(CHUNK):
            problem = _text_problem(decoder.decode(chunk))
            if problem:
                return True, problem
        return True, _text_problem(decoder.decode(b"", final=True))
    except UnicodeDecodeError:
        return False, None


def detect_encoding(stream: IO[bytes]) -> str:
    stream.seek(0)
    bom = stream.read(len(_UTF8_BOM)) == _UTF8_BOM
    for encoding in ("utf-8-sig" if bom else "utf-8", "gb18030"):
        decodes, problem = _decodes_cleanly(stream, encoding)
        if decodes and problem is None:
            return encoding
        if decodes:
            raise file_problem(Text(f"the file is not a spreadsheet: as {encoding.upper()} text it contains "
                                    f"{problem}, which no table holds",
                                    f"这不是表格文件：按 {encoding.upper()} 文本读取时含有表格中不会出现的字符"
                                    f"（{str(problem).replace('character', '字符')}）"), "not_text")
        if bom:
            break
    raise file_problem(Text("the file is neither an Excel workbook (.xlsx) nor CSV text in UTF-8 or GBK/GB18030: "
                            "save it from Excel or WPS as .xlsx or 'CSV UTF-8'",
                            "文件既不是 Excel 工作簿（.xlsx），也不是 UTF-8 或 GBK/GB18030 编码的 CSV 文本："
                            "请用 Excel 或 WPS 另存为 .xlsx 或“CSV UTF-8”"), "unknown_encoding")


def read_csv(stream: IO[bytes]) -> Table:
    encoding = detect_encoding(stream)
    stream.seek(0)
    text = io.TextIOWrapper(stream, encoding=encoding, newline="")
    first_line = text.readline()
    text.seek(0)
    # Excel's "text (tab-separated)" export is as common in offices as the comma one.
    delimiter = "\t" if first_line.count("\t") > first_line.count(",") else ","
    reader = csv.reader(text, delimiter=delimiter)

    def rows() -> Iterator[tuple[int, list[Cell]]]:
        try:
            for number, values in enumerate(reader, start=1):
                row_limit(number)
                yield number, list(values)
        except csv.Error as exc:
            raise file_problem(Text(f"the CSV file is malformed near row {reader.line_num}: {exc}",
                                    f"CSV 文件在第 {reader.line_num} 行附近格式有误：{exc}"), "malformed_csv") from exc

    return Table(format="csv", encoding=encoding, rows=rows(), _close=[text.detach])
