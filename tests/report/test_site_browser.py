"""The site's index as a person sees it: opened in Debian's headless chromium (see
test_html_browser.py for how and why), sorted by clicking, pages reached by link."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT
from tests.report.test_html_browser import CHROMIUM, FLAGS, _need_browser

SCREENSHOT = ROOT / "out" / "screenshots" / "site-index.png"


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, list[str], Path]]:
    _need_browser()
    from playwright.sync_api import sync_playwright

    from compliance.cli.main import main

    site = tmp_path_factory.mktemp("site")
    cwd = Path.cwd()
    os.chdir(ROOT)
    try:
        assert main(["report", "cases", "--site", str(site)]) == 0
    finally:
        os.chdir(cwd)
    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(site.parent / "profile"),
            executable_path=CHROMIUM,
            headless=True,
            args=FLAGS,
            viewport={"width": 1200, "height": 900},
        )
        try:
            page = context.new_page()
            requests: list[str] = []
            errors: list[str] = []
            page.on("request", lambda r: requests.append(r.url))
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto((site / "index.html").as_uri(), wait_until="load")
            yield page, requests + errors, site
        finally:
            context.close()


def _column(page: Any, n: int) -> list[str]:
    return page.eval_on_selector_all(
        f"table.index tbody tr td:nth-child({n})", "els => els.map(e => e.textContent)"
    )


def test_index_opens_offline_and_lists_every_project(index: tuple[Any, list[str], Path]) -> None:
    page, seen, site = index
    assert seen == [(site / "index.html").as_uri()]  # no error, nothing else fetched
    assert page.locator("table.index tbody tr").count() == len(list(site.glob("*.html"))) - 1
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT), full_page=True)
    for name in ("score-distribution", "findings"):
        box = page.locator(f'svg[data-chart="{name}"]').bounding_box()
        assert box is not None and box["width"] > 300 and box["height"] > 60


def test_clicking_a_header_sorts_the_table(index: tuple[Any, list[str], Path]) -> None:
    page, _, _ = index
    score = page.locator("table.index th", has_text="得分")
    score.click()
    values = [float(v) if v != "未能评价" else -1.0 for v in _column(page, 6)]
    assert values == sorted(values) and len(set(values)) > 1
    score.click()
    values = [float(v) if v != "未能评价" else -1.0 for v in _column(page, 6)]
    assert values == sorted(values, reverse=True)
    page.locator("table.index th", has_text="问题合计").click()
    counts = [int(v) for v in _column(page, 12)]
    assert counts == sorted(counts)


def test_a_project_link_opens_its_page(index: tuple[Any, list[str], Path]) -> None:
    page, _, _ = index
    page.locator("table.index a", has_text="电子政务平台运行资金").click()
    page.wait_for_load_state("load")
    assert page.url.endswith("/qingdao-egov-2020.html")
    assert page.inner_text('.card[data-k="score"] .v').replace(" ", "") == "54.67/100"
    page.go_back()
