"""One self-contained HTML file: inline CSS, inline SVG charts, no script, no fetch.

Why no JavaScript and no external resource: the report is mailed and opened
offline, archived with the evaluation, and must look the same years later.
Chinese text uses a font stack led by Noto CJK (installed with the project's
setup), then the CJK fonts Windows and macOS ship.
"""

from __future__ import annotations

import os
from html import escape
from pathlib import Path
from urllib.parse import quote

from compliance import __version__
from compliance.checking.findings import Finding
from compliance.core.errors import Location
from compliance.output.common import by_category, chinese_number
from compliance.output.report import charts
from compliance.output.report.model import ProjectReport, Report, share
from compliance.records.vocabulary import Severity
from compliance.scoring import Scorecard, ScoreLine
from compliance.scoring.arith import fixed, pts

FONTS = (
    '"Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Microsoft YaHei", '
    '"PingFang SC", "WenQuanYi Micro Hei", sans-serif'
)
CSS = f"""
:root {{ --ink:#222; --muted:#666; --line:#d9d9d9; --accent:#2166ac; }}
* {{ box-sizing: border-box; }}
body {{ font-family: {FONTS}; color: var(--ink); margin: 0; background: #f4f5f7; line-height: 1.6; }}
main {{ max-width: 1080px; margin: 0 auto; padding: 24px; }}
article {{ background: #fff; padding: 28px 36px; margin-bottom: 28px; box-shadow: 0 1px 3px #0002; }}
h1 {{ font-size: 24px; text-align: center; margin: 8px 0 4px; }}
h2 {{ font-size: 19px; border-left: 5px solid var(--accent); padding-left: 10px; margin-top: 32px; }}
h3 {{ font-size: 16px; margin: 20px 0 8px; }}
.sub {{ text-align: center; color: var(--muted); margin: 0 0 18px; }}
.summary {{ display: flex; gap: 16px; flex-wrap: wrap; margin: 16px 0; }}
.card {{ flex: 1 1 160px; border: 1px solid var(--line); border-radius: 6px; padding: 12px 16px; }}
.card .k {{ color: var(--muted); font-size: 13px; }}
.card .v {{ font-size: 26px; font-weight: 700; }}
.grade-优 {{ color: #1a9850; }} .grade-良 {{ color: #2166ac; }}
.grade-中 {{ color: #e67e22; }} .grade-差 {{ color: #c0392b; }}
table {{ border-collapse: collapse; width: 100%; margin: 8px 0 16px; font-size: 14px; }}
th, td {{ border: 1px solid var(--line); padding: 5px 8px; vertical-align: top; text-align: left; }}
th {{ background: #f0f3f7; }}
td.n {{ text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }}
table.facts th {{ width: 7em; white-space: nowrap; }}
table.scores td:nth-child(-n+2), table.scores th {{ white-space: nowrap; }}
table.scores td.name {{ min-width: 8em; }}
tr.child td {{ background: #fafafa; font-size: 13px; }}
tr.child td.name {{ padding-left: 22px; }}
tr.total td {{ font-weight: 700; background: #f0f3f7; }}
ul.reasons {{ margin: 0; padding-left: 18px; }}
.finding {{ border: 1px solid var(--line); border-left: 4px solid #999; padding: 8px 14px; margin: 10px 0; }}
.finding.sev-high {{ border-left-color: #c0392b; }} .finding.sev-medium {{ border-left-color: #e67e22; }}
.finding.sev-low {{ border-left-color: #f1c40f; }} .finding.sev-info {{ border-left-color: #95a5a6; }}
.finding h4 {{ margin: 0 0 4px; font-size: 15px; }}
.badge {{ display: inline-block; font-size: 12px; padding: 0 6px; border-radius: 3px; color: #fff;
  background: #888; margin-left: 6px; vertical-align: middle; }}
.badge.sev-high {{ background: #c0392b; }} .badge.sev-medium {{ background: #e67e22; }}
.badge.sev-low {{ background: #b7950b; }} .badge.sev-info {{ background: #7f8c8d; }}
.meta {{ color: var(--muted); font-size: 13px; }}
.evidence {{ width: auto; min-width: 50%; font-size: 13px; }}
figure {{ margin: 12px 0 20px; overflow-x: auto; }}
figcaption {{ color: var(--muted); font-size: 13px; }}
svg.chart {{ font-family: {FONTS}; font-size: 12px; max-width: 100%; height: auto; }}
svg.chart .hd {{ font-weight: 700; font-size: 13px; }}
svg.chart .ax {{ fill: #666; font-size: 11px; }}
svg.chart .val {{ fill: #333; font-size: 11px; }}
.note {{ background: #fff8e1; border: 1px solid #f0d58c; padding: 8px 14px; border-radius: 4px; }}
.problems {{ background: #fdecea; border: 1px solid #f5c6cb; padding: 8px 14px; }}
footer {{ color: var(--muted); font-size: 12px; text-align: center; margin: 12px 0 30px; }}
a {{ color: var(--accent); }}
@media print {{ body {{ background: #fff; }} article {{ box-shadow: none; }} }}
"""


