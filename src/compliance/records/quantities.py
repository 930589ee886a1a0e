"""Read target and actual values as people write them in indicator tables.

``≥1200台``, ``≥600T``, ``100%``, ``≥2次/天``, ``≤2小时``, ``2020年11月底``,
``全国前五名``, ``8万余人次`` and ``效果明显`` each become a :class:`Measure` that
keeps the operator, the number in a base unit, the unit, and says plainly when a
value is a date, a rank or qualitative (not measurable).

Why a hand-written reader: the values mix Chinese operators, multipliers (万, 亿),
units with conversions (T/TB, 万元/元, 次/天) and dates; no library reads these.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from compliance.core.numbers import deviation_percent
from compliance.core.remembered import remembered
from compliance.records.vocabulary import Labeled


class MeasureKind(Labeled):
    """What kind of value was written."""

    QUANTITY = "quantity", "定量（数值）"
    PERCENT = "percent", "定量（百分比）"
    DATE = "date", "日期"
    RANK = "rank", "排名"
    QUALITATIVE = "qualitative", "定性表述"


@dataclass(frozen=True)
class Unit:
    """A unit with the base unit of its dimension and the factor to reach it."""

    name: str
    dimension: str
    base: str
    multiply: Decimal
    divide: Decimal = Decimal(1)

    def to_base(self, number: Decimal) -> Decimal:
        """Convert to the base unit, multiplying before dividing to stay exact where possible."""
        return number * self.multiply / self.divide


def _units() -> dict[str, Unit]:
    table: list[
        tuple[tuple[str, ...], str, str, Decimal]
        | tuple[tuple[str, ...], str, str, Decimal, Decimal]
    ] = [
        (("TB", "T", "tb", "t"), "storage", "TB", Decimal(1)),
        (("PB", "P"), "storage", "TB", Decimal(1024)),
        (("GB", "G"), "storage", "TB", Decimal(1), Decimal(1024)),
        (("元",), "money", "元", Decimal(1)),
        (("次/天", "次/日", "次每天", "次每日"), "frequency", "次/天", Decimal(1)),
        (("次/小时", "次/时"), "frequency", "次/天", Decimal(24)),
        (("次/周",), "frequency", "次/天", Decimal(1), Decimal(7)),
        (("小时", "h", "个小时"), "duration", "小时", Decimal(1)),
        (("分钟", "min"), "duration", "小时", Decimal(1), Decimal(60)),
        (("秒", "s"), "duration", "小时", Decimal(1), Decimal(3600)),
    ]
    units: dict[str, Unit] = {}
    for names, dimension, base, *factors in table:
        for name in names:
            units[name] = Unit(name, dimension, base, *factors)
    return units


UNITS = _units()

_OPERATORS: list[tuple[str, str]] = [
    ("≥", ">="),
    (">=", ">="),
    ("＞=", ">="),
    ("不低于", ">="),
    ("不少于", ">="),
    ("大于等于", ">="),
    ("大于或等于", ">="),
    ("至少", ">="),
    ("≤", "<="),
    ("<=", "<="),
    ("＜=", "<="),
    ("不高于", "<="),
    ("不超过", "<="),
    ("不多于", "<="),
    ("小于等于", "<="),
    ("小于或等于", "<="),
    ("控制在", "<="),
    (">", ">"),
    ("＞", ">"),
    ("大于", ">"),
    ("高于", ">"),
    ("超过", ">"),
    ("多于", ">"),
    ("<", "<"),
    ("＜", "<"),
    ("小于", "<"),
    ("低于", "<"),
    ("少于", "<"),
    ("=", "="),
    ("＝", "="),
    ("等于", "="),
]
_SUFFIX_OPERATORS = [
    ("以上", ">="),
    ("及以上", ">="),
    ("以下", "<="),
    ("及以下", "<="),
    ("以内", "<="),
]
_MULTIPLIERS = {"千": Decimal(1000), "万": Decimal(10000), "亿": Decimal(100000000)}
_CN_DIGITS = {
    "零": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}

_NUMBER = re.compile(r"^(?P<num>\d+(?:,\d{3})*(?:\.\d+)?|\.\d+)(?P<rest>.*)$")
_RANK = re.compile(
    r"^(?P<scope>全国|全省|全市|全区|省内|市内|国内)?(?:排名)?(?:前|第)"
    r"(?P<n>\d+|[一二两三四五六七八九十百]+)(?:名|位)?(?P<tail>.*)$"
)
_RANK_IN_TEXT = re.compile(
    r"(?P<scope>全国|全省|全市|全州|全区|全县|省内|市内|州内|国内|同行业|同类)?(?:排名|排位|位列|进入|跻身)?"
    r"(?:前|第)(?P<n>\d+|[一二两三四五六七八九十百]+)(?:名|位)"
)
"""A ranking inside a sentence: ``……力争进入全市前三名``."""
_DATE_FULL = re.compile(r"^(\d{4})[年\-/.](\d{1,2})[月\-/.](\d{1,2})日?(?:前|之前|以前)?$")
_DATE_MONTH = re.compile(r"^(\d{4})年(\d{1,2})月(?:底|末|份|)(?:前|之前|以前)?$")
_DATE_YEAR = re.compile(r"^(\d{4})年(?:底|末|年底|年末)(?:前|之前|以前)?$")
_DATE_NO_YEAR = re.compile(r"^(\d{1,2})月(?:底|末|份|)(?:前|之前|以前)?$")
"""A deadline without its year (``12月底之前``): a date, though its day depends on the year."""
_DATE_HALF = re.compile(r"^(\d{4})年(上半年|下半年)(?:前|之前|以前)?$")


@dataclass(frozen=True)
class Measure:
    """A parsed target or actual value."""

    raw: str
    kind: MeasureKind
    op: str = "="
    number: Decimal | None = None
    unit: str = ""
    dimension: str = ""
    day: date | None = None
    scope: str = ""
    written_unit: str = ""
    """The unit as written (``万元``, ``个``, ``%``), before conversion to the base unit."""

    @property
    def is_bound(self) -> bool:
        """Whether the value states a bound (``≥90%``) rather than a measurement."""
        return self.op != "="

    @remembered
    def normalized(self) -> str:
        """A canonical text of the value, equal for values that mean the same."""
        if self.kind is MeasureKind.DATE and self.day:
            return f"{self.op}{self.day.isoformat()}"
        if self.kind is MeasureKind.RANK:
            return f"{self.scope}前{self.number}"
        if self.kind is MeasureKind.QUALITATIVE:
            return self.raw.strip()
        number = "" if self.number is None else format(self.number.normalize(), "f")
        return f"{self.op}{number}{self.unit}"

    def comparable_with(self, other: Measure) -> bool:
        """Whether two values measure the same dimension and can be compared."""
        if self.kind is not other.kind or self.number is None or other.number is None:
            return False
        return self.dimension == other.dimension


def _chinese_int(text: str) -> int:
    if text.isdigit():
        return int(text)
    if text == "十":
        return 10
    if "百" in text:
        head, _, tail = text.partition("百")
        return (_chinese_int(head) if head else 1) * 100 + (_chinese_int(tail) if tail else 0)
    if "十" in text:
        head, _, tail = text.partition("十")
        return (_CN_DIGITS[head] if head else 1) * 10 + (_CN_DIGITS[tail] if tail else 0)
    return _CN_DIGITS[text]


def _month_end(year: int, month: int) -> date:
    if month == 12:
        return date(year, 12, 31)
    return date(year, month + 1, 1).fromordinal(date(year, month + 1, 1).toordinal() - 1)


_BEFORE = ("之前", "以前", "前")


def _parse_date(text: str) -> tuple[date, bool] | None:
    """A date as written, and whether it was written as a deadline (``…前``)."""
    before = text.endswith(_BEFORE)
    try:
        if m := _DATE_FULL.match(text):
            day = date(int(m[1]), int(m[2]), int(m[3]))
        elif m := _DATE_MONTH.match(text):
            day = _month_end(int(m[1]), int(m[2]))
        elif m := _DATE_YEAR.match(text):
            day = date(int(m[1]), 12, 31)
        elif m := _DATE_HALF.match(text):
            day = date(int(m[1]), 6, 30) if m[2] == "上半年" else date(int(m[1]), 12, 31)
        else:
            return None
    except ValueError:
        return None
    return day, before


def _split_operator(text: str) -> tuple[str, str]:
    for word, op in _OPERATORS:
        if text.startswith(word):
            return op, text[len(word) :].strip()
    for word, op in _SUFFIX_OPERATORS:
        if text.endswith(word):
            return op, text[: -len(word)].strip()
    return "=", text


def parse_measure(raw: str) -> Measure:
    """Parse a value as written; anything without a number is qualitative.

    A short text's measure is remembered (a :class:`Measure` cannot change): forms
    repeat their targets (``≥90%``, ``100%``), and the loader and the checker both ask.
    """
    return _remembered_measure(raw) if len(raw) <= 64 else _parse_measure(raw)


@functools.lru_cache(maxsize=4096)
def _remembered_measure(raw: str) -> Measure:
    return _parse_measure(raw)


def _parse_measure(raw: str) -> Measure:
    text = raw.strip().replace("（", "(").replace("）", ")")
    op, body = _split_operator(text)
    if body.endswith("完成") and len(body) > 2:
        stem = body[: -len("完成")]
        if _parse_date(stem) is not None or _DATE_NO_YEAR.match(stem):
            body = stem
    if (m := _DATE_NO_YEAR.match(body)) and 1 <= int(m[1]) <= 12:
        before = body.endswith(_BEFORE)
        return Measure(raw, MeasureKind.DATE, "<=" if before else op, dimension="date")
    parsed = _parse_date(body)
    if parsed is not None:
        day, before = parsed
        return Measure(raw, MeasureKind.DATE, "<=" if before else op, day=day, dimension="date")
    if m := _RANK.match(body):
        try:
            rank = _chinese_int(m["n"])
        except KeyError:
            rank = 0
        if rank and not m["tail"].strip():
            return Measure(
                raw, MeasureKind.RANK, "<=", Decimal(rank), "名", "rank", scope=m["scope"] or ""
            )
    m = _NUMBER.match(body.replace(" ", ""))
    if not m:
        if found := _RANK_IN_TEXT.search(body):
            try:
                rank = _chinese_int(found["n"])
            except KeyError:
                rank = 0
            if rank:
                scope = found["scope"] or ""
                return Measure(
                    raw, MeasureKind.RANK, "<=", Decimal(rank), "名", "rank", scope=scope
                )
        return Measure(raw, MeasureKind.QUALITATIVE, dimension="qualitative")
    number = Decimal(m["num"].replace(",", ""))
    rest = m["rest"]
    if rest.startswith(("%", "％", "百分比")):
        return Measure(raw, MeasureKind.PERCENT, op, number, "%", "percent", written_unit="%")
    for word, factor in _MULTIPLIERS.items():
        if rest.startswith(word):
            number *= factor
            rest = rest[len(word) :]
            break
    rest = rest.lstrip("余多").strip()
    written = m["rest"].lstrip("余多").strip()
    unit = UNITS.get(rest)
    if unit is not None:
        return Measure(
            raw,
            MeasureKind.QUANTITY,
            op,
            unit.to_base(number),
            unit.base,
            unit.dimension,
            written_unit=written,
        )
    return Measure(
        raw, MeasureKind.QUANTITY, op, number, rest, f"count:{rest}", written_unit=written
    )


def with_implied_unit(actual: Measure, target: Measure) -> Measure:
    """Read a bare number (``50``) in the unit of its target (``≥50个``), as forms mean it.

    Only a plain number without unit or operator takes the target's written unit;
    anything else is returned unchanged.
    """
    bare = actual.kind is MeasureKind.QUANTITY and actual.unit == "" and not actual.is_bound
    if not bare or target.kind not in (MeasureKind.QUANTITY, MeasureKind.PERCENT):
        return actual
    if not target.written_unit:
        return actual
    implied = parse_measure(actual.raw.strip() + target.written_unit)
    return Measure(
        actual.raw,
        implied.kind,
        implied.op,
        implied.number,
        implied.unit,
        implied.dimension,
        written_unit=implied.written_unit,
    )


def deviation(target: Measure, actual: Measure) -> Decimal | None:
    """Percent by which a measured actual lies above (+) or below (-) its target."""
    if not target.comparable_with(actual) or target.number is None or actual.number is None:
        return None
    return deviation_percent(actual.number, target.number)
