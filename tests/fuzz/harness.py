"""Run one malformed input through the commands a user would run, and judge the outcome.

The invariant: any input gives findings or located errors and exit code 0, 1 or 2
within a time bound: never an exception out of ``main``, a traceback, an "internal
error", a rule that validated and then failed to compile, or an error line that
does not say where. Records run through ``check``; rules through ``rules validate``
and ``check --rules``; examples files through ``rules validate`` and ``rules test``.
"""

from __future__ import annotations

import contextlib
import io
import re
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

from compliance.cli.main import main
from tests.fuzz.corpus import ROOT, FuzzInput

RULES = ROOT / "rules"
CLEAN = ROOT / "tests" / "data" / "clean_project.yaml"
TIME_BOUND = 20.0
"""Seconds one input may take (all its commands), on a shared two-core machine."""
LOCATED = re.compile(
    r"^(?:\S.*?:\d+:\d+: error: .+"  # file:line:col: error: …
    r"|\S.*?: error: .+"  # file: error: … (a file-level problem), --set: error: …
    r"|error: .+"  # a usage error of the command itself
    r"|\d+ problem\(s\))$"
)
BROKEN = ("Traceback", "internal error", "could not be compiled", "aggregate failed",
          "could not be built", "rule error:")


@dataclass
class Outcome:
    """What happened to one input."""

    item: FuzzInput
    codes: list[int] = field(default_factory=list)
    seconds: float = 0.0
    failures: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Whether the invariant held."""
        return not self.failures


def _command(outcome: Outcome, args: list[str]) -> None:
    out, err = io.StringIO(), io.StringIO()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(args)
    except SystemExit as exc:  # argparse: a usage error, exit 2
        code = exc.code if isinstance(exc.code, int) else 2
    except BaseException as exc:  # noqa: BLE001 - any escape is the failure being looked for
        outcome.failures.append(f"{' '.join(args[:2])}: {type(exc).__name__}: {exc}")
        return
    outcome.codes.append(code)
    if code not in (0, 1, 2):
        outcome.failures.append(f"{' '.join(args[:2])}: exit code {code}")
    text = err.getvalue() + out.getvalue()
    for word in BROKEN:
        if word in text:
            line = next(x for x in text.splitlines() if word in x)
            outcome.failures.append(f"{' '.join(args[:2])}: {line[:300]}")
    if code == 2:
        for line in err.getvalue().splitlines():
            if not LOCATED.match(line):
                outcome.failures.append(f"{' '.join(args[:2])}: unlocated: {line[:300]}")


def _pack(folder: Path, *rules: str) -> Path:
    pack = folder / "pack"
    (pack / "g").mkdir(parents=True)
    shutil.copy(RULES / "categories.yaml", pack / "categories.yaml")
    for rule in rules:
        shutil.copy(RULES / rule, pack / "g" / Path(rule).name)
    return pack


def run_input(item: FuzzInput, folder: Path) -> Outcome:
    """Run one input in ``folder`` (an empty temporary folder) and judge it."""
    outcome = Outcome(item)
    start = time.perf_counter()
    if item.kind == "records":
        record = folder / "record.yaml"
        record.write_bytes(item.data)
        _command(outcome, ["check", str(record), "--format", "json"])
    elif item.kind == "rules":
        rule_id = item.name.split(":", 1)[0]
        pack = _pack(folder)
        (pack / "g" / f"{rule_id}.yaml").write_bytes(item.data)
        _command(outcome, ["rules", "validate", str(pack)])
        _command(outcome, ["check", str(CLEAN), "--rules", str(pack), "--format", "json"])
    else:
        pack = _pack(folder, "funds/FN04.yaml")
        (pack / "g" / "FN04.examples.yaml").write_bytes(item.data)
        _command(outcome, ["rules", "validate", str(pack)])
        _command(outcome, ["rules", "test", str(pack), "-k", "FN04"])
    outcome.seconds = time.perf_counter() - start
    if outcome.seconds > TIME_BOUND:
        outcome.failures.append(f"took {outcome.seconds:.1f} s (bound {TIME_BOUND} s)")
    return outcome
