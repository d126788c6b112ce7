"""Request and response shapes of commissioners and their services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated

from pydantic import AfterValidator, Field

from app.commissioners.enums import ServiceKind
from app.fields import InputModel, Line, Multiline, PastDate, PatchModel, omittable
from app.publicity.schemas import IdList, RecordId
from app.records.enums import AdministrativeLevel
from app.records.schemas import BusinessDate, FirmRecordFilter, Name, RecordRead


def _distinct_names(values: list[str]) -> list[str]:
    return list(dict.fromkeys(values))


Names = Annotated[list[Annotated[Line, Field(min_length=1, max_length=100)]], Field(max_length=100),
                  AfterValidator(_distinct_names)]
Area = Annotated[Decimal, Field(ge=0, max_digits=12, decimal_places=2, description="亩, 2 decimals.")]


class CommissionerCreate(InputModel):
    name: Annotated[Line, Field(min_length=1, max_length=100)]
    level: AdministrativeLevel = Field(description="Who appointed them: national, provincial, municipal, district.")
    expertise: Name = Field(description="专业领域, e.g. 果树栽培, 水产养殖, 机械制造.")
    employer: Name | None = Field(default=None, description="Their own university, institute or firm.")
    foreign_expert: bool = Field(default=False, description="A foreign expert brought in (引进外籍专家).")
    appointed_on: PastDate = Field(description="选派日期; a foreign expert counts as brought in that year.")
    ended_on: BusinessDate | None = Field(default=None, description="Last day of service; null while serving.")
    served_firm_ids: IdList = Field(default_factory=list, description="Firms of the registry they serve.")
    served_villages: Names = Field(default_factory=list, description="Villages or co-operatives they serve.")
    notes: Multiline | None = None


class CommissionerUpdate(PatchModel):
    name: Annotated[Line, Field(min_length=1, max_length=100)] = omittable()
    level: AdministrativeLevel = omittable()
    expertise: Name = omittable()
    employer: Name | None = None
    foreign_expert: bool = omittable()
    appointed_on: PastDate = omittable()
    ended_on: BusinessDate | None = None
    served_firm_ids: IdList = omittable()
    served_villages: Names = omittable()
    notes: Multiline | None = None


class CommissionerRead(RecordRead):
    name: str
    level: AdministrativeLevel
    expertise: str
    employer: str | None
    foreign_expert: bool
    appointed_on: dt.date
    ended_on: dt.date | None
    served_firm_ids: list[int]
    served_villages: list[str]
    notes: str | None


class CommissionerFilter(FirmRecordFilter):
    q: Line | None = Field(default=None, max_length=100, description="Part of the name or the expertise.")
    level: list[AdministrativeLevel] = Field(default_factory=list, description="Repeatable.")
    foreign_expert: bool | None = None
    serving_on: BusinessDate | None = Field(default=None, description="Only those serving on this date.")
    enterprise_id: RecordId | None = Field(default=None, description="Commissioners serving this firm.")
    sort: Annotated[str | None, Field(max_length=200)] = Field(
        default=None, description="id, name, appointed_on, updated_at; '-' descending. Default: name.")


class ServiceCreate(InputModel):
    commissioner_id: RecordId
    kind: ServiceKind
    served_on: PastDate
    place: Name = Field(description="Where: a village, a firm, a training hall.")
    enterprise_id: RecordId | None = Field(default=None, description="The firm served, if one of the registry.")
    headcount: int = Field(default=0, ge=0, le=100_000, description="People trained or guided (人次).")
    techniques: Names = Field(default_factory=list, description="New techniques promoted (新技术), by name.")
    varieties: Names = Field(default_factory=list, description="New varieties promoted (新品种), by name.")
    demonstration_base: Name | None = Field(default=None, description="示范基地 set up or served, by name.")
    demonstration_area_mu: Area | None = Field(default=None, description="The base's area in 亩.")
    notes: Multiline | None = None


class ServiceUpdate(PatchModel):
    kind: ServiceKind = omittable()
    served_on: PastDate = omittable()
    place: Name = omittable()
    enterprise_id: RecordId | None = None
    headcount: int = omittable(ge=0, le=100_000)
    techniques: Names = omittable()
    varieties: Names = omittable()
    demonstration_base: Name | None = None
    demonstration_area_mu: Area | None = None
    notes: Multiline | None = None


class ServiceRead(RecordRead):
    commissioner_id: int
    kind: ServiceKind
    served_on: dt.date
    place: str
    enterprise_id: int | None
    headcount: int
    techniques: list[str]
    varieties: list[str]
    demonstration_base: str | None
    demonstration_area_mu: Decimal | None
    notes: str | None


class ServiceFilter(FirmRecordFilter):
    commissioner_id: RecordId | None = None
    kind: list[ServiceKind] = Field(default_factory=list, description="Repeatable.")
    served_from: BusinessDate | None = Field(default=None, description="On or after.")
    served_to: BusinessDate | None = Field(default=None, description="On or before.")
    q: Line | None = Field(default=None, max_length=100, description="Part of the place or the base.")
    sort: Annotated[str | None, Field(max_length=200)] = Field(
        default=None, description="id, served_on, headcount, updated_at; '-' descending. Default: -served_on.")
