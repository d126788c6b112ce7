"""high_tech:2016.1 condition by condition. Each case names the clause of 办法 第十一条 (shared/domain/high-tech.md)
it checks."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from app.eligibility import high_tech
from app.eligibility.outcome import Verdict
from app.eligibility.schemas import Claims, HighTechEvaluation, Indicator
from tests.eligibility.builders import AS_OF, YEAR, facts, figures, years

D = Decimal


def condition(result: HighTechEvaluation, code: str) -> Indicator:
    return next(c for c in result.conditions if c.code == code)


def evaluate(claims: Claims | None = None, facts_: dict[str, Any] | None = None, **overrides: Any
             ) -> HighTechEvaluation:
    return high_tech.evaluate(years(**overrides), facts(**(facts_ or {})), YEAR, as_of=AS_OF, claims=claims)


class TestRegistrationAge:
    @pytest.mark.parametrize(("days", "status"), [
        pytest.param(365, Verdict.passed, id="第一项 注册成立 ≥ 365 天 (exactly 365)"),
        pytest.param(364, Verdict.failed, id="第一项 注册成立 ≥ 365 天 (364)"),
        pytest.param(3000, Verdict.passed, id="第一项 注册成立 ≥ 365 天 (years)"),
    ])
    def test_days(self, days: int, status: Verdict) -> None:
        result = evaluate(facts_={"registered_on": AS_OF - dt.timedelta(days=days)})
        assert condition(result, "registered_age").status is status

    def test_gap_in_days(self) -> None:
        found = condition(evaluate(facts_={"registered_on": AS_OF - dt.timedelta(days=300)}), "registered_age")
        assert (found.gap, found.gap_unit) == (D(65), "days")

    def test_unknown_without_a_date(self) -> None:
        found = condition(evaluate(facts_={"registered_on": None}), "registered_age")
        assert (found.status, found.missing) == (Verdict.unknown, ["成立日期"])


class TestTechStaffShare:
    @pytest.mark.parametrize(("tech_staff", "employees", "status"), [
        pytest.param(10, 100, Verdict.passed, id="第四项 科技人员 ≥ 10% (exactly 10%)"),
        pytest.param(999, 10000, Verdict.failed, id="第四项 科技人员 ≥ 10% (9.99%)"),
        pytest.param(0, 0, Verdict.failed, id="第四项 no employees at all"),
    ])
    def test_share(self, tech_staff: int, employees: int, status: Verdict) -> None:
        assert condition(evaluate(tech_staff=tech_staff, employees=employees), "tech_staff_share").status is status

    def test_gap_counts_new_hires(self) -> None:
        # (9 + x) / (100 + x) ≥ 10% → x ≥ 1.1 → 2 people
        found = condition(evaluate(tech_staff=9, employees=100), "tech_staff_share")
        assert (found.gap, found.gap_unit) == (D(2), "people")


class TestRdIntensity:
    @pytest.mark.parametrize(("revenue", "rd", "status"), [
        pytest.param("50000000.00", "2500000.00", Verdict.passed, id="第五项 ≤ ¥50,000,000 → ≥5% (exactly 5% at 50M)"),
        pytest.param("50000000.00", "2499999.99", Verdict.failed, id="第五项 ≤ ¥50,000,000 → ≥5% (just under)"),
        pytest.param("50000000.01", "2000000.01", Verdict.passed, id="第五项 50M–200M → ≥4% (one fen over 50M)"),
        pytest.param("50000000.01", "2000000.00", Verdict.failed, id="第五项 50M–200M → ≥4% (a hair under 4%)"),
        pytest.param("200000000.00", "8000000.00", Verdict.passed, id="第五项 50M–200M (incl.) → ≥4% (exactly 200M)"),
        pytest.param("200000000.00", "7999999.99", Verdict.failed, id="第五项 50M–200M (incl.) → ≥4% (just under)"),
        pytest.param("200000000.01", "6000000.01", Verdict.passed, id="第五项 > ¥200,000,000 → ≥3% (200M + 1 fen)"),
        pytest.param("300000000.00", "9000000.00", Verdict.passed, id="第五项 > ¥200,000,000 → ≥3% (exactly 3%)"),
        pytest.param("300000000.00", "8999999.99", Verdict.failed, id="第五项 > ¥200,000,000 → ≥3% (just under)"),
    ])
    def test_band(self, revenue: str, rd: str, status: Verdict) -> None:
        result = evaluate(revenue=D(revenue), rd_expense=D(rd), rd_expense_domestic=D(rd), high_tech_income=D(0))
        assert condition(result, "rd_intensity").status is status

    def test_three_years_summed_band_by_the_latest_revenue(self) -> None:
        # 300M, 300M, then 40M: the sum is 4.34% of revenue, but the latest year puts the firm in the 5% band.
        figures_by_year = {
            YEAR - 2: figures(YEAR - 2, revenue=D("300000000"), rd_expense=D("13000000")),
            YEAR - 1: figures(YEAR - 1, revenue=D("300000000"), rd_expense=D("13000000")),
            YEAR: figures(YEAR, revenue=D("40000000"), rd_expense=D("1800000")),
        }
        result = high_tech.evaluate(figures_by_year, facts(), YEAR, as_of=AS_OF)
        found = condition(result, "rd_intensity")
        assert (found.status, found.threshold, found.value) == (Verdict.failed, D("5.00"), D("4.34"))
        # 5% of 640M = 32M; 27.8M spent → 4.2M more
        assert (found.gap, found.gap_unit) == (D("4200000.00"), "yuan")
        assert "按现有收入还需增加研发投入 ¥4,200,000.00" in found.note

    def test_a_missing_year_is_named(self) -> None:
        figures_by_year = years()
        del figures_by_year[YEAR - 1]
        found = condition(high_tech.evaluate(figures_by_year, facts(), YEAR, as_of=AS_OF), "rd_intensity")
        assert found.status is Verdict.unknown
        assert found.missing == [f"{YEAR - 1} 研发费用", f"{YEAR - 1} 销售收入"]

    def test_a_young_firm_sums_fewer_years(self) -> None:
        young = facts(registered_on=dt.date(YEAR - 1, 4, 1))
        result = high_tech.evaluate({YEAR - 1: figures(YEAR - 1), YEAR: figures(YEAR)}, young, YEAR, as_of=AS_OF)
        assert result.window == [YEAR - 1, YEAR]
        assert condition(result, "rd_intensity").status is Verdict.passed


class TestDomesticRd:
    @pytest.mark.parametrize(("domestic", "status"), [
        pytest.param("1440000.00", Verdict.passed, id="第五项 境内研发费用 ≥ 60% (exactly 60%)"),
        pytest.param("1439999.99", Verdict.failed, id="第五项 境内研发费用 ≥ 60% (just under)"),
    ])
    def test_share(self, domestic: str, status: Verdict) -> None:
        result = evaluate(rd_expense=D("2400000.00"), rd_expense_domestic=D(domestic))
        assert condition(result, "rd_domestic_share").status is status

    def test_no_rd_at_all_fails(self) -> None:
        result = evaluate(rd_expense=D(0), rd_expense_domestic=D(0))
        assert condition(result, "rd_domestic_share").status is Verdict.failed


class TestHighTechIncome:
    @pytest.mark.parametrize(("income", "status"), [
        pytest.param("24000000.00", Verdict.passed, id="第六项 高新技术产品收入 ≥ 60% (exactly 60%)"),
        pytest.param("23999999.99", Verdict.failed, id="第六项 高新技术产品收入 ≥ 60% (just under)"),
        pytest.param(None, Verdict.unknown, id="第六项 not reported"),
    ])
    def test_share(self, income: str | None, status: Verdict) -> None:
        result = evaluate(total_income=D("40000000.00"), high_tech_income=D(income) if income else None)
        assert condition(result, "high_tech_income_share").status is status

    def test_share_of_total_income_not_sales(self) -> None:
        # corrections-2026-11.md: sales ¥45 M, other taxable income ¥6 M, high-tech ¥30 M → 30 ÷ 51 = 58.8%.
        result = evaluate(revenue=D("45000000.00"), total_income=D("51000000.00"), high_tech_income=D("30000000.00"))
        found = condition(result, "high_tech_income_share")
        assert found.status is Verdict.failed
        assert found.value == D("58.82")
        assert "总收入" in found.note
        # Under the first reading (high_tech:2016, of sales revenue) the same firm passed: 30 ÷ 45 = 66.7%.
        old = high_tech.evaluate(years(revenue=D("45000000.00"), total_income=D("51000000.00"),
                                       high_tech_income=D("30000000.00")), facts(), YEAR, as_of=AS_OF,
                                 rules=high_tech.HIGH_TECH_2016)
        assert condition(old, "high_tech_income_share").status is Verdict.passed

    def test_without_total_income_it_is_unknown_not_passed(self) -> None:
        result = evaluate(revenue=D("45000000.00"), total_income=None, high_tech_income=D("30000000.00"))
        found = condition(result, "high_tech_income_share")
        assert found.status is Verdict.unknown
        assert f"{YEAR} 总收入" in found.missing


class TestIpOwned:
    @pytest.mark.parametrize(("class1", "class2", "status"), [
        pytest.param(1, 0, Verdict.passed, id="第二项 one class Ⅰ"),
        pytest.param(0, 1, Verdict.passed, id="第二项 one class Ⅱ"),
        pytest.param(None, 1, Verdict.passed, id="第二项 one class Ⅱ, class Ⅰ unknown"),
        pytest.param(0, 0, Verdict.failed, id="第二项 none"),
        pytest.param(None, 0, Verdict.unknown, id="第二项 class Ⅰ unknown, no class Ⅱ"),
    ])
    def test_owned(self, class1: int | None, class2: int | None, status: Verdict) -> None:
        assert condition(evaluate(ip_class1=class1, ip_class2=class2), "ip_owned").status is status


class TestDomainAndInnovation:
    def test_domain_unknown_when_not_recorded(self) -> None:
        assert condition(evaluate(facts_={"tech_domain": None}), "tech_domain").status is Verdict.unknown

    @pytest.mark.parametrize(("score", "status"), [
        pytest.param("70", Verdict.failed, id="第七项 创新能力 > 70 (exactly 70 fails)"),
        pytest.param("70.01", Verdict.passed, id="第七项 创新能力 > 70 (70.01)"),
        pytest.param("70.5", Verdict.passed, id="第七项 创新能力 > 70（不含70分）: 70.5 passes"),
        pytest.param(None, Verdict.unknown, id="第七项 expert-judged: unknown unless stated"),
    ])
    def test_innovation_score(self, score: str | None, status: Verdict) -> None:
        result = evaluate(Claims(innovation_score=D(score) if score else None))
        assert condition(result, "innovation_score").status is status


class TestOutcome:
    def test_ready_when_every_condition_holds(self) -> None:
        result = evaluate(Claims(innovation_score=D("75")))
        assert (result.outcome, result.blocking, result.undetermined) == (Verdict.passed, [], [])
        assert result.rule_version == "high_tech:2016.1"

    def test_failures_are_listed_with_their_gaps(self) -> None:
        result = evaluate(Claims(innovation_score=D("75")), tech_staff=5, rd_expense=D("1280000"),
                          rd_expense_domestic=D("1280000"))
        assert result.outcome is Verdict.failed
        assert result.blocking == ["tech_staff_share", "rd_intensity"]
        rd = condition(result, "rd_intensity")
        assert rd.note.startswith(f"{YEAR - 2}–{YEAR} 年研发费用")
        assert "3.20%" in rd.note
        assert all(c.rule.startswith("high_tech:2016.1 ") for c in result.conditions)


class TestGapNotes:
    def test_each_gap_says_what_to_add(self) -> None:
        result = evaluate(Claims(innovation_score=D("75")), rd_expense_domestic=D("1200000"),
                          high_tech_income=D("20000000"))
        # domestic over three years: (3.6M + x) / (7.2M + x) ≥ 60% → x ≥ 1.8M;
        # income in the latest year, of total income: (20M + x) / (42M + x) ≥ 60% → x ≥ 13M
        domestic = condition(result, "rd_domestic_share")
        assert (domestic.gap, domestic.gap_unit) == (D("1800000.00"), "yuan")
        assert "还需增加境内研发费用 ¥1,800,000.00" in domestic.note
        income = condition(result, "high_tech_income_share")
        assert income.gap == D("13000000.00")
        assert "还需增加高新技术产品(服务)收入 ¥13,000,000.00" in income.note
