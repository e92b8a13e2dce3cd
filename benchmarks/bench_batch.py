"""A batch of many reports in a process pool: wall time, and peak memory of each worker.

1,000 copies of sample_data/school_term.yaml (each with its own department, so
each is a different report) are rendered to DOCX with ``render_many`` and 2
jobs.  The wall time runs from the call to its return (pool start-up, warming
and writing included, Python's own start-up not).  While it runs, a thread
reads each worker's peak resident memory (VmHWM in /proc, Linux) and its
resident memory after the first tenth of the run and at the end, which shows
whether memory stays flat.  Elsewhere only the largest child's peak is shown
(getrusage).  A small batch runs first so that the phrase-word cache on disk is
warm, as it is after the first run on any machine.

Targets: under 6 s for 1,000 reports with 2 jobs on a 2-core machine; under
200 MB peak per worker (issue 18: 60 MB, flat over 5,000 reports; ``keywords:
auto`` — jieba in every worker — adding at most 20 MB).

``--compare`` runs 1 job and 2 jobs in turns, round after round, on the same
inputs (fresh output folders), and prints the medians, the spread and the
throughput ratio (1-job time ÷ 2-job time, per round) with the machine's load
before and after: on a 2-core machine shared with other work the ratio says as
much about the others as about the batch, so the load is part of the figure.
One job renders in this process (no pool), as ``render_many(jobs=1)`` does.  Beside each time,
CPU seconds ÷ wall seconds says how many cores the run actually got: 2 jobs getting about one
core while 1 job gets most of one means the machine, not the batch, is the limit.  Each round
also times the same pure-Python loop in 1 process and split over 2 (nothing shared, nothing
waiting): the most any batch could gain on the machine at that moment.
``--keywords-auto`` adds ``keywords: auto`` to every input.

    python benchmarks/bench_batch.py [--reports 1000] [--jobs 2] [--keywords-auto] [--check] [--json]
    python benchmarks/bench_batch.py --compare [--reports 500] [--rounds 3] [--keywords-auto]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "sample_data" / "school_term.yaml"
TARGET_SECONDS = 6.0
TARGET_MB = 200.0


def _children(pid: int) -> list[int]:
    found: list[int] = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as handle:
                found.extend(int(p) for p in handle.read().split())
    except OSError:
        pass
    return found


def _status_mb(pid: int) -> dict[str, float]:
    values: dict[str, float] = {}
    try:
        with open(f"/proc/{pid}/status") as handle:
            for line in handle:
                key, _, rest = line.partition(":")
                if key in {"VmHWM", "VmRSS"}:
                    values[key] = int(rest.split()[0]) / 1024
    except OSError:
        pass
    return values


class StateWatch(threading.Thread):
    """Samples the workers' scheduler state every 5 ms (Linux): R runnable, S sleeping (waiting on a pipe,
    a lock...), D disk.  Workers that are runnable nearly all the time are limited by the CPUs they get,
    not by anything in the batch that makes them wait for each other."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.states: dict[str, int] = {}
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            for pid in _children(os.getpid()):
                try:
                    with open(f"/proc/{pid}/stat") as handle:
                        state = handle.read().rpartition(")")[2].split()[0]
                except (OSError, IndexError):
                    continue
                self.states[state] = self.states.get(state, 0) + 1
            self.stop.wait(0.005)

    def runnable_share(self) -> float | None:
        total = sum(self.states.values())
        return round(self.states.get("R", 0) / total, 3) if total else None


class MemoryWatch(threading.Thread):
    """Samples the workers' memory every 20 ms (Linux only; elsewhere it stays empty)."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.samples: dict[int, list[tuple[float, dict[str, float]]]] = {}
        self.stop = threading.Event()

    def run(self) -> None:
        start = time.perf_counter()
        while not self.stop.is_set():
            for pid in _children(os.getpid()):
                status = _status_mb(pid)
                if status:
                    self.samples.setdefault(pid, []).append((time.perf_counter() - start, status))
            self.stop.wait(0.02)


def _cpu_seconds() -> float:
    """CPU time of this process and its finished children: a figure that other load on the machine inflates less."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _loadavg() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


def make_inputs(folder: Path, count: int, keywords_auto: bool = False) -> list[Path]:
    text = SAMPLE.read_text(encoding="utf-8")
    if keywords_auto:
        text = text.replace("meta:\n", "keywords: auto\nmeta:\n", 1)
    folder.mkdir(parents=True)
    paths = []
    for i in range(count):
        path = folder / f"unit{i:04d}.yaml"
        path.write_text(text.replace("  organization: 某某中学\n", f"  organization: 某某中学\n  department: 第{i}部门\n", 1),
                        encoding="utf-8")
        paths.append(path)
    return paths


