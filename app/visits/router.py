"""HTTP routes of visits (``/visits``) and demands (``/demands``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response, status

from app.auth.dependencies import ActorDep
from app.enterprises import refs
from app.errors import problem_responses
from app.http.conditional import check_if_match, etag_for, require_if_match, set_etag
from app.http.deps import SessionDep
from app.http.pagination import Page, Paging
from app.http.transaction import TransactionalRoute
from app.visits import demands, service
from app.visits.schemas import (
    DemandCreate,
    DemandFilter,
    DemandRead,
    DemandTransition,
    DemandUpdate,
    VisitCreate,
    VisitCreated,
    VisitFilter,
    VisitRead,
    VisitUpdate,
)

visits_router = APIRouter(prefix="/visits", tags=["visits"], route_class=TransactionalRoute)
demands_router = APIRouter(prefix="/demands", tags=["demands"], route_class=TransactionalRoute)

VisitId = Annotated[int, Path(ge=1, le=2_147_483_647, description="Visit id.")]
DemandId = Annotated[int, Path(ge=1, le=2_147_483_647, description="Demand id.")]


@visits_router.get("", responses=problem_responses(422))
def list_visits(session: SessionDep, page: Paging, filters: Annotated[VisitFilter, Query()]) -> Page[VisitRead]:
    """List visits, newest first by default."""
    rows, total = service.list_visits(session, filters=filters, page=page)
    return Page(items=refs.read_all(session, VisitRead, rows), total=total,
                limit=page.limit, offset=page.offset, next=page.next_url(total))


@visits_router.post("", status_code=status.HTTP_201_CREATED, responses=problem_responses(409, 422))
def create_visit(data: VisitCreate, session: SessionDep, actor: ActorDep, request: Request, response: Response
                 ) -> VisitCreated:
    """Log a visit with the demands raised in it; an Idempotency-Key makes a retry never log them twice."""
    visit = service.create_visit(session, data, actor=actor)
    raised = demands.create_raised_in_visit(session, visit, data.demands, actor=actor)
    response.headers["Location"] = request.app.url_path_for("get_visit", visit_id=str(visit.id))
    set_etag(response, visit.version)
    return VisitCreated.model_validate({**refs.read_one(session, VisitRead, visit).model_dump(),
                                        "demands": refs.read_all(session, DemandRead, raised)})


@visits_router.get("/{visit_id}", responses=problem_responses(404, 422))
def get_visit(visit_id: VisitId, session: SessionDep, response: Response) -> VisitRead:
    """Read one visit (archived ones too)."""
    visit = service.get_visit(session, visit_id)
    set_etag(response, visit.version)
    return refs.read_one(session, VisitRead, visit)


@visits_router.patch("/{visit_id}", responses=problem_responses(404, 409, 412, 422, 428))
def update_visit(visit_id: VisitId, data: VisitUpdate, session: SessionDep, actor: ActorDep, request: Request,
                 response: Response) -> VisitRead:
    """Change a visit; id lists, when sent, replace the stored ones; requires If-Match."""
    visit = service.get_visit(session, visit_id)
    require_if_match(request, visit.version)
    service.update_visit(session, visit, data.changes(), actor=actor)
    set_etag(response, visit.version)
    return refs.read_one(session, VisitRead, visit)


@visits_router.delete("/{visit_id}", status_code=status.HTTP_204_NO_CONTENT,
                      responses=problem_responses(404, 412, 422, 428))
def archive_visit(visit_id: VisitId, session: SessionDep, actor: ActorDep, request: Request) -> Response:
    """Archive a visit (logged by mistake; restorable); requires If-Match."""
    visit = service.get_visit(session, visit_id)
    require_if_match(request, visit.version)
    service.archive_visit(session, visit, actor=actor)
    return Response(status_code=status.HTTP_204_NO_CONTENT, headers={"ETag": etag_for(visit.version)})


@visits_router.post("/{visit_id}/restore", responses=problem_responses(404, 412, 422))
def restore_visit(visit_id: VisitId, session: SessionDep, actor: ActorDep, request: Request, response: Response
                  ) -> VisitRead:
    """Bring an archived visit back."""
    visit = service.get_visit(session, visit_id)
    check_if_match(request.headers.get("if-match"), visit.version)
    service.restore_visit(session, visit, actor=actor)
    set_etag(response, visit.version)
    return refs.read_one(session, VisitRead, visit)


# --- demands --------------------------------------------------------------------------------------


@demands_router.get("", responses=problem_responses(422))
def list_demands(session: SessionDep, page: Paging, filters: Annotated[DemandFilter, Query()]) -> Page[DemandRead]:
    """List demands; overdue=true gives those past their due date and not yet resolved or closed."""
    rows, total = demands.list_demands(session, filters=filters, page=page)
    return Page(items=refs.read_all(session, DemandRead, rows), total=total,
                limit=page.limit, offset=page.offset, next=page.next_url(total))


@demands_router.post("", status_code=status.HTTP_201_CREATED, responses=problem_responses(409, 422))
def create_demand(data: DemandCreate, session: SessionDep, actor: ActorDep, request: Request, response: Response
                  ) -> DemandRead:
    """Record a demand a firm raised (in a visit or on its own); it starts open."""
    demand = demands.create_demand(session, data, actor=actor)
    response.headers["Location"] = request.app.url_path_for("get_demand", demand_id=str(demand.id))
    set_etag(response, demand.version)
    return refs.read_one(session, DemandRead, demand)


@demands_router.get("/{demand_id}", responses=problem_responses(404, 422))
def get_demand(demand_id: DemandId, session: SessionDep, response: Response) -> DemandRead:
    """Read one demand (archived ones too)."""
    demand = demands.get_demand(session, demand_id)
    set_etag(response, demand.version)
    return refs.read_one(session, DemandRead, demand)


@demands_router.patch("/{demand_id}", responses=problem_responses(404, 409, 412, 422, 428))
def update_demand(demand_id: DemandId, data: DemandUpdate, session: SessionDep, actor: ActorDep, request: Request,
                  response: Response) -> DemandRead:
    """Change a demand's details (not its status); requires If-Match."""
    demand = demands.get_demand(session, demand_id)
    require_if_match(request, demand.version)
    demands.update_demand(session, demand, data.changes(), actor=actor)
    set_etag(response, demand.version)
    return refs.read_one(session, DemandRead, demand)


