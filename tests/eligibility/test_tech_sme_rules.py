"""tech_sme:2022 band by band. Each case names the rule row of shared/domain/tech-sme.md it checks."""

from __future__ import annotations

from decimal import Decimal

import pytest

from app.eligibility import tech_sme, tech_sme_rules
from app.eligibility.outcome import Verdict
from app.eligibility.schemas import Claims, Indicator, TechSmeEvaluation
from tests.eligibility.builders import facts, figures

D = Decimal
# The firm states it has none of the direct-confirmation routes: the score alone decides.
DENIED = Claims(high_tech_certificate=False, national_award=False, provincial_rd_institution=False,
                led_standard=False)
# Denominators so large that the other R&D ratio scores nothing.
HUGE = D("900000000000.00")


def indicator(result: TechSmeEvaluation, code: str) -> Indicator:
    return next(i for i in [*result.indicators, *result.conditions, *result.direct_confirmation] if i.code == code)


class TestTechStaffBands:
    @pytest.mark.parametrize(("tech_staff", "employees", "points"), [
        pytest.param(30, 100, 20, id="科技人员占比 ≥30% → 20 (exactly 30%)"),
        pytest.param(2999, 10000, 16, id="25–<30% → 16 (29.99%)"),
        pytest.param(25, 100, 16, id="25–<30% → 16 (exactly 25%)"),
        pytest.param(2499, 10000, 12, id="20–<25% → 12 (24.99%)"),
        pytest.param(20, 100, 12, id="20–<25% → 12 (exactly 20%)"),
        pytest.param(1999, 10000, 8, id="15–<20% → 8 (19.99%)"),
        pytest.param(15, 100, 8, id="15–<20% → 8 (exactly 15%)"),
        pytest.param(1499, 10000, 4, id="10–<15% → 4 (14.99%)"),
        pytest.param(10, 100, 4, id="10–<15% → 4 (exactly 10%)"),
        pytest.param(999, 10000, 0, id="<10% → 0 (9.99%)"),
        pytest.param(0, 100, 0, id="<10% → 0 (no tech staff)"),
        pytest.param(1, 3, 20, id="≥30% → 20 (1/3, a non-terminating share)"),
    ])
    def test_band(self, tech_staff: int, employees: int, points: int) -> None:
        result = tech_sme.evaluate(figures(tech_staff=tech_staff, employees=employees), facts())
        assert indicator(result, "tech_staff_share").points == points

    def test_gap_counts_new_hires_as_employees(self) -> None:
        # 18/100 = 18% → 8 points; 20% needs (18+x)/(100+x) ≥ 0.2 → x ≥ 2.5 → 3 people.
        found = indicator(tech_sme.evaluate(figures(tech_staff=18, employees=100), facts()), "tech_staff_share")
        assert (found.points, found.gap, found.gap_unit) == (8, D(3), "people")
        assert "再增加 3 名科技人员可达 20% 档" in found.note


