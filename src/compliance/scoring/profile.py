"""Scoring profiles (评分方案): the weights and scoring method of every 三级 item, in YAML.

Why YAML and pydantic: evaluators set their own weights per evaluation, so a
profile is data an auditor copies and edits, not code. Like rule files, a profile
is checked on load and every problem is reported at once as ``file:line:col``;
rule ids and categories it deducts for are checked against the rule pack, so a
typo cannot silently drop a deduction.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from compliance import resources
from compliance.core.errors import InputError, InputProblem, did_you_mean, dotted
from compliance.core.modelerrors import problems_from
from compliance.core.yamlfile import PathKey, SourceDocument, read_yaml
from compliance.records.formulas import GRADE_BANDS
from compliance.records.vocabulary import Dimension, EvaluationKind, Level1, Severity
from compliance.rules.pack import RulePack

DEFAULT_PROFILES = resources.PROFILES
"""The shipped profiles, beside ``rules/`` at the top of the project."""

Measure = Literal[
    "execution_rate",
    "budget_execution_rate",
    "arrival_rate",
    "completion_rate",
    "timely_completion_rate",
    "acceptance_rate",
    "within_budget_rate",
    "satisfaction",
]
"""The rates a ``rate`` item can score (see :mod:`compliance.scoring.measures`)."""


def _listed(value: Any) -> Any:
    return [value] if isinstance(value, str) else value


def _lookup_all(enum: type[Level1] | type[Dimension]) -> Any:
    def convert(value: Any) -> Any:
        return [enum.lookup(v) for v in _listed(value)] if value is not None else value

    return convert


class Strict(BaseModel):
    """Unknown keys are errors, as in rule files."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Deduction(Strict):
    """Points taken off an item for each finding of a rule or category."""

    rule: Annotated[list[str], BeforeValidator(_listed)] = Field(default_factory=list)
    category: str | None = None
    points: Decimal = Field(ge=0, allow_inf_nan=False, title="每项扣分")
    max: Decimal | None = Field(None, gt=0, allow_inf_nan=False, title="最多扣分")
    note: str | None = None


class IndicatorFilter(Strict):
    """Which indicators of the record an ``indicators`` item scores."""

    level1: Annotated[list[Level1], BeforeValidator(_lookup_all(Level1))] = Field(
        default_factory=list
    )
    level2: Annotated[list[Dimension], BeforeValidator(_lookup_all(Dimension))] = Field(
        default_factory=list
    )


class Item(Strict):
    """One scored line of the profile (a 三级 item, or a group of the self-evaluation form)."""

    code: str = Field(min_length=1)
    level1: str = Field(min_length=1, title="一级指标")
    level2: str | None = Field(None, title="二级指标")
    name: str = Field(min_length=1, title="三级指标")
    weight: Decimal = Field(gt=0, allow_inf_nan=False, title="分值")
    method: Literal["deductions", "rate", "indicators"]
    measure: Measure | None = None
    indicators: IndicatorFilter | None = None
    weights: Literal["equal", "form"] = "equal"
    basis: str | None = Field(None, title="评分标准")
    deductions: list[Deduction] = Field(default_factory=list)


class GradeBand(Strict):
    """A grade band of a profile: the lowest total that earns it."""

    label: str = Field(min_length=1)
    min: Decimal = Field(ge=0, allow_inf_nan=False)


DEFAULT_GRADES = [GradeBand(label=label, min=low) for label, low in GRADE_BANDS]

DEFAULT_QUALITATIVE = {
    "达成": Decimal(1),
    "已达成": Decimal(1),
    "完成": Decimal(1),
    "已完成": Decimal(1),
    "达到预期": Decimal(1),
    "达成预期指标": Decimal(1),
    "达成预期目标": Decimal(1),
    "部分达成预期指标": Decimal("0.5"),
    "未达成预期指标": Decimal(0),
    "基本达成": Decimal("0.8"),
    "部分达成": Decimal("0.5"),
    "未达成": Decimal(0),
    "未完成": Decimal(0),
}
"""Share of an indicator's weight for a qualitative actual, at the band edges of domain.md."""


class Overshoot(Strict):
    """A budget platform's deduction for an indicator that beats its target by far."""

    min_pct: Decimal = Field(Decimal(30), gt=0, allow_inf_nan=False, title="超出比例下限（%）")
    share: Decimal = Field(gt=0, le=1, allow_inf_nan=False, title="扣减该指标分值的比例")


class ExecutionCap(Strict):
    """A budget platform's cap on the total by the execution rate: below ``below`` %, at most ``max``."""

    below: Decimal = Field(gt=0, le=100, allow_inf_nan=False, title="执行率低于（%）")
    max: Decimal = Field(ge=0, allow_inf_nan=False, title="总分最高")


class Profile(Strict):
    """A scoring profile: items whose weights add up to the total, and grade bands."""

    name: str = Field(min_length=1)
    description: str | None = None
    applies_to: Annotated[
        list[EvaluationKind],
        BeforeValidator(lambda v: [EvaluationKind.lookup(x) for x in _listed(v)]),
    ] = Field(default_factory=list)
    total: Decimal = Field(Decimal(100), gt=0, allow_inf_nan=False)
    claim_tolerance: Decimal = Field(Decimal("0.5"), ge=0, allow_inf_nan=False)
    qualitative: dict[str, Decimal] = Field(default_factory=lambda: dict(DEFAULT_QUALITATIVE))
    grades: list[GradeBand] = Field(default_factory=lambda: list(DEFAULT_GRADES), min_length=1)
    framework_deductions: (
        dict[Annotated[Severity, BeforeValidator(Severity.lookup)], Decimal] | None
    ) = Field(None, title="按评价框架扣分")
    """Points per finding by severity, for findings no entry names: deducted from the item
    whose 一级 and 三级 match the first and last part of the rule's framework path."""
    overshoot: Overshoot | None = Field(None, title="超额完成扣分")
    """Optional: an indicator exceeding its target by ``min_pct`` or more loses ``share`` of its
    weight (the target was set too low). Off unless the profile sets it."""
    execution_caps: list[ExecutionCap] = Field(default_factory=list, title="按执行率封顶")
    """Optional: the total is capped by the budget execution rate (e.g. below 80 % at most 89)."""
    items: list[Item] = Field(min_length=1)


