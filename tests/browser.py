"""Debian's headless chromium for the browser tests, driven by Playwright (see
tests/report/test_html_browser.py for how and why): one place for its path, flags and launch."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def need_browser() -> None:
    """Skip (locally) or fail (in CI) when chromium or Playwright is missing."""
    missing = []
    if not Path(CHROMIUM).exists():
        missing.append("Debian chromium (apt-get install chromium)")
    try:
        import PIL  # noqa: F401
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing.append("playwright and pillow (pip install -e '.[dev]')")
    if missing:
        message = "browser test needs " + ", ".join(missing)
        if os.environ.get("CI") == "true":
            pytest.fail(message + " — CI must install them (make test does)")
        pytest.skip(message)


def launch(playwright: Any, profile: Path) -> Any:
    """A chromium context on a fresh ``--user-data-dir`` (*profile*), 1200×900."""
    return playwright.chromium.launch_persistent_context(
        str(profile),
        executable_path=CHROMIUM,
        headless=True,
        args=FLAGS,
        viewport={"width": 1200, "height": 900},
    )
