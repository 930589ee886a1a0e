"""Move a compiled rule's aggregate patterns onto its subject pattern.

Why: as separate facts, aggregates made ~77 of a form's ~87 engine facts, each a
JSON round trip into durable-rules. Carried as fields of the subject's own fact
(``a_<signature>``, see :func:`compliance.engine.aggregates.carried_field`), a form is
a dozen facts, and comparisons between aggregates become same-fact references
(``$m``), which the engine evaluates correctly with every operator.

The rewrite is mechanical on the compiled JSON: conditions on an aggregate
pattern's ``value`` go to the subject pattern under the carried field's name,
references to an aggregate's ``value`` become same-fact references, the key joins
between subject and aggregate facts disappear, and the subject must carry every
aggregate of the rule (``$ex``), as it had to join every aggregate fact before.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from compliance.engine.aggregates import carried_field
from compliance.engine.operands import SUBJECT, aggregate_pattern

_FIELD_OPS = frozenset({"$gt", "$gte", "$lt", "$lte", "$neq", "$ex", "$nex", "$mt", "$imt"})
_LOGIC = frozenset({"$and", "$or"})
_ARITH = frozenset({"$add", "$sub", "$mul", "$div"})


class CarryError(ValueError):
    """The compiled rule has a shape the rewrite does not know; keep it as it is."""


def _value(value: Any, fields: Mapping[str, str]) -> Any:
    """Rewrite a compared value: a reference to an aggregate becomes a same-fact one."""
    if not isinstance(value, dict):
        return value
    if len(value) == 1:
        [(key, inner)] = value.items()
        if key in fields and inner == "value":
            return {"$m": fields[key]}
        if key in _ARITH:
            return {key: {side: _value(v, fields) for side, v in inner.items()}}
        if key == "$m" or key == SUBJECT or key.startswith("j_"):
            return value
    raise CarryError(f"unknown value form {value!r}")


def _atom(atom: Any, rename: str | None, fields: Mapping[str, str]) -> Any:
    """Rewrite one comparison; ``rename`` is the carried field replacing ``value``."""
    if not isinstance(atom, dict) or len(atom) != 1:
        raise CarryError(f"unknown condition form {atom!r}")
    [(key, inner)] = atom.items()
    if key in _LOGIC:
        return {key: [_atom(a, rename, fields) for a in inner]}
    if key in _FIELD_OPS:
        if not isinstance(inner, dict) or len(inner) != 1:
            raise CarryError(f"unknown condition form {atom!r}")
        [(name, value)] = inner.items()
        return {key: {_name(name, rename): _value(value, fields)}}
    if key.startswith("$"):
        raise CarryError(f"unknown operator {key}")
    return {_name(key, rename): _value(inner, fields)}


def _name(name: str, rename: str | None) -> str:
    if rename is None:
        return name
    if name != "value":
        raise CarryError(f"an aggregate pattern compares '{name}'")
    return rename


def _atoms(pattern: Any) -> list[Any]:
    if isinstance(pattern, dict) and list(pattern) == ["$and"]:
        return list(pattern["$and"])
    return [pattern]


def _is_aggregate_join(atom: Any, patterns: Mapping[str, str]) -> bool:
    """``{"key": {"agg_X": "subject"}}``: the subject joined to an aggregate fact."""
    if not isinstance(atom, dict) or list(atom) != ["key"]:
        return False
    target = atom["key"]
    return isinstance(target, dict) and len(target) == 1 and next(iter(target)) in patterns


def _is_aggregate_identity(atom: Any) -> bool:
    return isinstance(atom, dict) and len(atom) == 1 and next(iter(atom)) in ("kind", "sig")


def carry_variant(variant: Mapping[str, Any], signatures: Mapping[str, str]) -> dict[str, Any]:
    """One compiled variant with its aggregates carried on the subject pattern.

    ``signatures`` maps each aggregate name of the rule to its signature.
    """
    fields = {aggregate_pattern(n): carried_field(s) for n, s in signatures.items()}
    patterns: list[dict[str, Any]] = []
    moved: list[Any] = [{"$ex": {field: 1}} for field in fields.values()]
    subject_at = None
    for entry in variant["all"]:
        [(name, pattern)] = entry.items()
        if name in fields:
            for atom in _atoms(pattern):
                if not _is_aggregate_identity(atom):
                    moved.append(_atom(atom, fields[name], fields))
            continue
        if name == SUBJECT:
            subject_at = len(patterns)
        patterns.append({name: pattern})
    if subject_at is None:
        raise CarryError("no subject pattern")
    own = [
        _atom(a, None, fields)
        for a in _atoms(patterns[subject_at][SUBJECT])
        if not _is_aggregate_join(a, fields)
    ]
    conditions = [*own, *moved]
    patterns[subject_at] = {
        SUBJECT: conditions[0] if len(conditions) == 1 else {"$and": conditions}
    }
    for index, entry in enumerate(patterns):
        [(name, pattern)] = entry.items()
        if index != subject_at:
            patterns[index] = {name: _walk_refs(pattern, fields)}
    return {**variant, "all": patterns}


def _walk_refs(pattern: Any, fields: Mapping[str, str]) -> Any:
    """Other patterns may not read an aggregate: refuse the rewrite if one does."""
    if isinstance(pattern, dict):
        for key, inner in pattern.items():
            if key in fields:
                raise CarryError(f"pattern reads aggregate {key}")
            _walk_refs(inner, fields)
    elif isinstance(pattern, list):
        for item in pattern:
            _walk_refs(item, fields)
    return pattern
