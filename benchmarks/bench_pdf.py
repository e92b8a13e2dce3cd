"""PDFs through one resident LibreOffice against one LibreOffice per document, side by side in one run.

Each side runs in a fresh Python process, so its time includes everything a
user waits for: Python and summarykit start-up, loading and composing the
records, writing the DOCX, starting LibreOffice (the resident one once; the
other once per document) and, for the resident one, ending it at exit.  The
documents are made the way a user makes them: ``sk.render(path, format="pdf",
seed=…)`` in a loop (sample_data/school_term.yaml with seeds 1…20, so each is a
different document).  Per-document conversion is slow (1.5–2 s), so that side
converts fewer documents and its time is scaled to 20; the rounds alternate
the sides so that the machine's other load weighs on all alike, and each figure
is the median round (wall time).

``--batch`` adds ``summarykit batch --format pdf`` over 20 inputs (copies of the
sample, each with its own department) with 1 and with 2 jobs: each worker has
its own resident LibreOffice (and its own cached profile).

``--against SRC`` runs this source and another (main's ``src`` folder, say) in
turns in every round — one ``summarykit render -o x.pdf``, 20 ``sk.render``, and
the batch with 1 and 2 jobs — and prints each side's median and the per-round
ratio new ÷ old, which the machine's other load skews least.

    python benchmarks/bench_pdf.py [--documents 20] [--once-documents 3] [--rounds 3] [--batch] [--check] [--json]
    python benchmarks/bench_pdf.py --against ../main/src [--rounds 3]   # old and new source, alternating

Target: 20 PDFs in ≤ 6 s with the resident LibreOffice, start-up included.
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

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_batch import make_inputs  # the same inputs: copies of the sample, one department each

REPO = Path(__file__).resolve().parents[1]
TARGET_S = 6.0

_CHILD = """
import sys, summarykit as sk
for seed in range(1, int(sys.argv[2]) + 1):
    pdf = sk.render(sys.argv[1], format="pdf", seed=seed)
    assert pdf.startswith(b"%PDF")