class TestRdBands:
    @pytest.mark.parametrize(("rd", "revenue", "points"), [
        pytest.param("3000000.00", "50000000.00", 50, id="研发费用÷销售收入 ≥6% → 50 (exactly 6%)"),
        pytest.param("2999999.99", "50000000.00", 40, id="5–<6% → 40 (just under 6%)"),
        pytest.param("2500000.00", "50000000.00", 40, id="5–<6% → 40 (exactly 5% at ¥50,000,000)"),
        pytest.param("2499999.99", "50000000.00", 30, id="4–<5% → 30 (just under 5%)"),
        pytest.param("2000000.00", "50000000.00", 30, id="4–<5% → 30 (exactly 4%)"),
        pytest.param("1500000.00", "50000000.00", 20, id="3–<4% → 20 (exactly 3%)"),
        pytest.param("1000000.00", "50000000.00", 10, id="2–<3% → 10 (exactly 2%)"),
        pytest.param("999999.99", "50000000.00", 0, id="<2% → 0 (just under 2%)"),
    ])
    def test_by_revenue(self, rd: str, revenue: str, points: int) -> None:
        result = tech_sme.evaluate(figures(rd_expense=D(rd), revenue=D(revenue), total_cost=HUGE), facts())
        assert indicator(result, "rd_intensity").points == points

    @pytest.mark.parametrize(("rd", "total_cost", "points"), [
        pytest.param("3000000.00", "10000000.00", 50, id="研发费用÷成本费用总额 ≥30% → 50 (exactly 30%)"),
        pytest.param("2999999.99", "10000000.00", 40, id="25–<30% → 40 (just under 30%)"),
        pytest.param("2500000.00", "10000000.00", 40, id="25–<30% → 40 (exactly 25%)"),
        pytest.param("2000000.00", "10000000.00", 30, id="20–<25% → 30 (exactly 20%)"),
        pytest.param("1999999.99", "10000000.00", 20, id="15–<20% → 20 (just under 20%)"),
        pytest.param("1500000.00", "10000000.00", 20, id="15–<20% → 20 (exactly 15%)"),
        pytest.param("1000000.00", "10000000.00", 10, id="10–<15% → 10 (exactly 10%)"),
        pytest.param("999999.99", "10000000.00", 0, id="<10% → 0 (just under 10%)"),
    ])
    def test_by_total_cost(self, rd: str, total_cost: str, points: int) -> None:
        result = tech_sme.evaluate(figures(rd_expense=D(rd), revenue=HUGE, total_cost=D(total_cost)), facts())
        assert indicator(result, "rd_intensity").points == points

    @pytest.mark.parametrize(("rd", "revenue", "total_cost", "points"), [
        pytest.param("500000", "10000000", "2500000", 40, id="the better of two: 5% of revenue (40) over 20% of cost"),
        pytest.param("300000", "15000000", "1000000", 50, id="the better of two: 30% of cost (50) over 2% of revenue"),
        pytest.param("100000", "0", "1000000", 10, id="no sales revenue: only the cost ratio scores (10%)"),
    ])
    def test_better_of_two(self, rd: str, revenue: str, total_cost: str, points: int) -> None:
        result = tech_sme.evaluate(figures(rd_expense=D(rd), revenue=D(revenue), total_cost=D(total_cost)), facts())
        assert indicator(result, "rd_intensity").points == points

    def test_one_ratio_missing_gives_bounds_not_a_guess(self) -> None:
        result = tech_sme.evaluate(figures(rd_expense=D("2000000"), revenue=D("50000000"), total_cost=None), facts())
        found = indicator(result, "rd_intensity")
        assert found.points is None
        assert found.missing == ["2025 成本费用总额"]
        assert (result.score, result.score_min, result.score_max) == (None, 80, 100)

    def test_gap_is_the_cheaper_ratio(self) -> None:
        # 4% of revenue (30 points): 5% needs 2,000,000 more; the cost route would need far more.
        result = tech_sme.evaluate(figures(rd_expense=D("2000000"), revenue=D("50000000"), total_cost=D("45000000")),
                                   facts())
        found = indicator(result, "rd_intensity")
        assert (found.points, found.gap, found.gap_unit) == (30, D("500000.00"), "yuan")


class TestIpPoints:
    @pytest.mark.parametrize(("class1", "class2", "points"), [
        pytest.param(1, 0, 30, id="≥1 class Ⅰ → 30"),
        pytest.param(3, 9, 30, id="≥1 class Ⅰ → 30 (class Ⅱ adds nothing)"),
        pytest.param(0, 5, 24, id="class Ⅱ ≥4 → 24 (five)"),
        pytest.param(0, 4, 24, id="class Ⅱ ≥4 → 24 (exactly four)"),
        pytest.param(0, 3, 18, id="class Ⅱ 3 → 18"),
        pytest.param(0, 2, 12, id="class Ⅱ 2 → 12"),
        pytest.param(0, 1, 6, id="class Ⅱ 1 → 6"),
        pytest.param(0, 0, 0, id="none → 0"),
        pytest.param(2, None, 30, id="≥1 class Ⅰ → 30 even with class Ⅱ unknown"),
    ])
    def test_points(self, class1: int, class2: int | None, points: int) -> None:
        result = tech_sme.evaluate(figures(ip_class1=class1, ip_class2=class2), facts())
        assert indicator(result, "ip").points == points

    def test_unknown_class1_bounds_the_score(self) -> None:
        result = tech_sme.evaluate(figures(ip_class1=None, ip_class2=2), facts())
        assert indicator(result, "ip").points is None
        assert (result.score_min, result.score_max) == (82, 100)