def _e(text: object) -> str:
    return escape(str(text))


def _href(location: Location, base: Path) -> str:
    target = Path(location.file).resolve()
    try:
        rel = os.path.relpath(target, base.resolve())
    except ValueError:
        rel = str(target)
    return quote(Path(rel).as_posix())


def _location(finding: Finding, base: Path) -> str:
    if finding.location is None:
        return "—"
    link = f'<a class="loc" href="{_href(finding.location, base)}">{_e(finding.location)}</a>'
    source = f"（资料来源：{_e(finding.source)}）" if finding.source else ""
    return link + source


def severity_label(severity: Severity) -> str:
    """高风险, 中风险, 低风险, 提示."""
    return severity.label if severity is Severity.INFO else f"{severity.label}风险"


def _finding(finding: Finding, anchor: str, base: Path) -> str:
    sev = finding.severity
    rows = "".join(
        f"<tr><th>{_e(e.label)}</th><td>{_e(e.value)}</td></tr>" for e in finding.evidence
    )
    refs = "；".join(finding.references)
    return (
        f'<div class="finding sev-{sev.value}" id="{anchor}-f{finding.number}">'
        f"<h4>{finding.number}. {_e(finding.title)}"
        f'<span class="badge sev-{sev.value}">{_e(severity_label(sev))}</span>'
        f'<span class="badge">{_e(finding.rule)}</span></h4>'
        f"<p>{_e(finding.message)}</p>"
        f'<table class="evidence"><tbody>{rows}</tbody></table>'
        f'<p class="meta">位置：{_location(finding, base)}<br>框架：{_e(finding.framework)}'
        f"<br>依据：{_e(refs)}</p></div>"
    )


def _reasons(line: ScoreLine, anchor: str) -> str:
    items = "".join(f"<li>{_e(r)}</li>" for r in line.reasons)
    if line.findings:
        links = "、".join(f'<a href="#{anchor}-f{n}">问题{n}</a>' for n in line.findings)
        items += f"<li>涉及：{links}</li>"
    return f'<ul class="reasons">{items}</ul>'


