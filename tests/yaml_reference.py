"""The YAML reader as it was before it was made fast: the reference its output is held to.

Why kept: :mod:`compliance.core.yamlfile` builds the data in one inlined loop and records
positions lazily; ``tests/test_yaml_fast.py`` checks that it reads every file exactly as
this straightforward version (one method per event kind, every position) does.
"""

from __future__ import annotations

from typing import Any

import yaml

from compliance.core.errors import InputError, InputProblem, Location, dotted
from compliance.core.limits import Limits, raise_hint
from compliance.core.yamlfile import (
    _BOOLS,
    _IMPLICIT,
    _KINDS,
    _MAP_TAGS,
    _SEQ_TAGS,
    _STR,
    _TAG,
    PathKey,
    _byte_position,
    _float,
    _int,
    _reader_message,
    _unsupported,
)


class _Stop(Exception):
    """A located problem that ends reading the file."""

    def __init__(self, line: int, column: int, message: str) -> None:
        super().__init__(message)
        self.line, self.column, self.message = line, column, message


def _stop_at(mark: Any, message: str) -> _Stop:
    return _Stop(mark.line + 1, mark.column + 1, message)


class _Frame:
    """A mapping or list being built, with what the next event belongs to."""

    __slots__ = ("anchor", "container", "count", "key", "keyed", "keys", "path", "record", "start")

    def __init__(
        self, container: Any, path: PathKey, record: bool, start: int, anchor: str | None
    ) -> None:
        self.container = container
        self.path = path
        self.record = record
        """Whether positions below are recorded (not below a duplicate key's value)."""
        self.start = start
        """Values read before this one began: its expanded size is the difference at its end."""
        self.anchor = anchor
        self.keyed = False
        """For a mapping: a key has been read and its value is next."""
        self.key: Any = None
        self.keys: dict[Any, int] = {}
        self.count = 0


