"""Ranking the cultivation pool: who is closest to qualifying. Pure: takes evaluations, returns an order."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from app.eligibility.schemas import Candidate, Evaluation, Program


def gap_size(evaluation: Evaluation) -> Decimal:
    """Sum of the blocking conditions' relative shortfalls; a blocker without a measurable one counts 1."""
    return sum((c.shortfall if c.shortfall is not None else Decimal(1) for c in evaluation.blocking_conditions()),
               Decimal(0))


def rank_candidates(evaluations: Iterable[tuple[int, Evaluation]], program: Program) -> list[Candidate]:
    """Order firms by how many conditions are not known to hold (failing or undecided), then by how many fail,
    then by how far they fall short, then by id so the order is stable.

    An undecided condition counts as not yet met: a firm that never reported its figures has nothing failing,
    but it is not close to qualifying, and must not crowd the top of the pool.
    """
    rows = []
    for enterprise_id, evaluation in evaluations:
        failing, unknown = len(evaluation.blocking), len(evaluation.undetermined)
        rows.append(((failing + unknown, failing, gap_size(evaluation), enterprise_id), unknown, evaluation))
    rows.sort(key=lambda row: row[0])
    return [
        Candidate(rank=position, enterprise_id=key[3], program=program, outcome=evaluation.outcome,
                  failing_count=key[1], gap=key[2], unknown_count=unknown,
                  blocking=evaluation.blocking_conditions())
        for position, (key, unknown, evaluation) in enumerate(rows, start=1)
    ]
