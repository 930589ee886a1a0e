"""The one rounding policy of scores: exact Decimals, rounded once at each leaf line.

Why: a score table is read by adding it up. If scores were rounded only for
display, the lines would not add up to the printed total; if weights such as
50 ÷ 12 were rounded independently, twelve lines of 4.17 would exceed 50. So:
every leaf score is computed exactly and rounded half up to two places (the
same half-up rule as :mod:`compliance.core.numbers`); a parent is the exact sum of
its rounded children; equal shares of a weight are apportioned to 0.01 by the
largest remainder, so they add up to the weight exactly; the grade is read off
the total as printed.
"""

from __future__ import annotations

from decimal import ROUND_DOWN, Decimal

from compliance.core.numbers import PERCENT_PLACES, grouped, plain, round_half_up

SCORE_PLACES = PERCENT_PLACES
"""Scores and weights keep two decimals, like rates in percent."""

ONE = Decimal(1)
ZERO = Decimal(0)
HUNDRED = Decimal(100)


def round_score(value: Decimal) -> Decimal:
    """Round a score half up to two places (:func:`compliance.core.numbers.round_half_up`)."""
    return round_half_up(value)


def apportion(total: Decimal, count: int) -> list[Decimal]:
    """Split ``total`` into ``count`` shares of 0.01 that add up to it exactly.

    Every share is the floor of ``total / count``; the cents left over go one
    each to the first shares (largest remainder, ties in order).
    """
    if count <= 0:
        return []
    base = (total / count).quantize(SCORE_PLACES, rounding=ROUND_DOWN)
    left = int((total - base * count) / SCORE_PLACES)
    return [base + (SCORE_PLACES if i < left else ZERO) for i in range(count)]


def capped(ratio: Decimal) -> Decimal:
    """A rate counts up to 100 %: over-achievement earns nothing extra."""
    return min(max(ratio, ZERO), ONE)


def pct(ratio: Decimal) -> str:
    """A ratio written in percent with two decimals (``97.72%``)."""
    return f"{plain(round_score(ratio * HUNDRED))}%"


def pts(value: Decimal) -> str:
    """Points as written in score tables: ``3.91``, ``4``, ``0.5``."""
    text = plain(round_score(value))
    return text.rstrip("0").rstrip(".") if "." in text else text


def fixed(value: Decimal) -> str:
    """Points with two decimals, for the number columns of score tables (``3.00``)."""
    return plain(round_score(value))


def money(value: Decimal) -> str:
    """Money in 万元 as reports write it (``4,600.00万元``)."""
    return f"{grouped(value)}万元"
