"""``compliance rules new``: a rule and its examples from a template, valid from the start.

The template checks sub-project execution against a parameter, so that its examples
(fires, silent, boundary) pass before the auditor edits anything; the auditor then
changes the subject, conditions and wording.
"""

from __future__ import annotations

import re
from pathlib import Path

from compliance.core.errors import display_path
from compliance.rules.pack import EXAMPLES_SUFFIX, RulePack
from compliance.rules.spec import RULE_ID_PATTERN

SCHEMA_NAME = "rule.schema.json"

RULE_TEMPLATE = """\
# yaml-language-server: $schema={schema}
# 新规则模板：修改对象（subject）、条件（when）、说明和建议，然后运行
#   compliance rules validate && compliance rules test -k {id}
id: {id}
title: 已完成子项目预算执行率偏低（模板，请修改）
category: {category}
framework: 过程/资金管理/预算执行率
severity: medium
subject: sub_project
description: >-
  说明规则检查什么、为什么检查。
params:
  min_execution_pct:
    default: 90
    minimum: 0
    maximum: 100
    label: 最低执行率（%）
    description: 预算执行率低于此值（%）即报告。
when:
  - {{field: status, op: eq, value: completed}}
  - {{field: execution_rate, op: lt, value: {{param: min_execution_pct}}}}
message: >-
  子项目“{{subject}}”预算{{budget}}万元，支出{{spent}}万元，预算执行率{{execution_rate}}%，
  低于{{params.min_execution_pct}}%。
recommendation: >-
  写明应当如何整改。
references:
  - title: 《项目支出绩效评价管理办法》（财预〔2020〕10号）附件1 项目支出绩效评价指标体系框架
"""

EXAMPLES_TEMPLATE = """\
rule: {id}
base:
  project: {{name: 示例项目, year: 2024, department: 示例局, evaluation_kind: 单位自评, budget: 100.00,
            spent: 90.00}}
examples:
  fires_below_the_line:
    expect: fire
    subjects: ["1"]
    message_contains: ["预算执行率89.99%"]
    record:
      sub_projects:
        - {{number: 1, name: 运维服务, budget: 100.00, spent: 89.99, status: 已完成}}
  silent_above_the_line:
    expect: silent
    record:
      sub_projects:
        - {{number: 1, name: 运维服务, budget: 100.00, spent: 95.00, status: 已完成}}
  silent_exactly_at_the_line:
    expect: silent
    boundary: true
    record:
      sub_projects:
        - {{number: 1, name: 运维服务, budget: 100.00, spent: 90.00, status: 已完成}}
"""


def _folder_for(pack: RulePack, root: Path, category: str, rule_id: str) -> Path:
    """The folder of the category's rules (else of rules with the same letters), resolved.

    Rule files are named relative to the working directory, the pack root may be
    absolute: both are resolved so the command works from anywhere.
    """
    for rule in pack.rules:
        if rule.spec.category == category:
            return Path(rule.file).resolve().parent
    for rule in pack.rules:
        if rule.id[:2] == rule_id[:2]:
            return Path(rule.file).resolve().parent
    return root / rule_id[:2].lower()


def new_rule(pack: RulePack, root: Path, rule_id: str, category: str) -> list[Path]:
    """Write ``<ID>.yaml`` and ``<ID>.examples.yaml``; refuse to overwrite or to reuse an id."""
    if not re.match(RULE_ID_PATTERN, rule_id):
        raise ValueError(
            f"'{rule_id}' is not a rule code: two capital letters and two digits, e.g. TG06"
        )
    if rule_id in pack.by_id():
        raise ValueError(f"rule {rule_id} exists already ({pack.by_id()[rule_id].file})")
    if category not in pack.categories.ordered:
        raise ValueError(
            f"unknown category '{category}'; expected one of: " + ", ".join(pack.categories.ordered)
        )
    root = root.resolve()
    folder = _folder_for(pack, root, category, rule_id)
    folder.mkdir(parents=True, exist_ok=True)
    rule_path = folder / f"{rule_id}.yaml"
    examples = folder / f"{rule_id}{EXAMPLES_SUFFIX}"
    for path in (rule_path, examples):
        if path.exists():
            raise ValueError(f"{path} exists already")
    schema = (
        Path(*([".."] * len(folder.resolve().relative_to(root.resolve()).parts)), SCHEMA_NAME)
        if folder.resolve() != root.resolve()
        else Path(SCHEMA_NAME)
    )
    rule_path.write_text(
        RULE_TEMPLATE.format(id=rule_id, category=category, schema=schema.as_posix()),
        encoding="utf-8",
    )
    examples.write_text(EXAMPLES_TEMPLATE.format(id=rule_id), encoding="utf-8")
    return [Path(display_path(rule_path)), Path(display_path(examples))]
