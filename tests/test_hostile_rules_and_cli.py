"""Hostile rules, examples and outputs: each a located error or one clear line, never a traceback."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from compliance.cli.main import main
from tests.conftest import ROOT, RULES, CliRun

SEED = "cases/qingdao-egov-2020"
TG01 = RULES / "targets" / "TG01.yaml"
CONDITION = "- {field: deviation_pct, op: gt, value: {param: tolerance_pct}}"


@pytest.fixture
def pack(tmp_path: Path) -> Path:
    """A copy of the bundled pack to break."""
    copy = tmp_path / "rules"
    shutil.copytree(RULES, copy)
    return copy


def rewrite(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (".nan", "when[2].value: expected a finite number, got nan"),
        (".inf", "when[2].value: expected a finite number, got inf"),
        (
            "1.0e+30",
            "when[2].value: 1.0E+30 is too large to compare exactly; numbers in rules stay "
            "below 1E+13 in size",
        ),
    ],
)
def test_nan_infinity_and_huge_numbers_in_a_condition(
    cli: CliRun, pack: Path, value: str, message: str
) -> None:
    rule = pack / "targets" / "TG01.yaml"
    rewrite(rule, CONDITION, CONDITION.replace("{param: tolerance_pct}", value))
    line = f"{rule}:21:43: error: {message}\n"
    code, _, err = cli("rules", "validate", str(pack))
    assert (code, err) == (2, line + "1 problem(s)\n")
    code, out, err = cli("check", SEED, "--rules", str(pack))
    assert (code, out, err) == (2, "", line)


def test_infinite_tolerance(cli: CliRun, pack: Path) -> None:
    rule = pack / "targets" / "TG01.yaml"
    absent = "{field: deviation_reason, op: absent}"
    rewrite(rule, absent, "{field: deviation_reason, op: absent, tolerance: .inf}")
    code, _, err = cli("rules", "validate", str(pack))
    assert code == 2
    assert (
        err
        == f"{rule}:22:54: error: when[3].tolerance: expected a finite number, got inf\n1 problem(s)\n"
    )


def test_a_huge_setting_is_refused(cli: CliRun) -> None:
    code, _, err = cli("check", SEED, "--set", "TG01.tolerance_pct=1e30")
    assert code == 2
    assert err == (
        "--set: error: TG01.tolerance_pct: 1e30 is too large to compare exactly; "
        "numbers stay below 1E+13\n"
    )


NO_CONDITION = (
    "when: the rule has no condition, so it would fire on every indicator; add conditions "
    "(when, join or absent), or write 'when: always' if that is meant"
)


@pytest.mark.parametrize("when", ["", "when: []\n"])
def test_a_rule_without_a_condition_is_an_error(cli: CliRun, pack: Path, when: str) -> None:
    rule = pack / "targets" / "TG01.yaml"
    text = rule.read_text(encoding="utf-8")
    start, end = text.index("when:\n"), text.index("message:")
    rule.write_text(text[:start] + when + text[end:], encoding="utf-8")
    code, _, err = cli("rules", "validate", str(pack))
    assert code == 2
    line = 18 if when else 2
    column = 7 if when else 1
    assert err == f"{rule}:{line}:{column}: error: {NO_CONDITION}\n1 problem(s)\n"


def test_when_always_says_a_rule_holds_for_every_subject(cli: CliRun, pack: Path) -> None:
    rule = pack / "targets" / "TG01.yaml"
    text = rule.read_text(encoding="utf-8")
    start, end = text.index("when:\n"), text.index("message:")
    rule.write_text(text[:start] + "when: always\n" + text[end:], encoding="utf-8")
    (pack / "targets" / "TG01.examples.yaml").unlink()
    code, out, err = cli("rules", "validate", str(pack))
    assert (code, err) == (0, "")
    assert "rules and" in out


EXAMPLE = """\
  {name}:
    expect: silent
{extra}    record:
      {section}:
        - {{number: 5, name: 运维, budget: {budget}, spent: 89.99, status: 已完成}}
