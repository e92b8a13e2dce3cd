"""`summarykit check FILE`: keywords and writing checks for a records file, a DOCX or plain text.

The human-readable output is what a reviewer's red pen would say, one finding
per block with where it is, the words around it and what to write instead; the
``--json`` output is the same data for editors and scripts.  The exit status is
0 unless ``--strict`` is given and something was found (then 3, cli/options.EXIT_FINDINGS: 1 is
reserved for internal errors and 2 for input that cannot be read), so the check
can gate a CI job or a pre-commit hook without failing ordinary runs.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING, Any

from ...tools.checkcodes import CODES, DEFAULT_MAX_SENTENCE
from ..options import EXIT_FINDINGS as EXIT_FINDINGS_DOC
from ..options import STDIO

if TYPE_CHECKING:
    from ...tools.textcheck import CheckResult


def register(subparsers: Any) -> None:
    """Add the ``check`` sub-command to the main parser."""
    from ..options import positive_int

    parser = subparsers.add_parser(
        "check",
        help="检查写作问题（标点、重复、数字、日期、用词、长句等）并提取关键词",
        description="检查记录文件（.yaml）、Word 文档（.docx）或纯文本中的常见写作问题，并提取关键词。"
                    "问题代码：" + "、".join(f"{code}（{name}）" for code, name in CODES.items()),
    )
    parser.add_argument("file", metavar="FILE", help="要检查的文件：.yaml/.yml 记录文件、.docx 文档或文本文件（- 表示从标准输入读）")
    parser.add_argument("--json", action="store_true",
                        help='以 JSON 输出：{"keywords": [...], "findings": [{"code", "message", "where", "excerpt", '
                             '"suggestion"}]}')
    parser.add_argument("--strict", action="store_true", help=f"发现任何问题时以状态码 {EXIT_FINDINGS_DOC} 退出（用于自动检查；1 留给内部错误）")
    parser.add_argument("--max-sentence", type=positive_int, default=DEFAULT_MAX_SENTENCE, metavar="N",
                        help=f"句子长度上限（字数，默认 {DEFAULT_MAX_SENTENCE}）")
    parser.add_argument("--fix", action="store_true",
                        help="把生成时会自动改的半角标点直接改进记录文件（注释和排版不变，先修改再检查）")
    parser.set_defaults(func=run)


def format_result(result: CheckResult, name: str) -> str:
    """The Chinese, human-readable report of one check."""
    lines = [f"检查：{name}"]
    lines.append("关键词：" + ("；".join(result.keywords) if result.keywords else "（未提取到）"))
    if not result.findings:
        lines.append("未发现问题。")
        return "\n".join(lines)
    lines.append("")
    for finding in result.findings:
        lines.append(f"{finding.where}  {CODES.get(finding.code, finding.code)}（{finding.code}）：{finding.message}")
        if finding.excerpt:
            lines.append(f"    原文：{finding.excerpt}")
        if finding.suggestion:
            lines.append(f"    建议：{finding.suggestion}")
    counts: dict[str, int] = {}
    for finding in result.findings:
        counts[finding.code] = counts.get(finding.code, 0) + 1
    summary = "，".join(f"{CODES.get(code, code)} {count} 处" for code, count in counts.items())
    lines.append("")
    lines.append(f"共发现 {len(result.findings)} 处问题：{summary}。")
    return "\n".join(lines)


def _check_stdin(max_sentence: int) -> CheckResult:
    """``check -``: standard input is a DOCX (a zip), records (it loads as records) or plain text."""
    import tempfile

    from ...records.decoding import decode
    from ...tools.textcheck import check_file, check_text
    from ..options import read_stdin_bytes

    data = read_stdin_bytes()
    if data.startswith(b"PK"):
        suffix = ".docx"
    else:
        try:
            from ...records.loading import loads

            loads(data, "<标准输入>")
            suffix = ".yaml"
        except Exception:
            return check_text(decode(data, "<标准输入>").text, name="<标准输入>", max_sentence=max_sentence)
    with tempfile.TemporaryDirectory() as folder:
        path = f"{folder}/标准输入{suffix}"
        with open(path, "wb") as handle:
            handle.write(data)
        return check_file(path, max_sentence=max_sentence)


def run(args: argparse.Namespace) -> int:
    """Check one file and print the findings; bad input raises SummaryKitError for the CLI layer (exit 2)."""
    from ...tools.textcheck import check_file  # the checker (and jieba) only for this command

    max_sentence = getattr(args, "max_sentence", DEFAULT_MAX_SENTENCE)
    if getattr(args, "fix", False):
        from ...errors import SummaryKitError
        from ...tools.textcheck import fix_records

        if not str(args.file).lower().endswith((".yaml", ".yml")):
            raise SummaryKitError(f"{args.file}：check --fix 只改写记录文件（.yaml/.yml）")
        fixed = fix_records(args.file)
        print(f"{args.file}：改好了 {fixed} 处半角标点（注释和排版不变）" if fixed else f"{args.file}：没有需要自动修改的地方",
              file=sys.stderr)
    if args.file == STDIO:
        result = _check_stdin(max_sentence)
    else:
        result = check_file(args.file, max_sentence=max_sentence)
    if getattr(args, "json", False):
        print(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    else:
        print(format_result(result, str(args.file)))
    from ..options import EXIT_FINDINGS

    return EXIT_FINDINGS if getattr(args, "strict", False) and result.findings else 0
