"""String enums whose members carry a Chinese label: the base of every vocabulary.

Why in core: records, rules, scoring and error messages all list allowed values as
``identifier (中文)``; the mechanism knows nothing of any one vocabulary.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Any

_POINTS = re.compile(r"\s*[（(]\s*\d+(?:\.\d+)?\s*分\s*[)）]\s*$")
"""A heading's points as forms print them: ``产出指标(50分)``, ``预算执行情况（10分）``."""


class Labeled(StrEnum):
    """A string enum whose members carry a Chinese label (``label``)."""

    label: str
    aliases: tuple[str, ...]

    def __new__(cls, value: str, label: str = "", *aliases: str) -> Labeled:
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label or value
        member.aliases = aliases
        return member

    @classmethod
    def lookup(cls, text: Any) -> Any:
        """Map a label or alias to its member; leave anything else to pydantic."""
        if isinstance(text, str):
            names = _NAMES.get(cls) or _names(cls)
            wanted = text.strip()
            member = names.get(wanted)
            if member is None:
                member = names.get(_POINTS.sub("", wanted).strip())
            if member is not None:
                return member
        return text

    @classmethod
    def choices(cls) -> str:
        """List the allowed values with their labels, for error messages."""
        return ", ".join(f"{m.value} ({m.label})" for m in cls)


_NAMES: dict[type[Labeled], dict[str, Labeled]] = {}
"""Each vocabulary's members by every spelling (value, label, aliases): a form's cells
are looked up by the thousand."""


def _names(cls: type[Labeled]) -> dict[str, Labeled]:
    names: dict[str, Labeled] = {}
    for member in cls:  # the first member to use a spelling keeps it, as a scan in order would
        for name in (member.value, member.label, *member.aliases):
            names.setdefault(name, member)
    _NAMES[cls] = names
    return names
