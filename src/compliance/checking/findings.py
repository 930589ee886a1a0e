"""Findings: what a rule found, about which record, with the values that made it fire.

Messages are built after the engine run, from the exact record values (Decimal,
dates, labels), never from the engine's floats.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import Any, NamedTuple

from compliance.core.errors import Location
from compliance.engine.aggregates import AggregateValue, ProjectAggregates
from compliance.engine.compiler import RuleMatch
from compliance.engine.operands import operand_fields
from compliance.records.fields import PSEUDO_FIELDS, SEQ, FieldSpec, FieldType, display, schema
from compliance.records.kinds import RECORD_KINDS
from compliance.records.project import Record
from compliance.records.vocabulary import Severity
from compliance.rules.messages import TemplateError, placeholders, render
from compliance.rules.pack import Rule
from compliance.rules.spec import AnyOf, Clause, Condition
from compliance.rules.wording import absent_words


@dataclass(frozen=True)
class Subject:
    """The record a finding is about."""

    type: str
    key: str
    name: str

    def as_dict(self) -> dict[str, str]:
        """Plain data for JSON."""
        return {"type": self.type, "key": self.key, "name": self.name}


class Evidence(NamedTuple):
    """One value that made the rule fire (a named tuple: ~30 are made per project)."""

    name: str
    label: str
    value: str


@dataclass
class Finding:
    """A problem found by a rule in one project."""

    rule: str
    title: str
    category: str
    severity: Severity
    framework: str
    subject: Subject
    message: str
    evidence: list[Evidence]
    location: Location | None
    references: list[str]
    recommendation: str
    number: int = 0
    source: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """The finding as JSON keys (``rule``, ``category`` … ``recommendation``)."""
        return {
            "number": self.number,
            "rule": self.rule,
            "title": self.title,
            "category": self.category,
            "severity": self.severity.value,
            "framework": self.framework,
            "subject": self.subject.as_dict(),
            "message": self.message,
            "evidence": {e.name: e.value for e in self.evidence},
            "location": self.location.as_dict() if self.location else None,
            "references": self.references,
            "recommendation": self.recommendation,
        }


@lru_cache(maxsize=4096)
def _natural(key: str) -> tuple[Any, ...]:
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", key))


def sort_key(finding: Finding, category_order: list[str]) -> tuple[Any, ...]:
    """Report order: category, severity, rule, then the subject in natural order."""
    try:
        category = category_order.index(finding.category)
    except ValueError:
        category = len(category_order)
    return (
        category,
        finding.severity.rank,
        finding.rule,
        finding.subject.type,
        _natural(finding.subject.key),
    )


def _conditions(items: list[Clause]) -> list[Condition]:
    out: list[Condition] = []
    for item in items:
        out.extend(item.any if isinstance(item, AnyOf) else [item])
    return out


def _fields_of(conditions: list[Condition]) -> list[str]:
    names: list[str] = []
    for cond in conditions:
        for name in (cond.field, *(operand_fields(cond.value))):
            if name not in names:
                names.append(name)
    return names


@dataclass(frozen=True)
class FindingLayout:
    """What every finding of one rule shows, worked out once per rule rather than per finding.

    Only the values differ between two findings of a rule; which fields are evidence,
    their labels and the constant items (absent records, parameters) do not.
    """

    rule: Rule
    fields: tuple[tuple[str, str, FieldSpec], ...]
    """The subject's evidence: field name, label and spec."""
    aggregates: tuple[tuple[str, str, FieldSpec | None], ...]
    """Each aggregate: its name, label and, for money, the spec it is shown with."""
    joins: tuple[tuple[str, str, tuple[tuple[str, str, FieldSpec], ...]], ...]
    """Each joined record's name, its evidence's prefix, and its evidence: field, title, spec."""
    fixed: tuple[Evidence, ...]
    """Absent records and parameters: the same for every finding of the rule."""
    references: tuple[str, ...]
    shown: dict[str, Shown]
    """How each placeholder of the message and recommendation reads its value, where known."""

    @classmethod
    def of(cls, rule: Rule) -> FindingLayout:
        spec = rule.spec
        fields = schema(spec.subject)
        named = [n for n in placeholders(spec.message) if n in fields]
        subject = tuple(
            (name, fields[name].title, fields[name])
            for name in dict.fromkeys([*named, *spec.evidence, *_fields_of(_conditions(spec.when))])
            if not name.startswith("aggregates.") and name not in PSEUDO_FIELDS
        )
        aggregates = []
        for name, agg in spec.aggregates.items():
            label = agg.label or f"{RECORD_KINDS[agg.of].label}{'合计' if agg.field else '数量'}"
            if agg.field and not agg.label:
                label += f"·{schema(agg.of)[agg.field].title}"
            aggregates.append((name, label, _money_spec(agg.of, agg.field)))
        joins = []
        for related in spec.join:
            other_fields = schema(related.kind)
            names = ["key", *related.match, *_fields_of(_conditions(related.when))]
            joins.append(
                (
                    related.as_ or "",
                    f"{related.as_}",
                    tuple(
                        (name, other_fields[name].title, other_fields[name])
                        for name in dict.fromkeys(n for n in names if n != SEQ)
                    ),
                )
            )
        fixed = [
            Evidence(f"absent[{index}]", "未见记录", absent_words(related))
            for index, related in enumerate(spec.absent)
        ]
        for name in spec.params:
            label = spec.params[name].label or name
            fixed.append(
                Evidence(f"params.{name}", f"参数·{label}", display(None, rule.params[name]))
            )
        references = tuple(
            f"{r.title}{'，' + r.clause if r.clause else ''}" for r in spec.references
        )
        shown = {}
        try:
            names = [*placeholders(spec.message), *placeholders(spec.recommendation)]
        except TemplateError:  # checked when the pack loads; rendering reports it if not
            names = []
        for name in dict.fromkeys(names):
            getter = _shown(rule, name)
            if getter is not None:
                shown[name] = getter
        return cls(rule, subject, tuple(aggregates), tuple(joins), tuple(fixed), references, shown)


