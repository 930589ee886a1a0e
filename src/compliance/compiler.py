"""Compile a rule file into a durable-rules rule (the JSON ruleset form).

The patterns of every rule are, in order: the sentinel ``go`` (asserted after all
of a project's facts, so negations see the whole project), the rule's aggregate
facts, the subject with its conditions, the joined records, and the ``$not``
patterns of absent records. Ties at a boundary are settled by
:mod:`compliance.numeric`'s policy, applied here and nowhere else.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from compliance.facts import FieldSpec, FieldType
from compliance.numeric import EPSILON, RELATIVE_NUDGE, bound_to_engine
from compliance.operands import (
    OWN,
    SUBJECT,
    Arith,
    Const,
    Operand,
    OperandError,
    Ref,
    Scope,
    aggregate_pattern,
    field_spec,
    literal,
    resolve,
)
from compliance.records import RECORD_KINDS
from compliance.rulespec import AggregateFn, AnyOf, Clause, Condition, Op, Related, RuleSpec

SENTINEL_KIND = "$check"
AGGREGATE_KIND = "$aggregate"
GO = "go"

_ENGINE_OPS = {"add": "$add", "sub": "$add", "mul": "$mul", "div": "$div"}


def join_pattern(name: str) -> str:
    """Pattern name of a joined record."""
    return f"j_{name}"


def aggregate_types(spec: RuleSpec) -> dict[str, FieldSpec]:
    """The type of each aggregate's value: a sum keeps its field's type."""
    types: dict[str, FieldSpec] = {}
    for name, agg in spec.aggregates.items():
        if agg.fn is AggregateFn.SUM and agg.field:
            summed = field_spec(agg.of, agg.field)
            types[name] = FieldSpec(name, summed.type, name)
        else:
            types[name] = FieldSpec(name, FieldType.NUMBER, name)
    return types


def _ref_json(ref: Ref) -> Any:
    return {OWN: ref.field} if ref.pattern == OWN else {ref.pattern: ref.field}


def _const(value: Decimal | str | bool | int) -> Any:
    return bound_to_engine(value) if isinstance(value, Decimal) else value


def _exact(operand: Operand, delta: Decimal) -> bool:
    return isinstance(operand, Const) or (isinstance(operand, Ref) and delta == 0)


def _bound(operand: Operand, delta: Decimal, nudge: int) -> Any:
    """``operand + delta`` in engine form; inexact bounds move by ``nudge`` epsilons."""
    if isinstance(operand, Const):
        if delta and not isinstance(operand.value, Decimal):
            raise OperandError("a tolerance needs a numeric value")
        return _const(
            operand.value + delta if isinstance(operand.value, Decimal) else operand.value
        )
    if isinstance(operand, Ref):
        if delta == 0:
            return _ref_json(operand)
        return {"$add": {"$l": _ref_json(operand), "$r": bound_to_engine(delta + nudge * EPSILON)}}
    right = operand.right.value
    assert isinstance(right, Decimal)
    if operand.op in ("add", "sub"):
        constant = (right if operand.op == "add" else -right) + delta + nudge * EPSILON
        return {"$add": {"$l": _ref_json(operand.left), "$r": bound_to_engine(constant)}}
    if delta:
        raise OperandError("a tolerance cannot be combined with 'mul' or 'div'")
    factor = float(right) * (1 + nudge * RELATIVE_NUDGE)
    if operand.op == "div":
        factor = float(right) * (1 - nudge * RELATIVE_NUDGE)
    return {_ENGINE_OPS[operand.op]: {"$l": _ref_json(operand.left), "$r": factor}}


def _compare(name: str, op: Op, operand: Operand, tolerance: Decimal) -> Any:
    exact = _exact(operand, Decimal(0)) and tolerance == 0
    if op is Op.GT:
        return {"$gt": {name: _bound(operand, Decimal(0), +1)}}
    if op is Op.GE:
        return {"$gte": {name: _bound(operand, Decimal(0), -1)}}
    if op is Op.LT:
        return {"$lt": {name: _bound(operand, Decimal(0), -1)}}
    if op is Op.LE:
        return {"$lte": {name: _bound(operand, Decimal(0), +1)}}
    if op is Op.EQ:
        if exact:
            return {name: _bound(operand, Decimal(0), 0)}
        return {
            "$and": [
                {"$gte": {name: _bound(operand, -tolerance, -1)}},
                {"$lte": {name: _bound(operand, tolerance, +1)}},
            ]
        }
    if exact:
        return {"$neq": {name: _bound(operand, Decimal(0), 0)}}
    return {
        "$or": [
            {"$gt": {name: _bound(operand, tolerance, +1)}},
            {"$lt": {name: _bound(operand, -tolerance, -1)}},
        ]
    }


AGGREGATE_FIELD = "aggregates."


def aggregate_of(cond: Condition) -> str | None:
    """The aggregate a condition constrains (``field: aggregates.X``), if any."""
    return (
        cond.field.removeprefix(AGGREGATE_FIELD) if cond.field.startswith(AGGREGATE_FIELD) else None
    )


def aggregate_scope(spec: RuleSpec, name: str, params: dict[str, Any]) -> Scope:
    """What a condition on aggregate ``name`` can see: the aggregates declared before it."""
    if name not in spec.aggregates:
        known = ", ".join(spec.aggregates) or "(none declared)"
        raise OperandError(f"unknown aggregate '{name}'; declared: {known}")
    earlier = list(spec.aggregates)[: list(spec.aggregates).index(name)]
    return Scope(spec.subject, spec.subject, frozenset(earlier), params, own_fields=False)


def _own_spec(
    cond: Condition, scope: Scope, agg_types: dict[str, FieldSpec]
) -> tuple[str, FieldSpec]:
    name = aggregate_of(cond)
    if name is None:
        return cond.field, field_spec(scope.own_kind, cond.field)
    if scope.own_fields or name not in agg_types:
        raise OperandError(
            f"'{cond.field}' can be used in the rule's 'when' only, on a declared aggregate"
        )
    found = agg_types[name]
    return "value", FieldSpec("value", found.type, name)


def operator(cond: Condition) -> Op:
    """The condition's operator, or an error listing the allowed ones."""
    try:
        return Op(cond.op)
    except ValueError:
        allowed = ", ".join(o.value for o in Op)
        raise OperandError(
            f"unknown operator '{cond.op}'; expected one of: {allowed}", "op"
        ) from None


