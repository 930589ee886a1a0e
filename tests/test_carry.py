"""Aggregates carried on the subject's fact decide exactly as aggregate facts of their own."""

from __future__ import annotations

from typing import Any

import pytest

from compliance.checking import checker as checker_module
from compliance.checking.checker import Checker
from compliance.engine.carry import CarryError, carry_variant
from compliance.rules.pack import RulePack
from tests.conftest import CASES


def _findings(checker: Checker) -> list[list[tuple[str, str, str]]]:
    cases = sorted(p for p in CASES.iterdir() if p.is_dir())
    return [
        [(f.rule, f.subject.key, f.message) for f in checker.check_path(case).findings]
        for case in cases
    ]


def test_every_rule_of_the_pack_is_carried(pack: RulePack) -> None:
    with Checker(pack) as checker:
        assert checker.separate == set()
        facts = [d for v in checker.definitions.values() for d in v]
        assert not any("$aggregate" in repr(d) for d in facts)


def test_carried_and_separate_aggregates_give_the_same_findings(
    pack: RulePack, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Checker(pack) as carried:
        expected = _findings(carried)

    def refuse(variant: Any, signatures: Any) -> Any:
        raise CarryError("kept as separate facts for this test")

    monkeypatch.setattr(checker_module, "carry_variant", refuse)
    with Checker(pack) as separate:
        assert separate.separate  # every aggregate now travels as a fact of its own
        assert _findings(separate) == expected
    assert any(row for row in expected)


def test_an_unknown_shape_is_refused_not_rewritten() -> None:
    variant = {"all": [{"go": {"kind": "$check"}}, {"subj": {"$weird": {"a": 1}}}]}
    with pytest.raises(CarryError):
        carry_variant(variant, {"x": "0123456789abcdef"})


def test_a_comparison_between_aggregates_becomes_a_same_fact_reference() -> None:
    variant = {
        "all": [
            {"go": {"kind": "$check"}},
            {"agg_a": {"$and": [{"kind": "$aggregate"}, {"sig": "A"}]}},
            {
                "agg_b": {
                    "$and": [{"kind": "$aggregate"}, {"sig": "B"}, {"value": {"agg_a": "value"}}]
                }
            },
            {"subj": {"$and": [{"kind": "project"}, {"key": {"agg_b": "subject"}}]}},
        ]
    }
    carried = carry_variant(variant, {"a": "A", "b": "B"})
    assert carried["all"] == [
        {"go": {"kind": "$check"}},
        {
            "subj": {
                "$and": [
                    {"kind": "project"},
                    {"$ex": {"a_A": 1}},
                    {"$ex": {"a_B": 1}},
                    {"a_B": {"$m": "a_A"}},
                ]
            }
        },
    ]
