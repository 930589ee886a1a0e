"""The Word report looked at, not only parsed: LibreOffice renders it to PDF, poppler to PNG.

Debian's ``libreoffice-writer-nogui`` and ``poppler-utils`` (installed by `make test`'s
``office`` target, as root) do the rendering. The PDF must embed every font and carry the
Chinese text; the page images are kept under out/screenshots/word/ for a person to look at.
Locally the test skips when the tools are missing; in CI (CI=true) it fails instead.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import ROOT, main_at_root
from tests.report.conftest import SEED

PAGES = ROOT / "out" / "screenshots" / "word"
TOOLS = ("soffice", "pdftoppm", "pdffonts", "pdftotext")


def _need_tools() -> None:
    missing = [t for t in TOOLS if shutil.which(t) is None]
    if missing:
        message = "Word rendering needs " + ", ".join(missing) + " (make office installs them)"
        if os.environ.get("CI") == "true":
            pytest.fail(message + " — CI must install them (make test does)")
        pytest.skip(message)


def _run(*args: str, cwd: Path | None = None) -> str:
    done = subprocess.run(args, capture_output=True, text=True, timeout=300, check=False, cwd=cwd)
    assert done.returncode == 0, (args, done.stdout, done.stderr)
    return done.stdout


@pytest.fixture(scope="module")
def pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    _need_tools()
    folder = tmp_path_factory.mktemp("word")
    docx = folder / "report.docx"
    assert (
        main_at_root("report", str(SEED.relative_to(ROOT)), "--format", "docx", "-o", str(docx))
        == 0
    )
    profile = folder / "lo-profile"  # a fresh LibreOffice profile: no lock shared with others
    _run(
        "soffice",
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless",
        "--norestore",
        "--convert-to",
        "pdf",
        "--outdir",
        str(folder),
        str(docx),
    )
    out = folder / "report.pdf"
    assert out.is_file() and out.stat().st_size > 10_000
    return out


def test_every_font_is_embedded_and_one_is_cjk(pdf: Path) -> None:
    lines = _run("pdffonts", str(pdf)).splitlines()[2:]
    assert lines, "no fonts in the PDF"
    fonts = [line.split() for line in lines]
    for font in fonts:
        emb = font[-5]
        assert emb == "yes", f"font not embedded: {font}"
    assert any("CJK" in font[0] or "Song" in font[0] or "Hei" in font[0] for font in fonts), fonts


def test_chinese_text_of_every_part_is_in_the_pdf(pdf: Path) -> None:
    text = _run("pdftotext", "-layout", str(pdf), "-").replace(" ", "")
    for expected in (
        "电子政务平台运行资金项目支出绩效评价报告",
        "一、基本情况",
        "二、绩效评价工作开展情况",
        "三、综合评价情况及评价结论",
        "四、绩效评价指标分析",
        "五、主要经验及做法、存在的问题及原因分析",
        "六、有关建议",
        "七、其他需要说明的问题",
        "综合得分54.67分",
        "【待评价人员填写】",
        "运行记录",
    ):
        assert expected in text, expected


def test_pages_are_drawn_and_kept_for_review(pdf: Path) -> None:
    from PIL import Image

    if PAGES.exists():
        shutil.rmtree(PAGES)
    PAGES.mkdir(parents=True)
    _run("pdftoppm", "-r", "60", "-png", str(pdf), str(PAGES / "page"))
    pages = sorted(PAGES.glob("page-*.png"))
    assert len(pages) >= 10
    for path in pages:
        image = Image.open(path).convert("L")
        assert image.getextrema()[0] < 128, f"{path.name} is blank"
    # the cover: the title's ink sits in the page's upper half, centred
    cover = Image.open(pages[0]).convert("L")
    box = cover.point(lambda v: 255 if v < 128 else 0).getbbox()
    assert box is not None and box[1] < cover.height / 2
    # the charts: a page with a large coloured picture (the budget chart's green and blue bars)
    coloured = 0
    for path in pages:
        data = Image.open(path).convert("RGB").resize((120, 170)).tobytes()
        pixels = zip(data[0::3], data[1::3], data[2::3], strict=True)
        coloured = max(coloured, sum(1 for p in pixels if max(p) - min(p) > 80))
    assert coloured > 300, "no page shows a coloured chart"
