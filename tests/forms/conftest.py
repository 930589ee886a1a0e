"""Form files built once per session into tests/data/forms/ (never committed: built here)."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.forms import builder
from tests.forms.builder import FORMS, Sheet, case_data, form_rows

CENTRAL = "selfeval-2023-school-meals"
PROVINCIAL = "selfeval-2022-rural-roads"


@dataclass
class FormFiles:
    """The good forms, one folder of broken ones beside a good one, and LibreOffice's copies."""

    root: Path
    central: Path
    provincial: Path
    percent: Path
    wps: Path
    shifted: Path
    three: Path
    word: Path
    broken: Path


def need_soffice() -> str:
    """LibreOffice's command; in CI a missing LibreOffice fails (make test installs it)."""
    command = builder.soffice()
    if command is None:
        message = "LibreOffice (Debian libreoffice-calc-nogui) is not installed"
        if os.environ.get("CI") == "true":
            pytest.fail(message + " — CI must install it (make test does)")
        pytest.skip(message)
    return command


@pytest.fixture(scope="session")
def forms() -> FormFiles:
    shutil.rmtree(FORMS, ignore_errors=True)
    central, provincial = case_data(CENTRAL), case_data(PROVINCIAL)
    good = FORMS / "good"
    three = [
        form_rows(central, sheet=Sheet("教育局")),
        form_rows(provincial, True, sheet=Sheet("交通局")),
    ]
    form_rows(case_data("selfeval-2023-elderly-care"), sheet=three[1], blank_rows=True)
    broken = FORMS / "broken"
    builder.write_xlsx(broken / "good.xlsx", [form_rows(central)])
    builder.write_encrypted(broken / "password.xlsx", central)
    builder.write_no_form(broken / "no-form.xlsx")
    builder.write_corrupt(broken / "corrupt.xlsx", central)
    builder.write_huge_sheet(broken / "huge.xlsx", central)
    builder.write_formula_error(broken / "div0.xlsx", central)
    word = builder.write_docx(broken / "truncated.docx", central)
    word.write_bytes(word.read_bytes()[:2000])
    return FormFiles(
        root=FORMS,
        central=builder.write_xlsx(good / "central.xlsx", [form_rows(central)]),
        provincial=builder.write_xlsx(good / "provincial.xlsx", [form_rows(provincial, True)]),
        percent=builder.write_xlsx(
            FORMS / "percent.xlsx", [form_rows(central)], percent_cells=True
        ),
        wps=builder.write_wps_style(good / "wps.xlsx", central),
        shifted=builder.write_xlsx(
            good / "shifted.xlsx",
            [form_rows(central, offset=2, headings=True, blank_rows=True, grade=True)],
        ),
        three=builder.write_xlsx(FORMS / "three-forms.xlsx", three),
        word=builder.write_docx(good / "central.docx", central),
        broken=broken,
    )


@pytest.fixture(scope="session")
def converted(forms: FormFiles) -> dict[str, Path]:
    """The forms as LibreOffice saves them (.xls, .ods): both layouts, percent cells, #DIV/0!."""
    need_soffice()
    out = FORMS / "converted"
    found = {}
    sources = (forms.central, forms.provincial, forms.percent, forms.broken / "div0.xlsx")
    for fmt in ("xls", "ods"):
        builder.convert(sources[0], fmt, out, *sources[1:])
        for source in sources:
            found[f"{source.stem}.{fmt}"] = out / f"{source.stem}.{fmt}"
            assert found[f"{source.stem}.{fmt}"].is_file()
    return found
