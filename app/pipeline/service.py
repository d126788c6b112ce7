"""Applications, driven by the program declarations (their transitions: ``transitions``). Never commits."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Select, SQLColumnExpression, and_, false, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from app.audit import service as audit
from app.audit.service import Actor
from app.auth.models import User
from app.db import utcnow
from app.eligibility import service as eligibility
from app.enterprises.models import Enterprise
from app.errors import Conflict, ErrorItem, InvalidInput, NotFound
from app.fields import business_today
from app.http.pagination import PageParams, paginate, parse_sort
from app.messages import Text
from app.pipeline import bars, declarations
from app.pipeline import programs as _declared  # noqa: F401  (registers the four programs)
from app.pipeline.checks import (
    consistency_problems,
    ensure_active,
    joined,
    refuse_computed,
    refuse_derived,
    stage_labels,
    valid_details,
)
from app.pipeline.declarations import Program, StageKind
from app.pipeline.models import Application, StageEvent
from app.pipeline.schemas import ApplicationCreate, ApplicationFilter

SORTABLE: dict[str, SQLColumnExpression[Any]] = {
    "id": Application.id, "year": Application.year, "program": Application.program, "stage": Application.stage,
    "stage_entered_on": Application.stage_entered_on, "decided_on": Application.decided_on,
    "valid_until": Application.valid_until, "created_at": Application.created_at,
    "updated_at": Application.updated_at,
}
# Columns a PATCH may correct and the audit log follows; stage moves only through transitions.
FIELDS = ("reference_no", "amount_requested", "amount_approved", "amount_disbursed", "decided_on", "issued_on",
          "valid_from", "valid_until", "owner_id", "previous_id", "details", "notes")


def get_program(code: str) -> Program:
    program = declarations.find_program(code)
    if program is None:
        raise NotFound(Text(f"No program has code '{code}'.", f"没有“{code}”这个申报项目。"))
    return program


def program_of(application: Application) -> Program:
    program = declarations.find_program(application.program)
    if program is None:  # a declaration was removed while rows still use it
        raise Conflict(Text(f"Application {application.id} belongs to program '{application.program}', "
                            "which is no longer declared.",
                            f"申报 {application.id} 所属的申报项目已停用，无法再办理。"))
    return program


def program_from_input(code: str, loc: tuple[str, ...] = ("body", "program")) -> Program:
    """The declared program a client named at ``loc``; a 422 listing the programs otherwise."""
    program = declarations.find_program(code)
    if program is None:
        known = ", ".join(p.code for p in declarations.programs())
        labels = "、".join(f"「{p.label}」" for p in declarations.programs())
        raise InvalidInput.at(list(loc), Text(f"unknown program '{code}'; programs: {known}",
                                              f"没有“{code}”这个申报项目；可选：{labels}"))
    return program


def get_application(session: Session, application_id: int) -> Application:
    application = session.get(Application, application_id)
    if application is None:
        raise NotFound(Text(f"No application has id {application_id}.", f"没有编号为 {application_id} 的申报。"))
    return application


def held_condition(day: dt.date) -> SQLColumnExpression[bool]:
    """Applications whose result (registration, certificate, loan) is in force on ``day``."""
    held = [and_(Application.program == p.code, Application.stage.in_(p.stages_of_kind(StageKind.held)))
            for p in declarations.programs()]
    return and_(or_(false(), *held), Application.valid_until >= day,
                or_(Application.valid_from.is_(None), Application.valid_from <= day))


def open_condition() -> SQLColumnExpression[bool]:
    return or_(false(), *[and_(Application.program == p.code, Application.stage.in_(p.stages_of_kind(StageKind.open)))
                          for p in declarations.programs()])


def filtered_applications(filters: ApplicationFilter) -> Select[Application]:
    query = select(Application)
    if not filters.include_archived:
        query = query.where(Application.archived_at.is_(None))
    for column, values in ((Application.program, filters.program), (Application.stage, filters.stage),
                           (Application.year, filters.year)):
        if values:
            query = query.where(column.in_(values))
    if filters.enterprise_id is not None:
        query = query.where(Application.enterprise_id == filters.enterprise_id)
    if filters.owner_id is not None:
        query = query.where(Application.owner_id == filters.owner_id)
    if filters.district:
        firms = select(Enterprise.id).where(Enterprise.district.in_(filters.district))
        query = query.where(Application.enterprise_id.in_(firms))
    if filters.valid_on is not None:
        query = query.where(held_condition(filters.valid_on))
    if filters.updated_since is not None:
        since = filters.updated_since
        query = query.where(Application.updated_at >= (since if since.tzinfo else since.replace(tzinfo=dt.UTC)))
    return query


def list_applications(session: Session, *, filters: ApplicationFilter, page: PageParams
                      ) -> tuple[list[Application], int]:
    order = parse_sort(filters.sort, SORTABLE, default=["id"], tiebreaker=Application.id)
    return paginate(session, filtered_applications(filters), order, page)


def _computed(session: Session, program: Program, enterprise_id: int, year: int, on: dt.date) -> dict[str, Any]:
    """Detail values Seedbed computes when an application is created."""
    if program.code == "tech_sme":
        # The evaluation of year Y reads the accounts of Y-1, the last fiscal year that has ended; direct
        # confirmation reads the records in force on the day the application is made.
        return {"evaluation": eligibility.tech_sme_score_details(session, enterprise_id, year - 1, as_of=on)}
    return {}


def _slot(program: Program, enterprise_id: int, year: int) -> str | None:
    return f"{program.code}:{enterprise_id}:{year}" if program.unique_per_year else None


def _taken(session: Session, slot: str | None, *, program: Program, year: int) -> None:
    if slot is None:
        return
    existing = session.scalars(select(Application).where(Application.unique_slot == slot)).first()
    if existing is not None:
        raise Conflict(
            Text(f"This firm already has a 「{program.label}」 application for {year} (id {existing.id}); "
                 "a program allows one per firm and year.",
                 f"该企业 {year} 年已有「{program.label}」申报（编号 {existing.id}），每家企业每年只能申报一次。"),
            errors=[ErrorItem(loc=["body", "year"], msg=Text("already applied this year", "本年度已申报"),
                              type="duplicate")],
            existing_id=existing.id,
        )


def _flush_slot(session: Session, slot: str | None, *, program: Program, year: int) -> None:
    """Flush in a savepoint so a concurrent duplicate becomes a 409, not a 500."""
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError:
        _taken(session, slot, program=program, year=year)
        raise


def _check_references(session: Session, *, enterprise_id: int, program: Program, owner_id: int | None,
                      previous_id: int | None, application_id: int | None = None) -> None:
    if owner_id is not None and session.get(User, owner_id) is None:
        raise InvalidInput.at(["body", "owner_id"], Text(f"no staff user has id {owner_id}",
                                                         f"没有编号为 {owner_id} 的工作人员"))
    if previous_id is None:
        return
    previous = session.get(Application, previous_id)
    if (previous is None or previous.enterprise_id != enterprise_id or previous.program != program.code
            or previous.id == application_id):
        raise InvalidInput.at(["body", "previous_id"],
                              Text(f"previous_id must be another 「{program.label}」 application of the same firm",
                                   f"上一次申报须是同一企业的另一项「{program.label}」申报"))


def snapshot(application: Application) -> dict[str, Any]:
    return {"stage": application.stage, **{f: getattr(application, f) for f in FIELDS}}


def create_application(session: Session, data: ApplicationCreate, *, actor: Actor, note: str | None = None
                       ) -> Application:
    program = program_from_input(data.program)
    firm = session.get(Enterprise, data.enterprise_id)
    if firm is None:
        raise InvalidInput.at(["body", "enterprise_id"], Text(f"no firm has id {data.enterprise_id}",
                                                              f"没有编号为 {data.enterprise_id} 的企业"))
    if firm.archived_at is not None:
        raise Conflict(Text(f"Firm {firm.id} is archived; restore it before adding applications.",
                            f"企业 {firm.id} 已归档，请先恢复再添加申报。"))
    latest = business_today().year + 1
    if data.year > latest:
        raise InvalidInput.at(["body", "year"], Text(f"year can be at most {latest}", f"年度最晚为 {latest} 年"))
    stage = data.stage or program.starts[0]
    if stage not in program.starts:
        raise InvalidInput.at(["body", "stage"], Text(
            f"a new application starts in one of: {', '.join(program.starts)}",
            f"新申报只能从以下阶段开始：{stage_labels(program, program.starts)}"))
    _check_references(session, enterprise_id=firm.id, program=program, owner_id=data.owner_id,
                      previous_id=data.previous_id)
    entered_on = data.on or business_today()
    # The bar first: it says why, and until when, better than "already applied this year" does.
    bars.refuse_if_barred(session, enterprise_id=firm.id, program=program.code, year=data.year, on=entered_on)
    slot = _slot(program, firm.id, data.year)
    _taken(session, slot, program=program, year=data.year)
    refuse_computed(program, data.details, ["body", "details"])
    details = {**data.details, **_computed(session, program, firm.id, data.year, entered_on)}
    application = Application(
        program=program.code, enterprise_id=firm.id, year=data.year, stage=stage, stage_entered_on=entered_on,
        unique_slot=slot, reference_no=data.reference_no, amount_requested=data.amount_requested,
        owner_id=data.owner_id, previous_id=data.previous_id, notes=data.notes,
        details=valid_details(program, details, ["body", "details"]),
    )
    session.add(application)
    _flush_slot(session, slot, program=program, year=data.year)
    session.add(StageEvent(application_id=application.id, enterprise_id=firm.id, program=program.code,
                           from_stage=None, to_stage=stage, occurred_on=entered_on, actor_id=actor.user_id,
                           actor_name=actor.name, note=note, fields={}))
    session.flush()
    audit.record(session, actor=actor, action="create", entity_type="application", entity_id=application.id,
                 enterprise_id=firm.id, changes=audit.created(snapshot(application)),
                 summary=f"新建{data.year}年「{program.label}」申报")
    return application


def flush_versioned(session: Session, application: Application) -> None:
    # Read before flushing: after a failed flush the session refuses to load anything.
    application_id = application.id
    try:
        session.flush()
    except StaleDataError as exc:
        raise Conflict(Text(f"Application {application_id} was changed by someone else at the same moment; "
                            "reload it and try again.",
                            f"申报 {application_id} 刚被他人同时修改，请重新加载后再试。")) from exc


def update_application(session: Session, application: Application, changes: dict[str, Any], *, actor: Actor
                       ) -> dict[str, Any]:
    ensure_active(application)
    program = program_of(application)
    before = snapshot(application)
    if "details" in changes:
        refuse_computed(program, changes["details"], ["body", "details"])
        changes["details"] = valid_details(program, {**application.details, **changes["details"]},
                                           ["body", "details"])
    _check_references(session, enterprise_id=application.enterprise_id, program=program,
                      owner_id=changes.get("owner_id"), previous_id=changes.get("previous_id"),
                      application_id=application.id)
    refuse_derived(program, changes)
    for field, value in changes.items():
        setattr(application, field, value)
    if program.rederive is not None:
        for field, value in program.rederive(snapshot(application)).items():
            setattr(application, field, value)
    problems = consistency_problems(application)
    if problems:
        raise InvalidInput(joined([m for _, m in problems]),
                           errors=[ErrorItem(loc=["body", f], msg=m, type="inconsistent") for f, m in problems])
    after = snapshot(application)
    diff = {k: (before[k], after[k]) for k in after if before[k] != after[k]}
    if diff:
        flush_versioned(session, application)
        audit.record(session, actor=actor, action="update", entity_type="application", entity_id=application.id,
                     enterprise_id=application.enterprise_id, changes=diff)
    return diff


def archive_application(session: Session, application: Application, *, actor: Actor) -> bool:
    if application.archived_at is not None:
        return False
    application.archived_at = utcnow()
    application.unique_slot = None  # an archived case no longer blocks a new one for the same year
    flush_versioned(session, application)
    audit.record(session, actor=actor, action="archive", entity_type="application", entity_id=application.id,
                 enterprise_id=application.enterprise_id, changes={"archived_at": (None, application.archived_at)})
    return True


def restore_application(session: Session, application: Application, *, actor: Actor) -> bool:
    if application.archived_at is None:
        return False
    program = program_of(application)
    slot = _slot(program, application.enterprise_id, application.year)
    _taken(session, slot, program=program, year=application.year)
    archived_at = application.archived_at
    application.archived_at = None
    application.unique_slot = slot
    _flush_slot(session, slot, program=program, year=application.year)
    audit.record(session, actor=actor, action="restore", entity_type="application", entity_id=application.id,
                 enterprise_id=application.enterprise_id, changes={"archived_at": (archived_at, None)})
    return True


