"""Derived state — a firm's status summary, alerts, timeline entries — computed by queries, never stored."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ColumnElement, and_, bindparam, exists, func, select
from sqlalchemy.orm import Session, aliased

from app.audit.schemas import TimelineEntry
from app.audit.timeline import TimelineSource, register_source
from app.enterprises.models import Enterprise
from app.enums import label_of
from app.pipeline import calendar, declarations
from app.pipeline.enums import CalendarKind
from app.pipeline.models import Application, DevelopmentReport, StageEvent
from app.pipeline.programs import HIGH_TECH, TECH_LOAN, TECH_SME
from app.pipeline.schemas import AlertKind, AlertRead, StatusSummary
from app.pipeline.service import open_condition
from app.platforms import service as platforms
from app.visits import service as visits
from app.visits.enums import DemandCategory, DemandStatus
from app.visits.models import Demand


def _live() -> ColumnElement[bool]:
    return and_(Application.archived_at.is_(None), Enterprise.archived_at.is_(None))


# A firm's live applications (a handful), judged in status_summary: three queries cost more to build than to run
# on every firm page. Built once: the firm is a parameter.
_LIVE_APPLICATIONS = select(
    Application.program, Application.stage, Application.year, Application.valid_from, Application.valid_until,
    Application.reference_no,
).where(Application.enterprise_id == bindparam("enterprise_id"), Application.archived_at.is_(None))


def status_summary(session: Session, enterprise_id: int, today: dt.date) -> StatusSummary:
    rows = session.execute(_LIVE_APPLICATIONS, {"enterprise_id": enterprise_id}).all()
    certificates = [row for row in rows if row.program == HIGH_TECH.code and row.stage == "recognized"
                    and row.valid_from is not None and row.valid_until is not None
                    and row.valid_from <= today <= row.valid_until]
    certificate = max(certificates, key=lambda row: row.valid_until, default=None)
    open_applications: dict[str, int] = {}
    for row in rows:
        program = declarations.find_program(row.program)
        if program is not None and row.stage in program.stages_of_kind(declarations.StageKind.open):
            open_applications[row.program] = open_applications.get(row.program, 0) + 1
    return StatusSummary(
        high_tech_valid=certificate is not None,
        high_tech_certificate_no=certificate.reference_no if certificate else None,
        high_tech_valid_until=certificate.valid_until if certificate else None,
        tech_sme_registered_this_year=any(row.program == TECH_SME.code and row.stage == "registered"
                                          and row.year == today.year for row in rows),
        open_applications=open_applications,
        platforms=platforms.standing_platforms(session, enterprise_id, today),
    )


def _alert(kind: AlertKind, application: Application, firm_name: str, due_on: dt.date | None, days: int, message: str,
           deadlines: list[dt.date] | None = None) -> AlertRead:
    return AlertRead(kind=kind, enterprise_id=application.enterprise_id, enterprise_name=firm_name,
                     application_id=application.id, program=application.program, stage=application.stage,
                     due_on=due_on, days=days, message=message, deadlines=deadlines or [])


def _batch_deadlines(session: Session, year: int, today: dt.date) -> tuple[list[dt.date], str]:
    """The year's high-tech batch deadlines not yet past, and a phrase naming them for a message."""
    entries = [e for e in calendar.dates(session, HIGH_TECH.code, year, CalendarKind.batch_deadline)
               if e.falls_on >= today]
    if not entries:
        return [], f"{year}年批次截止日期尚未录入培育日历"
    named = "、".join(f"{e.label + ' ' if e.label else ''}{e.falls_on}" for e in entries)
    return [e.falls_on for e in entries], f"{year}年剩余批次截止：{named}"


