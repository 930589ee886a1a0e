"""The site's index as a person sees it: opened in Debian's headless chromium (see
test_html_browser.py for how and why), sorted by clicking, pages reached by link."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser import launch, need_browser
from tests.conftest import ROOT, main_at_root

SCREENSHOT = ROOT / "out" / "screenshots" / "site-index.png"


class Index:
    """The index open in a page, its devtools session, what it fetched or threw, its folder."""

    def __init__(self, page: Any, cdp: Any, seen: list[str], site: Path) -> None:
        self.page, self.cdp, self.seen, self.site = page, cdp, seen, site


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Index]:
    need_browser()
    from playwright.sync_api import sync_playwright

    site = tmp_path_factory.mktemp("site")
    assert main_at_root("report", "cases", "--site", str(site)) == 0
    with sync_playwright() as p:
        context = launch(p, site.parent / "profile")
        try:
            page = context.new_page()
            requests: list[str] = []
            errors: list[str] = []
            page.on("request", lambda r: requests.append(r.url))
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto((site / "index.html").as_uri(), wait_until="load")
            yield Index(page, context.new_cdp_session(page), requests + errors, site)
        finally:
            context.close()


def _column(page: Any, n: int) -> list[str]:
    return page.eval_on_selector_all(
        f"table.index tbody tr td:nth-child({n})", "els => els.map(e => e.textContent)"
    )


def test_index_opens_offline_and_lists_every_project(index: Index) -> None:
    page, seen, site = index.page, index.seen, index.site
    assert seen == [(site / "index.html").as_uri()]  # no error, nothing else fetched
    assert page.locator("table.index tbody tr").count() == len(list(site.glob("*.html"))) - 1
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT), full_page=True)
    for name in ("score-distribution", "findings"):
        box = page.locator(f'svg[data-chart="{name}"]').bounding_box()
        assert box is not None and box["width"] > 300 and box["height"] > 60


def test_chinese_on_the_index_is_drawn_with_a_cjk_font(index: Index) -> None:
    page, cdp = index.page, index.cdp
    doc = cdp.send("DOM.getDocument")
    cdp.send("CSS.enable")
    node = cdp.send("DOM.querySelector", {"nodeId": doc["root"]["nodeId"], "selector": "h1"})
    fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node["nodeId"]})["fonts"]
    title = page.inner_text("h1")
    assert title == "项目支出绩效评价报告一览"
    assert sum(f["glyphCount"] for f in fonts if "CJK" in f["familyName"]) == len(title), fonts


def test_clicking_a_header_sorts_the_table(index: Index) -> None:
    page = index.page
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


def test_a_project_link_opens_its_page(index: Index) -> None:
    page = index.page
    page.locator("table.index a", has_text="电子政务平台运行资金").click()
    page.wait_for_load_state("load")
    assert page.url.endswith("/qingdao-egov-2020.html")
    assert page.inner_text('.card[data-k="score"] .v').replace(" ", "") == "54.67/100"
    page.go_back()
