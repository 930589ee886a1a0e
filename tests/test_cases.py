"""Every case under cases/ gives exactly its expected findings: missing and extra both fail."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from compliance.checking.checker import Checker
from compliance.rules.pack import RulePack
from tests.conftest import CASES

CASE_DIRS = sorted(p.parent for p in CASES.glob("*/expected.yaml"))


def expected_findings(case: Path) -> set[tuple[str, str]]:
    data = yaml.safe_load((case / "expected.yaml").read_text(encoding="utf-8"))
    return {(item["rule"], item["subject"]) for item in data["findings"]}


@pytest.mark.parametrize("case", CASE_DIRS, ids=[p.name for p in CASE_DIRS])
def test_case_gives_exactly_its_expected_findings(case: Path, pack: RulePack) -> None:
    run = Checker(pack).run([case])
    [result] = run.results
    assert not result.problems, result.problems
    assert not result.errors, result.errors
    found = {(f.rule, f"{f.subject.type}:{f.subject.key}") for f in result.findings}
    expected = expected_findings(case)
    assert sorted(expected - found) == [], "missing findings"
    assert sorted(found - expected) == [], "unexpected findings"
    data = yaml.safe_load((case / "expected.yaml").read_text(encoding="utf-8"))
    forbidden = {(m["rule"], m["subject"]) for m in data.get("must_not") or []}
    undecided = {(u.rule, f"{u.subject_type}:{u.subject_key}") for u in result.undecided}
    assert sorted(forbidden & found) == [], "findings the records do not establish"
    assert sorted(forbidden - undecided) == [], "must_not items should be listed as 未能核查"


def test_seed_case_is_present() -> None:
    assert (CASES / "qingdao-egov-2020" / "expected.yaml").is_file()


def test_seed_findings_carry_evidence_and_location(pack: RulePack) -> None:
    [result] = Checker(pack).run([CASES / "qingdao-egov-2020"]).results
    for finding in result.findings:
        assert finding.evidence, finding.rule
        assert finding.location is not None and finding.location.line > 0
        assert finding.references and finding.recommendation


def test_seed_recommendations_answer_the_reports_three_groups(pack: RulePack) -> None:
    [result] = Checker(pack).run([CASES / "qingdao-egov-2020"]).results
    titles = [g.title for g in result.recommendations]
    for wanted in (
        "加强项目前期论证环节，提高绩效目标编制质量",
        "完善项目中期过程管理，严格规范项目执行",
        "重视项目实施后续服务，定期开展服务对象满意度调查",
    ):
        assert wanted in titles
    answered = sorted(n for g in result.recommendations for n in g.findings)
    assert answered == list(range(1, len(result.findings) + 1))
