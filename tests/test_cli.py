"""The command line as a user meets it: formats, exit codes, overrides."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from compliance.cli.main import main
from tests.conftest import ROOT, CliRun

SEED = "cases/qingdao-egov-2020"
FINDING_KEYS = {
    "rule",
    "category",
    "severity",
    "framework",
    "subject",
    "message",
    "evidence",
    "location",
    "references",
    "recommendation",
}


def test_json_has_the_contract_keys(cli: CliRun) -> None:
    code, out, err = cli("check", SEED, "--format", "json")
    assert code == 1 and err == ""
    data = json.loads(out)
    [project] = data["projects"]
    assert project["findings"]
    for finding in project["findings"]:
        assert set(finding) >= FINDING_KEYS
        assert finding["evidence"]
        assert finding["location"]["file"].startswith(SEED)
    assert project["recommendations"]
    assert project["summary"]["findings"] == len(project["findings"])
    assert data["summary"]["findings"] == len(project["findings"])


def test_json_quotes_the_cloud_storage_deviation(cli: CliRun) -> None:
    _, out, _ = cli("check", SEED, "--format", "json")
    findings = json.loads(out)["projects"][0]["findings"]
    [storage] = [f for f in findings if f["rule"] == "TG01" and f["subject"]["key"] == "I03"]
    assert storage["evidence"]["target"] == "≥600T"
    assert storage["evidence"]["actual"] == "772T"
    assert storage["evidence"]["deviation_pct"] == "28.67"
    assert "超出28.67%" in storage["message"]


def test_text_output_is_grouped_like_a_report(cli: CliRun) -> None:
    _, out, _ = cli("check", SEED)
    assert out.index("（一）项目立项类") < out.index("（二）绩效目标类") < out.index("相关建议")
    assert "[PA01 高] 立项前未开展可行性研究" in out


def test_markdown_output(cli: CliRun) -> None:
    code, out, _ = cli("check", SEED, "--format", "markdown")
    assert code == 1
    assert out.startswith("# 绩效评价合规检查结果")
    assert "### 相关建议" in out


def test_override_changes_the_outcome(cli: CliRun) -> None:
    _, out, _ = cli("check", SEED, "--format", "json", "--set", "TG01.tolerance_pct=30")
    findings = json.loads(out)["projects"][0]["findings"]
    assert [f["subject"]["key"] for f in findings if f["rule"] == "TG01"] == ["I02"]


@pytest.mark.parametrize(("fail_on", "code"), [("low", 1), ("high", 1), ("info", 1), ("none", 0)])
def test_fail_on_sets_the_exit_code(cli: CliRun, fail_on: str, code: int) -> None:
    assert cli("check", SEED, "--fail-on", fail_on)[0] == code


def test_clean_project_exits_zero(cli: CliRun) -> None:
    code, out, err = cli("check", "tests/data/clean_project.yaml")
    assert (code, err) == (0, "")
    assert "主要问题：未发现问题" in out


def test_output_file(tmp_path: Path, cli: CliRun) -> None:
    target = tmp_path / "out" / "report.json"
    code, out, _ = cli("check", SEED, "--format", "json", "-o", str(target))
    assert code == 1 and out == ""
    assert json.loads(target.read_text(encoding="utf-8"))["projects"]


def test_usage_error_exits_two() -> None:
    with pytest.raises(SystemExit) as exc:
        main(["check", SEED, "--format", "pdf"])
    assert exc.value.code == 2


def test_help_explains_each_option() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "compliance", "check", "--help"],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    for option in ("--format", "--rules", "--set", "--fail-on", "exit codes"):
        assert option in result.stdout


@pytest.mark.parametrize(("fail_on", "code"), [("high", 0), ("medium", 1), ("low", 1)])
def test_fail_on_draws_the_line_by_severity(cli: CliRun, fail_on: str, code: int) -> None:
    # street-lighting has medium and low findings only
    assert cli("check", "cases/selfeval-2023-street-lighting", "--fail-on", fail_on)[0] == code


def test_parameters_in_force_are_part_of_the_evidence(cli: CliRun) -> None:
    # A finding must show the threshold it was judged by, including a --set override.
    for setting, shown in ((), "90"), (("--set", "FN04.min_execution_pct=86"), "86"):
        _, out, _ = cli("check", SEED, "--format", "json", *setting)
        findings = json.loads(out)["projects"][0]["findings"]
        fn04 = [f for f in findings if f["rule"] == "FN04"]
        assert fn04
        for finding in fn04:
            assert finding["evidence"]["params.min_execution_pct"] == shown


def test_text_output_gives_each_finding_its_basis(cli: CliRun) -> None:
    _, out, _ = cli("check", SEED)
    lines = out.splitlines()
    heads = [i for i, line in enumerate(lines) if re.match(r"\s+\d+\. \[[A-Z]{2}\d{2} ", line)]
    assert heads
    for start, end in zip(heads, [*heads[1:], len(lines)], strict=True):
        block = lines[start:end]
        assert any(line.strip().startswith("依据：") for line in block), block[0]
    fn04 = next(i for i in heads if "[FN04 " in lines[i])
    assert (
        "     依据：《项目支出绩效评价管理办法》（财预〔2020〕10号）附件1 项目支出绩效评价指标体系框架，"
        "过程—资金管理—预算执行率"
    ) in lines[fn04 : fn04 + 8]
