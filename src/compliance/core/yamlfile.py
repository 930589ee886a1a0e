"""YAML reading that is fast, keeps positions, and refuses what PyYAML lets slip.

Why: PyYAML silently keeps the last of two duplicate keys, forgets where each value
stood, and its pure-Python reader takes half a second for a 1,000-sub-project file.
Auditors need ``file:line:col`` for every error, and hostile files must not hang or
crash the checker. So libyaml's C parser (``yaml.CSafeLoader``) turns the text into
events, and one flat loop here (no recursion) builds the data from them while it
records the position of every path, rejects duplicate keys, reads decimal numbers
as :class:`decimal.Decimal` (money stays exact) and enforces the limits of
:mod:`compliance.core.limits`. An alias is recorded once, where it is written: its
expansion is counted, never walked again (no alias bombs).

Speed (a batch loads thousands of forms): the loop is inlined (no call per event),
a plain scalar's value is remembered by its text, positions are kept as
``(line, column)``, and a caller that only places whole records asks for shallow
positions (``depth``); the rest are read again, once, when an error points inside a
record. ``tests/yaml_reference.py`` keeps the straightforward reader this one is held to.
"""

from __future__ import annotations

import stat
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

from compliance.core.errors import InputError, InputProblem, Location, display_path, dotted
from compliance.core.limits import Limits, LimitsSettingError, current_limits, raise_hint

PathKey = tuple[str | int, ...]

_TAG = "tag:yaml.org,2002:"
_BOOLS = yaml.constructor.SafeConstructor.bool_values
_MAP_TAGS = {None, "!", _TAG + "map"}
_SEQ_TAGS = {None, "!", _TAG + "seq"}
_STR = _TAG + "str"
_IMPLICIT: dict[str, list[tuple[str, Any]]] = yaml.CSafeLoader.yaml_implicit_resolvers
"""YAML 1.1's implicit types by first character, as SafeLoader resolves them."""
_KINDS = {
    _TAG + "int": "a whole number",
    _TAG + "float": "a number",
    _TAG + "bool": "true or false",
}


@dataclass
class SourceDocument:
    """A parsed YAML document with the position of every value by path.

    A document read with ``depth`` (the loader of records asks for 2: sections and
    records) holds the positions of shorter paths only; the first question about a
    deeper path reads the text again, once, with every position. Why: only an error
    points inside a record, and a form's ~180 values then need no path of their own.
    """

    file: str
    data: Any
    positions: dict[PathKey, tuple[int, int]] = field(default_factory=dict)
    """Line and column (1-based) by path."""
    problems: list[InputProblem] = field(default_factory=list)
    """Problems that did not stop parsing (duplicate keys): reported with the others."""
    depth: int | None = None
    """Positions are held for paths of at most this many parts (``None``: all)."""
    text: bytes = b""
    """The text, kept while positions are missing: read again for a deeper path."""
    limits: Limits = field(default_factory=Limits)

    def locate(self, path: PathKey) -> Location:
        """Return the position of ``path``, or of its nearest located parent."""
        key = tuple(path)
        if self.depth is not None and len(key) > self.depth:
            self._read_every_position()
        positions = self.positions
        while key:
            if key in positions:
                return Location(self.file, *positions[key])
            key = key[:-1]
        return Location(self.file, *positions.get((), (1, 1)))

    def _read_every_position(self) -> None:
        loader = yaml.CSafeLoader(self.text)
        try:
            builder = _Builder(loader, self.file, self.limits, None)
            builder.build()  # the same text and limits: it reads as it did the first time
        finally:
            loader.dispose()
        self.positions, self.depth, self.text = builder.positions, None, b""


class _Stop(Exception):
    """A located problem that ends reading the file."""

    def __init__(self, line: int, column: int, message: str) -> None:
        super().__init__(message)
        self.line, self.column, self.message = line, column, message


def _stop_at(mark: Any, message: str) -> _Stop:
    return _Stop(mark.line + 1, mark.column + 1, message)


class _Frame:
    """A mapping or list being built, with what the next event belongs to."""

    __slots__ = (
        "anchor",
        "container",
        "count",
        "is_map",
        "key",
        "keyed",
        "keys",
        "path",
        "record",
        "start",
    )

    def __init__(
        self, container: Any, path: PathKey, record: bool, start: int, anchor: str | None
    ) -> None:
        self.container = container
        self.is_map = isinstance(container, dict)
        self.path = path
        self.record = record
        """Whether the positions of its values are recorded (not below a duplicate key's
        value, nor deeper than the positions asked for)."""
        self.start = start
        """Values read before this one began: its expanded size is the difference at its end."""
        self.anchor = anchor
        self.keyed = False
        """For a mapping: a key has been read and its value is next."""
        self.key: Any = None
        self.keys: dict[Any, int] = {}
        self.count = 0


