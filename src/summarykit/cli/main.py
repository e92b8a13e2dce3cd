"""The command line: a thin layer over the library API.

Exit status: 0 success, 2 bad input (records, templates, styles, paths),
1 internal error.  Messages go to stderr in plain Chinese; a Python traceback
is shown only when SUMMARYKIT_DEBUG is set.  argparse (standard library) does
the parsing: it is well kept, has sub-commands and needs no dependency.
"""

from __future__ import annotations

import argparse
import importlib
import json
import logging
import os
import pkgutil
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import __version__
from ..errors import Notice, SummaryKitError
from ..writers import names as writer_names

if TYPE_CHECKING:
    from ..kit import Kit


def _command_modules() -> list[str]:
    """Sub-commands that live in their own modules: summarykit/commands/NAME.py, each with register()."""
    from . import commands

    return sorted(m.name for m in pkgutil.iter_modules(commands.__path__) if not m.name.startswith("_"))


def err(message: str) -> None:
    print(message, file=sys.stderr)


def show_notices(notices: Sequence[Notice]) -> None:
    for notice in notices:
        err(f"提示：{notice}")


def positive_int(text: str) -> int:
    """An argparse type for counts (--jobs, --max-sentence): a clear Chinese message, not a traceback."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"应是正整数，实际是 {text!r}") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"应是正整数，实际是 {value}")
    return value


def common_render_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--template", "-t", metavar="NAME", help="模板名（默认取记录文件 meta.template，再默认 school_term）")
    parser.add_argument("--seed", type=int, help="常用语变化的随机种子（相同种子得到相同文字）")
    parser.add_argument("--templates", action="append", default=[], metavar="DIR",
                        help="自己的模板文件夹，优先于内置模板（可重复）")
    parser.add_argument("--phrases", action="append", default=[], metavar="FILE",
                        help="追加的常用语库文件（可重复）")
    parser.add_argument("--style", metavar="STYLE.yaml", help="样式文件（页面、字体、字号、编号）")
    parser.add_argument("--fonts", choices=["gov", "windows", "open"], help="字体方案（默认 windows）")
    parser.add_argument("--numbering", choices=["literal", "word"],
                        help="标题编号：literal 写成文字（默认）；word 用 Word 多级列表自动编号")


def kit_from_args(args: argparse.Namespace, **overrides: Any) -> Kit:
    """The one Kit of a command, from the common render options: every sub-command configures alike."""
    from ..kit import Kit

    options: dict[str, Any] = {
        "template": args.template, "templates": args.templates, "phrases": args.phrases, "style": args.style,
        "fonts": args.fonts, "numbering": args.numbering, "seed": args.seed,
    }
    if getattr(args, "assets", None):
        options["assets"] = args.assets
    options.update(overrides)
    return Kit(**options)


def cmd_render(args: argparse.Namespace) -> int:
    from ..output import check_output
    from ..writers import format_for_path, get_writer

    kit = kit_from_args(args)
    fmt = args.format or format_for_path(args.output) or "docx"
    output = args.output or str(Path(args.records).with_suffix(f".{get_writer(fmt).extension}").name)
    report = kit.load(Path(args.records))
    show_notices(report.notices)
    check_output(output, (args.records,))
    kit.render(report, output, format=fmt)
    err(f"已生成：{output}")
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    from ..records.loading import load_every

    failed = 0
    for path in args.records:
        try:
            reports = load_every(path, assets=args.assets)
        except SummaryKitError as exc:
            failed += 1
            err(exc.report())
            continue
        for report in reports:
            show_notices(report.notices)
        err(f"{path}：格式正确" + (f"（{len(reports)} 份报告）" if len(reports) > 1 else ""))
    return 2 if failed else 0


def cmd_templates(args: argparse.Namespace) -> int:
    from ..drafting.templating import list_templates

    infos = list_templates(args.templates)
    if args.json:
        print(json.dumps([{"name": i.name, "title": i.title, "description": i.description, "sample": i.sample,
                           "builtin": i.builtin} for i in infos], ensure_ascii=False, indent=2))
        return 0
    for info in infos:
        origin = "" if info.builtin else "（自定义）"
        print(f"{info.name}{origin}\t{info.title}")
        if info.description:
            print(f"    {info.description}")
        if info.sample:
            print(f"    来源：{info.sample}")
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    from ..records.model import json_schema

    text = json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n"
    if args.output:
        from ..output import write_atomic

        write_atomic(args.output, text.encode("utf-8"))
        err(f"已生成：{args.output}")
    else:
        print(text, end="")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="summarykit",
        description="从结构化记录（YAML）生成中文工作总结（Word 文档，GB/T 9704 排版）。",
    )
    parser.add_argument("--version", action="version", version=f"summarykit {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="命令")
    sub.required = True

    render = sub.add_parser("render", help="生成一份工作总结", description="生成一份工作总结")
    render.add_argument("records", metavar="RECORDS.yaml", help="记录文件（.yaml），或 Excel（.xlsx）、CSV 文件")
    render.add_argument("-o", "--output", metavar="OUT", help="输出文件（默认：与记录文件同名，放在当前文件夹）")
    render.add_argument("--format", "-f", choices=list(writer_names()),
                        help="输出格式（默认按输出文件扩展名；pdf 需要安装 LibreOffice）")
    common_render_options(render)
    render.add_argument("--assets", action="append", default=[], metavar="DIR",
                        help="也允许使用这个文件夹里的图片（默认只允许记录文件所在文件夹及其下级文件夹；可重复）")
    render.set_defaults(func=cmd_render)

    validate = sub.add_parser("validate", help="检查记录文件，列出全部问题", description="检查记录文件，列出全部问题")
    validate.add_argument("records", nargs="+", metavar="RECORDS.yaml", help="记录文件（.yaml），或 Excel（.xlsx）、CSV 文件")
    validate.add_argument("--assets", action="append", default=[], metavar="DIR",
                          help="也允许使用这个文件夹里的图片（可重复）")
    validate.set_defaults(func=cmd_validate)

    templates = sub.add_parser("templates", help="列出可用模板", description="列出可用模板")
    templates.add_argument("--templates", action="append", default=[], metavar="DIR", help="自己的模板文件夹")
    templates.add_argument("--json", action="store_true", help="以 JSON 输出")
    templates.set_defaults(func=cmd_templates)

    schema = sub.add_parser("schema", help="输出记录文件的 JSON Schema（供编辑器校验和补全）",
                            description="输出记录文件的 JSON Schema（供编辑器校验和补全）")
    schema.add_argument("-o", "--output", metavar="FILE", help="写入文件（默认输出到屏幕）")
    schema.set_defaults(func=cmd_schema)

    for name in _command_modules():
        importlib.import_module(f".commands.{name}", __package__).register(sub)
    return parser


class _NoticeHandler(logging.Handler):
    """Warnings the library logs while it works (fonts substituted in a PDF) shown as 提示 on stderr."""

    def emit(self, record: logging.LogRecord) -> None:
        err(f"提示：{record.getMessage()}")


def _show_warnings() -> None:
    fonts_log = logging.getLogger("summarykit.office.fonts")
    if not any(isinstance(h, _NoticeHandler) for h in fonts_log.handlers):
        fonts_log.addHandler(_NoticeHandler(logging.WARNING))


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `summarykit` console script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    _show_warnings()
    try:
        status: int = args.func(args)
    except SummaryKitError as exc:
        err(exc.report())
        return exc.exit_code
    except BrokenPipeError:  # `summarykit phrases | head`: the reader left, which is not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        err("已中断，未写入任何文件。")
        return 130
    except Exception as exc:  # an internal error: a short message, the traceback only on request
        if os.environ.get("SUMMARYKIT_DEBUG"):
            raise
        err(f"内部错误：{type(exc).__name__}: {exc}\n这是 summarykit 的缺陷，请把这条信息和输入文件一起报告给维护者"
            "（设置环境变量 SUMMARYKIT_DEBUG=1 可看到详细信息）。")
        return 1
    return status
