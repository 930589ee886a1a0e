"""Sums and counts that rules compare against (e.g. sub-project budgets vs a subtotal).

Why outside the engine: durable-rules has no aggregation, money must be added
exactly, and arithmetic across two facts crashes the engine (see
:mod:`compliance.engine.operands`). Each aggregate is computed per subject, in Decimal,
optionally as a gap from or a share of one of the subject's fields, and asserted
as a fact that the rule joins; the engine still decides whether the rule fires.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from operator import attrgetter
from typing import Any, NamedTuple

from compliance.core.numbers import percent, to_engine
from compliance.engine.compiler import AGGREGATE_KIND, aggregate_types
from compliance.engine.operands import literal
from compliance.engine.operators import OPERATORS, State, Truth
from compliance.records.fields import CONVERTERS, FieldSpec, display, is_blank, schema
from compliance.records.loading import ProjectRecords
from compliance.records.project import Record
from compliance.rules.pack import Rule
from compliance.rules.spec import Aggregate, AggregateFn, Condition, Op

GLOBAL_SUBJECT = "*"
"""Subject of an aggregate fact that holds for every subject of the project."""


class AggregateValue(NamedTuple):
    """An aggregate's exact value for one subject, and the fact the engine sees.

    Facts are keyed by the aggregate's signature, so rules computing the same aggregate
    (and subjects sharing a subject-independent one) produce the same fact; the checker
    asserts each fact once. A named tuple: ~70 are made per project, and a frozen
    dataclass took three times as long to make.
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


def _filter(kind: str, conditions: list[Condition]) -> Callable[[Mapping[str, Any]], bool] | None:
    """Compile an aggregate's ``where`` once per pack: a record counts when all hold.

    None without conditions: every record of the kind counts.
    """
    if not conditions:
        return None
    tests = []
    for cond in conditions:
        entry = OPERATORS[Op(cond.op)]
        wanted: list[Any] = []
        if entry.operand != "none":
            values = cond.value if isinstance(cond.value, list) else [cond.value]
            wanted = [_engine_literal(schema(kind)[cond.field], v) for v in values]
        theirs = wanted if entry.operand == "list" else (wanted[0] if wanted else None)
        tests.append((cond.field, entry, theirs, _on_known(entry.op, theirs)))

    def passes(fact: Mapping[str, Any]) -> bool:
        for name, entry, theirs, known in tests:
            value = fact.get(name)
            if value is not None and known is not None:
                if not known(value):
                    return False
            elif entry.decide(State.on(fact, name), value, theirs, Decimal(0)) is not Truth.TRUE:
                return False
        return True

    return passes


def _on_known(op: Op, theirs: Any) -> Callable[[Any], bool] | None:
    """What ``op`` decides on a known value, where that is plain equality with text.

    The filters of the pack compare kinds and codes (``row: total``, ``work_kind in
    [...]``); for a known value, :meth:`Operator.decide` then reduces to ``==`` (text
    never reads as a number). Anything else, and every unknown or blank value, goes
    through ``decide``.
    """
    if op is Op.PRESENT:
        return lambda _value: True
    if op is Op.ABSENT:
        return lambda _value: False
    texts = theirs if isinstance(theirs, list) else [theirs]
    if not texts or not all(type(t) is str for t in texts):
        return None
    options = tuple(texts)
    if op is Op.EQ:
        return lambda value: value == options[0]
    if op is Op.NE:
        return lambda value: value != options[0]
    if op is Op.IN:
        return lambda value: value in options
    if op is Op.NOT_IN:
        return lambda value: value not in options
    return None


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
    """A record's value as recorded (Decimal, date, enum member): compared exactly, unrounded.

    An enum member is a ``StrEnum``: equal to its value and hashed like it, so it groups
    and compares as the value does.
    """
    return getattr(record, name)


@cache
def _keyer(fields: tuple[str, ...]) -> Callable[[Record], tuple[Any, ...]]:
    """The values of ``fields`` of a record, as a tuple (one ``attrgetter``, made once)."""
    if not fields:
        return lambda _record: ()
    if len(fields) == 1:
        one: Callable[[Record], Any] = attrgetter(fields[0])  # typed: mypyc checks the result
        return lambda record: (one(record),)
    many: Callable[[Record], tuple[Any, ...]] = attrgetter(*fields)
    return many


Selection = tuple[tuple[str, ...], tuple[tuple[str, str], ...], bool, bool]
"""How an aggregate picks a subject's members: match, differ, exclude_self, earlier_only."""


