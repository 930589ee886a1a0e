"""Run one malformed input through the commands a user would run, and judge the outcome.

The invariant: any input gives findings or located errors and exit code 0, 1 or 2
within a time bound: never an exception out of ``main``, a traceback, an "internal
error", a rule that validated and then failed to compile, or an error line that
does not say where. Records run through ``check``; rules through ``rules validate``
and ``check --rules``; examples files through ``rules validate`` and ``rules test``.
"""

from __future__ import annotations

import contextlib
import functools
import io
import re
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

from compliance.checking.checker import Checker, CheckRun
from compliance.cli.common import report_errors
from compliance.cli.main import main
from compliance.output import RENDERERS
from compliance.rules.pack import load_pack
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
BROKEN = (
    "Traceback",
    "internal error",
    "could not be compiled",
    "aggregate failed",
    "could not be built",
    "rule error:",
)


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
    except BaseException as exc:
        outcome.failures.append(f"{' '.join(args[:2])}: {type(exc).__name__}: {exc}")
        return
    _judge(outcome, " ".join(args[:2]), code, out.getvalue(), err.getvalue())


def _judge(outcome: Outcome, command: str, code: int, out: str, err: str) -> None:
    outcome.codes.append(code)
    if code not in (0, 1, 2):
        outcome.failures.append(f"{command}: exit code {code}")
    text = err + out
    for word in BROKEN:
        if word in text:
            line = next(x for x in text.splitlines() if word in x)
            outcome.failures.append(f"{command}: {line[:300]}")
    if code == 2:
        unlocated = [line for line in err.splitlines() if not LOCATED.match(line)]
        if unlocated:
            shown = repr(unlocated[0][:300])
            outcome.failures.append(f"{command}: {len(unlocated)} unlocated line(s), first {shown}")


def _pack(folder: Path, *rules: str) -> Path:
    pack = folder / "pack"
    (pack / "g").mkdir(parents=True)
    shutil.copy(RULES / "categories.yaml", pack / "categories.yaml")
    for rule in rules:
        shutil.copy(RULES / rule, pack / "g" / Path(rule).name)
    return pack


@functools.cache
def _bundled_checker() -> Checker:
    return Checker(load_pack(RULES))


def _exit_code(result: CheckRun) -> int:
    """The exit code ``check --fail-on low`` gives a run: 3 bug, 2 bad input, 1 findings, 0."""
    if result.has_internal_errors:
        return 3
    if result.has_errors:
        return 2
    return 1 if result.findings else 0


def _check_with_bundled_rules(outcome: Outcome, record: Path) -> None:
    """What ``compliance check RECORD --format json`` does, with the pack loaded once."""
    out, err = io.StringIO(), io.StringIO()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            result = _bundled_checker().run([record])
            out.write(RENDERERS["json"](result))
            report_errors(result)
            code = _exit_code(result)
    except BaseException as exc:
        outcome.failures.append(f"check: {type(exc).__name__}: {exc}")
        return
    _judge(outcome, "check", code, out.getvalue(), err.getvalue())


def run_input(item: FuzzInput, folder: Path, full: bool = False) -> Outcome:
    """Run one input in ``folder`` (an empty temporary folder) and judge it.

    ``full`` runs every command through the command line each time (``make fuzz``);
    otherwise records are checked with the bundled pack loaded once, and a rule or
    examples file that ``rules validate`` refuses is not run further (the suite's replay).
    """
    outcome = Outcome(item)
    start = time.perf_counter()
    if item.kind == "records":
        record = folder / "record.yaml"
        record.write_bytes(item.data)
        if full:
            _command(outcome, ["check", str(record), "--format", "json"])
        else:
            _check_with_bundled_rules(outcome, record)
    elif item.kind == "rules":
        written = re.search(rb'^"?id"?\s*:\s*"?([A-Z]{2}\d{2})', item.data, re.MULTILINE)
        rule_id = written.group(1).decode() if written else item.name.split(":", 1)[0]
        rule_id = rule_id if re.fullmatch(r"[A-Z]{2}\d{2}", rule_id) else "ZZ99"
        pack = _pack(folder)
        (pack / "g" / f"{rule_id}.yaml").write_bytes(item.data)
        _command(outcome, ["rules", "validate", str(pack)])
        if full or outcome.codes == [0]:
            _command(outcome, ["check", str(CLEAN), "--rules", str(pack), "--format", "json"])
    else:
        pack = _pack(folder, "funds/FN04.yaml")
        (pack / "g" / "FN04.examples.yaml").write_bytes(item.data)
        _command(outcome, ["rules", "validate", str(pack)])
        if full or outcome.codes == [0]:
            _command(outcome, ["rules", "test", str(pack), "-k", "FN04"])
    outcome.seconds = time.perf_counter() - start
    if outcome.seconds > TIME_BOUND:
        outcome.failures.append(f"took {outcome.seconds:.1f} s (bound {TIME_BOUND} s)")
    return outcome
