"""The summary workbook: two sheets, drop-down, frozen header, filters, formats; LibreOffice
re-opens it with the same rows."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import python_calamine

from compliance.checking.checker import Checker
from compliance.output.summary_xlsx import (
    FINDINGS_SHEET,
    RECTIFICATION,
    SUMMARY_SHEET,
    UNDECIDED_SHEET,
)
from compliance.rules.pack import RulePack
from tests.conftest import CliRun
from tests.forms import builder
from tests.forms.conftest import FormFiles, need_soffice


def _rows(path: Path, sheet: str) -> list[list[object]]:
    book = python_calamine.CalamineWorkbook.from_path(str(path))
    return book.get_sheet_by_name(sheet).to_python()


def test_summary_workbook_has_a_row_per_project_and_per_finding(
    forms: FormFiles, cli: CliRun, tmp_path: Path, pack: RulePack
) -> None:
    out = tmp_path / "汇总表.xlsx"
    code, _, err = cli(
        "check", str(forms.central), str(forms.provincial), "--format", "xlsx", "-o", str(out)
    )
    assert code == 1, err
    summary = _rows(out, SUMMARY_SHEET)
    head = summary[0]
    assert len(summary) == 3
    central = dict(zip(head, summary[1], strict=True))
    assert central["项目"] == "农村义务教育学生营养改善计划"
    assert central["预算数（万元）"] == 1200 and central["支出数（万元）"] == 1186
    assert central["执行率"] == 0.9883  # 98.83 %, rounded once as everywhere else
    assert central["自评得分"] == 88 and central["自评等级"] == "优"
    assert central["问题·高"] + central["问题·中"] == 6
    [checked] = Checker(pack).run([forms.central]).results
    assert central["未能核查"] == len(checked.undecided) > 0
    asked = _rows(out, UNDECIDED_SHEET)
    assert len([r for r in asked[1:] if r[1] == central["项目"]]) == len(checked.undecided)
    first = dict(zip(asked[0], asked[1], strict=True))
    assert first["规则"] == checked.undecided[0].rule and first["需补充的资料"]
    assert str(central["主要问题"]).startswith("指标得分超过分值")
    findings = _rows(out, FINDINGS_SHEET)
    assert len(findings) == 1 + 6 + 12
    row = dict(zip(findings[0], findings[1], strict=True))
    assert row["规则"] == "FM04" and row["位置"].endswith("central.xlsx:自评表!D16")
    assert row["整改状态"] == ""

    book = openpyxl.load_workbook(out)
    sheet = book[FINDINGS_SHEET]
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref
    [status, deadline] = sheet.data_validations.dataValidation
    assert status.type == "list" and status.formula1 == '"' + ",".join(RECTIFICATION) + '"'
    assert deadline.type == "date"
    link = sheet.cell(2, 8).hyperlink
    assert link is not None and link.location == "'自评表'!D16"
    target = link.target.replace("\\", "/")  # XlsxWriter writes Excel's backslashes
    assert (out.parent / target).resolve() == forms.central.resolve()
    assert book[SUMMARY_SHEET].cell(2, 5).number_format == "#,##0.00"
    assert book[SUMMARY_SHEET].cell(2, 7).number_format == "0.00%"


def test_libreoffice_reopens_the_summary_with_the_same_rows(
    forms: FormFiles, cli: CliRun, tmp_path: Path
) -> None:
    need_soffice()
    out = tmp_path / "汇总表.xlsx"
    cli("report", str(forms.root / "good"), "--format", "xlsx", "-o", str(out))
    again = builder.convert(out, "ods", tmp_path / "lo")
    for sheet in (SUMMARY_SHEET, FINDINGS_SHEET, UNDECIDED_SHEET):
        assert _rows(again, sheet) == _rows(out, sheet)
    assert len(_rows(out, SUMMARY_SHEET)) == 1 + 5  # central, provincial, wps, shifted, word


def test_forms_that_could_not_be_read_have_their_row_and_error(
    forms: FormFiles, cli: CliRun, tmp_path: Path
) -> None:
    out = tmp_path / "汇总表.xlsx"
    code, _, _ = cli("check", str(forms.broken), "--format", "xlsx", "-o", str(out))
    assert code == 2
    rows = _rows(out, SUMMARY_SHEET)
    assert all(len(r) == len(rows[0]) for r in rows)
    by_source = {
        str(r[-1]).rsplit("/", 1)[-1]: dict(zip(rows[0], r, strict=True)) for r in rows[1:]
    }
    assert by_source["good.xlsx:自评表!A1"]["记录错误"] == 0
    password = by_source["password.xlsx"]
    assert password["记录错误"] == 1 and password["复核得分"] == ""
    assert str(password["主要问题"]).startswith("记录有误，未能检查：is password-protected")
