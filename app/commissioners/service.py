"""Commissioners and their services. Knows nothing of HTTP; never commits."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session

from app.commissioners.enums import ServiceKind
from app.commissioners.models import Commissioner, CommissionerFirm, CommissionerService
from app.commissioners.schemas import CommissionerFilter, ServiceFilter
from app.enterprises.models import Enterprise
from app.enums import label_of
from app.errors import InvalidInput
from app.messages import Text
from app.publicity import records
from app.records import crud
from app.records.crud import FirmTimeline, RecordKind

COMMISSIONER_FIELDS = ("name", "level", "expertise", "employer", "foreign_expert", "appointed_on", "ended_on",
                       "served_firm_ids", "served_villages", "notes")
SERVICE_FIELDS = ("commissioner_id", "kind", "served_on", "place", "enterprise_id", "headcount", "techniques",
                  "varieties", "demonstration_base", "demonstration_area_mu", "notes")


def _commissioner_filters(query: Select[Any], filters: CommissionerFilter) -> Select[Any]:
    model = Commissioner
    if filters.q and filters.q.strip():
        pattern = records.like_pattern(filters.q)
        query = query.where(or_(model.name.ilike(pattern, escape="\\"), model.expertise.ilike(pattern, escape="\\")))
    if filters.level:
        query = query.where(model.level.in_([v.value for v in filters.level]))
    if filters.foreign_expert is not None:
        query = query.where(model.foreign_expert.is_(filters.foreign_expert))
    if filters.serving_on is not None:
        day = filters.serving_on
        query = query.where(model.appointed_on <= day, or_(model.ended_on.is_(None), model.ended_on >= day))
    if filters.enterprise_id is not None:
        query = query.where(model.id.in_(select(CommissionerFirm.commissioner_id).where(
            CommissionerFirm.enterprise_id == filters.enterprise_id)))
    return query


def _set_firms(session: Session, commissioner: Commissioner, firm_ids: list[int]) -> None:
    if firm_ids != commissioner.served_firm_ids:
        commissioner.firm_rows = [CommissionerFirm(enterprise_id=firm_id) for firm_id in firm_ids]


def _check_commissioner(session: Session, values: dict[str, Any], record: Commissioner | None) -> None:
    ended = values.get("ended_on")
    if ended is not None and ended < values["appointed_on"]:
        raise InvalidInput.at(["body", "ended_on"], Text("cannot be before appointed_on", "不能早于选派日期"))
    firm_ids = values.get("served_firm_ids") or []
    if firm_ids:
        known = set(session.scalars(select(Enterprise.id).where(Enterprise.id.in_(firm_ids))))
        for index, firm_id in enumerate(firm_ids):
            if firm_id not in known:
                raise InvalidInput.at(["body", "served_firm_ids", index],
                                      Text(f"no firm has id {firm_id}", f"没有编号为 {firm_id} 的企业"), "not_found")


COMMISSIONER_KIND = RecordKind(
    model=Commissioner, entity_type="commissioner", what="Commissioner", label="科技特派员",
    fields=COMMISSIONER_FIELDS,
    sorts={"id": Commissioner.id, "name": Commissioner.name, "appointed_on": Commissioner.appointed_on,
           "updated_at": Commissioner.updated_at},
    default_sort=("name",), apply_filters=_commissioner_filters, firm_field=None,
    describe=lambda c: c.name, checks=(_check_commissioner,), links={"served_firm_ids": _set_firms},
)


def _service_filters(query: Select[Any], filters: ServiceFilter) -> Select[Any]:
    model = CommissionerService
    if filters.commissioner_id is not None:
        query = query.where(model.commissioner_id == filters.commissioner_id)
    if filters.kind:
        query = query.where(model.kind.in_([k.value for k in filters.kind]))
    if filters.served_from is not None:
        query = query.where(model.served_on >= filters.served_from)
    if filters.served_to is not None:
        query = query.where(model.served_on <= filters.served_to)
    if filters.q and filters.q.strip():
        pattern = records.like_pattern(filters.q)
        query = query.where(or_(model.place.ilike(pattern, escape="\\"),
                                model.demonstration_base.ilike(pattern, escape="\\")))
    return query


def _check_service(session: Session, values: dict[str, Any], record: CommissionerService | None) -> None:
    commissioner = session.get(Commissioner, values["commissioner_id"])
    if commissioner is None:
        missing = values["commissioner_id"]
        raise InvalidInput.at(["body", "commissioner_id"],
                              Text(f"no commissioner has id {missing}", f"没有编号为 {missing} 的科技特派员"),
                              "not_found")
    if record is None and commissioner.archived_at is not None:
        raise InvalidInput.at(["body", "commissioner_id"], Text(f"commissioner {commissioner.id} is archived",
                                                                 f"科技特派员 {commissioner.id} 已归档"))
    if values["served_on"] < commissioner.appointed_on:
        raise InvalidInput.at(["body", "served_on"],
                              Text("before the commissioner was appointed", "早于该特派员的选派日期"))
    if values.get("demonstration_area_mu") is not None and not values.get("demonstration_base"):
        raise InvalidInput.at(["body", "demonstration_base"], Text("name the demonstration base whose area is given",
                                                                    "填写了示范面积，请写明示范基地"))


SERVICE_KIND = RecordKind(
    model=CommissionerService, entity_type="commissioner_service", what="Commissioner service",
    label="科技特派员服务", fields=SERVICE_FIELDS,
    sorts={"id": CommissionerService.id, "served_on": CommissionerService.served_on,
           "headcount": CommissionerService.headcount, "updated_at": CommissionerService.updated_at},
    default_sort=("-served_on",), apply_filters=_service_filters,
    describe=lambda s: f"{s.served_on.isoformat()} {s.place}", checks=(_check_service,),
    timeline=FirmTimeline(
        kind="commissioner_service", date_field="served_on",
        title=lambda s: f"科技特派员{label_of(ServiceKind(s.kind))}：{s.place}",
        details=lambda s: {"commissioner_id": s.commissioner_id, "kind": s.kind, "headcount": s.headcount,
                           "techniques": s.techniques, "varieties": s.varieties}),
)
crud.register_timeline(SERVICE_KIND)
