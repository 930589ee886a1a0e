"""Write a check's output one project at a time, as results arrive.

Why: holding every result and building one string took ~1.5 GB for 10,000 forms.
Each writer here prints a project as soon as it is checked and keeps only counts;
the whole-run renderers (:func:`render_text` …) are these writers on a string.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, TextIO

import orjson

from compliance import __version__
from compliance.checking.checker import ProjectResult
from compliance.checking.status import RunReview
from compliance.core.errors import InternalProblem

FORMATS = ("json", "jsonl", "markdown", "text")


def compact_json(data: Any) -> str:
    """``json.dumps(data, ensure_ascii=False, separators=(",", ":"))``, byte for byte, faster.

    Why orjson: encoding was a third of writing a project (0.13 of 0.25 ms a form);
    orjson writes the same bytes for what results hold (str, int, bool, None, lists
    and str-keyed dicts; no floats: values are shown as text) in a quarter of the
    time. What it refuses (a lone surrogate, an int beyond 64 bits, a non-str key)
    goes through :mod:`json` as before.
    """
    try:
        return orjson.dumps(data).decode()
    except TypeError:  # orjson.JSONEncodeError is a TypeError
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


RULE_LINE = "\n\n" + "─" * 40 + "\n\n"


def project_data(result: ProjectResult) -> dict[str, Any]:
    """One project's result as plain data (the JSON contract)."""
    info = result.project.info if result.project else None
    return {
        "origin": result.origin,
        "project": None
        if info is None
        else {
            "name": info.name,
            "year": info.year,
            "department": info.department,
            "evaluation_kind": None if info.evaluation_kind is None else info.evaluation_kind.value,
        },
        "findings": [
            {**f.as_dict(), **(result.review.of(f).as_dict() if result.review else {})}
            for f in result.findings
        ],
        "resolved": [r.as_dict() for r in result.review.resolved] if result.review else [],
        "unused_waivers": [w.as_dict() for w in result.review.unused] if result.review else [],
        "undecided": [u.to_json() for u in result.undecided],
        "recommendations": [g.as_dict() for g in result.recommendations],
        "summary": result.summary(),
        "errors": [
            {
                "kind": "input",
                "location": p.location.as_dict(),
                "path": p.path,
                "message": p.message,
            }
            for p in result.problems
        ]
        + [e.as_dict() for e in result.errors],
    }


@dataclass(frozen=True)
class Piece:
    """One project's output, rendered where it was checked, and what the run needs of it.

    Worker processes send pieces rather than results: a string is cheap to pass
    between processes, and the parent only writes it.
    """

    origin: str
    text: str
    findings: int
    undecided: int
    ranks: tuple[int, ...]
    """The severity rank of each finding no waiver explains (for ``--fail-on``)."""
    failed: bool
    """The project could not be (fully) checked: bad records or a bug."""
    problems: tuple[str, ...]
    """Bad records, one ``file:line:col: error: …`` line each."""
    internal: tuple[InternalProblem, ...]
    """Bugs met on this project (with their tracebacks, for ``--debug``)."""
    waived: int = 0
    """Findings a waiver explains (已说明): shown, counted apart."""


class Writer:
    """Prints each project as it comes and the closing lines; keeps only counts."""

    name = ""

    def __init__(self, out: TextIO, rules: int, *, pretty: bool = False) -> None:
        self.out = out
        self.rules = rules
        self.pretty = pretty
        self.projects = 0
        self.findings = 0
        self.undecided = 0
        self.with_errors = 0
        self.waived = 0
        self.run_review: RunReview | None = None
        """Set for a reviewed run: the baseline's source and outside waivers matching nothing."""

    def start(self) -> None:
        """Print what comes before the first project."""

    def render(self, result: ProjectResult) -> str:
        """One project's text, the same wherever it is in the run."""
        raise NotImplementedError

    def fallback(self, origin: str, bug: InternalProblem) -> str:
        """A project whose rendering failed: its origin and the bug, kept minimal."""
        return f"项目：{origin}\n内部错误：{bug}"

    def piece(self, result: ProjectResult) -> Piece:
        """The project rendered, with its counts and messages.

        A renderer bug loses this project's text only: it is rendered again as a
        project whose one error is that bug.
        """
        try:
            text = self.render(result)
        except Exception as exc:
            bug = InternalProblem.from_exception(exc, f"rendering {self.name}", "", result.origin)
            result = ProjectResult(result.origin, errors=[*result.errors, bug])
            text = self.fallback(result.origin, bug)
        waived = [result.is_waived(f) for f in result.findings]
        return Piece(
            result.origin,
            text,
            len(result.findings),
            len(result.undecided),
            tuple(f.severity.rank for f, w in zip(result.findings, waived, strict=True) if not w),
            bool(result.problems or result.errors),
            tuple(str(p) for p in result.problems),
            tuple(result.errors),
            sum(waived),
        )

    def add(self, result: ProjectResult) -> None:
        """Print one project."""
        self.put(self.piece(result))

    def put(self, piece: Piece) -> None:
        """Print one rendered project after the ones before it."""
        self.out.write(self.joint() + piece.text)
        self.projects += 1
        self.findings += piece.findings
        self.undecided += piece.undecided
        self.with_errors += piece.failed
        self.waived += piece.waived

    def joint(self) -> str:
        """What goes between the previous project and the next."""
        return ""

    def finish(self, rule_errors: Mapping[str, InternalProblem]) -> None:
        """Print what comes after the last project."""

    def footer(self) -> str:
        waived = f"（其中已说明 {self.waived} 项）" if self.waived else ""
        return (
            f"共检查 {self.projects} 个项目，规则 {self.rules} 条，"
            f"发现问题 {self.findings} 项{waived}。"
        )

    def review_footer(self) -> str:
        """The baseline's source and the outside waivers that matched nothing, as lines."""
        review = self.run_review
        if review is None:
            return ""
        lines = [f"基线：{review.baseline}"] if review.baseline else []
        if review.unused:
            lines.append(
                "未匹配任何问题的说明："
                + "；".join(
                    f"{w.waiver.rule} {w.waiver.subject}（{w.where()}）" for w in review.unused
                )
            )
        return "".join("\n" + line for line in lines)


