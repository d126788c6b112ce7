"""Throw-away databases for tests: a temporary SQLite file, or a fresh PostgreSQL database on the
server named by SEEDBED_TEST_DATABASE_URL."""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.engine import make_url

from app import migrate
from app.config import get_settings

TEST_DATABASE_URL_ENV = "SEEDBED_TEST_DATABASE_URL"
# As README asks of a deployment: pg_trgm reads Chinese characters only under a UTF-8 LC_CTYPE. Sorting stays
# bytewise (LC_COLLATE C), as on the server's default databases.
UTF8_CTYPE = "TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C.UTF-8'"


def server_url() -> str | None:
    """The PostgreSQL server the suite runs against, or None for SQLite."""
    return os.environ.get(TEST_DATABASE_URL_ENV) or None


def backend_name() -> str:
    url = server_url()
    return make_url(url).get_backend_name() if url else "sqlite"


@contextmanager
def temporary_database(prefix: str = "seedbed_test") -> Iterator[str]:
    """Yield the URL of an empty database that is dropped afterwards."""
    base = server_url()
    if base is None:
        with tempfile.TemporaryDirectory(prefix=prefix) as directory:
            yield f"sqlite:///{Path(directory) / 'test.db'}"
        return
    parsed = make_url(base)
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}" {UTF8_CTYPE}'))
        try:
            yield parsed.set(database=name).render_as_string(hide_password=False)
        finally:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


def rows_known_to_planner(connection: Connection, table: str) -> int:
    """How many rows the query planner believes ``table`` holds: 0 without statistics (SQLite keeps none for
    an unanalysed table; PostgreSQL's ``reltuples`` changes only when the table is analysed or vacuumed)."""
    if connection.dialect.name == "postgresql":
        return max(0, int(connection.scalar(text("SELECT reltuples FROM pg_class WHERE relname = :t"), {"t": table})))
    # One line per index, led by the rows it holds: a partial index holds fewer than the table.
    stats = connection.scalars(text("SELECT stat FROM sqlite_stat1 WHERE tbl = :t"), {"t": table})
    return max((int(stat.split()[0]) for stat in stats if stat), default=0)


@contextmanager
def command_database(monkeypatch: pytest.MonkeyPatch, prefix: str) -> Iterator[str]:
    """A migrated database of its own that ``seedbed`` commands read from the environment, as an operator
    would set it; the cached settings are forgotten on the way in and out."""
    with temporary_database(prefix) as url:
        migrate.upgrade(url)
        monkeypatch.setenv("SEEDBED_DATABASE_URL", url)
        get_settings.cache_clear()
        try:
            yield url
        finally:
            get_settings.cache_clear()


def triggers_named(engine: Engine, part: str) -> set[str]:
    """The triggers (on PostgreSQL: and trigger functions) whose names hold ``part``: what a migration made or
    dropped."""
    with engine.connect() as connection:
        if connection.dialect.name == "sqlite":
            query = "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE :named"
        else:
            query = ("SELECT tgname FROM pg_trigger WHERE tgname LIKE :named UNION ALL "
                     "SELECT proname FROM pg_proc WHERE proname LIKE :named")
        return set(connection.execute(text(query), {"named": f"%{part}%"}).scalars())
