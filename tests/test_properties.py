"""Property-based tests (hypothesis): the value reader, money and rounding, records, rules.

Each property holds for every input hypothesis generates, hostile ones included;
``make fuzz`` runs the same properties with a much larger budget (HYPOTHESIS_PROFILE=fuzz).
"""

from __future__ import annotations

import os
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from compliance.core.errors import InputError
from compliance.core.numbers import (
    MAX_ENGINE_ABS,
    NumberOutOfRange,
    grouped,
    money_to_engine,
    percent,
    plain,
    round_half_up,
    to_engine,
)
from compliance.core.yamlfile import parse_yaml
from compliance.records.fields import schema
from compliance.records.loading import build_project
from compliance.records.quantities import UNITS, MeasureKind, parse_measure
from compliance.records.vocabulary import Status
from compliance.rules.checks import RuleChecker
from compliance.rules.pack import without_always
from compliance.rules.spec import Categories, Op, RuleSpec
from tests.conftest import RULES
from tests.fuzz.yamltext import to_yaml

settings.register_profile("suite", max_examples=150, deadline=None)
settings.register_profile(
    "fuzz", max_examples=3_000, deadline=None, suppress_health_check=list(HealthCheck)
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "suite"))

# ---------------------------------------------------------------- the value reader

OPERATORS = {"≥": ">=", "≤": "<=", ">": ">", "<": "<", "不低于": ">=", "不超过": "<=", "": "="}
money = st.decimals(min_value=0, max_value=Decimal("99999999.99"), places=2)
amounts = st.decimals(min_value=0, max_value=Decimal("1000000"), places=2)


@given(op=st.sampled_from(sorted(OPERATORS)), number=amounts, unit=st.sampled_from(sorted(UNITS)))
def test_a_quantity_keeps_its_operator_and_converts_its_unit(
    op: str, number: Decimal, unit: str
) -> None:
    measure = parse_measure(f"{op}{plain(number)}{unit}")
    assert measure.kind is MeasureKind.QUANTITY
    assert measure.op == OPERATORS[op]
    assert measure.number == UNITS[unit].to_base(number)
    assert measure.unit == UNITS[unit].base


@given(op=st.sampled_from(sorted(OPERATORS)), number=amounts, sign=st.sampled_from(["%", "％"]))
def test_a_percent_is_read_as_written(op: str, number: Decimal, sign: str) -> None:
    measure = parse_measure(f"{op}{plain(number)}{sign}")
    assert (measure.kind, measure.op, measure.number) == (
        MeasureKind.PERCENT,
        OPERATORS[op],
        number,
    )


@given(count=st.integers(min_value=1, max_value=10**9), noun=st.sampled_from(["台", "项", "人次"]))
def test_thousands_separators_and_counted_units(count: int, noun: str) -> None:
    measure = parse_measure(f"≥{count:,}{noun}")
    assert (measure.number, measure.unit, measure.dimension) == (
        Decimal(count),
        noun,
        f"count:{noun}",
    )


@given(day=st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31)))
def test_dates_as_written(day: date) -> None:
    assert parse_measure(f"{day.year}年{day.month}月{day.day}日").day == day
    assert parse_measure(day.isoformat()).day == day
    deadline = parse_measure(f"{day.year}年{day.month}月{day.day}日前")
    assert (deadline.day, deadline.op) == (day, "<=")


@given(text=st.text(max_size=60))
def test_any_text_is_read_without_error(text: str) -> None:
    measure = parse_measure(text)
    assert measure.raw == text
    assert isinstance(measure.kind, MeasureKind)
    if measure.number is not None:
        assert measure.number.is_finite()


# ---------------------------------------------------------------- money and rounding

exact = st.decimals(min_value=-(10**9), max_value=10**9, allow_nan=False, places=6)


@given(value=exact)
def test_rounding_is_half_up_to_two_places_and_idempotent(value: Decimal) -> None:
    once = round_half_up(value)
    assert round_half_up(once) == once
    assert abs(once - value) <= Decimal("0.005")
    assert once == value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@given(part=money, whole=money)
def test_a_percentage_is_exact_then_rounded_once(part: Decimal, whole: Decimal) -> None:
    result = percent(part, whole)
    if whole == 0:
        assert result is None
    else:
        assert result == round_half_up(part / whole * 100)


@given(wan=money)
def test_money_crosses_into_the_engine_in_yuan(wan: Decimal) -> None:
    engine = money_to_engine(wan)
    assert Decimal(str(engine)) == wan * 10000
    assert "e" not in str(engine).lower()


@given(value=st.decimals(allow_nan=False, allow_infinity=False, places=3))
def test_the_engine_range_is_enforced(value: Decimal) -> None:
    if abs(value) >= MAX_ENGINE_ABS:
        try:
            to_engine(value)
        except NumberOutOfRange:
            return
        raise AssertionError(f"{value} crossed into the engine")
    converted = to_engine(value)
    assert Decimal(str(converted)) == value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@given(wan=money)
def test_grouped_money_reads_back(wan: Decimal) -> None:
    assert Decimal(grouped(wan).replace(",", "")) == wan


# ---------------------------------------------------------------- records round trip

texts = st.text(
    alphabet=st.characters(
        blacklist_categories=("Cs", "Cc"), blacklist_characters="\x85\u2028\u2029"
    ),
    min_size=1,
    max_size=30,
).filter(lambda s: s.strip() == s and s.strip() not in {"", "——", "—", "-", "--", "/", "无"})


