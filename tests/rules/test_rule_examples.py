"""Every example beside every rule runs as its own test: ``pytest -k TG01``."""

from __future__ import annotations

import pytest

from compliance.checking.examples import run_example
from compliance.rules.examples import Example, all_examples
from tests.conftest import bundled_pack

PACK = bundled_pack()
EXAMPLES, PROBLEMS = all_examples(PACK)


def test_examples_files_are_valid() -> None:
    assert not PROBLEMS, "\n".join(str(p) for p in PROBLEMS)


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.test_id for e in EXAMPLES])
def test_rule_example(example: Example) -> None:
    outcome = run_example(PACK, example)
    assert outcome.passed, outcome.detail
