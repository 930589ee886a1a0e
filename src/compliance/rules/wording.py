"""A rule said in words (Chinese labels), for ``rules show``, the rule docs and evidence.

Why: auditors review rules without reading YAML operators; every condition is
rendered with the field titles of the record models and the labels of values.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from compliance.engine.operators import OPERATORS
from compliance.records.fields import FieldSpec, display, schema
from compliance.records.kinds import RECORD_KINDS
from compliance.rules.messages import tidy
from compliance.rules.pack import Rule
from compliance.rules.spec import Aggregate, AnyOf, Clause, Condition, Op, Related

if TYPE_CHECKING:
    from compliance.rules.examples import Example


class _Dumper(yaml.SafeDumper):
    """Writes example records back as YAML, Decimals as the numbers they were."""


_Dumper.add_representer(
    Decimal,
    lambda dumper, value: dumper.represent_scalar("tag:yaml.org,2002:float", format(value, "f")),
)


ARITH_WORDS = {"add": "加", "sub": "减", "mul": "乘以", "div": "除以"}
FN_WORDS = {"sum": "合计", "count": "个数", "list": "列表"}


def kind_label(kind: str) -> str:
    """The Chinese name of a record kind."""
    return RECORD_KINDS[kind].label if kind in RECORD_KINDS else kind


def field_title(kind: str, name: str) -> str:
    """The Chinese title of a field, or its name when unknown."""
    if name.startswith("aggregates."):
        return name.removeprefix("aggregates.")
    found = schema(kind).get(name) if kind in RECORD_KINDS else None
    return found.title if found else name


def literal_words(spec: FieldSpec | None, value: Any) -> str:
    """A literal as a report would write it (labels for vocabulary values)."""
    if spec is not None and spec.enum is not None:
        value = spec.enum.lookup(value)
    return display(spec, value)


def operand_words(
    raw: Any, kind: str, subject: str, spec: FieldSpec | None, rule: Rule | None
) -> str:
    """``{param: X}``, ``{field: X}``, arithmetic … in words."""
    if isinstance(raw, dict) and len(raw) == 1:
        ((key, inner),) = raw.items()
        if key == "param":
            current = rule.params.get(inner) if rule else None
            return f"参数 {inner}" + (
                f"（{display(None, current)}）" if current is not None else ""
            )
        if key == "field" and str(inner).startswith("aggregates."):
            return f"汇总值 {str(inner).removeprefix('aggregates.')}"
        if key == "field":
            return f"本{kind_label(kind)}的{field_title(kind, inner)}"
        if key == "subject":
            return f"对象的{field_title(subject, inner)}"
        if key in ARITH_WORDS and isinstance(inner, list) and len(inner) == 2:
            left = operand_words(inner[0], kind, subject, spec, rule)
            right = operand_words(inner[1], kind, subject, None, rule)
            return f"{left}{ARITH_WORDS[key]}{right}"
    if isinstance(raw, list):
        return "、".join(literal_words(spec, v) for v in raw)
    return literal_words(spec, raw)


def condition_words(cond: Condition, kind: str, subject: str, rule: Rule | None = None) -> str:
    """One condition in words, e.g. ``偏离度（%）大于 参数 tolerance_pct（20）``."""
    spec = schema(kind).get(cond.field) if kind in RECORD_KINDS else None
    title = field_title(kind, cond.field)
    aggregate = cond.field.removeprefix("aggregates.")
    if (
        rule is not None
        and cond.field.startswith("aggregates.")
        and aggregate in rule.spec.aggregates
    ):
        title = f"汇总值“{rule.spec.aggregates[aggregate].label or aggregate}”"
    entry = OPERATORS.get(Op(cond.op)) if cond.op in Op._value2member_map_ else None
    word = entry.words if entry else cond.op
    if cond.op in ("present", "absent"):
        return f"{title}{word}"
    text = f"{title}{word}{operand_words(cond.value, kind, subject, spec, rule)}"
    if cond.tolerance is not None:
        text += f"（容差 {operand_words(cond.tolerance, kind, subject, spec, rule)}）"
    return text


def clause_words(item: Clause, kind: str, subject: str, rule: Rule | None = None) -> str:
    """A condition, or an ``any`` group, in words."""
    if isinstance(item, AnyOf):
        return "以下任一成立：" + "；或".join(
            condition_words(c, kind, subject, rule) for c in item.any
        )
    return condition_words(item, kind, subject, rule)


def absent_words(related: Related, subject: str = "") -> str:
    """``无文件资料（资料类型为可行性研究报告，是否具备为是）``."""
    parts = (
        [
            f"{field_title(related.kind, other)}与对象的{field_title(subject, mine)}相同"
            for other, mine in related.match.items()
        ]
        if subject
        else []
    )
    parts += [clause_words(c, related.kind, subject) for c in related.when]
    return f"无{kind_label(related.kind)}" + (f"（{'，'.join(parts)}）" if parts else "")


def aggregate_words(name: str, agg: Aggregate, subject: str) -> str:
    """What an aggregate computes, in words."""
    what = f"{kind_label(agg.of)}{FN_WORDS[agg.fn.value]}"
    if agg.field:
        what = f"{kind_label(agg.of)}的{field_title(agg.of, agg.field)}{FN_WORDS[agg.fn.value]}"
    extra = [
        f"{field_title(agg.of, o)}与对象的{field_title(subject, m)}相同"
        for o, m in agg.match.items()
    ]
    extra += [
        f"{field_title(agg.of, o)}与对象的{field_title(subject, m)}不同"
        for o, m in agg.differ.items()
    ]
    extra += [condition_words(c, agg.of, subject) for c in agg.where]
    if agg.exclude_self:
        extra.append("不含对象本身")
    if agg.earlier_only:
        extra.append("只计对象之前录入的")
    text = f"{name}（{agg.label or what}）：{what}" + (f"，其中{'，'.join(extra)}" if extra else "")
    if agg.gap_from:
        text += f"；取对象的{field_title(subject, agg.gap_from)}减去该合计"
    if agg.share_of:
        text += f"；取该合计占对象的{field_title(subject, agg.share_of)}的百分比"
    if agg.minus:
        text += f"；再减去 {agg.minus}"
    return text


def _examples(examples: list[Example], markdown: bool) -> list[str]:
    lines: list[str] = []
    for expect, heading in (("fire", "触发（fires）"), ("silent", "不触发（does not fire）")):
        chosen = [e for e in examples if e.spec.expect == expect]
        if not chosen:
            continue
        lines.append(f"### {heading}" if markdown else f"  {heading}:")
        for example in chosen:
            mark = "（边界）" if example.spec.boundary else ""
            about = f"：{example.spec.description}" if example.spec.description else ""
            if markdown:
                lines.append(f"- `{example.name}`{mark}{about}")
                record = yaml.dump(
                    example.spec.record,
                    allow_unicode=True,
                    sort_keys=False,
                    default_flow_style=None,
                    width=100,
                    Dumper=_Dumper,
                ).rstrip()
                lines.extend(
                    ["", "  ```yaml", *(f"  {line}" for line in record.splitlines()), "  ```"]
                )
                if example.spec.params:
                    lines.append(f"  参数：`{example.spec.params}`")
            else:
                lines.append(f"    - {example.name}{mark}{about}")
        lines.append("")
    return lines


def rule_path(rule: Rule) -> str:
    """The rule file relative to the folder that holds the rule pack (stable across cwd)."""
    path = Path(rule.file).resolve()
    for parent in path.parents:
        if (parent / "categories.yaml").is_file():
            return path.relative_to(parent.parent).as_posix()
    return rule.file


def describe_rule(rule: Rule, examples: list[Example], *, markdown: bool) -> str:
    """Everything about one rule, as Markdown (docs) or plain text (``rules show``)."""
    spec = rule.spec
    subject = spec.subject
    h1, h2, item = ("# ", "## ", "- ") if markdown else ("", "", "  - ")
    lines = [f"{h1}{spec.id} {spec.title}", ""]
    lines += [
        f"{item}类别：{spec.category}",
        f"{item}框架：{spec.framework}",
        f"{item}严重程度：{spec.severity.label}（{spec.severity.value}）",
        f"{item}检查对象：{kind_label(subject)}（{subject}）",
        f"{item}文件：{rule_path(rule)}",
        "",
    ]
    if spec.description:
        lines += [f"{h2}用途" if markdown else "用途:", "", tidy(spec.description), ""]
    lines += [f"{h2}条件" if markdown else "条件（全部成立时触发）:", ""]
    for name, agg in spec.aggregates.items():
        lines.append(f"{item}汇总 {aggregate_words(name, agg, subject)}")
    for clause_ in spec.when:
        lines.append(
            f"{item}{kind_label(subject)}的{clause_words(clause_, subject, subject, rule)}"
        )
    for related in spec.join:
        parts = [
            f"{field_title(related.kind, o)}与对象的{field_title(subject, m)}相同"
            for o, m in related.match.items()
        ]
        parts += [clause_words(c, related.kind, subject, rule) for c in related.when]
        lines.append(
            f"{item}存在{kind_label(related.kind)}（记作 {related.as_}）：{'，'.join(parts)}"
        )
    for related in spec.absent:
        lines.append(f"{item}{absent_words(related, subject)}")
    if not (spec.aggregates or spec.when or spec.join or spec.absent):
        lines.append(f"{item}无条件（when: always）：对每个{kind_label(subject)}都触发")
    lines.append("")
    if spec.params:
        lines += [f"{h2}参数" if markdown else "参数:", ""]
        for name, param in spec.params.items():
            bounds = "".join(
                [
                    f"，最小 {param.minimum}" if param.minimum is not None else "",
                    f"，最大 {param.maximum}" if param.maximum is not None else "",
                ]
            )
            lines.append(
                f"{item}`{name}`：{param.description}（默认 {display(None, param.default)}{bounds}；"
                f"`--set {spec.id}.{name}=…`）"
                if markdown
                else f"{item}{name}: {param.description}（默认 {display(None, param.default)}{bounds}）"
            )
        lines.append("")
    lines += [
        f"{h2}说明与建议" if markdown else "说明与建议:",
        "",
        f"{item}问题说明：{tidy(spec.message)}",
        f"{item}建议：{tidy(spec.recommendation)}",
        "",
    ]
    lines += [f"{h2}依据" if markdown else "依据:", ""]
    lines += [f"{item}{r.title}" + (f"，{r.clause}" if r.clause else "") for r in spec.references]
    lines.append("")
    if examples:
        lines += [f"{h2}示例" if markdown else "示例:", ""]
        lines += _examples(examples, markdown)
    return "\n".join(lines).rstrip() + "\n"
