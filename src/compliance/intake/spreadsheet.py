"""Read the sheets of an .xlsx, .xlsm, .xls or .ods file into grids of text.

Why python-calamine: one Rust reader for all four formats (WPS saves the same formats),
about a millisecond per form against ~11 ms for openpyxl, and no formula evaluation we do
not need. What it leaves out for .xlsx (number formats, formula errors) comes from
:mod:`compliance.intake.xlsxcells`.
"""

from __future__ import annotations

import zipfile
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import python_calamine

from compliance.core.errors import InputError, Location
from compliance.intake.grid import Grid, cell_text, number_text
from compliance.intake.odscells import read_ods_cells
from compliance.intake.xlscells import read_xls_cells
from compliance.intake.xlsxcells import SheetCells, Shown, read_sheet_cells

MAX_FORM_FILE_BYTES = 20 * 1024 * 1024
"""A form is tens of kilobytes; a file (or an unpacked sheet) above 20 MB is refused at once."""
MAX_SHEET_CELLS = 2_000_000
"""Cells in one sheet's used range; far more than a thousand stacked forms need."""

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")


def _refuse(path: Path, shown: str, message: str) -> InputError:
    return InputError.at(Location(shown), message)


def _check_file(path: Path, shown: str) -> dict[str, SheetCells]:
    """Refuse files too big or encrypted; return what calamine misses of an .xlsx's cells."""
    size = path.stat().st_size
    if size > MAX_FORM_FILE_BYTES:
        raise _refuse(
            path,
            shown,
            f"file is {size / 1048576:.1f} MB, above the {MAX_FORM_FILE_BYTES // 1048576} MB "
            "limit for a form (MAX_FORM_FILE_BYTES); split it or remove pictures",
        )
    with path.open("rb") as handle:
        head = handle.read(8)
        ole = head == _OLE_MAGIC and path.suffix.lower() != ".xls"
        if ole and _ENCRYPTED in head + handle.read(MAX_FORM_FILE_BYTES):
            raise _refuse(
                path, shown, "is password-protected (encrypted); save an unprotected copy"
            )
    if not zipfile.is_zipfile(path):
        if path.suffix.lower() == ".xls" and head == _OLE_MAGIC:
            try:
                return read_xls_cells(path)
            except Exception as exc:  # xlrd on a malformed BIFF file raises anything
                raise _refuse(path, shown, f"is not a readable workbook: {exc}") from None
        return {}
    with zipfile.ZipFile(path) as archive:
        for info in archive.infolist():
            if info.file_size > MAX_FORM_FILE_BYTES:
                raise _refuse(
                    path,
                    shown,
                    f"{info.filename} unpacks to {info.file_size / 1048576:.1f} MB, above "
                    f"the {MAX_FORM_FILE_BYTES // 1048576} MB limit for a form "
                    "(MAX_FORM_FILE_BYTES)",
                )
        if path.suffix.lower() in (".xlsx", ".xlsm"):
            return read_sheet_cells(archive)
        if path.suffix.lower() == ".ods":
            return read_ods_cells(archive)
    return {}


def _shown_text(value: Any, shown: Shown | None) -> str:
    if shown is None or isinstance(value, bool) or not isinstance(value, int | float):
        return cell_text(value)
    number = Decimal(number_text(value)) * (100 if shown.percent else 1)
    text = format(number.quantize(Decimal(1).scaleb(-shown.decimals), ROUND_HALF_UP), "f")
    return text + "%" if shown.percent else text


def _grid(
    sheet: python_calamine.CalamineSheet, shown: str, extras: SheetCells | None
) -> Grid | None:
    if sheet.height * sheet.width > MAX_SHEET_CELLS:
        raise InputError.at(
            Location(shown, 0, 0, sheet.name, ""),
            f"sheet uses {sheet.height} rows × {sheet.width} columns, above the "
            f"{MAX_SHEET_CELLS} cell limit (MAX_SHEET_CELLS)",
        )
    raw = sheet.to_python(skip_empty_area=False)  # from A1, so indexes are addresses
    if not raw:
        return None
    rows: list[list[str]] = []
    for r, values in enumerate(raw):
        if extras is None:
            rows.append([cell_text(v) for v in values])
            continue
        row = []
        for c, value in enumerate(values):
            error = extras.errors.get((r, c))
            text = extras.texts.get((r, c)) if isinstance(value, int | float) else None
            if error:
                row.append(error)
            elif text is not None:
                row.append(cell_text(text))
            else:
                row.append(_shown_text(value, extras.shown.get((r, c))))
        rows.append(row)
    return Grid(shown, sheet.name, rows)


def _is_reader_panic(exc: BaseException) -> bool:
    """Calamine (Rust) signals some broken files by panicking: a bad file, not our bug."""
    return type(exc).__name__ == "PanicException"


_BAD_FILE = (
    python_calamine.CalamineError,
    zipfile.BadZipFile,
    KeyError,
    OSError,
    ElementTree.ParseError,
    ValueError,
    EOFError,
)
"""What the readers raise on a file that is not the workbook its name says."""


def read_spreadsheet(path: Path, shown: str) -> list[Grid]:
    """Every visible, non-empty sheet of the file as a grid; bad files raise a located error."""
    try:
        extras = _check_file(path, shown)
        book = python_calamine.CalamineWorkbook.from_path(str(path))
        metas = book.sheets_metadata
    except InputError:
        raise
    except python_calamine.PasswordError:
        raise _refuse(
            path, shown, "is password-protected; save an unprotected copy to check it"
        ) from None
    except _BAD_FILE as exc:
        raise _refuse(path, shown, f"is not a readable workbook: {exc}") from None
    except BaseException as exc:
        if not _is_reader_panic(exc):
            raise
        raise _refuse(path, shown, f"is not a readable workbook: {exc}") from None
    grids = []
    for meta in metas:
        if meta.visible != python_calamine.SheetVisibleEnum.Visible:
            continue
        if meta.typ != python_calamine.SheetTypeEnum.WorkSheet:
            continue
        where = Location(shown, 0, 0, meta.name, "")
        try:
            grid = _grid(book.get_sheet_by_name(meta.name), shown, extras.get(meta.name))
        except InputError:
            raise
        except _BAD_FILE as exc:
            raise InputError.at(where, f"sheet cannot be read: {exc}") from None
        except BaseException as exc:
            if not _is_reader_panic(exc):
                raise
            raise InputError.at(where, f"sheet cannot be read: {exc}") from None
        if grid is not None:
            grids.append(grid)
    return grids
