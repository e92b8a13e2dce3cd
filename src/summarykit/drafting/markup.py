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
    ::pagebreak                      the next block starts on a new page
    ::image 路径 | 图题 | 宽度        a picture (width: 80%, 120mm or empty)
    ::chart bar | 图题 | 单位         followed by | | 系列1 | 系列2 | then | 类别 | 1 | 2 | rows
    **加粗** ++下划线++               emphasis inside any text line (kept on paragraphs and items,
                                     dropped from headings, titles and cells); \\* is a literal *

Record text is data, never markup: the Jinja layer escapes every value it
prints (``escape``), so a record reading "# 标题" or "- 5℃" stays a paragraph.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from ..errors import TemplateError
from ..tree.document import (
    Block,
    Chart,
    ChartSeries,
    Heading,
    Image,
    ListItem,
    Mark,
    Marks,
    PageBreak,
    Paragraph,
    Signature,
    Table,
)
from ..zh.punctuation import standalone_heading

_SPECIAL = "\\#-|:*+"
_UNESCAPE = re.compile(r"\\(.)")
_HEADING = re.compile(r"^(#{1,5})([+*]*)(?:\s+(.*))?$")
_ITEM = re.compile(r"^-([1-5]?)(\*?)(?:\s+(.*))?$")
_DIRECTIVE = re.compile(r"^::([a-z]+)(?:\s+(.*))?$")
_LEVELS = {str(n): n for n in range(1, 6)}  # an item's level, one digit


ESCAPES = str.maketrans({c: "\\" + c for c in _SPECIAL})  # the definition; escape_line() is the fast way
_SPECIAL_CHAR = re.compile(f"[{re.escape(_SPECIAL)}]")
#: Finds nothing in a value that every escaping function prints unchanged (no markup character, one line).
needs_escape = re.compile(f"[{re.escape(_SPECIAL)}\r\n]").search


_EMPHASIS_ON: ContextVar[bool] = ContextVar("summarykit_record_emphasis", default=False)


@contextmanager
def record_emphasis(enabled: bool) -> Iterator[None]:
    """While a template renders records that opted into emphasis, ``escape`` keeps ``**``/``++`` as markup."""
    token = _EMPHASIS_ON.set(enabled)
    try:
        yield
    finally:
        _EMPHASIS_ON.reset(token)


def escape_line(text: str) -> str:
    """``text.translate(ESCAPES)`` for one line of text, faster (a property test checks they are equal).

    str.translate with a mapping looks up every character in Python; most record text has no
    markup character at all, which one regex search finds out at C speed.
    """
    if not _SPECIAL_CHAR.search(text):
        return text
    if _EMPHASIS_ON.get():  # records that opted into **重点**: their markers stay markup
        return escape_emphasis(text)
    return _SPECIAL_CHAR.sub(r"\\\g<0>", text)


def escape(value: object) -> str:
    """Make a value safe to print into markup: one line, markup characters escaped.

    Inside ``record_emphasis(True)`` the record's ``**加粗**`` / ``++下划线++`` stay markup (escape_emphasis).
    """
    if _EMPHASIS_ON.get():
        return escape_emphasis(value)
    text = "" if value is None else str(value)
    if "\n" in text or "\r" in text:
        text = re.sub(r"\s*[\r\n]+\s*", " ", text)
    return escape_line(text)


def unescape(text: str) -> str:
    if "\\" not in text:  # nothing escaped (most lines): the substitution would change nothing
        return text.strip()
    return _UNESCAPE.sub(r"\1", text).strip()


# --------------------------------------------------------------------------- emphasis

_EMPHASIS = {"*": "bold", "+": "underline"}
_RECORD_EMPHASIS = re.compile(r"\\([*+\\])|(\*\*|\+\+)|([\s\S])")


def escape_emphasis(value: object) -> str:
    """``escape`` for record text that opted into emphasis: ``**加粗**`` and ``++下划线++`` stay markup,
    ``\\*`` / ``\\+`` / ``\\\\`` in the records print a literal ``*`` / ``+`` / ``\\``."""
    text = "" if value is None else str(value)
    if "\n" in text or "\r" in text:
        text = re.sub(r"\s*[\r\n]+\s*", " ", text)
    if "*" not in text and "+" not in text:
        return text.translate(ESCAPES)
    out: list[str] = []
    for match in _RECORD_EMPHASIS.finditer(text):
        literal, marker, char = match.groups()
        if literal is not None:
            out.append("\\" + literal)
        elif marker is not None:
            out.append(marker)
        else:
            out.append(char.translate(ESCAPES))
    return "".join(out)


