"""Measure report speed per format on the bundled cases (a benchmark, not a test).

Usage: .venv/bin/python benchmarks/bench_report.py [ROUNDS]
Checks and scores every case under cases/ once, then renders each format ROUNDS times
(default 3) and prints the best time; Word is the slow one (four matplotlib charts a project).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

from compliance.checking.checker import Checker
from compliance.output.report import (
    build_report,
    make_run_record,
    render_docx,
    render_html,
    render_report_markdown,
    render_sarif,
    render_site,
)
from compliance.rules.pack import load_pack

ROOT = Path(__file__).resolve().parents[1]


def best(rounds: int, work: Callable[[], object]) -> float:
    """The fastest of ``rounds`` runs, in seconds."""
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    started = time.perf_counter()
    run = Checker(load_pack(ROOT / "rules")).run([ROOT / "cases"])
    report = build_report(run)
    record = make_run_record(run)
    print(f"check + score {len(report.projects)} projects: {time.perf_counter() - started:.2f} s")
    formats: dict[str, Callable[[], object]] = {
        "html (one file)": lambda: render_html(report, record=record),
        "html site": lambda: render_site(report, record=record),
        "markdown": lambda: render_report_markdown(report, record=record),
        "sarif": lambda: render_sarif(report, record),
        "docx (volume)": lambda: render_docx(report, record=record),
    }
    for name, work in formats.items():
        seconds = best(rounds, work)
        print(
            f"{name:16} {seconds:6.2f} s  ({seconds / len(report.projects) * 1000:.0f} ms a project)"
        )


if __name__ == "__main__":
    main()
