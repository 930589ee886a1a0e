"""The records of one evaluated project, as pydantic models.

Every model forbids unknown fields so a typo is an error, not a silently missing
value. Money is ``Decimal`` in 万元 as the tables state it. Derived values
(execution rates, deviations, missing attachments) are computed fields: they are
what rules compare, and they are computed exactly here rather than in the engine.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import cached_property
from typing import Annotated, Any, ClassVar

from pydantic import (
    AliasChoices,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    computed_field,
    field_validator,
    model_validator,
)

from compliance.errors import Location
from compliance.labels import (
    AdjustmentKind,
    Attachment,
    Conductor,
    Dimension,
    DocumentType,
    EvaluationKind,
    Level1,
    Status,
    WorkKind,
)
from compliance.numeric import percent
from compliance.quantities import Measure, MeasureKind, deviation, parse_measure
from compliance.scores import expected_score


class MoneyMarker:
    """Marks a Decimal field as money in 万元 (the engine sees 元)."""


MONEY = MoneyMarker()
Money = Annotated[Decimal, MONEY, Field(ge=0, allow_inf_nan=False)]
SignedMoney = Annotated[Decimal, MONEY, Field(allow_inf_nan=False)]
Text = Annotated[str, Field(min_length=1)]

_BLANKS = {"", "——", "—", "-", "--", "/", "无"}


def blank_to_none(value: Any) -> Any:
    """Read the placeholders tables use for an empty cell (——, /, 无) as no value."""
    if isinstance(value, str) and value.strip() in _BLANKS:
        return None
    return value


class Record(BaseModel):
    """A record of one kind; ``kind`` names it in rules and facts."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)
    kind: ClassVar[str]
    label: ClassVar[str]
    source: str | None = Field(None, title="资料来源")
    _location: Location | None = PrivateAttr(None)

    @property
    def key(self) -> str:
        """Identity of the record within its kind."""
        raise NotImplementedError

    @property
    def display_name(self) -> str:
        """How the record is named in a finding."""
        return self.key

    @property
    def location(self) -> Location | None:
        """Where the record was written."""
        return self._location

    def located(self, where: Location) -> None:
        """Remember where the record was written (set once by the loader)."""
        self._location = where


class ProjectInfo(Record):
    """The evaluated project as a whole (项目基本情况)."""

    kind = "project"
    label = "项目"
    name: Text = Field(title="项目名称")
    year: int = Field(title="年度", ge=1990, le=2100)
    department: Text = Field(title="主管部门")
    implementing_unit: str | None = Field(None, title="实施单位")
    evaluation_kind: Annotated[EvaluationKind, BeforeValidator(EvaluationKind.lookup)] = Field(
        title="评价类型"
    )
    budget: Money = Field(title="预算数（万元）")
    funds_arrived: Money | None = Field(None, title="到位资金（万元）")
    spent: Money = Field(title="支出数（万元）")
    goal: str | None = Field(None, title="总体目标")
    execution_note: str | None = Field(None, title="预算执行情况说明")

    _blank = field_validator("goal", "execution_note", mode="before")(blank_to_none)

    @property
    def key(self) -> str:
        return "project"

    @property
    def display_name(self) -> str:
        return self.name

    @computed_field(title="预算执行率（%）")  # type: ignore[prop-decorator]
    @property
    def execution_rate(self) -> Decimal | None:
        """Spent over funds arrived (or over the budget when arrivals are unknown)."""
        base = self.funds_arrived if self.funds_arrived is not None else self.budget
        return percent(self.spent, base)

    @computed_field(title="资金到位率（%）")  # type: ignore[prop-decorator]
    @property
    def arrival_rate(self) -> Decimal | None:
        """Funds arrived over budget."""
        return None if self.funds_arrived is None else percent(self.funds_arrived, self.budget)


class SpendingArea(Record):
    """A spending area (支出领域) with its stated subtotals."""

    kind = "spending_area"
    label = "支出领域"
    code: Text = Field(title="编号")
    name: Text = Field(title="支出领域")
    budget: Money = Field(title="预算小计（万元）")
    spent: Money = Field(title="支出小计（万元）")

    @property
    def key(self) -> str:
        return self.code

    @property
    def display_name(self) -> str:
        return self.name


