"""Innovation platforms. Knows nothing of HTTP; never commits."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import BindParameter, Select, and_, bindparam, or_, select
from sqlalchemy.orm import Session

from app.enterprises.models import Enterprise
from app.enums import label_of
from app.errors import InvalidInput
from app.messages import Text
from app.platforms.enums import RD_KINDS, EvaluationResult, PlatformKind
from app.platforms.models import InnovationPlatform
from app.platforms.schemas import PlatformFilter, PlatformStanding, RdPlatformHeld
from app.publicity import records
from app.records import crud
from app.records.crud import FirmTimeline, RecordKind
from app.records.enums import AdministrativeLevel, at_or_above

FIELDS = ("name", "kind", "level", "enterprise_id", "host_institution", "recognised_on", "document_no",
          "revoked_on", "evaluations", "notes")


def _filters(query: Select[Any], filters: PlatformFilter) -> Select[Any]:
    model = InnovationPlatform
    if filters.q and filters.q.strip():
        pattern = records.like_pattern(filters.q)
        query = query.where(or_(model.name.ilike(pattern, escape="\\"),
                                model.host_institution.ilike(pattern, escape="\\")))
    if filters.kind:
        query = query.where(model.kind.in_([k.value for k in filters.kind]))
    if filters.level:
        query = query.where(model.level.in_([v.value for v in filters.level]))
    if filters.valid_on is not None:
        query = query.where(standing_condition(filters.valid_on))
    return query


def standing_condition(day: dt.date | BindParameter[dt.date]) -> Any:
    """Standing on ``day``: recognised by then, not revoked by then, no failed evaluation on or before it."""
    model = InnovationPlatform
    return (model.recognised_on <= day) & or_(model.revoked_on.is_(None), model.revoked_on > day) & or_(
        model.failed_on.is_(None), model.failed_on > day)


def _set_evaluations(session: Session, platform: InnovationPlatform, evaluations: list[dict[str, Any]]) -> None:
    platform.evaluations = evaluations
    failed = [e["evaluated_on"] for e in evaluations if e["result"] == EvaluationResult.failed.value]
    platform.failed_on = dt.date.fromisoformat(min(failed)) if failed else None


def _check(session: Session, values: dict[str, Any], record: InnovationPlatform | None) -> None:
    if values.get("enterprise_id") is None and not values.get("host_institution"):
        raise InvalidInput.at(["body", "enterprise_id"], Text(
            "name the host firm (enterprise_id) or the host_institution", "请填写依托企业或依托单位"))
    revoked = values.get("revoked_on")
    if revoked is not None and revoked < values["recognised_on"]:
        raise InvalidInput.at(["body", "revoked_on"], Text("cannot be before recognised_on", "不能早于认定日期"))
    for index, evaluation in enumerate(values.get("evaluations") or []):
        on = evaluation["evaluated_on"]
        day = on if isinstance(on, dt.date) else dt.date.fromisoformat(on)
        if day < values["recognised_on"]:
            raise InvalidInput.at(["body", "evaluations", index, "evaluated_on"],
                                  Text("before the platform was recognised", "早于平台认定日期"))


KIND = RecordKind(
    model=InnovationPlatform, entity_type="innovation_platform", what="Innovation platform", label="创新平台",
    fields=FIELDS,
    sorts={"id": InnovationPlatform.id, "name": InnovationPlatform.name,
           "recognised_on": InnovationPlatform.recognised_on, "updated_at": InnovationPlatform.updated_at},
    default_sort=("-recognised_on",), apply_filters=_filters, describe=lambda p: p.name, checks=(_check,),
    links={"evaluations": _set_evaluations},
    timeline=FirmTimeline(
        kind="innovation_platform", date_field="recognised_on",
        title=lambda p: f"认定{label_of(AdministrativeLevel(p.level))}{label_of(PlatformKind(p.kind))}：{p.name}",
        details=lambda p: {"kind": p.kind, "level": p.level, "document_no": p.document_no}),
)
crud.register_timeline(KIND)


def list_platforms(session: Session, *, filters: PlatformFilter, page: Any) -> tuple[list[InnovationPlatform], int]:
    return crud.list_records(session, KIND, filters=filters, page=page)


def _rd_institution(day: dt.date) -> Any:
    """A provincial-or-higher R&D platform (not an incubator or maker space) standing on ``day``."""
    return and_(InnovationPlatform.archived_at.is_(None),
                InnovationPlatform.level.in_(at_or_above(AdministrativeLevel.provincial)),
                InnovationPlatform.kind.in_([k.value for k in RD_KINDS]), standing_condition(day))


def provincial_rd_platforms(session: Session, enterprise_id: int, on: dt.date) -> RdPlatformHeld:
    """Does the firm host a provincial-or-higher R&D platform standing on ``on``? (tech-SME direct
    confirmation: "拥有省部级以上研发机构"). An unknown firm is a 422 on the query's enterprise_id."""
    if session.get(Enterprise, enterprise_id) is None:
        raise InvalidInput.at(["query", "enterprise_id"],
                              Text(f"no firm has id {enterprise_id}", f"没有编号为 {enterprise_id} 的企业"),
                              "not_found")
    held = list(session.scalars(select(InnovationPlatform.id).where(
        InnovationPlatform.enterprise_id == enterprise_id, _rd_institution(on)).order_by(InnovationPlatform.id)))
    return RdPlatformHeld(enterprise_id=enterprise_id, on=on, holds=bool(held), platform_ids=held)


# The platforms a firm hosts that stand on a day, as rows of the columns shown (loading whole platforms costs more
# than the query, even when none stands); built once, the firm and the day are parameters.
_STANDING = select(
    InnovationPlatform.id, InnovationPlatform.name, InnovationPlatform.kind, InnovationPlatform.level,
    InnovationPlatform.recognised_on,
).where(InnovationPlatform.enterprise_id == bindparam("enterprise_id"), InnovationPlatform.archived_at.is_(None),
        standing_condition(bindparam("day"))).order_by(InnovationPlatform.recognised_on, InnovationPlatform.id)


def standing_platforms(session: Session, enterprise_id: int, day: dt.date) -> list[PlatformStanding]:
    """The platforms and carriers the firm hosts that stand on ``day``, highest level first (the firm's page)."""
    rows = session.execute(_STANDING, {"enterprise_id": enterprise_id, "day": day})
    standing = [PlatformStanding.model_validate(row, from_attributes=True) for row in rows]
    return sorted(standing, key=lambda p: list(AdministrativeLevel).index(p.level))


def rd_institutions_held(session: Session, ids: Sequence[int], day: dt.date) -> dict[int, str]:
    """Of the firms ``ids``, those hosting a provincial-or-higher R&D platform on ``day`` → the platform in
    words: the records behind the tech-SME direct confirmation "拥有经认定的省部级以上研发机构"."""
    rows = session.execute(select(InnovationPlatform.enterprise_id, InnovationPlatform.name,
                                  InnovationPlatform.level, InnovationPlatform.kind)
                           .where(InnovationPlatform.enterprise_id.in_(ids), _rd_institution(day))
                           .order_by(InnovationPlatform.id))
    held: dict[int, str] = {}
    for enterprise_id, name, level, kind in rows:
        assert enterprise_id is not None  # filtered by the ids
        held.setdefault(enterprise_id, f"{name}（{label_of(AdministrativeLevel(level))}"
                                       f"{label_of(PlatformKind(kind))}）")
    return held
