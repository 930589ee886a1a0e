"""The engine never reads invalid memory on our rules (durable-rules has had such bugs).

durable-rules 2.0.28 read freed memory for ordered comparisons across facts; it
showed as rare segfaults or silently wrong matches. Running every rule example
and case under valgrind catches a rule that reintroduces such a pattern.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from tests.conftest import ROOT


@pytest.mark.valgrind
@pytest.mark.skipif(
    shutil.which("valgrind") is None and not os.environ.get("CI"),
    reason="valgrind not installed (CI installs it)",
)
def test_examples_and_cases_run_clean_under_valgrind() -> None:
    result = subprocess.run(
        ["valgrind", "--quiet", "--error-exitcode=9", sys.executable, "tests/memcheck_examples.py"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src") + os.pathsep + str(ROOT)},
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "examples" in result.stdout
