"""未能核查: the rules that could not be decided on a subject, and what would decide them.

Why: unknown is not absent. The engine fires a rule only when its conditions hold
on what the records establish; a rule that stays silent because a field it needs is
not in the source has not passed. Each silent rule is decided again here, on the
very facts the engine saw, with the operator table's three-valued evaluation
(:mod:`compliance.engine.operators`): where the answer is *unknown*, the rule is
listed with the fields whose values would decide it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from compliance.core.numbers import to_engine
from compliance.engine.compiler import (
    aggregate_of,
    aggregate_scope,
    aggregate_types,
    stated_absence,
)
from compliance.engine.operands import (
    OWN,
    SUBJECT,
    Arith,
    Const,
    Operand,
    OperandError,
    Ref,
    Scope,
    aggregate_pattern,
    literal,
    resolve,
)
from compliance.engine.operators import OPERATORS, Operator, State, Truth
from compliance.records.fields import FieldSpec, schema
from compliance.records.loading import ProjectRecords
from compliance.records.project import Record
from compliance.rules.pack import Rule
from compliance.rules.spec import AnyOf, Clause, Condition, Op, Related
from compliance.rules.wording import field_title, kind_label

Facts = Mapping[str, Mapping[str, Any]]
AggregateFact = Callable[[str, str, str], Mapping[str, Any]]
"""``(rule id, aggregate name, subject key)`` → the aggregate's fact (``{}``: no value)."""


@dataclass(frozen=True)
class Undecided:
    """A rule that could not be decided on one subject."""

    rule: str
    title: str
    category: str
    subject_type: str
    subject_key: str
    subject_name: str
    needs: tuple[str, ...]
    """What the records would have to state to decide it, in words."""

    def to_json(self) -> dict[str, Any]:
        """The JSON form (``projects[].undecided[]``)."""
        return {
            "rule": self.rule,
            "title": self.title,
            "category": self.category,
            "subject": {
                "type": self.subject_type,
                "key": self.subject_key,
                "name": self.subject_name,
            },
            "needs": list(self.needs),
        }


@dataclass
class _Outcome:
    truth: Truth
    needs: list[str]


@dataclass
class ConditionOutcome:
    """One condition decided: its truth, the values compared, and what was missing."""

    truth: Truth
    mine: Any
    theirs: Any
    needs: list[str]


@dataclass(frozen=True)
class PreparedCondition:
    """What a condition compares, resolved once per rule (operands, literals, wording)."""

    entry: Operator
    pattern: str
    """The fact that holds the tested field: the record (``$m``) or an aggregate's."""
    field: str
    theirs: Any
    """The compared value when it is constant (a literal, a parameter, a list)."""
    operand: Operand | None
    """The compared value when it is read from the facts (a field, an aggregate, arithmetic)."""
    tolerance: Decimal
    need: str
    operand_need: str
    """What the records would have to state for the compared value, in words."""


_FALSE = _Outcome(Truth.FALSE, [])


