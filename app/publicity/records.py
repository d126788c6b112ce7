"""Pieces the visit, demand, policy and event services share: archiving, change diffs, filters."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement
from sqlalchemy.orm import InstrumentedAttribute, Session

from app.audit import service as audit
from app.audit.service import Actor
from app.config import BUSINESS_TIMEZONE
from app.db import utcnow
from app.errors import Conflict
from app.messages import Text


class Archivable(Protocol):
    id: int
    archived_at: dt.datetime | None


def values_of(record: object, fields: Iterable[str]) -> dict[str, Any]:
    return {field: getattr(record, field) for field in fields}


def diff(before: dict[str, Any], after: dict[str, Any]) -> audit.Diff:
    return {field: (before[field], after[field]) for field in after if before[field] != after[field]}


_ZH_NAMES = {"Firm": "企业", "Demand": "诉求", "Visit": "走访记录", "Policy": "政策", "Publicity event": "宣传活动",
             "Application": "申报"}


def ensure_not_archived(record: Archivable, what: str) -> None:
    if record.archived_at is not None:
        raise Conflict(Text(f"{what} {record.id} is archived; restore it before changing it.",
                            f"{_ZH_NAMES.get(what, what)} {record.id} 已归档：请先恢复再修改。"))


def archive(session: Session, record: Archivable, *, actor: Actor, entity_type: str,
            enterprise_id: int | None = None) -> bool:
    if record.archived_at is not None:
        return False
    record.archived_at = utcnow()
    session.flush()
    audit.record(session, actor=actor, action="archive", entity_type=entity_type, entity_id=record.id,
                 enterprise_id=enterprise_id, changes={"archived_at": (None, record.archived_at)})
    return True


def restore(session: Session, record: Archivable, *, actor: Actor, entity_type: str,
            enterprise_id: int | None = None) -> bool:
    archived_at = record.archived_at
    if archived_at is None:
        return False
    record.archived_at = None
    session.flush()
    audit.record(session, actor=actor, action="restore", entity_type=entity_type, entity_id=record.id,
                 enterprise_id=enterprise_id, changes={"archived_at": (archived_at, None)})
    return True


def changed_since(column: InstrumentedAttribute[dt.datetime], since: dt.datetime) -> ColumnElement[bool]:
    """``column >= since``; an instant without an offset is UTC."""
    aware = since if since.tzinfo else since.replace(tzinfo=dt.UTC)
    try:
        moment = aware.astimezone(dt.UTC)
    except OverflowError:
        # 0001-01-01 with a positive offset lies before datetime.min in UTC: everything is after it.
        moment = dt.datetime.min.replace(tzinfo=dt.UTC) if aware.year == 1 else dt.datetime.max.replace(tzinfo=dt.UTC)
    return column >= moment


def like_pattern(text: str) -> str:
    """A LIKE pattern matching ``text`` anywhere, with its wildcards taken literally (escape ``\\``)."""
    escaped = " ".join(text.split()).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def business_moment(day: dt.date) -> dt.datetime:
    """The UTC instant a business date begins in Asia/Shanghai: where date-only events sit in the timeline."""
    return dt.datetime.combine(day, dt.time(), tzinfo=ZoneInfo(BUSINESS_TIMEZONE)).astimezone(dt.UTC)