class SubProject(Record):
    """A sub-project (子项目) row of the task and funds tables."""

    kind = "sub_project"
    label = "子项目"
    number: int = Field(title="序号", ge=1)
    area: str | None = Field(None, title="支出领域")
    department: str | None = Field(None, title="业务处室")
    name: Text = Field(title="子项目名称")
    content: str | None = Field(None, title="主要工作内容")
    work_kind: Annotated[WorkKind, BeforeValidator(WorkKind.lookup)] | None = Field(
        None, title="工作类型"
    )
    budget: Money = Field(title="预算（万元）")
    spent: Money = Field(title="支出（万元）")
    status: Annotated[Status, BeforeValidator(Status.lookup)] = Field(title="完成状态")
    completion: str | None = Field(None, title="完成情况")
    note: str | None = Field(None, title="备注")
    transferred_to: str | None = Field(None, title="资金划转单位")
    transferred_amount: Money | None = Field(None, title="划转金额（万元）")

    _blank = field_validator("department", "note", "completion", "transferred_to", mode="before")(
        blank_to_none
    )

    @model_validator(mode="after")
    def _transfer_has_amount(self) -> SubProject:
        if (self.transferred_to is None) != (self.transferred_amount is None):
            raise ValueError(
                "transferred_to and transferred_amount go together: give both or neither"
            )
        return self

    @property
    def key(self) -> str:
        return str(self.number)

    @property
    def display_name(self) -> str:
        return f"{self.number}. {self.name}"

    @computed_field(title="预算执行率（%）")  # type: ignore[prop-decorator]
    @property
    def execution_rate(self) -> Decimal | None:
        """Spent over budget, in percent."""
        return percent(self.spent, self.budget)

    @computed_field(title="结余（万元）")  # type: ignore[prop-decorator]
    @property
    def unspent(self) -> Annotated[Decimal, MONEY]:
        """Budget not spent."""
        return self.budget - self.spent


_COLUMNS = {
    "nature": ("nature", "指标性质"),
    "unit": ("unit", "度量单位"),
    "target": ("target", "年度指标值", "指标值"),
    "actual": ("actual", "实际完成值"),
}


