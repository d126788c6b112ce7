"""Registry logic: firms, contacts and annual figures. Knows nothing of HTTP; never commits."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, SQLColumnExpression, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.audit import service as audit
from app.audit.service import Actor
from app.auth.models import User
from app.db import one_of, utcnow
from app.enterprises import search
from app.enterprises.models import AnnualFigures, Contact, Enterprise, EnterpriseTag
from app.enterprises.schemas import (
    ContactCreate,
    EnterpriseCreate,
    EnterpriseFilter,
    FiguresWrite,
)
from app.errors import Conflict, ErrorItem, InvalidInput, NotFound
from app.messages import Text, in_language

SORTABLE: dict[str, SQLColumnExpression[Any]] = {
    "id": Enterprise.id,
    "name": Enterprise.name,
    "credit_code": Enterprise.credit_code,
    "district": Enterprise.district,
    "registered_on": Enterprise.registered_on,
    "created_at": Enterprise.created_at,
    "updated_at": Enterprise.updated_at,
}


def no_such_firm(enterprise_id: int) -> NotFound:
    return NotFound(Text(f"No firm has id {enterprise_id}.", f"没有编号为 {enterprise_id} 的企业。"))


def get_enterprise(session: Session, enterprise_id: int) -> Enterprise:
    enterprise = session.get(Enterprise, enterprise_id)
    if enterprise is None:
        raise no_such_firm(enterprise_id)
    return enterprise


# Built once: building and keying the statement anew cost as much as running it, for a page of 50 firms.
_TAGS_OF = select(EnterpriseTag.enterprise_id, EnterpriseTag.tag).where(one_of(EnterpriseTag.enterprise_id, key="ids"))


def tags_of(session: Session, ids: Sequence[int]) -> dict[int, list[str]]:
    """Each of these firms' tags (in the order the database gives them), in one query."""
    tags: dict[int, list[str]] = {firm_id: [] for firm_id in ids}
    if tags:
        for firm_id, tag in session.connection().execute(_TAGS_OF, {"ids": list(tags)}):
            tags[firm_id].append(tag)
    return tags


def filtered_enterprises(filters: EnterpriseFilter, *, walk: bool = False, names: bool = False,
                         base: Select[Any] | None = None) -> Select[Any]:
    """The firms ``filters`` match: whole firms, or the columns of ``base`` (a select of firms' columns). ``walk``
    and ``names``: see ``search.matching``."""
    query = select(Enterprise) if base is None else base
    if not filters.include_archived:
        query = query.where(Enterprise.archived_at.is_(None))
    words = search.matching(filters.q, walk=walk, names=names)
    if words is not None:
        query = query.where(words)
    if filters.id:
        query = query.where(Enterprise.id.in_(filters.id))
    for column, values in (
        (Enterprise.district, filters.district),
        (Enterprise.park, filters.park),
        (Enterprise.industry, [v.value for v in filters.industry]),
        (Enterprise.tech_domain, [v.value for v in filters.tech_domain]),
        (Enterprise.status, [v.value for v in filters.status]),
    ):
        if values:
            query = query.where(column.in_(values))
    if filters.above_scale is not None:
        query = query.where(Enterprise.above_scale.is_(filters.above_scale))
    if filters.owner_id is not None:
        query = query.where(Enterprise.owner_id == filters.owner_id)
    if filters.tag:
        tagged = select(EnterpriseTag.enterprise_id).where(EnterpriseTag.tag.in_(filters.tag))
        query = query.where(Enterprise.id.in_(tagged))
    if filters.updated_since is not None:
        query = query.where(Enterprise.updated_at >= filters.updated_since)
    return query


