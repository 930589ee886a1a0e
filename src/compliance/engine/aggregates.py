"""Sums and counts that rules compare against (e.g. sub-project budgets vs a subtotal).

Why outside the engine: durable-rules has no aggregation, money must be added
exactly, and arithmetic across two facts crashes the engine (see
:mod:`compliance.engine.operands`). Each aggregate is computed per subject, in Decimal,
optionally as a gap from or a share of one of the subject's fields, and asserted
as a fact that the rule joins; the engine still decides whether the rule fires.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any

from compliance.core.numbers import percent, to_engine
from compliance.engine.compiler import AGGREGATE_KIND, aggregate_types
from compliance.engine.operands import literal
from compliance.engine.operators import OPERATORS, State, Truth
from compliance.records.fields import FieldSpec, display, engine_value, schema
from compliance.records.loading import ProjectRecords
from compliance.records.project import Record
from compliance.rules.pack import Rule
from compliance.rules.spec import Aggregate, AggregateFn, Condition, Op

GLOBAL_SUBJECT = "*"
"""Subject of an aggregate fact that holds for every subject of the project."""


@dataclass(frozen=True)
class AggregateValue:
    """An aggregate's exact value for one subject, and the fact the engine sees.

    Facts are keyed by the aggregate's signature, so rules computing the same aggregate
    (and subjects sharing a subject-independent one) produce the same fact; the checker
    asserts each fact once.
    """

    rule: str
    name: str
    subject: str
    value: Decimal | str
    fact: dict[str, Any]


Facts = Mapping[int, Mapping[str, Any]]
"""The engine fact of each record, by ``id(record)``: values already converted once."""


def _engine_literal(spec: FieldSpec, raw: Any) -> Any:
    value = literal(spec, raw).value
    return to_engine(value) if isinstance(value, Decimal) else value


def _filter(kind: str, conditions: list[Condition]) -> Callable[[Mapping[str, Any]], bool]:
    """Compile an aggregate's ``where`` once per project: a record counts when all hold."""
    tests = []
    for cond in conditions:
        entry = OPERATORS[Op(cond.op)]
        wanted: list[Any] = []
        if entry.operand != "none":
            values = cond.value if isinstance(cond.value, list) else [cond.value]
            wanted = [_engine_literal(schema(kind)[cond.field], v) for v in values]
        theirs = wanted if entry.operand == "list" else (wanted[0] if wanted else None)
        tests.append((cond.field, entry, theirs))

    def passes(fact: Mapping[str, Any]) -> bool:
        return all(
            entry.decide(State.on(fact, name), fact.get(name), theirs, Decimal(0)) is Truth.TRUE
            for name, entry, theirs in tests
        )

    return passes


def _combined(
    agg: Aggregate,
    subject: Record,
    value: Decimal,
    computed: Mapping[tuple[str, str], Decimal | str],
) -> Decimal | None:
    """Apply ``plus``/``minus`` with an earlier aggregate of the same subject."""
    other_name = agg.plus or agg.minus
    if other_name is None:
        return value
    other = computed.get((other_name, subject.key))
    if not isinstance(other, Decimal):
        return None
    return value + other if agg.plus else value - other


def _relative(agg: Aggregate, subject: Record, value: Decimal | None) -> Decimal | None:
    """Apply ``gap_from``/``share_of``; None when the subject lacks the base value."""
    if value is None:
        return None
    if agg.gap_from:
        stated = getattr(subject, agg.gap_from)
        return None if stated is None else Decimal(stated) - value
    if agg.share_of:
        base = getattr(subject, agg.share_of)
        return None if base is None else percent(value, Decimal(base))
    return value


def _exact(record: Record, name: str) -> Any:
    """A record's value as recorded (Decimal, date, enum value): compared exactly, unrounded."""
    value = getattr(record, name)
    return value.value if isinstance(value, StrEnum) else value


def _key(record: Record, fields: Iterable[str]) -> tuple[Any, ...]:
    return tuple(_exact(record, name) for name in fields)


class _Pool:
    """The records an aggregate ranges over, grouped by their ``match`` values."""

    def __init__(self, agg: Aggregate, records: list[Record], facts: Facts) -> None:
        self.agg = agg
        self.facts = facts
        self.groups: dict[tuple[Any, ...], list[Record]] = defaultdict(list)
        for record in records:
            self.groups[_key(record, agg.match)].append(record)

    def members(self, subject: Record) -> list[Record]:
        agg = self.agg
        candidates = self.groups.get(_key(subject, agg.match.values()), [])
        here = self.facts[id(subject)]["seq"]
        differ = [(_exact(subject, field), other) for other, field in agg.differ.items()]
        chosen = []
        for record in candidates:
            if (agg.exclude_self or agg.earlier_only) and record is subject:
                continue
            if agg.earlier_only and self.facts[id(record)]["seq"] > here:
                continue
            if any(_exact(record, other) == value for value, other in differ):
                continue
            chosen.append(record)
        return chosen


def compute(rule: Rule, project: ProjectRecords, facts: Facts) -> Iterator[AggregateValue]:
    """Every aggregate of ``rule`` for every subject of the project."""
    spec = rule.spec
    if not spec.aggregates:
        return
    types = aggregate_types(spec)
    subjects = project.of_kind(spec.subject)
    computed: dict[tuple[str, str], Decimal | str] = {}
    for name, agg in spec.aggregates.items():
        passes = _filter(agg.of, agg.where)
        records = [r for r in project.of_kind(agg.of) if passes(facts[id(r)])]
        pool = _Pool(agg, records, facts)
        signature, shared = rule.aggregate_keys[name]
        for subject in subjects:
            members = pool.members(subject)
            value: Decimal | str | None
            if agg.fn is AggregateFn.LIST and agg.field:
                value = "、".join(
                    display(schema(agg.of)[agg.field], getattr(m, agg.field)) for m in members
                )
            else:
                total = (
                    sum((Decimal(getattr(m, agg.field) or 0) for m in members), Decimal(0))
                    if agg.fn is AggregateFn.SUM and agg.field
                    else Decimal(len(members))
                )
                value = _relative(agg, subject, _combined(agg, subject, total, computed))
            if value is None:
                continue
            computed[(name, subject.key)] = value
            subject_key = GLOBAL_SUBJECT if shared else subject.key
            fact = {
                "kind": AGGREGATE_KIND,
                "key": f"{signature}:{subject_key}",
                "sig": signature,
                "subject": subject_key,
                "value": engine_value(types[name], value),
            }
            yield AggregateValue(spec.id, name, subject.key, value, fact)
