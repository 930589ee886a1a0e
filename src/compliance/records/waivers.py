"""Waivers (说明/豁免): a finding the evaluator has accepted an explanation for.

Why a record of its own: a waiver is not a fact about the project that rules
judge; it is the evaluator's answer to a finding, with who accepted it, when,
until when, and on which document. Reason and approver are required, so an
unexplained waiver is bad input, located like any other.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator

from compliance.core.errors import Location

Text = Annotated[str, Field(min_length=1)]


class Waiver(BaseModel):
    """One accepted explanation: rule and subject (``kind:key``, as in ``expected.yaml``)."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)
    rule: Text = Field(title="规则")
    subject: Text = Field(title="涉及对象（kind:key）")
    project: str | None = Field(None, title="项目名称（说明文件中用）")
    reason: Text = Field(title="说明理由")
    accepted_by: Text = Field(title="认可人")
    date: dt.date = Field(title="认可日期")
    expires: dt.date | None = Field(None, title="有效期至")
    document: str | None = Field(None, title="佐证文件")
    _location: Location | None = PrivateAttr(None)

    @field_validator("subject")
    @classmethod
    def _kind_and_key(cls, value: str) -> str:
        kind, sep, key = value.partition(":")
        if not sep or not kind.strip() or not key.strip():
            raise ValueError("subject must be written kind:key, e.g. sub_project:14")
        return f"{kind.strip()}:{key.strip()}"

    @property
    def subject_kind(self) -> str:
        """The record kind the waiver is about."""
        return self.subject.partition(":")[0]

    @property
    def subject_key(self) -> str:
        """The record's key within its kind."""
        return self.subject.partition(":")[2]

    @property
    def location(self) -> Location | None:
        """Where the waiver was written."""
        return self._location

    def located(self, where: Location) -> Waiver:
        """Remember where the waiver was written; returns itself."""
        self._location = where
        return self

    def expired_on(self, day: dt.date) -> bool:
        """Whether the waiver no longer holds on ``day`` (it holds through its expiry date)."""
        return self.expires is not None and day > self.expires


class WaiverFile(BaseModel):
    """A waiver file passed with ``--waivers FILE``: a ``waivers:`` list."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    waivers: list[Waiver] = Field(default_factory=list)
