"""SARIF output validated against the SARIF 2.1.0 JSON schema published by Microsoft's SARIF SDK.

The schema is not written here: `make test` unpacks it from the npm package
@microsoft/jest-sarif@1.0.0-beta.0 (lib/schemas/sarif-2.1.0-rtm.5.json, the SDK's schema for
SARIF 2.1.0), and its digest is pinned below. No PyPI package ships the schema as a file.
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import re
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft4Validator

from compliance.checking.checker import Checker
from compliance.output.report import Report, build_report
from compliance.output.report.sarif import to_sarif
from compliance.rules.pack import Rule, RulePack
from compliance.rules.spec import RULE_ID_PATTERN
from tests.conftest import CliRun
from tests.report.conftest import SELF_EVAL

SCHEMA = Path(sys.prefix) / "share" / "sarif" / "sarif-2.1.0-rtm.5.json"
SCHEMA_SHA256 = "2d99159ae54a3eea97f81781cff48780548657c35949f4b7f25e99a2ba4de4f8"
SEED = "cases/qingdao-egov-2020"


@pytest.fixture(scope="module")
def validator() -> Draft4Validator:
    if not SCHEMA.exists():
        message = f"{SCHEMA} missing: run `make test` (npm pack @microsoft/jest-sarif)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    data = SCHEMA.read_bytes()
    assert hashlib.sha256(data).hexdigest() == SCHEMA_SHA256
    schema = json.loads(data)
    assert schema["properties"]["version"]["enum"] == ["2.1.0"]
    Draft4Validator.check_schema(schema)
    return Draft4Validator(schema, format_checker=Draft4Validator.FORMAT_CHECKER)


def _sarif(cli: CliRun, path: str) -> dict[str, Any]:
    code, out, err = cli("report", path, "--format", "sarif")
    assert (code, err) == (0, "")
    data: dict[str, Any] = json.loads(out)
    return data


def _errors(validator: Draft4Validator, log: dict[str, Any]) -> list[str]:
    return [f"{e.json_path}: {e.message}" for e in validator.iter_errors(log)]


def test_seed_sarif_is_valid(cli: CliRun, validator: Draft4Validator) -> None:
    assert _errors(validator, _sarif(cli, SEED)) == []


def test_the_validator_rejects_a_broken_log(cli: CliRun, validator: Draft4Validator) -> None:
    log = _sarif(cli, SEED)
    broken = copy.deepcopy(log)
    broken["runs"][0]["results"][0]["level"] = "fatal"
    del broken["runs"][0]["tool"]["driver"]["name"]
    errors = _errors(validator, broken)
    assert any("'fatal' is not one of" in e for e in errors)
    assert any("'name' is a required property" in e for e in errors)


def test_each_finding_is_a_result_on_its_record_line(cli: CliRun, seed_report: Report) -> None:
    [run] = _sarif(cli, SEED)["runs"]
    findings = seed_report.projects[0].result.findings
    results = [r for r in run["results"] if r.get("kind") != "review"]
    assert len(results) == len(findings)
    rules = run["tool"]["driver"]["rules"]
    for finding, result in zip(findings, results, strict=True):
        assert result["ruleId"] == finding.rule
        assert rules[result["ruleIndex"]]["id"] == finding.rule
        assert result["message"]["text"] == finding.message
        assert result["level"] == {"high": "error", "medium": "warning"}.get(
            finding.severity.value, "note"
        )
        [where] = result["locations"]
        physical = where["physicalLocation"]
        assert finding.location is not None
        assert physical["artifactLocation"] == {
            "uri": finding.location.file,
            "uriBaseId": "SRCROOT",
        }
        assert physical["region"] == {
            "startLine": finding.location.line,
            "startColumn": finding.location.column,
        }
    storage = next(r for r in results if r["ruleId"] == "TG01" and "云存储" in r["message"]["text"])
    assert storage["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].endswith(
        "indicators.yaml"
    )
    assert run["originalUriBaseIds"]["SRCROOT"]["uri"].startswith("file:///")


def test_rule_metadata_and_score(cli: CliRun) -> None:
    [run] = _sarif(cli, SEED)["runs"]
    rules = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
    assert rules["PA01"]["shortDescription"]["text"] == "立项前未开展可行性研究"
    assert rules["PA01"]["defaultConfiguration"]["level"] == "error"
    assert rules["PA01"]["properties"]["framework"] == "决策/项目立项/立项程序规范性"
    [score] = run["properties"]["scores"]
    assert (score["total"], score["grade"]) == ("54.67", "差")
    assert [line["code"] for line in score["lines"]][:2] == ["A11", "A12"]
    assert run["invocations"][0]["executionSuccessful"] is True


def test_claimed_score_differences_are_results(cli: CliRun, validator: Draft4Validator) -> None:
    log = _sarif(cli, str(SELF_EVAL))
    assert _errors(validator, log) == []
    [run] = log["runs"]
    [check] = [r for r in run["results"] if r["ruleId"] == "score/claim-mismatch"]
    assert "故障响应时间" in check["message"]["text"]
    region = check["locations"][0]["physicalLocation"]["region"]
    line = SELF_EVAL.read_text(encoding="utf-8").splitlines()[region["startLine"] - 1]
    assert "I03" in line


def test_scoring_checks_cannot_collide_with_a_pack_rule(pack: RulePack) -> None:
    # A pack may name a rule SC01 (the scoring checks' old ids): both must keep their own id.
    fn04 = pack.by_id()["FN04"]
    sc01 = Rule(fn04.spec.model_copy(update={"id": "SC01"}), fn04.file, dict(fn04.params))
    with Checker(replace(pack, rules=[*pack.rules, sc01])) as checker:
        log = to_sarif(build_report(checker.run([SELF_EVAL])))
    [run] = log["runs"]
    ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert len(ids) == len(set(ids))
    assert {"SC01", "score/claim-mismatch", "score/weight-mismatch"} <= set(ids)
    assert not any(re.fullmatch(RULE_ID_PATTERN, i) for i in ids if i.startswith("score/"))
    checks = [r for r in run["results"] if r["ruleId"].startswith("score/")]
    assert checks, "the self-evaluation form has claimed scores that differ"
    for result in run["results"]:
        assert ids[result["ruleIndex"]] == result["ruleId"]


def test_run_record_is_in_the_invocation(cli: CliRun) -> None:
    code, out, _ = cli("report", SEED, "--format", "sarif", "--set", "FN04.min_execution_pct=85")
    assert code == 0
    invocation = json.loads(out)["runs"][0]["invocations"][0]
    record = invocation["properties"]["runRecord"]
    assert invocation["startTimeUtc"] == record["time"] and record["time"].endswith("Z")
    assert record["settings"] == {"FN04.min_execution_pct": "85"}
    assert len(record["rulesSha256"]) == 64 and record["ruleCount"] > 0
    assert [p["name"] for p in record["profiles"]] == ["third_party.yaml"]
    digest = hashlib.sha256(Path(SEED, "project.yaml").read_bytes()).hexdigest()
    assert {"name": "qingdao-egov-2020/project.yaml", "sha256": digest} in record["inputs"]


def test_undecided_rules_are_results_for_review(cli: CliRun, seed_report: Report) -> None:
    """未能核查 travels as results of kind ``review`` (level ``none``), one per rule and subject."""
    [run] = _sarif(cli, SEED)["runs"]
    undecided = seed_report.projects[0].result.undecided
    review = [r for r in run["results"] if r.get("kind") == "review"]
    assert [(r["ruleId"], r["level"]) for r in review] == [(u.rule, "none") for u in undecided]
    first = review[0]
    assert first["message"]["text"].startswith(f"未能核查：{undecided[0].title}")
    assert first["properties"]["needs"] == list(undecided[0].needs)
    assert first["locations"][0]["physicalLocation"]["region"]["startLine"] > 0
