"""The IP ledger: create, change, delete (audited), and the counts the eligibility rules read. Never commits."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.audit import service as audit
from app.audit.service import Actor
from app.eligibility.schemas import IpLedger
from app.enterprises.models import Enterprise
from app.errors import Conflict, ErrorItem, InvalidInput, NotFound
from app.ip_rights.enums import CLASS_OF, IpKind
from app.ip_rights.models import IpRight
from app.ip_rights.schemas import IpRightCreate
from app.messages import Text
from app.pipeline.models import Application
from app.pipeline.programs import HIGH_TECH

FIELDS = ("number", "kind", "ip_class", "title", "granted_on", "expires_on", "used_by_application_id", "notes")


def list_ip_rights(session: Session, enterprise: Enterprise, *, used_by_application_id: int | None = None
                   ) -> list[IpRight]:
    query = select(IpRight).where(IpRight.enterprise_id == enterprise.id)
    if used_by_application_id is not None:
        query = query.where(IpRight.used_by_application_id == used_by_application_id)
    return list(session.scalars(query.order_by(IpRight.granted_on, IpRight.id)))


def get_ip_right(session: Session, enterprise: Enterprise, ip_right_id: int) -> IpRight:
    found = session.get(IpRight, ip_right_id)
    if found is None or found.enterprise_id != enterprise.id:
        raise NotFound(Text(f"Firm {enterprise.id} has no IP item with id {ip_right_id}.",
                            f"企业 {enterprise.id} 没有编号为 {ip_right_id} 的知识产权。"))
    return found


def _ensure_live(enterprise: Enterprise) -> None:
    if enterprise.archived_at is not None:
        raise Conflict(Text(f"Firm {enterprise.id} is archived; restore it before changing it.",
                            f"企业 {enterprise.id} 已归档，请先恢复再修改。"))


def _check(session: Session, item: IpRight, *, previous_use: int | None) -> None:
    """The rules of one item: dates in order, a using application that is a high-tech application of the
    same firm, and a class Ⅱ item never moved from one application to another."""
    if item.expires_on is not None and item.expires_on < item.granted_on:
        raise InvalidInput.at(["body", "expires_on"], Text("cannot be before granted_on", "不能早于授权日期"))
    application_id = item.used_by_application_id
    if application_id is None:
        return
    application = session.get(Application, application_id)
    if (application is None or application.enterprise_id != item.enterprise_id
            or application.program != HIGH_TECH.code):
        raise InvalidInput.at(["body", "used_by_application_id"],
                              Text(f"must be a 「{HIGH_TECH.label}」 application of the same firm",
                                   f"须是同一企业的「{HIGH_TECH.label}」申报"))
    if item.ip_class == 2 and previous_use is not None and previous_use != application_id:
        raise Conflict(
            Text(f"Class Ⅱ item {item.number} was already used by application {previous_use}; a class Ⅱ item counts "
                 "for one high-tech application only (工作指引). Clear used_by_application_id first if that record "
                 "was a mistake.",
                 f"Ⅱ类知识产权 {item.number} 已用于申报 {previous_use}；Ⅱ类知识产权只能用于一次「{HIGH_TECH.label}」"
                 "申报（工作指引）。如原记录有误，请先清除其所用申报。"),
            errors=[ErrorItem(loc=["body", "used_by_application_id"],
                              msg=Text("class Ⅱ item already used", "该Ⅱ类知识产权已被使用"), type="already_used")],
            used_by_application_id=previous_use,
        )


def _flush(session: Session, item: IpRight) -> None:
    number = item.number
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError as exc:
        raise Conflict(Text(f"This firm's ledger already has an item numbered {number}.",
                            f"该企业的知识产权台账中已有编号为 {number} 的条目。"),
                       errors=[ErrorItem(loc=["body", "number"], msg=Text("already in the ledger", "台账中已有"),
                                         type="duplicate")]
                       ) from exc


def create_ip_right(session: Session, enterprise: Enterprise, data: IpRightCreate, *, actor: Actor) -> IpRight:
    _ensure_live(enterprise)
    item = IpRight(enterprise_id=enterprise.id, ip_class=CLASS_OF[data.kind], **data.model_dump())
    _check(session, item, previous_use=None)
    session.add(item)
    _flush(session, item)
    audit.record(session, actor=actor, action="create", entity_type="ip_right", entity_id=item.id,
                 enterprise_id=enterprise.id, changes=audit.created({f: getattr(item, f) for f in FIELDS}),
                 summary=f"知识产权台账：{item.number}")
    return item


def update_ip_right(session: Session, enterprise: Enterprise, item: IpRight, changes: dict[str, Any], *,
                    actor: Actor) -> dict[str, Any]:
    _ensure_live(enterprise)
    before = {f: getattr(item, f) for f in FIELDS}
    for field, value in changes.items():
        setattr(item, field, value)
    item.ip_class = CLASS_OF[IpKind(item.kind)]
    _check(session, item, previous_use=before["used_by_application_id"])
    diff = {f: (before[f], getattr(item, f)) for f in FIELDS if before[f] != getattr(item, f)}
    if diff:
        _flush(session, item)
        audit.record(session, actor=actor, action="update", entity_type="ip_right", entity_id=item.id,
                     enterprise_id=item.enterprise_id, changes=diff, summary=f"知识产权台账：{item.number}")
    return diff


def delete_ip_right(session: Session, item: IpRight, *, actor: Actor) -> None:
    before = {f: getattr(item, f) for f in FIELDS}
    session.delete(item)
    session.flush()
    audit.record(session, actor=actor, action="delete", entity_type="ip_right", entity_id=item.id,
                 enterprise_id=item.enterprise_id, changes={f: (v, None) for f, v in before.items() if v is not None},
                 summary=f"知识产权台账：{item.number}")


def ledgers(session: Session, ids: Sequence[int], day: dt.date) -> dict[int, IpLedger]:
    """What each firm's ledger holds in force on ``day``; firms without a ledger are left out (their annual
    ip_class1/ip_class2 counts stand in)."""
    in_force = (IpRight.granted_on <= day) & or_(IpRight.expires_on.is_(None), IpRight.expires_on >= day)
    query = select(
        IpRight.enterprise_id,
        func.count().filter(in_force & (IpRight.ip_class == 1)),
        func.count().filter(in_force & (IpRight.ip_class == 2)),
        func.count().filter(in_force & (IpRight.ip_class == 2) & IpRight.used_by_application_id.is_(None)),
    ).where(IpRight.enterprise_id.in_(ids)).group_by(IpRight.enterprise_id)
    return {firm: IpLedger(class1=c1, class2=c2, class2_unused=unused)
            for firm, c1, c2, unused in session.execute(query)}
