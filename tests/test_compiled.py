"""The compiled build (mypyc, ``make compiled``) gives byte for byte the output of the source.

Why: the batch benchmark's rate is measured on the compiled build; a mypyc semantic
difference (a native class, an integer, a closure) would change findings silently. The
wheel is built with ``COMPLIANCE_COMPILE=1`` from this checkout, installed into a fresh
virtualenv, and run from a folder outside the checkout on every case and on generated
forms; its JSON must equal this checkout's, finding for finding and 未能核查 for 未能核查.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from tests.conftest import CASES, ROOT, generated_forms

MODULES = (
    "compliance.checking.undecided",
    "compliance.engine.operators",
    "compliance.core.yamlfile",
)


def _run(args: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    return subprocess.run(
        args, cwd=cwd, env={**clean, **env}, capture_output=True, text=True, timeout=900
    )


@pytest.fixture(scope="module")
def compiled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtualenv with the compiled wheel; returns its bin folder."""
    root = tmp_path_factory.mktemp("compiled")
    dist = root / "dist"
    pip_wheel = [sys.executable, "-m", "pip", "wheel", "--no-build-isolation", "--no-deps", "-q"]
    built = _run([*pip_wheel, "-w", str(dist), str(ROOT)], root, COMPLIANCE_COMPILE="1")
    assert built.returncode == 0, built.stderr[-3000:]
    [wheel] = dist.glob("compliance-*.whl")
    assert not wheel.name.endswith("-none-any.whl"), "built without its compiled modules"
    venv.create(root / "venv", with_pip=True, system_site_packages=False)
    bin_dir = root / "venv" / "bin"
    done = _run([str(bin_dir / "pip"), "install", "-q", str(wheel)], root)
    assert done.returncode == 0, done.stderr[-3000:]
    return bin_dir


def _json(run: subprocess.CompletedProcess[str]) -> dict[str, object]:
    assert run.returncode in (0, 1), run.stderr[-3000:]
    data: dict[str, object] = json.loads(run.stdout)
    return data


@pytest.mark.wheel
def test_the_hot_modules_are_compiled(compiled: Path, tmp_path: Path) -> None:
    shown = _run(
        [
            str(compiled / "python"),
            "-c",
            f"import importlib; print(*(importlib.import_module(m).__file__ for m in {MODULES}))",
        ],
        tmp_path,
    )
    assert shown.returncode == 0, shown.stderr
    assert all(path.endswith(".so") for path in shown.stdout.split()), shown.stdout


@pytest.mark.wheel
def test_the_compiled_build_gives_the_checkout_output(compiled: Path, tmp_path: Path) -> None:
    forms = tmp_path / "forms"
    generated_forms(forms, 200)
    paths = [str(p.parent) for p in sorted(CASES.rglob("project.yaml"))] + [str(forms)]
    args = ["check", *paths, "--format", "json", "--jobs", "1", "--rules", str(ROOT / "rules")]
    source = _json(_run([sys.executable, "-m", "compliance", *args], ROOT))
    built = _json(_run([str(compiled / "compliance"), *args], ROOT))
    assert len(source["projects"]) == len(built["projects"]) > 200  # type: ignore[arg-type]
    assert built == source
