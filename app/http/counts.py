"""Exact totals of list pages, counted once for each state of the tables they read.

A page's ``total`` counts every row its filters match: at a million firms, ``?q=科技`` matches a quarter of
them and counting them is most of the page's time. The count only changes when a table it reads changes, so
each process keeps the counts it made (least recently used dropped past ``MAX_COUNTS``) beside the *state*
of those tables they were made in, and serves one again only while that state is unchanged.

The state is kept by the database itself, in the same transaction as every write: ``seedbed_generations``
holds a generation per table (PostgreSQL: per table and slot), and triggers (migration 0023) give it a value
never used before on every insert, update, delete (PostgreSQL: and truncate) of the table. So whatever
writes — the API, an import, the CLI, SQL by hand — the next read sees a new state:

- SQLite: one row per table, set to ``random()`` (64 bits) by row triggers. Writers take turns anyway.
- PostgreSQL: statement triggers set a slot to ``nextval`` of a sequence that starts at a random value. A
  writer takes any slot of the table no other transaction holds (``FOR UPDATE SKIP LOCKED``) and adds a slot
  when all are held, so concurrent writers of one table never wait for each other on one hot row (an import's
  long transaction holds one slot, not the table's only one).

Values are never reused: not after a rollback (sequences are not rolled back; a rolled-back random value is
as good as new), nor in a database made again, so a state seen once stands for one content of the tables.
A miss reads the state and counts in one statement (one snapshot on PostgreSQL; SQLite's read transaction
is one snapshot throughout); a hit reads the state only. A count is cached only when every table it reads has
a generation: a table without triggers, raw SQL text in the query, or an element that cannot name a cache key
means counting every time. An SQL element compiled by hand that reads tables the statement does not name
declares them in ``reads_tables``.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable, Iterable
from typing import Any, Generic, TypeVar

from sqlalchemy import BigInteger, Select, String, TableClause, TextClause, func, select
from sqlalchemy.orm import Mapped, Session, mapped_column
from sqlalchemy.sql import visitors
from sqlalchemy.sql.elements import BindParameter

from app.db import Base

# A count's key (its statement's structure and parameters) takes about 4 KB: 256 of them about 1 MiB.
MAX_COUNTS = 256

State = tuple[tuple[str, int, int], ...]


class TableGeneration(Base):
    """The state of one table (one of its slots on PostgreSQL), changed by triggers on every write."""

    __tablename__ = "seedbed_generations"

    table_name: Mapped[str] = mapped_column(String(63), primary_key=True)
    slot: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    generation: Mapped[int] = mapped_column(BigInteger)


def tables_read(statement: Any) -> frozenset[str] | None:
    """Names of the tables ``statement`` reads, or None when it cannot tell (raw SQL text in it)."""
    names: set[str] = set()
    for element in visitors.iterate(statement):
        if isinstance(element, TableClause):
            names.add(element.name)
        elif isinstance(element, TextClause):
            return None
        declared: Iterable[str] | None = getattr(element, "reads_tables", None)
        if declared:
            names.update(declared)
    return frozenset(names)


def _hashable(value: Any) -> Hashable:
    if isinstance(value, list | tuple):
        return tuple(_hashable(v) for v in value)
    if isinstance(value, set | frozenset):
        return frozenset(_hashable(v) for v in value)
    return value  # type: ignore[no-any-return]


V = TypeVar("V")


class StateCache(Generic[V]):
    """Values per key, each with the state of the tables it was made from; past ``size`` the least recently
    used goes."""

    def __init__(self, size: int = MAX_COUNTS) -> None:
        self.size = size
        self._kept: OrderedDict[Hashable, tuple[State, V]] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key: Hashable) -> tuple[State, V] | None:
        with self._lock:
            found = self._kept.get(key)
            if found is not None:
                self._kept.move_to_end(key)
            return found

    def put(self, key: Hashable, state: State, value: V) -> None:
        with self._lock:
            self._kept[key] = (state, value)
            self._kept.move_to_end(key)
            while len(self._kept) > self.size:
                self._kept.popitem(last=False)

    def keys(self) -> list[Hashable]:
        with self._lock:
            return list(self._kept)

    def clear(self) -> None:
        with self._lock:
            self._kept.clear()
            self.hits = self.misses = 0

    def __len__(self) -> int:
        return len(self._kept)


# Counts per statement, parameters and database.
CountCache = StateCache[int]


COUNTS: StateCache[int] = StateCache()


def database_of(session: Session) -> str:
    """Which database ``session`` reads, for keys of what is kept per process (tests open several)."""
    return session.get_bind().engine.url.render_as_string(hide_password=True)


def _key(session: Session, statement: Select[Any]) -> Hashable | None:
    cache_key = statement._generate_cache_key()
    if cache_key is None:
        return None
    values = tuple(_hashable(p.effective_value) for p in cache_key.bindparams if isinstance(p, BindParameter))
    return (database_of(session), cache_key.key, values)


def _state_of(rows: Iterable[Any], tables: frozenset[str]) -> State | None:
    state = tuple(sorted((str(row[0]), int(row[1]), int(row[2])) for row in rows if row[0] is not None))
    return state if {name for name, _slot, _generation in state} == tables else None


def count(session: Session, query: Select[Any]) -> int:
    """``SELECT count(*)`` of ``query``'s rows: from the cache while the tables it reads are unchanged."""
    statement = select(func.count()).select_from(query.order_by(None).subquery())
    tables = tables_read(statement)
    key = _key(session, statement) if tables else None
    if tables is None or key is None:
        return session.scalar(statement) or 0
    generations = select(TableGeneration.table_name, TableGeneration.slot, TableGeneration.generation).where(
        TableGeneration.table_name.in_(sorted(tables)))
    cached = COUNTS.get(key)
    if cached is not None and _state_of(session.execute(generations).all(), tables) == cached[0]:
        COUNTS.hits += 1
        return cached[1]
    COUNTS.misses += 1
    # The state and the count in one statement, so in one snapshot.
    rows = session.execute(generations.add_columns(statement.scalar_subquery())).all()
    if not rows:
        return session.scalar(statement) or 0
    total = int(rows[0][3] or 0)
    state = _state_of(rows, tables)
    if state is not None:
        COUNTS.put(key, state, total)
    return total
