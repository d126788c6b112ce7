"""Request and response shapes of cooperation agreements."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated

from pydantic import Field

from app.cooperation.enums import PartnerKind
from app.fields import InputModel, Line, Multiline, PastDate, PatchModel, Yuan, omittable
from app.publicity.schemas import RecordId
from app.records.schemas import BusinessDate, FirmRecordFilter, Name, RecordRead, ShortText

Amount = Annotated[Yuan, Field(description="Agreed amount, yuan with 2 decimals; null when the agreement has none.")]


class AgreementCreate(InputModel):
    enterprise_id: RecordId = Field(description="The district firm.")
    partner: Name = Field(description="The university or institute, e.g. 湖南大学.")
    partner_kind: PartnerKind = PartnerKind.university
    subject: ShortText = Field(description="What they cooperate on.")
    signed_on: PastDate = Field(description="签订日期: the agreement counts in this date's year.")
    amount: Amount | None = None
    notes: Multiline | None = None


class AgreementUpdate(PatchModel):
    enterprise_id: RecordId = omittable()
    partner: Name = omittable()
    partner_kind: PartnerKind = omittable()
    subject: ShortText = omittable()
    signed_on: PastDate = omittable()
    amount: Amount | None = None
    notes: Multiline | None = None


class AgreementRead(RecordRead):
    enterprise_id: int
    partner: str
    partner_kind: PartnerKind
    subject: str
    signed_on: dt.date
    amount: Decimal | None
    notes: str | None


class AgreementFilter(FirmRecordFilter):
    q: Line | None = Field(default=None, max_length=100, description="Part of the partner or the subject.")
    partner_kind: list[PartnerKind] = Field(default_factory=list, description="Repeatable.")
    signed_from: BusinessDate | None = Field(default=None, description="Signed on or after.")
    signed_to: BusinessDate | None = Field(default=None, description="Signed on or before.")
    sort: Annotated[str | None, Field(max_length=200)] = Field(
        default=None, description="id, signed_on, partner, updated_at; '-' descending. Default: -signed_on.")
