"""HTTP routes of the IP ledger: ``/enterprises/{id}/ip-rights``."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response, status

from app.auth.dependencies import ActorDep
from app.enterprises import service as enterprises
from app.errors import problem_responses
from app.http.conditional import require_if_match, set_etag
from app.http.deps import SessionDep
from app.http.transaction import TransactionalRoute
from app.ip_rights import service
from app.ip_rights.schemas import IpRightCreate, IpRightRead, IpRightUpdate

router = APIRouter(prefix="/enterprises", tags=["ip-rights"], route_class=TransactionalRoute)

EnterpriseId = Annotated[int, Path(ge=1, le=2_147_483_647, description="Firm id.")]
IpRightId = Annotated[int, Path(ge=1, le=2_147_483_647)]


@router.get("/{enterprise_id}/ip-rights", responses=problem_responses(404, 422))
def list_ip_rights(
    enterprise_id: EnterpriseId, session: SessionDep,
    used_by_application_id: Annotated[int | None, Query(ge=1, le=2_147_483_647,
                                                        description="Only the items this application used.")] = None,
) -> list[IpRightRead]:
    """A firm's IP ledger, oldest grant first."""
    enterprise = enterprises.get_enterprise(session, enterprise_id)
    return [IpRightRead.model_validate(item) for item in
            service.list_ip_rights(session, enterprise, used_by_application_id=used_by_application_id)]


@router.post("/{enterprise_id}/ip-rights", status_code=status.HTTP_201_CREATED,
             responses=problem_responses(404, 409, 422))
def create_ip_right(
    enterprise_id: EnterpriseId, data: IpRightCreate, session: SessionDep, actor: ActorDep, request: Request,
    response: Response,
) -> IpRightRead:
    """Add an item to a firm's IP ledger."""
    enterprise = enterprises.get_enterprise(session, enterprise_id)
    item = service.create_ip_right(session, enterprise, data, actor=actor)
    response.headers["Location"] = request.app.url_path_for(
        "get_ip_right", enterprise_id=str(enterprise.id), ip_right_id=str(item.id))
    set_etag(response, item.version)
    return IpRightRead.model_validate(item)


@router.get("/{enterprise_id}/ip-rights/{ip_right_id}", responses=problem_responses(404, 422))
def get_ip_right(enterprise_id: EnterpriseId, ip_right_id: IpRightId, session: SessionDep, response: Response
                 ) -> IpRightRead:
    """Read one item of the IP ledger."""
    item = service.get_ip_right(session, enterprises.get_enterprise(session, enterprise_id), ip_right_id)
    set_etag(response, item.version)
    return IpRightRead.model_validate(item)


@router.patch("/{enterprise_id}/ip-rights/{ip_right_id}", responses=problem_responses(404, 409, 412, 422, 428))
def update_ip_right(
    enterprise_id: EnterpriseId, ip_right_id: IpRightId, data: IpRightUpdate, session: SessionDep, actor: ActorDep,
    request: Request, response: Response,
) -> IpRightRead:
    """Change an item (e.g. record the application that used it); requires If-Match."""
    enterprise = enterprises.get_enterprise(session, enterprise_id)
    item = service.get_ip_right(session, enterprise, ip_right_id)
    require_if_match(request, item.version)
    service.update_ip_right(session, enterprise, item, data.changes(), actor=actor)
    set_etag(response, item.version)
    return IpRightRead.model_validate(item)


@router.delete("/{enterprise_id}/ip-rights/{ip_right_id}", status_code=status.HTTP_204_NO_CONTENT,
               responses=problem_responses(404, 412, 422, 428))
def delete_ip_right(
    enterprise_id: EnterpriseId, ip_right_id: IpRightId, session: SessionDep, actor: ActorDep, request: Request
) -> Response:
    """Delete an item entered by mistake; requires If-Match."""
    item = service.get_ip_right(session, enterprises.get_enterprise(session, enterprise_id), ip_right_id)
    require_if_match(request, item.version)
    service.delete_ip_right(session, item, actor=actor)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
