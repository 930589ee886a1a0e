"""The package as users install it: build the wheel, install it in a fresh virtualenv, run it elsewhere.

Why: from a source checkout the bundled rules and profiles are found beside ``src/``;
an installed wheel must carry them as package data. This test builds the wheel
(``pip wheel --no-deps``), installs it into a new virtualenv without system site
packages (dependencies come from the registry, or pip's cache after ``make setup``),
and runs ``compliance`` from a temporary folder outside the checkout: it must load
every rule of the pack and give the same findings as the checkout.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

import compliance
from compliance.rules.pack import RulePack
from tests.conftest import CASES, ROOT

CASE = CASES / "selfeval-2023-school-meals"


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run outside this checkout's environment: no PYTHONPATH pointing at ``src/``."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtualenv with the wheel built from this checkout; returns its bin folder."""
    root = tmp_path_factory.mktemp("wheel")
    dist = root / "dist"
    built = _run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(ROOT)], root
    )
    assert built.returncode == 0, built.stderr[-3000:]
    assert "BuildBackendWarning" not in built.stderr, "setuptools warns about the package data"
    [wheel] = dist.glob("compliance-*.whl")
    venv.create(root / "venv", with_pip=True, system_site_packages=False)
    bin_dir = root / "venv" / "bin"
    done = _run([str(bin_dir / "pip"), "install", "-q", str(wheel)], root)
    assert done.returncode == 0, done.stderr[-3000:]
    return bin_dir


@pytest.mark.wheel
def test_the_api_imports_from_the_wheel_outside_the_checkout(
    installed: Path, tmp_path: Path
) -> None:
    shown = _run(
        [
            str(installed / "python"),
            "-c",
            "import compliance, compliance.resources as r; "
            "print(compliance.check); print(compliance.__file__); print(r.RULES)",
        ],
        tmp_path,
    )
    assert shown.returncode == 0, shown.stderr
    api, module, rules = shown.stdout.splitlines()
    assert api.startswith("<function check at ")
    venv_root = installed.parent
    assert Path(module).is_relative_to(venv_root) and not Path(module).is_relative_to(ROOT)
    assert Path(rules).is_relative_to(venv_root)
    assert Path(rules).parts[-2:] == ("bundled", "rules")


@pytest.mark.wheel
def test_check_from_the_wheel_gives_the_checkout_findings(
    installed: Path, tmp_path: Path, pack: RulePack
) -> None:
    done = _run(
        [
            str(installed / "compliance"),
            "check",
            str(CASE),
            "--format",
            "json",
            "--fail-on",
            "none",
        ],
        tmp_path,
    )
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["rules"] == len(pack.rules), "a rule group folder is missing from the wheel"
    [project] = data["projects"]
    assert project["errors"] == []
    got = sorted((f["rule"], f["subject"]["key"], f["message"]) for f in project["findings"])
    run = compliance.check(CASE)
    [result] = run.results
    expected = sorted((f.rule, f.subject.key, f.message) for f in result.findings)
    assert got == expected and got


@pytest.mark.wheel
def test_reports_from_the_wheel_use_the_bundled_templates(installed: Path, tmp_path: Path) -> None:
    """The report templates (HTML, Markdown, Word) travel in the wheel as package data."""
    for fmt, name in (("html", "r.html"), ("markdown", "r.md"), ("docx", "r.docx")):
        done = _run(
            [str(installed / "compliance"), "report", str(CASE), "--format", fmt, "-o", name],
            tmp_path,
        )
        assert done.returncode == 0, done.stderr
        assert (tmp_path / name).stat().st_size > 1000
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert 'data-part="other"' in html and "运行记录" in html
    copied = _run([str(installed / "compliance"), "templates", "mine"], tmp_path)
    assert copied.returncode == 0, copied.stderr
    assert (tmp_path / "mine" / "word" / "report.docx").is_file()


@pytest.mark.wheel
def test_the_store_and_review_page_work_from_the_wheel(installed: Path, tmp_path: Path) -> None:
    """The store's Alembic migrations and the review page's templates ship as package data."""
    store = f"sqlite:///{tmp_path / 'compliance.db'}"
    done = _run(
        [str(installed / "compliance"), "check", str(CASE), "--store", store, "--fail-on", "none"],
        tmp_path,
    )
    assert done.returncode == 0, done.stderr
    shown = _run([str(installed / "compliance"), "history", "学生", "--store", store], tmp_path)
    assert shown.returncode == 0, shown.stderr
    page = _run(
        [
            str(installed / "python"),
            "-c",
            "from compliance.review.web.app import TEMPLATES, _environment\n"
            "env = _environment()\n"
            "names = sorted(p.name for p in TEMPLATES.glob('*.html'))\n"
            "print(len([env.get_template(n) for n in names]))",
        ],
        tmp_path,
    )
    assert page.returncode == 0 and page.stdout.strip() == "6", page.stderr[-2000:]
