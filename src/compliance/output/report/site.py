"""A run over many projects as one HTML site: an index page and a page per project.

Why a site and not one long file: a bureau reviews dozens of projects at once;
the index shows every project's score, grade, findings by severity and
未能核查 count side by side (sortable), with the distribution of scores and the
findings by category across projects; each project keeps its full report on its
own page. Pages link to each other by file name only, so the folder can be
zipped and mailed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape
from pathlib import Path

from markupsafe import Markup

from compliance.output.report import charts
from compliance.output.report.html import html_environment
from compliance.output.report.model import Report
from compliance.output.report.outline import Outline, outlines
from compliance.output.report.runrecord import RunRecord
from compliance.output.report.templating import render
from compliance.records.vocabulary import label_or_unstated
from compliance.scoring.arith import pts

INDEX = "index.html"
BINS = 10
"""Score bands of the distribution: 0–10, 10–20, … 90–100 (of a 100-point scale)."""


@dataclass
class IndexRow:
    """One project on the index page."""

    number: int
    name: str
    href: str
    year: str
    department: str
    kind: str
    score: str
    score_sort: str
    grade: str
    counts: dict[str, int]
    findings: int
    undecided: int


def page_names(items: list[Outline]) -> list[str]:
    """A file name per project from its origin (the case folder), unique within the site."""
    names: list[str] = []
    for o in items:
        stem = Path(o.project.result.origin.rstrip("/")).stem or f"project-{o.number}"
        stem = re.sub(r"[^\w.-]+", "-", stem).strip("-.") or f"project-{o.number}"
        name, n = f"{stem}.html", 2
        while name in names or name == INDEX:
            name, n = f"{stem}-{n}.html", n + 1
        names.append(name)
    return names


def _row(o: Outline, href: str) -> IndexRow:
    info, card = o.project.info, o.project.card
    return IndexRow(
        number=o.number,
        name=o.name,
        href=href,
        year=str(info.year or "") if info else "",
        department=(info.department or "") if info else "",
        kind=label_or_unstated(info.evaluation_kind) if info else "",
        score=pts(card.total) if card else "未能评价",
        score_sort=str(card.total / card.full * 100) if card and card.full else "-1",
        grade=card.grade if card else "—",
        counts=o.severity_counts,
        findings=len(o.findings),
        undecided=len(o.undecided),
    )


def score_distribution(percents: list[float]) -> str:
    """Projects per 10-point band of the score (as a percent of full marks), as inline SVG."""
    counts = [0] * BINS
    for value in percents:
        counts[min(int(value // (100 / BINS)), BINS - 1)] += 1
    most = max([*counts, 1])
    left, top, width, height = 40, 30, 560, 160
    step = width / BINS
    body = [
        f'<text x="{left}" y="16" class="hd">项目数（按综合得分占满分的比例，每档10%）</text>',
        f'<line x1="{left}" y1="{top + height}" x2="{left + width}" y2="{top + height}" stroke="#bbb"/>',
    ]
    for i, n in enumerate(counts):
        x = left + i * step
        h = height * n / most
        label = f"{i * 10}–{(i + 1) * 10}%"
        if n:
            body.append(
                f'<rect class="bar bar-score-band" x="{x + 4:.1f}" y="{top + height - h:.1f}" '
                f'width="{step - 8:.1f}" height="{h:.1f}" fill="{charts.SPENT}" data-value="{n}">'
                f"<title>{escape(label)}：{n}个项目</title></rect>"
                f'<text x="{x + step / 2:.1f}" y="{top + height - h - 4:.1f}" '
                f'text-anchor="middle" class="val">{n}</text>'
            )
        body.append(
            f'<text x="{x + step / 2:.1f}" y="{top + height + 16:.1f}" text-anchor="middle" '
            f'class="ax">{escape(label)}</text>'
        )
    total_h = top + height + 30
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" data-chart="score-distribution" '
        f'viewBox="0 0 {left + width + 20} {total_h}" width="{left + width + 20}" '
        f'height="{total_h}" role="img" aria-label="得分分布"><title>得分分布</title>'
        + "".join(body)
        + "</svg>"
    )


def render_site(
    report: Report,
    *,
    record: RunRecord | None = None,
    template: Path | None = None,
    cover: dict[str, str] | None = None,
) -> dict[str, str]:
    """The site's pages by file name: ``index.html`` and one page per project."""
    env = html_environment(report, template)
    items = outlines(report, cover)
    names = page_names(items)
    pages: dict[str, str] = {}
    for o, name in zip(items, names, strict=True):
        pages[name] = render(
            env, "html/page.html.j2", o=o, record=record, report=report, title=o.title
        )
    rows = [_row(o, name) for o, name in zip(items, names, strict=True)]
    percents = [
        float(o.project.card.total / o.project.card.full * 100)
        for o in items
        if o.project.card is not None and o.project.card.full
    ]
    findings = [f for o in items for f in o.project.result.findings]
    pages[INDEX] = render(
        env,
        "html/index.html.j2",
        rows=rows,
        record=record,
        report=report,
        title="项目支出绩效评价报告一览",
        total_findings=len(findings),
        total_undecided=sum(r.undecided for r in rows),
        score_chart=Markup(score_distribution(percents)),
        findings_chart=Markup(charts.findings_chart(findings, report.categories)),
    )
    return pages
