"""Sums and counts that rules compare against (e.g. sub-project budgets vs a subtotal).

Why outside the engine: durable-rules has no aggregation, and money must be added
exactly. Each aggregate is computed per subject, in Decimal, and asserted as a
fact that the rule joins; the engine still decides whether the rule fires.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from compliance.casefile import ProjectRecords
from compliance.compiler import AGGREGATE_KIND, aggregate_types
from compliance.facts import engine_value, schema
from compliance.operands import literal
from compliance.records import Record
from compliance.rulespec import Aggregate, AggregateFn, Condition, Op, RuleSpec


@dataclass(frozen=True)
class AggregateValue:
    """An aggregate's exact value for one subject, and the fact the engine sees."""

    rule: str
    name: str
    subject: str
    value: Decimal
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


def _members(agg: Aggregate, subject: Record, pool: list[Record]) -> list[Record]:
    return [
        r
        for r in pool
        if all(_value_of(r, other) == _value_of(subject, mine) for other, mine in agg.match.items())
    ]


def compute(spec: RuleSpec, project: ProjectRecords) -> Iterator[AggregateValue]:
    """Every aggregate of ``spec`` for every subject of the project."""
    if not spec.aggregates:
        return
    types = aggregate_types(spec)
    subjects = project.of_kind(spec.subject)
    for name, agg in spec.aggregates.items():
        pool = [r for r in project.of_kind(agg.of) if all(_passes(r, c) for c in agg.where)]
        for subject in subjects:
            members = _members(agg, subject, pool)
            if agg.fn is AggregateFn.SUM and agg.field:
                value = sum((Decimal(getattr(m, agg.field) or 0) for m in members), Decimal(0))
            else:
                value = Decimal(len(members))
            fact = {
                "kind": AGGREGATE_KIND,
                "key": f"{spec.id}:{name}:{subject.key}",
                "rule": spec.id,
                "name": name,
                "subject": subject.key,
                "value": engine_value(types[name], value),
            }
            yield AggregateValue(spec.id, name, subject.key, value, fact)