def selection(agg: Aggregate) -> Selection:
    """The parts of an aggregate that decide its members (shared by count, sum and list)."""
    return (
        tuple(agg.match.values()),
        tuple(agg.differ.items()),
        agg.exclude_self,
        agg.earlier_only,
    )


class _Pool:
    """The records an aggregate ranges over, grouped by their ``match`` values.

    Members are remembered per subject and selection: a count, a sum and a list over
    the same records matched the same way (common in the pack) share them.
    """

    def __init__(self, match: Iterable[str], records: list[Record], facts: Facts) -> None:
        self.facts = facts
        self.records = records
        self.match = tuple(match)
        self._groups: dict[tuple[Any, ...], list[Record]] | None = None
        self._chosen: dict[tuple[int, Selection], list[Record]] = {}

    @property
    def groups(self) -> dict[tuple[Any, ...], list[Record]]:
        """The records by their ``match`` values, grouped when a selection first needs them."""
        if self._groups is None:
            self._groups = defaultdict(list)
            key = _keyer(self.match)
            for record in self.records:
                self._groups[key(record)].append(record)
        return self._groups

    def members(self, agg: Aggregate, subject: Record, picks: Selection) -> list[Record]:
        match, differ, exclude_self, earlier_only = picks
        if not (differ or exclude_self or earlier_only):
            return self.groups.get(_keyer(match)(subject), []) if match else self.records
        known = self._chosen.get((id(subject), picks))
        if known is not None:
            return known
        candidates = self.groups.get(_keyer(match)(subject), [])
        here = self.facts[id(subject)]["seq"]
        theirs = [(_exact(subject, field), other) for other, field in differ]
        chosen = []
        for record in candidates:
            if (exclude_self or earlier_only) and record is subject:
                continue
            if earlier_only and self.facts[id(record)]["seq"] > here:
                continue
            if any(_exact(record, other) == value for value, other in theirs):
                continue
            chosen.append(record)
        self._chosen[(id(subject), picks)] = chosen
        return chosen


def carried_field(signature: str) -> str:
    """Name of the field that carries an aggregate on its subject's fact."""
    return f"a_{signature}"


@dataclass(frozen=True)
class _Planned:
    """One distinct aggregate of the pack: what it computes and for which subjects."""

    signature: str
    subject_kind: str
    agg: Aggregate
    type: FieldSpec
    passes: Callable[[Mapping[str, Any]], bool] | None
    pool_key: tuple[str, str, tuple[str, ...]]
    other: str | None
    """Signature of the ``plus``/``minus`` aggregate, computed before this one."""
    shared: bool
    """The same for every subject (one fact per project when asserted on its own)."""
    picks: Selection
    total: Callable[[list[Record]], Decimal | str | None]
    """The aggregate of a subject's members, before ``plus``/``minus`` and ``gap_from``/``share_of``."""
    convert: Callable[[Any], Any]
    """The value's conversion for the engine (its field type's, looked up once)."""
    carried: str
    """The field of the subject's fact that carries the value."""


def _totaller(agg: Aggregate) -> Callable[[list[Record]], Decimal | str | None]:
    """How the members of an aggregate are totalled: a list's text, a sum or a count."""
    name = agg.field
    if agg.fn is AggregateFn.LIST and name:
        spec = schema(agg.of)[name]
        return lambda members: "、".join(display(spec, getattr(m, name)) for m in members)
    if agg.fn is AggregateFn.SUM and name:
        return lambda members: _sum(members, name)
    return lambda members: Decimal(len(members))


def _sum(members: list[Record], name: str) -> Decimal | None:
    """The members' ``name`` added exactly; None when one of them does not state it."""
    total = Decimal(0)
    for member in members:
        part = getattr(member, name)
        if part is not None:
            total += Decimal(part)
        elif not is_blank(member, name):
            return None  # a part the source does not state: the sum is not established
        # a part written blank is an empty cell of the table: it adds nothing
    return total


def _converter(agg: Aggregate, spec: FieldSpec) -> Callable[[Any], Any]:
    """How the aggregate's value crosses into the engine: a plain count is already whole."""
    plain = not (agg.plus or agg.minus or agg.gap_from or agg.share_of)
    return int if agg.fn is AggregateFn.COUNT and plain else CONVERTERS[spec.type]


class Values(dict[tuple[str, str], Decimal | str]):
    """An aggregate's exact value by (signature, subject key); absent when undefined.

    ``engine`` keeps each value as :meth:`AggregatePlan.carry` converted it for the
    subject's fact, so the aggregate's own fact (for 未能核查) is not converted again.
    """

    def __init__(self) -> None:
        super().__init__()
        self.engine: dict[tuple[str, str], Any] = {}


