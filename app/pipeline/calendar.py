"""The programme calendar (dates per program and year, kept by staff) and high-tech development reports
(年度发展情况报表), which alerts read. Never commits."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.audit import service as audit
from app.audit.service import Actor
from app.enterprises.models import Enterprise
from app.enums import label_of
from app.errors import Conflict, ErrorItem, NotFound
from app.messages import Text
from app.pipeline.declarations import find_program
from app.pipeline.enums import CalendarKind
from app.pipeline.models import CalendarEntry, DevelopmentReport
from app.pipeline.schemas import CalendarEntryCreate, DevelopmentReportWrite
from app.pipeline.service import program_from_input

ENTRY_FIELDS = ("program", "year", "kind", "falls_on", "label", "source")
REPORT_DUE = (5, 31)  # 年度发展情况报表: by 31 May of the year after the one reported


def list_entries(session: Session, *, year: int | None = None, program: str | None = None) -> list[CalendarEntry]:
    query = select(CalendarEntry)
    if year is not None:
        query = query.where(CalendarEntry.year == year)
    if program is not None:
        query = query.where(CalendarEntry.program == program)
    return list(session.scalars(query.order_by(CalendarEntry.falls_on, CalendarEntry.id)))


def dates(session: Session, program: str, year: int, kind: CalendarKind) -> list[CalendarEntry]:
    query = select(CalendarEntry).where(CalendarEntry.program == program, CalendarEntry.year == year,
                                        CalendarEntry.kind == kind.value).order_by(CalendarEntry.falls_on)
    return list(session.scalars(query))


def report_due(session: Session, reported_year: int) -> dt.date:
    """Due date of the development report on ``reported_year``: the calendar's, else 31 May of the next year."""
    recorded = dates(session, "high_tech", reported_year + 1, CalendarKind.report_due)
    return recorded[0].falls_on if recorded else dt.date(reported_year + 1, *REPORT_DUE)


def get_entry(session: Session, entry_id: int) -> CalendarEntry:
    entry = session.get(CalendarEntry, entry_id)
    if entry is None:
        raise NotFound(Text(f"No calendar entry has id {entry_id}.", f"没有编号为 {entry_id} 的日程。"))
    return entry


def _flush(session: Session, entry: CalendarEntry) -> None:
    what = f"{entry.program} {entry.year} {entry.kind} {entry.falls_on}"
    program = find_program(entry.program)
    kind = label_of(CalendarKind(entry.kind)) if entry.kind in set(CalendarKind) else entry.kind
    what_zh = f"「{program.label if program else entry.program}」{entry.year} 年的{kind}（{entry.falls_on}）"
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError as exc:
        raise Conflict(Text(f"The calendar already has {what}.", f"日程中已有{what_zh}。"),
                       errors=[ErrorItem(loc=["body", "falls_on"], msg=Text("already in the calendar", "日程中已有"),
                                         type="duplicate")]
                       ) from exc


def create_entry(session: Session, data: CalendarEntryCreate, *, actor: Actor) -> CalendarEntry:
    program_from_input(data.program)
    entry = CalendarEntry(**data.model_dump())
    session.add(entry)
    _flush(session, entry)
    audit.record(session, actor=actor, action="create", entity_type="calendar_entry", entity_id=entry.id,
                 changes=audit.created({f: getattr(entry, f) for f in ENTRY_FIELDS}),
                 summary=f"培育日历：{entry.year} {entry.program} {entry.kind} {entry.falls_on}")
    return entry


def update_entry(session: Session, entry: CalendarEntry, changes: dict[str, Any], *, actor: Actor
                 ) -> dict[str, Any]:
    before = {f: getattr(entry, f) for f in ENTRY_FIELDS}
    for field, value in changes.items():
        setattr(entry, field, value)
    diff = {f: (before[f], getattr(entry, f)) for f in ENTRY_FIELDS if before[f] != getattr(entry, f)}
    if diff:
        _flush(session, entry)
        audit.record(session, actor=actor, action="update", entity_type="calendar_entry", entity_id=entry.id,
                     changes=diff)
    return diff


def delete_entry(session: Session, entry: CalendarEntry, *, actor: Actor) -> None:
    before = {f: getattr(entry, f) for f in ENTRY_FIELDS}
    session.delete(entry)
    session.flush()
    audit.record(session, actor=actor, action="delete", entity_type="calendar_entry", entity_id=entry.id,
                 changes={f: (v, None) for f, v in before.items() if v is not None})


# --- development reports ---------------------------------------------------------------------------


def list_reports(session: Session, enterprise: Enterprise) -> list[DevelopmentReport]:
    query = select(DevelopmentReport).where(DevelopmentReport.enterprise_id == enterprise.id)
    return list(session.scalars(query.order_by(DevelopmentReport.year.desc())))


def find_report(session: Session, enterprise: Enterprise, year: int) -> DevelopmentReport | None:
    return session.scalars(select(DevelopmentReport).where(DevelopmentReport.enterprise_id == enterprise.id,
                                                           DevelopmentReport.year == year)).first()


def get_report(session: Session, enterprise: Enterprise, year: int) -> DevelopmentReport:
    report = find_report(session, enterprise, year)
    if report is None:
        raise NotFound(Text(f"Firm {enterprise.id} has no development report recorded for {year}.",
                            f"企业 {enterprise.id} 没有 {year} 年度发展情况报表的记录。"))
    return report


def put_report(session: Session, enterprise: Enterprise, year: int, data: DevelopmentReportWrite, *, actor: Actor
               ) -> tuple[DevelopmentReport, bool]:
    if enterprise.archived_at is not None:
        raise Conflict(Text(f"Firm {enterprise.id} is archived; restore it before changing it.",
                            f"企业 {enterprise.id} 已归档，请先恢复再修改。"))
    report = find_report(session, enterprise, year)
    created = report is None
    if report is None:
        report = DevelopmentReport(enterprise_id=enterprise.id, year=year, filed_on=data.filed_on)
        session.add(report)
        before = None
    else:
        before = report.filed_on
        report.filed_on = data.filed_on
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError as exc:
        raise Conflict(Text(f"The {year} report was recorded by someone else at the same moment; retry.",
                            f"{year} 年度报表刚被他人同时登记，请重试。")) from exc
    if created or before != report.filed_on:
        audit.record(session, actor=actor, action="create" if created else "update",
                     entity_type="development_report", entity_id=report.id, enterprise_id=enterprise.id,
                     changes={"filed_on": (before, report.filed_on)}, summary=f"{year}年度发展情况报表")
    return report, created


def delete_report(session: Session, report: DevelopmentReport, *, actor: Actor) -> None:
    session.delete(report)
    session.flush()
    audit.record(session, actor=actor, action="delete", entity_type="development_report", entity_id=report.id,
                 enterprise_id=report.enterprise_id, changes={"filed_on": (report.filed_on, None)},
                 summary=f"{report.year}年度发展情况报表")
