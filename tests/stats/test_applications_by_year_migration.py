"""Migration 0022 counts the applications and stage events already there into ``applications_by_year``, its
triggers keep the counts on later writes, and the table and its triggers go away whole on downgrade."""

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
from app.stats.service import YearFigures, periods_figures
from tests.stats.random_records import fill
from tests.support.databases import temporary_database, triggers_named

# Makes its own databases: not part of `make test-fast`.
pytestmark = pytest.mark.integration

# The revision 0022 follows, wherever the migrations are chained.
BEFORE = ScriptDirectory.from_config(migrate.alembic_config("sqlite://")).get_revision("0022").down_revision


def _summarised_and_counted(engine: Engine, year: int) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    with Session(engine) as session:
        periods = [YearFigures(session, year, dt.date(year, 12, 31)),
                   YearFigures(session, year - 1, dt.date(year - 1, 12, 31))]
        combined, _ = periods_figures(session, periods, valid_on=dt.date(year - 2, 12, 31))
        return combined, [period.figures() for period in periods]


def test_existing_records_counted_then_kept_then_dropped() -> None:
    with temporary_database("seedbed_rollups") as url:
        assert isinstance(BEFORE, str)
        migrate.upgrade(url, BEFORE)
        engine = make_engine(url)
        try:
            with Session(engine) as session, session.begin():
                fill(session, random.Random(7))

            migrate.upgrade(url)
            assert triggers_named(engine, "applications_by_year")
            for year in (2023, 2024, 2025, 2026):
                summarised, counted = _summarised_and_counted(engine, year)
                assert summarised == counted, year
            assert summarised[0]["tech_sme_registered"]
            assert summarised[0]["loan_amount_disbursed"]
            with engine.begin() as connection:  # SQL by hand: the triggers keep the counts
                connection.execute(update(Application).where(Application.program == "rd_subsidy")
                                   .values(stage="disbursed", year=2025))
            summarised, counted = _summarised_and_counted(engine, 2025)
            assert summarised == counted

            migrate.downgrade(url, BEFORE)
            assert "applications_by_year" not in inspect(engine).get_table_names()
            assert triggers_named(engine, "applications_by_year") == set()
            with engine.begin() as connection:  # writes need nothing of what went away
                connection.execute(update(Application).values(archived_at=None))

            migrate.upgrade(url)
            summarised, counted = _summarised_and_counted(engine, 2025)
            assert summarised == counted
        finally:
            engine.dispose()
