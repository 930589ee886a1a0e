"""Checking a chunk of projects stage by stage gives each project's own results.

Why: batch workers check 32 projects at a time, one stage for all before the next
(:meth:`Checker.check_projects`, for the CPU's caches); a project's result must not
depend on its neighbours, and a bug in one project's stage must end that project only.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from compliance.checking.checker import Checker, ProjectResult
from compliance.output.stream import project_data
from compliance.records.loading import load_project
from compliance.rules.pack import RulePack
from tests.conftest import CASES


def _data(result: ProjectResult) -> Any:
    return json.loads(json.dumps(project_data(result), ensure_ascii=False, default=str))


def _cases() -> list[Path]:
    return sorted(p.parent for p in CASES.rglob("project.yaml"))


def test_a_chunk_checked_by_stage_equals_each_project_checked_alone(pack: RulePack) -> None:
    with Checker(pack) as checker:
        together = checker.check_paths(_cases())
        alone = [Checker(pack).check_path(path) for path in _cases()]
    assert [_data(r) for r in together] == [_data(r) for r in alone]
    assert sum(len(r.findings) for r in together) > 100


def test_a_bug_in_one_project_ends_that_project_only(
    pack: RulePack, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, broken, last = (load_project(p) for p in _cases()[:3])
    real = Checker.undecided

    def undecided(self: Checker, project: Any, *args: Any) -> None:
        if project is broken:
            raise RuntimeError("a bug met on this project only")
        real(self, project, *args)

    with Checker(pack) as checker:
        expected = [checker.check_project(first), checker.check_project(last)]
        monkeypatch.setattr(Checker, "undecided", undecided)
        one, two, three = checker.check_projects([first, broken, last])
    assert [_data(one), _data(three)] == [_data(r) for r in expected]
    assert one.findings and three.findings
    assert not two.findings and len(two.errors) == 1
    assert "a bug met on this project only" in str(two.errors[0])
    assert two.errors[0].project == broken.origin
