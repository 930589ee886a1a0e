"""The self-evaluation form (项目支出绩效自评表): its summary and its funds table.

The header maps onto the project record (项目名称, 主管部门, 实施单位); the indicator
table onto indicators (which accept the form's column labels, and the provincial
form's 指标性质 and 度量单位). Both the central layout (全年预算数 | 全年执行数) and the
provincial one (调整后预算数 | 预算执行数 | 原因) load: fields accept either label.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from pydantic import AliasChoices, BeforeValidator, Field, computed_field, field_validator

from compliance.records import formulas
from compliance.records.project import MONEY, Money, Record, blank_to_none
from compliance.records.vocabulary import Labeled


class FormLayout(Labeled):
    """Which printed form was filled."""

    CENTRAL = "central", "中央部门格式"
    PROVINCIAL = "provincial", "省级格式"


class FundsRowKind(Labeled):
    """Rows of the funds table."""

    TOTAL = "total", "年度资金总额", "资金总额", "合计"
    FISCAL = "fiscal", "本年财政拨款", "财政拨款", "其中：本年财政拨款"
    CARRYOVER = "carryover", "上年结转资金", "上年结转"
    OTHER = "other", "其他资金"


class Grade(Labeled):
    """A grade as forms write it; the bands are :data:`formulas.GRADE_BANDS`."""

    EXCELLENT = "excellent", "优", "优秀"
    GOOD = "good", "良", "良好"
    FAIR = "fair", "中", "中等", "合格"
    POOR = "poor", "差", "较差", "不合格"

    @classmethod
    def of(cls, score: Decimal) -> Grade:
        """The band a score falls in."""
        label = formulas.grade_of(score)
        return next(grade for grade in cls if grade.label == label)


def _percent_text(value: Any) -> Any:
    """``95.2%`` as written on the form → 95.2."""
    if isinstance(value, str):
        text = value.strip().rstrip("%％").strip()
        return None if text in ("", "—", "——", "-") else text
    return value


Percent = Annotated[Decimal, BeforeValidator(_percent_text), Field(ge=0, allow_inf_nan=False)]


class SelfEvaluation(Record):
    """What the form says of itself: goals, conclusion, claimed score and grade."""

    kind = "form"
    label = "自评表"
    layout: Annotated[FormLayout, BeforeValidator(FormLayout.lookup)] = Field(
        FormLayout.CENTRAL, title="表样"
    )
    goal_expected: str | None = Field(
        None, title="预期目标", validation_alias=AliasChoices("goal_expected", "预期目标")
    )
    goal_actual: str | None = Field(
        None, title="实际完成情况", validation_alias=AliasChoices("goal_actual", "实际完成情况")
    )
    conclusion: str | None = Field(
        None, title="自评结论", validation_alias=AliasChoices("conclusion", "自评结论")
    )
    claimed_score: Decimal | None = Field(
        None,
        title="自评得分",
        ge=0,
        le=100,
        validation_alias=AliasChoices("claimed_score", "自评得分", "总分"),
    )
    claimed_grade: Annotated[Grade, BeforeValidator(Grade.lookup)] | None = Field(
        None,
        title="自评等级",
        validation_alias=AliasChoices("claimed_grade", "自评等级", "评价等级"),
    )
    problems: str | None = Field(
        None, title="存在的问题", validation_alias=AliasChoices("problems", "存在的问题")
    )
    measures: str | None = Field(
        None, title="改进措施", validation_alias=AliasChoices("measures", "改进措施")
    )

    _blank = field_validator(
        "goal_expected", "goal_actual", "conclusion", "problems", "measures", mode="before"
    )(blank_to_none)

    @property
    def key(self) -> str:
        return "form"

    @property
    def display_name(self) -> str:
        return "自评表"

    @computed_field(title="按得分应属等级")  # type: ignore[prop-decorator]
    @property
    def grade_of_claimed_score(self) -> Grade | None:
        """The band the form's own total score falls in."""
        return None if self.claimed_score is None else Grade.of(self.claimed_score)


class FundsRow(Record):
    """A row of the form's funds table (万元)."""

    kind = "form_funds"
    label = "自评表资金情况"
    row: Annotated[FundsRowKind, BeforeValidator(FundsRowKind.lookup)] = Field(
        title="项目", validation_alias=AliasChoices("row", "项目")
    )
    initial_budget: Money | None = Field(
        None,
        title="年初预算数（万元）",
        validation_alias=AliasChoices("initial_budget", "年初预算数", "年初预算"),
    )
    budget: Money = Field(
        title="全年预算数（万元）",
        validation_alias=AliasChoices("budget", "全年预算数", "调整后预算数"),
    )
    spent: Money = Field(
        title="全年执行数（万元）",
        validation_alias=AliasChoices("spent", "全年执行数", "预算执行数"),
    )
    weight: Decimal | None = Field(
        None, title="分值", ge=0, validation_alias=AliasChoices("weight", "分值")
    )
    rate: Percent | None = Field(
        None, title="填报执行率（%）", validation_alias=AliasChoices("rate", "执行率")
    )
    score: Decimal | None = Field(
        None, title="得分", ge=0, validation_alias=AliasChoices("score", "得分")
    )
    reason: str | None = Field(
        None, title="原因说明", validation_alias=AliasChoices("reason", "原因", "偏差原因")
    )

    _blank = field_validator("reason", mode="before")(blank_to_none)

    @property
    def key(self) -> str:
        return self.row.value

    @property
    def display_name(self) -> str:
        return self.row.label

    @computed_field(title="按表内数据计算的执行率（%）")  # type: ignore[prop-decorator]
    @property
    def rate_computed(self) -> Decimal | None:
        """全年执行数 ÷ 全年预算数, in percent."""
        return formulas.execution_rate(self.spent, self.budget)

    @computed_field(title="按公式应得分")  # type: ignore[prop-decorator]
    @property
    def score_computed(self) -> Decimal | None:
        """min(执行率, 100 %) × 分值, from the rate as computed and printed (rate_computed)."""
        return formulas.execution_score(self.rate_computed, self.weight)

    @computed_field(title="年中调整预算")  # type: ignore[prop-decorator]
    @property
    def adjusted(self) -> bool | None:
        """Whether the year's budget differs from the initial one."""
        return None if self.initial_budget is None else self.initial_budget != self.budget

    @computed_field(title="调整金额（万元）")  # type: ignore[prop-decorator]
    @property
    def adjustment(self) -> Annotated[Decimal, MONEY] | None:
        """全年预算数 − 年初预算数."""
        return None if self.initial_budget is None else self.budget - self.initial_budget
