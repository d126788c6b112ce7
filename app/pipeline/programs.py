"""The four cultivation programs, declared (see ``shared/domain/`` for the rules and their sources)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any

from pydantic import Field

from app.eligibility import high_tech as high_tech_rules
from app.eligibility import tech_sme_rules
from app.enums import register_labels
from app.fields import InputModel, Line, Yuan
from app.messages import Text
from app.pipeline.declarations import (
    Entered,
    Program,
    Requirement,
    Stage,
    StageKind,
    Transition,
    register_program,
)

OPEN, HELD, CLOSED = StageKind.open, StageKind.held, StageKind.closed

CERTIFICATE_NO = re.compile(r"^G[RF]\d{12}$")
# The tech-SME registration number's format is not confirmed (domain/tech-sme.md): only a leading year.
REGISTRATION_NO = re.compile(r"^(19|20)\d{2}")


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year + years, day=28)


def period_end(start: dt.date, years: int) -> dt.date:
    """Last day of a period of ``years`` years from ``start`` (民法典 第二百零三条): the day before the
    corresponding day, or the month's last day when that day does not exist (29 February + 3 years → 28
    February)."""
    try:
        return start.replace(year=start.year + years) - dt.timedelta(days=1)
    except ValueError:
        return start.replace(year=start.year + years, day=28)


def high_tech_validity(issued_on: dt.date) -> tuple[dt.date, dt.date]:
    """Valid 3 years from the issue date: issued 2023-12-08 → valid through 2026-12-07; issued 2024-02-29 →
    through 2027-02-28."""
    return issued_on, period_end(issued_on, 3)


class RevocationReason(StrEnum):
    """Why a tech-SME registration or a high-tech certificate was revoked; the reason sets the bar on
    applying again (see ``revocation_bar``)."""

    fraud = "fraud"
    major_incident = "major_incident"
    missed_reports = "missed_reports"
    other = "other"


register_labels(RevocationReason, {
    RevocationReason.fraud: "弄虚作假",
    RevocationReason.major_incident: "重大安全、质量事故或严重环境违法",
    RevocationReason.missed_reports: "未按期报告重大变化或累计两年未填报年度发展情况报表",
    RevocationReason.other: "其他原因",
})

# 办法 第十九条: a certificate cancelled for any of these bars a new application for five years.
_HIGH_TECH_BARRED = {RevocationReason.fraud, RevocationReason.major_incident, RevocationReason.missed_reports}


def revocation_bar(program: str, reason: str | None, revoked_on: dt.date) -> tuple[dt.date, str] | None:
    """Last day a firm may not apply again after a revocation, and the rule in words; None without a bar.

    Tech-SME: "被撤销登记编号的企业当年不得再次参与科技型中小企业评价" (2019 notice) — to 31 December of the
    revocation year; fraud: "取消本年度评价资格，且三年内不得参与评价" (2025 MIIT notice) — three years from the
    revocation. High-tech 第十九条: five years from the cancellation.
    """
    if program == "tech_sme":
        if reason == RevocationReason.fraud:
            return period_end(revoked_on, 3), "科技型中小企业评价弄虚作假，三年内不得参与评价"
        return dt.date(revoked_on.year, 12, 31), "被撤销登记编号的企业当年不得再次参与评价"
    if program == "high_tech" and reason in _HIGH_TECH_BARRED:
        return period_end(revoked_on, 5), "高新技术企业资格依第十九条被取消，五年内不得再次申请认定"
    return None


def _decided(entered: Entered) -> dict[str, Any]:
    return {"decided_on": entered.on}


def _registered(entered: Entered) -> dict[str, Any]:
    # "登记编号当年有效": a registration counts for its evaluation year only.
    return {"decided_on": entered.on, "valid_from": entered.on, "valid_until": dt.date(entered.year, 12, 31)}


def _recognized(entered: Entered) -> dict[str, Any]:
    # Valid from the issue date printed on the certificate, often weeks before the bureau records it.
    issued_on = entered.issued_on or entered.on
    return {"decided_on": entered.on, "issued_on": issued_on, **_certificate_dates({"issued_on": issued_on})}


def _certificate_dates(values: Mapping[str, Any]) -> dict[str, Any]:
    issued_on = values.get("issued_on")
    if issued_on is None:
        return {}
    valid_from, valid_until = high_tech_validity(issued_on)
    return {"valid_from": valid_from, "valid_until": valid_until}


def _loan_disbursed(entered: Entered) -> dict[str, Any]:
    return {"valid_from": entered.on}


def _registration_no(entered: Entered) -> list[tuple[str, str]]:
    number = entered.reference_no or ""
    if len(number) > 32 or not REGISTRATION_NO.match(number):
        return [("reference_no", Text("入库登记编号 starts with its 4-digit year and has at most 32 characters",
                                      "入库登记编号应以 4 位年份开头，最多 32 个字符"))]
    return []


def _certificate_no(entered: Entered) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    if not CERTIFICATE_NO.match(entered.reference_no or ""):
        problems.append(("reference_no", Text("certificate number looks like GR202343000240 (GR/GF + 12 digits)",
                                              "高企证书编号应形如 GR202343000240（GR 或 GF 加 12 位数字）")))
    if entered.issued_on is not None and entered.issued_on > entered.on:
        problems.append(("issued_on", Text(f"a certificate cannot be issued after it is recorded ({entered.on})",
                                           f"发证日期不能晚于登记日期（{entered.on}）")))
    return problems


def _within_approved(entered: Entered) -> list[tuple[str, str]]:
    if (entered.amount_disbursed is not None and entered.amount_approved is not None
            and entered.amount_disbursed > entered.amount_approved):
        return [("amount_disbursed", Text(
            f"cannot exceed the approved amount ({entered.amount_disbursed} > {entered.amount_approved})",
            f"不能超过批准金额（{entered.amount_disbursed} 元 > {entered.amount_approved} 元）"))]
    return []


def _loan_disbursed_checks(entered: Entered) -> list[tuple[str, str]]:
    problems = _within_approved(entered)
    if entered.valid_until is not None and entered.valid_until <= entered.on:
        problems.append(("valid_until", Text("maturity must be after the disbursement date", "到期日须晚于放款日期")))
    return problems


# --- tech_sme --------------------------------------------------------------------------------------


class TechSmeScore(InputModel):
    """The tech_sme score Seedbed computed from the registry when the application was created."""

    rule_version: str = Field(description="Rule set applied, e.g. tech_sme:2022.")
    year: int = Field(description="Fiscal year whose figures were scored: the year before the application year "
                      "(a firm is evaluated on its last complete year's accounts).")
    score: int | None = Field(default=None, description="Total of 100; null when a figure is missing (see "
                              "score_min/score_max).")
    score_min: int = Field(description="Lowest score the missing figures allow.")
    score_max: int = Field(description="Highest score the missing figures allow.")
    outcome: str = Field(description="pass / fail / unknown, counting the direct-confirmation routes.")
    points: dict[str, int | None] = Field(description="Points per scored indicator code; null when an input is "
                                          "missing.")
    missing: list[str] = Field(description="Figures the score needed but the registry lacks, e.g. '2024 研发费用'.")
    confirmed_by: list[str] = Field(default_factory=list, description="Direct-confirmation routes (办法 第八条) "
                                    "the registry's records confirmed on the day the application was made, e.g. "
                                    "high_tech_certificate: a high-tech certificate in force.")


REVOCATION_REASON = ("撤销原因, required to revoke: tech-SME fraud bars the firm for three years, any other "
                     "revocation for the rest of that year; a high-tech cancellation under 办法 第十九条 (fraud, "
                     "major incident, missed reports) bars it for five years.")


class TechSmeDetails(InputModel):
    revocation_reason: RevocationReason | None = Field(default=None, description=REVOCATION_REASON)
    authority: Annotated[Line, Field(max_length=50)] | None = Field(
        default=None, description="Who evaluates that year (MOST until 2023, MIIT from 2024).")
    self_score: int | None = Field(default=None, ge=0, le=100, description="Self-evaluation score, 0–100.")
    direct_confirmation: bool = Field(default=False, description="直接认定 (e.g. holds a valid high-tech certificate).")
    evaluation: TechSmeScore | None = Field(
        default=None, description="Computed when the application is created, on the figures of the year before "
        "the application year, by the rule version it names; read-only: a client cannot set or change it.")


TECH_SME = register_program(Program(
    code="tech_sme", label="科技型中小企业评价入库", rule_version=tech_sme_rules.CURRENT.version, unique_per_year=True,
    description="Yearly evaluation; a registration (入库) is valid for its year only.",
    details=TechSmeDetails, computed_details=("evaluation",), derived_fields=("valid_from", "valid_until"),
    stages=(
        Stage("prospect", "培育"), Stage("preparing", "准备材料"), Stage("submitted", "已填报"),
        Stage("returned", "退回修改"), Stage("registered", "已入库", HELD), Stage("rejected", "未通过", CLOSED),
        Stage("revoked", "撤销", CLOSED),
    ),
    transitions=(
        Transition("preparing", ("prospect",)),
        Transition("submitted", ("prospect", "preparing", "returned")),
        Transition("returned", ("submitted",)),
        Transition("registered", ("submitted",), requires=(Requirement("reference_no", "入库登记编号"),),
                   derive=_registered, check=_registration_no),
        Transition("rejected", ("submitted",), derive=_decided),
        Transition("revoked", ("registered",), requires=(Requirement("details.revocation_reason", "撤销原因"),)),
    ),
))


# --- high_tech -------------------------------------------------------------------------------------


class HighTechDetails(InputModel):
    revocation_reason: RevocationReason | None = Field(default=None, description=REVOCATION_REASON)
    previous_certificate_no: str | None = Field(
        default=None, pattern=CERTIFICATE_NO.pattern,
        description="重新认定: the certificate this application renews (GR/GF + 12 digits).")
    batch: Annotated[Line, Field(max_length=50)] | None = Field(default=None,
                                                                description="申报批次, e.g. 2025年第二批.")
    self_score: int | None = Field(default=None, ge=0, le=100,
                                   description="Self-assessed innovation score; recognition needs more than 70.")


HIGH_TECH = register_program(Program(
    code="high_tech", label="高新技术企业认定", rule_version=high_tech_rules.CURRENT.version, unique_per_year=True,
    description="Recognition valid 3 years from the certificate's issue date; renewal is a new application.",
    details=HighTechDetails, derived_fields=("valid_from", "valid_until"), rederive=_certificate_dates,
    stages=(
        Stage("prospect", "培育库"), Stage("preparing", "准备材料"), Stage("recommended", "区推荐"),
        Stage("submitted", "已报省"), Stage("publicized", "公示"), Stage("recognized", "已认定", HELD),
        Stage("rejected", "未通过", CLOSED), Stage("revoked", "取消资格", CLOSED),
    ),
    transitions=(
        Transition("preparing", ("prospect",)),
        Transition("recommended", ("prospect", "preparing")),
        Transition("submitted", ("recommended",)),
        Transition("publicized", ("submitted",)),
        Transition("recognized", ("publicized",), requires=(Requirement("reference_no", "高企证书编号"),),
                   derive=_recognized, check=_certificate_no),
        Transition("rejected", ("recommended", "submitted", "publicized"), derive=_decided),
        Transition("revoked", ("recognized",), requires=(Requirement("details.revocation_reason", "撤销原因"),)),
    ),
))


# --- rd_subsidy ------------------------------------------------------------------------------------


class RdSubsidyDetails(InputModel):
    base_year: int | None = Field(default=None, ge=1990, le=2200,
                                  description="Y-1: the year whose R&D expense increase is subsidised.")
    rd_expense_base: Yuan | None = Field(default=None, description="Tax-verified R&D expense of Y-1, yuan.")
    rd_expense_previous: Yuan | None = Field(default=None, description="Tax-verified R&D expense of Y-2, yuan.")
    computed_amount: Yuan | None = Field(default=None, description="What the subsidy rule gives, yuan.")
    rule_version: Annotated[Line, Field(max_length=40)] | None = Field(
        default=None, description="The rule that computed it, e.g. rd_subsidy:hunan-2018.")


RD_SUBSIDY = register_program(Program(
    code="rd_subsidy", label="研发财政奖补", rule_version="rd_subsidy:hunan-2018", unique_per_year=True,
    description="10% of the increase in tax-verified R&D expense, capped; filed before, paid after.",
    details=RdSubsidyDetails,
    stages=(
        Stage("applied", "已申报"), Stage("under_review", "审核中"), Stage("approved", "已批准"),
        Stage("disbursed", "已拨付", CLOSED), Stage("rejected", "未通过", CLOSED),
    ),
    transitions=(
        Transition("under_review", ("applied",)),
        Transition("approved", ("under_review",), requires=(Requirement("amount_approved", "批准金额"),),
                   derive=_decided),
        Transition("disbursed", ("approved",), requires=(Requirement("amount_disbursed", "拨付金额"),),
                   check=_within_approved),
        Transition("rejected", ("applied", "under_review"), derive=_decided),
    ),
))


# --- tech_loan -------------------------------------------------------------------------------------


class GuaranteeType(StrEnum):
    credit = "credit"
    guaranteed = "guaranteed"
    ip_pledge = "ip_pledge"
    insured = "insured"


register_labels(GuaranteeType, {
    GuaranteeType.credit: "信用", GuaranteeType.guaranteed: "担保", GuaranteeType.ip_pledge: "知识产权质押",
    GuaranteeType.insured: "保证保险",
})


class TechLoanDetails(InputModel):
    bank: Annotated[Line, Field(max_length=100)] | None = Field(default=None, description="Bank and branch.")
    product: Annotated[Line, Field(max_length=100)] | None = Field(default=None, description="e.g. 知识价值信用贷款.")
    guarantee_type: GuaranteeType | None = None
    term_months: int | None = Field(default=None, ge=1, le=360, description="Loan term in months.")
    annual_rate: Decimal | None = Field(default=None, ge=0, le=36, max_digits=6, decimal_places=4,
                                        description="Annual interest rate in percent, e.g. 3.45.")
    interest_subsidy: Yuan | None = Field(default=None, description="贴息 granted, yuan.")
    risk_compensation: bool = Field(default=False, description="Covered by the risk-compensation pool.")


TECH_LOAN = register_program(Program(
    code="tech_loan", label="科技贷款", rule_version="tech_loan:hunan-2025", unique_per_year=False,
    description="One application per loan; a firm may hold several in a year. Maturity is valid_until.",
    details=TechLoanDetails, derived_fields=("valid_from",),
    stages=(
        Stage("requested", "已申请"), Stage("bank_review", "银行审批"), Stage("approved", "已获批"),
        Stage("disbursed", "已放款", HELD), Stage("overdue", "逾期", HELD), Stage("repaid", "已结清", CLOSED),
        Stage("rejected", "未获批", CLOSED),
    ),
    transitions=(
        Transition("bank_review", ("requested",)),
        Transition("approved", ("bank_review",),
                   requires=(Requirement("amount_approved", "批准金额"), Requirement("details.term_months", "期限(月)"),
                             Requirement("details.annual_rate", "年利率(%)")),
                   derive=_decided),
        Transition("disbursed", ("approved",),
                   requires=(Requirement("amount_disbursed", "放款金额"), Requirement("valid_until", "到期日")),
                   derive=_loan_disbursed, check=_loan_disbursed_checks),
        Transition("overdue", ("disbursed",)),
        Transition("repaid", ("disbursed", "overdue")),
        Transition("rejected", ("requested", "bank_review"), derive=_decided),
    ),
))
