"""The registers an evaluator works through.

Documents, acceptance forms, vouchers, approvals, adjustments, surveys, and the
figures stated in the record (for cross-checking).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated

from pydantic import BeforeValidator, Field, computed_field, field_validator

from compliance.records.project import Money, Record, Text, blank_to_none
from compliance.records.quantities import MeasureKind, parse_measure
from compliance.records.vocabulary import AdjustmentKind, Attachment, Conductor, DocumentType


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
