"""Measure reading self-evaluation forms from workbooks against checking them (not a test).

Usage: .venv/bin/python benchmarks/bench_forms.py [N]
Writes N workbooks (default 1000; central and provincial layouts, values varied) into a
temporary folder, then times: reading one form (python-calamine + the finder + the models),
checking it, and `compliance check` on the whole folder (forms per second). For comparison
it also times openpyxl opening the same files (read-only) — the reader not chosen.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

import openpyxl

from compliance.checking.checker import Checker
from compliance.intake.records import read_forms
from compliance.rules.pack import load_pack

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.forms.builder import (  # noqa: E402
    case_data,
    convert,
    form_rows,
    soffice,
    write_docx,
    write_xlsx,
)


def write_forms(folder: Path, count: int) -> list[Path]:
    """N workbooks: the two cases' forms with the spending varied from file to file."""
    layouts = [(case_data("selfeval-2023-school-meals"), False),
               (case_data("selfeval-2022-rural-roads"), True)]  # fmt: skip
    paths = []
    for n in range(count):
        data, provincial = layouts[n % 2]
        data = {**data, "form_funds": [dict(row) for row in data["form_funds"]]}
        spent_key = "预算执行数" if provincial else "全年执行数"
        data["form_funds"][0][spent_key] = float(data["form_funds"][0][spent_key]) - n % 50
        paths.append(write_xlsx(folder / f"form{n:04d}.xlsx", [form_rows(data, provincial)]))
    return paths


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f} ms"


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    pack = load_pack(ROOT / "rules")
    checker = Checker(pack)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        started = time.perf_counter()
        paths = write_forms(folder, count)
        print(f"wrote {count} workbooks in {time.perf_counter() - started:.1f} s")

        reading, checking, opening = [], [], []
        for path in paths[:200]:
            t0 = time.perf_counter()
            [form] = read_forms(path)
            t1 = time.perf_counter()
            assert form.project is not None, form.problems
            checker.check_project(form.project)
            t2 = time.perf_counter()
            reading.append(t1 - t0)
            checking.append(t2 - t1)
        for path in paths[:100]:
            t0 = time.perf_counter()
            book = openpyxl.load_workbook(path, read_only=True, data_only=True)
            for sheet in book.worksheets:
                for _ in sheet.iter_rows(values_only=True):
                    pass
            book.close()
            opening.append(time.perf_counter() - t0)
        print(f"read a form (calamine + finder + models): median {ms(statistics.median(reading))}")
        print(f"check a form (rules):                     median {ms(statistics.median(checking))}")
        print(f"openpyxl only opening the same file:      median {ms(statistics.median(opening))}")

        if soffice():
            for fmt in ("xls", "ods", "docx"):
                if fmt == "docx":
                    sources = [write_docx(folder / "word" / f"w{n}.docx", case_data(
                        "selfeval-2023-school-meals")) for n in range(20)]  # fmt: skip
                else:
                    sources = [convert(p, fmt, folder / fmt) for p in paths[:6]]
                times = []
                for source in sources * 5:
                    t0 = time.perf_counter()
                    read_forms(source)
                    times.append(time.perf_counter() - t0)
                print(f"read a form from .{fmt}:{' ' * (28 - len(fmt))}median "
                      f"{ms(statistics.median(times))}")  # fmt: skip

        started = time.perf_counter()
        run = checker.run([p for p in paths])
        elapsed = time.perf_counter() - started
        assert len(run.results) == count and not run.has_errors
        print(f"checked the {count} workbooks in {elapsed:.1f} s: "
              f"{count / elapsed:.0f} forms/s, {len(run.findings)} findings")  # fmt: skip


if __name__ == "__main__":
    main()