@demands_router.post("/{demand_id}/transitions", status_code=status.HTTP_201_CREATED,
                     responses=problem_responses(404, 409, 412, 422))
def transition_demand(demand_id: DemandId, data: DemandTransition, session: SessionDep, actor: ActorDep,
                      request: Request, response: Response) -> DemandRead:
    """Move a demand along open → in_progress → resolved | closed (201, like an application's move); 409 lists
    the allowed statuses."""
    demand = demands.get_demand(session, demand_id)
    check_if_match(request.headers.get("if-match"), demand.version)
    demands.transition_demand(session, demand, data, actor=actor)
    response.headers["Location"] = request.app.url_path_for("get_demand", demand_id=str(demand.id))
    set_etag(response, demand.version)
    return refs.read_one(session, DemandRead, demand)


@demands_router.delete("/{demand_id}", status_code=status.HTTP_204_NO_CONTENT,
                       responses=problem_responses(404, 412, 422, 428))
def archive_demand(demand_id: DemandId, session: SessionDep, actor: ActorDep, request: Request) -> Response:
    """Archive a demand (recorded by mistake; restorable); requires If-Match."""
    demand = demands.get_demand(session, demand_id)
    require_if_match(request, demand.version)
    demands.archive_demand(session, demand, actor=actor)
    return Response(status_code=status.HTTP_204_NO_CONTENT, headers={"ETag": etag_for(demand.version)})


@demands_router.post("/{demand_id}/restore", responses=problem_responses(404, 412, 422))
def restore_demand(demand_id: DemandId, session: SessionDep, actor: ActorDep, request: Request,
                   response: Response) -> DemandRead:
    """Bring an archived demand back."""
    demand = demands.get_demand(session, demand_id)
    check_if_match(request.headers.get("if-match"), demand.version)
    demands.restore_demand(session, demand, actor=actor)
    set_etag(response, demand.version)
    return refs.read_one(session, DemandRead, demand)
