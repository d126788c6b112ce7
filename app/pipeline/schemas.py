"""Request and response shapes of programs, applications, transitions and alerts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from app.enterprises.refs import NamesItsEnterprise
from app.enums import register_labels
from app.fields import InputModel, Line, Multiline, PastDate, PatchModel, Yuan, omittable
from app.pipeline.declarations import StageKind
from app.pipeline.enums import CalendarKind
from app.platforms.schemas import PlatformStanding

ProgramCode = Annotated[str, Field(min_length=1, max_length=32, pattern=r"^[a-z][a-z0-9_]*$",
                                   description="Program code, one of GET /programs (e.g. high_tech).")]
StageCode = Annotated[str, Field(min_length=1, max_length=32, pattern=r"^[a-z][a-z0-9_]*$",
                                 description="Stage code of the application's program (see GET /programs).")]
Id = Annotated[int, Field(ge=1, le=2_147_483_647)]
Year = Annotated[int, Field(ge=1990, le=2200, description="Application (evaluation) year.")]
ReferenceNo = Annotated[Line, Field(min_length=1, max_length=64,
                                    description="入库登记编号, certificate number (GR…), contract number…")]
Details = Annotated[dict[str, Any], Field(
    description="Program-specific fields, validated by the program's own schema (GET /programs: details_schema).")]
BusinessDate = Annotated[dt.date, Field(ge=dt.date(1990, 1, 1), le=dt.date(2200, 12, 31))]


# --- programs --------------------------------------------------------------------------------------


class StageRead(BaseModel):
    code: str
    label: str
    kind: StageKind = Field(description="open: in progress; held: result in force (certificate, loan); closed.")


class RequirementRead(BaseModel):
    field: str = Field(description="A body field of the transition, or details.<name> for a program detail.")
    label: str


class TransitionRuleRead(BaseModel):
    to: str
    sources: list[str] = Field(description="Stages this transition may start from.")
    requires: list[RequirementRead]


class ProgramRead(BaseModel):
    code: str
    label: str
    description: str
    rule_version: str
    unique_per_year: bool = Field(description="One application per firm per year (loans: many).")
    entry_stages: list[str] = Field(description="Stages a new application may start in; the first is the default.")
    stages: list[StageRead]
    transitions: list[TransitionRuleRead]
    details_schema: dict[str, Any] = Field(description="JSON Schema of the program's details.")


# --- applications ----------------------------------------------------------------------------------


class ApplicationCreate(InputModel):
    program: ProgramCode
    enterprise_id: Id
    year: Year
    stage: StageCode | None = Field(default=None, description="Starting stage; default: the program's first.")
    on: PastDate | None = Field(default=None, description="Business date it entered that stage; default today "
                                "(an earlier date records a case that began before it was entered here).")
    reference_no: ReferenceNo | None = None
    amount_requested: Yuan | None = Field(default=None, description="申请金额, yuan.")
    owner_id: Id | None = Field(default=None, description="Staff user who follows the case.")
    previous_id: Id | None = Field(
        default=None, description="An earlier application this one renews (重新认定 links the old certificate).")
    details: Details = Field(default_factory=dict)
    notes: Multiline | None = None


class ApplicationUpdate(PatchModel):
    reference_no: ReferenceNo | None = None
    amount_requested: Yuan | None = None
    amount_approved: Yuan | None = None
    amount_disbursed: Yuan | None = None
    decided_on: BusinessDate | None = None
    issued_on: PastDate | None = Field(default=None, description="Certificate issue date; changing it "
                                       "re-derives a certificate's validity.")
    valid_from: BusinessDate | None = Field(default=None, description="Read-only (422) where the program derives it: "
                                            "tech_sme, high_tech, tech_loan.")
    valid_until: BusinessDate | None = Field(default=None, description="Read-only (422) where the program derives "
                                             "it (tech_sme, high_tech); a loan's maturity may be corrected.")
    owner_id: Id | None = None
    previous_id: Id | None = None
    details: Details = omittable(description="Merged into the stored details; a null value removes a field.")
    notes: Multiline | None = None


class ApplicationRead(NamesItsEnterprise):
    model_config = ConfigDict(from_attributes=True)

    id: int
    program: str
    enterprise_id: int
    year: int
    stage: str
    stage_entered_on: dt.date = Field(description="Business date the application entered its current stage.")
    reference_no: str | None
    amount_requested: Decimal | None
    amount_approved: Decimal | None
    amount_disbursed: Decimal | None
    decided_on: dt.date | None = Field(description="Date of the decision (registration, recognition, approval…).")
    issued_on: dt.date | None = Field(description="Certificate issue date (high_tech); validity runs from it.")
    valid_from: dt.date | None
    valid_until: dt.date | None = Field(description="End of validity (certificate, registration) or loan maturity; "
                                        "derived and read-only for a certificate.")
    owner_id: int | None
    previous_id: int | None
    details: dict[str, Any]
    notes: str | None
    allowed_transitions: list[str] = Field(default_factory=list, description="Stages it may move to next.")
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime
    archived_at: dt.datetime | None


class ApplicationFilter(BaseModel):
    """Query parameters of the application list. Repeat a parameter to match any of several values."""

    program: list[ProgramCode] = Field(default_factory=list, description="Program code; repeatable.")
    stage: list[StageCode] = Field(default_factory=list, description="Stage code; repeatable.")
    year: list[Year] = Field(default_factory=list, description="Application year; repeatable.")
    enterprise_id: int | None = Field(default=None, ge=1, le=2_147_483_647)
    owner_id: int | None = Field(default=None, ge=1, le=2_147_483_647)
    district: list[Annotated[str, Field(max_length=50)]] = Field(
        default_factory=list, description="The firm's 所属街道/乡镇; repeatable.")
    valid_on: BusinessDate | None = Field(
        default=None, description="Only results in force on this date: a held stage (registered, recognized, "
        "disbursed…) whose validity covers it.")
    updated_since: dt.datetime | None = Field(default=None, description="Changed at or after this instant (UTC).")
    include_archived: bool = False
    sort: str | None = Field(
        default=None, max_length=200,
        description="Comma-separated, '-' for descending: id, year, program, stage, stage_entered_on, "
        "decided_on, valid_until, created_at, updated_at. Default: id.")


# --- transitions -----------------------------------------------------------------------------------


class TransitionCreate(InputModel):
    to: StageCode
    on: PastDate | None = Field(default=None, description="Business date it happened; default today. For "
                                "registered/recognized it is the registration/issue date.")
    note: Multiline | None = Field(default=None, description="Why, in a sentence (shown in the history).")
    reference_no: ReferenceNo | None = None
    amount_approved: Yuan | None = None
    amount_disbursed: Yuan | None = None
    valid_until: BusinessDate | None = Field(default=None, description="Loan maturity date (disbursed); "
                                             "derived, not sent, for a certificate.")
    issued_on: PastDate | None = Field(default=None, description="高企证书发证日期 (recognized): the issue date "
                                       "printed on the certificate, from which its 3 years run; default: `on`.")
    details: Details = Field(default_factory=dict, description="Detail fields to set with this transition.")


class StageEventRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    application_id: int
    program: str
    from_stage: str | None = Field(description="Null for the event that created the application.")
    to_stage: str
    occurred_on: dt.date = Field(description="Business date of the change.")
    at: dt.datetime = Field(description="When it was recorded (UTC).")
    actor_id: int | None
    actor_name: str
    note: str | None
    fields: dict[str, Any] = Field(description="Values the transition set.")


class TransitionResult(BaseModel):
    event: StageEventRead
    application: ApplicationRead


# --- derived state ---------------------------------------------------------------------------------


class StatusSummary(BaseModel):
    high_tech_valid: bool = Field(description="Holds a high-tech certificate valid today.")
    high_tech_certificate_no: str | None
    high_tech_valid_until: dt.date | None
    tech_sme_registered_this_year: bool
    open_applications: dict[str, int] = Field(description="Applications in progress, by program code.")
    platforms: list[PlatformStanding] = Field(
        default_factory=list, description="Innovation platforms and carriers the firm hosts that stand today "
        "(工程技术研究中心, 重点实验室, 星创天地…), highest level first.")


class AlertKind(StrEnum):
    certificate_expiring = "certificate_expiring"
    tech_sme_renewal_due = "tech_sme_renewal_due"
    loan_past_maturity = "loan_past_maturity"
    stuck = "stuck"
    demand_overdue = "demand_overdue"
    development_report_missing = "development_report_missing"
    certificate_at_risk = "certificate_at_risk"


register_labels(AlertKind, {
    AlertKind.certificate_expiring: "高企证书即将到期",
    AlertKind.tech_sme_renewal_due: "科技型中小企业今年未入库",
    AlertKind.loan_past_maturity: "贷款到期未结清",
    AlertKind.stuck: "长期停留在同一环节",
    AlertKind.demand_overdue: "企业诉求逾期未办结",
    AlertKind.development_report_missing: "高企年度发展情况报表未填报",
    AlertKind.certificate_at_risk: "累计两年未填报年报，高企资格面临取消",
})


class AlertRead(BaseModel):
    kind: AlertKind
    enterprise_id: int
    enterprise_name: str
    application_id: int | None = Field(default=None, description="The application it is about; null for a demand.")
    program: str | None = Field(default=None, description="The application's program; null for a demand.")
    stage: str | None = Field(default=None, description="The application's stage; for a demand, its status.")
    demand_id: int | None = Field(default=None, description="The overdue demand (demand_overdue); null otherwise.")
    due_on: dt.date | None = Field(description="Expiry, maturity, stage-entry or demand due date the alert is about.")
    days: int = Field(description="Days left (negative: days past) or, for stuck, days in the stage.")
    deadlines: list[dt.date] = Field(default_factory=list, description="Programme-calendar dates the alert "
                                     "counts to (e.g. the year's remaining high-tech batch deadlines).")
    message: str


# --- programme calendar and development reports ---------------------------------------------------


class CalendarEntryCreate(InputModel):
    program: ProgramCode
    year: Annotated[int, Field(ge=1990, le=2200, description="The programme year the date belongs to.")]
    kind: CalendarKind = Field(description="What happens on the date (see /meta/enums calendar_kind).")
    falls_on: BusinessDate = Field(description="The date.")
    label: Annotated[Line, Field(min_length=1, max_length=100)] | None = Field(
        default=None, description="e.g. 第二批; shown in alerts.")
    source: Annotated[Line, Field(min_length=1, max_length=300)] | None = Field(
        default=None, description="Where the date was read (notice number or address).")


class CalendarEntryUpdate(PatchModel):
    falls_on: BusinessDate = omittable(description="The date.")
    label: Annotated[Line, Field(min_length=1, max_length=100)] | None = None
    source: Annotated[Line, Field(min_length=1, max_length=300)] | None = None


class CalendarEntryRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    program: str
    year: int
    kind: CalendarKind
    falls_on: dt.date
    label: str | None
    source: str | None
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime


class DevelopmentReportWrite(InputModel):
    filed_on: PastDate = Field(description="The day the firm filed its 年度发展情况报表 for the path's year.")


class DevelopmentReportRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    enterprise_id: int
    year: int = Field(description="Fiscal year reported; the report is due by 31 May of the next year.")
    filed_on: dt.date
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime
