"""The registers an evaluator works through.

Documents, acceptance forms, vouchers, approvals, adjustments, surveys, and the
figures stated in the record (for cross-checking).
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Annotated

from pydantic import BeforeValidator, Field, PrivateAttr, computed_field, field_validator

from compliance.core.numbers import agrees_as_written, half_unit, percent
from compliance.records.project import Day, Money, Record, Text, blank_to_none
from compliance.records.quantities import Measure, MeasureKind, parse_measure
from compliance.records.vocabulary import AdjustmentKind, Attachment, Conductor, DocumentType


class Document(Record):
    """An entry of the document register: present or looked for and not found."""

    kind = "document"
    label = "文件资料"
    code: str | None = Field(None, title="编号")
    type: Annotated[DocumentType, BeforeValidator(DocumentType.lookup)] = Field(title="资料类型")
    title: str | None = Field(None, title="名称")
    present: bool = Field(
        True, title="是否具备", description="a listed document is there unless the source says not"
    )
    date: Day = Field(None, title="日期")
    ref: str | None = Field(None, title="文号")
    signed: bool | None = Field(None, title="已签字")
    sealed: bool | None = Field(None, title="已盖章")
    archive_ref: str | None = Field(None, title="档案号")
    note: str | None = Field(None, title="说明")
    _ordinal: int = PrivateAttr(1)

    @property
    def key(self) -> str:
        """The code or archive reference; else the type, numbered when the type repeats."""
        base = self.code or self.archive_ref or f"{self.type.value}"
        return base if self._ordinal == 1 else f"{base}-{self._ordinal}"

    @property
    def key_is_derived(self) -> bool:
        """Whether the key comes from the type (two such documents are two records)."""
        return not (self.code or self.archive_ref)

    def number_as(self, ordinal: int) -> None:
        """Tell this document apart from earlier ones of its type (set once by the loader)."""
        self._ordinal = ordinal

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
    what: Annotated[AdjustmentKind | None, BeforeValidator(AdjustmentKind.lookup)] = Field(
        None, title="调整类型"
    )
    description: Text = Field(title="调整内容")
    amount: Money | None = Field(None, title="涉及金额（万元）")
    approved: bool | None = Field(
        None, title="已履行审批", description="unknown unless the source says yes or no"
    )
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
    conducted: bool = Field(
        True,
        title="已开展",
        description="false where the source states that no survey was carried out (未开展)",
    )
    conducted_by: Annotated[Conductor | None, BeforeValidator(Conductor.lookup)] = Field(
        None, title="调查主体"
    )
    date: dt.date | None = Field(None, title="调查日期")
    respondents: int | None = Field(None, title="有效样本数", ge=0)
    satisfaction: Decimal | None = Field(None, title="满意度（%）", ge=0, le=100)
    note: str | None = Field(None, title="说明")

    @property
    def key(self) -> str:
        return self.code


class Statement(Record):
    """A figure stated somewhere in the record, with what it is a part of.

    Narrative reports carry their figures in paragraphs (专项资金310.50万元，支出201.80万元，
    预算执行率65%); each becomes a statement. ``part_of`` names the statement whose
    total this figure is a part of, and ``rate_of`` the two statements a stated rate
    is computed from, so rules reconcile parts with stated totals and rates with
    their amounts. Both use the one tolerance policy (:func:`compliance.core.numbers.half_unit`):
    the precision the document writes.
    """

    kind = "statement"
    label = "数据表述"
    code: Text = Field(title="编号")
    quantity: Text = Field(title="所述事项")
    value: Text = Field(title="所述数值")
    place: str | None = Field(None, title="出处")
    ref: str | None = Field(None, title="所引文号")
    part_of: str | None = Field(None, title="所属合计（编号）")
    rate_of: tuple[str, str] | None = Field(
        None, title="比率的分子与分母（编号）", description="[numerator code, denominator code]"
    )
    listed: tuple[str, ...] | None = Field(
        None, title="所列名目", description="the items the document lists for a stated count"
    )
    _parts: tuple[Statement, ...] = PrivateAttr(())
    _rate_terms: tuple[Statement, Statement] | None = PrivateAttr(None)

    @field_validator("value", mode="before")
    @classmethod
    def _as_text(cls, value: object) -> object:
        return str(value) if isinstance(value, (int, float, Decimal)) else value

    @property
    def key(self) -> str:
        return self.code

    @property
    def display_name(self) -> str:
        return f"{self.quantity}（{self.place}）" if self.place else self.quantity

    def link(self, parts: list[Statement], rate_terms: tuple[Statement, Statement] | None) -> None:
        """Attach the parts and the rate's terms (set once by the loader)."""
        self._parts = tuple(parts)
        self._rate_terms = rate_terms

    @property
    def measure(self) -> Measure:
        """The value, parsed."""
        return parse_measure(self.value)

    @computed_field(title="数值（基本单位）")  # type: ignore[prop-decorator]
    @property
    def base_value(self) -> Decimal | None:
        """The number converted to its base unit (T and TB alike)."""
        return self.measure.number

    @computed_field(title="基本单位")  # type: ignore[prop-decorator]
    @property
    def base_unit(self) -> str:
        """The base unit, so that only like figures are compared."""
        return self.measure.unit

    @property
    def _factor(self) -> Decimal:
        """From the number as written to the base unit (万元 → 元: 10000)."""
        measure, written = self.measure, _written_number(self.value)
        if measure.number is None or not written:
            return Decimal(1)
        return abs(measure.number / written)

    @property
    def slack(self) -> Decimal:
        """How far the figure may lie from the exact value: half a unit in its last written place.

        A whole count (``15个``, ``205人``) is exact: people and projects are counted,
        not rounded.
        """
        measure = self.measure
        written = _written_number(self.value)
        if measure.number is None or written is None:
            return Decimal(0)
        whole = written == written.to_integral_value() and "." not in self.value
        if whole and measure.dimension.startswith("count:") and self._factor == 1:
            return Decimal(0)
        return half_unit(written) * self._factor

    @computed_field(title="分项合计（按所述单位）")  # type: ignore[prop-decorator]
    @property
    def parts_sum_text(self) -> str | None:
        """The parts' sum written in the total's own unit (``16个``, ``89.99万元``)."""
        total = self.parts_sum
        if total is None:
            return None
        return f"{format((total / self._factor).normalize(), 'f')}{self.measure.written_unit}"

    @computed_field(title="是否为满意度")  # type: ignore[prop-decorator]
    @property
    def is_satisfaction(self) -> bool:
        """Whether the figure states a satisfaction rate (满意度/满意率 in percent)."""
        rate = "满意度" in self.quantity or "满意率" in self.quantity
        return rate and self.measure.kind is MeasureKind.PERCENT

    @computed_field(title="数值写作区间")  # type: ignore[prop-decorator]
    @property
    def is_bound(self) -> bool:
        """Whether the figure is written as a bound (``≥95%``, ``大于90%``), not a measured value."""
        measure = self.measure
        return measure.number is not None and measure.is_bound

    def _like_parts(self) -> list[Statement]:
        return [
            p for p in self._parts if p.base_value is not None and p.base_unit == self.base_unit
        ]

    @computed_field(title="分项个数")  # type: ignore[prop-decorator]
    @property
    def parts_count(self) -> int | None:
        """How many stated parts (in the same unit) this figure has; absent when none."""
        return len(self._like_parts()) or None

    @computed_field(title="分项合计")  # type: ignore[prop-decorator]
    @property
    def parts_sum(self) -> Decimal | None:
        """The sum of the stated parts, in the base unit; absent when none."""
        parts = self._like_parts()
        return (
            sum((p.base_value for p in parts if p.base_value is not None), Decimal(0))
            if parts
            else None
        )

    @computed_field(title="分项合计与所述总数相符")  # type: ignore[prop-decorator]
    @property
    def parts_add_up(self) -> bool | None:
        """Whether the parts add up to the stated total, to the precision both are written with."""
        parts, total = self._like_parts(), self.base_value
        if not parts or total is None or self.parts_sum is None:
            return None
        slack = self.slack + sum((p.slack for p in parts), Decimal(0))
        return abs(self.parts_sum - total) <= slack

    @computed_field(title="所列名目个数")  # type: ignore[prop-decorator]
    @property
    def listed_count(self) -> int | None:
        """How many distinct items the document lists for this count; absent when none listed."""
        return len(dict.fromkeys(self.listed)) if self.listed else None

    @computed_field(title="所列名目")  # type: ignore[prop-decorator]
    @property
    def listed_names(self) -> str | None:
        """The listed items joined with 、 (for messages)."""
        return "、".join(dict.fromkeys(self.listed)) if self.listed else None

    @computed_field(title="所述个数与所列名目相符")  # type: ignore[prop-decorator]
    @property
    def count_agrees(self) -> bool | None:
        """Whether a stated count (``10个``) equals the number of items listed for it."""
        if self.listed_count is None or self.base_value is None:
            return None
        return self.base_value == self.listed_count

    @computed_field(title="按所引金额计算的比率（%）")  # type: ignore[prop-decorator]
    @property
    def rate_computed(self) -> Decimal | None:
        """Numerator ÷ denominator in percent, from the statements ``rate_of`` names."""
        terms = self._rate_terms
        if terms is None or terms[0].base_value is None or not terms[1].base_value:
            return None
        return percent(terms[0].base_value, terms[1].base_value)

    @computed_field(title="所述比率与金额相符")  # type: ignore[prop-decorator]
    @property
    def rate_agrees(self) -> bool | None:
        """Whether the stated rate is its amounts' rate to the places it is written with."""
        terms, stated = self._rate_terms, self.base_value
        if terms is None or stated is None or self.measure.kind is not MeasureKind.PERCENT:
            return None
        top, bottom = terms[0].base_value, terms[1].base_value
        if top is None or not bottom:
            return None
        return agrees_as_written(stated, top / bottom * 100, self.slack)


def _written_number(text: str) -> Decimal | None:
    """The first number as written in ``text`` (places kept), without grouping commas."""
    found = re.search(r"\d+(?:,\d{3})*(?:\.\d+)?", text)
    return Decimal(found[0].replace(",", "")) if found else None
