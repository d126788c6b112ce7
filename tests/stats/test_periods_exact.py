"""The summary reads each big table once for this year and last year (``periods_figures``), whole years from the
yearly counts and periods ending inside their year (a year in progress) from the daily counts; on random data —
archived records and firms, amounts with fen, dates on the years' and months' edges, periods cut on those edges,
and after every kind of write to the records — every figure equals the one its own straightforward query gives
(``YearFigures.figures``), to the fen and the count."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from sqlalchemy import delete, update
from sqlalchemy.orm import Session

from app.db import utcnow
from app.enterprises.models import Enterprise
from app.pipeline.models import Application
from app.visits.models import Demand, Visit
from tests.stats.exact import EDGES, assert_periods_exact
from tests.stats.random_records import STAGES, day, fill, yuan
from tests.stats.totals import assert_daily_totals_add_up


@pytest.mark.parametrize("seed", [1, 2])
@pytest.mark.parametrize("as_of", EDGES)
def test_every_figure_equals_its_own_query(session: Session, seed: int, as_of: dt.date) -> None:
    fill(session, random.Random(seed))
    combined = assert_periods_exact(session, as_of)
    # The data exercises the figures: not all of them zero.
    assert sum(1 for value in combined[0].values() if value) >= 10
    if as_of.month == 12:  # whole years: renewals among the certificates
        assert combined[0]["high_tech_renewed"] + combined[1]["high_tech_renewed"] > 0


def test_periods_in_progress_stay_exact_through_writes(session: Session) -> None:
    """Visits, demands and loans written after the counts were made — moved in time and between firms, archived,
    restored, deleted, by SQL by hand, their firms archived and deleted — still give every period's figures."""
    rng = random.Random(20261128)
    records = fill(session, rng)
    firms, applications = records.firms, records.applications
    visits, demands = session.query(Visit).all(), session.query(Demand).all()
    loans = [a for a in applications if a.program == "tech_loan"]
    in_progress = [as_of for as_of in EDGES if as_of.month != 12 or as_of.day != 31]
    figures = [assert_periods_exact(session, as_of) for as_of in in_progress]
    assert any(f[0]["visits"] and f[0]["firms_visited"] and f[0]["loans_disbursed"] for f in figures)

    for visit in rng.sample(visits, 50):
        visit.visited_on, visit.enterprise_id = day(rng), rng.choice(firms).id
    for visit in rng.sample(visits, 40):
        visit.archived_at = None if visit.archived_at else utcnow()
    for demand in rng.sample(demands, 40):
        demand.status = rng.choice(("resolved", "open"))
        demand.resolved_on = day(rng) if demand.status == "resolved" else None
        demand.due_on, demand.raised_on = rng.choice([None, day(rng)]), day(rng)
    for loan in rng.sample(loans, len(loans) // 2):
        loan.stage, loan.valid_from = rng.choice(STAGES["tech_loan"]), rng.choice([None, day(rng)])
        loan.amount_disbursed = yuan(rng)
        loan.archived_at = utcnow() if rng.random() < 0.2 else None
    for loan in rng.sample(loans, 8):
        loan.enterprise_id = rng.choice(firms).id
    for firm in rng.sample([f for f in firms if f.archived_at is None], 4):
        firm.archived_at = utcnow()
    for firm in rng.sample([f for f in firms if f.archived_at is not None], 2):
        firm.archived_at = None
    session.flush()
    assert_daily_totals_add_up(session)
    for as_of in in_progress:
        assert_periods_exact(session, as_of)

    # SQL by hand, and deletes: a firm's with its records.
    session.execute(update(Visit).where(Visit.enterprise_id == firms[1].id).values(archived_at=utcnow()))
    session.execute(update(Application).where(Application.program == "tech_loan", Application.valid_from.is_(None))
                    .values(valid_from=dt.date(2026, 1, 1), stage="repaid"))
    session.execute(update(Demand).where(Demand.status == "open").values(status="resolved",
                                                                          resolved_on=dt.date(2025, 3, 1)))
    for record in [*rng.sample(visits, 30), *rng.sample(demands, 20)]:
        session.delete(record)
    session.flush()
    session.execute(delete(Enterprise).where(Enterprise.id == firms[2].id))
    session.expire_all()
    assert_daily_totals_add_up(session)
    for as_of in in_progress:
        assert_periods_exact(session, as_of)
