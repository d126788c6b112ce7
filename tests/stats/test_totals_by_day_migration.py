"""Migration 0026 counts the visits, demands, loans, recommendations and certificates already there into
``totals_by_day`` and the firms' first days of each year, its triggers keep them on later writes, and the table, the
columns and the triggers go away whole on downgrade."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect, update
from sqlalchemy.orm import Session

from app import migrate
from app.db import make_engine
from app.pipeline.models import Application
from app.visits.models import Visit
from tests.stats.exact import EDGES, assert_periods_exact
from tests.stats.random_records import fill
from tests.stats.totals import assert_daily_totals_add_up
from tests.support.databases import temporary_database, triggers_named

# Makes its own databases: not part of `make test-fast`.
pytestmark = pytest.mark.integration

FIRST_DAYS = {"first_visited_on", "first_loan_on", "first_recommended_on", "first_certified_on", "first_renewed_on"}
# The revision 0026 follows, wherever the migrations are chained.
BEFORE = ScriptDirectory.from_config(migrate.alembic_config("sqlite://")).get_revision("0026").down_revision


def _exact(engine: Engine) -> None:
    with Session(engine) as session:
        assert_daily_totals_add_up(session)
        for as_of in EDGES:
            assert_periods_exact(session, as_of)


def _kept(engine: Engine) -> tuple[set[str], set[str]]:
    """The triggers (and PostgreSQL functions) keeping ``totals_by_day``, and the first-day columns."""
    inspector = inspect(engine)
    columns = {column["name"] for table in ("activity_by_year", "applications_by_year")
               for column in inspector.get_columns(table)} & FIRST_DAYS
    return triggers_named(engine, "totals_by_day"), columns


def test_existing_records_counted_then_kept_then_dropped() -> None:
    with temporary_database("seedbed_daily") as url:
        assert isinstance(BEFORE, str)
        migrate.upgrade(url, BEFORE)
        engine = make_engine(url)
        try:
            with Session(engine) as session, session.begin():
                fill(session, random.Random(11))

            migrate.upgrade(url)
            triggers, columns = _kept(engine)
            named = {f"{table}_totals_by_day" for table in ("visits", "demands", "applications", "stage_events",
                                                            "activity_by_year", "applications_by_year")}
            if engine.dialect.name == "sqlite":  # one trigger per event; on PostgreSQL a trigger and its function
                named = {f"{name}_{event}" for name in named for event in ("insert", "update", "delete")}
            assert triggers == named
            assert columns == FIRST_DAYS
            _exact(engine)
            with engine.begin() as connection:  # SQL by hand: the triggers keep the counts
                connection.execute(update(Application).where(Application.program == "tech_loan")
                                   .values(stage="disbursed", valid_from=dt.date(2026, 1, 1)))
                connection.execute(update(Visit).values(visited_on=dt.date(2025, 3, 1), archived_at=None))
                connection.execute(update(Application).where(Application.program == "high_tech")
                                   .values(stage="recognized", archived_at=None))
            _exact(engine)

            migrate.downgrade(url, BEFORE)
            assert "totals_by_day" not in inspect(engine).get_table_names()
            assert _kept(engine) == (set(), set())
            with engine.begin() as connection:  # writes need nothing of what went away
                connection.execute(update(Visit).values(visited_on=dt.date(2024, 2, 29)))
                connection.execute(update(Application).values(archived_at=None))

            migrate.upgrade(url)
            _exact(engine)
        finally:
            engine.dispose()
