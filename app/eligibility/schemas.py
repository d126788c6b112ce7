"""Inputs and results of the eligibility rules. The rules build these; nothing here touches a database."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, Field

from app.eligibility.outcome import Verdict
from app.enums import register_labels


class Program(StrEnum):
    """The programs the rules evaluate, codes as in GET /programs."""

    tech_sme = "tech_sme"
    high_tech = "high_tech"


register_labels(Program, {Program.tech_sme: "科技型中小企业评价入库", Program.high_tech: "高新技术企业认定"})


class Unit(StrEnum):
    """What an indicator's value, threshold and gap are measured in."""

    percent = "percent"
    yuan = "yuan"
    people = "people"
    items = "items"
    days = "days"
    points = "points"


register_labels(Unit, {Unit.percent: "%", Unit.yuan: "元", Unit.people: "人", Unit.items: "项", Unit.days: "天",
                       Unit.points: "分"})


@dataclass(frozen=True, slots=True)
class YearFigures:
    """One fiscal year of a firm's figures as the rules read them; ``None`` means not reported."""

    year: int
    employees: int | None = None
    tech_staff: int | None = None
    revenue: Decimal | None = None
    total_cost: Decimal | None = None
    rd_expense: Decimal | None = None
    rd_expense_domestic: Decimal | None = None
    high_tech_income: Decimal | None = None
    total_income: Decimal | None = None
    total_assets: Decimal | None = None
    ip_class1: int | None = None
    ip_class2: int | None = None


@dataclass(frozen=True, slots=True)
class IpLedger:
    """A firm's IP ledger on the day of an evaluation: items in force, and the class Ⅱ ones no earlier
    high-tech application used (工作指引: a class Ⅱ item counts for one application only)."""

    class1: int
    class2: int
    class2_unused: int


@dataclass(frozen=True, slots=True)
class FirmFacts:
    """What the registry knows about a firm that is not a yearly figure."""

    registered_on: dt.date | None = None
    industry: str | None = None
    industry_code: str | None = None
    tech_domain: str | None = None
    ip_ledger: IpLedger | None = None
    """The IP ledger when the firm has one; else the year's ip_class1/ip_class2 counts stand in."""
    bars: Mapping[str, str] = field(default_factory=dict)
    """Program code → the bar on applying again after a revocation, in words with the day it ends."""
    direct_routes: Mapping[str, str] = field(default_factory=dict)
    """Tech-SME direct-confirmation routes the registry's own records confirm: route code (as in
    ``tech_sme.DIRECT_ROUTES``) → the record, in words (e.g. the certificate number and its validity)."""


class Claims(BaseModel):
    """Facts the registry does not hold, supplied by the caller (the firm's own statement). Left out, they
    are reported as unknown; they are never guessed."""

    high_tech_certificate: bool | None = Field(
        default=None, description="Holds a valid high-tech enterprise certificate (tech-SME direct confirmation).")
    national_award: bool | None = Field(
        default=None, description="National science & technology award in the last 5 years, ranked in the top "
        "three units (tech-SME direct confirmation).")
    provincial_rd_institution: bool | None = Field(
        default=None, description="Runs a recognised provincial-or-higher R&D institution (tech-SME direct "
        "confirmation).")
    led_standard: bool | None = Field(
        default=None, description="Led the drafting of an international, national or industry standard in the "
        "last 5 years (tech-SME direct confirmation).")
    innovation_score: Annotated[Decimal, Field(ge=0, le=100, max_digits=5, decimal_places=2)] | None = Field(
        default=None, description="Self-assessed high-tech innovation-capability score, 0–100 (experts judge "
        "it; the rule needs more than 70).")


class InputItem(BaseModel):
    name: str = Field(description="Field name as in the annual figures or the firm, e.g. 'rd_expense'.")
    label: str = Field(description="Chinese name of the input.")
    year: int | None = Field(description="Fiscal year of a yearly figure; null for facts about the firm.")
    value: bool | int | Decimal | dt.date | str | None = Field(
        description="The value used (money in yuan); null when it is not in the registry.")


