"""Rule-language semantics that no bundled rule exercises: same-record arithmetic, ties, refusals."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from compliance.checking.checker import Checker
from compliance.core.errors import InputError, Location
from compliance.records.loading import build_project
from compliance.rules.pack import load_pack
from tests.conftest import RULES

PROJECT = {
    "name": "示例项目",
    "year": 2021,
    "department": "示例局",
    "evaluation_kind": "自评",
    "budget": "100.00",
    "spent": "90.00",
}


def pack_with(tmp_path: Path, rule: dict[str, object]) -> Path:
    root = tmp_path / "rules"
    root.mkdir()
    shutil.copy(RULES / "categories.yaml", root / "categories.yaml")
    base = {
        "title": "测试规则",
        "category": "资金管理类",
        "framework": "过程/资金管理/预算执行率",
        "severity": "low",
        "message": "{subject}",
        "recommendation": "无",
        "references": [{"title": "测试"}],
    }
    (root / f"{rule['id']}.yaml").write_text(
        yaml.safe_dump({**base, **rule}, allow_unicode=True), encoding="utf-8"
    )
    return root


def fired(root: Path, sub_projects: list[dict[str, object]]) -> list[str]:
    project = build_project(
        {"project": PROJECT, "sub_projects": sub_projects},
        lambda loc: Location("t.yaml", 1, 1),
        "t.yaml",
    )
    result = Checker(load_pack(root)).check_project(project)
    assert not result.errors
    return [f.subject.key for f in result.findings]


def sub(number: int, budget: str, spent: str) -> dict[str, object]:
    return {
        "number": number,
        "name": f"子项目{number}",
        "budget": budget,
        "spent": spent,
        "status": "已完成",
    }


def test_same_record_arithmetic_decides_ties_exactly(tmp_path: Path) -> None:
    root = pack_with(
        tmp_path,
        {
            "id": "XX01",
            "subject": "sub_project",
            "when": [
                {"field": "spent", "op": "lt", "value": {"mul": [{"field": "budget"}, "0.9"]}}
            ],
        },
    )
    # 0.9 × 0.3 is not exactly 0.27 in floating point; the tie must not fire.
    subs = [
        sub(1, "0.30", "0.27"),
        sub(2, "0.30", "0.26"),
        sub(3, "100.00", "90.00"),
        sub(4, "100.00", "89.99"),
    ]
    assert fired(root, subs) == ["2", "4"]


def test_gt_against_arithmetic_decides_the_tie_exactly(tmp_path: Path) -> None:
    root = pack_with(
        tmp_path,
        {
            "id": "XX05",
            "subject": "sub_project",
            "when": [
                {"field": "spent", "op": "gt", "value": {"mul": [{"field": "budget"}, "0.7"]}}
            ],
        },
    )
    # In the engine (元): 11000 × 0.7 = 7699.999999999999 in floating point, below the
    # exact 7700, so without the tie adjustment spent 0.77 would count as "greater".
    subs = [
        sub(1, "1.10", "0.77"),  # exactly 70 %: a tie, not greater
        sub(2, "1.10", "0.78"),  # above
        sub(3, "1.10", "0.76"),  # below
        sub(4, "2.20", "1.54"),  # another float-low tie (22000 × 0.7)
    ]
    assert fired(root, subs) == ["2"]


def test_tolerance_on_the_same_record(tmp_path: Path) -> None:
    root = pack_with(
        tmp_path,
        {
            "id": "XX02",
            "subject": "sub_project",
            "when": [
                {"field": "spent", "op": "ne", "value": {"field": "budget"}, "tolerance": "0.01"}
            ],
        },
    )
    subs = [sub(1, "0.30", "0.31"), sub(2, "0.30", "0.32"), sub(3, "0.10", "0.10")]
    assert fired(root, subs) == ["2"]


def test_any_of_alternatives_with_references_all_fire(tmp_path: Path) -> None:
    root = pack_with(
        tmp_path,
        {
            "id": "XX03",
            "subject": "sub_project",
            "when": [
                {
                    "any": [
                        {"field": "spent", "op": "gt", "value": {"field": "budget"}},
                        {"field": "spent", "op": "eq", "value": 0},
                    ]
                }
            ],
        },
    )
    subs = [sub(1, "10.00", "11.00"), sub(2, "10.00", "0.00"), sub(3, "10.00", "5.00")]
    assert fired(root, subs) == ["1", "2"]


@pytest.mark.parametrize("op", ["gt", "ne", "lt"])
def test_ordered_comparison_across_records_is_refused(tmp_path: Path, op: str) -> None:
    root = pack_with(
        tmp_path,
        {
            "id": "XX04",
            "subject": "sub_project",
            "join": [
                {
                    "as": "other",
                    "kind": "sub_project",
                    "match": {"area": "area"},
                    "when": [{"field": "budget", "op": op, "value": {"subject": "budget"}}],
                }
            ],
        },
    )
    with pytest.raises(InputError) as caught:
        load_pack(root)
    [problem] = caught.value.problems
    assert problem.path == "join[0].when[0].op"
    assert "can only be compared with 'eq'" in problem.message


def test_arithmetic_on_an_aggregate_is_refused(tmp_path: Path) -> None:
    root = pack_with(
        tmp_path,
        {
            "id": "XX05",
            "subject": "project",
            "aggregates": {"total": {"fn": "sum", "of": "sub_project", "field": "budget"}},
            "when": [
                {
                    "field": "budget",
                    "op": "eq",
                    "value": {"add": [{"field": "aggregates.total"}, 1]},
                }
            ],
        },
    )
    with pytest.raises(InputError) as caught:
        load_pack(root)
    assert "segmentation fault" in caught.value.problems[0].message


def test_aggregates_are_spelled_one_way(tmp_path: Path) -> None:
    """``{aggregate: X}`` is refused with the spelling to use, the same as on the left."""
    root = pack_with(
        tmp_path,
        {
            "id": "XX06",
            "subject": "project",
            "aggregates": {"total": {"fn": "sum", "of": "sub_project", "field": "budget"}},
            "when": [{"field": "budget", "op": "eq", "value": {"aggregate": "total"}}],
        },
    )
    with pytest.raises(InputError) as caught:
        load_pack(root)
    [problem] = caught.value.problems
    assert problem.message == (
        "write an aggregate as {field: aggregates.total}, the same spelling as on the left "
        "of a condition"
    )


def test_an_aggregate_on_the_right_reads_like_the_left(tmp_path: Path) -> None:
    root = pack_with(
        tmp_path,
        {
            "id": "XX07",
            "subject": "project",
            "aggregates": {"total": {"fn": "sum", "of": "sub_project", "field": "budget"}},
            "when": [{"field": "budget", "op": "eq", "value": {"field": "aggregates.total"}}],
        },
    )
    assert [r.id for r in load_pack(root).rules] == ["XX07"]


def test_a_reference_takes_a_name(tmp_path: Path) -> None:
    root = pack_with(
        tmp_path,
        {
            "id": "XX08",
            "subject": "project",
            "when": [{"field": "budget", "op": "eq", "value": {"param": {"a": 1}}}],
        },
    )
    with pytest.raises(InputError) as caught:
        load_pack(root)
    [problem] = caught.value.problems
    assert problem.message == "'param' takes a name (text), got {'a': 1}"


def test_the_engine_refuses_an_unnamed_reference_by_itself() -> None:
    """Defence in depth: the compiler's operand resolver names the fault, not a TypeError."""
    from compliance.engine.operands import OperandError, Scope, resolve
    from compliance.records.fields import schema

    scope = Scope("indicator", "indicator", frozenset(), {"x": 1})
    with pytest.raises(OperandError, match=r"'param' takes a name \(text\), got \{'a': 1\}"):
        resolve({"param": {"a": 1}}, schema("indicator")["score"], scope, {})
