"""One self-contained HTML file from Jinja2 templates: inline CSS, inline SVG charts, no fetch.

Why no external resource: the report is mailed and opened offline, archived with
the evaluation, and must look the same years later. Records are not linked (a
link to the writer's disk breaks once mailed): each finding carries its source
reference and the record's text inline. Chinese text uses a font stack led by
Noto CJK (installed with the project's setup), then the CJK fonts Windows and
macOS ship. The layout lives in ``templates/html/`` (see docs/templates.md).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import Environment
from markupsafe import Markup

from compliance import __version__
from compliance.output.report import charts
from compliance.output.report.model import Report
from compliance.output.report.outline import Outline, outlines, severity_label
from compliance.output.report.runrecord import RunRecord
from compliance.output.report.templating import environment, render

FONTS = (
    '"Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Microsoft YaHei", '
    '"PingFang SC", "WenQuanYi Micro Hei", sans-serif'
)

__all__ = ["FONTS", "html_environment", "render_html", "severity_label"]


def _chart(report: Report) -> Any:
    def chart(o: Outline, name: str) -> Markup:
        """The SVG of one of a project's charts: budget, indicators, scores or findings."""
        project = o.project
        if name == "budget":
            svg = charts.budget_chart(project.subs, report.execution_line)
        elif name == "indicators":
            svg = charts.indicator_chart(project.indicators)
        elif name == "scores":
            assert project.card is not None
            svg = charts.score_chart(project.card)
        elif name == "findings":
            svg = charts.findings_chart(project.result.findings, report.categories)
        else:
            raise ValueError(f"no chart named '{name}': budget, indicators, scores, findings")
        return Markup(svg)  # built from escaped parts by charts.py

    return chart


def html_environment(report: Report, folder: Path | None = None) -> Environment:
    """The template environment of HTML reports, with the charts of ``report``."""
    env = environment(folder)
    env.globals.update(
        chart=_chart(report),
        comparable=lambda o: charts.comparable(o.project.indicators),
        fonts=FONTS,
        version=__version__,
    )
    return env


def context(
    report: Report, record: RunRecord | None, cover: dict[str, str] | None
) -> dict[str, Any]:
    """The names every HTML template sees (docs/templates.md)."""
    items = outlines(report, cover)
    names = [o.name for o in items if o.ok]
    return {
        "report": report,
        "outlines": items,
        "record": record,
        "title": ("、".join(names) or "绩效评价") + " 绩效评价报告",
    }


def render_html(
    report: Report,
    base: Path | None = None,
    *,
    record: RunRecord | None = None,
    template: Path | None = None,
    cover: dict[str, str] | None = None,
) -> str:
    """The whole report as one HTML file (``base`` is unused: nothing is linked any more)."""
    del base
    env = html_environment(report, template)
    return render(env, "html/report.html.j2", **context(report, record, cover))
