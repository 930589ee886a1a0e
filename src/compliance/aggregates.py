"""Sums and counts that rules compare against (e.g. sub-project budgets vs a subtotal).

Why outside the engine: durable-rules has no aggregation, money must be added
exactly, and arithmetic across two facts crashes the engine (see
:mod:`compliance.operands`). Each aggregate is computed per subject, in Decimal,
optionally as a gap from or a share of one of the subject's fields, and asserted
as a fact that the rule joins; the engine still decides whether the rule fires.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from compliance.casefile import ProjectRecords
from compliance.compiler import AGGREGATE_KIND, aggregate_types
from compliance.facts import display, engine_value, schema
from compliance.numeric import percent
from compliance.operands import literal
from compliance.records import Record
from compliance.rulespec import Aggregate, AggregateFn, Condition, Op, RuleSpec


@dataclass(frozen=True)
class AggregateValue:
    """An aggregate's exact value for one subject, and the fact the engine sees."""

    rule: str
    name: str
    subject: str
    value: Decimal | str
    fact: dict[str, Any]


def _value_of(record: Record, name: str) -> Any:
    value = getattr(record, name)
    return None if value is None else engine_value(schema(record.kind)[name], value)


def _passes(record: Record, cond: Condition) -> bool:
    mine = _value_of(record, cond.field)
    op = Op(cond.op)
    if op is Op.PRESENT:
        return mine is not None
    if op is Op.ABSENT:
        return mine is None
    spec = schema(record.kind)[cond.field]
    values = cond.value if isinstance(cond.value, list) else [cond.value]
    wanted = {literal(spec, v).value for v in values}
    hit = mine in wanted
    return hit if op in (Op.EQ, Op.IN) else (mine is not None and not hit)


def _relative(agg: Aggregate, subject: Record, value: Decimal) -> Decimal | None:
    """Apply ``gap_from``/``share_of``; None when the subject lacks the base value."""
    if agg.gap_from:
        stated = getattr(subject, agg.gap_from)
        return None if stated is None else Decimal(stated) - value
    if agg.share_of:
        base = getattr(subject, agg.share_of)
        return None if base is None else percent(value, Decimal(base))
    return value


def _members(agg: Aggregate, subject: Record, pool: list[Record]) -> list[Record]:
    position = {id(r): n for n, r in enumerate(pool)}
    members = []
    for record in pool:
        if agg.exclude_self and record is subject:
            continue
        if agg.earlier_only and (
            record is subject
            or record.location is None
            or subject.location is None
            or not _before(record, subject, position)
        ):
            continue
        if any(
            _value_of(record, other) != _value_of(subject, mine)
            for other, mine in agg.match.items()
        ):
            continue
        if any(
            _value_of(record, other) == _value_of(subject, mine)
            for other, mine in agg.differ.items()
        ):
            continue
        members.append(record)
    return members


def _before(record: Record, subject: Record, position: dict[int, int]) -> bool:
    if record.kind == subject.kind:
        return position.get(id(record), 0) < position.get(id(subject), 0)
    return False


def compute(spec: RuleSpec, project: ProjectRecords) -> Iterator[AggregateValue]:
    """Every aggregate of ``spec`` for every subject of the project."""
    if not spec.aggregates:
        return
    types = aggregate_types(spec)
    subjects = project.of_kind(spec.subject)
    computed: dict[tuple[str, str], Decimal | str] = {}
    for name, agg in spec.aggregates.items():
        pool = [r for r in project.of_kind(agg.of) if all(_passes(r, c) for c in agg.where)]
        for subject in subjects:
            members = _members(agg, subject, pool)
            value: Decimal | str | None
            if agg.fn is AggregateFn.LIST and agg.field:
                value = "、".join(
                    display(schema(agg.of)[agg.field], getattr(m, agg.field)) for m in members
                )
            elif agg.fn is AggregateFn.SUM and agg.field:
                total = sum((Decimal(getattr(m, agg.field) or 0) for m in members), Decimal(0))
                value = _relative(agg, subject, total)
            else:
                value = _relative(agg, subject, Decimal(len(members)))
            if isinstance(value, Decimal) and agg.minus:
                other = computed.get((agg.minus, subject.key))
                value = value - other if isinstance(other, Decimal) else None
            if value is None:
                continue
            computed[(name, subject.key)] = value
            fact = {
                "kind": AGGREGATE_KIND,
                "key": f"{spec.id}:{name}:{subject.key}",
                "rule": spec.id,
                "name": name,
                "subject": subject.key,
                "value": engine_value(types[name], value),
            }
            yield AggregateValue(spec.id, name, subject.key, value, fact)
