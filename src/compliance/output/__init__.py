"""Output formats of a check: text (the default), JSON and Markdown."""

from __future__ import annotations

from collections.abc import Callable

from compliance.checking.checker import CheckRun
from compliance.output.json_output import render_json
from compliance.output.markdown import render_markdown
from compliance.output.text import render_text

RENDERERS: dict[str, Callable[[CheckRun], str]] = {
    "text": render_text,
    "json": render_json,
    "markdown": render_markdown,
}
