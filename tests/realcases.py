"""The real-document cases (cases/real): what each expects, and the fidelity table of the README.

Why a helper: the README's table must stay true, so it is computed from the
checker's findings on each case and its ``expected.yaml`` here, and a test
compares it with the README. Run ``python -m tests.realcases`` to rewrite it.

``expected.yaml`` of a real case holds ``findings`` (exact: rule and subject,
each verified against the source), ``stated_problems`` (the problems the
document itself states, each with the findings that report it, ``found_by``;
empty when no rule does), ``missed`` (problems a careful evaluator sees in the
data that no rule reports yet), and ``must_not`` (findings the records do not
establish: a rule, optionally with a subject).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from compliance.checking.checker import Checker, ProjectResult
from compliance.resources import RULES
from compliance.rules.pack import RulePack, load_pack

ROOT = Path(__file__).resolve().parents[1]
REAL = ROOT / "cases" / "real"
README = ROOT / "README.md"
BEGIN = "<!-- fidelity:begin -->"
END = "<!-- fidelity:end -->"


def real_cases() -> list[Path]:
    """The real case folders, by name."""
    return sorted(p.parent for p in REAL.glob("*/expected.yaml"))


def expected(case: Path) -> dict[str, Any]:
    """The case's expected.yaml."""
    data = yaml.safe_load((case / "expected.yaml").read_text(encoding="utf-8"))
    assert isinstance(data, dict), case
    return data


def found_set(result: ProjectResult) -> set[str]:
    """The findings as ``RULE kind:key``."""
    return {f"{f.rule} {f.subject.type}:{f.subject.key}" for f in result.findings}


def expected_set(data: dict[str, Any]) -> set[str]:
    """The expected findings as ``RULE kind:key``."""
    return {f"{item['rule']} {item['subject']}" for item in data.get("findings") or []}


def forbidden_hits(data: dict[str, Any], found: set[str]) -> list[str]:
    """The findings that ``must_not`` forbids and the checker gave nonetheless."""
    hits = []
    for item in data.get("must_not") or []:
        prefix = f"{item['rule']} {item['subject']}" if item.get("subject") else f"{item['rule']} "
        hits.extend(sorted(f for f in found if f == prefix or f.startswith(prefix)))
    return hits


@dataclass(frozen=True)
class Fidelity:
    """One row of the fidelity table."""

    case: str
    kind: str
    stated_found: int
    stated: int
    data_found: int
    data_known: int
    false: int
    undecided: int

    def row(self) -> str:
        """The row in Markdown."""
        stated = f"{self.stated_found} / {self.stated}" if self.stated else "0 / 0"
        return (
            f"| {self.case} | {self.kind} | {stated} | {self.data_found} / {self.data_known} "
            f"| {self.false} | {self.undecided} |"
        )


def fidelity(case: Path, result: ProjectResult) -> Fidelity:
    """Compare one case's findings with what its expected.yaml says a careful evaluator finds."""
    data = expected(case)
    found = found_set(result)
    wanted = expected_set(data)
    stated = data.get("stated_problems") or []
    stated_found = sum(
        1 for p in stated if p.get("found_by") and all(f in found for f in p["found_by"])
    )
    extra = found - wanted
    false = len(extra | set(forbidden_hits(data, found)))
    return Fidelity(
        case=case.name,
        kind=str(data.get("kind", "")),
        stated_found=stated_found,
        stated=len(stated),
        data_found=len(wanted & found),
        data_known=len(wanted) + len(data.get("missed") or []),
        false=false,
        undecided=len({u.rule for u in result.undecided}),
    )


def table(pack: RulePack | None = None) -> str:
    """The fidelity table over every real case, with a totals row."""
    cases = real_cases()
    results = Checker(pack or load_pack(RULES)).run(cases).results
    rows = [fidelity(case, result) for case, result in zip(cases, results, strict=True)]
    lines = [
        "| case | document | stated problems found / stated | data problems found / known "
        "| false findings | rules 未能核查 |",
        "|---|---|---|---|---|---|",
        *(r.row() for r in rows),
        f"| **{len(rows)} cases** | | **{sum(r.stated_found for r in rows)} / "
        f"{sum(r.stated for r in rows)}** | **{sum(r.data_found for r in rows)} / "
        f"{sum(r.data_known for r in rows)}** | **{sum(r.false for r in rows)}** | |",
    ]
    return "\n".join(lines)


def readme_table(text: str) -> str:
    """The table between the markers of the README."""
    start, end = text.index(BEGIN) + len(BEGIN), text.index(END)
    return text[start:end].strip()


def write_readme() -> None:
    """Rewrite the README's fidelity table from the cases."""
    text = README.read_text(encoding="utf-8")
    start, end = text.index(BEGIN) + len(BEGIN), text.index(END)
    README.write_text(f"{text[:start]}\n{table()}\n{text[end:]}", encoding="utf-8")


if __name__ == "__main__":
    write_readme()
    sys.stdout.write(table() + "\n")
