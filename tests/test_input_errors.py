"""Bad rule files and bad records get every error at once, with file:line:col, no traceback."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import CASES, DATA, ROOT, CliRun


def expected(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def test_broken_rule_pack_reports_every_error_with_position(
    cli: CliRun,
) -> None:
    code, out, err = cli(
        "check",
        str(CASES / "qingdao-egov-2020"),
        "--rules",
        os.path.relpath(DATA / "bad_rules", ROOT),
    )
    assert code == 2
    assert out == ""
    assert err == expected(DATA / "bad_rules.expected")
    assert "Traceback" not in err


@pytest.mark.parametrize("name", ["typos", "references"])
def test_bad_record_file_reports_every_error_with_position(cli: CliRun, name: str) -> None:
    record = os.path.relpath(DATA / "bad_records" / f"{name}.yaml", ROOT)
    code, _, err = cli("check", record)
    assert code == 2
    assert err == expected(DATA / "bad_records" / f"{name}.expected")


def test_a_bad_project_does_not_lose_the_results_of_the_others(
    cli: CliRun,
) -> None:
    record = os.path.relpath(DATA / "bad_records" / "typos.yaml", ROOT)
    code, out, err = cli("check", record, "cases/qingdao-egov-2020", "--format", "json")
    assert code == 2
    assert "typos.yaml:3:9: error: project.year" in err
    assert '"rule": "PA01"' in out


def test_missing_path_is_a_clear_error(cli: CliRun) -> None:
    code, _, err = cli("check", "no/such/case")
    assert code == 2
    assert err.strip() == "no/such/case: error: no such file or folder"


def test_malformed_yaml_points_at_the_line(tmp_path: Path, cli: CliRun) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("project:\n  name: [unclosed\n", encoding="utf-8")
    code, _, err = cli("check", str(bad))
    assert code == 2
    assert err.startswith(f"{bad}:3:1: error: invalid YAML: expected ',' or ']'")


def test_unknown_setting_is_rejected(cli: CliRun) -> None:
    code, _, err = cli("check", "cases/qingdao-egov-2020", "--set", "TG01.tolerance=5")
    assert code == 2
    assert err.strip() == (
        "--set: error: TG01.tolerance: rule TG01 has no parameter 'tolerance'; "
        "parameters: tolerance_pct"
    )


def test_setting_of_the_wrong_type_is_rejected(cli: CliRun) -> None:
    code, _, err = cli("check", "cases/qingdao-egov-2020", "--set", "TG01.tolerance_pct=high")
    assert code == 2
    assert err.strip() == "--set: error: TG01.tolerance_pct: expected a number, got 'high'"
