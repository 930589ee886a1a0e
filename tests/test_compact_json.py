"""Compact JSON through orjson is byte for byte what the json module writes.

Why a test: the JSON and JSONL outputs are a contract (baselines are earlier outputs);
orjson replaced ``json.dumps`` there for speed only, so any difference is a bug.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from compliance.checking.checker import Checker
from compliance.output.stream import compact_json, project_data
from compliance.review.run import review_own
from compliance.rules.pack import RulePack
from tests.conftest import CASES


def _plain(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def test_every_case_is_written_as_the_json_module_writes_it(pack: RulePack) -> None:
    checker = Checker(pack)
    run = checker.run([CASES])
    assert len(run.results) >= 10
    for result in run.results:
        data = project_data(review_own(result, dt.date(2026, 6, 1)))
        assert compact_json(data) == _plain(data), result.origin


@pytest.mark.parametrize(
    "data",
    [
        {"控制": '\x00\x1f\x7f\t\n\r\b\f"\\/', "行分隔": "\u2028\u2029", "全角": "（　）"},
        {"emoji": "\U0001f600", "zwj": "a\u200db", "bom": "\ufeff"},
        [None, True, False, 0, -1, 2**63 - 1, -(2**63), [], {}, ""],
        {"nested": [{"a": [1, {"b": None}]}]},
    ],
)
def test_awkward_values_are_written_alike(data: Any) -> None:
    assert compact_json(data) == _plain(data)


@pytest.mark.parametrize(
    "data",
    [{"lone": "\ud800"}, {"big": 2**64}, {1: "int key"}, {"tuple": (1, 2)}],
)
def test_what_orjson_refuses_or_writes_otherwise_falls_back_to_json(data: Any) -> None:
    assert compact_json(data) == _plain(data)
