"""The Python API: check records from a notebook or another program.

Why: the command line prints; programs want typed results. This is the same
pipeline as ``compliance check`` — load the pack, apply parameters, check each
project on its own — returning the :class:`~compliance.checking.checker.CheckRun`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from os import PathLike
from pathlib import Path

from compliance.checking.checker import Checker, CheckRun
from compliance.review.apply import load_waivers
from compliance.review.baseline import load_baseline
from compliance.review.run import review_run
from compliance.rules.pack import DEFAULT_RULES, load_pack

StrPath = str | PathLike[str]


def check(
    paths: StrPath | Iterable[StrPath],
    rules: StrPath | None = None,
    params: Mapping[str, object] | None = None,
    *,
    waivers: Iterable[StrPath] = (),
    baseline: StrPath | None = None,
    as_of: dt.date | None = None,
) -> CheckRun:
    """Check record files, case folders or folders of cases.

    ``rules`` is another rule pack folder (default: the bundled pack); ``params``
    overrides rule parameters as ``{"FN04.min_execution_pct": 85}``. Bad rules or
    parameters raise :class:`~compliance.core.errors.InputError`; a project with bad
    records is kept in the run with its problems, and the others are still checked.
    ``waivers`` are waiver files and ``baseline`` an earlier JSON output, as with
    ``--waivers``/``--baseline``; each result's ``review`` says which finding is
    已说明, 新增 or 重复 (waivers' expiry judged on ``as_of``, default today).
    """
    targets = [paths] if isinstance(paths, str | PathLike) else list(paths)
    pack = load_pack(Path(rules) if rules is not None else DEFAULT_RULES)
    if params:
        pack = pack.with_overrides({key: str(value) for key, value in params.items()})
    extra = [w for path in waivers for w in load_waivers(Path(path))]
    old = load_baseline(Path(baseline)) if baseline is not None else None
    day = as_of or dt.date.today()
    with Checker(pack) as checker:
        run = checker.run(Path(p) for p in targets)
    return review_run(run, extra, old, day)