@st.composite
def projects(draw: st.DrawFn) -> dict[str, Any]:
    count = draw(st.integers(min_value=0, max_value=6))
    subs = [
        {
            "number": n,
            "name": draw(texts),
            "budget": draw(money),
            "spent": draw(money),
            "status": draw(
                st.sampled_from([*(s.value for s in Status), *(s.label for s in Status)])
            ),
        }
        for n in range(1, count + 1)
    ]
    project = {
        "name": draw(texts),
        "year": draw(st.integers(min_value=1990, max_value=2100)),
        "department": draw(texts),
        "evaluation_kind": draw(st.sampled_from(["单位自评", "third_party", "财政评价"])),
        "budget": draw(money),
        "spent": draw(money),
    }
    return {"project": project, "sub_projects": subs} if subs else {"project": project}


def _load(data: dict[str, Any]) -> list[Any]:
    doc = parse_yaml(to_yaml(data), "p.yaml")
    assert not doc.problems
    return build_project(doc.data, doc.locate, "p.yaml").records


def _written(records: list[Any]) -> dict[str, Any]:
    """The records as a record file would hold them (field names, stored fields only)."""
    data: dict[str, Any] = {}
    for record in records:
        fields = {
            name: getattr(record, name)
            for name in type(record).model_fields
            if getattr(record, name) is not None
        }
        fields = {
            k: (v.value if isinstance(v, Status) or hasattr(v, "label") else v)
            for k, v in fields.items()
        }
        if record.kind == "project":
            data["project"] = fields
        else:
            data.setdefault("sub_projects", []).append(fields)
    return data


@given(data=projects())
@settings(suppress_health_check=[HealthCheck.too_slow])
def test_records_survive_load_write_load(data: dict[str, Any]) -> None:
    first = _load(data)
    assert first[0].budget == data["project"]["budget"]
    assert [r.spent for r in first[1:]] == [s["spent"] for s in data.get("sub_projects", [])]
    second = _load(_written(first))
    assert second == first


@given(
    field=st.sampled_from(["budget", "spent", "name", "year", "status"]),
    value=st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(),
        st.decimals(),
        st.text(max_size=20),
        st.lists(st.integers(), max_size=3),
        st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
    ),
)
def test_any_value_in_a_record_loads_or_is_a_located_error(field: str, value: Any) -> None:
    sub = {
        "number": 1,
        "name": "运维",
        "budget": Decimal("1.00"),
        "spent": Decimal("1.00"),
        "status": "已完成",
        field: value,
    }
    data = {
        "project": {
            "name": "p",
            "year": 2020,
            "department": "d",
            "evaluation_kind": "自评",
            "budget": Decimal("1"),
            "spent": Decimal("1"),
        },
        "sub_projects": [sub],
    }
    try:
        _load(data)
    except InputError as exc:
        assert all(p.location.line > 0 for p in exc.problems)


# ---------------------------------------------------------------- rule validation

CATEGORIES = Categories.model_validate(
    parse_yaml((RULES / "categories.yaml").read_bytes(), "c").data
)
FIELDS = sorted(schema("sub_project"))
values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=10),
    st.sampled_from(["completed", "已完成", "2020-01-01"]),
    st.fixed_dictionaries({"param": st.sampled_from(["limit", "nope"])}),
    st.fixed_dictionaries({"field": st.sampled_from([*FIELDS, "nope"])}),
    st.fixed_dictionaries(
        {
            "mul": st.tuples(
                st.fixed_dictionaries({"field": st.sampled_from(FIELDS)}), st.decimals()
            ).map(list)
        }
    ),
    st.lists(st.one_of(st.integers(), st.text(max_size=5)), max_size=3),
)
conditions = st.fixed_dictionaries(
    {
        "field": st.one_of(st.sampled_from(FIELDS), st.text(max_size=8)),
        "op": st.one_of(st.sampled_from([o.value for o in Op]), st.text(max_size=5)),
    },
    optional={"value": values, "tolerance": values},
)


@given(when=st.one_of(st.lists(conditions, max_size=3), st.just("always"), values))
@settings(suppress_health_check=[HealthCheck.too_slow])
def test_any_rule_condition_validates_or_is_a_located_error(when: Any) -> None:
    rule = {
        "id": "ZZ01",
        "title": "t",
        "category": "资金管理类",
        "framework": "过程/资金管理/预算执行率",
        "severity": "medium",
        "subject": "sub_project",
        "params": {"limit": {"default": 90, "description": "d"}},
        "when": when,
        "message": "子项目“{subject}”",
        "recommendation": "r",
        "references": [{"title": "x"}],
    }
    doc = parse_yaml(to_yaml(rule), "ZZ01.yaml")
    data, always = without_always(doc.data)
    try:
        spec = RuleSpec.model_validate(data)
    except Exception as exc:  # pydantic's ValidationError: a located error through problems_from
        assert type(exc).__name__ == "ValidationError"
        return
    problems = RuleChecker(spec, doc, CATEGORIES, always).run()
    if not problems:
        from compliance.engine.compiler import compile_rule

        compile_rule(spec, {"limit": Decimal(90)})


def test_a_deviation_beyond_exact_precision_is_unknown_not_a_crash() -> None:
    """Found by the corpus replay after the rebase: an actual of 1e30 crashed the checker."""
    from compliance.core.numbers import deviation_percent

    assert deviation_percent(Decimal("1e30"), Decimal(5000)) is None
    assert deviation_percent(Decimal(5500), Decimal(5000)) == Decimal("10.00")
