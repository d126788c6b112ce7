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
    """Order firms by how many conditions block them, then by how far they fall short, then by how much is
    still unknown (fewer unknowns: a surer prospect), then by id so the order is stable."""
    rows = []
    for enterprise_id, evaluation in evaluations:
        key = (len(evaluation.blocking), gap_size(evaluation), len(evaluation.undetermined), enterprise_id)
        rows.append((key, enterprise_id, evaluation))
    rows.sort(key=lambda row: row[0])
    return [
        Candidate(rank=position, enterprise_id=enterprise_id, program=program, outcome=evaluation.outcome,
                  failing_count=key[0], gap=key[1], unknown_count=key[2],
                  blocking=evaluation.blocking_conditions())
        for position, (key, enterprise_id, evaluation) in enumerate(rows, start=1)
    ]
