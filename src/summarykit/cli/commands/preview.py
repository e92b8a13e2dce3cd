"""`summarykit preview RECORDS -o DIR`: one PNG per page, to see the typesetting without Word.

The report is rendered to DOCX exactly as ``render`` would, converted by
LibreOffice and rasterised by pdftoppm; the pictures are written as
``DIR/<records name>-1.png``, ``-2.png``….  Fonts that are not installed where
LibreOffice runs (the Windows fonts on Linux) are replaced with free fonts of
the same kind, with a warning (summarykit.office.fonts).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any


def _dpi(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"应是整数，实际是 {text!r}") from None
    if not 30 <= value <= 600:
        raise argparse.ArgumentTypeError(f"分辨率应在 30～600 之间，实际是 {value}")
    return value


def register(subparsers: Any) -> None:
    """Add the ``preview`` sub-command to the main parser."""
    from ..options import common_render_options

    parser = subparsers.add_parser(
        "preview",
        help="生成每页一张的预览图（PNG），不用 Word 也能看排版效果（需要 LibreOffice）",
        description="按 render 的方式生成文档，用 LibreOffice 转换后每页写一张 PNG 图片："
                    "DIR/记录文件名-1.png、-2.png……。本机没有文档所用的字体时，用外观相近的开源字体替代并给出提示。",
    )
    parser.add_argument("records", metavar="RECORDS.yaml", help="记录文件（- 表示从标准输入读）")
    parser.add_argument("-o", "--output", required=True, metavar="DIR", help="存放预览图的文件夹（须已存在）")
    parser.add_argument("--dpi", type=_dpi, default=96, help="图片分辨率（默认 96）")
    common_render_options(parser)
    for action in parser._actions:
        if action.dest == "fonts":
            action.help = "字体方案（没有安装的字体在预览中用开源字体替代）"
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ...office.converter import prestart
    from ..main import load_input
    from ..options import STDIO, kit_from_args, say, show_notices

    prestart()  # LibreOffice starts while the records are loaded and composed
    kit = kit_from_args(args, fonts=args.fonts)  # missing fonts are substituted, with a warning
    report = load_input(kit, args.records, args.previous)
    show_notices(report.notices)
    paths = kit.preview(report, args.output, dpi=args.dpi,
                        stem="预览" if args.records == STDIO else Path(args.records).stem)
    for path in paths:
        say(f"已生成：{path}")
    return 0
