"""The common scoring formulas of the self-evaluation form (domain.md), in one place.

Execution: min(rate, 100 %) × 分值. A quantitative indicator that meets its target
gets full marks; otherwise actual ÷ target × 分值 (≥ and = indicators) or
target ÷ actual × 分值 (≤ indicators); a score never exceeds the 分值. Rounded half
up to two places like every other derived number.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from compliance.numeric import PERCENT_PLACES
from compliance.quantities import Measure, MeasureKind

HUNDRED = Decimal(100)


def _round(value: Decimal) -> Decimal:
    return value.quantize(PERCENT_PLACES, rounding=ROUND_HALF_UP)


def execution_score(rate: Decimal | None, weight: Decimal | None) -> Decimal | None:
    """min(rate, 100 %) × weight, rate in percent."""
    if rate is None or weight is None:
        return None
    return _round(min(rate, HUNDRED) / HUNDRED * weight)


def expected_score(
    weight: Decimal | None, target: Measure, actual: Measure | None
) -> Decimal | None:
    """The score an indicator earns under the common formula, or None where none applies."""
    if weight is None or actual is None or actual.is_bound:
        return None
    if target.kind is MeasureKind.DATE and actual.kind is MeasureKind.DATE:
        if target.day is None or actual.day is None:
            return None
        return weight if actual.day <= target.day else None
    if not target.comparable_with(actual) or target.number is None or actual.number is None:
        return None
    goal, done = target.number, actual.number
    if target.op in (">=", ">", "="):
        if done >= goal if target.op != ">" else done > goal:
            return _round(weight)
        return _round(done / goal * weight) if goal else None
    if done <= goal if target.op != "<" else done < goal:
        return _round(weight)
    return _round(goal / done * weight) if done else None
