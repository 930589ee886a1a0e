"""The Python API: check records from a notebook or another program.

Why: the command line prints; programs want typed results. This is the same
pipeline as ``compliance check`` — load the pack, apply parameters, check each
project on its own — returning the :class:`~compliance.checking.checker.CheckRun`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from os import PathLike
from pathlib import Path

from compliance.checking.checker import Checker, CheckRun
from compliance.rules.pack import DEFAULT_RULES, load_pack

StrPath = str | PathLike[str]


def check(
    paths: StrPath | Iterable[StrPath],
    rules: StrPath | None = None,
    params: Mapping[str, object] | None = None,
) -> CheckRun:
    """Check record files, case folders or folders of cases.

    ``rules`` is another rule pack folder (default: the bundled pack); ``params``
    overrides rule parameters as ``{"FN04.min_execution_pct": 85}``. Bad rules or
    parameters raise :class:`~compliance.core.errors.InputError`; a project with bad
    records is kept in the run with its problems, and the others are still checked.
    """
    targets = [paths] if isinstance(paths, str | PathLike) else list(paths)
    pack = load_pack(Path(rules) if rules is not None else DEFAULT_RULES)
    if params:
        pack = pack.with_overrides({key: str(value) for key, value in params.items()})
    with Checker(pack) as checker:
        return checker.run(Path(p) for p in targets)
