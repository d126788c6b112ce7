"""Alembic, driven from code: the only way Seedbed's schema is made or changed."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection

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
