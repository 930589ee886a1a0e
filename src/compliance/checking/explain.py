"""``compliance explain RULE RECORD``: why a rule fired or stayed silent, condition by condition.

Each condition is re-evaluated here on the very facts the engine saw (same
conversions, exact Decimal arithmetic), and shown with its values and whether it
held. Whether the rule fired is taken from the engine itself; if the two ever
disagree the explanation says so instead of hiding it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from compliance.checking.checker import Checker
from compliance.checking.findings import Finding
from compliance.checking.undecided import Decider, Preparations, decide_condition
from compliance.engine.aggregates import AggregateValue, compute
from compliance.engine.compiler import aggregate_of, aggregate_scope, aggregate_types
from compliance.engine.operands import (
    OWN,
    SUBJECT,
    Scope,
    aggregate_pattern,
)
from compliance.engine.operators import OPERATORS, State, Truth
from compliance.records.fields import FieldSpec, display, schema, to_fact
from compliance.records.loading import ProjectRecords
from compliance.records.project import Record
from compliance.rules.pack import Rule, RulePack
from compliance.rules.spec import AnyOf, Clause, Condition, Op, Related
from compliance.rules.wording import absent_words, clause_words, condition_words, kind_label

Facts = Mapping[str, Mapping[str, Any]]


@dataclass
class Check:
    """One condition with the values it was evaluated on."""

    words: str
    held: bool
    values: str


@dataclass
class SubjectExplanation:
    """Why the rule did or did not fire on one subject."""

    record: Record
    checks: list[Check] = field(default_factory=list)
    finding: Finding | None = None
    note: str = ""
    truth: Truth = Truth.FALSE
    """The three-valued decision on the facts the engine saw (see :mod:`.undecided`)."""

    @property
    def expected(self) -> bool:
        """What the conditions say (the engine decides; this explains)."""
        return self.truth is Truth.TRUE


def _shown(
    spec: FieldSpec | None, record: Record | None, name: str, fact: Mapping[str, Any]
) -> str:
    if record is not None and spec is not None and hasattr(record, name):
        return display(spec, getattr(record, name))
    value = fact.get(name)
    return "（空）" if value is None else str(value)


def evaluate(
    cond: Condition,
    scope: Scope,
    facts: Facts,
    agg_types: dict[str, FieldSpec],
    own: Record | None,
    rule: Rule,
    aggregates: Mapping[str, AggregateValue],
    prepared: Preparations,
) -> Check:
    """One condition on the facts in ``facts``, decided by :func:`decide_condition`, in words."""
    found = decide_condition(rule, cond, scope, facts, prepared)
    name = aggregate_of(cond)
    if name is not None:
        left = display(None, aggregates[name].value) if name in aggregates else "（无）"
    else:
        spec = schema(scope.own_kind)[cond.field]
        state = State.on(facts[OWN], cond.field)
        left = _shown(spec, own, cond.field, facts[OWN])
        if state is State.UNKNOWN:
            left = "（未载明）"
        elif state is State.BLANK:
            left = "（空白）"
    words = condition_words(cond, scope.own_kind, scope.subject_kind, rule)
    held = found.truth is Truth.TRUE
    if OPERATORS[Op(cond.op)].operand != "one":
        return Check(words, held, f"值：{left}")
    right = "（空）" if found.theirs is None else str(found.theirs)
    return Check(words, held, f"值：{left}；比较对象：{right}")


class Explainer:
    """Explains one rule on one project."""

    def __init__(self, pack: RulePack, rule: Rule, project: ProjectRecords) -> None:
        self.rule = rule
        self.project = project
        single = RulePack(pack.root, [rule], pack.categories, pack.files)
        self.result = Checker(single).check_project(project)
        self.facts = {id(r): to_fact(r, seq) for seq, r in enumerate(project.records)}
        self.aggregates = {(v.name, v.subject): v for v in compute(rule, project, self.facts)}
        self.agg_types = aggregate_types(rule.spec)
        self.decider = Decider(project, self.facts, self._aggregate_fact)

    def _aggregate_fact(self, _rule: str, name: str, subject: str) -> Mapping[str, Any]:
        found = self.aggregates.get((name, subject))
        return found.fact if found is not None else {}

    def subjects(self, key: str | None = None) -> list[SubjectExplanation]:
        """The explanation for every subject (or the one with ``key``)."""
        found = {f.subject.key: f for f in self.result.findings}
        out = []
        for record in self.project.of_kind(self.rule.spec.subject):
            if key is not None and record.key != key:
                continue
            item = SubjectExplanation(record, finding=found.get(record.key))
            self._explain(item)
            outcome = self.decider.decide(self.rule, record)
            item.truth = outcome.truth
            if outcome.truth is Truth.UNKNOWN and item.finding is None:
                item.note = "未能核查：记录未载明" + "；".join(dict.fromkeys(outcome.needs))
            elif item.expected != (item.finding is not None):
                item.note = (
                    "注意：逐条计算的结论与引擎结果不一致，以引擎为准；请报告此规则（"
                    f"{self.rule.id}）以便核查。"
                )
            out.append(item)
        return out

    def _explain(self, item: SubjectExplanation) -> None:
        spec = self.rule.spec
        subject = item.record
        subject_fact = self.facts[id(subject)]
        aggregates = {n: v for (n, s), v in self.aggregates.items() if s == subject.key}
        facts: dict[str, Mapping[str, Any]] = {OWN: subject_fact, SUBJECT: subject_fact}
        facts.update({aggregate_pattern(n): v.fact for n, v in aggregates.items()})
        params = self.rule.params
        for clause in spec.when:
            item.checks.append(self._clause(clause, subject, facts, aggregates))
        for related in spec.join:
            matches = self._related(related, subject, facts, params)
            words = f"存在{kind_label(related.kind)}（{related.as_}）" + "".join(
                f"，{clause_words(c, related.kind, spec.subject, self.rule)}" for c in related.when
            )
            shown = "、".join(r.display_name for r in matches) or "无"
            item.checks.append(Check(words, bool(matches), f"符合的记录：{shown}"))
        for related in spec.absent:
            matches = self._related(related, subject, facts, params)
            shown = "、".join(f"{r.display_name}（{r.location}）" for r in matches) or "无"
            item.checks.append(
                Check(absent_words(related, spec.subject), not matches, f"符合的记录：{shown}")
            )

    def _clause(
        self,
        clause: Clause,
        subject: Record,
        facts: Facts,
        aggregates: Mapping[str, AggregateValue],
    ) -> Check:
        spec = self.rule.spec
        conditions = clause.any if isinstance(clause, AnyOf) else [clause]
        checks = []
        for cond in conditions:
            name = aggregate_of(cond)
            scope = (
                aggregate_scope(spec, name, self.rule.params)
                if name
                else Scope(spec.subject, spec.subject, frozenset(spec.aggregates), self.rule.params)
            )
            checks.append(
                evaluate(
                    cond,
                    scope,
                    facts,
                    self.agg_types,
                    subject,
                    self.rule,
                    aggregates,
                    self.decider.prepared,
                )
            )
        if len(checks) == 1:
            return checks[0]
        words = "以下任一成立：" + "；或".join(c.words for c in checks)
        values = "；".join(f"{'✓' if c.held else '✗'} {c.values}" for c in checks)
        return Check(words, any(c.held for c in checks), values)

    def _related(
        self, related: Related, subject: Record, facts: Facts, params: dict[str, Any]
    ) -> list[Record]:
        scope = Scope(related.kind, self.rule.spec.subject, frozenset(), params, in_subject=False)
        matches = []
        for record in self.project.of_kind(related.kind):
            fact = self.facts[id(record)]
            if any(
                fact.get(o) is None or fact.get(o) != facts[SUBJECT].get(m)
                for o, m in related.match.items()
            ):
                continue
            here = {**facts, OWN: fact}
            checks = [self._related_clause(c, scope, here, record) for c in related.when]
            if all(checks):
                matches.append(record)
        return matches

    def _related_clause(self, clause: Clause, scope: Scope, facts: Facts, record: Record) -> bool:
        conditions = clause.any if isinstance(clause, AnyOf) else [clause]
        return any(
            evaluate(
                c, scope, facts, self.agg_types, record, self.rule, {}, self.decider.prepared
            ).held
            for c in conditions
        )
