"""Every operator of a rule condition, defined once.

Why one table: the compiler (durable-rules form), the aggregates' ``where`` filter and
``explain``/未能核查 (Python evaluation), the rule wording (Chinese) and the validator
(which values an operator takes) all read the same entry, so adding an operator is
one entry here plus its tests, and the Python evaluation cannot drift from the engine.

Values arrive in the engine domain (:mod:`compliance.core.numbers`: quantized to the
engine quantum, money in 元, dates as YYYYMMDD), so an exact comparison here decides
a tie exactly as the engine does with its epsilon-nudged bounds.

Three states of a field (unknown is not absent): *known* (a value), *blank* (the
document was seen and the field is empty: written ``""`` in a record) and *unknown*
(not in the source: the field is omitted). ``absent`` holds on blank only; every
operator is :data:`Truth.UNKNOWN` on an unknown field, and comparisons are unknown on
a blank one too. The engine fires only on :data:`Truth.TRUE`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from typing import Any

from compliance.records.fields import blank_flag, derived_from
from compliance.rules.spec import Op


class Truth(Enum):
    """Kleene's three values: a condition holds, fails, or cannot be decided."""

    TRUE = "true"
    FALSE = "false"
    UNKNOWN = "unknown"

    @staticmethod
    def of(value: bool) -> Truth:
        """A decided value."""
        return Truth.TRUE if value else Truth.FALSE

    @staticmethod
    def all(values: Sequence[Truth]) -> Truth:
        """AND: false wins, then unknown."""
        if Truth.FALSE in values:
            return Truth.FALSE
        return Truth.UNKNOWN if Truth.UNKNOWN in values else Truth.TRUE

    @staticmethod
    def any(values: Sequence[Truth]) -> Truth:
        """OR: true wins, then unknown."""
        if Truth.TRUE in values:
            return Truth.TRUE
        return Truth.UNKNOWN if Truth.UNKNOWN in values else Truth.FALSE


class State(Enum):
    """What the source says of a field."""

    KNOWN = "known"
    BLANK = "blank"
    UNKNOWN = "unknown"
    NOT_APPLICABLE = "not_applicable"
    """A derived field with no value because it does not apply (a deviation of a
    qualitative target), while every field it is derived from is known."""

    @staticmethod
    def on(fact: Mapping[str, Any], name: str) -> State:
        """The state of field ``name`` on an engine fact."""
        if fact.get(name) is not None:
            return State.KNOWN
        if fact.get(blank_flag(name)):
            return State.BLANK
        derived = derived_from(str(fact.get("kind", "")), name)
        if derived is not None and all(State.on(fact, n) is State.KNOWN for n in derived):
            return State.NOT_APPLICABLE
        return State.UNKNOWN


Bound = Callable[[Decimal, int], Any]
"""``bound(delta, nudge)``: the compared value plus ``delta``, moved ``nudge`` epsilons."""
Dnf = list[list[Any]]


def _number(value: Any) -> Decimal | None:
    kind = type(value)
    if kind is Decimal:
        return value  # type: ignore[no-any-return]
    if kind is float or kind is int:
        return Decimal(str(value))
    if value is None or isinstance(value, bool | str):
        return None
    return Decimal(str(value))


def _gap(mine: Any, theirs: Any) -> Decimal | None:
    a, b = _number(mine), _number(theirs)
    return None if a is None or b is None else a - b


def _equal(mine: Any, theirs: Any, tolerance: Decimal) -> bool:
    gap = _gap(mine, theirs)
    return abs(gap) <= tolerance if gap is not None else bool(mine == theirs)


def _ordered(test: Callable[[Decimal], bool]) -> Callable[[Any, Any, Decimal], bool]:
    def holds(mine: Any, theirs: Any, _tolerance: Decimal) -> bool:
        gap = _gap(mine, theirs)
        return gap is not None and test(gap)

    return holds


def _engine_ordered(key: str, nudge: int) -> Callable[[str, Bound, Decimal, bool], Dnf]:
    def compile_(name: str, bound: Bound, _tolerance: Decimal, _exact: bool) -> Dnf:
        return [[{key: {name: bound(Decimal(0), nudge)}}]]

    return compile_


def _engine_eq(name: str, bound: Bound, tolerance: Decimal, exact: bool) -> Dnf:
    if exact:
        return [[{name: bound(Decimal(0), 0)}]]
    return [[{"$gte": {name: bound(-tolerance, -1)}}, {"$lte": {name: bound(tolerance, +1)}}]]


def _engine_ne(name: str, bound: Bound, tolerance: Decimal, exact: bool) -> Dnf:
    if exact:
        return [[{"$neq": {name: bound(Decimal(0), 0)}}]]
    return [[{"$gt": {name: bound(tolerance, +1)}}], [{"$lt": {name: bound(-tolerance, -1)}}]]


_LUA_MAGIC = set("^$()%.[]*+-?")


