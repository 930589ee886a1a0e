"""YAML reading that keeps positions and refuses what PyYAML lets slip.

Why: PyYAML silently keeps the last of two duplicate keys and forgets where each
value stood. Auditors need ``file:line:col`` for every error, so the node tree is
walked once to record the position of every path and to reject duplicate keys.
Decimal numbers are read as :class:`decimal.Decimal` so money stays exact.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from compliance.core.errors import InputError, InputProblem, Location, display_path, dotted

PathKey = tuple[str | int, ...]


class _Loader(yaml.SafeLoader):
    """SafeLoader that reads floats as Decimal (from their exact text)."""


def _construct_decimal(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
    text = str(loader.construct_scalar(node)).replace("_", "")
    lowered = text.lower()
    if lowered in {".nan", ".inf", "+.inf", "-.inf"}:
        return float(loader.construct_yaml_float(node))
    return Decimal(text)


def _construct_text(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
    return loader.construct_scalar(node)


_Loader.add_constructor("tag:yaml.org,2002:float", _construct_decimal)
# Dates stay text here: the models parse them, so a bad date is a located error, not a crash.
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_text)


@dataclass
class SourceDocument:
    """A parsed YAML document with the position of every value by path."""

    file: str
    data: Any
    positions: dict[PathKey, Location] = field(default_factory=dict)
    problems: list[InputProblem] = field(default_factory=list)
    """Problems that did not stop parsing (duplicate keys): reported with the others."""

    def locate(self, path: PathKey) -> Location:
        """Return the position of ``path``, or of its nearest located parent."""
        key = tuple(path)
        while key:
            if key in self.positions:
                return self.positions[key]
            key = key[:-1]
        return self.positions.get((), Location(self.file, 1, 1))


def _mark(file: str, node: yaml.Node) -> Location:
    return Location(file, node.start_mark.line + 1, node.start_mark.column + 1)


def _index(
    file: str,
    node: yaml.Node,
    path: PathKey,
    out: dict[PathKey, Location],
    problems: list[InputProblem],
) -> None:
    out[path] = _mark(file, node)
    if isinstance(node, yaml.MappingNode):
        seen: dict[Any, Location] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node)
            here = _mark(file, key_node)
            if key in seen:
                first = seen[key]
                problems.append(
                    InputProblem(
                        here,
                        dotted((*path, key)),
                        f"duplicate key '{key}' (first given at line {first.line}); "
                        "YAML would silently keep only the last one",
                    )
                )
                continue
            seen[key] = here
            _index(file, value_node, (*path, key), out, problems)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _index(file, item, (*path, index), out, problems)


def parse_yaml(text: str, file: str) -> SourceDocument:
    """Parse one YAML document, raising :class:`InputError` with positions."""
    loader = _Loader(text)
    try:
        try:
            node = loader.get_single_node()
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = mark.line + 1 if mark else 0
            column = mark.column + 1 if mark else 0
            reason = exc.problem or exc.context or "invalid YAML"
            raise InputError.single(file, f"invalid YAML: {reason}", line, column) from None
        except yaml.YAMLError as exc:
            raise InputError.single(file, f"invalid YAML: {exc}") from None
        if node is None:
            return SourceDocument(file, None, {(): Location(file, 1, 1)})
        positions: dict[PathKey, Location] = {}
        problems: list[InputProblem] = []
        _index(file, node, (), positions, problems)
        try:
            data = loader.construct_document(node)
        except yaml.constructor.ConstructorError as exc:
            mark = exc.problem_mark
            line = mark.line + 1 if mark else 0
            column = mark.column + 1 if mark else 0
            raise InputError.single(file, f"invalid YAML: {exc.problem}", line, column) from None
        except (ValueError, ArithmeticError) as exc:
            raise InputError.single(file, f"invalid YAML value: {exc}") from None
        return SourceDocument(file, data, positions, problems)
    finally:
        loader.dispose()


def read_yaml(path: Path) -> SourceDocument:
    """Read and parse a YAML file; unreadable files become input errors."""
    shown = display_path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise InputError.single(shown, "file is not UTF-8 text") from None
    except OSError as exc:
        raise InputError.single(shown, f"cannot read file: {exc.strerror}") from None
    return parse_yaml(text, shown)