class TestBasicConditions:
    @pytest.mark.parametrize(("field", "value", "status"), [
        pytest.param("employees", 500, Verdict.passed, id="条件二 职工总数 ≤ 500 (exactly 500)"),
        pytest.param("employees", 501, Verdict.failed, id="条件二 职工总数 ≤ 500 (501)"),
        pytest.param("revenue", D("200000000.00"), Verdict.passed, id="条件二 销售收入 ≤ ¥200,000,000 (exactly)"),
        pytest.param("revenue", D("200000000.01"), Verdict.failed, id="条件二 销售收入 ≤ ¥200,000,000 (one fen over)"),
        pytest.param("total_assets", D("200000000.00"), Verdict.passed, id="条件二 资产总额 ≤ ¥200,000,000 (exactly)"),
        pytest.param("total_assets", D("200000000.01"), Verdict.failed, id="条件二 资产总额 ≤ ¥200,000,000 (over)"),
        pytest.param("total_assets", None, Verdict.unknown, id="条件二 资产总额 not reported"),
    ])
    def test_caps(self, field: str, value: Decimal | int | None, status: Verdict) -> None:
        result = tech_sme.evaluate(figures(**{field: value}), facts())
        assert indicator(result, f"{field}_cap").status is status
        if status is Verdict.failed:
            assert result.outcome is Verdict.failed

    @pytest.mark.parametrize(("industry", "code", "status"), [
        pytest.param("F", None, Verdict.failed, id="条件三 wholesale & retail (F)"),
        pytest.param("H", "61", Verdict.failed, id="条件三 accommodation & catering (H)"),
        pytest.param("K", None, Verdict.failed, id="条件三 real estate (K)"),
        pytest.param("L", "72", Verdict.failed, id="条件三 leasing & business services (L)"),
        pytest.param("C", "16", Verdict.failed, id="条件三 tobacco (C16)"),
        pytest.param("C", "1610", Verdict.failed, id="条件三 tobacco (C1610)"),
        pytest.param("R", "90", Verdict.failed, id="条件三 entertainment (R90)"),
        pytest.param("R", "88", Verdict.passed, id="条件三 culture & arts (R88) is not excluded"),
        pytest.param("C", "39", Verdict.passed, id="条件三 electronics (C39) is not excluded"),
        pytest.param("M", None, Verdict.passed, id="条件三 research & technical services (M)"),
        pytest.param("C", None, Verdict.unknown, id="条件三 manufacturing without a division cannot rule out C16"),
        pytest.param(None, None, Verdict.unknown, id="条件三 no industry recorded"),
    ])
    def test_industry(self, industry: str | None, code: str | None, status: Verdict) -> None:
        result = tech_sme.evaluate(figures(), facts(industry=industry, industry_code=code))
        assert indicator(result, "industry").status is status


