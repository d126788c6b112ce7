"""One service for the archivable record kinds of the annual summary (technology contracts, platforms,
cooperation agreements, indicators, targets, commissioners and their services).

A ``RecordKind`` declares the model, the fields the audit log follows, the sortable columns, how the
list filters apply and the checks a kind adds; the functions below do the rest the way the visit and
publicity services do it: audit row per change, archive/restore, the firm a record concerns checked and
named in the audit so it reaches the firm's timeline. Knows nothing of HTTP; never commits.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from pydantic import BaseModel
from sqlalchemy import Select, SQLColumnExpression, func, select
from sqlalchemy.orm import Session

from app.audit import service as audit
from app.audit.schemas import TimelineEntry
from app.audit.service import Actor
from app.audit.timeline import TimelineSource, register_source
from app.db import utcnow
from app.enterprises.models import ARCHIVED_FIRM_IDS
from app.errors import NotFound
from app.http.pagination import PageParams, paginate, parse_sort
from app.messages import Text
from app.publicity import records
from app.visits.service import enterprise_for_write

Check = Callable[[Session, dict[str, Any], Any], None]
"""(session, the record's values after the change, the record or None when new) → raises InvalidInput/Conflict."""


@dataclass(frozen=True)
class FirmTimeline:
    """How a kind's records appear in the timeline of the firm they concern."""

    kind: str
    date_field: str
    title: Callable[[Any], str]
    details: Callable[[Any], dict[str, Any]]


@dataclass(frozen=True)
class RecordKind:
    model: type[Any]
    entity_type: str  # audit entity type, e.g. technology_contract
    what: str  # English noun for messages, e.g. "Technology contract"
    label: str  # Chinese noun for audit summaries, e.g. 技术合同
    fields: tuple[str, ...]  # what the audit log follows; properties allowed (link lists)
    sorts: dict[str, SQLColumnExpression[Any]]
    default_sort: tuple[str, ...]
    apply_filters: Callable[[Select[Any], Any], Select[Any]]
    describe: Callable[[Any], str]  # a record in one line for the audit summary
    firm_field: str | None = "enterprise_id"  # None: the record concerns no firm
    checks: tuple[Check, ...] = ()
    # Fields set through a function rather than a column (link tables): name → setter(session, record, value)
    links: dict[str, Callable[[Session, Any, Any], None]] = field(default_factory=dict)
    created_by: str | None = "created_by"  # column holding the acting user, if the table has one
    timeline: FirmTimeline | None = None

    def firm_id(self, record: Any) -> int | None:
        return getattr(record, self.firm_field) if self.firm_field else None


def plain(value: Any) -> Any:
    """Enum members as their codes, nested models as JSON-ready dicts: what the columns store."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if isinstance(value, dict):
        return audit.jsonable(value)  # nested rows stored as JSON (a platform's evaluations)
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def get(session: Session, kind: RecordKind, record_id: int) -> Any:
    record = session.get(kind.model, record_id)
    if record is None:
        raise NotFound(Text(f"No {kind.what.lower()} has id {record_id}.", f"没有编号为 {record_id} 的{kind.label}。"))
    return record


def filtered(kind: RecordKind, filters: Any) -> Select[Any]:
    """The list's rows for ``filters`` (which carry ``include_archived``, ``updated_since`` and the kind's own)."""
    model = kind.model
    query = select(model)
    if not filters.include_archived:
        query = query.where(model.archived_at.is_(None))
    if filters.updated_since is not None:
        query = query.where(records.changed_since(model.updated_at, filters.updated_since))
    if kind.firm_field and getattr(filters, "enterprise_id", None) is not None:
        query = query.where(getattr(model, kind.firm_field) == filters.enterprise_id)
    return kind.apply_filters(query, filters)


def order(kind: RecordKind, sort: str | None) -> list[SQLColumnExpression[Any]]:
    return parse_sort(sort, kind.sorts, default=list(kind.default_sort), tiebreaker=kind.model.id)


def list_records(session: Session, kind: RecordKind, *, filters: Any, page: PageParams) -> tuple[list[Any], int]:
    return paginate(session, filtered(kind, filters), order(kind, filters.sort), page)


def _check_firm(session: Session, kind: RecordKind, values: dict[str, Any], before: dict[str, Any] | None) -> None:
    if not kind.firm_field:
        return
    firm_id = values.get(kind.firm_field)
    if firm_id is not None and (before is None or before.get(kind.firm_field) != firm_id):
        enterprise_for_write(session, firm_id)


def _apply(session: Session, kind: RecordKind, record: Any, values: dict[str, Any]) -> None:
    for name, value in values.items():
        if name in kind.links:
            kind.links[name](session, record, value)
        else:
            setattr(record, name, plain(value))


def snapshot(kind: RecordKind, record: Any) -> dict[str, Any]:
    return {name: plain(value) for name, value in records.values_of(record, kind.fields).items()}


def create(session: Session, kind: RecordKind, data: BaseModel, *, actor: Actor, **extra: Any) -> Any:
    values = {name: plain(value) for name, value in data.model_dump().items()}
    _check_firm(session, kind, values, None)
    for check in kind.checks:
        check(session, values, None)
    record = kind.model(**extra)
    if kind.created_by:
        setattr(record, kind.created_by, actor.user_id)
    _apply(session, kind, record, values)
    session.add(record)
    session.flush()
    audit.record(session, actor=actor, action="create", entity_type=kind.entity_type, entity_id=record.id,
                 enterprise_id=kind.firm_id(record), changes=audit.created(snapshot(kind, record)),
                 summary=f"{kind.label}「{kind.describe(record)}」")
    return record


def update(session: Session, kind: RecordKind, record: Any, changes: dict[str, Any], *, actor: Actor) -> audit.Diff:
    records.ensure_not_archived(record, kind.what)
    changes = {name: plain(value) for name, value in changes.items()}
    before = snapshot(kind, record)
    current = {name: getattr(record, name) for name in (*kind.fields, *_columns(kind)) if hasattr(record, name)}
    after_values = {**current, **changes}
    _check_firm(session, kind, after_values, current)
    for check in kind.checks:
        check(session, after_values, record)
    _apply(session, kind, record, changes)
    diff = records.diff(before, snapshot(kind, record))
    if diff:
        # Touch the row so version and updated_at move even when only a linked list changed.
        record.updated_at = utcnow()
        session.flush()
        audit.record(session, actor=actor, action="update", entity_type=kind.entity_type, entity_id=record.id,
                     enterprise_id=kind.firm_id(record), changes=diff)
    return diff


def _columns(kind: RecordKind) -> Sequence[str]:
    return [column.key for column in kind.model.__table__.columns]


def archive(session: Session, kind: RecordKind, record: Any, *, actor: Actor) -> bool:
    return records.archive(session, record, actor=actor, entity_type=kind.entity_type,
                           enterprise_id=kind.firm_id(record))


def restore(session: Session, kind: RecordKind, record: Any, *, actor: Actor) -> bool:
    for check in kind.checks:
        check(session, {name: getattr(record, name) for name in _columns(kind)}, record)
    return records.restore(session, record, actor=actor, entity_type=kind.entity_type,
                           enterprise_id=kind.firm_id(record))


# --- the firm's timeline ----------------------------------------------------------------------------


def register_timeline(kind: RecordKind) -> None:
    """Show the kind's live records in the timeline of their firm, at the start of their business date."""
    shown = kind.timeline
    if shown is None or kind.firm_field is None:
        return
    model, firm_column, date_column = kind.model, getattr(kind.model, kind.firm_field), getattr(
        kind.model, shown.date_field)

    def of_firm(enterprise_id: int) -> Select[Any]:
        return select(model).where(firm_column == enterprise_id, model.archived_at.is_(None))

    def newest(session: Session, enterprise_id: int, n: int) -> list[TimelineEntry]:
        query = of_firm(enterprise_id).order_by(date_column.desc(), model.id.desc()).limit(n)
        return [
            TimelineEntry(kind=shown.kind, at=records.business_moment(getattr(r, shown.date_field)),
                          actor_id=getattr(r, kind.created_by) if kind.created_by else None, actor_name=None,
                          title=shown.title(r), entity_type=kind.entity_type, entity_id=r.id,
                          details=audit.jsonable(shown.details(r)))
            for r in session.scalars(query)
        ]

    def count(session: Session, enterprise_id: int) -> int:
        return session.scalar(select(func.count()).select_from(of_firm(enterprise_id).subquery())) or 0

    register_source(TimelineSource(kind=shown.kind, newest=newest, count=count))


def within_year(column: Any, year: int) -> Any:
    """``column`` (a business date) falls in the calendar year."""
    return column.between(dt.date(year, 1, 1), dt.date(year, 12, 31))


def live_firm(column: Any) -> Any:
    """The record's firm, if any, is not archived."""
    return column.is_(None) | column.not_in(ARCHIVED_FIRM_IDS)
