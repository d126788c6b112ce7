"""Engine, sessions, the declarative ``Base`` and the column types every domain shares."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import (
    ARRAY,
    BigInteger,
    Connection,
    DateTime,
    Engine,
    MetaData,
    String,
    Table,
    any_,
    bindparam,
    create_engine,
    event,
    func,
    insert,
    literal_column,
    select,
)
from sqlalchemy.engine import make_url
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import DeclarativeBase, Mapped, QueryableAttribute, Session, mapped_column, sessionmaker
from sqlalchemy.schema import ColumnDefault
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.sql.visitors import InternalTraversal
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

CENT = Decimal("0.01")


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Money(TypeDecorator[Decimal]):
    """Yuan as ``Decimal`` in Python, exact integer fen in the database (SQLite has no decimal type)."""

    impl = BigInteger
    cache_ok = True

    def process_bind_param(self, value: Decimal | None, dialect: Any) -> int | None:
        if value is None:
            return None
        fen = (Decimal(value) * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP)
        return int(fen)

    def process_result_value(self, value: int | None, dialect: Any) -> Decimal | None:
        if value is None:
            return None
        return (Decimal(value) / 100).quantize(CENT)


class exact_sum(FunctionElement[Decimal]):  # noqa: N801 - an SQL function, named like func.sum
    """``SUM`` of a ``Money`` column that cannot overflow.

    SQLite's SUM of integers fails with "integer overflow" past 2**63 fen (9,300 firms at the largest amount
    the API accepts); its TOTAL is a float and loses fen. So on SQLite the column is summed in two parts,
    below and above 10**9 fen, and the parts are joined, carry included, as the decimal digits of the exact
    total. PostgreSQL's SUM of a bigint is already an exact numeric.
    """

    inherit_cache = True
    name = "exact_sum"

    def __init__(self, column: ColumnElement[Decimal]) -> None:
        super().__init__(column)
        self.type = column.type


@compiles(exact_sum)
def _exact_sum(element: exact_sum, compiler: SQLCompiler, **kw: Any) -> str:
    return f"SUM({compiler.process(element.clauses, **kw)})"


@compiles(exact_sum, "sqlite")
def _exact_sum_sqlite(element: exact_sum, compiler: SQLCompiler, **kw: Any) -> str:
    column = compiler.process(element.clauses, **kw)
    low = f"SUM(({column}) % 1000000000)"
    return (f"CASE WHEN COUNT({column}) = 0 THEN NULL ELSE printf('%d%09d', "
            f"SUM(({column}) / 1000000000) + {low} / 1000000000, {low} % 1000000000) END")


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Timezone-aware UTC timestamps on every backend (SQLite hands back naive values)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC timestamp column")
        return value.astimezone(dt.UTC)

    def process_result_value(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class TimestampMixin:
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow, index=True)


_BEGIN = {mode: f"BEGIN {mode}" for mode in ("DEFERRED", "IMMEDIATE", "EXCLUSIVE")}

# What SQLite may hold in memory for the whole process (page caches, sorts), in bytes. Each connection keeps up to
# 2 MiB of pages by default and a pooled connection keeps them: eight connections serving eight requests at once
# held 20–35 MiB more than one does. Above this budget SQLite reuses its least recently used pages instead of
# allocating more. One request alone (its page cache and the summary's DISTINCT sorts) stays below it, so a
# single read is as fast as without it; reads that run together share it.
SQLITE_MEMORY_BUDGET = 16 * 2**20


def _install_sqlite_behaviour(engine: Engine, busy_timeout_ms: int) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not pysqlite, decide when transactions begin: SAVEPOINTs then work as documented.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA soft_heap_limit={SQLITE_MEMORY_BUDGET}")  # for the process, not the connection
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # Writers take the lock up front: a deferred transaction that later needs to write can fail
        # with SQLITE_BUSY at once instead of waiting out busy_timeout.
        # Straight to the driver: through exec_driver_sql the BEGIN cost a third of opening a read's transaction.
        mode = connection.get_execution_options().get("sqlite_begin", "DEFERRED")
        connection.connection.driver_connection.execute(_BEGIN[mode])


def make_engine(url: str, *, busy_timeout_ms: int = 5000, pool_size: int = 10) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:" and not database.startswith("file:"):
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False})
        _install_sqlite_behaviour(engine, busy_timeout_ms)
    else:
        engine = create_engine(url, pool_pre_ping=True, pool_size=pool_size, max_overflow=pool_size)
    # An INSERT of many rows goes as multi-row INSERT … VALUES statements, not one statement per row. SQLite:
    # each statement that fires triggers opens a statement journal, and with the search index and generation
    # triggers that was three quarters of the cost of inserting a firm. PostgreSQL: the statement triggers (the
    # tables' generations) run once a page of rows, and the server parses and plans a page at a time.
    engine.dialect.use_insertmanyvalues_wo_returning = True
    return engine


def insert_rows(session: Session, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Insert many rows (dicts of the same keys) into ``table`` in ``session``'s transaction, with the columns'
    Python-side defaults (``default=``, one value for all the rows) and the column types' conversions, as
    ``session.execute(insert(table), rows)`` would.

    SQLite: that statement, sent as multi-row INSERTs (see ``make_engine``). PostgreSQL: one ``COPY``, so the
    table's statement triggers run once for all the rows and the server parses no SQL per row. (The multi-row
    INSERTs ``make_engine`` asks for cost psycopg about 0.2 ms of CPU a row more than COPY: it rewrites the
    placeholders of so long a statement in Python, uncached.)
    """
    if not rows:
        return
    connection = session.connection()
    dialect = connection.dialect
    if dialect.name != "postgresql":
        session.execute(insert(table), rows)
        return
    given = list(rows[0])
    defaults = {column.name: column.default.arg(None) if column.default.is_callable else column.default.arg
                for column in table.columns if column.name not in given
                and isinstance(column.default, ColumnDefault) and not column.default.is_clause_element}
    names = [*given, *defaults]
    processors = [table.c[name].type._cached_bind_processor(dialect) for name in names]
    fixed = [defaults[name] if processor is None else processor(defaults[name])
             for name, processor in zip(names[len(given):], processors[len(given):], strict=True)]
    converters = [(index, processor) for index, processor in enumerate(processors[:len(given)]) if processor]
    from psycopg import sql  # the driver of PostgreSQL URLs; not imported where SQLite alone is used

    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(table.name), sql.SQL(", ").join(map(sql.Identifier, names)))
    cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
    with cursor, cursor.copy(statement) as copy:
        for row in rows:
            values = [row[name] for name in given]
            for index, processor in converters:
                values[index] = processor(values[index])
            copy.write_row([*values, *fixed])