def _int(text: str) -> int:
    """A YAML 1.1 integer (what SafeLoader reads), from its resolved text."""
    value = text.replace("_", "")
    sign = -1 if value[0] == "-" else 1
    if value[0] in "+-":
        value = value[1:]
    if value == "0":
        return 0
    if value.startswith("0b"):
        return sign * int(value[2:], 2)
    if value.startswith("0x"):
        return sign * int(value[2:], 16)
    if value[0] == "0":
        return sign * int(value, 8)
    if ":" in value:
        total = 0
        for part in value.split(":"):
            total = total * 60 + int(part)
        return sign * total
    return sign * int(value)


def _float(text: str) -> Decimal | float:
    """A decimal number as :class:`Decimal` from its exact text; NaN and infinity as floats."""
    value = text.replace("_", "")
    if value.lower() in {".nan", ".inf", "+.inf", "-.inf"}:
        return float(value.lower().replace(".", ""))
    if ":" in value:
        raise InvalidOperation(value)
    return Decimal(value)


def _implicit_tag(value: str) -> str:
    """The tag YAML 1.1 gives a plain scalar (SafeLoader's implicit resolvers)."""
    for candidate, pattern in _IMPLICIT.get(value[:1], ()):
        if pattern.match(value):
            return str(candidate)
    return _STR


_MERGE = _TAG + "merge"
_PLAIN: dict[str, Any] = {}
"""Plain scalars already resolved, by their text: a form repeats its keys and numbers."""
_PLAIN_TEXT = 64
_PLAIN_SIZE = 4096
_MISS: Any = object()
_DECIMAL: Any = object()


def _value(value: str, tag: str, mark: Any, key_expected: bool) -> Any:
    """The value of a scalar of ``tag`` (after implicit resolution); ``_Stop`` if it has none."""
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
        raise _stop_at(mark, f"invalid YAML value: '{shown}' is not {what}") from None
    if tag == _MERGE:
        if key_expected:
            raise _stop_at(mark, "merge keys ('<<: *name') are not supported; write the fields out")
        return value
    raise _stop_at(mark, _unsupported(tag))


def _plain(value: str, mark: Any, key_expected: bool) -> Any:
    """The value of a plain scalar, remembered by its text when that is safe and short.

    A decimal is remembered as ``_DECIMAL`` and made anew each time: one shared object
    would be written back as an anchor and aliases by ``yaml.dump``.
    """
    tag = _implicit_tag(value)
    result = _value(value, tag, mark, key_expected)
    if tag != _MERGE and len(value) <= _PLAIN_TEXT:
        if len(_PLAIN) >= _PLAIN_SIZE:
            _PLAIN.clear()
        _PLAIN[value] = _DECIMAL if tag == _TAG + "float" else result
    return result


