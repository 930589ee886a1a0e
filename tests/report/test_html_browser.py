"""The HTML report as a person sees it: opened in Debian's headless chromium, driven by Playwright.

Chromium is Debian's (/usr/bin/chromium, installed by `make test` / .ci/run); Playwright's own
browser download is neither used nor possible here. Locally the test skips when chromium or
Playwright is missing; in CI (CI=true) it fails instead.

Chinese glyphs are checked two ways: the browser reports which platform font drew the title
(CSS.getPlatformFontsForNode must name a CJK font for every glyph), and pixels: four different
characters of the title, drawn alone, must look different from each other and from a character
no font has (U+E000, drawn as the .notdef "tofu" box). If CJK fonts were missing, every Chinese
character would be drawn as that same box and the comparison would fail.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from compliance.output.report import Report
from tests.browser import launch, need_browser
from tests.conftest import CASES, ROOT, main_at_root
from tests.report.conftest import SEED

SCREENSHOT = ROOT / "out" / "screenshots" / "qingdao-egov-2020.png"


class Opened:
    """The report open in a page, with everything the page said while loading."""

    def __init__(self, page: Any, cdp: Any, html: Path) -> None:
        self.page = page
        self.cdp = cdp
        self.html = html
        self.console: list[tuple[str, str]] = []
        self.errors: list[str] = []
        self.requests: list[str] = []


@pytest.fixture(scope="module")
def opened(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Opened]:
    need_browser()
    from playwright.sync_api import sync_playwright

    folder = tmp_path_factory.mktemp("html")
    html = folder / "report.html"
    assert (
        main_at_root("report", str(SEED.relative_to(ROOT)), "--format", "html", "-o", str(html))
        == 0
    )
    with sync_playwright() as p:
        context = launch(p, folder / "profile")
        try:
            page = context.new_page()
            opened = Opened(page, context.new_cdp_session(page), html)
            page.on("console", lambda m: opened.console.append((m.type, m.text)))
            page.on("pageerror", lambda e: opened.errors.append(str(e)))
            page.on("request", lambda r: opened.requests.append(r.url))
            page.goto(html.as_uri(), wait_until="load")
            yield opened
        finally:
            context.close()


def test_opens_offline_without_console_errors_or_requests(opened: Opened) -> None:
    assert opened.errors == []
    assert [m for m in opened.console if m[0] in ("error", "warning")] == []
    assert opened.requests == [opened.html.as_uri()]  # self-contained: nothing else is fetched
    assert opened.page.title().startswith("电子政务平台运行资金")


def test_summary_shows_score_and_grade(opened: Opened) -> None:
    page = opened.page
    assert page.inner_text('.card[data-k="score"] .v').replace(" ", "") == "54.67/100"
    assert page.inner_text('.card[data-k="grade"] .v') == "差"
    assert "综合得分54.67分" in page.inner_text("article")


CHARTS = {"budget": 23 * 3, "indicators": 2, "scores": 8, "findings": None}


@pytest.mark.parametrize("name", CHARTS)
def test_charts_are_drawn_and_not_empty(opened: Opened, name: str) -> None:
    chart = opened.page.locator(f'svg.chart[data-chart="{name}"]')
    assert chart.count() == 1
    box = chart.bounding_box()
    assert box is not None and box["width"] > 300 and box["height"] > 60
    bars = chart.locator("rect.bar")
    expected = CHARTS[name]
    if expected is not None:
        assert bars.count() == expected
    widths = [bars.nth(i).bounding_box() for i in range(bars.count())]
    drawn = [b for b in widths if b is not None and b["width"] > 0.5 and b["height"] > 0.5]
    assert len(drawn) >= max(1, bars.count() // 2), f"{name}: bars not drawn"


def test_findings_chart_counts_every_finding(opened: Opened, seed_report: Report) -> None:
    values = opened.page.eval_on_selector_all(
        'svg[data-chart="findings"] rect.bar', "els => els.map(e => Number(e.dataset.value))"
    )
    assert sum(values) == len(seed_report.projects[0].result.findings)


def test_findings_are_grouped_with_evidence_and_locations(
    opened: Opened, seed_report: Report
) -> None:
    page = opened.page
    findings = seed_report.projects[0].result.findings
    expected = yaml.safe_load((CASES / "qingdao-egov-2020" / "expected.yaml").read_text("utf-8"))
    # Exactly the seed's expected findings (cases/…/expected.yaml), not "at least some".
    shown = sorted(f"{f.rule} {f.subject.type}:{f.subject.key}" for f in findings)
    assert shown == sorted(f"{e['rule']} {e['subject']}" for e in expected["findings"])
    assert page.locator(".finding").count() == len(findings)
    headings = page.eval_on_selector_all("h4.category", "els => els.map(e => e.textContent)")
    assert headings[:2] == ["1. 项目立项类", "2. 绩效目标类"]
    assert page.locator(".finding table.evidence tr").count() >= len(findings)


def test_sources_travel_with_the_report(opened: Opened, seed_report: Report) -> None:
    """Each finding names its source and record and shows the record's text; nothing links
    to a file on the machine that wrote the report."""
    page = opened.page
    findings = seed_report.projects[0].result.findings
    places = page.eval_on_selector_all(".finding .loc", "els => els.map(e => e.textContent)")
    assert len(places) == len(findings)
    for place in places:
        assert re.fullmatch(r"qingdao-egov-2020/\w+\.yaml:\d+:\d+", place), place
    sources = page.eval_on_selector_all(".finding .source", "els => els.map(e => e.textContent)")
    assert sources == [f.source or "记录未注明" for f in findings]
    assert page.locator(".finding details.excerpt pre").count() == len(findings)
    # finding 4 (TG01 on I02): the excerpt is the indicator as written in indicators.yaml
    excerpt = page.eval_on_selector("#p1-f4 details.excerpt pre", "e => e.textContent")
    assert excerpt.splitlines()[0].strip() == "- code: I02"
    assert 'actual: "1640台"' in excerpt and "code: I03" not in excerpt
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
    assert all(h.startswith("#") for h in hrefs), hrefs
    assert str(ROOT) not in page.content()


def test_parts_follow_the_seven_part_outline(opened: Opened) -> None:
    parts = opened.page.eval_on_selector_all(
        "h2[data-part]", "els => els.map(e => [e.dataset.part, e.textContent])"
    )
    assert parts == [
        ["basic", "一、基本情况"],
        ["work", "二、绩效评价工作开展情况"],
        ["conclusion", "三、综合评价情况及评价结论"],
        ["indicators", "四、绩效评价指标分析"],
        ["problems", "五、主要经验及做法、存在的问题及原因分析"],
        ["advice", "六、有关建议"],
        ["other", "七、其他需要说明的问题"],
        ["scores", "附：评分表"],
    ]
    places = opened.page.eval_on_selector_all(
        ".write-here[data-write]", "els => els.map(e => e.dataset.write)"
    )
    assert places == ["work", "experience", "other"]
    cover = opened.page.inner_text(".cover")
    assert "评价机构" in cover and "【待评价人员填写】" in cover
    record = opened.page.inner_text("table.runrecord")
    assert "工具版本" in record and "qingdao-egov-2020/indicators.yaml" in record


def test_links_to_findings_resolve(opened: Opened) -> None:
    targets = opened.page.eval_on_selector_all(
        'a[href^="#"]', "els => els.map(e => e.getAttribute('href').slice(1))"
    )
    assert targets
    ids = set(opened.page.eval_on_selector_all("[id]", "els => els.map(e => e.id)"))
    assert set(targets) <= ids


def test_score_table_lists_every_line_with_reasons(opened: Opened) -> None:
    rows = opened.page.locator("table.scores tbody tr")
    assert rows.count() == 17 + 4 + 1  # items, benefit indicators, total
    total = opened.page.inner_text("table.scores tr.total")
    assert "54.67" in total and "差" in total
    b12 = opened.page.inner_text("#p1-sB12")
    assert "97.72%" in b12 and "2.91" in b12


def test_chinese_is_drawn_with_a_cjk_font(opened: Opened) -> None:
    doc = opened.cdp.send("DOM.getDocument")
    opened.cdp.send("CSS.enable")
    node = opened.cdp.send("DOM.querySelector", {"nodeId": doc["root"]["nodeId"], "selector": "h1"})
    fonts = opened.cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node["nodeId"]})["fonts"]
    title = opened.page.inner_text("h1")
    assert sum(f["glyphCount"] for f in fonts if "CJK" in f["familyName"]) == len(title), fonts
    family = opened.page.eval_on_selector("body", "e => getComputedStyle(e).fontFamily")
    assert family.startswith('"Noto Sans CJK SC"')


def test_screenshot_has_content_and_real_glyphs(opened: Opened) -> None:
    from PIL import Image, ImageChops

    page = opened.page
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT), full_page=True)
    shot = Image.open(SCREENSHOT).convert("RGB")
    assert shot.width == 1200 and shot.height > 3000
    top = shot.crop((0, 0, shot.width, 900))
    colors = top.getcolors(maxcolors=1 << 20)
    assert colors is not None and len(colors) > 50, "first screen is (nearly) blank"
    ink = sum(n for n, c in colors if sum(c) < 600)
    assert ink > 0.01 * top.width * top.height

    title = page.inner_text("h1")
    chars = [*list(dict.fromkeys(title))[:4], "\ue000"]  # four distinct characters and tofu
    page.evaluate(
        """chars => {
            const box = document.createElement('div');
            box.id = 'glyph-probe';
            box.style.cssText = 'position:absolute;top:0;left:0;background:#fff;font-size:48px';
            for (const [i, c] of chars.entries()) {
                const s = document.createElement('span');
                s.id = 'g' + i; s.textContent = c; s.style.display = 'inline-block';
                box.appendChild(s);
            }
            document.body.appendChild(box);
        }""",
        chars,
    )
    images = [
        Image.open(io.BytesIO(page.locator(f"#g{i}").screenshot())).convert("L")
        for i in range(len(chars))
    ]

    def same(a: Image.Image, b: Image.Image) -> bool:
        return a.size == b.size and ImageChops.difference(a, b).getbbox() is None

    tofu = images[-1]
    for i, glyph in enumerate(images[:-1]):
        assert glyph.getextrema()[0] < 128, f"{chars[i]!r} left no ink"
        assert not same(glyph, tofu), f"{chars[i]!r} is drawn as a tofu box"
        for j in range(i):
            assert not same(glyph, images[j]), f"{chars[i]!r} and {chars[j]!r} look alike"
