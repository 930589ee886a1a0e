"""Every record kind by name: the vocabulary of ``subject:``, ``kind:`` and ``of:`` in rules."""

from __future__ import annotations

from compliance.forms import FundsRow, SelfEvaluation
from compliance.records import (
    Acceptance,
    Adjustment,
    Approval,
    Document,
    Indicator,
    Payment,
    ProjectInfo,
    Record,
    SpendingArea,
    Statement,
    SubProject,
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
