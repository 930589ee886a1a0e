"""Message and recommendation templates: ``{name}`` placeholders, checked at load.

Names a template may use: a field of the subject (``{budget}``), ``{subject}`` (its
display name), ``{params.X}``, ``{aggregates.X}`` and ``{<join>.<field>}``.
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable
from functools import lru_cache

_FORMATTER = string.Formatter()
_CJK = "\u3000-\u303f\u4e00-\u9fff\uff00-\uffef\u2018-\u201d"
_FOLD_SPACE = re.compile(rf"(?<=[{_CJK}])\s+|\s+(?=[{_CJK}])")


class TemplateError(ValueError):
    """A template that cannot be rendered."""


def placeholders(text: str) -> list[str]:
    """The placeholder names of ``text``, in order; format specs are refused."""
    names = []
    try:
        parsed = list(_FORMATTER.parse(text))
    except ValueError as exc:
        raise TemplateError(f"{exc}; write a literal brace as '{{{{' or '}}}}'") from None
    for _, name, spec, conversion in parsed:
        if name is None:
            continue
        if not name:
            raise TemplateError("empty placeholder '{}'; name a field, e.g. '{name}'")
        if spec or conversion:
            raise TemplateError(f"placeholder '{{{name}}}' may not carry a format or conversion")
        names.append(name)
    return names


@lru_cache(maxsize=1024)
def tidy(text: str) -> str:
    """Drop the spaces YAML folding puts between lines of Chinese text."""
    return _FOLD_SPACE.sub("", text).strip()


@lru_cache(maxsize=4096)
def _pieces(text: str) -> tuple[tuple[str, str | None], ...]:
    """A template's literal text and placeholders, parsed once (a pack has a few hundred)."""
    return tuple((literal, name) for literal, name, _, _ in _FORMATTER.parse(tidy(text)))


def render(text: str, lookup: Callable[[str], str]) -> str:
    """Fill every placeholder of ``text`` with ``lookup(name)``."""
    out = []
    for literal, name in _pieces(text):
        out.append(literal)
        if name is not None:
            out.append(lookup(name))
    return "".join(out)
