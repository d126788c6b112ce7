"""The queries behind the statistics: each figure is one aggregate over the records, never a stored flag.

Everything leaves out archived records and archived firms. Year windows are business dates
(1 January – 31 December); "valid" figures are taken on one day (``as_of``).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, distinct, func, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from app.db import exact_sum
from app.enterprises.models import ARCHIVED_FIRM_IDS, AnnualFigures, Enterprise
from app.fields import business_today
from app.indicators import service as indicators
from app.indicators.enums import FigureUnit
from app.pipeline import service as pipeline
from app.pipeline.models import Application, StageEvent
from app.publicity.models import EventAttendance, PublicityEvent
from app.stats.periods import CERTIFIED, PeriodFigures, held_before, live_applications
from app.stats.records import RecordFigures
from app.stats.schemas import AnnualSummary, CountFigure, Figure, MoneyFigure, completion_percent
from app.visits.models import ActivityByYear, Demand, Visit

ZERO = Decimal("0.00")


def period_end(year: int, as_of: dt.date) -> dt.date:
    """The last day the year's counts run to: ``as_of`` when it falls inside the year (a year in progress,
    "截至 M月D日"), else 31 December."""
    year_end = dt.date(year, 12, 31)
    return as_of if as_of.year == year and as_of < year_end else year_end


def _live_firm(enterprise_id: InstrumentedAttribute[int]) -> ColumnElement[bool]:
    """The record's firm is not archived. Archived firms are few, so testing against their ids is a lookup
    in a small in-memory set, where a join would look up every one of a year's records in the registry."""
    return enterprise_id.not_in(ARCHIVED_FIRM_IDS)


def _count_of_live_firms(session: Session, query: Select[Any], enterprise_id: InstrumentedAttribute[int]) -> int:
    """Rows of ``query`` whose firm is not archived, as all rows less those of archived firms: the first is a
    count of one index range, the second reads only the few archived firms' rows — half the time of
    testing each of a year's half-million visits against the archived firms."""
    def count(counted: Select[Any]) -> int:
        return session.scalar(counted.with_only_columns(func.count()).order_by(None)) or 0

    return count(query) - count(query.where(enterprise_id.in_(ARCHIVED_FIRM_IDS)))


def _firms(session: Session, query: Select[Any], column: Any = Application.enterprise_id) -> int:
    counted = query.with_only_columns(func.count(distinct(column))).order_by(None)
    return session.scalar(counted) or 0


def _sum(session: Session, query: Select[Any], column: Any) -> Decimal:
    return session.scalar(query.with_only_columns(func.coalesce(exact_sum(column), 0)).order_by(None)) or ZERO


def _money(value: Any) -> Decimal:
    # SUM over the fen column comes back as fen on some backends when coalesced: normalise here.
    return Decimal(value).quantize(Decimal("0.01"))


