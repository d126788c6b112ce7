"""HTTP routes of the policy catalog (``/policies``) and of publicity events (``/publicity-events``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response, status
from sqlalchemy.orm import Session

from app.auth.dependencies import ActorDep
from app.enterprises import refs
from app.errors import problem_responses
from app.http.conditional import check_if_match, etag_for, require_if_match, set_etag
from app.http.deps import SessionDep
from app.http.pagination import Page, Paging
from app.http.transaction import TransactionalRoute
from app.publicity import reach, service
from app.publicity.models import PublicityEvent
from app.publicity.schemas import (
    EventCreate,
    EventFilter,
    EventRead,
    EventUpdate,
    PolicyCreate,
    PolicyFilter,
    PolicyRead,
    PolicyUpdate,
    ReachFilter,
    ReachFirm,
)

policies_router = APIRouter(prefix="/policies", tags=["policies"], route_class=TransactionalRoute)
events_router = APIRouter(prefix="/publicity-events", tags=["publicity"], route_class=TransactionalRoute)

PolicyId = Annotated[int, Path(ge=1, le=2_147_483_647, description="Policy id.")]
EventId = Annotated[int, Path(ge=1, le=2_147_483_647, description="Publicity event id.")]


@policies_router.get("", responses=problem_responses(422))
def list_policies(session: SessionDep, page: Paging, filters: Annotated[PolicyFilter, Query()]
                  ) -> Page[PolicyRead]:
    """List the policy catalog, filtered, sorted and paginated."""
    rows, total = service.list_policies(session, filters=filters, page=page)
    return Page(items=[PolicyRead.model_validate(r) for r in rows], total=total, limit=page.limit,
                offset=page.offset, next=page.next_url(total))


@policies_router.post("", status_code=status.HTTP_201_CREATED, responses=problem_responses(422))
def create_policy(data: PolicyCreate, session: SessionDep, actor: ActorDep, request: Request, response: Response
                  ) -> PolicyRead:
    """Add a policy document to the catalog."""
    policy = service.create_policy(session, data, actor=actor)
    response.headers["Location"] = request.app.url_path_for("get_policy", policy_id=str(policy.id))
    set_etag(response, policy.version)
    return PolicyRead.model_validate(policy)


@policies_router.get("/{policy_id}", responses=problem_responses(404, 422))
def get_policy(policy_id: PolicyId, session: SessionDep, response: Response) -> PolicyRead:
    """Read one policy (archived ones too)."""
    policy = service.get_policy(session, policy_id)
    set_etag(response, policy.version)
    return PolicyRead.model_validate(policy)


@policies_router.patch("/{policy_id}", responses=problem_responses(404, 409, 412, 422, 428))
def update_policy(policy_id: PolicyId, data: PolicyUpdate, session: SessionDep, actor: ActorDep,
                  request: Request, response: Response) -> PolicyRead:
    """Change some fields of a policy; requires If-Match."""
    policy = service.get_policy(session, policy_id)
    require_if_match(request, policy.version)
    service.update_policy(session, policy, data.changes(), actor=actor)
    set_etag(response, policy.version)
    return PolicyRead.model_validate(policy)


@policies_router.delete("/{policy_id}", status_code=status.HTTP_204_NO_CONTENT,
                        responses=problem_responses(404, 412, 422, 428))
def archive_policy(policy_id: PolicyId, session: SessionDep, actor: ActorDep, request: Request) -> Response:
    """Archive a policy (repealed or entered by mistake; restorable); requires If-Match."""
    policy = service.get_policy(session, policy_id)
    require_if_match(request, policy.version)
    service.archive_policy(session, policy, actor=actor)
    return Response(status_code=status.HTTP_204_NO_CONTENT, headers={"ETag": etag_for(policy.version)})


@policies_router.post("/{policy_id}/restore", responses=problem_responses(404, 412, 422))
def restore_policy(policy_id: PolicyId, session: SessionDep, actor: ActorDep, request: Request,
                   response: Response) -> PolicyRead:
    """Bring an archived policy back into the catalog."""
    policy = service.get_policy(session, policy_id)
    check_if_match(request.headers.get("if-match"), policy.version)
    service.restore_policy(session, policy, actor=actor)
    set_etag(response, policy.version)
    return PolicyRead.model_validate(policy)


@policies_router.get("/{policy_id}/reach", responses=problem_responses(404, 422))
def get_policy_reach(policy_id: PolicyId, session: SessionDep, page: Paging,
                     filters: Annotated[ReachFilter, Query()]) -> Page[ReachFirm]:
    """Which firms heard of a policy, through which visits and events, and when; latest reached first."""
    policy = service.get_policy(session, policy_id)
    items, total = reach.policy_reach(session, policy, filters=filters, page=page)
    return Page(items=items, total=total, limit=page.limit, offset=page.offset, next=page.next_url(total))


# --- publicity events -----------------------------------------------------------------------------



def _events(session: Session, events: Sequence[PublicityEvent]) -> list[EventRead]:
    firms = {row.enterprise_id for event in events for row in event.attendance}
    return refs.read_nested(session, EventRead, events, firms)

@events_router.get("", responses=problem_responses(422))
def list_publicity_events(session: SessionDep, page: Paging, filters: Annotated[EventFilter, Query()]
                          ) -> Page[EventRead]:
    """List publicity events, newest first by default."""
    rows, total = service.list_events(session, filters=filters, page=page)
    return Page(items=_events(session, rows), total=total, limit=page.limit,
                offset=page.offset, next=page.next_url(total))


@events_router.post("", status_code=status.HTTP_201_CREATED, responses=problem_responses(422))
def create_publicity_event(data: EventCreate, session: SessionDep, actor: ActorDep, request: Request,
                           response: Response) -> EventRead:
    """Record a publicity event with the policies it covered and the firms that attended."""
    event = service.create_event(session, data, actor=actor)
    response.headers["Location"] = request.app.url_path_for("get_publicity_event", event_id=str(event.id))
    set_etag(response, event.version)
    return _events(session, [event])[0]


@events_router.get("/{event_id}", responses=problem_responses(404, 422))
def get_publicity_event(event_id: EventId, session: SessionDep, response: Response) -> EventRead:
    """Read one publicity event (archived ones too)."""
    event = service.get_event(session, event_id)
    set_etag(response, event.version)
    return _events(session, [event])[0]


@events_router.patch("/{event_id}", responses=problem_responses(404, 409, 412, 422, 428))
def update_publicity_event(event_id: EventId, data: EventUpdate, session: SessionDep, actor: ActorDep,
                           request: Request, response: Response) -> EventRead:
    """Change an event; policy_ids and attendance, when sent, replace the lists; requires If-Match."""
    event = service.get_event(session, event_id)
    require_if_match(request, event.version)
    service.update_event(session, event, data.changes(), actor=actor)
    set_etag(response, event.version)
    return _events(session, [event])[0]


@events_router.delete("/{event_id}", status_code=status.HTTP_204_NO_CONTENT,
                      responses=problem_responses(404, 412, 422, 428))
def archive_publicity_event(event_id: EventId, session: SessionDep, actor: ActorDep, request: Request) -> Response:
    """Archive an event (restorable); requires If-Match."""
    event = service.get_event(session, event_id)
    require_if_match(request, event.version)
    service.archive_event(session, event, actor=actor)
    return Response(status_code=status.HTTP_204_NO_CONTENT, headers={"ETag": etag_for(event.version)})


@events_router.post("/{event_id}/restore", responses=problem_responses(404, 412, 422))
def restore_publicity_event(event_id: EventId, session: SessionDep, actor: ActorDep, request: Request,
                            response: Response) -> EventRead:
    """Bring an archived event back into the lists."""
    event = service.get_event(session, event_id)
    check_if_match(request.headers.get("if-match"), event.version)
    service.restore_event(session, event, actor=actor)
    set_etag(response, event.version)
    return _events(session, [event])[0]