def _duplicate_code(session: Session, credit_code: str, *, exclude_id: int | None = None) -> None:
    query = select(Enterprise).where(Enterprise.credit_code == credit_code)
    if exclude_id is not None:
        query = query.where(Enterprise.id != exclude_id)
    existing = session.scalars(query).first()
    if existing is None:
        return
    archived = " (archived: restore it instead of creating it again)" if existing.archived_at else ""
    archived_zh = "（已归档：请恢复它，不要重新登记）" if existing.archived_at else ""
    raise Conflict(
        Text(f"Credit code {credit_code} is already registered to firm {existing.id} 「{existing.name}」{archived}.",
             f"统一社会信用代码 {credit_code} 已登记为企业 {existing.id}「{existing.name}」{archived_zh}。"),
        errors=[ErrorItem(loc=["body", "credit_code"], msg=Text("already registered", "已登记"), type="duplicate")],
        existing_id=existing.id,
    )


def _flush_guarding_code(session: Session, credit_code: str, *, exclude_id: int | None) -> None:
    """Flush in a savepoint so a concurrent insert of the same code becomes a 409, not a 500."""
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError:
        _duplicate_code(session, credit_code, exclude_id=exclude_id)
        raise


def _check_owner(session: Session, owner_id: int | None) -> None:
    if owner_id is None:
        return
    owner = session.get(User, owner_id)
    if owner is None or not owner.active:
        raise InvalidInput.at(["body", "owner_id"], Text(f"no active staff account has id {owner_id}",
                                                          f"没有编号为 {owner_id} 的在用工作人员账号"), "unknown_owner")


def create_enterprise(session: Session, data: EnterpriseCreate, *, actor: Actor) -> Enterprise:
    return create_enterprises(session, [data], actor=actor)[0]


def create_enterprises(session: Session, items: Sequence[EnterpriseCreate], *, actor: Actor) -> list[Enterprise]:
    """Register firms with one flush (imports: one INSERT per table, not per firm); the same duplicate
    check and audit rows as registering them one at a time."""
    codes = [data.credit_code for data in items]
    taken = session.scalars(select(Enterprise.credit_code).where(Enterprise.credit_code.in_(codes))).first()
    if taken is not None:
        _duplicate_code(session, taken)
    for owner_id in {data.owner_id for data in items if data.owner_id is not None}:
        _check_owner(session, owner_id)
    enterprises = []
    for data in items:
        enterprise = Enterprise(**data.model_dump(exclude={"tags"}))
        enterprise.tag_rows = [EnterpriseTag(tag=tag) for tag in data.tags]
        enterprises.append(enterprise)
    session.add_all(enterprises)
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError:
        for code in codes:
            _duplicate_code(session, code)
        raise
    for enterprise in enterprises:
        audit.record(session, actor=actor, action="create", entity_type="enterprise", entity_id=enterprise.id,
                     enterprise_id=enterprise.id, changes=audit.created(snapshot(enterprise)),
                     summary=f"登记企业「{enterprise.name}」")
    return enterprises


# A firm's editable fields, in the order its audit rows list them.
SNAPSHOT_FIELDS = ("credit_code", "name", "district", "registered_on", "park", "industry", "industry_code",
                   "tech_domain", "above_scale", "address", "legal_representative", "owner_id", "tags", "status",
                   "notes")


def snapshot(enterprise: Enterprise) -> dict[str, Any]:
    """The firm's editable fields, as plain values (for change detection and the audit log)."""
    return {field: getattr(enterprise, field) for field in SNAPSHOT_FIELDS}


def _ensure_not_archived(enterprise: Enterprise) -> None:
    if enterprise.archived_at is not None:
        raise Conflict(Text(f"Firm {enterprise.id} is archived; restore it before changing it.",
                            f"企业 {enterprise.id} 已归档：请先恢复再修改。"))


