"""``compliance check PATH…``: run the rules on records and print the findings."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from compliance.checker import Checker, CheckRun
from compliance.commands import EXIT_BAD_INPUT, EXIT_CLEAN, EXIT_FINDINGS
from compliance.errors import InputError, display_path
from compliance.labels import Severity
from compliance.render import RENDERERS
from compliance.rulepack import DEFAULT_RULES, Rule, RulePack, load_pack

EPILOG = """\
exit codes: 0 no finding at or above --fail-on; 1 findings at or above it;
            2 bad input (a record or rule file with errors) or bad usage.
example:    compliance check cases/qingdao-egov-2020 --format json
"""


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
        choices=sorted(RENDERERS),
        default="text",
        help="output format: text grouped like a report (default), json, markdown",
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
    check.set_defaults(func=run)


def exit_code(run: CheckRun, fail_on: str) -> int:
    """Linter convention: 2 for bad input, 1 for findings at or above ``fail_on``, else 0."""
    if run.has_errors:
        return EXIT_BAD_INPUT
    if fail_on == "none":
        return EXIT_CLEAN
    limit = Severity(fail_on).rank
    return EXIT_FINDINGS if any(f.severity.rank <= limit for f in run.findings) else EXIT_CLEAN


def report_errors(run: CheckRun) -> None:
    """Print every problem of the run to standard error."""
    for result in run.results:
        for problem in result.problems:
            print(problem, file=sys.stderr)
        for error in result.errors:
            print(f"{result.origin}: internal error: {error}", file=sys.stderr)
    for rule_id, error in sorted(run.rule_errors.items()):
        print(f"rule {rule_id}: error: {error}", file=sys.stderr)


def write_output(content: str | bytes, output: Path | None) -> None:
    """Write to ``output`` (creating its folder) or to standard output.

    Raises :class:`InputError` when the file cannot be written, so the user gets
    ``FILE: error: cannot write: …`` and exit code 2 rather than a traceback.
    """
    if output is None:
        sys.stdout.write(content if isinstance(content, str) else content.decode("utf-8"))
        return
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            output.write_bytes(content)
        else:
            output.write_text(content, encoding="utf-8")
    except OSError as exc:
        raise InputError.single(
            display_path(output), f"cannot write: {exc.strerror or exc}"
        ) from None


def run(args: argparse.Namespace) -> int:
    """Load the rules, check every path, write the output, return the exit code."""
    pack = load_pack_or_report(args)
    if pack is None:
        return EXIT_BAD_INPUT
    result = Checker(pack).run(args.paths)
    try:
        write_output(RENDERERS[args.format](result), args.output)
    except InputError as exc:
        print(exc, file=sys.stderr)
        return EXIT_BAD_INPUT
    report_errors(result)
    return exit_code(result, args.fail_on)
