"""Three-valued verdicts and the exact arithmetic every rule shares. Pure: no database, no clock.

Ratios are compared by cross-multiplication (``part >= threshold * whole``), never by a divided and
rounded value, so a firm exactly on a band edge lands on the side the rule text puts it.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal
from enum import StrEnum

from app.enums import register_labels

HUNDRED = Decimal(100)
TWO_PLACES = Decimal("0.01")


class Verdict(StrEnum):
    """Outcome of one condition or of a whole evaluation."""

    passed = "pass"
    failed = "fail"
    unknown = "unknown"


register_labels(Verdict, {
    Verdict.passed: "符合",
    Verdict.failed: "不符合",
    Verdict.unknown: "数据不足，无法判断",
})


def all_of(verdicts: Iterable[Verdict]) -> Verdict:
    """AND in three-valued logic: one failure decides; otherwise one unknown leaves it open."""
    seen = list(verdicts)
    if Verdict.failed in seen:
        return Verdict.failed
    if Verdict.unknown in seen:
        return Verdict.unknown
    return Verdict.passed


def any_of(verdicts: Iterable[Verdict]) -> Verdict:
    """OR in three-valued logic: one pass decides; otherwise one unknown leaves it open."""
    seen = list(verdicts)
    if Verdict.passed in seen:
        return Verdict.passed
    if Verdict.unknown in seen:
        return Verdict.unknown
    return Verdict.failed


def verdict(ok: bool) -> Verdict:
    return Verdict.passed if ok else Verdict.failed


def percent(part: Decimal | int, whole: Decimal | int) -> Decimal:
    """``part / whole`` in percent, 2 decimals, for display only (decisions use :func:`at_least`)."""
    return (Decimal(part) * HUNDRED / Decimal(whole)).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def at_least(part: Decimal | int, whole: Decimal | int, share: Decimal) -> bool:
    """Exactly ``part / whole >= share`` for ``whole > 0``."""
    return Decimal(part) >= share * Decimal(whole)


def added_to_both(part: Decimal | int, whole: Decimal | int, share: Decimal) -> Decimal:
    """Smallest x with ``(part + x) / (whole + x) >= share``: what must be added when the addition also
    grows the whole (a newly hired engineer is also an employee; new R&D spending is also a cost)."""
    needed = (share * Decimal(whole) - Decimal(part)) / (1 - share)
    return max(needed, Decimal(0))


def added_to_part(part: Decimal | int, whole: Decimal | int, share: Decimal) -> Decimal:
    """Smallest x with ``(part + x) / whole >= share`` (the whole does not move)."""
    return max(share * Decimal(whole) - Decimal(part), Decimal(0))


def whole_units(amount: Decimal) -> int:
    """People or items: a fraction of one still needs a whole one."""
    return int(amount.to_integral_value(rounding=ROUND_CEILING))


def money_up(amount: Decimal) -> Decimal:
    """Yuan rounded up to the fen: the amount that is surely enough."""
    return amount.quantize(TWO_PLACES, rounding=ROUND_CEILING)


def yuan_text(amount: Decimal | None) -> str:
    return "—" if amount is None else f"¥{amount.quantize(TWO_PLACES, rounding=ROUND_HALF_UP):,}"


def percent_text(value: Decimal) -> str:
    return f"{value.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)}%"


def share_text(share: Decimal) -> str:
    """A rule threshold such as Decimal('0.05') as '5%'."""
    return f"{(share * HUNDRED).normalize():f}%"


def relative_shortfall(have: Decimal, need: Decimal) -> Decimal:
    """How far below ``need`` we are, as a fraction of ``need`` (0 when there, 1 when nothing at all)."""
    if need <= 0:
        return Decimal(0)
    gap = (need - have) / need
    return min(max(gap, Decimal(0)), Decimal(1)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)
