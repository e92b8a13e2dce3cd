"""Per-report rendering time: summarykit's whole pipeline against docxtpl, side by side in one run.

summarykit: YAML text → load and validate → compose (Jinja, markup, numbering) →
DOCX bytes, for sample_data/school_term.yaml.

docxtpl (the baseline, installed with the ``bench`` extra): the *same paragraphs*
— taken from summarykit's own output, so neither side writes more text than the
other — rendered from a prepared template and saved to bytes.  The template is
built here at run time with python-docx on summarykit's styled base package:
one prototype paragraph per paragraph style, chosen in a Jinja loop.  Preparing
the paragraph list is *not* timed, which favours docxtpl.

The two are measured in alternating rounds so that whatever else the machine
is doing weighs on both alike; the figure per side is the median round, in
CPU time of this process (``time.process_time``: both sides are single-threaded
and in-process, and CPU time is far less disturbed by other programs than wall
time); wall time is printed beside it.

    python benchmarks/bench_render.py [--reports 200] [--rounds 7] [--check] [--json]

With ``--check`` the exit status is 1 when the ratio is above the target (0.10; 0.5 with ``--paragraphs``).
"""

from __future__ import annotations

import argparse
import io
import json
import statistics
import sys
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "sample_data" / "school_term.yaml"
TARGET_RATIO = 0.10  # at the sample's size (issue 18); 0.5 with --paragraphs (1,000 and 5,000)
TARGET_RATIO_LARGE = 0.5
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def summarykit_pipeline(text: str, name: str) -> Callable[[], bytes]:
    """YAML text → DOCX bytes, every stage included."""
    import summarykit as sk

    def run() -> bytes:
        return sk.to_docx(sk.compose(sk.loads(text, name)))

    return run


def paragraphs_of(docx_bytes: bytes) -> list[dict[str, str]]:
    """(style id, text) of every paragraph in a DOCX body, in order."""
    from lxml import etree

    with zipfile.ZipFile(io.BytesIO(docx_bytes)) as package:
        root = etree.fromstring(package.read("word/document.xml"))
    result = []
    for p in root.iter(f"{W}p"):
        style = p.find(f"{W}pPr/{W}pStyle")
        text = "".join(t.text or "" for t in p.iter(f"{W}t"))
        result.append({"style": style.get(f"{W}val") if style is not None else "Normal", "text": text})
    return result


def docxtpl_template(style_ids: list[str]) -> bytes:
    """A docxtpl template on summarykit's styled base: a loop choosing one prototype paragraph per style."""
    import docx

    from summarykit.writers.docx import base_package

    parts = dict(base_package().parts)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in parts.items():
            package.writestr(name, data)
    document = docx.Document(io.BytesIO(buffer.getvalue()))
    by_id = {s.style_id: s for s in document.styles}
    document.add_paragraph("{%p for p in paragraphs %}", style=by_id["BodyPlain"])
    for index, style_id in enumerate(style_ids):
        keyword = "if" if index == 0 else "elif"
        document.add_paragraph(f'{{%p {keyword} p.style == "{style_id}" %}}', style=by_id["BodyPlain"])
        document.add_paragraph("{{ p.text }}", style=by_id[style_id])
    document.add_paragraph("{%p endif %}", style=by_id["BodyPlain"])
    document.add_paragraph("{%p endfor %}", style=by_id["BodyPlain"])
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def docxtpl_render(template: bytes, paragraphs: list[dict[str, str]]) -> Callable[[], bytes]:
    """docxtpl's documented use: render a context into the template, save to bytes."""
    from docxtpl import DocxTemplate

    tpl = DocxTemplate(io.BytesIO(template))
    context = {"paragraphs": paragraphs}

    def run() -> bytes:
        tpl.render(context)
        out = io.BytesIO()
        tpl.save(out)
        return out.getvalue()

    return run


def per_report_ms(run: Callable[[], bytes], count: int) -> tuple[float, float]:
    """(CPU, wall) milliseconds per report over ``count`` reports."""
    cpu, wall = time.process_time(), time.perf_counter()
    for _ in range(count):
        run()
    return (time.process_time() - cpu) / count * 1000, (time.perf_counter() - wall) / count * 1000


