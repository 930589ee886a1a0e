"""The meaning checks of one rule file, beyond its structure.

Fields must exist on the subject's record kind, operators fit the field's type,
parameters, aggregates and placeholders resolve, the id equals the file name, and
the category is known. Every problem is collected with its position.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any

from compliance.core.errors import InputProblem, did_you_mean, dotted
from compliance.core.numbers import MAX_ENGINE_ABS, NumberOutOfRange
from compliance.core.yamlfile import PathKey, SourceDocument
from compliance.engine.compiler import (
    aggregate_of,
    aggregate_scope,
    aggregate_types,
    clause,
    match_conditions,
)
from compliance.engine.operands import OperandError, Scope, field_spec
from compliance.engine.operators import OPERATORS, filter_ops
from compliance.records.fields import FieldSpec, FieldType, schema
from compliance.records.kinds import RECORD_KINDS
from compliance.rules.messages import TemplateError, placeholders
from compliance.rules.spec import (
    Aggregate,
    AggregateFn,
    AnyOf,
    Categories,
    Clause,
    Condition,
    Op,
    RuleSpec,
)


class RuleChecker:
    """Semantic checks of one rule file, collecting problems with positions."""

    def __init__(
        self, spec: RuleSpec, doc: SourceDocument, categories: Categories, always: bool = False
    ) -> None:
        self.spec = spec
        self.doc = doc
        self.categories = categories
        self.always = always
        """The file says ``when: always``: a rule meant to hold for every subject."""
        self.problems: list[InputProblem] = []

    def fail(self, path: PathKey, message: str) -> None:
        self.problems.append(InputProblem(self.doc.locate(path), dotted(path), message))

    def run(self) -> list[InputProblem]:
        spec = self.spec
        stem = Path(self.doc.file).name.removesuffix(".yaml")
        if spec.id != stem:
            self.fail(("id",), f"rule id '{spec.id}' differs from its file name '{stem}.yaml'")
        if spec.category not in self.categories.ordered:
            self.fail(
                ("category",),
                f"unknown category '{spec.category}'; expected one of: "
                + ", ".join(self.categories.ordered),
            )
        kinds_ok = self._kind(("subject",), spec.subject)
        self._has_condition()
        for name, param in spec.params.items():
            self._param(name, param.default, param.minimum, param.maximum)
        for name, agg in spec.aggregates.items():
            self._aggregate(name, agg, kinds_ok)
        if not kinds_ok:
            return self.problems
        params = {n: p.default for n, p in spec.params.items()}
        agg_types = self._safe_agg_types()
        scope = Scope(spec.subject, spec.subject, frozenset(spec.aggregates), params)
        self._clauses(("when",), spec.when, scope, agg_types)
        names: set[str] = set()
        for section, items in (("join", spec.join), ("absent", spec.absent)):
            for index, related in enumerate(items):
                path: PathKey = (section, index)
                if not self._kind((*path, "kind"), related.kind):
                    continue
                if section == "join":
                    if not related.as_:
                        self.fail(path, "a join needs 'as': the name its fields go by in messages")
                    elif related.as_ in names:
                        self.fail((*path, "as"), f"join name '{related.as_}' is used twice")
                    names.add(related.as_ or "")
                elif related.as_:
                    self.fail((*path, "as"), "an absent record has no name ('as' is for joins)")
                try:
                    match_conditions(related, spec.subject)
                except OperandError as exc:
                    self.fail((*path, "match"), str(exc))
                inner = Scope(related.kind, spec.subject, frozenset(), params, in_subject=False)
                self._clauses((*path, "when"), related.when, inner, agg_types)
        for key in ("message", "recommendation"):
            self._template(key, getattr(spec, key), names)
        for index, name in enumerate(spec.evidence):
            try:
                field_spec(spec.subject, name)
            except OperandError as exc:
                self.fail(("evidence", index), str(exc))
        return self.problems

    def _has_condition(self) -> None:
        spec = self.spec
        if spec.when or spec.join or spec.absent or self.always:
            return
        self.fail(
            ("when",),
            f"the rule has no condition, so it would fire on every {spec.subject}; "
            "add conditions (when, join or absent), or write 'when: always' if that is meant",
        )

    def _kind(self, path: PathKey, kind: str) -> bool:
        if kind not in RECORD_KINDS:
            hint = did_you_mean(kind, RECORD_KINDS)
            self.fail(
                path,
                f"unknown record kind '{kind}'{hint}; expected one of: {', '.join(RECORD_KINDS)}",
            )
            return False
        return True

    def _param(
        self, name: str, default: Any, minimum: Decimal | None, maximum: Decimal | None
    ) -> None:
        if not isinstance(default, Decimal | int) or isinstance(default, bool):
            return
        bad = unusable_number(default)
        if bad:
            self.fail(("params", name, "default"), bad)
            return
        if (minimum is not None and default < minimum) or (
            maximum is not None and default > maximum
        ):
            self.fail(
                ("params", name, "default"),
                f"default {default} lies outside [{minimum}, {maximum}]",
            )

    def _aggregate(self, name: str, agg: Aggregate, kinds_ok: bool) -> None:
        path: PathKey = ("aggregates", name)
        if not self._kind((*path, "of"), agg.of):
            return
        self._aggregate_field(path, agg)
        if kinds_ok:
            for key in ("match", "differ"):
                for other, mine in getattr(agg, key).items():
                    for kind, field_name, side in (
                        (agg.of, other, "key"),
                        (self.spec.subject, mine, "value"),
                    ):
                        try:
                            field_spec(kind, field_name)
                        except OperandError as exc:
                            self.fail((*path, key, other), f"{side}: {exc}")
        for index, cond in enumerate(agg.where):
            self._aggregate_filter((*path, "where", index), agg.of, cond)
        for key in ("exclude_self", "earlier_only"):
            if getattr(agg, key) and agg.of != self.spec.subject:
                self.fail(
                    (*path, key),
                    f"'{key}' needs an aggregate over the subject's own kind ({self.spec.subject})",
                )
        for group in (("gap_from", "share_of"), ("plus", "minus")):
            given = [k for k in group if getattr(agg, k)]
            if len(given) > 1:
                self.fail(path, f"give at most one of {', '.join(group)}; got both")
            if given and agg.fn is AggregateFn.LIST:
                self.fail((*path, given[0]), f"a list aggregate takes no '{given[0]}'")
        for key in ("gap_from", "share_of"):
            base = getattr(agg, key)
            if not base or not kinds_ok:
                continue
            try:
                spec = field_spec(self.spec.subject, base)
            except OperandError as exc:
                self.fail((*path, key), str(exc))
                continue
            if spec.type not in (FieldType.NUMBER, FieldType.MONEY):
                self.fail((*path, key), f"'{base}' is {spec.type}; a gap or share needs a number")
        earlier = list(self.spec.aggregates)[: list(self.spec.aggregates).index(name)]
        for key in ("plus", "minus"):
            other = getattr(agg, key)
            if other and other not in earlier:
                self.fail(
                    (*path, key),
                    f"'{key}' names an aggregate declared before this one; "
                    f"declared before: {', '.join(earlier) or '(none)'}",
                )

    def _aggregate_field(self, path: PathKey, agg: Aggregate) -> None:
        try:
            if agg.fn in (AggregateFn.SUM, AggregateFn.LIST) and not agg.field:
                self.fail(
                    path,
                    f"'{agg.fn}' needs 'field': the field to {'add up' if agg.fn is AggregateFn.SUM else 'list'}",
                )
            elif agg.fn is AggregateFn.SUM and agg.field:
                summed = field_spec(agg.of, agg.field)
                if summed.type not in (FieldType.NUMBER, FieldType.MONEY):
                    self.fail((*path, "field"), f"cannot sum '{agg.field}': it is {summed.type}")
            elif agg.fn is AggregateFn.LIST and agg.field:
                field_spec(agg.of, agg.field)
            elif agg.field:
                self.fail((*path, "field"), "a count takes no 'field'")
        except OperandError as exc:
            self.fail((*path, "field"), str(exc))

    def _aggregate_filter(self, path: PathKey, kind: str, cond: Condition) -> None:
        entry = OPERATORS.get(Op(cond.op)) if cond.op in Op._value2member_map_ else None
        if entry is None or not entry.in_filter:
            self.fail(
                (*path, "op"),
                f"an aggregate's 'where' supports {filter_ops()}; got '{cond.op}'",
            )
            return
        scope = Scope(kind, kind, frozenset(), {})
        if isinstance(cond.value, dict):
            self.fail((*path, "value"), "an aggregate's 'where' compares with literal values only")
            return
        if self._numbers(path, cond):
            return
        try:
            clause(cond, scope, {})
        except OperandError as exc:
            self.fail((*path, exc.part) if exc.part else path, str(exc))
        except (NumberOutOfRange, ArithmeticError) as exc:
            self.fail((*path, "value"), _out_of_range(exc))

    def _numbers(self, path: PathKey, cond: Condition) -> bool:
        """Report unusable literals; True when any was found.

        NaN, infinity, numbers beyond the engine's range, and references whose name is
        not text would otherwise fail inside the compiler.
        """
        found = False
        for key in ("value", "tolerance"):
            bad = unusable_number(getattr(cond, key)) or unnamed_reference(getattr(cond, key))
            if bad:
                self.fail((*path, key), bad)
                found = True
        return found

    def _safe_agg_types(self) -> dict[str, Any]:
        known = {n: a for n, a in self.spec.aggregates.items() if a.of in RECORD_KINDS}
        unknown = {  # reported at 'of' (found by make fuzz: a sum over an unknown kind)
            n: FieldSpec(n, FieldType.NUMBER, n) for n in self.spec.aggregates if n not in known
        }
        try:
            spec = self.spec.model_copy(update={"aggregates": known})
            return {**aggregate_types(spec), **unknown}
        except OperandError:
            return {}

    def _clauses(
        self, path: PathKey, items: Iterable[Clause], scope: Scope, agg_types: dict[str, Any]
    ) -> None:
        for index, item in enumerate(items):
            conditions = item.any if isinstance(item, AnyOf) else [item]
            for sub, cond in enumerate(conditions):
                where: PathKey = (
                    (*path, index, "any", sub) if isinstance(item, AnyOf) else (*path, index)
                )
                if self._numbers(where, cond):
                    continue
                try:
                    name = aggregate_of(cond)
                    if name is not None and not scope.in_subject:
                        raise OperandError(
                            "conditions on aggregates belong in the rule's 'when'", "field"
                        )
                    here = scope if name is None else aggregate_scope(self.spec, name, scope.params)
                    clause(cond, here, agg_types)
                except OperandError as exc:
                    self.fail(
                        (*where, exc.part) if exc.part and exc.part != "any" else where, str(exc)
                    )
                except (NumberOutOfRange, ArithmeticError) as exc:
                    self.fail((*where, "value"), _out_of_range(exc))

    def _template(self, key: str, text: str, joins: set[str]) -> None:
        spec = self.spec
        try:
            names = placeholders(text)
        except TemplateError as exc:
            self.fail((key,), str(exc))
            return
        fields = set(field_names(spec.subject)) if spec.subject in RECORD_KINDS else set()
        for name in names:
            head, _, tail = name.partition(".")
            ok = (
                (not tail and (name in fields or name == "subject"))
                or (head == "params" and tail in spec.params)
                or (head == "aggregates" and tail in spec.aggregates)
                or (head in joins and tail in set(field_names(self._join_kind(head))))
            )
            if not ok:
                allowed = (
                    sorted(fields | {"subject"})
                    + [f"params.{p}" for p in spec.params]
                    + [f"aggregates.{a}" for a in spec.aggregates]
                    + [f"{j}.<field>" for j in sorted(joins)]
                )
                hint = did_you_mean(name, allowed)
                self.fail(
                    (key,),
                    f"placeholder '{{{name}}}' names nothing{hint}; allowed: {', '.join(allowed)}",
                )

    def _join_kind(self, name: str) -> str:
        for related in self.spec.join:
            if related.as_ == name:
                return related.kind
        return ""


def field_names(kind: str) -> list[str]:
    """Names a template may use for a record kind."""
    return list(schema(kind)) if kind in RECORD_KINDS else []


def unusable_number(value: Any) -> str | None:
    """Why a number written in a rule cannot be compared (NaN, infinite, too large), or None.

    Looks inside lists and operand mappings (``{mul: [{field: budget}, 1e30]}``).
    """
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, int | float | Decimal) and not isinstance(item, bool):
            number = Decimal(item)
            if not number.is_finite():
                return f"expected a finite number, got {item}"
            if abs(number) >= MAX_ENGINE_ABS:
                return (
                    f"{item} is too large to compare exactly; numbers in rules stay below "
                    f"{MAX_ENGINE_ABS:.0E} in size"
                )
    return None


REFERENCES = ("param", "field", "aggregate")


def unnamed_reference(value: Any) -> str | None:
    """Why ``{param: …}``, ``{field: …}`` or ``{aggregate: …}`` names nothing, or None."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            for key in REFERENCES:
                if key in item and not isinstance(item[key], str):
                    return f"'{key}' takes a name (text), got {item[key]!r}"
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return None


def _out_of_range(exc: Exception) -> str:
    """A number that only overflows once converted (money in 元, a tolerance added)."""
    if isinstance(exc, NumberOutOfRange):
        return (
            "a number here is too large to compare exactly once converted to the engine's "
            f"units (money in 元); numbers stay below {MAX_ENGINE_ABS:.0E} there"
        )
    return f"not a number the engine can compare ({type(exc).__name__})"
