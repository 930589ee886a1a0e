from __future__ import annotations

from pathlib import Path

import pytest

from compliance.rulepack import RulePack, load_pack

ROOT = Path(__file__).resolve().parents[1]
RULES = ROOT / "rules"
CASES = ROOT / "cases"
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="session")
def pack() -> RulePack:
    return load_pack(RULES)


def pytest_configure(config: pytest.Config) -> None:
    """Register every rule id as a marker, so Gherkin tags pass ``--strict-markers``."""
    for rule in load_pack(RULES).rules:
        config.addinivalue_line("markers", f"{rule.id}: scenarios of rule {rule.id}")