class Preparations:
    """Conditions and aggregate types prepared once per rule and reused for every project.

    Why: the same few hundred conditions are decided on every subject of every project;
    resolving their operands and wording each time cost more than the engine run.
    """

    def __init__(self) -> None:
        self._conditions: dict[tuple[str, int, str, bool], PreparedCondition] = {}
        self._types: dict[str, dict[str, FieldSpec]] = {}
        self._nodes: dict[str, Node] = {}

    def node(self, rule: Rule) -> Node:
        """The rule's three-valued evaluation, compiled once."""
        found = self._nodes.get(rule.id)
        if found is None:
            found = self._nodes[rule.id] = _rule_node(rule, self)
        return found

    def aggregate_types(self, rule: Rule) -> dict[str, FieldSpec]:
        """The types of the rule's aggregates."""
        found = self._types.get(rule.id)
        if found is None:
            found = self._types[rule.id] = aggregate_types(rule.spec)
        return found

    def condition(self, rule: Rule, cond: Condition, scope: Scope) -> PreparedCondition:
        """``cond`` of ``rule`` as tested on records of ``scope.own_kind``."""
        key = (rule.id, id(cond), scope.own_kind, scope.in_subject)
        found = self._conditions.get(key)
        if found is None:
            found = self._conditions[key] = self._prepare(rule, cond, scope)
        return found

    def _prepare(self, rule: Rule, cond: Condition, scope: Scope) -> PreparedCondition:
        entry = OPERATORS[Op(cond.op)]
        spec = rule.spec
        agg_types = self.aggregate_types(rule)
        name = aggregate_of(cond)
        if name is not None:
            pattern, field = aggregate_pattern(name), "value"
            field_spec = FieldSpec("value", agg_types[name].type, name)
            scope = aggregate_scope(spec, name, rule.params)
            need = f"汇总值“{spec.aggregates[name].label or name}”"
        else:
            pattern, field = OWN, cond.field
            field_spec = schema(scope.own_kind)[cond.field]
            need = f"{kind_label(scope.own_kind)}的{field_title(scope.own_kind, cond.field)}"
        theirs: Any = None
        operand: Operand | None = None
        tolerance = Decimal(0)
        if entry.operand == "list":
            theirs = [_engine(literal(field_spec, v)) for v in cond.value]
        elif entry.operand == "one":
            resolved = resolve(cond.value, field_spec, scope, agg_types)
            if isinstance(resolved, Const):
                theirs = _engine(resolved)
            else:
                operand = resolved
            if cond.tolerance is not None:
                tol = resolve(cond.tolerance, field_spec, scope, agg_types)
                if isinstance(tol, Const) and isinstance(tol.value, Decimal):
                    tolerance = tol.value
        read = operand.left if isinstance(operand, Arith) else operand
        operand_need = ""
        if isinstance(read, Ref):
            operand_need = (
                f"{kind_label(scope.own_kind)}的{read.title}" if read.pattern == OWN else read.title
            )
        return PreparedCondition(
            entry, pattern, field, theirs, operand, tolerance, need, operand_need
        )


# A rule compiled once into nodes. Each node decides its truth with closures (the
# common case: most silent rules are decided "no" by one condition), and only when
# asked says in words what the records lack (the rules found unknown). Both read the
# same PreparedCondition, operator entries and State.

_EMPTY: Mapping[str, Any] = {}
Test = Callable[[Facts, "Decider"], Truth]
Words = Callable[[Facts, "Decider"], list[str]]


@dataclass(frozen=True)
class Node:
    """A condition, clause, related-records test or rule, compiled."""

    truth: Test
    words: Words
    """What the records lack, for a node that is not false (read only then)."""
    cost: int = 0
    """Own field 0, read operand 1, aggregate 2, other records 3: cheap ones go first."""


class _LazyFacts(dict[str, Mapping[str, Any]]):
    """The subject's fact, with each aggregate's fact built only when a condition reads it.

    Why: most rules are decided by their first condition, and an aggregate's fact costs
    more to build than the condition that reads it.
    """

    __slots__ = ("decider", "rule", "subject")

    def __init__(self, fact: Mapping[str, Any], decider: Decider, rule: Rule, subject: str) -> None:
        self[OWN] = self[SUBJECT] = fact
        self.decider, self.rule, self.subject = decider, rule, subject

    def get(self, pattern: str, default: Any = None) -> Any:  # operands read with get
        return self[pattern]

    def __missing__(self, pattern: str) -> Mapping[str, Any]:
        name = pattern.removeprefix(_AGGREGATE_PREFIX)
        if pattern == name or name not in self.rule.spec.aggregates:
            return _EMPTY
        found = self[pattern] = self.decider.aggregate_fact(self.rule.id, name, self.subject)
        return found


_AGGREGATE_PREFIX = aggregate_pattern("")


