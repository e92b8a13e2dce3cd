"""`summarykit batch INPUTS... -o OUT_DIR`: many reports at once, in a process pool.

One output per report, named after its input; a bad input is reported with its
file and line as soon as it fails, and every other report is still written.
The run ends with one summary line (written, failed, time); the exit status is
0 when everything was written, 2 when any input failed, 1 when summarykit
itself failed on one.

The progress bar is tqdm's — a small, widely used, well-kept library that
handles terminal width, rates and time estimates and writes messages above the
bar — and is shown only when stderr is a terminal, so logs and pipes get plain
lines.  Directories given as inputs stand for their *.yaml/*.yml files, and
wildcards are expanded here too (Windows shells do not expand them).
"""

from __future__ import annotations

import argparse
import glob
import json
import sys
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path
from typing import Any

from ...errors import Problem, SummaryKitError

_WILDCARDS = set("*?[")




def register(subparsers: Any) -> None:
    """Add the ``batch`` sub-command to the main parser."""
    from ...writers import names as writer_names
    from ..options import common_render_options, positive_int

    parser = subparsers.add_parser(
        "batch",
        help="批量生成：每个记录文件（或多份报告文件中的每一份）生成一个文档",
        description="批量生成工作总结：每个记录文件生成一个同名文档；含 defaults 和 reports 的记录文件"
                    "为其中每份报告各生成一个文档（文件名后加部门名或序号）。某个文件有错时报告文件名和行号，"
                    "其余文件照常生成；有失败时以状态码 2 退出。",
    )
    parser.add_argument("inputs", nargs="+", metavar="INPUT",
                        help="记录文件（.yaml），Excel（.xlsx）或 CSV 表格（部门表每行一份），或包含记录文件的文件夹，也可用通配符如 records/*.yaml")
    parser.add_argument("-o", "--output", metavar="OUT_DIR", help="输出文件夹（不存在时新建这一层文件夹；上级文件夹须已存在）")
    parser.add_argument("--into", metavar="汇编.docx",
                        help="把全部报告汇编成一个 Word 文档：封面、目录（页码由 LibreOffice 排版得出）、每份报告从奇数页开始、页码连续")
    parser.add_argument("--title", metavar="TITLE", help="汇编封面上的标题（默认“工作总结汇编”）")
    parser.add_argument("--jobs", "-j", type=positive_int, metavar="N", help="并行进程数（默认：全部 CPU 核数）")
    parser.add_argument("--format", "-f", choices=list(writer_names()), default="docx",
                        help="输出格式（默认 docx；pdf 需要安装 LibreOffice）")
    parser.add_argument("--json", action="store_true",
                        help='结束时在标准输出打印每个输入的结果（JSON）：[{"input", "ok", "outputs", "failures": '
                             '[{"entry", "message", "problems", "internal"}], "notices"}]')
    common_render_options(parser)
    parser.set_defaults(func=run)


def expand(inputs: list[str]) -> Iterator[str]:
    """Folders → their records files (sorted); wildcards → matching files; anything else as given."""
    for item in inputs:
        path = Path(item)
        if path.is_dir():
            found = sorted(p for p in path.iterdir() if p.suffix.lower() in {".yaml", ".yml"} and p.is_file())
            yield from (str(p) for p in found)
        elif not path.exists() and _WILDCARDS & set(item):
            matches = sorted(glob.glob(item))
            yield from matches if matches else [item]  # no match: reported as a missing file
        else:
            yield item


class _Report:
    """Where messages go while the pool runs: above the progress bar on a terminal, plain lines otherwise."""

    def __init__(self, total: int, verbose: bool, quiet_json: bool = False) -> None:
        self.verbose = verbose
        self.bar: Any = None
        if sys.stderr.isatty() and total > 1 and not quiet_json:
            try:
                from tqdm import tqdm
            except ImportError:  # pragma: no cover - tqdm is a dependency; a bare install still works
                return
            tqdm.monitor_interval = 0  # no monitor thread: the pool forks worker processes
            self.bar = tqdm(total=total, unit="个文件", file=sys.stderr, dynamic_ncols=True, leave=False)

    def say(self, message: str) -> None:
        if self.bar is not None:
            self.bar.write(message, file=sys.stderr)
        else:
            print(message, file=sys.stderr)

    def __call__(self, outcome: Any) -> None:
        for failure in outcome.failures:
            self.say(failure.message)
        if self.verbose:
            for notice in outcome.notices:
                self.say(f"提示：{notice}")
        if self.bar is not None:
            self.bar.update(1)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def outcome_dict(outcome: Any) -> dict[str, Any]:
    """One input's outcome as data (batch --json): what was written, what failed and where."""
    return {
        "input": outcome.input, "ok": outcome.ok, "outputs": list(outcome.outputs),
        "failures": [{"entry": f.entry, "message": f.message, "internal": f.internal,
                      "problems": [asdict(p) for p in f.problems]} for f in outcome.failures],
        "notices": [asdict(n) for n in outcome.notices],
    }


