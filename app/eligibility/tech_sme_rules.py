"""The rule tables of 科技型中小企业评价 (tech-SME evaluation): caps, score bands, excluded industries and
declarations, each table named by its version.

Source: 《科技型中小企业评价办法》 国科发政〔2017〕115号 and 国科火字〔2022〕67号, as summarised in
``shared/domain/tech-sme.md``. A changed rule is a new ``TechSmeRules`` value, not an edit of this one.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal


@dataclass(frozen=True, slots=True)
class RdBand:
    by_revenue: Decimal  # R&D ÷ sales revenue at least this …
    by_cost: Decimal  # … or R&D ÷ total costs at least this
    points: int


@dataclass(frozen=True, slots=True)
class TechSmeRules:
    version: str
    max_employees: int
    max_revenue: Decimal
    max_assets: Decimal
    pass_score: int
    tech_staff_bands: tuple[tuple[Decimal, int], ...]  # (minimum share, points), best first
    rd_bands: tuple[RdBand, ...]  # best first
    ip_class1_points: int  # for one or more class Ⅰ items
    ip_class2_bands: tuple[tuple[int, int], ...]  # (minimum count, points), best first
    excluded_sections: frozenset[str]  # GB/T 4754 sections refused outright
    excluded_divisions: frozenset[tuple[str, str]]  # (section, 2-digit division)
    declarations: tuple[str, ...]


TECH_SME_2022 = TechSmeRules(
    version="tech_sme:2022",
    max_employees=500,
    max_revenue=Decimal(200_000_000),
    max_assets=Decimal(200_000_000),
    pass_score=60,
    tech_staff_bands=(
        (Decimal("0.30"), 20), (Decimal("0.25"), 16), (Decimal("0.20"), 12), (Decimal("0.15"), 8),
        (Decimal("0.10"), 4),
    ),
    rd_bands=(
        RdBand(Decimal("0.06"), Decimal("0.30"), 50), RdBand(Decimal("0.05"), Decimal("0.25"), 40),
        RdBand(Decimal("0.04"), Decimal("0.20"), 30), RdBand(Decimal("0.03"), Decimal("0.15"), 20),
        RdBand(Decimal("0.02"), Decimal("0.10"), 10),
    ),
    ip_class1_points=30,
    ip_class2_bands=((4, 24), (3, 18), (2, 12), (1, 6)),
    # 财税〔2015〕119号: industries without the R&D super-deduction (tobacco C16, accommodation &
    # catering H, wholesale & retail F, real estate K, leasing & business services L, entertainment R90).
    excluded_sections=frozenset({"F", "H", "K", "L"}),
    excluded_divisions=frozenset({("C", "16"), ("R", "90")}),
    declarations=(
        "在中国境内注册的居民企业，查账征收企业所得税，能够归集研发费用（条件一）",
        "上一会计年度至当年未发生重大安全、重大质量事故、严重环境违法、科研严重失信行为，且未列入经营异常名录和严重违法失信名单（条件四）",
    ),
)

# The 2022 table read again against the official texts: the same bands and caps; condition 3 also excludes
# the restricted and eliminated classes of 《产业结构调整指导目录》 (quoted in the 2025 MIIT notice), which
# the firm declares; the direct-confirmation routes Seedbed holds records of (a high-tech certificate in
# force) are confirmed from them.
TECH_SME_2022_1 = replace(
    TECH_SME_2022,
    version="tech_sme:2022.1",
    declarations=(
        *TECH_SME_2022.declarations,
        "主营业务不属于《产业结构调整指导目录》限制类、淘汰类（条件三，企业声明）",
    ),
)
CURRENT = TECH_SME_2022_1
