"""Command-line cold start: `summarykit --help`, `validate` and one `render`, against pandoc, in one run.

Every command is a fresh process, as a user runs it, timed by wall clock from
spawn to exit; the commands take turns round after round so that the machine's
other load weighs on all alike, and each figure is the median round (the spread,
lowest–highest, beside it).  The peer for `render` is Debian's pandoc turning
the *same content* into DOCX: the Markdown summarykit writes for the sample
(``summarykit render … -o x.md``), prepared before timing.  ``python -c pass``
is timed too, as the floor any Python program pays.  PYTHONDONTWRITEBYTECODE is
removed from the commands' environment, so that compiled modules are kept as in
a normal installation.

    python benchmarks/bench_cli.py [--rounds 15] [--check] [--json]

Targets: `--help` and `validate` ≤ 150 ms; `render` ≤ 2 × pandoc.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "sample_data" / "school_term.yaml"
HELP_VALIDATE_MS = 150.0
PANDOC_RATIO = 2.0


def _summarykit() -> list[str]:
    """The installed entry point next to this Python (as users run it), else ``python -m`` of the CLI module."""
    script = Path(sys.executable).with_name("summarykit")
    return [str(script)] if script.is_file() else [sys.executable, "-c",
                                                    "import sys; from summarykit.cli.main import main; sys.exit(main())"]


def _loadavg() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


# As a user's shell runs them: with compiled modules (__pycache__) kept, which PYTHONDONTWRITEBYTECODE
# (set in some containers) would prevent, making every start compile summarykit's sources again.
_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def _ms(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=_ENV)
    return (time.perf_counter() - start) * 1000


def measure(rounds: int) -> dict[str, Any]:
    sk = _summarykit()
    pandoc = shutil.which("pandoc")
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)
        subprocess.run([*sk, "render", str(SAMPLE), "-o", str(out / "same.md")], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=_ENV)
        commands = {
            "python -c pass": [sys.executable, "-c", "pass"],
            "summarykit --help": [*sk, "--help"],
            "summarykit validate": [*sk, "validate", str(SAMPLE)],
            "summarykit render": [*sk, "render", str(SAMPLE), "-o", str(out / "a.docx")],
        }
        if pandoc:
            commands["pandoc"] = [pandoc, str(out / "same.md"), "-o", str(out / "b.docx")]
        for command in commands.values():
            _ms(command)  # warm: the OS file cache, the phrase-word cache
        load_before = _loadavg()
        times: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(rounds):
            for name, command in commands.items():
                times[name].append(_ms(command))
    result: dict[str, Any] = {"rounds": rounds, "loadavg_before": load_before, "loadavg_after": _loadavg(),
                              "commands": {}}
    for name, values in times.items():
        result["commands"][name] = {"median_ms": round(statistics.median(values), 1),
                                    "range_ms": [round(min(values), 1), round(max(values), 1)]}
    if pandoc:
        ratios = sorted(r / p for r, p in zip(times["summarykit render"], times["pandoc"], strict=True))
        result["render_vs_pandoc"] = round(statistics.median(ratios), 2)
        result["render_vs_pandoc_range"] = [round(ratios[0], 2), round(ratios[-1], 2)]
    return result


def ok(result: dict[str, Any]) -> bool:
    commands = result["commands"]
    fast = all(commands[n]["median_ms"] <= HELP_VALIDATE_MS for n in ("summarykit --help", "summarykit validate"))
    return fast and result.get("render_vs_pandoc", 0) <= PANDOC_RATIO


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="命令行冷启动：--help、validate、render 对比 pandoc")
    parser.add_argument("--rounds", type=int, default=15, help="交替测量的轮数（取中位数）")
    parser.add_argument("--check", action="store_true", help="未达标时以状态码 1 退出")
    parser.add_argument("--json", action="store_true", help="以 JSON 输出")
    args = parser.parse_args(argv)
    result = measure(args.rounds)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        print(f"机器负载（1/5/15 分钟）：测量前 {result['loadavg_before']}，测量后 {result['loadavg_after']}；"
              f"{args.rounds} 轮，墙钟中位数（最低–最高）")
        for name, r in result["commands"].items():
            print(f"  {name:22} {r['median_ms']:7.1f} ms（{r['range_ms'][0]}–{r['range_ms'][1]}）")
        if "render_vs_pandoc" in result:
            low, high = result["render_vs_pandoc_range"]
            print(f"render ÷ pandoc：{result['render_vs_pandoc']}（{low}–{high}；目标 ≤ {PANDOC_RATIO}）")
        print(f"目标：--help、validate ≤ {HELP_VALIDATE_MS:g} ms")
    return 1 if args.check and not ok(result) else 0


if __name__ == "__main__":
    sys.exit(main())
