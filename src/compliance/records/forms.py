"""The self-evaluation form (项目支出绩效自评表): its summary and its funds table.

The header maps onto the project record (项目名称, 主管部门, 实施单位); the indicator
table onto indicators (which accept the form's column labels, and the provincial
form's 指标性质 and 度量单位). Both the central layout (全年预算数 | 全年执行数) and the
provincial one (调整后预算数 | 预算执行数 | 原因) load: fields accept either label.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Annotated, Any, ClassVar

from pydantic import (
    AliasChoices,
    BeforeValidator,
    Field,
    PrivateAttr,
    computed_field,
    field_validator,
)

from compliance.core.numbers import agrees_as_written
from compliance.core.remembered import remembered
from compliance.records import formulas
from compliance.records.project import MONEY, Money, Percent, Record, Score, blank_to_none
from compliance.records.vocabulary import Labeled


class FormLayout(Labeled):
    """Which printed form was filled."""

    CENTRAL = "central", "中央部门格式"
    PROVINCIAL = "provincial", "省级格式"
    DEPARTMENT = "department", "部门整体支出绩效自评表"
    NARRATIVE = "narrative", "评价报告正文", "报告"


class FundsRowKind(Labeled):
    """Rows of the funds table, in the central, the provincial (Sichuan) and the department forms."""

    TOTAL = "total", "年度资金总额", "资金总额", "合计", "总额", "年度财政资金总额"
    FISCAL = "fiscal", "本年财政拨款", "财政拨款", "当年财政拨款", "财政资金"
    CARRYOVER = "carryover", "上年结转资金", "上年结转"
    SPECIAL_ACCOUNT = "special_account", "财政专户管理资金"
    UNIT = "unit", "单位资金"
    OTHER = "other", "其他资金", "其他"
    BASIC = "basic", "基本支出"
    PROJECTS = "projects", "项目支出"

    @classmethod
    def lookup(cls, text: Any) -> Any:
        """Read the row label as printed: ``其中：本年财政拨款`` and ``年度资金总额:`` too."""
        if isinstance(text, str):
            text = re.sub(r"^\s*其中\s*[:：]?", "", text).strip().rstrip(":：").strip()
        return super().lookup(text)


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


_TEMPLATE_HINT = re.compile(r"[（(]\s*\d+\s*字以内\s*[)）]")
"""The printed hint of an empty form cell: ``说明……（200字以内）``."""


def hint_to_blank(value: Any) -> Any:
    """A cell that still holds the template's printed hint was left unfilled: read it as blank."""
    if isinstance(value, str) and _TEMPLATE_HINT.search(value):
        return None
    return blank_to_none(value)


class SelfEvaluation(Record):
    """What the form says of itself: goals, conclusion, claimed score and grade."""

    kind = "form"
    label = "自评表"
    layout: Annotated[FormLayout | None, BeforeValidator(FormLayout.lookup)] = Field(
        None, title="表样"
    )
    goal_expected: str | None = Field(
        None,
        title="预期目标",
        validation_alias=AliasChoices("goal_expected", "预期目标", "项目年度目标", "年初设定目标"),
    )
    goal_actual: str | None = Field(
        None,
        title="实际完成情况",
        validation_alias=AliasChoices(
            "goal_actual", "实际完成情况", "年度目标完成情况", "年度总体目标完成情况"
        ),
    )
    conclusion: str | None = Field(
        None,
        title="自评结论",
        validation_alias=AliasChoices("conclusion", "自评结论", "评价结论", "综合评价结论"),
    )
    claimed_score: Score = Field(
        None,
        title="自评得分",
        le=100,
        validation_alias=AliasChoices("claimed_score", "自评得分", "总分", "综合评分", "综合得分"),
    )
    claimed_grade: Annotated[Grade | None, BeforeValidator(Grade.lookup)] = Field(
        None,
        title="自评等级",
        validation_alias=AliasChoices("claimed_grade", "自评等级", "评价等级", "绩效评级"),
    )
    problems: str | None = Field(
        None,
        title="存在的问题",
        validation_alias=AliasChoices(
            "problems", "存在的问题", "存在问题", "偏差大或目标未完成原因分析"
        ),
    )
    measures: str | None = Field(
        None,
        title="改进措施",
        validation_alias=AliasChoices("measures", "改进措施", "改进措施及结果应用方案"),
    )
    project_lead: str | None = Field(
        None, title="项目负责人", validation_alias=AliasChoices("project_lead", "项目负责人")
    )
    finance_lead: str | None = Field(
        None, title="财务负责人", validation_alias=AliasChoices("finance_lead", "财务负责人")
    )
    sealed: bool | None = Field(
        None, title="已盖章", validation_alias=AliasChoices("sealed", "盖章")
    )

    _blank = field_validator(
        "goal_expected",
        "goal_actual",
        "conclusion",
        "problems",
        "measures",
        "project_lead",
        "finance_lead",
        mode="before",
    )(hint_to_blank)

    @property
    def key(self) -> str:
        return "form"

    @property
    def display_name(self) -> str:
        return "自评表"

    @computed_field(title="结论用语所示等级")
    @remembered
    def conclusion_grade(self) -> Grade | None:
        """The grade a written conclusion implies ("完成良好" → 良), if its words say one."""
        return None if self.conclusion is None else grade_of_words(self.conclusion)

    @computed_field(title="按得分应属等级")
    @remembered
    def grade_of_claimed_score(self) -> Grade | None:
        """The band the form's own total score falls in."""
        return None if self.claimed_score is None else Grade.of(self.claimed_score)


