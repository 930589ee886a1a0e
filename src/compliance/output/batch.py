"""Check many projects on several cores, yielding their output in input order as they finish.

Why: durable-rules' C core holds the GIL, so threads give nothing; processes do.
Each worker process loads and compiles the rule pack once, then checks chunks of
project paths (stage by stage for the whole chunk: :meth:`Checker.check_projects`)
and renders each project's output itself (a
:class:`~compliance.output.stream.Piece`: a string and a few counts), so the parent
only writes. At most a few chunks per worker are in flight and nothing else is
kept, so memory stays flat however many projects there are. Workers are started
with ``forkserver`` (``spawn`` where missing): forking a process that holds engine
state is not safe.

Each worker has a pipe of its own and the parent reads whichever is ready: no
helper threads. (``multiprocessing.Pool``'s three threads cost the parent 0.17
CPU-ms a form, a twelfth of a form's whole check, on the two cores the workers
need.) A worker that dies takes only its chunks in flight: their projects are
reported as internal errors and a new worker takes its place.
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
from multiprocessing.connection import Connection, wait
from pathlib import Path

from compliance.checking.checker import Checker, ProjectResult, sources
from compliance.core.errors import InternalProblem
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
        writer.piece(job.reviewed(result)) for result in checker.check_paths(list(map(Path, paths)))
    ]


def _serve(job: Job, conn: Connection) -> None:
    """A worker's life: compile the pack, then check each chunk it is sent, in order."""
    _start(job)
    while True:
        try:
            paths = conn.recv()
        except EOFError:  # the parent is gone
            return
        if paths is None:
            return
        conn.send(_check_chunk(paths))


def _context() -> multiprocessing.context.BaseContext:
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


class _Worker:
    """One worker process, its end of the pipe and its chunks in flight (answered in order)."""

    def __init__(self, context: multiprocessing.context.BaseContext, job: Job) -> None:
        mine, theirs = context.Pipe()
        start = context.Process  # type: ignore[attr-defined]  # a concrete context's class
        self.process = start(target=_serve, args=(job, theirs), daemon=True)
        self.process.start()
        theirs.close()
        self.conn = mine
        self.chunks: deque[tuple[int, list[str]]] = deque()

    def send(self, number: int, chunk: list[str]) -> None:
        self.conn.send(chunk)
        self.chunks.append((number, chunk))

    def stop(self) -> None:
        self.process.terminate()
        self.process.join(timeout=5)
        self.conn.close()


class Batch:
    """Checks projects with ``jobs`` worker processes (or in this process for one job)."""

    def __init__(self, checker: Checker, job: Job, jobs: int) -> None:
        self.checker = checker
        self.job = job
        self.writer = job.writer(len(checker.pack.rules))
        self.jobs = max(1, jobs)
        self._context = _context()
        self._workers: list[_Worker] = []

    def run(self, items: list[str | ProjectResult]) -> Iterator[Piece]:
        """Output pieces in the order of ``items``, each once it and those before it are done."""
        projects = sum(1 for item in items if isinstance(item, str))
        if self.jobs == 1 or projects <= SMALL_RUN:
            for chunk in _chunks(items):
                results = (
                    [chunk]
                    if isinstance(chunk, ProjectResult)
                    else self.checker.check_paths(list(map(Path, chunk)))
                )
                yield from (self.writer.piece(self.job.reviewed(result)) for result in results)
            return
        yield from self._parallel(items)

    def _parallel(self, items: list[str | ProjectResult]) -> Iterator[Piece]:
        self._workers = [_Worker(self._context, self.job) for _ in range(self.jobs)]
        order: deque[int | Piece] = deque()
        """What to output next: a chunk (by number) or a piece already rendered here."""
        done: dict[int, list[Piece]] = {}
        pending = enumerate(_chunks(items))
        more = True
        try:
            while more or order:
                more = more and self._feed(pending, order)
                while order and (isinstance(order[0], Piece) or order[0] in done):
                    head = order.popleft()
                    yield from [head] if isinstance(head, Piece) else done.pop(head)
                if order:  # its head is a chunk still being checked
                    self._receive(done)
            for worker in self._workers:
                worker.conn.send(None)
                worker.process.join()
        finally:
            self.stop()

    def _feed(
        self, pending: Iterator[tuple[int, list[str] | ProjectResult]], order: deque[int | Piece]
    ) -> bool:
        """Send chunks to the least busy workers until each has its fill; False when none is left."""
        while True:
            worker = min(self._workers, key=lambda w: len(w.chunks))
            if len(worker.chunks) >= IN_FLIGHT:
                return True
            item = next(pending, None)
            if item is None:
                return False
            number, chunk = item
            if isinstance(chunk, ProjectResult):  # a path in error: its piece is ready
                order.append(self.writer.piece(chunk))
            else:
                order.append(number)
                worker.send(number, chunk)

    def _receive(self, done: dict[int, list[Piece]]) -> None:
        """Wait until some worker answers; keep its chunk's pieces (or report it died)."""
        busy = {w.conn: w for w in self._workers if w.chunks}
        for conn in wait(list(busy)):
            worker = busy[conn]  # type: ignore[index]
            try:
                pieces = worker.conn.recv()
            except (EOFError, OSError):
                self._replace(worker, done)
                continue
            number, _ = worker.chunks.popleft()
            done[number] = pieces

    def _replace(self, worker: _Worker, done: dict[int, list[Piece]]) -> None:
        """A worker died (a crash in the engine, killed): its chunks in flight are lost."""
        worker.process.join(timeout=5)
        code = worker.process.exitcode
        worker.stop()
        for number, chunk in worker.chunks:
            problem = f"the worker process checking it ended unexpectedly (exit code {code})"
            done[number] = [
                self.writer.piece(
                    ProjectResult(path, errors=[InternalProblem("checking", problem, "", path)])
                )
                for path in chunk
            ]
        self._workers[self._workers.index(worker)] = _Worker(self._context, self.job)

    def stop(self) -> None:
        """End the workers now (after Ctrl-C, or when the caller stops reading)."""
        for worker in self._workers:
            if worker.process.is_alive():
                worker.stop()
            else:
                worker.conn.close()
        self._workers = []


def _chunks(items: list[str | ProjectResult]) -> Iterator[list[str] | ProjectResult]:
    """Paths in chunks of :data:`CHUNK`; a result already known (a path in error) on its own."""
    chunk: list[str] = []
    for item in items:
        if isinstance(item, ProjectResult):
            if chunk:
                yield chunk
                chunk = []
            yield item
        else:
            chunk.append(item)
            if len(chunk) == CHUNK:
                yield chunk
                chunk = []
    if chunk:
        yield chunk
