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
        self._truths: dict[str, RuleTruth] = {}

    def truth(self, rule: Rule) -> RuleTruth:
        """The rule's three-valued evaluation without the wording, compiled once."""
        found = self._truths.get(rule.id)
        if found is None:
            found = self._truths[rule.id] = _compile_rule(rule, self)
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


# The fast path: a rule's truth alone, from closures prepared once per rule.
# Most silent rules are decided "no"; only those found unknown go on to the slower
# evaluation below that says, in words, what would decide them. Both read the same
# PreparedCondition, operator entries and State, so they cannot disagree.

_EMPTY: Mapping[str, Any] = {}
Test = Callable[[Facts, "Decider"], Truth]
RuleTruth = Callable[[Facts, "Decider"], Truth]


class _LazyFacts(dict[str, Mapping[str, Any]]):
    """The subject's fact, with each aggregate's fact built only when a condition reads it.

    Why: most rules are decided by their first condition, and an aggregate's fact costs
    more to build than the condition that reads it.
    """

    __slots__ = ("aggregates", "decider", "rule", "subject")

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


def _compile_condition(found: PreparedCondition) -> Test:
    decide = found.entry.decide
    pattern, name, theirs, operand, tolerance = (
        found.pattern,
        found.field,
        found.theirs,
        found.operand,
        found.tolerance,
    )
    known, on = found.entry.known, State.on

    if operand is None:

        def constant(facts: Facts, _decider: Decider) -> Truth:
            own = facts[pattern]
            mine = own.get(name)
            if mine is not None:
                return known(mine, theirs, tolerance)
            return decide(on(own, name), mine, theirs, tolerance)

        return constant

    def read(facts: Facts, _decider: Decider) -> Truth:
        own = facts[pattern]
        mine = own.get(name)
        value, _ = _operand_value(operand, facts)
        if mine is not None:
            return known(mine, value, tolerance)
        return decide(on(own, name), mine, value, tolerance)

    return read


def _any_of(tests: list[Test]) -> Test:
    if len(tests) == 1:
        return tests[0]

    def any_of(facts: Facts, decider: Decider) -> Truth:
        unknown = False
        for test in tests:
            truth = test(facts, decider)
            if truth is Truth.TRUE:
                return truth
            unknown = unknown or truth is Truth.UNKNOWN
        return Truth.UNKNOWN if unknown else Truth.FALSE

    return any_of


def _all_of(tests: list[Test]) -> Test:
    def all_of(facts: Facts, decider: Decider) -> Truth:
        unknown = False
        for test in tests:
            truth = test(facts, decider)
            if truth is Truth.FALSE:
                return truth
            unknown = unknown or truth is Truth.UNKNOWN
        return Truth.UNKNOWN if unknown else Truth.TRUE

    return all_of


def _compile_clauses(
    rule: Rule, clauses: list[Clause], scope: Scope, prepared: Preparations
) -> list[Test]:
    return [
        _any_of(
            [
                _compile_condition(prepared.condition(rule, cond, scope))
                for cond in (clause.any if isinstance(clause, AnyOf) else [clause])
            ]
        )
        for clause in clauses
    ]


def _compile_related(rule: Rule, related: Related, prepared: Preparations, absent: bool) -> Test:
    spec = rule.spec
    scope = Scope(related.kind, spec.subject, frozenset(), rule.params, in_subject=False)
    each = _all_of(_compile_clauses(rule, related.when, scope, prepared))

    def matches(facts: Facts, decider: Decider) -> Truth:
        unknown = False
        candidates = decider.candidates(related, facts)
        for fact in candidates:
            truth = each({OWN: fact, SUBJECT: facts[SUBJECT]}, decider)
            if truth is Truth.TRUE:
                return Truth.FALSE if absent else Truth.TRUE
            unknown = unknown or truth is Truth.UNKNOWN
        if unknown:
            return Truth.UNKNOWN
        complete = related.kind in decider.project.complete
        if absent:
            return Truth.TRUE if complete or decider.denied(related, facts) else Truth.UNKNOWN
        return Truth.FALSE if complete or candidates else Truth.UNKNOWN

    return matches


