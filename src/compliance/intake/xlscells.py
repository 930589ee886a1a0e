"""What calamine does not tell about an .xls cell: its number format and its formula error.

Why: the older .xls forms show rates with ``0.00%`` as .xlsx forms do, and calamine reads
their failed formulas as empty too. xlrd (the .xls reader pandas used for years) reads the
BIFF format records; only formats and errors are taken from it, the values from calamine.
"""

from __future__ import annotations

from pathlib import Path

import xlrd

from compliance.intake.xlsxcells import SheetCells, Shown, shown_by


def read_xls_cells(path: Path) -> dict[str, SheetCells]:
    """Number formats and formula errors of every sheet of an .xls file, by sheet name."""
    book = xlrd.open_workbook(str(path), formatting_info=True, on_demand=True)
    codes: dict[int, Shown | None] = {}
    for key, fmt in book.format_map.items():
        codes[key] = shown_by(fmt.format_str or "")
    found: dict[str, SheetCells] = {}
    try:
        for index in range(book.nsheets):
            sheet = book.sheet_by_index(index)
            cells = SheetCells()
            for r in range(sheet.nrows):
                for c in range(sheet.ncols):
                    kind = sheet.cell_type(r, c)
                    if kind == xlrd.XL_CELL_ERROR:
                        code = sheet.cell_value(r, c)
                        cells.errors[(r, c)] = xlrd.error_text_from_code.get(code, "#ERROR")
                    elif kind == xlrd.XL_CELL_NUMBER:
                        xf = book.xf_list[sheet.cell_xf_index(r, c)]
                        shown = codes.get(xf.format_key)
                        if shown is not None:
                            cells.shown[(r, c)] = shown
            found[sheet.name] = cells
            book.unload_sheet(index)
    finally:
        book.release_resources()
    return found
