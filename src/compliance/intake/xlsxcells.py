"""What calamine does not tell about an .xlsx cell: its number format and its formula error.

Why: a form shows ``98.80%`` where the file stores ``0.988`` and ``9.88`` where it stores
``9.883333``; the evaluator checks what is shown. And calamine reads a failed formula
(``#DIV/0!``) as an empty cell, which would turn a broken form into an unknown value. One
pass over the sheet's XML (about a millisecond for a form) recovers both.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from posixpath import join, normpath
from xml.etree import ElementTree

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_BUILTIN = {1: "0", 2: "0.00", 3: "#,##0", 4: "#,##0.00", 9: "0%", 10: "0.00%"}
_CELL_REF = re.compile(r"([A-Z]+)(\d+)")
_QUOTED = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.')


@dataclass(frozen=True)
class Shown:
    """How a number format shows a value: how many decimals, and whether as a percent."""

    decimals: int
    percent: bool


@dataclass
class SheetCells:
    """Per cell (0-based row, column): how its number is shown, and its formula error if any.

    ``texts`` holds the shown text itself where the file stores it (.ods).
    """

    shown: dict[tuple[int, int], Shown] = field(default_factory=dict)
    errors: dict[tuple[int, int], str] = field(default_factory=dict)
    texts: dict[tuple[int, int], str] = field(default_factory=dict)


def shown_by(code: str) -> Shown | None:
    """How a number format code (``0.00%``, ``#,##0.00``) shows a number; None for dates, text."""
    first = _QUOTED.sub("", code.split(";")[0])
    if any(ch in first.lower() for ch in "ymdhs") or not re.search(r"[0#]", first):
        return None
    point = first.find(".")
    decimals = len(re.findall(r"[0#]", first[point:])) if point >= 0 else 0
    return Shown(decimals, "%" in first)


def _position(ref: str) -> tuple[int, int]:
    match = _CELL_REF.match(ref)
    if not match:
        return -1, -1
    col = 0
    for letter in match.group(1):
        col = col * 26 + ord(letter) - 64
    return int(match.group(2)) - 1, col - 1


def _styles(archive: zipfile.ZipFile) -> list[Shown | None]:
    try:
        root = ElementTree.fromstring(archive.read("xl/styles.xml"))
    except KeyError:
        return []
    codes = dict(_BUILTIN)
    for fmt in root.iter(f"{_MAIN}numFmt"):
        codes[int(fmt.get("numFmtId", "0"))] = fmt.get("formatCode", "")
    xfs = root.find(f"{_MAIN}cellXfs")
    if xfs is None:
        return []
    return [shown_by(codes.get(int(xf.get("numFmtId", "0")), "")) for xf in xfs.iter(f"{_MAIN}xf")]


def _sheet_paths(archive: zipfile.ZipFile) -> dict[str, str]:
    book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{_PKG}Relationship")}
    paths = {}
    for sheet in book.iter(f"{_MAIN}sheet"):
        target = targets.get(sheet.get(f"{_REL}id"), "")
        path = target.lstrip("/") if target.startswith("/") else normpath(join("xl", target))
        paths[sheet.get("name", "")] = path
    return paths


def read_sheet_cells(archive: zipfile.ZipFile) -> dict[str, SheetCells]:
    """Number formats and formula errors of every sheet, by sheet name."""
    styles = _styles(archive)
    found: dict[str, SheetCells] = {}
    for name, path in _sheet_paths(archive).items():
        cells = SheetCells()
        try:
            root = ElementTree.fromstring(archive.read(path))
        except KeyError:
            continue
        for cell in root.iter(f"{_MAIN}c"):
            kind = cell.get("t")
            if kind == "e":
                value = cell.find(f"{_MAIN}v")
                cells.errors[_position(cell.get("r", ""))] = (
                    value.text or "#ERROR" if value is not None else "#ERROR"
                )
                continue
            style = int(cell.get("s", "0"))
            if kind in (None, "n") and 0 < style < len(styles) and styles[style] is not None:
                cells.shown[_position(cell.get("r", ""))] = styles[style]  # type: ignore[assignment]
        found[name] = cells
    return found
