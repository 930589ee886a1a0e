"""Markdown in the seven-part outline; the report command's errors."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import CliRun

SEED = "cases/qingdao-egov-2020"


def test_markdown_follows_the_seven_part_outline(cli: CliRun) -> None:
    code, report, err = cli("report", SEED, "--format", "markdown")
    assert (code, err) == (0, "")
    parts = [line for line in report.splitlines() if line.startswith("### ")]
    assert parts == [
        "### 一、基本情况",
        "### 二、绩效评价工作开展情况",
        "### 三、综合评价情况及评价结论",
        "### 四、绩效评价指标分析",
        "### 五、主要经验及做法、存在的问题及原因分析",
        "### 六、有关建议",
        "### 七、其他需要说明的问题",
        "### 附：评分表",
    ]
    assert "综合得分 **54.67** 分（满分100），评价等级 **差**" in report
    assert "| 过程 | 资金管理 | 预算执行率 | 4 | 2.91 | 72.75% |" in report
    assert "| **合计** | | | 100 | **54.67** | 54.67% | 等级：差 |" in report
    assert report.count("> **【待评价人员填写】**") == 3
    assert (
        "| I02 | 产出指标 | 数量指标 | 云虚拟机采购数 | ≥1200台 | 1640台 | +36.67% | 未说明 |"
        in report
    )
    assert "| PA04 | 立项前未开展事前绩效评估 |" in report
    assert (
        "## 运行记录" in report and "| 输入文件 qingdao-egov-2020/project.yaml | sha256:" in report
    )


def test_findings_in_markdown_match_the_check(cli: CliRun) -> None:
    """The same findings, numbered alike, in ``check`` and ``report``."""
    _, check, _ = cli("check", SEED, "--format", "markdown")
    _, report, _ = cli("report", SEED, "--format", "markdown")
    heads = [line.split("**（")[0] for line in check.splitlines() if line[:1].isdigit()]
    assert heads and all(h in report for h in heads)


def test_set_parameters_are_in_the_run_record(cli: CliRun) -> None:
    code, report, _ = cli(
        "report", SEED, "--format", "markdown", "--set", "FN04.min_execution_pct=85"
    )
    assert code == 0
    assert "| 调整的参数（--set） | FN04.min_execution_pct=85 |" in report


def test_html_goes_to_stdout_when_asked_for(cli: CliRun) -> None:
    code, out, err = cli("report", SEED, "--format", "html")
    assert code == 0 and err == ""
    assert out.startswith("<!DOCTYPE html>") and "<script" not in out
    assert "http://" not in out.replace('xmlns="http://www.w3.org/2000/svg"', "")


def test_a_bad_profile_is_reported_with_its_place(cli: CliRun, tmp_path: Path) -> None:
    profile = tmp_path / "p.yaml"
    profile.write_text("name: x\nitems: []\n", encoding="utf-8")
    code, out, err = cli("report", SEED, "--profile", str(profile))
    assert (code, out) == (2, "")
    assert "p.yaml:2:8: error: items: needs at least 1 item(s), got 0" in err


def test_bad_records_exit_2_and_the_others_are_still_reported(cli: CliRun, tmp_path: Path) -> None:
    code, out, err = cli(
        "report", SEED, "tests/data/bad_records/typos.yaml", "--format", "markdown"
    )
    assert code == 2
    assert "综合得分 **54.67**" in out and "typos.yaml：记录有误，未能评分" in out
    assert "tests/data/bad_records/typos.yaml:" in err


def test_profile_option_scores_with_another_profile(cli: CliRun) -> None:
    code, out, _ = cli(
        "report", SEED, "--format", "markdown", "--profile", "profiles/self_evaluation.yaml"
    )
    assert code == 0
    # 执行率 4495.10/4600 × 10 = 9.77; 产出 50 over 12 indicators (4.17 × 8 + 4.16 × 4), only
    # I02 and I03 have actuals and meet them: 4.17 + 4.17; 效益, 满意度 without actuals: 0.
    # More than half the points lack data, so no grade is claimed (未能评定, not 差).
    assert "综合得分 **18.11** 分" in out and "评价等级 **未能评定**" in out
