"""``compliance rules list|show|validate|test|new``: the auditor's rule workflow."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from compliance.cli import EXIT_BAD_INPUT, EXIT_CLEAN, EXIT_FINDINGS, docs
from compliance.cli.common import find_rule
from compliance.core.errors import InputError
from compliance.resources import RULES as DEFAULT_RULES

if TYPE_CHECKING:
    from compliance.rules.pack import RulePack


def register(commands: Any) -> None:
    """Add ``rules`` and its subcommands."""
    rules = commands.add_parser(
        "rules",
        help="list, show, validate, test and create rules",
        description="Work with the YAML rule pack.",
    )
    sub = rules.add_subparsers(dest="rules_command", required=True, metavar="SUBCOMMAND")

    listing = sub.add_parser(
        "list", help="one line per rule: id, title, category, severity, framework"
    )
    listing.add_argument("--category", help="only rules of this category (e.g. 绩效目标类)")
    listing.add_argument("--rules", type=Path, default=DEFAULT_RULES, metavar="DIR")
    listing.set_defaults(func=run_list)

    show = sub.add_parser(
        "show", help="everything about one rule: conditions, parameters, examples"
    )
    show.add_argument("rule", metavar="ID")
    show.add_argument("--rules", type=Path, default=DEFAULT_RULES, metavar="DIR")
    show.set_defaults(func=run_show)

    validate = sub.add_parser(
        "validate", help="check every rule and examples file; all errors at once with file:line:col"
    )
    validate.add_argument("dir", nargs="?", type=Path, default=DEFAULT_RULES, metavar="DIR")
    validate.set_defaults(func=run_validate)

    test = sub.add_parser(
        "test", help="run the examples beside each rule and print the coverage table"
    )
    test.add_argument("dir", nargs="?", type=Path, default=DEFAULT_RULES, metavar="DIR")
    test.add_argument(
        "-k", dest="only", metavar="ID", help="only the examples of rules whose id contains ID"
    )
    test.set_defaults(func=run_test)

    new = sub.add_parser("new", help="write a new rule and its examples from a template")
    new.add_argument(
        "rule",
        metavar="ID",
        help="the new rule's code (two capital letters, two digits), e.g. FN09",
    )
    new.add_argument("--category", required=True, help="its category, e.g. 绩效目标类")
    new.add_argument("--rules", type=Path, default=DEFAULT_RULES, metavar="DIR")
    new.set_defaults(func=run_new)

    docs.register(sub)


def _pack(root: Path) -> RulePack | None:
    from compliance.rules.pack import load_pack

    try:
        return load_pack(root)
    except InputError as exc:
        print(exc, file=sys.stderr)
        return None


def run_list(args: argparse.Namespace) -> int:
    """Print one line per rule."""
    pack = _pack(args.rules)
    if pack is None:
        return EXIT_BAD_INPUT
    known = pack.categories.ordered
    if args.category and args.category not in known:
        print(
            f"error: unknown category '{args.category}'; expected one of: {', '.join(known)}",
            file=sys.stderr,
        )
        return EXIT_BAD_INPUT
    rules = [r for r in pack.rules if not args.category or r.spec.category == args.category]
    rules.sort(key=lambda r: (known.index(r.spec.category), r.id))
    for rule in rules:
        spec = rule.spec
        print(
            f"{spec.id}  {spec.severity.label}  {spec.category}  {spec.title}  [{spec.framework}]"
        )
    print(f"{len(rules)} rules")
    return EXIT_CLEAN


def run_show(args: argparse.Namespace) -> int:
    """Print a rule in words, with its parameters and examples."""
    from compliance.rules.examples import all_examples
    from compliance.rules.pack import RulePack
    from compliance.rules.wording import describe_rule

    pack = _pack(args.rules)
    if pack is None:
        return EXIT_BAD_INPUT
    rule = find_rule(pack, args.rule)
    if rule is None:
        return EXIT_BAD_INPUT
    examples, problems = all_examples(RulePack(pack.root, [rule], pack.categories, pack.files))
    print(describe_rule(rule, examples, markdown=False))
    for problem in problems:
        print(problem, file=sys.stderr)
    return EXIT_BAD_INPUT if problems else EXIT_CLEAN


def run_validate(args: argparse.Namespace) -> int:
    """Check the pack and its examples files; print every problem."""
    from compliance.rules.examples import check_examples
    from compliance.rules.pack import load_pack

    try:
        pack = load_pack(args.dir)
    except InputError as exc:
        print(exc, file=sys.stderr)
        print(f"{len(exc.problems)} problem(s)", file=sys.stderr)
        return EXIT_BAD_INPUT
    examples, problems = check_examples(pack)
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f"{len(problems)} problem(s)", file=sys.stderr)
        return EXIT_BAD_INPUT
    print(f"{len(pack.rules)} rules and {len(examples)} examples are valid")
    return EXIT_CLEAN


def run_test(args: argparse.Namespace) -> int:
    """Run the examples, print pass/fail per example and the coverage table."""
    from compliance.checking.coverage import coverage
    from compliance.checking.examples import run_example
    from compliance.rules.examples import check_examples, examples_rule

    pack = _pack(args.dir)
    if pack is None:
        return EXIT_BAD_INPUT
    examples, problems = check_examples(pack)
    if args.only:
        wanted = args.only.upper()
        examples = [e for e in examples if wanted in e.rule]
        problems = [p for p in problems if wanted in examples_rule(p)]
    for problem in problems:
        print(problem, file=sys.stderr)
    if args.only:
        if not examples and problems:
            print(f"{len(problems)} problem(s)", file=sys.stderr)
            return EXIT_BAD_INPUT
        if not examples:
            print(
                f"error: no rule with examples matches '{args.only}'; rules: "
                f"{', '.join(sorted(pack.by_id()))}",
                file=sys.stderr,
            )
            return EXIT_BAD_INPUT
    outcomes = [run_example(pack, e) for e in examples]
    for outcome in outcomes:
        mark = "ok  " if outcome.passed else "FAIL"
        print(f"{mark} {outcome.example.test_id}")
        if not outcome.passed:
            print("     " + outcome.detail.replace("\n", "\n     "))
    failed = sum(not o.passed for o in outcomes)
    print(f"\n{len(outcomes) - failed} passed, {failed} failed")
    rows = [
        r
        for r in coverage(pack, outcomes, examples)
        if not args.only or args.only.upper() in r.rule
    ]
    print("\n" + coverage_table(rows))
    missing = [r for r in rows if not r.fire or not r.silent]
    for row in rows:
        if row.gaps:
            print(f"{row.rule}: {'; '.join(row.gaps)}")
    if problems:
        return EXIT_BAD_INPUT
    return EXIT_FINDINGS if failed or missing else EXIT_CLEAN


def coverage_table(rows: list[Any]) -> str:
    """The coverage of each rule as a plain-text table."""
    head = ("rule", "fire", "silent", "boundary", "failed", "scenarios", "fires on cases")
    lines = [head] + [
        (
            r.rule,
            str(r.fire),
            str(r.silent),
            str(r.boundary),
            str(r.failed),
            str(r.scenarios),
            ", ".join(r.cases) or "—",
        )
        for r in rows
    ]
    widths = [max(len(line[i]) for line in lines) for i in range(len(head))]
    return "\n".join(
        "  ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True)).rstrip()
        for line in lines
    )


def run_new(args: argparse.Namespace) -> int:
    """Write a rule file and its examples from the template."""
    from compliance.rules.scaffold import new_rule

    pack = _pack(args.rules)
    if pack is None:
        return EXIT_BAD_INPUT
    try:
        written = new_rule(pack, args.rules, args.rule, args.category)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    for path in written:
        print(f"wrote {path}")
    print(
        f"next: edit them, then `compliance rules validate` and `compliance rules test -k {args.rule}`"
    )
    return EXIT_CLEAN
