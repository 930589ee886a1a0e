"""A progress bar on standard error while a batch runs: forms/s, findings so far, ETA.

Why rich: a well-kept library that redraws one line in place, computes rates and
ETA, and prints other standard-error lines (bad records) above the bar instead of
tearing it. It is imported only when the bar is shown, on a terminal.
"""

from __future__ import annotations

import sys
from types import TracebackType
from typing import Any, Protocol


class Progress(Protocol):
    """What the check command tells the display as projects finish."""

    def __enter__(self) -> Progress: ...

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None: ...

    def advance(self, findings: int) -> None:
        """One more project done, with its number of findings."""


class Silent:
    """No display: standard error is not a terminal, or ``--quiet``."""

    def __enter__(self) -> Silent:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def advance(self, findings: int) -> None:
        return None


class Bar:
    """rich's progress bar with the project count, rate, findings and ETA."""

    def __init__(self, total: int) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            TaskProgressColumn,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )
        from rich.progress import Progress as RichProgress

        self._progress = RichProgress(
            TextColumn("检查"),
            BarColumn(),
            MofNCompleteColumn(),
            TaskProgressColumn(),
            TextColumn("{task.fields[rate]} 份/秒"),
            TextColumn("问题 {task.fields[findings]} 项"),
            TimeElapsedColumn(),
            TextColumn("剩余"),
            TimeRemainingColumn(),
            console=Console(file=sys.stderr),
            transient=True,
        )
        self._task = self._progress.add_task("check", total=total, findings=0, rate="—")
        self._findings = 0

    def __enter__(self) -> Bar:
        self._progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._progress.stop()
        task: Any = self._progress.tasks[0]
        elapsed = task.elapsed or 0.0
        if task.completed and elapsed > 0:
            self._progress.console.print(
                f"检查 {task.completed:,} 份，用时 {elapsed:,.1f} 秒"
                f"（{task.completed / elapsed:,.0f} 份/秒），问题 {self._findings:,} 项",
                highlight=False,
            )

    def advance(self, findings: int) -> None:
        self._findings += findings
        task: Any = self._progress.tasks[0]
        elapsed = task.elapsed or 0.0
        # Over the whole run: workers return chunks at once, so a short window jumps.
        rate = f"{(task.completed + 1) / elapsed:,.0f}" if elapsed > 0.5 else "—"
        self._progress.update(self._task, advance=1, findings=self._findings, rate=rate)


def progress(total: int, *, quiet: bool) -> Progress:
    """The bar on a terminal, else nothing."""
    if quiet or not sys.stderr.isatty():
        return Silent()
    return Bar(total)
