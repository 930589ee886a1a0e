"""Resolve what a condition compares: fields, parameters, aggregates, literals.

Why one module: the rule pack validates operands and the compiler emits them;
both call :func:`resolve` so that what is validated is exactly what runs.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from compliance.core.errors import did_you_mean
from compliance.core.numbers import YUAN_PER_WAN
from compliance.records.fields import FieldSpec, FieldType, schema

SUBJECT = "subj"
OWN = "$m"
ARITHMETIC = ("add", "sub", "mul", "div")
REF_KEYS = ("field", "subject", "param")
AGGREGATES_PREFIX = "aggregates."
"""Aggregates are named ``aggregates.X`` on both sides of a comparison."""


CROSS_FACT_ARITHMETIC = (
    "arithmetic on another record's field or on an aggregate is not allowed: durable-rules "
    "2.0.28 crashes (segmentation fault) evaluating it; declare an aggregate with 'gap_from' "
    "or 'share_of' and compare that with a number or parameter"
)


CROSS_FACT_COMPARISON = (
    "another record's field or an aggregate can only be compared with 'eq': durable-rules "
    "2.0.28 reads freed memory for gt/ge/lt/le/ne across records (crashes or wrong results, "
    "jruizgit/rules#381); compare an aggregate (count, sum, gap_from, share_of, minus, differ) "
    "with a number or parameter instead"
)


class OperandError(ValueError):
    """An operand that cannot be used; the message says why and what is allowed.

    ``part`` names the key of the condition at fault (``field``, ``op``, ``value``,
    ``tolerance``) so the error can point at it.
    """

    def __init__(self, message: str, part: str | None = None) -> None:
        super().__init__(message)
        self.part = part


@dataclass(frozen=True)
class Const:
    """A constant already in the engine's unit (money in 元, dates as YYYYMMDD)."""

    value: Decimal | str | bool | int


@dataclass(frozen=True)
class Ref:
    """A value read from a fact: ``pattern`` names the fact (``$m`` = the same one)."""

    pattern: str
    field: str
    title: str


@dataclass(frozen=True)
class Arith:
    """One level of arithmetic (the engine never fires on nested arithmetic)."""

    op: str
    left: Ref
    right: Const


Operand = Const | Ref | Arith


@dataclass(frozen=True)
class Scope:
    """What a condition can see: its own record kind, the subject, the aggregates."""

    own_kind: str
    subject_kind: str
    aggregates: frozenset[str]
    params: dict[str, Any]
    in_subject: bool = True
    own_fields: bool = True


def aggregate_pattern(name: str) -> str:
    """Pattern name under which an aggregate's fact is matched."""
    return f"agg_{name}"


def literal(spec: FieldSpec, raw: Any, *, scaled: bool = True) -> Const:
    """Convert a literal to the engine domain of ``spec``'s type."""
    kind = spec.type
    if kind in (FieldType.NUMBER, FieldType.MONEY):
        if isinstance(raw, bool) or not isinstance(raw, int | Decimal | float | str):
            raise OperandError(f"expected a number for '{spec.name}', got {raw!r}")
        try:
            number = Decimal(str(raw))
        except InvalidOperation:
            raise OperandError(f"expected a number for '{spec.name}', got {raw!r}") from None
        if kind is FieldType.MONEY and scaled:
            number *= YUAN_PER_WAN
        return Const(number)
    if kind is FieldType.BOOL:
        if not isinstance(raw, bool):
            raise OperandError(f"expected true or false for '{spec.name}', got {raw!r}")
        return Const(raw)
    if kind is FieldType.DATE:
        if isinstance(raw, str):
            with contextlib.suppress(ValueError):
                raw = dt.date.fromisoformat(raw)
        if not isinstance(raw, dt.date):
            raise OperandError(f"expected a date (YYYY-MM-DD) for '{spec.name}', got {raw!r}")
        return Const(raw.year * 10000 + raw.month * 100 + raw.day)
    if kind is FieldType.ENUM and spec.enum is not None:
        member = spec.enum.lookup(raw)
        if not isinstance(member, spec.enum):
            raise OperandError(
                f"{raw!r} is not a value of '{spec.name}'; expected one of: {spec.enum.choices()}"
            )
        return Const(member.value)
    if not isinstance(raw, str):
        raise OperandError(f"expected text for '{spec.name}', got {raw!r}")
    return Const(raw)


def field_spec(kind: str, name: str) -> FieldSpec:
    """The spec of ``kind.name``, or an error listing the fields that exist."""
    fields = schema(kind)
    if name not in fields:
        hint = did_you_mean(name, fields)
        raise OperandError(
            f"unknown field '{name}' of {kind}{hint}; allowed: {', '.join(fields)}", "field"
        )
    return fields[name]


def _same_type(target: FieldSpec, other: FieldSpec) -> None:
    numeric = {FieldType.NUMBER, FieldType.MONEY}
    if target.type in numeric and other.type in numeric:
        if target.type != other.type:
            raise OperandError(
                f"'{target.name}' ({target.type}) cannot be compared with "
                f"'{other.name}' ({other.type}): one is money, the other not"
            )
        return
    if target.type != other.type:
        raise OperandError(
            f"'{target.name}' ({target.type}) cannot be compared with '{other.name}' ({other.type})"
        )


