"""Findings: what a rule found, about which record, with the values that made it fire.

Messages are built after the engine run, from the exact record values (Decimal,
dates, labels), never from the engine's floats.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from compliance.core.errors import Location
from compliance.engine.aggregates import AggregateValue
from compliance.engine.compiler import RuleMatch
from compliance.engine.operands import operand_fields
from compliance.records.fields import PSEUDO_FIELDS, SEQ, FieldSpec, FieldType, display, schema
from compliance.records.kinds import RECORD_KINDS
from compliance.records.project import Record
from compliance.records.vocabulary import Severity
from compliance.rules.messages import placeholders, render
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


@dataclass(frozen=True)
class Evidence:
    """One value that made the rule fire."""

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


class FindingBuilder:
    """Turns the engine's matches of one project into findings."""

    def __init__(
        self,
        records: Mapping[tuple[str, str], Record],
        aggregates: Mapping[tuple[str, str, str], AggregateValue],
    ) -> None:
        self.records = records
        self.aggregates = aggregates

    def build(self, rule: Rule, match: RuleMatch) -> Finding:
        """One finding; raises on a bug so the caller can report it against the rule."""
        spec = rule.spec
        subject = self.records[(spec.subject, match.subject)]
        joined = {
            related.as_ or "": self.records[(related.kind, match.joined[related.as_ or ""])]
            for related in spec.join
        }
        aggregates = {
            name: self.aggregates[(spec.id, name, subject.key)].value for name in spec.aggregates
        }
        evidence = self._evidence(rule, subject, joined, aggregates)

        def lookup(name: str) -> str:
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
            references=[f"{r.title}{'，' + r.clause if r.clause else ''}" for r in spec.references],
            recommendation=render(spec.recommendation, lookup).strip(),
            source=subject.source,
        )

    @staticmethod
    def _show_aggregate(kind: str, field_name: str | None, value: Decimal | str) -> str:
        spec: FieldSpec | None = schema(kind).get(field_name) if field_name else None
        if spec is not None and spec.type is FieldType.MONEY:
            return display(spec, value)
        return display(None, value)

    def _evidence(
        self,
        rule: Rule,
        subject: Record,
        joined: Mapping[str, Record],
        aggregates: Mapping[str, Decimal | str],
    ) -> list[Evidence]:
        spec = rule.spec
        fields = schema(subject.kind)
        named = [n for n in placeholders(spec.message) if n in fields]
        items = [
            Evidence(name, fields[name].title, display(fields[name], getattr(subject, name)))
            for name in dict.fromkeys([*named, *spec.evidence, *_fields_of(_conditions(spec.when))])
            if not name.startswith("aggregates.") and name not in PSEUDO_FIELDS
        ]
        for name, value in aggregates.items():
            agg = spec.aggregates[name]
            label = agg.label or f"{RECORD_KINDS[agg.of].label}{'合计' if agg.field else '数量'}"
            if agg.field and not agg.label:
                label += f"·{schema(agg.of)[agg.field].title}"
            items.append(
                Evidence(
                    f"aggregates.{name}", label, self._show_aggregate(agg.of, agg.field, value)
                )
            )
        for related in spec.join:
            other = joined[related.as_ or ""]
            other_fields = schema(other.kind)
            names = ["key", *related.match, *_fields_of(_conditions(related.when))]
            for name in dict.fromkeys(n for n in names if n != SEQ):
                items.append(
                    Evidence(
                        f"{related.as_}.{name}",
                        f"{other.label}·{other_fields[name].title}",
                        display(other_fields[name], getattr(other, name)),
                    )
                )
        for index, related in enumerate(spec.absent):
            items.append(Evidence(f"absent[{index}]", "未见记录", absent_words(related)))
        for name in spec.params:
            label = spec.params[name].label or name
            items.append(
                Evidence(f"params.{name}", f"参数·{label}", display(None, rule.params[name]))
            )
        return items
