"""Request and response shapes of the policy catalog and publicity events."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, HttpUrl

from app.enterprises.refs import NamesItsEnterprise
from app.enums import register_labels
from app.fields import InputModel, Line, Multiline, PastDate, PatchModel, omittable
from app.publicity.enums import EventKind, PolicyCategory, PolicyLevel

RecordId = Annotated[int, Field(ge=1, le=2_147_483_647)]


def _distinct(values: list[int]) -> list[int]:
    return list(dict.fromkeys(values))


IdList = Annotated[list[RecordId], Field(max_length=100), AfterValidator(_distinct)]
Title = Annotated[Line, Field(min_length=1, max_length=300)]
Issuer = Annotated[Line, Field(min_length=1, max_length=200, description="发文机关, e.g. 财政部 税务总局.")]
DocumentNo = Annotated[Line, Field(min_length=1, max_length=100, description="文号, e.g. 财税〔2023〕7号.")]
Url = Annotated[HttpUrl, Field(description="Where the full text is published (http or https).")]
SinceField = Field(
    default=None, description="Only rows changed at or after this instant (ISO-8601; UTC when no offset)."
)
Sort = Annotated[str | None, Field(max_length=200)]


# --- policies -------------------------------------------------------------------------------------


class PolicyCreate(InputModel):
    title: Title
    issuer: Issuer
    document_no: DocumentNo | None = None
    category: PolicyCategory
    level: PolicyLevel
    effective_from: dt.date | None = Field(default=None, ge=dt.date(1949, 10, 1), le=dt.date(2200, 1, 1),
                                           description="First day in force.")
    effective_to: dt.date | None = Field(default=None, ge=dt.date(1949, 10, 1), le=dt.date(2200, 1, 1),
                                         description="Last day in force; null while open-ended. Not before "
                                         "effective_from.")
    summary: Multiline | None = Field(default=None, description="What a firm gets and who qualifies.")
    url: Url | None = None


class PolicyUpdate(PatchModel):
    title: Title = omittable()
    issuer: Issuer = omittable()
    document_no: DocumentNo | None = None
    category: PolicyCategory = omittable()
    level: PolicyLevel = omittable()
    effective_from: dt.date | None = Field(default=None, ge=dt.date(1949, 10, 1), le=dt.date(2200, 1, 1))
    effective_to: dt.date | None = Field(default=None, ge=dt.date(1949, 10, 1), le=dt.date(2200, 1, 1))
    summary: Multiline | None = None
    url: Url | None = None


class PolicyRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    title: str
    issuer: str
    document_no: str | None
    category: PolicyCategory
    level: PolicyLevel
    effective_from: dt.date | None
    effective_to: dt.date | None
    summary: str | None
    url: str | None
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime
    archived_at: dt.datetime | None


class PolicyFilter(BaseModel):
    q: Line | None = Field(default=None, max_length=100, description="Part of the title or document number.")
    category: list[PolicyCategory] = Field(default_factory=list, description="Repeatable.")
    level: list[PolicyLevel] = Field(default_factory=list, description="Repeatable.")
    in_force_on: dt.date | None = Field(default=None, description="Only policies in force on this date.")
    updated_since: dt.datetime | None = SinceField
    include_archived: bool = False
    sort: Sort = Field(default=None, description="id, title, effective_from, created_at, updated_at; '-' descending. "
                       "Default: -effective_from.")


class ReachChannel(StrEnum):
    visit = "visit"
    event = "event"


register_labels(ReachChannel, {ReachChannel.visit: "走访", ReachChannel.event: "宣传活动"})


class ReachTouch(BaseModel):
    via: ReachChannel = Field(description="How the firm heard of the policy: a visit or a publicity event.")
    id: int = Field(description="The visit's or the publicity event's id.")
    on: dt.date = Field(description="Date of the visit or event.")
    kind: str = Field(description="Visit kind or event kind.")
    title: str | None = Field(description="Event title, or the visit's purpose.")


class ReachFirm(BaseModel):
    enterprise_id: int
    enterprise_name: str
    first_heard_on: dt.date
    last_heard_on: dt.date
    touches: list[ReachTouch] = Field(description="Every visit and event that covered the policy, newest first.")


class ReachFilter(BaseModel):
    since: dt.date | None = Field(default=None, description="Only visits and events on or after this date.")
    until: dt.date | None = Field(default=None, description="Only visits and events on or before this date.")


# --- publicity events -----------------------------------------------------------------------------

Count = Annotated[int, Field(ge=0, le=1_000_000)]


class AttendanceItem(InputModel):
    enterprise_id: RecordId
    attendee_count: int = Field(default=1, ge=1, le=10_000, description="People from this firm who came.")


class AttendanceRead(NamesItsEnterprise):
    model_config = ConfigDict(from_attributes=True)

    enterprise_id: int
    attendee_count: int


Attendance = Annotated[
    list[AttendanceItem],
    Field(max_length=2000, description="Firms that attended, each once; replaces the whole list on PATCH."),
]


class EventCreate(InputModel):
    title: Title
    held_on: PastDate = Field(description="Date held; not in the future (log an event after it happened).")
    kind: EventKind
    location: Annotated[Line, Field(min_length=1, max_length=200)] | None = None
    organizer: Annotated[Line, Field(min_length=1, max_length=200)] | None = None
    policy_ids: IdList = Field(default_factory=list, description="Policies covered.")
    attendance: Attendance = Field(default_factory=list)
    headcount: Count | None = Field(default=None, description="Total people present, firms' attendees included; "
                                    "at least the sum of attendee counts. Null: the sum of attendee counts.")
    materials_distributed: Count | None = Field(default=None, description="Copies of materials handed out.")
    notes: Multiline | None = None


class EventUpdate(PatchModel):
    title: Title = omittable()
    held_on: PastDate = omittable()
    kind: EventKind = omittable()
    location: Annotated[Line, Field(min_length=1, max_length=200)] | None = None
    organizer: Annotated[Line, Field(min_length=1, max_length=200)] | None = None
    policy_ids: IdList = omittable()
    attendance: Attendance = omittable()
    headcount: Count | None = None
    materials_distributed: Count | None = None
    notes: Multiline | None = None


class EventRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    title: str
    held_on: dt.date
    kind: EventKind
    location: str | None
    organizer: str | None
    policy_ids: list[int]
    attendance: list[AttendanceRead]
    headcount: int | None
    materials_distributed: int | None
    notes: str | None
    created_by: int | None
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime
    archived_at: dt.datetime | None


class EventFilter(BaseModel):
    q: Line | None = Field(default=None, max_length=100, description="Part of the title.")
    kind: list[EventKind] = Field(default_factory=list, description="Repeatable.")
    held_from: dt.date | None = Field(default=None, description="Held on or after.")
    held_to: dt.date | None = Field(default=None, description="Held on or before.")
    policy_id: RecordId | None = Field(default=None, description="Events that covered this policy.")
    enterprise_id: RecordId | None = Field(default=None, description="Events this firm attended.")
    updated_since: dt.datetime | None = SinceField
    include_archived: bool = False
    sort: Sort = Field(default=None, description="id, held_on, title, created_at, updated_at; '-' descending. "
                       "Default: -held_on.")
