"""``compliance explain RULE RECORD``: each condition with its values, per subject."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from compliance.cli import EXIT_BAD_INPUT, EXIT_CLEAN
from compliance.cli.common import add_pack_options, find_rule, load_pack_or_report
from compliance.core.errors import InputError, display_path

if TYPE_CHECKING:
    from compliance.checking.explain import SubjectExplanation
    from compliance.records.loading import ProjectRecords


def register(commands: Any) -> None:
    """Add ``explain``."""
    explain = commands.add_parser(
        "explain",
        help="show why a rule fired or stayed silent on a record",
        description="For each subject the rule applies to: every condition with the values it was "
        "evaluated on and whether it held, and the finding if any.",
    )
    explain.add_argument("rule", metavar="RULE", help="rule id, e.g. TG01")
    explain.add_argument("record", type=Path, metavar="RECORD", help="a record file or case folder")
    explain.add_argument(
        "--subject", metavar="KEY", help="only this subject (e.g. I03, 12, project)"
    )
    add_pack_options(explain)
    explain.set_defaults(func=run)


def _print(item: SubjectExplanation) -> None:
    record = item.record
    where = f"  ({record.location})" if record.location else ""
    print(f"[{record.key}] {record.display_name}{where}")
    for number, check in enumerate(item.checks, start=1):
        print(f"  {number}. {'✓' if check.held else '✗'} {check.words}")
        print(f"       {check.values}")
    if item.finding is not None:
        print(f"  → 触发：{item.finding.message}")
    else:
        failed = [str(n) for n, c in enumerate(item.checks, start=1) if not c.held]
        print(f"  → 未触发（条件 {'、'.join(failed)} 不成立）" if failed else "  → 未触发")
    if item.note:
        print(f"  {item.note}")
    print()


def _load_one(path: Path) -> ProjectRecords:
    """One project: a case, or a form file holding exactly one form."""
    from compliance.intake.records import read_forms
    from compliance.records.loading import is_form_file, load_project

    if not is_form_file(path):
        return load_project(path)
    forms = read_forms(path)
    if len(forms) > 1:
        raise InputError.single(
            display_path(path),
            f"explain takes one project; this file holds {len(forms)} forms: "
            + ", ".join(f.origin for f in forms),
        )
    [form] = forms
    if form.project is None:
        raise InputError(form.problems)
    return form.project


def run(args: argparse.Namespace) -> int:
    """Explain one rule on one project."""
    from compliance.checking.explain import Explainer
    from compliance.records.loading import discover
    from compliance.rules.wording import kind_label

    pack = load_pack_or_report(args)
    if pack is None:
        return EXIT_BAD_INPUT
    rule = find_rule(pack, args.rule)
    if rule is None:
        return EXIT_BAD_INPUT
    try:
        found = discover(args.record)
        if len(found) > 1:
            raise InputError.single(
                display_path(args.record),
                f"explain takes one project; this folder holds {len(found)}: "
                + ", ".join(display_path(p) for p in found),
            )
        project = _load_one(found[0])
    except InputError as exc:
        print(exc, file=sys.stderr)
        return EXIT_BAD_INPUT
    explainer = Explainer(pack, rule, project)
    items = explainer.subjects(args.subject)
    if args.subject and not items:
        keys = ", ".join(r.key for r in project.of_kind(rule.spec.subject))
        print(
            f"error: no {rule.spec.subject} '{args.subject}' in {project.origin}; keys: {keys}",
            file=sys.stderr,
        )
        return EXIT_BAD_INPUT
    spec = rule.spec
    print(f"{spec.id} {spec.title} — 检查对象：{kind_label(spec.subject)}（{len(items)} 个）")
    print(f"记录：{project.origin}\n")
    for item in items:
        _print(item)
    fired = sum(1 for i in items if i.finding is not None)
    print(f"触发 {fired} 个，未触发 {len(items) - fired} 个。")
    return EXIT_CLEAN
