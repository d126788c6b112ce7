"""Run an import in two steps: ``prepare_import`` reads the file, matches its headers, parses every row and
(for a kind that plans, such as the firm list) validates the rows against the stored records, reading
only; ``write_import`` then writes the batches. A server prepares before it waits for its turn to write, so
a large file keeps other writers waiting only while its rows are written.

The write happens in the caller's transaction, inside a savepoint: a dry run, or an import refused
because rows were rejected (``on_error=abort``), rolls the savepoint back, so the report of a dry run is
exactly what the real import would do. The caller commits once (the request, or the CLI).
"""

from __future__ import annotations

import heapq
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import chain, islice
from typing import IO, Any

from sqlalchemy.orm import Session

from app.audit import service as audit
from app.audit.service import Actor
from app.db import large_write_cache, refresh_column_statistics
from app.errors import ErrorItem, InvalidInput
from app.imports import (  # noqa: F401 - importing registers the kinds
    applications,
    cells,
    firms,
    reading,
    record_kinds,
)
from app.imports.headers import Layout, find_header, match_headers
from app.imports.kinds import (
    KINDS,
    ImportKind,
    Outcome,
    Prepare,
    RowRejected,
    get_kind,
)
from app.imports.schemas import ColumnInfo, ImportKindInfo, ImportReport, OnError, RowProblem
from app.messages import Text

MAX_PROBLEMS = 1000
BATCH_SIZE = 500  # rows upserted together: one query finds their stored records


class ImportRejected(InvalidInput):
    """Rows were rejected and on_error=abort: nothing was saved; the report says why."""

    def __init__(self, report: ImportReport) -> None:
        shown = report.problems[:50]
        unknown = len(report.unknown_columns)
        super().__init__(
            Text(f"Nothing was imported: {report.rejected} of {report.rows} rows were rejected"
                 + (f" and {unknown} columns are unknown" if unknown else "")
                 + ". Fix the file, or import the valid rows with on_error=skip.",
                 f"未导入任何数据：{report.rows} 行中有 {report.rejected} 行被拒绝"
                 + (f"，另有 {unknown} 列无法识别" if unknown else "")
                 + "。请修改文件，或选择“跳过错误行”只导入正确的行。"),
            errors=[ErrorItem(loc=["file", p.row, p.column or p.field or "row"], msg=p.text, type="rejected")
                    for p in shown],
            report=report,
        )
        self.report = report


def _shown(value: Any) -> str | None:
    if value is None:
        return None
    text = cells.text(value)
    return text if len(text) <= 100 else text[:99] + "…"


class _Report:
    """What an import found, as it goes. Rows are not rejected in their order (a row planned ahead may be
    rejected when it is written, after later rows were read), and the report shows the first MAX_PROBLEMS
    problems by row, each row's in the order they were found: only those are kept (a heap of the first ones
    so far), with the count of all, so that a file of rejected rows takes no more memory than a valid one."""

    def __init__(self, layout: Layout) -> None:
        self.counts = {outcome: 0 for outcome in Outcome}
        self.rows = 0
        self.rejected = 0
        self.header_problems: list[RowProblem] = []
        # The first MAX_PROBLEMS problems so far as (-row, -order, field, value as shown, reason): the heap's
        # top is the last of them, the one a problem of an earlier row takes the place of.
        self.found: list[tuple[int, int, str, str | None, str]] = []
        self.found_count = 0
        self.headers = {column.field: written for _, column, written, _ in layout.columns}

    def reject(self, row: int, problems: list[tuple[str, str]], raw: dict[str, Any]) -> None:
        self.rejected += 1
        for field, reason in problems:
            self.found_count += 1
            problem = (-row, -self.found_count, field, _shown(raw.get(field)), reason)
            if len(self.found) < MAX_PROBLEMS:
                heapq.heappush(self.found, problem)
            elif self.found and problem > self.found[0]:
                heapq.heapreplace(self.found, problem)

    def problems(self) -> tuple[list[RowProblem], bool]:
        room = max(0, MAX_PROBLEMS - len(self.header_problems))
        first = sorted(self.found, reverse=True)[:room]
        shown = [RowProblem(row=-row, column=self.headers.get(field), field=field, value=value, reason=reason)
                 for row, _, field, value, reason in first]
        return self.header_problems + shown, self.found_count > room


@dataclass(frozen=True, slots=True)
class _Pending:
    number: int
    values: Any  # the parsed cells (dict), or what the kind's prepare made of them
    raw: dict[str, Any] | None  # the cells as written; None once planned


