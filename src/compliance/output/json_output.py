"""JSON: every finding with the keys of the issue's contract, per project, plus a summary.

``errors`` of a project holds bad input (``kind: input``, with its location) and bugs
(``kind: internal``, with the rule, project, message and traceback). The document is
written project by project (:mod:`compliance.output.stream`).
"""

from __future__ import annotations

import json
from typing import Any

from compliance.checking.checker import CheckRun
from compliance.output.stream import render


def to_data(run: CheckRun) -> dict[str, Any]:
    """The run as plain data."""
    data: dict[str, Any] = json.loads(render_json(run))
    return data


def render_json(run: CheckRun) -> str:
    """The run as indented UTF-8 JSON (Chinese left readable)."""
    return render(
        "json", run.results, len(run.pack.rules), run.rule_errors, pretty=True, review=run.review
    )
