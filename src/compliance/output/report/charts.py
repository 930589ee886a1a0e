"""Charts as inline SVG, drawn in Python.

Why hand-drawn SVG: the HTML report must open offline as one file. A chart
library would bring JavaScript (and network fetches or a bundle to inline);
a bar chart is a few rectangles, and SVG text inherits the page's CJK font
stack. Every bar is a ``<rect class="bar …">`` with a ``<title>`` tooltip and
its value in ``data-value``, so tests (and screen readers) can read the charts.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from decimal import Decimal
from html import escape

from compliance.checking.findings import Finding
from compliance.core.numbers import grouped, percent_text, plain
from compliance.records.formulas import MIN_EXECUTION_PCT, below_line
from compliance.records.indicators import Indicator
from compliance.records.project import SubProject
from compliance.records.vocabulary import Severity, Status
from compliance.scoring import Scorecard
from compliance.scoring.arith import pct, pts

SEVERITY_COLORS = {
    Severity.HIGH: "#c0392b",
    Severity.MEDIUM: "#e67e22",
    Severity.LOW: "#f1c40f",
    Severity.INFO: "#95a5a6",
}
BUDGET, SPENT, OK, SHORT, GRID = "#9ecae1", "#2166ac", "#1a9850", "#d73027", "#bbbbbb"
ROW = 22
LABEL_W = 280


def _short(text: str, limit: int = 18) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _svg(name: str, width: float, height: float, title: str, body: Iterable[str]) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" data-chart="{name}" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" width="{width:.0f}" height="{height:.0f}" role="img" '
        f'aria-label="{escape(title)}"><title>{escape(title)}</title>' + "".join(body) + "</svg>"
    )


def _text(x: float, y: float, text: str, anchor: str = "start", cls: str = "") -> str:
    klass = f' class="{cls}"' if cls else ""
    return f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}"{klass}>{escape(text)}</text>'


def _bar(cls: str, x: float, y: float, w: float, h: float, color: str, value: str, tip: str) -> str:
    return (
        f'<rect class="bar {cls}" x="{x:.1f}" y="{y:.1f}" width="{max(w, 0):.1f}" '
        f'height="{h:.1f}" fill="{color}" data-value="{escape(value)}">'
        f"<title>{escape(tip)}</title></rect>"
    )


def _line(x: float, y1: float, y2: float, dashed: bool = False) -> str:
    dash = ' stroke-dasharray="4 3"' if dashed else ""
    return f'<line x1="{x:.1f}" y1="{y1:.1f}" x2="{x:.1f}" y2="{y2:.1f}" stroke="{GRID}"{dash}/>'


class _Scale:
    """Money to pixels: linear, or log10 when amounts span more than 50 times."""

    def __init__(self, values: list[Decimal], width: float) -> None:
        positive = [float(v) for v in values if v > 0] or [1.0]
        self.width = width
        self.log = max(positive) / min(positive) > 50
        if self.log:
            self.low = 10 ** math.floor(math.log10(min(positive)))
            self.high = 10 ** math.ceil(math.log10(max(positive)))
        else:
            self.low, self.high = 0.0, max(positive)

    def __call__(self, value: Decimal) -> float:
        v = float(value)
        if self.log:
            if v <= 0:
                return 0.0
            span = math.log10(self.high) - math.log10(self.low)
            return self.width * (math.log10(max(v, self.low)) - math.log10(self.low)) / span
        return self.width * v / self.high if self.high else 0.0

    def ticks(self) -> list[float]:
        if self.log:
            count = round(math.log10(self.high / self.low))
            return [self.low * 10**i for i in range(count + 1)]
        return [self.high * i / 4 for i in range(5)]


def budget_chart(subs: list[SubProject], line: Decimal = MIN_EXECUTION_PCT) -> str:
    """Budget and spending per sub-project, with the execution rate beside each.

    ``line`` (percent) is the execution rate below which a bar is coloured short: the
    parameter of the rule that reports low execution, so the chart agrees with the findings.
    The rate is the sub-project's own ``execution_rate``, the value that rule compares.
    Sub-projects whose budget or spending the records do not state are left out.
    """
    known = [(s, s.budget, s.spent) for s in subs]
    rows = [(s, b, x) for s, b, x in known if b is not None and x is not None]
    fraction = line / 100
    money_x, money_w, rate_x, rate_w = LABEL_W + 10, 330.0, LABEL_W + 390, 180.0
    top, height = 40, 40 + ROW * len(rows) + 30
    scale = _Scale([b for _, b, _ in rows] + [x for _, _, x in rows], money_w)
    body = [
        _text(money_x, 16, "预算与支出（万元" + ("，对数刻度）" if scale.log else "）"), cls="hd"),
        _text(rate_x, 16, f"预算执行率（虚线为{plain(line.normalize())}%）", cls="hd"),
    ]
    for tick in scale.ticks():
        x = money_x + scale(Decimal(str(tick)))
        body.append(_line(x, top - 6, height - 24))
        body.append(_text(x, height - 10, f"{tick:g}", "middle", "ax"))
    rate_scale = rate_w / 1.2
    for mark in (0, 0.5, 1.0):
        x = rate_x + rate_scale * mark
        body.append(_line(x, top - 6, height - 24))
        body.append(_text(x, height - 10, f"{mark:.0%}", "middle", "ax"))
    body.append(_line(rate_x + rate_scale * float(fraction), top - 6, height - 24, dashed=True))
    for i, (sub, budget, spent) in enumerate(rows):
        y = top + i * ROW
        name = f"{sub.number}. {sub.name}"
        body.append(
            f"<g><title>{escape(name)}</title>{_text(LABEL_W, y + 12, _short(name), 'end')}</g>"
        )
        body.append(
            _bar(
                "bar-budget",
                money_x,
                y + 1,
                scale(budget),
                8,
                BUDGET,
                str(budget),
                f"{name}：预算{grouped(budget)}万元",
            )
        )
        body.append(
            _bar(
                "bar-spent",
                money_x,
                y + 10,
                scale(spent),
                8,
                SPENT,
                str(spent),
                f"{name}：支出{grouped(spent)}万元",
            )
        )
        rate = sub.execution_rate
        color = SHORT if below_line(rate, line) else OK
        written = "—" if rate is None else percent_text(rate)
        shown = "未开展" if sub.status is Status.NOT_STARTED else written
        body.append(
            _bar(
                "bar-rate",
                rate_x,
                y + 3,
                rate_scale * min(float(rate or 0) / 100, 1.2),
                12,
                color,
                "" if rate is None else plain(rate),
                f"{name}：执行率{written}",
            )
        )
        body.append(_text(rate_x + rate_w + 6, y + 13, shown, cls="val"))
    legend_y = height - 10
    body.append(
        f'<rect x="{LABEL_W - 250}" y="{legend_y - 9}" width="10" height="10" fill="{BUDGET}"/>'
    )
    body.append(_text(LABEL_W - 236, legend_y, "预算", cls="ax"))
    body.append(
        f'<rect x="{LABEL_W - 200}" y="{legend_y - 9}" width="10" height="10" fill="{SPENT}"/>'
    )
    body.append(_text(LABEL_W - 186, legend_y, "支出", cls="ax"))
    return _svg("budget", LABEL_W + 640, height, "子项目预算与支出及预算执行率", body)


def comparable(indicators: list[Indicator]) -> list[Indicator]:
    """Indicators whose measured actual can be set against the target's number."""
    out = []
    for ind in indicators:
        actual, target = ind.actual_measure, ind.target_measure
        if actual is None or actual.is_bound or not target.comparable_with(actual):
            continue
        if target.number:
            out.append(ind)
    return out