def _engine_contains(name: str, bound: Bound, _tolerance: Decimal, _exact: bool) -> Dnf:
    """``$mt`` matches a Lua pattern against the whole text: ``.*<escaped>.*``."""
    text = str(bound(Decimal(0), 0))
    escaped = "".join(f"%{ch}" if ch in _LUA_MAGIC else ch for ch in text)
    return [[{"$mt": {name: f".*{escaped}.*"}}]]


def _contains(mine: Any, theirs: Any, _tolerance: Decimal) -> bool:
    return isinstance(mine, str) and isinstance(theirs, str) and theirs in mine


@dataclass(frozen=True)
class Operator:
    """One operator: what it takes, how the engine and Python decide it, how it reads."""

    op: Op
    words: str
    operand: str
    """``none`` (present/absent), ``one`` (a value) or ``list`` (in/not_in)."""
    ordered: bool = False
    """Needs a number, money or date field."""
    tolerance: bool = False
    """Accepts ``tolerance:``."""
    across_records: bool = False
    """May compare another record's field or an aggregate (the engine's safe subset)."""
    in_filter: bool = False
    """Allowed in an aggregate's ``where``."""
    text_literal: bool = False
    """Needs a text field and a literal (or parameter) value."""
    compare: Callable[[str, Bound, Decimal, bool], Dnf] | None = None
    holds: Callable[[Any, Any, Decimal], bool] | None = None

    def decide(self, state: State, mine: Any, theirs: Any, tolerance: Decimal) -> Truth:
        """Three-valued: the field's state and value against ``theirs``."""
        if state is State.KNOWN:
            return self.known(mine, theirs, tolerance)
        if state is State.UNKNOWN:
            return Truth.UNKNOWN
        if state is State.NOT_APPLICABLE or self.op is Op.PRESENT:
            return Truth.FALSE
        if self.op is Op.ABSENT:
            return Truth.TRUE
        return Truth.UNKNOWN  # a comparison on a blank field

    def known(self, mine: Any, theirs: Any, tolerance: Decimal) -> Truth:
        """:meth:`decide` on a field that has a value (the common case, kept short)."""
        if self.operand == "one":
            if theirs is None:
                return Truth.UNKNOWN
            assert self.holds is not None
            return Truth.TRUE if self.holds(mine, theirs, tolerance) else Truth.FALSE
        if self.operand == "list":
            hit = any(_equal(mine, w, Decimal(0)) for w in theirs)
            return Truth.of(hit if self.op is Op.IN else not hit)
        return Truth.of(self.op is Op.PRESENT)


OPERATORS: dict[Op, Operator] = {
    o.op: o
    for o in (
        Operator(
            Op.EQ,
            "为",
            "one",
            tolerance=True,
            across_records=True,
            in_filter=True,
            compare=_engine_eq,
            holds=_equal,
        ),
        Operator(
            Op.NE,
            "不为",
            "one",
            tolerance=True,
            in_filter=True,
            compare=_engine_ne,
            holds=lambda a, b, t: not _equal(a, b, t),
        ),
        Operator(
            Op.GT,
            "大于",
            "one",
            ordered=True,
            compare=_engine_ordered("$gt", +1),
            holds=_ordered(lambda g: g > 0),
        ),
        Operator(
            Op.GE,
            "不小于",
            "one",
            ordered=True,
            compare=_engine_ordered("$gte", -1),
            holds=_ordered(lambda g: g >= 0),
        ),
        Operator(
            Op.LT,
            "小于",
            "one",
            ordered=True,
            compare=_engine_ordered("$lt", -1),
            holds=_ordered(lambda g: g < 0),
        ),
        Operator(
            Op.LE,
            "不大于",
            "one",
            ordered=True,
            compare=_engine_ordered("$lte", +1),
            holds=_ordered(lambda g: g <= 0),
        ),
        Operator(Op.IN, "为以下之一：", "list", in_filter=True),
        Operator(Op.NOT_IN, "不为以下任一：", "list", in_filter=True),
        Operator(Op.PRESENT, "已填", "none", in_filter=True),
        Operator(Op.ABSENT, "未填（空白）", "none", in_filter=True),
        Operator(
            Op.CONTAINS,
            "包含",
            "one",
            text_literal=True,
            in_filter=True,
            compare=_engine_contains,
            holds=_contains,
        ),
    )
}


def engine_list(op: Op, name: str, values: Sequence[Any]) -> Dnf:
    """``in``/``not_in`` in engine form: one alternative per value, or all must differ."""
    if op is Op.IN:
        return [[{name: v}] for v in values]
    return [[{"$neq": {name: v}} for v in values]]


def engine_presence(op: Op, name: str) -> Dnf:
    """``present`` is a value on the fact; ``absent`` is the blank flag (never mere omission)."""
    if op is Op.PRESENT:
        return [[{"$ex": {name: 1}}]]
    return [[{"$ex": {blank_flag(name): 1}}]]


def allowed() -> str:
    """The operators, for error messages."""
    return ", ".join(o.value for o in OPERATORS)


def filter_ops() -> str:
    """The operators an aggregate's ``where`` accepts, for error messages."""
    return ", ".join(o.value for o, entry in OPERATORS.items() if entry.in_filter)
