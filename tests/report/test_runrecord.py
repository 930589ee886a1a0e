"""The run record identifies what produced a report: pack, profile, parameters and inputs."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

from compliance.checking.checker import Checker
from compliance.core.errors import Location
from compliance.output.report.outline import excerpt, travelling_name
from compliance.output.report.runrecord import make_run_record
from compliance.rules.pack import load_pack
from tests.conftest import CASES, RULES


def test_the_pack_hash_changes_with_any_rule_file(tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    shutil.copytree(RULES, rules)
    case = CASES / "selfeval-2023-school-meals"
    when = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    first = make_run_record(Checker(load_pack(rules)).run([case]), now=when)
    again = make_run_record(Checker(load_pack(rules)).run([case]), now=when)
    assert first == again and first.time == "2026-01-02T03:04:05Z"
    some_rule = sorted(rules.rglob("FN04.yaml"))[0]
    some_rule.write_text(some_rule.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    edited = make_run_record(Checker(load_pack(rules)).run([case]), now=when)
    assert edited.rules_sha256 != first.rules_sha256
    assert edited.inputs == first.inputs


def test_settings_are_recorded_sorted() -> None:
    run = Checker(load_pack(RULES)).run([CASES / "selfeval-2023-school-meals"])
    record = make_run_record(
        run, settings=[("TG01.tolerance_pct", "30"), ("FN04.min_execution_pct", "85")]
    )
    assert record.settings == (("FN04.min_execution_pct", "85"), ("TG01.tolerance_pct", "30"))
    assert (
        dict(record.rows())["调整的参数（--set）"]
        == "FN04.min_execution_pct=85；TG01.tolerance_pct=30"
    )


def test_excerpt_is_the_record_as_written(tmp_path: Path) -> None:
    records = tmp_path / "case" / "indicators.yaml"
    records.parent.mkdir()
    records.write_text(
        'indicators:\n  - code: I01\n    name: 甲\n    target: "≥1"\n\n  - code: I02\n    name: 乙\n',
        encoding="utf-8",
    )
    assert excerpt(Location(str(records), 2, 5)) == '  - code: I01\n    name: 甲\n    target: "≥1"'
    assert excerpt(Location(str(records), 6, 5)) == "  - code: I02\n    name: 乙"
    assert excerpt(Location(str(tmp_path / "gone.yaml"), 1)) == ""
    assert travelling_name(Location(str(records), 6, 5)) == "case/indicators.yaml:6:5"
    assert travelling_name(Location(str(records))) == "case/indicators.yaml"