def condition(cond: Condition, scope: Scope, agg_types: dict[str, FieldSpec]) -> Any:
    """Compile one condition; raise :class:`OperandError` when it cannot run."""
    op = operator(cond)
    name, spec = _own_spec(cond, scope, agg_types)
    if op in (Op.PRESENT, Op.ABSENT):
        if cond.value is not None:
            raise OperandError(f"'{op}' takes no value", "value")
        return {"$ex" if op is Op.PRESENT else "$nex": {name: 1}}
    if cond.value is None:
        raise OperandError(f"'{op}' needs a value", "value")
    if op in (Op.IN, Op.NOT_IN):
        if not isinstance(cond.value, list) or not cond.value:
            raise OperandError(f"'{op}' needs a non-empty list of values", "value")
        try:
            values = [_const(literal(spec, v).value) for v in cond.value]
        except OperandError as exc:
            raise OperandError(str(exc), "value") from None
        if op is Op.IN:
            return {"$or": [{name: v} for v in values]}
        return {"$and": [{"$neq": {name: v}} for v in values]}
    if op in (Op.GT, Op.GE, Op.LT, Op.LE) and not spec.type.ordered:
        raise OperandError(
            f"'{op}' needs a number, money or date field; '{cond.field}' is {spec.type}", "op"
        )
    try:
        operand = resolve(cond.value, spec, scope, agg_types)
    except OperandError as exc:
        raise OperandError(str(exc), exc.part or "value") from None
    if isinstance(operand, Arith) and spec.type is FieldType.DATE:
        raise OperandError("arithmetic on dates is not supported", "value")
    tolerance = Decimal(0)
    if cond.tolerance is not None:
        if op not in (Op.EQ, Op.NE):
            raise OperandError("'tolerance' applies to 'eq' and 'ne' only", "tolerance")
        if spec.type not in (FieldType.NUMBER, FieldType.MONEY):
            raise OperandError(
                f"'tolerance' needs a numeric field; '{cond.field}' is {spec.type}", "tolerance"
            )
        try:
            tol = resolve(cond.tolerance, spec, scope, agg_types)
        except OperandError as exc:
            raise OperandError(str(exc), "tolerance") from None
        if not isinstance(tol, Const) or not isinstance(tol.value, Decimal) or tol.value < 0:
            raise OperandError(
                "'tolerance' must be a non-negative number or parameter", "tolerance"
            )
        tolerance = tol.value
    return _compare(name, op, operand, tolerance)


