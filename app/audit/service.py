"""Writing and reading the audit log. Every service that changes a record calls ``record``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from typing import Any, cast

from sqlalchemy import Select, Table, func, select
from sqlalchemy.orm import Session

from app.audit.models import AuditEntry
from app.audit.schemas import TimelineEntry
from app.audit.timeline import TimelineSource, register_source
from app.db import insert_rows, utcnow
from app.http.pagination import PageParams, paginate


@dataclass(frozen=True)
class Actor:
    """Who is acting, and in which request: passed to every service that writes."""

    user_id: int | None
    name: str
    request_id: str | None = None


SYSTEM = Actor(user_id=None, name="system")


def jsonable(value: Any) -> Any:
    if value is None or value.__class__ in _PLAIN:
        return value
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    return value


_PLAIN = frozenset({str, int, bool, float})
Diff = dict[str, tuple[Any, Any]]


def entry(
    *,
    actor: Actor,
    action: str,
    entity_type: str,
    entity_id: int | None,
    enterprise_id: int | None = None,
    changes: Diff | None = None,
    summary: str | None = None,
) -> dict[str, Any]:
    """An audit row's columns: ``record`` adds one to the session, ``insert_entries`` writes many at once."""
    return {
        "actor_id": actor.user_id,
        "actor_name": actor.name,
        "action": action,
        "entity_type": entity_type,
        "entity_id": entity_id,
        "enterprise_id": enterprise_id,
        "changes": {field: {"before": jsonable(b), "after": jsonable(a)} for field, (b, a) in (changes or {}).items()},
        "summary": summary[:300] if summary else None,
        "request_id": actor.request_id,
    }


def record(
    session: Session,
    *,
    actor: Actor,
    action: str,
    entity_type: str,
    entity_id: int | None,
    enterprise_id: int | None = None,
    changes: Diff | None = None,
    summary: str | None = None,
) -> AuditEntry:
    row = AuditEntry(**entry(actor=actor, action=action, entity_type=entity_type, entity_id=entity_id,
                             enterprise_id=enterprise_id, changes=changes, summary=summary))
    session.add(row)
    return row


def insert_entries(session: Session, entries: list[dict[str, Any]]) -> None:
    """Write many ``entry`` rows in one statement (bulk writers: imports), stamped now, in their order."""
    if entries:
        at = utcnow()
        insert_rows(session, cast(Table, AuditEntry.__table__), [{"at": at, **values} for values in entries])


def created(values: dict[str, Any]) -> Diff:
    """The diff of a new record: every non-empty field from nothing."""
    return {k: (None, v) for k, v in values.items() if v not in (None, [], "")}


def audit_query(
    *,
    entity_type: str | None = None,
    entity_id: int | None = None,
    enterprise_id: int | None = None,
    actor_id: int | None = None,
    action: str | None = None,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
) -> Select[AuditEntry]:
    query = select(AuditEntry)
    conditions = {
        AuditEntry.entity_type: entity_type, AuditEntry.entity_id: entity_id,
        AuditEntry.enterprise_id: enterprise_id, AuditEntry.actor_id: actor_id, AuditEntry.action: action,
    }
    for column, value in conditions.items():
        if value is not None:
            query = query.where(column == value)
    if since is not None:
        query = query.where(AuditEntry.at >= _aware(since))
    if until is not None:
        query = query.where(AuditEntry.at < _aware(until))
    return query


def _aware(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def list_entries(session: Session, query: Select[AuditEntry], page: PageParams) -> tuple[list[AuditEntry], int]:
    return paginate(session, query, [AuditEntry.at.desc(), AuditEntry.id.desc()], page)


def _newest_for_timeline(session: Session, enterprise_id: int, n: int) -> list[TimelineEntry]:
    query = audit_query(enterprise_id=enterprise_id).order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(n)
    return [
        TimelineEntry(
            kind="audit", at=r.at, actor_id=r.actor_id, actor_name=r.actor_name,
            title=r.summary or f"{r.action} {r.entity_type}", entity_type=r.entity_type, entity_id=r.entity_id,
            details={"action": r.action, "changes": r.changes},
        )
        for r in session.scalars(query)
    ]


def _count_for_timeline(session: Session, enterprise_id: int) -> int:
    query = select(func.count()).select_from(AuditEntry).where(AuditEntry.enterprise_id == enterprise_id)
    return session.scalar(query) or 0


register_source(TimelineSource(kind="audit", newest=_newest_for_timeline, count=_count_for_timeline))
