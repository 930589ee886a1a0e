"""Standard output that fails with one clear line, not a traceback.

Why: ``compliance check … > /dev/full`` or ``… | head -c 10`` make writing to
standard output fail (no space left, broken pipe) at whatever print or flush comes
next, or only when the interpreter exits, where Python prints "Exception ignored"
and exits 120. Wrapping the stream turns every such failure into
:class:`StdoutFailure`, which the entry point reports as
``error: cannot write to standard output: …`` and exit code 2.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from typing import Any, TextIO


class StdoutFailure(Exception):
    """Standard output cannot be written."""

    def __init__(self, error: OSError) -> None:
        self.reason = error.strerror or str(error)
        super().__init__(f"cannot write to standard output: {self.reason}")


class _Guarded:
    """A text stream whose write and flush failures become :class:`StdoutFailure`."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        try:
            return self._stream.write(text)
        except OSError as exc:
            raise StdoutFailure(exc) from None

    def flush(self) -> None:
        try:
            self._stream.flush()
        except OSError as exc:
            raise StdoutFailure(exc) from None

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


@contextlib.contextmanager
def guarded_stdout() -> Iterator[None]:
    """Run a command with a guarded standard output, flushed before it ends."""
    original = sys.stdout
    sys.stdout = _Guarded(original)
    try:
        yield
        sys.stdout.flush()
    finally:
        sys.stdout = original


def discard_stdout() -> None:
    """After a failure, send what is still buffered nowhere, so exiting raises nothing more."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
