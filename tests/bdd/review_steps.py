"""Gherkin steps (zh-CN) for the 整改 cycle: checks stored year by year, reviewers' decisions,
baselines and history, on a real SQLite store in the scenario's temporary folder.

The When step runs the same pieces as ``compliance check --store --baseline-from-store``:
the checker, the store's waivers and baseline, and recording the run.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from pytest_bdd import given, parsers, then, when
from sqlalchemy import select

from compliance.checking.checker import Checker
from compliance.checking.fingerprints import project_identity
from compliance.checking.status import ProjectReview
from compliance.cli.review import ReviewInputs
from compliance.review.store.database import Store
from compliance.review.store.models import Project, RunProject, StoredFinding
from compliance.review.store.queries import (
    RECTIFICATION,
    REVOCATION,
    WAIVER,
    HistoryRow,
    ProjectHistory,
    history,
    record_decision,
)
from compliance.review.store.recording import record_run
from compliance.rules.pack import RulePack
from tests.bdd.steps import Scenario, _state_the_blanks
from tests.conftest import RULES


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = Store.open(f"sqlite:///{tmp_path / 'compliance.db'}")
    yield opened
    opened.close()


def _review(scenario: Scenario) -> ProjectReview:
    assert scenario.result is not None and scenario.result.review is not None, "not checked"
    return scenario.result.review


def _identity(scenario: Scenario) -> str:
    info = scenario.record["project"]
    return project_identity(info["name"], info["department"])


def _stored(store: Store, scenario: Scenario, rule: str) -> int:
    """The id of the latest stored finding of ``rule`` in the project."""
    with store.session() as session:
        found = session.scalars(
            select(StoredFinding)
            .join(RunProject, StoredFinding.run_project_id == RunProject.id)
            .join(Project, RunProject.project_id == Project.id)
            .where(Project.identity == _identity(scenario), StoredFinding.rule == rule)
            .order_by(StoredFinding.id.desc())
        ).first()
        assert found is not None, f"no stored finding {rule}"
        return found.id


def _decide(
    store: Store,
    scenario: Scenario,
    rule: str,
    *,
    kind: str,
    reviewer: str,
    reason: str,
    state: str | None = None,
    deadline: dt.date | None = None,
) -> None:
    """Record a reviewer's decision on the latest stored finding of ``rule``."""
    finding_id = _stored(store, scenario, rule)
    with store.session() as session:
        finding = session.get(StoredFinding, finding_id)
        assert finding is not None
        record_decision(
            session,
            finding,
            kind=kind,
            reviewer=reviewer,
            reason=reason,
            state=state,
            deadline=deadline,
        )


def _check_and_store(
    scenario: Scenario, pack: RulePack, store: Store, tmp_path: Path, year: int
) -> None:
    scenario.record["project"]["year"] = year
    if scenario.complete:
        _state_the_blanks(scenario, pack)
    folder = tmp_path / f"{year}-{len(list(tmp_path.glob(f'{year}-*')))}"
    folder.mkdir()
    (folder / "project.yaml").write_text(
        yaml.safe_dump(scenario.record, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    today = dt.date.today()
    run = Checker(pack).run([folder])
    (result,) = run.results
    assert not result.problems, [str(p) for p in result.problems]
    ReviewInputs(today, [], None, store, baseline_from_store=True).apply(run)
    record_run(store, run, command="check", rules=RULES, parameters={})
    scenario.result = result


@given(parsers.parse("以 {year:d} 年度检查该项目并存入问题库"))
@when(parsers.parse("以 {year:d} 年度检查该项目并存入问题库"))
def check_and_store(
    scenario: Scenario, pack: RulePack, store: Store, tmp_path: Path, year: int
) -> None:
    _check_and_store(scenario, pack, store, tmp_path, year)


@given(parsers.parse("项目支出改为 {spent} 万元"))
def project_spent(scenario: Scenario, spent: str) -> None:
    scenario.record["project"]["spent"] = spent


@given(parsers.parse("复核人“{who}”对问题 {rule} 记录说明“{reason}”"))
@when(parsers.parse("复核人“{who}”对问题 {rule} 记录说明“{reason}”"))
def record_waiver(scenario: Scenario, store: Store, who: str, rule: str, reason: str) -> None:
    _decide(store, scenario, rule, kind=WAIVER, reviewer=who, reason=reason)


@given(parsers.parse("复核人“{who}”撤销问题 {rule} 的说明，理由“{reason}”"))
@when(parsers.parse("复核人“{who}”撤销问题 {rule} 的说明，理由“{reason}”"))
def revoke_waiver(scenario: Scenario, store: Store, who: str, rule: str, reason: str) -> None:
    _decide(store, scenario, rule, kind=REVOCATION, reviewer=who, reason=reason)


@given(parsers.parse("复核人“{who}”将问题 {rule} 记为{state}，期限 {deadline}，理由“{reason}”"))
@when(parsers.parse("复核人“{who}”将问题 {rule} 记为{state}，期限 {deadline}，理由“{reason}”"))
def record_rectification(
    scenario: Scenario, store: Store, who: str, rule: str, state: str, deadline: str, reason: str
) -> None:
    _decide(
        store,
        scenario,
        rule,
        kind=RECTIFICATION,
        reviewer=who,
        reason=reason,
        state=state,
        deadline=dt.date.fromisoformat(deadline),
    )


@then(parsers.re(r"问题 (?P<rule>[A-Z]{2}\d{2}) 为(?P<label>已说明|待整改)$"))
def waived_or_open(scenario: Scenario, rule: str, label: str) -> None:
    (finding,) = scenario.findings(rule)
    assert _review(scenario).of(finding).waived is (label == "已说明")


@then(parsers.re(r"问题 (?P<rule>[A-Z]{2}\d{2}) 为(?P<label>新增|重复)问题$"))
def new_or_repeated(scenario: Scenario, rule: str, label: str) -> None:
    (finding,) = scenario.findings(rule)
    state = _review(scenario).of(finding).baseline
    assert state is not None and state.label == label


@then(parsers.parse("已整改的问题为 {rules}"))
def resolved(scenario: Scenario, rules: str) -> None:
    assert sorted(r.rule for r in _review(scenario).resolved) == sorted(rules.split("、"))


def _history_row(store: Store, scenario: Scenario, rule: str) -> tuple[ProjectHistory, HistoryRow]:
    """The project's stored history and its row of ``rule``."""
    with store.session() as session:
        project = session.scalars(
            select(Project).where(Project.identity == _identity(scenario))
        ).one()
        found = history(session, project)
    (row,) = [r for r in found.rows if r.rule == rule]
    return found, row


@then(parsers.parse("整改历史中问题 {rule} 历年为“{years}”"))
def history_years(scenario: Scenario, store: Store, rule: str, years: str) -> None:
    found, row = _history_row(store, scenario, rule)
    assert "，".join(f"{y}年{row.years[y]}" for y in found.years) == years


@then(parsers.parse("整改历史中问题 {rule} 的整改状态为{state}，期限 {deadline}"))
def history_rectification(
    scenario: Scenario, store: Store, rule: str, state: str, deadline: str
) -> None:
    _, row = _history_row(store, scenario, rule)
    assert row.rectification is not None
    assert (row.rectification.state, str(row.rectification.deadline)) == (state, deadline)
