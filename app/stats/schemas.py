"""Shapes of the statistics: every figure of the annual work summary, each with its definition."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from pydantic import BaseModel, Field

_PERCENT = Decimal("0.01")


def change_percent(value: Decimal | int, previous: Decimal | int) -> Decimal | None:
    """Year-over-year change in percent (2 places); None when last year's figure is zero."""
    if previous == 0:
        return None
    return ((Decimal(value) - Decimal(previous)) * 100 / Decimal(previous)).quantize(_PERCENT, ROUND_HALF_UP)


class CountFigure(BaseModel):
    value: int = Field(description="This year's figure.")
    previous: int = Field(description="The same figure for the previous year.")
    change_percent: Decimal | None = Field(
        description="(value − previous) ÷ previous × 100, 2 decimals; null when previous is 0.")

    @classmethod
    def of(cls, value: int, previous: int) -> CountFigure:
        return cls(value=value, previous=previous, change_percent=change_percent(value, previous))


class MoneyFigure(BaseModel):
    value: Decimal = Field(description="This year's amount, yuan with 2 decimals.")
    previous: Decimal = Field(description="The previous year's amount, yuan.")
    change_percent: Decimal | None = Field(
        description="(value − previous) ÷ previous × 100, 2 decimals; null when previous is 0.")

    @classmethod
    def of(cls, value: Decimal, previous: Decimal) -> MoneyFigure:
        return cls(value=value, previous=previous, change_percent=change_percent(value, previous))


class AnnualSummary(BaseModel):
    """Every figure of the bureau's annual work summary for one calendar year (business dates,
    Asia/Shanghai). Firms are counted once however many records they have; archived records and
    archived firms are left out."""

    year: int
    as_of: dt.date = Field(description="The date 'valid' figures are taken at (default: 31 December of the year).")
    enterprises: CountFigure = Field(
        description="Firms in the registry (not archived, not closed or moved out) registered by the end of the "
        "year; previous: by the end of the previous year.")
    tech_sme_registered: CountFigure = Field(
        description="科技型中小企业入库: firms whose tech_sme application for the year is in stage registered.")
    high_tech_recommended: CountFigure = Field(
        description="高企推荐: firms whose high_tech application entered stage recommended on a date in the year.")
    high_tech_newly_recognized: CountFigure = Field(
        description="新认定高企 (首次认定): firms whose first high-tech certificate was issued (valid_from) in the "
        "year and whose application is recognized (or was revoked later); renewals are counted apart.")
    high_tech_renewed: CountFigure = Field(
        description="重新认定高企: firms whose certificate issued in the year follows an earlier certificate of "
        "theirs.")
    high_tech_valid: CountFigure = Field(
        description="有效高企总数: firms holding a recognized high-tech certificate valid on as_of; previous: on "
        "the same day a year earlier.")
    rd_expense_above_scale: MoneyFigure = Field(
        description="规上企业研发投入: sum of the year's annual-figures R&D expense of firms flagged above_scale.")
    high_tech_income: MoneyFigure = Field(
        description="高新技术产品(服务)收入: sum of the year's annual-figures high-tech income of all firms.")
    rd_subsidy_firms: CountFigure = Field(
        description="获研发财政奖补企业: firms whose rd_subsidy application for the year is approved or disbursed.")
    rd_subsidy_approved: MoneyFigure = Field(
        description="奖补资金(核定): sum of amount_approved of those applications, yuan.")
    rd_subsidy_disbursed: MoneyFigure = Field(
        description="奖补资金(已拨付): sum of amount_disbursed of those applications, yuan.")
    loans_disbursed: CountFigure = Field(
        description="科技贷款笔数: tech_loan applications disbursed (valid_from, the disbursement date) in the year.")
    loan_amount_disbursed: MoneyFigure = Field(description="科技贷款金额: sum of their amount_disbursed, yuan.")
    loan_firms: CountFigure = Field(description="获科技贷款企业: distinct firms among those loans.")
    visits: CountFigure = Field(description="走访次数: visits with visited_on in the year.")
    firms_visited: CountFigure = Field(description="走访企业: distinct firms among those visits.")
    demands_raised: CountFigure = Field(description="收集诉求: demands raised (raised_on) in the year.")
    demands_resolved: CountFigure = Field(description="解决诉求: demands resolved (resolved_on) in the year.")
    demands_resolved_on_time: CountFigure = Field(
        description="按期解决: of those resolved, the ones resolved on or before their due date (or with none).")
    publicity_events: CountFigure = Field(description="政策宣讲: publicity events held (held_on) in the year.")
    publicity_headcount: CountFigure = Field(description="宣讲覆盖人次: the events' total head-count.")
    firms_reached: CountFigure = Field(
        description="宣讲覆盖企业: distinct firms that attended those events.")


class StageCount(BaseModel):
    stage: str
    label: str
    count: int
    amount_requested: Decimal | None = Field(default=None, description="Sum, yuan; null where the program has none.")
    amount_approved: Decimal | None = None
    amount_disbursed: Decimal | None = None


class PipelineGroup(BaseModel):
    key: str | None = Field(description="The group's value (a district, an industry code, an owner id…); "
                            "null for records without one, and for the whole when not grouped.")
    label: str | None = Field(description="Chinese label of the key, where it has one.")
    total: int
    stages: list[StageCount]


class PipelineStats(BaseModel):
    program: str
    program_label: str
    year: int | None
    group_by: str | None
    groups: list[PipelineGroup]


class FunnelStep(BaseModel):
    step: str
    label: str
    firms: int
    previous: int = Field(description="The same step a year earlier.")
    conversion_percent: Decimal | None = Field(
        description="firms ÷ firms of the step before × 100, 2 decimals; null for the first step or after 0.")
    previous_conversion_percent: Decimal | None


class Funnel(BaseModel):
    year: int
    steps: list[FunnelStep]


class AnnualReportRead(BaseModel):
    summary: AnnualSummary
    programs: list[PipelineStats] = Field(description="Counts per stage of each program's applications of the year.")
