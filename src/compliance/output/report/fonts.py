"""The CJK font the Word report's charts are drawn with, found among the installed fonts.

Why fail rather than fall back: without a CJK font matplotlib draws every Chinese
label as an empty box, and a report with unreadable charts must not be written.
matplotlib is imported only when a chart is drawn (it takes a second to load).
"""

from __future__ import annotations

from functools import cache

CJK_FAMILIES = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "WenQuanYi Micro Hei",
    "Microsoft YaHei",
    "SimHei",
    "PingFang SC",
)


class NoCjkFont(RuntimeError):
    """No installed font can draw Chinese: charts would show empty boxes."""


@cache
def cjk_font() -> str:
    """The family name of an installed CJK font; raise :class:`NoCjkFont` when there is none."""
    from matplotlib import font_manager

    for attempt in range(2):
        installed = {f.name for f in font_manager.fontManager.ttflist}
        for family in CJK_FAMILIES:
            if family in installed:
                return family
        if attempt == 0:  # fonts installed after matplotlib cached its list
            font_manager.fontManager = font_manager.FontManager()
    raise NoCjkFont(
        "no CJK font found for the Word report's charts: install one "
        "(Debian: apt-get install fonts-noto-cjk; `make browser` does) — tried "
        + ", ".join(CJK_FAMILIES)
    )
