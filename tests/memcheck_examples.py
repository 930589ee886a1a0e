"""Run every rule example and the cases in one process (used under valgrind by the tests)."""

from __future__ import annotations

import sys
from pathlib import Path

from compliance.checking.checker import Checker
from compliance.checking.examples import run_example
from compliance.rules.examples import all_examples
from compliance.rules.pack import load_pack

ROOT = Path(__file__).resolve().parents[1]

pack = load_pack(ROOT / "rules")
examples, _ = all_examples(pack)
for example in examples:
    run_example(pack, example)
run = Checker(pack).run(sorted((ROOT / "cases").iterdir()))
print(f"{len(examples)} examples, {len(run.results)} cases")
sys.exit(0)
