"""What demo steps share: the session, seeded randomness, the anchor date and the firms made so far."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypeVar

from sqlalchemy import Table, func, insert, select
from sqlalchemy.orm import Session

from app.db import Base

BATCH_SIZE = 5000

T = TypeVar("T")


@dataclass(slots=True)
class DemoFirm:
    """A generated firm and the hidden traits later steps draw on (visits go to active firms, applications
    come from innovative ones, …)."""

    id: int
    name: str
    registered_on: dt.date
    status: str
    industry: str
    tech_domain: str | None
    above_scale: bool
    intensity: float  # how innovative the firm is, 0–1
    employees: int  # in the last complete year
    revenue_fen: int  # in the last complete year
    growth: float  # mean yearly revenue growth, e.g. 0.08
    legal_representative: str


@dataclass(slots=True)
class DemoContext:
    session: Session
    seed: int
    as_of: dt.date
    now: dt.datetime
    enterprises_wanted: int
    # Firms already in the database when this run began: part of every step's seed, so a second run
    # adds a different batch of firms rather than near-copies of the first.
    preexisting: int
    # Mean visits per firm, for load tests at a chosen scale; None keeps the district's natural rate (about 1).
    visits_per_firm: float | None = None
    firms: list[DemoFirm] = field(default_factory=list)

    @property
    def last_complete_year(self) -> int:
        return self.as_of.year - 1

    @property
    def history_start(self) -> dt.date:
        """1 January two years before ``as_of``: records dated from here spread evenly over two whole years
        and the year in progress, so each year compares with the one before (a window of 730 days back
        gave the earliest year a single month, and the report a +1304 % growth)."""
        return dt.date(self.as_of.year - 2, 1, 1)

    def history_day(self, rng: random.Random, earliest: dt.date | None = None) -> dt.date:
        """A day between ``history_start`` (or ``earliest`` when later) and ``as_of``, evenly drawn."""
        start = max(self.history_start, earliest or self.history_start)
        return start + dt.timedelta(days=rng.randint(0, max(0, (self.as_of - start).days)))

    def rng(self, step: str) -> random.Random:
        """A generator of its own for each step, so adding or changing one step leaves the others' data
        unchanged. String seeds are hashed with SHA-512: stable across processes and Python versions."""
        return random.Random(f"seedbed-demo:{self.seed}:{self.preexisting}:{step}")

    def insert(self, model: type[Base], rows: Iterable[Mapping[str, Any]]) -> int:
        """Bulk-insert rows in batches; returns how many."""
        total = 0
        for batch in chunks(rows, BATCH_SIZE):
            # Core, not ORM, bulk insert: the ORM's per-row bookkeeping would double the run time.
            self.session.execute(insert(table_of(model)), batch)
            total += len(batch)
        return total


def table_of(model: type[Base]) -> Table:
    return Base.metadata.tables[model.__tablename__]


def reserve_ids(session: Session, model: type[Base], count: int) -> list[int]:
    """Primary keys for ``count`` new rows of ``model``, so bulk inserts need no RETURNING round trip.

    PostgreSQL hands them out from the column's sequence (safe beside concurrent writers); SQLite, which
    serialises writers anyway, continues after the largest id.
    """
    if count == 0:
        return []
    table = table_of(model)
    if session.get_bind().dialect.name == "postgresql":
        sequence = func.pg_get_serial_sequence(table.name, "id")
        query = select(func.nextval(sequence)).select_from(func.generate_series(1, count))
        return sorted(session.scalars(query))
    largest = session.scalar(select(func.max(table.c.id))) or 0
    return list(range(largest + 1, largest + 1 + count))


Step = Callable[[DemoContext], dict[str, int]]
"""One domain's demo records: adds rows through the context and returns {what: how many}."""


def chunks(items: Iterable[T], size: int) -> Iterator[list[T]]:
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def yuan(fen: int) -> Decimal:
    return Decimal(fen).scaleb(-2)


def weighted(rng: random.Random, options: Iterable[tuple[T, int]]) -> Callable[[], T]:
    """A fast repeated weighted choice (``rng.choices`` rebuilds its cumulative table on every call)."""
    values: list[T] = []
    cumulative: list[int] = []
    running = 0
    for value, weight in options:
        running += weight
        values.append(value)
        cumulative.append(running)

    def pick() -> T:
        return rng.choices(values, cum_weights=cumulative)[0]

    return pick
