"""Run a rule's examples: each example record checked with its rule alone.

Why here and not in ``rules``: running an example is checking a project, so the
runner sits after the checker in the flow; ``rules.examples`` only loads the files.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from compliance.checking.checker import Checker
from compliance.rules.examples import Example, Expect, prepare
from compliance.rules.pack import RulePack


@dataclass
class Outcome:
    """The result of running one example."""

    example: Example
    passed: bool
    fired: list[str] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)
    detail: str = ""


def run_example(pack: RulePack, example: Example) -> Outcome:
    """Run one example with its rule alone and compare with its expectation."""
    single, project, invalid = prepare(pack, example)
    if invalid or project is None:
        return Outcome(
            example, False, detail="invalid example:\n" + "\n".join(str(p) for p in invalid)
        )
    with Checker(single) as checker:
        if checker.rule_errors:
            return Outcome(
                example,
                False,
                detail="rule error: " + "; ".join(map(str, checker.rule_errors.values())),
            )
        result = checker.check_project(project)
    fired = [f.subject.key for f in result.findings]
    messages = [f.message for f in result.findings]
    problems = []
    if result.errors:
        problems.append("errors: " + "; ".join(map(str, result.errors)))
    spec = example.spec
    if spec.expect is Expect.FIRE and not fired:
        problems.append("expected the rule to fire; it stayed silent")
    if spec.expect in (Expect.SILENT, Expect.UNDECIDED) and fired:
        problems.append(f"expected silence; the rule fired on {', '.join(fired)}: {messages[0]}")
    undecided = [u.subject_key for u in result.undecided]
    if spec.expect is Expect.UNDECIDED and not undecided:
        problems.append("expected 未能核查; the rule was decided (silent)")
    wanted = sorted(spec.subjects or [])
    if (
        spec.subjects is not None
        and spec.expect is Expect.UNDECIDED
        and sorted(undecided) != wanted
    ):
        problems.append(f"expected 未能核查 on {wanted}, got {sorted(undecided)}")
    if (
        spec.subjects is not None
        and spec.expect is Expect.FIRE
        and sorted(fired) != sorted(spec.subjects)
    ):
        problems.append(f"expected findings on {sorted(spec.subjects)}, got {sorted(fired)}")
    for text in spec.message_contains:
        if not any(text in m for m in messages):
            problems.append(f"no message contains '{text}'; messages: {messages}")
    return Outcome(example, not problems, fired, messages, "\n".join(problems))
