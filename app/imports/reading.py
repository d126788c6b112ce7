"""Turn an uploaded file into a stream of rows: ``.xlsx`` through calamine (or openpyxl's read-only mode), CSV
in UTF-8, UTF-8 with BOM or GBK/GB18030 (``text_tables``).

A workbook is scanned as bytes before any parser sees it (declared sizes, dimension, cell lengths, rows,
the area its cells span). calamine, about twenty times faster than openpyxl, then reads the first sheet
whole into a compact grid: it is used when that grid is small (``MAX_GRID_CELLS``, about the rows an import
plans before it writes). A sheet whose cells span
more — a few cells stretched across a huge area — is streamed by openpyxl row by row instead, as is a
workbook calamine cannot read. CSV is read one row at a time.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from app.errors import InvalidInput
from app.messages import Text

CHUNK = 64 * 1024
MAX_ROWS = 100_000
# Excel's own limit; a longer cell is not a spreadsheet someone typed.
MAX_CELL_CHARS = 32_767
# What an .xlsx of 100,000 ordinary rows unpacks to is far below these; a decompression bomb is far above.
MAX_UNPACKED_BYTES = 1024 * 1024 * 1024
MAX_SHEET_BYTES = 512 * 1024 * 1024
MAX_SHARED_STRINGS_BYTES = 64 * 1024 * 1024
# The longest run of XML between two tags a cell of MAX_CELL_CHARS may need (every character escaped).
_MAX_TEXT_RUN = MAX_CELL_CHARS * 6 + 1024
# Every row and cell tag, with its reference when it has one (b"" when not): one pass each over a sheet.
_ROW_NUMBER = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row(?=[\s/>])(?:[^>]*?\br=\"(\d{1,9})\")?")
_CELL_COLUMN = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c(?=[\s/>])(?:[^>]*?\br=\"([A-Z]{1,3})\d)?")
_ERROR_CELL = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c\s[^>]*?\bt=\"e\"")
_DIMENSION = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?dimension\s[^>]*ref=\"[A-Z]{1,3}\d+:([A-Z]{1,3})(\d+)\"")
MAX_COLUMNS = 1_000
# The largest sheet read whole by calamine: with its text, about 60 bytes a cell (10 MB here) for as long as the
# rows are read. 10,000 rows of 16 columns fit, so the grid of a file the import plans ahead whole is let go of
# before the write (whose page cache it would otherwise add to: 35,000 rows held 30 MB until the end, and such
# an import peaked 35 MiB above the same file streamed). A larger, wider or sparser sheet is streamed by
# openpyxl (reading is five to ten times slower; writing the rows takes longer still), so that memory stays
# bounded whatever the file.
MAX_GRID_CELLS = 160_000
_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0"  # Excel 97–2003 .xls (and old .doc)
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")

Cell = Any
"""A cell as the reader gives it: ``str``, ``int``, ``float``, ``bool``, ``datetime``, ``date`` or ``None``."""


NOT_A_WORKBOOK = Text("the file is a ZIP archive but not a readable Excel workbook (.xlsx)",
                      "文件是 ZIP 压缩包，但不是可读取的 Excel 工作簿（.xlsx）")
# How Excel packs the parts of a .xlsx; the ZIP flag bit of an encrypted part.
EXCEL_COMPRESSION = frozenset({zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED})
_ENCRYPTED = 0x1
DAMAGED = Text("the Excel workbook is damaged and cannot be read", "Excel 工作簿已损坏，无法读取")


def file_problem(msg: str, type_: str = "unreadable_file") -> InvalidInput:
    return InvalidInput.at(["body", "file"], msg, type_)


def _cell_too_long() -> Text:
    return Text(f"a cell holds more than {MAX_CELL_CHARS:,} characters, which no Excel cell can",
                f"有单元格超过 {MAX_CELL_CHARS:,} 个字符，Excel 单元格装不下这么多")


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
        raise file_problem(Text("the file is empty", "文件是空的"), "empty_file")
    if head.startswith(_ZIP):
        return _xlsx(stream)
    if head.startswith(_OLE):
        raise file_problem(Text("this is an old Excel 97–2003 (.xls) or a password-protected workbook: open it in "
                                "Excel or WPS and save it, without a password, as .xlsx (Excel 工作簿) or CSV",
                                "这是旧版 Excel 97–2003（.xls）文件或设有密码的工作簿：请用 Excel 或 WPS 打开，"
                                "去掉密码后另存为 .xlsx（Excel 工作簿）或 CSV"), "unsupported_format")
    if head.startswith(_UTF16_BOMS):
        raise file_problem(Text("this text file is saved as UTF-16 ('Unicode text'): save it as .xlsx or as "
                                "'CSV UTF-8 (逗号分隔)'",
                                "这个文本文件是 UTF-16（“Unicode 文本”）编码："
                                "请另存为 .xlsx 或“CSV UTF-8（逗号分隔）”"),
                           "unsupported_encoding")
    if file_name.lower().endswith((".xlsx", ".xlsm")):
        raise file_problem(Text("the file is named .xlsx but is not an Excel workbook",
                                "文件名是 .xlsx，但内容不是 Excel 工作簿"), "unsupported_format")
    from app.imports.text_tables import read_csv  # it builds on this module's Table and limits

    return read_csv(stream)


# --- xlsx -----------------------------------------------------------------------------------------


@dataclass
class _Extent:
    """What the scan saw of a workbook's sheets: the grid a reader that holds a sheet whole would build."""

    rows: int = 0  # the last row's number (or the count of rows when they are not numbered)
    columns: int = 0  # the last column's number
    # Cells without a reference (their place is only known by parsing) or holding an Excel error value,
    # such as #N/A (calamine reads it as empty, openpyxl as the text that the import then refuses).
    odd_cells: bool = False

    def grid_cells(self) -> int | None:
        return None if self.odd_cells else self.rows * self.columns