def _ref(
    raw: dict[str, Any], target: FieldSpec, scope: Scope, aggregate_types: dict[str, FieldSpec]
) -> Ref:
    ((key, name),) = raw.items()
    if key == "field" and str(name).startswith(AGGREGATES_PREFIX):
        return _aggregate_ref(
            str(name).removeprefix(AGGREGATES_PREFIX), target, scope, aggregate_types
        )
    if key == "field":
        if not scope.own_fields:
            raise OperandError(
                "a condition on an aggregate compares it with numbers, parameters "
                "or earlier aggregates, not with fields"
            )
        other = field_spec(scope.own_kind, str(name))
        _same_type(target, other)
        return Ref(OWN, other.name, other.title)
    if key == "subject":
        if scope.in_subject:
            raise OperandError(
                "'subject' refers to the rule's subject from a join or absent "
                "clause; in 'when' use 'field'"
            )
        other = field_spec(scope.subject_kind, str(name))
        _same_type(target, other)
        return Ref(SUBJECT, other.name, other.title)
    raise OperandError(f"unknown operand key '{key}'")


def _aggregate_ref(
    name: str, target: FieldSpec, scope: Scope, aggregate_types: dict[str, FieldSpec]
) -> Ref:
    if not scope.in_subject:
        raise OperandError("aggregates can be used in the rule's 'when' only")
    if name not in scope.aggregates:
        known = ", ".join(sorted(scope.aggregates)) or "(none declared)"
        raise OperandError(f"unknown aggregate '{name}'; declared: {known}")
    _same_type(target, aggregate_types[name])
    return Ref(aggregate_pattern(name), "value", name)


def resolve(
    raw: Any, target: FieldSpec, scope: Scope, aggregate_types: dict[str, FieldSpec]
) -> Operand:
    """Resolve a condition's ``value`` (or ``tolerance``) for field ``target``."""
    if isinstance(raw, dict):
        if len(raw) != 1:
            raise OperandError(
                "an operand is a literal or a mapping with one key: "
                + ", ".join((*REF_KEYS, *ARITHMETIC))
            )
        ((key, inner),) = raw.items()
        if key in (*REF_KEYS, "aggregate") and not isinstance(inner, str):
            raise OperandError(f"'{key}' takes a name (text), got {inner!r}")
        if key == "param":
            if inner not in scope.params:
                known = ", ".join(sorted(scope.params)) or "(none declared)"
                raise OperandError(f"unknown parameter '{inner}'; declared: {known}")
            return literal(target, scope.params[inner])
        if key == "aggregate":
            raise OperandError(
                f"write an aggregate as {{field: {AGGREGATES_PREFIX}{inner}}}, "
                "the same spelling as on the left of a condition"
            )
        if key in REF_KEYS:
            return _ref(raw, target, scope, aggregate_types)
        if key in ARITHMETIC:
            return _arith(key, inner, target, scope, aggregate_types)
        raise OperandError(
            f"unknown operand key '{key}'; expected one of: " + ", ".join((*REF_KEYS, *ARITHMETIC))
        )
    if isinstance(raw, list):
        raise OperandError("a list is allowed only with the operators 'in' and 'not_in'")
    return literal(target, raw)


def _arith(
    op: str, inner: Any, target: FieldSpec, scope: Scope, aggregate_types: dict[str, FieldSpec]
) -> Arith | Const:
    if target.type not in (FieldType.NUMBER, FieldType.MONEY):
        raise OperandError(f"arithmetic needs a numeric field, '{target.name}' is {target.type}")
    if not isinstance(inner, list) or len(inner) != 2:
        raise OperandError(f"'{op}' takes a list of two operands: [a field, a number or parameter]")
    left = resolve(inner[0], target, scope, aggregate_types)
    if isinstance(left, Arith):
        raise OperandError(
            f"the first operand of '{op}' cannot be arithmetic: the engine silently "
            "never fires on nested arithmetic"
        )
    factor = op in ("mul", "div")
    unit_spec = FieldSpec(target.name, FieldType.NUMBER, target.title) if factor else target
    right = resolve(inner[1], unit_spec, scope, aggregate_types)
    if not isinstance(right, Const) or not isinstance(right.value, Decimal):
        raise OperandError(
            f"the second operand of '{op}' must be a number or a parameter: the engine silently "
            "never fires on nested arithmetic or on two fields combined"
        )
    if op == "div" and right.value == 0:
        raise OperandError("division by zero")
    if isinstance(left, Const):
        if not isinstance(left.value, Decimal):
            raise OperandError(f"'{op}' needs numbers")
        return Const(_fold(op, left.value, right.value))
    if left.pattern != OWN:
        raise OperandError(CROSS_FACT_ARITHMETIC)
    return Arith(op, left, right)


def _fold(op: str, left: Decimal, right: Decimal) -> Decimal:
    """Arithmetic on two constants, done exactly before the engine sees it."""
    if op == "add":
        return left + right
    if op == "sub":
        return left - right
    if op == "mul":
        return left * right
    return left / right


def operand_fields(value: Any) -> list[str]:
    """The fields an operand reads: ``{field: X}``, inside arithmetic too (``aggregates.X`` included)."""
    if isinstance(value, dict) and len(value) == 1:
        ((key, inner),) = value.items()
        if key == "field":
            return [str(inner)]
        if isinstance(inner, list):
            return [n for item in inner for n in operand_fields(item)]
    return []