def spans(markup_text: str) -> tuple[str, Marks]:
    """Escaped line text → (plain text, emphasis marks).

    ``**`` toggles bold and ``++`` underline; a marker without its partner is
    printed as typed, so a stray ``**`` never swallows the rest of a line.
    """
    if "**" not in markup_text and "++" not in markup_text:
        return unescape(markup_text), ()
    tokens: list[str | tuple[str]] = []  # a literal character, or (kind,) for a marker
    i, text = 0, markup_text.strip()
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text):
            tokens.append(text[i + 1])
            i += 2
        elif ch in _EMPHASIS and text[i:i + 2] == ch * 2:
            tokens.append((_EMPHASIS[ch],))
            i += 2
        else:
            tokens.append(ch)
            i += 1
    # Pair markers of each kind in order; an odd one out is literal text.
    open_at: dict[str, int] = {}
    pairs: set[int] = set()
    for index, token in enumerate(tokens):
        if isinstance(token, tuple):
            kind = token[0]
            if kind in open_at:
                pairs.update((open_at.pop(kind), index))
            else:
                open_at[kind] = index
    plain: list[str] = []
    marks: list[Mark] = []
    started: dict[str, int] = {}
    for index, token in enumerate(tokens):
        if isinstance(token, tuple):
            kind = token[0]
            if index not in pairs:
                plain.append("**" if kind == "bold" else "++")
            elif kind in started:
                start, end = started.pop(kind), len("".join(plain))
                if end > start:
                    marks.append(Mark(start, end, kind))
            else:
                started[kind] = len("".join(plain))
        else:
            plain.append(token)
    return "".join(plain).strip(), tuple(sorted(marks, key=lambda m: (m.start, m.end)))


def plain(markup_text: str) -> str:
    """Escaped text with emphasis markers dropped (headings, titles, cells, captions)."""
    return spans(markup_text)[0]


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
    return [plain(c) for c in cells]


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


def _list_item(level: int, text: str, numbered: bool, marks: Marks) -> ListItem:
    """``ListItem(level, text, numbered=numbered, marks=marks)``, built without the frozen __init__.

    A frozen dataclass sets each field through object.__setattr__; filling the instance
    dictionary gives an equal object in half the time (one per item of a long report; a test
    checks the equality and that the class has no __post_init__ or slots).
    """
    new = object.__new__(ListItem)
    new.__dict__.update(level=level, text=text, numbered=numbered, label="", marks=marks)
    return new


