"""Where the bundled rule pack, scoring profiles and docs live.

Why: an installed wheel carries them as package data (``compliance/bundled/``), while a
source checkout keeps them at the repository root, where auditors edit them. The
package looks in the wheel first, so ``compliance check`` works from any folder.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
CHECKOUT = PACKAGE.parents[1]
"""The repository root when running from a source checkout (``src/compliance`` → ``.``)."""


def bundled(name: str) -> Path:
    """The bundled folder ``name`` (``rules``, ``profiles``): the wheel's copy, else the checkout's."""
    shipped = PACKAGE / "bundled" / name
    return shipped if shipped.is_dir() else CHECKOUT / name


RULES = bundled("rules")
PROFILES = bundled("profiles")
FEATURES = CHECKOUT / "features"
"""Gherkin specs, present in a checkout only (coverage counts scenarios when they are there)."""
CASES = CHECKOUT / "cases"
"""Cases, present in a checkout only (coverage lists the cases a rule fires on when they are there)."""
