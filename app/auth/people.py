"""``/people``: a read-only directory of colleagues for every signed-in role, so screens can show names
instead of user ids and staff can pick an assignee. It exposes only id, name, role and state."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select

from app.auth.models import User
from app.auth.roles import Role
from app.enterprises.search import _escape_like
from app.errors import problem_responses
from app.http.deps import SessionDep
from app.http.pagination import Page, Paging, paginate
from app.http.transaction import TransactionalRoute

people_router = APIRouter(prefix="/people", tags=["people"], route_class=TransactionalRoute)


class Person(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    display_name: str = Field(description="Name shown to colleagues, e.g. 张伟.")
    role: Role
    active: bool


@people_router.get("", responses=problem_responses(401, 422))
def list_people(
    session: SessionDep,
    page: Paging,
    q: Annotated[str | None, Query(max_length=50, description="Part of the name shown to colleagues.")] = None,
    include_inactive: Annotated[bool, Query(description="Also list deactivated accounts (to name past "
                                                        "assignees and actors).")] = False,
    id: Annotated[list[int] | None, Query(description="Only these users (repeatable).")] = None,  # noqa: A002
) -> Page[Person]:
    """Colleagues by name, for pickers and for naming the user ids of other records; active ones by default."""
    query = select(User)
    if not include_inactive:
        query = query.where(User.active.is_(True))
    if q:
        query = query.where(User.display_name.ilike(f"%{_escape_like(q.strip())}%", escape="\\"))
    if id:
        query = query.where(User.id.in_(id))
    rows, total = paginate(session, query, [User.display_name, User.id], page)
    return Page(items=[Person.model_validate(u) for u in rows], total=total, limit=page.limit,
                offset=page.offset, next=page.next_url(total))
