"""The malformed-input corpus: records, rules and examples damaged in every way we know of.

``python -m tests.fuzz.corpus`` writes ``tests/data/fuzz/{records,rules,examples}.jsonl.gz``
(deterministic: the same inputs every time); the suite replays every line
(``tests/test_fuzz_corpus.py``) and ``make fuzz`` starts from them. Kinds of damage:
file-level (control characters, NUL, bad UTF-8, truncation, nesting, alias bombs,
oversized values), wrong types at every field, hostile amounts (NaN, infinity,
1e30, negative, 40 digits), structure (missing, duplicated, misplaced sections),
rule conditions, messages (format-string attacks), parameters and examples.
"""

from __future__ import annotations

import base64
import copy
import gzip
import json
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from compliance.core.yamlfile import read_yaml
from tests.fuzz.yamltext import to_yaml

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "data" / "fuzz"
BASE_RECORD = ROOT / "tests" / "data" / "clean_project.yaml"
BASE_FORM = ROOT / "cases" / "selfeval-2023-school-meals" / "project.yaml"
BASE_RULES = ("targets/TG01.yaml", "forms/FM08.yaml", "data/DQ01.yaml", "targets/TG07.yaml")
BASE_EXAMPLES = "funds/FN04.examples.yaml"
KINDS = ("records", "rules", "examples")


@dataclass(frozen=True)
class FuzzInput:
    """One malformed input: which kind of file, a name saying what was done, the bytes."""

    kind: str
    name: str
    data: bytes

    def as_json(self) -> str:
        """One line of a corpus file (text when it is UTF-8, else base64)."""
        try:
            body = {"text": self.data.decode("utf-8")}
        except UnicodeDecodeError:
            body = {"base64": base64.b64encode(self.data).decode("ascii")}
        return json.dumps({"name": self.name, **body}, ensure_ascii=False)

    @classmethod
    def from_json(cls, kind: str, line: str) -> FuzzInput:
        """Read one line of a corpus file."""
        item = json.loads(line)
        data = (
            item["text"].encode("utf-8")
            if "text" in item
            else base64.b64decode(item["base64"].encode("ascii"))
        )
        return cls(kind, item["name"], data)


HOSTILE_VALUES: list[tuple[str, Any]] = [
    ("list", [1, "二"]),
    ("mapping", {"a": 1}),
    ("true", True),
    ("null", None),
    ("empty", ""),
    ("blank", "   "),
    ("word", "abc"),
    ("negative", -1),
    ("huge", Decimal("1e30")),
    ("nan", float("nan")),
    ("inf", float("inf")),
    ("minus_inf", float("-inf")),
    ("forty_digits", 10**40),
    ("format", "{0.__class__.__mro__}"),
    ("brace", "{"),
    ("placeholder", "——"),
    ("bad_date", "2020-13-45"),
    ("nul_escape", "a\x00b"),
    ("zero", 0),
    ("tiny", Decimal("1e-30")),
    ("comma_number", "1,000.00"),
    ("unit_number", "100万元"),
    ("percent", "95.5%"),
    ("nested", [[[[{"x": [1]}]]]]),
    ("bell", "\x07"),
    ("big_money", Decimal("9999999999.99")),
    ("negative_cent", Decimal("-0.01")),
    ("many_places", Decimal("0.123456789012345678901234567890")),
    ("emoji", "😀💥"),
]


