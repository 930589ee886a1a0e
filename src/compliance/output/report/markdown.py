"""Markdown in the seven-part outline, from ``templates/markdown/`` (see docs/templates.md).

Why Markdown as well as Word: it pastes into a wiki or a review thread and
diffs well between two runs. Nothing is escaped for HTML; table cells escape
``|`` and line breaks with the ``cell`` filter.
"""

from __future__ import annotations

from pathlib import Path

from compliance.output.report.model import Report
from compliance.output.report.outline import outlines
from compliance.output.report.runrecord import RunRecord
from compliance.output.report.templating import environment, render


def cell(text: object) -> str:
    """A value made safe for one Markdown table cell."""
    return str(text).replace("|", "\\|").replace("\n", " ")


def render_report_markdown(
    report: Report,
    *,
    record: RunRecord | None = None,
    template: Path | None = None,
    cover: dict[str, str] | None = None,
) -> str:
    """The report as Markdown, one project after another, then the run record."""
    env = environment(template)
    env.filters["cell"] = cell
    items = outlines(report, cover)
    names = [o.name for o in items if o.ok]
    text = render(
        env,
        "markdown/report.md.j2",
        outlines=items,
        record=record,
        report=report,
        title=("、".join(names) or "绩效评价") + " 绩效评价报告",
    )
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    return text.rstrip() + "\n"