def run(args: argparse.Namespace) -> int:
    """Render every input; exit 0 if all were written, 2 if any input failed, 1 on an internal error."""
    from ..options import kit_from_args

    if getattr(args, "previous", None):
        raise SummaryKitError("batch 不能用 --previous：每份总结的上一期记录不同",
                              [Problem("batch 不能用 --previous",
                                       hint="请在各记录文件里写 `previous: 上一期的记录.yaml`（相对记录文件所在的文件夹）")])
    inputs = list(expand(args.inputs))
    if not inputs:
        raise SummaryKitError("没有找到任何记录文件（.yaml）")
    from ..options import say, verbose

    if args.into:
        return compile_into(args, inputs)
    if not args.output:
        raise SummaryKitError("请用 -o 指定输出文件夹，或用 --into 指定汇编成的一个文档（如 --into 汇编.docx）")
    report = _Report(len(inputs), verbose(), quiet_json=getattr(args, "json", False))
    if args.format == "pdf" and args.jobs == 1:  # LibreOffice starts while the settings are read and checked
        from ...office.converter import prestart

        prestart()
    try:
        result = kit_from_args(args).render_many(inputs, args.output, jobs=args.jobs, format=args.format,
                                                 progress=report)
    except KeyboardInterrupt as exc:
        report.close()
        written = getattr(exc, "written", None)
        if written is None:
            print("已中断：已写入的文件保留，其余未生成。", file=sys.stderr)
        else:
            shown = "、".join(Path(w).name for w in written[:10]) + (f" 等 {len(written)} 份" if len(written) > 10 else "")
            print(f"已中断：本次已写入 {len(written)} 份（{shown or '无'}），其余未生成，也没有留下写了一半的文件。",
                  file=sys.stderr)
        return 130
    finally:
        report.close()
    failed_inputs = [o.input for o in result.outcomes if not o.ok]
    if getattr(args, "json", False):
        print(json.dumps([outcome_dict(o) for o in result.outcomes], ensure_ascii=False, indent=2))
    if failed_inputs:
        shown = "、".join(failed_inputs[:10]) + (f" 等 {len(failed_inputs)} 个" if len(failed_inputs) > 10 else "")
        print(f"有问题的文件：{shown}", file=sys.stderr)
    say(f"完成：{result.summary()}；输出文件夹：{args.output}")
    if any(f.internal for f in result.failures):
        return 1
    return 0 if result.ok else 2


def compile_into(args: argparse.Namespace, inputs: list[str]) -> int:
    """``--into``: every report of every input in one DOCX (汇编); nothing is written if any input fails."""
    from ...output import check_output, write_atomic
    from ...writers.compile import Cover, compile_docx
    from ...zh.dates import cn_date
    from ..options import kit_from_args, say

    if not args.into.lower().endswith(".docx"):
        raise SummaryKitError(f"汇编只能生成 Word 文档（.docx）：{args.into}")
    check_output(args.into, tuple(inputs))
    kit = kit_from_args(args)
    docs = []
    failed = []
    for path in inputs:
        try:
            entries = kit.load_all(path)
        except SummaryKitError as exc:
            print(exc.report(), file=sys.stderr)
            failed.append(path)
            continue
        for entry in entries:
            if entry.error is not None:
                print(entry.error.report(), file=sys.stderr)
                failed.append(path)
            else:
                docs.append(kit.compose(entry.report))
    if failed:
        print(f"有问题的文件：{'、'.join(dict.fromkeys(failed))}；未生成汇编。", file=sys.stderr)
        return 2
    units = {d.signature.organization for d in docs if d.signature and d.signature.organization}
    dates = [d.info.date for d in docs if d.info.date]
    cover = Cover(title=args.title or "工作总结汇编", organization=units.pop() if len(units) == 1 else "",
                  date=cn_date(max(dates), kit.style.date_style) if dates else "")
    write_atomic(args.into, compile_docx(docs, kit.style, cover), tuple(inputs))
    say(f"已生成汇编：{args.into}（{len(docs)} 份报告）")
    return 0
