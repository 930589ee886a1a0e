"""``compliance check PATH…``: run the rules on records and print the findings."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from compliance.checking.checker import Checker, CheckRun
from compliance.cli import EXIT_BAD_INPUT, EXIT_CLEAN, EXIT_FINDINGS, EXIT_INTERNAL
from compliance.cli.common import (
    add_pack_options,
    add_paths,
    load_pack_or_report,
    render_or_report,
    report_errors,
    write_output,
)
from compliance.core.errors import InputError
from compliance.output import RENDERERS
from compliance.output.report import build_report
from compliance.output.summary_xlsx import render_summary_xlsx
from compliance.records.vocabulary import Severity

EPILOG = """\
exit codes: 0 no finding at or above --fail-on; 1 findings at or above it;
            2 bad input (a record or rule file with errors) or bad usage;
            3 internal error (a bug; see --debug), the other results still written.
example:    compliance check cases/qingdao-egov-2020 --format json
"""


def register(commands: Any) -> None:
    """Add ``check`` to the subcommands."""
    check = commands.add_parser(
        "check",
        help="check records against the rules",
        description="Check a record file, a case folder, or a folder of cases.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_paths(check)
    check.add_argument(
        "--format",
        choices=[*sorted(RENDERERS), "xlsx"],
        default="text",
        help="output format: text grouped like a report (default), json, markdown, "
        "xlsx (the summary workbook 汇总表: needs -o FILE)",
    )
    add_pack_options(check)
    check.add_argument(
        "--fail-on",
        choices=[*(s.value for s in Severity), "none"],
        default="low",
        help="lowest severity that makes the exit code 1 (default: low; "
        "'none' always exits 0 when the input is valid)",
    )
    check.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="FILE",
        help="write the output to FILE instead of standard output",
    )
    check.set_defaults(func=run, parser=check)


def exit_code(run: CheckRun, fail_on: str) -> int:
    """3 for a bug, 2 for bad input, 1 for findings at or above ``fail_on``, else 0."""
    if run.has_internal_errors:
        return EXIT_INTERNAL
    if run.has_errors:
        return EXIT_BAD_INPUT
    if fail_on == "none":
        return EXIT_CLEAN
    limit = Severity(fail_on).rank
    return EXIT_FINDINGS if any(f.severity.rank <= limit for f in run.findings) else EXIT_CLEAN


def run(args: argparse.Namespace) -> int:
    """Load the rules, check every path, write the output, return the exit code."""
    if args.format == "xlsx" and args.output is None:
        args.parser.error("--format xlsx writes a binary file: give -o FILE")
    pack = load_pack_or_report(args)
    if pack is None:
        return EXIT_BAD_INPUT
    with Checker(pack) as checker:
        result = checker.run(args.paths)

    def render() -> str | bytes:
        if args.format == "xlsx":
            return render_summary_xlsx(build_report(result), args.output.parent)
        return RENDERERS[args.format](result)

    try:
        content = render_or_report(render, args.format, args.debug)
        if content is None:
            return EXIT_INTERNAL
        write_output(content, args.output)
    except InputError as exc:
        print(exc, file=sys.stderr)
        return EXIT_BAD_INPUT
    report_errors(result, args.debug)
    return exit_code(result, args.fail_on)
