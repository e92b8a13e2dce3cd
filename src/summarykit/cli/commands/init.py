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
from ...records.schema import SCHEMA_FILE, modeline

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


def starter_text(name: str, user_dirs: Sequence[str] = (), schema: str | None = None) -> str:
    """The starter records text for template ``name`` (its ``meta.template`` names that template).

    With ``schema`` the first line is the modeline VS Code's YAML extension reads to find the JSON
    Schema (a file name beside the records, or a URL such as a service's /schema).
    """
    path = starter_path(name, user_dirs)
    text = path.read_text(encoding="utf-8").replace(_PLACEHOLDER, name)
    return f"{modeline(schema)}\n{text}" if schema else text


def write_schema_beside(records: Path) -> Path | None:
    """records.schema.json next to a new records file, so the modeline finds it; a foreign file is kept."""
    import json

    from ...output import write_atomic
    from ...records.schema import json_schema

    target = records.parent / SCHEMA_FILE
    if target.exists():
        try:
            ours = json.loads(target.read_text(encoding="utf-8")).get("title") == json_schema()["title"]
        except (OSError, ValueError, AttributeError):
            ours = False
        if not ours:
            return None
    write_atomic(target, (json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n").encode("utf-8"))
    return target


def register(subparsers: Any) -> None:
    """Add the ``init`` sub-command to the main parser."""
    from ..options import templates_option

    parser = subparsers.add_parser(
        "init",
        help="为某个模板生成一份带注释的记录文件样例",
        description="为某个模板生成一份带注释的记录文件样例：照着改写其中的事实，删去用不到的部分，"
                    "就可以 summarykit render 生成文档。可用的模板见 summarykit templates。",
    )
    parser.add_argument("template", metavar="TEMPLATE", nargs="?",
                        help="模板名，如 school_term；不写时按 --type 或 --org 选用该单位类型的模板（--xlsx 时可以不写）")
    parser.add_argument("--xlsx", action="store_true",
                        help="生成一个 Excel 样例工作簿（说明、指标、部门、统计表四张表，表头有批注，各有一行样例）")
    parser.add_argument("--type", dest="org_type", metavar="类型",
                        help="单位类型：学校、高校、医院、机关、企业、物业、社区、党组织、通用")
    parser.add_argument("--org", metavar="单位名称", help="单位名称，如“某某县人民医院”：由它推断单位类型")
    parser.add_argument("-o", "--output", metavar="FILE.yaml",
                        help="写入的文件（默认：当前文件夹下的 TEMPLATE.yaml；写 - 则输出到屏幕）")
    parser.add_argument("--force", action="store_true", help="文件已存在时覆盖它")
    templates_option(parser)
    parser.add_argument("--schema", metavar="FILE_OR_URL",
                        help=f"第一行写给编辑器的 JSON Schema 位置（默认 {SCHEMA_FILE}，同时在记录文件旁写出这个文件；"
                             "可写服务的地址，如 http://服务器:8000/schema）")
    parser.set_defaults(func=run)


def offered_template(org_type: str | None, organization: str | None) -> tuple[str, str, str]:
    """(template, organization type, why) for ``init`` without a template: the type's own template.

    Nothing is asked: the type comes from --type, else from the name given with --org, else 通用.
    """
    from ...errors import RecordsError
    from ...zh import orgtype

    why = ""
    if org_type:
        found = orgtype.canonical(org_type)
        if found is None:
            raise RecordsError(f"不认识的单位类型“{org_type}”，可用的类型：{'、'.join(orgtype.ORG_TYPES)}")
        why = f"单位类型“{found}”"
    else:
        inferred = orgtype.infer(organization)
        found = inferred.org_type if inferred else orgtype.GENERAL
        why = (f"由单位名称“{inferred.name}”中的“{inferred.word}”推断单位类型为“{found}”" if inferred
               else "没有给出单位类型，按“通用”")
    return orgtype.TEMPLATE_FOR[found], found, why


def with_org_type(text: str, org_type: str, organization: str | None) -> str:
    """The starter with meta.org_type (and the organization, when given) filled in."""
    import re

    lines = text.splitlines(keepends=True)
    out: list[str] = []
    in_meta = False
    for line in lines:
        if re.match(r"^\S", line):
            if in_meta:  # meta ended without an org_type line: add one
                out.append(f"  org_type: {org_type}\n")
                in_meta = False
            if line.startswith("meta:"):
                in_meta = True
        if in_meta and re.match(r"^\s+org_type:", line):
            line, in_meta = f"  org_type: {org_type}\n", False
        if organization and re.match(r"^\s+organization:", line):
            line = f"  organization: {organization}\n"
        out.append(line)
    return "".join(out)


def run(args: argparse.Namespace) -> int:
    """Write the starter; an existing file is kept unless --force (a starter must never eat real records)."""
    from ..options import say

    name = args.template
    if args.xlsx:
        return _run_xlsx(args)
    chosen = None
    if name is None:
        name, org_type, why = offered_template(args.org_type, args.org)
        chosen = f"按{why}，选用模板 {name}"
        text = with_org_type(starter_text(name, args.templates, args.schema or SCHEMA_FILE), org_type, args.org)
    else:
        text = starter_text(name, args.templates, args.schema or SCHEMA_FILE)
        if args.org_type or args.org:
            _, org_type, _ = offered_template(args.org_type, args.org)
            text = with_org_type(text, org_type, args.org)
    if chosen:
        print(chosen, file=sys.stderr)
    if args.output == "-":
        sys.stdout.write(text)
        return 0
    from ...output import write_atomic

    output = Path(args.output or f"{name}.yaml")
    if output.exists() and not args.force:
        raise OutputError(f"文件“{output}”已经存在，没有改动它。要覆盖请加 --force，或用 -o 换一个文件名")
    write_atomic(output, text.encode("utf-8"))
    schema = None if args.schema else write_schema_beside(output)
    folders = "".join(f" --templates {d}" for d in args.templates)
    say(f"已生成：{output}" + (f"（编辑器校验用的 {schema.name} 在它旁边）" if schema else "")
        + f"\n下一步：把其中的事实换成自己的，运行 summarykit validate {output}{folders} 检查，"
        f"再运行 summarykit render {output}{folders} 生成文档")
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
