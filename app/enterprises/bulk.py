"""Registering and updating many firms at once (imports): the registry's rules, values and audit rows of
``service.create_enterprises`` / ``service.update_enterprise``, written with a few statements per batch
instead of an ORM flush per firm.

A bulk write is planned from ``stored`` states read beforehand (possibly in another transaction); the
writer checks that the states it planned from are still the stored ones (``stale``) before it writes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any, cast

from sqlalchemy import Table, delete, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.audit import service as audit
from app.audit.service import Actor
from app.db import insert_rows, one_of, utcnow
from app.enterprises import service
from app.enterprises.models import Enterprise, EnterpriseTag
from app.enterprises.schemas import EnterpriseCreate
from app.errors import Conflict
from app.messages import Text

# The tables themselves: Core statements skip the ORM's per-row bookkeeping.
ENTERPRISES = cast(Table, Enterprise.__table__)
TAGS = cast(Table, EnterpriseTag.__table__)


@dataclass(frozen=True, slots=True)
class Stored:
    """A registered firm as a plan sees it: its identity and version, and its editable fields."""

    id: int
    version: int
    archived_at: dt.datetime | None
    name: str
    fields: dict[str, Any] = field(repr=False)

    @property
    def key(self) -> Version:
        return self.id, self.version, self.archived_at


Version = tuple[int, int, "dt.datetime | None"]
"""What a plan keeps of a stored firm to see whether it changed since: id, version, archived_at."""


def stored(session: Session, codes: Iterable[str]) -> dict[str, Stored]:
    """The registered firms of these credit codes, with their tags, in two queries."""
    columns = [getattr(Enterprise, name) for name in service.SNAPSHOT_FIELDS if name != "tags"]
    rows = session.execute(select(Enterprise.id, Enterprise.version, Enterprise.archived_at, *columns)
                           .where(one_of(Enterprise.credit_code, set(codes)))).all()
    tags = service.tags_of(session, [row.id for row in rows])
    found = {}
    for row in rows:
        values = row._mapping
        fields = {name: sorted(tags[row.id]) if name == "tags" else values[name] for name in service.SNAPSHOT_FIELDS}
        found[row.credit_code] = Stored(row.id, row.version, row.archived_at, row.name, fields)
    return found


def stale(session: Session, planned: dict[str, Version | None]) -> bool:
    """Whether any firm changed since the plan read it: registered, edited, archived or restored (credit code
    → the state planned from, None for a firm planned as new)."""
    now = {row.credit_code: (row.id, row.version, row.archived_at) for row in session.execute(
        select(Enterprise.credit_code, Enterprise.id, Enterprise.version, Enterprise.archived_at)
        .where(one_of(Enterprise.credit_code, set(planned))))}
    return any(now.get(code) != state for code, state in planned.items())


def diff(state: Stored, changes: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    """What ``changes`` (a validated partial update) would change, as ``service.update_enterprise`` sees it."""
    after = dict(state.fields)
    for name, value in changes.items():
        after[name] = sorted(value) if name == "tags" else value.value if hasattr(value, "value") else value
    return {name: (state.fields[name], after[name]) for name in after if state.fields[name] != after[name]}


_SNAPSHOT_VALUES = itemgetter(*service.SNAPSHOT_FIELDS)  # a dict's values in that order, as a tuple


@dataclass(frozen=True, slots=True)
class NewFirm:
    """A validated firm to register, held compactly (an import plans many before it writes): its editable
    fields in ``service.SNAPSHOT_FIELDS`` order, tags sorted."""

    fields: tuple[Any, ...]

    @classmethod
    def of(cls, data: EnterpriseCreate) -> NewFirm:
        dumped = data.model_dump()
        dumped["tags"] = sorted(dumped["tags"])
        return cls(_SNAPSHOT_VALUES(dumped))

    def snapshot(self) -> dict[str, Any]:
        return dict(zip(service.SNAPSHOT_FIELDS, self.fields, strict=True))


@dataclass(frozen=True, slots=True)
class Change:
    """A planned update of one firm: the fields that change, (before, after)."""

    firm_id: int
    version: int
    changes: dict[str, tuple[Any, Any]]


def update_firms(session: Session, planned: Sequence[Change], *, actor: Actor) -> None:
    """Apply planned updates, each guarded by the version it was planned from; audit rows in their order."""
    now = utcnow()
    entries = []
    for change in planned:
        values = {name: after for name, (_, after) in change.changes.items() if name != "tags"}
        firm_id = change.firm_id
        done = session.execute(update(Enterprise).where(Enterprise.id == firm_id, Enterprise.version == change.version)
                               .values(**values, updated_at=now, version=Enterprise.version + 1)
                               .execution_options(synchronize_session=False))
        if done.rowcount != 1:  # type: ignore[attr-defined]
            raise Conflict(Text(f"Firm {firm_id} was changed by someone else during the import; import again.",
                                f"导入期间企业 {firm_id} 被他人修改，请重新导入。"))
        if "tags" in change.changes:
            session.execute(delete(EnterpriseTag).where(EnterpriseTag.enterprise_id == firm_id))
            tags = change.changes["tags"][1]
            if tags:
                session.execute(insert(TAGS), [{"enterprise_id": firm_id, "tag": tag} for tag in tags])
        entries.append(audit.entry(actor=actor, action="update", entity_type="enterprise", entity_id=firm_id,
                                   enterprise_id=firm_id, changes=change.changes))
    audit.insert_entries(session, entries)


def create_firms(session: Session, items: Sequence[NewFirm], *, actor: Actor) -> list[int]:
    """Register validated firms, a statement per table: their ids, in order. A credit code already
    registered (by a concurrent writer) is a 409, as in ``service.create_enterprises``."""
    if not items:
        return []
    now = utcnow()
    snapshots = [item.snapshot() for item in items]
    rows = [{**{name: value for name, value in values.items() if name != "tags"}, "created_at": now,
             "updated_at": now, "version": 1} for values in snapshots]
    codes = [values["credit_code"] for values in snapshots]
    try:
        with session.begin_nested():
            # An executemany without RETURNING (far cheaper for the drivers), then the ids by credit code.
            insert_rows(session, ENTERPRISES, rows)
    except IntegrityError:
        for code in codes:
            service._duplicate_code(session, code)
        raise
    found = {code: firm_id for code, firm_id in session.execute(
        select(Enterprise.credit_code, Enterprise.id).where(one_of(Enterprise.credit_code, codes)))}
    ids = [found[code] for code in codes]
    tags = [{"enterprise_id": firm_id, "tag": tag} for firm_id, values in zip(ids, snapshots, strict=True)
            for tag in values["tags"]]
    insert_rows(session, TAGS, tags)
    audit.insert_entries(session, [
        audit.entry(actor=actor, action="create", entity_type="enterprise", entity_id=firm_id,
                    enterprise_id=firm_id, changes=audit.created(values), summary=f"登记企业「{values['name']}」")
        for firm_id, values in zip(ids, snapshots, strict=True)])
    return ids