class Indicator(BaseModel):
    """One scored indicator or one condition of a rule set, with the numbers behind it."""

    code: str = Field(description="Stable machine name, e.g. 'tech_staff_share'.")
    label: str = Field(description="Chinese name.")
    rule: str = Field(description="The rule row applied, with the rule version, e.g. "
                      "'tech_sme:2022 科技人员占比: ≥30% 20分, 25–<30% 16分 …'.")
    status: Verdict | None = Field(description="pass / fail / unknown for a condition; null for a scored "
                                   "indicator (see points).")
    points: int | None = Field(default=None, description="Points scored; null when an input is missing or "
                               "for a pass/fail condition.")
    max_points: int | None = Field(default=None, description="Most points the indicator can give.")
    value: Decimal | None = Field(default=None, description="The computed value in `unit` (percent with 2 "
                                  "decimals, yuan, people, items, days or points); null when it cannot be computed.")
    threshold: Decimal | None = Field(default=None, description="What the condition (or next band) needs, in `unit`.")
    unit: Unit | None = Field(default=None, description="Unit of value and threshold.")
    gap: Decimal | None = Field(default=None, description="How far from passing the condition (or reaching the next "
                                "band), in `gap_unit`: what must be added, or for a size cap how much it is exceeded; "
                                "null when nothing is missing or it cannot be computed.")
    gap_unit: Unit | None = None
    shortfall: Decimal | None = Field(default=None, description="Relative distance to passing, 0–1 (1 for what "
                                      "cannot be closed by effort, e.g. a size cap); ranks the cultivation pool.")
    inputs: list[InputItem] = Field(description="Every input the rule read.")
    missing: list[str] = Field(description="Inputs needed but not in the registry, e.g. '2024 研发费用'.")
    note: str = Field(description="Plain Chinese explanation with the numbers.")


class Evaluation(BaseModel):
    """Shared by both programmes: the verdict, what blocks it and what is unknown."""

    rule_version: str = Field(description="Rule set applied, e.g. 'tech_sme:2022'.")
    year: int = Field(description="Fiscal year whose figures were evaluated (the latest one of a window).")
    outcome: Verdict = Field(description="pass: every checked condition holds; fail: at least one blocks; "
                             "unknown: none blocks but some cannot be decided from the registry.")
    summary: str = Field(description="One-line Chinese verdict.")
    conditions: list[Indicator] = Field(description="Pass/fail conditions, in the order of the rule text.")
    blocking: list[str] = Field(description="Codes of the conditions that keep the outcome from passing.")
    undetermined: list[str] = Field(description="Codes of the conditions that cannot be decided yet.")
    missing: list[str] = Field(description="Every input that is needed but not in the registry.")
    declarations: list[str] = Field(description="Conditions the registry cannot hold (the firm declares "
                                    "them): not checked here.")

    def blocking_conditions(self) -> list[Indicator]:
        return [c for c in self.conditions if c.code in self.blocking]


class TechSmeEvaluation(Evaluation):
    """``outcome`` counts the direct-confirmation routes, which are unknown unless stated: a firm whose score
    falls short is 'unknown' overall until they are denied. ``score_outcome`` is the verdict of the score
    alone (conditions 2, 3 and 5)."""

    score_outcome: Verdict = Field(description="Verdict by the size caps, industry and score alone, without the "
                                   "direct-confirmation routes.")
    score: int | None = Field(description="Total score of 100; null when an input is missing (see the bounds).")
    score_min: int = Field(description="Lowest score the missing inputs allow.")
    score_max: int = Field(description="Highest score the missing inputs allow.")
    pass_score: int = Field(description="Score needed (60).")
    indicators: list[Indicator] = Field(description="The three scored indicators.")
    direct_confirmation: list[Indicator] = Field(description="Routes that qualify a firm without the score; "
                                                 "each unknown unless stated in the query.")


class HighTechEvaluation(Evaluation):
    window: list[int] = Field(description="Fiscal years whose R&D and revenue were summed.")


class EligibilityRead(BaseModel):
    enterprise_id: int
    enterprise_name: str
    year: int = Field(description="Fiscal year evaluated (default: the last complete year).")
    evaluated_on: dt.date = Field(description="Business date the evaluation was made (registration age is "
                                  "counted up to it).")
    tech_sme: TechSmeEvaluation
    high_tech: HighTechEvaluation


class Candidate(BaseModel):
    """One firm in the cultivation pool: how close it is to qualifying and what blocks it."""

    rank: int = Field(description="1 = closest to qualifying: fewest conditions not known to hold (failing or "
                      "undecided), then fewest failing, then the smallest gap.")
    enterprise_id: int
    program: Program
    outcome: Verdict
    failing_count: int = Field(description="Number of blocking conditions.")
    gap: Decimal = Field(description="Sum of the blocking conditions' relative shortfalls (0 = nothing missing).")
    unknown_count: int = Field(description="Conditions that cannot be decided from the registry.")
    blocking: list[Indicator] = Field(description="The blocking conditions, with their gaps.")
