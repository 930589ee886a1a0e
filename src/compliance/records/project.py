"""The records of one evaluated project, as pydantic models: the base and the project's shape.

Every model forbids unknown fields so a typo is an error, not a silently missing
value. Money is ``Decimal`` in 万元 as the tables state it. Derived values
(execution rates, deviations, missing attachments) are computed fields: they are
what rules compare, and they are computed exactly here rather than in the engine.
Indicators live in :mod:`compliance.records.indicators`, the document and process
registers in :mod:`compliance.records.registers`, the self-evaluation form in
:mod:`compliance.records.forms`.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any, ClassVar

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    computed_field,
    field_validator,
    model_validator,
)

from compliance.core.errors import Location
from compliance.core.numbers import MAX_ENGINE_ABS, YUAN_PER_WAN
from compliance.records import formulas
from compliance.records.vocabulary import EvaluationKind, Status, WorkKind


class MoneyMarker:
    """Marks a Decimal field as money in 万元 (the engine sees 元)."""


MONEY = MoneyMarker()
MAX_MONEY = MAX_ENGINE_ABS / YUAN_PER_WAN
"""The largest amount (万元) the engine can compare exactly; larger is surely a typo."""
Money = Annotated[Decimal, MONEY, Field(ge=0, lt=MAX_MONEY, allow_inf_nan=False)]
SignedMoney = Annotated[Decimal, MONEY, Field(gt=-MAX_MONEY, lt=MAX_MONEY, allow_inf_nan=False)]
Text = Annotated[str, Field(min_length=1)]

BLANK_CELLS = {"", "——", "—", "-", "--", "/", "无"}


def blank_to_none(value: Any) -> Any:
    """Read the placeholders tables use for an empty cell (——, /, 无) as no value."""
    if isinstance(value, str) and value.strip() in BLANK_CELLS:
        return None
    return value


class Record(BaseModel):
    """A record of one kind; ``kind`` names it in rules and facts."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)
    kind: ClassVar[str]
    label: ClassVar[str]
    derived_from: ClassVar[dict[str, tuple[str, ...]]] = {}
    """For each computed field, the stored fields it reads (unknown inputs → unknown value)."""
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

    def blank_fields(self) -> frozenset[str]:
        """Computed fields that the record states as empty (stored ones: see ``model_fields_set``).

        Why: a computed field's emptiness depends on the stored fields it reads; a
        record kind overrides this where a computed field can be known to be empty.
        """
        return frozenset()


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
        return formulas.execution_rate(self.spent, self.execution_base)

    @property
    def execution_base(self) -> Decimal:
        """What execution is measured against (:func:`formulas.execution_base`)."""
        return formulas.execution_base(self.budget, self.funds_arrived)

    @computed_field(title="资金到位率（%）")  # type: ignore[prop-decorator]
    @property
    def arrival_rate(self) -> Decimal | None:
        """Funds arrived over budget."""
        if self.funds_arrived is None:
            return None
        return formulas.rate_percent(self.funds_arrived, self.budget)


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
        """Spent over budget, in percent: what FN04 compares, charts colour and tables print."""
        return formulas.execution_rate(self.spent, self.budget)

    @computed_field(title="结余（万元）")  # type: ignore[prop-decorator]
    @property
    def unspent(self) -> Annotated[Decimal, MONEY]:
        """Budget not spent."""
        return self.budget - self.spent
