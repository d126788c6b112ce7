"""Request and response shapes of technology contracts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated

from pydantic import Field

from app.contracts.enums import ContractType
from app.fields import InputModel, Line, Multiline, PastDate, PatchModel, Yuan, omittable
from app.publicity.schemas import RecordId
from app.records.schemas import BusinessDate, FirmRecordFilter, Name, RecordRead, ShortText

RegistrationNo = Annotated[Line, Field(min_length=1, max_length=50,
                                       description="登记编号 of the technology market, unique.")]
ContractAmount = Annotated[Yuan, Field(description="成交额: the contract's total value, yuan with 2 decimals.")]
TechnologyAmount = Annotated[Yuan, Field(
    description="技术交易额: the part paid for the technology itself (成交额 less equipment, materials and the "
    "like), yuan; at most the contract amount. The summary's 技术合同交易额 sums this.")]


class ContractCreate(InputModel):
    registration_no: RegistrationNo
    title: ShortText | None = Field(default=None, description="合同名称.")
    contract_type: ContractType
    enterprise_id: RecordId = Field(description="The district firm selling the technology (卖方/技术输出方).")
    buyer: Name = Field(description="买方: the buying firm or institution, as registered.")
    contract_amount: ContractAmount
    technology_amount: TechnologyAmount
    registered_on: PastDate = Field(description="认定登记日期: the figure's year is this date's.")
    notes: Multiline | None = None


class ContractUpdate(PatchModel):
    registration_no: RegistrationNo = omittable()
    title: ShortText | None = None
    contract_type: ContractType = omittable()
    enterprise_id: RecordId = omittable()
    buyer: Name = omittable()
    contract_amount: ContractAmount = omittable()
    technology_amount: TechnologyAmount = omittable()
    registered_on: PastDate = omittable()
    notes: Multiline | None = None


class ContractRead(RecordRead):
    registration_no: str
    title: str | None
    contract_type: ContractType
    enterprise_id: int
    buyer: str
    contract_amount: Decimal
    technology_amount: Decimal
    registered_on: dt.date
    notes: str | None


class ContractFilter(FirmRecordFilter):
    q: Line | None = Field(default=None, max_length=100, description="Part of the registration number, title or "
                           "buyer.")
    contract_type: list[ContractType] = Field(default_factory=list, description="Repeatable.")
    registered_from: BusinessDate | None = Field(default=None, description="Registered on or after.")
    registered_to: BusinessDate | None = Field(default=None, description="Registered on or before.")
    sort: Annotated[str | None, Field(max_length=200)] = Field(
        default=None, description="id, registered_on, technology_amount, contract_amount, updated_at; '-' "
        "descending. Default: -registered_on.")
