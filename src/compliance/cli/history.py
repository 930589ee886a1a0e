"""``compliance history PROJECT``: a project's findings across years, with their 整改 status.

Why: the 整改 cycle asks, for each problem found, in which years it was found,
whether it was explained (已说明) or rectified (已整改), and by when it must be.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from compliance.cli import EXIT_BAD_INPUT, EXIT_CLEAN
from compliance.cli.common import write_output
from compliance.cli.review_options import add_store_option
from compliance.core.errors import InputError
from compliance.review.store import DEFAULT_URL

if TYPE_CHECKING:
    from compliance.review.store.database import Store
    from compliance.review.store.queries import ProjectHistory

EPILOG = """\
columns:    one per checked year (the latest check of that year): 待整改 found and open,
            已说明 found and waived, 已整改 found before and gone since, — not found;
            then the latest 整改 status with its deadline, and the latest waiver.
exit codes: 0 shown; 2 no such store or project, or bad usage.
example:    compliance history 电子政务平台运行资金 --store compliance.db
"""


def register(commands: Any) -> None:
    """Add ``history`` to the subcommands."""
    parser = commands.add_parser(
        "history",
        help="a project's findings across years with their 整改 status (from the store)",
        description="Show the findings of the stored checks of a project, year by year.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("project", metavar="PROJECT", help="the project's name, or part of it")
    add_store_option(parser)
    parser.add_argument(
        "--format", choices=["text", "json"], default="text", help="text (default) or json"
    )
    parser.add_argument("-o", "--output", type=Path, metavar="FILE", help="write to FILE")
    parser.set_defaults(func=run)


def existing_store_or_report(text: str | None) -> Store | None:
    """The existing store (never creating an SQLite file), or None after saying why not."""
    from sqlalchemy.engine import make_url

    from compliance.review.store.database import Store, store_url

    try:
        url = store_url(text or DEFAULT_URL)
        parsed = make_url(url)
        if (
            parsed.get_backend_name() == "sqlite"
            and parsed.database
            and not Path(parsed.database).is_file()
        ):
            raise InputError.single(parsed.database, "no such store (run check --store first)")
        return Store.open(text or DEFAULT_URL)
    except InputError as exc:
        print(exc, file=sys.stderr)
        return None


def _data(found: ProjectHistory) -> dict[str, Any]:
    return {
        "project": found.project.name,
        "department": found.project.department,
        "years": found.years,
        "findings": [
            {
                "fingerprint": r.fingerprint,
                "rule": r.rule,
                "title": r.title,
                "subject": r.subject,
                "years": {str(y): r.years[y] for y in found.years},
                "rectification": None
                if r.rectification is None
                else {
                    "state": r.rectification.state,
                    "deadline": r.rectification.deadline.isoformat()
                    if r.rectification.deadline
                    else None,
                    "overdue": r.overdue(dt.date.today()),
                    "reviewer": r.rectification.reviewer,
                    "reason": r.rectification.reason,
                },
                "waiver": None
                if r.waiver is None
                else {"reviewer": r.waiver.reviewer, "reason": r.waiver.reason},
            }
            for r in found.rows
        ],
    }


def _text(found: ProjectHistory) -> list[str]:
    p = found.project
    lines = [f"项目：{p.name}（{p.department}）", "年度：" + "、".join(map(str, found.years)), ""]
    for r in found.rows:
        years = "  ".join(f"{y}:{r.years[y]}" for y in found.years)
        lines.append(f"[{r.rule}] {r.title} — {r.subject}")
        lines.append(f"    {years}")
        if r.rectification is not None:
            d = r.rectification
            due = d.deadline.isoformat() if d.deadline else "未定"
            late = "，已逾期" if r.overdue(dt.date.today()) else ""
            lines.append(f"    整改：{d.state}，期限 {due}{late}（{d.reviewer}：{d.reason}）")
        if r.waiver is not None:
            lines.append(f"    已说明：{r.waiver.reason}（{r.waiver.reviewer}）")
    return lines


def run(args: argparse.Namespace) -> int:
    """Print the history of every stored project whose name contains PROJECT."""
    from compliance.review.store.queries import find_projects, history

    store = existing_store_or_report(args.store)
    if store is None:
        return EXIT_BAD_INPUT
    try:
        with store.session() as session:
            projects = find_projects(session, args.project)
            if not projects:
                print(f"error: no stored project matches '{args.project}'", file=sys.stderr)
                return EXIT_BAD_INPUT
            found = [history(session, p) for p in projects]
        if args.format == "json":
            content = json.dumps([_data(h) for h in found], ensure_ascii=False, indent=2) + "\n"
        else:
            content = "\n\n".join("\n".join(_text(h)) for h in found) + "\n"
        write_output(content, args.output)
    except InputError as exc:
        print(exc, file=sys.stderr)
        return EXIT_BAD_INPUT
    finally:
        store.close()
    return EXIT_CLEAN