def clause(item: Clause, scope: Scope, agg_types: dict[str, FieldSpec]) -> Any:
    """Compile a condition or an ``any`` group."""
    if isinstance(item, AnyOf):
        return {"$or": [condition(c, scope, agg_types) for c in item.any]}
    return condition(item, scope, agg_types)


def match_conditions(related: Related, subject_kind: str) -> list[Any]:
    """``other.field == subject.field`` for every pair of ``match``."""
    out = []
    for other_field, subject_field in related.match.items():
        other = field_spec(related.kind, other_field)
        mine = field_spec(subject_kind, subject_field)
        if other.type != mine.type:
            raise OperandError(
                f"match '{other_field}: {subject_field}' compares {other.type} with {mine.type}"
            )
        out.append({other_field: {SUBJECT: subject_field}})
    return out


def _all(conditions: list[Any]) -> Any:
    return conditions[0] if len(conditions) == 1 else {"$and": conditions}


def compile_rule(spec: RuleSpec, params: dict[str, Any]) -> dict[str, Any]:
    """The durable-rules definition of one rule (without its action)."""
    if spec.subject not in RECORD_KINDS:
        raise OperandError(f"unknown record kind '{spec.subject}'")
    agg_types = aggregate_types(spec)
    scope = Scope(spec.subject, spec.subject, frozenset(spec.aggregates), params)
    patterns: list[dict[str, Any]] = [{GO: {"kind": SENTINEL_KIND}}]
    subject: list[Any] = [{"kind": spec.subject}]
    on_aggregates = [c for c in spec.when if isinstance(c, Condition) and aggregate_of(c)]
    for name in spec.aggregates:
        pattern = aggregate_pattern(name)
        body = [{"kind": AGGREGATE_KIND}, {"rule": spec.id}, {"name": name}]
        own = aggregate_scope(spec, name, params)
        body.extend(condition(c, own, agg_types) for c in on_aggregates if aggregate_of(c) == name)
        patterns.append({pattern: _all(body)})
        subject.append({"key": {pattern: "subject"}})
    subject.extend(clause(c, scope, agg_types) for c in spec.when if c not in on_aggregates)
    patterns.append({SUBJECT: _all(subject)})
    for index, related in enumerate([*spec.join, *spec.absent]):
        inner = Scope(related.kind, spec.subject, frozenset(), params, in_subject=False)
        body = [{"kind": related.kind}, *match_conditions(related, spec.subject)]
        body.extend(clause(c, inner, agg_types) for c in related.when)
        if index < len(spec.join):
            patterns.append({join_pattern(related.as_ or f"r{index}"): _all(body)})
        else:
            patterns.append({f"n{index}$not": _all(body)})
    return {"all": patterns}
