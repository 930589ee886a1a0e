"""未能核查's evaluation agrees with the engine, and its fast path with its worded one.

Why: the checker decides each silent rule in Python (three-valued) with the aggregate
facts built lazily, and words only the ones found unknown; a disagreement would hide
a 未能核查 or list a decided rule. Every rule is compared on every subject of every
case and of every rule example: Python's "true" must be exactly the engine's firings.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from compliance.checking.checker import Checker
from compliance.checking.undecided import Decider
from compliance.engine.operators import Truth
from compliance.records.loading import ProjectRecords, load_project
from compliance.rules.examples import all_examples, prepare
from compliance.rules.pack import Rule, RulePack
from tests.conftest import CASES


def _projects(pack: RulePack) -> Iterator[ProjectRecords]:
    for folder in sorted(CASES.rglob("project.yaml")):
        yield load_project(folder.parent)
    examples, _ = all_examples(pack)
    for example in examples:
        _, project, invalid = prepare(pack, example)
        if project is not None and not invalid:
            yield project


def test_python_evaluation_agrees_with_the_engine_on_every_subject(
    pack: RulePack, monkeypatch: pytest.MonkeyPatch
) -> None:
    compared: list[tuple[str, str, str, Truth, Truth, bool]] = []
    worded = Decider.undecided

    def compare(self: Decider, rule: Rule, fired: set[str]) -> list[object]:
        for record in self.of_kind(rule.spec.subject):
            fast, slow = self.truth(rule, record), self.decide(rule, record).truth
            fired_here = record.key in fired
            compared.append((self.project.origin, rule.id, record.key, fast, slow, fired_here))
        return worded(self, rule, fired)  # type: ignore[return-value]

    monkeypatch.setattr(Decider, "undecided", compare)
    with Checker(pack) as checker:
        for project in _projects(pack):
            checker.check_project(project)
    differing = [c for c in compared if c[3] is not c[4]]
    assert not differing, differing[:10]
    against_engine = [c for c in compared if (c[4] is Truth.TRUE) != c[5]]
    assert not against_engine, against_engine[:10]
    truths = {c[4] for c in compared}
    assert truths == {Truth.TRUE, Truth.FALSE, Truth.UNKNOWN}
    assert len(compared) > 5000
