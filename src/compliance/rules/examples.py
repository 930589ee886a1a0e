"""Run the examples written beside each rule (``rules/**/<ID>.examples.yaml``).

Each example is a small project record that goes through the real loader, then
through the real engine with that one rule, and states whether the rule fires
(and on which subjects) or stays silent. Shipped in the package so the test
suite and the command line run the very same code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from compliance.core.errors import InputError, InputProblem, Location, dotted
from compliance.core.modelerrors import problems_from
from compliance.core.numbers import NumberOutOfRange
from compliance.core.yamlfile import PathKey, SourceDocument, read_yaml
from compliance.records.fields import to_fact
from compliance.records.loading import SECTIONS, ProjectRecords, build_project
from compliance.rules.pack import EXAMPLES_SUFFIX, Rule, RulePack, param_value


class Expect(StrEnum):
    """What an example expects of its rule."""

    FIRE = "fire"
    SILENT = "silent"
    UNDECIDED = "undecided"
    """Neither fires nor passes: the records lack what decides it (未能核查)."""


class ExampleSpec(BaseModel):
    """One example: a record, the expectation, and optionally parameters."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    expect: Expect
    boundary: bool = False
    description: str | None = None
    params: dict[str, Any] = Field(default_factory=dict)
    subjects: list[str] | None = None
    message_contains: list[str] = Field(default_factory=list)
    record: dict[str, Any]


class ExamplesFile(BaseModel):
    """``<ID>.examples.yaml``: a shared ``base`` record and named examples."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    rule: str
    base: dict[str, Any] = Field(default_factory=dict)
    examples: dict[str, ExampleSpec] = Field(min_length=1)


@dataclass
class Example:
    """A loaded example, ready to run."""

    rule: str
    name: str
    spec: ExampleSpec
    data: dict[str, Any]
    doc: SourceDocument

    @property
    def test_id(self) -> str:
        """``TG01-fires_when_far_above``: what ``pytest -k`` matches."""
        return f"{self.rule}-{self.name}"

    def locate(self, loc: PathKey) -> Location:
        """Positions inside the example's own record, else inside ``base``."""
        record = self.spec.record
        if loc and str(loc[0]) in record:
            return self.doc.locate(("examples", self.name, "record", *loc))
        return self.doc.locate(("base", *loc))


def _merged(base: dict[str, Any], record: dict[str, Any]) -> dict[str, Any]:
    data = dict(base)
    for section, value in record.items():
        if section == "project" and isinstance(value, dict) and isinstance(base.get(section), dict):
            data[section] = {**base[section], **value}
        else:
            data[section] = value
    return data


def examples_path(rule: Rule) -> Path:
    """Where a rule's examples live: beside the rule file."""
    return Path(rule.file).with_name(f"{rule.id}{EXAMPLES_SUFFIX}")


def load_examples(path: Path) -> list[Example]:
    """Load an examples file; raise :class:`InputError` with positions on errors."""
    doc = read_yaml(path)
    try:
        parsed = ExamplesFile.model_validate(doc.data)
    except ValidationError as exc:
        raise InputError([*doc.problems, *problems_from(exc, ExamplesFile, doc.locate)]) from None
    problems = list(doc.problems)
    stem = path.name.removesuffix(EXAMPLES_SUFFIX)
    if parsed.rule != stem:
        problems.append(
            InputProblem(
                doc.locate(("rule",)),
                "rule",
                f"examples for '{parsed.rule}' stand in {path.name}; "
                f"expected {parsed.rule}{EXAMPLES_SUFFIX}",
            )
        )
    allowed = (*SECTIONS, "coverage")
    for section in parsed.base:
        if section not in allowed:
            problems.append(
                InputProblem(
                    doc.locate(("base", section)),
                    f"base.{section}",
                    f"unknown section '{section}'; allowed: {', '.join(allowed)}",
                )
            )
    if problems:
        raise InputError(problems)
    return [
        Example(parsed.rule, name, spec, _merged(parsed.base, spec.record), doc)
        for name, spec in parsed.examples.items()
    ]