def _compile_rule(rule: Rule, prepared: Preparations) -> RuleTruth:
    spec = rule.spec
    scope = Scope(spec.subject, spec.subject, frozenset(spec.aggregates), rule.params)
    return _all_of(
        [
            *_compile_clauses(rule, spec.when, scope, prepared),
            *(_compile_related(rule, r, prepared, absent=False) for r in spec.join),
            *(_compile_related(rule, r, prepared, absent=True) for r in spec.absent),
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

    The one Python evaluation of a condition: the 未能核查 decider and ``explain`` both call it.
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
        self._scopes: dict[tuple[str, str, bool], Scope] = {}
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
        truth = self.prepared.truth(rule)
        for record in records:
            if record.key in fired:
                continue
            try:
                if truth(_LazyFacts(self.facts[id(record)], self, rule, record.key), self) is not (
                    Truth.UNKNOWN
                ):
                    continue
                outcome = self.decide(rule, record)
            except (OperandError, KeyError, TypeError, ValueError):
                continue  # the rule ran in the engine; an evaluation gap here is no finding
            if outcome.truth is Truth.UNKNOWN:
                needs = tuple(dict.fromkeys(outcome.needs)) or ("（未说明）",)
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
        return self.prepared.truth(rule)(lazy, self)

    def bound(self, rule: Rule, subject: Record) -> dict[str, Mapping[str, Any]]:
        """The facts a rule's conditions read on ``subject``: its record and aggregates."""
        fact = self.facts[id(subject)]
        facts: dict[str, Mapping[str, Any]] = {OWN: fact, SUBJECT: fact}
        for name in rule.spec.aggregates:
            facts[aggregate_pattern(name)] = self.aggregate_fact(rule.id, name, subject.key)
        return facts

    def decide(self, rule: Rule, subject: Record) -> _Outcome:
        """The rule on ``subject``: true, false or unknown, and the data it lacks."""
        spec = rule.spec
        facts = self.bound(rule, subject)
        agg_types = self.prepared.aggregate_types(rule)
        parts: list[_Outcome] = []
        for clause in spec.when:
            parts.append(self._clause(rule, clause, facts, agg_types, spec.subject))
            if parts[-1].truth is Truth.FALSE:
                return _FALSE  # one false condition decides the rule (Kleene's AND)
        for related in spec.join:
            parts.append(self._join(rule, related, facts, agg_types))
            if parts[-1].truth is Truth.FALSE:
                return _FALSE
        for related in spec.absent:
            parts.append(self._absent(rule, related, facts, agg_types))
        return _Outcome(
            Truth.all([p.truth for p in parts]),
            [n for p in parts if p.truth is not Truth.FALSE for n in p.needs],
        )

    def _clause(
        self,
        rule: Rule,
        clause: Clause,
        facts: Facts,
        agg_types: dict[str, FieldSpec],
        kind: str,
        *,
        in_subject: bool = True,
    ) -> _Outcome:
        conditions = clause.any if isinstance(clause, AnyOf) else [clause]
        outcomes = [
            self._condition(rule, c, facts, agg_types, kind, in_subject) for c in conditions
        ]
        return _Outcome(
            Truth.any([o.truth for o in outcomes]),
            [n for o in outcomes if o.truth is Truth.UNKNOWN for n in o.needs],
        )

    def _condition(
        self,
        rule: Rule,
        cond: Condition,
        facts: Facts,
        agg_types: dict[str, FieldSpec],
        kind: str,
        in_subject: bool,
    ) -> _Outcome:
        key = (rule.id, kind, in_subject)
        scope = self._scopes.get(key)
        if scope is None:
            spec = rule.spec
            scope = self._scopes[key] = (
                Scope(kind, spec.subject, frozenset(spec.aggregates), rule.params)
                if in_subject
                else Scope(kind, spec.subject, frozenset(), rule.params, in_subject=False)
            )
        found = decide_condition(rule, cond, scope, facts, self.prepared)
        return _Outcome(found.truth, found.needs)

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

    def _matches(
        self, rule: Rule, related: Related, facts: Facts, agg_types: dict[str, FieldSpec]
    ) -> tuple[list[Truth], list[str]]:
        truths: list[Truth] = []
        needs: list[str] = []
        for fact in self.candidates(related, facts):
            here = {**facts, OWN: fact}
            parts = [
                self._clause(rule, c, here, agg_types, related.kind, in_subject=False)
                for c in related.when
            ]
            truths.append(Truth.all([p.truth for p in parts]))
            needs.extend(n for p in parts if p.truth is Truth.UNKNOWN for n in p.needs)
        return truths, needs

    def _join(
        self, rule: Rule, related: Related, facts: Facts, agg_types: dict[str, FieldSpec]
    ) -> _Outcome:
        truths, needs = self._matches(rule, related, facts, agg_types)
        if Truth.TRUE in truths:
            return _Outcome(Truth.TRUE, [])
        if Truth.UNKNOWN in truths:
            return _Outcome(Truth.UNKNOWN, needs)
        if not truths and related.kind not in self.project.complete:
            return _Outcome(Truth.UNKNOWN, [kind_label(related.kind)])
        return _Outcome(Truth.FALSE, [])

    def _absent(
        self, rule: Rule, related: Related, facts: Facts, agg_types: dict[str, FieldSpec]
    ) -> _Outcome:
        truths, needs = self._matches(rule, related, facts, agg_types)
        if Truth.TRUE in truths:
            return _Outcome(Truth.FALSE, [])
        if Truth.UNKNOWN in truths:
            return _Outcome(Truth.UNKNOWN, needs)
        if related.kind in self.project.complete or self.denied(related, facts):
            return _Outcome(Truth.TRUE, [])
        return _Outcome(
            Truth.UNKNOWN,
            [f"{kind_label(related.kind)}登记是否完整（coverage），或资料是否写明不具备"],
        )

    def denied(self, related: Related, facts: Facts) -> bool:
        """A record of the kind states the absence (``present: false``), as the compiler has it."""
        stated = stated_absence(related)
        if stated is None:
            return False
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