def _xlsx(stream: IO[bytes]) -> Table:
    try:
        archive = zipfile.ZipFile(stream)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise file_problem(NOT_A_WORKBOOK, "unsupported_format") from exc
    try:
        extent = _scan_workbook(archive)
        is_xlsx = any(info.filename.lower() == "xl/workbook.xml" for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, EOFError, zlib.error) as exc:
        raise file_problem(DAMAGED, "unsupported_format") from exc
    finally:
        archive.close()
    cells = extent.grid_cells()
    if is_xlsx and cells is not None and cells <= MAX_GRID_CELLS:
        table = _calamine(stream)
        if table is not None:
            return table
    return _openpyxl(stream)


def _calamine(stream: IO[bytes]) -> Table | None:
    """The first sheet read whole by calamine, or None when calamine cannot read the workbook (openpyxl then
    says what is wrong with it, or reads it)."""
    import python_calamine

    stream.seek(0)
    try:
        workbook = python_calamine.CalamineWorkbook.from_filelike(stream)
        if not workbook.sheet_names:
            raise file_problem(Text("the workbook has no worksheet", "工作簿中没有工作表"), "empty_file")
        sheet = workbook.get_sheet_by_index(0)
    except python_calamine.CalamineError:
        return None
    finally:
        stream.seek(0)
    # Rows start at the sheet's first row; columns at the first column holding a value.
    pad = [None] * sheet.start[1] if sheet.start else []

    def rows() -> Iterator[tuple[int, list[Cell]]]:
        for number, values in enumerate(sheet.iter_rows(), start=1):
            row_limit(number)
            yield number, pad + [_as_openpyxl(value) for value in values]

    return Table(format="xlsx", encoding=None, rows=rows(), _close=[workbook.close])


def _as_openpyxl(value: Cell) -> Cell:
    """A calamine cell as openpyxl gives it: empty is None, and a number Excel stores without a fraction is an
    int (Excel writes such numbers plainly up to 15 digits; longer ones, like a credit code typed as a number,
    stay float as openpyxl reads them)."""
    if value.__class__ is float:
        return int(value) if value.is_integer() and -1e15 < value < 1e15 else value
    if value.__class__ is str:
        if len(value) > MAX_CELL_CHARS:
            raise file_problem(_cell_too_long(), "cell_too_long")
        return value or None
    return value