_T = TypeVar("_T")


class PerDialect(ColumnElement[_T]):
    """An expression written one way for PostgreSQL and another for SQLite: the same rows or value, each as that
    database's planner serves it best (``app/stats/archived.py``, the search's words and contacts, ``one_of``)."""

    inherit_cache = True
    _traverse_internals = [("default", InternalTraversal.dp_clauseelement),
                           ("postgresql", InternalTraversal.dp_clauseelement)]

    def __init__(self, default: ColumnElement[_T], postgresql: ColumnElement[_T]) -> None:
        self.default = default
        self.postgresql = postgresql

    @property
    def _from_objects(self) -> Any:
        return self.default._from_objects


@compiles(PerDialect)
def _per_dialect(element: PerDialect[Any], compiler: SQLCompiler, **kw: Any) -> str:
    return compiler.process(element.default, **kw)


@compiles(PerDialect, "postgresql")
def _per_dialect_postgresql(element: PerDialect[Any], compiler: SQLCompiler, **kw: Any) -> str:
    return compiler.process(element.postgresql, **kw)


class _JsonArray(TypeDecorator[list[Any]]):
    """A list sent as one JSON text (for ``json_each``)."""

    impl = String
    cache_ok = True

    def process_bind_param(self, value: list[Any] | None, dialect: Any) -> str | None:
        return None if value is None else json.dumps(list(value), ensure_ascii=False)