"""


@pytest.mark.parametrize(
    ("extra", "section", "budget", "message"),
    [
        (
            "    params: {min_exec: 80}\n",
            "sub_projects",
            "100.00",
            "{params}:24: error: examples.bad.params.min_exec: rule FN04 has no parameter 'min_exec'; "
            "parameters: min_execution_pct",
        ),
        (
            '    params: {min_execution_pct: "80"}\n',
            "sub_projects",
            "100.00",
            "{params}:33: error: examples.bad.params.min_execution_pct: expected a number, got '80'",
        ),
        (
            "",
            "sub_prjects",
            "100.00",
            "{item}:9: error: examples.bad.record.sub_prjects: unknown field 'sub_prjects' "
            "(did you mean 'sub_projects'?); allowed fields: project, coverage, spending_areas, "
            "sub_projects, indicators, documents, acceptances, payments, approvals, adjustments, "
            "surveys, statements, form, form_funds, waivers",
        ),
        (
            "",
            "sub_projects",
            "abc",
            "{item}:41: error: examples.bad.record.sub_projects[0].budget: expected a number, got 'abc'",
        ),
    ],
)
def test_validate_rejects_what_test_would_reject(
    cli: CliRun, pack: Path, extra: str, section: str, budget: str, message: str
) -> None:
    examples = pack / "funds" / "FN04.examples.yaml"
    text = examples.read_text(encoding="utf-8")
    bad = EXAMPLE.format(name="bad", extra=extra, section=section, budget=budget)
    examples.write_text(text + bad, encoding="utf-8")
    lines = text.count("\n")  # the example's name is on the next line, its record below
    shift = 1 if extra else 0
    where = {"params": lines + 3, "item": lines + 5 + shift}
    line = f"{examples}:{message.format(**where)}\n"
    code, _, err = cli("rules", "validate", str(pack))
    assert (code, err) == (2, line + "1 problem(s)\n")
    assert "--set" not in err
    code, out, err = cli("rules", "test", str(pack), "-k", "FN04")
    assert (code, err) == (2, line)
    assert "FAIL FN04-bad\n     invalid example:\n" in out


def test_rules_test_k_reports_its_examples_file_error(cli: CliRun, pack: Path) -> None:
    examples = pack / "funds" / "FN04.examples.yaml"
    examples.write_text(examples.read_text(encoding="utf-8") + "  broken: [\n", encoding="utf-8")
    code, out, err = cli("rules", "test", str(pack), "-k", "FN04")
    assert (code, out) == (2, "")
    assert err == (
        f"{examples}:63:1: error: invalid YAML: did not find expected node content "
        "(while parsing a flow node at line 63)\n1 problem(s)\n"
    )


def test_a_list_as_actual_value_is_a_located_error(cli: CliRun, tmp_path: Path) -> None:
    record = tmp_path / "list.yaml"
    record.write_text(
        "project: {name: a, year: 2020, department: 某局, evaluation_kind: 第三方评价, "
        "budget: 10, spent: 5}\n"
        "indicators:\n"
        "  - {code: I1, 一级指标: 产出指标, 二级指标: 数量指标, 三级指标: 服务器, 指标值: ≥5, "
        "度量单位: 台, 实际完成值: [1, 二]}\n",
        encoding="utf-8",
    )
    code, _, err = cli("check", str(record))
    assert code == 2
    assert err == f"{record}:3:76: error: indicators[0].实际完成值: expected text, got [1, '二']\n"


def test_rules_new_as_the_readme_writes_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """From the folder holding rules/ with an absolute --rules, and from another folder."""
    shutil.copytree(RULES, tmp_path / "rules")
    monkeypatch.chdir(tmp_path)
    argv = ["rules", "new", "FN97", "--category", "资金管理类", "--rules"]
    assert main([*argv, str(tmp_path / "rules")]) == 0
    assert capsys.readouterr().out.startswith("wrote rules/funds/FN97.yaml\n")
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")
    assert main(["rules", "new", "FN98", "--category", "资金管理类", "--rules", "../rules"]) == 0
    written = tmp_path / "rules" / "funds" / "FN98.yaml"
    assert capsys.readouterr().out.startswith(f"wrote {written}\n")
    assert (
        (tmp_path / "rules" / "funds" / "FN98.yaml")
        .read_text(encoding="utf-8")
        .startswith("# yaml-language-server: $schema=../rule.schema.json\n")
    )
    assert main(["rules", "validate", "../rules"]) == 0


def test_a_stale_generated_file_names_the_command_that_refreshes_it(
    cli: CliRun, tmp_path: Path
) -> None:
    out = tmp_path / "docs"
    shutil.copytree(ROOT / "docs" / "rules", out)
    (out / "TG01.md").write_text("old\n", encoding="utf-8")
    (out / "TG02.md").unlink()
    code, _, err = cli("rules", "docs", "--check", "--rules", "rules", "--out", str(out))
    assert code == 1
    assert err == (
        f"{out / 'TG01.md'}: stale; run `make docs` (or `compliance rules docs`) and commit "
        f"the result\n{out / 'TG02.md'}: missing; run `make docs` (or `compliance rules docs`) "
        "and commit the result\n"
    )


def test_report_without_format_writes_markdown_to_a_terminal(cli: CliRun) -> None:
    code, out, _ = cli("report", SEED)
    _, markdown, _ = cli("report", SEED, "--format", "markdown")
    assert code == 0
    assert out.splitlines()[:20] == markdown.splitlines()[:20]
    assert out.startswith("# ") and "<!DOCTYPE html>" not in out


def test_report_takes_the_format_from_the_output_suffix(cli: CliRun, tmp_path: Path) -> None:
    assert cli("report", SEED, "-o", str(tmp_path / "r.html"))[0] == 0
    assert (tmp_path / "r.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    with pytest.raises(SystemExit) as exited:
        cli("report", SEED, "-o", str(tmp_path / "r.txt"))
    assert exited.value.code == 2


def run_cli(*args: str, stdout: int | None = None) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "compliance", *args]
    return subprocess.run(
        command, cwd=ROOT, stdout=stdout, stderr=subprocess.PIPE, text=True, timeout=120
    )


def test_standard_output_that_is_full(tmp_path: Path) -> None:
    with open("/dev/full", "w") as full:
        done = run_cli("check", SEED, stdout=full.fileno())
    assert (done.returncode, done.stderr) == (
        2,
        "error: cannot write to standard output: No space left on device\n",
    )


def test_standard_output_closed_early() -> None:
    """A reader that went away (``| head`` once it has what it wants): EPIPE on the first write."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        done = run_cli("rules", "list", stdout=write_end)
    finally:
        os.close(write_end)
    assert (done.returncode, done.stderr) == (
        2,
        "error: cannot write to standard output: Broken pipe\n",
    )


