"""The atheris (libFuzzer) target: bytes → a record, rule or examples file → the commands.

Run by ``make fuzz`` through :mod:`tests.fuzz.fuzz`, never by the suite. The first
byte picks the kind (0 records, 1 rules, 2 examples, 3 one field of the clean project
set to a fuzzed value); the rest is the file. Any input that breaks the harness's
invariant raises, which libFuzzer reports as a crash and saves.
"""

from __future__ import annotations

import copy
import sys
import tempfile
from pathlib import Path
from typing import Any

import atheris

with atheris.instrument_imports(include=["compliance"]):
    from compliance.core.yamlfile import read_yaml
    from tests.fuzz.corpus import BASE_RECORD, KINDS, FuzzInput
    from tests.fuzz.harness import run_input
    from tests.fuzz.yamltext import to_yaml


class InvariantBroken(Exception):
    """An input ended in a traceback, a hang, a crash or an unlocated error."""


BASE = read_yaml(BASE_RECORD).data


def _leaves(data: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if isinstance(data, dict):
        return [p for k, v in data.items() for p in _leaves(v, (*path, k))]
    if isinstance(data, list):
        return [p for i, v in enumerate(data) for p in _leaves(v, (*path, i))]
    return [path]


LEAVES = _leaves(BASE)


def _value(fdp: Any) -> Any:
    choice = fdp.ConsumeIntInRange(0, 7)
    if choice == 0:
        return fdp.ConsumeInt(8)
    if choice == 1:
        return fdp.ConsumeFloat()
    if choice == 2:
        return fdp.ConsumeUnicodeNoSurrogates(40)
    if choice == 3:
        return fdp.ConsumeBool()
    if choice == 4:
        return None
    if choice == 5:
        return [_value(fdp) for _ in range(fdp.ConsumeIntInRange(0, 3))]
    if choice == 6:
        return {fdp.ConsumeUnicodeNoSurrogates(5): _value(fdp) for _ in range(2)}
    return fdp.ConsumeUnicodeNoSurrogates(8) + str(fdp.ConsumeInt(4))


def _field_input(data: bytes) -> FuzzInput:
    fdp = atheris.FuzzedDataProvider(data)
    path = LEAVES[fdp.ConsumeIntInRange(0, len(LEAVES) - 1)]
    record = copy.deepcopy(BASE)
    target = record
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = _value(fdp)
    return FuzzInput("records", "field", to_yaml(record).encode("utf-8"))


def test_one_input(data: bytes) -> None:
    """One fuzzed input through the harness."""
    if not data:
        return
    kind = data[0] % 4
    item = _field_input(data[1:]) if kind == 3 else FuzzInput(KINDS[kind], "fuzz", data[1:])
    with tempfile.TemporaryDirectory() as folder:
        outcome = run_input(item, Path(folder))
    if not outcome.ok:
        raise InvariantBroken("; ".join(outcome.failures))


def main() -> None:
    """Start libFuzzer with the command line's options (corpus folders, -max_total_time, …)."""
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
