"""Fixtures of the report tests: the seed case checked and scored once per session."""

from __future__ import annotations

import pytest

from compliance.checking.checker import Checker, CheckRun
from compliance.output.report import Report, build_report
from compliance.rules.pack import RulePack
from tests.conftest import CASES, DATA

SEED = CASES / "qingdao-egov-2020"
SELF_EVAL = DATA / "report" / "self_eval.yaml"


@pytest.fixture(scope="session")
def seed_run(pack: RulePack) -> CheckRun:
    return Checker(pack).run([SEED])


@pytest.fixture(scope="session")
def seed_report(seed_run: CheckRun) -> Report:
    return build_report(seed_run)


@pytest.fixture(scope="session")
def self_eval_report(pack: RulePack) -> Report:
    return build_report(Checker(pack).run([SELF_EVAL]))
