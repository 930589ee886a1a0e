"""Build hook: with ``COMPLIANCE_COMPILE=1`` the modules every project runs through are
compiled to C with mypyc (``make compiled``; README, Performance); otherwise the package
is plain Python, as the metadata in pyproject.toml describes.

Why mypyc: the same type-checked source (mypy --strict) becomes a C extension, about 15 %
less CPU per form for a batch, with no second implementation to keep in step. Modules
whose classes other modules subclass (the vocabulary enums, the output writers) stay
Python: interpreted code cannot subclass mypyc's native classes. A compiled build needs a C compiler and mypy at build
time (``pip wheel --no-build-isolation`` from the dev environment).
"""

from __future__ import annotations

import os

from setuptools import setup

COMPILED = [
    "core/numbers.py",
    "core/yamlfile.py",
    "records/fields.py",
    "engine/operators.py",
    "engine/aggregates.py",
    "checking/undecided.py",
    "checking/findings.py",
    "checking/fingerprints.py",
    "checking/checker.py",
    "checking/recommendations.py",
    "rules/messages.py",
    "review/apply.py",
]
"""The hot modules, relative to ``src/compliance`` (benchmarks/bench_batch.py, stage table)."""

if os.environ.get("COMPLIANCE_COMPILE") == "1":
    from mypyc.build import mypycify

    setup(ext_modules=mypycify([f"src/compliance/{m}" for m in COMPILED], opt_level="3"))
else:
    setup()