def _letting_rows_go(iterparse: Any) -> Any:
    """openpyxl's ``iterparse`` (the stdlib's, or defusedxml's when installed) as its read-only sheet parser
    calls it, for the end of each element, except that a row, once openpyxl has taken its cells, is taken out
    of the sheet's tree: openpyxl empties the row but leaves it there, about 80 bytes a row for as long as the
    sheet is read (8 MB at 100,000 rows)."""
    from openpyxl.xml.constants import SHEET_MAIN_NS

    row_tag = f"{{{SHEET_MAIN_NS}}}row"

    def rows_let_go(source: Any) -> Iterator[tuple[str, Any]]:
        open_elements: list[Any] = []
        for event, element in iterparse(source, events=("start", "end")):
            if event == "start":
                open_elements.append(element)
                continue
            open_elements.pop()
            yield event, element
            if element.tag == row_tag and open_elements:
                open_elements[-1].remove(element)

    rows_let_go.lets_rows_go = True  # type: ignore[attr-defined]
    return rows_let_go


def _openpyxl(stream: IO[bytes]) -> Table:
    import openpyxl
    from openpyxl.worksheet import _reader
    from openpyxl.xml import functions

    if not getattr(_reader.iterparse, "lets_rows_go", False):  # type: ignore[attr-defined]
        # Of openpyxl's own iterparse, never of one already wrapped: two first imports at once wrap it alike.
        _reader.iterparse = _letting_rows_go(functions.iterparse)  # type: ignore[attr-defined]
    stream.seek(0)
    try:
        workbook = openpyxl.load_workbook(stream, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError) as exc:
        raise file_problem(NOT_A_WORKBOOK, "unsupported_format") from exc
    except Exception as exc:  # openpyxl raises its own and lxml's errors for damaged workbooks
        raise file_problem(DAMAGED, "unsupported_format") from exc
    if not workbook.worksheets:
        workbook.close()
        raise file_problem(Text("the workbook has no worksheet", "工作簿中没有工作表"), "empty_file")
    sheet = workbook.worksheets[0]
    # Some programs write a wrong <dimension>; without resetting it openpyxl would stop reading early.
    sheet.reset_dimensions()

    def rows() -> Iterator[tuple[int, list[Cell]]]:
        try:
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                row_limit(number)
                yield number, _cell_lengths(list(values))
        except InvalidInput:
            raise
        except Exception as exc:
            raise file_problem(Text("the Excel workbook is damaged and cannot be read to the end",
                                    "Excel 工作簿已损坏，无法读完"), "unsupported_format") from exc

    return Table(format="xlsx", encoding=None, rows=rows(), _close=[workbook.close])


def _scan_workbook(archive: zipfile.ZipFile) -> _Extent:
    """Everything checked before a parser opens the workbook: openpyxl parses every sheet without a
    <dimension> to its end just to learn that it has none, and holds all shared strings in memory. So each
    sheet (not only the first) must stay within MAX_ROWS rows, and no cell may be longer than Excel allows.
    Returns the largest grid of any sheet."""
    _check_declared_sizes(archive)
    extent = _Extent()
    for info in archive.infolist():
        name = info.filename.lower()
        if name.endswith("sharedstrings.xml"):
            _scan_xml(archive, info, None)
        elif "worksheets/" in name and name.endswith(".xml"):
            sheet = _Extent()
            _scan_xml(archive, info, sheet)
            extent.rows = max(extent.rows, sheet.rows)
            extent.columns = max(extent.columns, sheet.columns)
            extent.odd_cells = extent.odd_cells or sheet.odd_cells
    return extent


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):,.0f} MB"