def _leaves(data: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _leaves(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _leaves(value, (*path, index))
    else:
        yield path


def _set(data: Any, path: tuple[Any, ...], value: Any) -> Any:
    out = copy.deepcopy(data)
    target = out
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value
    return out


def _delete(data: Any, path: tuple[Any, ...]) -> Any:
    out = copy.deepcopy(data)
    target = out
    for part in path[:-1]:
        target = target[part]
    del target[path[-1]]
    return out


def _name(path: tuple[Any, ...]) -> str:
    return ".".join(str(p) for p in path)


def _typed_values(data: Any, kind: str, stride: int, prefix: str = "") -> Iterator[FuzzInput]:
    """Every leaf replaced by a few hostile values (rotating through them, so all are used)."""
    for n, path in enumerate(_leaves(data)):
        for k in range(stride):
            label, value = HOSTILE_VALUES[(n * stride + k) % len(HOSTILE_VALUES)]
            text = to_yaml(_set(data, path, value))
            yield FuzzInput(kind, f"{prefix}{_name(path)}={label}", text.encode("utf-8"))


def _file_damage(text: str, kind: str) -> Iterator[FuzzInput]:
    """Damage to the bytes of a file that any YAML file can suffer."""
    data = text.encode("utf-8")
    size = len(data)
    for fraction in (0.05, 0.17, 0.33, 0.5, 0.71, 0.9, 0.99):
        cut = int(size * fraction)
        yield FuzzInput(kind, f"truncated_at_{fraction}", data[:cut])
    for char in ("\x00", "\x03", "\x1b", "\x7f", "\ufeff", "\u2028", "\ud7ff"):
        for fraction in (0.3, 0.8):
            at = text.find("\n", int(len(text) * fraction)) + 3
            damaged = text[:at] + char + text[at:]
            label = f"U+{ord(char):04X}_at_{fraction}"
            yield FuzzInput(kind, label, damaged.encode("utf-8", errors="surrogatepass"))
    for byte in (b"\xff", b"\xc3", b"\xe4\xb8", b"\x80"):
        yield FuzzInput(
            kind, f"bad_utf8_{byte.hex()}", data[: size // 2] + byte + data[size // 2 :]
        )
    yield FuzzInput(kind, "utf16", text.encode("utf-16"))
    yield FuzzInput(kind, "bom", b"\xef\xbb\xbf" + data)
    yield FuzzInput(kind, "crlf", data.replace(b"\n", b"\r\n"))
    yield FuzzInput(kind, "tabs", data.replace(b"  ", b"\t"))
    yield FuzzInput(kind, "empty", b"")
    yield FuzzInput(kind, "comment_only", b"# nothing here\n")
    yield FuzzInput(kind, "null_document", b"~\n")
    yield FuzzInput(kind, "scalar_document", b"just text\n")
    yield FuzzInput(kind, "list_document", b"- 1\n- 2\n")
    yield FuzzInput(kind, "two_documents", data + b"---\n" + data)
    yield FuzzInput(kind, "unclosed_flow", data + b"extra: [1, 2\n")
    yield FuzzInput(kind, "unclosed_quote", data + b'extra: "open\n')
    yield FuzzInput(kind, "bad_indent", data + b"  - stray\n bad: 1\n")
    yield FuzzInput(kind, "deep_flow", b"a: " + b"[" * 3000 + b"]" * 3000 + b"\n")
    yield FuzzInput(
        kind, "deep_block", b"a:\n" + "".join("  " * i + "- \n" for i in range(1, 200)).encode()
    )
    yield FuzzInput(kind, "deep_mapping", b"a: " + b"{b: " * 500 + b"1" + b"}" * 500 + b"\n")
    bomb = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for n in range(1, 9):
        name, previous = chr(97 + n), chr(96 + n)
        bomb.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]")
    yield FuzzInput(kind, "alias_bomb", ("\n".join(bomb) + "\n").encode())
    yield FuzzInput(kind, "self_alias", b"a: &a [*a]\n")
    yield FuzzInput(kind, "undefined_alias", data + b"extra: *nowhere\n")
    yield FuzzInput(kind, "merge_key", b"base: &b {x: 1}\nproject:\n  <<: *b\n")
    yield FuzzInput(kind, "python_tag", data + b"extra: !!python/object/apply:os.system [ls]\n")
    yield FuzzInput(kind, "binary_tag", data + b"extra: !!binary aGVsbG8=\n")
    yield FuzzInput(kind, "complex_key", b"? [a, b]\n: 1\n")
    yield FuzzInput(kind, "long_line", b"a: " + b"x" * 30_000 + b"\n")
    at = data.find(b": ", size // 3) + 2
    yield FuzzInput(kind, "long_value", data[:at] + "长".encode() * 20_001 + data[at:])
    yield FuzzInput(kind, "long_value_at_limit", data[:at] + b"x" * 19_990 + data[at:])
    yield FuzzInput(kind, "many_items", b"a:\n" + b"  - 1\n" * 25_000)
    yield FuzzInput(kind, "huge_int", b"a: " + b"9" * 5000 + b"\n")
    yield FuzzInput(kind, "sexagesimal", b"a: 1:20:30.5\n")
    yield FuzzInput(kind, "duplicate_top_key", data + data.split(b"\n", 1)[0] + b"\n")


def _record_structure(data: dict[str, Any], kind: str) -> Iterator[FuzzInput]:
    """Sections and records missing, doubled, misplaced or of the wrong shape."""
    for section in list(data):
        yield FuzzInput(kind, f"without_{section}", to_yaml(_delete(data, (section,))).encode())
        value = data[section]
        yield FuzzInput(kind, f"{section}_as_text", to_yaml({**data, section: "text"}).encode())
        yield FuzzInput(kind, f"{section}_as_number", to_yaml({**data, section: 7}).encode())
        yield FuzzInput(kind, f"{section}_empty", to_yaml({**data, section: []}).encode())
        if isinstance(value, list) and value:
            doubled = {**data, section: [*value, value[0]]}
            yield FuzzInput(kind, f"{section}_doubled_record", to_yaml(doubled).encode())
            yield FuzzInput(
                kind, f"{section}_as_mapping", to_yaml({**data, section: value[0]}).encode()
            )
            yield FuzzInput(
                kind, f"{section}_record_as_list", to_yaml({**data, section: [[1, 2]]}).encode()
            )
            for field in list(value[0]):
                yield FuzzInput(
                    kind,
                    f"{section}[0]_without_{field}",
                    to_yaml(_delete(data, (section, 0, field))).encode(),
                )
            unknown = {**data, section: [{**value[0], "unknown_field": 1}, *value[1:]]}
            yield FuzzInput(kind, f"{section}_unknown_field", to_yaml(unknown).encode())
        if isinstance(value, dict):
            yield FuzzInput(
                kind, f"{section}_as_list", to_yaml({**data, section: [value]}).encode()
            )
    yield FuzzInput(kind, "unknown_section", to_yaml({**data, "extras": [{"a": 1}]}).encode())
    yield FuzzInput(kind, "numbers_as_keys", to_yaml({**data, 1: 2}).encode())
    many = {
        **data,
        "sub_projects": [
            {
                "number": n,
                "name": f"子项目{n}",
                "budget": Decimal("1.00"),
                "spent": Decimal("0.50"),
                "status": "已完成",
            }
            for n in range(1, 3001)
        ],
    }
    yield FuzzInput(kind, "three_thousand_sub_projects", to_yaml(many).encode())


def record_inputs() -> Iterator[FuzzInput]:
    """Malformed records: from a clean project and a self-evaluation form."""
    for base, prefix, stride in ((BASE_RECORD, "", 3), (BASE_FORM, "form:", 2)):
        data = read_yaml(base).data
        yield from _typed_values(data, "records", stride, prefix)
        for item in _record_structure(data, "records"):
            yield FuzzInput(item.kind, prefix + item.name, item.data)
    text = BASE_RECORD.read_text(encoding="utf-8")
    yield from _file_damage(text, "records")


RULE_VALUES: list[tuple[str, Any]] = [
    *HOSTILE_VALUES[:15],
    ("op_word", "greater"),
    ("param_missing", {"param": "nope"}),
    ("field_missing", {"field": "nope"}),
    ("aggregate_missing", {"aggregate": "nope"}),
    ("mul_nested", {"mul": [{"mul": [{"field": "budget"}, 2]}, 3]}),
    ("mul_nan", {"mul": [{"field": "budget"}, float("nan")]}),
    ("mul_huge", {"mul": [{"field": "budget"}, Decimal("1e30")]}),
    ("unknown_operand", {"div": [1, 0]}),
    ("deep_mul", {"mul": [{"mul": [{"mul": [{"mul": [1, 2]}, 2]}, 2]}, 2]}),
]
MESSAGES = [
    "{0}",
    "{subject.__class__}",
    "{name.__init__.__globals__}",
    "{",
    "}",
    "{name!r}",
    "{name:>999999999}",
    "{params.}",
    "{aggregates.}",
    "%s %n %x",
    "{{}}",
    "{name}{name}{name}" * 100,
    "{" * 1000,
    "{}",
    "{ name }",
    "{名称}",
]


def rule_inputs() -> Iterator[FuzzInput]:
    """Malformed rules: every value of four shipped rules, conditions, messages, structure."""
    for rule in BASE_RULES:
        path = ROOT / "rules" / rule
        data = read_yaml(path).data
        rule_id = data["id"]
        prefix = f"{rule_id}:"
        for n, leaf in enumerate(_leaves(data)):
            for k in range(3):
                label, value = RULE_VALUES[(n * 3 + k) % len(RULE_VALUES)]
                yield FuzzInput(
                    "rules",
                    f"{prefix}{_name(leaf)}={label}",
                    to_yaml(_set(data, leaf, value)).encode(),
                )
        for key in list(data):
            yield FuzzInput(
                "rules", f"{prefix}without_{key}", to_yaml(_delete(data, (key,))).encode()
            )
        for text in MESSAGES:
            for key in ("message", "recommendation"):
                yield FuzzInput(
                    "rules", f"{prefix}{key}={text[:20]}", to_yaml({**data, key: text}).encode()
                )
        for when in (
            [],
            "always",
            "sometimes",
            {},
            42,
            [[]],
            [{"any": []}],
            [{"any": [{"field": "x"}]}],
        ):
            yield FuzzInput(
                "rules",
                f"{prefix}when={json.dumps(when)}",
                to_yaml({**data, "when": when}).encode(),
            )
        for label, params in (
            ("default_nan", {"p": {"default": float("nan"), "description": "d"}}),
            ("default_huge", {"p": {"default": Decimal("1e30"), "description": "d"}}),
            (
                "min_above_max",
                {"p": {"default": 5, "minimum": 10, "maximum": 1, "description": "d"}},
            ),
            ("no_description", {"p": {"default": 5}}),
            ("list_default", {"p": {"default": [1], "description": "d"}}),
        ):
            yield FuzzInput(
                "rules", f"{prefix}params_{label}", to_yaml({**data, "params": params}).encode()
            )
        for label, aggregates in (
            ("unknown_fn", {"a": {"fn": "avg", "of": "sub_project"}}),
            ("sum_text", {"a": {"fn": "sum", "of": "sub_project", "field": "name"}}),
            (
                "minus_later",
                {
                    "a": {"fn": "count", "of": "sub_project", "minus": "b"},
                    "b": {"fn": "count", "of": "sub_project"},
                },
            ),
            ("minus_self", {"a": {"fn": "count", "of": "sub_project", "minus": "a"}}),
            ("share_of_text", {"a": {"fn": "count", "of": "sub_project", "share_of": "name"}}),
            ("unknown_kind", {"a": {"fn": "count", "of": "nothing"}}),
            (
                "where_nan",
                {
                    "a": {
                        "fn": "count",
                        "of": "sub_project",
                        "where": [{"field": "budget", "op": "eq", "value": float("nan")}],
                    }
                },
            ),
        ):
            changed = {
                **data,
                "aggregates": aggregates,
                "when": [{"field": "aggregates.a", "op": "gt", "value": 1}],
            }
            yield FuzzInput("rules", f"{prefix}aggregates_{label}", to_yaml(changed).encode())
        for label, related in (
            ("unknown_kind", [{"kind": "nothing", "as": "x"}]),
            ("no_as", [{"kind": "approval", "match": {"ref": "approval_ref"}}]),
            ("bad_match", [{"kind": "approval", "as": "x", "match": {"nope": "nada"}}]),
            ("as_twice", [{"kind": "approval", "as": "x"}, {"kind": "approval", "as": "x"}]),
            ("bad_as", [{"kind": "approval", "as": "X Y"}]),
        ):
            yield FuzzInput(
                "rules", f"{prefix}join_{label}", to_yaml({**data, "join": related}).encode()
            )
            yield FuzzInput(
                "rules", f"{prefix}absent_{label}", to_yaml({**data, "absent": related}).encode()
            )
        yield FuzzInput("rules", f"{prefix}id_mismatch", to_yaml({**data, "id": "ZZ99"}).encode())
        yield from (
            FuzzInput("rules", prefix + item.name, item.data)
            for item in _file_damage(path.read_text(encoding="utf-8"), "rules")
        )


EXAMPLE_VALUES: list[tuple[str, Any]] = [
    *HOSTILE_VALUES[:20],
    ("expect_word", "maybe"),
    ("params_unknown", {"nope": 1}),
    ("params_text", {"min_execution_pct": "80"}),
    ("params_nan", {"min_execution_pct": float("nan")}),
    ("params_huge", {"min_execution_pct": Decimal("1e30")}),
    ("params_bool", {"min_execution_pct": True}),
]


def examples_inputs() -> Iterator[FuzzInput]:
    """Malformed examples files of FN04."""
    path = ROOT / "rules" / BASE_EXAMPLES
    data = read_yaml(path).data
    for n, leaf in enumerate(_leaves(data)):
        for k in range(2):
            label, value = EXAMPLE_VALUES[(n * 2 + k) % len(EXAMPLE_VALUES)]
            yield FuzzInput(
                "examples", f"{_name(leaf)}={label}", to_yaml(_set(data, leaf, value)).encode()
            )
    first = next(iter(data["examples"]))
    for key in ("expect", "record", "subjects", "params", "message_contains", "boundary"):
        for label, value in EXAMPLE_VALUES:
            changed = _set(data, ("examples", first, key), value)
            yield FuzzInput(
                "examples", f"examples.{first}.{key}={label}", to_yaml(changed).encode()
            )
    for key in list(data):
        yield FuzzInput("examples", f"without_{key}", to_yaml(_delete(data, (key,))).encode())
    yield FuzzInput("examples", "rule_mismatch", to_yaml({**data, "rule": "TG01"}).encode())
    yield FuzzInput("examples", "no_examples", to_yaml({**data, "examples": {}}).encode())
    yield FuzzInput(
        "examples", "base_unknown_section", to_yaml({**data, "base": {"nope": []}}).encode()
    )
    yield from _file_damage(path.read_text(encoding="utf-8"), "examples")


GENERATORS = {"records": record_inputs, "rules": rule_inputs, "examples": examples_inputs}


def corpus_file(kind: str) -> Path:
    """Where the inputs of one kind are stored: JSON lines, gzipped (they repeat a lot)."""
    return CORPUS / f"{kind}.jsonl.gz"


def load(kind: str) -> list[FuzzInput]:
    """The stored corpus of one kind."""
    text = gzip.decompress(corpus_file(kind).read_bytes()).decode("utf-8")
    return [FuzzInput.from_json(kind, line) for line in text.split("\n") if line]


def save(kind: str, items: list[FuzzInput]) -> None:
    """Store the inputs of one kind (byte for byte the same for the same inputs)."""
    text = "".join(item.as_json() + "\n" for item in items).encode("utf-8")
    corpus_file(kind).write_bytes(gzip.compress(text, mtime=0))


def write() -> None:
    """Regenerate the stored corpus (keeping inputs that ``make fuzz`` added)."""
    CORPUS.mkdir(parents=True, exist_ok=True)
    for kind, generate in GENERATORS.items():
        path = corpus_file(kind)
        found = load(kind) if path.is_file() else []
        kept = [item for item in found if item.name.startswith("found:")]
        items = [*generate(), *kept]
        save(kind, items)
        print(f"{path.relative_to(ROOT)}: {len(items)} inputs")


if __name__ == "__main__":
    write()