def update_enterprise(session: Session, enterprise: Enterprise, changes: dict[str, Any], *, actor: Actor
                      ) -> dict[str, Any]:
    """Apply a partial update; returns {field: (before, after)} of what really changed."""
    _ensure_not_archived(enterprise)
    before = snapshot(enterprise)
    if "credit_code" in changes and changes["credit_code"] != enterprise.credit_code:
        _duplicate_code(session, changes["credit_code"], exclude_id=enterprise.id)
    # Only a newly chosen owner is checked: a firm keeps its owner when that account is later deactivated.
    if "owner_id" in changes and changes["owner_id"] != enterprise.owner_id:
        _check_owner(session, changes["owner_id"])
    for field, value in changes.items():
        if field == "tags":
            if sorted(value) != enterprise.tags:
                enterprise.tag_rows = [EnterpriseTag(tag=tag) for tag in value]
        else:
            setattr(enterprise, field, value.value if hasattr(value, "value") else value)
    after = snapshot(enterprise)
    diff = {k: (before[k], after[k]) for k in after if before[k] != after[k]}
    if diff:
        # Touch the row itself so version and updated_at move even when only tags changed.
        enterprise.updated_at = utcnow()
        _flush_guarding_code(session, enterprise.credit_code, exclude_id=enterprise.id)
        audit.record(session, actor=actor, action="update", entity_type="enterprise", entity_id=enterprise.id,
                     enterprise_id=enterprise.id, changes=diff)
    return diff


def archive_enterprise(session: Session, enterprise: Enterprise, *, actor: Actor) -> bool:
    if enterprise.archived_at is not None:
        return False
    enterprise.archived_at = utcnow()
    session.flush()
    audit.record(session, actor=actor, action="archive", entity_type="enterprise", entity_id=enterprise.id,
                 enterprise_id=enterprise.id, changes={"archived_at": (None, enterprise.archived_at)})
    return True


def restore_enterprise(session: Session, enterprise: Enterprise, *, actor: Actor) -> bool:
    if enterprise.archived_at is None:
        return False
    archived_at = enterprise.archived_at
    enterprise.archived_at = None
    session.flush()
    audit.record(session, actor=actor, action="restore", entity_type="enterprise", entity_id=enterprise.id,
                 enterprise_id=enterprise.id, changes={"archived_at": (archived_at, None)})
    return True


# --- contacts -------------------------------------------------------------------------------------


def list_contacts(session: Session, enterprise: Enterprise) -> list[Contact]:
    query = (select(Contact).where(Contact.enterprise_id == enterprise.id)
             .order_by(Contact.is_primary.desc(), Contact.id))
    return list(session.scalars(query))


def get_contact(session: Session, enterprise: Enterprise, contact_id: int) -> Contact:
    contact = session.get(Contact, contact_id)
    if contact is None or contact.enterprise_id != enterprise.id:
        raise NotFound(Text(f"Firm {enterprise.id} has no contact with id {contact_id}.",
                            f"企业 {enterprise.id} 没有编号为 {contact_id} 的联系人。"))
    return contact


def _only_primary(session: Session, contact: Contact, *, actor: Actor) -> None:
    """A new primary contact demotes the previous one; that is a change to it, so it is audited too."""
    if not contact.is_primary:
        return
    others = select(Contact).where(
        Contact.enterprise_id == contact.enterprise_id, Contact.id != contact.id, Contact.is_primary.is_(True)
    )
    for other in session.scalars(others):
        other.is_primary = False
        audit.record(session, actor=actor, action="update", entity_type="contact", entity_id=other.id,
                     enterprise_id=other.enterprise_id, changes={"is_primary": (True, False)},
                     summary=f"「{contact.name}」成为主要联系人")


CONTACT_FIELDS = ("name", "title", "phone", "email", "is_primary", "notes")


def create_contact(session: Session, enterprise: Enterprise, data: ContactCreate, *, actor: Actor) -> Contact:
    _ensure_not_archived(enterprise)
    contact = Contact(enterprise_id=enterprise.id, **data.model_dump())
    session.add(contact)
    session.flush()
    _only_primary(session, contact, actor=actor)
    session.flush()
    audit.record(session, actor=actor, action="create", entity_type="contact", entity_id=contact.id,
                 enterprise_id=enterprise.id,
                 changes=audit.created({f: getattr(contact, f) for f in CONTACT_FIELDS}))
    return contact


