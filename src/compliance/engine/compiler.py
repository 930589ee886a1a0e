"""Compile a rule file into a durable-rules rule (the JSON ruleset form).

The patterns of every rule are, in order: the sentinel ``go`` (asserted after all
of a project's facts, so negations see the whole project), the rule's aggregate
facts, the subject with its conditions, the joined records, and the ``$not``
patterns of absent records. Ties at a boundary are settled by
:mod:`compliance.core.numbers`'s policy, applied here and nowhere else.
"""

from __future__ import annotations

import hashlib
import itertools
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from compliance.core.numbers import EPSILON, RELATIVE_NUDGE, bound_to_engine
from compliance.engine.operands import (
    CROSS_FACT_ARITHMETIC,
    CROSS_FACT_COMPARISON,
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
from compliance.engine.operators import OPERATORS, allowed, engine_list, engine_presence
from compliance.records.fields import FieldSpec, FieldType, blank_flag, schema
from compliance.records.kinds import RECORD_KINDS
from compliance.rules.spec import AggregateFn, AnyOf, Clause, Condition, Op, Related, RuleSpec

Dnf = list[list[Any]]
"""Alternatives (OR) of conjunctions (AND) of plain engine comparisons."""

MAX_VARIANTS = 64
SENTINEL_KIND = "$check"
AGGREGATE_KIND = "$aggregate"
COVERAGE_KIND = "$coverage"
"""Fact kind stating that the case covers a register completely (``coverage:``)."""
GO = "go"

_ENGINE_OPS = {"add": "$add", "sub": "$add", "mul": "$mul", "div": "$div"}


def join_pattern(name: str) -> str:
    """Pattern name of a joined record."""
    return f"j_{name}"


@dataclass(frozen=True)
class RuleMatch:
    """One firing in plain terms, for code that must not know the engine's dialect."""

    rule: str
    subject: str
    """The key of the subject record."""
    joined: dict[str, str]
    """The key of each joined record, by the join's ``as`` name."""


def plain_match(spec: RuleSpec, facts: Mapping[str, Mapping[str, Any]]) -> RuleMatch:
    """Translate the facts the engine bound to each pattern into record keys."""
    joined = {
        related.as_ or "": str(facts[join_pattern(related.as_ or "")]["key"])
        for related in spec.join
    }
    return RuleMatch(spec.id, str(facts[SUBJECT]["key"]), joined)


def aggregate_signature(spec: RuleSpec, name: str) -> str:
    """What an aggregate computes, as a short stable key shared by rules that compute the same.

    Rules often declare the same aggregate (e.g. "how many documents are registered");
    the engine then sees one fact per subject instead of one per rule and subject.
    """
    agg = spec.aggregates[name]
    data = agg.model_dump(mode="json", exclude={"label", "plus", "minus"})
    data["subject"] = spec.subject
    for key in ("plus", "minus"):
        other = getattr(agg, key)
        if other:
            data[key] = aggregate_signature(spec, other)
    text = json.dumps(data, sort_keys=True, ensure_ascii=False)
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


def is_global(spec: RuleSpec, name: str) -> bool:
    """Whether an aggregate is the same for every subject (one fact per project suffices)."""
    agg = spec.aggregates[name]
    local = agg.match or agg.differ or agg.exclude_self or agg.earlier_only
    if local or agg.gap_from or agg.share_of:
        return False
    other = agg.plus or agg.minus
    return other is None or is_global(spec, other)


def aggregate_types(spec: RuleSpec) -> dict[str, FieldSpec]:
    """The type of each aggregate's value: a sum keeps its field's type."""
    types: dict[str, FieldSpec] = {}
    for name, agg in spec.aggregates.items():
        if agg.fn is AggregateFn.LIST:
            types[name] = FieldSpec(name, FieldType.TEXT, name)
        elif agg.fn is AggregateFn.SUM and agg.field and not agg.share_of:
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


def _compare(name: str, op: Op, operand: Operand, tolerance: Decimal) -> Dnf:
    """A comparison in engine form, from the operator table; ties follow the epsilon policy."""
    compare = OPERATORS[op].compare
    assert compare is not None
    exact = _exact(operand, Decimal(0)) and tolerance == 0
    dnf = compare(name, lambda delta, nudge: _bound(operand, delta, nudge), tolerance, exact)
    read = operand.left if isinstance(operand, Arith) else operand
    if isinstance(read, Ref) and read.pattern == OWN:
        # Measured: comparing with a field of the same fact that the fact lacks fires, or
        # (with a tolerance) reads uninitialised memory. The field must be there.
        dnf = [[*alternative, {"$ex": {read.field: 1}}] for alternative in dnf]
    return dnf


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
        raise OperandError(
            f"unknown operator '{cond.op}'; expected one of: {allowed()}", "op"
        ) from None


def condition(cond: Condition, scope: Scope, agg_types: dict[str, FieldSpec]) -> Dnf:
    """Compile one condition; raise :class:`OperandError` when it cannot run."""
    op = operator(cond)
    entry = OPERATORS[op]
    name, spec = _own_spec(cond, scope, agg_types)
    if entry.operand == "none":
        if cond.value is not None:
            raise OperandError(f"'{op}' takes no value", "value")
        return engine_presence(op, name)
    if cond.value is None:
        raise OperandError(f"'{op}' needs a value", "value")
    if entry.operand == "list":
        if not isinstance(cond.value, list) or not cond.value:
            raise OperandError(f"'{op}' needs a non-empty list of values", "value")
        try:
            values = [_const(literal(spec, v).value) for v in cond.value]
        except OperandError as exc:
            raise OperandError(str(exc), "value") from None
        return engine_list(op, name, values)
    if entry.ordered and not spec.type.ordered:
        raise OperandError(
            f"'{op}' needs a number, money or date field; '{cond.field}' is {spec.type}", "op"
        )
    if entry.text_literal and spec.type is not FieldType.TEXT:
        raise OperandError(f"'{op}' needs a text field; '{cond.field}' is {spec.type}", "op")
    try:
        operand = resolve(cond.value, spec, scope, agg_types)
    except OperandError as exc:
        raise OperandError(str(exc), exc.part or "value") from None
    if entry.text_literal and not isinstance(operand, Const):
        raise OperandError(f"'{op}' compares with a literal text or a parameter", "value")
    if isinstance(operand, Ref) and operand.pattern != OWN and not entry.across_records:
        raise OperandError(CROSS_FACT_COMPARISON, "op")
    if isinstance(operand, Arith) and spec.type is FieldType.DATE:
        raise OperandError("arithmetic on dates is not supported", "value")
    tolerance = Decimal(0)
    if cond.tolerance is not None:
        if not entry.tolerance:
            takers = ", ".join(f"'{o}'" for o, e in OPERATORS.items() if e.tolerance)
            raise OperandError(f"'tolerance' applies to {takers} only", "tolerance")
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
        if tolerance and isinstance(operand, Ref) and operand.pattern != OWN:
            raise OperandError(CROSS_FACT_ARITHMETIC, "tolerance")
    return _compare(name, op, operand, tolerance)


def clause(item: Clause, scope: Scope, agg_types: dict[str, FieldSpec]) -> Dnf:
    """Compile a condition or an ``any`` group (the union of its alternatives)."""
    if isinstance(item, AnyOf):
        return [alt for c in item.any for alt in condition(c, scope, agg_types)]
    return condition(item, scope, agg_types)


def conjoin(parts: Iterable[Dnf]) -> Dnf:
    """AND of DNFs: every combination of one alternative from each part."""
    result: Dnf = [[]]
    for part in parts:
        result = [mine + theirs for mine in result for theirs in part]
        if len(result) > MAX_VARIANTS:
            raise OperandError(
                f"the rule expands to more than {MAX_VARIANTS} alternatives; "
                "split it into several rules",
                "any",
            )
    return result


def match_conditions(related: Related, subject_kind: str) -> list[dict[str, Any]]:
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


def _pattern(conditions: list[dict[str, Any]]) -> dict[str, Any]:
    return conditions[0] if len(conditions) == 1 else {"$and": conditions}


def _tag(pattern: str, dnf: Dnf) -> Dnf:
    return [[(pattern, atom) for atom in alternative] for alternative in dnf]


def when_clause(
    item: Clause, spec: RuleSpec, params: dict[str, Any], agg_types: dict[str, FieldSpec]
) -> Dnf:
    """A clause of the rule's ``when``, each comparison tagged with the pattern it belongs to.

    Conditions on ``aggregates.X`` go to that aggregate's pattern, the others to the subject.
    """
    scope = Scope(spec.subject, spec.subject, frozenset(spec.aggregates), params)
    conditions = item.any if isinstance(item, AnyOf) else [item]
    tagged: Dnf = []
    for cond in conditions:
        name = aggregate_of(cond)
        if name is None:
            tagged.extend(_tag(SUBJECT, condition(cond, scope, agg_types)))
        else:
            own = aggregate_scope(spec, name, params)
            tagged.extend(_tag(aggregate_pattern(name), condition(cond, own, agg_types)))
    return tagged


def compile_rule(spec: RuleSpec, params: dict[str, Any]) -> list[dict[str, Any]]:
    """The durable-rules definitions of one rule (without actions): one per alternative.

    Measured on durable-rules 2.0.28: within a pattern that reads another fact's
    field, ``$or`` and nested ``$and`` are mis-evaluated (alternatives after the
    first never match; a nested ``$and`` beside an ``$or`` matches too much). So
    every pattern here is a flat ``$and`` of plain comparisons, and a rule with
    alternatives becomes several engine rules whose matches are merged.
    """
    if spec.subject not in RECORD_KINDS:
        raise OperandError(f"unknown record kind '{spec.subject}'")
    agg_types = aggregate_types(spec)
    fixed: dict[str, list[dict[str, Any]]] = {}
    for name in spec.aggregates:
        fixed[aggregate_pattern(name)] = [
            {"kind": AGGREGATE_KIND},
            {"sig": aggregate_signature(spec, name)},
        ]
    fixed[SUBJECT] = [{"kind": spec.subject}]
    fixed[SUBJECT].extend(
        {"key": {aggregate_pattern(n): "subject"}}
        for n in spec.aggregates
        if not is_global(spec, n)
    )
    parts = [when_clause(c, spec, params, agg_types) for c in spec.when]
    for index, related in enumerate(spec.join):
        name = join_pattern(related.as_ or f"r{index}")
        inner = Scope(related.kind, spec.subject, frozenset(), params, in_subject=False)
        fixed[name] = [{"kind": related.kind}, *match_conditions(related, spec.subject)]
        parts.extend(_tag(name, clause(c, inner, agg_types)) for c in related.when)
    negations: list[dict[str, Any]] = []
    for index, related in enumerate(spec.absent):
        inner = Scope(related.kind, spec.subject, frozenset(), params, in_subject=False)
        base = [{"kind": related.kind}, *match_conditions(related, spec.subject)]
        # "no record matching A or B" is "none matching A" and "none matching B".
        alternatives = conjoin(clause(c, inner, agg_types) for c in related.when)
        for number, alternative in enumerate(alternatives):
            negations.append({f"n{index}_{number}$not": _pattern([*base, *alternative])})
        for number, maybe in enumerate(_maybe_matching(related, inner, agg_types)):
            negations.append({f"u{index}_{number}$not": _pattern([*base, *maybe])})
        parts.append(_absence_established(index, related, spec.subject, inner, agg_types))
    definitions = []
    for variant in conjoin(parts):
        patterns: list[dict[str, Any]] = [{GO: {"kind": SENTINEL_KIND}}]
        for name, conditions in fixed.items():
            extra = [atom for pattern, atom in variant if pattern == name]
            patterns.append({name: _pattern([*conditions, *extra])})
        extras: dict[str, list[Any]] = {}
        for pattern, atom in variant:
            if pattern not in fixed and atom not in extras.get(pattern, []):
                extras.setdefault(pattern, []).append(atom)
        patterns.extend({name: _pattern(atoms)} for name, atoms in extras.items())
        patterns.extend(negations)
        definitions.append({"all": patterns})
    return definitions


MAX_UNKNOWN_FIELDS = 3
"""An ``absent`` clause tests at most this many stored fields for "could match" (2ⁿ − 1 patterns)."""


def _maybe_matching(related: Related, inner: Scope, agg_types: dict[str, FieldSpec]) -> Dnf:
    """Records that might match the clause: some compared field unknown, the other conditions hold.

    Unknown is not absent: "no quantity indicator" is not established while an indicator
    of unknown 二级 is on record. For each non-empty set of compared stored fields, a
    record lacking those fields and meeting the other conditions blocks the absence.
    """
    if any(isinstance(c, AnyOf) for c in related.when):
        return []
    stored = set(RECORD_KINDS[related.kind].model_fields)
    compared = [c for c in related.when if isinstance(c, Condition) and c.field in stored]
    compares = {c.field for c in compared if OPERATORS[operator(c)].operand != "none"}
    presence = {c.field for c in compared} - compares
    fields = sorted({c.field for c in compared})[:MAX_UNKNOWN_FIELDS]
    out: Dnf = []
    for size in range(1, len(fields) + 1):
        for unknown in itertools.combinations(fields, size):
            rest = [
                c for c in related.when if not (isinstance(c, Condition) and c.field in unknown)
            ]
            # A comparison is undecided on a blank field too; present/absent only on an unknown one.
            missing = [{"$nex": {f: 1}} for f in unknown]
            missing += [{"$nex": {blank_flag(f): 1}} for f in unknown if f in presence]
            for alternative in conjoin(clause(c, inner, agg_types) for c in rest):
                out.append([*missing, *alternative])
    return out


def stated_absence(related: Related) -> list[Clause] | None:
    """The conditions a record with ``present: false`` must meet to state this absence itself.

    None when the kind cannot state an absence (no ``present`` field) or the clause does
    not ask for ``present``: then only a complete register establishes it.
    """
    stated = [c for c in related.when if not (isinstance(c, Condition) and c.field == "present")]
    if "present" not in schema(related.kind) or len(stated) == len(related.when):
        return None
    return stated


def _absence_established(
    index: int, related: Related, subject_kind: str, inner: Scope, agg_types: dict[str, FieldSpec]
) -> Dnf:
    """What lets "no such record" be a finding: unknown is not absent.

    Either the case declares the register complete (a coverage fact), or a record of
    the kind states the absence itself (``present: false`` with the same identity,
    e.g. a document register entry "可行性研究报告：无").
    """
    covered = f"cov_{related.kind}"  # one pattern per register, however many clauses need it
    ways: Dnf = [[(covered, {"kind": COVERAGE_KIND}), (covered, {"register": related.kind})]]
    stated = stated_absence(related)
    if stated is not None:
        name = f"deny{index}"
        identity = [
            {"kind": related.kind},
            *match_conditions(related, subject_kind),
            {"present": False},
        ]
        for alternative in conjoin(clause(c, inner, agg_types) for c in stated):
            ways.append([(name, atom) for atom in [*identity, *alternative]])
    return ways
