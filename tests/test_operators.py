"""The operator table: every operator decided alike by the engine and by Python.

The engine decides what fires; explain and 未能核查 decide in Python. Both read the
one table in ``engine/operators.py``, and this test holds them to the same answer on
a grid of values that includes the ties, blanks and unknowns where they could drift.
"""

from __future__ import annotations

from decimal import Decimal
from itertools import count
from typing import Any

import pytest

from compliance.engine.compiler import compile_rule
from compliance.engine.host import Engine
from compliance.engine.operators import OPERATORS, State, Truth
from compliance.records.fields import to_fact
from compliance.records.indicators import Indicator
from compliance.rules.spec import Op, RuleSpec

_ids = count(1)

# values written in the record: None = omitted (unknown), "" = written blank
NUMBERS = [Decimal("89.99"), Decimal("90.00"), Decimal("90.01"), Decimal("90"), None]
TEXTS = ["完成较好(含尾款)", "完成", "", None]


def _rule(field: str, op: Op, value: Any, tolerance: Any = None) -> RuleSpec:
    condition: dict[str, Any] = {"field": field, "op": op.value}
    if value is not None:
        condition["value"] = value
    if tolerance is not None:
        condition["tolerance"] = tolerance
    return RuleSpec.model_validate(
        {
            "id": f"ZZ{next(_ids) % 100:02d}",
            "title": "t",
            "category": "c",
            "framework": "a/b",
            "severity": "low",
            "subject": "indicator",
            "when": [condition],
            "message": "m",
            "recommendation": "r",
            "references": [{"title": "x"}],
        }
    )


def _record(**fields: Any) -> Indicator:
    data: dict[str, Any] = {"code": "I1", "level1": "产出指标", "level2": "数量指标", "name": "s"}
    data["target"] = "≥100个"
    data["weight"] = 100
    data.update({k: v for k, v in fields.items() if v is not None})
    return Indicator.model_validate(data)


def _engine_fires(spec: RuleSpec, record: Indicator) -> bool:
    engine = Engine({spec.id: compile_rule(spec, {})})
    return bool(engine.run([to_fact(record, 0)]).matches)


def _python(spec: RuleSpec, record: Indicator, theirs: Any, tolerance: Decimal) -> Truth:
    [condition] = spec.when
    fact = to_fact(record, 0)
    entry = OPERATORS[Op(condition.op)]  # type: ignore[union-attr]
    name = condition.field  # type: ignore[union-attr]
    return entry.decide(State.on(fact, name), fact.get(name), theirs, tolerance)


def test_every_operator_has_one_entry() -> None:
    assert set(OPERATORS) == set(Op)


ORDERED = [Op.EQ, Op.NE, Op.GT, Op.GE, Op.LT, Op.LE]


@pytest.mark.parametrize("op", ORDERED, ids=lambda o: o.value)
@pytest.mark.parametrize("spent", NUMBERS, ids=str)
@pytest.mark.parametrize("tolerance", [None, Decimal("0.01")], ids=["exact", "tol"])
def test_number_comparisons_agree_at_the_boundary(
    op: Op, spent: Decimal | None, tolerance: Decimal | None
) -> None:
    if tolerance is not None and not OPERATORS[op].tolerance:
        return
    spec = _rule("score", op, 90, tolerance)
    record = _record(score=spent)
    python = _python(spec, record, 90, tolerance or Decimal(0))
    assert (python is Truth.TRUE) == _engine_fires(spec, record)
    if spent is None:
        assert python is Truth.UNKNOWN


@pytest.mark.parametrize("op", [Op.GT, Op.LT, Op.GE, Op.LE], ids=lambda o: o.value)
@pytest.mark.parametrize("spent", NUMBERS, ids=str)
def test_arithmetic_operand_keeps_the_tie_policy(op: Op, spent: Decimal | None) -> None:
    """``score gt weight × 0.9`` at exactly 90 must not fire (nor must ``lt``)."""
    spec = _rule("score", op, {"mul": [{"field": "weight"}, "0.9"]})
    record = _record(score=spent)
    python = _python(spec, record, Decimal(100) * Decimal("0.9"), Decimal(0))
    assert (python is Truth.TRUE) == _engine_fires(spec, record)


@pytest.mark.parametrize("op", [Op.PRESENT, Op.ABSENT], ids=lambda o: o.value)
@pytest.mark.parametrize("note", TEXTS, ids=repr)
def test_presence_tells_blank_from_unknown(op: Op, note: str | None) -> None:
    spec = _rule("deviation_reason", op, None)
    record = _record(deviation_reason=note)
    python = _python(spec, record, None, Decimal(0))
    assert (python is Truth.TRUE) == _engine_fires(spec, record)
    if note is None:
        assert python is Truth.UNKNOWN, "an omitted field is unknown, not absent"
    if note == "":
        assert python is (Truth.TRUE if op is Op.ABSENT else Truth.FALSE)


@pytest.mark.parametrize("op", [Op.IN, Op.NOT_IN, Op.EQ, Op.NE, Op.CONTAINS], ids=lambda o: o.value)
@pytest.mark.parametrize("note", TEXTS, ids=repr)
def test_text_operators_agree(op: Op, note: str | None) -> None:
    value: Any = ["完成", "未完成"] if OPERATORS[op].operand == "list" else "完成"
    if op is Op.CONTAINS:
        value = "较好(含"
    spec = _rule("deviation_reason", op, value)
    record = _record(deviation_reason=note)
    python = _python(spec, record, value, Decimal(0))
    assert (python is Truth.TRUE) == _engine_fires(spec, record)
    if op is Op.CONTAINS and note == "完成较好(含尾款)":
        assert python is Truth.TRUE


def test_kleene_logic() -> None:
    t, f, u = Truth.TRUE, Truth.FALSE, Truth.UNKNOWN
    assert Truth.all([t, u]) is u and Truth.all([f, u]) is f and Truth.all([t, t]) is t
    assert Truth.any([f, u]) is u and Truth.any([t, u]) is t and Truth.any([f, f]) is f


@pytest.mark.parametrize("op", ORDERED, ids=lambda o: o.value)
@pytest.mark.parametrize("tolerance", [None, Decimal("0.1")], ids=["exact", "tol"])
@pytest.mark.parametrize("arith", [False, True], ids=["field", "arith"])
def test_a_missing_field_on_the_right_never_fires(
    op: Op, tolerance: Decimal | None, arith: bool
) -> None:
    """Measured on durable-rules 2.0.28: ``score ne weight`` fired when ``weight`` was missing."""
    if tolerance is not None and (not OPERATORS[op].tolerance or arith):
        return
    value: Any = {"field": "weight"}
    if arith:
        value = {"mul": [{"field": "weight"}, "0.5"]}
    spec = _rule("score", op, value, tolerance)
    data: dict[str, Any] = {"code": "I1", "level1": "产出指标", "level2": "数量指标", "name": "s"}
    record = Indicator.model_validate({**data, "target": "≥1个", "score": 5})
    assert not _engine_fires(spec, record)