class FundsRow(Record):
    """A row of the form's funds table (万元), labelled as printed.

    The totals row is checked against its parts rather than trusted: when the
    loader has attached the parts (:meth:`attach_parts`) and they disagree with
    the printed total, ``matches_parts`` says the total is inconsistent; where the
    total is printed as zeros or blank while the parts hold money, the rates and
    the score are computed from the parts (a total printed as zeros
    does not make the execution rate zero).

    Only a total that cannot be the total (zero or blank while the parts hold
    money) is replaced; a total that merely differs is kept and reported.
    """

    kind = "form_funds"
    label = "自评表资金情况"
    derived_from: ClassVar[dict[str, tuple[str, ...]]] = {
        "rate_computed": ("budget", "spent"),
        "rate_agrees": ("rate", "budget", "spent"),
        "score_computed": ("budget", "spent", "weight"),
        "adjusted": ("initial_budget", "budget"),
        "adjustment": ("initial_budget", "budget"),
        "overspent": ("budget", "spent"),
    }
    row: Annotated[FundsRowKind, BeforeValidator(FundsRowKind.lookup)] = Field(
        title="项目", validation_alias=AliasChoices("row", "项目", "资金来源")
    )
    initial_budget: Money = Field(
        None,
        title="年初预算数（万元）",
        validation_alias=AliasChoices("initial_budget", "年初预算数", "年初预算", "年初预算数(A)"),
    )
    budget: Money = Field(
        None,
        title="全年预算数（万元）",
        validation_alias=AliasChoices(
            "budget", "全年预算数", "调整后预算数", "预算数(A)", "全年预算数(A)"
        ),
    )
    spent: Money = Field(
        None,
        title="全年执行数（万元）",
        validation_alias=AliasChoices(
            "spent", "全年执行数", "预算执行数", "执行数(B)", "全年执行数(B)"
        ),
    )
    weight: Score = Field(
        None, title="分值", validation_alias=AliasChoices("weight", "分值", "权重")
    )
    rate: Percent = Field(
        None,
        title="填报执行率（%）",
        validation_alias=AliasChoices("rate", "执行率", "预算执行率", "执行率(B/A)"),
    )
    score: Score = Field(None, title="得分", validation_alias=AliasChoices("score", "得分"))
    reason: str | None = Field(
        None, title="原因说明", validation_alias=AliasChoices("reason", "原因", "偏差原因")
    )

    _blank = field_validator("reason", mode="before")(hint_to_blank)
    _parts: tuple[FundsRow, ...] = PrivateAttr(())

    @property
    def key(self) -> str:
        return self.row.value

    @property
    def display_name(self) -> str:
        return self.row.label

    def attach_parts(self, rows: Iterable[FundsRow]) -> None:
        """Give the totals row its parts (set once by the loader).

        The computed fields are remembered once read (a fact reads each, and they read
        one another: ``rate_agrees`` → ``effective_budget`` → ``total_unusable`` →
        ``parts_budget``); any read before the parts came is forgotten here.
        """
        if self.row is FundsRowKind.TOTAL:
            self._parts = tuple(r for r in rows if r.row is not FundsRowKind.TOTAL)
        for name in type(self).model_computed_fields:
            self.__dict__.pop(name, None)

    def _parts_sum(self, name: str) -> Decimal | None:
        values = [getattr(r, name) for r in self._parts]
        known = [v for v in values if v is not None]
        return sum(known, Decimal(0)) if known else None

    @computed_field(title="分项预算合计（万元）")
    @remembered
    def parts_budget(self) -> Annotated[Decimal, MONEY] | None:
        """Sum of the parts' 全年预算数 (totals row only)."""
        return self._parts_sum("budget")

    @computed_field(title="分项执行合计（万元）")
    @remembered
    def parts_spent(self) -> Annotated[Decimal, MONEY] | None:
        """Sum of the parts' 全年执行数 (totals row only)."""
        return self._parts_sum("spent")

    @computed_field(title="总额与分项相符")
    @remembered
    def matches_parts(self) -> bool | None:
        """Whether the printed total equals its parts; unknown without parts or figures."""
        pairs = [(self.budget, self.parts_budget), (self.spent, self.parts_spent)]
        known = [
            (total, parts) for total, parts in pairs if total is not None and parts is not None
        ]
        if not known:
            return None
        return all(total == parts for total, parts in known)

    @computed_field(title="总额栏无数而分项有数")
    @remembered
    def total_unusable(self) -> bool | None:
        """Whether the printed total is zero or blank while its parts hold the money.

        Such a total cannot be the total: rates and scores then come from the parts,
        and FM01 reports the inconsistency. A total that merely differs from its
        parts is kept (which of the two is wrong is not known).
        """
        if self.row is not FundsRowKind.TOTAL or not self.parts_budget:
            return None
        return not self.budget

    @computed_field(title="据以计算的全年预算数（万元）")
    @remembered
    def effective_budget(self) -> Annotated[Decimal, MONEY] | None:
        """The budget the rates use: the parts' sum where the printed total is unusable."""
        return self.parts_budget if self.total_unusable else self.budget

    @computed_field(title="据以计算的全年执行数（万元）")
    @remembered
    def effective_spent(self) -> Annotated[Decimal, MONEY] | None:
        """The spending the rates use: the parts' sum where the printed total is unusable."""
        return self.parts_spent if self.total_unusable else self.spent

    @computed_field(title="按表内数据计算的执行率（%）")
    @remembered
    def rate_computed(self) -> Decimal | None:
        """全年执行数 ÷ 全年预算数, in percent (from the parts when the total is inconsistent)."""
        return formulas.execution_rate(self.effective_spent, self.effective_budget)

    @computed_field(title="填报执行率与表内数据相符（按填报精度）")
    @remembered
    def rate_agrees(self) -> bool | None:
        """Whether the printed rate is the table's rate to the places it is printed with (86% ≈ 86.2%)."""
        budget, spent = self.effective_budget, self.effective_spent
        if self.rate is None or budget is None or spent is None or not budget:
            return None
        return agrees_as_written(self.rate, spent / budget * 100)

    @computed_field(title="按公式应得分")
    @remembered
    def score_computed(self) -> Decimal | None:
        """min(执行率, 100 %) × 分值, from the rate as computed and printed (rate_computed)."""
        return formulas.execution_score(self.rate_computed, self.weight)

    @computed_field(title="年中调整预算")
    @remembered
    def adjusted(self) -> bool | None:
        """Whether the year's budget differs from the initial one."""
        if self.initial_budget is None or self.budget is None:
            return None
        return self.initial_budget != self.budget

    @computed_field(title="调整金额（万元）")
    @remembered
    def adjustment(self) -> Annotated[Decimal, MONEY] | None:
        """全年预算数 − 年初预算数."""
        if self.initial_budget is None or self.budget is None:
            return None
        return self.budget - self.initial_budget

    @computed_field(title="执行超出预算")
    @remembered
    def overspent(self) -> bool | None:
        """Whether 全年执行数 exceeds 全年预算数 (spending above the budget)."""
        budget, spent = self.effective_budget, self.effective_spent
        return None if budget is None or spent is None else spent > budget


_GRADE_WORDS: tuple[tuple[Grade, tuple[str, ...]], ...] = (
    (Grade.POOR, ("较差", "未完成", "未达到")),
    (Grade.FAIR, ("基本完成", "基本达到", "一般", "合格", "中等")),
    (Grade.EXCELLENT, ("优秀", "圆满完成", "全面完成", "完全符合", "评级为优", "为“优”")),
    (Grade.GOOD, ("良好", "较好", "完成好", "顺利完成")),
)


def grade_of_words(text: str) -> Grade | None:
    """The grade a narrative conclusion claims, read from its evaluative words.

    Why: "总体完成较好" is a claim of 良 whatever the figures say; rules compare that
    claim with the rates. The strongest word wins: a conclusion that says "完成良好"
    and "基本完成" claims 良.
    """
    found = {grade for grade, words in _GRADE_WORDS if any(w in text for w in words)}
    for grade in (Grade.EXCELLENT, Grade.GOOD, Grade.FAIR, Grade.POOR):
        if grade in found:
            return grade
    return None
