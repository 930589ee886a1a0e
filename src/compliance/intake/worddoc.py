"""Read the tables of a .docx file into grids, with the title printed above each.

Why python-docx: it is already how reports are written, and it gives each table's cells by
grid position. A merged cell is given once, at its first row and column, and blank where
the merge continues, as a spreadsheet reader gives it, so one finder serves both.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
from docx.table import Table
from docx.text.paragraph import Paragraph

from compliance.core.errors import InputError, Location
from compliance.intake.grid import Grid, cell_text
from compliance.intake.spreadsheet import MAX_FORM_FILE_BYTES

_PREAMBLE_PARAGRAPHS = 3


def _rows(table: Table) -> list[list[str]]:
    rows: list[list[str]] = []
    above: list[object] = []
    for row in table.rows:
        texts: list[str] = []
        seen: list[object] = []
        previous: object = None
        for col, cell in enumerate(row.cells):
            element = cell._tc
            repeated = element is previous or (col < len(above) and above[col] is element)
            texts.append("" if repeated else cell_text(cell.text))
            seen.append(element)
            previous = element
        rows.append(texts)
        above = seen
    return rows


def read_word(path: Path, shown: str) -> list[Grid]:
    """Every table of the document as a grid named ``表1``, ``表2`` …; bad files raise."""
    size = path.stat().st_size
    if size > MAX_FORM_FILE_BYTES:
        raise InputError.at(
            Location(shown),
            f"file is {size / 1048576:.1f} MB, above the {MAX_FORM_FILE_BYTES // 1048576} MB "
            "limit for a form (MAX_FORM_FILE_BYTES)",
        )
    try:
        document = docx.Document(str(path))
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise InputError.at(Location(shown), f"is not a readable Word document: {exc}") from None
    except Exception as exc:  # python-docx's own errors on a broken package
        raise InputError.at(Location(shown), f"is not a readable Word document: {exc}") from None
    grids: list[Grid] = []
    recent: list[str] = []
    for element in document.element.body.iterchildren():
        tag = element.tag.rsplit("}", 1)[-1]
        if tag == "p":
            text = Paragraph(element, document).text.strip()
            if text:
                recent = [*recent, text][-_PREAMBLE_PARAGRAPHS:]
        elif tag == "tbl":
            table = Table(element, document)
            name = f"表{len(grids) + 1}"
            grid = Grid(shown, name, _rows(table), word=True)
            where = Location(shown, 0, 0, name, "")
            grid.preamble = [(text, where) for text in recent]
            grids.append(grid)
            recent = []
    return grids
