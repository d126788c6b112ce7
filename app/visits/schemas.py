"""Request and response shapes of visits and demands."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from app.enterprises.refs import NamesItsEnterprise
from app.fields import InputModel, Line, Multiline, PastDate, PatchModel, omittable
from app.publicity.schemas import IdList, RecordId, SinceField, Sort
from app.visits.enums import DemandCategory, DemandStatus, VisitKind

Purpose = Annotated[Line, Field(min_length=1, max_length=300, description="Why the visit was made, one line.")]
Summary = Annotated[Multiline, Field(min_length=1, description="What was discussed and agreed.")]
Participants = Annotated[Line, Field(min_length=1, max_length=500,
                                     description="People at the firm, as free text (e.g. 王总、财务李经理).")]
FutureDate = Annotated[dt.date, Field(ge=dt.date(1990, 1, 1), le=dt.date(2200, 1, 1))]


class VisitDemand(InputModel):
    """A demand the firm raised during the visit being logged: its firm, visit and date are the visit's."""

    category: DemandCategory
    description: Annotated[Multiline, Field(min_length=1, description="What the firm needs, in its words.")]
    due_on: FutureDate | None = Field(default=None, description="Promised answer date; not before the visit.")
    assignee_id: RecordId | None = Field(default=None, description="Staff user responsible for it.")


class VisitCreate(InputModel):
    """Only enterprise_id, visited_on, kind and summary are required: staff log a visit from a phone."""

    enterprise_id: RecordId
    visited_on: PastDate = Field(description="Business date of the visit; not in the future.")
    kind: VisitKind
    summary: Summary
    purpose: Purpose | None = None
    staff_ids: IdList = Field(default_factory=list,
                              description="Staff users who made the visit; empty or left out: the one logging it.")
    participants: Participants | None = None
    contact_ids: IdList = Field(default_factory=list, description="Contacts of this firm who took part.")
    policy_ids: IdList = Field(default_factory=list, description="Policies explained during the visit.")
    follow_up_on: FutureDate | None = Field(default=None, description="When to follow up; not before visited_on.")
    demands: list[VisitDemand] = Field(
        default_factory=list, max_length=50,
        description="Demands raised in this visit, recorded with it in one transaction (all or none).")


class VisitUpdate(PatchModel):
    visited_on: PastDate = omittable()
    kind: VisitKind = omittable()
    summary: Summary = omittable()
    purpose: Purpose | None = None
    staff_ids: IdList = omittable(description="Replaces the list; at least one.")
    participants: Participants | None = None
    contact_ids: IdList = omittable(description="Replaces the list.")
    policy_ids: IdList = omittable(description="Replaces the list.")
    follow_up_on: FutureDate | None = None


class VisitRead(NamesItsEnterprise):
    model_config = ConfigDict(from_attributes=True)

    id: int
    enterprise_id: int
    visited_on: dt.date
    kind: VisitKind
    summary: str
    purpose: str | None
    staff_ids: list[int]
    participants: str | None
    contact_ids: list[int]
    policy_ids: list[int]
    follow_up_on: dt.date | None
    logged_by: int | None = Field(description="The user who logged the visit.")
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime
    archived_at: dt.datetime | None


class VisitFilter(BaseModel):
    enterprise_id: RecordId | None = None
    staff_id: RecordId | None = Field(default=None, description="Visits this staff user took part in.")
    kind: list[VisitKind] = Field(default_factory=list, description="Repeatable.")
    visited_from: dt.date | None = Field(default=None, description="On or after this date.")
    visited_to: dt.date | None = Field(default=None, description="On or before this date.")
    district: list[Annotated[Line, Field(max_length=50)]] = Field(
        default_factory=list, description="The firm's 街道/乡镇; repeatable.")
    policy_id: RecordId | None = Field(default=None, description="Visits that explained this policy.")
    updated_since: dt.datetime | None = SinceField
    include_archived: bool = False
    sort: Sort = Field(default=None, description="id, visited_on, created_at, updated_at; '-' descending. "
                       "Default: -visited_on.")


# --- demands --------------------------------------------------------------------------------------

Description = Annotated[Multiline, Field(min_length=1, description="What the firm needs, in its words.")]


class DemandCreate(InputModel):
    enterprise_id: RecordId
    category: DemandCategory
    description: Description
    visit_id: RecordId | None = Field(default=None, description="The visit where it was raised (same firm).")
    raised_on: PastDate | None = Field(default=None, description="Default: the visit's date, else today.")
    assignee_id: RecordId | None = Field(default=None, description="Staff user responsible for it.")
    due_on: FutureDate | None = Field(default=None, description="Promised answer date; not before raised_on.")


class DemandUpdate(PatchModel):
    """Change a demand's details; its status changes through POST /demands/{id}/transitions."""

    category: DemandCategory = omittable()
    description: Description = omittable()
    visit_id: RecordId | None = None
    raised_on: PastDate = omittable()
    assignee_id: RecordId | None = None
    due_on: FutureDate | None = None


class DemandTransition(InputModel):
    to: DemandStatus = Field(description="The new status: open → in_progress → resolved | closed.")
    resolution: Annotated[Multiline, Field(min_length=1)] | None = Field(
        default=None, description="Required for resolved: what was done.")
    resolved_on: PastDate | None = Field(default=None, description="For resolved: the date (default today).")
    reason: Annotated[Multiline, Field(min_length=1)] | None = Field(
        default=None, description="Required for closed: why it cannot be resolved.")


class DemandRead(NamesItsEnterprise):
    model_config = ConfigDict(from_attributes=True)

    id: int
    enterprise_id: int
    visit_id: int | None
    category: DemandCategory
    description: str
    raised_on: dt.date
    assignee_id: int | None
    due_on: dt.date | None
    status: DemandStatus
    resolution: str | None
    resolved_on: dt.date | None
    close_reason: str | None
    closed_on: dt.date | None
    overdue: bool = Field(description="Due before today (business date) and still open or in progress.")
    logged_by: int | None
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime
    archived_at: dt.datetime | None


class DemandFilter(BaseModel):
    enterprise_id: RecordId | None = None
    visit_id: RecordId | None = None
    category: list[DemandCategory] = Field(default_factory=list, description="Repeatable.")
    status: list[DemandStatus] = Field(default_factory=list, description="Repeatable.")
    assignee_id: RecordId | None = None
    overdue: bool | None = Field(default=None, description="true: due before today and still open or in "
                                 "progress; false: all others.")
    raised_from: dt.date | None = Field(default=None, description="Raised on or after.")
    raised_to: dt.date | None = Field(default=None, description="Raised on or before.")
    district: list[Annotated[Line, Field(max_length=50)]] = Field(
        default_factory=list, description="The firm's 街道/乡镇; repeatable.")
    updated_since: dt.datetime | None = SinceField
    include_archived: bool = False
    sort: Sort = Field(default=None, description="id, raised_on, due_on, status, created_at, updated_at; '-' "
                       "descending. Default: -raised_on.")


class VisitCreated(VisitRead):
    demands: list[DemandRead] = Field(description="The demands recorded with the visit, in the order sent.")