def all_examples(pack: RulePack) -> tuple[list[Example], list[InputProblem]]:
    """Every example of every rule in the pack, and the problems of unreadable files."""
    examples: list[Example] = []
    problems: list[InputProblem] = []
    for rule in pack.rules:
        path = examples_path(rule)
        if not path.is_file():
            continue
        try:
            examples.extend(load_examples(path))
        except InputError as exc:
            problems.extend(exc.problems)
    return examples, problems


def orphan_examples(pack: RulePack) -> list[InputProblem]:
    """Examples files whose rule is not in the pack."""
    ids = set(pack.by_id())
    root = Path(pack.root)
    return [
        InputProblem(
            Location(str(path)),
            "",
            f"examples for a rule that does not exist: '{path.name.removesuffix(EXAMPLES_SUFFIX)}'",
        )
        for path in sorted(root.rglob(f"*{EXAMPLES_SUFFIX}"))
        if path.name.removesuffix(EXAMPLES_SUFFIX) not in ids
    ]


def _within(example: Example, problem: InputProblem) -> InputProblem:
    """A record problem with its path inside the examples file (``examples.X.record.…``)."""
    head = re.split(r"[.\[]", problem.path, maxsplit=1)[0]
    prefix = f"examples.{example.name}.record" if head in example.spec.record else "base"
    path = f"{prefix}.{problem.path}" if problem.path else prefix
    return InputProblem(problem.location, path, problem.message)


def prepare(
    pack: RulePack, example: Example
) -> tuple[RulePack, ProjectRecords | None, list[InputProblem]]:
    """The example's rule alone with the example's parameters, its project, and its problems.

    The one validation of an example, shared by ``rules validate`` and ``rules test``:
    parameters must be the rule's and fit them (as ``--set`` values must), and the
    record must load as a project would.
    """
    problems: list[InputProblem] = []
    rule = pack.by_id().get(example.rule)
    if rule is None:
        where = example.doc.locate(("rule",))
        problems.append(InputProblem(where, "rule", f"no rule '{example.rule}' in the pack"))
        return RulePack(pack.root, [], pack.categories, pack.files), None, problems
    params = dict(rule.params)
    for name, value in example.spec.params.items():
        path: PathKey = ("examples", example.name, "params", name)
        param = rule.spec.params.get(name)
        try:
            if param is None:
                known = ", ".join(rule.spec.params) or "(none)"
                raise ValueError(f"rule {rule.id} has no parameter '{name}'; parameters: {known}")
            params[name] = param_value(value, param)
        except ValueError as exc:
            problems.append(InputProblem(example.doc.locate(path), dotted(path), str(exc)))
    single = RulePack(pack.root, [Rule(rule.spec, rule.file, params)], pack.categories, pack.files)
    try:
        project = build_project(example.data, example.locate, f"{example.doc.file}#{example.name}")
    except InputError as exc:
        return single, None, [*problems, *(_within(example, p) for p in exc.problems)]
    for seq, record in enumerate(project.records):
        try:
            to_fact(record, seq)
        except NumberOutOfRange as exc:
            where = record.location or example.doc.locate(("examples", example.name))
            problems.append(InputProblem(where, f"{record.kind}[{record.key}]", str(exc)))
    return single, project, problems


def check_examples(pack: RulePack) -> tuple[list[Example], list[InputProblem]]:
    """Every example of the pack and every problem of its examples.

    Unreadable files, orphans, and examples that would not run: what ``rules validate``
    reports and ``rules test`` refuses.
    """
    examples, problems = all_examples(pack)
    problems.extend(orphan_examples(pack))
    for example in examples:
        problems.extend(prepare(pack, example)[2])
    return examples, sorted(problems)


def examples_rule(problem: InputProblem) -> str:
    """The rule whose examples file a problem stands in (empty for other files)."""
    name = Path(problem.location.file).name
    return name.removesuffix(EXAMPLES_SUFFIX) if name.endswith(EXAMPLES_SUFFIX) else ""