"""
_BATCH = "import sys; from summarykit.cli.main import main; sys.exit(main(sys.argv[1:]))"


def _env(mode: str, source: str | None = None) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("SUMMARYKIT_OFFICE", None)
    if mode == "once":
        env["SUMMARYKIT_OFFICE"] = "once"
    if source:  # another copy of summarykit's source (old against new)
        env["PYTHONPATH"] = source
    return env


def run(documents: int, mode: str, source: str | None = None) -> float:
    """Wall seconds for a fresh process to make ``documents`` PDFs (mode "resident" or "once")."""
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", _CHILD, str(REPO / "sample_data" / "school_term.yaml"), str(documents)],
                   check=True, env=_env(mode, source), stderr=subprocess.DEVNULL)  # the font-substitution warning
    return time.perf_counter() - start


def run_cli(out: Path, source: str | None = None) -> float:
    """Wall seconds for one ``summarykit render sample.yaml -o x.pdf``, the way a person runs it."""
    out.unlink(missing_ok=True)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", _BATCH, "render", str(REPO / "sample_data" / "school_term.yaml"),
                    "-o", str(out)], check=True, env=_env("resident", source), stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    seconds = time.perf_counter() - start
    assert out.read_bytes().startswith(b"%PDF")
    return seconds


def run_batch(inputs: list[Path], out: Path, jobs: int, source: str | None = None) -> float:
    """Wall seconds for ``summarykit batch --format pdf --jobs N`` in a fresh process (outputs checked)."""
    shutil.rmtree(out, ignore_errors=True)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", _BATCH, "batch", *map(str, inputs), "-o", str(out), "--format", "pdf",
                    "--jobs", str(jobs)], check=True, env=_env("resident", source), stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    seconds = time.perf_counter() - start
    made = sorted(out.glob("*.pdf"))
    assert len(made) == len(inputs) and all(p.read_bytes().startswith(b"%PDF") for p in made), made
    return seconds


def _loadavg() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


def _median(values: list[float]) -> dict[str, Any]:
    return {"median_s": round(statistics.median(values), 2), "range_s": [round(min(values), 2), round(max(values), 2)]}


def measure(documents: int, once_documents: int, rounds: int, batch: bool = False) -> dict[str, Any]:
    from summarykit.office.converter import find_uno_python
    from summarykit.office.soffice import require_soffice

    python = find_uno_python(require_soffice())
    if python is None:
        raise SystemExit("没有找到能导入 uno 的 Python（Debian：apt-get install python3-uno），常驻方式无法测量")
    load_before = _loadavg()
    run(1, "resident")  # warm: the cached LibreOffice profile exists after any first run
    resident, once = [], []
    batches: dict[int, list[float]] = {1: [], 2: []}
    with tempfile.TemporaryDirectory(prefix="summarykit-bench-") as temp:
        inputs = make_inputs(Path(temp) / "in", documents) if batch else []
        if batch:  # the workers' cached profiles exist after any first batch, as the first one's does
            run_batch(inputs[:2], Path(temp) / "out", 2)
        for index in range(rounds):
            resident.append(run(documents, "resident"))
            once.append(run(once_documents, "once") * documents / once_documents)
            for jobs in ((1, 2) if index % 2 == 0 else (2, 1)) if batch else ():
                batches[jobs].append(run_batch(inputs, Path(temp) / "out", jobs))
    return {
        "batch": {str(jobs): _median(values) for jobs, values in batches.items() if values},
        "documents": documents, "once_documents": once_documents, "rounds": rounds, "uno_python": python,
        "resident_s": round(statistics.median(resident), 2), "resident_range": [round(min(resident), 2), round(max(resident), 2)],
        "once_s": round(statistics.median(once), 2), "once_range": [round(min(once), 2), round(max(once), 2)],
        "ratio": round(statistics.median(r / o for r, o in zip(resident, once, strict=True)), 3),
        "target_s": TARGET_S, "loadavg_before": load_before, "loadavg_after": _loadavg(),
    }


def versus(old: str, documents: int, rounds: int) -> dict[str, Any]:
    """This source against ``old`` (another checkout's src folder), alternating in every round, per task."""
    new = str(REPO / "src")
    load_before = _loadavg()
    times: dict[str, dict[str, list[float]]] = {}
    with tempfile.TemporaryDirectory(prefix="summarykit-bench-") as temp:
        inputs = make_inputs(Path(temp) / "in", documents)
        for source in (old, new):  # warm: the cached profiles exist after any first run
            run(1, "resident", source)
            run_batch(inputs[:2], Path(temp) / "out", 2, source)
        for index in range(rounds):
            for side, source in ((("old", old), ("new", new)) if index % 2 == 0 else (("new", new), ("old", old))):
                tasks = times.setdefault(side, {})
                tasks.setdefault("render -o x.pdf（1 份）", []).append(run_cli(Path(temp) / "x.pdf", source))
                tasks.setdefault(f"sk.render × {documents}", []).append(run(documents, "resident", source))
                for jobs in (1, 2):
                    tasks.setdefault(f"batch --format pdf --jobs {jobs}（{documents} 份）", []).append(
                        run_batch(inputs, Path(temp) / "out", jobs, source))
    result: dict[str, Any] = {"rounds": rounds, "old": old, "new": new, "loadavg_before": load_before,
                              "tasks": {}}
    for task in times["new"]:
        ratios = sorted(n / o for n, o in zip(times["new"][task], times["old"][task], strict=True))
        result["tasks"][task] = {"old": _median(times["old"][task]), "new": _median(times["new"][task]),
                                 "new_over_old": round(statistics.median(ratios), 3),
                                 "ratio_range": [round(ratios[0], 3), round(ratios[-1], 3)]}
    result["loadavg_after"] = _loadavg()
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="PDF：常驻的 LibreOffice 对比每份启动一次")
    parser.add_argument("--documents", type=int, default=20, help="常驻一侧生成的份数")
    parser.add_argument("--once-documents", type=int, default=3, help="每份启动一次的一侧实际生成的份数（按比例折算）")
    parser.add_argument("--rounds", type=int, default=3, help="交替测量的轮数（取中位数）")
    parser.add_argument("--batch", action="store_true", help="另测 summarykit batch --format pdf（1 个与 2 个进程）")
    parser.add_argument("--against", metavar="SRC", help="与另一份源码（如主分支的 src 文件夹）在每一轮里交替对比")
    parser.add_argument("--check", action="store_true", help=f"常驻一侧超过 {TARGET_S} 秒时以状态码 1 退出")
    parser.add_argument("--json", action="store_true", help="以 JSON 输出")
    args = parser.parse_args(argv)
    if args.against:
        v = versus(args.against, args.documents, args.rounds)
        if args.json:
            print(json.dumps(v, ensure_ascii=False, indent=2))
            return 0
        print(f"机器负载（1/5/15 分钟）：测量前 {v['loadavg_before']}，测量后 {v['loadavg_after']}；{v['rounds']} 轮交替，墙钟中位数")
        for task, t in v["tasks"].items():
            print(f"{task}：旧 {t['old']['median_s']} s（{t['old']['range_s'][0]}–{t['old']['range_s'][1]}），"
                  f"新 {t['new']['median_s']} s（{t['new']['range_s'][0]}–{t['new']['range_s'][1]}），"
                  f"新÷旧 {t['new_over_old']}（{t['ratio_range'][0]}–{t['ratio_range'][1]}）")
        return 0
    r = measure(args.documents, args.once_documents, args.rounds, args.batch)
    if args.json:
        print(json.dumps(r, ensure_ascii=False, indent=2))
    else:
        print(f"机器负载（1/5/15 分钟）：测量前 {r['loadavg_before']}，测量后 {r['loadavg_after']}；{r['rounds']} 轮，墙钟中位数")
        print(f"常驻的 LibreOffice（UNO，{r['uno_python']}）：{r['documents']} 份 {r['resident_s']} s"
              f"（{r['resident_range'][0]}–{r['resident_range'][1]}，含启动；目标 ≤ {TARGET_S} s）")
        print(f"每份启动一次（实测 {r['once_documents']} 份，折算为 {r['documents']} 份）：{r['once_s']} s"
              f"（{r['once_range'][0]}–{r['once_range'][1]}）；比值 {r['ratio']}")
        for jobs, b in r["batch"].items():
            print(f"summarykit batch --format pdf --jobs {jobs}（{r['documents']} 个输入）：{b['median_s']} s"
                  f"（{b['range_s'][0]}–{b['range_s'][1]}）")
    return 1 if args.check and r["resident_s"] > TARGET_S else 0


if __name__ == "__main__":
    sys.exit(main())