class AggregatePlan:
    """Every distinct aggregate of a rule pack, computed once per project and subject.

    Rules often declare the same aggregate (same signature); each is computed once
    per project, not once per rule, and its records are filtered and grouped once
    for all aggregates that range over the same records.
    """

    def __init__(self, rules: Iterable[Rule]) -> None:
        self.planned: dict[str, _Planned] = {}
        self.names: dict[tuple[str, str], str] = {}
        self.by_kind: dict[str, list[str]] = defaultdict(list)
        for rule in rules:
            spec = rule.spec
            if not spec.aggregates:
                continue
            types = aggregate_types(spec)
            for name, agg in spec.aggregates.items():
                signature = rule.aggregate_keys[name][0]
                self.names[(spec.id, name)] = signature
                if signature in self.planned:
                    continue
                other = agg.plus or agg.minus
                where = json.dumps([c.model_dump(mode="json") for c in agg.where], sort_keys=True)
                self.planned[signature] = _Planned(
                    signature,
                    spec.subject,
                    agg,
                    types[name],
                    _filter(agg.of, agg.where),
                    (agg.of, where, tuple(agg.match)),
                    rule.aggregate_keys[other][0] if other else None,
                    rule.aggregate_keys[name][1],
                    selection(agg),
                    _totaller(agg),
                    _converter(agg, types[name]),
                    carried_field(signature),
                )
                self.by_kind[spec.subject].append(signature)
        self._carried = {
            kind: [(p.signature, p.carried, p.convert) for p in map(self.planned.get, sigs) if p]
            for kind, sigs in self.by_kind.items()
        }

    def compute(
        self, project: ProjectRecords, facts: Facts, failed: dict[str, Exception] | None = None
    ) -> Values:
        """Every planned aggregate for every subject of ``project``, exactly.

        An aggregate that fails is left out (its rules cannot fire) and its error is
        kept in ``failed`` by signature, so the other aggregates are still computed.
        """
        kinds: dict[str, list[Record]] = defaultdict(list)
        for record in project.records:
            kinds[record.kind].append(record)
        pools: dict[tuple[str, str, tuple[str, ...]], _Pool] = {}
        passing: dict[tuple[str, str], list[Record]] = {}
        values = Values()
        for planned in self.planned.values():
            agg = planned.agg
            subjects = kinds.get(planned.subject_kind)
            if not subjects:
                continue
            try:
                pool = pools.get(planned.pool_key)
                if pool is None:
                    where = planned.pool_key[:2]
                    members = passing.get(where)
                    if members is None:
                        members = kinds.get(agg.of, [])
                        if planned.passes is not None:
                            test = planned.passes
                            members = [r for r in members if test(facts[id(r)])]
                        passing[where] = members
                    pool = pools[planned.pool_key] = _Pool(agg.match, members, facts)
                found = {}
                if planned.shared:  # the same for every subject: computed once
                    first = subjects[0]
                    value = _value(planned, first, pool.members(agg, first, planned.picks), values)
                    if value is not None:
                        found = {(planned.signature, s.key): value for s in subjects}
                else:
                    for subject in subjects:
                        value = _value(
                            planned, subject, pool.members(agg, subject, planned.picks), values
                        )
                        if value is not None:
                            found[(planned.signature, subject.key)] = value
            except Exception as exc:  # one aggregate's bug must not stop the others
                if failed is None:
                    raise
                failed[planned.signature] = exc
                continue
            values.update(found)
        return values

    def fact(
        self, signature: str, subject: str, value: Decimal | str, converted: Any = None
    ) -> dict[str, Any]:
        """An aggregate as a fact of its own, for rules whose patterns could not carry it.

        ``converted``: the value already converted for the engine, if it was.
        """
        planned = self.planned[signature]
        subject_key = GLOBAL_SUBJECT if planned.shared else subject
        return {
            "kind": AGGREGATE_KIND,
            "key": f"{signature}:{subject_key}",
            "sig": signature,
            "subject": subject_key,
            "value": planned.convert(value) if converted is None else converted,
        }

    def carry(
        self, facts: Mapping[int, dict[str, Any]], project: ProjectRecords, values: Values
    ) -> None:
        """Put each aggregate value on its subject's fact, converted once for the engine."""
        by_kind = self._carried
        engine = values.engine
        for record in project.records:
            planned = by_kind.get(record.kind)
            if not planned:
                continue
            fact = facts[id(record)]
            key = record.key
            for signature, field, convert in planned:
                value = values.get((signature, key))
                if value is not None:
                    fact[field] = engine[(signature, key)] = convert(value)

    def by_rule(self, values: Values) -> ProjectAggregates:
        """The values seen per rule, as findings and the 未能核查 decider look them up."""
        return ProjectAggregates(self, values)


