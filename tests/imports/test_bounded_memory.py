"""An import holds a bounded part of a file at a time: the first rows planned ahead, then a batch at a time,
and of the problems only those the report shows. Whatever the file's length, it answers and writes exactly
what the straightforward path does (every row planned at once, in one batch, every problem kept)."""

from __future__ import annotations

import datetime as dt
import io
import random
from typing import Any
from xml.etree import ElementTree

import pytest
from openpyxl.worksheet import _reader
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.audit.service import SYSTEM
from app.enterprises import service as enterprises
from app.enterprises.models import Enterprise
from app.enterprises.schemas import EnterpriseCreate
from app.imports import reading, service
from app.imports.headers import Layout
from app.imports.schemas import OnError
from tests.factories import credit_code
from tests.imports.files import FIRM_HEADERS, csv_bytes, firm_row, xlsx


def _layout() -> Layout:
    return Layout(header_row=1, columns=[], mappings=[], unknown=[])


def _straightforward(found: list[tuple[int, str, str]], room: int) -> list[tuple[int, str, str]]:
    """Every problem kept, sorted by row (each row's in the order found), cut to what the report shows."""
    return sorted(found, key=lambda problem: problem[0])[:room]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_report_keeps_the_first_problems_by_row_whatever_order_they_come_in(
        monkeypatch: pytest.MonkeyPatch, seed: int) -> None:
    monkeypatch.setattr(service, "MAX_PROBLEMS", 7)
    rng = random.Random(seed)
    report = service._Report(_layout())
    report.header_problems.append(service.RowProblem(row=1, column="X", field=None, value=None, reason="unknown"))
    found: list[tuple[int, str, str]] = []
    rows = rng.sample(range(2, 60), 30)  # rows are rejected out of order: planned ahead, then when written
    for row in rows:
        problems = [(rng.choice(["credit_code", "name", "district"]), f"reason {row}-{n}")
                    for n in range(rng.randint(1, 3))]
        report.reject(row, problems, {"name": f"名称{row}"})
        found.extend((row, field, reason) for field, reason in problems)
    shown, truncated = report.problems()
    assert shown[0].reason == "unknown"
    assert [(p.row, p.field, p.reason) for p in shown[1:]] == _straightforward(found, 6)
    assert all(p.value == (f"名称{p.row}" if p.field == "name" else None) for p in shown[1:])
    assert truncated is (len(found) > 6)
    assert report.rejected == 30
    assert len(report.found) <= 7


