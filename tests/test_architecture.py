"""The tree keeps its shape: durable-rules behind one door, each stage importing only earlier ones."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "compliance"
DIALECT = re.compile(r"^\$(and|or|ex|nex|gt|gte|lt|lte|neq|m|add|mul|div|not)$")
STAGES = [
    "core",
    "records",
    "intake",
    "rules",
    "engine",
    "checking",
    "review",
    "scoring",
    "output",
    "cli",
]
"""The flow, in order; a stage may import itself and earlier stages only (rules ⇄ engine
share the operator table and the compiler, so they count as one stage here)."""
PEERS = {"rules": "engine", "engine": "rules"}


def _modules() -> list[Path]:
    return sorted(p for p in SRC.rglob("*.py"))


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.append(node.module)
        elif isinstance(node, ast.Import):
            found.extend(alias.name for alias in node.names)
    return found


def _stage(path: Path) -> str | None:
    parts = path.relative_to(SRC).parts
    return parts[0] if len(parts) > 1 and parts[0] in STAGES else None


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(SRC)))
def test_only_the_engine_speaks_durable_rules(path: Path) -> None:
    if _stage(path) == "engine":
        return
    assert not [m for m in _imports(path) if m.split(".")[0] in ("durable", "durable_rules_engine")]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    strings = [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant)]
    assert not [s for s in strings if isinstance(s, str) and DIALECT.match(s)]


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(SRC)))
def test_stages_import_only_earlier_stages(path: Path) -> None:
    stage = _stage(path)
    if stage is None:
        return
    allowed = set(STAGES[: STAGES.index(stage) + 1]) | {PEERS.get(stage, stage)}
    for module in _imports(path):
        parts = module.split(".")
        if parts[0] == "compliance" and len(parts) > 1 and parts[1] in STAGES:
            assert parts[1] in allowed, f"{stage} imports {module}"


def test_every_stage_says_what_it_does() -> None:
    for stage in STAGES:
        init = SRC / stage / "__init__.py"
        assert ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))), stage
