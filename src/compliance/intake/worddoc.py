"""Read the tables of a .docx file into grids, with the title printed above each.

Why not python-docx here: it takes about 27 ms only to open a form (it parses every part
of the package) and 20 ms more to walk a table's cells, more than checking the form costs.
The tables are read straight from ``word/document.xml`` (about 2 ms): each row's cells by
grid column, a merged cell given once at its first row and column and blank where the
merge continues (``gridSpan``, ``vMerge``), as a spreadsheet reader gives it, so one finder
serves both.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from xml.etree import ElementTree

from compliance.core.errors import InputError, Location
from compliance.intake.grid import Grid, cell_text
from compliance.intake.spreadsheet import MAX_FORM_FILE_BYTES

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_PREAMBLE_PARAGRAPHS = 3


def _text(paragraph: ElementTree.Element) -> str:
    parts = []
    for node in paragraph.iter():
        if node.tag == f"{_W}t":
            parts.append(node.text or "")
        elif node.tag in (f"{_W}tab", f"{_W}br"):
            parts.append(" " if node.tag == f"{_W}tab" else "\n")
    return "".join(parts)


def _value(parent: ElementTree.Element | None, tag: str) -> str | None:
    node = parent.find(f"{_W}{tag}") if parent is not None else None
    if node is None:
        return None
    return node.get(f"{_W}val", "")


def _rows(table: ElementTree.Element) -> list[list[str]]:
    rows: list[list[str]] = []
    for tr in table.findall(f"{_W}tr"):
        row: list[str] = [""] * int(_value(tr.find(f"{_W}trPr"), "gridBefore") or 0)
        for tc in tr.findall(f"{_W}tc"):
            props = tc.find(f"{_W}tcPr")
            span = int(_value(props, "gridSpan") or 1)
            merge = _value(props, "vMerge")
            continues = merge is not None and merge != "restart"
            text = "\n".join(_text(p) for p in tc.findall(f"{_W}p")).strip()
            row.append("" if continues else cell_text(text))
            row.extend([""] * (span - 1))
        rows.append(row)
    return rows


def read_word(path: Path, shown: str) -> list[Grid]:
    """Every top-level table of the document as a grid named ``表1``, ``表2`` …; bad files raise."""
    size = path.stat().st_size
    if size > MAX_FORM_FILE_BYTES:
        raise InputError.at(
            Location(shown),
            f"file is {size / 1048576:.1f} MB, above the {MAX_FORM_FILE_BYTES // 1048576} MB "
            "limit for a form (MAX_FORM_FILE_BYTES)",
        )
    try:
        with zipfile.ZipFile(path) as archive:
            info = archive.getinfo("word/document.xml")
            if info.file_size > MAX_FORM_FILE_BYTES:
                raise InputError.at(
                    Location(shown),
                    f"word/document.xml unpacks to {info.file_size / 1048576:.1f} MB, above the "
                    f"{MAX_FORM_FILE_BYTES // 1048576} MB limit (MAX_FORM_FILE_BYTES)",
                )
            root = ElementTree.fromstring(archive.read(info))
    except InputError:
        raise
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError, OSError) as exc:
        raise InputError.at(Location(shown), f"is not a readable Word document: {exc}") from None
    body = root.find(f"{_W}body")
    grids: list[Grid] = []
    recent: list[str] = []
    for element in body if body is not None else []:
        if element.tag == f"{_W}p":
            text = _text(element).strip()
            if text:
                recent = [*recent, text][-_PREAMBLE_PARAGRAPHS:]
        elif element.tag == f"{_W}tbl":
            name = f"表{len(grids) + 1}"
            grid = Grid(shown, name, _rows(element), word=True)
            where = Location(shown, 0, 0, name, "")
            grid.preamble = [(text, where) for text in recent]
            grids.append(grid)
            recent = []
    return grids
