"""The domain's formulas, each defined once: rates, grade bands and the scoring formulas.

Why one place: the rules compare a record's ``execution_rate``, the score reads it,
the charts colour it and the Word tables print it; when each computed it its own way
(exact here, rounded there) a sub-project at 89.999 % was silent for FN04 and red in
the chart. Rates are in percent, rounded half up to 0.01 (:func:`rate_percent`), and
everything that shows or compares a rate uses that value.

Execution: spent ÷ what execution is measured against (:func:`execution_base`: funds
arrived, else the budget). Grade bands: 优 ≥ 90, 良 80–<90, 中 60–<80, 差 < 60.
Execution score: min(rate, 100 %) × 分值. A quantitative indicator that meets its target
gets full marks; otherwise actual ÷ target × 分值 (≥ and = indicators) or
target ÷ actual × 分值 (≤ indicators); a score never exceeds the 分值. Rounded half
up to two places like every other derived number.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from compliance.core.numbers import percent
from compliance.core.numbers import round_half_up as _round
from compliance.records.quantities import Measure, MeasureKind

HUNDRED = Decimal(100)

GRADE_BANDS: tuple[tuple[str, Decimal], ...] = (
    ("优", Decimal(90)),
    ("良", Decimal(80)),
    ("中", Decimal(60)),
    ("差", Decimal(0)),
)
"""The grade bands (label, lowest score that earns it), highest first."""

MIN_EXECUTION_PCT = Decimal(90)
"""Execution below this (percent) needs a stated reason (domain.md); the default line."""


def rate_percent(part: Decimal | None, whole: Decimal | None) -> Decimal | None:
    """``part ÷ whole`` in percent, rounded half up to 0.01: the one value of a rate.

    None when either amount is unknown or the whole is 0.
    """
    if part is None or whole is None:
        return None
    return percent(part, whole)


def execution_base(budget: Decimal | None, funds_arrived: Decimal | None) -> Decimal | None:
    """What a project's execution is measured against: funds arrived, else the budget."""
    return funds_arrived if funds_arrived is not None else budget


def execution_rate(spent: Decimal | None, base: Decimal | None) -> Decimal | None:
    """Execution rate in percent (None when unknown or the base is 0), as rules compare it."""
    return rate_percent(spent, base)


def below_line(rate: Decimal | None, line: Decimal) -> bool:
    """Whether a rate (percent) falls short of a line: strictly below it; a tie is not short."""
    return rate is not None and rate < line


def grade_of(score: Decimal, bands: Iterable[tuple[str, Decimal]] = GRADE_BANDS) -> str:
    """The label of the band ``score`` falls in (bands highest first, the last starting at 0)."""
    ordered = list(bands)
    return next((label for label, low in ordered if score >= low), ordered[-1][0])


def execution_score(rate: Decimal | None, weight: Decimal | None) -> Decimal | None:
    """min(rate, 100 %) × weight, rate in percent as reported (:func:`rate_percent`).

    The rate is the one printed beside the score, so ``rate × weight`` recomputed by a
    reader from the printed numbers gives the printed score.
    """
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
