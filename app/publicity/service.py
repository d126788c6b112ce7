"""Policy catalog and publicity events. Knows nothing of HTTP; never commits."""

from __future__ import annotations

from collections.abc import Sequence
from enum import Enum
from typing import Any

from pydantic import AnyUrl
from sqlalchemy import SQLColumnExpression, func, or_, select
from sqlalchemy.orm import Session

from app.audit import service as audit
from app.audit.schemas import TimelineEntry
from app.audit.service import Actor
from app.audit.timeline import TimelineSource, register_source
from app.db import utcnow
from app.enterprises.models import Enterprise
from app.errors import ErrorItem, InvalidInput, NotFound
from app.http.pagination import PageParams, paginate, parse_sort
from app.messages import Text
from app.publicity import records
from app.publicity.models import EventAttendance, EventPolicy, Policy, PublicityEvent
from app.publicity.schemas import AttendanceItem, EventCreate, EventFilter, PolicyCreate, PolicyFilter

POLICY_FIELDS = ("title", "issuer", "document_no", "category", "level", "effective_from", "effective_to",
                 "summary", "url")
EVENT_FIELDS = ("title", "held_on", "kind", "location", "organizer", "headcount", "materials_distributed",
                "notes", "policy_ids", "attendance_map")

POLICY_SORTS: dict[str, SQLColumnExpression[Any]] = {
    "id": Policy.id, "title": Policy.title, "effective_from": Policy.effective_from,
    "created_at": Policy.created_at, "updated_at": Policy.updated_at,
}
EVENT_SORTS: dict[str, SQLColumnExpression[Any]] = {
    "id": PublicityEvent.id, "held_on": PublicityEvent.held_on, "title": PublicityEvent.title,
    "created_at": PublicityEvent.created_at, "updated_at": PublicityEvent.updated_at,
}


