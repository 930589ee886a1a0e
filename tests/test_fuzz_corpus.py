"""Replay the malformed-input corpus (tests/data/fuzz/): never a traceback, a hang or a crash.

Each input must end in findings or located errors with exit code 0, 1 or 2 within the
harness's time bound. ``python -m tests.fuzz.corpus`` regenerates the corpus;
``make fuzz`` searches for new failing inputs (coverage-guided) and adds them.
"""

from __future__ import annotations

import resource
from pathlib import Path

import pytest

from tests.fuzz.corpus import KINDS, load
from tests.fuzz.harness import run_input

MEMORY_BOUND_MB = 2048


def test_the_corpus_holds_more_than_1100_inputs() -> None:
    assert sum(len(load(kind)) for kind in KINDS) >= 1100


@pytest.mark.parametrize("kind", KINDS)
def test_every_malformed_input_ends_in_findings_or_located_errors(
    kind: str, tmp_path: Path
) -> None:
    failures = []
    for number, item in enumerate(load(kind)):
        folder = tmp_path / str(number)
        folder.mkdir()
        outcome = run_input(item, folder)
        if not outcome.ok:
            failures.append(f"{item.name}: {'; '.join(outcome.failures)}")
    assert failures == []
    used = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    assert used < MEMORY_BOUND_MB, f"peak memory {used} MB"