class YearFigures:
    """All figures of one year, so the summary can put this year and last year side by side."""

    def __init__(self, session: Session, year: int, as_of: dt.date) -> None:
        self.session, self.year, self.as_of = session, year, as_of
        self.end = period_end(year, as_of)

    def _in_period(self, column: Any) -> ColumnElement[bool]:
        return and_(column >= dt.date(self.year, 1, 1), column <= self.end)

    def enterprises(self) -> int:
        query = select(func.count()).select_from(Enterprise).where(
            Enterprise.archived_at.is_(None), Enterprise.status == "active",
            (Enterprise.registered_on.is_(None)) | (Enterprise.registered_on <= dt.date(self.year, 12, 31)))
        return self.session.scalar(query) or 0

    def tech_sme_registered(self) -> int:
        query = live_applications("tech_sme").where(Application.year == self.year,
                                                     Application.stage == "registered")
        return _firms(self.session, query)

    def high_tech_prospects(self) -> int:
        return _firms(self.session, live_applications("high_tech").where(Application.year == self.year))

    def high_tech_recommended(self) -> int:
        query = (select(StageEvent).join(Application, Application.id == StageEvent.application_id)
                 .where(StageEvent.program == "high_tech", StageEvent.to_stage == "recommended",
                        self._in_period(StageEvent.occurred_on), Application.archived_at.is_(None),
                        _live_firm(Application.enterprise_id)))
        return _firms(self.session, query, StageEvent.enterprise_id)

    def _recognitions(self, *, renewals: bool) -> int:
        """Certificates issued in the year: first recognitions (首次认定) or renewals (重新认定) — a renewal is a
        certificate of a firm that held an earlier one."""
        renewal = held_before()
        query = live_applications("high_tech").where(Application.stage.in_(CERTIFIED),
                                                     self._in_period(Application.valid_from),
                                                     renewal if renewals else ~renewal)
        return _firms(self.session, query)

    def high_tech_newly_recognized(self) -> int:
        return self._recognitions(renewals=False)

    def high_tech_renewed(self) -> int:
        return self._recognitions(renewals=True)

    def high_tech_valid(self) -> int:
        query = live_applications("high_tech").where(pipeline.held_condition(self.as_of))
        return _firms(self.session, query)

    def _figures_sum(self, column: Any, *, above_scale_only: bool) -> Decimal:
        query = (select(func.coalesce(exact_sum(column), 0)).select_from(AnnualFigures)
                 .where(AnnualFigures.year == self.year))
        if above_scale_only:
            above_scale = select(Enterprise.id).where(Enterprise.archived_at.is_(None),
                                                      Enterprise.above_scale.is_(True))
            query = query.where(AnnualFigures.enterprise_id.in_(above_scale))
        else:
            query = query.where(_live_firm(AnnualFigures.enterprise_id))
        return _money(self.session.scalar(query) or 0)

    def rd_expense_above_scale(self) -> Decimal:
        return self._figures_sum(AnnualFigures.rd_expense, above_scale_only=True)

    def high_tech_income(self) -> Decimal:
        return self._figures_sum(AnnualFigures.high_tech_income, above_scale_only=False)

    def _subsidies(self) -> Select[Any]:
        return live_applications("rd_subsidy").where(Application.year == self.year,
                                                      Application.stage.in_(("approved", "disbursed")))

    def _loans(self) -> Select[Any]:
        return live_applications("tech_loan").where(Application.stage.in_(("disbursed", "overdue", "repaid")),
                                                     self._in_period(Application.valid_from))

    def _activity(self, counter: InstrumentedAttribute[int]) -> int:
        """The year's visits or demands of live firms: their sum in ``activity_by_year`` (one row per firm,
        kept exact by triggers in every write's transaction), less the archived firms' rows."""
        query = select(func.coalesce(func.sum(counter), 0)).where(ActivityByYear.year == self.year)
        total = self.session.scalar(query) or 0
        archived = self.session.scalar(query.where(ActivityByYear.enterprise_id.in_(ARCHIVED_FIRM_IDS))) or 0
        return int(total) - int(archived)

    def firms_visited(self) -> int:
        query = select(func.count()).select_from(ActivityByYear).where(
            ActivityByYear.year == self.year, ActivityByYear.visits > 0,
            _live_firm(ActivityByYear.enterprise_id))
        return self.session.scalar(query) or 0

    def _outreach_to_date(self) -> dict[str, int]:
        """Visits and demands of a period ending inside the year (a year in progress, or the same period a
        year earlier), counted from the records: ``activity_by_year`` holds whole years only."""
        s = self.session
        visits = select(Visit).where(Visit.archived_at.is_(None), self._in_period(Visit.visited_on))
        demands = select(Demand).where(Demand.archived_at.is_(None))
        resolved = demands.where(Demand.status == "resolved", self._in_period(Demand.resolved_on))
        on_time = resolved.where((Demand.due_on.is_(None)) | (Demand.resolved_on <= Demand.due_on))
        return {
            "visits": _count_of_live_firms(s, visits, Visit.enterprise_id),
            "firms_visited": _firms(s, visits.where(_live_firm(Visit.enterprise_id)), Visit.enterprise_id),
            "demands_raised": _count_of_live_firms(s, demands.where(self._in_period(Demand.raised_on)),
                                                   Demand.enterprise_id),
            "demands_resolved": _count_of_live_firms(s, resolved, Demand.enterprise_id),
            "demands_resolved_on_time": _count_of_live_firms(s, on_time, Demand.enterprise_id),
        }

    def _outreach(self) -> dict[str, int]:
        if self.end < dt.date(self.year, 12, 31):
            return self._outreach_to_date()
        return {
            "visits": self._activity(ActivityByYear.visits),
            "firms_visited": self.firms_visited(),
            "demands_raised": self._activity(ActivityByYear.demands_raised),
            "demands_resolved": self._activity(ActivityByYear.demands_resolved),
            "demands_resolved_on_time": self._activity(ActivityByYear.demands_resolved_on_time),
        }

    def _events(self) -> Select[Any]:
        return select(PublicityEvent).where(PublicityEvent.archived_at.is_(None),
                                            self._in_period(PublicityEvent.held_on))

    def publicity(self) -> dict[str, int]:
        s = self.session
        event_ids = self._events().with_only_columns(PublicityEvent.id).scalar_subquery()
        attendance = select(EventAttendance).where(EventAttendance.event_id.in_(event_ids),
                                                   _live_firm(EventAttendance.enterprise_id))
        # Head-count: the event's own count where given, else the sum of its attendance rows.
        per_event = (select(func.coalesce(PublicityEvent.headcount, func.coalesce(
            select(func.sum(EventAttendance.attendee_count)).where(EventAttendance.event_id == PublicityEvent.id)
            .scalar_subquery(), 0)).label("heads")).where(PublicityEvent.id.in_(event_ids)).subquery())
        return {
            "publicity_events": s.scalar(self._events().with_only_columns(func.count()).order_by(None)) or 0,
            "publicity_headcount": int(s.scalar(select(func.coalesce(func.sum(per_event.c.heads), 0))) or 0),
            "firms_reached": _firms(s, attendance, EventAttendance.enterprise_id),
        }

    def figures(self) -> dict[str, Any]:
        """The year's figures, each by its own query: what ``periods_figures`` answers for several years at
        once in fewer statements."""
        s = self.session
        return {
            "enterprises": self.enterprises(),
            "tech_sme_registered": self.tech_sme_registered(),
            "high_tech_recommended": self.high_tech_recommended(),
            "high_tech_newly_recognized": self.high_tech_newly_recognized(),
            "high_tech_renewed": self.high_tech_renewed(),
            "high_tech_valid": self.high_tech_valid(),
            "rd_expense_above_scale": self.rd_expense_above_scale(),
            "high_tech_income": self.high_tech_income(),
            "rd_subsidy_firms": _firms(s, self._subsidies()),
            "rd_subsidy_approved": _money(_sum(s, self._subsidies(), Application.amount_approved)),
            "rd_subsidy_disbursed": _money(_sum(s, self._subsidies(), Application.amount_disbursed)),
            "loans_disbursed": s.scalar(self._loans().with_only_columns(func.count()).order_by(None)) or 0,
            "loan_amount_disbursed": _money(_sum(s, self._loans(), Application.amount_disbursed)),
            "loan_firms": _firms(s, self._loans()),
            **self._outreach(),
            **self.publicity(),
        }


