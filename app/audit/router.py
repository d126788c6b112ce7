"""HTTP routes: the audit log (admins) and a firm's timeline."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query

from app.audit import service, timeline
from app.audit.schemas import AuditEntryRead, AuditFilter, TimelineEntry
from app.auth.dependencies import admins_only
from app.enterprises import service as enterprises
from app.errors import problem_responses
from app.http.deps import SessionDep
from app.http.pagination import Page, Paging
from app.http.transaction import TransactionalRoute

audit_router = APIRouter(prefix="/audit", tags=["audit"], route_class=TransactionalRoute,
                         dependencies=[Depends(admins_only)])
timeline_router = APIRouter(tags=["enterprises"], route_class=TransactionalRoute)


@audit_router.get("", responses=problem_responses(401, 403, 422))
def list_audit_entries(session: SessionDep, page: Paging, filters: Annotated[AuditFilter, Query()]
                       ) -> Page[AuditEntryRead]:
    """The audit log, newest first, filtered by entity, actor, action and time range."""
    query = service.audit_query(**filters.model_dump())
    rows, total = service.list_entries(session, query, page)
    return Page(items=[AuditEntryRead.model_validate(r) for r in rows], total=total, limit=page.limit,
                offset=page.offset, next=page.next_url(total))


@timeline_router.get("/enterprises/{enterprise_id}/timeline", responses=problem_responses(401, 404, 422))
def get_enterprise_timeline(
    enterprise_id: Annotated[int, Path(ge=1, le=2_147_483_647)], session: SessionDep, page: Paging,
) -> Page[TimelineEntry]:
    """Everything that happened to one firm, newest first (viewers: phone numbers and e-mails masked)."""
    enterprises.get_enterprise(session, enterprise_id)
    items, total = timeline.page_of_timeline(session, enterprise_id, limit=page.limit, offset=page.offset)
    return Page(items=items, total=total, limit=page.limit, offset=page.offset, next=page.next_url(total))