class Indicator(Record):
    """A performance indicator (绩效指标) with its target and actual as written."""

    kind = "indicator"
    label = "绩效指标"
    code: Text = Field(title="编号")
    level1: Annotated[Level1, BeforeValidator(Level1.lookup)] = Field(
        title="一级指标", validation_alias=AliasChoices("level1", "一级指标")
    )
    level2: Annotated[Dimension, BeforeValidator(Dimension.lookup)] = Field(
        title="二级指标", validation_alias=AliasChoices("level2", "二级指标")
    )
    name: Text = Field(title="三级指标", validation_alias=AliasChoices("name", "三级指标"))
    nature: str | None = Field(
        None, title="指标性质", validation_alias=AliasChoices("nature", "指标性质")
    )
    target: Text = Field(
        title="指标值", validation_alias=AliasChoices("target", "年度指标值", "指标值")
    )
    unit: str | None = Field(
        None, title="度量单位", validation_alias=AliasChoices("unit", "度量单位")
    )
    actual: str | None = Field(
        None, title="实际完成值", validation_alias=AliasChoices("actual", "实际完成值")
    )
    weight: Decimal | None = Field(
        None, title="分值", ge=0, validation_alias=AliasChoices("weight", "分值")
    )
    score: Decimal | None = Field(
        None, title="得分", ge=0, validation_alias=AliasChoices("score", "得分")
    )
    deviation_reason: str | None = Field(
        None,
        title="偏差原因",
        validation_alias=AliasChoices("deviation_reason", "偏差原因分析及改进措施", "偏差原因"),
    )
    evidence: str | None = Field(None, title="佐证材料")
    work_kind: Annotated[WorkKind, BeforeValidator(WorkKind.lookup)] | None = Field(
        None, title="考核的工作类型"
    )

    _blank = field_validator(
        "actual", "deviation_reason", "evidence", "nature", "unit", mode="before"
    )(blank_to_none)

    @property
    def key(self) -> str:
        return self.code

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
        found = {
            name: next((k for k in keys if k in data), None) for name, keys in _COLUMNS.items()
        }
        nature = data.get(found["nature"]) if found["nature"] else None
        unit = data.get(found["unit"]) if found["unit"] else None
        if nature is None and unit is None:
            return data
        data = dict(data)
        nature_text = (
            "" if str(nature or "").strip() in ("", "定性", "=", "＝") else str(nature).strip()
        )
        unit_text = str(unit or "").strip()
        for name in ("target", "actual"):
            key = found[name]
            value = data.get(key) if key else None
            if value is None or str(value).strip() in _BLANKS:
                continue
            text = str(value).strip()
            if (
                unit_text
                and parse_measure(text).unit == ""
                and parse_measure(text).number is not None
            ):
                text += unit_text
            if name == "target" and nature_text and not text.startswith(nature_text):
                text = nature_text + text
            data[key] = text
        return data

    @cached_property
    def target_measure(self) -> Measure:
        """The target, parsed."""
        return parse_measure(self.target)

    @cached_property
    def actual_measure(self) -> Measure | None:
        """The actual value, parsed, if one was given."""
        return None if self.actual is None else parse_measure(self.actual)

    @computed_field(title="指标值类型")  # type: ignore[prop-decorator]
    @property
    def target_kind(self) -> MeasureKind:
        """quantity, percent, date, rank or qualitative."""
        return self.target_measure.kind

    @computed_field(title="指标值方向")  # type: ignore[prop-decorator]
    @property
    def target_op(self) -> str:
        """The operator of the target: >=, <=, >, < or =."""
        return self.target_measure.op

    @computed_field(title="指标值（规范化）")  # type: ignore[prop-decorator]
    @property
    def target_normalized(self) -> str:
        """The target in canonical form, equal for targets that mean the same."""
        return self.target_measure.normalized

    @computed_field(title="指标值计量单位")  # type: ignore[prop-decorator]
    @property
    def target_unit(self) -> str:
        """The target's unit (base unit after conversion)."""
        return self.target_measure.unit

    @computed_field(title="实际值类型")  # type: ignore[prop-decorator]
    @property
    def actual_kind(self) -> MeasureKind | None:
        """quantity, percent, date, rank or qualitative; absent without an actual."""
        measure = self.actual_measure
        return None if measure is None else measure.kind

    @computed_field(title="偏离度（%）")  # type: ignore[prop-decorator]
    @property
    def deviation_pct(self) -> Decimal | None:
        """How far the actual lies above (+) or below (-) the target, in percent."""
        actual = self.actual_measure
        if actual is None or actual.is_bound:
            return None
        return deviation(self.target_measure, actual)

    @computed_field(title="指标值为定性表述")  # type: ignore[prop-decorator]
    @property
    def target_is_qualitative(self) -> bool:
        """Whether the target has no measurable number, date or rank."""
        return self.target_measure.kind is MeasureKind.QUALITATIVE

    @computed_field(title="实际值为定性表述")  # type: ignore[prop-decorator]
    @property
    def actual_is_qualitative(self) -> bool | None:
        """Whether the actual value has no measurable number, date or rank; absent without one."""
        actual = self.actual_measure
        return None if actual is None else actual.kind is MeasureKind.QUALITATIVE

    @computed_field(title="实际值写作区间")  # type: ignore[prop-decorator]
    @property
    def actual_is_bound(self) -> bool | None:
        """Whether the actual is written as a bound (``≥90%``): a target, not a measurement."""
        actual = self.actual_measure
        return None if actual is None else actual.is_bound

    @computed_field(title="按通用公式应得分")  # type: ignore[prop-decorator]
    @property
    def expected_score(self) -> Decimal | None:
        """The score the common formula gives (domain.md): full marks when met, else pro rata.

        ≥ indicators: actual ÷ target × 分值; ≤ indicators: target ÷ actual × 分值; never above
        the 分值. None when the formula does not apply (no weight, no measurable actual).
        """
        return expected_score(self.weight, self.target_measure, self.actual_measure)

    @computed_field(title="逾期天数")  # type: ignore[prop-decorator]
    @property
    def days_late(self) -> int | None:
        """For a date target with a date actual: days after the deadline (negative = early)."""
        target, actual = self.target_measure, self.actual_measure
        if actual is None or target.day is None or actual.day is None:
            return None
        return (actual.day - target.day).days


class Document(Record):
    """An entry of the document register: present or looked for and not found."""

    kind = "document"
    label = "文件资料"
    type: Annotated[DocumentType, BeforeValidator(DocumentType.lookup)] = Field(title="资料类型")
    title: str | None = Field(None, title="名称")
    present: bool = Field(True, title="是否具备")
    date: dt.date | None = Field(None, title="日期")
    signed: bool | None = Field(None, title="已签字")
    sealed: bool | None = Field(None, title="已盖章")
    archive_ref: str | None = Field(None, title="档案号")
    note: str | None = Field(None, title="说明")

    @property
    def key(self) -> str:
        return self.archive_ref or f"{self.type.value}"

    @property
    def display_name(self) -> str:
        return self.title or self.type.label


class Acceptance(Record):
    """An acceptance form (验收单) of a sub-project or contract."""

    kind = "acceptance"
    label = "验收单"
    code: Text = Field(title="编号")
    sub_project: int | None = Field(None, title="子项目序号")
    date: dt.date | None = Field(None, title="验收日期")
    date_stated: bool | None = Field(
        None,
        title="验收单填有日期",
        description="true when the form states a date not transcribed here",
    )
    signed: bool | None = Field(None, title="已签字")
    sealed: bool | None = Field(None, title="已盖章")
    passed: bool | None = Field(None, title="验收合格")
    note: str | None = Field(None, title="说明")

    @property
    def key(self) -> str:
        return self.code

    @computed_field(title="已填验收日期")  # type: ignore[prop-decorator]
    @property
    def has_date(self) -> bool:
        """Whether the form states its acceptance date."""
        return self.date is not None or bool(self.date_stated)


