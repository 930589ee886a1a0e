"""Broken form files: each a located error and exit 2, the good file beside them still checked.
Findings from forms name their sheet and cell in every output format."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft4Validator

from compliance.intake.spreadsheet import MAX_FORM_FILE_BYTES
from tests.conftest import CliRun
from tests.forms.conftest import FormFiles
from tests.report.test_sarif import _errors, validator

__all__ = ["validator"]  # the SARIF schema fixture, shared with the report tests

BROKEN = {
    "password.xlsx": "is password-protected",
    "no-form.xlsx": "no self-evaluation form found",
    "corrupt.xlsx": "is not a readable workbook",
    "huge.xlsx": f"above the {MAX_FORM_FILE_BYTES // 1048576} MB limit",
    "truncated.docx": "is not a readable Word document",
}


def test_each_broken_file_is_a_located_error_and_the_good_one_is_checked(
    forms: FormFiles, cli: CliRun
) -> None:
    started = time.perf_counter()
    code, out, err = cli("check", str(forms.broken), "--format", "json")
    assert time.perf_counter() - started < 30  # the 50 MB sheet is refused, not parsed
    assert code == 2
    assert "Traceback" not in err
    lines = err.splitlines()
    for name, message in BROKEN.items():
        [line] = [x for x in lines if f"broken/{name}: error:" in x]
        assert message in line
    [div0] = [x for x in lines if "div0.xlsx" in x]
    assert "div0.xlsx:自评表!G6: error: form_funds[0].rate: formula error #DIV/0!" in div0
    data = json.loads(out)
    checked = [p for p in data["projects"] if p["project"]]
    assert [p["origin"].rsplit("/", 1)[-1] for p in checked] == ["good.xlsx:自评表!A1"]
    assert checked[0]["summary"]["findings"] == 6
    [error] = next(p for p in data["projects"] if "div0" in p["origin"])["errors"]
    assert error["location"]["sheet"] == "自评表" and error["location"]["cell"] == "G6"


def test_json_markdown_html_and_sarif_name_the_sheet_and_cell(
    forms: FormFiles, cli: CliRun, tmp_path: Path
) -> None:
    code, out, _ = cli("check", str(forms.central), "--format", "json")
    assert code == 1
    finding = next(f for f in json.loads(out)["projects"][0]["findings"] if f["rule"] == "FM04")
    assert finding["location"] == {
        "file": "tests/data/forms/good/central.xlsx",
        "line": 16,
        "column": 4,
        "sheet": "自评表",
        "cell": "D16",
    }
    code, out, _ = cli("check", str(forms.central))
    assert "位置：tests/data/forms/good/central.xlsx:自评表!D16" in out
    code, out, _ = cli("check", str(forms.central), "--format", "markdown")
    assert "`tests/data/forms/good/central.xlsx:自评表!D16`" in out
    html = tmp_path / "r.html"
    assert cli("report", str(forms.central), "-o", str(html))[0] == 0
    assert '<span class="loc">good/central.xlsx:自评表!D16</span>' in html.read_text(
        encoding="utf-8"
    )
    code, out, _ = cli("report", str(forms.central), "--format", "sarif")
    results = json.loads(out)["runs"][0]["results"]
    fm04 = next(r for r in results if r["ruleId"] == "FM04")
    region = fm04["locations"][0]["physicalLocation"]["region"]
    assert region == {"startLine": 16, "startColumn": 4, "snippet": {"text": "自评表!D16"}}


def test_yaml_locations_are_unchanged(cli: CliRun) -> None:
    _code, out, _ = cli("check", "cases/selfeval-2023-school-meals", "--format", "json")
    finding = json.loads(out)["projects"][0]["findings"][0]
    assert set(finding["location"]) == {"file", "line", "column"}


def test_sarif_of_forms_is_valid(forms: FormFiles, cli: CliRun, validator: Draft4Validator) -> None:
    code, out, err = cli("report", str(forms.root / "good"), "--format", "sarif")
    assert code == 0, err
    assert _errors(validator, json.loads(out)) == []


def test_one_command_checks_yaml_cases_and_forms_of_both_layouts(
    forms: FormFiles, cli: CliRun
) -> None:
    code, out, err = cli(
        "check", str(forms.root / "good"), "cases/selfeval-2022-rural-roads", "--format", "json"
    )
    assert (code, err) == (1, "")
    origins = [p["origin"] for p in json.loads(out)["projects"]]
    assert [o.rsplit("/", 1)[-1] for o in origins] == [
        "central.docx:表1",
        "central.xlsx:自评表!A1",
        "provincial.xlsx:自评表!A1",
        "shifted.xlsx:自评表!C1",
        "wps.xlsx:Sheet1!B1",
        "selfeval-2022-rural-roads",
    ]


def test_old_binary_word_files_are_reported_not_skipped(cli: CliRun, tmp_path: Path) -> None:
    (tmp_path / "自评表.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504)
    code, _, err = cli("check", str(tmp_path))
    assert code == 2
    assert err.strip().endswith(
        "自评表.doc: error: cannot read Word 97–2003 (.doc): save it as .docx"
    )


def test_a_reader_bug_is_an_internal_error_of_that_file_only(
    forms: FormFiles, cli: CliRun, monkeypatch: pytest.MonkeyPatch
) -> None:
    from compliance.intake import form

    real = form.find_forms

    def broken(grid: Any) -> Any:
        if "provincial" in grid.file:
            raise RuntimeError("bug in the finder")
        return real(grid)

    monkeypatch.setattr("compliance.intake.records.find_forms", broken)
    code, out, err = cli("check", str(forms.central), str(forms.provincial), "--format", "json")
    assert code == 3
    assert (
        "internal error while checking tests/data/forms/good/provincial.xlsx (reading forms)" in err
    )
    assert "Traceback" not in err
    projects = json.loads(out)["projects"]
    assert projects[0]["summary"]["findings"] == 6
    assert projects[1]["errors"][0]["kind"] == "internal"


@pytest.mark.parametrize("name", ["form.xlsx", "form.docx"])
def test_an_empty_form_file_says_it_is_empty(cli: CliRun, tmp_path: Path, name: str) -> None:
    (tmp_path / name).write_bytes(b"")
    code, _, err = cli("check", str(tmp_path / name))
    assert code == 2 and "Traceback" not in err
    assert f"{name}: error: is empty (0 bytes)" in err
