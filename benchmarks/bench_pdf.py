"""PDFs through one resident LibreOffice against one LibreOffice per document, side by side in one run.

Each side runs in a fresh Python process, so its time includes everything a
user waits for: Python and summarykit start-up, rendering the DOCX, starting
LibreOffice (the resident one once; the other once per document) and, for the
resident one, ending it at exit.  The sample is sample_data/school_term.yaml
(20 documents with seeds 1…20, so each is a different document).  Per-document
conversion is slow (1.5–2 s), so that side converts fewer documents and its
time is scaled to 20; the rounds alternate the two sides so that the machine's
other load weighs on both alike, and each figure is the median round (wall time).

    python benchmarks/bench_pdf.py [--documents 20] [--once-documents 3] [--rounds 3] [--check] [--json]

Target: 20 PDFs in ≤ 6 s with the resident LibreOffice, start-up included.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
TARGET_S = 6.0

_CHILD = """
import sys, summarykit as sk
from summarykit.office.preview import docx_to_pdf
report = sk.load(sys.argv[1])
for seed in range(1, int(sys.argv[2]) + 1):
    pdf = docx_to_pdf(sk.to_docx(sk.compose(report, seed=seed)))
    assert pdf.startswith(b"%PDF")
"""


def run(documents: int, mode: str) -> float:
    """Wall seconds for a fresh process to make ``documents`` PDFs (mode "resident" or "once")."""
    env = dict(os.environ)
    env.pop("SUMMARYKIT_OFFICE", None)
    if mode == "once":
        env["SUMMARYKIT_OFFICE"] = "once"
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", _CHILD, str(REPO / "sample_data" / "school_term.yaml"), str(documents)],
                   check=True, env=env)
    return time.perf_counter() - start


def _loadavg() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


def measure(documents: int, once_documents: int, rounds: int) -> dict[str, Any]:
    from summarykit.office.converter import find_uno_python
    from summarykit.office.preview import require_soffice

    python = find_uno_python(require_soffice())
    if python is None:
        raise SystemExit("没有找到能导入 uno 的 Python（Debian：apt-get install python3-uno），常驻方式无法测量")
    load_before = _loadavg()
    run(1, "resident")  # warm: the cached LibreOffice profile exists after any first run
    resident, once = [], []
    for _ in range(rounds):
        resident.append(run(documents, "resident"))
        once.append(run(once_documents, "once") * documents / once_documents)
    return {
        "documents": documents, "once_documents": once_documents, "rounds": rounds, "uno_python": python,
        "resident_s": round(statistics.median(resident), 2), "resident_range": [round(min(resident), 2), round(max(resident), 2)],
        "once_s": round(statistics.median(once), 2), "once_range": [round(min(once), 2), round(max(once), 2)],
        "ratio": round(statistics.median(r / o for r, o in zip(resident, once, strict=True)), 3),
        "target_s": TARGET_S, "loadavg_before": load_before, "loadavg_after": _loadavg(),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="PDF：常驻的 LibreOffice 对比每份启动一次")
    parser.add_argument("--documents", type=int, default=20, help="常驻一侧生成的份数")
    parser.add_argument("--once-documents", type=int, default=3, help="每份启动一次的一侧实际生成的份数（按比例折算）")
    parser.add_argument("--rounds", type=int, default=3, help="交替测量的轮数（取中位数）")
    parser.add_argument("--check", action="store_true", help=f"常驻一侧超过 {TARGET_S} 秒时以状态码 1 退出")
    parser.add_argument("--json", action="store_true", help="以 JSON 输出")
    args = parser.parse_args(argv)
    r = measure(args.documents, args.once_documents, args.rounds)
    if args.json:
        print(json.dumps(r, ensure_ascii=False, indent=2))
    else:
        print(f"机器负载（1/5/15 分钟）：测量前 {r['loadavg_before']}，测量后 {r['loadavg_after']}；{r['rounds']} 轮，墙钟中位数")
        print(f"常驻的 LibreOffice（UNO，{r['uno_python']}）：{r['documents']} 份 {r['resident_s']} s"
              f"（{r['resident_range'][0]}–{r['resident_range'][1]}，含启动；目标 ≤ {TARGET_S} s）")
        print(f"每份启动一次（实测 {r['once_documents']} 份，折算为 {r['documents']} 份）：{r['once_s']} s"
              f"（{r['once_range'][0]}–{r['once_range'][1]}）；比值 {r['ratio']}")
    return 1 if args.check and r["resident_s"] > TARGET_S else 0


if __name__ == "__main__":
    sys.exit(main())
