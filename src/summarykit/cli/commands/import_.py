"""`summarykit import FILE.docx|FILE.txt -o RECORDS.yaml`: last year's summary → this year's records.

Starting from a finished summary is the quickest way in: the user gets a records file with their
own headings and facts already in place, edits the facts and renders.  The command is a thin
layer over summarykit.tools.importer; it adds the file handling (stdin, refusing to overwrite, writing
atomically) and tells the user, on stderr, what could not be placed and what was changed.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ...errors import OutputError, RecordsError

if TYPE_CHECKING:
    from ...tools.importer import ImportResult

# The importer and the writer are imported when the command runs, not when the CLI parser is built.


def register(subparsers: Any) -> None:
    """Add the ``import`` sub-command to the main parser."""
    parser = subparsers.add_parser(
        "import",
        help="把已有的总结（Word 文档或文本）转成记录文件",
        description="读入一份已有的工作总结（.docx，或从网页复制下来存成的 .txt），识别标题、各级编号、段落、"
                    "条目、段内的“一是……二是……”、表格、落款和日期，写成带注释的记录文件（.yaml），"
                    "并选出最接近的内置模板。没能归类的原文会列出行号，不会丢掉。",
    )
    parser.add_argument("file", metavar="FILE", help="要导入的文件：.docx 或文本文件（.txt 等）；写 - 则从标准输入读")
    parser.add_argument("-o", "--output", metavar="RECORDS.yaml",
                        help="写入的记录文件（默认：当前文件夹下与 FILE 同名的 .yaml；写 - 则输出到屏幕）")
    parser.add_argument("--template", "-t", metavar="NAME", help="指定模板（默认自动选择最接近的内置模板）")
    parser.add_argument("--force", action="store_true", help="记录文件已存在时覆盖它")
    parser.set_defaults(func=run)


def _err(message: str) -> None:
    print(message, file=sys.stderr)


def _read(args: argparse.Namespace) -> ImportResult:
    from ...tools.importer import SourceError, import_file, import_text

    if args.file == "-":
        from ...records.decoding import decode

        decoded = decode(sys.stdin.buffer.read(), "<标准输入>")
        result = import_text(decoded.text, "<标准输入>", template=args.template)
        result.notices[:0] = list(decoded.notices)
        return result
    source = Path(args.file)
    if not source.is_file():
        raise SourceError(f"找不到要导入的文件“{source}”")
    return import_file(source, template=args.template)


def _output_path(args: argparse.Namespace) -> Path:
    if args.output is not None:
        from ...output import check_output

        return check_output(args.output)
    if args.file == "-":
        raise OutputError("从标准输入导入时请用 -o 指定记录文件名（或 -o - 输出到屏幕）")
    return Path(Path(args.file).stem + ".yaml")


def _same(output: Path, source: Path) -> bool:
    """The same file by name or by identity (a hard link has another name, the same device and inode)."""
    try:
        return output.resolve() == source.resolve() or os.path.samefile(output, source)
    except OSError:
        return False


def run(args: argparse.Namespace) -> int:
    """Import one document and write its records; unplaced text and notices go to stderr."""
    output = None if args.output == "-" else _output_path(args)
    if output is not None and args.file != "-" and _same(output, Path(args.file)):
        raise OutputError(f"输出文件“{output}”就是要导入的文件，请换一个输出文件名，例如 {Path(args.file).stem}.yaml")
    from ...output import refuse_existing, write_atomic

    if output is not None:
        refuse_existing(output, args.force)
    from ...records.loading import loads
    from ...tools.importer import to_yaml

    result = _read(args)
    text = to_yaml(result)

    try:
        loads(text, str(output or "<输出>"))
    except RecordsError as exc:  # the importer wrote something the loader refuses: our bug, not the user's
        raise RuntimeError(f"导入结果没有通过校验：{exc.report()}") from None
    for notice in result.notices:
        _err(f"提示：{notice}")
    for no, line in result.unplaced:
        _err(f"未能归类（第 {no} {result.unit}）：{line}")
    if output is None:
        sys.stdout.write(text)
        return 0
    # No `inputs` here: those would make write_atomic refuse any .yaml target (it guards records files
    # against rendering); the one thing to guard against, writing over the document, is checked above.
    write_atomic(output, text.encode("utf-8"))
    extra = f"，另有 {len(result.unplaced)} 处原文未能归类，已作为 TODO 注释写在文件末尾" if result.unplaced else ""
    _err(f"已生成：{output}（模板 {result.template}{extra}）\n"
         f"下一步：核对其中的内容后运行 summarykit validate {output}，再运行 summarykit render {output}")
    return 0
