"""Every record kind by name: the vocabulary of ``subject:``, ``kind:`` and ``of:`` in rules."""

from __future__ import annotations

from compliance.records.forms import FundsRow, SelfEvaluation
from compliance.records.indicators import Indicator
from compliance.records.project import ProjectInfo, Record, SpendingArea, SubProject
from compliance.records.registers import (
    Acceptance,
    Adjustment,
    Approval,
    Document,
    Payment,
    Statement,
    Survey,
)

RECORD_TYPES: tuple[type[Record], ...] = (
    ProjectInfo,
    SpendingArea,
    SubProject,
    Indicator,
    Document,
    Acceptance,
    Payment,
    Approval,
    Adjustment,
    Survey,
    Statement,
    SelfEvaluation,
    FundsRow,
)
RECORD_KINDS: dict[str, type[Record]] = {t.kind: t for t in RECORD_TYPES}
