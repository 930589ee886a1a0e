"""Real documents (cases/real): exactly the expected findings, none that must not appear, a true README."""

from __future__ import annotations

from pathlib import Path

import pytest

from compliance.checking.checker import Checker
from compliance.rules.pack import RulePack
from tests.realcases import (
    README,
    expected,
    expected_set,
    forbidden_hits,
    found_set,
    readme_table,
    real_cases,
    table,
)

CASES = real_cases()


@pytest.mark.parametrize("case", CASES, ids=[p.name for p in CASES])
def test_real_case_gives_exactly_its_expected_findings(case: Path, pack: RulePack) -> None:
    [result] = Checker(pack).run([case]).results
    assert not result.problems, result.problems
    assert not result.errors, result.errors
    found, data = found_set(result), expected(case)
    wanted = expected_set(data)
    assert sorted(wanted - found) == [], "missing findings"
    assert sorted(found - wanted) == [], "unexpected findings"
    assert forbidden_hits(data, found) == [], "findings the records do not establish"


@pytest.mark.parametrize("case", CASES, ids=[p.name for p in CASES])
def test_real_case_cites_its_source(case: Path) -> None:
    data = expected(case)
    assert str(data.get("source", "")).startswith("http"), "expected.yaml needs source: URL"
    head = (case / "project.yaml").read_text(encoding="utf-8").splitlines()[:12]
    assert any("http" in line for line in head), "project.yaml must cite its source at the top"
    for problem in data.get("stated_problems") or []:
        for item in problem.get("found_by") or []:
            assert item in expected_set(data), f"found_by names no expected finding: {item}"


def test_there_are_at_least_fifteen_real_cases() -> None:
    assert len(CASES) >= 15


def test_readme_fidelity_table_is_current(pack: RulePack) -> None:
    current = readme_table(README.read_text(encoding="utf-8"))
    assert current == table(pack), "run `.venv/bin/python -m tests.realcases` to refresh README.md"
