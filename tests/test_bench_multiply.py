"""``bench/multiply.py``: a dataset copied N times over keeps every rollup exact, whether the triggers count the
copies or the migrations count the rollups again, and every copy has its own valid credit code and unique keys."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from app import demo, migrate
from app.auth.models import User
from app.db import make_engine
from app.enterprises.credit_code import is_valid
from app.enterprises.models import Contact, Enterprise
from app.pipeline.models import Application
from app.visits.models import Visit
from bench import multiply
from tests.stats.exact import assert_periods_exact
from tests.stats.totals import assert_totals_add_up
from tests.support.databases import temporary_database

AS_OF = dt.date(2026, 11, 28)
ROLLUPS = ("activity_by_year", "applications_by_year", "totals_by_year", "totals_by_day")


@pytest.fixture
def seeded() -> Iterator[tuple[str, str]]:
    """Two databases holding the same demo district."""
    with temporary_database("seedbed_mul_a") as first, temporary_database("seedbed_mul_b") as second:
        for url in (first, second):
            migrate.upgrade(url)
            engine = make_engine(url)
            with Session(engine) as session:
                session.add(User(username="bench", display_name="bench", role="admin", password_hash="x"))
                session.flush()
                demo.generate(session, enterprises=40, seed=5, as_of=AS_OF, visits_per_firm=4)
                session.commit()
            engine.dispose()
        yield first, second


def _rollups(session: Session) -> dict[str, set[tuple[object, ...]]]:
    """Each rollup's rows, but those holding nothing (a firm's row emptied again is kept by a trigger, not made by
    a backfill)."""
    found = {}
    for table in ROLLUPS:
        rows = session.execute(text(f"SELECT * FROM {table}")).all()
        found[table] = {tuple(row) for row in rows if any(v not in (0, None) for v in tuple(row)[2:])}
    return found


def test_copies_keep_every_rollup_exact(seeded: tuple[str, str]) -> None:
    by_triggers, by_migrations = seeded
    multiply.multiply(by_triggers, 3, rows_per_statement=7)
    multiply.multiply(by_migrations, 3, rows_per_statement=7, rebuild_rollups=True)
    made = []
    for url in seeded:
        engine = make_engine(url)
        with Session(engine) as session:
            assert session.scalar(select(func.count()).select_from(Enterprise)) == 120
            codes = list(session.scalars(select(Enterprise.credit_code)))
            assert len(set(codes)) == 120
            assert all(is_valid(code) for code in codes)
            visits = session.execute(select(Visit.enterprise_id, Visit.visited_on).order_by(Visit.id)).all()
            assert len(visits) % 3 == 0
            assert visits
            firms = session.scalar(select(func.max(Enterprise.id)))
            assert {(firm + 40, day) for firm, day in visits if firm <= 40} == {
                (firm, day) for firm, day in visits if 40 < firm <= 80}  # copy 1 of each visit, on its firm's copy
            assert firms == 120
            assert session.scalar(select(func.count()).select_from(Contact)) % 3 == 0
            slots = [s for s in session.scalars(select(Application.unique_slot)) if s is not None]
            assert len(slots) == len(set(slots))
            assert_totals_add_up(session)
            for as_of in (AS_OF, dt.date(2025, 12, 31), dt.date(2025, 6, 30)):
                assert_periods_exact(session, as_of)
            made.append(_rollups(session))
        engine.dispose()
    assert made[0] == made[1]
