"""A policy's reach: which firms heard of it, through which visits and publicity events, and when."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Select, literal, select, union_all
from sqlalchemy.orm import Session

from app.enterprises.models import Enterprise
from app.http.pagination import PageParams
from app.publicity.models import EventAttendance, EventPolicy, Policy, PublicityEvent
from app.publicity.schemas import ReachFilter, ReachFirm, ReachTouch
from app.visits.models import Visit, VisitPolicy


def _touches(policy_id: int, filters: ReachFilter) -> Select[Any]:
    """One row per (firm, visit or event) that covered the policy; archived visits and events don't count."""
    by_visit = (
        select(Visit.enterprise_id.label("enterprise_id"), literal("visit").label("via"), Visit.id.label("id"),
               Visit.visited_on.label("on"), Visit.kind.label("kind"), Visit.purpose.label("title"))
        .join(VisitPolicy, VisitPolicy.visit_id == Visit.id)
        .where(VisitPolicy.policy_id == policy_id, Visit.archived_at.is_(None))
    )
    by_event = (
        select(EventAttendance.enterprise_id.label("enterprise_id"), literal("event").label("via"),
               PublicityEvent.id.label("id"), PublicityEvent.held_on.label("on"),
               PublicityEvent.kind.label("kind"), PublicityEvent.title.label("title"))
        .join(EventAttendance, EventAttendance.event_id == PublicityEvent.id)
        .join(EventPolicy, EventPolicy.event_id == PublicityEvent.id)
        .where(EventPolicy.policy_id == policy_id, PublicityEvent.archived_at.is_(None))
    )
    if filters.since is not None:
        by_visit = by_visit.where(Visit.visited_on >= filters.since)
        by_event = by_event.where(PublicityEvent.held_on >= filters.since)
    if filters.until is not None:
        by_visit = by_visit.where(Visit.visited_on <= filters.until)
        by_event = by_event.where(PublicityEvent.held_on <= filters.until)
    touches = union_all(by_visit, by_event).subquery()
    return (select(touches, Enterprise.name)
            .join(Enterprise, Enterprise.id == touches.c.enterprise_id)
            .where(Enterprise.archived_at.is_(None)))


def policy_reach(session: Session, policy: Policy, *, filters: ReachFilter, page: PageParams
                 ) -> tuple[list[ReachFirm], int]:
    """Firms that heard of ``policy``, the most recently reached first, each with every touch."""
    firms: dict[int, ReachFirm] = {}
    for row in session.execute(_touches(policy.id, filters)):
        on: dt.date = row.on
        touch = ReachTouch(via=row.via, id=row.id, on=on, kind=row.kind, title=row.title)
        firm = firms.get(row.enterprise_id)
        if firm is None:
            firms[row.enterprise_id] = ReachFirm(enterprise_id=row.enterprise_id, enterprise_name=row.name,
                                                 first_heard_on=on, last_heard_on=on, touches=[touch])
            continue
        firm.touches.append(touch)
        firm.first_heard_on = min(firm.first_heard_on, on)
        firm.last_heard_on = max(firm.last_heard_on, on)
    for firm in firms.values():
        firm.touches.sort(key=lambda t: (t.on, t.via, t.id), reverse=True)
    ordered = sorted(firms.values(), key=lambda f: (f.last_heard_on, f.enterprise_id), reverse=True)
    return ordered[page.offset:page.offset + page.limit], len(ordered)
