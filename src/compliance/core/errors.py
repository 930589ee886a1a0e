"""Errors a user can fix (bad input) versus errors that are bugs.

Why: an auditor who mistypes a field must get ``file:line:col: message`` and no
traceback; every problem of one file is collected and reported at once. A bug
(an exception in the engine, a rule, building a finding, a renderer) is an
:class:`InternalProblem`: it says so, names the rule and the project, and keeps its
traceback for the report a user files; the command exits 3, not 2.
"""

from __future__ import annotations

import difflib
import os
import traceback as tb
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True, order=True)
class Location:
    """A place in a source file (1-based line and column).

    A form read from a workbook is placed by ``sheet`` and ``cell`` (``自评表``,
    ``H15``), a Word table by ``sheet`` = ``表2`` and ``cell`` = ``R3C4``; ``line`` and
    ``column`` then hold the cell's row and column numbers, for tools that want lines.
    """

    file: str
    line: int = 0
    column: int = 0
    sheet: str = ""
    cell: str = ""

    def __str__(self) -> str:
        if self.cell:
            return f"{self.file}:{self.sheet}!{self.cell}"
        if self.sheet:
            return f"{self.file}:{self.sheet}"
        if self.line:
            return f"{self.file}:{self.line}:{self.column}"
        return self.file

    @property
    def in_workbook(self) -> str:
        """``自评表!H15`` for a cell, else nothing: what a spreadsheet user types to go there."""
        if not self.sheet:
            return ""
        return f"{self.sheet}!{self.cell}" if self.cell else self.sheet

    def as_dict(self) -> dict[str, str | int]:
        """Return the location as plain JSON-friendly data (``sheet``/``cell`` for workbooks)."""
        data: dict[str, str | int] = {"file": self.file, "line": self.line, "column": self.column}
        if self.sheet:
            data["sheet"] = self.sheet
            data["cell"] = self.cell
        return data


@dataclass(frozen=True, order=True)
class InputProblem:
    """One problem in a user's file: where, which field, and what is wrong."""

    location: Location
    path: str
    message: str

    def __str__(self) -> str:
        where = f"{self.path}: " if self.path else ""
        return f"{self.location}: error: {where}{self.message}".translate(ONE_LINE)


ONE_LINE = {ord(c): repr(c)[1:-1] for c in "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"}
"""Line breaks a value may carry into a message, escaped: one problem is one line (``\\n``)."""


class InputError(Exception):
    """Bad input: one or more problems, reported together without a traceback."""

    def __init__(self, problems: list[InputProblem]) -> None:
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    @classmethod
    def single(cls, file: str | Path, message: str, line: int = 0, column: int = 0) -> InputError:
        """Build an error with one problem."""
        return cls([InputProblem(Location(str(file), line, column), "", message)])

    @classmethod
    def at(cls, where: Location, message: str, path: str = "") -> InputError:
        """Build an error with one problem at a known place (a workbook cell, say)."""
        return cls([InputProblem(where, path, message)])


@dataclass(frozen=True)
class InternalProblem:
    """A bug met while checking: what failed, in which rule and project, and its traceback.

    ``stage`` says what was running (``building a finding``, ``running the engine``…);
    ``rule`` and ``project`` are empty when unknown.
    """

    stage: str
    message: str
    rule: str = ""
    project: str = ""
    traceback: str = ""

    @classmethod
    def from_exception(
        cls, exc: BaseException, stage: str, rule: str = "", project: str = ""
    ) -> InternalProblem:
        """Describe ``exc`` (the one being handled) with its traceback."""
        trace = "".join(tb.format_exception(type(exc), exc, exc.__traceback__))
        return cls(stage, f"{type(exc).__name__}: {exc}", rule, project, trace)

    def __str__(self) -> str:
        rule = f" in rule {self.rule}" if self.rule else ""
        project = f" while checking {self.project}" if self.project else ""
        return f"internal error{rule}{project} ({self.stage}): {self.message} — please report"

    def as_dict(self) -> dict[str, Any]:
        """Plain data for JSON output, traceback included."""
        return {
            "kind": "internal",
            "stage": self.stage,
            "rule": self.rule or None,
            "project": self.project or None,
            "message": self.message,
            "traceback": self.traceback or None,
        }


def display_path(path: str | Path) -> str:
    """Show a path relative to the working directory when it lies below it."""
    text = os.fspath(path)
    real = os.path.realpath(text)
    cwd = os.getcwd()
    base = _REAL_CWD.get(cwd) or _REAL_CWD.setdefault(cwd, os.path.realpath(cwd))
    if real == base:
        return "."
    below = base if base.endswith(os.sep) else base + os.sep
    if real.startswith(below):
        return real[len(below) :]
    return str(Path(text))


_REAL_CWD: dict[str, str] = {}
"""The working directory with its links resolved, by how the system names it: a batch
shows thousands of paths, and resolving the directory each time was half the work."""


def dotted(loc: Sequence[str | int]) -> str:
    """Write a location path as ``sub_projects[3].budget``."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """`` (did you mean 'spent'?)`` when a close choice exists, else nothing."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""
