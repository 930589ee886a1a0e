"""Plumbing the subcommands share: arguments, loading the pack, errors and output."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from compliance.core.errors import InputError, InternalProblem, display_path
from compliance.resources import RULES as DEFAULT_RULES

if TYPE_CHECKING:
    from compliance.checking.checker import CheckRun
    from compliance.rules.pack import Rule, RulePack


def setting(text: str) -> tuple[str, str]:
    """Parse ``RULE.param=value``."""
    key, sep, value = text.partition("=")
    if not sep or "." not in key:
        raise argparse.ArgumentTypeError(f"expected RULE.param=value, got '{text}'")
    return key.strip(), value.strip()


def add_paths(parser: argparse.ArgumentParser) -> None:
    """The ``PATH…`` argument shared by the commands that read records."""
    parser.add_argument(
        "paths",
        nargs="+",
        type=Path,
        metavar="PATH",
        help="a record file (.yaml/.json), a case folder, or a folder of cases",
    )


def add_pack_options(parser: argparse.ArgumentParser) -> None:
    """``--rules`` and ``--set``, shared by the commands that run rules."""
    parser.add_argument(
        "--rules",
        type=Path,
        default=DEFAULT_RULES,
        metavar="DIR",
        help="rule pack folder (default: the bundled rules/)",
    )
    parser.add_argument(
        "--set",
        dest="settings",
        action="append",
        type=setting,
        default=[],
        metavar="RULE.param=value",
        help="override a rule parameter, e.g. --set TG01.tolerance_pct=30 (repeatable)",
    )


def load_pack_or_report(args: argparse.Namespace) -> RulePack | None:
    """The rule pack with overrides applied, or None after printing its errors."""
    from compliance.rules.pack import load_pack

    try:
        return load_pack(args.rules).with_overrides(dict(args.settings))
    except InputError as exc:
        print(exc, file=sys.stderr)
        return None


def find_rule(pack: RulePack, rule_id: str) -> Rule | None:
    """The rule with ``rule_id``, or None after printing the ids that exist."""
    rule = pack.by_id().get(rule_id)
    if rule is None:
        print(
            f"error: no rule '{rule_id}'; rules: {', '.join(sorted(pack.by_id()))}", file=sys.stderr
        )
    return rule


def report_internal(problem: InternalProblem, debug: bool) -> None:
    """Print a bug as one line, and its traceback with ``--debug``."""
    print(problem, file=sys.stderr)
    if debug and problem.traceback:
        print(problem.traceback.rstrip("\n"), file=sys.stderr)


def report_errors(run: CheckRun, debug: bool = False) -> None:
    """Print every problem of the run to standard error; bugs after bad input."""
    for result in run.results:
        for problem in result.problems:
            print(problem, file=sys.stderr)
    internal = [e for r in run.results for e in r.errors]
    internal += [run.rule_errors[rule_id] for rule_id in sorted(run.rule_errors)]
    for error in internal:
        report_internal(error, debug)
    if internal and not debug:
        print("(run with --debug for the tracebacks)", file=sys.stderr)


def render_or_report(
    render: Callable[[], str | bytes], what: str, debug: bool
) -> str | bytes | None:
    """Render an output, or report a renderer's bug and return None."""
    try:
        return render()
    except InputError:
        raise
    except Exception as exc:  # a renderer bug: exit 3, not a traceback or exit 2
        report_internal(InternalProblem.from_exception(exc, f"rendering {what}"), debug)
        return None


def write_output(content: str | bytes, output: Path | None) -> None:
    """Write to ``output`` (creating its folder) or to standard output.

    Raises :class:`InputError` when the file cannot be written, so the user gets
    ``FILE: error: cannot write: …`` and exit code 2 rather than a traceback.
    """
    if output is None:
        sys.stdout.write(content if isinstance(content, str) else content.decode("utf-8"))
        return
    data = content if isinstance(content, bytes) else content.encode("utf-8")
    temporary: str | None = None
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        # Replaced whole or not at all: a reader never sees half a report or workbook.
        handle, temporary = tempfile.mkstemp(dir=output.parent, prefix=f".{output.name}.")
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(temporary, 0o666 & ~mask)  # as a plainly written file would be
        os.replace(temporary, output)
        temporary = None
    except OSError as exc:
        raise InputError.single(
            display_path(output), f"cannot write: {exc.strerror or exc}"
        ) from None
    finally:
        if temporary is not None:
            Path(temporary).unlink(missing_ok=True)
