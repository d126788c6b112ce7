"""Request and response shapes of innovation platforms."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import AfterValidator, BaseModel, Field

from app.fields import InputModel, Line, Multiline, PastDate, PatchModel, omittable
from app.platforms.enums import EvaluationResult, PlatformKind
from app.publicity.schemas import RecordId
from app.records.enums import AdministrativeLevel
from app.records.schemas import BusinessDate, FirmRecordFilter, Name, RecordRead


class Evaluation(InputModel):
    evaluated_on: BusinessDate = Field(description="Date of the evaluation's result (考核评估).")
    result: EvaluationResult = Field(description="failed (不合格) ends the recognition on that date.")
    note: Annotated[Line, Field(max_length=300)] | None = None


def _in_date_order(items: list[Evaluation]) -> list[Evaluation]:
    return sorted(items, key=lambda e: e.evaluated_on)


Evaluations = Annotated[list[Evaluation], Field(max_length=50, description="Periodic evaluations, replaced as "
                                                "a whole on PATCH; kept in date order."),
                        AfterValidator(_in_date_order)]
DocumentNo = Annotated[Line, Field(min_length=1, max_length=100, description="认定文件文号 or certificate number.")]


class PlatformCreate(InputModel):
    name: Name
    kind: PlatformKind
    level: AdministrativeLevel = Field(description="Who recognised it: national, provincial, municipal, district.")
    enterprise_id: RecordId | None = Field(default=None, description="The host firm (依托企业); or host_institution.")
    host_institution: Name | None = Field(default=None, description="Host university, institute or other body "
                                          "when no firm of the registry hosts it.")
    recognised_on: PastDate = Field(description="认定/备案日期.")
    document_no: DocumentNo | None = None
    revoked_on: BusinessDate | None = Field(default=None, description="摘牌/撤销 date; null while it stands.")
    evaluations: Evaluations = Field(default_factory=list)
    notes: Multiline | None = None


class PlatformUpdate(PatchModel):
    name: Name = omittable()
    kind: PlatformKind = omittable()
    level: AdministrativeLevel = omittable()
    enterprise_id: RecordId | None = None
    host_institution: Name | None = None
    recognised_on: PastDate = omittable()
    document_no: DocumentNo | None = None
    revoked_on: BusinessDate | None = None
    evaluations: Evaluations = omittable()
    notes: Multiline | None = None


class EvaluationRead(BaseModel):
    evaluated_on: dt.date
    result: EvaluationResult
    note: str | None = None


class PlatformRead(RecordRead):
    name: str
    kind: PlatformKind
    level: AdministrativeLevel
    enterprise_id: int | None
    host_institution: str | None
    recognised_on: dt.date
    document_no: str | None
    revoked_on: dt.date | None
    evaluations: list[EvaluationRead]
    notes: str | None


class PlatformFilter(FirmRecordFilter):
    q: Line | None = Field(default=None, max_length=100, description="Part of the name or host institution.")
    kind: list[PlatformKind] = Field(default_factory=list, description="Repeatable.")
    level: list[AdministrativeLevel] = Field(default_factory=list, description="Repeatable.")
    valid_on: BusinessDate | None = Field(default=None, description="Only platforms standing on this date: "
                                          "recognised by then, not revoked, no failed evaluation by then.")
    sort: Annotated[str | None, Field(max_length=200)] = Field(
        default=None, description="id, name, recognised_on, updated_at; '-' descending. Default: -recognised_on.")


class PlatformStanding(BaseModel):
    """A platform a firm hosts that stands on the day asked (recognised, not revoked, not failed, not archived)."""

    id: int
    name: str
    kind: PlatformKind
    level: AdministrativeLevel
    recognised_on: dt.date


class RdPlatformHeld(BaseModel):
    enterprise_id: int
    on: dt.date
    holds: bool = Field(description="The firm hosts a provincial-or-higher R&D platform standing on that date "
                        "(tech-SME direct confirmation, 办法 第八条).")
    platform_ids: list[int] = Field(description="The platforms that make it so.")
