"""``compliance check PATH…``: run the rules on records and print the findings.

Projects are checked by ``--jobs`` worker processes and written one by one, in
input order, as they finish (see :mod:`compliance.output.batch` and
:mod:`compliance.output.stream`); nothing but counts is kept, so a province's
forms fit in flat memory. An output file is written under a temporary name and
renamed at the end: after an error or Ctrl-C there is no half-written file.
Heavy modules are imported in :func:`run`, so ``compliance --help`` stays fast.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import tempfile
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from compliance.cli import EXIT_BAD_INPUT, EXIT_CLEAN, EXIT_FINDINGS, EXIT_INTERNAL
from compliance.cli.common import add_pack_options, add_paths
from compliance.cli.review_options import add_review_options
from compliance.records.vocabulary import Severity

if TYPE_CHECKING:
    from compliance.checking.checker import Checker, CheckRun
    from compliance.output.stream import Piece

EXIT_INTERRUPTED = 130
FORMATS = ("text", "json", "jsonl", "markdown", "xlsx")
"""Output formats (``compliance.output.stream.WRITERS``; named here so ``--help`` stays light)."""

EPILOG = """\
exit codes: 0 no finding at or above --fail-on; 1 findings at or above it
            (a finding a valid waiver explains, 已说明, never counts);
            2 bad input (a record or rule file with errors) or bad usage;
            3 internal error (a bug; see --debug), the other results still written;
            130 interrupted (Ctrl-C or SIGTERM): no output file written.
