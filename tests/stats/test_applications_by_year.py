"""The summary's program figures of whole years come from ``applications_by_year``, kept by triggers: on random
data, through inserts, stage changes, new amounts and dates, moves between years and firms, archiving and restoring
applications and firms, firms going above scale and back, changing status or registration date, new and edited
annual figures, SQL by hand and deletes (a firm's with its records), they equal the figures counted from the records
themselves (``YearFigures.figures``)."""

from __future__ import annotations

import datetime as dt
import random

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from app.db import utcnow
from app.enterprises.models import AnnualFigures, Enterprise
from app.pipeline.models import Application, StageEvent
from app.stats.models import ApplicationsByYear
from app.stats.service import YearFigures, periods_figures
from tests.stats.exact import EDGES, assert_periods_exact
from tests.stats.random_records import STAGES, YEARS, day, fill, yuan
from tests.stats.totals import assert_totals_add_up

FIGURES = ("tech_sme_registered", "rd_subsidy_firms", "rd_subsidy_approved", "rd_subsidy_disbursed",
           "loans_disbursed", "loan_amount_disbursed", "loan_firms", "high_tech_recommended", "rd_expense_above_scale",
           "high_tech_income", "enterprises", "high_tech_newly_recognized", "high_tech_renewed")


def _check(session: Session) -> None:
    session.flush()
    session.expire_all()
    assert_totals_add_up(session)
    for year in (*YEARS[1:], 2027, 2028):
        periods = [YearFigures(session, year, dt.date(year, 12, 31)),
                   YearFigures(session, year - 1, dt.date(year - 1, 12, 31))]
        combined, _ = periods_figures(session, periods, valid_on=dt.date(year - 2, 12, 31))
        counted = [period.figures() for period in periods]
        assert [{name: figures[name] for name in FIGURES} for figures in combined] == [
            {name: figures[name] for name in FIGURES} for figures in counted], year
    for as_of in EDGES:  # years in progress: loans from the daily counts
        assert_periods_exact(session, as_of)


def test_equal_to_counting_the_records_through_every_kind_of_write(session: Session) -> None:
    rng = random.Random(20261128)
    records = fill(session, rng)
    firms, applications, events = records.firms, records.applications, records.events
    _check(session)
    # The data exercises every figure, in some year.
    by_year = [YearFigures(session, year, dt.date(year, 12, 31)).figures() for year in YEARS]
    assert [name for name in FIGURES if not any(figures[name] for figures in by_year)] == []

    for application in rng.sample(applications, 80):  # moved on, re-dated, re-valued, moved to another firm
        application.stage = rng.choice(STAGES[application.program])
        application.amount_approved, application.amount_disbursed = yuan(rng), yuan(rng)
        application.valid_from = rng.choice([None, day(rng)])
        application.year = rng.choice(YEARS)
    for application in rng.sample(applications, 10):
        application.enterprise_id = rng.choice(firms).id
    for application in rng.sample(applications, 40):
        application.archived_at = None if application.archived_at else utcnow()
    # Every recommendation of one live firm's is of an archived application: that firm is not counted.
    recommended = next(e for e in events if e.to_stage == "recommended"
                       and next(f for f in firms if f.id == e.enterprise_id).archived_at is None)
    for application in applications:
        if application.enterprise_id == recommended.enterprise_id and application.program == "high_tech":
            application.archived_at = utcnow()
    for event in rng.sample(events, 20):
        event.occurred_on, event.to_stage = day(rng), rng.choice(("recommended", "submitted"))
    for firm in rng.sample([f for f in firms if f.archived_at is None], 4):
        firm.archived_at = utcnow()
    for firm in rng.sample([f for f in firms if f.archived_at is not None], 2):
        firm.archived_at = None
    for firm in rng.sample(firms, 12):  # their R&D moves in or out of the above-scale sum
        firm.above_scale = not firm.above_scale
    for firm in rng.sample(firms, 12):  # in or out of the registry's count, or counted from another year
        firm.status = rng.choice(("active", "moved_out", "closed"))
        firm.registered_on = rng.choice([None, day(rng)])
    figures = session.scalars(select(AnnualFigures)).all()
    for row in rng.sample(figures, 40):
        row.rd_expense, row.high_tech_income = yuan(rng), yuan(rng)
    for row in rng.sample(figures, 10):
        session.delete(row)
    session.add_all([AnnualFigures(enterprise_id=firm.id, year=2027, rd_expense=yuan(rng), high_tech_income=yuan(rng))
                     for firm in firms])
    _check(session)

    # SQL by hand: the triggers count what no ORM code wrote.
    session.execute(update(Application).where(Application.program == "tech_sme").values(stage="registered"))
    session.execute(update(Application).where(Application.program == "tech_loan", Application.valid_from.is_(None))
                    .values(valid_from=dt.date(2024, 12, 31), stage="overdue"))
    session.execute(update(StageEvent).where(StageEvent.to_stage == "submitted").values(to_stage="recommended"))
    session.execute(update(Enterprise).where(Enterprise.id.in_([f.id for f in firms[:10]]))
                    .values(above_scale=True, status="active", registered_on=dt.date(2024, 12, 31)))
    session.execute(update(AnnualFigures).where(AnnualFigures.year == 2025).values(year=2028, rd_expense=None)
                    .where(AnnualFigures.enterprise_id.in_([f.id for f in firms[5:15]])))
    _check(session)

    for event in rng.sample(events, 30):
        session.delete(event)
    for application in rng.sample([a for a in applications if a.archived_at is None], 40):
        session.delete(application)  # its stage events with it
    session.flush()
    session.execute(delete(Application).where(Application.enterprise_id == firms[0].id))
    session.delete(firms[-1])  # a firm deleted with its applications, their events and its figures
    session.flush()
    session.execute(delete(Enterprise).where(Enterprise.id == next(f.id for f in firms[1:] if f.above_scale)))
    _check(session)
    # What the firms deleted counted went with them: their rows are at zero.
    gone = (firms[0].id, firms[-1].id)
    rows = select(func.count()).select_from(ApplicationsByYear).where(
        ApplicationsByYear.enterprise_id.in_(gone), (ApplicationsByYear.tech_sme_registered != 0)
        | (ApplicationsByYear.rd_subsidies != 0) | (ApplicationsByYear.loans != 0)
        | (ApplicationsByYear.high_tech_recommended != 0))
    assert session.scalar(rows) == 0
