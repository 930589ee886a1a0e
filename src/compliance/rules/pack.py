"""Load the rule pack: every ``rules/**/<ID>.yaml`` and ``rules/categories.yaml``.

Each file is checked for structure (pydantic) and meaning (fields that exist on
the subject's record kind, operators that fit, parameters and placeholders that
resolve, ids unique and equal to the file name). All problems of all files are
reported at once with ``file:line:col``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cached_property
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from compliance import resources
from compliance.core.errors import InputError, InputProblem, Location, display_path
from compliance.core.modelerrors import problems_from
from compliance.core.numbers import MAX_ENGINE_ABS
from compliance.core.yamlfile import SourceDocument, read_yaml
from compliance.engine.compiler import (
    aggregate_signature,
    compile_rule,
    is_global,
)
from compliance.rules.checks import RuleChecker
from compliance.rules.spec import (
    Categories,
    Param,
    RuleSpec,
)

CATEGORIES_FILE = "categories.yaml"
EXAMPLES_SUFFIX = ".examples.yaml"
DEFAULT_RULES = resources.RULES


@dataclass
class Rule:
    """A validated rule with its parameters in force."""

    spec: RuleSpec
    file: str
    params: dict[str, Any]

    @cached_property
    def id(self) -> str:
        """The rule's code (read for every rule and subject of every project: kept)."""
        return self.spec.id

    def definition(self) -> list[dict[str, Any]]:
        """The durable-rules definitions (one per alternative) with the parameters in force."""
        return compile_rule(self.spec, self.params)

    @cached_property
    def aggregate_keys(self) -> dict[str, tuple[str, bool]]:
        """Each aggregate's fact signature and whether it holds for every subject.

        Computed once per rule: hashing the definitions for every project cost 0.7 ms a project.
        """
        return {
            name: (aggregate_signature(self.spec, name), is_global(self.spec, name))
            for name in self.spec.aggregates
        }


@dataclass
class RulePack:
    """The rules of one folder, in id order, and the report's category order."""

    root: str
    rules: list[Rule]
    categories: Categories
    files: dict[str, SourceDocument] = field(default_factory=dict)

    def by_id(self) -> dict[str, Rule]:
        """Rules keyed by id."""
        return {r.id: r for r in self.rules}

    def with_overrides(self, settings: Mapping[str, str]) -> RulePack:
        """Apply ``RULE.param=value`` settings, checking each against the parameter."""
        rules = {r.id: Rule(r.spec, r.file, dict(r.params)) for r in self.rules}
        problems = []
        for key, raw in settings.items():
            rule_id, _, name = key.partition(".")
            rule = rules.get(rule_id)
            if rule is None or not name:
                problems.append(
                    _setting_problem(key, f"unknown rule '{rule_id}'; write RULE.param=value")
                )
                continue
            param = rule.spec.params.get(name)
            if param is None:
                known = ", ".join(rule.spec.params) or "(none)"
                problems.append(
                    _setting_problem(
                        key, f"rule {rule_id} has no parameter '{name}'; parameters: {known}"
                    )
                )
                continue
            try:
                rule.params[name] = _coerce(raw, param.default, param.minimum, param.maximum)
            except ValueError as exc:
                problems.append(_setting_problem(key, str(exc)))
        if problems:
            raise InputError(problems)
        return RulePack(self.root, list(rules.values()), self.categories, self.files)


def _setting_problem(key: str, message: str) -> InputProblem:
    return InputProblem(Location("--set"), key, message)


def _coerce(raw: str, default: Any, minimum: Decimal | None, maximum: Decimal | None) -> Any:
    if isinstance(default, bool):
        if raw.lower() not in {"true", "false"}:
            raise ValueError(f"expected true or false, got '{raw}'")
        return raw.lower() == "true"
    if isinstance(default, int | Decimal):
        try:
            number = Decimal(raw)
        except InvalidOperation:
            raise ValueError(f"expected a number, got '{raw}'") from None
        return _checked_number(number, raw, minimum, maximum)
    return raw