def _plain(value: Any) -> Any:
    """Enum members and URLs as the strings stored in the table."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, AnyUrl):
        return str(value)
    return value


# --- policies -------------------------------------------------------------------------------------


def get_policy(session: Session, policy_id: int) -> Policy:
    policy = session.get(Policy, policy_id)
    if policy is None:
        raise NotFound(Text(f"No policy has id {policy_id}.", f"没有编号为 {policy_id} 的政策。"))
    return policy


def list_policies(session: Session, *, filters: PolicyFilter, page: PageParams) -> tuple[list[Policy], int]:
    query = select(Policy)
    if not filters.include_archived:
        query = query.where(Policy.archived_at.is_(None))
    if filters.q and filters.q.strip():
        pattern = records.like_pattern(filters.q)
        query = query.where(or_(Policy.title.ilike(pattern, escape="\\"),
                                Policy.document_no.ilike(pattern, escape="\\")))
    if filters.category:
        query = query.where(Policy.category.in_([c.value for c in filters.category]))
    if filters.level:
        query = query.where(Policy.level.in_([v.value for v in filters.level]))
    if filters.in_force_on is not None:
        day = filters.in_force_on
        query = query.where(or_(Policy.effective_from.is_(None), Policy.effective_from <= day),
                            or_(Policy.effective_to.is_(None), Policy.effective_to >= day))
    if filters.updated_since is not None:
        query = query.where(records.changed_since(Policy.updated_at, filters.updated_since))
    order = parse_sort(filters.sort, POLICY_SORTS, default=["-effective_from"], tiebreaker=Policy.id)
    return paginate(session, query, order, page)


def _check_policy_dates(values: dict[str, Any]) -> None:
    start, end = values.get("effective_from"), values.get("effective_to")
    if start is not None and end is not None and end < start:
        raise InvalidInput.at(["body", "effective_to"], Text("cannot be before effective_from", "不能早于生效日期"))


def create_policy(session: Session, data: PolicyCreate, *, actor: Actor) -> Policy:
    values = {field: _plain(value) for field, value in data.model_dump().items()}
    _check_policy_dates(values)
    policy = Policy(**values)
    session.add(policy)
    session.flush()
    audit.record(session, actor=actor, action="create", entity_type="policy", entity_id=policy.id,
                 changes=audit.created(records.values_of(policy, POLICY_FIELDS)), summary=f"政策「{policy.title}」")
    return policy


def update_policy(session: Session, policy: Policy, changes: dict[str, Any], *, actor: Actor) -> audit.Diff:
    records.ensure_not_archived(policy, "Policy")
    before = records.values_of(policy, POLICY_FIELDS)
    _check_policy_dates({**before, **changes})
    for field, value in changes.items():
        setattr(policy, field, _plain(value))
    diff = records.diff(before, records.values_of(policy, POLICY_FIELDS))
    if diff:
        session.flush()
        audit.record(session, actor=actor, action="update", entity_type="policy", entity_id=policy.id,
                     changes=diff)
    return diff


def archive_policy(session: Session, policy: Policy, *, actor: Actor) -> bool:
    return records.archive(session, policy, actor=actor, entity_type="policy")


def restore_policy(session: Session, policy: Policy, *, actor: Actor) -> bool:
    return records.restore(session, policy, actor=actor, entity_type="policy")


def require_policies(session: Session, policy_ids: Sequence[int], loc: list[str | int]) -> None:
    """422 naming each policy id that is not in the catalog."""
    if not policy_ids:
        return
    known = set(session.scalars(select(Policy.id).where(Policy.id.in_(policy_ids))))
    missing = [pid for pid in policy_ids if pid not in known]
    if missing:
        raise InvalidInput(
            Text(f"No policy has id {', '.join(map(str, missing))}.",
                 f"没有编号为 {'、'.join(map(str, missing))} 的政策。"),
            errors=[ErrorItem(loc=[*loc, policy_ids.index(pid)],
                              msg=Text(f"no policy has id {pid}", f"没有编号为 {pid} 的政策"), type="not_found")
                    for pid in missing],
        )


# --- publicity events -----------------------------------------------------------------------------


def get_event(session: Session, event_id: int) -> PublicityEvent:
    event = session.get(PublicityEvent, event_id)
    if event is None:
        raise NotFound(Text(f"No publicity event has id {event_id}.", f"没有编号为 {event_id} 的宣传活动。"))
    return event


def list_events(session: Session, *, filters: EventFilter, page: PageParams
                ) -> tuple[list[PublicityEvent], int]:
    query = select(PublicityEvent)
    if not filters.include_archived:
        query = query.where(PublicityEvent.archived_at.is_(None))
    if filters.q and filters.q.strip():
        query = query.where(PublicityEvent.title.ilike(records.like_pattern(filters.q), escape="\\"))
    if filters.kind:
        query = query.where(PublicityEvent.kind.in_([k.value for k in filters.kind]))
    if filters.held_from is not None:
        query = query.where(PublicityEvent.held_on >= filters.held_from)
    if filters.held_to is not None:
        query = query.where(PublicityEvent.held_on <= filters.held_to)
    if filters.policy_id is not None:
        covered = select(EventPolicy.event_id).where(EventPolicy.policy_id == filters.policy_id)
        query = query.where(PublicityEvent.id.in_(covered))
    if filters.enterprise_id is not None:
        attended = select(EventAttendance.event_id).where(EventAttendance.enterprise_id == filters.enterprise_id)
        query = query.where(PublicityEvent.id.in_(attended))
    if filters.updated_since is not None:
        query = query.where(records.changed_since(PublicityEvent.updated_at, filters.updated_since))
    order = parse_sort(filters.sort, EVENT_SORTS, default=["-held_on"], tiebreaker=PublicityEvent.id)
    return paginate(session, query, order, page)


def _event_values(event: PublicityEvent) -> dict[str, Any]:
    values = records.values_of(event, EVENT_FIELDS[:-1])
    values["attendance_map"] = {row.enterprise_id: row.attendee_count for row in event.attendance_rows}
    return values


def _check_attendance(session: Session, attendance: list[AttendanceItem], headcount: int | None) -> None:
    seen: set[int] = set()
    for index, item in enumerate(attendance):
        if item.enterprise_id in seen:
            raise InvalidInput.at(["body", "attendance", index, "enterprise_id"],
                                  Text("this firm is listed twice", "这家企业列了两次"))
        seen.add(item.enterprise_id)
    if seen:
        known = set(session.scalars(select(Enterprise.id).where(Enterprise.id.in_(seen))))
        for index, item in enumerate(attendance):
            if item.enterprise_id not in known:
                raise InvalidInput.at(["body", "attendance", index, "enterprise_id"],
                                      Text(f"no firm has id {item.enterprise_id}",
                                           f"没有编号为 {item.enterprise_id} 的企业"), "not_found")
    attendees = sum(item.attendee_count for item in attendance)
    if headcount is not None and headcount < attendees:
        raise InvalidInput.at(["body", "headcount"],
                              Text(f"smaller than the {attendees} attendees the firms sent; count everyone present",
                                   f"少于各企业派出的 {attendees} 人：请把到场的人都算上"))


def _apply_links(event: PublicityEvent, policy_ids: list[int] | None, attendance: list[AttendanceItem] | None
                 ) -> None:
    if policy_ids is not None and policy_ids != event.policy_ids:
        event.policy_rows = [EventPolicy(policy_id=pid) for pid in policy_ids]
    if attendance is not None:
        wanted = {item.enterprise_id: item.attendee_count for item in attendance}
        rows = {row.enterprise_id: row for row in event.attendance_rows}
        for enterprise_id, count in wanted.items():
            if enterprise_id in rows:
                rows[enterprise_id].attendee_count = count
            else:
                event.attendance_rows.append(EventAttendance(enterprise_id=enterprise_id, attendee_count=count))
        event.attendance_rows = [row for row in event.attendance_rows if row.enterprise_id in wanted]


def create_event(session: Session, data: EventCreate, *, actor: Actor) -> PublicityEvent:
    require_policies(session, data.policy_ids, ["body", "policy_ids"])
    _check_attendance(session, data.attendance, data.headcount)
    values = {field: _plain(value) for field, value in data.model_dump(exclude={"policy_ids", "attendance"}).items()}
    event = PublicityEvent(**values, created_by=actor.user_id)
    _apply_links(event, data.policy_ids, data.attendance)
    session.add(event)
    session.flush()
    audit.record(session, actor=actor, action="create", entity_type="publicity_event", entity_id=event.id,
                 changes=audit.created(_event_values(event)), summary=f"宣传活动「{event.title}」")
    return event


def update_event(session: Session, event: PublicityEvent, changes: dict[str, Any], *, actor: Actor) -> audit.Diff:
    records.ensure_not_archived(event, "Publicity event")
    if "policy_ids" in changes:
        require_policies(session, changes["policy_ids"], ["body", "policy_ids"])
    attendance = ([AttendanceItem.model_validate(item) for item in changes["attendance"]]
                  if "attendance" in changes else None)
    headcount = changes.get("headcount", event.headcount)
    if attendance is not None or "headcount" in changes:
        current = [AttendanceItem(enterprise_id=r.enterprise_id, attendee_count=r.attendee_count)
                   for r in event.attendance_rows]
        _check_attendance(session, attendance if attendance is not None else current, headcount)
    before = _event_values(event)
    for field, value in changes.items():
        if field not in ("policy_ids", "attendance"):
            setattr(event, field, _plain(value))
    _apply_links(event, changes.get("policy_ids"), attendance)
    diff = records.diff(before, _event_values(event))
    if diff:
        event.updated_at = utcnow()
        session.flush()
        audit.record(session, actor=actor, action="update", entity_type="publicity_event", entity_id=event.id,
                     changes=diff)
    return diff


def archive_event(session: Session, event: PublicityEvent, *, actor: Actor) -> bool:
    return records.archive(session, event, actor=actor, entity_type="publicity_event")


def restore_event(session: Session, event: PublicityEvent, *, actor: Actor) -> bool:
    return records.restore(session, event, actor=actor, entity_type="publicity_event")


# --- timeline: the firm attended an event ---------------------------------------------------------


def _attended(enterprise_id: int) -> Any:
    return (select(PublicityEvent, EventAttendance.attendee_count)
            .join(EventAttendance, EventAttendance.event_id == PublicityEvent.id)
            .where(EventAttendance.enterprise_id == enterprise_id, PublicityEvent.archived_at.is_(None)))


def _newest_attendance(session: Session, enterprise_id: int, n: int) -> list[TimelineEntry]:
    query = _attended(enterprise_id).order_by(PublicityEvent.held_on.desc(), PublicityEvent.id.desc()).limit(n)
    return [
        TimelineEntry(
            kind="publicity", at=records.business_moment(event.held_on), actor_id=event.created_by, actor_name=None,
            title=f"参加宣传活动「{event.title}」", entity_type="publicity_event", entity_id=event.id,
            details={"held_on": event.held_on.isoformat(), "kind": event.kind, "attendee_count": count,
                     "policy_ids": event.policy_ids},
        )
        for event, count in session.execute(query)
    ]


def _count_attendance(session: Session, enterprise_id: int) -> int:
    return session.scalar(select(func.count()).select_from(_attended(enterprise_id).subquery())) or 0


register_source(TimelineSource(kind="publicity", newest=_newest_attendance, count=_count_attendance))
