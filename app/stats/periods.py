"""The summary's figures of several periods at once (this year and the year before), each table read in one
statement for all of them: a ``CASE`` per period inside the aggregate (or ``GROUP BY year`` where the period is
the record's year), over the rows any period needs. The figures are those of ``YearFigures`` figure by figure;
only the number of statements changed (about fifty → a dozen and a half), and with it the summary's time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from functools import cached_property
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, Select, and_, case, distinct, exists, func, or_, select
from sqlalchemy.orm import Session, aliased

from app.db import exact_sum
from app.enterprises.models import Enterprise
from app.pipeline import service as pipeline
from app.pipeline.declarations import StageKind
from app.pipeline.models import Application, StageEvent
from app.stats import rollups

if TYPE_CHECKING:
    from app.stats.service import YearFigures

ZERO = Decimal("0.00")
CERTIFIED = ("recognized", "revoked")
SUBSIDISED = ("approved", "disbursed")
LOANS = ("loans_disbursed", "loan_amount_disbursed", "loan_firms")


def _firms_where(condition: Any, column: Any = Application.enterprise_id) -> Any:
    """COUNT(DISTINCT firm) of the rows meeting ``condition`` (NULL for the others, which COUNT skips)."""
    return func.count(distinct(case((condition, column))))


def _count_where(condition: ColumnElement[bool]) -> Any:
    return func.count(case((condition, 1)))


def _sum_where(condition: ColumnElement[bool], column: Any) -> Any:
    return func.coalesce(exact_sum(case((condition, column))), 0)


def _money(value: Any) -> Decimal:
    return Decimal(value or 0).quantize(Decimal("0.01"))


def _archived_firms() -> Select[Any]:
    return select(Enterprise.id).where(Enterprise.archived_at.is_not(None))


def live_applications(program: str) -> Select[Any]:
    """Applications of one program that count: neither they nor their firm archived."""
    return select(Application).where(Application.program == program, Application.archived_at.is_(None),
                                     Application.enterprise_id.not_in(_archived_firms()))


def held_before() -> ColumnElement[bool]:
    """The application's firm held a high-tech certificate issued before this one (a renewal, 重新认定)."""
    earlier = aliased(Application)
    return exists().where(
        earlier.enterprise_id == Application.enterprise_id, earlier.program == "high_tech",
        earlier.stage.in_(CERTIFIED), earlier.archived_at.is_(None), earlier.valid_from < Application.valid_from)