def _checked_number(
    number: Decimal, raw: str, minimum: Decimal | None, maximum: Decimal | None
) -> Decimal:
    if not number.is_finite():
        raise ValueError(f"expected a finite number, got '{raw}'")
    if abs(number) >= MAX_ENGINE_ABS:
        raise ValueError(
            f"{raw} is too large to compare exactly; numbers stay below {MAX_ENGINE_ABS:.0E}"
        )
    if minimum is not None and number < minimum:
        raise ValueError(f"must be ≥ {minimum}, got {raw}")
    if maximum is not None and number > maximum:
        raise ValueError(f"must be ≤ {maximum}, got {raw}")
    return number


def param_value(value: Any, param: Param) -> Any:
    """A parameter value written in YAML (an example's ``params``), checked like ``--set``.

    Raises :class:`ValueError` saying why the value does not fit the parameter: the
    type of its default (a number, true/false or text), finite, within its bounds.
    """
    default = param.default
    shown = f"'{value}'" if isinstance(value, str) else repr(value)
    if isinstance(default, bool):
        if not isinstance(value, bool):
            raise ValueError(f"expected true or false, got {shown}")
        return value
    if isinstance(default, int | Decimal):
        if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
            raise ValueError(f"expected a number, got {shown}")
        return _checked_number(Decimal(value), str(value), param.minimum, param.maximum)
    if not isinstance(value, str):
        raise ValueError(f"expected text, got {shown}")
    return value


def rule_files(root: Path) -> list[Path]:
    """Rule files below ``root`` (examples and the categories file excluded)."""
    return sorted(
        p
        for p in root.rglob("*.yaml")
        if not p.name.endswith(EXAMPLES_SUFFIX) and p.name != CATEGORIES_FILE
    )


ALWAYS = "always"
"""``when: always``: the rule holds for every subject, said explicitly (no condition is an error)."""


def without_always(data: Any) -> tuple[Any, bool]:
    """The rule data with ``when: always`` read as no conditions, and whether it was written."""
    if isinstance(data, dict) and data.get("when") == ALWAYS:
        return {**data, "when": []}, True
    return data, False


def _load_categories(root: Path) -> tuple[Categories | None, list[InputProblem]]:
    path = root / CATEGORIES_FILE
    if not path.is_file():
        return None, [
            InputProblem(
                Location(display_path(path)), "", "missing: it lists the categories in report order"
            )
        ]
    try:
        doc = read_yaml(path)
    except InputError as exc:
        return None, list(exc.problems)
    try:
        return Categories.model_validate(doc.data), list(doc.problems)
    except ValidationError as exc:
        return None, [*doc.problems, *problems_from(exc, Categories, doc.locate)]


def _iter_specs(
    files: list[Path], categories: Categories | None
) -> Iterator[tuple[RuleSpec | None, SourceDocument | None, list[InputProblem]]]:
    for path in files:
        try:
            doc = read_yaml(path)
        except InputError as exc:
            yield None, None, list(exc.problems)
            continue
        data, always = without_always(doc.data)
        try:
            spec = RuleSpec.model_validate(data)
        except ValidationError as exc:
            yield None, doc, [*doc.problems, *problems_from(exc, RuleSpec, doc.locate)]
            continue
        problems = RuleChecker(spec, doc, categories, always).run() if categories else []
        yield spec, doc, [*doc.problems, *problems]


def load_pack(root: Path = DEFAULT_RULES) -> RulePack:
    """Load and check every rule under ``root``; raise :class:`InputError` on any problem."""
    if not root.is_dir():
        raise InputError.single(display_path(root), "rules folder not found")
    categories, problems = _load_categories(root)
    files = rule_files(root)
    if not files:
        problems.append(
            InputProblem(Location(display_path(root)), "", "no rule files (*.yaml) found")
        )
    rules: list[Rule] = []
    docs: dict[str, SourceDocument] = {}
    seen: dict[str, str] = {}
    for spec, doc, found in _iter_specs(files, categories):
        problems.extend(found)
        if spec is None or doc is None or found:
            continue
        if spec.id in seen:
            problems.append(
                InputProblem(
                    doc.locate(("id",)),
                    "id",
                    f"duplicate rule id '{spec.id}' (also in {seen[spec.id]})",
                )
            )
            continue
        seen[spec.id] = doc.file
        docs[spec.id] = doc
        rules.append(Rule(spec, doc.file, {n: p.default for n, p in spec.params.items()}))
    if problems or categories is None:
        raise InputError(problems)
    return RulePack(display_path(root), sorted(rules, key=lambda r: r.id), categories, docs)
