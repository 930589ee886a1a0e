"""A bug is told apart from bad input: it says so, keeps its traceback, and exits 3.

Bad input stays exit 2 with ``file:line:col`` (see test_input_errors.py). A bug in a
rule, the loader or a renderer names the rule and project, keeps the traceback (shown
with ``--debug`` and in the JSON output), and never loses the other results.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from compliance.checking import checker as checker_module
from compliance.checking.findings import FindingBuilder
from compliance.cli import EXIT_INTERNAL
from compliance.output.stream import JsonWriter
from compliance.rules.pack import Rule
from tests.conftest import DATA, ROOT, CliRun

SEED = "cases/qingdao-egov-2020"
CLEAN = str(DATA / "clean_project.yaml")


@pytest.fixture
def broken_fn04(monkeypatch: pytest.MonkeyPatch) -> None:
    """Building an FN04 finding raises, as a bug in a finding's template would."""
    build = FindingBuilder.build

    def failing(self: FindingBuilder, rule: Any, match: Any) -> Any:
        if rule.id == "FN04":
            raise KeyError("budget_typo")
        return build(self, rule, match)

    monkeypatch.setattr(FindingBuilder, "build", failing)


@pytest.mark.usefixtures("broken_fn04")
def test_a_failing_rule_is_an_internal_error_and_the_others_still_report(cli: CliRun) -> None:
    code, out, err = cli("check", SEED, "--format", "json")
    assert code == EXIT_INTERNAL == 3
    [project] = json.loads(out)["projects"]
    rules = {f["rule"] for f in project["findings"]}
    assert "FN04" not in rules and {"PA01", "TG01", "FN02"} <= rules
    errors = [e for e in project["errors"] if e["kind"] == "internal"]
    assert errors, project["errors"]
    first = errors[0]
    assert (first["rule"], first["project"], first["stage"]) == ("FN04", SEED, "building a finding")
    assert first["message"] == "KeyError: 'budget_typo'"
    assert "Traceback (most recent call last)" in first["traceback"]
    assert 'raise KeyError("budget_typo")' in first["traceback"]
    lines = err.splitlines()
    assert lines[0] == (
        f"internal error in rule FN04 while checking {SEED} (building a finding): "
        "KeyError: 'budget_typo' — please report"
    )
    assert "Traceback" not in err
    assert lines[-1] == "(run with --debug for the tracebacks)"


@pytest.mark.usefixtures("broken_fn04")
def test_debug_prints_the_traceback(cli: CliRun) -> None:
    code, _, err = cli("--debug", "check", SEED)
    assert code == 3
    assert "internal error in rule FN04" in err
    assert "Traceback (most recent call last)" in err and "budget_typo" in err


@pytest.mark.usefixtures("broken_fn04")
def test_report_exits_3_and_still_writes_the_report(cli: CliRun, tmp_path: Path) -> None:
    out = tmp_path / "report.md"
    code, _, err = cli("report", SEED, "--format", "markdown", "-o", str(out))
    assert code == 3
    assert "internal error in rule FN04" in err
    assert "PA01" in out.read_text(encoding="utf-8")


def test_a_loader_bug_loses_one_project_only(cli: CliRun, monkeypatch: pytest.MonkeyPatch) -> None:
    load = checker_module.load_project

    def failing(path: Path) -> Any:
        if path.name == "qingdao-egov-2020":
            raise ZeroDivisionError("division by zero")
        return load(path)

    monkeypatch.setattr(checker_module, "load_project", failing)
    code, out, err = cli("check", SEED, CLEAN, "--format", "json", "--fail-on", "none")
    assert code == 3
    seed, clean = json.loads(out)["projects"]
    [error] = seed["errors"]
    assert (error["kind"], error["stage"], error["rule"]) == ("internal", "loading records", None)
    assert clean["errors"] == [] and clean["project"]["name"] == "社区养老服务补助"
    assert "internal error while checking" in err and "please report" in err


def test_a_renderer_bug_exits_3_not_2(cli: CliRun, monkeypatch: pytest.MonkeyPatch) -> None:
    # Output is written project by project: a renderer bug loses that project's text only.
    render = JsonWriter.render

    def failing(self: JsonWriter, result: Any) -> str:
        if result.origin.endswith("clean_project.yaml"):
            raise AttributeError("'Finding' object has no attribute 'titel'")
        return render(self, result)

    monkeypatch.setattr(JsonWriter, "render", failing)
    code, out, err = cli("check", CLEAN, SEED, "--format", "json")
    assert code == 3
    broken, seed = json.loads(out)["projects"]
    assert broken["errors"][0]["stage"] == "rendering json"
    assert seed["findings"]
    assert err.startswith(
        "internal error while checking tests/data/clean_project.yaml (rendering json): "
        "AttributeError:"
    )


def test_bad_input_stays_exit_2_without_internal_errors(cli: CliRun) -> None:
    code, out, err = cli(
        "check", "tests/data/bad_records/typos.yaml", "--format", "json", "--fail-on", "none"
    )
    assert code == 2
    [project] = json.loads(out)["projects"]
    assert project["errors"] and {e["kind"] for e in project["errors"]} == {"input"}
    assert "internal error" not in err and "please report" not in err


def test_help_documents_exit_code_3_and_debug() -> None:
    help_text = subprocess.run(
        [sys.executable, "-m", "compliance", "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "3 internal error" in help_text
    assert "--debug" in help_text


def test_a_rule_that_fails_to_compile_is_an_internal_error(
    cli: CliRun, monkeypatch: pytest.MonkeyPatch
) -> None:
    definition = Rule.definition

    def failing(self: Rule) -> Any:
        if self.id == "TG01":
            raise TypeError("unsupported operand")
        return definition(self)

    monkeypatch.setattr(Rule, "definition", failing)
    code, out, err = cli("check", SEED, "--format", "json")
    assert code == 3
    data = json.loads(out)
    error = data["summary"]["rule_errors"]["TG01"]
    assert (error["stage"], error["message"]) == (
        "compiling the rule",
        "TypeError: unsupported operand",
    )
    assert "Traceback" in error["traceback"]
    assert "PA01" in {f["rule"] for f in data["projects"][0]["findings"]}
    assert "internal error in rule TG01 (compiling the rule)" in err


def test_a_bug_outside_the_checker_exits_3_with_its_traceback_under_debug(
    cli: CliRun, monkeypatch: pytest.MonkeyPatch
) -> None:

    def failing(pack: Any) -> Any:
        raise RuntimeError("engine host could not start")

    monkeypatch.setattr(checker_module, "Checker", failing)
    code, out, err = cli("check", CLEAN)
    assert (code, out) == (3, "")
    assert err == (
        "internal error (running 'check'): RuntimeError: engine host could not start"
        " — please report\n"
    )
    code, _, err = cli("--debug", "check", CLEAN)
    assert code == 3 and "Traceback (most recent call last)" in err
