"""Engines free their rulesets: memory stays flat however many Checkers a process makes.

Why: a registered durable-rules ruleset lives in C memory; before ``Engine.close``
every dropped Checker kept it (about 2 MB for the bundled pack), and a process that
checks in batches (the examples runner, a notebook, a service) grew without bound.
"""

from __future__ import annotations

import gc
import os
from dataclasses import replace

import pytest

from compliance.checking.checker import Checker
from compliance.engine.host import Engine, EngineClosed
from compliance.records.loading import load_project
from compliance.rules.pack import RulePack
from tests.conftest import CASES

GO = {"go": {"kind": "$check"}}
RULE = [{"all": [GO, {"subj": {"$and": [{"kind": "x"}, {"$gt": {"v": 1}}]}}]}]


def rss_mb() -> float:
    """Resident memory of this process (Linux), in MB."""
    with open(f"/proc/{os.getpid()}/statm") as statm:
        pages = int(statm.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


@pytest.mark.skipif(not os.path.exists("/proc/self/statm"), reason="needs Linux /proc")
def test_memory_stays_flat_over_a_thousand_checkers(pack: RulePack) -> None:
    # One small rule keeps the test fast; unfreed, 1,000 of its rulesets kept ~115 MB.
    single = replace(pack, rules=[pack.by_id()["FN04"]])
    project = load_project(CASES / "qingdao-egov-2020")
    with Checker(single) as warm:
        warm.check_project(project)
    gc.collect()
    before = rss_mb()
    for n in range(1_000):
        checker = Checker(single)
        assert len(checker.check_project(project).findings) == 2  # sub-projects 12 and 14
        if n % 2:
            checker.close()  # half closed explicitly, half only dropped
    gc.collect()
    assert rss_mb() - before < 50


def test_a_closed_engine_refuses_to_run() -> None:
    with Engine({"r": RULE}) as engine:
        assert len(engine.run([{"kind": "x", "key": "a", "seq": 0, "v": 2}]).matches) == 1
    assert engine.closed
    engine.close()  # idempotent
    with pytest.raises(EngineClosed):
        engine.run([{"kind": "x", "key": "a", "seq": 0, "v": 2}])


def test_a_dropped_engine_frees_its_ruleset_at_once() -> None:
    engine = Engine({"r": RULE})
    finalizer = engine._finalizer
    del engine  # no reference cycle: freed by reference counting, without gc
    assert not finalizer.alive
