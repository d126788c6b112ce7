"""Writing rows as CSV (UTF-8 with BOM, so Excel shows Chinese) or XLSX, in constant memory.

The rows are read in the generator that feeds the response, from a session of their own: the
request's session is closed once the handler returns, before the body is sent.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

from fastapi import Request
from fastapi.responses import StreamingResponse
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.auth.models import User
from app.enterprises.privacy import mask_text
from app.enums import register_labels

CSV_MEDIA_TYPE = "text/csv; charset=utf-8"
SHANGHAI = ZoneInfo("Asia/Shanghai")
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_CHUNK_ROWS = 500
_FILE_CHUNK = 64 * 1024


class ExportFormat(StrEnum):
    csv = "csv"
    xlsx = "xlsx"


class HeaderLanguage(StrEnum):
    zh = "zh"
    en = "en"


register_labels(ExportFormat, {ExportFormat.csv: "CSV 文本(UTF-8)", ExportFormat.xlsx: "Excel 工作簿"})
register_labels(HeaderLanguage, {HeaderLanguage.zh: "中文表头", HeaderLanguage.en: "英文字段名"})


@dataclass(frozen=True)
class Column:
    """One exported column: the field name scripts see (``en``), the header staff see (``zh``), and how
    to read its value from a row; ``label`` turns codes into Chinese labels for the ``zh`` flavour."""

    en: str
    zh: str
    value: Callable[[Any], Any]
    label: Callable[[Any], Any] | None = None
    people: bool = False  # user ids: the zh flavour shows their display names


def _cell(value: Any) -> Any:
    """Values as a spreadsheet shows them: money stays exact, dates stay dates, lists become text."""
    if value is None:
        return ""
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, bool):
        return value
    if isinstance(value, list | tuple):
        return "、".join(str(v) for v in value)
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return value


Cells = Callable[[Any], list[Any]]


def _people_label(names: Mapping[int, str]) -> Callable[[Any], Any]:
    def label(value: Any) -> Any:
        if isinstance(value, list | tuple):
            return "、".join(names.get(v, str(v)) for v in value)
        return names.get(value, str(value))

    return label


def _local_time(value: dt.datetime) -> str:
    return value.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M:%S")


def _cells(columns: Sequence[Column], language: HeaderLanguage, *, as_text: bool,
           names: Mapping[int, str] | None = None, masked: bool = False,
           text_cell: Callable[[str], Any] | None = None) -> Cells:
    """One function turning a record into its cells (``as_text``: CSV text), with what each column needs
    decided once per file. Plain strings and integers, most cells of most files, take the short path.
    For people (``zh``) user ids become ``names`` and timestamps are shown in Asia/Shanghai. ``masked``:
    phone numbers and e-mails in text masked, for a viewer; ``text_cell``: how a spreadsheet holds text."""
    for_people = language is HeaderLanguage.zh
    names = names or {}
    steps = [(column.value, _people_label(names) if column.people and for_people
              else column.label if for_people else None) for column in columns]
    yes_no = for_people

    def cells(record: Any) -> list[Any]:
        out: list[Any] = []
        for read, label in steps:
            raw = read(record)
            if raw is None:
                out.append("")
                continue
            if label is not None:
                raw = label(raw)
            kind = type(raw)
            if kind is int:
                out.append(raw)
            elif kind is str:
                if masked:
                    raw = mask_text(raw)
                if as_text:
                    out.append(_guard(raw))
                else:
                    out.append(text_cell(raw) if text_cell is not None and raw[:1] == "=" else raw)
            elif kind is bool and yes_no:
                out.append("是" if raw else "否")
            elif kind is dt.datetime and for_people:
                out.append(_local_time(raw))
            else:
                out.append(_csv_text(_cell(raw)) if as_text else _cell(raw))
        return out

    return cells


def _csv_text(value: Any) -> str:
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, bool):
        return "true" if value else "false"
    return _guard(str(value))


def _guard(text: str) -> str:
    # A cell starting with = + - @ is a formula to Excel: quote it so an export cannot run one.
    if text[:1] in ("=", "+", "-", "@") and not _is_number(text):
        return "'" + text
    return text


def _is_number(text: str) -> bool:
    try:
        Decimal(text)
    except ArithmeticError:
        return False
    return True


def csv_chunks(columns: Sequence[Column], records: Iterable[Any], language: HeaderLanguage,
               names: Mapping[int, str] | None = None, *, masked: bool = False) -> Iterator[bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([getattr(c, language.value) for c in columns])
    yield ("\ufeff" + buffer.getvalue()).encode("utf-8")
    buffer.seek(0)
    buffer.truncate()
    cells = _cells(columns, language, as_text=True, names=names, masked=masked)
    for n, record in enumerate(records, start=1):
        writer.writerow(cells(record))
        if n % _CHUNK_ROWS == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue().encode("utf-8")


def xlsx_chunks(columns: Sequence[Column], records: Iterable[Any], language: HeaderLanguage, title: str,
                names: Mapping[int, str] | None = None, *, masked: bool = False) -> Iterator[bytes]:
    # openpyxl (with lxml, ~14 MiB) is loaded by the first workbook, not by every worker at start.
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    # openpyxl's write-only mode spools rows to disk as it goes; only the finished zip is read back.
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])

    def text_cell(text: str) -> Any:
        # openpyxl takes any string starting with "=" for a formula: a firm named =HYPERLINK(…) stays text.
        cell = WriteOnlyCell(sheet, value=text)
        cell.data_type = "s"
        return cell

    sheet.append([getattr(c, language.value) for c in columns])
    cells = _cells(columns, language, as_text=False, names=names, masked=masked, text_cell=text_cell)
    for record in records:
        sheet.append(cells(record))
    with tempfile.TemporaryFile() as handle:
        workbook.save(handle)
        handle.seek(0)
        while chunk := handle.read(_FILE_CHUNK):
            yield chunk


RecordSource = Callable[[Session], Iterable[Any]]


@dataclass(frozen=True)
class Export:
    """One export: the file's name (without extension; Chinese, as staff save it), its columns, its rows."""

    filename: str
    columns: Sequence[Column]
    records: RecordSource