def alerts(session: Session, *, today: dt.date, within_days: int, stuck_days: int, kinds: set[AlertKind]
           ) -> list[AlertRead]:
    """Every alert of the wanted kinds, most urgent (smallest ``days``) first within a kind."""
    found: list[AlertRead] = []
    base = select(Application, Enterprise.name).join(Enterprise, Enterprise.id == Application.enterprise_id)
    if AlertKind.certificate_expiring in kinds:
        renewal = aliased(Application)
        # A firm already renewing (a later high-tech application not given up) needs no reminder.
        renewing = exists().where(
            renewal.enterprise_id == Application.enterprise_id, renewal.program == HIGH_TECH.code,
            renewal.year > Application.year, renewal.archived_at.is_(None),
            renewal.stage.not_in(HIGH_TECH.stages_of_kind(declarations.StageKind.closed)),
        )
        # From 1 January of the expiry year: that year's tax benefit is lost unless the firm is re-recognised
        # by 31 December (税务总局公告2017年第24号), and the province's batches close mid-year.
        horizon = max(dt.date(today.year, 12, 31), today + dt.timedelta(days=within_days))
        query = base.where(_live(), Application.program == HIGH_TECH.code, Application.stage == "recognized",
                           Application.valid_until >= today, Application.valid_until <= horizon, ~renewing
                           ).order_by(Application.valid_until, Application.id)
        batches: dict[int, tuple[list[dt.date], str]] = {}
        for application, name in session.execute(query).all():
            assert application.valid_until is not None
            left = (application.valid_until - today).days
            year = application.valid_until.year
            if year not in batches:
                batches[year] = _batch_deadlines(session, year, today)
            deadlines, phrase = batches[year]
            found.append(_alert(AlertKind.certificate_expiring, application, name, application.valid_until, left,
                                f"高企证书 {application.reference_no or ''} 将于 {application.valid_until} 到期"
                                f"（剩 {left} 天），须在 {year} 年内完成重新认定，否则补缴按15%预缴的税款；{phrase}",
                                deadlines))
    if AlertKind.tech_sme_renewal_due in kinds:
        # NOT IN over a non-null column: SQLite plans the correlated NOT EXISTS as a scan per row.
        now = aliased(Application)
        registered_now = select(now.enterprise_id).where(
            now.program == TECH_SME.code, now.year == today.year, now.stage == "registered",
            now.archived_at.is_(None),
        )
        query = base.where(_live(), Application.program == TECH_SME.code, Application.stage == "registered",
                           Application.year == today.year - 1,
                           Application.enterprise_id.not_in(registered_now)).order_by(Application.id)
        closes = calendar.dates(session, TECH_SME.code, today.year, CalendarKind.window_closes)
        due = closes[-1].falls_on if closes else dt.date(today.year, 12, 31)
        window = (f"{today.year}年申报截止 {due}" if closes
                  else f"{today.year}年申报窗口尚未录入培育日历（暂按 {due} 计）")
        for application, name in session.execute(query).all():
            found.append(_alert(AlertKind.tech_sme_renewal_due, application, name, due, (due - today).days,
                                f"{today.year - 1}年已入库科技型中小企业，{today.year}年尚未入库；{window}",
                                [due] if closes else []))
    if AlertKind.loan_past_maturity in kinds:
        query = base.where(_live(), Application.program == TECH_LOAN.code,
                           Application.stage.in_(TECH_LOAN.stages_of_kind(declarations.StageKind.held)),
                           Application.valid_until < today).order_by(Application.valid_until, Application.id)
        for application, name in session.execute(query).all():
            assert application.valid_until is not None
            past = (today - application.valid_until).days
            found.append(_alert(AlertKind.loan_past_maturity, application, name, application.valid_until, -past,
                                f"科技贷款已于 {application.valid_until} 到期（逾 {past} 天）仍未结清"))
    if AlertKind.stuck in kinds:
        query = base.where(_live(), open_condition(),
                           Application.stage_entered_on <= today - dt.timedelta(days=stuck_days)
                           ).order_by(Application.stage_entered_on, Application.id)
        for application, name in session.execute(query).all():
            program = declarations.find_program(application.program)
            stage = program.stage(application.stage) if program else None
            waited = (today - application.stage_entered_on).days
            found.append(_alert(AlertKind.stuck, application, name, application.stage_entered_on, waited,
                                f"「{program.label if program else application.program}」停留在"
                                f"「{stage.label if stage else application.stage}」已 {waited} 天"))
    if AlertKind.demand_overdue in kinds:
        found.extend(_overdue_demands(session, today))
    if kinds & {AlertKind.development_report_missing, AlertKind.certificate_at_risk}:
        found.extend(_development_reports(session, today, kinds))
    return found


def _held_in(application: Application, year: int) -> bool:
    return (application.valid_from is not None and application.valid_until is not None
            and application.valid_from.year <= year <= application.valid_until.year)


