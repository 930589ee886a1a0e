"""The review page in Debian's headless chromium (Playwright): open, filter, record a waiver,
see it after a reload and in the next ``check`` through the store; a POST without CSRF is refused.

The server is the real one (uvicorn on 127.0.0.1, a free port) over an SQLite store that
``compliance check --store`` filled. The screenshot goes to out/screenshots/review-page.png.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn

from compliance.review.store.database import Store
from compliance.review.web.app import create_app
from tests.browser import launch, need_browser
from tests.conftest import ROOT, CliRun
from tests.review.conftest import YEAR1, YEAR2

SCREENSHOT = ROOT / "out" / "screenshots" / "review-page.png"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture
def served(cli: CliRun, tmp_path: Path) -> Iterator[tuple[str, str]]:
    """(base URL, store URL) of a running review page over year 1's stored check."""
    need_browser()
    url = f"sqlite:///{tmp_path / 'compliance.db'}"
    code, _, err = cli("check", str(YEAR1), "--store", url, "--fail-on", "none")
    assert code == 0, err
    store = Store.open(url)
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(store), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "the review page did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}", url
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        store.close()


def test_record_a_waiver_in_the_browser_and_the_next_check_honours_it(
    served: tuple[str, str], cli: CliRun, tmp_path: Path
) -> None:
    from playwright.sync_api import sync_playwright

    base, store_url = served
    with sync_playwright() as p:
        context = launch(p, tmp_path / "profile")
        try:
            page = context.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.goto(base + "/")
            page.click("#projects >> text=2022年")
            assert page.inner_text("#count") == "显示 4 / 4 项问题"

            page.select_option("select[name=severity]", "high")
            page.click("button:has-text('筛选')")
            assert page.inner_text("#count") == "显示 3 / 4 项问题"
            rules = page.locator("#findings tbody tr td:nth-child(2)").all_inner_texts()
            assert sorted(rules) == ["PA07", "TG06", "TG07"]
            assert "severity=high" in page.url

            page.click("#findings >> text=未设定总体绩效目标")
            page.fill("#waiver-form input[name=reviewer]", "李复核")
            page.fill("#waiver-form textarea[name=reason]", "总体目标见年度工作计划第二部分")
            page.fill("#waiver-form input[name=document]", "示档发〔2023〕3号")
            page.click("#waiver-form button")
            page.wait_for_load_state("load")
            assert "李复核" in page.inner_text("#trail")

            page.reload()
            trail = page.inner_text("#trail")
            assert "李复核" in trail and "总体目标见年度工作计划第二部分" in trail
            SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOT), full_page=True)

            finding_url = page.url
            refused = page.request.post(
                finding_url + "/waiver", form={"reviewer": "某人", "reason": "无令牌"}
            )
            assert refused.status == 403
            page.reload()
            assert "无令牌" not in page.inner_text("#trail")
            assert errors == []
        finally:
            context.close()

    code, out, err = cli("check", str(YEAR2), "--format", "json", "--store", store_url)
    assert code == 1, err
    found = {f["rule"]: f for f in json.loads(out)["projects"][0]["findings"]}
    assert found["TG06"]["status"] == "waived"
    assert found["TG06"]["waiver"]["reason"] == "总体目标见年度工作计划第二部分"
    assert found["TG06"]["waiver"]["accepted_by"] == "李复核"
    assert found["TG07"]["status"] == "open"
