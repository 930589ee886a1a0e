"""Sentences for forms handed over as workbooks and Word files (features/workbooks.feature).

The form is one of the written self-evaluation cases, printed in the layout the sentence
names by the test builder (tests/forms/builder.py), then checked as a user checks a file.
"""

from __future__ import annotations

from pathlib import Path

from pytest_bdd import given, parsers, then, when

from compliance.checking.checker import Checker
from compliance.rules.pack import RulePack
from tests.bdd.steps import Scenario
from tests.forms import builder

LAYOUTS = {"中央格式": False, "省级格式": True}


@given(parsers.parse("案例“{case}”的自评表以{layout}存为工作簿“{name}”"))
def workbook(scenario: Scenario, tmp_path: Path, case: str, layout: str, name: str) -> None:
    sheet = builder.form_rows(builder.case_data(case), LAYOUTS[layout])
    scenario.files = [builder.write_xlsx(tmp_path / name, [sheet])]


@given(parsers.parse("案例“{case}”的自评表存为 Word 文件“{name}”"))
def word(scenario: Scenario, tmp_path: Path, case: str, name: str) -> None:
    scenario.files = [builder.write_docx(tmp_path / name, builder.case_data(case))]


@given(parsers.parse("该工作簿中指标“{name}”的“{column}”栏改为“{text}”"))
def retyped(scenario: Scenario, name: str, column: str, text: str) -> None:
    import openpyxl

    [path] = scenario.files
    book = openpyxl.load_workbook(path)
    sheet = book.active
    rows = list(sheet.iter_rows())
    row = next(r[0].row for r in rows if any(c.value == name for c in r))
    header = next(r for r in reversed(rows[: row - 1]) if any(c.value == "三级指标" for c in r))
    col = next(c.column for c in header if c.value == column)
    sheet.cell(row, col).value = text
    book.save(path)


@when("检查该文件")
def check_file(scenario: Scenario, pack: RulePack) -> None:
    run = Checker(pack).run(scenario.files)
    [scenario.result] = run.results


@then(parsers.parse("问题 {rule} 位于“{cell}”"))
def located(scenario: Scenario, rule: str, cell: str) -> None:
    places = [f.location.in_workbook for f in scenario.findings(rule) if f.location]
    assert cell in places, f"{rule} is located at {places}"


@then(parsers.parse("记录有误，位于“{cell}”：{message}"))
def load_error(scenario: Scenario, cell: str, message: str) -> None:
    assert scenario.result is not None
    found = [(p.location.in_workbook, p.message) for p in scenario.result.problems]
    assert any(where == cell and message in text for where, text in found), found