example:    compliance check cases/qingdao-egov-2020 --format json
            compliance check forms/ --jobs 2 --format jsonl -o out/forms.jsonl
            compliance check cases/x --waivers waivers.yaml --baseline last-year.json
            compliance check cases/x --store --baseline-from-store
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
        choices=FORMATS,
        default="text",
        help="output format: text grouped like a report (default), json, "
        "jsonl (one project a line), markdown, xlsx (the summary workbook 汇总表: needs -o FILE)",
    )
    check.add_argument(
        "--pretty", action="store_true", help="indent the JSON output (compact by default)"
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
    check.add_argument(
        "-j",
        "--jobs",
        type=_jobs,
        default=0,
        metavar="N",
        help="worker processes (default: all cores)",
    )
    check.add_argument(
        "-q", "--quiet", action="store_true", help="no progress bar on standard error"
    )
    add_review_options(check, store=True)
    check.set_defaults(func=run, parser=check)


def _jobs(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a number of processes ≥ 1, got '{text}'")
    return value


@dataclass
class Tally:
    """What decides the exit code and the closing summary, counted as results pass."""

    fail_on: str
    rule_errors: bool = False
    projects: int = 0
    findings: int = 0
    failing: int = 0
    bad_input: int = 0
    internal: int = 0

    def add(self, piece: Piece) -> None:
        self.projects += 1
        self.findings += piece.findings
        self.bad_input += bool(piece.problems)
        self.internal += len(piece.internal)
        if self.fail_on != "none":
            limit = Severity(self.fail_on).rank
            self.failing += sum(1 for rank in piece.ranks if rank <= limit)

    def code(self) -> int:
        """3 for a bug, 2 for bad input, 1 for findings at or above ``fail_on``, else 0."""
        if self.rule_errors or self.internal:
            return EXIT_INTERNAL
        if self.bad_input:
            return EXIT_BAD_INPUT
        return EXIT_FINDINGS if self.failing else EXIT_CLEAN


def _stop(signum: int, frame: object) -> None:
    """SIGTERM stops a run the way Ctrl-C does: workers ended, no half-written file."""
    raise KeyboardInterrupt


class _Destination:
    """Standard output, or a temporary file beside FILE renamed to FILE on success."""

    def __init__(self, output: Path | None) -> None:
        self.output = output
        self.temp: Path | None = None

    def open(self, stack: ExitStack) -> TextIO:
        from compliance.core.errors import InputError, display_path

        if self.output is None:
            return sys.stdout
        try:
            self.output.parent.mkdir(parents=True, exist_ok=True)
            handle, name = tempfile.mkstemp(
                prefix=f".{self.output.name}.", suffix=".tmp", dir=self.output.parent
            )
        except OSError as exc:
            raise InputError.single(
                display_path(self.output), f"cannot write: {exc.strerror or exc}"
            ) from None
        self.temp = Path(name)
        return stack.enter_context(open(handle, "w", encoding="utf-8"))

    def commit(self) -> None:
        from compliance.core.errors import InputError, display_path

        if self.output is not None and self.temp is not None:
            try:
                mask = os.umask(0)
                os.umask(mask)
                self.temp.chmod(0o666 & ~mask)  # mkstemp made it private
                os.replace(self.temp, self.output)
            except OSError as exc:
                self.discard()
                raise InputError.single(
                    display_path(self.output), f"cannot write: {exc.strerror or exc}"
                ) from None
            self.temp = None

    def discard(self) -> None:
        if self.temp is not None:
            self.temp.unlink(missing_ok=True)
            self.temp = None


def run(args: argparse.Namespace) -> int:
    """Load the rules, check every path, stream the output, return the exit code."""
    from compliance.checking.checker import Checker
    from compliance.cli.common import load_pack_or_report

    if args.format == "xlsx" and args.output is None:
        args.parser.error("--format xlsx writes a binary file: give -o FILE")
    pack = load_pack_or_report(args)
    if pack is None:
        return EXIT_BAD_INPUT
    signal.signal(signal.SIGTERM, _stop)
    with Checker(pack) as checker:
        if args.format == "xlsx" or _reviewing(args):
            return _whole_run(args, checker)
        return _check(args, checker)


def _reviewing(args: argparse.Namespace) -> bool:
    """Whether waivers from outside the records, a baseline or the store take part."""
    return bool(args.waivers or args.baseline or args.store or args.baseline_from_store)


def _whole_run(args: argparse.Namespace, checker: Checker) -> int:
    """Check every project, then write (the summary workbook, a reviewed run).

    The workbook's 汇总 sheet ranks and totals every project; a reviewed run knows its
    已整改 findings and unused waivers only at the end, and records the whole run.
    """
    from compliance.cli.common import render_or_report, report_errors, write_output
    from compliance.cli.review import report_unused, review_inputs_or_report
    from compliance.core.errors import InputError

    review = review_inputs_or_report(args)
    if review is None:
        return EXIT_BAD_INPUT
    try:
        result = checker.run(args.paths)
        review.apply(result)
        content = render_or_report(lambda: _whole(args, result), args.format, args.debug)
        if content is None:
            return EXIT_INTERNAL
        write_output(content, args.output)
        review.record(result, args, "check")
    except InputError as exc:
        print(exc, file=sys.stderr)
        return EXIT_BAD_INPUT
    finally:
        review.close()
    report_errors(result, args.debug)
    report_unused(result)
    tally = Tally(args.fail_on, rule_errors=bool(checker.rule_errors))
    for project in result.results:
        tally.projects += 1
        tally.bad_input += bool(project.problems)
        tally.internal += len(project.errors)
        if args.fail_on != "none":
            limit = Severity(args.fail_on).rank
            tally.failing += sum(
                1 for f in project.findings if f.severity.rank <= limit and not project.is_waived(f)
            )
    return tally.code()


def _whole(args: argparse.Namespace, result: CheckRun) -> str | bytes:
    if args.format == "xlsx":
        from compliance.output.report import build_report
        from compliance.output.summary_xlsx import render_summary_xlsx

        return render_summary_xlsx(build_report(result), args.output.parent)
    from compliance.output.stream import render

    return render(
        args.format,
        result.results,
        len(result.pack.rules),
        result.rule_errors,
        pretty=args.pretty,
        review=result.review,
    )


def _check(args: argparse.Namespace, checker: Checker) -> int:
    """Stream every project's output; the exit code."""
    from compliance.cli.common import report_internal
    from compliance.core.errors import InputError
    from compliance.output.batch import Batch, Job, default_jobs, targets
    from compliance.output.progress import progress
    from compliance.output.stream import WRITERS

    pack = checker.pack
    items = list(targets(args.paths))
    job = Job(args.rules, dict(args.settings), args.format, args.pretty, as_of=args.as_of)
    batch = Batch(checker, job, args.jobs or default_jobs())
    tally = Tally(args.fail_on, rule_errors=bool(checker.rule_errors))
    destination = _Destination(args.output)
    total = len(items)
    try:
        with ExitStack() as stack:
            out = destination.open(stack)
            writer = WRITERS[args.format](out, len(pack.rules), pretty=args.pretty)
            writer.start()
            # Output printed on the terminal shows the progress itself, and a bar would tear it.
            on_screen = args.output is None and sys.stdout.isatty()
            with progress(total, quiet=args.quiet or on_screen) as bar:
                for piece in batch.run(items):
                    writer.put(piece)
                    tally.add(piece)
                    for line in piece.problems:
                        print(line, file=sys.stderr)
                    for problem in piece.internal:
                        report_internal(problem, args.debug)
                    bar.advance(piece.findings)
            writer.finish(dict(checker.rule_errors))
        destination.commit()
    except KeyboardInterrupt:
        batch.stop()
        destination.discard()
        where = "" if args.output is None else f"; {args.output} not written"
        print(
            f"interrupted: {tally.projects} of {total} projects checked, "
            f"{tally.findings} findings{where}",
            file=sys.stderr,
        )
        return EXIT_INTERRUPTED
    except InputError as exc:
        destination.discard()
        print(exc, file=sys.stderr)
        return EXIT_BAD_INPUT
    except BaseException:
        batch.stop()
        destination.discard()
        raise
    for rule_id in sorted(checker.rule_errors):
        report_internal(checker.rule_errors[rule_id], args.debug)
    if (tally.internal or checker.rule_errors) and not args.debug:
        print("(run with --debug for the tracebacks)", file=sys.stderr)
    return tally.code()
