"""Every record kind, defined once: the sections of a project's records and the kind each holds.

Why one table: the loader validates a case by its sections and the rules name record
kinds (``subject:``, ``kind:``, ``of:``); when each kept its own list, a kind added to
one was missing from the other. The record sections of
:class:`~compliance.records.loading.CaseFile` are that table; :data:`RECORD_KINDS` is
read off them.
"""

from __future__ import annotations

from typing import Any, get_args

from compliance.records.loading import SECTIONS, CaseFile
from compliance.records.project import Record


def _record_type(annotation: Any) -> type[Record]:
    """The record class a section holds: ``X``, ``list[X]`` or ``X | None``."""
    found = [
        t
        for t in (annotation, *get_args(annotation))
        if isinstance(t, type) and issubclass(t, Record)
    ]
    if len(found) != 1:
        raise TypeError(f"a section must hold one record kind, not {annotation!r}")
    return found[0]


RECORD_TYPES: tuple[type[Record], ...] = tuple(
    _record_type(CaseFile.model_fields[section].annotation) for section in SECTIONS
)
RECORD_KINDS: dict[str, type[Record]] = {t.kind: t for t in RECORD_TYPES}
