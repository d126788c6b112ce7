"""HTTP routes of the pipeline: ``/programs``, ``/applications`` with their transitions, and ``/alerts``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request, Response, status
from sqlalchemy.orm import Session

from app.auth.dependencies import ActorDep
from app.enterprises import refs
from app.enterprises import service as enterprises
from app.errors import problem_responses
from app.fields import business_today
from app.http.conditional import check_if_match, etag_for, not_modified, require_if_match, set_etag
from app.http.deps import SessionDep
from app.http.pagination import Page, Paging
from app.http.transaction import TransactionalRoute
from app.pipeline import calendar, declarations, queries, service, transitions
from app.pipeline.declarations import Program
from app.pipeline.models import Application
from app.pipeline.schemas import (
    AlertKind,
    AlertRead,
    ApplicationCreate,
    ApplicationFilter,
    ApplicationRead,
    ApplicationUpdate,
    CalendarEntryCreate,
    CalendarEntryRead,
    CalendarEntryUpdate,
    DevelopmentReportRead,
    DevelopmentReportWrite,
    ProgramRead,
    RequirementRead,
    StageEventRead,
    StageRead,
    TransitionCreate,
    TransitionResult,
    TransitionRuleRead,
)

programs_router = APIRouter(prefix="/programs", tags=["pipeline"], route_class=TransactionalRoute)
router = APIRouter(prefix="/applications", tags=["pipeline"], route_class=TransactionalRoute)
alerts_router = APIRouter(prefix="/alerts", tags=["pipeline"], route_class=TransactionalRoute)
calendar_router = APIRouter(prefix="/calendar", tags=["calendar"], route_class=TransactionalRoute)
filings_router = APIRouter(prefix="/enterprises", tags=["calendar"], route_class=TransactionalRoute)

ApplicationId = Annotated[int, Path(ge=1, le=2_147_483_647, description="Application id.")]
ProgramCodePath = Annotated[str, Path(min_length=1, max_length=32, description="Program code, e.g. high_tech.")]


def _program_read(program: Program) -> ProgramRead:
    return ProgramRead(
        code=program.code, label=program.label, description=program.description,
        rule_version=program.rule_version, unique_per_year=program.unique_per_year,
        entry_stages=list(program.starts),
        stages=[StageRead(code=s.code, label=s.label, kind=s.kind) for s in program.all_stages],
        transitions=[TransitionRuleRead(to=t.to, sources=list(t.sources),
                                        requires=[RequirementRead(field=r.field, label=r.label) for r in t.requires])
                     for t in program.all_transitions],
        details_schema=program.details.model_json_schema(),
    )


def _reads(session: Session, applications: Sequence[Application]) -> list[ApplicationRead]:
    reads = refs.read_all(session, ApplicationRead, applications)
    for read, application in zip(reads, applications, strict=True):
        program = declarations.find_program(application.program)
        if program is not None and application.archived_at is None:
            read.allowed_transitions = program.allowed_from(application.stage)
    return reads


def _read(session: Session, application: Application) -> ApplicationRead:
    return _reads(session, [application])[0]


@programs_router.get("")
def list_programs() -> list[ProgramRead]:
    """Every program with its stages, allowed transitions, required fields and details schema."""
    return [_program_read(p) for p in declarations.programs()]


@programs_router.get("/{code}", responses=problem_responses(404, 422))
def get_program(code: ProgramCodePath) -> ProgramRead:
    """One program's declaration."""
    return _program_read(service.get_program(code))


@router.get("", responses=problem_responses(422))
def list_applications(session: SessionDep, page: Paging, filters: Annotated[ApplicationFilter, Query()]
                      ) -> Page[ApplicationRead]:
    """List applications of every program, filtered, sorted and paginated."""
    rows, total = service.list_applications(session, filters=filters, page=page)
    return Page(items=_reads(session, rows), total=total, limit=page.limit, offset=page.offset,
                next=page.next_url(total))


@router.post("", status_code=status.HTTP_201_CREATED, responses=problem_responses(409, 422))
def create_application(data: ApplicationCreate, session: SessionDep, actor: ActorDep, request: Request,
                       response: Response) -> ApplicationRead:
    """Open an application of a firm to a program; 409 when the program allows one per year and it exists."""
    application = service.create_application(session, data, actor=actor)
    response.headers["Location"] = request.app.url_path_for("get_application", application_id=str(application.id))
    set_etag(response, application.version)
    return _read(session, application)


@router.get("/{application_id}", response_model=ApplicationRead,
            responses={304: {"description": "Not modified (If-None-Match matched)"}, **problem_responses(404, 422)})
def get_application(application_id: ApplicationId, session: SessionDep, request: Request, response: Response
                    ) -> Any:
    """Read one application (archived ones too); answers 304 to a matching If-None-Match."""
    application = service.get_application(session, application_id)
    if not_modified(request, application.version):
        return Response(status_code=status.HTTP_304_NOT_MODIFIED, headers={"ETag": etag_for(application.version)})
    set_etag(response, application.version)
    return _read(session, application)


