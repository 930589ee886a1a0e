"""Measure the findings store: recording a run of many projects, and reading its baseline back.

Usage: .venv/bin/python benchmarks/bench_store.py [N] [URL]
Checks the seed case as N projects of their own (distinct names) for two years, records
year 1 in URL (default: a temporary SQLite file; under .ci/with-postgres pass
"$COMPLIANCE_TEST_POSTGRES_URL"), then reads the store's waivers and baseline for year 2
as ``check --store --baseline-from-store`` does and records it. A benchmark, not a test.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

from compliance.checking.checker import Checker, CheckRun
from compliance.cli.review import ReviewInputs
from compliance.records.loading import ProjectRecords, load_project
from compliance.review.store.database import Store
from compliance.review.store.recording import record_run
from compliance.rules.pack import load_pack

ROOT = Path(__file__).resolve().parents[1]


def year_run(checker: Checker, base: ProjectRecords, count: int, year: int) -> CheckRun:
    """The seed case checked as ``count`` differently named projects of ``year``."""
    results = []
    for n in range(count):
        info = base.info.model_copy(update={"name": f"{base.info.name}{n}", "year": year})
        project = dataclasses.replace(base, info=info, records=[info, *base.records[1:]])
        results.append(checker.check_project(project))
    return CheckRun(checker.pack, results)


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    url = sys.argv[2] if len(sys.argv) > 2 else f"sqlite:///{tempfile.mkdtemp()}/bench.db"
    checker = Checker(load_pack(ROOT / "rules"))
    base = load_project(ROOT / "cases" / "qingdao-egov-2020")
    store = Store.open(url)
    try:
        for offset, label in ((0, "record year 1"), (1, "baseline from store + record year 2")):
            run = year_run(checker, base, count, base.info.year + offset)
            findings = sum(len(r.findings) for r in run.results)
            start = time.perf_counter()
            ReviewInputs(dt.date.today(), [], None, store, baseline_from_store=True).apply(run)
            record_run(store, run, command="bench", rules=ROOT / "rules", parameters={})
            elapsed = time.perf_counter() - start
            print(
                f"{label}: {count} projects, {findings} findings in {elapsed:.2f} s "
                f"({elapsed / count * 1000:.1f} ms/project) [{store.engine.dialect.name}]"
            )
    finally:
        store.close()


if __name__ == "__main__":
    main()
