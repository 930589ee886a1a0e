"""Every record kind by name: the vocabulary of ``subject:``, ``kind:`` and ``of:`` in rules."""

from __future__ import annotations

from compliance.forms import FundsRow, SelfEvaluation
from compliance.indicators import Indicator
from compliance.records import ProjectInfo, Record, SpendingArea, SubProject
from compliance.registers import (
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