def test_a_short_list_of_problems_is_whole_and_not_truncated(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(service, "MAX_PROBLEMS", 7)
    report = service._Report(_layout())
    for row in (9, 3, 5):
        report.reject(row, [("name", f"r{row}"), ("district", f"d{row}")], {})
    shown, truncated = report.problems()
    assert [(p.row, p.field) for p in shown] == [(3, "name"), (3, "district"), (5, "name"), (5, "district"),
                                                 (9, "name"), (9, "district")]
    assert truncated is False


def _stored(session: Session, codes: list[str]) -> list[tuple[Any, ...]]:
    return [tuple(row) for row in session.execute(
        select(Enterprise.credit_code, Enterprise.name, Enterprise.district, Enterprise.industry,
               Enterprise.version).where(Enterprise.credit_code.in_(codes)).order_by(Enterprise.credit_code))]


def _file(session: Session, fmt: str) -> tuple[bytes, list[str]]:
    """A file of 22 rows: new firms, stored firms changed and unchanged, an archived one, and rows rejected
    while read (a bad code, a missing name, a repeated code) and while planned (a bad district)."""
    stored = [credit_code() for _ in range(4)]
    for n, code in enumerate(stored):
        enterprises.create_enterprise(session, EnterpriseCreate(
            credit_code=code, name=f"常德分块存量{n}科技有限公司", district="丹阳街道", industry="C"), actor=SYSTEM)
    archived = enterprises.create_enterprise(session, EnterpriseCreate(
        credit_code=credit_code(), name="常德分块归档科技有限公司", district="丹阳街道", industry="C"), actor=SYSTEM)
    enterprises.archive_enterprise(session, archived, actor=SYSTEM)
    session.flush()
    new = [credit_code() for _ in range(14)]
    rows: list[list[Any]] = [
        *(firm_row(code, name=f"常德分块新{n}科技有限公司") for n, code in enumerate(new[:5])),
        firm_row("91430702BAD"),
        firm_row(stored[0], name="常德分块存量0科技有限公司", industry="I"),  # changed
        firm_row(stored[1], name="常德分块存量1科技有限公司"),  # unchanged
        firm_row(new[5], name=""),
        firm_row(archived.credit_code, name="常德分块归档科技有限公司"),
        *(firm_row(code, name=f"常德分块新{n}科技有限公司") for n, code in enumerate(new[6:11], start=6)),
        firm_row(new[0], name="常德分块重复科技有限公司"),
        firm_row(new[11], name="常德分块街道科技有限公司", district="x" * 60),
        firm_row(stored[2], name="常德分块存量2科技有限公司改"),  # changed
        *(firm_row(code, name=f"常德分块新{n}科技有限公司") for n, code in enumerate(new[12:], start=12)),
        firm_row(stored[3], name="常德分块存量3科技有限公司"),  # unchanged
        firm_row("91430702BAD2", name=""),
    ]
    content = xlsx([FIRM_HEADERS, *rows]) if fmt == "xlsx" else csv_bytes([FIRM_HEADERS, *rows])
    return content, [*stored, archived.credit_code, *new]


def _run(session: Session, content: bytes, fmt: str, *, dry_run: bool) -> dict[str, Any]:
    report = service.run_import(session, "enterprises", io.BytesIO(content), file_name=f"firms.{fmt}",
                                dry_run=dry_run, on_error=OnError.skip, actor=SYSTEM)
    return report.model_dump(mode="json")


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
@pytest.mark.parametrize("max_problems", [3, 1000])
def test_a_file_longer_than_a_batch_gives_the_report_and_rows_of_the_straightforward_path(
        session: Session, monkeypatch: pytest.MonkeyPatch, fmt: str, max_problems: int) -> None:
    monkeypatch.setattr(service, "MAX_PROBLEMS", max_problems)
    content, codes = _file(session, fmt)
    before = _stored(session, codes)

    # The straightforward path: every row planned before the write, in one batch.
    monkeypatch.setattr(service, "PLAN_AHEAD_ROWS", 10_000)
    monkeypatch.setattr(service, "BATCH_SIZE", 10_000)
    savepoint = session.begin_nested()
    whole = _run(session, content, fmt, dry_run=False)
    whole_rows = _stored(session, codes)
    savepoint.rollback()
    assert _stored(session, codes) == before

    # In pieces: 4 rows planned ahead, then 3 at a time.
    monkeypatch.setattr(service, "PLAN_AHEAD_ROWS", 4)
    monkeypatch.setattr(service, "BATCH_SIZE", 3)
    assert _run(session, content, fmt, dry_run=True) == {**whole, "dry_run": True, "applied": False}
    assert _stored(session, codes) == before
    assert _run(session, content, fmt, dry_run=False) == whole
    assert _stored(session, codes) == whole_rows

    assert (whole["rows"], whole["created"], whole["updated"], whole["unchanged"], whole["rejected"]) == \
        (22, 12, 2, 2, 6)
    assert whole["problems_truncated"] is (max_problems == 3)


def _read(content: bytes) -> list[tuple[int, list[Any]]]:
    table = reading.open_table(io.BytesIO(content), "firms.xlsx")
    try:
        return list(table.rows)
    finally:
        table.close()


def test_a_sheet_streamed_by_openpyxl_gives_the_rows_openpyxl_gives_when_it_keeps_them(
        monkeypatch: pytest.MonkeyPatch) -> None:
    rows: list[list[Any]] = [["企业名单"], [], FIRM_HEADERS + ["成立日期", "从业人员"]]
    for n in range(40):
        rows.append([credit_code(), f"常德读取{n}科技有限公司", None if n % 5 == 0 else "丹阳街道", "C",
                     dt.date(2020, 1, 1) + dt.timedelta(days=n), n * 1.5 if n % 2 else n])
        if n % 7 == 0:
            rows.append([])
    content = xlsx(rows)
    monkeypatch.setattr(reading, "MAX_GRID_CELLS", 0)  # openpyxl, row by row
    streamed = _read(content)
    assert _read(content) == streamed  # a second workbook streamed the same way
    assert getattr(_reader.iterparse, "lets_rows_go", False)  # type: ignore[attr-defined]

    def keeping(source: Any) -> Any:  # openpyxl's own: every row stays in the tree
        return ElementTree.iterparse(source)

    keeping.lets_rows_go = True  # type: ignore[attr-defined]
    monkeypatch.setattr(_reader, "iterparse", keeping)
    assert _read(content) == streamed
    assert len(streamed) == len(rows)
    assert streamed[3][1][:2] == [rows[3][0], "常德读取0科技有限公司"]


def test_a_reader_wrapped_meanwhile_is_not_wrapped_again(monkeypatch: pytest.MonkeyPatch) -> None:
    """Two first imports at once: the second sees openpyxl's own reader, the first then wraps it; the second
    wraps openpyxl's own again, never the first's wrapper."""
    content = xlsx([FIRM_HEADERS, firm_row(credit_code(), name="常德并发读取科技有限公司")])
    monkeypatch.setattr(reading, "MAX_GRID_CELLS", 0)
    expected = _read(content)

    def wrapped_meanwhile(source: Any, events: Any = None) -> Any:  # the first's wrapper, not yet marked
        return reading._letting_rows_go(ElementTree.iterparse)(source)

    monkeypatch.setattr(_reader, "iterparse", wrapped_meanwhile)
    assert _read(content) == expected
    assert getattr(_reader.iterparse, "lets_rows_go", False)  # type: ignore[attr-defined]