@router.patch("/{application_id}", responses=problem_responses(404, 409, 412, 422, 428))
def update_application(application_id: ApplicationId, data: ApplicationUpdate, session: SessionDep,
                       actor: ActorDep, request: Request, response: Response) -> ApplicationRead:
    """Correct fields of an application (the stage moves only by transitions); requires If-Match."""
    application = service.get_application(session, application_id)
    require_if_match(request, application.version)
    service.update_application(session, application, data.changes(), actor=actor)
    set_etag(response, application.version)
    return _read(session, application)


@router.delete("/{application_id}", status_code=status.HTTP_204_NO_CONTENT,
               responses=problem_responses(404, 409, 412, 422, 428))
def archive_application(application_id: ApplicationId, session: SessionDep, actor: ActorDep, request: Request
                        ) -> Response:
    """Archive an application entered by mistake (restorable, history kept); requires If-Match."""
    application = service.get_application(session, application_id)
    require_if_match(request, application.version)
    service.archive_application(session, application, actor=actor)
    return Response(status_code=status.HTTP_204_NO_CONTENT, headers={"ETag": etag_for(application.version)})


@router.post("/{application_id}/restore", responses=problem_responses(404, 409, 412, 422))
def restore_application(application_id: ApplicationId, session: SessionDep, actor: ActorDep, request: Request,
                        response: Response) -> ApplicationRead:
    """Bring an archived application back; 409 when another now holds its program and year."""
    application = service.get_application(session, application_id)
    check_if_match(request.headers.get("if-match"), application.version)
    service.restore_application(session, application, actor=actor)
    set_etag(response, application.version)
    return _read(session, application)


@router.get("/{application_id}/transitions", responses=problem_responses(404, 422))
def list_transitions(application_id: ApplicationId, session: SessionDep) -> list[StageEventRead]:
    """An application's stage history, oldest first (the first entry is its creation)."""
    application = service.get_application(session, application_id)
    return [StageEventRead.model_validate(e) for e in transitions.list_events(session, application)]


@router.post("/{application_id}/transitions", status_code=status.HTTP_201_CREATED,
             responses=problem_responses(404, 409, 412, 422))
def transition_application(application_id: ApplicationId, data: TransitionCreate, session: SessionDep,
                           actor: ActorDep, request: Request, response: Response) -> TransitionResult:
    """Move an application to another stage; 409 lists the allowed ones, If-Match is checked when sent."""
    application = service.get_application(session, application_id)
    check_if_match(request.headers.get("if-match"), application.version)
    event = transitions.transition_application(session, application, data, actor=actor)
    response.headers["Location"] = request.app.url_path_for("list_transitions", application_id=str(application.id))
    set_etag(response, application.version)
    return TransitionResult(event=StageEventRead.model_validate(event), application=_read(session, application))


@alerts_router.get("", responses=problem_responses(422))
def list_alerts(
    session: SessionDep, page: Paging,
    within_days: Annotated[int, Query(ge=0, le=3660, description="Certificates expiring within this many days.")
                           ] = 90,
    stuck_days: Annotated[int, Query(ge=1, le=3660, description="An open stage held longer than this is stuck.")
                          ] = 60,
    kind: Annotated[list[AlertKind] | None, Query(description="Only these kinds; repeatable. Default: all.")
                    ] = None,
) -> Page[AlertRead]:
    """What needs attention now: expiring certificates, tech-SME renewals, overdue loans and demands, stuck cases."""
    found = queries.alerts(session, today=business_today(), within_days=within_days, stuck_days=stuck_days,
                           kinds=set(kind or AlertKind))
    return Page(items=found[page.offset:page.offset + page.limit], total=len(found), limit=page.limit,
                offset=page.offset, next=page.next_url(len(found)))


# --- programme calendar ----------------------------------------------------------------------------

CalendarEntryId = Annotated[int, Path(ge=1, le=2_147_483_647, description="Calendar entry id.")]


@calendar_router.get("", responses=problem_responses(422))
def list_calendar_entries(
    session: SessionDep,
    year: Annotated[int | None, Query(ge=1990, le=2200, description="Only this programme year.")] = None,
    program: Annotated[str | None, Query(min_length=1, max_length=32, description="Only this program.")] = None,
) -> list[CalendarEntryRead]:
    """The programme calendar: windows, batch deadlines, publicity ends, earliest first."""
    return [CalendarEntryRead.model_validate(e) for e in calendar.list_entries(session, year=year, program=program)]


