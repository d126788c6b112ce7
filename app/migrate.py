"""Alembic, driven from code: the only way Seedbed's schema is made or changed."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, create_engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from app.config import PROJECT_ROOT
from app.db import make_engine, refresh_statistics


def migrations_dir() -> Path:
    # Next to the package in a checkout; in the working directory when installed elsewhere (Docker).
    for candidate in (PROJECT_ROOT / "migrations", Path.cwd() / "migrations"):
        if (candidate / "env.py").exists():
            return candidate
    raise RuntimeError("cannot find the migrations/ directory")


def alembic_config(database_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def upgrade(database_url: str, revision: str = "head") -> None:
    """Migrate; when that changed the schema (new indexes have no statistics), analyse the database."""
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            before = current_revisions(connection)
        command.upgrade(alembic_config(database_url), revision)
        with engine.begin() as connection:
            if current_revisions(connection) != before:
                refresh_statistics(connection)
    finally:
        engine.dispose()


def downgrade(database_url: str, revision: str = "base") -> None:
    command.downgrade(alembic_config(database_url), revision)


@lru_cache
def head_revisions() -> frozenset[str]:
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    return frozenset(script.get_heads())


def current_revisions(connection: Connection) -> frozenset[str]:
    return frozenset(MigrationContext.configure(connection).get_current_heads())


def is_at_head(connection: Connection) -> bool:
    return current_revisions(connection) == head_revisions()


def database_problem(database_url: str, *, at_head: bool = True) -> str | None:
    """Why a command other than ``migrate``/``serve`` must not use this database, or None. Never creates one:
    an SQLite file that is not there is reported, not made (a cron job run from another directory would
    otherwise back up, or report on, a fresh empty database)."""
    url = make_url(database_url)
    shown = url.render_as_string(hide_password=True)
    if url.get_backend_name() == "sqlite":
        path = url.database or ""
        if path in ("", ":memory:") or path.startswith("file:"):
            return f"{shown} is not a database file: set SEEDBED_DATABASE_URL"
        if not Path(path).is_file():
            return (f"there is no database at {Path(path).resolve()} (SEEDBED_DATABASE_URL={database_url}; a "
                    "relative path is read from the current directory). Set SEEDBED_DATABASE_URL to the server's "
                    "database, or create one with `seedbed migrate`.")
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            current = current_revisions(connection)
    except SQLAlchemyError as exc:
        return f"cannot open the database {shown}: {str(exc).splitlines()[0]}"
    finally:
        engine.dispose()
    if not current:
        return f"the database {shown} has no Seedbed schema: run `seedbed migrate` first"
    if at_head and current != head_revisions():
        return (f"the database {shown} is at migration {', '.join(sorted(current))}, not the latest: run "
                "`seedbed migrate` first")
    return None