def _condition_node(found: PreparedCondition) -> Node:
    decide, known, on = found.entry.decide, found.entry.known, State.on
    pattern, name, theirs, tolerance = found.pattern, found.field, found.theirs, found.tolerance
    operand = found.operand
    if operand is None:

        def constant(facts: Facts, _decider: Decider) -> Truth:
            own = facts[pattern]
            mine: Any = own.get(name)
            if mine is not None:
                return known(mine, theirs, tolerance)
            return decide(on(own, name), mine, theirs, tolerance)

        return Node(constant, lambda _facts, _decider: [found.need], 2 if pattern != OWN else 0)

    def read(facts: Facts, _decider: Decider) -> Truth:
        own = facts[pattern]
        mine: Any = own.get(name)
        value, _ = _operand_value(operand, facts)
        if mine is not None:
            return known(mine, value, tolerance)
        return decide(on(own, name), mine, value, tolerance)

    def words(facts: Facts, _decider: Decider) -> list[str]:
        _, missing = _operand_value(operand, facts)
        return [found.need, found.operand_need or missing] if missing else [found.need]

    reads = operand.left if isinstance(operand, Arith) else operand
    other = isinstance(reads, Ref) and reads.pattern not in (OWN, SUBJECT)
    return Node(read, words, 2 if pattern != OWN or other else 1)


def _any_of(nodes: list[Node]) -> Node:
    """A clause: true when one condition is; its words are those of the unknown ones.

    A clause that holds needs nothing more, whatever its other alternatives lack.
    """

    def any_of(facts: Facts, decider: Decider) -> Truth:
        unknown = False
        for node in nodes:
            truth = node.truth(facts, decider)
            if truth is Truth.TRUE:
                return truth
            unknown = unknown or truth is Truth.UNKNOWN
        return Truth.UNKNOWN if unknown else Truth.FALSE

    def words(facts: Facts, decider: Decider) -> list[str]:
        truths = [node.truth(facts, decider) for node in nodes]
        if Truth.TRUE in truths:
            return []  # decided by the one that holds: the others are not needed
        return [
            need
            for node, truth in zip(nodes, truths, strict=True)
            if truth is Truth.UNKNOWN
            for need in node.words(facts, decider)
        ]

    truth = nodes[0].truth if len(nodes) == 1 else any_of
    return Node(truth, words, max(node.cost for node in nodes))


def _all_of(nodes: list[Node]) -> Node:
    """Kleene's AND, the cheap parts decided first (the order does not change the value).

    Its words are those of the parts not false, in the rule's own order.
    """
    cheapest = [node.truth for node in sorted(nodes, key=lambda node: node.cost)]

    def all_of(facts: Facts, decider: Decider) -> Truth:
        unknown = False
        for test in cheapest:
            truth = test(facts, decider)
            if truth is Truth.FALSE:
                return truth
            unknown = unknown or truth is Truth.UNKNOWN
        return Truth.UNKNOWN if unknown else Truth.TRUE

    def words(facts: Facts, decider: Decider) -> list[str]:
        return [
            need
            for node in nodes
            if node.truth(facts, decider) is not Truth.FALSE
            for need in node.words(facts, decider)
        ]

    return Node(all_of, words)


def _clauses(rule: Rule, clauses: list[Clause], scope: Scope, prepared: Preparations) -> list[Node]:
    return [
        _any_of(
            [
                _condition_node(prepared.condition(rule, cond, scope))
                for cond in (clause.any if isinstance(clause, AnyOf) else [clause])
            ]
        )
        for clause in clauses
    ]


_RELATED_COST = 3


