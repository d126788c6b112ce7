"""The summary's figures from the counts kept by triggers in every write's transaction. Whole years:
``totals_by_year`` (a few rows a year) less the rows of archived firms in the per-firm tables
``activity_by_year`` and ``applications_by_year``, and less the recommendations of archived applications — both
few, found through their indexes. Periods ending inside their year (a year in progress): visits, demands and loans
from ``totals_by_day`` (a few rows a day) less the archived firms' own records. The cost does not grow with the
firms or the years of history."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, and_, case, distinct, func, literal, select, union_all
from sqlalchemy.orm import Session

from app.db import exact_sum
from app.enterprises.models import ARCHIVED_FIRM_IDS, AnnualFigures, Enterprise
from app.pipeline.models import Application, StageEvent
from app.stats.archived import of_archived_firm
from app.stats.models import ApplicationsByYear, TotalsByDay, TotalsByYear
from app.visits.models import ActivityByYear, Demand, Visit

ZERO = Decimal("0.00")
Totals = TotalsByYear


def _firms_with(counter: Any) -> Any:
    return func.count(case((counter > 0, 1)))


def _money(column: Any) -> Any:
    return exact_sum(column)


# figure: (its aggregate over a year's per-firm rows, its column of the year's totals)
ACTIVITY: dict[str, tuple[Any, Any]] = {
    "visits": (func.sum(ActivityByYear.visits), Totals.visits),
    "demands_raised": (func.sum(ActivityByYear.demands_raised), Totals.demands_raised),
    "demands_resolved": (func.sum(ActivityByYear.demands_resolved), Totals.demands_resolved),
    "demands_resolved_on_time": (func.sum(ActivityByYear.demands_resolved_on_time), Totals.demands_resolved_on_time),
    "firms_visited": (_firms_with(ActivityByYear.visits), Totals.firms_visited),
}
Row = ApplicationsByYear
APPLICATIONS: dict[str, tuple[Any, Any]] = {
    "tech_sme_registered": (_firms_with(Row.tech_sme_registered), Totals.tech_sme_firms),
    "rd_subsidy_firms": (_firms_with(Row.rd_subsidies), Totals.rd_subsidy_firms),
    "rd_subsidy_approved": (_money(Row.rd_subsidy_approved), Totals.rd_subsidy_approved),
    "rd_subsidy_disbursed": (_money(Row.rd_subsidy_disbursed), Totals.rd_subsidy_disbursed),
    "loans_disbursed": (func.sum(Row.loans), Totals.loans),
    "loan_amount_disbursed": (_money(Row.loan_disbursed), Totals.loan_disbursed),
    "loan_firms": (_firms_with(Row.loans), Totals.loan_firms),
    "high_tech_recommended": (_firms_with(Row.high_tech_recommended), Totals.recommended_firms),
    "high_tech_newly_recognized": (func.sum(Row.high_tech_first), Totals.first_recognized_firms),
    "high_tech_renewed": (func.sum(Row.high_tech_renewed), Totals.renewed_firms),
}
MONEY = {Totals.rd_subsidy_approved, Totals.rd_subsidy_disbursed, Totals.loan_disbursed}


def _of_live_firms(session: Session, years: Sequence[int], figures: dict[str, tuple[Any, Any]], per_firm: Any
                   ) -> dict[int, dict[str, Any]]:
    """``figures`` for each of ``years``: the totals less the archived firms' rows of the ``per_firm`` table."""
    result: dict[int, dict[str, Any]] = {
        year: {name: ZERO if total in MONEY else 0 for name, (_rows, total) in figures.items()} for year in years}
    if not years:
        return result
    totals = (select(Totals.year, *[_money(total) if total in MONEY else func.sum(total)
                                    for _rows, total in figures.values()])
              .where(Totals.year.in_(years)).group_by(Totals.year))
    archived = (select(per_firm.year, *[rows for rows, _total in figures.values()])
                .where(per_firm.year.in_(years), of_archived_firm(per_firm.enterprise_id))
                .group_by(per_firm.year))
    for sign, counted in ((1, totals), (-1, archived)):
        for year, *values in session.execute(counted):
            for name, value in zip(figures, values, strict=True):
                result[year][name] += sign * (value or 0)
    return result


