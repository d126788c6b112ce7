"""The annual summary, worked out once for each state of the tables it reads.

A dashboard asks for the same summary again and again, and each answer costs about 95 ms of CPU at city scale:
eight at once queued to half a second. The summary only changes when a table it reads does, so each process
keeps the summaries it made beside the *state* of those tables (``seedbed_generations``, kept by triggers in
the transaction of every write, see ``app/http/counts.py``) and gives one again only while that state is
unchanged.

Which tables the summary reads is not declared by hand: the statements it ran are watched, and every table
they name counts. A table kept by triggers from other tables (the yearly rollups) stands for the tables it is
made from. If a statement names a table that has no generation and is not such a rollup, the summary is not
kept. The state is read before the summary is worked out, so a write committed meanwhile (PostgreSQL reads each
statement in a snapshot of its own) leaves the kept summary under a state no later read will see.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from app.db import Base
from app.http.counts import State, StateCache, TableGeneration, database_of
from app.stats.schemas import AnnualSummary

# Kept by triggers on the tables named: they change exactly when one of those does.
ROLLUPS: dict[str, frozenset[str]] = {
    "activity_by_year": frozenset({"visits", "demands"}),
    "applications_by_year": frozenset({"applications", "stage_events"}),
    "totals_by_year": frozenset({"visits", "demands", "applications", "stage_events", "annual_figures",
                                 "enterprises"}),
}
MAX_SUMMARIES = 32
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")

Key = tuple[str, int, dt.date]


# Per database, year and day counted to: the tables read, and the summary.
SUMMARIES: StateCache[tuple[frozenset[str], AnnualSummary]] = StateCache(MAX_SUMMARIES)


def _state(session: Session, tables: Iterable[str] | None = None) -> State:
    query = select(TableGeneration.table_name, TableGeneration.slot, TableGeneration.generation)
    if tables is not None:
        query = query.where(TableGeneration.table_name.in_(sorted(tables)))
    return tuple(sorted((str(name), int(slot), int(generation)) for name, slot, generation in session.execute(query)))


def tables_named(statements: Iterable[str]) -> frozenset[str]:
    """The tables of the schema that ``statements`` name."""
    known = Base.metadata.tables.keys()
    return frozenset(word for sql in statements for word in _WORD.findall(sql) if word in known)


def _sources(named: frozenset[str], generations: frozenset[str]) -> frozenset[str] | None:
    """The tables with a generation that ``named`` stand for, or None when one of them has none."""
    sources: set[str] = set()
    for name in named:
        if name in generations:
            sources.add(name)
        elif name in ROLLUPS:
            sources.update(ROLLUPS[name])
        else:
            return None
    return frozenset(sources) if sources <= generations else None


def annual_summary(session: Session, *, year: int, as_of: dt.date,
                   work_out: Callable[..., AnnualSummary]) -> AnnualSummary:
    """``work_out(session, year=…, as_of=…)``, or the summary kept for the tables' present state."""
    key: Key = (database_of(session), year, as_of)
    kept = SUMMARIES.get(key)
    if kept is not None:
        state, (tables, summary) = kept
        if _state(session, tables) == state:
            SUMMARIES.hits += 1
            return summary.model_copy(deep=True)
    SUMMARIES.misses += 1
    before = _state(session)
    statements: list[str] = []

    def watch(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        statements.append(statement)

    connection = session.connection()
    event.listen(connection, "before_cursor_execute", watch)
    try:
        summary = work_out(session, year=year, as_of=as_of)
    finally:
        event.remove(connection, "before_cursor_execute", watch)
    read = _sources(tables_named(statements), frozenset(name for name, _slot, _generation in before))
    if read:
        SUMMARIES.put(key, tuple(row for row in before if row[0] in read), (read, summary.model_copy(deep=True)))
    return summary
