"""Performance indicators (绩效指标): target and actual as written, and what follows from them.

The target and actual are kept as written and parsed by :mod:`compliance.records.quantities`;
the provincial form's 指标性质 and 度量单位 columns are joined back to them.
"""

from __future__ import annotations

from decimal import Decimal
from functools import cached_property
from typing import Annotated, Any, ClassVar

from pydantic import (
    AliasChoices,
    BeforeValidator,
    Field,
    computed_field,
    field_validator,
    model_validator,
)

from compliance.core.remembered import remembered
from compliance.records.formulas import expected_score
from compliance.records.project import Record, Score, Text, blank_to_none, is_blank
from compliance.records.quantities import (
    Measure,
    MeasureKind,
    deviation,
    parse_measure,
    with_implied_unit,
)
from compliance.records.vocabulary import Dimension, Level1, WorkKind

_TARGET = ("target", "年度指标值", "指标值", "年度指标值(A)", "年初目标值(A)", "目标值")
_ACTUAL = ("actual", "实际完成值", "完成值", "全年实际值(B)", "实际完成值(B)", "实际值")
_COLUMNS = {
    "nature": ("nature", "指标性质"),
    "unit": ("unit", "度量单位"),
    "target": _TARGET,
    "actual": _ACTUAL,
}


def _text_cell(value: Any) -> Any:
    """A cell as written: numbers the YAML read as numbers become text; blanks become None."""
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return str(value)
    return blank_to_none(value)


def _first_key(data: dict[str, Any], name: str) -> str | None:
    """The first of the spellings of column ``name`` that ``data`` uses."""
    for key in _COLUMNS[name]:
        if key in data:
            return key
    return None


def _is_cell(value: Any) -> bool:
    """Whether a value is what a table cell holds (text or a number), not a list or mapping."""
    return value is None or isinstance(value, str | int | float | Decimal)