def _check_declared_sizes(archive: zipfile.ZipFile) -> None:
    """Refuse a workbook by what its parts say they unpack to, before unpacking any (zipfile never reads a
    part past its declared size, so a part that lies ends as a damaged file, not a larger one)."""
    infos = archive.infolist()
    for info in infos:
        # Excel stores its parts plain or deflated, never encrypted (a password-protected workbook is not a ZIP).
        if info.compress_type not in EXCEL_COMPRESSION or info.flag_bits & _ENCRYPTED:
            raise file_problem(Text(f"part {info.filename} of the workbook is packed in a way Excel does not use "
                                    "(another compression method, or encrypted): save it again from Excel",
                                    f"工作簿中的 {info.filename} 不是按 Excel 的方式压缩的（其他压缩方法或已加密），"
                                    "请用 Excel 重新保存"), "unsupported_format")
    total = sum(info.file_size for info in infos)
    if total > MAX_UNPACKED_BYTES:
        raise file_problem(Text(f"the workbook unpacks to {_mb(total)}, more than the {_mb(MAX_UNPACKED_BYTES)} a "
                                f"sheet of {MAX_ROWS:,} rows needs: it is not an ordinary spreadsheet",
                                f"工作簿解压后有 {_mb(total)}，超过 {MAX_ROWS:,} 行的表格所需的 "
                                f"{_mb(MAX_UNPACKED_BYTES)}：这不是普通的表格"), "workbook_too_large")
    for info in infos:
        name = info.filename.lower()
        if name.endswith("sharedstrings.xml") and info.file_size > MAX_SHARED_STRINGS_BYTES:
            raise file_problem(Text(f"the workbook's text unpacks to {_mb(info.file_size)} (at most "
                                    f"{_mb(MAX_SHARED_STRINGS_BYTES)})",
                                    f"工作簿中的文字解压后有 {_mb(info.file_size)}（最多 "
                                    f"{_mb(MAX_SHARED_STRINGS_BYTES)}）"), "workbook_too_large")
        if "worksheets/" in name and info.file_size > MAX_SHEET_BYTES:
            raise file_problem(Text(f"a sheet unpacks to {_mb(info.file_size)} (at most {_mb(MAX_SHEET_BYTES)})",
                                    f"有一张工作表解压后有 {_mb(info.file_size)}（最多 {_mb(MAX_SHEET_BYTES)}）"),
                               "workbook_too_large")


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


def _scan_xml(archive: zipfile.ZipFile, info: zipfile.ZipInfo, sheet: _Extent | None) -> None:
    """Read one part as bytes, cheaply, before any XML parser builds it: refuse a cell longer than Excel
    allows, and (a sheet) a stated or counted size beyond MAX_ROWS rows — stopping as soon as it is clear.
    A sheet's extent (last row and column, cells without a reference) is noted in ``sheet``."""
    rows = 0
    carry = b""
    first = True
    letters: set[bytes] = set()
    with archive.open(info) as part:
        while chunk := part.read(CHUNK):
            if first and sheet is not None:
                first = False
                dimension = _DIMENSION.search(chunk)
                if dimension:
                    _check_dimension(_column_number(dimension.group(1)), int(dimension.group(2)))
            cut = chunk.rfind(b"<")
            if cut < 0:
                carry += chunk
                segment = b""
            else:
                segment, carry = carry + chunk[:cut], chunk[cut:]
            if len(carry) > _MAX_TEXT_RUN or max(map(len, segment.split(b"<")), default=0) > _MAX_TEXT_RUN:
                raise file_problem(_cell_too_long(), "cell_too_long")
            if sheet is not None:
                rows += _scan_sheet_segment(segment, sheet, letters)
                row_limit(rows)
    if sheet is not None:
        rows += _scan_sheet_segment(carry, sheet, letters)
        row_limit(rows)
        # A row numbered past the limit is refused as the rows before it would be: readers fill the gap.
        row_limit(sheet.rows)
        sheet.rows = max(sheet.rows, rows)
        sheet.columns = max((_column_number(column) for column in letters), default=0)


def _scan_sheet_segment(segment: bytes, sheet: _Extent, letters: set[bytes]) -> int:
    """The rows a piece of a sheet's XML opens; notes its last row number and its cells' columns."""
    numbers = _ROW_NUMBER.findall(segment)
    placed = [number for number in numbers if number]
    if placed:
        sheet.rows = max(sheet.rows, *map(int, placed))
    letters.update(_CELL_COLUMN.findall(segment))
    if b"" in letters or (b'"e"' in segment and _ERROR_CELL.search(segment)):
        sheet.odd_cells = True
    return len(numbers)


def _check_dimension(columns: int, rows: int) -> None:
    row_limit(rows)
    if columns > MAX_COLUMNS:
        raise file_problem(Text(f"the sheet is {columns:,} columns wide (at most {MAX_COLUMNS:,})",
                                f"工作表有 {columns:,} 列（最多 {MAX_COLUMNS:,} 列）"), "too_many_columns")


def row_limit(number: int) -> None:
    if number > MAX_ROWS + 1:
        raise file_problem(Text(f"the file has more than {MAX_ROWS:,} rows: split it into several files",
                                f"文件超过 {MAX_ROWS:,} 行：请拆分成几个文件"), "too_many_rows")


def _cell_lengths(values: list[Cell]) -> list[Cell]:
    for value in values:
        if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
            raise file_problem(_cell_too_long(), "cell_too_long")
    return values
