"""``compliance report PATH…``: check, score and write an evaluation report.

Exit codes as for ``check``, except that findings are the report's content,
not a failure: 0 when the report was written, 2 for bad input (records,
rules, profile or template) or bad usage, 3 for an internal error (a bug).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from compliance.cli import EXIT_BAD_INPUT, EXIT_CLEAN, EXIT_INTERNAL
from compliance.cli.common import add_pack_options, add_paths
from compliance.cli.review_options import add_review_options

if TYPE_CHECKING:
    from compliance.output.report.model import Report
    from compliance.output.report.runrecord import RunRecord

FORMATS = ("html", "markdown", "sarif", "docx")
"""The report formats (``compliance.output.report.FORMATS``; named here so ``--help`` stays light)."""

EPILOG = """\
profiles:   by default a self-evaluation (单位自评) is scored with profiles/self_evaluation.yaml
            and any other evaluation with profiles/third_party.yaml; --profile FILE uses a copy.
templates:  --template DIR lays a bureau's own templates over the bundled ones (same file
            names: html/cover.html.j2, html/project.html.j2, word/report.docx …);
            `compliance templates DIR` copies them to start from; docs/templates.md lists
            the names a template can use.
site:       --format html --site DIR (or -o DIR/) writes DIR/index.html and a page per project.
exit codes: 0 report written; 2 bad input (records, rules, profile or template) or bad usage;
            3 internal error (a bug; see --debug), the other projects still reported.
formats:    --format, else the -o file's suffix (.html, .docx, .md, .sarif; a folder or --site:
            html); on standard output the default is markdown.
example:    compliance report cases/qingdao-egov-2020 -o out/report.html
            compliance report cases --site out/site
"""


def cover_field(text: str) -> tuple[str, str]:
    """Parse ``NAME=VALUE`` of ``--cover``."""
    name, sep, value = text.partition("=")
    if not sep or not name.strip():
        raise argparse.ArgumentTypeError(f"expected NAME=VALUE (e.g. 评价机构=…), got '{text}'")
    return name.strip(), value.strip()


def register(commands: Any) -> None:
    """Add ``report`` to the subcommands."""
    parser = commands.add_parser(
        "report",
        help="score projects and write an evaluation report (HTML, Word, Markdown, SARIF)",
        description="Check and score a record file, a case folder, or a folder of cases, "
        "and write the evaluation report in the seven-part outline of 财预〔2020〕10号 附件3.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_paths(parser)
    parser.add_argument(
        "--format",
        choices=[*FORMATS, "xlsx"],
        default=None,
        help="html (one self-contained file), docx (Word), markdown, sarif (2.1.0), "
        "xlsx (the summary workbook 汇总表); default: from the -o file's suffix (.html, .docx, "
        ".md, .sarif, .xlsx), else markdown",
    )
    parser.add_argument(
        "--profile",
        type=Path,
        metavar="FILE",
        help="scoring profile (YAML); default: the shipped profile for the evaluation kind",
    )
    parser.add_argument(
        "--template",
        type=Path,
        metavar="DIR",
        help="a folder of report templates laid over the bundled ones (docs/templates.md)",
    )
    parser.add_argument(
        "--cover",
        dest="cover",
        action="append",
        type=cover_field,
        default=[],
        metavar="NAME=VALUE",
        help="a cover field, e.g. --cover 评价机构=某会计师事务所 (repeatable; "
        "评价机构, 评价时间, 报告编号 not given are left to write)",
    )
    parser.add_argument(
        "--site",
        type=Path,
        metavar="DIR",
        help="HTML only: write an index page and a page per project into DIR",
    )
    add_pack_options(parser)
    parser.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="FILE",
        help="write the report to FILE (required for docx) instead of standard output; "
        "with --format html an existing folder (or a path ending in /) writes a site",
    )
    add_review_options(parser, store=True)
    parser.set_defaults(func=run, parser=parser)


def _site_folder(args: argparse.Namespace) -> Path | None:
    if args.site is not None:
        return Path(args.site)
    out = args.output
    if args.format == "html" and out is not None and (out.is_dir() or str(out).endswith("/")):
        return Path(out)
    return None


def _render(
    args: argparse.Namespace, report: Report, record: RunRecord
) -> dict[Path | None, str | bytes]:
    """Every file to write (``None``: standard output) and its content."""
    from compliance.output.report import (
        render_docx,
        render_html,
        render_report_markdown,
        render_sarif,
        render_site,
    )
    from compliance.output.summary_xlsx import render_summary_xlsx

    options: dict[str, Any] = {
        "record": record,
        "template": args.template,
        "cover": dict(args.cover),
    }
    site = _site_folder(args)
    if site is not None:
        return {site / name: page for name, page in render_site(report, **options).items()}
    if args.format == "docx":
        return {args.output: render_docx(report, **options)}
    if args.format == "xlsx":
        return {args.output: render_summary_xlsx(report, args.output.parent)}
    if args.format == "html":
        return {args.output: render_html(report, **options)}
    if args.format == "markdown":
        return {args.output: render_report_markdown(report, **options)}
    return {args.output: render_sarif(report, record=record)}


SUFFIXES = {
    ".html": "html",
    ".htm": "html",
    ".docx": "docx",
    ".md": "markdown",
    ".markdown": "markdown",
    ".sarif": "sarif",
    ".xlsx": "xlsx",
}
"""The format a report file's suffix asks for when ``--format`` is not given."""