def one_of(column: ColumnElement[Any] | QueryableAttribute[Any], values: Iterable[str | int] | None = None, *,
           key: str | None = None) -> ColumnElement[bool]:
    """``column IN (…)`` with the values as one parameter, instead of a placeholder per value, which took longer
    to prepare than the look-up took to run (imports look up 500 credit codes at a time, a page its 50 firms'
    tags); the same rows. PostgreSQL: ``column = ANY(:values)``, an array. SQLite: ``column IN (SELECT value
    FROM json_each(:values))``, a JSON array of strings or integers.

    Either the ``values`` here, or a ``key`` for a statement built once and run with ``{key: [values]}``."""
    listed = None if values is None else list(values)
    return PerDialect(
        column.in_(select(literal_column("value")).select_from(
            func.json_each(bindparam(key, listed, type_=_JsonArray())))),
        column == any_(bindparam(key, listed, type_=ARRAY(column.type))))


def refresh_statistics(connection: Connection, tables: Sequence[str] = ()) -> None:
    """Give the query planner current statistics of ``tables`` (all when empty); run after the schema or the
    data changed in bulk.

    Without them SQLite guesses every equality to be selective and walks 90 % of the registry through
    ``status = 'active'`` rather than the firm's district. Sampled statistics (``analysis_limit``) are no
    better: they put a thousand firms under each status. A full pass costs about 1.4 s a 100,000 firms with
    their million visits on SQLite, a table alone far less; PostgreSQL samples on its own.
    """
    for table in tables or [""]:
        connection.exec_driver_sql(f"ANALYZE {table}".strip())


def refresh_column_statistics(connection: Connection, tables: Sequence[str]) -> None:
    """``refresh_statistics`` of ``tables`` for a bulk write (imports). PostgreSQL: of every column but not of
    the expression indexes: those of the names' grams (migration 0019) take 30 times as long as all the columns
    together (0.8 s against 20 ms at 10,000 firms); autovacuum takes them after the commit. SQLite: the same
    ``ANALYZE`` (its tables' statistics take a few milliseconds)."""
    if connection.dialect.name != "postgresql":
        refresh_statistics(connection, tables)
        return
    for name in tables:
        table = Base.metadata.tables[name]
        connection.exec_driver_sql(f"ANALYZE {name} ({', '.join(column.name for column in table.columns)})")


# Pages SQLite may keep in memory while one connection writes a large file (KiB, as PRAGMA cache_size takes
# negative values). With the default 2 MiB, a 100,000-firm import's indexes do not fit, every insert reads
# and re-writes pages through the operating system, and the import took 2.5 times the CPU it takes with room.
# The cache fills up to its size (at 128 MiB a 100,000-row import peaked at 294 MiB of RSS): 8 MiB keeps the
# pages inserts return to (a 100,000-firm import took within 10 % of its time with 128 MiB, 10,000 firms the
# same), and an import's memory within a worker's.
LARGE_WRITE_CACHE_KIB = 8_192


@contextmanager
def large_write_cache(connection: Connection) -> Iterator[None]:
    """Room in SQLite's page cache for one large write on ``connection``, given back afterwards (the
    connection returns to the pool, where its memory would otherwise stay). PostgreSQL: nothing to do."""
    if connection.dialect.name != "sqlite":
        yield
        return
    before = connection.exec_driver_sql("PRAGMA cache_size").scalar_one()
    # The process's budget (SQLITE_MEMORY_BUDGET) grows by as much meanwhile: SQLite has one writer at a time.
    budget = int(connection.exec_driver_sql("PRAGMA soft_heap_limit").scalar_one())
    connection.exec_driver_sql(f"PRAGMA soft_heap_limit={budget + LARGE_WRITE_CACHE_KIB * 1024 if budget else 0}")
    connection.exec_driver_sql(f"PRAGMA cache_size=-{LARGE_WRITE_CACHE_KIB}")
    try:
        yield
    finally:
        connection.exec_driver_sql(f"PRAGMA cache_size={int(before)}")
        connection.exec_driver_sql("PRAGMA shrink_memory")
        connection.exec_driver_sql(f"PRAGMA soft_heap_limit={budget}")


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False, autoflush=True)


SessionFactory = Callable[[bool], Session]


def engine_session_factory(engine: Engine) -> SessionFactory:
    """Sessions for requests: ``write=True`` begins SQLite transactions IMMEDIATE."""
    reader = make_session_factory(engine)
    writer = make_session_factory(engine.execution_options(sqlite_begin="IMMEDIATE"))

    def open_session(write: bool) -> Session:
        return writer() if write else reader()

    return open_session
