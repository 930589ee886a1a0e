"""The one place where numbers are rounded, compared and handed to the engine.

Why: durable-rules compares C doubles, cannot read ``Decimal``/``date``, silently
never fires on nested arithmetic, and rejects numbers that JSON writes in
exponent form (``1e-06``). So records keep exact ``Decimal`` values; each number
crosses into the engine once, here, quantized to :data:`ENGINE_PLACES` places in
its engine unit (money in 元, rates in percent). Two quantized values compare
exactly; where the engine must add a tolerance, :data:`EPSILON` (far below the
quantum) settles ties in the direction the rule's operator asks for.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

ENGINE_PLACES = 2
"""Decimal places every number keeps at the engine boundary."""

QUANTUM = Decimal(1).scaleb(-ENGINE_PLACES)
EPSILON = Decimal("0.001")
"""Less than half a quantum: folded into constants so ties are decided exactly."""

PERCENT_PLACES = Decimal("0.01")
"""Rates and deviations are reported in percent with two decimals."""

YUAN_PER_WAN = Decimal(10000)
"""Records state money in 万元; the engine sees 元 so that cents stay visible."""

MAX_ENGINE_ABS = Decimal("1e13")
"""Below this (in engine units), a number with :data:`ENGINE_PLACES` places has at most 15
significant digits, which a C double holds exactly (DBL_DIG): found by the fuzzer, which saw
85697798116972.735 cross as ….73 instead of ….74 under the former bound of 1e14."""


class NumberOutOfRange(ValueError):
    """A number too large for the engine's exact comparison."""


def quantize(value: Decimal) -> Decimal:
    """Round half up to the engine quantum."""
    return value.quantize(QUANTUM, rounding=ROUND_HALF_UP)


def to_engine(value: Decimal | int) -> float | int:
    """Convert an exact number to what the engine compares (never in exponent form).

    Called for every number of every record (~180 a form), so it is written flat:
    below :data:`MAX_ENGINE_ABS` a quantized value's double is exact enough that it
    is integral exactly when the value is, and ``int`` of it is the value.
    """
    exact = value if type(value) is Decimal else _exact(value)
    if not -MAX_ENGINE_ABS < exact < MAX_ENGINE_ABS:
        raise NumberOutOfRange(f"{value} is beyond the engine's range ({MAX_ENGINE_ABS})")
    number = float(exact.quantize(QUANTUM, rounding=ROUND_HALF_UP))
    return int(number) if number.is_integer() else number


def _exact(value: Decimal | int) -> Decimal:
    if isinstance(value, bool):
        raise TypeError("booleans are not numbers here")
    return Decimal(value)


def bound_to_engine(value: Decimal) -> float | int:
    """Convert a constant of a compiled rule, which may carry :data:`EPSILON`."""
    if abs(value) >= MAX_ENGINE_ABS:
        raise NumberOutOfRange(f"{value} is beyond the engine's range ({MAX_ENGINE_ABS})")
    rounded = value.quantize(EPSILON, rounding=ROUND_HALF_UP)
    if rounded == rounded.to_integral_value():
        return int(rounded)
    return float(rounded)


RELATIVE_NUDGE = 1e-9
"""Tie-breaker for products and quotients, whose error grows with the operands."""


def money_to_engine(wan: Decimal) -> float | int:
    """Money is recorded in 万元 and compared in 元."""
    return to_engine(wan * YUAN_PER_WAN)


def date_to_engine(day: date) -> int:
    """Dates compare as YYYYMMDD integers."""
    return day.year * 10000 + day.month * 100 + day.day


def round_half_up(value: Decimal) -> Decimal:
    """Round half up to two places: the one rounding of rates, deviations and scores."""
    return value.quantize(PERCENT_PLACES, rounding=ROUND_HALF_UP)


def percent(part: Decimal, whole: Decimal) -> Decimal | None:
    """Return ``part / whole`` in percent, rounded half up to two places."""
    if whole == 0:
        return None
    try:
        return round_half_up(part / whole * 100)
    except InvalidOperation:
        return None


def deviation_percent(actual: Decimal, target: Decimal) -> Decimal | None:
    """Return how far ``actual`` lies from ``target``, in percent of the target."""
    if target == 0:
        return None
    try:
        return round_half_up((actual - target) / target * 100)
    except InvalidOperation:  # beyond 28 digits (an actual of 1e30): no exact deviation (make fuzz)
        return None


def percent_text(value: Decimal) -> str:
    """A rate already in percent, as reports write it: ``89.99%`` (two places)."""
    return f"{plain(round_half_up(value))}%"


def plain(value: Decimal) -> str:
    """Write a Decimal in fixed notation (never ``1E+3``), as many places as it has."""
    return format(value, "f")


def grouped(value: Decimal) -> str:
    """Write money as people read it in reports: ``4,600.00``."""
    return f"{value:,.2f}" if value == value.quantize(Decimal("0.01")) else f"{value:,f}"


HALF = Decimal("0.5")


def half_unit(written: Decimal) -> Decimal:
    """Half a unit in the last place the number was written with: 97 → 0.5, 68.07 → 0.005.

    Why: this is the one tolerance policy for figures a document states. A report
    that writes whole percent is not wrong by 0.4 %; one that writes two decimals
    is held to them.
    """
    exponent = written.as_tuple().exponent
    places = exponent if isinstance(exponent, int) else 0
    return HALF.scaleb(min(places, 0))


def agrees_as_written(stated: Decimal, exact: Decimal, slack: Decimal | None = None) -> bool:
    """Whether an exact value rounds to the figure as stated (within ``slack``, default its half unit)."""
    return abs(stated - exact) <= (half_unit(stated) if slack is None else slack)