class Payment(Record):
    """A payment voucher (记账凭证) with its attachment checklist."""

    kind = "payment"
    label = "记账凭证"
    voucher: Text = Field(title="凭证号")
    sub_project: int | None = Field(None, title="子项目序号")
    date: dt.date | None = Field(None, title="支付日期")
    amount: Money | None = Field(None, title="金额（万元）")
    payee: str | None = Field(None, title="收款单位")
    approval_date: dt.date | None = Field(None, title="审批日期")
    attachments: dict[Annotated[Attachment, BeforeValidator(Attachment.lookup)], bool] = Field(
        default_factory=dict, title="附件"
    )

    @property
    def key(self) -> str:
        return self.voucher

    @computed_field(title="缺少的附件")  # type: ignore[prop-decorator]
    @property
    def missing_attachments(self) -> str | None:
        """Labels of the attachments marked missing, joined; absent when complete."""
        missing = [a.label for a, present in self.attachments.items() if not present]
        return "、".join(missing) if missing else None

    @computed_field(title="缺少附件数")  # type: ignore[prop-decorator]
    @property
    def missing_attachment_count(self) -> int:
        """How many attachments are marked missing."""
        return sum(1 for present in self.attachments.values() if not present)


class Approval(Record):
    """An approval document (批复/审批) that adjustments and payments can cite."""

    kind = "approval"
    label = "审批文件"
    ref: Text = Field(title="文号")
    date: dt.date | None = Field(None, title="审批日期")
    issued_by: str | None = Field(None, title="审批单位")
    subject: str | None = Field(None, title="审批事项")

    @property
    def key(self) -> str:
        return self.ref


class Adjustment(Record):
    """A change of tasks or budget during the year (调整)."""

    kind = "adjustment"
    label = "调整事项"
    code: Text = Field(title="编号")
    sub_project: int | None = Field(None, title="子项目序号")
    what: Annotated[AdjustmentKind, BeforeValidator(AdjustmentKind.lookup)] = Field(
        title="调整类型"
    )
    description: Text = Field(title="调整内容")
    amount: Money | None = Field(None, title="涉及金额（万元）")
    approved: bool = Field(False, title="已履行审批")
    approval_ref: str | None = Field(None, title="审批文号")

    _blank = field_validator("approval_ref", mode="before")(blank_to_none)

    @property
    def key(self) -> str:
        return self.code

    @property
    def display_name(self) -> str:
        return self.description


class Survey(Record):
    """A satisfaction survey (满意度调查)."""

    kind = "survey"
    label = "满意度调查"
    code: Text = Field(title="编号")
    conducted_by: Annotated[Conductor, BeforeValidator(Conductor.lookup)] = Field(title="调查主体")
    date: dt.date | None = Field(None, title="调查日期")
    respondents: int | None = Field(None, title="有效样本数", ge=0)
    satisfaction: Decimal | None = Field(None, title="满意度（%）", ge=0, le=100)
    note: str | None = Field(None, title="说明")

    @property
    def key(self) -> str:
        return self.code


class Statement(Record):
    """A figure stated somewhere in the record, for cross-checking its other statements."""

    kind = "statement"
    label = "数据表述"
    code: Text = Field(title="编号")
    quantity: Text = Field(title="所述事项")
    value: Text = Field(title="所述数值")
    place: Text = Field(title="出处")

    @property
    def key(self) -> str:
        return self.code

    @property
    def display_name(self) -> str:
        return f"{self.quantity}（{self.place}）"

    @computed_field(title="数值（基本单位）")  # type: ignore[prop-decorator]
    @property
    def base_value(self) -> Decimal | None:
        """The number converted to its base unit (T and TB alike)."""
        return parse_measure(self.value).number

    @computed_field(title="基本单位")  # type: ignore[prop-decorator]
    @property
    def base_unit(self) -> str:
        """The base unit, so that only like figures are compared."""
        return parse_measure(self.value).unit

    @computed_field(title="是否为满意度")  # type: ignore[prop-decorator]
    @property
    def is_satisfaction(self) -> bool:
        """Whether the figure states a satisfaction rate (满意度/满意率 in percent)."""
        rate = "满意度" in self.quantity or "满意率" in self.quantity
        return rate and parse_measure(self.value).kind is MeasureKind.PERCENT