class ProjectAggregates(Mapping[tuple[str, str, str], AggregateValue]):
    """One project's aggregate values keyed by (rule, aggregate name, subject key).

    Built on demand from the values computed once per signature; each carries the
    fact it would have as a fact of its own (``value`` in engine form).
    """

    def __init__(self, plan: AggregatePlan, values: Values) -> None:
        self._names = plan.names
        self._plan = plan
        self._values = values
        self._built: dict[tuple[str, str, str], AggregateValue] = {}
        self._facts: dict[tuple[str, str], dict[str, Any]] = {}
        """The fact of each (signature, subject), ``{}`` without a value: rules share it."""
        self._engine = values.engine

    def _fact(self, signature: str, subject: str) -> dict[str, Any]:
        key = (signature, subject)
        found = self._facts.get(key)
        if found is None:
            value = self._values.get(key)
            found = (
                {}
                if value is None
                else self._plan.fact(signature, subject, value, self._engine.get(key))
            )
            self._facts[key] = found
        return found

    def fact_of(self, rule: str, name: str, subject: str) -> Mapping[str, Any]:
        """The aggregate's own fact for a rule's subject (``{}`` when it has no value).

        Why: 未能核查 reads the same few aggregates for every rule and subject; built once
        per signature and subject, without the exception a missing key costs a Mapping.
        """
        return self._fact(self._names[(rule, name)], subject)

    def get(  # type: ignore[override]
        self, key: tuple[str, str, str], default: AggregateValue | None = None
    ) -> AggregateValue | None:
        """The value, or ``default`` when undefined (no ``KeyError`` raised and caught)."""
        found = self._built.get(key)
        if found is not None:
            return found
        rule, name, subject = key
        signature = self._names.get((rule, name))
        if signature is None:
            return default
        value = self._values.get((signature, subject))
        if value is None:
            return default
        fact = self._fact(signature, subject)
        found = self._built[key] = AggregateValue(rule, name, subject, value, fact)
        return found

    def value(self, key: tuple[str, str, str]) -> Decimal | str:
        """The exact value alone (``self[key].value``), without building its fact."""
        rule, name, subject = key
        try:
            return self._values[(self._names[(rule, name)], subject)]
        except KeyError:
            raise KeyError(key) from None

    def __getitem__(self, key: tuple[str, str, str]) -> AggregateValue:
        found = self.get(key)
        if found is None:
            raise KeyError(key)
        return found

    def __contains__(self, key: object) -> bool:
        return isinstance(key, tuple) and len(key) == 3 and self.get(key) is not None

    def __iter__(self) -> Iterator[tuple[str, str, str]]:
        by_signature: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for (rule, name), signature in self._names.items():
            by_signature[signature].append((rule, name))
        for signature, subject in self._values:
            for rule, name in by_signature[signature]:
                yield (rule, name, subject)

    def __len__(self) -> int:
        return sum(1 for _ in self)


def _value(
    planned: _Planned, subject: Record, members: list[Record], values: Values
) -> Decimal | str | None:
    total = planned.total(members)
    agg = planned.agg
    if not isinstance(total, Decimal):
        return total  # a list's text, or a sum not established
    combined: Decimal | None = total
    if planned.other is not None:
        other = values.get((planned.other, subject.key))
        if not isinstance(other, Decimal):
            combined = None
        else:
            combined = total + other if agg.plus else total - other
    return _relative(agg, subject, combined) if agg.gap_from or agg.share_of else combined


def compute(rule: Rule, project: ProjectRecords, facts: Facts) -> Iterator[AggregateValue]:
    """Every aggregate of ``rule`` for every subject of the project, with its own fact."""
    spec = rule.spec
    if not spec.aggregates:
        return
    plan = AggregatePlan([rule])
    values = plan.compute(project, facts)
    for subject in project.of_kind(spec.subject):
        for name in spec.aggregates:
            signature = rule.aggregate_keys[name][0]
            value = values.get((signature, subject.key))
            if value is None:
                continue
            fact = plan.fact(signature, subject.key, value)
            yield AggregateValue(spec.id, name, subject.key, value, fact)
