"""HTTP routes of the registry: ``/enterprises``, contacts and annual figures."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response, status

from app.auth.dependencies import ActorDep
from app.enterprises import reads, service
from app.enterprises.schemas import (
    ContactCreate,
    ContactRead,
    ContactUpdate,
    EnterpriseCreate,
    EnterpriseDetail,
    EnterpriseFilter,
    EnterpriseRead,
    EnterpriseUpdate,
    FiguresRead,
    FiguresWrite,
    validate_year,
)
from app.errors import InvalidInput, PreconditionFailed, problem_responses
from app.fields import business_today
from app.http.conditional import check_if_match, etag_for, require_if_match, set_etag
from app.http.deps import SessionDep
from app.http.pagination import Page, Paging, page_response
from app.http.transaction import TransactionalRoute
from app.pipeline import queries as pipeline

router = APIRouter(prefix="/enterprises", tags=["enterprises"], route_class=TransactionalRoute)

EnterpriseId = Annotated[int, Path(ge=1, le=2_147_483_647, description="Firm id.")]
ContactId = Annotated[int, Path(ge=1, le=2_147_483_647)]
Year = Annotated[int, Path(ge=1900, le=2200, description="Fiscal year.")]


def _year(year: int) -> int:
    try:
        return validate_year(year)
    except ValueError as exc:
        raise InvalidInput.at(["path", "year"], exc.args[0]) from exc


@router.get("", responses=problem_responses(422), response_model=Page[EnterpriseRead])
def list_enterprises(
    session: SessionDep, page: Paging, filters: Annotated[EnterpriseFilter, Query()]
) -> Response:
    """List firms, filtered, sorted and paginated."""
    items, total = reads.kept_page(session, filters=filters, page=page)
    # The firms are validated and serialised already (a kept page, once per language).
    return page_response(items, total, page)


@router.post("", status_code=status.HTTP_201_CREATED, responses=problem_responses(409, 422))
def create_enterprise(
    data: EnterpriseCreate, session: SessionDep, actor: ActorDep, request: Request, response: Response
) -> EnterpriseRead:
    """Register a firm; 409 names the existing firm when the credit code is taken."""
    enterprise = service.create_enterprise(session, data, actor=actor)
    response.headers["Location"] = request.app.url_path_for("get_enterprise", enterprise_id=str(enterprise.id))
    set_etag(response, enterprise.version)
    return EnterpriseRead.model_validate(enterprise)


@router.get("/{enterprise_id}", responses=problem_responses(404, 422), description=(
    "The ETag is the firm's version, for If-Match on PATCH/DELETE. This read never answers 304: "
    "`status_summary` changes with the firm's applications and with the date, not with its version."))
def get_enterprise(enterprise_id: EnterpriseId, session: SessionDep, response: Response) -> EnterpriseDetail:
    """Read one firm (archived ones too) with the status its applications give it today."""
    fields = reads.one_firm(session, enterprise_id)
    # No 304 here: the status summary changes with other records and the date, not with the firm's version.
    set_etag(response, fields["version"])
    summary = pipeline.status_summary(session, enterprise_id, business_today())
    return EnterpriseDetail.model_validate({**fields, "status_summary": summary})


@router.patch("/{enterprise_id}", responses=problem_responses(404, 409, 412, 422, 428))
def update_enterprise(
    enterprise_id: EnterpriseId, data: EnterpriseUpdate, session: SessionDep, actor: ActorDep, request: Request,
    response: Response,
) -> EnterpriseRead:
    """Change some fields of a firm; requires If-Match with the ETag you read."""
    enterprise = service.get_enterprise(session, enterprise_id)
    require_if_match(request, enterprise.version)
    service.update_enterprise(session, enterprise, data.changes(), actor=actor)
    set_etag(response, enterprise.version)
    return EnterpriseRead.model_validate(enterprise)


@router.delete("/{enterprise_id}", status_code=status.HTTP_204_NO_CONTENT,
               responses=problem_responses(404, 412, 422, 428))
def archive_enterprise(enterprise_id: EnterpriseId, session: SessionDep, actor: ActorDep, request: Request
                       ) -> Response:
    """Archive a firm (restorable; its history is kept); requires If-Match."""
    enterprise = service.get_enterprise(session, enterprise_id)
    require_if_match(request, enterprise.version)
    service.archive_enterprise(session, enterprise, actor=actor)
    return Response(status_code=status.HTTP_204_NO_CONTENT, headers={"ETag": etag_for(enterprise.version)})


@router.post("/{enterprise_id}/restore", responses=problem_responses(404, 412, 422))
def restore_enterprise(
    enterprise_id: EnterpriseId, session: SessionDep, actor: ActorDep, request: Request, response: Response
) -> EnterpriseRead:
    """Bring an archived firm back into the lists."""
    enterprise = service.get_enterprise(session, enterprise_id)
    check_if_match(request.headers.get("if-match"), enterprise.version)
    service.restore_enterprise(session, enterprise, actor=actor)
    set_etag(response, enterprise.version)
    return EnterpriseRead.model_validate(enterprise)


# --- contacts -------------------------------------------------------------------------------------


@router.get("/{enterprise_id}/contacts", responses=problem_responses(404, 422))
def list_contacts(enterprise_id: EnterpriseId, session: SessionDep) -> list[ContactRead]:
    """List a firm's contacts, the primary one first."""
    enterprise = service.get_enterprise(session, enterprise_id)
    return [ContactRead.model_validate(c) for c in service.list_contacts(session, enterprise)]