@dataclass
class LoadedProfile:
    """A valid profile and where each of its values was written."""

    profile: Profile
    source: SourceDocument

    @property
    def file(self) -> str:
        """The profile's file as shown in messages."""
        return self.source.file

    def check_against(self, pack: RulePack) -> None:
        """Raise :class:`InputError` for rule ids or categories the pack does not have."""
        rule_ids = [r.id for r in pack.rules]
        categories = pack.categories.ordered
        problems: list[InputProblem] = []
        for i, item in enumerate(self.profile.items):
            for j, deduction in enumerate(item.deductions):
                here: PathKey = ("items", i, "deductions", j)
                for k, rule in enumerate(deduction.rule):
                    if rule not in rule_ids:
                        problems.append(
                            self._problem(
                                (*here, "rule", k) if len(deduction.rule) > 1 else (*here, "rule"),
                                f"unknown rule '{rule}'{did_you_mean(rule, rule_ids)}; "
                                f"the rule pack {pack.root} has: {', '.join(rule_ids)}",
                            )
                        )
                if deduction.category is not None and deduction.category not in categories:
                    problems.append(
                        self._problem(
                            (*here, "category"),
                            f"unknown category '{deduction.category}'"
                            f"{did_you_mean(deduction.category, categories)}; "
                            f"expected one of: {', '.join(categories)}",
                        )
                    )
        if problems:
            raise InputError(problems)

    def _problem(self, path: PathKey, message: str) -> InputProblem:
        return InputProblem(self.source.locate(path), dotted(path), message)


def _meaning(profile: Profile, locate: Any) -> list[InputProblem]:
    """Checks pydantic cannot express: sums, uniqueness, methods and their options."""
    problems: list[InputProblem] = []

    def add(path: PathKey, message: str) -> None:
        problems.append(InputProblem(locate(path), dotted(path), message))

    weights = sum((item.weight for item in profile.items), Decimal(0))
    if weights != profile.total:
        add(("items",), f"item weights add up to {weights}, not to the total {profile.total}")
    seen: dict[str, int] = {}
    rules: dict[str, PathKey] = {}
    for i, item in enumerate(profile.items):
        if item.code in seen:
            add(
                ("items", i, "code"),
                f"duplicate item code '{item.code}' (also item {seen[item.code]})",
            )
        seen.setdefault(item.code, i)
        if item.method == "rate" and item.measure is None:
            add(("items", i, "measure"), "a 'rate' item needs a measure")
        if item.method != "rate" and item.measure is not None:
            add(("items", i, "measure"), "only a 'rate' item has a measure")
        if item.method == "indicators" and item.indicators is None:
            add(("items", i, "indicators"), "an 'indicators' item needs an indicator filter")
        if item.method != "indicators" and item.indicators is not None:
            add(("items", i, "indicators"), "only an 'indicators' item has an indicator filter")
        for j, deduction in enumerate(item.deductions):
            here: PathKey = ("items", i, "deductions", j)
            if bool(deduction.rule) == (deduction.category is not None):
                add(here, "a deduction names either rule or category, not both or neither")
            for rule in deduction.rule:
                if rule in rules:
                    first = locate(rules[rule])
                    add((*here, "rule"), f"rule '{rule}' already deducted at line {first.line}")
                rules.setdefault(rule, (*here, "rule"))
            if deduction.max is not None and deduction.max < deduction.points:
                add((*here, "max"), f"max {deduction.max} is less than points {deduction.points}")
    mins = [g.min for g in profile.grades]
    if mins != sorted(mins, reverse=True) or len(set(mins)) != len(mins):
        add(("grades",), "grades must be listed from the highest band down, each min lower")
    elif mins[-1] != 0:
        add(("grades", len(mins) - 1, "min"), "the lowest grade must start at 0")
    for severity, points in (profile.framework_deductions or {}).items():
        if points < 0:
            add(
                ("framework_deductions", severity.value),
                f"points must not be negative, got {points}",
            )
    for word, share in profile.qualitative.items():
        if not Decimal(0) <= share <= Decimal(1):
            add(("qualitative", word), f"share must lie between 0 and 1, got {share}")
    return problems


def parse_profile(doc: SourceDocument) -> LoadedProfile:
    """Validate a parsed profile document; raise :class:`InputError` with every problem."""
    problems = list(doc.problems)
    try:
        profile = Profile.model_validate(doc.data)
    except ValidationError as exc:
        raise InputError(problems + problems_from(exc, Profile, doc.locate)) from None
    problems.extend(_meaning(profile, doc.locate))
    if problems:
        raise InputError(problems)
    return LoadedProfile(profile, doc)


def load_profile(path: Path) -> LoadedProfile:
    """Read and validate a profile file."""
    return parse_profile(read_yaml(path))


def shipped(kind: EvaluationKind) -> Path:
    """The shipped profile for an evaluation kind: self-evaluation or third-party."""
    name = "self_evaluation.yaml" if kind is EvaluationKind.SELF else "third_party.yaml"
    return DEFAULT_PROFILES / name
