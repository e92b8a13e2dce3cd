"""No quadratic path: large inputs of each shape once quadratic, at n/2 and n, in one run.

Shapes (benchmarks/shapes.py): a records file whose item texts wrap over two
lines, a records file with a “key: value” slip in every item (one located problem
each), and a user phrase bank.  Each is loaded (records: parsed, cleaned and
validated, the problems located; bank: parsed, checked, duplicates looked for) at
its target size n and at n/2 (a 60,000-phrase bank would pass the 5 MB file limit); sizes and shapes are interleaved over the rounds so
that the machine's other load weighs on all alike, and each figure is the median
round in CPU time (``time.process_time``; wall time beside it).  The doubling
ratio (time at n ÷ time at n/2) is about 2 for a linear path and about 4 for a
quadratic one.

    python benchmarks/bench_scaling.py [--rounds 5] [--check] [--json]

Targets: 5,000 wrapped items and 5,000 slips each in ≤ 1 s, 30,000 phrases in ≤ 2 s,
doubling ratio ≤ 2.5.  With ``--check`` the exit status is 1 when one is missed.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import shapes

# shape → (size n, target seconds at n)
TARGETS: dict[str, tuple[int, float]] = {"wrapped": (5000, 1.0), "slips": (5000, 1.0), "bank": (30000, 2.0)}
MAX_DOUBLING = 2.5


def loader(shape: str, n: int, folder: Path) -> Callable[[], None]:
    """A call that loads one input of ``shape`` and size ``n`` (prepared here, not timed)."""
    from summarykit.drafting.phrases import load_bank
    from summarykit.errors import RecordsError
    from summarykit.records.loading import loads

    if shape == "bank":
        path = folder / f"bank-{n}.yaml"
        path.write_text(shapes.bank(n), encoding="utf-8")

        def run_bank() -> None:
            load_bank([path])

        return run_bank
    text = getattr(shapes, shape)(n)

    def run_records() -> None:
        try:
            loads(text, f"{shape}.yaml")
        except RecordsError as exc:
            if shape != "slips" or len(exc.problems) != n:
                raise

    return run_records


def measure(rounds: int) -> dict[str, Any]:
    runs: dict[tuple[str, int], Callable[[], None]] = {}
    with tempfile.TemporaryDirectory() as folder:
        for shape, (n, _) in TARGETS.items():
            for size in (n // 2, n):
                runs[(shape, size)] = loader(shape, size, Path(folder))
                runs[(shape, size)]()  # warm: imports, the built-in bank
        times: dict[tuple[str, int], list[tuple[float, float]]] = {key: [] for key in runs}
        for _ in range(rounds):
            for key, run in runs.items():
                cpu, wall = time.process_time(), time.perf_counter()
                run()
                times[key].append((time.process_time() - cpu, time.perf_counter() - wall))
    result: dict[str, Any] = {"rounds": rounds, "loadavg": _loadavg(), "python": sys.version.split()[0], "shapes": {}}
    for shape, (n, target) in TARGETS.items():
        at_half, at_n = times[(shape, n // 2)], times[(shape, n)]
        cpu_half, cpu_n = (statistics.median(c for c, _ in t) for t in (at_half, at_n))
        ratios = sorted(b[0] / a[0] for a, b in zip(at_half, at_n, strict=True))
        result["shapes"][shape] = {
            "n": n, "target_s": target, "cpu_s": round(cpu_n, 3), "cpu_half_s": round(cpu_half, 3),
            "wall_s": round(statistics.median(w for _, w in at_n), 3),
            "doubling": round(cpu_n / cpu_half, 2), "doubling_range": [round(ratios[0], 2), round(ratios[-1], 2)],
            "ok": cpu_n <= target and cpu_n / cpu_half <= MAX_DOUBLING,
        }
    return result


def _loadavg() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:  # not Linux
        return "?" if not hasattr(os, "getloadavg") else " ".join(f"{x:.2f}" for x in os.getloadavg())


_NAMES = {"wrapped": "值折行的记录", "slips": "每条都被读成“键: 值”的记录", "bank": "用户常用语库"}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="大输入不走平方级路径：各形状在 n/2 与 n 下的耗时")
    parser.add_argument("--rounds", type=int, default=5, help="交替测量的轮数（取中位数）")
    parser.add_argument("--check", action="store_true", help="未达标时以状态码 1 退出")
    parser.add_argument("--json", action="store_true", help="以 JSON 输出")
    args = parser.parse_args(argv)
    result = measure(args.rounds)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        print(f"机器负载（1/5/15 分钟）：{result['loadavg']}；{args.rounds} 轮，CPU 时间中位数")
        for shape, r in result["shapes"].items():
            low, high = r["doubling_range"]
            print(f"{_NAMES[shape]}：{r['n']} 项 {r['cpu_s']:.3f} s（墙钟 {r['wall_s']:.3f} s，目标 ≤ {r['target_s']} s）；"
                  f"{r['n'] // 2} 项 {r['cpu_half_s']:.3f} s；加倍比 {r['doubling']}（{low}–{high}，目标 ≤ {MAX_DOUBLING}）"
                  f"{'' if r['ok'] else '  未达标'}")
    return 1 if args.check and not all(r["ok"] for r in result["shapes"].values()) else 0


if __name__ == "__main__":
    sys.exit(main())
