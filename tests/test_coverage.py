"""Every rule is covered: examples that fire, stay silent and sit on the boundary, a Gherkin
scenario, and at least one case it fires on. A new rule without these fails here."""

from __future__ import annotations

from compliance.checking.coverage import coverage
from compliance.checking.examples import run_example
from compliance.rules.examples import all_examples
from compliance.rules.pack import RulePack


def test_every_rule_is_fully_covered(pack: RulePack) -> None:
    examples, problems = all_examples(pack)
    assert not problems
    outcomes = [run_example(pack, e) for e in examples]
    gaps = {
        row.rule: row.gaps for row in coverage(pack, outcomes, examples) if row.gaps or row.failed
    }
    assert gaps == {}
