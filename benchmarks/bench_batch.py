"""Benchmark a batch check of N generated self-evaluation forms (a benchmark, not a test).

Usage: .venv/bin/python benchmarks/bench_batch.py [N] [--jobs 2] [--sample 2000] [--seed S]

Prints, in one run:
- the pipeline as users run it (``compliance check DIR --jobs J --format jsonl -o FILE``):
  forms/s (wall), CPU-seconds of all its processes, peak RSS (the whole process tree,
  sampled, and the largest single process);
- CPU milliseconds per form per stage (load, facts, aggregates, engine, findings,
  output), measured in this process with ``time.process_time`` on ``--sample`` forms,
  so that other load on the machine does not inflate them;
- the floor: the same compiled rule definitions evaluated on the same facts by a
  plain-Python matcher (benchmarks/floor.py), and the ratio of the engine to it;
  the matcher's firings are compared with the engine's;
- the seed check and ``compliance --help`` as a user starts them (wall and CPU).
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from floor import Floor
from generate import SEED, ensure

import compliance
from compliance.checking.checker import Checker, ProjectResult, Stopwatch
from compliance.output.batch import CHUNK
from compliance.output.stream import JsonLinesWriter
from compliance.records.loading import load_project
from compliance.review.run import review_own
from compliance.rules.pack import load_pack

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent / "compliance"
TICKS = os.sysconf("SC_CLK_TCK")
STAGES = ("load", "facts", "aggregates", "engine", "findings", "undecided", "review", "output")


def _tree(root: int, cpu: dict[int, float]) -> int:
    """Resident memory (bytes) of ``root`` and all its descendants, from /proc.

    Also records each process's CPU seconds so far in ``cpu``: worker processes are
    the forkserver's children, not ours, so ``RUSAGE_CHILDREN`` would miss them.
    """
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(entry))
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        stack.extend(children.get(pid, []))
        try:
            with open(f"/proc/{pid}/status") as handle:
                for line in handle:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1]) * 1024
            with open(f"/proc/{pid}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
            cpu[pid] = (int(fields[11]) + int(fields[12])) / TICKS
        except OSError:
            pass
    return total


def run_pipeline(data: Path, jobs: int, out: Path) -> dict[str, Any]:
    """The CLI on every form: wall, CPU of all processes, peak RSS of the process tree."""
    started = time.perf_counter()
    command = [str(BIN), "check", str(data), "--jobs", str(jobs), "--format", "jsonl"]
    process = subprocess.Popen([*command, "-o", str(out), "--quiet", "--fail-on", "none"])
    peak = 0
    samples: list[int] = []
    cpu: dict[int, float] = {}
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not stop.is_set():
            rss = _tree(process.pid, cpu)
            samples.append(rss)
            peak = max(peak, rss)
            stop.wait(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    code = process.wait()
    stop.set()
    sampler.join()
    wall = time.perf_counter() - started
    if code != 0:
        sys.exit(f"compliance check exited with {code}")
    late = samples[len(samples) // 2 :] or [0]
    return {
        "wall": wall,
        "cpu": sum(cpu.values()),
        "cpu_main": cpu.get(process.pid, 0.0),
        "cpu_others": sorted((v for k, v in cpu.items() if k != process.pid), reverse=True),
        "peak_tree": peak,
        "late_median": sorted(late)[len(late) // 2],
        "early_peak": max(samples[: max(1, len(samples) // 4)] or [0]),
    }


def rates(lines: Iterable[str]) -> tuple[Counter[str], int, int]:
    """Findings per rule, 未能核查 items and projects in JSON-lines output."""
    fired: Counter[str] = Counter()
    undecided = count = 0
    for line in lines:
        project = json.loads(line)
        fired.update(f["rule"] for f in project["findings"])
        undecided += len(project["undecided"])
        count += 1
    return fired, undecided, count


def case_rates() -> tuple[Counter[str], int, int]:
    """The same counts on the written self-evaluation forms in cases/."""
    checker = Checker(load_pack(ROOT / "rules"))
    writer = JsonLinesWriter(io.StringIO(), len(checker.pack.rules))
    forms = sorted(p for p in (ROOT / "cases").iterdir() if p.name.startswith("selfeval-"))
    return rates(writer.render(checker.check_path(p)) for p in forms)


def profile(files: list[Path]) -> dict[str, float]:
    """CPU seconds per stage on ``files`` in this process, plus the floor and its agreement.

    The stages are measured as a worker runs them: chunks of ``CHUNK`` forms, each stage
    for the whole chunk (:meth:`Checker.check_paths`), then the review and the output.
    The floor is measured apart, project by project, against the engine run the same way.
    """
    pack = load_pack(ROOT / "rules")
    checker = Checker(pack)
    clock = checker.stopwatch = Stopwatch(on=True)
    sink = io.StringIO()
    writer = JsonLinesWriter(sink, len(pack.rules))
    today = dt.date.today()
    for start in range(0, len(files), CHUNK):
        results = checker.check_paths(files[start : start + CHUNK])
        clock.lap("")
        for result in results:
            review_own(result, today)  # what each worker does before it renders
        clock.lap("review")
        for result in results:
            writer.add(result)
        sink.seek(0)
        sink.truncate()
        clock.lap("output")
    stages = dict(clock.seconds)
    checker.stopwatch = Stopwatch()
    floor = Floor({rid: checker.definitions[rid] for rid in checker.rules})
    engine_seconds = floor_seconds = 0.0
    agree = differ = 0
    for path in files:
        project = load_project(path)
        result = ProjectResult(project.origin, project)
        facts = checker.facts(project, result)
        by_record = {id(r): f for r, f in zip(project.records, facts, strict=True)}
        checker.aggregate(project, by_record, facts, result)
        began = time.process_time()
        run = checker.engine.run(facts)
        engine_seconds += time.process_time() - began
        began = time.process_time()
        floored = floor.matches(facts)
        floor_seconds += time.process_time() - began
        engine = {(m.rule, str(m.facts["subj"]["key"])) for m in run.matches}
        agree += engine == floored
        differ += engine != floored
    return {
        **stages,
        "engine_alone": engine_seconds,
        "floor": floor_seconds,
        "agree": agree,
        "differ": differ,
    }


def build() -> str:
    """Which build runs: the compiled one (``make compiled``, mypyc) or the Python source."""
    compiled = [
        name
        for name, module in sorted(sys.modules.items())
        if name.startswith("compliance.") and str(getattr(module, "__file__", "")).endswith(".so")
    ]
    if not compiled:
        return f"Python source ({Path(compliance.__file__).parent})"
    return f"compiled with mypyc, {len(compiled)} modules ({Path(compliance.__file__).parent})"


def timed(command: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds of one command."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    began = time.perf_counter()
    subprocess.run(command, check=False, stdout=subprocess.DEVNULL, cwd=ROOT)
    wall = time.perf_counter() - began
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int, nargs="?", default=1000)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--sample", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--data", type=Path, help="reuse (or create) the forms in this folder")
    args = parser.parse_args()

    data = args.data or Path(tempfile.gettempdir()) / f"compliance-bench-{args.seed}-{args.count}"
    began = time.perf_counter()
    files = ensure(data, args.count, args.seed)
    print(f"{args.count} forms ready in {time.perf_counter() - began:.1f} s → {data}")

    load = os.getloadavg()
    print(
        f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, load average {load[0]:.1f} at start"
    )
    print(f"build: {build()}")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out.jsonl"
        pipe = run_pipeline(data, args.jobs, out)
        fired, undecided, lines = rates(out.open(encoding="utf-8"))
    n = args.count
    print(
        f"\npipeline ({args.jobs} jobs, jsonl): {n} forms in {pipe['wall']:.1f} s wall → "
        f"{n / pipe['wall']:.0f} forms/s; {pipe['cpu']:.1f} CPU-s (sampled) → "
        f"{n / pipe['cpu']:.0f} forms per CPU-second; {lines} lines written"
    )
    others = ", ".join(f"{c:.1f}" for c in pipe["cpu_others"])
    print(f"CPU-s by process: parent {pipe['cpu_main']:.1f}; workers and forkserver {others}")
    ours, theirs = fired, case_rates()
    print(
        f"findings per form {sum(ours.values()) / n:.2f} (the written forms in cases/: "
        f"{sum(theirs[0].values()) / theirs[2]:.2f}); 未能核查 per form {undecided / n:.2f} "
        f"({theirs[1] / theirs[2]:.2f}); {len(ours)} rules fire "
        f"({len(theirs[0])} on the written forms, {len(set(theirs[0]) - set(ours))} of them not here)"
    )
    print(
        f"peak RSS: whole process tree {pipe['peak_tree'] / 2**20:.0f} MB "
        f"(first quarter {pipe['early_peak'] / 2**20:.0f} MB, second half median "
        f"{pipe['late_median'] / 2**20:.0f} MB)"
    )

    sample = files[: min(args.sample, n)]
    stages = profile(sample)
    per = {s: 1000 * stages.get(s, 0.0) / len(sample) for s in STAGES}
    total = sum(per.values())
    print(f"\nCPU ms per form by stage ({len(sample)} forms, one process):")
    for stage in STAGES:
        print(f"  {stage:<11} {per[stage]:6.2f} ms  {100 * per[stage] / total:4.0f} %")
    print(f"  {'total':<11} {total:6.2f} ms  → {1000 / total:.0f} forms per CPU-second")
    floor_ms = 1000 * stages["floor"] / len(sample)
    alone_ms = 1000 * stages["engine_alone"] / len(sample)
    print(
        f"\nfloor: plain-Python matching of the same compiled rules on the same facts "
        f"{floor_ms:.2f} ms/form; engine {alone_ms:.2f} ms/form measured the same way "
        f"(project by project) = {alone_ms / floor_ms:.1f}× the floor; same firings on "
        f"{stages['agree']:.0f} of {len(sample)} forms"
    )
    floor_total = total - per["engine"] + per["engine"] * floor_ms / alone_ms
    print(
        f"whole check {total:.2f} ms/form vs {floor_total:.2f} ms/form with the floor in the "
        f"engine's place: {total / floor_total:.2f}×"
    )

    overhead = (1000 * pipe["cpu"] / n) / total
    print(
        f"pipeline CPU per form {1000 * pipe['cpu'] / n:.2f} ms = {overhead:.2f}× the stages "
        f"(start-up of {args.jobs} workers, pickling results, discovery)"
    )
    seed_wall, seed_cpu = timed([str(BIN), "check", "cases/qingdao-egov-2020", "--quiet"])
    help_wall, help_cpu = timed([str(BIN), "--help"])
    print(
        f"\nseed check: {seed_wall:.2f} s wall, {seed_cpu:.2f} CPU-s; "
        f"compliance --help: {help_wall:.3f} s wall, {help_cpu:.3f} CPU-s"
    )
    load = os.getloadavg()
    print(f"load average at the end: {load[0]:.1f} (other sessions share the CPU)")


if __name__ == "__main__":
    main()
