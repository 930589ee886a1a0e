"""Batch checks: worker processes give the same results as single checks, in input order.

Not timed: speed is measured by benchmarks/bench_batch.py.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from compliance.checking.checker import Checker
from compliance.output import batch
from compliance.output.stream import project_data
from compliance.review.run import review_own
from compliance.rules.pack import RulePack
from tests.conftest import CASES, DATA, ROOT, CliRun, generated_forms

BIN = Path(sys.executable).parent / "compliance"


def _single(pack: RulePack, paths: list[Path]) -> list[dict[str, object]]:
    """Each project checked on its own, by a checker of its own, rendered as JSON data
    (with its records' own waivers applied, as a streamed check does)."""
    out = []
    for path in paths:
        result = review_own(Checker(pack).check_path(path), dt.date.today())
        out.append(json.loads(json.dumps(project_data(result), ensure_ascii=False)))
    return out


def test_two_workers_give_the_results_of_single_checks_in_order(
    cli: CliRun, pack: RulePack, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Small chunks and no in-process shortcut, so that the cases really cross
    # worker processes in several chunks and come back in order.
    monkeypatch.setattr(batch, "SMALL_RUN", 0)
    monkeypatch.setattr(batch, "CHUNK", 2)
    cases = sorted(p.parent for p in CASES.rglob("project.yaml"))  # cases/real/* too
    paths = [os.path.relpath(p, ROOT) for p in cases]
    code, out, err = cli("check", *paths, "--jobs", "2", "--format", "jsonl", "--fail-on", "none")
    assert code == 0, err
    got = [json.loads(line) for line in out.splitlines()]
    assert [g["origin"] for g in got] == paths
    monkeypatch.chdir(ROOT)
    assert got == _single(pack, [Path(p) for p in paths])


def test_a_bad_project_keeps_its_place_among_the_workers_results(
    cli: CliRun, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(batch, "SMALL_RUN", 0)
    monkeypatch.setattr(batch, "CHUNK", 1)
    bad = os.path.relpath(DATA / "bad_records" / "typos.yaml", ROOT)
    first, last = "cases/selfeval-2023-street-lighting", "cases/selfeval-2022-rural-roads"
    code, out, err = cli(
        "check", first, bad, "missing-folder", last, "-j", "2", "--format", "jsonl"
    )
    assert code == 2
    origins = [json.loads(line)["origin"] for line in out.splitlines()]
    assert origins == [first, bad, "missing-folder", last]
    assert "typos.yaml:3:9: error: project.year" in err


def test_json_is_compact_unless_pretty_and_both_say_the_same(cli: CliRun) -> None:
    _, compact, _ = cli("check", "cases", "--format", "json", "--fail-on", "none")
    _, pretty, _ = cli("check", "cases", "--format", "json", "--pretty", "--fail-on", "none")
    assert len(compact.splitlines()) == 1
    data = json.loads(compact)
    assert json.loads(pretty) == data
    assert pretty == json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    cases = list(CASES.rglob("project.yaml"))  # one project per case folder, cases/real/* too
    assert data["summary"]["projects"] == len(data["projects"]) == len(cases)


def _interruptible() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_an_interrupted_run_leaves_no_output_file_and_says_what_was_checked(
    tmp_path: Path, stop: signal.Signals
) -> None:
    forms = tmp_path / "forms"
    generated_forms(forms, 1500)
    target = tmp_path / "out" / "result.json"
    process = subprocess.Popen(
        [str(BIN), "check", str(forms), "--jobs", "2", "--format", "json", "-o", str(target)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        # As from a terminal: a run started in the background by a script (CI) inherits
        # SIGINT ignored, and Python then rightly leaves Ctrl-C ignored too.
        preexec_fn=_interruptible,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        partial = [p for p in target.parent.glob(".result.json.*") if p.stat().st_size > 100]
        if partial:
            break
        time.sleep(0.05)
    assert process.poll() is None, "the run ended before it could be interrupted"
    process.send_signal(stop)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130
    assert "interrupted:" in err and "of 1500 projects checked" in err
    assert "Traceback" not in err
    assert list(target.parent.iterdir()) == []


def test_an_output_file_gets_the_usual_permissions_and_no_temporary_file_remains(
    cli: CliRun, tmp_path: Path
) -> None:
    target = tmp_path / "out" / "result.jsonl"
    code, _, err = cli(
        "check", "cases/selfeval-2023-street-lighting", "--format", "jsonl", "-o", str(target)
    )
    assert code == 1, err
    mask = os.umask(0)
    os.umask(mask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~mask
    assert [p.name for p in target.parent.iterdir()] == ["result.jsonl"]


def _workers_of(pid: int) -> list[int]:
    """The worker processes of a run: the children of its forkserver, found in /proc."""
    parents: dict[int, int] = {}
    commands: dict[int, str] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            commands[int(entry.name)] = (entry / "cmdline").read_bytes().decode(errors="replace")
        except OSError:
            continue
        parents[int(entry.name)] = int(stat[1])
    servers = [p for p, parent in parents.items() if parent == pid and "forkserver" in commands[p]]
    return [p for p, parent in parents.items() if parent in servers]


def test_a_worker_that_dies_loses_only_its_chunks_and_says_so(tmp_path: Path) -> None:
    forms = tmp_path / "forms"
    generated_forms(forms, 1200)
    target = tmp_path / "out.jsonl"
    process = subprocess.Popen(
        [str(BIN), "check", str(forms), "--jobs", "2", "--format", "jsonl", "-o", str(target)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 120
    workers: list[int] = []
    while time.monotonic() < deadline and process.poll() is None:
        workers = _workers_of(process.pid)
        partial = [p for p in tmp_path.glob(".out.jsonl.*") if p.stat().st_size > 100]
        if len(workers) == 2 and partial:
            break
        time.sleep(0.05)
    assert process.poll() is None and len(workers) == 2, "the run ended before a worker died"
    os.kill(workers[0], signal.SIGKILL)
    _, err = process.communicate(timeout=300)
    assert process.returncode == 3, err[-2000:]  # an internal error, not bad input
    assert "ended unexpectedly (exit code -9)" in err
    lines = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    assert [Path(line["origin"]).name for line in lines] == [
        p.name for p in sorted(forms.glob("*/*.yaml"))
    ]
    lost = [line for line in lines if line["errors"]]
    assert 0 < len(lost) <= batch.IN_FLIGHT * batch.CHUNK
    assert all(e["kind"] == "internal" for line in lost for e in line["errors"])
    assert sum(1 for line in lines if line["findings"]) > len(lines) // 2  # the others checked
