"""``totals_by_year`` and ``totals_by_day`` against the rows they add up, counted afresh."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from decimal import Decimal
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from app.enterprises.models import AnnualFigures, Enterprise
from app.pipeline.models import Application, StageEvent
from app.stats.models import ApplicationsByYear, TotalsByDay, TotalsByYear
from app.visits.models import ActivityByYear, Demand, Visit


def _firms(counter: Any) -> Any:
    return func.count(case((counter > 0, 1)))


def assert_totals_add_up(session: Session) -> None:
    session.flush()
    a, r = ActivityByYear, ApplicationsByYear
    columns = {"visits": func.sum(a.visits), "demands_raised": func.sum(a.demands_raised),
               "demands_resolved": func.sum(a.demands_resolved),
               "demands_resolved_on_time": func.sum(a.demands_resolved_on_time), "firms_visited": _firms(a.visits)}
    expected: dict[int, dict[str, Any]] = {}
    for year, *values in session.execute(select(a.year, *columns.values()).group_by(a.year)):
        expected.setdefault(year, {}).update(zip(columns, values, strict=True))
    columns = {"tech_sme_firms": _firms(r.tech_sme_registered), "rd_subsidy_firms": _firms(r.rd_subsidies),
               "rd_subsidy_approved": func.sum(r.rd_subsidy_approved),
               "rd_subsidy_disbursed": func.sum(r.rd_subsidy_disbursed), "loans": func.sum(r.loans),
               "loan_firms": _firms(r.loans), "loan_disbursed": func.sum(r.loan_disbursed),
               "recommended_firms": _firms(r.high_tech_recommended),
               "first_recognized_firms": func.sum(r.high_tech_first), "renewed_firms": func.sum(r.high_tech_renewed)}
    for year, *values in session.execute(select(r.year, *columns.values()).group_by(r.year)):
        expected.setdefault(year, {}).update(zip(columns, values, strict=True))
    above_scale = case((Enterprise.above_scale.is_(True), AnnualFigures.rd_expense))
    figures = select(AnnualFigures.year, func.sum(AnnualFigures.high_tech_income), func.sum(above_scale)).join(
        Enterprise, Enterprise.id == AnnualFigures.enterprise_id).group_by(AnnualFigures.year)
    for year, income, rd_expense in session.execute(figures):
        expected.setdefault(year, {}).update(high_tech_income=income, rd_expense_above_scale=rd_expense)
    registered_year = func.coalesce(func.extract("year", Enterprise.registered_on), 0)
    registry = (select(registered_year, func.count()).where(Enterprise.archived_at.is_(None),
                                                           Enterprise.status == "active").group_by(registered_year))
    for year, firms in session.execute(registry):
        expected.setdefault(int(year), {})["firms_registered"] = firms
    t = TotalsByYear
    names = [c.name for c in t.__table__.columns if c.name not in ("year", "stripe")]
    totals = {year: dict(zip(names, values, strict=True)) for year, *values in session.execute(
        select(t.year, *[func.sum(t.__table__.c[name]) for name in names]).group_by(t.year))}
    assert expected  # there is something to add up
    for year in set(expected) | set(totals):
        found = {name: totals.get(year, {}).get(name) or 0 for name in names}
        assert found == {name: expected.get(year, {}).get(name) or 0 for name in names}, year
    assert_daily_totals_add_up(session)


LENT = ("disbursed", "overdue", "repaid")


def assert_daily_totals_add_up(session: Session) -> None:
    """``totals_by_day`` and the firms' first visit, loan, recommendation, certificate and renewal of each year,
    against the records counted afresh in Python."""
    session.flush()
    expected: dict[dt.date, Counter[str]] = defaultdict(Counter)
    firsts: dict[str, dict[tuple[int, int], dt.date]] = defaultdict(dict)

    def first(kind: str, firm: int, day: dt.date) -> None:
        key = (day.year, firm)
        firsts[kind][key] = min(day, firsts[kind].get(key, day))

    for visit in session.scalars(select(Visit).where(Visit.archived_at.is_(None))):
        expected[visit.visited_on]["visits"] += 1
        first("visit", visit.enterprise_id, visit.visited_on)
    for demand in session.scalars(select(Demand).where(Demand.archived_at.is_(None))):
        expected[demand.raised_on]["demands_raised"] += 1
        if demand.status == "resolved" and demand.resolved_on is not None:
            expected[demand.resolved_on]["demands_resolved"] += 1
            if demand.due_on is None or demand.resolved_on <= demand.due_on:
                expected[demand.resolved_on]["demands_resolved_on_time"] += 1
    loans = select(Application).where(Application.program == "tech_loan", Application.stage.in_(LENT),
                                      Application.archived_at.is_(None), Application.valid_from.is_not(None))
    amounts: dict[dt.date, Decimal] = defaultdict(Decimal)
    for loan in session.scalars(loans):
        assert loan.valid_from is not None
        expected[loan.valid_from]["loans"] += 1
        amounts[loan.valid_from] += loan.amount_disbursed or Decimal(0)
        first("loan", loan.enterprise_id, loan.valid_from)
    events = select(StageEvent).where(StageEvent.program == "high_tech", StageEvent.to_stage == "recommended")
    for event in session.scalars(events):
        first("recommended", event.enterprise_id, event.occurred_on)
    certificates: dict[int, list[dt.date]] = defaultdict(list)
    for certificate in session.scalars(select(Application).where(
            Application.program == "high_tech", Application.stage.in_(("recognized", "revoked")),
            Application.archived_at.is_(None), Application.valid_from.is_not(None))):
        assert certificate.valid_from is not None
        certificates[certificate.enterprise_id].append(certificate.valid_from)
    for firm, days in certificates.items():
        first("certified", firm, min(days))
        for later in days:
            if later > min(days):
                first("renewed", firm, later)
    for kind, name in (("visit", "firms_visited"), ("loan", "loan_firms"), ("recommended", "recommended_firms"),
                       ("certified", "first_recognized_firms"), ("renewed", "renewed_firms")):
        for day in firsts[kind].values():
            expected[day][name] += 1
    d = TotalsByDay
    names = [c.name for c in d.__table__.columns if c.name not in ("day", "stripe")]
    found = {day: dict(zip(names, values, strict=True)) for day, *values in session.execute(
        select(d.day, *[func.sum(d.__table__.c[name]) for name in names]).group_by(d.day))}
    assert expected
    for day in set(expected) | set(found):
        counted = {name: expected[day][name] for name in names if name != "loan_disbursed"}
        counted["loan_disbursed"] = amounts.get(day, Decimal(0))
        assert {name: found.get(day, {}).get(name) or 0 for name in names} == counted, day
    kept = {(year, firm): first_on for year, firm, first_on in session.execute(
        select(ActivityByYear.year, ActivityByYear.enterprise_id, ActivityByYear.first_visited_on)) if first_on}
    assert kept == firsts["visit"]
    for kind, column in (("loan", ApplicationsByYear.first_loan_on),
                         ("recommended", ApplicationsByYear.first_recommended_on),
                         ("certified", ApplicationsByYear.first_certified_on),
                         ("renewed", ApplicationsByYear.first_renewed_on)):
        kept = {(year, firm): first_on for year, firm, first_on in session.execute(
            select(ApplicationsByYear.year, ApplicationsByYear.enterprise_id, column)) if first_on}
        assert kept == firsts[kind], kind
