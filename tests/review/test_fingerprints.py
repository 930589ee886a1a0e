"""A finding's fingerprint is its project, rule and subject: stable when the records are edited."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from compliance.api import check
from compliance.checking.checker import CheckRun
from compliance.checking.fingerprints import fingerprint, project_identity
from tests.review.conftest import YEAR1


def _prints(run: CheckRun) -> dict[tuple[str, str], str]:
    (result,) = run.results
    assert result.review is not None and not result.problems
    return {
        (f.rule, f"{f.subject.type}:{f.subject.key}"): result.review.of(f).fingerprint
        for f in result.findings
    }


def test_reordered_and_reformatted_records_keep_every_fingerprint(tmp_path: Path) -> None:
    original = _prints(check(YEAR1))
    data = yaml.safe_load((YEAR1 / "project.yaml").read_text(encoding="utf-8"))
    data["documents"].reverse()
    data["sub_projects"][0] = dict(reversed(list(data["sub_projects"][0].items())))
    edited = tmp_path / "edited"
    edited.mkdir()
    # Block style, different indentation, sections in another order, no comments.
    order = ("surveys", "documents", "sub_projects", "project", "coverage")
    sections = {k: data[k] for k in order}
    (edited / "project.yaml").write_text(
        yaml.safe_dump(sections, allow_unicode=True, indent=4, default_flow_style=False),
        encoding="utf-8",
    )
    run = check(edited)
    assert _prints(run) == original
    lines = {f.location.line for f in run.results[0].findings if f.location}
    assert lines != {f.location.line for f in check(YEAR1).results[0].findings if f.location}


def test_renumbered_findings_keep_their_fingerprints(tmp_path: Path) -> None:
    original = check(YEAR1)
    before = _prints(original)
    case = tmp_path / "case"
    shutil.copytree(YEAR1, case)
    text = (case / "project.yaml").read_text(encoding="utf-8")
    # A first sub-project overspent: a new high finding (FN08) sorts among the old ones.
    text = text.replace(
        "sub_projects:\n",
        "sub_projects:\n  - {number: 9, department: 数字化部, name: 设备, work_kind: 采购,"
        " budget: 1.00, spent: 2.00, status: 已完成}\n",
    )
    (case / "project.yaml").write_text(text, encoding="utf-8")
    after_run = check(case)
    after = _prints(after_run)
    # Also PM09: the register of acceptances is complete and has none for sub-project 9.
    assert set(after) == {*before, ("FN08", "sub_project:9"), ("PM09", "sub_project:9")}
    assert {k: after[k] for k in before} == before
    numbers_before = {(f.rule, f.number) for f in original.results[0].findings}
    numbers_after = {(f.rule, f.number) for f in after_run.results[0].findings}
    assert numbers_before - numbers_after, "the new finding should have renumbered some"


def test_a_reworded_message_keeps_the_fingerprint() -> None:
    default = check(YEAR1)
    reworded = check(YEAR1, params={"FN07.min_execution_pct": 80})
    fn07 = next(f for f in default.results[0].findings if f.rule == "FN07")
    fn07b = next(f for f in reworded.results[0].findings if f.rule == "FN07")
    assert fn07.message != fn07b.message
    assert (
        _prints(default)[("FN07", "project:project")]
        == _prints(reworded)[("FN07", "project:project")]
    )


def test_identity_ignores_spacing_and_width_but_not_what_differs() -> None:
    one = project_identity("馆藏档案 数字化加工", "示例市档案馆")
    assert one == project_identity("馆藏档案数字化加工\n", "示例市档案馆\u3000")
    assert one == project_identity("馆藏档案数字化加工", "示例市档案馆")
    base = fingerprint(one, "TG06", "project", "project")
    assert base == fingerprint(one, "tg06", "project", " project ")
    assert (
        len(
            {
                base,
                fingerprint(one, "TG07", "project", "project"),
                fingerprint(one, "TG06", "indicator", "project"),
                fingerprint(one, "TG06", "project", "I01"),
                fingerprint(
                    project_identity("馆藏档案数字化加工", "另一单位"), "TG06", "project", "project"
                ),
            }
        )
        == 5
    )
