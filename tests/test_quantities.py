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