@calendar_router.post("", status_code=status.HTTP_201_CREATED, responses=problem_responses(409, 422))
def create_calendar_entry(data: CalendarEntryCreate, session: SessionDep, actor: ActorDep, request: Request,
                          response: Response) -> CalendarEntryRead:
    """Add a date to the programme calendar."""
    entry = calendar.create_entry(session, data, actor=actor)
    response.headers["Location"] = request.app.url_path_for("get_calendar_entry", entry_id=str(entry.id))
    set_etag(response, entry.version)
    return CalendarEntryRead.model_validate(entry)


@calendar_router.get("/{entry_id}", responses=problem_responses(404, 422))
def get_calendar_entry(entry_id: CalendarEntryId, session: SessionDep, response: Response) -> CalendarEntryRead:
    """Read one calendar date."""
    entry = calendar.get_entry(session, entry_id)
    set_etag(response, entry.version)
    return CalendarEntryRead.model_validate(entry)


@calendar_router.patch("/{entry_id}", responses=problem_responses(404, 409, 412, 422, 428))
def update_calendar_entry(entry_id: CalendarEntryId, data: CalendarEntryUpdate, session: SessionDep,
                          actor: ActorDep, request: Request, response: Response) -> CalendarEntryRead:
    """Move or relabel a calendar date; requires If-Match."""
    entry = calendar.get_entry(session, entry_id)
    require_if_match(request, entry.version)
    calendar.update_entry(session, entry, data.changes(), actor=actor)
    set_etag(response, entry.version)
    return CalendarEntryRead.model_validate(entry)


@calendar_router.delete("/{entry_id}", status_code=status.HTTP_204_NO_CONTENT,
                        responses=problem_responses(404, 412, 422, 428))
def delete_calendar_entry(entry_id: CalendarEntryId, session: SessionDep, actor: ActorDep, request: Request
                          ) -> Response:
    """Remove a calendar date; requires If-Match."""
    entry = calendar.get_entry(session, entry_id)
    require_if_match(request, entry.version)
    calendar.delete_entry(session, entry, actor=actor)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


# --- high-tech development reports -----------------------------------------------------------------

EnterpriseId = Annotated[int, Path(ge=1, le=2_147_483_647, description="Firm id.")]
ReportYear = Annotated[int, Path(ge=1990, le=2200, description="Fiscal year reported.")]


@filings_router.get("/{enterprise_id}/development-reports", responses=problem_responses(404, 422))
def list_development_reports(enterprise_id: EnterpriseId, session: SessionDep) -> list[DevelopmentReportRead]:
    """The 年度发展情况报表 a firm filed, newest year first."""
    enterprise = enterprises.get_enterprise(session, enterprise_id)
    return [DevelopmentReportRead.model_validate(r) for r in calendar.list_reports(session, enterprise)]


@filings_router.get("/{enterprise_id}/development-reports/{year}", responses=problem_responses(404, 422))
def get_development_report(enterprise_id: EnterpriseId, year: ReportYear, session: SessionDep, response: Response
                           ) -> DevelopmentReportRead:
    """Whether and when a firm filed the report on one year."""
    report = calendar.get_report(session, enterprises.get_enterprise(session, enterprise_id), year)
    set_etag(response, report.version)
    return DevelopmentReportRead.model_validate(report)


@filings_router.put("/{enterprise_id}/development-reports/{year}",
                    responses={201: {"description": "Created", "model": DevelopmentReportRead},
                               **problem_responses(404, 409, 412, 422)})
def put_development_report(enterprise_id: EnterpriseId, year: ReportYear, data: DevelopmentReportWrite,
                           session: SessionDep, actor: ActorDep, request: Request, response: Response
                           ) -> DevelopmentReportRead:
    """Record that a firm filed its report on ``year`` (201) or correct the date (200); If-Match when sent."""
    enterprise = enterprises.get_enterprise(session, enterprise_id)
    existing = calendar.find_report(session, enterprise, year)
    if existing is not None:
        check_if_match(request.headers.get("if-match"), existing.version)
    report, created = calendar.put_report(session, enterprise, year, data, actor=actor)
    if created:
        response.status_code = status.HTTP_201_CREATED
        response.headers["Location"] = request.app.url_path_for(
            "get_development_report", enterprise_id=str(enterprise.id), year=str(year))
    set_etag(response, report.version)
    return DevelopmentReportRead.model_validate(report)


@filings_router.delete("/{enterprise_id}/development-reports/{year}", status_code=status.HTTP_204_NO_CONTENT,
                       responses=problem_responses(404, 412, 422, 428))
def delete_development_report(enterprise_id: EnterpriseId, year: ReportYear, session: SessionDep, actor: ActorDep,
                              request: Request) -> Response:
    """Delete a report recorded by mistake; requires If-Match."""
    report = calendar.get_report(session, enterprises.get_enterprise(session, enterprise_id), year)
    require_if_match(request, report.version)
    calendar.delete_report(session, report, actor=actor)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
