"""Cooperation agreements. Knows nothing of HTTP; never commits."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, or_

from app.cooperation.models import CooperationAgreement
from app.cooperation.schemas import AgreementFilter
from app.publicity import records
from app.records import crud
from app.records.crud import FirmTimeline, RecordKind

FIELDS = ("enterprise_id", "partner", "partner_kind", "subject", "signed_on", "amount", "notes")


def _filters(query: Select[Any], filters: AgreementFilter) -> Select[Any]:
    model = CooperationAgreement
    if filters.q and filters.q.strip():
        pattern = records.like_pattern(filters.q)
        query = query.where(or_(model.partner.ilike(pattern, escape="\\"), model.subject.ilike(pattern, escape="\\")))
    if filters.partner_kind:
        query = query.where(model.partner_kind.in_([k.value for k in filters.partner_kind]))
    if filters.signed_from is not None:
        query = query.where(model.signed_on >= filters.signed_from)
    if filters.signed_to is not None:
        query = query.where(model.signed_on <= filters.signed_to)
    return query


KIND = RecordKind(
    model=CooperationAgreement, entity_type="cooperation_agreement", what="Cooperation agreement",
    label="产学研合作协议", fields=FIELDS,
    sorts={"id": CooperationAgreement.id, "signed_on": CooperationAgreement.signed_on,
           "partner": CooperationAgreement.partner, "updated_at": CooperationAgreement.updated_at},
    default_sort=("-signed_on",), apply_filters=_filters, describe=lambda a: f"{a.partner}：{a.subject}",
    timeline=FirmTimeline(kind="cooperation_agreement", date_field="signed_on",
                          title=lambda a: f"签订产学研合作协议：{a.partner}（{a.subject}）",
                          details=lambda a: {"partner": a.partner, "subject": a.subject, "amount": a.amount}),
)
crud.register_timeline(KIND)
