"""Bad rule files and bad records get every error at once, with file:line:col, no traceback."""

from __future__ import annotations

import json
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
    assert "PA01" in _rules(out)


def test_missing_path_is_a_clear_error(cli: CliRun) -> None:
    code, _, err = cli("check", "no/such/case")
    assert code == 2
    assert err.strip() == "no/such/case: error: no such file or folder"


def test_malformed_yaml_points_at_the_line(tmp_path: Path, cli: CliRun) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("project:\n  name: [unclosed\n", encoding="utf-8")
    code, _, err = cli("check", str(bad))
    assert code == 2
    assert err.startswith(
        f"{bad}:3:1: error: invalid YAML: did not find expected ',' or ']' "
        "(while parsing a flow sequence at line 2)"
    )


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


def test_an_amount_beyond_the_engine_range_is_a_located_error(cli: CliRun, tmp_path: Path) -> None:
    bad = tmp_path / "big.yaml"
    bad.write_text(
        "project: {name: 示例, year: 2020, department: 局, evaluation_kind: 自评, budget: 100000000000,"
        " spent: 1}\n",
        encoding="utf-8",
    )
    code, out, err = cli(
        "check", str(bad), "cases/selfeval-2023-street-lighting", "--format", "json"
    )
    assert code == 2
    assert (
        err.strip() == f"{bad}:1:77: error: project.budget: must be < 1000000000, got 100000000000"
    )
    assert "TG10" in _rules(out)


def test_a_weight_beyond_the_engine_range_does_not_crash(cli: CliRun, tmp_path: Path) -> None:
    bad = tmp_path / "weight.yaml"
    bad.write_text(
        "project: {name: 示例, year: 2020, department: 局, evaluation_kind: 自评, budget: 1, spent: 1}\n"
        "indicators:\n  - {code: I1, level1: 产出, level2: 数量, name: x, target: ≥1台, weight: 1e20}\n",
        encoding="utf-8",
    )
    code, _, err = cli("check", str(bad))
    assert code == 2
    assert "beyond the engine's range" in err and "Traceback" not in err


def test_an_empty_folder_is_bad_input(cli: CliRun, tmp_path: Path) -> None:
    code, _, err = cli("check", str(tmp_path))
    assert code == 2
    assert err.strip() == (
        f"{tmp_path}: error: no record files (.yaml, .yml, .json) or forms (.xlsx, .xls, .ods, .docx) found"
    )


def test_one_file_of_a_case_folder_is_refused(cli: CliRun) -> None:
    code, _, err = cli("check", "cases/qingdao-egov-2020/project.yaml")
    assert code == 2
    assert err.strip() == (
        "cases/qingdao-egov-2020/project.yaml: error: is one file of the case folder "
        "cases/qingdao-egov-2020; check the folder instead"
    )


def test_an_unwritable_output_is_bad_input(cli: CliRun, tmp_path: Path) -> None:
    code, _, err = cli("check", "cases/qingdao-egov-2020", "-o", str(tmp_path))
    assert code == 2
    assert err.strip() == f"{tmp_path}: error: cannot write: Is a directory"


def test_a_path_given_twice_is_checked_once(cli: CliRun) -> None:
    import json

    _, out, _ = cli(
        "check", "cases/qingdao-egov-2020", "cases/qingdao-egov-2020/", "--format", "json"
    )
    assert json.loads(out)["summary"]["projects"] == 1


def _rules(out: str) -> set[str]:
    """The rules that fired in a JSON output (compact by default)."""
    return {f["rule"] for p in json.loads(out)["projects"] for f in p["findings"]}


def test_paths_are_shown_from_the_working_directory_with_links_resolved(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from compliance.core.errors import display_path

    (tmp_path / "work" / "cases").mkdir(parents=True)
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "via").symlink_to(tmp_path / "work")
    monkeypatch.chdir(tmp_path / "work")
    assert display_path("cases/p.yaml") == "cases/p.yaml"
    assert display_path(tmp_path / "work" / "cases" / "p.yaml") == "cases/p.yaml"
    assert display_path(tmp_path / "via" / "cases") == "cases"
    assert display_path("./cases/../cases/") == "cases"
    assert display_path(".") == "."
    assert display_path(tmp_path / "elsewhere" / "p.yaml") == str(tmp_path / "elsewhere" / "p.yaml")
    assert display_path("../elsewhere/./p.yaml") == "../elsewhere/p.yaml"
    monkeypatch.chdir(tmp_path / "via")  # the working directory itself reached through a link
    assert display_path(tmp_path / "work" / "cases") == "cases"
    monkeypatch.chdir("/")
    assert display_path(tmp_path / "via" / "cases") == str(tmp_path / "work" / "cases")[1:]
