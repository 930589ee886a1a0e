"""How well each rule is covered: examples, Gherkin scenarios, and cases it fires on.

Why: an auditor reviewing the pack needs to see at a glance which rules are
untested, unspecified or never seen firing on a realistic case.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from compliance.checking.checker import Checker
from compliance.checking.examples import Outcome
from compliance.resources import CASES, FEATURES
from compliance.rules.examples import Example, Expect
from compliance.rules.pack import RulePack

_TAG = re.compile(r"@([A-Z]{2}\d{2})\b")


@dataclass
class RuleCoverage:
    """What covers one rule."""

    rule: str
    fire: int = 0
    silent: int = 0
    boundary: int = 0
    failed: int = 0
    scenarios: int = 0
    cases: list[str] = field(default_factory=list)

    @property
    def gaps(self) -> list[str]:
        """What is missing, in words."""
        missing = []
        if not self.fire:
            missing.append("no firing example")
        if not self.silent:
            missing.append("no passing (silent) example")
        if not self.boundary:
            missing.append("no boundary example")
        if not self.scenarios:
            missing.append("no feature scenario")
        if not self.cases:
            missing.append("never fires on any case")
        return missing


def scenario_counts(features: Path = FEATURES) -> dict[str, int]:
    """Scenarios per rule id, counted from the ``@ID`` tags written on each scenario."""
    counts: dict[str, int] = {}
    for path in sorted(features.rglob("*.feature")):
        pending: set[str] = set()
        for line in path.read_text(encoding="utf-8").splitlines():
            text = line.strip()
            if text.startswith("@"):
                pending |= set(_TAG.findall(text))
            elif text.startswith(("场景", "Scenario", "例子", "Example")):
                for rule in pending:
                    counts[rule] = counts.get(rule, 0) + 1
                pending = set()
            elif text and not text.startswith("#"):
                pending = set()
    return counts


def firing_cases(pack: RulePack, cases: Path = CASES) -> dict[str, list[str]]:
    """For each rule, the cases (folders with expected.yaml) it fires on."""
    fired: dict[str, list[str]] = {}
    folders = sorted(p.parent for p in cases.glob("**/expected.yaml"))
    if not folders:
        return fired
    with Checker(pack) as checker:
        results = checker.run(folders).results
    for result in results:
        for rule in sorted({f.rule for f in result.findings}):
            fired.setdefault(rule, []).append(Path(result.origin).name)
    return fired


def coverage(
    pack: RulePack, outcomes: list[Outcome], examples: list[Example]
) -> list[RuleCoverage]:
    """The coverage of every rule of the pack."""
    table = {r.id: RuleCoverage(r.id) for r in pack.rules}
    for example in examples:
        row = table.get(example.rule)
        if row is None:
            continue
        if example.spec.expect is Expect.FIRE:
            row.fire += 1
        else:
            row.silent += 1
        row.boundary += int(example.spec.boundary)
    for outcome in outcomes:
        if not outcome.passed and outcome.example.rule in table:
            table[outcome.example.rule].failed += 1
    for rule, count in scenario_counts().items():
        if rule in table:
            table[rule].scenarios = count
    for rule, cases in firing_cases(pack).items():
        if rule in table:
            table[rule].cases = cases
    return list(table.values())