def figure_sums(session: Session, years: Sequence[int]) -> dict[int, dict[str, Decimal]]:
    """The R&D expense of live above-scale firms and the high-tech income of live firms in each of ``years``:
    the yearly sums less the archived firms' annual figures."""
    result = {year: {"rd_expense_above_scale": ZERO, "high_tech_income": ZERO} for year in years}
    if not years:
        return result
    totals = (select(Totals.year, _money(Totals.rd_expense_above_scale), _money(Totals.high_tech_income))
              .where(Totals.year.in_(years)).group_by(Totals.year))
    # The archived firms from their index first, then each one's flag: asked for both at once, SQLite may judge
    # the index not worth it and read every firm (300 ms at a million firms).
    archived_above_scale = select(Enterprise.id).where(of_archived_firm(Enterprise.id),
                                                       Enterprise.above_scale.is_(True))
    archived = (select(AnnualFigures.year,
                       _money(case((AnnualFigures.enterprise_id.in_(archived_above_scale), AnnualFigures.rd_expense))),
                       _money(AnnualFigures.high_tech_income))
                .where(AnnualFigures.year.in_(years), of_archived_firm(AnnualFigures.enterprise_id))
                .group_by(AnnualFigures.year))
    for sign, counted in ((1, totals), (-1, archived)):
        for year, rd_expense, income in session.execute(counted):
            result[year]["rd_expense_above_scale"] += sign * (rd_expense or 0)
            result[year]["high_tech_income"] += sign * (income or 0)
    return result


def registered_firms(session: Session, years: Sequence[int]) -> list[int]:
    """Active firms that are not archived registered up to the end of each of ``years`` or on no known date:
    the yearly counts of the years up to it, year 0 (no date) included."""
    query = select(*[func.coalesce(func.sum(case((Totals.year <= year, Totals.firms_registered))), 0)
                     for year in years]).where(Totals.year <= max(years))
    return [int(n) for n in session.execute(query).one()]


def activity_figures(session: Session, years: Sequence[int]) -> dict[int, dict[str, int]]:
    """Visits, firms visited and demands raised, resolved and resolved on time of live firms in each of the whole
    calendar ``years``."""
    return _of_live_firms(session, years, ACTIVITY, ActivityByYear)


def application_figures(session: Session, years: Sequence[int]) -> dict[int, dict[str, Any]]:
    """Tech-SME registrations, subsidies (by the application's year), loans, recommended firms and firms with a
    first or a renewed high-tech certificate (of the whole calendar year) of live applications of live firms in each
    of ``years``."""
    result = _of_live_firms(session, years, APPLICATIONS, ApplicationsByYear)
    if years:
        whole = [(dt.date(year, 1, 1), dt.date(year, 12, 31)) for year in years]
        for year, firms in zip(years, _recommended_only_by_archived_applications(session, whole), strict=True):
            result[year]["high_tech_recommended"] -= firms
    return result


Daily = TotalsByDay
LENT = ("disbursed", "overdue", "repaid")
# figure: its column of the daily totals
DAILY: dict[str, Any] = {
    "visits": Daily.visits, "firms_visited": Daily.firms_visited, "demands_raised": Daily.demands_raised,
    "demands_resolved": Daily.demands_resolved, "demands_resolved_on_time": Daily.demands_resolved_on_time,
    "loans_disbursed": Daily.loans, "loan_amount_disbursed": Daily.loan_disbursed, "loan_firms": Daily.loan_firms,
    "high_tech_recommended": Daily.recommended_firms, "high_tech_newly_recognized": Daily.first_recognized_firms,
    "high_tech_renewed": Daily.renewed_firms,
}
# figure: the per-firm day it counts a firm by
FIRST_DAYS = {"high_tech_recommended": Row.first_recommended_on, "high_tech_newly_recognized": Row.first_certified_on,
              "high_tech_renewed": Row.first_renewed_on}


def to_date_figures(session: Session, periods: Sequence[tuple[dt.date, dt.date]]) -> list[dict[str, Any]]:
    """Visits, firms visited, demands raised, resolved and resolved on time, loans disbursed (their number, amount
    and firms), firms recommended for high-tech recognition and firms with a first or a renewed high-tech certificate,
    of live records of live firms in each of ``periods`` (1 January to a day of the same year): the days' totals
    less the archived firms' own records, and less the firms recommended in the period only by archived
    applications."""
    sums = [_money(column) if column is Daily.loan_disbursed else func.sum(column) for column in DAILY.values()]
    days = union_all(*[select(literal(i), *sums).where(Daily.day.between(start, end))
                       for i, (start, end) in enumerate(periods)])
    result = [{name: ZERO if name == "loan_amount_disbursed" else 0 for name in DAILY} for _ in periods]
    for i, *values in session.execute(days):
        result[i].update({name: value for name, value in zip(DAILY, values, strict=True) if value is not None})
    for figures, archived in zip(result, _of_archived_firms(session, periods), strict=True):
        for name, value in archived.items():
            figures[name] -= value or 0
    for figures, firms in zip(result, _recommended_only_by_archived_applications(session, periods), strict=True):
        figures["high_tech_recommended"] -= firms
    for figures in result:
        figures["loan_amount_disbursed"] = Decimal(figures["loan_amount_disbursed"]).quantize(Decimal("0.01"))
    return result