def _parse_row(kind: ImportKind, layout: Layout, number: int, row: list[Any], seen: dict[Any, int],
               report: _Report) -> _Pending | None:
    """The row's parsed cells, or None after reporting why the row is rejected."""
    values: dict[str, Any] = {}
    raw: dict[str, Any] = {}
    failed: list[tuple[str, str]] = []
    for index, column, _, unit in layout.columns:
        cell = row[index] if index < len(row) else None
        if cells.is_blank(cell):
            continue
        raw[column.field] = cell
        try:
            cells.check_cell(cell)
            values[column.field] = column.parse(cell, unit)
        except ValueError as exc:
            failed.append((column.field, cells.reason_of(exc)))
    for field in kind.key:
        if field not in raw:
            failed.append((field, Text("required: this column identifies the record", "必填：这一列用来识别记录")))
    if not failed:
        # A key of one field is held as its value (a file's every key is held to the end: no tuple each).
        key = values[kind.key[0]] if len(kind.key) == 1 else tuple(values[field] for field in kind.key)
        if key in seen:
            headers = [kind.column(f).header for f in kind.key]
            failed.append((kind.key[0], Text(f"duplicate: row {seen[key]} has the same {' and '.join(headers)}",
                                             f"重复：第 {seen[key]} 行的「{'」和「'.join(headers)}」与本行相同")))
        else:
            seen[key] = number
    if failed:
        report.reject(number, failed, raw)
        return None
    return _Pending(number, values, raw)


def _apply(session: Session, kind: ImportKind, batch: list[_Pending], report: _Report, actor: Actor) -> None:
    results = kind.upsert(session, [pending.values for pending in batch], actor)
    for pending, result in zip(batch, results, strict=True):
        if isinstance(result, RowRejected):
            # A planned row keeps no copy of its cells; its plan shows its parsed ones.
            raw = pending.raw if pending.raw is not None else getattr(pending.values, "values", {})
            report.reject(pending.number, result.problems, raw)
        else:
            report.counts[result] += 1


REFRESH_STATISTICS_AFTER = 1000
# Within a large import too: PostgreSQL plans each batch's look-ups by credit code from the table's last
# statistics, and a registry it believes empty is scanned whole for every batch (100,000 firms: 400 s
# instead of 100). Its ANALYZE counts the import's own uncommitted rows.
REFRESH_STATISTICS_EVERY = 10_000


# Rows read, parsed and planned before an import writes (outside the write turn). A larger file's other rows
# are read and planned batch by batch while it writes, as they come: memory stays bounded whatever its size.
PLAN_AHEAD_ROWS = 10_000


@dataclass
class PreparedImport:
    """A file read, its rows parsed and — for a kind that plans — validated against the stored records:
    everything an import does before it writes (for a file of more than PLAN_AHEAD_ROWS rows, the first
    ones). ``write_import`` then writes ``batches`` and reads the rest."""

    kind: ImportKind
    file_name: str
    on_error: OnError
    format: str
    encoding: str | None
    layout: Layout
    report: _Report
    batches: list[list[_Pending]]
    rest: Iterator[_Pending]  # the parsed rows not read yet
    table: reading.Table

    def planned_batches(self) -> Iterator[list[_Pending]]:
        """The planned batches, each let go of once taken: a batch written is no longer held."""
        self.batches.reverse()
        while self.batches:
            yield self.batches.pop()

    def rest_batches(self, session: Session) -> Iterator[list[_Pending]]:
        while batch := list(islice(self.rest, BATCH_SIZE)):
            prepare = self.kind.prepare
            yield batch if prepare is None else _plan(session, self.kind, prepare, batch, self.report)


def prepare_import(session: Session, kind_name: str, stream: IO[bytes], *, file_name: str, on_error: OnError
                   ) -> PreparedImport:
    """Read, parse and plan an import; ``session`` is only read (it may be another transaction than the one
    that writes). The file stays open until ``write_import`` has read it to the end."""
    kind = get_kind(kind_name)
    table = reading.open_table(stream, file_name)
    try:
        header_row, header_cells = find_header(kind, table)
        layout = match_headers(kind, header_row, header_cells)
        report = _Report(layout)
        for index, written in layout.unknown:
            letter = cells.column_letter(index + 1)
            reason = (Text(f"unknown column {letter}, ignored", f"无法识别第 {letter} 列，已忽略")
                      if on_error is OnError.skip else
                      Text(f"unknown column {letter}: rename it to a known header (see the template) or delete it",
                           f"无法识别第 {letter} 列：请改用模板中的表头，或删除该列"))
            report.header_problems.append(RowProblem(row=header_row, column=written, field=None, value=None,
                                                     reason=reason))
        rows = _parsed_rows(kind, layout, table, report)
        # Each batch is planned as soon as it is parsed: the parsed cells of only one batch are held at a time.
        pending: list[_Pending] = []
        taken = 0
        while taken < PLAN_AHEAD_ROWS and (batch := list(islice(rows, min(BATCH_SIZE, PLAN_AHEAD_ROWS - taken)))):
            taken += len(batch)
            pending.extend(batch if kind.prepare is None else _plan(session, kind, kind.prepare, batch, report))
        # One row more: a file of exactly PLAN_AHEAD_ROWS rows is then read to its end here, and the reader lets
        # go of the sheet (calamine holds it whole) before the write, not after.
        following = next(rows, None)
        rest = rows if following is None else chain([following], rows)
    except BaseException:
        table.close()
        raise
    batches = [pending[start:start + BATCH_SIZE] for start in range(0, len(pending), BATCH_SIZE)]
    return PreparedImport(kind, file_name, on_error, table.format, table.encoding, layout, report, batches, rest,
                          table)


