"""The review options of ``check`` and ``report`` (and ``--store`` of ``history``/``serve``).

Why apart from :mod:`compliance.cli.review`: building the parser must stay light
(``--help``), so the options are declared here and loaded only when a command runs.
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from compliance.review.store import DEFAULT_URL


def day(text: str) -> dt.date:
    """Parse ``YYYY-MM-DD``."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date YYYY-MM-DD, got '{text}'") from None


def add_store_option(parser: argparse.ArgumentParser) -> None:
    """``--store [URL]``: an SQLite file path or a database URL (default ``compliance.db``)."""
    parser.add_argument(
        "--store",
        nargs="?",
        const=DEFAULT_URL,
        metavar="URL",
        help="findings store: sqlite:///FILE, a path to an SQLite file, or "
        "postgresql://user:password@host:port/db (--store alone: ./compliance.db)",
    )


def add_review_options(parser: argparse.ArgumentParser, *, store: bool) -> None:
    """``--waivers``, ``--baseline`` (or ``--baseline-from-store``), ``--as-of`` and ``--store``."""
    parser.add_argument(
        "--waivers",
        type=Path,
        action="append",
        default=[],
        metavar="FILE",
        help="a waiver file (YAML with a waivers: list); repeatable",
    )
    baseline = parser.add_mutually_exclusive_group()
    baseline.add_argument(
        "--baseline",
        type=Path,
        metavar="OLD.json",
        help="an earlier `check --format json` output: mark findings 新增/重复, list 已整改",
    )
    if store:
        baseline.add_argument(
            "--baseline-from-store",
            action="store_true",
            help="take the baseline from the store: each project's latest check of an earlier year",
        )
        add_store_option(parser)
    parser.add_argument(
        "--as-of",
        type=day,
        metavar="YYYY-MM-DD",
        help="the day waivers' expiry is judged on (default: today)",
    )
