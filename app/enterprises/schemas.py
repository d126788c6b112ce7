"""Request and response shapes of the registry."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, EmailStr, Field, model_validator

from app.enterprises import credit_code as codes
from app.enterprises.enums import EnterpriseStatus, Industry, TechDomain
from app.enterprises.phone import normalize_phone
from app.fields import (
    InputModel,
    Line,
    Multiline,
    PastDate,
    PatchModel,
    UtcInstant,
    Yuan,
    business_today,
    omittable,
)
from app.messages import Localized, Text
from app.pipeline.schemas import StatusSummary


def _credit_code(value: str) -> str:
    return codes.validate(value)


CreditCode = Annotated[
    str,
    Field(
        min_length=1, max_length=40,
        description="统一社会信用代码: 18 characters, GB 32100-2015 alphabet and check character. "
        "Spaces, hyphens, full-width characters and lower case are normalised.",
        examples=["91110000600037341L"],
    ),
    AfterValidator(_credit_code),
]


def _tags(value: list[str]) -> list[str]:
    cleaned: list[str] = []
    for tag in value:
        if tag not in cleaned:
            cleaned.append(tag)
    return cleaned


Tag = Annotated[Line, Field(min_length=1, max_length=30)]
Tags = Annotated[list[Tag], Field(max_length=20, description="Free labels, a set: duplicates are dropped and the "
                                                              "API returns them sorted."),
                 AfterValidator(_tags)]
Name = Annotated[Line, Field(min_length=1, max_length=200, description="企业名称, as registered.")]
District = Annotated[Line, Field(min_length=1, max_length=50, description="所属街道/乡镇.")]
Park = Annotated[Line, Field(min_length=1, max_length=100, description="所在园区.")]
def _industry_digits(value: str) -> str:
    # The written form carries the section letter (C3911); the section is its own field, the code its digits.
    return value[1:] if value[:1].isalpha() else value


IndustryCode = Annotated[str, Field(pattern=r"^[A-Ta-t]?\d{2,4}$", description="GB/T 4754 division/group code, "
                                    "2–4 digits; the written form with its section letter (C3911) is accepted and "
                                    "stored as its digits (3911)."),
                         AfterValidator(_industry_digits)]
Address = Annotated[Line, Field(min_length=1, max_length=300)]
PersonName = Annotated[Line, Field(min_length=1, max_length=50)]
OwnerId = Annotated[int, Field(ge=1, le=2_147_483_647, description="Staff user responsible (包联干部).")]


class EnterpriseCreate(InputModel):
    credit_code: CreditCode
    name: Name
    district: District
    registered_on: PastDate | None = Field(default=None, description="Date of establishment (成立日期).")
    park: Park | None = None
    industry: Industry | None = Field(default=None, description="GB/T 4754-2017 section letter A–T.")
    industry_code: IndustryCode | None = None
    tech_domain: TechDomain | None = Field(default=None, description="National high-tech domain of core products.")
    above_scale: bool = Field(default=False, description="规模以上企业 (above designated size).")
    address: Address | None = None
    legal_representative: PersonName | None = None
    owner_id: OwnerId | None = None
    tags: Tags = Field(default_factory=list)
    status: EnterpriseStatus = EnterpriseStatus.active
    notes: Multiline | None = None


class EnterpriseUpdate(PatchModel):
    credit_code: CreditCode = omittable()
    name: Name = omittable()
    district: District = omittable()
    registered_on: PastDate | None = None
    park: Park | None = None
    industry: Industry | None = None
    industry_code: IndustryCode | None = None
    tech_domain: TechDomain | None = None
    above_scale: bool = omittable()
    address: Address | None = None
    legal_representative: PersonName | None = None
    owner_id: OwnerId | None = None
    tags: Tags = omittable()
    status: EnterpriseStatus = omittable()
    notes: Multiline | None = None


class EnterpriseRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    credit_code: str
    name: str
    district: str
    registered_on: dt.date | None
    park: str | None
    industry: Industry | None
    industry_code: str | None
    tech_domain: TechDomain | None
    above_scale: bool
    address: str | None
    legal_representative: str | None
    owner_id: int | None
    tags: list[str]
    status: EnterpriseStatus
    notes: str | None
    version: int = Field(description="Increases with every change; the ETag is this number quoted.")
    created_at: dt.datetime
    updated_at: dt.datetime
    archived_at: dt.datetime | None = Field(description="Set when archived; archived firms are hidden from lists.")
    warnings: list[Localized] = Field(
        default_factory=list, description="Soft findings about the record (never block a save), in the response's "
        "language."
    )

    @model_validator(mode="after")
    def _code_warnings(self) -> EnterpriseRead:
        self.warnings = list(codes.warnings(self.credit_code))
        return self


class EnterpriseDetail(EnterpriseRead):
    """One firm with what its applications say about it today."""

    status_summary: StatusSummary = Field(
        description="Derived from the firm's applications on today's business date; not part of the ETag.")


# --- contacts -------------------------------------------------------------------------------------


def _phone(value: str) -> str:
    return normalize_phone(value)


Phone = Annotated[
    str,
    Field(min_length=1, max_length=40,
          description="Mainland mobile (13812345678) or landline with area code (0736-7788123, extension "
                      "after 转 or -). Stored in canonical form."),
    AfterValidator(_phone),
]
Email = Annotated[EmailStr, Field(max_length=254)]
Title = Annotated[Line, Field(min_length=1, max_length=50, description="职务, e.g. 财务总监.")]


class ContactCreate(InputModel):
    name: PersonName
    title: Title | None = None
    phone: Phone | None = None
    email: Email | None = None
    is_primary: bool = False
    notes: Multiline | None = None


class ContactUpdate(PatchModel):
    name: PersonName = omittable()
    title: Title | None = None
    phone: Phone | None = None
    email: Email | None = None
    is_primary: bool = omittable()
    notes: Multiline | None = None


class ContactRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    enterprise_id: int
    name: str
    title: str | None
    phone: str | None = Field(description="Masked (138****5678) for viewers.")
    email: str | None = Field(description="Masked for viewers.")
    is_primary: bool
    notes: str | None
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime


# --- annual figures -------------------------------------------------------------------------------

Count = Annotated[int, Field(ge=0, le=10_000_000)]
IpCount = Annotated[int, Field(ge=0, le=1_000_000)]


class FiguresWrite(InputModel):
    """One fiscal year's figures. Leave a figure out (or null) when it is not known: rules then say
    'unknown' instead of guessing."""

    employees: Count | None = Field(default=None, description="职工总数, average for the year.")
    tech_staff: Count | None = Field(default=None, description="科技人员数; at most employees.")
    revenue: Yuan | None = Field(default=None, description="销售收入, yuan.")
    total_cost: Yuan | None = Field(default=None, description="成本费用总额, yuan.")
    rd_expense: Yuan | None = Field(default=None, description="研发费用, yuan; at most total_cost.")
    rd_expense_domestic: Yuan | None = Field(default=None, description="境内研发费用, yuan; at most rd_expense.")
    high_tech_income: Yuan | None = Field(default=None, description="高新技术产品(服务)收入, yuan; at most revenue "
                                          "and at most total_income.")
    total_income: Yuan | None = Field(default=None, description="总收入, yuan: 收入总额 (sales, services, property "
                                      "transfers, dividends, interest, rent, royalties, donations, other income) "
                                      "minus 不征税收入 — the denominator of the high-tech income share (办法 第十一条"
                                      "第六项); without it that condition is unknown.")
    total_assets: Yuan | None = Field(default=None, description="资产总额, yuan.")
    ip_class1: IpCount | None = Field(default=None, description="Ⅰ类知识产权 count (invention patents …).")
    ip_class2: IpCount | None = Field(default=None, description="Ⅱ类知识产权 count (utility models, software …).")

    def inconsistencies(self) -> list[tuple[str, Text]]:
        """(field, reason) for every figure that contradicts another; checked before saving."""
        problems = []
        for part, whole, message in _PART_OF_WHOLE:
            part_value: Decimal | int | None = getattr(self, part)
            whole_value: Decimal | int | None = getattr(self, whole)
            if part_value is not None and whole_value is not None and part_value > whole_value:
                problems.append((part, Text(f"{message} ({part_value} > {whole_value})",
                                            f"{message.zh}（{part_value} > {whole_value}）")))
        return problems


_PART_OF_WHOLE = (
    ("tech_staff", "employees", Text("tech staff cannot exceed employees", "科技人员不能多于从业人员")),
    ("rd_expense_domestic", "rd_expense", Text("domestic R&D expense cannot exceed total R&D expense",
                                               "境内研发费用不能超过研发费用")),
    ("rd_expense", "total_cost", Text("R&D expense is part of total costs and cannot exceed them",
                                      "研发费用是成本费用的一部分，不能超过成本费用总额")),
    ("high_tech_income", "revenue", Text("high-tech product income cannot exceed revenue",
                                         "高新技术产品收入不能超过营业收入")),
    ("high_tech_income", "total_income", Text("high-tech product income is part of total income and cannot exceed it",
                                              "高新技术产品收入是总收入的一部分，不能超过总收入")),
)


def validate_year(year: int) -> int:
    latest = business_today().year
    if not 1990 <= year <= latest:
        raise ValueError(Text(f"year must be between 1990 and {latest}", f"年度应在 1990 至 {latest} 之间"))
    return year


class FiguresRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    enterprise_id: int
    year: int
    employees: int | None
    tech_staff: int | None
    revenue: Decimal | None
    total_cost: Decimal | None
    rd_expense: Decimal | None
    rd_expense_domestic: Decimal | None
    high_tech_income: Decimal | None
    total_income: Decimal | None
    total_assets: Decimal | None
    ip_class1: int | None
    ip_class2: int | None
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime


class EnterpriseFilter(BaseModel):
    """Query parameters of the firm list. Repeat a parameter to match any of several values."""

    q: str | None = Field(
        default=None, max_length=100,
        description="Words, separated by spaces, that a firm must all match: each one part of its name "
        "(Chinese substring), the start of its credit code or part of a contact's name.",
    )
    id: list[Annotated[int, Field(ge=1, le=2_147_483_647)]] = Field(
        default_factory=list, max_length=200,
        description="Firm ids; repeatable (?id=3&id=8): fetch the firms a page of other records names.")
    district: list[str] = Field(default_factory=list, description="所属街道/乡镇; repeatable.")
    park: list[str] = Field(default_factory=list, description="园区; repeatable.")
    industry: list[Industry] = Field(default_factory=list, description="GB/T 4754 section; repeatable.")
    tech_domain: list[TechDomain] = Field(default_factory=list, description="Repeatable.")
    above_scale: bool | None = None
    owner_id: int | None = Field(default=None, ge=1, le=2_147_483_647)
    tag: list[str] = Field(default_factory=list, description="Firms carrying any of these tags; repeatable.")
    status: list[EnterpriseStatus] = Field(default_factory=list, description="Repeatable.")
    updated_since: UtcInstant | None = Field(
        default=None,
        description="Only rows changed at or after this instant (ISO-8601; without an offset it is UTC). "
        "Combine with include_archived=true to see archivals too.",
    )
    include_archived: bool = False
    sort: str | None = Field(
        default=None, max_length=200,
        description="Comma-separated fields, '-' for descending: id, name, credit_code, district, "
        "registered_on, created_at, updated_at. Default: id.",
    )


class FiguresFilter(BaseModel):
    """Query parameters of the annual-figures export: the years, and which firms (as in the firm list)."""

    year: list[Annotated[int, Field(ge=1990, le=2200)]] = Field(default_factory=list, description="Repeatable.")
    enterprise_id: list[Annotated[int, Field(ge=1, le=2_147_483_647)]] = Field(
        default_factory=list, max_length=200, description="Repeatable.")
    district: list[str] = Field(default_factory=list, description="所属街道/乡镇; repeatable.")
    park: list[str] = Field(default_factory=list, description="园区; repeatable.")
    industry: list[Industry] = Field(default_factory=list, description="GB/T 4754 section; repeatable.")
    tech_domain: list[TechDomain] = Field(default_factory=list, description="Repeatable.")
    above_scale: bool | None = None
    owner_id: int | None = Field(default=None, ge=1, le=2_147_483_647)
    tag: list[str] = Field(default_factory=list, description="Firms carrying any of these tags; repeatable.")
    status: list[EnterpriseStatus] = Field(default_factory=list, description="Repeatable.")
    updated_since: UtcInstant | None = Field(
        default=None, description="Only figures changed at or after this instant (ISO-8601; without an offset UTC).")
    include_archived: bool = Field(default=False, description="Include the figures of archived firms.")

    def firms(self) -> EnterpriseFilter:
        return EnterpriseFilter(
            id=self.enterprise_id, district=self.district, park=self.park, industry=self.industry,
            tech_domain=self.tech_domain, above_scale=self.above_scale, owner_id=self.owner_id, tag=self.tag,
            status=self.status, include_archived=self.include_archived)