class _Builder:
    """Builds the data of one document from the parser's events, in one flat loop.

    Why one loop with everything inlined: a form is ~180 scalars, and each method call
    per event was a third of the time of loading a project. ``depth`` limits which
    positions are recorded (paths of at most that many parts; ``None``: every path).
    """

    def __init__(self, loader: Any, file: str, limits: Limits, depth: int | None) -> None:
        self.loader = loader
        self.file = file
        self.limits = limits
        self.depth = depth
        self.positions: dict[PathKey, tuple[int, int]] = {}
        self.problems: list[InputProblem] = []

    def _child(self, frame: _Frame | None, mark: Any) -> tuple[PathKey, bool]:
        """The path of the collection or alias that begins at ``mark``, and whether to record it."""
        if frame is None:
            return (), True
        if not frame.is_map:
            if frame.count >= self.limits.items:
                raise _too_many_items(mark, self.limits)
            return (*frame.path, frame.count), frame.record
        if not frame.keyed:
            raise _stop_at(mark, "a mapping key must be text or a number, not a mapping or list")
        return (*frame.path, frame.key), frame.record and frame.key is not _DUPLICATE

    def _key(self, frame: _Frame, value: Any, mark: Any) -> None:
        try:
            hash(value)
        except TypeError:
            raise _stop_at(
                mark, "a mapping key must be text or a number, not a mapping or list"
            ) from None
        line = mark.line + 1
        if value in frame.keys:
            self.problems.append(
                InputProblem(
                    Location(self.file, line, mark.column + 1),
                    dotted((*frame.path, value)),
                    f"duplicate key '{value}' (first given at line {frame.keys[value]}); "
                    "YAML would silently keep only the last one",
                )
            )
            value = _DUPLICATE
        else:
            frame.keys[value] = line
        frame.key = value
        frame.keyed = True

    def build(self) -> Any:
        """Read every event; return the document's data (None for an empty file)."""
        limits = self.limits
        max_string, max_items, max_nodes = limits.string, limits.items, limits.nodes
        depth = self.depth
        positions = self.positions
        anchors: dict[str, tuple[Any, int]] = {}
        stack: list[_Frame] = []
        top: _Frame | None = None
        values = aliases = documents = 0
        root: Any = None
        plain = _PLAIN
        get_event = self.loader.get_event
        scalar_event, alias_event = yaml.ScalarEvent, yaml.AliasEvent
        mapping_start, sequence_start = yaml.MappingStartEvent, yaml.SequenceStartEvent
        mapping_end, sequence_end = yaml.MappingEndEvent, yaml.SequenceEndEvent
        while True:
            event = get_event()
            kind = type(event)
            if kind is scalar_event:
                mark = event.start_mark
                text: str = event.value
                if len(text) > max_string:
                    raise _stop_at(
                        mark,
                        f"text of {len(text):,} characters; the limit is {max_string:,} "
                        f"({raise_hint('string')})",
                    )
                tag = event.tag
                key_expected = top is not None and top.is_map and not top.keyed
                if tag is None or tag == "!":
                    if event.implicit[0]:
                        value = plain.get(text, _MISS)
                        if value is _MISS:
                            value = _plain(text, mark, key_expected)
                        elif value is _DECIMAL:
                            value = _float(text)
                    else:
                        value = text
                else:
                    value = _value(text, tag, mark, key_expected)
                # Placed at once: of what follows, only the limits can fail, in the order
                # the reference reader checks them (items, then values).
                if top is None:
                    positions[()] = (mark.line + 1, mark.column + 1)
                    root = value
                elif key_expected:
                    if type(value) is str and value not in top.keys:  # the usual key, inline
                        top.keys[value] = mark.line + 1
                        top.key = value
                        top.keyed = True
                    else:
                        if values >= max_nodes:
                            raise _too_many_values(mark, limits)
                        self._key(top, value, mark)
                elif top.is_map:
                    key = top.key
                    if key is not _DUPLICATE:
                        if top.record:
                            positions[(*top.path, key)] = (mark.line + 1, mark.column + 1)
                        top.container[key] = value
                    top.keyed = False
                else:
                    if top.count >= max_items:
                        raise _too_many_items(mark, limits)
                    if top.record:
                        positions[(*top.path, top.count)] = (mark.line + 1, mark.column + 1)
                    top.container.append(value)
                    top.count += 1
                values += 1
                if values > max_nodes:
                    raise _too_many_values(mark, limits)
                if event.anchor is not None:
                    anchors[event.anchor] = (value, 1)
                continue
            if kind is mapping_start or kind is sequence_start:
                mark = event.start_mark
                if event.tag not in (_MAP_TAGS if kind is mapping_start else _SEQ_TAGS):
                    raise _stop_at(mark, _unsupported(event.tag))
                if len(stack) >= limits.depth:
                    raise _stop_at(
                        mark,
                        f"nested more than {limits.depth} levels deep; the limit is "
                        f"{limits.depth} ({raise_hint('depth')})",
                    )
                path, recorded = self._child(top, mark)
                if recorded:
                    positions[path] = (mark.line + 1, mark.column + 1)
                values += 1
                if values > max_nodes:
                    raise _too_many_values(mark, limits)
                below = recorded and (depth is None or len(path) < depth)
                container: Any = {} if kind is mapping_start else []
                top = _Frame(container, path, below, values - 1, event.anchor)
                stack.append(top)
                continue
            if kind is mapping_end or kind is sequence_end:
                frame = stack.pop()
                top = stack[-1] if stack else None
                if frame.anchor is not None:
                    anchors[frame.anchor] = (frame.container, values - frame.start)
                value = frame.container
                mark = event.start_mark
            elif kind is alias_event:
                mark = event.start_mark
                aliases += 1
                if aliases > limits.aliases:
                    raise _stop_at(
                        mark,
                        f"more than {limits.aliases:,} aliases; the limit is "
                        f"{limits.aliases:,} ({raise_hint('aliases')})",
                    )
                if event.anchor not in anchors:
                    raise _stop_at(
                        mark, f"alias '*{event.anchor}' names no anchor defined before it"
                    )
                value, size = anchors[event.anchor]
                if top is None or not top.is_map or top.keyed:
                    path, recorded = self._child(top, mark)
                    if recorded:
                        positions[path] = (mark.line + 1, mark.column + 1)
                values += size
                if values > max_nodes:
                    raise _too_many_values(mark, limits)
            elif kind is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    raise _stop_at(
                        event.start_mark,
                        "a second YAML document ('---') begins here; a file holds one",
                    )
                continue
            elif kind is yaml.StreamEndEvent or event is None:
                break
            else:
                continue
            # A closed collection or an alias: put it into its parent.
            if top is None:
                root = value
            elif not top.is_map:
                top.container.append(value)
                top.count += 1
            elif top.keyed:
                if top.key is not _DUPLICATE:
                    top.container[top.key] = value
                top.keyed = False
            else:
                self._key(top, value, mark)
        positions.setdefault((), (1, 1))
        return root


