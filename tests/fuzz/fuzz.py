"""``make fuzz``: a long, coverage-guided fuzz run, and its result in one line.

Seeds libFuzzer (through atheris) with the stored corpus, runs it for ``--seconds``
with a per-input time bound and a memory bound, adds every failing input it finds to
the stored corpus (named ``found:…``, so the suite replays it from then on), and prints
``fuzz: N runs in S s …, K failing inputs``: the line the CHANGELOG records.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from tests.fuzz.corpus import KINDS, FuzzInput, load, save

ROOT = Path(__file__).resolve().parents[2]


def main() -> int:
    """Run the fuzzer; exit 1 when it found a failing input."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=600)
    parser.add_argument("--timeout", type=int, default=30, help="seconds one input may take")
    parser.add_argument("--rss-mb", type=int, default=3072, help="memory bound of the run")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        seeds, found = Path(tmp) / "corpus", Path(tmp) / "found"
        seeds.mkdir()
        found.mkdir()
        count = 0
        for index, kind in enumerate(KINDS):
            for number, item in enumerate(load(kind)):
                (seeds / f"{kind}-{number}").write_bytes(bytes([index]) + item.data)
                count += 1
        for number in range(64):  # one field of the clean project set to a fuzzed value
            (seeds / f"field-{number}").write_bytes(bytes([3, number, 255 - number]) * 8)
            count += 1
        command = [
            sys.executable,
            "-m",
            "tests.fuzz.target",
            str(seeds),
            f"-max_total_time={args.seconds}",
            f"-timeout={args.timeout}",
            f"-rss_limit_mb={args.rss_mb}",
            f"-artifact_prefix={found}/",
            "-max_len=65536",
            "-print_final_stats=1",
        ]
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
        log = done.stderr + done.stdout
        (ROOT / "out").mkdir(exist_ok=True)
        (ROOT / "out" / "fuzz.log").write_text(log, encoding="utf-8")
        failing = sorted(found.iterdir())
        for path in failing:
            data = path.read_bytes()
            kind = KINDS[data[0] % len(KINDS)] if data and data[0] % 4 != 3 else "records"
            stored = load(kind)
            stored.append(FuzzInput(kind, f"found:{path.name}", data[1:]))
            save(kind, stored)
        runs = re.findall(r"stat::number_of_executed_units:\s*(\d+)", log)
        seconds = re.findall(r"Done (\d+) runs in (\d+) second", log)
        peak = re.findall(r"stat::peak_rss_mb:\s*(\d+)", log)
        executed = runs[-1] if runs else (seconds[-1][0] if seconds else "?")
        took = seconds[-1][1] if seconds else str(args.seconds)
        print(
            f"fuzz: {executed} runs in {took} s from {count} seeds (atheris/libFuzzer, "
            f"coverage-guided; per-input bound {args.timeout} s, memory bound {args.rss_mb} MB, "
            f"peak {peak[-1] if peak else '?'} MB): {len(failing)} failing input(s)"
            + (", added to tests/data/fuzz/ (see out/fuzz.log)" if failing else "")
        )
        return 1 if failing or done.returncode not in (0,) else 0


if __name__ == "__main__":
    sys.exit(main())
