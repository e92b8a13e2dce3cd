"""What ``import summarykit`` adds to a program's start-up, measured in fresh processes.

Each round starts a bare interpreter (``python -c pass``) and one that imports
summarykit, alternating so that machine noise weighs on both alike; the figure
is the difference of the medians.  Target: at most 150 ms.

    python benchmarks/bench_import.py [--rounds 15] [--check] [--json]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time

TARGET_MS = 150.0


def startup_ms(code: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True)
    return (time.perf_counter() - start) * 1000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="测量 import summarykit 增加的启动时间")
    parser.add_argument("--rounds", type=int, default=15, help="轮数（取中位数）")
    parser.add_argument("--check", action="store_true", help=f"超过 {TARGET_MS:.0f} ms 时以状态码 1 退出")
    parser.add_argument("--json", action="store_true", help="以 JSON 输出")
    args = parser.parse_args(argv)
    startup_ms("import summarykit")  # the first run may compile bytecode: not counted
    bare: list[float] = []
    imported: list[float] = []
    for _ in range(args.rounds):
        bare.append(startup_ms("pass"))
        imported.append(startup_ms("import summarykit"))
    added = statistics.median(imported) - statistics.median(bare)
    result = {"python_ms": round(statistics.median(bare), 1), "import_summarykit_ms": round(statistics.median(imported), 1),
              "added_ms": round(added, 1), "target_ms": TARGET_MS, "rounds": args.rounds}
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        print(f"空解释器启动：{result['python_ms']} ms；import summarykit：{result['import_summarykit_ms']} ms")
        print(f"import summarykit 增加：{result['added_ms']} ms（目标 ≤ {TARGET_MS:.0f} ms）")
    return 1 if args.check and added > TARGET_MS else 0


if __name__ == "__main__":
    sys.exit(main())
