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
from app.enterprises.models import ARCHIVED_FIRM_IDS
from app.pipeline import service as pipeline
from app.pipeline.declarations import StageKind
from app.pipeline.models import Application
from app.stats import rollups

if TYPE_CHECKING:
    from app.stats.service import YearFigures

ZERO = Decimal("0.00")
CERTIFIED = ("recognized", "revoked")
SUBSIDISED = ("approved", "disbursed")
# The program figures of a calendar year (by the day of a loan, a recommendation or a certificate), which a period
# ending inside its year takes from the daily counts.
TO_DATE = ("loans_disbursed", "loan_amount_disbursed", "loan_firms", "high_tech_recommended",
           "high_tech_newly_recognized", "high_tech_renewed")


def _firms_where(condition: Any, column: Any = Application.enterprise_id) -> Any:
    """COUNT(DISTINCT firm) of the rows meeting ``condition`` (NULL for the others, which COUNT skips)."""
    return func.count(distinct(case((condition, column))))


def _count_where(condition: ColumnElement[bool]) -> Any:
    return func.count(case((condition, 1)))


def _sum_where(condition: ColumnElement[bool], column: Any) -> Any:
    return func.coalesce(exact_sum(case((condition, column))), 0)


def _money(value: Any) -> Decimal:
    return Decimal(value or 0).quantize(Decimal("0.01"))


def live_applications(program: str) -> Select[Any]:
    """Applications of one program that count: neither they nor their firm archived."""
    return select(Application).where(Application.program == program, Application.archived_at.is_(None),
                                     Application.enterprise_id.not_in(ARCHIVED_FIRM_IDS))


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
        renewals, come from the yearly counts (``rollups``); a period ending inside its year takes them from the daily
        counts (``rollups``)."""
        found: list[dict[str, Any]] = [{} for _ in self.periods]
        to_date = [p for p in self.periods if p.end < dt.date(p.year, 12, 31)]
        rolled_up = rollups.application_figures(self.session, sorted(set(self.years)))
        for figures, p in zip(found, self.periods, strict=True):
            of_year = rolled_up[p.year]
            figures.update({name: of_year[name] for name in (
                "tech_sme_registered", "rd_subsidy_firms", "rd_subsidy_approved", "rd_subsidy_disbursed")})
            figures.update({name: (self.to_date[p] if p in to_date else of_year)[name] for name in TO_DATE})
        return found

    @cached_property
    def to_date(self) -> dict[YearFigures, dict[str, Any]]:
        """Visits, demands, loans, recommendations and certificates of each period ending inside its year, from the
        daily totals (``rollups``)."""
        to_date = [p for p in self.periods if p.end < dt.date(p.year, 12, 31)]
        if not to_date:
            return {}
        figures = rollups.to_date_figures(self.session, [(dt.date(p.year, 1, 1), p.end) for p in to_date])
        return dict(zip(to_date, figures, strict=True))

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

    def annual_figures(self) -> list[dict[str, Decimal]]:
        """The R&D expense of live above-scale firms and the high-tech income of live firms, per year, from the
        yearly sums (``rollups``)."""
        sums = rollups.figure_sums(self.session, sorted(set(self.years)))
        return [sums[p.year] for p in self.periods]

    def activity(self, years: Sequence[int]) -> dict[int, dict[str, int]]:
        """Visits and demands of whole years from the yearly counts (``rollups``)."""
        return rollups.activity_figures(self.session, years)
