from __future__ import annotations

import functools
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from compliance.cli.main import main
from compliance.rules.pack import RulePack, load_pack

ROOT = Path(__file__).resolve().parents[1]
RULES = ROOT / "rules"
CASES = ROOT / "cases"
DATA = Path(__file__).resolve().parent / "data"


@functools.cache
def bundled_pack() -> RulePack:
    """The bundled pack, loaded once per test session (collection included).

    Modules that parametrize over its examples need it before fixtures exist; they
    call this, and the ``pack`` fixture returns the same object.
    """
    return load_pack(RULES)


@pytest.fixture(scope="session")
def pack() -> RulePack:
    return bundled_pack()


CliRun = Callable[..., tuple[int, str, str]]


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> CliRun:
    """Run ``compliance`` from the project root; return (exit code, stdout, stderr)."""
    monkeypatch.chdir(ROOT)

    def run(*args: str) -> tuple[int, str, str]:
        code = main(list(args))
        out, err = capsys.readouterr()
        return code, out, err

    return run


def main_at_root(*args: str) -> int:
    """Run ``compliance`` from the project root where the ``cli`` fixture cannot serve
    (module-scoped fixtures); the working folder is restored afterwards."""
    cwd = Path.cwd()
    os.chdir(ROOT)
    try:
        return main(list(args))
    finally:
        os.chdir(cwd)


def pytest_configure(config: pytest.Config) -> None:
    """Register every rule id as a marker, so Gherkin tags pass ``--strict-markers``."""
    for rule in bundled_pack().rules:
        config.addinivalue_line("markers", f"{rule.id}: scenarios of rule {rule.id}")
