"""`summarykit init TEMPLATE -o FILE.yaml`: a commented starter records file for a template.

People learn a records format fastest from a filled-in example that already works, so each
built-in template ships a starter (templates/starters/NAME.yaml) that validates and renders as
it is: the user replaces the sample facts and deletes what they do not need.  Starters are data
files beside the templates, not strings in Python, so they are reviewed and edited like the
templates themselves and ship in the wheel with them.

A user's template folder (``--templates DIR``) may carry its own ``starters/NAME.yaml``; a
template without a starter of its own gets the generic one, pointed at that template.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ...errors import OutputError

# summarykit.drafting.templating loads Jinja: imported when the command runs, not when the CLI parser is built.

STARTERS = "starters"
GENERIC = "_generic"
_PLACEHOLDER = "__TEMPLATE__"


def starter_path(name: str, user_dirs: Sequence[str] = ()) -> Path:
    """The starter file for template ``name``: the user's folders first, then the built-ins, then the generic one."""
    from ...drafting.templating import builtin_dir, check_name, template_info

    check_name(name)
    template_info(name, user_dirs)  # no such template: TemplateError listing the available ones
    for folder in [*user_dirs, str(builtin_dir())]:
        path = Path(folder) / STARTERS / f"{name}.yaml"
        if path.is_file():
            return path
    return builtin_dir() / STARTERS / f"{GENERIC}.yaml"


def starter_text(name: str, user_dirs: Sequence[str] = ()) -> str:
    """The starter records text for template ``name`` (its ``meta.template`` names that template)."""
    path = starter_path(name, user_dirs)
    return path.read_text(encoding="utf-8").replace(_PLACEHOLDER, name)


def register(subparsers: Any) -> None:
    """Add the ``init`` sub-command to the main parser."""
    parser = subparsers.add_parser(
        "init",
        help="为某个模板生成一份带注释的记录文件样例",
        description="为某个模板生成一份带注释的记录文件样例：照着改写其中的事实，删去用不到的部分，"
                    "就可以 summarykit render 生成文档。可用的模板见 summarykit templates。",
    )
    parser.add_argument("template", metavar="TEMPLATE", nargs="?",
                        help="模板名，如 school_term（--xlsx 时可以不写）")
    parser.add_argument("--xlsx", action="store_true",
                        help="生成一个 Excel 样例工作簿（说明、指标、部门、统计表四张表，表头有批注，各有一行样例）")
    parser.add_argument("-o", "--output", metavar="FILE.yaml",
                        help="写入的文件（默认：当前文件夹下的 TEMPLATE.yaml；写 - 则输出到屏幕）")
    parser.add_argument("--force", action="store_true", help="文件已存在时覆盖它")
    parser.add_argument("--templates", action="append", default=[], metavar="DIR",
                        help="自己的模板文件夹，优先于内置模板（可重复）")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Write the starter; an existing file is kept unless --force (a starter must never eat real records)."""
    name = args.template
    if args.xlsx:
        return _run_xlsx(args)
    if not name:
        raise OutputError("请写出模板名，如 `summarykit init school_term`；`summarykit templates` 列出可用的模板。"
                          "要生成 Excel 样例工作簿请加 --xlsx")
    text = starter_text(name, args.templates)
    if args.output == "-":
        sys.stdout.write(text)
        return 0
    from ...output import write_atomic

    output = Path(args.output or f"{name}.yaml")
    if output.exists() and not args.force:
        raise OutputError(f"文件“{output}”已经存在，没有改动它。要覆盖请加 --force，或用 -o 换一个文件名")
    write_atomic(output, text.encode("utf-8"))
    folders = "".join(f" --templates {d}" for d in args.templates)
    print(f"已生成：{output}\n下一步：把其中的事实换成自己的，运行 summarykit validate {output} 检查，"
          f"再运行 summarykit render {output}{folders} 生成文档", file=sys.stderr)
    return 0


def _run_xlsx(args: argparse.Namespace) -> int:
    """The starter workbook: written atomically, an existing file kept unless --force."""
    from ...output import write_atomic
    from ...sources.starter import starter_workbook

    if args.template:
        from ...drafting.templating import check_name, template_info

        check_name(args.template)
        template_info(args.template, args.templates)
    if args.output == "-":
        raise OutputError("Excel 工作簿不能输出到屏幕，请用 -o 写出文件名，如 -o 数据.xlsx")
    output = Path(args.output or "数据.xlsx")
    if output.suffix.lower() != ".xlsx":
        raise OutputError(f"Excel 样例工作簿的文件名应以 .xlsx 结尾，实际是“{output.name}”")
    if output.exists() and not args.force:
        raise OutputError(f"文件“{output}”已经存在，没有改动它。要覆盖请加 --force，或用 -o 换一个文件名")
    write_atomic(output, starter_workbook(args.template))
    print(f"已生成：{output}\n下一步：在 Excel 或 WPS 里把样例换成自己的数据（表头的批注说明每一列），"
          f"运行 summarykit validate {output} 检查，再运行 summarykit batch {output} -o 输出 "
          "为“部门”表的每一行生成一份总结（只写一份时删去“部门”表，用 summarykit render）", file=sys.stderr)
    return 0
