"""Hand-computed cases from the official texts: firm figures → verdict, each citing the rule it checks.

Any later change of the rules must keep every row passing; a row that must change is a rule change, and
comes with a new rule version. Sources: shared/domain/tech-sme.md, high-tech.md, corrections-2026-11.md.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal as D
from typing import Any

import pytest

from app.eligibility import high_tech, tech_sme
from app.eligibility.outcome import Verdict
from app.eligibility.schemas import Claims, Evaluation, FirmFacts, IpLedger, TechSmeEvaluation, YearFigures
from app.pipeline.programs import high_tech_validity, revocation_bar

YEAR = 2025
AS_OF = dt.date(2026, 6, 30)
PASS, FAIL, UNKNOWN = Verdict.passed, Verdict.failed, Verdict.unknown


@dataclass(frozen=True)
class Case:
    rule: str
    program: str  # tech_sme | high_tech
    figures: dict[str, Any]
    check: str  # a condition or indicator code, "outcome" or "score_outcome"
    expected: Verdict | int
    facts: dict[str, Any] = field(default_factory=dict)
    claims: dict[str, Any] = field(default_factory=dict)


# A firm that meets every condition; each case changes only what it is about.
BASE: dict[str, Any] = {
    "employees": 100, "tech_staff": 30, "revenue": D("40000000"), "total_income": D("42000000"),
    "total_cost": D("36000000"), "rd_expense": D("2400000"), "rd_expense_domestic": D("2400000"),
    "high_tech_income": D("30000000"), "total_assets": D("50000000"), "ip_class1": 1, "ip_class2": 3,
}
FACTS: dict[str, Any] = {"registered_on": dt.date(2015, 3, 1), "industry": "C", "industry_code": "39",
                         "tech_domain": "electronic_information"}

CASES = [
    # --- tech_sme:2022.1 (《科技型中小企业评价办法》 国科发政〔2017〕115号; tech-sme.md) ---------------------
    Case("评价办法 条件五 + 评分表: 科技人员 20% 得12分 + 研发/销售 6% 得50分 + 无知识产权 0分 = 62 ≥ 60 → 入库",
         "tech_sme", {"tech_staff": 20, "ip_class1": 0, "ip_class2": 0}, "score_outcome", PASS),
    Case("评分表 科技人员占比 <10% 得0分 → 条件五 科技人员指标得分不得为0: 9/100 不符合",
         "tech_sme", {"tech_staff": 9}, "tech_staff_points", FAIL),
    Case("条件二 职工总数 ≤ 500: 501 人不符合", "tech_sme", {"employees": 501}, "employees_cap", FAIL),
    Case("条件二 年销售收入 ≤ 2亿元: 恰为 2亿元 符合", "tech_sme", {"revenue": D("200000000")}, "revenue_cap", PASS),
    Case("条件二 年销售收入 ≤ 2亿元: 2亿元又0.01元 不符合", "tech_sme", {"revenue": D("200000000.01")},
         "revenue_cap", FAIL),
    Case("条件二 资产总额 ≤ 2亿元: 2.5亿元 不符合", "tech_sme", {"total_assets": D("250000000")}, "total_assets_cap",
         FAIL),
    Case("条件三 财税〔2015〕119号: 批发和零售业 (F) 不能参加评价", "tech_sme", {}, "industry", FAIL,
         facts={"industry": "F", "industry_code": "51"}),
    Case("条件三 财税〔2015〕119号: 烟草制品业 (C16) 不能参加评价", "tech_sme", {}, "industry", FAIL,
         facts={"industry_code": "16"}),
    Case("条件三: 行业代码的书写形式 (C3911) 按 39 大类判断，不受限制", "tech_sme", {}, "industry", PASS,
         facts={"industry_code": "3911"}),
    Case("评分表 研发投入 两个比例取高者: 研发/销售 3% (20分) 与 研发/成本费用 30% (50分) → 50分",
         "tech_sme", {"rd_expense": D("3000000"), "revenue": D("100000000"), "total_cost": D("10000000"),
                      "total_income": D("100000000")}, "rd_intensity", 50),
    Case("评分表 知识产权: Ⅱ类 4件 24分", "tech_sme", {"ip_class1": 0, "ip_class2": 4}, "ip", 24),
    Case("评分表 知识产权: Ⅱ类 3件 18分", "tech_sme", {"ip_class1": 0, "ip_class2": 3}, "ip", 18),
    Case("评分表 知识产权: Ⅰ类 1件 30分", "tech_sme", {"ip_class1": 1, "ip_class2": 0}, "ip", 30),
    Case("评价办法 第八条 直接确认: 评分不足但持有有效期内的高新技术企业证书（登记系统记录）→ 入库",
         "tech_sme", {"tech_staff": 0}, "outcome", PASS,
         facts={"direct_routes": {"high_tech_certificate": "高新技术企业证书 GR202343000240 有效期至 2026-12-07"}}),
    Case("评价办法 第八条 直接确认 仍须符合条件一至四: 职工 600 人不符合", "tech_sme", {"employees": 600},
         "outcome", FAIL, facts={"direct_routes": {"high_tech_certificate": "GR202343000240"}}),
    Case("2025年工信部通知: 弄虚作假被撤销 → 三年内不得参与评价", "tech_sme", {}, "outcome", FAIL,
         facts={"bars": {"tech_sme": "2025-07-01 被撤销：三年内不得参与评价，至 2028-06-30 止"}}),
    # --- high_tech:2016.1 (《高新技术企业认定管理办法》 国科发火〔2016〕32号 第十一条; high-tech.md) ------------
    Case("第十一条第六项 高新技术产品收入 ÷ 总收入 ≥ 60%: 销售 4500万、其他应税收入 600万、高品收入 3000万 → "
         "30 ÷ 51 = 58.8% 不符合", "high_tech",
         {"revenue": D("45000000"), "total_income": D("51000000"), "high_tech_income": D("30000000")},
         "high_tech_income_share", FAIL),
    Case("第十一条第六项: 3060万 ÷ 5100万 = 60% 符合", "high_tech",
         {"revenue": D("45000000"), "total_income": D("51000000"), "high_tech_income": D("30600000")},
         "high_tech_income_share", PASS),
    Case("第十一条第六项: 未登记总收入 → 无法判断（不按销售收入计）", "high_tech", {"total_income": None},
         "high_tech_income_share", UNKNOWN),
    Case("第十一条第五项 最近一年销售收入 ≤ 5000万 须 ≥ 5%: 三年研发 750万 ÷ 销售 1.5亿 = 5% 符合", "high_tech",
         {"revenue": D("50000000"), "total_income": D("50000000"), "rd_expense": D("2500000"),
          "rd_expense_domestic": D("2500000"), "total_cost": D("45000000")}, "rd_intensity", PASS),
    Case("第十一条第五项 ≤ 5000万 须 ≥ 5%: 三年研发 749.97万 ÷ 1.5亿 < 5% 不符合", "high_tech",
         {"revenue": D("50000000"), "total_income": D("50000000"), "rd_expense": D("2499900"),
          "rd_expense_domestic": D("2499900"), "total_cost": D("45000000")}, "rd_intensity", FAIL),
    Case("第十一条第五项 5000万–2亿 须 ≥ 4%: 销售 1亿、研发 4% 符合", "high_tech",
         {"revenue": D("100000000"), "total_income": D("100000000"), "high_tech_income": D("80000000"),
          "rd_expense": D("4000000"), "rd_expense_domestic": D("4000000"), "total_cost": D("90000000")},
         "rd_intensity", PASS),
    Case("第十一条第五项 > 2亿 须 ≥ 3%: 销售 3亿、研发 3% 符合", "high_tech",
         {"revenue": D("300000000"), "total_income": D("300000000"), "high_tech_income": D("200000000"),
          "rd_expense": D("9000000"), "rd_expense_domestic": D("9000000"), "total_cost": D("280000000")},
         "rd_intensity", PASS),
    Case("第十一条第五项 境内研发费用 ≥ 60%: 59% 不符合", "high_tech", {"rd_expense_domestic": D("1416000")},
         "rd_domestic_share", FAIL),
    Case("第十一条第四项 科技人员 ≥ 10%: 10/100 符合", "high_tech", {"tech_staff": 10}, "tech_staff_share", PASS),
    Case("第十一条第四项 科技人员 ≥ 10%: 9/100 不符合", "high_tech", {"tech_staff": 9}, "tech_staff_share", FAIL),
    Case("第十一条第七项 创新能力评价 70分以上（不含70分）: 70 分不符合", "high_tech", {}, "innovation_score", FAIL,
         claims={"innovation_score": D("70")}),
    Case("第十一条第七项: 70.5 分符合", "high_tech", {}, "innovation_score", PASS,
         claims={"innovation_score": D("70.5")}),
    Case("第十一条第一项 注册成立一年以上: 364 天不符合", "high_tech", {}, "registered_age", FAIL,
         facts={"registered_on": AS_OF - dt.timedelta(days=364)}),
    Case("工作指引 Ⅱ类知识产权仅限使用一次: 重新认定时 3 件实用新型均已用过、无Ⅰ类 → 不符合", "high_tech",
         {"ip_class1": 0, "ip_class2": 3}, "ip_owned", FAIL,
         facts={"ip_ledger": IpLedger(class1=0, class2=3, class2_unused=0)}),
    Case("工作指引: Ⅰ类知识产权在有效期内可重复使用", "high_tech", {"ip_class1": 0, "ip_class2": 0}, "ip_owned",
         PASS, facts={"ip_ledger": IpLedger(class1=1, class2=3, class2_unused=0)}),
    Case("办法 第十九条: 因累计两年未填报年报被取消资格 → 五年内不得再次申请认定", "high_tech", {}, "outcome",
         FAIL, facts={"bars": {"high_tech": "2024-03-01 被撤销：五年内不得再次申请认定，至 2029-02-28 止"}}),
]


def _evaluate(case: Case) -> Evaluation:
    figures = {y: YearFigures(year=y, **{**BASE, **case.figures}) for y in range(YEAR - 2, YEAR + 1)}
    facts = FirmFacts(**{**FACTS, **case.facts})
    claims = Claims(**case.claims)
    if case.program == "tech_sme":
        return tech_sme.evaluate(figures[YEAR], facts, claims)
    return high_tech.evaluate(figures, facts, YEAR, as_of=AS_OF, claims=claims)


@pytest.mark.parametrize("case", [pytest.param(c, id=c.rule) for c in CASES])
def test_hand_computed_case(case: Case) -> None:
    result = _evaluate(case)
    assert result.rule_version in ("tech_sme:2022.1", "high_tech:2016.1")
    if case.check == "outcome":
        assert result.outcome is case.expected
        return
    if case.check == "score_outcome":
        assert isinstance(result, TechSmeEvaluation)
        assert result.score_outcome is case.expected
        return
    found = next(i for i in [*result.conditions, *getattr(result, "indicators", [])] if i.code == case.check)
    if isinstance(case.expected, Verdict):
        assert found.status is case.expected, found.note
    else:
        assert found.points == case.expected, found.note


@pytest.mark.parametrize(("issued", "until"), [
    pytest.param(dt.date(2023, 12, 8), dt.date(2026, 12, 7),
                 id="办法: 有效期三年，自颁发证书之日起: 2023-12-08 → 2026-12-07"),
    pytest.param(dt.date(2024, 2, 29), dt.date(2027, 2, 28), id="民法典 第二百零三条: 2024-02-29 + 3年 → 2027-02-28"),
])
def test_certificate_validity(issued: dt.date, until: dt.date) -> None:
    assert high_tech_validity(issued)[1] == until


@pytest.mark.parametrize(("program", "reason", "revoked", "until"), [
    pytest.param("tech_sme", "other", dt.date(2025, 7, 1), dt.date(2025, 12, 31),
                 id="2019年通知: 被撤销登记编号的企业当年不得再次参与评价"),
    pytest.param("tech_sme", "fraud", dt.date(2025, 7, 1), dt.date(2028, 6, 30),
                 id="2025年工信部通知: 弄虚作假 三年内不得参与评价"),
    pytest.param("high_tech", "missed_reports", dt.date(2024, 3, 1), dt.date(2029, 2, 28),
                 id="办法 第十九条: 五年内不得再次申请认定"),
])
def test_revocation_bars(program: str, reason: str, revoked: dt.date, until: dt.date) -> None:
    bar = revocation_bar(program, reason, revoked)
    assert bar is not None
    assert bar[0] == until
