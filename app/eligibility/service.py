"""Evaluating firms from the registry: reads a firm and its figures, hands them to the pure rules.

Read-only: nothing here writes, so nothing is audited.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app.eligibility import high_tech, ranking, tech_sme
from app.eligibility.outcome import Verdict
from app.eligibility.schemas import (
    Candidate,
    Claims,
    EligibilityRead,
    Evaluation,
    FirmFacts,
    IpLedger,
    Program,
    YearFigures,
)
from app.enterprises import service as enterprises
from app.enterprises.models import AnnualFigures, Enterprise
from app.fields import business_today
from app.ip_rights import service as ip_rights
from app.pipeline import bars
from app.pipeline.declarations import StageKind
from app.pipeline.models import Application
from app.pipeline.programs import HIGH_TECH
from app.platforms import service as platforms

# Well under SQLite's and PostgreSQL's bound-parameter limits.
_ID_BATCH = 1000

DirectRouteSource = Callable[[Session, Sequence[int], dt.date], dict[int, str]]
"""Firms (of the ids given) whose records confirm one tech-SME direct route on a day → the record in words."""

_DIRECT_ROUTE_SOURCES: list[tuple[str, DirectRouteSource]] = []


def register_direct_route(route: str, source: DirectRouteSource) -> None:
    """Let another domain's records confirm a tech-SME direct-confirmation route (办法 第八条): e.g. a
    recognised provincial-or-higher R&D institution (``provincial_rd_institution``) from the platforms it
    records. Every evaluation, stored application score and cultivation pool then reads it."""
    if route not in {code for code, _ in tech_sme.DIRECT_ROUTES}:
        raise ValueError(f"unknown tech-SME direct-confirmation route {route!r}")
    _DIRECT_ROUTE_SOURCES.append((route, source))


def unregister_direct_route(source: DirectRouteSource) -> None:
    """For tests that plug in a source of their own."""
    _DIRECT_ROUTE_SOURCES[:] = [(route, s) for route, s in _DIRECT_ROUTE_SOURCES if s is not source]


def _valid_certificates(session: Session, ids: Sequence[int], day: dt.date) -> dict[int, str]:
    """A high-tech certificate in force on ``day`` (办法 第八条: 拥有有效期内高新技术企业资格证书)."""
    query = select(Application.enterprise_id, Application.reference_no, Application.valid_until).where(
        Application.enterprise_id.in_(ids), Application.program == HIGH_TECH.code,
        Application.stage.in_(HIGH_TECH.stages_of_kind(StageKind.held)), Application.archived_at.is_(None),
        Application.valid_until >= day, or_(Application.valid_from.is_(None), Application.valid_from <= day),
    ).order_by(Application.valid_until)
    return {firm: f"高新技术企业证书 {number or ''} 有效期至 {until}"
            for firm, number, until in session.execute(query)}


register_direct_route("high_tech_certificate", _valid_certificates)
register_direct_route("provincial_rd_institution", platforms.rd_institutions_held)


def direct_routes_by_firm(session: Session, ids: Sequence[int], day: dt.date) -> dict[int, dict[str, str]]:
    """Every registered source asked once per batch of firms: firm id → {route: record}."""
    found: dict[int, dict[str, str]] = {firm: {} for firm in ids}
    for start in range(0, len(ids), _ID_BATCH):
        batch = ids[start:start + _ID_BATCH]
        for route, source in _DIRECT_ROUTE_SOURCES:
            for firm, record in source(session, batch, day).items():
                found[firm].setdefault(route, record)
    return found


def last_complete_year(today: dt.date | None = None) -> int:
    """The default year of an evaluation: the last fiscal year that has ended."""
    return (today or business_today()).year - 1


def ip_ledgers(session: Session, ids: Sequence[int], day: dt.date) -> dict[int, IpLedger]:
    """The IP ledgers of the firms that keep one, as on ``day``, read a batch of firms at a time."""
    found: dict[int, IpLedger] = {}
    for start in range(0, len(ids), _ID_BATCH):
        found.update(ip_rights.ledgers(session, ids[start:start + _ID_BATCH], day))
    return found


@dataclass(frozen=True)
class _Records:
    """What the registry's records add to each firm's facts: direct-confirmation routes and IP ledgers."""

    routes: dict[int, dict[str, str]]
    ledgers: dict[int, IpLedger]
    bars: dict[int, dict[str, str]]

    @classmethod
    def read(cls, session: Session, ids: Sequence[int], day: dt.date, *, bars_on: dt.date | None = None
             ) -> _Records:
        """``bars_on``: the day bars after a revocation are judged on (default ``day``)."""
        barred: dict[int, dict[str, str]] = {}
        for program in ("tech_sme", "high_tech"):
            for firm, bar in bars.bars_on(session, ids, program, bars_on or day).items():
                barred.setdefault(firm, {})[program] = bar.note
        return cls(direct_routes_by_firm(session, ids, day), ip_ledgers(session, ids, day), barred)

    def facts(self, enterprise: Enterprise) -> FirmFacts:
        return facts_of(enterprise, self.routes.get(enterprise.id), self.ledgers.get(enterprise.id),
                        self.bars.get(enterprise.id))


def facts_of(enterprise: Enterprise, direct_routes: dict[str, str] | None = None,
             ip_ledger: IpLedger | None = None, barred: dict[str, str] | None = None) -> FirmFacts:
    return FirmFacts(registered_on=enterprise.registered_on, industry=enterprise.industry,
                     industry_code=enterprise.industry_code, tech_domain=enterprise.tech_domain,
                     direct_routes=direct_routes or {}, ip_ledger=ip_ledger, bars=barred or {})


def figures_of(row: AnnualFigures) -> YearFigures:
    return YearFigures(
        year=row.year, employees=row.employees, tech_staff=row.tech_staff, revenue=row.revenue,
        total_cost=row.total_cost, rd_expense=row.rd_expense, rd_expense_domestic=row.rd_expense_domestic,
        high_tech_income=row.high_tech_income, total_income=row.total_income,
        total_assets=row.total_assets, ip_class1=row.ip_class1,
        ip_class2=row.ip_class2,
    )


def _evaluate(enterprise: Enterprise, figures: dict[int, YearFigures], year: int, *, claims: Claims,
              as_of: dt.date, facts: FirmFacts) -> EligibilityRead:
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
    facts = _Records.read(session, [enterprise.id], as_of).facts(enterprise)
    return _evaluate(enterprise, figures, year, claims=claims or Claims(), as_of=as_of, facts=facts)


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
    records = _Records.read(session, [firm.id for firm in firms], as_of)
    claims = Claims()
    return {firm.id: _evaluate(firm, figures[firm.id], year, claims=claims, as_of=as_of, facts=records.facts(firm))
            for firm in firms}


def rank_pool(session: Session, firms: Sequence[Enterprise], *, program: Program, year: int,
              as_of: dt.date | None = None) -> list[Candidate]:
    """The cultivation pool for ``program``: ``firms`` (chosen by the caller: not yet holding the status,
    filtered by district/park/owner) ranked closest-to-qualifying first, each with its blockers."""
    as_of = as_of or business_today()
    figures = _figures_by_firm(session, firms, year)
    # The pool of year Y ranks on Y-1's figures; a bar is judged on the first day of Y (or today, if later),
    # and a barred firm is left out: it cannot apply, so it is not cultivated for that year.
    records = _Records.read(session, [firm.id for firm in firms], as_of,
                            bars_on=bars.first_day_sought(year + 1, as_of))
    evaluations: list[tuple[int, Evaluation]] = []
    for firm in firms:
        facts, by_year = records.facts(firm), figures[firm.id]
        if program in facts.bars:
            continue
        if program == "tech_sme":
            evaluations.append((firm.id, tech_sme.evaluate(by_year.get(year) or YearFigures(year=year), facts)))
        else:
            evaluations.append((firm.id, high_tech.evaluate(by_year, facts, year, as_of=as_of)))
    return ranking.rank_candidates(evaluations, program)


def tech_sme_score_details(session: Session, enterprise_id: int, year: int, *, as_of: dt.date | None = None
                           ) -> dict[str, Any]:
    """The computed tech-SME score and its rule version, as JSON-ready values for an application's details."""
    result = evaluate_enterprise(session, enterprise_id, year, as_of=as_of).tech_sme
    return {
        "rule_version": result.rule_version,
        "year": result.year,
        "score": result.score,
        "score_min": result.score_min,
        "score_max": result.score_max,
        "outcome": result.outcome.value,
        "points": {indicator.code: indicator.points for indicator in result.indicators},
        "missing": result.missing,
        "confirmed_by": [route.code for route in result.direct_confirmation if route.status is Verdict.passed],
    }
