"""Spreadsheets as records: reading a 12 × 30 sheet, and a 200-department workbook to 200 DOCX.

* **Reading**: a departments sheet of 12 rows × 30 figure columns (percentages and numbers, the
  shape of “twelve departments with thirty figures each”), read by summarykit into records data
  (``records.loading.reports_of_path``: the file read, the workbook parsed by openpyxl, the
  layout checked, every value placed).  Side by side, the peer: openpyxl alone loading the same
  workbook and iterating its cells (what any reader must at least do).  Median of 30 runs each,
  alternated; the ratio shows what the layouts add to openpyxl.
* **Batch**: a workbook with a 说明 sheet and a 部门 sheet of 200 rows (text columns, and figure
  columns when the records model has metrics), ``render_many([workbook], jobs=2)`` to 200 DOCX.
  Wall time from the call to its return (pool start-up and the one ``os.sync()`` included).  A
  small batch runs first so the phrase-word cache on disk is warm, as after any first run.

Targets: reading under 50 ms; 200 DOCX with 2 jobs under 3 s on a 2-core machine.

    python benchmarks/bench_sources.py [--rounds 30] [--check] [--json]
"""

from __future__ import annotations

import argparse
import io
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

READ_TARGET_MS = 50.0
BATCH_TARGET_S = 3.0


def _metrics_model() -> bool:
    from summarykit.records.model import Category, Metric

    return "previous" in Metric.model_fields and "metrics" in Category.model_fields


def sheet_workbook(rows: int, figures: int, texts: bool) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    notes = book.active
    notes.title = "说明"
    for row in (["项目", "内容"], ["单位", "某某市机关事务管理局"], ["时期", "2025年"], ["主题", "后勤"],
                ["日期", "2026-01-20"]):
        notes.append(row)
    sheet = book.create_sheet("部门")
    header = ["部门"] + (["开头", "问题", "打算"] if texts else []) + [
        f"指标{i + 1}（{'%' if i % 3 == 0 else '件'}）" for i in range(figures)]
    sheet.append(header)
    for r in range(rows):
        cells: list[Any] = [f"第{r + 1}部门"]
        if texts:
            cells += [f"本年度，第{r + 1}部门各项工作稳步推进，圆满完成了全年任务。", "个别工作还有不足。\n人手紧张。",
                      "继续做好各项工作。\n加强队伍建设。"]
        cells += [(0.9 + (r + i) % 10 / 100) if i % 3 == 0 else 100 + r * 7 + i for i in range(figures)]
        sheet.append(cells)
        if figures:
            for i in range(0, figures, 3):
                sheet.cell(sheet.max_row, len(cells) - figures + i + 1).number_format = "0.0%"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def measure_reading(rounds: int) -> dict[str, Any]:
    import openpyxl

    from summarykit.records.loading import reports_of_path

    with tempfile.TemporaryDirectory(prefix="summarykit-bench-") as temp:
        path = Path(temp) / "数据.xlsx"
        path.write_bytes(sheet_workbook(12, 30, texts=False))
        reports_of_path(path)  # imports and openpyxl's first use, as in any process
        ours: list[float] = []
        peer: list[float] = []
        for _ in range(rounds):
            start = time.perf_counter()
            reports = reports_of_path(path)
            ours.append(time.perf_counter() - start)
            start = time.perf_counter()
            book = openpyxl.load_workbook(path, data_only=True)
            cells = sum(1 for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value is not None)
            peer.append(time.perf_counter() - start)
    assert len(reports) == 12 and len(reports[0].data["achievements"][0]["metrics"]) == 30
    assert cells > 12 * 30
    ms, peer_ms = statistics.median(ours) * 1000, statistics.median(peer) * 1000
    return {"read_ms": round(ms, 2), "openpyxl_ms": round(peer_ms, 2), "ratio": round(ms / peer_ms, 2),
            "target_ms": READ_TARGET_MS}


def measure_batch(reports: int, jobs: int) -> dict[str, Any]:
    import summarykit as sk

    figures = 6 if _metrics_model() else 0
    with tempfile.TemporaryDirectory(prefix="summarykit-bench-") as temp:
        folder = Path(temp)
        warm = folder / "warm.xlsx"
        warm.write_bytes(sheet_workbook(4, figures, texts=True))
        sk.render_many([warm], folder / "warm", jobs=jobs)
        book = folder / "数据.xlsx"
        book.write_bytes(sheet_workbook(reports, figures, texts=True))
        start = time.perf_counter()
        result = sk.render_many([book], folder / "out", jobs=jobs)
        seconds = time.perf_counter() - start
        written = len(list((folder / "out").glob("*.docx")))
    if not result.ok:
        raise SystemExit("\n".join(f.message for f in result.failures[:5]))
    return {"reports": reports, "jobs": jobs, "figure_columns": figures, "written": written,
            "seconds": round(seconds, 2), "target_s": BATCH_TARGET_S}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--reports", type=int, default=200)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    reading = measure_reading(args.rounds)
    batch = measure_batch(args.reports, args.jobs)
    if args.json:
        print(json.dumps({"reading": reading, "batch": batch}, ensure_ascii=False, indent=2))
    else:
        print(f"读取 12 × 30 的部门表：{reading['read_ms']} ms（openpyxl 单独载入并遍历：{reading['openpyxl_ms']} ms，"
              f"比值 {reading['ratio']}；目标 < {READ_TARGET_MS:.0f} ms）")
        extra = f"，每行 {batch['figure_columns']} 个指标列" if batch["figure_columns"] else "（记录模型还没有指标：只有文字列）"
        print(f"{batch['reports']} 个部门的工作簿 → {batch['written']} 份 DOCX，{batch['jobs']} 个进程{extra}："
              f"{batch['seconds']} 秒（目标 < {BATCH_TARGET_S:.0f} 秒）")
    failed = reading["read_ms"] >= READ_TARGET_MS or batch["seconds"] >= BATCH_TARGET_S or (
        batch["written"] != batch["reports"])
    return 1 if args.check and failed else 0


if __name__ == "__main__":
    sys.exit(main())