def file_chunks(export: Export, session: Session, fmt: ExportFormat, language: HeaderLanguage, *,
                masked: bool = False) -> Iterator[bytes]:
    names: dict[int, str] = {}
    if language is HeaderLanguage.zh and any(column.people for column in export.columns):
        # Staff accounts are few: one query names everyone a file may mention.
        names = {uid: name for uid, name in session.execute(select(User.id, User.display_name))}
    rows = export.records(session)
    if fmt is ExportFormat.csv:
        return csv_chunks(export.columns, rows, language, names, masked=masked)
    return xlsx_chunks(export.columns, rows, language, export.filename, names, masked=masked)



def tabular_response(request: Request, *, fmt: ExportFormat, language: HeaderLanguage, export: Export,
                     masked: bool) -> StreamingResponse:
    """``masked``: the file is for a viewer, who reads phone numbers and e-mails in its text masked."""
    open_session: Callable[[bool], Session] = request.app.state.session_factory

    def body() -> Iterator[bytes]:
        session = open_session(False)
        try:
            yield from file_chunks(export, session, fmt, language, masked=masked)
        finally:
            session.close()

    media_type = CSV_MEDIA_TYPE if fmt is ExportFormat.csv else XLSX_MEDIA_TYPE
    disposition = f"attachment; filename=\"{fmt.value}-export.{fmt.value}\"; " \
                  f"filename*=UTF-8''{quote(f'{export.filename}.{fmt.value}')}"
    return StreamingResponse(body(), media_type=media_type, headers={"Content-Disposition": disposition})
