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
200 MB peak per worker.

    python benchmarks/bench_batch.py [--reports 1000] [--jobs 2] [--check] [--json]
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


def make_inputs(folder: Path, count: int) -> list[Path]:
    text = SAMPLE.read_text(encoding="utf-8")
    folder.mkdir(parents=True)
    paths = []
    for i in range(count):
        path = folder / f"unit{i:04d}.yaml"
        path.write_text(text.replace("  organization: 某某中学\n", f"  organization: 某某中学\n  department: 第{i}部门\n", 1),
                        encoding="utf-8")
        paths.append(path)
    return paths


def measure(reports: int, jobs: int) -> dict[str, Any]:
    import summarykit as sk

    with tempfile.TemporaryDirectory(prefix="summarykit-bench-") as temp:
        folder = Path(temp)
        inputs = make_inputs(folder / "in", reports)
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
        "target_seconds": TARGET_SECONDS, "target_mb": TARGET_MB,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="批量生成的耗时与每个工作进程的内存峰值")
    parser.add_argument("--reports", type=int, default=1000, help="报告份数（默认 1000）")
    parser.add_argument("--jobs", type=int, default=2, help="进程数（默认 2）")
    parser.add_argument("--check", action="store_true", help="超过目标时以状态码 1 退出")
    parser.add_argument("--json", action="store_true", help="以 JSON 输出")
    args = parser.parse_args(argv)
    result = measure(args.reports, args.jobs)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        print(f"{result['reports']} 份（DOCX），{result['jobs']} 个进程，{result['cpus']} 个 CPU：")
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