def measure(reports: int, jobs: int, keywords_auto: bool = False) -> dict[str, Any]:
    import summarykit as sk

    with tempfile.TemporaryDirectory(prefix="summarykit-bench-") as temp:
        folder = Path(temp)
        inputs = make_inputs(folder / "in", reports, keywords_auto)
        sk.render_many(inputs[:4], folder / "warm", jobs=2)  # the on-disk phrase-word cache, as after any first run
        watch = MemoryWatch()
        watch.start()
        before = _cpu_seconds()
        start = time.perf_counter()
        result = sk.render_many(inputs, folder / "out", jobs=jobs)
        seconds = time.perf_counter() - start
        cpu = _cpu_seconds() - before
        watch.stop.set()
        watch.join()
        written = len(list((folder / "out").iterdir()))
    workers = []
    for pid, samples in sorted(watch.samples.items()):
        duration = samples[-1][0] - samples[0][0]
        early = next((s for t, s in samples if t - samples[0][0] >= duration / 10), samples[0][1])
        workers.append({"pid": pid, "peak_mb": round(max(s.get("VmHWM", 0) for _, s in samples), 1),
                        "rss_after_tenth_mb": round(early.get("VmRSS", 0), 1),
                        "rss_at_end_mb": round(samples[-1][1].get("VmRSS", 0), 1), "samples": len(samples)})
    children_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # KiB on Linux
    peak = max([w["peak_mb"] for w in workers] or [children_peak])
    return {
        "reports": reports, "jobs": result.jobs, "written": written, "failed": len(result.failures),
        "seconds": round(seconds, 2), "per_report_ms": round(seconds / reports * 1000, 2),
        "cpu_seconds": round(cpu, 2), "cpu_per_report_ms": round(cpu / reports * 1000, 2),
        "peak_worker_mb": round(peak, 1), "workers": workers, "cpus": os.cpu_count(),
        "target_seconds": TARGET_SECONDS, "target_mb": TARGET_MB, "loadavg": _loadavg(),
        "keywords_auto": keywords_auto,
    }


def _spin(count: int) -> int:
    total = 0
    for i in range(count):
        total += i
    return total