class TextWriter(Writer):
    """Readable text, projects separated by a rule line (see :mod:`compliance.output.text`)."""

    name = "text"

    def render(self, result: ProjectResult) -> str:
        from compliance.output.text import project_lines

        return "\n".join(project_lines(result))

    def joint(self) -> str:
        return RULE_LINE if self.projects else ""

    def finish(self, rule_errors: Mapping[str, InternalProblem]) -> None:
        footer = self.footer().removesuffix("。") + f"，未能核查 {self.undecided} 项。"
        self.out.write("\n\n" + footer + self.review_footer() + "\n")


class MarkdownWriter(Writer):
    """One Markdown document (see :mod:`compliance.output.markdown`)."""

    name = "markdown"

    def fallback(self, origin: str, bug: InternalProblem) -> str:
        return f"\n## {origin}\n\n> 内部错误：{bug}\n"

    def start(self) -> None:
        self.out.write("# 绩效评价合规检查结果\n")

    def render(self, result: ProjectResult) -> str:
        from compliance.output.markdown import project_lines

        return "\n" + "\n".join(project_lines(result))

    def finish(self, rule_errors: Mapping[str, InternalProblem]) -> None:
        self.out.write("\n" + self.footer() + self.review_footer() + "\n")


class JsonWriter(Writer):
    """One JSON document, written incrementally; compact unless ``pretty``."""

    name = "json"

    def fallback(self, origin: str, bug: InternalProblem) -> str:
        return self._dump({"origin": origin, "errors": [bug.as_dict()]}, 2)

    def _dump(self, data: Any, depth: int = 0) -> str:
        if not self.pretty:
            return compact_json(data)
        text = json.dumps(data, ensure_ascii=False, indent=2)
        return text.replace("\n", "\n" + "  " * depth)

    def _head(self) -> dict[str, Any]:
        return {"tool": "compliance", "version": __version__, "rules": self.rules}

    def start(self) -> None:
        if self.pretty:
            head = ",\n".join(
                f"  {json.dumps(k)}: {json.dumps(v)}" for k, v in self._head().items()
            )
            self.out.write("{\n" + head + ',\n  "projects": [')
        else:
            self.out.write(self._dump(self._head())[:-1] + ',"projects":[')

    def render(self, result: ProjectResult) -> str:
        return self._dump(project_data(result), 2)

    def joint(self) -> str:
        comma = "," if self.projects else ""
        return comma + "\n    " if self.pretty else comma

    def finish(self, rule_errors: Mapping[str, InternalProblem]) -> None:
        summary = {
            "projects": self.projects,
            "findings": self.findings,
            "undecided": self.undecided,
            "projects_with_errors": self.with_errors,
            "rule_errors": {rule: e.as_dict() for rule, e in sorted(rule_errors.items())},
            "waived": self.waived,
        }
        if self.run_review is not None:
            summary["baseline"] = self.run_review.baseline
            summary["unused_waivers"] = [w.as_dict() for w in self.run_review.unused]
        if self.pretty:
            close = "\n  ]" if self.projects else "]"
            self.out.write(f'{close},\n  "summary": {self._dump(summary, 1)}\n}}\n')
        else:
            self.out.write(f'],"summary":{self._dump(summary)}}}\n')


class JsonLinesWriter(Writer):
    """One compact JSON object per project and line, for very large runs."""

    name = "jsonl"

    def fallback(self, origin: str, bug: InternalProblem) -> str:
        return compact_json({"origin": origin, "errors": [bug.as_dict()]}) + "\n"

    def render(self, result: ProjectResult) -> str:
        return compact_json(project_data(result)) + "\n"


WRITERS: dict[str, type[Writer]] = {
    "text": TextWriter,
    "markdown": MarkdownWriter,
    "json": JsonWriter,
    "jsonl": JsonLinesWriter,
}


def render(
    fmt: str,
    results: Iterable[ProjectResult],
    rules: int,
    rule_errors: Mapping[str, InternalProblem],
    *,
    pretty: bool = False,
    review: RunReview | None = None,
) -> str:
    """A whole run in one string (for the API, reports and tests)."""
    out = io.StringIO()
    writer = WRITERS[fmt](out, rules, pretty=pretty)
    writer.run_review = review
    writer.start()
    for result in results:
        writer.add(result)
    writer.finish(rule_errors)
    return out.getvalue()
