from __future__ import annotations

import functools
import os
import sys
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


def generated_forms(folder: Path, count: int) -> list[Path]:
    """``count`` synthetic forms written to ``folder`` by benchmarks/generate.py (not a
    package: its folder is on the path only while importing); their files in order."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from generate import write
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    return write(folder, count)


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
