"""Turn an uploaded file into a stream of rows: ``.xlsx`` through openpyxl's read-only mode, CSV in UTF-8,
UTF-8 with BOM or GBK/GB18030. Rows are read one at a time; the file is never held in memory whole.

The encoding is detected, never guessed loosely: strict UTF-8 first, then strict GB18030 (a superset of
GBK, what Excel on Chinese Windows writes). Text that decodes but holds control, private-use or unassigned
characters is refused, so a wrong guess ends in a clear error instead of mojibake in the registry.
"""

from __future__ import annotations

import codecs
import csv
import io
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from app.errors import InvalidInput

CHUNK = 64 * 1024
MAX_ROWS = 100_000
_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0"  # Excel 97–2003 .xls (and old .doc)
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_UTF8_BOM = codecs.BOM_UTF8
_BAD_CATEGORIES = {"Cc", "Co", "Cs", "Cn"}

Cell = Any
"""A cell as the reader gives it: ``str``, ``int``, ``float``, ``bool``, ``datetime``, ``date`` or ``None``."""


def file_problem(msg: str, type_: str = "unreadable_file") -> InvalidInput:
    return InvalidInput.at(["body", "file"], msg, type_)


@dataclass
class Table:
    """The rows of one sheet, numbered as the spreadsheet numbers them (1 = first row)."""

    format: str
    encoding: str | None
    rows: Iterator[tuple[int, list[Cell]]]
    _close: list[Any] = field(default_factory=list)

    def close(self) -> None:
        for closer in self._close:
            closer()


def open_table(stream: IO[bytes], file_name: str) -> Table:
    """Recognise the file by its content (the name may lie) and start reading it."""
    stream.seek(0)
    head = stream.read(8)
    stream.seek(0)
    if not head:
        raise file_problem("the file is empty", "empty_file")
    if head.startswith(_ZIP):
        return _xlsx(stream)
    if head.startswith(_OLE):
        raise file_problem("this is an old Excel 97–2003 (.xls) or a password-protected workbook: open it in "
                           "Excel or WPS and save it, without a password, as .xlsx (Excel 工作簿) or CSV",
                           "unsupported_format")
    if head.startswith(_UTF16_BOMS):
        raise file_problem("this text file is saved as UTF-16 ('Unicode text'): save it as .xlsx or as "
                           "'CSV UTF-8 (逗号分隔)'", "unsupported_encoding")
    if file_name.lower().endswith((".xlsx", ".xlsm")):
        raise file_problem("the file is named .xlsx but is not an Excel workbook", "unsupported_format")
    return _csv(stream)


# --- xlsx -----------------------------------------------------------------------------------------


def _xlsx(stream: IO[bytes]) -> Table:
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(stream, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError) as exc:
        raise file_problem("the file is a ZIP archive but not a readable Excel workbook (.xlsx)",
                           "unsupported_format") from exc
    except Exception as exc:  # openpyxl raises its own and lxml's errors for damaged workbooks
        raise file_problem("the Excel workbook is damaged and cannot be read", "unsupported_format") from exc
    if not workbook.worksheets:
        workbook.close()
        raise file_problem("the workbook has no worksheet", "empty_file")
    sheet = workbook.worksheets[0]
    # Some programs write a wrong <dimension>; without resetting it openpyxl would stop reading early.
    sheet.reset_dimensions()

    def rows() -> Iterator[tuple[int, list[Cell]]]:
        try:
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                _limit(number)
                yield number, list(values)
        except InvalidInput:
            raise
        except Exception as exc:
            raise file_problem("the Excel workbook is damaged and cannot be read to the end",
                               "unsupported_format") from exc

    return Table(format="xlsx", encoding=None, rows=rows(), _close=[workbook.close])


def _limit(number: int) -> None:
    if number > MAX_ROWS + 1:
        raise file_problem(f"the file has more than {MAX_ROWS:,} rows: split it into several files", "too_many_rows")


# --- csv ------------------------------------------------------------------------------------------


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
            raise file_problem(f"the file is not a spreadsheet: as {encoding.upper()} text it contains {problem}, "
                               "which no table holds", "not_text")
        if bom:
            break
    raise file_problem("the file is neither an Excel workbook (.xlsx) nor CSV text in UTF-8 or GBK/GB18030: "
                       "save it from Excel or WPS as .xlsx or 'CSV UTF-8'", "unknown_encoding")


def _csv(stream: IO[bytes]) -> Table:
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
                _limit(number)
                yield number, list(values)
        except csv.Error as exc:
            raise file_problem(f"the CSV file is malformed near row {reader.line_num}: {exc}", "malformed_csv") from exc

    return Table(format="csv", encoding=encoding, rows=rows(), _close=[text.detach])