def _parsed_rows(kind: ImportKind, layout: Layout, table: reading.Table, report: _Report) -> Iterator[_Pending]:
    seen: dict[Any, int] = {}  # each key's first row
    for number, row in table.rows:
        if all(cells.is_blank(c) for c in row):
            continue
        report.rows += 1
        parsed = _parse_row(kind, layout, number, row, seen, report)
        if parsed is not None:
            yield parsed


def _plan(session: Session, kind: ImportKind, prepare: Prepare, pending: list[_Pending], report: _Report
          ) -> list[_Pending]:
    planned: list[_Pending] = []
    for start in range(0, len(pending), BATCH_SIZE):
        batch = pending[start:start + BATCH_SIZE]
        for row, plan in zip(batch, prepare(session, [row.values for row in batch]), strict=True):
            if isinstance(plan, RowRejected):
                report.reject(row.number, plan.problems, row.raw or {})
            else:
                planned.append(_Pending(row.number, plan, None))
    return planned


def write_import(session: Session, prepared: PreparedImport, *, dry_run: bool, actor: Actor) -> ImportReport:
    """Write a prepared import in one savepoint of the caller's transaction; raises ``ImportRejected``
    (nothing saved) when rows fail and on_error=abort."""
    kind, report, layout, on_error = prepared.kind, prepared.report, prepared.layout, prepared.on_error
    refresh_at = REFRESH_STATISTICS_EVERY
    refreshed_at = 0  # the count of created rows when the statistics were last taken
    try:
        with large_write_cache(session.connection()), session.begin_nested() as savepoint:
            for batch in chain(prepared.planned_batches(), prepared.rest_batches(session)):
                _apply(session, kind, batch, report, actor)
                if report.counts[Outcome.created] >= refresh_at:
                    refresh_column_statistics(session.connection(), kind.tables)
                    refresh_at += REFRESH_STATISTICS_EVERY
                    refreshed_at = report.counts[Outcome.created]
            can_apply = on_error is OnError.skip or (report.rejected == 0 and not layout.unknown)
            if dry_run or not can_apply:
                savepoint.rollback()
    finally:
        prepared.table.close()
    problems, truncated = report.problems()
    result = ImportReport(
        kind=kind.name, file_name=prepared.file_name, format=prepared.format, encoding=prepared.encoding,
        dry_run=dry_run, on_error=on_error, applied=can_apply and not dry_run, can_apply=can_apply,
        header_row=layout.header_row, columns=layout.mappings,
        unknown_columns=[written for _, written in layout.unknown], rows=report.rows,
        created=report.counts[Outcome.created], updated=report.counts[Outcome.updated],
        unchanged=report.counts[Outcome.unchanged], rejected=report.rejected, problems=problems,
        problems_truncated=truncated,
    )
    if not can_apply and not dry_run:
        raise ImportRejected(result)
    if result.applied:
        _audit(session, result, actor)
        if result.created >= REFRESH_STATISTICS_AFTER and result.created != refreshed_at:
            # A registry that grew in bulk misleads the planner until its statistics are taken again.
            refresh_column_statistics(session.connection(), kind.tables)
    return result


def run_import(session: Session, kind_name: str, stream: IO[bytes], *, file_name: str, dry_run: bool,
               on_error: OnError, actor: Actor) -> ImportReport:
    """Import one file in ``session``: prepare, then write; raises ``ImportRejected`` (nothing saved) when
    rows fail and on_error=abort."""
    prepared = prepare_import(session, kind_name, stream, file_name=file_name, on_error=on_error)
    return write_import(session, prepared, dry_run=dry_run, actor=actor)


def _audit(session: Session, report: ImportReport, actor: Actor) -> None:
    counts = {"created": report.created, "updated": report.updated, "unchanged": report.unchanged,
              "rejected": report.rejected}
    audit.record(
        session, actor=actor, action="import", entity_type="import", entity_id=None,
        changes={"kind": (None, report.kind), "file_name": (None, report.file_name),
                 **{name: (None, value) for name, value in counts.items()}},
        summary=f"导入{KINDS[report.kind].title}「{report.file_name}」：新增 {report.created}，更新 {report.updated}，"
                f"未变 {report.unchanged}，拒绝 {report.rejected}",
    )
    session.flush()


def describe_kinds() -> list[ImportKindInfo]:
    return [
        ImportKindInfo(
            name=kind.name, title=kind.title, key=list(kind.key),
            columns=[ColumnInfo(field=c.field, header=c.header, aliases=[c.field, *c.aliases], required=c.required,
                                description=c.description, example=c.example) for c in kind.columns],
        )
        for kind in KINDS.values()
    ]
