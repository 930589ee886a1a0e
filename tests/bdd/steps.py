"""Shared Gherkin steps (zh-CN): build a record in a few lines, check it, assert the findings.

Given steps add sections to a record; the When step writes it to a YAML file and
runs the same loader and checker as ``compliance check``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from pytest_bdd import given, parsers, then, when

from compliance.checker import Checker, ProjectResult
from compliance.findings import Finding
from compliance.rulepack import RulePack


class Scenario:
    """The record being built and the result of checking it."""

    def __init__(self) -> None:
        self.record: dict[str, Any] = {}
        self.settings: dict[str, str] = {}
        self.result: ProjectResult | None = None

    def add(self, section: str, item: dict[str, Any]) -> None:
        self.record.setdefault(section, []).append(item)

    def findings(self, rule: str) -> list[Finding]:
        assert self.result is not None, "the project was not checked"
        return [f for f in self.result.findings if f.rule == rule]


@pytest.fixture
def scenario() -> Scenario:
    return Scenario()


@given(parsers.parse("一个项目“{name}”，预算 {budget} 万元，支出 {spent} 万元"))
def a_project(scenario: Scenario, name: str, budget: str, spent: str) -> None:
    scenario.record["project"] = {
        "name": name,
        "year": 2020,
        "department": "示例局",
        "evaluation_kind": "第三方评价",
        "budget": budget,
        "spent": spent,
    }


@given(parsers.parse("{level1}指标“{name}”指标值为“{target}”，实际完成“{actual}”"))
def an_indicator(scenario: Scenario, level1: str, name: str, target: str, actual: str) -> None:
    level2 = {"产出": "数量指标", "效益": "社会效益", "满意度": "服务对象满意度"}[level1]
    code = f"I{len(scenario.record.get('indicators', [])) + 1}"
    scenario.add(
        "indicators",
        {
            "code": code,
            "level1": f"{level1}指标",
            "level2": level2,
            "name": name,
            "target": target,
            "actual": actual,
        },
    )


@given(parsers.parse("参数 {key} 设为 {value}"))
def a_setting(scenario: Scenario, key: str, value: str) -> None:
    scenario.settings[key] = value


@when("检查该项目")
def check(scenario: Scenario, pack: RulePack, tmp_path: Path) -> None:
    path = tmp_path / "project.yaml"
    path.write_text(yaml.safe_dump(scenario.record, allow_unicode=True), encoding="utf-8")
    [result] = Checker(pack.with_overrides(scenario.settings)).run([path]).results
    assert not result.problems, "\n".join(str(p) for p in result.problems)
    assert not result.errors, result.errors
    scenario.result = result


@then(parsers.parse("应报告问题 {rule}，涉及“{subject}”"))
def reported(scenario: Scenario, rule: str, subject: str) -> None:
    names = [f.subject.name for f in scenario.findings(rule)]
    assert subject in names, f"{rule} findings concern {names}"


@then(parsers.parse("不应报告问题 {rule}"))
def not_reported(scenario: Scenario, rule: str) -> None:
    assert scenario.findings(rule) == []


@then(parsers.parse("问题说明包含“{text}”"))
def message_contains(scenario: Scenario, text: str) -> None:
    assert scenario.result is not None
    messages = [f.message for f in scenario.result.findings]
    assert any(text in m for m in messages), messages


@then(parsers.parse("建议包含“{text}”"))
def recommendation_contains(scenario: Scenario, text: str) -> None:
    assert scenario.result is not None
    advice = [f.recommendation for f in scenario.result.findings]
    assert any(text in a for a in advice), advice
