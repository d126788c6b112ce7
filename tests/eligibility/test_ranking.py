"""The cultivation pool's order on a known set: conditions not known to hold, failing ones, gap size, then id."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from app.eligibility import high_tech, ranking, tech_sme
from app.eligibility.outcome import Verdict
from app.eligibility.schemas import Claims, Evaluation
from tests.eligibility.builders import AS_OF, YEAR, facts, figures, years

D = Decimal
SCORED = Claims(innovation_score=D(80))


def ready_high_tech(claims: Claims = SCORED, **overrides: object) -> Evaluation:
    return high_tech.evaluate(years(**overrides), facts(), YEAR, as_of=AS_OF, claims=claims)


class TestRankHighTechPool:
    def test_known_set(self) -> None:
        pool = [
            # two blockers: tech staff 5% (0.5 short) and R&D 3.2% (0.36 short)
            (11, ready_high_tech(tech_staff=5, rd_expense=D("1280000"), rd_expense_domestic=D("1280000"))),
            # one blocker, R&D 3.2% of 5% needed: shortfall 0.36
            (12, ready_high_tech(rd_expense=D("1280000"), rd_expense_domestic=D("1280000"))),
            # one blocker, tech staff 9% of 10%: shortfall 0.10
            (13, ready_high_tech(tech_staff=9)),
            # nothing blocks, but the innovation score is not stated
            (14, ready_high_tech(Claims())),
            # ready
            (15, ready_high_tech()),
            # one blocker, the same shortfall as firm 13: the lower id goes first
            (10, ready_high_tech(tech_staff=9)),
        ]
        ranked = ranking.rank_candidates(pool, "high_tech")
        assert [c.enterprise_id for c in ranked] == [15, 14, 10, 13, 12, 11]
        assert [c.rank for c in ranked] == [1, 2, 3, 4, 5, 6]
        assert [c.failing_count for c in ranked] == [0, 0, 1, 1, 1, 2]
        assert [c.gap for c in ranked] == [D(0), D(0), D("0.1"), D("0.1"), D("0.36"), D("0.86")]
        assert [c.unknown_count for c in ranked] == [0, 1, 0, 0, 0, 0]
        assert ranked[0].outcome is Verdict.passed
        assert [b.code for b in ranked[-1].blocking] == ["tech_staff_share", "rd_intensity"]
        assert all(c.program == "high_tech" for c in ranked)

    def test_a_blocker_without_a_measure_counts_as_a_whole_gap(self) -> None:
        # No IP at all has no ratio to fall short of: it counts as 1, behind a 0.36 R&D shortfall.
        no_ip = ready_high_tech(ip_class1=0, ip_class2=0)
        low_rd = ready_high_tech(rd_expense=D("1280000"), rd_expense_domestic=D("1280000"))
        ranked = ranking.rank_candidates([(1, no_ip), (2, low_rd)], "high_tech")
        assert [(c.enterprise_id, c.gap) for c in ranked] == [(2, D("0.36")), (1, D(1))]

    def test_empty_pool(self) -> None:
        assert ranking.rank_candidates([], "tech_sme") == []


class TestRankTechSmePool:
    def test_score_gap_orders_firms_with_one_blocker(self) -> None:
        too_big = tech_sme.evaluate(figures(employees=900, tech_staff=300), facts())
        # 20% staff (12) + 4% R&D (30) + one class Ⅱ (6) = 48: 12 short
        far = tech_sme.evaluate(figures(tech_staff=20, rd_expense=D("1600000"), total_cost=D("900000000"),
                                        ip_class1=0, ip_class2=1), facts())
        # 20% staff (12) + 5% R&D (40) + one class Ⅱ (6) = 58: 2 short
        near = tech_sme.evaluate(figures(tech_staff=20, rd_expense=D("2000000"), total_cost=D("900000000"),
                                         ip_class1=0, ip_class2=1), facts())
        young = tech_sme.evaluate(figures(), facts(registered_on=dt.date(YEAR, 5, 1)))
        ranked = ranking.rank_candidates([(1, too_big), (2, far), (3, near), (4, young)], "tech_sme")
        assert [c.enterprise_id for c in ranked] == [4, 3, 2, 1]
        assert [c.gap for c in ranked] == [D(0), D("0.0333"), D("0.2"), D(1)]
        assert [b.code for b in ranked[1].blocking] == ["score"]
        assert ranked[1].blocking[0].gap == D(2)


class TestUnknownsAreNotCloseness:
    def test_a_firm_without_figures_ranks_below_one_known_failure(self) -> None:
        no_figures = high_tech.evaluate({}, facts(), YEAR, as_of=AS_OF, claims=SCORED)
        one_failure = ready_high_tech(tech_staff=9)
        ranked = ranking.rank_candidates([(1, no_figures), (2, one_failure)], "high_tech")
        assert [c.enterprise_id for c in ranked] == [2, 1]
        assert (ranked[1].failing_count, ranked[1].unknown_count) == (0, 5)
