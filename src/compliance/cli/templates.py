"""``compliance templates DIR``: copy the bundled report templates into DIR, to edit.

Why a command: installed from a wheel, the bundled templates sit inside the
package where a bureau would not look; a copy is where its own templates start
(then ``compliance report --template DIR``; docs/templates.md lists the names).
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path
from typing import Any

from compliance.cli import EXIT_BAD_INPUT, EXIT_CLEAN
from compliance.core.errors import display_path


def register(commands: Any) -> None:
    """Add ``templates`` to the subcommands."""
    parser = commands.add_parser(
        "templates",
        help="copy the bundled report templates into a folder to make a bureau's own",
        description="Copy the bundled report templates (HTML, Markdown, Word) into DIR; "
        "edit what you need, delete the rest, and pass DIR to `report --template`.",
    )
    parser.add_argument("folder", type=Path, metavar="DIR", help="where to copy them")
    parser.add_argument("--force", action="store_true", help="overwrite files DIR already has")
    parser.set_defaults(func=run, parser=parser)


def bundled_files() -> list[Path]:
    """The bundled template files, relative to the templates folder."""
    from compliance.output.report.templating import BUNDLED  # lazy: `--help` stays light

    return sorted(
        p.relative_to(BUNDLED)
        for p in BUNDLED.rglob("*")
        if p.is_file() and p.suffix in (".j2", ".css", ".docx")
    )


def run(args: argparse.Namespace) -> int:
    """Copy; refuse to overwrite without ``--force``."""
    from compliance.output.report.templating import BUNDLED

    files = bundled_files()
    existing = [f for f in files if (args.folder / f).exists()]
    if existing and not args.force:
        for f in existing:
            print(f"{display_path(args.folder / f)}: error: exists (use --force)", file=sys.stderr)
        return EXIT_BAD_INPUT
    try:
        for f in files:
            target = args.folder / f
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(BUNDLED / f, target)
            print(display_path(target))
    except OSError as exc:
        print(
            f"{display_path(args.folder)}: error: cannot write: {exc.strerror or exc}",
            file=sys.stderr,
        )
        return EXIT_BAD_INPUT
    return EXIT_CLEAN
