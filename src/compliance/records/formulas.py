"""The common scoring formulas of the self-evaluation form (domain.md), in one place.

Execution: min(rate, 100 %) × 分值. A quantitative indicator that meets its target
gets full marks; otherwise actual ÷ target × 分值 (≥ and = indicators) or
target ÷ actual × 分值 (≤ indicators); a score never exceeds the 分值. Rounded half
up to two places like every other derived number.
"""

from __future__ import annotations

from decimal import Decimal

from compliance.core.numbers import round_half_up as _round
from compliance.records.quantities import Measure, MeasureKind

HUNDRED = Decimal(100)


def execution_score(rate: Decimal | None, weight: Decimal | None) -> Decimal | None:
    """min(rate, 100 %) × weight, rate in percent (pass the exact rate: rounded once, here)."""
    if rate is None or weight is None:
        return None
    return _round(min(rate, HUNDRED) / HUNDRED * weight)


def upper_bound(target: Measure) -> bool:
    """Whether less is better: ≤ targets, ranks, and a target of zero (``0起`` accidents)."""
    zero = target.op == "=" and target.number == 0
    return target.op in ("<=", "<") or target.kind is MeasureKind.RANK or zero


def deadline_met(target: Measure, actual: Measure) -> bool | None:
    """Whether a date target was met (≥ dates: on or after it); None when not two dates."""
    if target.kind is not MeasureKind.DATE or actual.kind is not MeasureKind.DATE:
        return None
    if target.day is None or actual.day is None:
        return None
    return actual.day >= target.day if target.op in (">=", ">") else actual.day <= target.day


def attainment(target: Measure, actual: Measure) -> Decimal | None:
    """How much of a quantitative target was attained, capped at 1 (None when not comparable).

    ≥ (and =, >) indicators: actual ÷ target; ≤ (and <) indicators, ranks and zero targets:
    target ÷ actual (so any accident against a target of 0起 attains nothing).
    """
    if not target.comparable_with(actual) or target.number is None or actual.number is None:
        return None
    goal, done = target.number, actual.number
    if upper_bound(target):
        return Decimal(1) if done <= goal else (goal / done if done > 0 else Decimal(1))
    return Decimal(1) if done >= goal else (done / goal if goal > 0 else Decimal(1))


def expected_score(
    weight: Decimal | None, target: Measure, actual: Measure | None
) -> Decimal | None:
    """The score an indicator earns under the common formula, or None where none applies."""
    if weight is None or actual is None or actual.is_bound:
        return None
    met = deadline_met(target, actual)
    if met is not None:
        return _round(weight) if met else _round(Decimal(0))
    share = attainment(target, actual)
    return None if share is None else _round(share * weight)
