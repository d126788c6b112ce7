"""The summary's visit and demand figures come from ``activity_by_year`` and its yearly ``totals_by_year`` (a year
in progress from ``totals_by_day``), kept by triggers: on random data, through inserts, edits, archiving, restoring,
moves between firms and deletes, they equal counting the records themselves."""

from __future__ import annotations

import datetime as dt
import random

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from app.db import utcnow
from app.enterprises.models import Enterprise
from app.stats.service import YearFigures, periods_figures
from app.visits.models import Demand, Visit
from tests.stats.exact import assert_periods_exact
from tests.stats.totals import assert_totals_add_up

YEARS = (2023, 2024, 2025)
STATUSES = ("open", "in_progress", "resolved", "closed")


def _within(column: object, year: int) -> object:
    return and_(column >= dt.date(year, 1, 1), column <= dt.date(year, 12, 31))  # type: ignore[operator]


def _counted(session: Session, year: int) -> dict[str, int]:
    """The figures as counted from the records: live records of live firms."""
    live_firm = select(Enterprise.id).where(Enterprise.archived_at.is_(None))

    def count(model: type[Visit] | type[Demand], *conditions: object) -> int:
        query = select(func.count()).select_from(model).where(
            model.archived_at.is_(None), model.enterprise_id.in_(live_firm), *conditions)  # type: ignore[arg-type]
        return session.scalar(query) or 0

    resolved = (Demand.status == "resolved", _within(Demand.resolved_on, year))
    visited = select(func.count(func.distinct(Visit.enterprise_id))).where(
        Visit.archived_at.is_(None), Visit.enterprise_id.in_(live_firm), _within(Visit.visited_on, year))
    return {
        "visits": count(Visit, _within(Visit.visited_on, year)),
        "firms_visited": session.scalar(visited) or 0,
        "demands_raised": count(Demand, _within(Demand.raised_on, year)),
        "demands_resolved": count(Demand, *resolved),
        "demands_resolved_on_time": count(Demand, *resolved,
                                          (Demand.due_on.is_(None)) | (Demand.resolved_on <= Demand.due_on)),
    }


def _summarised(session: Session, year: int) -> dict[str, int]:
    """The figures as the summary gives them (``totals_by_year`` less archived firms), checked against
    the per-firm rows (``YearFigures``) on the way."""
    names = ("visits", "firms_visited", "demands_raised", "demands_resolved", "demands_resolved_on_time")
    period = YearFigures(session, year, dt.date(year, 12, 31))
    (combined,), _ = periods_figures(session, [period], valid_on=dt.date(year, 12, 31))
    figures = period.figures()
    assert {name: combined[name] for name in names} == {name: figures[name] for name in names}
    return {name: combined[name] for name in names}


def _day(rng: random.Random) -> dt.date:
    return dt.date(rng.choice(YEARS), 1, 1) + dt.timedelta(days=rng.randrange(365))


def _demand(rng: random.Random, firm_id: int) -> Demand:
    status = rng.choice(STATUSES)
    raised = _day(rng)
    return Demand(enterprise_id=firm_id, category="funding", description="资金", raised_on=raised,
                  due_on=rng.choice([None, raised + dt.timedelta(days=rng.randrange(60))]), status=status,
                  resolved_on=raised + dt.timedelta(days=rng.randrange(90)) if status == "resolved" else None)


def test_equal_to_counting_the_records_through_every_kind_of_write(session: Session) -> None:
    rng = random.Random(20261128)
    firms = [Enterprise(credit_code=f"91430702MA{n:08d}", name=f"常德统计测试{n}有限公司", district="丹阳街道")
             for n in range(30)]
    session.add_all(firms)
    session.flush()
    visits = [Visit(enterprise_id=rng.choice(firms).id, visited_on=_day(rng), kind="phone", summary="电话回访")
              for _ in range(300)]
    demands = [_demand(rng, rng.choice(firms).id) for _ in range(200)]
    session.add_all([*visits, *demands])
    session.flush()

    def check() -> None:
        session.flush()
        assert_totals_add_up(session)
        for year in YEARS:
            assert _summarised(session, year) == _counted(session, year), year
            for as_of in (dt.date(year, 1, 1), dt.date(year, 6, 30), dt.date(year, 11, 30)):  # years in progress
                assert_periods_exact(session, as_of)

    check()
    for visit in rng.sample(visits, 60):  # moved in time, to another firm, archived, restored
        visit.visited_on = _day(rng)
        visit.enterprise_id = rng.choice(firms).id
    for visit in rng.sample(visits, 50):
        visit.archived_at = utcnow()
    for visit in rng.sample([v for v in visits if v.archived_at is not None], 10):
        visit.archived_at = None
    for demand in rng.sample(demands, 60):
        demand.status = "resolved"
        demand.resolved_on = demand.raised_on + dt.timedelta(days=rng.randrange(400))
        demand.due_on = rng.choice([None, demand.raised_on + dt.timedelta(days=30)])
    for demand in rng.sample(demands, 30):
        demand.status, demand.resolved_on = "in_progress", None
    for demand in rng.sample(demands, 30):
        demand.archived_at = utcnow()
    for firm in rng.sample(firms, 5):
        firm.archived_at = utcnow()
    check()
    for record in [*rng.sample(visits, 40), *rng.sample(demands, 40)]:
        session.delete(record)
    session.flush()
    gone = firms[-1]  # a firm deleted with its records (cascade)
    session.delete(gone)
    session.flush()
    session.expire_all()
    check()
