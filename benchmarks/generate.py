"""Generate N realistic self-evaluation forms (and optionally evaluations) for benchmarks.

Usage: .venv/bin/python benchmarks/generate.py OUT_DIR N [--seed 20240601] [--evaluations 0.0]

Each form starts from one of the written self-evaluation cases in ``cases/`` (both
layouts: the central 全年预算数 | 全年执行数 one and the provincial 调整后预算数 |
预算执行数 | 原因 one with 指标性质 and 度量单位; indicators of every kind: quantities,
percentages, deadlines, costs, qualitative words) and is varied with a fixed seed:
another project name and department, money scaled by a whole factor (so every
stated ratio stays exact and the funds rules fire as on the case), and indicator
rows whose actual value is left blank or whose evidence column is filled in at
random (per row and per form), so the output and evidence rules fire at rates near the cases'.
``--evaluations`` is the share of evaluated projects (the other cases, all sections
in one file). Files go to ``OUT_DIR/NNNN/`` in folders of 1,000, one project a file.
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import random
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
CASES = ROOT / "cases"
SEED = 20240601
PER_FOLDER = 1000

PROJECT_MONEY = ("budget", "spent", "funds_arrived")
FUNDS_MONEY = ("年初预算数", "全年预算数", "全年执行数", "年初预算", "调整后预算数", "预算执行数")
FACTORS = (1, 1, 1, 2, 3, 5, 10, 20)
DEPARTMENTS = (
    "示例市教育局",
    "示例县卫生健康局",
    "示例区民政局",
    "示例市交通运输局",
    "示例县农业农村局",
    "示例市城市管理局",
    "示例区文化和旅游局",
    "示例县水利局",
)
ACTUAL_KEYS = ("实际完成值", "actual")
BLANK_ACTUAL = 0.03
"""Chance that an indicator row's actual value is left blank."""
ADD_EVIDENCE = 0.1
"""Chance that a form gets its evidence column filled in on every row."""


Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def _read(folder: Path) -> dict[str, Any]:
    """All sections of a case folder merged into one mapping."""
    merged: dict[str, Any] = {}
    for file in sorted(folder.glob("*.yaml")):
        if file.name == "expected.yaml":
            continue
        merged.update(yaml.load(file.read_text(encoding="utf-8"), Loader=Loader) or {})
    return merged


def templates() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The self-evaluation forms and the evaluated projects of ``cases/``."""
    forms, evaluations = [], []
    for folder in sorted(p for p in CASES.iterdir() if p.is_dir()):
        data = _read(folder)
        (forms if "form" in data else evaluations).append(data)
    return forms, evaluations


def _scale(value: Any, factor: int) -> Any:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return round(value * factor, 2)
    return value


def vary_form(template: dict[str, Any], number: int, rng: random.Random) -> dict[str, Any]:
    """One form: the template under another name, department and money scale."""
    data = copy.deepcopy(template)
    factor = rng.choice(FACTORS)
    project = data["project"]
    project["name"] = f"{project['name']}（第{number}号）"
    project["department"] = rng.choice(DEPARTMENTS)
    for key in PROJECT_MONEY:
        if key in project:
            project[key] = _scale(project[key], factor)
    for row in data.get("form_funds", []):
        for key in FUNDS_MONEY:
            if key in row:
                row[key] = _scale(row[key], factor)
    with_evidence = rng.random() < ADD_EVIDENCE
    for row in data.get("indicators", []):
        actual = next((k for k in ACTUAL_KEYS if row.get(k)), None)
        if actual is not None and rng.random() < BLANK_ACTUAL:
            row[actual] = ""  # a blank cell, which the form shows (not an unknown)
        if with_evidence and not row.get("evidence"):
            row["evidence"] = f"{row.get('三级指标', '指标')}佐证材料"
    return data


def vary_evaluation(template: dict[str, Any], number: int, rng: random.Random) -> dict[str, Any]:
    """One evaluated project: the template under another name and department."""
    data = copy.deepcopy(template)
    data["project"]["name"] = f"{data['project']['name']}（第{number}号）"
    data["project"]["department"] = rng.choice(DEPARTMENTS)
    return data


def generate(count: int, seed: int = SEED, evaluations: float = 0.0) -> Iterator[dict[str, Any]]:
    """``count`` projects, the same for the same seed."""
    forms, evals = templates()
    rng = random.Random(seed)
    for number in range(1, count + 1):
        if evals and rng.random() < evaluations:
            yield vary_evaluation(rng.choice(evals), number, rng)
        else:
            yield vary_form(rng.choice(forms), number, rng)


def fingerprint(count: int, seed: int, evaluations: float) -> str:
    """What the generated files depend on: this script, the cases, the parameters."""
    digest = hashlib.sha1(Path(__file__).read_bytes())
    for file in sorted(CASES.rglob("*.yaml")):
        digest.update(file.read_bytes())
    digest.update(f"{count}:{seed}:{evaluations}".encode())
    return digest.hexdigest()


def ensure(out: Path, count: int, seed: int = SEED, evaluations: float = 0.0) -> list[Path]:
    """The projects under ``out``, generated again unless they are up to date."""
    stamp = out / ".fingerprint"
    wanted = fingerprint(count, seed, evaluations)
    if stamp.is_file() and stamp.read_text() == wanted:
        return sorted(out.glob("*/*.yaml"))
    if out.exists():
        shutil.rmtree(out)
    files = write(out, count, seed, evaluations)
    stamp.write_text(wanted)
    return files


def write(out: Path, count: int, seed: int = SEED, evaluations: float = 0.0) -> list[Path]:
    """Write the projects under ``out``; return their files in order."""
    files = []
    for number, data in enumerate(generate(count, seed, evaluations), start=1):
        folder = out / f"{(number - 1) // PER_FOLDER:04d}"
        if (number - 1) % PER_FOLDER == 0:
            folder.mkdir(parents=True, exist_ok=True)
        file = folder / f"form-{number:06d}.yaml"
        file.write_text(
            yaml.dump(data, Dumper=Dumper, allow_unicode=True, sort_keys=False, width=120),
            encoding="utf-8",
        )
        files.append(file)
    return files


def main() -> None:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("count", type=int)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--evaluations", type=float, default=0.0)
    args = parser.parse_args()
    files = write(args.out, args.count, args.seed, args.evaluations)
    print(f"{len(files)} projects in {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
