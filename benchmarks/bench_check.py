"""Measure check speed: loading, and rules on many projects (a benchmark, not a test).

Usage: .venv/bin/python benchmarks/bench_check.py [N]
Checks the seed case N times (default 500) with varied spending, and prints
the time per stage and projects per second.
"""

from __future__ import annotations

import sys
import time
from decimal import Decimal
from pathlib import Path

from compliance.checking.checker import Checker
from compliance.records.loading import ProjectRecords, load_project
from compliance.records.project import SubProject
from compliance.rules.pack import load_pack

ROOT = Path(__file__).resolve().parents[1]


def variants(base: ProjectRecords, count: int) -> list[ProjectRecords]:
    """Copies of the seed case whose sub-project spending differs from copy to copy."""
    projects = []
    for n in range(count):
        records = []
        for record in base.records:
            if isinstance(record, SubProject):
                spent = min(record.budget, record.spent + Decimal(n % 7) / 100)
                record = record.model_copy(update={"spent": spent})
            records.append(record)
        projects.append(ProjectRecords(f"{base.origin}#{n}", base.info, records))
    return projects


def main() -> None:
    """Command line entry point."""
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    started = time.perf_counter()
    pack = load_pack(ROOT / "rules")
    loaded_pack = time.perf_counter()
    checker = Checker(pack)
    compiled = time.perf_counter()
    base = load_project(ROOT / "cases" / "qingdao-egov-2020")
    loaded_case = time.perf_counter()
    projects = variants(base, count)
    begin = time.perf_counter()
    results = [checker.check_project(p) for p in projects]
    elapsed = time.perf_counter() - begin
    findings = sum(len(r.findings) for r in results)
    errors = sum(len(r.errors) for r in results)
    if errors:
        sys.exit(f"{errors} errors while checking: {results[0].errors[:3]}")
    print(
        f"rules: {len(pack.rules)} (load {1000 * (loaded_pack - started):.0f} ms, "
        f"compile+register {1000 * (compiled - loaded_pack):.0f} ms)"
    )
    print(f"seed case: {len(base.records)} records, load {1000 * (loaded_case - compiled):.0f} ms")
    print(
        f"checked {count} projects in {elapsed:.2f} s: {count / elapsed:.0f} projects/s, "
        f"{1000 * elapsed / count:.2f} ms/project, {findings} findings"
    )


if __name__ == "__main__":
    main()
