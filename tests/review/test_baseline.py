"""Baselines: last year's JSON output marks this year's findings 新增/重复 and lists 已整改."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from jsonschema import Draft4Validator

from tests.conftest import CliRun
from tests.report.test_sarif import validator  # noqa: F401  (the SARIF schema fixture)
from tests.review.conftest import YEAR1, YEAR2

# Year 2 (see tests/data/review/archive-2023/project.yaml): PA07 and FN07 were rectified,
# TG06 and TG07 repeat, FN08 (sub-project 2 over budget) is new.
EXPECTED = {"TG06": "repeated", "TG07": "repeated", "FN08": "new"}
RESOLVED = ["PA07", "FN07"]


def _year1(cli: CliRun, tmp_path: Path) -> str:
    path = tmp_path / "2022.json"
    code, _, err = cli("check", str(YEAR1), "--format", "json", "-o", str(path))
    assert (code, err) == (1, "")
    return str(path)


def _tg07_waived(tmp_path: Path) -> Path:
    """A waivers file that accepts TG07 on the project (the reviewer's 说明)."""
    waivers = tmp_path / "w.yaml"
    waivers.write_text(
        "waivers:\n  - {rule: TG07, subject: 'project:project', reason: 指标见附表,"
        " accepted_by: 王评价, date: 2023-03-01}\n",
        encoding="utf-8",
    )
    return waivers


def test_json_marks_new_and_repeated_and_lists_the_resolved(cli: CliRun, tmp_path: Path) -> None:
    old = _year1(cli, tmp_path)
    code, out, err = cli("check", str(YEAR2), "--format", "json", "--baseline", old)
    assert (code, err) == (1, "")
    data = json.loads(out)
    project = data["projects"][0]
    assert {f["rule"]: f["baseline_state"] for f in project["findings"]} == EXPECTED
    assert [r["rule"] for r in project["resolved"]] == RESOLVED
    assert (project["summary"]["new"], project["summary"]["repeated"]) == (1, 2)
    assert project["summary"]["resolved"] == 2
    assert data["summary"]["baseline"] == old
    year1 = json.loads(Path(old).read_text(encoding="utf-8"))["projects"][0]["findings"]
    prints = {f["rule"]: f["fingerprint"] for f in year1}
    for f in project["findings"]:
        if f["baseline_state"] == "repeated":
            assert f["fingerprint"] == prints[f["rule"]]


def test_an_old_json_without_fingerprints_is_a_baseline_too(cli: CliRun, tmp_path: Path) -> None:
    old = Path(_year1(cli, tmp_path))
    data = json.loads(old.read_text(encoding="utf-8"))
    for f in data["projects"][0]["findings"]:
        for key in ("fingerprint", "status", "baseline_state", "waiver", "expired_waiver"):
            del f[key]
    old.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    _, out, _ = cli("check", str(YEAR2), "--format", "json", "--baseline", str(old))
    project = json.loads(out)["projects"][0]
    assert {f["rule"]: f["baseline_state"] for f in project["findings"]} == EXPECTED


def test_text_and_markdown_show_the_states(cli: CliRun, tmp_path: Path) -> None:
    old = _year1(cli, tmp_path)
    _, text, _ = cli("check", str(YEAR2), "--baseline", old)
    assert "主要问题（3项，新增 1 项、重复 2 项、已整改 2 项）" in text
    assert "[FN08 高] 子项目支出超出预算〔新增〕" in text
    assert "[TG06 高] 未设定总体绩效目标〔重复〕" in text
    assert "已整改（基线中有、本次未发现，2项）" in text
    assert "  - [PA07]" in text and "  - [FN07]" in text
    _, md, _ = cli("check", str(YEAR2), "--baseline", old, "--format", "markdown")
    assert "**子项目支出超出预算**〔新增〕" in md
    assert "### 已整改（基线中有、本次未发现，2项）" in md
    _, html, _ = cli("report", str(YEAR2), "--baseline", old, "--format", "html")
    assert '<span class="badge status">新增</span>' in html
    assert "<h4>已整改（基线中有、本次未发现）</h4>" in html
    _, report_md, _ = cli("report", str(YEAR2), "--baseline", old, "--format", "markdown")
    assert "〔新增〕" in report_md and "**已整改（基线中有、本次未发现）**" in report_md


def test_sarif_carries_baseline_state_and_stays_valid(
    cli: CliRun,
    tmp_path: Path,
    validator: Draft4Validator,  # noqa: F811
) -> None:
    old = _year1(cli, tmp_path)
    code, out, err = cli("report", str(YEAR2), "--format", "sarif", "--baseline", old)
    assert (code, err) == (0, "")
    log: dict[str, Any] = json.loads(out)
    assert [f"{e.json_path}: {e.message}" for e in validator.iter_errors(log)] == []
    states = {
        r["ruleId"]: r["baselineState"] for r in log["runs"][0]["results"] if "baselineState" in r
    }
    assert states == {
        "TG06": "unchanged",
        "TG07": "unchanged",
        "FN08": "new",
        "PA07": "absent",
        "FN07": "absent",
    }
    fingerprints = [
        r["partialFingerprints"]["complianceFinding/v2"]
        for r in log["runs"][0]["results"]
        if r.get("kind") != "review"
    ]
    assert len(set(fingerprints)) == 5


def test_a_bad_baseline_is_located_bad_input(cli: CliRun, tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{"tool": "compliance",\n "projects": [}', encoding="utf-8")
    code, out, err = cli("check", str(YEAR2), "--baseline", str(broken))
    assert (code, out) == (2, "")
    assert err.startswith(f"{broken}:2:15: error: invalid JSON")
    other = tmp_path / "other.json"
    other.write_text('{"version": "2.1.0"}', encoding="utf-8")
    code, _, err = cli("check", str(YEAR2), "--baseline", str(other))
    assert code == 2 and "not a JSON output of `compliance check --format json`" in err
    code, _, err = cli("check", str(YEAR2), "--baseline", str(tmp_path / "missing.json"))
    assert code == 2 and "cannot read baseline" in err


def test_the_api_takes_waivers_and_a_baseline(cli: CliRun, tmp_path: Path) -> None:
    from compliance.api import check

    old = _year1(cli, tmp_path)
    waivers = _tg07_waived(tmp_path)
    run = check(YEAR2, waivers=[waivers], baseline=old)
    (result,) = run.results
    assert result.review is not None
    states = {f.rule: result.review.of(f) for f in result.findings}
    assert states["TG07"].waived and not states["TG06"].waived
    assert states["FN08"].baseline is not None and states["FN08"].baseline.label == "新增"
    assert [r.rule for r in result.review.resolved] == RESOLVED


def test_the_summary_workbook_shows_the_states(cli: CliRun, tmp_path: Path) -> None:
    import python_calamine

    old = _year1(cli, tmp_path)
    waivers = _tg07_waived(tmp_path)
    out = tmp_path / "汇总表.xlsx"
    code, _, err = cli(
        "check",
        str(YEAR2),
        "--format",
        "xlsx",
        "-o",
        str(out),
        "--baseline",
        old,
        "--waivers",
        str(waivers),
    )
    assert code == 1, err
    sheet = python_calamine.CalamineWorkbook.from_path(str(out)).get_sheet_by_name("问题清单")
    rows = sheet.to_python()
    found = {r["规则"]: r for r in (dict(zip(rows[0], row, strict=True)) for row in rows[1:])}
    assert found["FN08"]["核查状态"] == "新增"
    assert found["TG07"]["核查状态"] == "已说明·重复"
    assert str(found["TG07"]["说明"]).startswith("已说明：指标见附表（认可人 王评价")
