"""Lazy imports: ``--help`` loads no checker, ``check`` no report, scoring or Word code.

Start-up time is measured with ``python -X importtime`` and the benchmark; this test
only guards which modules load, which is what keeps them fast.
"""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import ROOT

HEAVY_FOR_CHECK = ("compliance.output.report", "compliance.scoring", "docx")
HEAVY_FOR_HELP = (
    *HEAVY_FOR_CHECK,
    "compliance.checking",
    "compliance.engine",
    "compliance.intake",
    "compliance.records.forms",
    "sqlalchemy",
    "starlette",
    "durable",
    "rich",
    "pydantic",
)


def _loaded_after(code: str) -> list[str]:
    script = f"""
import contextlib, io, json, sys
from compliance.cli.main import main
with contextlib.redirect_stdout(io.StringIO()):
    try:
        {code}
    except SystemExit:
        pass
print(json.dumps(sorted(sys.modules)))
"""
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, check=True
    )
    loaded: list[str] = json.loads(done.stdout.splitlines()[-1])
    return loaded


def test_help_loads_no_checker_engine_or_report() -> None:
    loaded = _loaded_after("main(['--help'])")
    assert [m for m in loaded if m.startswith(HEAVY_FOR_HELP)] == []


def test_check_loads_no_report_scoring_or_word_code() -> None:
    loaded = _loaded_after(
        "main(['check', 'cases/selfeval-2023-street-lighting', '--quiet', '--fail-on', 'none'])"
    )
    assert "compliance.checking.checker" in loaded
    assert [m for m in loaded if m.startswith(HEAVY_FOR_CHECK)] == []
