"""The report's four charts as PNG images for Word, drawn with matplotlib and a CJK font.

Why matplotlib: Word cannot show the HTML report's inline SVG reliably (WPS and
older Word do not), and a PNG drawn at print resolution looks the same
everywhere. The figures show the same data as :mod:`charts` (same colours, same
execution line, same comparable indicators). Chinese labels need a CJK font:
Noto Sans CJK (Debian ``fonts-noto-cjk``) or another installed CJK font; without
one the labels would be empty boxes, so drawing stops with a clear message.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from decimal import Decimal
from io import BytesIO

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text

from compliance.checking.findings import Finding
from compliance.core.numbers import percent_text
from compliance.output.report.charts import (
    BUDGET,
    OK,
    SEVERITY_COLORS,
    SHORT,
    SPENT,
    comparable,
)
from compliance.output.report.fonts import cjk_font
from compliance.records.formulas import below_line
from compliance.records.indicators import Indicator
from compliance.records.project import SubProject
from compliance.records.vocabulary import Severity, Status
from compliance.scoring import Scorecard
from compliance.scoring.arith import pct

WIDTH_IN = 6.3
"""Figure width in inches: the text width of an A4 page with 28 mm margins."""
DPI = 150
"""Print resolution of a 16 cm wide chart (945 pixels across)."""


def _figure(rows: int, extra: float = 1.0, per_row: float = 0.28) -> Figure:
    height = min(max(1.6, per_row * rows + extra), 9.0)
    fig = Figure(figsize=(WIDTH_IN, height), dpi=DPI)
    FigureCanvasAgg(fig)
    cjk_font()  # fail before drawing when no font can write the labels
    return fig


def _label_width(labels: list[str], size: float) -> float:
    """Inches taken by the widest label at ``size`` points (a CJK character is one em)."""
    widest = max([sum(1.0 if ord(c) > 0x2E80 else 0.55 for c in t) for t in labels] or [0.0])
    return widest * size / 72 * 1.08 + 0.25


def _margins(fig: Figure, left: float, legend: bool = False) -> None:
    """Fixed margins (a layout engine costs more time than the drawing itself)."""
    width, height = fig.get_size_inches()
    fig.subplots_adjust(
        left=left / width,
        right=1 - 0.1 / width,
        top=1 - 0.3 / height,
        bottom=(0.3 + (0.25 if legend else 0.0)) / height,
        wspace=0.08,
    )


def _png(fig: Figure) -> bytes:
    out = BytesIO()
    fig.savefig(out, format="png", dpi=DPI, facecolor="white")
    return out.getvalue()


def _short(text: str, limit: int = 16) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _fonted(fig: Figure) -> None:
    """Every text of the figure in the CJK font (ticks, labels, legends, titles)."""
    family = cjk_font()
    for text in fig.findobj(match=Text):
        assert isinstance(text, Text)
        text.set_fontfamily(family)


def budget_png(subs: list[SubProject], line: Decimal = Decimal(90)) -> bytes:
    """Budget and spending per sub-project, and the execution rate beside each.

    Sub-projects whose budget or spending the records do not state are left out.
    """
    subs = [s for s in subs if s.budget is not None and s.spent is not None]
    fig = _figure(len(subs), 0.9, per_row=0.2)
    money, rate = fig.subplots(1, 2, sharey=True, gridspec_kw={"width_ratios": [3, 2]})
    names = [_short(f"{s.number}. {s.name}") for s in subs]
    ys = list(range(len(subs)))
    budgets = [float(s.budget or 0) for s in subs]
    spent = [float(s.spent or 0) for s in subs]
    positive = [v for v in budgets + spent if v > 0] or [1.0]
    log = max(positive) / min(positive) > 50
    money.barh([y - 0.2 for y in ys], budgets, height=0.4, color=BUDGET, label="预算")
    money.barh([y + 0.2 for y in ys], spent, height=0.4, color=SPENT, label="支出")
    if log:
        money.set_xscale("log")
        money.set_xlim(10 ** math.floor(math.log10(min(positive))), None)
        money.xaxis.set_major_formatter(lambda v, _p: f"{v:g}")
    money.set_yticks(ys, names, fontsize=6.5)
    money.invert_yaxis()
    money.set_title("预算与支出（万元" + ("，对数刻度）" if log else "）"), fontsize=8)
    fig.legend(fontsize=6.5, loc="lower center", ncols=2, frameon=False)
    _margins(fig, _label_width(names, 6.5), legend=True)
    money.tick_params(axis="x", labelsize=6.5)
    fraction = float(line) / 100
    exact = [s.execution_rate for s in subs]  # percent, rounded as the rules compare it
    rates = [float(r or 0) / 100 for r in exact]
    rate.barh(
        ys,
        [min(r, 1.2) for r in rates],
        height=0.6,
        color=[SHORT if below_line(e, line) else OK for e in exact],
    )
    rate.axvline(fraction, color="#555555", linestyle="--", linewidth=0.8)
    for y, r, s, e in zip(ys, rates, subs, exact, strict=True):
        written = "—" if e is None else percent_text(e)
        shown = "未开展" if s.status is Status.NOT_STARTED else written
        rate.text(min(r, 1.2) + 0.02, y, shown, va="center", fontsize=6)
    rate.set_xlim(0, 1.6)
    rate.set_xticks([0, 0.5, 1.0], ["0%", "50%", "100%"], fontsize=6.5)
    rate.set_title(f"预算执行率（虚线为{line.normalize():f}%）", fontsize=8)
    _fonted(fig)
    return _png(fig)


def indicator_png(indicators: list[Indicator]) -> bytes:
    """Actual over target for every comparable indicator; 100 % is the target."""
    shown = comparable(indicators)
    fig = _figure(max(len(shown), 1), 1.0)
    ax = fig.subplots()
    if not shown:
        ax.text(0.5, 0.5, "没有可比较的指标（无实际完成值或单位不同）", ha="center", fontsize=8)
        ax.set_axis_off()
    ratios, colors, labels, texts = [], [], [], []
    for ind in shown:
        assert ind.actual_measure is not None and ind.actual_measure.number is not None
        assert ind.target_measure.number is not None
        ratio = ind.actual_measure.number / ind.target_measure.number
        lower_better = ind.target_op in ("<=", "<") or ind.target_kind == "rank"
        met = ratio <= 1 if lower_better else ratio >= 1
        ratios.append(float(ratio))
        colors.append(OK if met else SHORT)
        labels.append(_short(f"{ind.code} {ind.name}"))
        texts.append(f"{ind.actual} / {ind.target}（{pct(ratio)}）")
    if shown:
        ys = list(range(len(shown)))
        ax.barh(ys, ratios, height=0.6, color=colors)
        ax.axvline(1.0, color="#333333", linewidth=0.9)
        for y, r, text in zip(ys, ratios, texts, strict=True):
            ax.text(r + 0.02, y, text, va="center", fontsize=6.5)
        ax.set_yticks(ys, labels, fontsize=7)
        ax.invert_yaxis()
        ax.set_xlim(0, max(1.5, max(ratios)) * 1.9)  # room for the values written right
        ax.xaxis.set_major_formatter(lambda v, _p: f"{v:.0%}")
        ax.tick_params(axis="x", labelsize=6.5)
    ax.set_title("实际完成值 ÷ 指标值（实线为100%，即指标值）", fontsize=8)
    _margins(fig, _label_width(labels, 7) if shown else 0.3)
    _fonted(fig)
    return _png(fig)


def score_png(card: Scorecard) -> bytes:
    """Score against weight for each 一级 of the profile."""
    rows = card.by_level1
    fig = _figure(len(rows), 0.8)
    ax = fig.subplots()
    ys = list(range(len(rows)))
    ax.barh(ys, [float(w) for _, w, _ in rows], height=0.6, color="#e0e0e0", label="分值")
    ax.barh(ys, [float(s) for _, _, s in rows], height=0.6, color=SPENT, label="得分")
    for y, (_name, w, s) in zip(ys, rows, strict=True):
        ax.text(
            float(w) + 0.3, y, f"{s.normalize():f} / {w.normalize():f}", va="center", fontsize=7
        )
    ax.set_yticks(ys, [name for name, _, _ in rows], fontsize=8)
    ax.invert_yaxis()
    ax.set_xlim(0, max([float(w) for _, w, _ in rows] or [1.0]) * 1.25)
    ax.set_title("各一级指标得分 / 分值", fontsize=8)
    fig.legend(fontsize=6.5, loc="lower center", ncols=2, frameon=False)
    _margins(fig, _label_width([name for name, _, _ in rows], 8), legend=True)
    ax.tick_params(axis="x", labelsize=6.5)
    _fonted(fig)
    return _png(fig)


def findings_png(findings: list[Finding], categories: list[str]) -> bytes:
    """Findings per category, stacked by severity."""
    used = [c for c in categories if any(f.category == c for f in findings)]
    used += sorted({f.category for f in findings} - set(used))
    fig = _figure(max(len(used), 1), 1.0)
    ax = fig.subplots()
    if not used:
        ax.text(0.5, 0.5, "未发现问题", ha="center", fontsize=8)
        ax.set_axis_off()
    ys = list(range(len(used)))
    left = [0] * len(used)
    for severity in Severity:
        counts = [
            sum(1 for f in findings if f.category == c and f.severity is severity) for c in used
        ]
        label = severity.label if severity is Severity.INFO else f"{severity.label}风险"
        if used:
            ax.barh(ys, counts, left=left, height=0.6, color=SEVERITY_COLORS[severity], label=label)
        left = [a + b for a, b in zip(left, counts, strict=True)]
    for y, total in zip(ys, left, strict=True):
        ax.text(total + 0.1, y, f"{total}项", va="center", fontsize=7)
    if used:
        ax.set_yticks(ys, used, fontsize=8)
        ax.invert_yaxis()
        ax.set_xlim(0, max(left) * 1.2 + 1)
        fig.legend(fontsize=6.5, loc="lower center", ncols=4, frameon=False)
        ax.tick_params(axis="x", labelsize=6.5)
    _margins(fig, _label_width(used, 8), legend=bool(used))
    ax.set_title("问题数量（按类别与风险等级）", fontsize=8)
    _fonted(fig)
    return _png(fig)


CHARTS: dict[str, Callable[..., bytes]] = {
    "budget": budget_png,
    "indicators": indicator_png,
    "scores": score_png,
    "findings": findings_png,
}