def _related_node(rule: Rule, related: Related, prepared: Preparations, absent: bool) -> Node:
    """``join`` (another record matches) or ``absent`` (none does), decided on the candidates."""
    spec = rule.spec
    scope = Scope(related.kind, spec.subject, frozenset(), rule.params, in_subject=False)
    parts = _clauses(rule, related.when, scope, prepared)
    each = _all_of(parts)
    stated = stated_absence(related)

    def matches(facts: Facts, decider: Decider) -> Truth:
        unknown = False
        candidates = decider.candidates(related, facts)
        for fact in candidates:
            truth = each.truth({OWN: fact, SUBJECT: facts[SUBJECT]}, decider)
            if truth is Truth.TRUE:
                return Truth.FALSE if absent else Truth.TRUE
            unknown = unknown or truth is Truth.UNKNOWN
        if unknown:
            return Truth.UNKNOWN
        complete = related.kind in decider.project.complete
        if absent:
            if complete or (stated is not None and decider.denied(related, facts, stated)):
                return Truth.TRUE
            return Truth.UNKNOWN
        return Truth.FALSE if complete or candidates else Truth.UNKNOWN

    def words(facts: Facts, decider: Decider) -> list[str]:
        if matches(facts, decider) is not Truth.UNKNOWN:
            return []
        needs: list[str] = []
        candidates = decider.candidates(related, facts)
        for fact in candidates:
            here = {OWN: fact, SUBJECT: facts[SUBJECT]}
            for part in parts:
                if part.truth(here, decider) is Truth.UNKNOWN:
                    needs.extend(part.words(here, decider))
        if needs:
            return needs
        if absent:
            return [f"{kind_label(related.kind)}登记是否完整（coverage），或资料是否写明不具备"]
        return [kind_label(related.kind)]

    return Node(matches, words, _RELATED_COST)


def _rule_node(rule: Rule, prepared: Preparations) -> Node:
    spec = rule.spec
    scope = Scope(spec.subject, spec.subject, frozenset(spec.aggregates), rule.params)
    return _all_of(
        [
            *_clauses(rule, spec.when, scope, prepared),
            *(_related_node(rule, r, prepared, absent=False) for r in spec.join),
            *(_related_node(rule, r, prepared, absent=True) for r in spec.absent),
        ]
    )


def decide_condition(
    rule: Rule,
    cond: Condition,
    scope: Scope,
    facts: Facts,
    prepared: Preparations,
) -> ConditionOutcome:
    """Decide one condition on the engine facts bound in ``facts`` (``$m``: the record tested).

    For ``explain``, which also shows the values compared. The 未能核查 decider runs the
    same prepared condition through :func:`_condition_node`; both decide with the
    operator table's entry and :func:`_operand_value`, and
    ``tests/test_undecided_fast.py`` and ``tests/test_explain.py`` hold them to the engine.
    """
    found = prepared.condition(rule, cond, scope)
    own = facts.get(found.pattern, {})
    mine = own.get(found.field)
    needs = [found.need]
    theirs = found.theirs
    if found.operand is not None:
        theirs, missing = _operand_value(found.operand, facts)
        if missing:
            needs.append(found.operand_need or missing)
    truth = found.entry.decide(State.on(own, found.field), mine, theirs, found.tolerance)
    return ConditionOutcome(truth, mine, theirs, needs)


def _operand_value(operand: Operand, facts: Facts) -> tuple[Any, str | None]:
    """The compared value as the engine sees it, or None and the title of what is missing."""
    if isinstance(operand, Const):
        return _engine(operand), None
    if isinstance(operand, Ref):
        value = facts.get(operand.pattern, {}).get(operand.field)
        return value, None if value is not None else operand.title
    left, missing = _operand_value(operand.left, facts)
    right = operand.right.value
    if left is None or not isinstance(right, Decimal) or isinstance(left, bool | str):
        return None, missing
    return _arith(operand, Decimal(str(left)), right), None