def _score_table(card: Scorecard, anchor: str) -> str:
    rows = []
    for line in card.lines:
        rows.append(
            f'<tr id="{anchor}-s{_e(line.code)}"><td>{_e(line.level1)}</td><td>{_e(line.level2)}</td>'
            f'<td class="name">{_e(line.name)}</td><td class="n">{fixed(line.weight)}</td>'
            f'<td class="n score">{fixed(line.score)}</td><td class="n">{share(line.score, line.weight)}</td>'
            f"<td>{_e(line.basis)}{_reasons(line, anchor)}</td></tr>"
        )
        for child in line.children:
            claimed = "" if child.claimed is None else f"（自评{pts(child.claimed)}）"
            rows.append(
                f'<tr class="child"><td>{_e(child.level1)}</td><td>{_e(child.level2)}</td>'
                f'<td class="name">{_e(child.code)} {_e(child.name)}</td>'
                f'<td class="n">{fixed(child.weight)}</td><td class="n">{fixed(child.score)}{claimed}</td>'
                f'<td class="n">{share(child.score, child.weight)}</td>'
                f"<td>{_reasons(child, anchor)}</td></tr>"
            )
    rows.append(
        f'<tr class="total"><td colspan="3">合计（等级：{_e(card.grade)}）</td>'
        f'<td class="n">{fixed(card.full)}</td><td class="n">{fixed(card.total)}</td>'
        f'<td class="n">{share(card.total, card.full)}</td><td></td></tr>'
    )
    return (
        '<table class="scores"><thead><tr><th>一级指标</th><th>二级指标</th><th>三级指标</th>'
        "<th>分值</th><th>得分</th><th>得分率</th><th>评分标准与理由</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def _summary(project: ProjectReport) -> str:
    card = project.card
    assert card is not None
    counts = project.result.summary()["by_severity"]
    high = counts.get("high", 0)
    cards = [
        ("综合得分", f"{pts(card.total)}<small> / {pts(card.full)}</small>", "score"),
        ("评价等级", f'<span class="grade-{_e(card.grade)}">{_e(card.grade)}</span>', "grade"),
        (
            "发现问题",
            f"{len(project.result.findings)}<small>项（高风险{high}项）</small>",
            "findings",
        ),
    ]
    return (
        '<div class="summary">'
        + "".join(
            f'<div class="card" data-k="{k}"><div class="k">{label}</div><div class="v">{value}</div></div>'
            for label, value, k in cards
        )
        + "</div>"
    )


def _gaps(card: Scorecard) -> str:
    if not card.gaps:
        return ""
    rest = card.full - card.gap_weight
    items = "".join(f"<li>{_e(g)}</li>" for g in card.gaps)
    extra = (
        f"其余{pts(rest)}分中得{pts(card.total)}分（{share(card.total, rest)}）。" if rest else ""
    )
    return (
        f'<div class="note"><p>记录缺少以下评分所需数据，相应{pts(card.gap_weight)}分按0分计；'
        f"补充记录后重新生成报告即可计分。{extra}</p><ul>{items}</ul></div>"
    )


def _checks(card: Scorecard) -> str:
    if not card.checks:
        return ""
    items = "".join(f"<li>{_e(c.message)}</li>" for c in card.checks)
    return f'<h3>自评得分核对</h3><ul class="checks">{items}</ul>'


def _findings(project: ProjectReport, anchor: str, base: Path) -> str:
    parts = []
    if not project.result.findings:
        parts.append("<p>未发现问题。</p>")
    for index, (category, findings) in enumerate(by_category(project.result.findings), start=1):
        parts.append(f"<h3>（{chinese_number(index)}）{_e(category)}</h3>")
        parts.extend(_finding(f, anchor, base) for f in findings)
    return "".join(parts)


def _advice(project: ProjectReport, anchor: str) -> str:
    parts = []
    for index, group in enumerate(project.result.recommendations, start=1):
        parts.append(
            f"<h3>（{chinese_number(index)}）{_e(group.title)}</h3><p>{_e(group.text)}</p><ul>"
        )
        for advice in group.advice:
            links = "、".join(f'<a href="#{anchor}-f{n}">问题{n}</a>' for n in advice.findings)
            parts.append(f"<li>{_e(advice.text)}（针对{links}）</li>")
        parts.append("</ul>")
    return "".join(parts) or "<p>无。</p>"


def _figure(svg: str, caption: str) -> str:
    return f"<figure>{svg}<figcaption>{_e(caption)}</figcaption></figure>"


def _project(project: ProjectReport, index: int, report: Report, base: Path) -> str:
    anchor = f"p{index}"
    info, card = project.info, project.card
    if info is None or card is None:
        problems = "".join(f"<li><code>{_e(p)}</code></li>" for p in project.result.problems)
        return (
            f'<article id="{anchor}"><h1>{_e(project.result.origin)}</h1>'
            f'<div class="problems"><p>记录有误，未能评价：</p><ul>{problems}</ul></div></article>'
        )
    facts = "".join(f"<tr><th>{_e(k)}</th><td>{_e(v)}</td></tr>" for k, v in project.facts())
    lacking = sum(1 for i in project.indicators if i.actual is None)
    shown = len(charts.comparable(project.indicators))
    parts = [
        f'<article id="{anchor}">',
        f"<h1>{_e(info.name)}项目支出绩效评价报告</h1>",
        f'<p class="sub">{_e(info.department)} · {info.year}年度 · {_e(info.evaluation_kind.label)}</p>',
        _summary(project),
        "<h2>一、基本情况</h2>",
        f'<table class="facts"><tbody>{facts}</tbody></table>',
    ]
    if project.subs:
        parts.append(
            _figure(
                charts.budget_chart(project.subs, report.execution_line),
                "图1 各子项目预算与支出（浅色为预算，深色为支出）及预算执行率；悬停可见金额。",
            )
        )
    if project.indicators:
        parts.append(
            _figure(
                charts.indicator_chart(project.indicators),
                f"图2 绩效指标实际完成值与指标值：{len(project.indicators)}项指标中{shown}项可比较，"
                f"{lacking}项无实际完成值。绿色为达到指标值，红色为未达到。",
            )
        )
    parts += [
        "<h2>二、评价结论</h2>",
        f"<p>按《{_e(card.profile)}》评分，该项目综合得分<strong>{pts(card.total)}</strong>分"
        f"（满分{pts(card.full)}分），评价等级为<strong>“{_e(card.grade)}”</strong>。"
        f"发现问题{len(project.result.findings)}项。</p>",
        _figure(charts.score_chart(card), "图3 各一级指标得分与分值。"),
        _gaps(card),
        _checks(card),
        "<h2>三、主要问题</h2>",
        _figure(
            charts.findings_chart(project.result.findings, report.categories),
            "图4 问题按类别和风险等级分布。",
        ),
        _findings(project, anchor, base),
        "<h2>四、相关建议</h2>",
        _advice(project, anchor),
        "<h2>附：评分表</h2>",
        f'<p class="meta">评分方案：{_e(card.profile)}（{_e(card.profile_file)}）</p>',
        _score_table(card, anchor),
    ]
    if card.unscored:
        unscored = "、".join(
            f'<a href="#{anchor}-f{f.number}">问题{f.number}（{_e(f.rule)}）</a>'
            for f in card.unscored
        )
        parts.append(f'<p class="meta">评分方案未设扣分的问题：{unscored}</p>')
    parts.append("</article>")
    return "".join(parts)


def render_html(report: Report, base: Path | None = None) -> str:
    """The whole report; record links are relative to ``base`` (the output file's folder)."""
    folder = base or Path.cwd()
    names = [p.info.name for p in report.projects if p.info is not None]
    title = "、".join(names) or "绩效评价报告"
    body = "".join(_project(p, i, report, folder) for i, p in enumerate(report.projects, start=1))
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_e(title)} 绩效评价报告</title><style>{CSS}</style></head>"
        f"<body><main>{body}</main>"
        f"<footer>由 compliance {__version__} 生成；规则 {len(report.run.pack.rules)} 条"
        f"（{_e(report.run.pack.root)}）。</footer></body></html>\n"
    )
