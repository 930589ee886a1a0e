"""Measure memory over many Checkers of the bundled pack (a benchmark, not a test).

Usage: .venv/bin/python benchmarks/bench_memory.py [N] [--keep]
Makes N Checkers (default 1,000), each checking the seed case once, and prints the
process's resident memory every N/5 Checkers. ``--keep`` skips ``close()`` and relies
on the Checkers being dropped (their Engines free the ruleset when collected).
"""

from __future__ import annotations

import gc
import os
import sys
import time
from pathlib import Path

from compliance.checking.checker import Checker
from compliance.records.loading import load_project
from compliance.rules.pack import load_pack

ROOT = Path(__file__).resolve().parents[1]


def rss_mb() -> float:
    """Resident memory of this process (Linux), in MB."""
    with open(f"/proc/{os.getpid()}/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def main() -> None:
    """Make the Checkers and print memory as they come and go."""
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    count = int(args[0]) if args else 1_000
    close = "--keep" not in sys.argv
    pack = load_pack(ROOT / "rules")
    project = load_project(ROOT / "cases" / "qingdao-egov-2020")
    with Checker(pack) as warm:
        warm.check_project(project)
    gc.collect()
    start, began = rss_mb(), time.perf_counter()
    print(f"{len(pack.rules)} rules; RSS {start:.1f} MB before")
    for n in range(1, count + 1):
        checker = Checker(pack)
        checker.check_project(project)
        if close:
            checker.close()
        del checker
        if n % max(1, count // 5) == 0:
            gc.collect()
            print(f"{n:>6} Checkers: RSS +{rss_mb() - start:.1f} MB")
    elapsed = time.perf_counter() - began
    print(
        f"{count} Checkers in {elapsed:.1f} s ({1000 * elapsed / count:.1f} ms each, "
        f"compile + register + check + free)"
    )


if __name__ == "__main__":
    main()