def _development_reports(session: Session, today: dt.date, kinds: set[AlertKind]) -> list[AlertRead]:
    """年度发展情况报表: a certified firm reports on each year it held the certificate by 31 May of the next. The
    last year's report not yet filed is an alert (from 1 January); two reports missing past their due dates
    put the certificate at risk (办法 第十九条: 累计两年未填报 → 取消资格)."""
    last = today.year - 1
    query = (select(Application, Enterprise.name).join(Enterprise, Enterprise.id == Application.enterprise_id)
             .where(_live(), Application.program == HIGH_TECH.code, Application.stage == "recognized",
                    Application.valid_until >= dt.date(last, 1, 1), Application.valid_from <= dt.date(last, 12, 31))
             .order_by(Application.enterprise_id, Application.valid_until.desc(), Application.id))
    rows = session.execute(query).all()
    filed: set[tuple[int, int]] = set()
    firm_ids = list({application.enterprise_id for application, _ in rows})
    for start in range(0, len(firm_ids), 1000):
        reports = select(DevelopmentReport.enterprise_id, DevelopmentReport.year).where(
            DevelopmentReport.enterprise_id.in_(firm_ids[start:start + 1000]))
        filed.update((firm, year) for firm, year in session.execute(reports))
    found: list[AlertRead] = []
    seen: set[int] = set()
    due_dates: dict[int, dt.date] = {}

    def report_due(year: int) -> dt.date:
        if year not in due_dates:
            due_dates[year] = calendar.report_due(session, year)
        return due_dates[year]

    for application, name in rows:
        if application.enterprise_id in seen:
            continue
        seen.add(application.enterprise_id)
        assert application.valid_from is not None
        assert application.valid_until is not None
        due = report_due(last)
        if AlertKind.development_report_missing in kinds and _held_in(application, last) \
                and (application.enterprise_id, last) not in filed:
            found.append(_alert(AlertKind.development_report_missing, application, name, due, (due - today).days,
                                f"{last}年度发展情况报表未填报（截止 {due}）"))
        if AlertKind.certificate_at_risk in kinds and application.valid_until >= today:
            missing = [year for year in range(application.valid_from.year, last + 1)
                       if (application.enterprise_id, year) not in filed and report_due(year) < today]
            if len(missing) >= 2:
                latest = report_due(missing[-1])
                found.append(_alert(AlertKind.certificate_at_risk, application, name, latest, (latest - today).days,
                                    f"已累计 {len(missing)} 年未填报年度发展情况报表"
                                    f"（{'、'.join(str(y) for y in missing)}年），高企资格可能被取消（第十九条）"))
    order = {AlertKind.development_report_missing: 0, AlertKind.certificate_at_risk: 1}
    return sorted(found, key=lambda alert: (order[alert.kind], alert.days))


def _overdue_demands(session: Session, today: dt.date) -> list[AlertRead]:
    """Demands past their due date and not yet resolved or closed, the longest overdue first."""
    query = (visits.overdue_demands_query(today).add_columns(Enterprise.name)
             .join(Enterprise, Enterprise.id == Demand.enterprise_id).where(Enterprise.archived_at.is_(None))
             .order_by(Demand.due_on, Demand.id))
    found = []
    for demand, name in session.execute(query).all():
        assert demand.due_on is not None
        past = (today - demand.due_on).days
        category = label_of(DemandCategory(demand.category))
        status = label_of(DemandStatus(demand.status))
        found.append(AlertRead(kind=AlertKind.demand_overdue, enterprise_id=demand.enterprise_id,
                               enterprise_name=name, demand_id=demand.id, stage=demand.status,
                               due_on=demand.due_on, days=-past,
                               message=f"「{category}」诉求应于 {demand.due_on} 前办结，已逾期 {past} 天（{status}）"))
    return found


def _stage_label(program_code: str, stage: str | None) -> str:
    program = declarations.find_program(program_code)
    found = program.stage(stage) if program and stage else None
    return found.label if found else (stage or "")


def _newest_events(session: Session, enterprise_id: int, n: int) -> list[TimelineEntry]:
    query = (select(StageEvent).where(StageEvent.enterprise_id == enterprise_id)
             .order_by(StageEvent.at.desc(), StageEvent.id.desc()).limit(n))
    entries = []
    for event in session.scalars(query):
        program = declarations.find_program(event.program)
        title = f"「{program.label if program else event.program}」"
        title += (f"{_stage_label(event.program, event.from_stage)} → " if event.from_stage else "新建：")
        title += _stage_label(event.program, event.to_stage)
        entries.append(TimelineEntry(
            kind="stage_event", at=event.at, actor_id=event.actor_id, actor_name=event.actor_name, title=title,
            entity_type="application", entity_id=event.application_id,
            details={"program": event.program, "from_stage": event.from_stage, "to_stage": event.to_stage,
                     "occurred_on": event.occurred_on.isoformat(), "note": event.note},
        ))
    return entries


def _count_events(session: Session, enterprise_id: int) -> int:
    return session.scalar(select(func.count()).select_from(StageEvent)
                          .where(StageEvent.enterprise_id == enterprise_id)) or 0


register_source(TimelineSource(kind="stage_event", newest=_newest_events, count=_count_events))
