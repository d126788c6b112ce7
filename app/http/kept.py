"""Answers worked out once for each state of the tables they read, and given again while that state holds.

A dashboard asks for the same summary, and a clerk's list for the same first page, again and again; each is
worked out from many rows. Such an answer only changes when a table it reads does, so each process keeps the
answers it made beside the *state* of those tables (``seedbed_generations``, kept by triggers in the
transaction of every write, see ``app/http/counts.py``) and gives one again only while that state is
unchanged. Whatever writes — the API, an import, the CLI, SQL by hand — the next read sees a new state.

Which tables an answer reads is not declared by hand: the statements run to work it out are watched, and every
table of the schema they name counts. A table kept by triggers from other tables (the yearly rollups) stands
for the tables it is made from. If a statement names a table that has no generation and is not such a rollup,
the answer is not kept. The state is read before the answer is worked out, so a write committed meanwhile
(PostgreSQL reads each statement in a snapshot of its own) leaves the kept answer under a state no later read
will see.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable, Iterable
from typing import Any, TypeVar

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from app.db import Base, one_of
from app.enterprises import search
from app.http.counts import State, StateCache, TableGeneration

# Kept by triggers on the tables named: they change exactly when one of those does.
ROLLUPS: dict[str, frozenset[str]] = {
    "activity_by_year": frozenset({"visits", "demands"}),
    "applications_by_year": frozenset({"applications", "stage_events"}),
    "totals_by_year": frozenset({"visits", "demands", "applications", "stage_events", "annual_figures",
                                 "enterprises"}),
    "totals_by_day": frozenset({"visits", "demands", "applications", "stage_events"}),
    # The search's indexes and counts (migrations 0018, 0019, 0029, 0030).
    **search.KEPT_FROM,
}
# Read to tell the state, not part of any answer.
_BOOKKEEPING = frozenset({TableGeneration.__tablename__})
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")

V = TypeVar("V")


# Built once, run as Core statements: a kept answer's whole cost is this read.
_GENERATIONS = select(TableGeneration.table_name, TableGeneration.slot, TableGeneration.generation)
# The tables as one parameter: an expanding IN was rendered again for every read.
_GENERATIONS_OF = _GENERATIONS.where(one_of(TableGeneration.table_name, key="tables"))


def state_of(session: Session, tables: Iterable[str] | None = None) -> State:
    """The generations of ``tables`` (every table's when None), in one statement."""
    connection = session.connection()
    rows = (connection.execute(_GENERATIONS) if tables is None
            else connection.execute(_GENERATIONS_OF, {"tables": sorted(tables)}))
    return tuple(sorted((str(name), int(slot), int(generation)) for name, slot, generation in rows))


def tables_named(statements: Iterable[str]) -> frozenset[str]:
    """The tables of the schema that ``statements`` name, the rollups and search indexes among them."""
    known = Base.metadata.tables.keys() | ROLLUPS.keys()
    return frozenset(word for sql in statements for word in _WORD.findall(sql) if word in known)


def sources(named: frozenset[str], generations: frozenset[str]) -> frozenset[str] | None:
    """The tables with a generation that ``named`` stand for, or None when one of them has none."""
    found: set[str] = set()
    for name in named - _BOOKKEEPING:
        if name in generations:
            found.add(name)
        elif name in ROLLUPS:
            found.update(ROLLUPS[name])
        else:
            return None
    return frozenset(found) if found <= generations else None


def kept(cache: StateCache[tuple[frozenset[str], V]], session: Session, key: Hashable,
         work_out: Callable[[], V], *, copy: Callable[[V], V] = lambda value: value) -> V:
    """``work_out()``, or the answer kept under ``key`` for the present state of the tables it read.

    ``copy`` gives the caller an answer of its own when it may change it (the kept one must not change).
    """
    found = cache.get(key)
    if found is not None:
        state, (tables, answer) = found
        if state_of(session, tables) == state:
            cache.hits += 1
            return copy(answer)
    cache.misses += 1
    before = state_of(session)
    statements: list[str] = []

    def watch(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        statements.append(statement)

    connection = session.connection()
    event.listen(connection, "before_cursor_execute", watch)
    try:
        answer = work_out()
    finally:
        event.remove(connection, "before_cursor_execute", watch)
    read = sources(tables_named(statements), frozenset(name for name, _slot, _generation in before))
    if read:
        cache.put(key, tuple(row for row in before if row[0] in read), (read, copy(answer)))
    return answer
