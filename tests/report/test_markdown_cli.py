"""Markdown as `check --format markdown` plus the score; the report command's errors."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import CliRun

SEED = "cases/qingdao-egov-2020"


def test_markdown_is_the_check_output_plus_the_score(cli: CliRun) -> None:
    _, check, _ = cli("check", SEED, "--format", "markdown")
    code, report, err = cli("report", SEED, "--format", "markdown")
    assert (code, err) == (0, "")
    lines = report.splitlines()
    position = 0
    for line in check.splitlines():  # every line of the check's output, in the same order
        position = lines.index(line, position) + 1
    assert "- 电子政务平台运行资金：综合得分 **54.67** 分（满分100），评价等级 **差**" in report
    assert "| 过程 | 资金管理 | 预算执行率 | 4 | 2.91 | 72.75% |" in report
    assert "| **合计** | | | 100 | **54.67** | 54.67% | 等级：差 |" in report
    assert report.index("## 评价得分") < report.index("### 主要问题") < report.index("## 评分表")


def test_html_goes_to_stdout_without_output(cli: CliRun) -> None:
    code, out, err = cli("report", SEED)
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
    assert "综合得分 **18.11** 分" in out and "评价等级 **差**" in out
