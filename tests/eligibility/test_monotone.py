"""Property tests: more of a good input never lowers the tech-SME score, more of a denominator never raises it,
and more R&D never turns a passing high-tech R&D condition into a failing one."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from app.eligibility import high_tech, tech_sme
from app.eligibility.outcome import Verdict
from app.eligibility.schemas import YearFigures
from tests.eligibility.builders import AS_OF, YEAR, facts

MAX_FEN = 10**13  # ¥100 billion
money = st.integers(min_value=0, max_value=MAX_FEN).map(lambda fen: Decimal(fen).scaleb(-2))
positive_money = st.integers(min_value=1, max_value=MAX_FEN).map(lambda fen: Decimal(fen).scaleb(-2))
counts = st.integers(min_value=0, max_value=50)


@st.composite
def firm_year(draw: st.DrawFn) -> YearFigures:
    employees = draw(st.integers(min_value=0, max_value=5000))
    return YearFigures(
        year=YEAR, employees=employees, tech_staff=draw(st.integers(min_value=0, max_value=employees)),
        revenue=draw(money), total_cost=draw(money), rd_expense=draw(money), rd_expense_domestic=Decimal(0),
        high_tech_income=Decimal(0), total_assets=draw(money), ip_class1=draw(counts), ip_class2=draw(counts),
    )


def score(figures: YearFigures) -> int:
    result = tech_sme.evaluate(figures, facts())
    assert result.score is not None
    return result.score


PROPERTY = settings(max_examples=200, deadline=None, database=None)


class TestTechSmeScoreIsMonotone:
    @PROPERTY
    @given(firm_year(), st.integers(min_value=1, max_value=500))
    def test_more_tech_staff(self, figures: YearFigures, more: int) -> None:
        more = min(more, figures.employees - figures.tech_staff)
        assert score(dataclasses.replace(figures, tech_staff=figures.tech_staff + more)) >= score(figures)

    @PROPERTY
    @given(firm_year(), st.integers(min_value=1, max_value=500))
    def test_more_employees(self, figures: YearFigures, more: int) -> None:
        assert score(dataclasses.replace(figures, employees=figures.employees + more)) <= score(figures)

    @PROPERTY
    @given(firm_year(), positive_money)
    def test_more_rd(self, figures: YearFigures, more: Decimal) -> None:
        assert score(dataclasses.replace(figures, rd_expense=figures.rd_expense + more)) >= score(figures)

    @PROPERTY
    @given(firm_year(), positive_money)
    def test_more_revenue(self, figures: YearFigures, more: Decimal) -> None:
        bigger = dataclasses.replace(figures, revenue=figures.revenue + more)
        # From zero revenue the revenue ratio goes from 'none' to a real ratio: monotone from the first yuan.
        if figures.revenue > 0:
            assert score(bigger) <= score(figures)

    @PROPERTY
    @given(firm_year(), positive_money)
    def test_more_total_cost(self, figures: YearFigures, more: Decimal) -> None:
        if figures.total_cost > 0:
            assert score(dataclasses.replace(figures, total_cost=figures.total_cost + more)) <= score(figures)

    @PROPERTY
    @given(firm_year(), st.integers(min_value=1, max_value=20), st.integers(min_value=1, max_value=20))
    def test_more_ip(self, figures: YearFigures, more1: int, more2: int) -> None:
        assert score(dataclasses.replace(figures, ip_class1=figures.ip_class1 + more1)) >= score(figures)
        assert score(dataclasses.replace(figures, ip_class2=figures.ip_class2 + more2)) >= score(figures)

    @PROPERTY
    @given(firm_year())
    def test_score_is_within_bounds_and_even(self, figures: YearFigures) -> None:
        value = score(figures)
        assert 0 <= value <= 100
        assert value % 2 == 0


ORDER = {Verdict.failed: 0, Verdict.unknown: 1, Verdict.passed: 2}


class TestHighTechRdIsMonotone:
    @PROPERTY
    @given(st.lists(positive_money, min_size=3, max_size=3), st.lists(money, min_size=3, max_size=3),
           st.integers(min_value=0, max_value=2), positive_money)
    def test_more_rd_in_any_year(self, revenues: list[Decimal], rds: list[Decimal], which: int,
                                 more: Decimal) -> None:
        def rd_verdict(rd_by_year: list[Decimal]) -> Verdict:
            figures = {YEAR - 2 + i: YearFigures(year=YEAR - 2 + i, revenue=revenues[i], rd_expense=rd_by_year[i])
                       for i in range(3)}
            result = high_tech.evaluate(figures, facts(), YEAR, as_of=AS_OF)
            status = next(c.status for c in result.conditions if c.code == "rd_intensity")
            assert status is not None
            return status

        raised = list(rds)
        raised[which] += more
        assert ORDER[rd_verdict(raised)] >= ORDER[rd_verdict(rds)]
