"""The summary's program figures of whole years from ``applications_by_year`` (one row per firm and year, kept
exact by triggers in every write's transaction): all firms' rows less those of archived firms, and less the
recommendations of archived applications — both few, found through their indexes."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, case, func, select
from sqlalchemy.orm import Session

from app.db import exact_sum
from app.enterprises.models import Enterprise
from app.pipeline.models import Application, StageEvent
from app.stats.models import ApplicationsByYear

ZERO = Decimal("0.00")
Row = ApplicationsByYear


def _firms_with(counter: Any) -> Any:
    return func.count(case((counter > 0, 1)))


def _total(money: Any) -> Any:
    return exact_sum(money)


# figure: its aggregate over the rows of a year
FIGURES: dict[str, Any] = {
    "tech_sme_registered": _firms_with(Row.tech_sme_registered),
    "rd_subsidy_firms": _firms_with(Row.rd_subsidies),
    "rd_subsidy_approved": _total(Row.rd_subsidy_approved),
    "rd_subsidy_disbursed": _total(Row.rd_subsidy_disbursed),
    "loans_disbursed": func.sum(Row.loans),
    "loan_amount_disbursed": _total(Row.loan_disbursed),
    "loan_firms": _firms_with(Row.loans),
    "high_tech_recommended": _firms_with(Row.high_tech_recommended),
}
MONEY = ("rd_subsidy_approved", "rd_subsidy_disbursed", "loan_amount_disbursed")


def _archived_firms() -> Select[Any]:
    return select(Enterprise.id).where(Enterprise.archived_at.is_not(None))


def application_figures(session: Session, years: Sequence[int]) -> dict[int, dict[str, Any]]:
    """The figures of ``FIGURES`` for each of ``years``, of live records of live firms. Loans and
    recommendations are those of the whole calendar year."""
    result: dict[int, dict[str, Any]] = {
        year: {name: ZERO if name in MONEY else 0 for name in FIGURES} for year in years}
    query = select(Row.year, *FIGURES.values()).where(Row.year.in_(years)).group_by(Row.year)
    for sign, counted in ((1, query), (-1, query.where(Row.enterprise_id.in_(_archived_firms())))):
        for year, *values in session.execute(counted):
            for name, value in zip(FIGURES, values, strict=True):
                result[year][name] += sign * (value or 0)
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
