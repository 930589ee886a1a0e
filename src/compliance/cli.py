"""Command line: ``compliance check PATH…``.

Exit codes follow the linters' convention: 0 nothing at or above ``--fail-on``,
1 findings at or above it, 2 bad input or usage (reported as ``file:line:col``,
never as a traceback).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from compliance import __version__
from compliance.checker import Checker, CheckRun
from compliance.errors import InputError
from compliance.labels import Severity
from compliance.render import RENDERERS
from compliance.rulepack import DEFAULT_RULES, load_pack

EXIT_CLEAN, EXIT_FINDINGS, EXIT_BAD_INPUT = 0, 1, 2

DESCRIPTION = """\
Check project-expenditure performance evaluation records (项目支出绩效评价)
against the YAML rule pack and report the problems (主要问题) with their evidence
and the recommendations (相关建议) that answer them."""

EPILOG = """\
exit codes: 0 no finding at or above --fail-on; 1 findings at or above it;
            2 bad input (a record or rule file with errors) or bad usage.
example:    compliance check cases/qingdao-egov-2020 --format json
"""


def _setting(text: str) -> tuple[str, str]:
    key, sep, value = text.partition("=")
    if not sep or "." not in key:
        raise argparse.ArgumentTypeError(f"expected RULE.param=value, got '{text}'")
    return key.strip(), value.strip()


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (kept separate so the docs and tests can use it)."""
    parser = argparse.ArgumentParser(
        prog="compliance",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"compliance {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    check = commands.add_parser(
        "check",
        help="check records against the rules",
        description="Check a record file, a case folder, or a folder of cases.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    check.add_argument(
        "paths",
        nargs="+",
        type=Path,
        metavar="PATH",
        help="a record file (.yaml/.json), a case folder, or a folder of cases",
    )
    check.add_argument(
        "--format",
        choices=sorted(RENDERERS),
        default="text",
        help="output format: text grouped like a report (default), json, markdown",
    )
    check.add_argument(
        "--rules",
        type=Path,
        default=DEFAULT_RULES,
        metavar="DIR",
        help="rule pack folder (default: the bundled rules/)",
    )
    check.add_argument(
        "--set",
        dest="settings",
        action="append",
        type=_setting,
        default=[],
        metavar="RULE.param=value",
        help="override a rule parameter, e.g. --set TG01.tolerance_pct=30 (repeatable)",
    )
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
    return parser


def _exit_code(run: CheckRun, fail_on: str) -> int:
    if run.has_errors:
        return EXIT_BAD_INPUT
    if fail_on == "none":
        return EXIT_CLEAN
    limit = Severity(fail_on).rank
    return EXIT_FINDINGS if any(f.severity.rank <= limit for f in run.findings) else EXIT_CLEAN


def _report_errors(run: CheckRun) -> None:
    for result in run.results:
        for problem in result.problems:
            print(problem, file=sys.stderr)
        for error in result.errors:
            print(f"{result.origin}: internal error: {error}", file=sys.stderr)
    for rule_id, error in sorted(run.rule_errors.items()):
        print(f"rule {rule_id}: error: {error}", file=sys.stderr)


def run_check(args: argparse.Namespace) -> int:
    """Load the rules, check every path, write the output, return the exit code."""
    try:
        pack = load_pack(args.rules).with_overrides(dict(args.settings))
    except InputError as exc:
        print(exc, file=sys.stderr)
        return EXIT_BAD_INPUT
    run = Checker(pack).run(args.paths)
    text = RENDERERS[args.format](run)
    if args.output:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    _report_errors(run)
    return _exit_code(run, args.fail_on)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``compliance`` command."""
    args = build_parser().parse_args(argv)
    try:
        return run_check(args)
    except BrokenPipeError:
        return EXIT_CLEAN
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
