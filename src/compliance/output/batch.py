"""Check many projects on several cores, yielding their output in input order as they finish.

Why: durable-rules' C core holds the GIL, so threads give nothing; processes do.
Each worker process loads and compiles the rule pack once, then checks chunks of
project paths and renders each project's output itself (a
:class:`~compliance.output.stream.Piece`: a string and a few counts), so the parent
only writes. At most a few chunks per worker are in flight and nothing else is
kept, so memory stays flat however many projects there are. Workers are started
with ``forkserver`` (``spawn`` where missing): forking a process that holds engine
state is not safe.
"""

from __future__ import annotations

import datetime as dt
import io
import multiprocessing
import os
import signal
from collections import deque
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from multiprocessing.pool import AsyncResult, Pool
from pathlib import Path

from compliance.checking.checker import Checker, ProjectResult, sources
from compliance.output.stream import WRITERS, Piece, Writer
from compliance.review.run import review_own
from compliance.rules.pack import load_pack

CHUNK = 32
"""Projects a worker checks per task: large enough to amortise the pipe, small for ordering."""
IN_FLIGHT = 4
"""Chunks queued per worker: keeps the workers busy while bounding memory."""
SMALL_RUN = 8
"""Runs of at most this many projects are checked in this process: starting workers costs more."""


@dataclass(frozen=True)
class Job:
    """What a worker needs to rebuild: the rule pack (folder, ``--set``) and the output format."""

    rules: Path
    settings: Mapping[str, str]
    format: str
    pretty: bool = False
    cwd: str = field(default_factory=os.getcwd)
    """The parent's folder: file names in the output are shown relative to it."""
    as_of: dt.date | None = None
    """The day the records' own waivers are judged on (``--as-of``; default today)."""

    def reviewed(self, result: ProjectResult) -> ProjectResult:
        """The result with its records' own waivers applied (已说明), before it is rendered."""
        return review_own(result, self.as_of or dt.date.today())

    def checker(self) -> Checker:
        """The pack loaded and compiled."""
        return Checker(load_pack(self.rules).with_overrides(dict(self.settings)))

    def writer(self, rules: int) -> Writer:
        """A writer of the format, used only to render pieces."""
        return WRITERS[self.format](io.StringIO(), rules, pretty=self.pretty)


def default_jobs() -> int:
    """All the cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def targets(paths: Iterable[Path]) -> Iterator[str | ProjectResult]:
    """The projects under ``paths`` in order (each once), or a result for a path in error.

    A form file (workbook, Word) is one item however many forms it holds: its forms are
    checked, and output, together.

    Paths are kept as strings: 100,000 of them take a third of the memory of Path objects.
    """
    for source in sources(paths):
        yield source if isinstance(source, ProjectResult) else str(source)


_worker: tuple[Checker, Writer] | None = None
_job: Job | None = None


def _start(job: Job) -> None:
    """Worker start-up: compile the pack once; Ctrl-C is the parent's to handle."""
    global _worker, _job
    _job = job
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    os.chdir(job.cwd)
    checker = job.checker()
    _worker = (checker, job.writer(len(checker.pack.rules)))


def _check_chunk(paths: list[str]) -> list[Piece]:
    assert _worker is not None
    checker, writer = _worker
    job = _job
    assert job is not None
    return [
        writer.piece(job.reviewed(result))
        for p in paths
        for result in checker.check_source(Path(p))
    ]


def _context() -> multiprocessing.context.BaseContext:
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


class Batch:
    """Checks projects with ``jobs`` worker processes (or in this process for one job)."""

    def __init__(self, checker: Checker, job: Job, jobs: int) -> None:
        self.checker = checker
        self.job = job
        self.writer = job.writer(len(checker.pack.rules))
        self.jobs = max(1, jobs)
        self._pool: Pool | None = None

    def run(self, items: list[str | ProjectResult]) -> Iterator[Piece]:
        """Output pieces in the order of ``items``, each once it and those before it are done."""
        projects = sum(1 for item in items if isinstance(item, str))
        if self.jobs == 1 or projects <= SMALL_RUN:
            for item in items:
                results = (
                    [item]
                    if isinstance(item, ProjectResult)
                    else self.checker.check_source(Path(item))
                )
                yield from (self.writer.piece(self.job.reviewed(result)) for result in results)
            return
        yield from self._parallel(items)

    def _parallel(self, items: list[str | ProjectResult]) -> Iterator[Piece]:
        self._pool = _context().Pool(self.jobs, initializer=_start, initargs=(self.job,))
        pending: deque[AsyncResult[list[Piece]] | Piece] = deque()
        limit = self.jobs * IN_FLIGHT
        chunk: list[str] = []
        try:
            for item in items:
                if isinstance(item, ProjectResult):
                    if chunk:
                        pending.append(self._pool.apply_async(_check_chunk, (chunk,)))
                        chunk = []
                    pending.append(self.writer.piece(item))
                else:
                    chunk.append(item)
                    if len(chunk) == CHUNK:
                        pending.append(self._pool.apply_async(_check_chunk, (chunk,)))
                        chunk = []
                while sum(1 for p in pending if isinstance(p, AsyncResult)) >= limit:
                    yield from _collect(pending.popleft())
            if chunk:
                pending.append(self._pool.apply_async(_check_chunk, (chunk,)))
            while pending:
                yield from _collect(pending.popleft())
            self._pool.close()
            self._pool.join()
        finally:
            self.stop()

    def stop(self) -> None:
        """End the workers now (after Ctrl-C, or when the caller stops reading)."""
        if self._pool is not None:
            self._pool.terminate()
            self._pool.join()
            self._pool = None


def _collect(item: AsyncResult[list[Piece]] | Piece) -> list[Piece]:
    return [item] if isinstance(item, Piece) else item.get()
