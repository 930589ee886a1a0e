from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from compliance.records.quantities import MeasureKind, deviation, parse_measure


@pytest.mark.parametrize(
    ("raw", "kind", "op", "number", "unit"),
    [
        ("≥18项", MeasureKind.QUANTITY, ">=", "18", "项"),
        (" ≥600T ", MeasureKind.QUANTITY, ">=", "600", "TB"),
        ("1550TB", MeasureKind.QUANTITY, "=", "1550", "TB"),
        ("2PB", MeasureKind.QUANTITY, "=", "2048", "TB"),
        ("100%", MeasureKind.PERCENT, "=", "100", "%"),
        ("≥99.9%", MeasureKind.PERCENT, ">=", "99.9", "%"),
        ("≥2次/天", MeasureKind.QUANTITY, ">=", "2", "次/天"),
        ("≤2小时", MeasureKind.QUANTITY, "<=", "2", "小时"),
        ("30分钟", MeasureKind.QUANTITY, "=", "0.5", "小时"),
        ("≤90万元", MeasureKind.QUANTITY, "<=", "900000", "元"),
        ("8万余人次", MeasureKind.QUANTITY, "=", "80000", "人次"),
        ("1,640台", MeasureKind.QUANTITY, "=", "1640", "台"),
        ("不少于5次", MeasureKind.QUANTITY, ">=", "5", "次"),
        ("5次以上", MeasureKind.QUANTITY, ">=", "5", "次"),
    ],
)
def test_quantities(raw: str, kind: MeasureKind, op: str, number: str, unit: str) -> None:
    measure = parse_measure(raw)
    assert (measure.kind, measure.op, measure.number, measure.unit) == (
        kind,
        op,
        Decimal(number),
        unit,
    )


@pytest.mark.parametrize(
    ("raw", "op", "day"),
    [
        ("2020年11月底", "=", date(2020, 11, 30)),
        ("2020年2月底", "=", date(2020, 2, 29)),
        ("2020年底", "=", date(2020, 12, 31)),
        ("2020-12-31", "=", date(2020, 12, 31)),
        ("2021年6月30日前", "<=", date(2021, 6, 30)),
        ("2021年上半年", "=", date(2021, 6, 30)),
        ("≤2021年5月", "<=", date(2021, 5, 31)),
    ],
)
def test_dates(raw: str, op: str, day: date) -> None:
    measure = parse_measure(raw)
    assert (measure.kind, measure.op, measure.day) == (MeasureKind.DATE, op, day)


@pytest.mark.parametrize(
    ("raw", "rank", "scope"),
    [
        ("全国前五名", 5, "全国"),
        ("全省前10名", 10, "全省"),
        ("第一名", 1, ""),
        ("前二十名", 20, ""),
    ],
)
def test_ranks(raw: str, rank: int, scope: str) -> None:
    measure = parse_measure(raw)
    assert (measure.kind, measure.number, measure.scope) == (MeasureKind.RANK, Decimal(rank), scope)


@pytest.mark.parametrize("raw", ["效果明显", "达成预期指标", "符合相关规定", "良好"])
def test_qualitative_values_say_so(raw: str) -> None:
    assert parse_measure(raw).kind is MeasureKind.QUALITATIVE


def test_deviation_converts_units_and_rounds_half_up() -> None:
    assert deviation(parse_measure("≥600TB"), parse_measure("772T")) == Decimal("28.67")
    assert deviation(parse_measure("≥1200台"), parse_measure("1640台")) == Decimal("36.67")
    assert deviation(parse_measure("≥0.35万元"), parse_measure("4550元")) == Decimal("30.00")


def test_no_deviation_between_different_dimensions() -> None:
    assert deviation(parse_measure("≥600T"), parse_measure("600台")) is None
    assert deviation(parse_measure("≥90%"), parse_measure("效果明显")) is None


def test_normalized_targets_are_equal_for_equal_meaning() -> None:
    assert parse_measure("≥600T").normalized == parse_measure(">=600TB").normalized
    assert parse_measure("≥600T").normalized != parse_measure("≤600T").normalized


@pytest.mark.parametrize(
    ("raw", "rank", "scope"),
    [
        ("……力争进入全市前三名", Decimal(3), "全市"),
        ("年度考核排名进入全省前10位", Decimal(10), "全省"),
        ("确保进入前5名", Decimal(5), ""),
    ],
)
def test_a_ranking_inside_a_sentence_is_a_rank(raw: str, rank: Decimal, scope: str) -> None:
    measure = parse_measure(raw)
    assert (measure.kind, measure.number, measure.scope) == (MeasureKind.RANK, rank, scope)


@pytest.mark.parametrize("raw", ["第三方评价满意", "前期工作扎实", "12个月内完成"])
def test_sentences_without_a_rank_stay_as_they_were(raw: str) -> None:
    assert parse_measure(raw).kind is not MeasureKind.RANK


def test_a_bare_actual_takes_the_written_unit_of_its_target() -> None:
    from compliance.records.quantities import with_implied_unit

    target = parse_measure("≤90万元")
    actual = with_implied_unit(parse_measure("90"), target)
    assert (actual.number, actual.unit) == (Decimal(900000), "元")
    assert (
        deviation(
            parse_measure("≥50个"), with_implied_unit(parse_measure("50"), parse_measure("≥50个"))
        )
        == 0
    )
    percent = with_implied_unit(parse_measure("100"), parse_measure("≥100百分比"))
    assert percent.kind is MeasureKind.PERCENT
    unchanged = with_implied_unit(parse_measure("50台"), parse_measure("≥50个"))
    assert unchanged.unit == "台"


def test_a_deadline_without_its_year_is_a_date() -> None:
    measure = parse_measure("12月底之前完成")
    assert measure.kind is MeasureKind.DATE and measure.op == "<="