def update_contact(session: Session, contact: Contact, changes: dict[str, Any], *, actor: Actor
                   ) -> dict[str, Any]:
    _ensure_not_archived(get_enterprise(session, contact.enterprise_id))
    fields = CONTACT_FIELDS
    before = {f: getattr(contact, f) for f in fields}
    for field, value in changes.items():
        setattr(contact, field, value)
    diff = {f: (before[f], getattr(contact, f)) for f in fields if before[f] != getattr(contact, f)}
    if diff:
        _only_primary(session, contact, actor=actor)
        session.flush()
        audit.record(session, actor=actor, action="update", entity_type="contact", entity_id=contact.id,
                     enterprise_id=contact.enterprise_id, changes=diff)
    return diff


def delete_contact(session: Session, contact: Contact, *, actor: Actor) -> None:
    before = {f: getattr(contact, f) for f in CONTACT_FIELDS}
    session.delete(contact)
    session.flush()
    audit.record(session, actor=actor, action="delete", entity_type="contact", entity_id=contact.id,
                 enterprise_id=contact.enterprise_id,
                 changes={f: (v, None) for f, v in before.items() if v not in (None, "")})


# --- annual figures -------------------------------------------------------------------------------

FIGURE_FIELDS = (
    "employees", "tech_staff", "revenue", "total_cost", "rd_expense", "rd_expense_domestic",
    "high_tech_income", "total_income", "total_assets", "ip_class1", "ip_class2",
)


def list_figures(session: Session, enterprise: Enterprise) -> list[AnnualFigures]:
    query = select(AnnualFigures).where(AnnualFigures.enterprise_id == enterprise.id).order_by(
        AnnualFigures.year.desc()
    )
    return list(session.scalars(query))


def find_figures(session: Session, enterprise: Enterprise, year: int) -> AnnualFigures | None:
    query = select(AnnualFigures).where(AnnualFigures.enterprise_id == enterprise.id, AnnualFigures.year == year)
    return session.scalars(query).first()


def get_figures(session: Session, enterprise: Enterprise, year: int) -> AnnualFigures:
    figures = find_figures(session, enterprise, year)
    if figures is None:
        raise NotFound(Text(f"Firm {enterprise.id} has no figures for {year}.",
                            f"企业 {enterprise.id} 没有 {year} 年的经营数据。"))
    return figures


def put_figures(session: Session, enterprise: Enterprise, year: int, data: FiguresWrite, *, actor: Actor
                ) -> tuple[AnnualFigures, bool, dict[str, Any]]:
    """Create or replace one year's figures; returns (row, created, changes)."""
    _ensure_not_archived(enterprise)
    problems = data.inconsistencies()
    if problems:
        raise InvalidInput(
            Text("; ".join(f"{field}: {reason}" for field, reason in problems),
                 "；".join(in_language(reason, "zh") for _, reason in problems)),
            errors=[ErrorItem(loc=["body", field], msg=reason, type="inconsistent") for field, reason in problems],
        )
    figures = find_figures(session, enterprise, year)
    created = figures is None
    if figures is None:
        figures = AnnualFigures(enterprise_id=enterprise.id, year=year)
        session.add(figures)
    before = {f: getattr(figures, f) for f in FIGURE_FIELDS}
    for field in FIGURE_FIELDS:
        setattr(figures, field, getattr(data, field))
    diff = {f: (before[f], getattr(figures, f)) for f in FIGURE_FIELDS if before[f] != getattr(figures, f)}
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError as exc:
        raise Conflict(Text(f"Figures for {year} were saved by someone else at the same moment; retry.",
                            f"{year} 年的数据刚被别人同时保存：请重试。")) from exc
    if diff or created:
        audit.record(session, actor=actor, action="create" if created else "update", entity_type="annual_figures",
                     entity_id=figures.id, enterprise_id=enterprise.id, changes=diff, summary=f"{year}年度经营数据")
    return figures, created, diff


def delete_figures(session: Session, figures: AnnualFigures, *, actor: Actor) -> None:
    before = {f: getattr(figures, f) for f in FIGURE_FIELDS}
    session.delete(figures)
    session.flush()
    audit.record(session, actor=actor, action="delete", entity_type="annual_figures", entity_id=figures.id,
                 enterprise_id=figures.enterprise_id,
                 changes={f: (v, None) for f, v in before.items() if v is not None},
                 summary=f"{figures.year}年度经营数据")
