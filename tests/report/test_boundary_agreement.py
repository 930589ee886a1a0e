"""The finding, the chart, the Word table and the score agree on an execution rate at the line.

Why: each once computed the rate its own way. A sub-project with budget 100.00 and
spent 89.999 has rate 90.00 % (rounded half up to 0.01, as FN04 compares it), so FN04
is silent; the chart compared the exact 89.999 % and drew a red "short" bar.
"""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal
from io import BytesIO
from pathlib import Path

import pytest
from docx import Document

from compliance.checking.checker import Checker
from compliance.output.report import build_report, render_docx, render_html
from compliance.output.report.charts import OK, SHORT
from compliance.output.report.model import execution_line
from compliance.records.formulas import MIN_EXECUTION_PCT
from compliance.rules.pack import Rule, RulePack

RECORD = """\
project: {{name: 边界测试项目, year: 2021, department: 示例局, evaluation_kind: 单位自评,
          budget: 100.00, spent: {spent}}}
sub_projects:
  - {{number: 1, name: 边界子项目, budget: 100.00, spent: {spent}, status: 已完成, note: ""}}
"""


@pytest.mark.parametrize(
    ("spent", "rate", "short"),
    [("89.999", "90.00", False), ("89.994", "89.99", True), ("90.00", "90.00", False)],
)
def test_rule_chart_table_and_score_read_one_rate(
    pack: RulePack, tmp_path: Path, spent: str, rate: str, short: bool
) -> None:
    record = tmp_path / "project.yaml"
    record.write_text(RECORD.format(spent=spent), encoding="utf-8")
    with Checker(pack) as checker:
        report = build_report(checker.run([record]))
    [project] = report.projects
    assert not project.result.errors and not project.result.problems

    fn04 = [f for f in project.result.findings if f.rule == "FN04"]
    assert bool(fn04) is short
    if short:
        assert f"预算执行率{rate}%" in fn04[0].message

    html = render_html(report, tmp_path)
    [bar] = re.findall(r'<rect class="bar bar-rate"[^>]*>', html)
    assert f'fill="{SHORT if short else OK}"' in bar
    assert f'data-value="{rate}"' in bar

    doc = Document(BytesIO(render_docx(report)))
    [table] = [t for t in doc.tables if "执行率" in [c.text for c in t.rows[0].cells]]
    assert table.rows[1].cells[4].text == f"{rate}%"
    assert dict(project.facts())["预算执行率"] == f"{rate}%"

    assert project.card is not None
    [line] = [ln for ln in project.card.lines if ln.name == "预算执行率"]
    assert f"= {rate}%" in line.reasons[0]
    assert line.score == (Decimal(rate) / 100 * line.weight).quantize(Decimal("0.01"))


def test_the_chart_line_is_read_from_the_pack_not_from_a_rule_id(pack: RulePack) -> None:
    assert execution_line(pack) == Decimal(90)
    assert execution_line(pack.with_overrides({"FN04.min_execution_pct": "85"})) == Decimal(85)
    # The same rule under another id still draws the line; a pack without it, the domain's.
    fn04 = pack.by_id()["FN04"]
    renamed = Rule(
        fn04.spec.model_copy(update={"id": "ZZ01"}), fn04.file, {"min_execution_pct": 70}
    )
    others = [r for r in pack.rules if r.id != "FN04"]
    assert execution_line(replace(pack, rules=[*others, renamed])) == Decimal(70)
    assert execution_line(replace(pack, rules=others)) == MIN_EXECUTION_PCT
