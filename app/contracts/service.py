"""Technology contracts. Knows nothing of HTTP; never commits."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session

from app.contracts.enums import ContractType
from app.contracts.models import TechnologyContract
from app.contracts.schemas import ContractFilter
from app.enums import label_of
from app.errors import Conflict, InvalidInput
from app.messages import Text
from app.publicity import records
from app.records import crud
from app.records.crud import FirmTimeline, RecordKind

FIELDS = ("registration_no", "title", "contract_type", "enterprise_id", "buyer", "contract_amount",
          "technology_amount", "registered_on", "notes")


def _filters(query: Select[Any], filters: ContractFilter) -> Select[Any]:
    model = TechnologyContract
    if filters.q and filters.q.strip():
        pattern = records.like_pattern(filters.q)
        query = query.where(or_(model.registration_no.ilike(pattern, escape="\\"),
                                model.title.ilike(pattern, escape="\\"), model.buyer.ilike(pattern, escape="\\")))
    if filters.contract_type:
        query = query.where(model.contract_type.in_([t.value for t in filters.contract_type]))
    if filters.registered_from is not None:
        query = query.where(model.registered_on >= filters.registered_from)
    if filters.registered_to is not None:
        query = query.where(model.registered_on <= filters.registered_to)
    return query


def _check(session: Session, values: dict[str, Any], record: TechnologyContract | None) -> None:
    if values["technology_amount"] > values["contract_amount"]:
        raise InvalidInput.at(["body", "technology_amount"], Text("cannot exceed the contract amount (成交额)",
                                                                   "不能超过合同成交额"))
    query = select(TechnologyContract).where(TechnologyContract.registration_no == values["registration_no"])
    if record is not None:
        query = query.where(TechnologyContract.id != record.id)
    clash = session.scalars(query).first()
    if clash is not None:
        archived = clash.archived_at is not None
        state = " (archived: restore it instead)" if archived else ""
        raise Conflict(Text(f"Technology contract {clash.id} already has registration number "
                            f"{values['registration_no']}{state}.",
                            f"技术合同 {clash.id} 已使用登记号 {values['registration_no']}"
                            + ("（已归档：请恢复它）" if archived else "") + "。"), existing_id=clash.id)


KIND = RecordKind(
    model=TechnologyContract, entity_type="technology_contract", what="Technology contract", label="技术合同",
    fields=FIELDS,
    sorts={"id": TechnologyContract.id, "registered_on": TechnologyContract.registered_on,
           "technology_amount": TechnologyContract.technology_amount,
           "contract_amount": TechnologyContract.contract_amount, "updated_at": TechnologyContract.updated_at},
    default_sort=("-registered_on",), apply_filters=_filters,
    describe=lambda c: f"{c.registration_no} {c.buyer}", checks=(_check,),
    timeline=FirmTimeline(
        kind="technology_contract", date_field="registered_on",
        title=lambda c: f"技术合同登记（{label_of(ContractType(c.contract_type))}）：{c.registration_no}",
        details=lambda c: {"registration_no": c.registration_no, "buyer": c.buyer,
                           "technology_amount": c.technology_amount, "contract_amount": c.contract_amount}),
)
crud.register_timeline(KIND)


def by_registration_no(session: Session, registration_no: str) -> TechnologyContract | None:
    return session.scalar(select(TechnologyContract).where(TechnologyContract.registration_no == registration_no))
