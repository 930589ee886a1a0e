"""``compliance report PATH…``: check, score and write an evaluation report.

Exit codes as for ``check``, except that findings are the report's content,
not a failure: 0 when the report was written, 2 for bad input (records,
rules or profile) or bad usage, 3 for an internal error (a bug).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from compliance.checking.checker import Checker
from compliance.cli import EXIT_BAD_INPUT, EXIT_CLEAN, EXIT_INTERNAL
from compliance.cli.common import (
    add_pack_options,
    add_paths,
    load_pack_or_report,
    render_or_report,
    report_errors,
    write_output,
)
from compliance.core.errors import InputError
from compliance.output.report import FORMATS, TEXT_FORMATS, build_report, render_docx

EPILOG = """\
profiles:   by default a self-evaluation (单位自评) is scored with profiles/self_evaluation.yaml
            and any other evaluation with profiles/third_party.yaml; --profile FILE uses a copy.
exit codes: 0 report written; 2 bad input (records, rules or profile) or bad usage;
            3 internal error (a bug; see --debug), the other projects still reported.
example:    compliance report cases/qingdao-egov-2020 --format html -o out/report.html
"""


def register(commands: Any) -> None:
    """Add ``report`` to the subcommands."""
    parser = commands.add_parser(
        "report",
        help="score projects and write an evaluation report (HTML, Word, Markdown, SARIF)",
        description="Check and score a record file, a case folder, or a folder of cases, "
        "and write the evaluation report.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_paths(parser)
    parser.add_argument(
        "--format",
        choices=FORMATS,
        default="html",
        help="html (default; one self-contained file), docx (Word), markdown, sarif (2.1.0)",
    )
    parser.add_argument(
        "--profile",
        type=Path,
        metavar="FILE",
        help="scoring profile (YAML); default: the shipped profile for the evaluation kind",
    )
    add_pack_options(parser)
    parser.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="FILE",
        help="write the report to FILE (required for docx) instead of standard output",
    )
    parser.set_defaults(func=run, parser=parser)


def run(args: argparse.Namespace) -> int:
    """Check, score and write; return the exit code."""
    if args.format == "docx" and args.output is None:
        args.parser.error("--format docx writes a binary file: give -o FILE")
    pack = load_pack_or_report(args)
    if pack is None:
        return EXIT_BAD_INPUT
    with Checker(pack) as checker:
        checked = checker.run(args.paths)

    def render() -> str | bytes:
        report = build_report(checked, args.profile)
        if args.format == "docx":
            return render_docx(report)
        base = args.output.parent if args.output else Path.cwd()
        return TEXT_FORMATS[args.format](report, base)

    try:
        content = render_or_report(render, f"the {args.format} report", args.debug)
        if content is None:
            return EXIT_INTERNAL
        write_output(content, args.output)
    except InputError as exc:
        print(exc, file=sys.stderr)
        return EXIT_BAD_INPUT
    report_errors(checked, args.debug)
    if checked.has_internal_errors:
        return EXIT_INTERNAL
    return EXIT_BAD_INPUT if checked.has_errors else EXIT_CLEAN
