"""Score one performance indicator against its weight, by the common self-evaluation formulas.

Why these formulas (domain.md, 自评表 scoring as commonly applied): a
quantitative indicator that meets its value earns full marks; otherwise
actual ÷ target × 分值 for a "≥" indicator and target ÷ actual × 分值 for a "≤"
one (ranks count like "≤"); a deadline is met or missed; a qualitative actual is
banded by the profile's table of words. The score never exceeds the weight. An
indicator without a measured actual earns nothing: the form's rule is that a
value without evidence is not scored, and the reason says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from compliance.records.formulas import attainment, deadline_met, upper_bound
from compliance.records.indicators import Indicator
from compliance.records.quantities import MeasureKind
from compliance.scoring.arith import ONE, ZERO, capped, pct, pts, round_score


@dataclass(frozen=True)
class IndicatorScore:
    """The score of one indicator and the sentence that derives it."""

    score: Decimal
    how: str
    gap: str | None = None
    """Why the records could not support a score, when they could not."""


def measured_percent(indicator: Indicator) -> Decimal | None:
    """The actual as a measured percent (not a bound such as ``≥90%``), if it is one."""
    actual = indicator.actual_measure
    if actual is None or actual.is_bound or actual.kind is not MeasureKind.PERCENT:
        return None
    return actual.number


def _gap(reason: str) -> IndicatorScore:
    return IndicatorScore(ZERO, f"{reason}，不得分", reason)


def _share(share: Decimal, weight: Decimal, how: str) -> IndicatorScore:
    score = round_score(weight * capped(share))
    if share >= ONE:
        return IndicatorScore(score, f"{how}，已达成，得满分{pts(score)}")
    return IndicatorScore(score, f"{how}，未达成：{pct(share)} × {pts(weight)} = {pts(score)}")


def score_indicator(
    indicator: Indicator,
    weight: Decimal,
    qualitative: dict[str, Decimal],
    overshoot: tuple[Decimal, Decimal] | None = None,
) -> IndicatorScore:
    """Score ``indicator`` out of ``weight``."""
    target, actual = indicator.target_measure, indicator.actual_measure
    said = f"指标值“{indicator.target}”，实际“{indicator.actual}”"
    if indicator.target is None:
        return _gap(f"指标值未载明（实际“{indicator.actual}”），无从比较")
    if actual is None:
        return _gap(f"指标值“{indicator.target}”，未填实际完成值")
    if actual.is_bound and actual.kind in (MeasureKind.QUANTITY, MeasureKind.PERCENT):
        return _gap(f"{said}：实际完成值写成了指标值的形式，不是实测值")
    if target.kind is not MeasureKind.QUALITATIVE and actual.kind is MeasureKind.QUALITATIVE:
        return _gap(f"{said}：定量指标的实际完成值是定性表述，无法计算完成程度")
    if MeasureKind.QUALITATIVE in (target.kind, actual.kind):
        word = (indicator.actual or "").strip()
        if word == indicator.target.strip():
            score = round_score(weight)
            return IndicatorScore(
                score, f"{said}：定性指标，实际表述与指标值相同，按达成计，得满分{pts(score)}"
            )
        if word not in qualitative:
            return _gap(
                f"{said}：定性表述无法按达成程度分档（评分方案 qualitative 未定义“{word}”）"
            )
        band = qualitative[word]
        score = round_score(weight * band)
        return IndicatorScore(
            score, f"{said}：定性指标按“{word}”计{pct(band)} × {pts(weight)} = {pts(score)}"
        )
    if target.kind is MeasureKind.DATE and actual.kind is MeasureKind.DATE:
        if deadline_met(target, actual):
            return IndicatorScore(round_score(weight), f"{said}：按期完成，得满分{pts(weight)}")
        return IndicatorScore(ZERO, f"{said}：逾期，不得分")
    if not target.comparable_with(actual) or target.number is None or actual.number is None:
        return _gap(f"{said}：实际值与指标值的类型或单位不同，无法比较")
    t, a = target.number, actual.number
    attained = attainment(target, actual)
    assert attained is not None  # comparable, checked above
    share = attained
    direction = "" if target.op != "=" else "（指标值未写方向，按“≥”计）"
    if upper_bound(target):
        how = f"{said}：“≤”类指标，得分 = 指标值 ÷ 实际值 × 分值"
    else:
        how = f"{said}{direction}：“≥”类指标，得分 = 实际值 ÷ 指标值 × 分值"
    if share >= ONE and t != 0 and a != t:
        over = abs(a - t) / t
        how += f"（偏离指标值{pct(over)}，超额不加分）"
        if overshoot is not None and over * 100 >= overshoot[0]:
            lost = round_score(weight * overshoot[1])
            score = round_score(weight - lost)
            return IndicatorScore(
                score,
                f"{how}：超出指标值{pct(over)}，达到评分方案的{pts(overshoot[0])}%，"
                f"视为目标设定偏低，扣{pts(lost)}分，得{pts(score)}分",
            )
    return _share(share, weight, how)