def _body_paragraph(text: str, marks: Marks) -> Paragraph:
    """``Paragraph(text, marks=marks)``, built the same way as ``_list_item``."""
    new = object.__new__(Paragraph)
    new.__dict__.update(text=text, kind="body", marks=marks)
    return new


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

    chart: dict[str, object] | None = None

    def close_chart(number: int) -> None:
        nonlocal chart
        if chart is not None:
            out.blocks.append(_chart_block(chart, template_name, number))
            chart = None

    lines = markup.splitlines()
    blocks = out.blocks
    append = blocks.append
    new = object.__new__
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line:
            continue
        first = line[0]  # each of the patterns below needs its own first character: skip the others
        if (first == "-" and table is None and chart is None and line[2:3] == " "
                and (level := _LEVELS.get(line[1])) is not None
                and "\\" not in line and "**" not in line and "++" not in line):
            # "-3 text", what templates print for every item (nearly every line of a long report): what
            # _ITEM and spans() below give for it (a property test checks), without the regex and the calls
            text = line[3:].lstrip()
            if text:
                item = new(ListItem)
                item.__dict__.update(level=level, text=text, numbered=True, label="", marks=())
                append(item)
            pending_run_in = None
            continue
        if chart is not None:
            if line.startswith("|"):
                rows = chart["rows"]
                assert isinstance(rows, list)
                rows.append(_cells(line))
                continue
            close_chart(number)
        if table is not None and line.startswith("|"):
            rows = table["rows"]
            assert isinstance(rows, list)
            rows.append(_cells(line))
            continue
        directive = _DIRECTIVE.match(line) if first == ":" else None
        if table is not None and not (directive and directive.group(1) == "note"):
            close_table()
        if directive:
            raw_arg = directive.group(2) or ""
            name, arg = directive.group(1), plain(raw_arg)
            pending_run_in = None
            if name == "pagebreak":
                out.blocks.append(PageBreak())
            elif name == "image":
                path, caption, width = ([*_cells(raw_arg), "", "", ""])[:3]
                if path:
                    out.blocks.append(Image(path, caption, width))
            elif name == "chart":
                kind, caption, unit = ([*_cells(raw_arg), "", "", ""])[:3]
                chart = {"kind": kind, "caption": caption, "unit": unit, "rows": [], "line": number}
            elif name == "title":
                out.title = arg
            elif name == "subtitle":
                out.subtitle = arg
            elif name == "front":
                out.front.append(Paragraph(arg, "plain"))
            elif name == "numbering":
                out.scheme = arg
            elif name in {"plain", "center", "right", "reference"}:
                text, marks = spans(raw_arg)
                if text:
                    out.blocks.append(Paragraph(text, name, marks))
            elif name == "table":
                table = {"caption": arg, "rows": [], "note": ""}
            elif name == "note":
                if table is not None:
                    table["note"] = arg
                    close_table()
                elif arg:
                    text, marks = spans(raw_arg)
                    out.blocks.append(Paragraph(text, "plain", marks))
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
                                  "::table ::note ::signature ::date ::attachment ::pagebreak ::image ::chart（见 docs/templates.md）")
            continue
        heading = _HEADING.match(line) if first == "#" else None
        if heading:
            hashes, flags, text = heading.groups()
            text = plain(text or "")
            if not text:
                continue  # an empty heading is an empty section: it disappears
            run_in = "+" in flags
            if not run_in:
                text = standalone_heading(text)  # GB/T 9704: a heading on its own line ends without punctuation
            block = Heading(len(hashes), text, run_in=run_in, numbered="*" not in flags)
            out.blocks.append(block)
            pending_run_in = len(out.blocks) - 1 if block.run_in else None
            continue
        item = _ITEM.match(line) if first == "-" else None
        if item:
            level, star, text = item.groups()
            text = text or ""
            # spans() for text with no escape and no emphasis marker (nearly every line), without the calls
            if "\\" in text or "**" in text or "++" in text:
                text, marks = spans(text)
            else:
                text, marks = text.strip(), ()
            if text:
                out.blocks.append(_list_item(int(level or 3), text, not star, marks))
            pending_run_in = None
            continue
        if "\\" in line or "**" in line or "++" in line:
            text, marks = spans(line)
        else:
            text, marks = line, ()  # what spans() gives: the line is stripped already
        if pending_run_in is not None:
            run_in = out.blocks[pending_run_in]
            assert isinstance(run_in, Heading)
            out.blocks[pending_run_in] = Heading(run_in.level, run_in.text, True, text, run_in.numbered,
                                                 body_marks=marks)
            pending_run_in = None
            continue
        out.blocks.append(_body_paragraph(text, marks))
    close_table()
    close_chart(len(lines) + 1)
    return out


CHART_KINDS = ("bar", "column", "line", "pie")


def _number(cell: str) -> float | None:
    try:
        return float(cell.replace(",", "").replace("，", "").strip())
    except ValueError:
        return None


def _chart_block(chart: dict[str, object], template_name: str, line: int) -> Chart:
    """A ``::chart`` and its rows: the first row names the series, the others are category + values."""
    kind, caption, unit = str(chart["kind"]), str(chart["caption"]), str(chart["unit"])
    rows = chart["rows"]
    assert isinstance(rows, list)
    at = int(str(chart["line"]))
    where = f"模板 {template_name} 输出的第 {at} 行"

    def fail(what: str) -> MarkupError:
        return MarkupError(f"{where}：{what}", what, at)

    if kind not in CHART_KINDS:
        raise fail(f"图表类型“{kind}”不认识，可用 {'、'.join(CHART_KINDS)}")
    if len(rows) < 2:
        raise fail("图表至少要有表头行和一行数据")
    header, *body = rows
    names = tuple(header[1:])
    values: list[list[float]] = [[] for _ in names]
    for row in body:
        cells = (list(row) + [""] * len(names))[1:len(names) + 1]
        for index, cell in enumerate(cells):
            number = _number(cell)
            if number is None:
                raise fail(f"图表的数值“{cell}”不是数字")
            values[index].append(number)
    series = tuple(ChartSeries(name, tuple(v)) for name, v in zip(names, values, strict=True))
    return Chart(kind, caption, tuple(row[0] for row in body), series, unit)
