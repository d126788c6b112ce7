"""Alembic is the only schema path: the migrations round-trip, and they describe exactly the models."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

import app.models  # noqa: F401  (every table on Base.metadata)
from app import migrate
from app.db import Base, make_engine
from tests.support.databases import temporary_database


def _differences(url: str) -> list[object]:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            return list(compare_metadata(context, Base.metadata))
    finally:
        engine.dispose()


def _tables(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        return set(inspect(engine).get_table_names()) - {"alembic_version"}
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
