"""The run record: what produced a report, so a reader can tell two reports apart and redo one.

Why hashes and not paths: a report travels (mailed, archived); the paths of the
writer's machine mean nothing to its reader, but the sha256 of each input file,
of the rule pack and of the profile identify exactly what was checked and how.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from compliance import __version__
from compliance.checking.checker import CheckRun
from compliance.records.loading import NOT_RECORDS, RECORD_SUFFIXES
from compliance.rules.pack import RulePack


@dataclass(frozen=True)
class InputFile:
    """One file that was read, by the name a reader can recognise, and its sha256."""

    name: str
    sha256: str


@dataclass(frozen=True)
class RunRecord:
    """Time, tool version, rule-pack and profile hashes, ``--set`` parameters and input hashes."""

    time: str
    version: str
    rules: str
    rules_sha256: str
    rule_count: int
    profiles: tuple[InputFile, ...] = ()
    settings: tuple[tuple[str, str], ...] = ()
    inputs: tuple[InputFile, ...] = field(default_factory=tuple)

    def to_json(self) -> dict[str, Any]:
        """The record as plain data (SARIF ``invocations[].properties.runRecord``)."""
        return {
            "time": self.time,
            "toolVersion": self.version,
            "rules": self.rules,
            "rulesSha256": self.rules_sha256,
            "ruleCount": self.rule_count,
            "profiles": [{"name": p.name, "sha256": p.sha256} for p in self.profiles],
            "settings": dict(self.settings),
            "inputs": [{"name": i.name, "sha256": i.sha256} for i in self.inputs],
        }

    def rows(self) -> list[tuple[str, str]]:
        """Label–value pairs for a report's 运行记录 table."""
        rows = [
            ("生成时间", self.time),
            ("工具版本", f"compliance {self.version}"),
            ("规则包", f"{self.rules}（{self.rule_count}条规则）sha256:{self.rules_sha256}"),
        ]
        rows += [(f"评分方案 {p.name}", f"sha256:{p.sha256}") for p in self.profiles]
        settings = "；".join(f"{k}={v}" for k, v in self.settings) or "无（均为默认值）"
        rows.append(("调整的参数（--set）", settings))
        rows += [(f"输入文件 {i.name}", f"sha256:{i.sha256}") for i in self.inputs]
        return rows


def file_sha256(path: Path) -> str:
    """Hex sha256 of a file's bytes."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _shown(path: Path) -> str:
    """A name that travels: the file with its folder (the case), never the writer's full path."""
    return f"{path.parent.name}/{path.name}" if path.parent.name else path.name


def pack_sha256(pack: RulePack) -> str:
    """One hash over every YAML file of the pack folder, each named by its path inside it."""
    root = Path(pack.root)
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*.yaml")) if root.is_dir() else []:
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _origin_files(origin: Path) -> list[Path]:
    if origin.is_dir():
        return sorted(
            p
            for p in origin.iterdir()
            if p.is_file() and p.suffix in RECORD_SUFFIXES and p.name not in NOT_RECORDS
        )
    return [origin] if origin.is_file() else []


def input_files(run: CheckRun) -> list[Path]:
    """Every record file of every project, once each (folder files, then any other located)."""
    seen: dict[Path, None] = {}
    for result in run.results:
        for path in _origin_files(Path(result.origin)):
            seen.setdefault(path.resolve(), None)
        records = result.project.records if result.project else []
        located = [r.location for r in records] + [
            result.project.info.location if result.project else None
        ]
        located += [p.location for p in result.problems]
        for where in located:
            if where is not None and where.file:
                path = Path(where.file)
                if path.is_file():
                    seen.setdefault(path.resolve(), None)
    return list(seen)


def make_run_record(
    run: CheckRun,
    profiles: Iterable[str] = (),
    settings: Mapping[str, str] | Iterable[tuple[str, str]] = (),
    now: datetime | None = None,
) -> RunRecord:
    """Record a run: ``profiles`` are the profile files used, ``settings`` the ``--set`` pairs."""
    pairs = settings.items() if isinstance(settings, Mapping) else settings
    moment = (now or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    profile_files = [Path(p) for p in dict.fromkeys(profiles)]
    return RunRecord(
        time=moment.isoformat().replace("+00:00", "Z"),
        version=__version__,
        rules=Path(run.pack.root).name or run.pack.root,
        rules_sha256=pack_sha256(run.pack),
        rule_count=len(run.pack.rules),
        profiles=tuple(InputFile(p.name, file_sha256(p)) for p in profile_files if p.is_file()),
        settings=tuple(sorted(pairs)),
        inputs=tuple(InputFile(_shown(p), file_sha256(p)) for p in input_files(run)),
    )
