"""Visits to firms. Knows nothing of HTTP; never commits. Demands are in ``app.visits.demands``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, SQLColumnExpression, func, select
from sqlalchemy.orm import Session

from app.audit import service as audit
from app.audit.schemas import TimelineEntry
from app.audit.service import Actor
from app.audit.timeline import TimelineSource, register_source
from app.auth.models import User
from app.db import utcnow
from app.enterprises.models import Contact, Enterprise
from app.enums import label_of
from app.errors import ErrorItem, InvalidInput, NotFound
from app.http.pagination import PageParams, paginate, parse_sort
from app.messages import Text
from app.publicity import records
from app.publicity import service as publicity
from app.visits.enums import PENDING, VisitKind
from app.visits.models import Demand, Visit, VisitContact, VisitPolicy, VisitStaff
from app.visits.schemas import VisitCreate, VisitFilter

FIELDS = ("visited_on", "kind", "summary", "purpose", "participants", "follow_up_on", "staff_ids",
          "contact_ids", "policy_ids")
SORTS: dict[str, SQLColumnExpression[Any]] = {
    "id": Visit.id, "visited_on": Visit.visited_on, "created_at": Visit.created_at, "updated_at": Visit.updated_at,
}


def overdue_demands_query(on: dt.date) -> Select[Demand]:
    """Demands still open or in progress whose due date is before ``on`` (pass the business date):
    the rows behind the ``overdue=true`` filter and the alerts."""
    return select(Demand).where(
        Demand.archived_at.is_(None),
        Demand.status.in_([status.value for status in PENDING]),
        Demand.due_on < on,
    )


def get_visit(session: Session, visit_id: int) -> Visit:
    visit = session.get(Visit, visit_id)
    if visit is None:
        raise NotFound(Text(f"No visit has id {visit_id}.", f"没有编号为 {visit_id} 的走访记录。"))
    return visit


def filtered_visits(filters: VisitFilter) -> Select[Visit]:
    query = select(Visit)
    if not filters.include_archived:
        query = query.where(Visit.archived_at.is_(None))
    if filters.enterprise_id is not None:
        query = query.where(Visit.enterprise_id == filters.enterprise_id)
    if filters.staff_id is not None:
        query = query.where(Visit.id.in_(select(VisitStaff.visit_id).where(VisitStaff.user_id == filters.staff_id)))
    if filters.kind:
        query = query.where(Visit.kind.in_([k.value for k in filters.kind]))
    if filters.visited_from is not None:
        query = query.where(Visit.visited_on >= filters.visited_from)
    if filters.visited_to is not None:
        query = query.where(Visit.visited_on <= filters.visited_to)
    if filters.district:
        in_district = select(Enterprise.id).where(Enterprise.district.in_(filters.district))
        query = query.where(Visit.enterprise_id.in_(in_district))
    if filters.policy_id is not None:
        explained = select(VisitPolicy.visit_id).where(VisitPolicy.policy_id == filters.policy_id)
        query = query.where(Visit.id.in_(explained))
    if filters.updated_since is not None:
        query = query.where(records.changed_since(Visit.updated_at, filters.updated_since))
    return query


def list_visits(session: Session, *, filters: VisitFilter, page: PageParams) -> tuple[list[Visit], int]:
    order = parse_sort(filters.sort, SORTS, default=["-visited_on"], tiebreaker=Visit.id)
    return paginate(session, filtered_visits(filters), order, page)


def enterprise_for_write(session: Session, enterprise_id: int) -> Enterprise:
    """The firm a new record is about: 422 when unknown (it is a body field), 409 when archived."""
    enterprise = session.get(Enterprise, enterprise_id)
    if enterprise is None:
        raise InvalidInput.at(["body", "enterprise_id"], Text(f"no firm has id {enterprise_id}",
                                                              f"没有编号为 {enterprise_id} 的企业"), "not_found")
    records.ensure_not_archived(enterprise, "Firm")
    return enterprise


def _require_users(session: Session, user_ids: Sequence[int], loc: list[str | int]) -> None:
    known = set(session.scalars(select(User.id).where(User.id.in_(user_ids))))
    missing = [uid for uid in user_ids if uid not in known]
    if missing:
        raise InvalidInput(
            f"No staff user has id {', '.join(map(str, missing))}.",
            errors=[ErrorItem(loc=[*loc, list(user_ids).index(uid)], msg=f"no user has id {uid}", type="not_found")
                    for uid in missing],
        )


def _require_contacts(session: Session, enterprise_id: int, contact_ids: Sequence[int]) -> None:
    if not contact_ids:
        return
    known = set(session.scalars(select(Contact.id).where(Contact.id.in_(contact_ids),
                                                         Contact.enterprise_id == enterprise_id)))
    for index, contact_id in enumerate(contact_ids):
        if contact_id not in known:
            raise InvalidInput.at(["body", "contact_ids", index],
                                  f"firm {enterprise_id} has no contact with id {contact_id}", "not_found")


def _check_dates(values: dict[str, Any]) -> None:
    follow_up, visited = values.get("follow_up_on"), values["visited_on"]
    if follow_up is not None and follow_up < visited:
        raise InvalidInput.at(["body", "follow_up_on"], Text("cannot be before the visit date", "不能早于走访日期"))


def _set_links(visit: Visit, changes: dict[str, Any]) -> None:
    if "staff_ids" in changes and changes["staff_ids"] != visit.staff_ids:
        visit.staff_rows = [VisitStaff(user_id=uid) for uid in changes["staff_ids"]]
    if "contact_ids" in changes and changes["contact_ids"] != visit.contact_ids:
        visit.contact_rows = [VisitContact(contact_id=cid) for cid in changes["contact_ids"]]
    if "policy_ids" in changes and changes["policy_ids"] != visit.policy_ids:
        visit.policy_rows = [VisitPolicy(policy_id=pid) for pid in changes["policy_ids"]]


_LINKS = ("staff_ids", "contact_ids", "policy_ids")


def _validate_links(session: Session, enterprise_id: int, values: dict[str, Any]) -> None:
    if "staff_ids" in values:
        _require_users(session, values["staff_ids"], ["body", "staff_ids"])
    if "contact_ids" in values:
        _require_contacts(session, enterprise_id, values["contact_ids"])
    if "policy_ids" in values:
        publicity.require_policies(session, values["policy_ids"], ["body", "policy_ids"])


def create_visit(session: Session, data: VisitCreate, *, actor: Actor) -> Visit:
    enterprise = enterprise_for_write(session, data.enterprise_id)
    values = data.model_dump(exclude={"demands"})
    if not values["staff_ids"] and actor.user_id is not None:
        values["staff_ids"] = [actor.user_id]
    _check_dates(values)
    _validate_links(session, enterprise.id, values)
    visit = Visit(**{k: getattr(v, "value", v) for k, v in values.items() if k not in _LINKS},
                  logged_by=actor.user_id)
    _set_links(visit, values)
    session.add(visit)
    session.flush()
    audit.record(session, actor=actor, action="create", entity_type="visit", entity_id=visit.id,
                 enterprise_id=visit.enterprise_id, changes=audit.created(records.values_of(visit, FIELDS)),
                 summary=f"走访「{enterprise.name}」")
    return visit


def update_visit(session: Session, visit: Visit, changes: dict[str, Any], *, actor: Actor) -> audit.Diff:
    records.ensure_not_archived(visit, "Visit")
    if "staff_ids" in changes and not changes["staff_ids"]:
        raise InvalidInput.at(["body", "staff_ids"], Text("a visit needs at least one staff member",
                                                          "走访记录至少要有一名工作人员"))
    before = records.values_of(visit, FIELDS)
    _check_dates({**before, **changes})
    _validate_links(session, visit.enterprise_id, changes)
    for field, value in changes.items():
        if field not in _LINKS:
            setattr(visit, field, getattr(value, "value", value))
    _set_links(visit, changes)
    diff = records.diff(before, records.values_of(visit, FIELDS))
    if diff:
        # Touch the row so version and updated_at move even when only a list changed.
        visit.updated_at = utcnow()
        session.flush()
        audit.record(session, actor=actor, action="update", entity_type="visit", entity_id=visit.id,
                     enterprise_id=visit.enterprise_id, changes=diff)
    return diff


def archive_visit(session: Session, visit: Visit, *, actor: Actor) -> bool:
    return records.archive(session, visit, actor=actor, entity_type="visit", enterprise_id=visit.enterprise_id)


def restore_visit(session: Session, visit: Visit, *, actor: Actor) -> bool:
    return records.restore(session, visit, actor=actor, entity_type="visit", enterprise_id=visit.enterprise_id)


# --- timeline -------------------------------------------------------------------------------------

def _firm_visits(enterprise_id: int) -> Select[Visit]:
    return select(Visit).where(Visit.enterprise_id == enterprise_id, Visit.archived_at.is_(None))


def _newest_visits(session: Session, enterprise_id: int, n: int) -> list[TimelineEntry]:
    query = _firm_visits(enterprise_id).order_by(Visit.visited_on.desc(), Visit.id.desc()).limit(n)
    return [
        TimelineEntry(
            kind="visit", at=records.business_moment(v.visited_on), actor_id=v.logged_by, actor_name=None,
            title=f"走访（{label_of(VisitKind(v.kind))}）：{v.purpose or v.summary[:60]}",
            entity_type="visit", entity_id=v.id,
            details={"visited_on": v.visited_on.isoformat(), "kind": v.kind, "staff_ids": v.staff_ids,
                     "policy_ids": v.policy_ids, "summary": v.summary},
        )
        for v in session.scalars(query)
    ]


def _count_visits(session: Session, enterprise_id: int) -> int:
    return session.scalar(select(func.count()).select_from(_firm_visits(enterprise_id).subquery())) or 0


register_source(TimelineSource(kind="visit", newest=_newest_visits, count=_count_visits))