class PeriodFigures:
    """The figures of ``periods`` (``YearFigures``), in the order given."""

    def __init__(self, session: Session, periods: Sequence[YearFigures]) -> None:
        self.session, self.periods = session, list(periods)
        self.years = [p.year for p in self.periods]

    def _row(self, query: Select[Any]) -> Sequence[Any]:
        return self.session.execute(query.order_by(None)).one()

    def enterprises(self) -> list[int]:
        """Active firms that are not archived, registered by the end of each period's year (or on no known
        date), from the yearly counts (``rollups``)."""
        return rollups.registered_firms(self.session, self.years)

    def applications(self) -> list[dict[str, Any]]:
        """Figures of the programs' applications but the valid certificates. Tech-SME registrations and
        subsidies (by the application's year), and for whole years loans, recommended firms, first recognitions and
        renewals, come from the yearly counts (``rollups``); a period ending inside its year takes its loans from the
        daily counts and counts its recommendations and certificates from the records."""
        found: list[dict[str, Any]] = [{} for _ in self.periods]
        to_date = [p for p in self.periods if p.end < dt.date(p.year, 12, 31)]
        rolled_up = rollups.application_figures(self.session, sorted(set(self.years)))
        for figures, p in zip(found, self.periods, strict=True):
            of_year = rolled_up[p.year]
            figures.update({name: of_year[name] for name in (
                "tech_sme_registered", "rd_subsidy_firms", "rd_subsidy_approved", "rd_subsidy_disbursed")})
            if p not in to_date:
                figures.update({name: of_year[name] for name in (
                    "loans_disbursed", "loan_amount_disbursed", "loan_firms", "high_tech_recommended",
                    "high_tech_newly_recognized", "high_tech_renewed")})
        if to_date:
            counted = zip(to_date, self._recommended(to_date), self._recognitions(to_date), strict=True)
            for p, recommended, (first, renewed) in counted:
                found[self.periods.index(p)].update(
                    {name: self.to_date[p][name] for name in LOANS},
                    high_tech_recommended=recommended, high_tech_newly_recognized=first, high_tech_renewed=renewed)
        return found

    @cached_property
    def to_date(self) -> dict[YearFigures, dict[str, Any]]:
        """Visits, demands and loans of each period ending inside its year, from the daily totals (``rollups``)."""
        to_date = [p for p in self.periods if p.end < dt.date(p.year, 12, 31)]
        if not to_date:
            return {}
        figures = rollups.to_date_figures(self.session, [(dt.date(p.year, 1, 1), p.end) for p in to_date])
        return dict(zip(to_date, figures, strict=True))

    def _recognitions(self, periods: Sequence[YearFigures]) -> list[tuple[int, int]]:
        """First recognitions and renewals: certificates issued in each of ``periods``, counted from them."""
        renewal = held_before()
        certificates = live_applications("high_tech").where(
            Application.stage.in_(CERTIFIED), or_(*[p._in_period(Application.valid_from) for p in periods]))
        columns: list[Any] = []
        for p in periods:
            in_period = p._in_period(Application.valid_from)
            columns += [_firms_where(and_(in_period, ~renewal)), _firms_where(and_(in_period, renewal))]
        row = iter(self._row(certificates.with_only_columns(*columns)))
        return [(int(next(row)), int(next(row))) for _ in periods]

    def high_tech_valid(self, days: Sequence[dt.date]) -> list[int]:
        """Firms holding a high-tech certificate in force on each of ``days``: of the certificates valid until the
        earliest day or later (one range of the ``(program, valid_until)`` index), those held on each day."""
        query = live_applications("high_tech").where(Application.valid_until >= min(days))
        held = pipeline.get_program("high_tech").stages_of_kind(StageKind.held)

        def held_on(day: dt.date) -> ColumnElement[bool]:  # pipeline.held_condition of high-tech applications
            return and_(Application.stage.in_(held), Application.valid_until >= day,
                        or_(Application.valid_from.is_(None), Application.valid_from <= day))

        row = self._row(query.with_only_columns(*[_firms_where(held_on(day)) for day in days]))
        return [int(n) for n in row]

    def _recommended(self, periods: Sequence[YearFigures]) -> list[int]:
        """Firms recommended for high-tech recognition in each of ``periods``, counted from the stage events."""
        query = (select(*[_firms_where(p._in_period(StageEvent.occurred_on), StageEvent.enterprise_id)
                          for p in periods])
                 .select_from(StageEvent).join(Application, Application.id == StageEvent.application_id)
                 .where(StageEvent.program == "high_tech", StageEvent.to_stage == "recommended",
                        or_(*[p._in_period(StageEvent.occurred_on) for p in periods]),
                        Application.archived_at.is_(None),
                        Application.enterprise_id.not_in(_archived_firms())))
        return [int(n) for n in self._row(query)]

    def annual_figures(self) -> list[dict[str, Decimal]]:
        """The R&D expense of live above-scale firms and the high-tech income of live firms, per year, from the
        yearly sums (``rollups``)."""
        sums = rollups.figure_sums(self.session, sorted(set(self.years)))
        return [sums[p.year] for p in self.periods]

    def activity(self, years: Sequence[int]) -> dict[int, dict[str, int]]:
        """Visits and demands of whole years from the yearly counts (``rollups``)."""
        return rollups.activity_figures(self.session, years)
