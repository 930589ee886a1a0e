"""What calamine does not tell about an .ods cell: the number as shown, and formula errors.

Why: an .ods file stores beside each number the text the sheet shows (``98.80%`` for the
stored 0.988, ``9.88`` for 9.8833) and writes a failed formula's ``#DIV/0!`` only there;
calamine gives the stored number and an empty cell. One pass over content.xml takes both.
"""

from __future__ import annotations

import zipfile
from xml.etree import ElementTree

from compliance.intake.xlsxcells import SheetCells

_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_CALC = "{urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0}"
_NUMERIC = frozenset({"float", "percentage", "currency"})
_MAX_REPEAT = 256
"""Repeated value cells stored one by one up to here; beyond is padding, not a form."""


def _shown(cell: ElementTree.Element) -> str:
    return "\n".join("".join(p.itertext()) for p in cell.iter(f"{_TEXT}p")).strip()


def read_ods_cells(archive: zipfile.ZipFile) -> dict[str, SheetCells]:
    """Shown numbers and formula errors of every sheet, by sheet name."""
    root = ElementTree.fromstring(archive.read("content.xml"))
    found: dict[str, SheetCells] = {}
    for table in root.iter(f"{_TABLE}table"):
        cells = SheetCells()
        row = 0
        for element in table.iter(f"{_TABLE}table-row"):
            rows = int(element.get(f"{_TABLE}number-rows-repeated", "1"))
            col = 0
            for cell in element:
                repeat = int(cell.get(f"{_TABLE}number-columns-repeated", "1"))
                kind = cell.get(f"{_OFFICE}value-type")
                if cell.get(f"{_CALC}value-type") == "error":
                    cells.errors[(row, col)] = _shown(cell) or "#ERROR"
                elif kind in _NUMERIC:
                    text = _shown(cell)
                    for offset in range(min(repeat, _MAX_REPEAT)):
                        cells.texts[(row, col + offset)] = text
                col += repeat
            row += min(rows, _MAX_REPEAT) if not len(element) else rows
        found[table.get(f"{_TABLE}name", "")] = cells
    return found