def _of_archived_firms(session: Session, periods: Sequence[tuple[dt.date, dt.date]]) -> list[dict[str, Any]]:
    """The figures of ``to_date_figures`` counted from the records of archived firms only (few: read through the
    records' indexes by firm)."""

    def counted(firm: Any, day: Any, *conditions: ColumnElement[bool], amount: Any = None) -> list[Any]:
        """Per period: the rows, the firms, and the sum of ``amount``."""
        columns: list[Any] = []
        for start, end in periods:
            counts = and_(day >= start, day <= end, *conditions)
            columns += [func.count(case((counts, firm))), func.count(distinct(case((counts, firm))))]
            columns.append(exact_sum(case((counts, amount))) if amount is not None else literal(None))
        return columns

    # Whether a demand is archived is asked in the aggregate: in the WHERE clause it would tempt SQLite without
    # statistics to read every live demand by ``archived_at`` rather than the archived firms' by their ids.
    live, resolved = Demand.archived_at.is_(None), Demand.status == "resolved"
    on_time = (Demand.due_on.is_(None)) | (Demand.resolved_on <= Demand.due_on)
    first, last = min(start for start, _end in periods), max(end for _start, end in periods)
    visits = session.execute(select(*counted(Visit.enterprise_id, Visit.visited_on)).where(
        Visit.enterprise_id.in_(ARCHIVED_FIRM_IDS), Visit.archived_at.is_(None),
        Visit.visited_on.between(first, last))).one()
    demands = session.execute(select(
        *counted(Demand.enterprise_id, Demand.raised_on, live),
        *counted(Demand.enterprise_id, Demand.resolved_on, live, resolved),
        *counted(Demand.enterprise_id, Demand.resolved_on, live, resolved, on_time)).where(
        of_archived_firm(Demand.enterprise_id))).one()
    loans = session.execute(select(*counted(Application.enterprise_id, Application.valid_from,
                                            amount=Application.amount_disbursed)).where(
        of_archived_firm(Application.enterprise_id), Application.program == "tech_loan", Application.stage.in_(LENT),
        Application.archived_at.is_(None), Application.valid_from.between(first, last))).one()
    firsts = session.execute(select(*[func.count(case((day.between(start, end), 1)))
                                      for start, end in periods for day in FIRST_DAYS.values()]).where(
        Row.year.in_({start.year for start, _end in periods}), of_archived_firm(Row.enterprise_id))).one()
    n, k = 3 * len(periods), len(FIRST_DAYS)  # columns of each ``counted``, per-firm days
    return [{"visits": visits[3 * i], "firms_visited": visits[3 * i + 1], "demands_raised": demands[3 * i],
             "demands_resolved": demands[n + 3 * i], "demands_resolved_on_time": demands[2 * n + 3 * i],
             "loans_disbursed": loans[3 * i], "loan_firms": loans[3 * i + 1],
             "loan_amount_disbursed": loans[3 * i + 2] or ZERO,
             **{name: firsts[k * i + j] for j, name in enumerate(FIRST_DAYS)}} for i in range(len(periods))]


def _recommended_only_by_archived_applications(session: Session, periods: Sequence[tuple[dt.date, dt.date]]
                                                  ) -> list[int]:
    """Per period, the live firms whose every recommendation of the period is one of an archived application (the
    yearly and daily totals count them; the figure does not): of the few firms an archived application's
    recommendation names, those without one of a live application."""
    first, last = min(start for start, _end in periods), max(end for _start, end in periods)
    recommended = (select(StageEvent.occurred_on, StageEvent.enterprise_id)
                   .where(StageEvent.program == "high_tech", StageEvent.to_stage == "recommended",
                          StageEvent.occurred_on.between(first, last)))
    archived_applications = select(Application.id).where(Application.archived_at.is_not(None))
    named = session.execute(recommended.where(StageEvent.application_id.in_(archived_applications),
                                              StageEvent.enterprise_id.not_in(ARCHIVED_FIRM_IDS))).all()
    if not named:
        return [0 for _ in periods]
    live = session.execute(recommended.join(Application, Application.id == StageEvent.application_id).where(
        StageEvent.enterprise_id.in_({firm for _on, firm in named}), Application.archived_at.is_(None))).all()
    return [len({firm for on, firm in named if start <= on <= end} - {firm for on, firm in live if start <= on <= end})
            for start, end in periods]