Shown = Callable[[Record, Mapping[str, Record], Mapping[str, Decimal | str]], str]
"""A placeholder's value: from the subject, the joined records and the aggregate values."""


def _shown(rule: Rule, name: str) -> Shown | None:
    """How placeholder ``name`` reads its value, worked out once; None: look it up each time.

    The common names only (a subject field, a parameter, an aggregate); anything else, or
    a name that does not resolve, goes through :meth:`FindingBuilder.build`'s own lookup,
    which also raises where this would.
    """
    spec = rule.spec
    head, _, tail = name.partition(".")
    if not tail:
        if name == "subject":
            return lambda subject, _joined, _aggregates: subject.display_name
        field = schema(spec.subject).get(name)
        if field is None:
            return None
        return lambda subject, _joined, _aggregates: display(field, getattr(subject, name))
    if head == "params" and tail in rule.params:
        text = display(None, rule.params[tail])
        return lambda _subject, _joined, _aggregates: text
    if head == "aggregates" and tail in spec.aggregates:
        agg = spec.aggregates[tail]
        money = _money_spec(agg.of, agg.field)
        return lambda _subject, _joined, aggregates: display(money, aggregates[tail])
    return None


def _money_spec(kind: str, field_name: str | None) -> FieldSpec | None:
    """The spec an aggregate is shown with: its field's when that is money, else none."""
    spec: FieldSpec | None = schema(kind).get(field_name) if field_name else None
    return spec if spec is not None and spec.type is FieldType.MONEY else None


class FindingBuilder:
    """Turns the engine's matches of one project into findings.

    ``layouts`` may be shared by the builders of every project a checker sees: a
    rule's layout is then worked out once per run.
    """

    def __init__(
        self,
        records: Mapping[tuple[str, str], Record],
        aggregates: Mapping[tuple[str, str, str], AggregateValue],
        layouts: dict[str, FindingLayout] | None = None,
    ) -> None:
        self.records = records
        self.aggregates = aggregates
        self.layouts: dict[str, FindingLayout] = {} if layouts is None else layouts

    def _layout(self, rule: Rule) -> FindingLayout:
        layout = self.layouts.get(rule.id)
        if layout is None or layout.rule is not rule:
            layout = self.layouts[rule.id] = FindingLayout.of(rule)
        return layout

    def build(self, rule: Rule, match: RuleMatch) -> Finding:
        """One finding; raises on a bug so the caller can report it against the rule."""
        spec = rule.spec
        layout = self._layout(rule)
        subject = self.records[(spec.subject, match.subject)]
        joined = {
            related.as_ or "": self.records[(related.kind, match.joined[related.as_ or ""])]
            for related in spec.join
        }
        known = self.aggregates
        exact = (
            known.value
            if isinstance(known, ProjectAggregates)
            else lambda key: known[key].value  # any other mapping (explain, tests)
        )
        aggregates = {name: exact((spec.id, name, subject.key)) for name in spec.aggregates}
        evidence = self._evidence(layout, subject, joined, aggregates)

        shown = layout.shown

        def lookup(name: str) -> str:
            getter = shown.get(name)
            if getter is not None:
                return getter(subject, joined, aggregates)
            head, _, tail = name.partition(".")
            if not tail:
                if name == "subject":
                    return subject.display_name
                return display(schema(subject.kind)[name], getattr(subject, name))
            if head == "params":
                return display(None, rule.params[tail])
            if head == "aggregates":
                return self._show_aggregate(
                    spec.aggregates[tail].of, spec.aggregates[tail].field, aggregates[tail]
                )
            other = joined[head]
            return display(schema(other.kind)[tail], getattr(other, tail))

        return Finding(
            rule=spec.id,
            title=spec.title,
            category=spec.category,
            severity=spec.severity,
            framework=spec.framework,
            subject=Subject(subject.kind, subject.key, subject.display_name),
            message=render(spec.message, lookup).strip(),
            evidence=evidence,
            location=subject.location,
            references=list(layout.references),
            recommendation=render(spec.recommendation, lookup).strip(),
            source=subject.source,
        )

    @staticmethod
    def _show_aggregate(kind: str, field_name: str | None, value: Decimal | str) -> str:
        return display(_money_spec(kind, field_name), value)

    @staticmethod
    def _evidence(
        layout: FindingLayout,
        subject: Record,
        joined: Mapping[str, Record],
        aggregates: Mapping[str, Decimal | str],
    ) -> list[Evidence]:
        items = [
            Evidence(name, label, display(spec, getattr(subject, name)))
            for name, label, spec in layout.fields
        ]
        for name, label, money in layout.aggregates:
            items.append(Evidence(f"aggregates.{name}", label, display(money, aggregates[name])))
        for as_, prefix, shown in layout.joins:
            other = joined[as_]
            items.extend(
                Evidence(
                    f"{prefix}.{name}",
                    f"{other.label}·{title}",
                    display(spec, getattr(other, name)),
                )
                for name, title, spec in shown
            )
        items.extend(layout.fixed)
        return items