OUTREACH = ("visits", "firms_visited", "demands_raised", "demands_resolved", "demands_resolved_on_time")


def periods_figures(session: Session, periods: list[YearFigures], *, valid_on: dt.date
                    ) -> tuple[list[dict[str, Any]], int]:
    """The figures of each of ``periods`` (as ``YearFigures.figures`` gives them), each big table read once for
    all of them; and the firms holding a valid high-tech certificate on ``valid_on`` besides."""
    combined = PeriodFigures(session, periods)
    activity = combined.activity([p.year for p in periods if p.end == dt.date(p.year, 12, 31)])
    *valid, valid_besides = combined.high_tech_valid([p.as_of for p in periods] + [valid_on])
    result: list[dict[str, Any]] = []
    for period, enterprises, applications, sums, held in zip(
            periods, combined.enterprises(), combined.applications(), combined.annual_figures(), valid, strict=True):
        outreach = activity[period.year] if period.year in activity else {
            name: combined.to_date[period][name] for name in OUTREACH}
        result.append({"enterprises": enterprises, **applications, "high_tech_valid": held, **sums, **outreach,
                       **period.publicity()})
    return result, valid_besides


def a_year_earlier(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def default_as_of(year: int) -> dt.date:
    """31 December, or today for the year in progress."""
    today = business_today()
    return today if year == today.year else dt.date(year, 12, 31)


# The unit of each figure that may have no data (the Figure shape), by name.
RECORD_UNITS: dict[str, FigureUnit] = {
    "high_tech_net_growth": FigureUnit.firms, "technology_contracts": FigureUnit.items,
    "technology_contract_amount": FigureUnit.yuan, "technology_contract_turnover": FigureUnit.yuan,
    "platforms_recognized": FigureUnit.firms, "cooperation_agreements": FigureUnit.items,
    "cooperation_amount": FigureUnit.yuan, "high_tech_value_added": FigureUnit.yuan,
    "rd_expense_official": FigureUnit.yuan, "rd_intensity": FigureUnit.percent,
    "foreign_experts_introduced": FigureUnit.persons, "commissioners_national": FigureUnit.persons,
    "commissioners_provincial": FigureUnit.persons, "commissioners_municipal": FigureUnit.persons,
    "commissioners_district": FigureUnit.persons, "commissioner_trainings": FigureUnit.times,
    "commissioner_trainees": FigureUnit.people, "techniques_promoted": FigureUnit.entries,
    "varieties_promoted": FigureUnit.entries, "demonstration_bases": FigureUnit.places,
    "demonstration_area_mu": FigureUnit.mu,
}


def annual_summary(session: Session, *, year: int, as_of: dt.date | None = None) -> AnnualSummary:
    as_of = as_of or default_as_of(year)
    earlier = a_year_earlier(as_of)
    this_year, last_year = YearFigures(session, year, as_of), YearFigures(session, year - 1, earlier)
    (this, last), two_years_back = periods_figures(session, [this_year, last_year],
                                                   valid_on=a_year_earlier(earlier))
    values: dict[str, Any] = {}
    for name, value in this.items():
        previous = last[name]
        values[name] = MoneyFigure.of(value, previous) if isinstance(value, Decimal) else CountFigure.of(
            value, previous)
    recorded = RecordFigures(session, year, this_year.end).figures()
    recorded_before = RecordFigures(session, year - 1, last_year.end).figures()
    recorded["high_tech_net_growth"] = this["high_tech_valid"] - last["high_tech_valid"]
    recorded_before["high_tech_net_growth"] = last["high_tech_valid"] - two_years_back
    for name, unit in RECORD_UNITS.items():
        values[name] = Figure.of(recorded[name], recorded_before[name], unit)
    for indicator, target in indicators.targets_of(session, year).items():
        figure = values[indicator]
        figure.target = target
        figure.completion_percent = completion_percent(figure.value, target)
    return AnnualSummary(year=year, as_of=as_of, in_progress=this_year.end < dt.date(year, 12, 31),
                         platforms=RecordFigures(session, year, this_year.end).platform_counts(), **values)


def stage_label(program: str, stage: str) -> str:
    for candidate in pipeline.get_program(program).stages:
        if candidate.code == stage:
            return candidate.label
    return stage
