"""``totals_by_year`` against the rows it adds up, counted afresh."""

from __future__ import annotations

from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from app.enterprises.models import AnnualFigures, Enterprise
from app.stats.models import ApplicationsByYear, TotalsByYear
from app.visits.models import ActivityByYear


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
