"""Measure the YAML reader: the seed case and a 1,000-sub-project file (a benchmark, not a test).

Usage: .venv/bin/python benchmarks/bench_yaml.py [ROUNDS]
Prints the best of ROUNDS (default 5) wall-clock times in milliseconds for parsing
(``read_yaml``) and for the whole load (``load_project``: parsing and the record models).
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from compliance.core.yamlfile import read_yaml
from compliance.records.loading import load_project

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "cases" / "qingdao-egov-2020"

SUB_PROJECT = """\
  - number: {n}
    area: A1
    department: 电子政务处
    name: 运维服务{n}
    content: 对青岛政务网、政府门户网站群平台内部门户网站进行运维
    work_kind: 运维
    budget: 11.00
    spent: 10.50
    status: 已完成
    completion: 共维护系统模块20个，服务期限内各系统未发生故障，验收合格
    source: 表1-1 第{n}行
"""


def big_file(folder: Path, count: int) -> Path:
    """A record file with ``count`` sub-projects."""
    text = (
        "project: {name: 大项目, year: 2020, department: 某局, evaluation_kind: 第三方评价, "
        f"budget: {11 * count}.00, spent: {Decimal('10.5') * count}}}\n"
        "sub_projects:\n" + "".join(SUB_PROJECT.format(n=n) for n in range(1, count + 1))
    )
    path = folder / f"big{count}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def best_ms(action: Callable[[], object], rounds: int) -> float:
    """The fastest of ``rounds`` runs, in milliseconds."""
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return min(times)


def main() -> None:
    """Print the times."""
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    seed_files = sorted(p for p in SEED.glob("*.yaml") if p.name != "expected.yaml")
    with tempfile.TemporaryDirectory() as tmp:
        big = big_file(Path(tmp), 1000)
        rows = [
            ("seed case: parse 6 files", lambda: [read_yaml(p) for p in seed_files]),
            ("seed case: load_project", lambda: load_project(SEED)),
            (
                f"1,000 sub-projects ({big.stat().st_size // 1024} KiB): parse",
                lambda: read_yaml(big),
            ),
            ("1,000 sub-projects: load_project", lambda: load_project(big)),
        ]
        for label, action in rows:
            print(f"{label:45} {best_ms(action, rounds):9.1f} ms")


if __name__ == "__main__":
    main()
