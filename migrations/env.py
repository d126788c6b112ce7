"""Alembic environment: every model imported, SQLite in batch mode with foreign keys off."""

from __future__ import annotations

from alembic import context
from alembic.operations.ops import MigrationScript
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection

import app.models  # noqa: F401  (registers every table on Base.metadata)
from app.config import get_settings
from app.db import Base, make_engine
from app.enterprises.search import is_search_object

config = context.config
target_metadata = Base.metadata


def _url() -> str:
    return config.get_main_option("sqlalchemy.url") or get_settings().database_url


def _described_by_models(name: str | None, type_: str, _parents: object) -> bool:
    # The search indexes (FTS5 tables, trigram indexes) are made by migration 0018, not by the models.
    return not is_search_object(name, type_)


def _drop_empty(context: MigrationContext, revision: object, directives: list[MigrationScript]) -> None:
    # An autogenerate run that finds nothing writes no file.
    if config.cmd_opts is not None and getattr(config.cmd_opts, "autogenerate", False):
        script = directives[0]
        if script.upgrade_ops is not None and script.upgrade_ops.is_empty():
            directives[:] = []


def run_migrations_offline() -> None:
    url = _url()
    context.configure(
        url=url, target_metadata=target_metadata, literal_binds=True, compare_type=True,
        render_as_batch=url.startswith("sqlite"), include_name=_described_by_models,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    url = _url()
    connectable = config.attributes.get("connection")
    if connectable is not None:
        _run(connectable, url.startswith("sqlite") or connectable.dialect.name == "sqlite")
        return
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            _run(connection, engine.dialect.name == "sqlite")
    finally:
        engine.dispose()


def _sqlite_foreign_keys(connection: Connection, on: bool) -> None:
    # Straight on the driver connection: the pragma is ignored inside a transaction.
    driver = connection.connection.driver_connection
    assert driver is not None
    driver.execute(f"PRAGMA foreign_keys={'ON' if on else 'OFF'}")


def _run(connection: Connection, is_sqlite: bool) -> None:
    if is_sqlite:
        # Batch mode rebuilds tables; with foreign keys on, dropping the old copy would cascade.
        _sqlite_foreign_keys(connection, on=False)
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        compare_type=True,
        render_as_batch=is_sqlite,
        process_revision_directives=_drop_empty,
        include_name=_described_by_models,
    )
    with context.begin_transaction():
        context.run_migrations()
    if is_sqlite:
        _sqlite_foreign_keys(connection, on=True)


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