class Indicator(Record):
    """A performance indicator (绩效指标) with its target and actual as written.

    The record is frozen and its computed fields read only its own fields, so each is
    remembered once read (a fact, the aggregates and a finding's evidence read them).
    """

    kind = "indicator"
    label = "绩效指标"
    derived_from: ClassVar[dict[str, tuple[str, ...]]] = {
        "deviation_pct": ("target", "actual"),
        "actual_kind": ("actual",),
        "actual_is_qualitative": ("actual",),
        "actual_is_bound": ("actual",),
        "expected_score": ("target", "actual", "weight"),
        "zero_target_exceeded": ("target", "actual"),
        "days_late": ("target", "actual"),
        "target_kind": ("target",),
        "target_op": ("target",),
        "target_normalized": ("target",),
        "target_unit": ("target",),
        "target_is_qualitative": ("target",),
    }
    code: Text = Field(title="编号")
    level1: Annotated[Level1 | None, BeforeValidator(Level1.lookup)] = Field(
        None, title="一级指标", validation_alias=AliasChoices("level1", "一级指标")
    )
    level2: Annotated[Dimension | None, BeforeValidator(Dimension.lookup)] = Field(
        None, title="二级指标", validation_alias=AliasChoices("level2", "二级指标")
    )
    name: Text = Field(title="三级指标", validation_alias=AliasChoices("name", "三级指标"))
    nature: str | None = Field(
        None, title="指标性质", validation_alias=AliasChoices("nature", "指标性质")
    )
    target: str | None = Field(None, title="指标值", validation_alias=AliasChoices(*_TARGET))
    unit: str | None = Field(
        None, title="度量单位", validation_alias=AliasChoices("unit", "度量单位")
    )
    actual: str | None = Field(None, title="实际完成值", validation_alias=AliasChoices(*_ACTUAL))
    weight: Score = Field(
        None, title="分值", validation_alias=AliasChoices("weight", "分值", "权重")
    )
    score: Score = Field(None, title="得分", validation_alias=AliasChoices("score", "得分"))
    deviation_reason: str | None = Field(
        None,
        title="偏差原因",
        validation_alias=AliasChoices(
            "deviation_reason",
            "偏差原因分析及改进措施",
            "偏差原因",
            "未完成原因分析",
            "偏差原因分析",
        ),
    )
    evidence: str | None = Field(None, title="佐证材料")
    work_kind: Annotated[WorkKind, BeforeValidator(WorkKind.lookup)] | None = Field(
        None, title="考核的工作类型"
    )

    _blank = field_validator(
        "target", "actual", "deviation_reason", "evidence", "nature", "unit", mode="before"
    )(_text_cell)

    @property
    def key(self) -> str:
        return self.code

    @computed_field(title="满意度指标")
    @remembered
    def is_satisfaction(self) -> bool:
        """Whether the indicator measures satisfaction (by its 一级/二级 or its name)."""
        return (
            self.level1 is Level1.SATISFACTION
            or self.level2 is Dimension.SATISFACTION
            or "满意" in self.name
        )

    @property
    def display_name(self) -> str:
        return self.name

    @model_validator(mode="before")
    @classmethod
    def _join_provincial_columns(cls, data: Any) -> Any:
        """Put the provincial form's 指标性质 and 度量单位 back around the values.

        The provincial form writes ``≥ | 50 | 公里`` in three columns; the target is
        ``≥50公里``. The two columns are kept as recorded, and the target and actual
        read as people say them.
        """
        if not isinstance(data, dict):
            return data
        nature_key, unit_key = _first_key(data, "nature"), _first_key(data, "unit")
        nature = data.get(nature_key) if nature_key else None
        unit = data.get(unit_key) if unit_key else None
        if nature is None and unit is None:
            return data  # the central form (most forms): nothing to join
        found = {name: _first_key(data, name) for name in _COLUMNS}
        if not all(_is_cell(v) for v in (nature, unit)):
            return data  # a list or mapping in a cell: the field's own validation reports it
        data = dict(data)
        nature_text = (
            "" if str(nature or "").strip() in ("", "定性", "=", "＝") else str(nature).strip()
        )
        unit_text = str(unit or "").strip()
        for name in ("target", "actual"):
            key = found[name]
            value = data.get(key) if key else None
            if is_blank(value) or not _is_cell(value):
                continue
            text = str(value).strip()
            if unit_text:
                measure = parse_measure(text)
                if measure.unit == "" and measure.number is not None:
                    text += unit_text
            if name == "target" and nature_text and not text.startswith(nature_text):
                text = nature_text + text
            data[key] = text
        return data

    @cached_property
    def target_measure(self) -> Measure:
        """The target, parsed (an unknown or blank target reads as qualitative '')."""
        return parse_measure(self.target or "")

    @cached_property
    def actual_measure(self) -> Measure | None:
        """The actual value, parsed, if one was given; a bare number takes the target's unit.

        Why: forms write ``50`` against ``≥50个`` and ``100`` against ``≥100%``; the unit
        of the target is implied, as any reader of the form takes it.
        """
        if self.actual is None:
            return None
        return with_implied_unit(parse_measure(self.actual), self.target_measure)

    @computed_field(title="指标值类型")
    @remembered
    def target_kind(self) -> MeasureKind | None:
        """quantity, percent, date, rank or qualitative; absent without a target."""
        return None if self.target is None else self.target_measure.kind

    @computed_field(title="指标值方向")
    @remembered
    def target_op(self) -> str | None:
        """The operator of the target: >=, <=, >, < or =; absent without a target."""
        return None if self.target is None else self.target_measure.op

    @computed_field(title="指标值（规范化）")
    @remembered
    def target_normalized(self) -> str | None:
        """The target in canonical form, equal for targets that mean the same; absent without a target."""
        return None if self.target is None else self.target_measure.normalized

    @computed_field(title="指标值计量单位")
    @remembered
    def target_unit(self) -> str | None:
        """The target's unit (base unit after conversion); absent without a target."""
        return None if self.target is None else self.target_measure.unit

    @computed_field(title="实际值类型")
    @remembered
    def actual_kind(self) -> MeasureKind | None:
        """quantity, percent, date, rank or qualitative; absent without an actual."""
        measure = self.actual_measure
        return None if measure is None else measure.kind

    @computed_field(title="偏离度（%）")
    @remembered
    def deviation_pct(self) -> Decimal | None:
        """How far the actual lies above (+) or below (-) the target, in percent."""
        actual = self.actual_measure
        if actual is None or actual.is_bound:
            return None
        return deviation(self.target_measure, actual)

    @computed_field(title="指标值为定性表述")
    @remembered
    def target_is_qualitative(self) -> bool | None:
        """Whether the target has no measurable number, date or rank; absent without a target."""
        return None if self.target is None else self.target_measure.kind is MeasureKind.QUALITATIVE

    @computed_field(title="实际值为定性表述")
    @remembered
    def actual_is_qualitative(self) -> bool | None:
        """Whether the actual value has no measurable number, date or rank; absent without one."""
        actual = self.actual_measure
        return None if actual is None else actual.kind is MeasureKind.QUALITATIVE

    @computed_field(title="实际值写作区间")
    @remembered
    def actual_is_bound(self) -> bool | None:
        """Whether the actual is written as a bound (``≥90%``): a target, not a measurement."""
        actual = self.actual_measure
        return None if actual is None else actual.is_bound

    @computed_field(title="按通用公式应得分")
    @remembered
    def expected_score(self) -> Decimal | None:
        """The score the common formula gives (domain.md): full marks when met, else pro rata.

        ≥ indicators: actual ÷ target × 分值; ≤ indicators: target ÷ actual × 分值; never above
        the 分值. None when the formula does not apply (no weight, no measurable actual).
        """
        return expected_score(self.weight, self.target_measure, self.actual_measure)

    @computed_field(title="零目标被突破")
    @remembered
    def zero_target_exceeded(self) -> bool | None:
        """For a target of zero (``0起``, ``≤0次``): whether the measured actual is above it.

        A deviation in percent of a zero target does not exist, so this says it plainly.
        """
        target, actual = self.target_measure, self.actual_measure
        zero = target.number == 0 and target.op in ("=", "<=", "<")
        if not zero or actual is None or actual.is_bound or not target.comparable_with(actual):
            return None
        return actual.number is not None and actual.number > 0

    @computed_field(title="逾期天数")
    @remembered
    def days_late(self) -> int | None:
        """For a date target with a date actual: days after the deadline (negative = early)."""
        target, actual = self.target_measure, self.actual_measure
        if actual is None or target.day is None or actual.day is None:
            return None
        return (actual.day - target.day).days
