"""Alembic is the only schema path: the migrations round-trip, and they describe exactly the models."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

import app.models  # noqa: F401  (every table on Base.metadata)
from app import migrate
from app.db import Base, make_engine
from app.enterprises.search import SEARCH_TABLES, is_search_object
from tests.support.databases import temporary_database

# Makes its own databases or servers: not part of `make test-fast`.
pytestmark = pytest.mark.integration


def _differences(url: str) -> list[object]:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={
                "compare_type": True,
                "include_name": lambda name, type_, _parents: not is_search_object(name, type_)})
            return list(compare_metadata(context, Base.metadata))
    finally:
        engine.dispose()


def _tables(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        return set(inspect(engine).get_table_names()) - {"alembic_version"} - SEARCH_TABLES
    finally:
        engine.dispose()


class TestMigrations:
    def test_models_and_migrations_agree(self, database_url: str) -> None:
        assert _differences(database_url) == []

    def test_upgrade_downgrade_upgrade_round_trip(self) -> None:
        with temporary_database("seedbed_migrations") as url:
            migrate.upgrade(url)
            assert _tables(url) == set(Base.metadata.tables)
            migrate.downgrade(url, "base")
            assert _tables(url) == set()
            migrate.upgrade(url)
            assert _tables(url) == set(Base.metadata.tables)
            assert _differences(url) == []


def test_every_name_fits_postgresql() -> None:
    # PostgreSQL refuses identifiers over 63 bytes; SQLite takes any, so a long index name would pass the
    # SQLite run and fail every migration on PostgreSQL.
    names = [table.name for table in Base.metadata.sorted_tables]
    for table in Base.metadata.sorted_tables:
        names += [index.name for index in table.indexes if isinstance(index.name, str)]
        names += [c.name for c in table.constraints if isinstance(c.name, str)]
        names += [column.name for column in table.columns]
    too_long = [name for name in names if len(name.encode()) > 63]
    assert too_long == []
