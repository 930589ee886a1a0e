"""The auditor's rule workflow: rules list/show/validate/test/new/docs, on good and broken packs."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema
import pytest
import yaml

from compliance.rules.pack import RulePack
from tests.conftest import DATA, RULES, CliRun

BROKEN = "tests/data/broken_pack"


def broken_errors() -> str:
    return (DATA / "broken_pack.expected").read_text(encoding="utf-8")


def test_validate_reports_every_problem_of_a_broken_pack(cli: CliRun) -> None:
    code, out, err = cli("rules", "validate", BROKEN)
    assert (code, out) == (2, "")
    assert err == broken_errors()
    for what in (
        "unknown field 'execution_rte'",
        "unknown operator 'equals'",
        "placeholder '{params.min_pct}' names nothing",
        "duplicate rule id 'XX02'",
    ):
        assert what in err


@pytest.mark.parametrize(
    "command",
    [
        ("rules", "test", BROKEN),
        ("rules", "list", "--rules", BROKEN),
        ("rules", "show", "XX02", "--rules", BROKEN),
        ("rules", "new", "XX03", "--category", "资金管理类", "--rules", BROKEN),
        ("explain", "XX02", "cases/qingdao-egov-2020", "--rules", BROKEN),
        ("check", "cases/qingdao-egov-2020", "--rules", BROKEN),
    ],
    ids=lambda c: " ".join(c[:2]),
)
def test_every_command_refuses_a_broken_pack_with_the_same_errors(
    cli: CliRun, command: tuple[str, ...]
) -> None:
    code, _, err = cli(*command)
    assert code == 2
    assert err.startswith(broken_errors().removesuffix("4 problem(s)\n"))
    assert "Traceback" not in err


def test_validate_accepts_the_bundled_pack(cli: CliRun, pack: RulePack) -> None:
    code, out, _ = cli("rules", "validate")
    assert code == 0
    assert out.startswith(f"{len(pack.rules)} rules and ")


def test_list_filters_by_category(cli: CliRun, pack: RulePack) -> None:
    code, out, _ = cli("rules", "list", "--category", "满意度类")
    assert code == 0
    assert out.splitlines()[0].startswith("SA01  中  满意度类  项目单位未开展满意度调查")
    wanted = sum(1 for r in pack.rules if r.spec.category == "满意度类")
    assert out.splitlines()[-1] == f"{wanted} rules"


def test_show_describes_conditions_parameters_and_examples(cli: CliRun) -> None:
    code, out, _ = cli("rules", "show", "FN04")
    assert code == 0
    assert "子项目的预算执行率（%）小于参数 min_execution_pct（90）" in out
    assert (
        "min_execution_pct: 预算执行率低于此值（%）须说明原因。（默认 90，最小 0，最大 100）" in out
    )
    assert "触发（fires）" in out and "不触发（does not fire）" in out


def test_rules_test_prints_each_example_and_the_coverage_table(cli: CliRun) -> None:
    code, out, _ = cli("rules", "test", "-k", "TG01")
    assert code == 0
    assert "ok   TG01-fires_when_actual_far_above_target" in out
    assert "rule  fire  silent  boundary  failed  scenarios  fires on cases" in out
    assert out.count("\nTG01 ") == 1


def test_new_rule_is_valid_and_its_examples_pass(cli: CliRun, tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    shutil.copytree(RULES, rules)
    code, out, _ = cli("rules", "new", "FN99", "--category", "资金管理类", "--rules", str(rules))
    assert code == 0
    assert (rules / "funds" / "FN99.yaml").is_file()
    assert (rules / "funds" / "FN99.examples.yaml").is_file()
    assert cli("rules", "validate", str(rules))[0] == 0
    code, out, _ = cli("rules", "test", str(rules), "-k", "FN99")
    assert "3 passed, 0 failed" in out


def test_new_rule_refuses_an_existing_id(cli: CliRun) -> None:
    code, _, err = cli("rules", "new", "TG01", "--category", "绩效目标类")
    assert code == 2
    assert err.startswith("error: rule TG01 exists already")


def test_generated_schema_and_docs_are_up_to_date(cli: CliRun) -> None:
    code, _, err = cli("rules", "docs", "--check")
    assert code == 0, err + "\nrun `make docs` and commit the result"


def test_every_rule_file_validates_against_the_generated_schema(pack: RulePack) -> None:
    schema = json.loads((RULES / "rule.schema.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    files = sorted(
        p
        for p in RULES.rglob("*.yaml")
        if not p.name.endswith(".examples.yaml") and p.name != "categories.yaml"
    )
    assert len(files) == len(pack.rules)
    for path in files:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        errors = [e.message for e in validator.iter_errors(data)]
        assert errors == [], path


def test_the_schema_rejects_a_typo() -> None:
    schema = json.loads((RULES / "rule.schema.json").read_text(encoding="utf-8"))
    rule = {
        "id": "XX01",
        "title": "t",
        "category": "资金管理类",
        "framework": "过程/资金管理",
        "severity": "medium",
        "subject": "sub_project",
        "message": "m",
        "recommendation": "r",
        "references": [{"title": "x"}],
        "when": [{"field": "budget", "op": "greater", "value": 1}],
    }
    validator = jsonschema.Draft202012Validator(schema)
    best = jsonschema.exceptions.best_match(validator.iter_errors(rule))
    assert best is not None
    assert list(best.absolute_path) == ["when", 0, "op"]
    assert best.message.startswith("'greater' is not one of ['eq', 'ne', 'gt'")
    # The typo is the only thing wrong: with the right operator the rule validates.
    rule["when"] = [{"field": "budget", "op": "gt", "value": 1}]
    assert list(validator.iter_errors(rule)) == []


def test_rules_test_with_an_id_that_matches_nothing_is_bad_input(cli: CliRun) -> None:
    code, _, err = cli("rules", "test", "-k", "ZZ99")
    assert code == 2
    assert err.startswith("error: no rule with examples matches 'ZZ99'")


def test_rules_test_matches_ids_case_insensitively(cli: CliRun) -> None:
    code, out, _ = cli("rules", "test", "-k", "fn08")
    assert code == 0
    assert "ok   FN08-" in out


def test_docs_for_another_pack_need_their_own_folder(cli: CliRun) -> None:
    code, _, err = cli("rules", "docs", "--rules", BROKEN)
    assert code == 2
    assert err.startswith("error: --out DIR is needed with --rules")


def test_explain_takes_one_project(cli: CliRun) -> None:
    code, _, err = cli("explain", "TG01", "cases")
    assert code == 2
    held = len({p.parent for p in Path("cases").glob("**/project.yaml")})
    assert err.startswith(f"cases: error: explain takes one project; this folder holds {held}:")


def test_show_says_a_rule_without_conditions_fires_on_every_subject(
    cli: CliRun, tmp_path: Path
) -> None:
    pack = tmp_path / "pack"
    (pack / "x").mkdir(parents=True)
    shutil.copy(RULES / "categories.yaml", pack)
    rule = {
        "id": "XX01",
        "title": "每个项目都提示",
        "category": "数据质量类",
        "framework": "产出/产出数量",
        "severity": "info",
        "subject": "project",
        "when": "always",
        "message": "提示",
        "recommendation": "无",
        "references": [{"title": "示例"}],
    }
    (pack / "x" / "XX01.yaml").write_text(yaml.safe_dump(rule, allow_unicode=True), "utf-8")
    code, out, err = cli("rules", "show", "XX01", "--rules", str(pack))
    assert code == 0, err
    assert "无条件（when: always）：对每个项目都触发" in out