def _too_many_items(mark: Any, limits: Limits) -> _Stop:
    return _stop_at(
        mark,
        f"list of more than {limits.items:,} items; "
        f"the limit is {limits.items:,} ({raise_hint('items')})",
    )


def _too_many_values(mark: Any, limits: Limits) -> _Stop:
    return _stop_at(
        mark,
        f"more than {limits.nodes:,} values once aliases are expanded; "
        f"the limit is {limits.nodes:,} ({raise_hint('nodes')})",
    )


def _unsupported(tag: str) -> str:
    shown = "!!" + tag.removeprefix(_TAG) if tag.startswith(_TAG) else tag
    return f"unsupported YAML tag '{shown}'; write plain text, numbers, lists and mappings"


class _Duplicate:
    """Stands for the key of a duplicate entry, whose value is read but not kept."""


_DUPLICATE: Any = _Duplicate()


def _byte_position(data: bytes, offset: int) -> tuple[int, int]:
    """1-based line and column (in characters) of a byte offset."""
    before = data[:offset]
    line_start = before.rfind(b"\n") + 1
    column = len(before[line_start:].decode("utf-8", errors="replace")) + 1
    return before.count(b"\n") + 1, column


def _reader_message(exc: yaml.reader.ReaderError) -> str:
    if "control characters" in exc.reason:
        return (
            f"control character U+{exc.character:04X} is not allowed in YAML text; "
            "remove it (or write it as an escape in a double-quoted string)"
        )
    byte = exc.character
    shown = f" (byte 0x{byte:02X})" if isinstance(byte, int) else ""
    return f"file is not UTF-8 text: {exc.reason}{shown}"


def parse_yaml(
    text: str | bytes, file: str, limits: Limits | None = None, depth: int | None = None
) -> SourceDocument:
    """Parse one YAML document, raising :class:`InputError` with positions.

    ``depth``: record positions of paths of at most this many parts now, the rest
    when first asked for (see :class:`SourceDocument`).
    """
    if limits is None:
        try:
            limits = current_limits()
        except LimitsSettingError as exc:
            raise InputError.single(file, str(exc)) from None
    data = text.encode("utf-8") if isinstance(text, str) else text
    loader = yaml.CSafeLoader(data)
    builder = _Builder(loader, file, limits, depth)
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
    kept = data if depth is not None else b""
    return SourceDocument(file, value, builder.positions, builder.problems, depth, kept, limits)


def read_yaml(
    path: Path, limits: Limits | None = None, depth: int | None = None, shown: str | None = None
) -> SourceDocument:
    """Read and parse a YAML file; unreadable, special or oversized files become input errors.

    ``depth`` as for :func:`parse_yaml`; ``shown``: the file's name in messages when the
    caller has it already (else :func:`display_path`).
    """
    shown = shown or display_path(path)
    try:
        limits = limits or current_limits()
    except LimitsSettingError as exc:
        raise InputError.single(shown, str(exc)) from None
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise InputError.single(
                shown, "not a regular file (a folder, device, FIFO or socket); give a YAML file"
            )
        if info.st_size > limits.file_bytes:
            raise InputError.single(shown, _too_big(info.st_size, limits))
        with path.open("rb") as handle:
            # Ask for what the file holds, not for the limit: a read of 16 MiB sets aside
            # 16 MiB first, which cost more than parsing a form. A file grown since is read on.
            wanted = info.st_size + 1
            data = handle.read(wanted)
            if len(data) == wanted:
                data += handle.read(limits.file_bytes + 1 - len(data))
    except OSError as exc:
        raise InputError.single(shown, f"cannot read file: {exc.strerror or exc}") from None
    if len(data) > limits.file_bytes:
        raise InputError.single(shown, _too_big(len(data), limits))
    return parse_yaml(data, shown, limits, depth)


def _too_big(size: int, limits: Limits) -> str:
    return f"file of {size:,} bytes; the limit is {limits.file_mb} MiB ({raise_hint('file_mb')})"
