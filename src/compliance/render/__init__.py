"""Output formats of a check: text (the default), JSON and Markdown."""

from __future__ import annotations

from collections.abc import Callable

from compliance.checker import CheckRun
from compliance.render.jsonout import render_json
from compliance.render.markdown import render_markdown
from compliance.render.text import render_text

RENDERERS: dict[str, Callable[[CheckRun], str]] = {
    "text": render_text,
    "json": render_json,
    "markdown": render_markdown,
}
