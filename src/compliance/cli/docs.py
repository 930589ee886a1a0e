"""``compliance rules docs``: regenerate the rule JSON Schema and the rule documentation."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from compliance.cli import EXIT_BAD_INPUT, EXIT_CLEAN
from compliance.core.errors import InputError, display_path
from compliance.resources import RULES as DEFAULT_RULES

DEFAULT_DOCS = DEFAULT_RULES.parent / "docs" / "rules"
REFRESH = "run `make docs` (or `compliance rules docs`) and commit the result"
"""What a stale generated file says: the one command that refreshes every generated file."""


def register(rules_commands: Any) -> None:
    """Add ``rules docs`` to the ``rules`` subcommands."""
    docs = rules_commands.add_parser(
        "docs",
        help="regenerate rules/rule.schema.json and docs/rules/*.md from the rule files, and "
        "docs/records.md and schemas/records.schema.json from the record models",
    )
    docs.add_argument("--rules", type=Path, default=DEFAULT_RULES, metavar="DIR")
    docs.add_argument(
        "--out",
        type=Path,
        default=None,
        metavar="DIR",
        help="where the rule pages go (default: docs/rules, for the bundled pack only)",
    )
    docs.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 when a generated file is stale"
    )
    docs.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Write (or check) the generated files."""
    from compliance.rules.docgen import generated, write
    from compliance.rules.pack import load_pack

    bundled = args.rules.resolve() == DEFAULT_RULES.resolve()
    records_root = DEFAULT_RULES.parent if bundled else None
    if args.out is None:
        if not bundled:
            print(
                "error: --out DIR is needed with --rules: the default docs/rules belongs to the "
                "bundled rule pack",
                file=sys.stderr,
            )
            return EXIT_BAD_INPUT
        args.out = DEFAULT_DOCS
    try:
        pack = load_pack(args.rules)
    except InputError as exc:
        print(exc, file=sys.stderr)
        return EXIT_BAD_INPUT
    if args.check:
        stale = [
            p
            for p, text in generated(pack, args.rules, args.out, records_root).items()
            if not p.is_file() or p.read_text(encoding="utf-8") != text
        ]
        for path in stale:
            state = "stale" if path.is_file() else "missing"
            print(f"{display_path(path)}: {state}; {REFRESH}", file=sys.stderr)
        return 1 if stale else EXIT_CLEAN
    for path in write(pack, args.rules, args.out, records_root):
        print(f"wrote {path}")
    return EXIT_CLEAN
