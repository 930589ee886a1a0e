"""Gherkin steps (zh-CN) of features/report.feature: write the report of the scenario's project.

The When step writes the project like ``检查该项目`` and runs ``compliance report`` on it
(Markdown, the format whose text the steps can read line by line); the Then steps read the parts.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
import yaml
from pytest_bdd import parsers, then, when

from compliance.rules.pack import RulePack
from tests.bdd.steps import Scenario, _state_the_blanks


class Written:
    """The report written for the scenario, and the record file it was written from."""

    def __init__(self) -> None:
        self.text = ""
        self.source: Path | None = None

    def part(self, title: str) -> str:
        """The text of one part, from its heading to the next part's."""
        match = re.search(
            rf"^### [一二三四五六七]、{re.escape(title)}\n(.*?)(?=^### |\Z)", self.text, re.S | re.M
        )
        assert match, f"no part “{title}” in the report"
        return match.group(1)


@pytest.fixture
def written() -> Written:
    return Written()


@when("生成评价报告")
def write_report(
    scenario: Scenario,
    written: Written,
    pack: RulePack,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from compliance.cli.main import main

    if scenario.complete:
        _state_the_blanks(scenario, pack)
    path = tmp_path / "project.yaml"
    path.write_text(yaml.safe_dump(scenario.record, allow_unicode=True), encoding="utf-8")
    settings = [
        arg for key, value in scenario.settings.items() for arg in ("--set", f"{key}={value}")
    ]
    capsys.readouterr()
    assert main(["report", str(path), "--format", "markdown", *settings]) == 0
    written.text, written.source = capsys.readouterr().out, path


@then(parsers.parse("报告的七个部分依次为：{titles}"))
def parts_in_order(written: Written, titles: str) -> None:
    found = re.findall(r"^### [一二三四五六七]、(.+)$", written.text, re.M)
    assert found == titles.split("；")


@then(parsers.parse("“{title}”只有待评价人员填写的标记，没有生成的文字"))
def left_to_write(written: Written, title: str) -> None:
    lines = [line for line in written.part(title).splitlines() if line.strip()]
    assert lines[0].startswith("> **【待评价人员填写】**")
    assert all(line.startswith("> ") for line in lines), lines


@then(
    parsers.parse(
        "指标分析中“{name}”的实际完成值为“{actual}”，偏离度为“{deviation}”，偏差原因为“{reason}”"
    )
)
def indicator_row(written: Written, name: str, actual: str, deviation: str, reason: str) -> None:
    rows = [r for r in written.part("绩效评价指标分析").splitlines() if f"| {name} |" in r]
    assert len(rows) == 1, rows
    cells = [c.strip() for c in rows[0].strip("|").split("|")]
    assert cells[5:8] == [actual, deviation, reason], cells


@then(parsers.parse("“其他需要说明的问题”列出未能核查的规则 {rule}"))
def undecided_listed(written: Written, rule: str) -> None:
    part = written.part("其他需要说明的问题")
    assert re.search(rf"^\| {rule} \|", part, re.M), part


@then(parsers.parse("运行记录载明调整的参数“{setting}”"))
def record_setting(written: Written, setting: str) -> None:
    assert f"| 调整的参数（--set） | {setting} |" in written.text


@then("运行记录载明输入文件的 sha256")
def record_input(written: Written) -> None:
    assert written.source is not None
    digest = hashlib.sha256(written.source.read_bytes()).hexdigest()
    assert (
        f"| 输入文件 {written.source.parent.name}/project.yaml | sha256:{digest} |" in written.text
    )