def indicator_chart(indicators: list[Indicator]) -> str:
    """Actual as a share of target (100 % = target) for every comparable indicator."""
    shown = comparable(indicators)
    bar_x, bar_w, top = LABEL_W + 10, 380.0, 40
    ratios = []
    for ind in shown:
        assert ind.actual_measure is not None and ind.actual_measure.number is not None
        assert ind.target_measure.number is not None
        ratios.append(ind.actual_measure.number / ind.target_measure.number)
    high = max([Decimal("1.5"), *(r * Decimal("1.1") for r in ratios)])
    scale = bar_w / float(high)
    height = top + ROW * max(len(shown), 1) + 30
    body = [_text(bar_x, 16, "实际完成值 ÷ 指标值（实线为100%，即指标值）", cls="hd")]
    step = Decimal("0.5")
    mark = Decimal(0)
    while mark <= high:
        x = bar_x + scale * float(mark)
        body.append(_line(x, top - 6, height - 24, dashed=mark != 1))
        body.append(_text(x, height - 10, f"{mark * 100:.0f}%", "middle", "ax"))
        mark += step
    if not shown:
        body.append(_text(bar_x, top + 14, "没有可比较的指标（无实际完成值或单位不同）", cls="val"))
    for i, (ind, ratio) in enumerate(zip(shown, ratios, strict=True)):
        y = top + i * ROW
        lower_better = ind.target_op in ("<=", "<") or ind.target_kind == "rank"
        met = ratio <= 1 if lower_better else ratio >= 1
        name = f"{ind.code} {ind.name}"
        body.append(
            f"<g><title>{escape(name)}</title>{_text(LABEL_W, y + 12, _short(name), 'end')}</g>"
        )
        body.append(
            _bar(
                "bar-indicator",
                bar_x,
                y + 3,
                scale * float(ratio),
                14,
                OK if met else SHORT,
                str(ratio),
                f"{name}：指标值{ind.target}，实际{ind.actual}（{pct(ratio)}）",
            )
        )
        body.append(
            _text(
                bar_x + bar_w + 8, y + 14, f"{ind.actual} / {ind.target}（{pct(ratio)}）", cls="val"
            )
        )
    return _svg("indicators", LABEL_W + 650, height, "绩效指标实际完成值与指标值", body)


