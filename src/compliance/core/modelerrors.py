"""Turn pydantic's validation errors into messages an auditor can act on.

Why: pydantic's wording (``Input should be a valid decimal``) names neither the
file nor the allowed values. One lookup table rewrites each error type, and the
source positions recorded by :mod:`compliance.core.yamlfile` give ``file:line:col``.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Callable, Sequence
from decimal import Decimal
from enum import Enum
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from compliance.core.errors import InputProblem, Location, did_you_mean, dotted
from compliance.core.labels import Labeled

Locator = Callable[[tuple[str | int, ...]], Location]


def _shown(value: Any) -> str:
    text = repr(value) if not isinstance(value, str) else f"'{value}'"
    return text if len(text) <= 60 else text[:57] + "..."


def _inner_types(annotation: Any) -> list[Any]:
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _inner_types(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        return [t for a in typing.get_args(annotation) for t in _inner_types(a)]
    if origin in (list, tuple, set, dict, Sequence):
        return [t for a in typing.get_args(annotation) for t in _inner_types(a)]
    return [annotation]


def _annotation_at(model: type[BaseModel], loc: Sequence[str | int]) -> Any:
    """Follow ``loc`` through nested models; return the annotation found there."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        models = [
            t for t in _inner_types(current) if isinstance(t, type) and issubclass(t, BaseModel)
        ]
        if not models or part not in models[0].model_fields:
            return None
        current = models[0].model_fields[part].annotation
    return current


def _model_at(model: type[BaseModel], loc: Sequence[str | int]) -> type[BaseModel] | None:
    found = _annotation_at(model, loc)
    models = [t for t in _inner_types(found) if isinstance(t, type) and issubclass(t, BaseModel)]
    return models[0] if models else None


def _enum_at(model: type[BaseModel], loc: Sequence[str | int]) -> type[Enum] | None:
    found = _annotation_at(model, [p for p in loc if isinstance(p, str)])
    enums = [t for t in _inner_types(found) if isinstance(t, type) and issubclass(t, Enum)]
    return enums[0] if enums else None


def _message(model: type[BaseModel], error: ErrorDetails) -> str:
    kind = error["type"]
    value = error.get("input")
    loc = error["loc"]
    ctx = error.get("ctx", {})
    if kind == "missing":
        return "required field is missing"
    if kind == "extra_forbidden":
        owner = _model_at(model, loc[:-1])
        fields = list(owner.model_fields) if owner else []
        hint = did_you_mean(str(loc[-1]), fields)
        return f"unknown field '{loc[-1]}'{hint}; allowed fields: {', '.join(fields) or '(none)'}"
    if kind == "enum":
        enum = _enum_at(model, loc)
        if enum is not None and issubclass(enum, Labeled):
            return f"{_shown(value)} is not allowed; expected one of: {enum.choices()}"
        return f"{_shown(value)} is not allowed; expected one of: {ctx.get('expected', '')}"
    if kind in {
        "decimal_parsing",
        "decimal_type",
        "int_parsing",
        "int_type",
        "float_parsing",
        "int_from_float",
        "float_type",
        "finite_number",
    }:
        return f"expected a number, got {_shown(value)}"
    if kind in {"bool_parsing", "bool_type"}:
        return f"expected true or false, got {_shown(value)}"
    if kind.startswith("date") or kind.startswith("datetime"):
        return f"expected a date written as YYYY-MM-DD, got {_shown(value)}"
    if kind in {"string_type"}:
        return f"expected text, got {_shown(value)}"
    if kind == "too_short":
        return f"needs at least {ctx.get('min_length', 1)} item(s), got {len(value) if hasattr(value, '__len__') else value!r}"
    if kind == "string_too_short":
        return "must not be empty"
    if kind in {"greater_than_equal", "greater_than", "less_than_equal", "less_than"}:
        bound = next(iter(ctx.values()), "")
        if isinstance(bound, Decimal):
            bound = format(bound.normalize(), "f")
        word = {
            "greater_than_equal": "≥",
            "greater_than": ">",
            "less_than_equal": "≤",
            "less_than": "<",
        }[kind]
        return f"must be {word} {bound}, got {_shown(value)}"
    if kind in {"model_type", "model_attributes_type", "dict_type"}:
        return f"expected a mapping of fields, got {_shown(value)}"
    if kind in {"list_type", "tuple_type"}:
        return f"expected a list, got {_shown(value)}"
    if kind == "literal_error":
        return f"{_shown(value)} is not allowed; expected one of: {ctx.get('expected', '')}"
    if kind == "value_error":
        return str(ctx.get("error", error["msg"]))
    return f"{error['msg']} (got {_shown(value)})"


_UNION_TAGS = {
    "bool": "true or false",
    "int": "a number",
    "float": "a number",
    "decimal": "a number",
    "str": "text",
    "none": "nothing",
}
"""The branches of a union (``bool | int | Decimal | str``) as pydantic names them in a path."""


def _union_kind(part: str | int) -> str | None:
    if not isinstance(part, str):
        return None
    if part.startswith("list["):
        return "a list"
    if part.startswith("dict["):
        return "a mapping"
    return _UNION_TAGS.get(part)


def problems_from(
    error: ValidationError,
    model: type[BaseModel],
    locate: Locator,
    prefix: tuple[str | int, ...] = (),
) -> list[InputProblem]:
    """Rewrite every error of ``error`` with its source position.

    A value that fits no branch of a union is one problem (``expected true or false, a
    number or text, got nan``), not one per branch with the branch in its path.
    """
    problems = []
    unions: dict[tuple[str | int, ...], tuple[list[str], Any]] = {}
    for detail in error.errors(include_url=False):
        loc = tuple(
            p for p in detail["loc"] if not (isinstance(p, str) and p.startswith("function-"))
        )
        loc = tuple(
            p for p in loc if p != "[key]" and not (isinstance(p, str) and p.startswith("~"))
        )
        full = (*prefix, *loc)
        kind = _union_kind(full[-1]) if full else None
        if kind is not None:
            kinds, _ = unions.setdefault(full[:-1], ([], detail.get("input")))
            kinds.append(kind)
            continue
        problems.append(InputProblem(locate(full), dotted(full), _message(model, detail)))
    for where, (kinds, value) in unions.items():
        wanted = list(dict.fromkeys(kinds))
        text = ", ".join(wanted[:-1]) + (" or " if len(wanted) > 1 else "") + wanted[-1]
        problems.append(
            InputProblem(locate(where), dotted(where), f"expected {text}, got {_shown(value)}")
        )
    return problems
