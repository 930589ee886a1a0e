"""Report templates: the bundled ones, or a bureau's own folder laid over them.

Why Jinja2 with a folder laid over the bundled one: a finance bureau or an
evaluation firm changes only what it needs (its cover, its letterhead, the order
of the parts) by putting a file of the same name in its folder; everything else
comes from the bundled templates. HTML is escaped automatically (``*.html.j2``);
an undefined name is an error, not an empty string, so a misspelt variable in a
bureau's template is reported with its file and line instead of silently
leaving a hole in the report.
"""

from __future__ import annotations

import sys
from decimal import Decimal
from pathlib import Path
from types import TracebackType
from typing import Any

from jinja2 import (
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    StrictUndefined,
    TemplateError,
    TemplateNotFound,
    TemplateSyntaxError,
)

from compliance.core.errors import InputError, Location, display_path
from compliance.core.numbers import grouped, percent_text
from compliance.output.common import chinese_number, known_parts
from compliance.output.report.model import share
from compliance.records.vocabulary import UNSTATED, label_or_unstated
from compliance.scoring.arith import fixed, pct, pts

BUNDLED = Path(__file__).parent / "templates"
"""The default templates, shipped as package data."""

TEMPLATE_SUFFIX = ".j2"


def _autoescape(name: str | None) -> bool:
    return bool(name) and str(name).endswith(".html.j2")


def rate_text(rate: Decimal | None) -> str:
    """A rate already in percent (``execution_rate``) as reports write it, ``—`` when unknown."""
    return "—" if rate is None else percent_text(rate)


def environment(folder: Path | None = None) -> Environment:
    """Templates from ``folder`` first, then the bundled ones."""
    loaders = []
    if folder is not None:
        if not folder.is_dir():
            raise InputError.single(display_path(folder), "template folder not found")
        loaders.append(FileSystemLoader(str(folder)))
    loaders.append(FileSystemLoader(str(BUNDLED)))
    env = Environment(
        loader=ChoiceLoader(loaders),
        autoescape=_autoescape,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        cn=chinese_number,
        pts=pts,
        fixed=fixed,
        pct=pct,
        grouped=_grouped_or_unstated,
        rate=rate_text,
        label=label_or_unstated,
    )
    env.globals.update(share=share, known_parts=known_parts)
    return env


def _grouped_or_unstated(value: Decimal | None) -> str:
    """Money as reports write it, or 未载明 when the records do not state it."""
    return UNSTATED if value is None else grouped(value)


def _template_frame(tb: TracebackType | None) -> tuple[str, int] | None:
    """The innermost traceback frame that runs template code: (file, line)."""
    found = None
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(TEMPLATE_SUFFIX) or filename.endswith(".css"):
            found = (filename, tb.tb_lineno)
        tb = tb.tb_next
    return found


def located(exc: TemplateError) -> InputError:
    """A template error as a located input error: ``file:line: message``."""
    message = exc.message or exc.__class__.__name__
    if isinstance(exc, TemplateNotFound):
        message = f"template not found: {exc.name}"
    if isinstance(exc, TemplateSyntaxError) and exc.filename:
        where = Location(display_path(exc.filename), exc.lineno)
    else:
        frame = _template_frame(sys.exc_info()[2] or exc.__traceback__)
        where = Location(display_path(frame[0]), frame[1]) if frame else Location("template")
    return InputError.single(where.file, f"template error: {message}", line=where.line)


def render(env: Environment, name: str, **context: Any) -> str:
    """Render one template; a template error becomes a located :class:`InputError`."""
    try:
        return env.get_template(name).render(**context)
    except TemplateError as exc:
        raise located(exc) from None