def findings_chart(findings: list[Finding], categories: list[str]) -> str:
    """Findings per category, stacked by severity."""
    used = [c for c in categories if any(f.category == c for f in findings)]
    used += sorted({f.category for f in findings} - set(used))
    counts = {c: {s: 0 for s in Severity} for c in used}
    for f in findings:
        counts[f.category][f.severity] += 1
    most = max([sum(c.values()) for c in counts.values()] or [1])
    bar_x, bar_w, top = 150, 480.0, 40
    unit = bar_w / most
    height = top + ROW * max(len(used), 1) + 30
    body = [_text(bar_x, 16, "问题数量（按类别与风险等级）", cls="hd")]
    for i, category in enumerate(used):
        y = top + i * ROW
        body.append(_text(bar_x - 10, y + 13, category, "end"))
        x = float(bar_x)
        for severity in Severity:
            n = counts[category][severity]
            if n:
                body.append(
                    _bar(
                        f"bar-finding sev-{severity.value}",
                        x,
                        y + 2,
                        unit * n,
                        15,
                        SEVERITY_COLORS[severity],
                        str(n),
                        f"{category}：{severity.label}风险{n}项",
                    )
                )
                x += unit * n
        body.append(_text(x + 6, y + 14, f"{sum(counts[category].values())}项", cls="val"))
    if not used:
        body.append(_text(bar_x, top + 14, "未发现问题", cls="val"))
    lx = bar_x
    for severity in Severity:
        body.append(
            f'<rect x="{lx}" y="{height - 19}" width="10" height="10" fill="{SEVERITY_COLORS[severity]}"/>'
        )
        label = severity.label if severity is Severity.INFO else f"{severity.label}风险"
        body.append(_text(lx + 14, height - 10, label, cls="ax"))
        lx += 80
    return _svg("findings", bar_x + bar_w + 80, height, "问题按类别和风险等级分布", body)


def score_chart(card: Scorecard) -> str:
    """Score against weight for each 一级 of the profile."""
    rows = card.by_level1
    bar_x, bar_w, top = 120, 420.0, 40
    most = max([float(w) for _, w, _ in rows] or [1.0])
    unit = bar_w / most
    height = top + ROW * len(rows) + 10
    body = [_text(bar_x, 16, "各一级指标得分 / 分值", cls="hd")]
    for i, (name, weight, score) in enumerate(rows):
        y = top + i * ROW
        body.append(_text(bar_x - 10, y + 13, name, "end"))
        body.append(
            _bar(
                "bar-weight",
                bar_x,
                y + 2,
                unit * float(weight),
                15,
                "#e0e0e0",
                str(weight),
                f"{name}：分值{pts(weight)}",
            )
        )
        body.append(
            _bar(
                "bar-score",
                bar_x,
                y + 2,
                unit * float(score),
                15,
                SPENT,
                str(score),
                f"{name}：得分{pts(score)}",
            )
        )
        body.append(
            _text(
                bar_x + unit * float(weight) + 6, y + 14, f"{pts(score)} / {pts(weight)}", cls="val"
            )
        )
    return _svg("scores", bar_x + bar_w + 110, height, "各一级指标得分", body)
