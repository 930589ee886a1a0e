"""The limits every YAML file is read under, and how an auditor raises them.

Why: a record or rule file is input from anyone. Without limits a 600-byte alias
bomb fills the memory, ten thousand nested brackets exhaust the stack, and a 50 MB
string reaches the engine, which fails deep inside its C core. Each limit is far
above what a real evaluation needs, is reported as a located error that names the
limit, and can be raised with ``COMPLIANCE_LIMITS`` (e.g. ``file_mb=64,items=50000``)
up to a hard ceiling that keeps the process safe.
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass, fields, replace

ENV_VAR = "COMPLIANCE_LIMITS"


@dataclass(frozen=True)
class Limits:
    """How much one YAML file may hold (names as written in ``COMPLIANCE_LIMITS``)."""

    file_mb: int = 16
    """Size of the file in MiB (16 MiB is about 40,000 sub-projects)."""
    depth: int = 32
    """Nesting of mappings and lists (a record needs 5, a rule about 10)."""
    aliases: int = 100
    """YAML aliases (``*name``) in one file."""
    nodes: int = 1_000_000
    """Values in the file once every alias is expanded (guards against alias bombs)."""
    string: int = 20_000
    """Characters in one text value (a long narrative cell holds a few thousand)."""
    items: int = 20_000
    """Items in one list: the records of one section (sub-projects, vouchers, …)."""

    @property
    def file_bytes(self) -> int:
        """The file size limit in bytes."""
        return self.file_mb * 1024 * 1024


CEILING = Limits(
    file_mb=1024, depth=100, aliases=10_000, nodes=50_000_000, string=1_000_000, items=5_000_000
)
"""What ``COMPLIANCE_LIMITS`` may raise each limit to: beyond these the process itself is at risk
(the stack at depth, the memory elsewhere)."""

NAMES = tuple(f.name for f in fields(Limits))


class LimitsSettingError(ValueError):
    """``COMPLIANCE_LIMITS`` is not ``name=number,…`` with known names and allowed numbers."""


def parse_limits(text: str) -> Limits:
    """Read ``file_mb=64,items=50000`` over the defaults."""
    changes: dict[str, int] = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        name, sep, value = part.partition("=")
        name = name.strip()
        if not sep or name not in NAMES:
            raise LimitsSettingError(
                f"{ENV_VAR}: '{part}' is not name=number; names: {', '.join(NAMES)}"
            )
        try:
            number = int(value.strip())
        except ValueError:
            raise LimitsSettingError(
                f"{ENV_VAR}: {name} must be a whole number, got '{value}'"
            ) from None
        ceiling = getattr(CEILING, name)
        if not 1 <= number <= ceiling:
            raise LimitsSettingError(
                f"{ENV_VAR}: {name} must lie between 1 and {ceiling}, got {number}"
            )
        changes[name] = number
    return replace(Limits(), **changes)


def current_limits() -> Limits:
    """The limits in force: the defaults, changed by ``COMPLIANCE_LIMITS`` when set."""
    return _limits_of(os.environ.get(ENV_VAR, ""))


@functools.lru_cache(maxsize=8)
def _limits_of(text: str) -> Limits:
    """:func:`parse_limits`, once per setting: every file read asks (a bad one is not kept)."""
    return parse_limits(text)


def raise_hint(name: str) -> str:
    """How to raise one limit, for the end of a message."""
    return f"raise it with {ENV_VAR}={name}=N if the file is genuine"
