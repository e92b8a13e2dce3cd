"""Light markup (what templates write) → the document tree.

Templates are text, so they emit a small line-oriented markup that a person can
read in a template file and that maps one-to-one onto the document tree:

    ::title 某某中学2025—2026学年第一学期后勤工作总结
    ::subtitle ——副标题
    ::front 【关键词】后勤保障；行政服务
    ::numbering school              numbering scheme (default, school, or a style file's)
    # 学生食堂改革                   heading, level = number of #   (1–5)
    ###+ 机构设置情况。              run-in heading: the next paragraph continues its line
    #* 参考文献：                    unnumbered heading
    - 期初通过召开住宿生家长会……      numbered item at level 3;  -4 text: at level 4;  -* text: unnumbered
    本学期，学校内勤工作……           any other line: a body paragraph
    ::plain / ::center / ::right TEXT   paragraph without indent / centred / right-aligned
    ::reference [1]作者.题名[J].刊名   an entry of the reference list (小四, hanging indent)
    ::table 表题                     followed by | cell | cell | rows (the first is the header)
    ::note 表注
    ::signature 某某中学  /  ::date 2026年1月20日  /  ::attachment 名称

Record text is data, never markup: the Jinja layer escapes every value it
prints (``escape``), so a record reading "# 标题" or "- 5℃" stays a paragraph.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..errors import TemplateError
from ..tree.document import Block, Heading, ListItem, Paragraph, Signature, Table
from ..zh.punctuation import standalone_heading

_SPECIAL = "\\#-|:"
_UNESCAPE = re.compile(r"\\(.)")
_HEADING = re.compile(r"^(#{1,5})([+*]*)(?:\s+(.*))?$")
_ITEM = re.compile(r"^-([1-5]?)(\*?)(?:\s+(.*))?$")
_DIRECTIVE = re.compile(r"^::([a-z]+)(?:\s+(.*))?$")


ESCAPES = str.maketrans({c: "\\" + c for c in _SPECIAL})  # the definition; escape_line() is the fast way
_SPECIAL_CHAR = re.compile(f"[{re.escape(_SPECIAL)}]")


def escape_line(text: str) -> str:
    """``text.translate(ESCAPES)`` for one line of text, faster (a property test checks they are equal).

    str.translate with a mapping looks up every character in Python; most record text has no
    markup character at all, which one regex search finds out at C speed.
    """
    if not _SPECIAL_CHAR.search(text):
        return text
    return _SPECIAL_CHAR.sub(r"\\\g<0>", text)


def escape(value: object) -> str:
    """Make a value safe to print into markup: one line, markup characters escaped."""
    text = "" if value is None else str(value)
    if "\n" in text or "\r" in text:
        text = re.sub(r"\s*[\r\n]+\s*", " ", text)
    return escape_line(text)


def unescape(text: str) -> str:
    if "\\" not in text:  # nothing escaped (most lines): the substitution would change nothing
        return text.strip()
    return _UNESCAPE.sub(r"\1", text).strip()


def _cells(line: str) -> list[str]:
    """Split a table row on unescaped pipes."""
    cells: list[str] = []
    current = ""
    i = 0
    body = line.strip()
    while i < len(body):
        ch = body[i]
        if ch == "\\" and i + 1 < len(body):
            current += body[i : i + 2]
            i += 2
            continue
        if ch == "|":
            cells.append(current)
            current = ""
        else:
            current += ch
        i += 1
    cells.append(current)
    # A row is written "| a | b |": drop the empty ends.
    if cells and not cells[0].strip():
        cells = cells[1:]
    if cells and not cells[-1].strip():
        cells = cells[:-1]
    return [unescape(c) for c in cells]


class MarkupError(TemplateError):
    """Template output that is not valid markup; ``line`` is the line of the output, which the composer
    traces back to the template line that wrote it."""

    def __init__(self, message: str, what: str, line: int, hint: str = "") -> None:
        super().__init__(message)
        self.what, self.line, self.hint = what, line, hint


@dataclass
class Parsed:
    """What the markup says: the pieces of a Document before numbering."""

    title: str = ""
    subtitle: str = ""
    front: list[Paragraph] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    signature_org: str | None = None
    signature_date: str | None = None
    attachments: list[str] = field(default_factory=list)
    scheme: str | None = None

    @property
    def signature(self) -> Signature | None:
        if self.signature_org is None and self.signature_date is None:
            return None
        return Signature(self.signature_org or "", self.signature_date or "")


def parse(markup: str, template_name: str = "") -> Parsed:
    """Parse template output.  Unknown directives are template bugs, reported with the line."""
    out = Parsed()
    table: dict[str, object] | None = None
    pending_run_in: int | None = None

    def close_table() -> None:
        nonlocal table
        if table is not None:
            rows = table["rows"]
            assert isinstance(rows, list)
            if rows:
                header, *body = rows
                width = len(header)
                body = [tuple((list(r) + [""] * width)[:width]) for r in body]
                out.blocks.append(Table(str(table["caption"]), tuple(header), tuple(body), str(table["note"])))
            table = None

    for number, raw in enumerate(markup.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        if table is not None and line.startswith("|"):
            rows = table["rows"]
            assert isinstance(rows, list)
            rows.append(_cells(line))
            continue
        directive = _DIRECTIVE.match(line)
        if table is not None and not (directive and directive.group(1) == "note"):
            close_table()
        if directive:
            name, arg = directive.group(1), unescape(directive.group(2) or "")
            pending_run_in = None
            if name == "title":
                out.title = arg
            elif name == "subtitle":
                out.subtitle = arg
            elif name == "front":
                out.front.append(Paragraph(arg, "plain"))
            elif name == "numbering":
                out.scheme = arg
            elif name in {"plain", "center", "right", "reference"}:
                if arg:
                    out.blocks.append(Paragraph(arg, name))
            elif name == "table":
                table = {"caption": arg, "rows": [], "note": ""}
            elif name == "note":
                if table is not None:
                    table["note"] = arg
                    close_table()
                elif arg:
                    out.blocks.append(Paragraph(arg, "plain"))
            elif name == "signature":
                out.signature_org = arg
            elif name == "date":
                out.signature_date = arg
            elif name == "attachment":
                if arg:
                    out.attachments.append(arg)
            else:
                raise MarkupError(f"模板 {template_name} 输出的第 {number} 行有未知指令 ::{name}",
                                  f"未知指令 ::{name}", number,
                                  "可用的指令：::title ::subtitle ::front ::numbering ::plain ::center ::right "
                                  "::table ::note ::signature ::date ::attachment（见 docs/templates.md）")
            continue
        heading = _HEADING.match(line)
        if heading:
            hashes, flags, text = heading.groups()
            text = unescape(text or "")
            if not text:
                continue  # an empty heading is an empty section: it disappears
            run_in = "+" in flags
            if not run_in:
                text = standalone_heading(text)  # GB/T 9704: a heading on its own line ends without punctuation
            block = Heading(len(hashes), text, run_in=run_in, numbered="*" not in flags)
            out.blocks.append(block)
            pending_run_in = len(out.blocks) - 1 if block.run_in else None
            continue
        item = _ITEM.match(line)
        if item:
            level, star, text = item.groups()
            text = unescape(text or "")
            if text:
                out.blocks.append(ListItem(int(level or 3), text, numbered=not star))
            pending_run_in = None
            continue
        text = unescape(line)
        if pending_run_in is not None:
            run_in = out.blocks[pending_run_in]
            assert isinstance(run_in, Heading)
            out.blocks[pending_run_in] = Heading(run_in.level, run_in.text, True, text, run_in.numbered)
            pending_run_in = None
            continue
        out.blocks.append(Paragraph(text))
    close_table()
    return out