def spin_speedup(count: int = 20_000_000) -> float:
    """The speed-up the machine gives right now: the same pure-Python work in 1 process, then split over 2.

    Nothing is shared, nothing waits: whatever 2 processes gain here is the most a batch could gain.
    """
    import concurrent.futures as futures

    start = time.perf_counter()
    _spin(count)
    one = time.perf_counter() - start
    with futures.ProcessPoolExecutor(max_workers=2) as pool:
        list(pool.map(_spin, [1, 1]))  # started before timing, as the batch's pool is warmed
        start = time.perf_counter()
        list(pool.map(_spin, [count // 2, count - count // 2]))
        two = time.perf_counter() - start
    return one / two


def compare(reports: int, rounds: int, keywords_auto: bool = False) -> dict[str, Any]:
    """1 job and 2 jobs in turns on the same inputs; medians, spread and the per-round throughput ratio."""
    import statistics

    import summarykit as sk

    times: dict[int, list[float]] = {1: [], 2: []}
    spins: list[float] = []
    cores: dict[int, list[float]] = {1: [], 2: []}  # CPU seconds ÷ wall seconds: the cores the run got
    states = StateWatch()
    load_before = _loadavg()
    with tempfile.TemporaryDirectory(prefix="summarykit-bench-") as temp:
        folder = Path(temp)
        inputs = make_inputs(folder / "in", reports, keywords_auto)
        sk.render_many(inputs[:4], folder / "warm", jobs=2)
        for index in range(rounds):
            spins.append(spin_speedup())
            for jobs in ((1, 2) if index % 2 == 0 else (2, 1)):  # alternate who goes first
                if jobs == 2 and not states.is_alive():
                    states.start()
                cpu, start = _cpu_seconds(), time.perf_counter()
                result = sk.render_many(inputs, folder / f"out-{index}-{jobs}", jobs=jobs)
                times[jobs].append(time.perf_counter() - start)
                cores[jobs].append((_cpu_seconds() - cpu) / times[jobs][-1])
                assert result.ok and len(result.written) == reports
    states.stop.set()
    ratios = sorted(a / b for a, b in zip(times[1], times[2], strict=True))
    return {
        "reports": reports, "rounds": rounds, "keywords_auto": keywords_auto, "cpus": os.cpu_count(),
        "loadavg_before": load_before, "loadavg_after": _loadavg(),
        "jobs": {str(j): {"median_s": round(statistics.median(v), 2), "range_s": [round(min(v), 2), round(max(v), 2)],
                          "cores_used": round(statistics.median(cores[j]), 2)}
                 for j, v in times.items()},
        "speedup": round(statistics.median(ratios), 2), "speedup_range": [round(ratios[0], 2), round(ratios[-1], 2)],
        "worker_states": states.states, "worker_runnable_share": states.runnable_share(),
        "machine_speedup": round(statistics.median(spins), 2), "machine_speedup_range": [round(min(spins), 2),
                                                                                         round(max(spins), 2)],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="批量生成的耗时与每个工作进程的内存峰值")
    parser.add_argument("--reports", type=int, default=1000, help="报告份数（默认 1000）")
    parser.add_argument("--jobs", type=int, default=2, help="进程数（默认 2）")
    parser.add_argument("--keywords-auto", action="store_true", help="每份记录都写 keywords: auto（工作进程要用 jieba）")
    parser.add_argument("--compare", action="store_true", help="1 个进程与 2 个进程交替测量，给出吞吐比")
    parser.add_argument("--rounds", type=int, default=3, help="--compare 的轮数（默认 3）")
    parser.add_argument("--check", action="store_true", help="超过目标时以状态码 1 退出")
    parser.add_argument("--json", action="store_true", help="以 JSON 输出")
    args = parser.parse_args(argv)
    if args.compare:
        found = compare(args.reports, args.rounds, args.keywords_auto)
        if args.json:
            print(json.dumps(found, ensure_ascii=False, indent=2))
        else:
            print(f"{found['reports']} 份 × {found['rounds']} 轮，{found['cpus']} 个 CPU，"
                  f"机器负载（1/5/15 分钟）：测量前 {found['loadavg_before']}，测量后 {found['loadavg_after']}"
                  + ("；keywords: auto" if found["keywords_auto"] else ""))
            for jobs, r in found["jobs"].items():
                print(f"  {jobs} 个进程：中位数 {r['median_s']} 秒（{r['range_s'][0]}–{r['range_s'][1]}），"
                      f"CPU 时间 ÷ 墙钟 = {r['cores_used']}（得到的核数）")
            if found["worker_runnable_share"] is not None:
                print(f"  工作进程处于可运行状态（R）的采样比例：{found['worker_runnable_share']:.1%}"
                      f"（{found['worker_states']}；S 为等待管道、锁等）")
            low, high = found["speedup_range"]
            print(f"  吞吐比（1 个进程的用时 ÷ 2 个进程的用时）：{found['speedup']}（{low}–{high}；目标 ≥ 1.6）")
            low, high = found["machine_speedup_range"]
            print(f"  对照：同样的纯 Python 计算分给 2 个进程的加速比 {found['machine_speedup']}（{low}–{high}），"
                  "即此刻机器能给的上限")
        return 1 if args.check and found["speedup"] < 1.6 else 0
    result = measure(args.reports, args.jobs, args.keywords_auto)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        print(f"{result['reports']} 份（DOCX），{result['jobs']} 个进程，{result['cpus']} 个 CPU，"
              f"负载 {result['loadavg']}" + ("，keywords: auto" if result["keywords_auto"] else "") + "：")
        print(f"  用时 {result['seconds']} 秒（每份 {result['per_report_ms']} ms），"
              f"已生成 {result['written']} 份，失败 {result['failed']} 份（目标 < {TARGET_SECONDS:.0f} 秒）")
        print(f"  CPU 时间合计 {result['cpu_seconds']} 秒（每份 {result['cpu_per_report_ms']} ms，含进程启动和预热）")
        for worker in result["workers"]:
            print(f"  进程 {worker['pid']}：内存峰值 {worker['peak_mb']} MB，"
                  f"运行十分之一时 {worker['rss_after_tenth_mb']} MB，结束时 {worker['rss_at_end_mb']} MB")
        print(f"  每个工作进程的内存峰值最大为 {result['peak_worker_mb']} MB（目标 < {TARGET_MB:.0f} MB）")
    ok = result["seconds"] < TARGET_SECONDS and result["peak_worker_mb"] < TARGET_MB and not result["failed"]
    return 1 if args.check and not ok else 0


if __name__ == "__main__":
    sys.exit(main())
