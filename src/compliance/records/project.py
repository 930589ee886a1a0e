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

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
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
from compliance.core.numbers import MAX_ENGINE_ABS, YUAN_PER_WAN, agrees_as_written
from compliance.records import formulas
from compliance.records.vocabulary import EvaluationKind, Scope, Status, WorkKind


class MoneyMarker:
    """Marks a Decimal field as money in 万元 (the engine sees 元)."""


MONEY = MoneyMarker()
MAX_MONEY = MAX_ENGINE_ABS / YUAN_PER_WAN
"""The largest amount (万元) the engine can compare exactly; larger is surely a typo."""

BLANK_CELLS = frozenset({"", "——", "—", "-", "--", "/", "／"})
"""How tables write an empty cell. ``无`` is not among them: it is an answer ("none")."""


def is_blank(value: Any) -> bool:
    """Whether a cell as written is empty (``""``, ``——``, ``/``; ``None`` from ``null``)."""
    return value is None or (isinstance(value, str) and value.strip() in BLANK_CELLS)


def blank_to_none(value: Any) -> Any:
    """Read an empty cell (——, /, "") as no value; the field still counts as written.

    Why: pydantic's ``model_fields_set`` then tells an omitted field (unknown: the
    source does not say) from one written blank (the document was seen, the cell is
    empty), which is what ``absent`` conditions need.
    """
    return None if is_blank(value) else value


_GROUPING = re.compile(r"(?<=\d)[,，](?=\d{3}(?!\d))")


def read_number(value: Any) -> Any:
    """A number as a form prints it: ``1,200.50``, `` 85 ``, ``"9"``; a blank cell is no value."""
    if is_blank(value):
        return None
    if isinstance(value, str):
        text = _GROUPING.sub("", value.strip().replace(" ", ""))
        try:
            return Decimal(text)
        except InvalidOperation:
            return value
    return value


def read_money(value: Any) -> Any:
    """An amount in 万元; ``12,000元`` is read in 元 and converted exactly, ``3.36万元`` as is."""
    if isinstance(value, str) and not is_blank(value):
        text = value.strip().replace(" ", "")
        if text.endswith("万元"):
            return read_number(text[:-2])
        if text.endswith("元"):
            number = read_number(text[:-1])
            return number / YUAN_PER_WAN if isinstance(number, Decimal) else value
    return read_number(value)


def read_date(value: Any) -> Any:
    """A date as reports write it (``2019年1月10日``, ``2019-01-10``); a blank is no value."""
    if is_blank(value):
        return None
    if isinstance(value, str):
        m = re.fullmatch(
            r"\s*(\d{4})\s*[年\-/.]\s*(\d{1,2})\s*[月\-/.]\s*(\d{1,2})\s*日?\s*", value
        )
        if m:
            try:
                return dt.date(int(m[1]), int(m[2]), int(m[3]))
            except ValueError:
                return value
    return value


_MONEY_RANGE = Field(ge=0, lt=MAX_MONEY, allow_inf_nan=False)
Money = Annotated[Annotated[Decimal, _MONEY_RANGE] | None, BeforeValidator(read_money), MONEY]
"""An amount in 万元, or ``None``: unknown when omitted, blank when written empty."""
SignedMoney = Annotated[
    Annotated[Decimal, Field(gt=-MAX_MONEY, lt=MAX_MONEY, allow_inf_nan=False)] | None,
    BeforeValidator(read_money),
    MONEY,
]
Number = Annotated[
    Annotated[Decimal, Field(allow_inf_nan=False)] | None, BeforeValidator(read_number)
]
"""A number as printed (``"9"``, ``1,200.50``), or ``None``."""
Score = Annotated[
    Annotated[Decimal, Field(ge=0, allow_inf_nan=False)] | None, BeforeValidator(read_number)
]
"""A non-negative number (分值, 得分), or ``None``."""
Day = Annotated[dt.date | None, BeforeValidator(read_date)]


def read_percent(value: Any) -> Any:
    """``95.2%`` as written → 95.2 (keeping the places written); a blank cell is no value."""
    if isinstance(value, str):
        text = value.strip().rstrip("%％").strip()
        return read_number(text)
    return read_number(value)


Percent = Annotated[
    Annotated[Decimal, Field(ge=0, allow_inf_nan=False)] | None, BeforeValidator(read_percent)
]
"""A rate in percent as printed (``100.00%``, ``86%``, ``97``), or ``None``."""
Text = Annotated[str, Field(min_length=1)]


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
        """Where the record was written.

        Read from pydantic's store of private attributes directly: going through
        ``self._location`` costs a ``__getattr__`` fallback (~3 µs, once per finding).
        """
        private = self.__pydantic_private__
        where: Location | None = private.get("_location") if private else None
        return where

    def located(self, where: Location) -> None:
        """Remember where the record was written (set once by the loader)."""
        self._location = where


