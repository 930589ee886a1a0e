"""Command line: ``compliance COMMAND …``.

Exit codes follow the linters' convention: 0 nothing at or above ``--fail-on``,
1 findings at or above it, 2 bad input or usage (reported as ``file:line:col``,
never as a traceback), 3 an internal error (a bug: reported as such, with its
traceback under ``--debug``). Each command lives in :mod:`compliance.cli`.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from compliance import __version__
from compliance.cli import (
    EXIT_BAD_INPUT,
    EXIT_INTERNAL,
    check,
    explain,
    history,
    importing,
    report,
    rules,
    serve,
    templates,
)
from compliance.cli.common import report_internal
from compliance.cli.stdout import StdoutFailure, discard_stdout, guarded_stdout
from compliance.core.errors import InputError, InternalProblem
from compliance.core.limits import LimitsSettingError, current_limits

DESCRIPTION = """\
Check project-expenditure performance evaluation records (项目支出绩效评价)
against the YAML rule pack and report the problems (主要问题) with their evidence
and the recommendations (相关建议) that answer them."""

EPILOG = """\
exit codes: 0 clean; 1 findings at or above --fail-on (check), failing examples or missing
            examples (rules test), stale files (rules docs --check);
            2 bad input (a record, rule, profile, waiver, baseline or output path, a store
            that cannot be opened) or bad usage;
            3 internal error: a bug in compliance itself (in a rule, the engine, a
            finding or a renderer) — please report it with the output of --debug.
            The other projects' and rules' results are still written.
example:    compliance check cases/qingdao-egov-2020 --format json
            compliance explain TG01 cases/qingdao-egov-2020 --subject I03
"""

COMMANDS = (check, rules, explain, report, templates, importing, history, serve)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand."""
    parser = argparse.ArgumentParser(
        prog="compliance",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"compliance {__version__}")
    parser.add_argument(
        "--debug",
        action="store_true",
        help="print the traceback of internal errors (exit code 3) to standard error",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for command in COMMANDS:
        command.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``compliance`` command."""
    args = build_parser().parse_args(argv)
    try:
        current_limits()
    except LimitsSettingError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    try:
        with guarded_stdout():
            code: int = args.func(args)
    except StdoutFailure as exc:
        discard_stdout()
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        return 130
    except InputError as exc:  # bad input a command did not catch is still bad input
        print(exc, file=sys.stderr)
        return EXIT_BAD_INPUT
    except Exception as exc:  # a bug anywhere else: say so, never as bad input
        report_internal(
            InternalProblem.from_exception(exc, f"running '{args.command}'"), args.debug
        )
        return EXIT_INTERNAL
    return code


if __name__ == "__main__":
    sys.exit(main())