class _Builder:
    """Builds the data of one document from the parser's events."""

    def __init__(self, loader: Any, file: str, limits: Limits) -> None:
        self.loader = loader
        self.file = file
        self.limits = limits
        self.positions: dict[PathKey, Location] = {}
        self.problems: list[InputProblem] = []
        self.anchors: dict[str, tuple[Any, int]] = {}
        self.stack: list[_Frame] = []
        self.values = 0
        self.aliases = 0
        self.root: Any = None

    def scalar(self, event: Any) -> Any:
        value: str = event.value
        if len(value) > self.limits.string:
            raise _stop_at(
                event.start_mark,
                f"text of {len(value):,} characters; the limit is {self.limits.string:,} "
                f"({raise_hint('string')})",
            )
        tag = event.tag
        if tag is None or tag == "!":
            tag = _STR
            if event.implicit[0]:
                for candidate, pattern in _IMPLICIT.get(value[:1], ()):
                    if pattern.match(value):
                        tag = candidate
                        break
        if tag == _STR:
            return value
        if tag == _TAG + "timestamp" or tag == _TAG + "value":
            # Dates stay text: the models parse them, so a bad date is a located error.
            return value
        if tag == _TAG + "null":
            return None
        try:
            if tag == _TAG + "int":
                return _int(value)
            if tag == _TAG + "float":
                return _float(value)
            if tag == _TAG + "bool":
                return _BOOLS[value.lower()]
        except (ValueError, ArithmeticError, KeyError):
            what = _KINDS.get(tag, tag)
            shown = value if len(value) <= 40 else value[:37] + "..."
            raise _stop_at(
                event.start_mark, f"invalid YAML value: '{shown}' is not {what}"
            ) from None
        if tag == _TAG + "merge":
            if (
                self.stack
                and isinstance(self.stack[-1].container, dict)
                and not self.stack[-1].keyed
            ):
                raise _stop_at(
                    event.start_mark,
                    "merge keys ('<<: *name') are not supported; write the fields out",
                )
            return value
        raise _stop_at(event.start_mark, _unsupported(event.tag))

    def child_path(self, mark: Any) -> tuple[PathKey, bool]:
        """The path of the value that begins at ``mark``, and whether to record positions."""
        if not self.stack:
            return (), True
        frame = self.stack[-1]
        if isinstance(frame.container, list):
            if frame.count >= self.limits.items:
                raise _stop_at(
                    mark,
                    f"list of more than {self.limits.items:,} items; "
                    f"the limit is {self.limits.items:,} ({raise_hint('items')})",
                )
            return (*frame.path, frame.count), frame.record
        if not frame.keyed:
            raise _stop_at(mark, "a mapping key must be text or a number, not a mapping or list")
        recorded = frame.record and frame.key is not _DUPLICATE
        return (*frame.path, frame.key), recorded

    def count(self, size: int, mark: Any) -> None:
        self.values += size
        if self.values > self.limits.nodes:
            raise _stop_at(
                mark,
                f"more than {self.limits.nodes:,} values once aliases are expanded; "
                f"the limit is {self.limits.nodes:,} ({raise_hint('nodes')})",
            )

    def place(self, value: Any, mark: Any) -> None:
        """Put a finished value (scalar, alias or closed collection) into its parent."""
        if not self.stack:
            self.root = value
            return
        frame = self.stack[-1]
        if isinstance(frame.container, list):
            frame.container.append(value)
            frame.count += 1
            return
        if frame.keyed:
            if frame.key is not _DUPLICATE:
                frame.container[frame.key] = value
            frame.keyed = False
            return
        try:
            hash(value)
        except TypeError:
            raise _stop_at(
                mark, "a mapping key must be text or a number, not a mapping or list"
            ) from None
        line = mark.line + 1
        if value in frame.keys:
            key = value
            self.problems.append(
                InputProblem(
                    Location(self.file, line, mark.column + 1),
                    dotted((*frame.path, key)),
                    f"duplicate key '{key}' (first given at line {frame.keys[key]}); "
                    "YAML would silently keep only the last one",
                )
            )
            value = _DUPLICATE
        else:
            frame.keys[value] = line
        frame.key = value
        frame.keyed = True

    def alias(self, event: Any) -> None:
        mark = event.start_mark
        self.aliases += 1
        if self.aliases > self.limits.aliases:
            raise _stop_at(
                mark,
                f"more than {self.limits.aliases:,} aliases; the limit is "
                f"{self.limits.aliases:,} ({raise_hint('aliases')})",
            )
        if event.anchor not in self.anchors:
            raise _stop_at(mark, f"alias '*{event.anchor}' names no anchor defined before it")
        value, size = self.anchors[event.anchor]
        if self._is_value():
            path, recorded = self.child_path(mark)
            if recorded:
                self.positions[path] = Location(self.file, mark.line + 1, mark.column + 1)
        self.count(size, mark)
        self.place(value, mark)

    def _is_value(self) -> bool:
        return (
            not self.stack
            or not isinstance(self.stack[-1].container, dict)
            or (self.stack[-1].keyed)
        )

    def start(self, event: Any, container: dict[Any, Any] | list[Any], tags: set[Any]) -> None:
        mark = event.start_mark
        if event.tag not in tags:
            raise _stop_at(mark, _unsupported(event.tag))
        if len(self.stack) >= self.limits.depth:
            raise _stop_at(
                mark,
                f"nested more than {self.limits.depth} levels deep; the limit is "
                f"{self.limits.depth} ({raise_hint('depth')})",
            )
        path, recorded = self.child_path(mark)
        if recorded:
            self.positions[path] = Location(self.file, mark.line + 1, mark.column + 1)
        self.count(1, mark)
        self.stack.append(_Frame(container, path, recorded, self.values - 1, event.anchor))

    def end(self, event: Any) -> None:
        frame = self.stack.pop()
        if frame.anchor is not None:
            self.anchors[frame.anchor] = (frame.container, self.values - frame.start)
        self.place(frame.container, event.start_mark)

    def build(self) -> Any:
        """Read every event; return the document's data (None for an empty file)."""
        loader = self.loader
        documents = 0
        while True:
            event = loader.get_event()
            kind = type(event)
            if kind is yaml.ScalarEvent:
                mark = event.start_mark
                value = self.scalar(event)
                if self._is_value():
                    path, recorded = self.child_path(mark)
                    if recorded:
                        self.positions[path] = Location(self.file, mark.line + 1, mark.column + 1)
                self.count(1, mark)
                if event.anchor is not None:
                    self.anchors[event.anchor] = (value, 1)
                self.place(value, mark)
            elif kind is yaml.MappingStartEvent:
                self.start(event, {}, _MAP_TAGS)
            elif kind is yaml.SequenceStartEvent:
                self.start(event, [], _SEQ_TAGS)
            elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                self.end(event)
            elif kind is yaml.AliasEvent:
                self.alias(event)
            elif kind is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    raise _stop_at(
                        event.start_mark,
                        "a second YAML document ('---') begins here; a file holds one",
                    )
            elif kind is yaml.StreamEndEvent or event is None:
                break
        self.positions.setdefault((), Location(self.file, 1, 1))
        return self.root


class _Duplicate:
    """Stands for the key of a duplicate entry, whose value is read but not kept."""


_DUPLICATE: Any = _Duplicate()


def reference_parse(
    text: str | bytes, file: str, limits: Limits
) -> tuple[Any, dict[PathKey, Location], list[InputProblem]]:
    """Parse one YAML document, raising :class:`InputError` with positions."""
    data = text.encode("utf-8") if isinstance(text, str) else text
    loader = yaml.CSafeLoader(data)
    builder = _Builder(loader, file, limits)
    try:
        value = builder.build()
    except _Stop as exc:
        raise InputError.single(file, exc.message, exc.line, exc.column) from None
    except yaml.reader.ReaderError as exc:
        line, column = _byte_position(data, exc.position)
        raise InputError.single(file, _reader_message(exc), line, column) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        column = mark.column + 1 if mark else 0
        reason = exc.problem or exc.context or "invalid YAML"
        if exc.problem and exc.context and exc.context_mark and exc.context_mark is not mark:
            reason += f" ({exc.context} at line {exc.context_mark.line + 1})"
        raise InputError.single(file, f"invalid YAML: {reason}", line, column) from None
    except yaml.YAMLError as exc:
        raise InputError.single(file, f"invalid YAML: {exc}") from None
    finally:
        loader.dispose()
    return value, builder.positions, builder.problems
