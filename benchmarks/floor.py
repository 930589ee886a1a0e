"""The floor: the same compiled rule definitions evaluated by a plain-Python matcher.

The benchmark runs this on the very facts the engine gets (records with their
carried aggregates), so the time of ``matches`` is what deciding the rules costs
without durable-rules' JSON round trip, C network and Python actions. It covers
the forms the compiler emits: flat ``$and`` patterns of comparisons, same-fact
references (``$m``), references to the subject (``{"subj": field}``), arithmetic
(``$add $mul $div``), ``$ex``/``$nex``, and ``$not`` patterns. It is not a second
engine for the product: only a yardstick, checked against the engine's matches.
"""

from __future__ import annotations

import operator
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from typing import Any

Fact = Mapping[str, Any]
_MISSING = object()
_CMP: dict[str, Callable[[Any, Any], bool]] = {
    "$gt": operator.gt,
    "$gte": operator.ge,
    "$lt": operator.lt,
    "$lte": operator.le,
    "$neq": operator.ne,
}
_ARITH: dict[str, Callable[[Any, Any], Any]] = {
    "$add": operator.add,
    "$sub": operator.sub,
    "$mul": operator.mul,
    "$div": operator.truediv,
}


def _value(spec: Any, own: Fact, bound: Mapping[str, Fact]) -> Any:
    if not isinstance(spec, dict):
        return spec
    [(key, inner)] = spec.items()
    if key == "$m":
        return own.get(inner, _MISSING)
    if key in _ARITH:
        left = _value(inner["$l"], own, bound)
        right = _value(inner["$r"], own, bound)
        if left is _MISSING or right is _MISSING:
            return _MISSING
        return _ARITH[key](left, right)
    return bound[key].get(inner, _MISSING)


def _holds(cond: Any, fact: Fact, bound: Mapping[str, Fact]) -> bool:
    [(key, inner)] = cond.items()
    if key == "$and":
        return all(_holds(c, fact, bound) for c in inner)
    if key == "$or":
        return any(_holds(c, fact, bound) for c in inner)
    if key in ("$ex", "$nex"):
        [(name, _)] = inner.items()
        return (name in fact) == (key == "$ex")
    if key in _CMP:
        [(name, spec)] = inner.items()
        mine = fact.get(name, _MISSING)
        other = _value(spec, fact, bound)
        if mine is _MISSING or other is _MISSING:
            return False
        try:
            return _CMP[key](mine, other)
        except TypeError:
            return False
    mine = fact.get(key, _MISSING)
    return mine is not _MISSING and mine == _value(inner, fact, bound)


class Floor:
    """Matches compiled definitions ``{rule: [variant, …]}`` against one project's facts."""

    def __init__(self, definitions: Mapping[str, Sequence[Mapping[str, Any]]]) -> None:
        self.rules = [
            (rule_id, [next(iter(entry.items())) for entry in variant["all"]])
            for rule_id, variants in definitions.items()
            for variant in variants
        ]

    def matches(self, facts: Sequence[Fact]) -> set[tuple[str, str]]:
        """(rule, subject key) of every firing."""
        by_kind: dict[Any, list[Fact]] = defaultdict(list)
        for fact in facts:
            by_kind[fact.get("kind")].append(fact)
        fired: set[tuple[str, str]] = set()
        for rule_id, patterns in self.rules:
            self._match(rule_id, patterns[1:], {}, by_kind, fired)
        return fired

    def _match(
        self,
        rule_id: str,
        patterns: list[tuple[str, Any]],
        bound: dict[str, Fact],
        by_kind: Mapping[Any, list[Fact]],
        fired: set[tuple[str, str]],
    ) -> None:
        if not patterns:
            fired.add((rule_id, str(bound["subj"]["key"])))
            return
        (name, cond), rest = patterns[0], patterns[1:]
        candidates = by_kind.get(_kind(cond), [])
        if name.endswith("$not"):
            if not any(_holds(cond, f, bound) for f in candidates):
                self._match(rule_id, rest, bound, by_kind, fired)
            return
        for fact in candidates:
            if _holds(cond, fact, bound):
                self._match(rule_id, rest, {**bound, name: fact}, by_kind, fired)


def _kind(cond: Any) -> Any:
    atoms = cond.get("$and", [cond])
    for atom in atoms:
        if "kind" in atom:
            return atom["kind"]
    raise ValueError(f"pattern without a kind: {cond}")
