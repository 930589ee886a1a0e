"""What the engine sees of a record: typed fields, and the fact built from them.

Why: durable-rules compares anything with anything (``"2" == 2``) and a missing
field matches nothing, so each record kind has a schema derived from its pydantic
model, rules are checked against it, and every value is converted once, through
:mod:`compliance.core.numbers`, before it reaches the engine.
"""

from __future__ import annotations

import builtins
import datetime as dt
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from functools import cache
from typing import Any

from compliance.core.numbers import date_to_engine, grouped, money_to_engine, plain, to_engine
from compliance.records.kinds import RECORD_KINDS
from compliance.records.project import MONEY, Record
from compliance.records.vocabulary import Labeled


class FieldType(StrEnum):
    """How a field compares in the engine."""

    NUMBER = "number"
    MONEY = "money"
    TEXT = "text"
    BOOL = "bool"
    DATE = "date"
    ENUM = "enum"

    @property
    def ordered(self) -> bool:
        """Whether gt/ge/lt/le make sense on the type."""
        return self in {FieldType.NUMBER, FieldType.MONEY, FieldType.DATE}


SEQ = "seq"
PSEUDO_FIELDS = frozenset({"key", SEQ})
"""Fields every fact has: the record's identity and its position in the file."""


@dataclass(frozen=True)
class FieldSpec:
    """One field a rule may name."""

    name: str
    type: FieldType
    title: str
    enum: builtins.type[Labeled] | None = None


def _classify(annotation: Any) -> tuple[FieldType, type[Labeled] | None] | None:
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        base, *meta = typing.get_args(annotation)
        found = _classify(base)
        if found and found[0] is FieldType.NUMBER and any(m is MONEY for m in meta):
            return FieldType.MONEY, None
        return found
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(annotation) if a is not type(None)]
        return _classify(options[0]) if len(options) == 1 else None
    if annotation is bool:
        return FieldType.BOOL, None
    if annotation in (int, Decimal, float):
        return FieldType.NUMBER, None
    if annotation is str:
        return FieldType.TEXT, None
    if annotation is dt.date:
        return FieldType.DATE, None
    if isinstance(annotation, type) and issubclass(annotation, Labeled):
        return FieldType.ENUM, annotation
    return None


@cache
def schema(kind: str) -> dict[str, FieldSpec]:
    """The comparable fields of a record kind (stored and computed)."""
    model = RECORD_KINDS[kind]
    specs: dict[str, FieldSpec] = {
        "key": FieldSpec("key", FieldType.TEXT, "编号"),
        SEQ: FieldSpec(SEQ, FieldType.NUMBER, "录入顺序"),
    }
    for name, info in model.model_fields.items():
        found = _classify(info.annotation)
        if found and found[0] is FieldType.NUMBER and any(m is MONEY for m in info.metadata):
            found = (FieldType.MONEY, None)
        if found and name != "source":
            specs[name] = FieldSpec(name, found[0], info.title or name, found[1])
    for name, computed in model.model_computed_fields.items():
        found = _classify(computed.return_type)
        if found:
            specs[name] = FieldSpec(name, found[0], computed.title or name, found[1])
    return specs


@cache
def derived_from(kind: str, name: str) -> tuple[str, ...] | None:
    """The stored fields a computed field reads, or None when ``name`` is not computed.

    A record kind names them in ``derived_from`` (``{"deviation_pct": ("target", "actual")}``);
    a computed field it does not name reads no field that can be unknown.
    """
    model = RECORD_KINDS.get(kind)
    if model is None or name not in model.model_computed_fields:
        return None
    return tuple(model.derived_from.get(name, ()))


def _money(value: Any) -> float | int:
    return money_to_engine(value if type(value) is Decimal else Decimal(value))


def _number(value: Any) -> float | int:
    return to_engine(value if type(value) is Decimal else Decimal(value))


def _enum(value: Any) -> str:
    return str(value.value if isinstance(value, StrEnum) else value)


CONVERTERS: dict[FieldType, Callable[[Any], Any]] = {
    FieldType.MONEY: _money,
    FieldType.NUMBER: _number,
    FieldType.DATE: date_to_engine,
    FieldType.ENUM: _enum,
    FieldType.BOOL: bool,
    FieldType.TEXT: str,
}
"""How each type of field crosses into the engine, looked up once per field, not per value."""


def engine_value(spec: FieldSpec, value: Any) -> Any:
    """Convert one exact value to what the engine compares."""
    return CONVERTERS[spec.type](value)


BLANK_SUFFIX = "__blank"
"""A fact carries ``<field>__blank: 1`` for each field written blank on the document."""


def blank_flag(name: str) -> str:
    """The fact property that marks field ``name`` as written blank (not merely unknown)."""
    return f"{name}{BLANK_SUFFIX}"


def is_blank(record: Record, name: str) -> bool:
    """Whether the record states ``name`` as empty: given in the source, with no value.

    Unknown is not absent: a field the record omits is unknown; one written ``""`` (or
    ``—``, ``null``) was seen empty on the document. Pydantic's ``model_fields_set``
    tells the two apart. A computed field is never blank: with no value it is unknown or
    not applicable, as ``derived_from`` decides.
    """
    return getattr(record, name, None) is None and name in record.model_fields_set


@cache
def _fact_fields(kind: str) -> tuple[tuple[str, Callable[[Any], Any], str], ...]:
    """Each field a fact of ``kind`` may carry: its name, its converter, its blank flag."""
    return tuple(
        (name, CONVERTERS[spec.type], blank_flag(name))
        for name, spec in schema(kind).items()
        if name not in PSEUDO_FIELDS
    )


def to_fact(record: Record, seq: int) -> dict[str, Any]:
    """Build the engine fact of a record: known values, and a flag for each blank field.

    An unknown field stays off the fact, so no comparison and no ``absent`` matches it.
    A field is blank as :func:`is_blank` says: no value, yet given in the source.
    """
    fact: dict[str, Any] = {"kind": record.kind, "key": record.key, "seq": seq}
    given = record.model_fields_set
    for name, convert, flag in _fact_fields(record.kind):
        value = getattr(record, name)
        if value is not None:
            fact[name] = convert(value)
        elif name in given:
            fact[flag] = 1
    return fact


def display(spec: FieldSpec | None, value: Any) -> str:
    """Write an exact value the way a report would."""
    kind = type(value)
    if kind is str:  # the common cases first: display runs for every value a finding shows
        text: str = value
        return text
    if kind is Decimal:
        return grouped(value) if spec is not None and spec.type is FieldType.MONEY else plain(value)
    if value is None:
        return "（空）"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, Labeled):
        return value.label
    if isinstance(value, Decimal):
        return grouped(value) if spec is not None and spec.type is FieldType.MONEY else plain(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)