class ProjectInfo(Record):
    """The evaluated project or department as a whole (项目基本情况).

    Only the name is required: real documents are partial, and a field the source
    does not state stays unknown (omitted) rather than taking a placeholder.
    """

    kind = "project"
    label = "项目"
    derived_from: ClassVar[dict[str, tuple[str, ...]]] = {
        "execution_rate": ("spent", "budget"),
        "arrival_rate": ("funds_arrived", "budget"),
        "overspent": ("spent", "budget"),
        "stated_rate_agrees": ("stated_execution_rate", "spent", "budget"),
    }
    name: Text = Field(title="项目名称")
    scope: Annotated[Scope | None, BeforeValidator(Scope.lookup)] = Field(
        None, title="评价对象", description="项目支出 or 部门整体支出"
    )
    year: int | None = Field(None, title="年度", ge=1990, le=2100)
    region: str | None = Field(None, title="地区")
    department: str | None = Field(None, title="主管部门")
    implementing_unit: str | None = Field(None, title="实施单位")
    evaluation_kind: Annotated[EvaluationKind | None, BeforeValidator(EvaluationKind.lookup)] = (
        Field(None, title="评价类型")
    )
    evaluating_agency: str | None = Field(None, title="评价机构")
    commissioned_by: str | None = Field(None, title="委托方")
    report_date: Day = Field(None, title="报告日期")
    budget: Money = Field(None, title="预算数（万元）")
    funds_arrived: Money = Field(None, title="到位资金（万元）")
    spent: Money = Field(None, title="支出数（万元）")
    stated_execution_rate: Percent = Field(
        None, title="所述预算执行率（%）", description="the rate as the report states it"
    )
    goal: str | None = Field(None, title="总体目标")
    execution_note: str | None = Field(None, title="预算执行情况说明")

    _blank = field_validator(
        "goal",
        "execution_note",
        "department",
        "implementing_unit",
        "evaluating_agency",
        "commissioned_by",
        "region",
        mode="before",
    )(blank_to_none)

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
    def execution_base(self) -> Decimal | None:
        """What execution is measured against (:func:`formulas.execution_base`)."""
        return formulas.execution_base(self.budget, self.funds_arrived)

    @computed_field(title="资金到位率（%）")  # type: ignore[prop-decorator]
    @property
    def arrival_rate(self) -> Decimal | None:
        """Funds arrived over budget."""
        if self.funds_arrived is None or self.budget is None:
            return None
        return formulas.rate_percent(self.funds_arrived, self.budget)

    @computed_field(title="所述执行率与金额相符")  # type: ignore[prop-decorator]
    @property
    def stated_rate_agrees(self) -> bool | None:
        """Whether the stated rate is the amounts' rate to the places it is written with."""
        base = self.execution_base
        if self.stated_execution_rate is None or self.spent is None or not base:
            return None
        return agrees_as_written(self.stated_execution_rate, self.spent / base * 100)

    @computed_field(title="据以评价的预算执行率（%）")  # type: ignore[prop-decorator]
    @property
    def execution_rate_used(self) -> Decimal | None:
        """The rate from the amounts when known, else the rate the report states."""
        rate = self.execution_rate
        return rate if rate is not None else self.stated_execution_rate

    @computed_field(title="超出预算金额（万元）")  # type: ignore[prop-decorator]
    @property
    def overspent(self) -> Annotated[Decimal, MONEY] | None:
        """Spent minus budget when both are known (positive: spending above the budget)."""
        if self.spent is None or self.budget is None:
            return None
        return self.spent - self.budget


class SpendingArea(Record):
    """A spending area (支出领域) with its stated subtotals."""

    kind = "spending_area"
    label = "支出领域"
    code: Text = Field(title="编号")
    name: Text = Field(title="支出领域")
    budget: Money = Field(None, title="预算小计（万元）")
    spent: Money = Field(None, title="支出小计（万元）")

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
    derived_from: ClassVar[dict[str, tuple[str, ...]]] = {
        "execution_rate": ("spent", "budget"),
        "unspent": ("spent", "budget"),
    }
    number: int = Field(title="序号", ge=1)
    area: str | None = Field(None, title="支出领域")
    department: str | None = Field(None, title="业务处室")
    name: Text = Field(title="子项目名称")
    content: str | None = Field(None, title="主要工作内容")
    work_kind: Annotated[WorkKind, BeforeValidator(WorkKind.lookup)] | None = Field(
        None, title="工作类型"
    )
    budget: Money = Field(None, title="预算（万元）")
    spent: Money = Field(None, title="支出（万元）")
    status: Annotated[Status | None, BeforeValidator(Status.lookup)] = Field(None, title="完成状态")
    completion: str | None = Field(None, title="完成情况")
    note: str | None = Field(None, title="备注")
    transferred_to: str | None = Field(None, title="资金划转单位")
    transferred_amount: Money = Field(None, title="划转金额（万元）")

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
    def unspent(self) -> Annotated[Decimal, MONEY] | None:
        """Budget not spent."""
        if self.spent is None or self.budget is None:
            return None
        return self.budget - self.spent
