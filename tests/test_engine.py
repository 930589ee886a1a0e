"""The engine wrapper: session cleanup, isolation of rejected rules, the boundary policy."""

from __future__ import annotations

from decimal import Decimal

from compliance.core.numbers import bound_to_engine, money_to_engine, to_engine
from compliance.engine.host import Engine

GO = {"go": {"kind": "$check"}}


def rule(condition: dict[str, object]) -> list[dict[str, object]]:
    return [{"all": [GO, {"subj": {"$and": [{"kind": "x"}, condition]}}]}]


def test_thousands_of_projects_stay_under_the_session_cap() -> None:
    engine = Engine({"big": rule({"$gt": {"v": 10}})})
    fired = 0
    for n in range(1_200):
        fired += len(engine.run([{"kind": "x", "key": "k", "seq": 0, "v": n % 20}]).matches)
    assert fired == 1_200 * 9 // 20


def test_a_rule_the_engine_rejects_does_not_stop_the_others() -> None:
    # JSON writes 1e-06 in exponent form, which the engine refuses to parse.
    engine = Engine({"bad": rule({"$gt": {"v": 1e-06}}), "good": rule({"$gt": {"v": 1}})})
    assert set(engine.rejected) == {"bad"}
    result = engine.run([{"kind": "x", "key": "k", "seq": 0, "v": 5}])
    assert [m.rule for m in result.matches] == ["good"]
    assert result.errors == []


def test_unmatched_facts_are_not_errors() -> None:
    engine = Engine({"r": rule({"v": 1})})
    result = engine.run(
        [{"kind": "other", "key": "a", "seq": 0}, {"kind": "x", "key": "b", "seq": 1, "v": 2}]
    )
    assert result.matches == [] and result.errors == []


def test_a_fact_given_twice_is_reported() -> None:
    engine = Engine({"r": rule({"v": 1})})
    fact = {"kind": "x", "key": "a", "seq": 0, "v": 1}
    result = engine.run([fact, fact])
    assert [e.message for e in result.errors] == ["x 'a' was given twice"]


def test_engine_numbers_never_use_exponent_form() -> None:
    assert to_engine(Decimal("0.000001")) == 0
    assert money_to_engine(Decimal("0.0001")) == 1
    assert repr(bound_to_engine(Decimal("0.001"))) == "0.001"
    assert to_engine(Decimal("1087.805")) == 1087.81