def records_text(paragraphs: int | None) -> str:
    """The sample's YAML, or the sample grown to about ``paragraphs`` body paragraphs.

    Grown by more achievement sections of ten items each, every item a different sentence,
    so a large report is made of the same kinds of paragraph as the sample.
    """
    text = SAMPLE.read_text(encoding="utf-8")
    if not paragraphs:
        return text
    import yaml

    data = yaml.safe_load(text)
    base = len(paragraphs_of(summarykit_pipeline(text, SAMPLE.name)()))
    sections = max(0, (paragraphs - base) // 11)  # a heading and ten items
    for s in range(sections):
        data["achievements"].append({
            "heading": f"第{s + 1}方面的重点工作",
            "items": [f"围绕第{s + 1}方面的第{i + 1}项任务，完成了校舍维修、设备更新和制度建设，验收合格。"
                      for i in range(10)],
        })
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def measure(reports: int, rounds: int, paragraphs: int | None = None) -> dict[str, Any]:
    text = records_text(paragraphs)
    start = time.perf_counter()
    ours = summarykit_pipeline(text, SAMPLE.name)
    first = ours()  # builds the per-process caches: base package, templates, phrase bank
    cold_ms = (time.perf_counter() - start) * 1000
    printed = paragraphs_of(first)  # not ``paragraphs``: that says which target applies (the sample's or a grown one)
    style_ids = sorted({p["style"] for p in printed})
    theirs = docxtpl_render(docxtpl_template(style_ids), printed)
    rendered = paragraphs_of(theirs())
    if [p for p in rendered if p["text"]] != [p for p in printed if p["text"]]:
        raise SystemExit("docxtpl 的输出与 summarykit 的段落不一致，基准无效")
    ours_ms: list[tuple[float, float]] = []
    theirs_ms: list[tuple[float, float]] = []
    for _ in range(rounds):
        ours_ms.append(per_report_ms(ours, reports))
        theirs_ms.append(per_report_ms(theirs, max(reports // 4, 1 if paragraphs else 10)))
    ours_cpu, ours_wall = (statistics.median(x) for x in zip(*ours_ms, strict=True))
    theirs_cpu, theirs_wall = (statistics.median(x) for x in zip(*theirs_ms, strict=True))
    # The spread: each side's fastest and slowest round, and the ratio of each pair of rounds run back to back.
    round_ratios = [o[0] / t[0] for o, t in zip(ours_ms, theirs_ms, strict=True)]
    return {
        "sample": str(SAMPLE.relative_to(REPO)),
        "paragraphs": len(printed),
        "docx_bytes": len(first),
        "first_report_ms": round(cold_ms, 1),
        "summarykit_ms": round(ours_cpu, 3),
        "docxtpl_ms": round(theirs_cpu, 3),
        "ratio": round(ours_cpu / theirs_cpu, 3),
        "summarykit_range_ms": [round(min(o[0] for o in ours_ms), 3), round(max(o[0] for o in ours_ms), 3)],
        "docxtpl_range_ms": [round(min(t[0] for t in theirs_ms), 3), round(max(t[0] for t in theirs_ms), 3)],
        "round_ratio_range": [round(min(round_ratios), 3), round(max(round_ratios), 3)],
        "summarykit_wall_ms": round(ours_wall, 3),
        "docxtpl_wall_ms": round(theirs_wall, 3),
        "wall_ratio": round(ours_wall / theirs_wall, 3),
        "target": TARGET_RATIO_LARGE if paragraphs else TARGET_RATIO,
        "rounds": rounds,
        "reports_per_round": reports,
        "python": sys.version.split()[0],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="每份报告的生成时间：summarykit 全流程对比 docxtpl")
    parser.add_argument("--reports", type=int, default=200, help="每轮 summarykit 生成的份数（docxtpl 为其四分之一）")
    parser.add_argument("--rounds", type=int, default=7, help="交替测量的轮数（取中位数）")
    parser.add_argument("--paragraphs", type=int, default=None,
                        help="把样例扩充到约这么多段（如 1000、5000；份数请相应减少，如 --reports 4）")
    parser.add_argument("--check", action="store_true", help=f"比值超过目标（样例 {TARGET_RATIO}，--paragraphs 时 {TARGET_RATIO_LARGE}）时以状态码 1 退出")
    parser.add_argument("--json", action="store_true", help="以 JSON 输出")
    args = parser.parse_args(argv)
    try:
        import docxtpl  # noqa: F401
    except ImportError:
        print("需要 docxtpl：pip install -e '.[bench]'", file=sys.stderr)
        return 2
    result = measure(args.reports, args.rounds, args.paragraphs)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        print(f"机器负载：{' '.join(Path('/proc/loadavg').read_text().split()[:3]) if Path('/proc/loadavg').exists() else '?'}")
        print(f"样例：{result['sample']}（{result['paragraphs']} 段，DOCX {result['docx_bytes']} 字节）")
        print(f"首份（含每进程一次的准备）：{result['first_report_ms']} ms")
        print(f"summarykit 全流程（YAML 文本 → DOCX 字节）：CPU {result['summarykit_ms']:.3f} ms/份，"
              f"墙钟 {result['summarykit_wall_ms']:.3f} ms/份")
        print(f"docxtpl（同样的段落，预制模板）：        CPU {result['docxtpl_ms']:.3f} ms/份，"
              f"墙钟 {result['docxtpl_wall_ms']:.3f} ms/份")
        print(f"比值 summarykit / docxtpl：{result['ratio']:.3f}（按 CPU 时间；墙钟 {result['wall_ratio']:.3f}；"
              f"目标 ≤ {result['target']}）")
        low, high = result["summarykit_range_ms"], result["docxtpl_range_ms"]
        print(f"各轮范围：summarykit {low[0]:.3f}–{low[1]:.3f} ms，docxtpl {high[0]:.3f}–{high[1]:.3f} ms；"
              f"逐轮比值 {result['round_ratio_range'][0]:.3f}–{result['round_ratio_range'][1]:.3f}")
    return 1 if args.check and result["ratio"] > result["target"] else 0


if __name__ == "__main__":
    sys.exit(main())