class Decider:
    """Three-valued evaluation of rules on one project's facts."""

    def __init__(
        self,
        project: ProjectRecords,
        facts: Mapping[int, Mapping[str, Any]],
        aggregate_fact: AggregateFact,
        prepared: Preparations | None = None,
    ) -> None:
        self.project = project
        self.facts = facts
        self.aggregate_fact = aggregate_fact
        self.prepared = prepared or Preparations()
        self._kinds: dict[str, list[Record]] = {}
        for record in project.records:
            self._kinds.setdefault(record.kind, []).append(record)

    def of_kind(self, kind: str) -> list[Record]:
        """The project's records of ``kind``, in file order (grouped once per project)."""
        return self._kinds.get(kind, [])

    def undecided(self, rule: Rule, fired: set[str]) -> list[Undecided]:
        """The subjects of ``rule`` (not among ``fired``) on which it is unknown."""
        out: list[Undecided] = []
        records = self._kinds.get(rule.spec.subject)
        if not records:
            return out
        node = self.prepared.node(rule)
        for record in records:
            if record.key in fired:
                continue
            try:
                facts = _LazyFacts(self.facts[id(record)], self, rule, record.key)
                if node.truth(facts, self) is not Truth.UNKNOWN:
                    continue
                needs = tuple(dict.fromkeys(node.words(facts, self))) or ("（未说明）",)
            except (OperandError, KeyError, TypeError, ValueError):
                continue  # the rule ran in the engine; an evaluation gap here is no finding
            out.append(
                Undecided(
                    rule.id,
                    rule.spec.title,
                    rule.spec.category,
                    record.kind,
                    record.key,
                    record.display_name,
                    needs,
                )
            )
        return out

    def truth(self, rule: Rule, subject: Record) -> Truth:
        """The rule on ``subject``, true, false or unknown: :meth:`decide` without the words."""
        lazy = _LazyFacts(self.facts[id(subject)], self, rule, subject.key)
        return self.prepared.node(rule).truth(lazy, self)

    def bound(self, rule: Rule, subject: Record) -> dict[str, Mapping[str, Any]]:
        """The facts a rule's conditions read on ``subject``: its record and aggregates."""
        fact = self.facts[id(subject)]
        facts: dict[str, Mapping[str, Any]] = {OWN: fact, SUBJECT: fact}
        for name in rule.spec.aggregates:
            facts[aggregate_pattern(name)] = self.aggregate_fact(rule.id, name, subject.key)
        return facts

    def decide(self, rule: Rule, subject: Record) -> _Outcome:
        """The rule on ``subject``: true, false or unknown, and the data it lacks."""
        node = self.prepared.node(rule)
        facts = self.bound(rule, subject)
        truth = node.truth(facts, self)
        return _FALSE if truth is Truth.FALSE else _Outcome(truth, node.words(facts, self))

    def candidates(self, related: Related, facts: Facts) -> list[Mapping[str, Any]]:
        subject = facts[SUBJECT]
        out = []
        for record in self.of_kind(related.kind):
            fact = self.facts[id(record)]
            if all(
                fact.get(o) is not None and fact.get(o) == subject.get(m)
                for o, m in related.match.items()
            ):
                out.append(fact)
        return out

    def denied(self, related: Related, facts: Facts, stated: list[Clause]) -> bool:
        """A record of the kind states the absence (``present: false``), as the compiler has it.

        ``stated``: the conditions such a record must meet (:func:`stated_absence`).
        """
        for fact in self.candidates(related, facts):
            if fact.get("present") is not False:
                continue
            if all(_equality_holds(c, fact, related.kind) for c in stated):
                return True
        return False


def _equality_holds(clause: Clause, fact: Mapping[str, Any], kind: str) -> bool:
    conditions = clause.any if isinstance(clause, AnyOf) else [clause]
    for cond in conditions:
        entry = OPERATORS[Op(cond.op)]
        spec = schema(kind)[cond.field]
        theirs: Any = None
        if entry.operand == "list":
            theirs = [_engine(literal(spec, v)) for v in cond.value]
        elif entry.operand == "one" and not isinstance(cond.value, dict):
            theirs = _engine(literal(spec, cond.value))
        elif entry.operand == "one":
            continue
        state = State.on(fact, cond.field)
        if entry.decide(state, fact.get(cond.field), theirs, Decimal(0)) is Truth.TRUE:
            return True
    return False


def _engine(const: Const) -> Any:
    """A constant as the facts hold it (numbers quantized to the engine quantum)."""
    value = const.value
    return to_engine(value) if isinstance(value, Decimal) else value


def _arith(operand: Arith, left: Decimal, right: Decimal) -> Decimal | None:
    if operand.op == "add":
        return left + right
    if operand.op == "sub":
        return left - right
    if operand.op == "mul":
        return left * right
    return left / right if right else None
