"""``compliance import FILE… -o DIR``: write forms read from workbooks as YAML case folders."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from compliance.cli import EXIT_BAD_INPUT, EXIT_CLEAN, EXIT_INTERNAL
from compliance.cli.common import report_internal
from compliance.core.errors import InputError, InternalProblem, display_path

EPILOG = """\
Each form becomes DIR/<file>/project.yaml (DIR/<file>-<sheet>-<cell>/ when a file holds
several forms), every value commented with the cell it was read from.
exit codes: 0 every form imported and valid; 2 a file could not be read or a form's
            values do not load (its YAML is still written, to be corrected); 3 a bug.
example:    compliance import 自评表/*.xlsx -o cases/imported
"""


def register(commands: Any) -> None:
    """Add ``import`` to the subcommands."""
    parser = commands.add_parser(
        "import",
        help="write self-evaluation forms from Excel/WPS/Word files as YAML case folders",
        description="Read the self-evaluation forms in spreadsheets and Word files and write "
        "each as a YAML case folder, values commented with their cells.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "paths",
        nargs="+",
        type=Path,
        metavar="FILE",
        help="a form file (.xlsx .xlsm .xls .ods .docx) or a folder of them",
    )
    parser.add_argument(
        "-o", "--output", type=Path, required=True, metavar="DIR", help="folder for the cases"
    )
    parser.set_defaults(func=run)


def _form_files(paths: list[Path]) -> tuple[list[Path], list[str]]:
    from compliance.records.loading import discover, is_form_file

    files: list[Path] = []
    errors: list[str] = []
    for path in paths:
        try:
            found = discover(path)
        except InputError as exc:
            errors.append(str(exc))
            continue
        files.extend(p for p in found if is_form_file(p))
        if path.is_file() and not is_form_file(path):
            errors.append(f"{display_path(path)}: error: not a form file (.xlsx .xls .ods .docx)")
    return files, errors


def _unused(name: str, path: Path, taken: set[str]) -> str:
    """``name``, or ``<parent folder>-name`` (then ``-2`` …) when this run wrote it already.

    Two forms in files of the same name in different folders must not overwrite each other.
    """
    candidate = name
    if candidate in taken:
        candidate = f"{path.parent.name}-{name}"
    number = 2
    base = candidate
    while candidate in taken:
        candidate = f"{base}-{number}"
        number += 1
    taken.add(candidate)
    return candidate


def run(args: argparse.Namespace) -> int:
    """Read every form and write its case folder; return the exit code."""
    from compliance.intake.records import read_forms
    from compliance.intake.yamlcase import case_yaml, folder_name, write_case

    files, errors = _form_files(args.paths)
    for error in errors:
        print(error, file=sys.stderr)
    failed = bool(errors)
    broken = False
    taken: set[str] = set()
    written = 0
    for path in files:
        try:
            forms = read_forms(path)
        except Exception as exc:  # a reader bug loses this file only
            shown = display_path(path)
            bug = InternalProblem.from_exception(exc, "reading forms", "", shown)
            report_internal(bug, getattr(args, "debug", False))
            broken = True
            continue
        many = len(forms) > 1
        for form in forms:
            for problem in form.problems:
                print(problem, file=sys.stderr)
            failed = failed or bool(form.problems)
            if form.sections is None:
                continue
            folder = args.output / _unused(folder_name(form.sections.origin, many), path, taken)
            try:
                target = write_case(folder, case_yaml(form.sections, form.origin))
            except OSError as exc:
                print(f"{display_path(folder)}: error: cannot write: {exc}", file=sys.stderr)
                failed = True
                continue
            written += 1
            print(f"{display_path(target)}  ← {form.origin}")
    print(f"共导入 {written} 张自评表。", file=sys.stderr)
    if broken:
        return EXIT_INTERNAL
    return EXIT_BAD_INPUT if failed else EXIT_CLEAN