def format_for(output: Path | None) -> str | None:
    """The format for ``-o FILE`` by its suffix; Markdown for standard output.

    Why Markdown on standard output: it reads well in a terminal, where HTML would be
    a page of markup; HTML and Word are files to open, so they are asked for by name.
    """
    if output is None:
        return "markdown"
    if output.is_dir() or str(output).endswith("/"):
        return "html"
    return SUFFIXES.get(output.suffix.lower())


def run(args: argparse.Namespace) -> int:
    """Check, score and write; return the exit code."""
    from compliance.checking.checker import Checker
    from compliance.cli.common import (
        load_pack_or_report,
        report_errors,
        report_internal,
        write_output,
    )
    from compliance.cli.review import report_unused, review_inputs_or_report
    from compliance.core.errors import InputError, InternalProblem
    from compliance.output.report import NoCjkFont, build_report, make_run_record

    if args.format is None:
        args.format = "html" if args.site is not None else format_for(args.output)
        if args.format is None:
            args.parser.error(
                f"cannot tell the format from '{args.output}'; give --format "
                f"({', '.join([*FORMATS, 'xlsx'])})"
            )
    if args.format in ("docx", "xlsx") and args.output is None:
        args.parser.error(f"--format {args.format} writes a binary file: give -o FILE")
    if args.site is not None and args.format != "html":
        args.parser.error("--site writes HTML pages: use it with --format html")
    pack = load_pack_or_report(args)
    if pack is None:
        return EXIT_BAD_INPUT
    review = review_inputs_or_report(args)
    if review is None:
        return EXIT_BAD_INPUT
    try:
        with Checker(pack) as checker:
            checked = checker.run(args.paths)
        review.apply(checked)
        report = build_report(checked, args.profile)
        profiles = [p.card.profile_file for p in report.projects if p.card is not None]
        outputs = _render(args, report, make_run_record(checked, profiles, args.settings))
        for path, content in outputs.items():
            write_output(content, path)
        review.record(checked, args, "report")
    except InputError as exc:
        print(exc, file=sys.stderr)
        return EXIT_BAD_INPUT
    except NoCjkFont as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except Exception as exc:  # a renderer bug: exit 3, not a traceback or exit 2
        problem = InternalProblem.from_exception(exc, f"rendering the {args.format} report")
        report_internal(problem, args.debug)
        return EXIT_INTERNAL
    finally:
        review.close()
    report_errors(checked, args.debug)
    report_unused(checked)
    if checked.has_internal_errors:
        return EXIT_INTERNAL
    return EXIT_BAD_INPUT if checked.has_errors else EXIT_CLEAN