@router.post("/{enterprise_id}/contacts", status_code=status.HTTP_201_CREATED,
             responses=problem_responses(404, 409, 422))
def create_contact(
    enterprise_id: EnterpriseId, data: ContactCreate, session: SessionDep, actor: ActorDep, request: Request,
    response: Response,
) -> ContactRead:
    """Add a contact person to a firm."""
    enterprise = service.get_enterprise(session, enterprise_id)
    contact = service.create_contact(session, enterprise, data, actor=actor)
    response.headers["Location"] = request.app.url_path_for(
        "get_contact", enterprise_id=str(enterprise.id), contact_id=str(contact.id)
    )
    set_etag(response, contact.version)
    return ContactRead.model_validate(contact)


@router.get("/{enterprise_id}/contacts/{contact_id}", responses=problem_responses(404, 422))
def get_contact(
    enterprise_id: EnterpriseId, contact_id: ContactId, session: SessionDep,
    response: Response,
) -> ContactRead:
    """Read one contact."""
    contact = service.get_contact(session, service.get_enterprise(session, enterprise_id), contact_id)
    set_etag(response, contact.version)
    return ContactRead.model_validate(contact)


@router.patch("/{enterprise_id}/contacts/{contact_id}", responses=problem_responses(404, 409, 412, 422, 428))
def update_contact(
    enterprise_id: EnterpriseId, contact_id: ContactId, data: ContactUpdate, session: SessionDep, actor: ActorDep,
    request: Request, response: Response,
) -> ContactRead:
    """Change a contact; requires If-Match."""
    contact = service.get_contact(session, service.get_enterprise(session, enterprise_id), contact_id)
    require_if_match(request, contact.version)
    service.update_contact(session, contact, data.changes(), actor=actor)
    set_etag(response, contact.version)
    return ContactRead.model_validate(contact)


@router.delete("/{enterprise_id}/contacts/{contact_id}", status_code=status.HTTP_204_NO_CONTENT,
               responses=problem_responses(404, 412, 422, 428))
def delete_contact(
    enterprise_id: EnterpriseId, contact_id: ContactId, session: SessionDep, actor: ActorDep, request: Request
) -> Response:
    """Delete a contact (personal data is removed, not archived); requires If-Match."""
    contact = service.get_contact(session, service.get_enterprise(session, enterprise_id), contact_id)
    require_if_match(request, contact.version)
    service.delete_contact(session, contact, actor=actor)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


# --- annual figures -------------------------------------------------------------------------------


@router.get("/{enterprise_id}/figures", responses=problem_responses(404, 422))
def list_figures(enterprise_id: EnterpriseId, session: SessionDep) -> list[FiguresRead]:
    """A firm's annual figures, newest year first."""
    enterprise = service.get_enterprise(session, enterprise_id)
    return [FiguresRead.model_validate(f) for f in service.list_figures(session, enterprise)]


@router.get("/{enterprise_id}/figures/{year}", responses=problem_responses(404, 422))
def get_figures(enterprise_id: EnterpriseId, year: Year, session: SessionDep, response: Response) -> FiguresRead:
    """One year's figures of a firm."""
    figures = service.get_figures(session, service.get_enterprise(session, enterprise_id), _year(year))
    set_etag(response, figures.version)
    return FiguresRead.model_validate(figures)


@router.put("/{enterprise_id}/figures/{year}",
            responses={201: {"description": "Created", "model": FiguresRead},
                       **problem_responses(404, 409, 412, 422)})
def put_figures(
    enterprise_id: EnterpriseId, year: Year, data: FiguresWrite, session: SessionDep, actor: ActorDep,
    request: Request, response: Response,
) -> FiguresRead:
    """Create (201) or replace (200) one year's figures; If-Match, when sent, must match."""
    enterprise = service.get_enterprise(session, enterprise_id)
    year = _year(year)
    existing = service.find_figures(session, enterprise, year)
    if existing is not None:
        check_if_match(request.headers.get("if-match"), existing.version)
    elif "if-match" in request.headers:
        # The client meant to replace figures it had read; they were deleted meanwhile (RFC 9110 §13.1.1).
        raise PreconditionFailed(f"The {year} figures you read no longer exist; reload before saving.")
    figures, created, _ = service.put_figures(session, enterprise, year, data, actor=actor)
    if created:
        response.status_code = status.HTTP_201_CREATED
        response.headers["Location"] = request.app.url_path_for(
            "get_figures", enterprise_id=str(enterprise.id), year=str(year)
        )
    set_etag(response, figures.version)
    return FiguresRead.model_validate(figures)


@router.delete("/{enterprise_id}/figures/{year}", status_code=status.HTTP_204_NO_CONTENT,
               responses=problem_responses(404, 412, 422, 428))
def delete_figures(enterprise_id: EnterpriseId, year: Year, session: SessionDep, actor: ActorDep,
                   request: Request) -> Response:
    """Delete one year's figures (entered by mistake); requires If-Match."""
    figures = service.get_figures(session, service.get_enterprise(session, enterprise_id), _year(year))
    require_if_match(request, figures.version)
    service.delete_figures(session, figures, actor=actor)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