def test_pytest_prints_its_summary_line() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    addopts = config["tool"]["pytest"]["ini_options"]["addopts"].split()
    assert "-q" not in addopts and "--quiet" not in addopts


def test_a_value_that_fits_no_branch_of_a_union_is_one_problem(cli: CliRun, pack: Path) -> None:
    rule = pack / "targets" / "TG01.yaml"
    rewrite(rule, "default: 20", "default: .nan")
    code, _, err = cli("rules", "validate", str(pack))
    assert code == 2
    assert err == (
        f"{rule}:14:14: error: params.tolerance_pct.default: expected true or false, a number "
        "or text, got nan\n1 problem(s)\n"
    )


def test_a_sum_over_an_unknown_kind_is_a_located_error(cli: CliRun, pack: Path) -> None:
    """Found by ``make fuzz``: exit code 3 (a KeyError) before."""
    rule = pack / "targets" / "TG01.yaml"
    text = rule.read_text(encoding="utf-8")
    start, end = text.index("when:\n"), text.index("message:")
    aggregate = (
        "aggregates:\n  a: {fn: sum, of: nothing, field: name}\n"
        "when:\n  - {field: aggregates.a, op: gt, value: 1}\n"
    )
    rule.write_text(text[:start] + aggregate + text[end:], encoding="utf-8")
    code, _, err = cli("rules", "validate", str(pack))
    assert code == 2
    assert err.startswith(
        f"{rule}:19:20: error: aggregates.a.of: unknown record kind 'nothing'; expected one of: "
    )
