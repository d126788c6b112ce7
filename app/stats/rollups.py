"""The summary's figures of whole years from the yearly counts kept by triggers in every write's transaction:
``totals_by_year`` (a few rows a year) less the rows of archived firms in the per-firm tables
``activity_by_year`` and ``applications_by_year``, and less the recommendations of archived applications — both
few, found through their indexes. The cost does not grow with the firms or the years of history."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, case, func, select
from sqlalchemy.orm import Session

from app.db import exact_sum
from app.enterprises.models import AnnualFigures, Enterprise
from app.pipeline.models import Application, StageEvent
from app.stats.models import ApplicationsByYear, TotalsByYear
from app.visits.models import ActivityByYear

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


def _archived_firms() -> Select[Any]:
    return select(Enterprise.id).where(Enterprise.archived_at.is_not(None))


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
                .where(per_firm.year.in_(years), per_firm.enterprise_id.in_(_archived_firms()))
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
    archived_above_scale = _archived_firms().where(Enterprise.above_scale.is_(True))
    archived = (select(AnnualFigures.year,
                       _money(case((AnnualFigures.enterprise_id.in_(archived_above_scale), AnnualFigures.rd_expense))),
                       _money(AnnualFigures.high_tech_income))
                .where(AnnualFigures.year.in_(years), AnnualFigures.enterprise_id.in_(_archived_firms()))
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
    for year, firms in _recommended_only_by_archived_applications(session, years).items():
        result[year]["high_tech_recommended"] -= firms
    return result


def _recommended_only_by_archived_applications(session: Session, years: Sequence[int]) -> Counter[int]:
    """Per year, the live firms whose every recommendation of the year is one of an archived application (the
    rows count them; the figure does not). A stage event's firm is its application's."""
    if not years:
        return Counter()
    archived_applications = select(Application.id).where(Application.archived_at.is_not(None))
    events = (select(StageEvent.occurred_on, StageEvent.enterprise_id)
              .where(StageEvent.application_id.in_(archived_applications), StageEvent.program == "high_tech",
                     StageEvent.to_stage == "recommended",
                     StageEvent.occurred_on.between(dt.date(min(years), 1, 1), dt.date(max(years), 12, 31)),
                     StageEvent.enterprise_id.not_in(_archived_firms())))
    archived: Counter[tuple[int, int]] = Counter(
        (on.year, firm) for on, firm in session.execute(events) if on.year in years)
    if not archived:
        return Counter()
    rows = select(Row.year, Row.enterprise_id, Row.high_tech_recommended).where(
        Row.year.in_({year for year, _firm in archived}), Row.enterprise_id.in_({firm for _year, firm in archived}))
    return Counter(year for year, firm, recommended in session.execute(rows)
                   if (year, firm) in archived and recommended == archived[year, firm])