class TestScoreThreshold:
    def test_exactly_60_passes(self) -> None:
        # 15% staff (8) + 5% R&D (40) + two class Ⅱ (12) = 60
        result = tech_sme.evaluate(figures(tech_staff=15, rd_expense=D("2000000"), revenue=D("40000000"),
                                           total_cost=HUGE, ip_class1=0, ip_class2=2), facts())
        assert (result.score, result.outcome) == (60, Verdict.passed)

    def test_58_fails_with_the_points_missing(self) -> None:
        # 20% staff (12) + 5% R&D (40) + one class Ⅱ (6) = 58
        result = tech_sme.evaluate(figures(tech_staff=20, rd_expense=D("2000000"), revenue=D("40000000"),
                                           total_cost=HUGE, ip_class1=0, ip_class2=1), facts(), DENIED)
        assert (result.score, result.outcome, result.blocking) == (58, Verdict.failed, ["score"])
        assert indicator(result, "score").gap == D(2)

    def test_short_score_is_unknown_overall_until_direct_routes_are_denied(self) -> None:
        result = tech_sme.evaluate(figures(tech_staff=20, rd_expense=D("2000000"), revenue=D("40000000"),
                                           total_cost=HUGE, ip_class1=0, ip_class2=1), facts())
        assert (result.outcome, result.score_outcome, result.blocking) == (Verdict.unknown, Verdict.failed, ["score"])
        assert result.summary.startswith("按评分不符合")

    def test_the_documented_example_passes_without_ip(self) -> None:
        # tech-sme.md: staff 20% (12) + R&D/sales 6% (50) = 62 → passes with no IP at all.
        result = tech_sme.evaluate(figures(tech_staff=20, rd_expense=D("2400000"), revenue=D("40000000"),
                                           total_cost=HUGE, ip_class1=0, ip_class2=0), facts())
        assert (result.score, result.outcome) == (62, Verdict.passed)

    def test_zero_tech_staff_points_fail_even_with_80(self) -> None:
        # 条件五: the tech-staff indicator must score more than 0.
        result = tech_sme.evaluate(figures(tech_staff=9, employees=100), facts(), DENIED)
        assert result.score == 80
        assert (result.outcome, result.blocking) == (Verdict.failed, ["tech_staff_points"])
        assert indicator(result, "tech_staff_points").gap == D(2)

    def test_no_tech_staff_fails_even_without_a_headcount(self) -> None:
        result = tech_sme.evaluate(figures(tech_staff=0, employees=None), facts(), DENIED)
        assert indicator(result, "tech_staff_share").points == 0
        assert (result.outcome, result.blocking) == (Verdict.failed, ["tech_staff_points"])

    def test_missing_figures_are_named_not_guessed(self) -> None:
        result = tech_sme.evaluate(figures(rd_expense=None, tech_staff=None), facts())
        assert result.outcome is Verdict.unknown
        assert result.score is None
        assert {"2025 研发费用", "2025 科技人员数"} <= set(result.missing)


class TestDirectConfirmation:
    def test_unknown_unless_stated(self) -> None:
        result = tech_sme.evaluate(figures(), facts())
        assert {d.status for d in result.direct_confirmation} == {Verdict.unknown}

    def test_a_certificate_qualifies_a_low_score(self) -> None:
        low = figures(tech_staff=5, rd_expense=D(0), ip_class1=0, ip_class2=0)
        assert tech_sme.evaluate(low, facts(), DENIED).outcome is Verdict.failed
        result = tech_sme.evaluate(low, facts(), Claims(high_tech_certificate=True))
        assert (result.outcome, result.blocking) == (Verdict.passed, [])
        assert "直接确认" in result.summary

    def test_direct_confirmation_still_needs_the_size_caps(self) -> None:
        result = tech_sme.evaluate(figures(employees=800, tech_staff=300), facts(), Claims(led_standard=True))
        assert (result.outcome, result.blocking) == (Verdict.failed, ["employees_cap"])

    def test_all_routes_denied_leaves_the_score(self) -> None:
        result = tech_sme.evaluate(figures(), facts(), DENIED)
        assert {d.status for d in result.direct_confirmation} == {Verdict.failed}
        assert result.outcome is Verdict.passed


class TestRuleVersion:
    def test_every_result_names_its_version(self) -> None:
        result = tech_sme.evaluate(figures(), facts())
        assert result.rule_version == "tech_sme:2022.1"
        assert all(i.rule.startswith("tech_sme:2022.1 ") for i in [*result.indicators, *result.conditions])

    def test_the_2022_table_still_evaluates_under_its_own_name(self) -> None:
        result = tech_sme.evaluate(figures(), facts(), rules=tech_sme_rules.TECH_SME_2022)
        assert result.rule_version == "tech_sme:2022"
        assert len(result.declarations) == len(tech_sme_rules.TECH_SME_2022_1.declarations) - 1

    def test_condition_three_catalogue_is_a_declaration(self) -> None:
        # 2025 MIIT notice: 《产业结构调整指导目录》 restricted/eliminated classes — the firm declares it.
        result = tech_sme.evaluate(figures(), facts())
        assert any("产业结构调整指导目录" in d and "声明" in d for d in result.declarations)
