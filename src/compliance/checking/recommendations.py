"""Recommendations grouped the way a report's 相关建议 are.

One heading per group of categories; each recommendation names the findings it answers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from compliance.checking.findings import Finding
from compliance.rules.messages import tidy
from compliance.rules.spec import Categories


@dataclass
class Advice:
    """One recommendation and the numbers of the findings it answers."""

    text: str
    rules: list[str] = field(default_factory=list)
    findings: list[int] = field(default_factory=list)


@dataclass
class RecommendationGroup:
    """A heading of 相关建议 with its recommendations."""

    title: str
    text: str
    categories: list[str]
    advice: list[Advice]

    @property
    def findings(self) -> list[int]:
        """Every finding the group answers."""
        return sorted({n for a in self.advice for n in a.findings})

    def as_dict(self) -> dict[str, Any]:
        """Plain data for JSON."""
        return {
            "title": self.title,
            "text": self.text,
            "categories": self.categories,
            "findings": self.findings,
            "recommendations": [
                {"text": a.text, "rules": a.rules, "findings": a.findings} for a in self.advice
            ],
        }


def recommend(findings: list[Finding], categories: Categories) -> list[RecommendationGroup]:
    """Groups with at least one finding, in report order; identical advice merged."""
    groups = []
    for group in categories.groups:
        advice: dict[str, Advice] = {}
        for finding in findings:
            if finding.category not in group.categories:
                continue
            item = advice.setdefault(finding.recommendation, Advice(finding.recommendation))
            if finding.rule not in item.rules:
                item.rules.append(finding.rule)
            item.findings.append(finding.number)
        if advice:
            groups.append(
                RecommendationGroup(
                    group.title, tidy(group.text), list(group.categories), list(advice.values())
                )
            )
    return groups
