"""Evaluating firms from the registry: reads a firm and its figures, hands them to the pure rules.

Read-only: nothing here writes, so nothing is audited.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.eligibility import high_tech, ranking, tech_sme
from app.eligibility.schemas import (
    Candidate,
    Claims,
    EligibilityRead,
    Evaluation,
    FirmFacts,
    Program,
    YearFigures,
)
from app.enterprises import service as enterprises
from app.enterprises.models import AnnualFigures, Enterprise
from app.fields import business_today

# Well under SQLite's and PostgreSQL's bound-parameter limits.
_ID_BATCH = 1000


def last_complete_year(today: dt.date | None = None) -> int:
    """The default year of an evaluation: the last fiscal year that has ended."""
    return (today or business_today()).year - 1


def facts_of(enterprise: Enterprise) -> FirmFacts:
    return FirmFacts(registered_on=enterprise.registered_on, industry=enterprise.industry,
                     industry_code=enterprise.industry_code, tech_domain=enterprise.tech_domain)


def figures_of(row: AnnualFigures) -> YearFigures:
    return YearFigures(
        year=row.year, employees=row.employees, tech_staff=row.tech_staff, revenue=row.revenue,
        total_cost=row.total_cost, rd_expense=row.rd_expense, rd_expense_domestic=row.rd_expense_domestic,
        high_tech_income=row.high_tech_income, total_assets=row.total_assets, ip_class1=row.ip_class1,
        ip_class2=row.ip_class2,
    )


def _evaluate(enterprise: Enterprise, figures: dict[int, YearFigures], year: int, *, claims: Claims,
              as_of: dt.date) -> EligibilityRead:
    facts = facts_of(enterprise)
    latest = figures.get(year) or YearFigures(year=year)
    return EligibilityRead(
        enterprise_id=enterprise.id, enterprise_name=enterprise.name, year=year, evaluated_on=as_of,
        tech_sme=tech_sme.evaluate(latest, facts, claims),
        high_tech=high_tech.evaluate(figures, facts, year, as_of=as_of, claims=claims),
    )


def evaluate_enterprise(session: Session, enterprise_id: int, year: int | None = None, *,
                        claims: Claims | None = None, as_of: dt.date | None = None) -> EligibilityRead:
    """Both evaluations of one firm on ``year``'s figures (default: the last complete year)."""
    enterprise = enterprises.get_enterprise(session, enterprise_id)
    as_of = as_of or business_today()
    year = last_complete_year(as_of) if year is None else year
    figures = {row.year: figures_of(row) for row in enterprises.list_figures(session, enterprise)}
    return _evaluate(enterprise, figures, year, claims=claims or Claims(), as_of=as_of)


def _figures_by_firm(session: Session, firms: Sequence[Enterprise], year: int) -> dict[int, dict[int, YearFigures]]:
    """Each firm's figures of the high-tech window ending in ``year``, read in a few batched queries (one
    ``list_figures`` per firm would cost a query per firm)."""
    first = year - high_tech.HIGH_TECH_2016.window_years + 1
    figures: dict[int, dict[int, YearFigures]] = {firm.id: {} for firm in firms}
    ids = list(figures)
    for start in range(0, len(ids), _ID_BATCH):
        query = select(AnnualFigures).where(
            AnnualFigures.enterprise_id.in_(ids[start:start + _ID_BATCH]), AnnualFigures.year.between(first, year)
        )
        for row in session.scalars(query):
            figures[row.enterprise_id][row.year] = figures_of(row)
    return figures


def evaluate_enterprises(session: Session, firms: Sequence[Enterprise], year: int, *,
                         as_of: dt.date | None = None) -> dict[int, EligibilityRead]:
    """Both evaluations of many firms, keyed by firm id."""
    as_of = as_of or business_today()
    figures = _figures_by_firm(session, firms, year)
    claims = Claims()
    return {firm.id: _evaluate(firm, figures[firm.id], year, claims=claims, as_of=as_of) for firm in firms}


def rank_pool(session: Session, firms: Sequence[Enterprise], *, program: Program, year: int,
              as_of: dt.date | None = None) -> list[Candidate]:
    """The cultivation pool for ``program``: ``firms`` (chosen by the caller: not yet holding the status,
    filtered by district/park/owner) ranked closest-to-qualifying first, each with its blockers."""
    as_of = as_of or business_today()
    figures = _figures_by_firm(session, firms, year)
    evaluations: list[tuple[int, Evaluation]] = []
    for firm in firms:
        facts, by_year = facts_of(firm), figures[firm.id]
        if program == "tech_sme":
            evaluations.append((firm.id, tech_sme.evaluate(by_year.get(year) or YearFigures(year=year), facts)))
        else:
            evaluations.append((firm.id, high_tech.evaluate(by_year, facts, year, as_of=as_of)))
    return ranking.rank_candidates(evaluations, program)


def tech_sme_score_details(session: Session, enterprise_id: int, year: int) -> dict[str, Any]:
    """The computed tech-SME score and its rule version, as JSON-ready values for an application's details."""
    result = evaluate_enterprise(session, enterprise_id, year).tech_sme
    return {
        "rule_version": result.rule_version,
        "year": result.year,
        "score": result.score,
        "score_min": result.score_min,
        "score_max": result.score_max,
        "outcome": result.outcome.value,
        "points": {indicator.code: indicator.points for indicator in result.indicators},
        "missing": result.missing,
    }
