"""The shape of a rule file (``rules/**/<ID>.yaml``), as pydantic models.

Pydantic checks the structure (keys, types, vocabularies); :mod:`compliance.rules.pack`
then checks meaning against the record schema (fields that exist, operators that
fit the field's type, placeholders that resolve) and reports all problems at once.
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Discriminator, Field, Tag

from compliance.records.vocabulary import Severity

RULE_ID_PATTERN = r"^[A-Z]{2}\d{2}$"
Scalar = bool | int | Decimal | str
KindName = Annotated[str, Field(min_length=1)]
"""A record kind; checked against the record models by the rule pack."""


class Op(StrEnum):
    """Comparison operators of a condition."""

    EQ = "eq"
    NE = "ne"
    GT = "gt"
    GE = "ge"
    LT = "lt"
    LE = "le"
    IN = "in"
    NOT_IN = "not_in"
    PRESENT = "present"
    ABSENT = "absent"
    CONTAINS = "contains"


SUBJECT_PREFIX = "subject."


def _match_pairs(value: Any) -> Any:
    """``{their_field: subject.my_field}`` — the readable spelling; ``subject.`` is optional."""
    if isinstance(value, dict):
        return {
            k: v.removeprefix(SUBJECT_PREFIX) if isinstance(v, str) else v for k, v in value.items()
        }
    return value


MatchPairs = Annotated[
    dict[str, str],
    BeforeValidator(_match_pairs),
    Field(
        description=(
            "pairs 'field of the other record: subject.field of the subject', "
            "e.g. {sub_project: subject.number}"
        )
    ),
]


class Strict(BaseModel):
    """Base of rule-file models: unknown keys are errors."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Condition(Strict):
    """``{field: spent, op: gt, value: {field: budget}}``; value forms are checked later."""

    field: str
    op: str
    value: Any = None
    tolerance: Any = None


class AnyOf(Strict):
    """Holds when any of its conditions holds."""

    any: list[Condition] = Field(min_length=2)


def _clause_kind(value: Any) -> str:
    if isinstance(value, dict) and "any" in value:
        return "~any"
    if isinstance(value, AnyOf):
        return "~any"
    return "~condition"


Clause = Annotated[
    Annotated[Condition, Tag("~condition")] | Annotated[AnyOf, Tag("~any")],
    Discriminator(_clause_kind),
]
"""A condition, or ``any:`` of conditions; tags starting with ``~`` never show in paths."""


class Related(Strict):
    """Another record of the project, required (``join``) or forbidden (``absent``)."""

    kind: KindName
    as_: str | None = Field(None, alias="as", pattern=r"^[a-z][a-z0-9_]*$")
    match: MatchPairs = Field(default_factory=dict)
    when: list[Clause] = Field(default_factory=list)


class AggregateFn(StrEnum):
    """What an aggregate computes."""

    SUM = "sum"
    COUNT = "count"
    LIST = "list"
    """The members' ``field`` values joined with 、 (for messages; compared by equality only)."""


class Aggregate(Strict):
    """A sum or count over records of one kind, optionally matched to the subject."""

    fn: AggregateFn
    of: KindName
    label: str | None = None
    field: str | None = None
    match: MatchPairs = Field(default_factory=dict)
    where: list[Condition] = Field(default_factory=list)
    differ: dict[str, str] = Field(default_factory=dict)
    """Members whose field differs from the subject's (``other_field: subject_field``)."""
    exclude_self: bool = False
    """Leave the subject itself out (when aggregating over the subject's own kind)."""
    earlier_only: bool = False
    """Only members written before the subject (to report each group once)."""
    gap_from: str | None = None
    """Report ``subject.<gap_from> − aggregate`` instead (exact; for reconciliations)."""
    share_of: str | None = None
    """Report ``aggregate ÷ subject.<share_of>`` in percent instead (exact, 2 places)."""
    plus: str | None = None
    """Add an earlier-declared aggregate (applied before ``gap_from``/``share_of``)."""
    minus: str | None = None
    """Subtract an earlier-declared aggregate (applied before ``gap_from``/``share_of``)."""


class Param(Strict):
    """A parameter with its default; users override it with ``--set``."""

    default: Scalar
    description: str = Field(min_length=1)
    label: str | None = None
    minimum: Decimal | None = None
    maximum: Decimal | None = None


class Reference(Strict):
    """A regulation or standard the rule rests on."""

    title: str = Field(min_length=1)
    clause: str | None = None


def _severity(value: Any) -> Any:
    return Severity.lookup(value)


class RuleSpec(Strict):
    """One rule file."""

    id: str = Field(pattern=RULE_ID_PATTERN)
    title: str = Field(min_length=1)
    category: str = Field(min_length=1)
    framework: str = Field(pattern=r"^[^/]+(/[^/]+)*$")
    severity: Annotated[Severity, BeforeValidator(_severity)]
    subject: KindName
    description: str | None = None
    params: dict[str, Param] = Field(default_factory=dict)
    aggregates: dict[str, Aggregate] = Field(default_factory=dict)
    when: list[Clause] = Field(default_factory=list)
    join: list[Related] = Field(default_factory=list)
    absent: list[Related] = Field(default_factory=list)
    message: str = Field(min_length=1)
    recommendation: str = Field(min_length=1)
    references: list[Reference] = Field(min_length=1)
    evidence: list[str] = Field(default_factory=list)
    """Subject fields shown as evidence besides those the conditions and message name."""


class RecommendationGroup(Strict):
    """One heading of a report's 相关建议 and the finding categories it answers."""

    title: str = Field(min_length=1)
    categories: list[str] = Field(min_length=1)
    text: str = Field(min_length=1)


class Categories(Strict):
    """``rules/categories.yaml``: categories in report order, grouped for 相关建议."""

    groups: list[RecommendationGroup] = Field(min_length=1)

    @property
    def ordered(self) -> list[str]:
        """Every category, in the order the report lists problems."""
        return [c for group in self.groups for c in group.categories]
