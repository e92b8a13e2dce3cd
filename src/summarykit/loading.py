"""Records files → ``Report``: decoding, YAML with line marks, validation, error mapping.

This is the only place that turns user bytes into data, so it is where every
mistake is caught and located.  The people who write records files are office
staff, not programmers, so every message says what is wrong, where
(file:line:column) and how to fix it, and nothing they typed is silently lost:

* bytes are sniffed before decoding, so a Word document, a PDF or a UTF-16 file
  from Notepad gets a message (or is read) instead of a wall of mojibake;
* the YAML is first walked as an event stream (bounded depth and size, anchors
  that would swallow text, a second document), then *composed* (not
  constructed) so we keep each node's line and column and build plain Python
  values ourselves: only the standard scalar tags, nothing is ever constructed
  or run from a tag, a key given twice is an error, alias expansion is bounded;
* YAML 1.1's surprises that would change what people wrote are undone: ``yes``
  stays the text "yes" (pydantic turns it into a boolean where one is
  expected), ``010``, ``9:30`` and ``1.10`` keep their digits;
* pydantic then validates, and each of its errors is mapped back to the line
  it came from, in plain Chinese with a hint, so that one run reports every
  problem in the file at once.

docs/errors.md lists every message with its cause and fix.
"""

from __future__ import annotations

import difflib
import io
import logging
import os
import re
import unicodedata
import zipfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from .errors import Notice, Problem, RecordsError
from .records import Report
from .textclean import clean_tree

log = logging.getLogger(__name__)

MAX_BYTES = 5 * 1024 * 1024  # a records file is text typed by a person: 5 MiB is far beyond any real one
MAX_NODES = 200_000  # bounds the values in a file and alias expansion ("billion laughs")
MAX_DEPTH = 64  # the records model is at most ~12 levels deep; 64 leaves room for long subsection chains

try:  # PyYAML's C parser is several times faster and keeps marks too
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader

_TAG = "tag:yaml.org,2002:"
_STR_TAG = f"{_TAG}str"
_SCALAR_TAGS = {f"{_TAG}{t}" for t in ("str", "int", "float", "bool", "null", "timestamp")}

_EXAMPLE_HINT = "可以用 `summarykit init school_term -o 记录.yaml` 生成一个示例，格式见 docs/records.md"


@dataclass
class Source:
    """Decoded text of a records file, with where it came from."""

    text: str
    name: str
    notices: list[Notice] = field(default_factory=list)


@dataclass
class Marked:
    """Plain data plus the line/column of every path inside it.

    ``notices`` are what building the data changed (invisible characters in
    keys, values wrapped in Chinese quotes); ``empty`` the paths of keys whose
    value was left empty and which were dropped as "not given" (records only).
    """

    data: Any
    marks: dict[tuple[Any, ...], tuple[int, int]]
    notices: list[Notice] = field(default_factory=list)
    empty: set[tuple[Any, ...]] = field(default_factory=set)


def _fail(name: str, message: str, *, line: int | None = None, column: int | None = None,
          hint: str = "") -> RecordsError:
    return RecordsError.collect(name, [Problem(message, file=name, line=line, column=column, hint=hint)])


# --------------------------------------------------------------------------- bytes → text

_NOT_TEXT = [
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "旧版 Word/Excel/WPS 文件（.doc/.xls/.wps）"),
    (b"%PDF", " PDF 文件"),
    (b"{\\rtf", " RTF 格式的文档"),
    (b"\x89PNG", "图片（PNG）"),
    (b"\xff\xd8\xff", "图片（JPEG）"),
    (b"GIF8", "图片（GIF）"),
    (b"Rar!", "压缩文件（RAR）"),
    (b"7z\xbc\xaf", "压缩文件（7z）"),
]
_TEXT_HINT = "记录文件是用记事本等文本编辑器写的 .yaml 文件；请确认选对了文件"


def _zip_kind(data: bytes) -> str:
    """What a zip file most likely is, from the names inside it (a DOCX is a zip)."""
    try:
        names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        return "压缩文件"
    if any(n.startswith("word/") for n in names):
        return " Word 文档（.docx）"
    if any(n.startswith("xl/") for n in names):
        return " Excel 表格（.xlsx）"
    if any(n.startswith("ppt/") for n in names):
        return " PowerPoint 演示文稿（.pptx）"
    return "压缩文件（.zip）"


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 saved without a byte-order mark: ASCII letters leave a zero byte in every other place."""
    if len(data) % 2:
        return None
    sample = data[:4096]
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    half = len(sample) // 2 or 1
    codec = "utf-16-le" if odd > half * 0.3 and even < half * 0.05 else (
        "utf-16-be" if even > half * 0.3 and odd < half * 0.05 else None)
    if codec is None:
        return None
    try:
        text = data.decode(codec)
    except UnicodeDecodeError:
        return None
    controls = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\t\r\n")
    return None if controls > len(text) // 100 else text


def _line_column(data: bytes, offset: int) -> tuple[int, int]:
    """1-based line and column (in characters) of a byte offset of mostly-UTF-8 data."""
    start = data.rfind(b"\n", 0, offset) + 1
    line = data.count(b"\n", 0, offset) + 1
    return line, len(data[start:offset].decode("utf-8", "replace")) + 1


def decode(data: bytes, name: str) -> Source:
    """Bytes → text.  UTF-8 (with or without BOM) first, then UTF-16/32 with a BOM, then GB18030 (covers GBK).

    Files that are not text at all (a Word document, a PDF, a picture) get a
    message naming what they are.  A UTF-8 file with a few damaged bytes is an
    error naming the line, not a silent re-reading of the whole file as GBK.
    """
    if len(data) > MAX_BYTES:
        raise _fail(name, f"文件太大（{len(data) // 1024} KB），记录文件的上限是 {MAX_BYTES // 1024 // 1024} MB",
                    hint="记录文件应是手写的文本；请检查是否选错了文件，或把内容拆成几份")
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        kind = _zip_kind(data)
        hint = _TEXT_HINT
        if "Word" in kind:
            hint = ("记录文件是用记事本等文本编辑器写的 .yaml 文件，不是 Word 文档；"
                    "要检查一份已生成的 Word 文档，请用 `summarykit check 文件.docx`")
        raise _fail(name, f"这是{kind}，不是记录文件", hint=hint)
    for magic, kind in _NOT_TEXT:
        if data.startswith(magic):
            raise _fail(name, f"这是{kind}，不是记录文件", hint=_TEXT_HINT)
    for bom, codec, label in ((b"\xff\xfe\x00\x00", "utf-32", "UTF-32"), (b"\x00\x00\xfe\xff", "utf-32", "UTF-32"),
                              (b"\xff\xfe", "utf-16", "UTF-16"), (b"\xfe\xff", "utf-16", "UTF-16")):
        if data.startswith(bom):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError as exc:
                raise _fail(name, f"文件标明是 {label} 编码，但第 {exc.start} 个字节处内容损坏",
                            hint="请在编辑器中打开后“另存为 UTF-8”") from None
            return _with_notice(text, name, f"文件是 {label} 编码（记事本的“Unicode”），已按 {label} 读取；建议另存为 UTF-8")
    if b"\x00" in data[:4096]:
        text16 = _utf16_without_bom(data)
        if text16 is not None:
            return _with_notice(text16, name, "文件是 UTF-16 编码，已按 UTF-16 读取；建议另存为 UTF-8")
        raise _fail(name, "这不是文本文件（含有二进制内容）", hint=_TEXT_HINT)
    try:
        return Source(data.decode("utf-8-sig"), name)
    except UnicodeDecodeError as exc:
        first_bad = exc.start + (3 if data.startswith(b"\xef\xbb\xbf") else 0)
    replaced = data.decode("utf-8", "replace")
    bad = replaced.count("\ufffd")
    good = sum(1 for ch in replaced if ord(ch) > 127) - bad
    if good >= 4 * bad:
        line, column = _line_column(data, first_bad)
        raise _fail(name, "这一行有损坏的字符（文件是 UTF-8 编码，但这里有几个字节无法识别）", line=line, column=column,
                    hint="可能是从别处粘贴时带进来的；请在编辑器中删掉这几个字重新输入，再另存为 UTF-8")
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise _fail(name, "文件编码无法识别（既不是 UTF-8，也不是 GBK/GB18030）", line=line,
                    hint="请在编辑器中“另存为 UTF-8”") from None
    private = _PRIVATE_USE.search(text)
    if private:  # GBK text never lands there: this is another encoding (Big5, Shift-JIS...) read wrongly
        line = text.count("\n", 0, private.start()) + 1
        raise _fail(name, "文件编码无法识别（不是 UTF-8，按 GBK 读出来是乱码；可能是繁体 Big5 等编码）", line=line,
                    hint="请在编辑器中打开后“另存为 UTF-8”")
    return _with_notice(text, name, "文件按 GBK/GB18030 编码读取；建议另存为 UTF-8")


_PRIVATE_USE = re.compile("[\ue000-\uf8ff]")


def _with_notice(text: str, name: str, message: str) -> Source:
    notice = Notice("encoding", message, name)
    log.info("%s", notice)
    return Source(text.removeprefix("\ufeff"), name, [notice])


def read_source(path: str | os.PathLike[str]) -> Source:
    """Read a records file from disk, with a clear message when it is not there or not readable.

    At most MAX_BYTES + 1 bytes are read, so pointing at a huge file (or a
    device) costs neither the memory nor the time of reading it all.
    """
    p = Path(path)
    name = str(path)
    try:
        with p.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise _fail(name, "找不到这个文件", hint=_missing_hint(p)) from None
    except IsADirectoryError:
        raise _fail(name, "这是一个文件夹，不是记录文件", hint="请给出文件夹里的 .yaml 文件，例如 记录/总结.yaml") from None
    except PermissionError:
        raise _fail(name, "没有权限读取这个文件", hint="请检查文件权限，或把文件复制到自己的文件夹再试") from None
    except OSError as exc:
        if p.is_dir():  # Windows reports a folder as "permission denied"
            raise _fail(name, "这是一个文件夹，不是记录文件", hint="请给出文件夹里的 .yaml 文件") from None
        raise _fail(name, f"无法读取：{exc.strerror or exc}", hint="请检查路径和文件名") from None
    return decode(data, name)


def _missing_hint(path: Path) -> str:
    """Did-you-mean for a file name: the closest names in the same folder, else what to check."""
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        return f"文件夹“{folder}”也不存在；请检查路径"
    try:
        names = [p.name for p in folder.iterdir() if p.suffix.lower() in {".yaml", ".yml"}]
    except OSError:
        names = []
    close = difflib.get_close_matches(path.name, names, n=3, cutoff=0.5)
    if close:
        return "是不是想用：" + "、".join(close)
    return "请检查路径和文件名（扩展名通常是 .yaml）"


# --------------------------------------------------------------------------- text → YAML-safe text

# Characters YAML refuses to read (C0/C1 controls, surrogates, non-characters).  NEL (\x85) and the
# Unicode line/paragraph separators are line breaks to YAML: pasted into a value they would break the
# file's structure, so they are treated like control characters too.
_YAML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]")
_LINE_SEPARATORS = "\x85\u2028\u2029"


def strip_forbidden(source: Source) -> Source:
    """Remove characters YAML refuses to read (pasted control characters), noting the line of each.

    A pasted line separator between two Latin words becomes a space, anywhere
    else it disappears (Chinese text has no spaces between words).
    """
    if not _YAML_FORBIDDEN.search(source.text):
        return source
    notices = list(source.notices)
    for number, line in enumerate(re.split(r"\r\n|\r|\n", source.text), start=1):
        found = _YAML_FORBIDDEN.findall(line)
        if found:
            notices.append(Notice("control-chars", f"删除了 {len(found)} 个不能写入 Word 的控制字符", f"{source.name}:{number}"))

    def replace(match: re.Match[str]) -> str:
        if match.group() in _LINE_SEPARATORS:
            text, at = match.string, match.start()
            before = text[at - 1] if at else ""
            after = text[at + 1] if at + 1 < len(text) else ""
            if before.isascii() and before.isalnum() and after.isascii() and after.isalnum():
                return " "
        return ""

    return Source(_YAML_FORBIDDEN.sub(replace, source.text), source.name, notices)


# --------------------------------------------------------------------------- YAML errors → messages

_FULL_COLON_KEY = re.compile(r"^\s*(?:-\s+)?[A-Za-z_][\w-]*\s*：")
_SMART_QUOTES = "“”‘’"
_QUOTE_HINT = "中文引号“”‘’在 YAML 里只是普通文字，不能代替半角引号"


def _split_lines(text: str) -> list[str]:
    return re.split(r"\r\n|\r|\n", text)


def _yaml_problem(exc: yaml.MarkedYAMLError, source: Source) -> Problem:
    """Turn a PyYAML error into a located message with the likely cause, in words office staff use."""
    pm, cm = exc.problem_mark, exc.context_mark
    mark = pm or cm
    line = mark.line + 1 if mark else None
    column = mark.column + 1 if mark else None
    lines = _split_lines(source.text)
    problem = exc.problem or ""
    context = exc.context or ""

    def text_of(number: int | None) -> str:
        return lines[number - 1] if number and 0 < number <= len(lines) else ""

    bad = text_of(line)
    at = bad[column - 1] if column and 0 < column <= len(bad) else ""
    before = bad[column - 2] if column and 1 < column <= len(bad) + 1 else ""

    def located(message: str, hint: str, where: Any = mark, *, col: bool = True) -> Problem:
        if where is not None and where is not mark:
            where_line, where_col = where.line + 1, where.column + 1
        else:
            where_line, where_col = line, column
        quoted = text_of(where_line)
        if any(q in quoted for q in _SMART_QUOTES) and _QUOTE_HINT not in hint:
            hint = f"{hint}；{_QUOTE_HINT}"
        return Problem(message, file=source.name, line=where_line, column=where_col if col else None, hint=hint)

    # 1. Tabs: YAML indents with spaces only.
    if "\t" in bad[: len(bad) - len(bad.lstrip())] or "tab" in problem.lower() or "'\\t'" in problem:
        return located("这一行含有制表符（Tab）", "YAML 只能用空格缩进：请把 Tab 换成两个空格")
    # 2. A key followed by a full-width colon, on this line or the one before.
    start = max((line or 1) - 2, 0)
    colon_at = next((i for i in range(start, min(line or 1, len(lines))) if _FULL_COLON_KEY.match(lines[i])), None)
    if colon_at is not None:
        return Problem("键名后面用了全角冒号“：”", file=source.name, line=colon_at + 1,
                       column=lines[colon_at].index("：") + 1,
                       hint="键名后面要用半角冒号加空格，例如 `title: 某某总结`（切换到英文输入法再输入冒号）")
    # 3. Quotes.
    if "quoted scalar" in context:
        if "end of stream" in problem:
            return located("引号没有配对：从这里开始的引号直到文件末尾都没有结束",
                           "请补上结尾的引号；值里面需要引号时，外面用另一种引号，或改用中文引号“”", cm)
        if "escape" in problem:
            return located("双引号里的反斜杠“\\”有特殊含义，这里的写法无法识别",
                           "在双引号里要写两个反斜杠 \\\\ 表示一个；或改用单引号包住整个值")
        return located("引号里的内容有问题", "请检查这一对引号是否配对", cm)
    if "single document" in context:
        return located("文件里出现了第二份文档（又一个 `---` 或 `...`）",
                       "一个记录文件只写一份总结：请删除这一行的 `---`，或把后面的内容移到另一个文件")
    # 4. Characters with a meaning to YAML at the start of a value.
    if "alias" in context or "anchor" in context:
        sign = "*" if "alias" in context else "&"
        return located(f"值以“{sign}”开头，YAML 把它当成了{'引用' if sign == '*' else '锚点'}",
                       "以 * & ! | > % @ ` { [ 开头的值要用半角引号包起来，例如 - \"*重点*工作\"", cm)
    if "tag" in context:
        return located("值以“!”开头，YAML 把它当成了标签", "请给整个值加上半角引号，例如 - \"!重要\"", cm)
    if "block scalar" in context:
        return located("值以“|”或“>”开头，YAML 把它当成了多行文字的标记",
                       "请给整个值加上半角引号，例如 - \"> 大于\"", cm)
    if "cannot start any token" in problem:
        shown = at or "?"
        if shown in "%{" and "{%" in bad:
            hint = "{% %} 这样的模板语法在记录里只是文字：请给整个值加上半角引号"
        else:
            hint = "请给整个值加上半角引号，例如 - \"@某某\""
        return located(f"值不能以“{shown}”开头（这是 YAML 的保留字符）", hint)
    if "nesting depth" in problem:
        return located(f"嵌套层数超过 {MAX_DEPTH} 层", "记录文件不需要这么深的结构；请检查括号 [ ] { } 是否配对")
    if "flow sequence" in context or "flow mapping" in context:
        kind = "方括号 [ ]" if "sequence" in context else "花括号 { }"
        return located(f"{kind}没有配对，或里面的逗号、冒号写法不对",
                       f"{kind}在 YAML 里表示列表或键值；如果是正文，请给整个值加上半角引号", cm)
    if "undefined alias" in problem:
        return located("值以“*”开头，YAML 把它当成了引用（而这个名字没有定义过）",
                       "如果 * 是正文的一部分，请给整个值加上半角引号")
    # 5. A quoted or bracketed value followed by more text: the quote ended too early.
    if "did not find expected" in problem and before in "\"']}" and before:
        return located("引号或括号提前结束了：它后面还有文字",
                       "值里面需要引号时，外面换用另一种引号（如 '他说\"好\"'），或改用中文引号“”")
    # 6. Colons and indentation.
    if "mapping values are not allowed" in problem:
        key_colon = re.match(r"^(\s*(?:-\s+)*)[^:#]*?:(?=\s|$)", bad)
        colon_column = key_colon.end() if key_colon else None
        if colon_column == column:  # the line's own key: it was read as the continuation of the line above
            return located("这一行的缩进比上面同一层的键多，被当成了上一行的续行",
                           "同一层的键要左对齐，用相同数量的空格缩进")
        return located("值里有半角冒号加空格“: ”，YAML 把它当成了又一个“键: 值”",
                       "请给整个值加上半角引号，或把冒号改成全角“：”，或去掉冒号后面的空格")
    if "could not find expected ':'" in problem:
        return located("这一行既不是“键: 值”，也不是以“- ”开头的列表项",
                       "新的一项要以“- ”开头；如果是上一行的续写，请合并到上一行，或比上一行多缩进两格", cm, col=False)
    if "expected key" in problem or "expected '-'" in problem or "block end" in problem:
        return located("缩进不对：这一行与同一层的其他行没有对齐",
                       "同一层的键要左对齐，列表项以“- ”开头并对齐；缩进只用空格，不要用 Tab")
    return located(f"格式错误（YAML 解析器报告：{problem or context}）", "请检查这一行的缩进、冒号和引号")


# --------------------------------------------------------------------------- YAML → plain data


class _Stop(Exception):
    """Reading cannot go on (too deep, too big, a second document): one located problem."""

    def __init__(self, mark: Any, message: str, hint: str) -> None:
        self.mark, self.message, self.hint = mark, message, hint


# What _scan could object to needs one of these: an anchor (&) or alias (*), a second document (---, ...),
# or YAML line breaks other than \r and \n (which would make the line-based depth bound below unsound).
_SCAN_TRIGGERS = re.compile("[&*\x85\u2028\u2029]|---|\\.\\.\\.|\r(?!\n)")
# Where on a line a block collection can start: after the indentation and a run of "- ", "? ", ": " indicators.
_BLOCK_LEAD = re.compile(r"^[ \t]*(?:[-?:](?:[ \t]+|$))*", re.M)
# Events per character of text, at most (a lone ":" in a flow sequence gives four: a one-pair mapping of
# two empty scalars); with a generous margin.
_EVENTS_PER_CHAR = 8


def _scan_needed(text: str) -> bool:
    """Whether _scan could find anything: False only when it provably finds nothing (then it is skipped).

    _scan objects to anchors and aliases, a second document, more than MAX_NODES
    events and nesting deeper than MAX_DEPTH.  Without "&", "*", "---" and "...",
    the first two cannot occur; a text of n characters has at most about 4n
    events.  Nesting depth is bounded without parsing: block collections nest by
    indentation, and the scanner only opens a new block level at a column larger
    than the enclosing one (a sequence directly under a mapping key may share the
    key's column: at most two levels per column), and only at the first token of a
    line or just after a leading "- ", "? " or ": ".  So block depth is at most
    2 × (the largest such column + 1).  Flow collections add at most one level per
    "{" and two per "[" (a "[a: b]" item is a one-pair mapping).  Checking this
    saves a second full parse for nearly every real records file.
    """
    if len(text) * _EVENTS_PER_CHAR + 16 > MAX_NODES or _SCAN_TRIGGERS.search(text):
        return True
    return _depth_bound(text) > MAX_DEPTH


def _depth_bound(text: str) -> int:
    """An upper bound on how deeply collections nest in ``text`` (no lone \r, NEL, U+2028/9), without parsing."""
    widest = max((len(m.group()) for m in _BLOCK_LEAD.finditer(text)), default=0)
    return 2 * (widest + 1) + 2 * text.count("[") + text.count("{")


def _scan(source: Source) -> Iterator[Problem]:
    """Walk the event stream once before composing: bounded depth and size, anchors, extra documents.

    The event parser is iterative, so this is safe on any input; composing
    (which recurses) only happens once the depth is known to be small.
    """
    depth = events = documents = 0
    anchors: dict[str, Any] = {}
    used: set[str] = set()
    for event in yaml.parse(source.text, Loader=_Loader):
        events += 1
        if events > MAX_NODES:
            raise _Stop(event.start_mark, f"文件里的条目太多（超过 {MAX_NODES} 项）",
                        "记录文件应是手写的文本；请检查是否选错了文件，或把内容拆成几份")
        if isinstance(event, yaml.DocumentStartEvent):
            documents += 1
            if documents > 1:
                raise _Stop(event.start_mark, "文件里出现了第二份文档（又一个 `---` 或 `...`）",
                            "一个记录文件只写一份总结：请删除这一行的 `---`，或把后面的内容移到另一个文件")
        elif isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise _Stop(event.start_mark, f"嵌套层数超过 {MAX_DEPTH} 层",
                            "记录文件不需要这么深的结构；请检查缩进和括号")
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
        if isinstance(event, yaml.AliasEvent):
            used.add(event.anchor)
        elif isinstance(event, yaml.NodeEvent) and event.anchor:
            anchors.setdefault(event.anchor, event.start_mark)
    for anchor, mark in anchors.items():
        if anchor not in used:
            yield Problem(f"“&{anchor}”被 YAML 当成了锚点，这几个字不会出现在文档里", file=source.name,
                          line=mark.line + 1, column=mark.column + 1,
                          hint="如果 & 是正文的一部分，请给整个值加上半角引号，例如 - \"&某某\"")


_KEY_INVISIBLE = re.compile(r"[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")


class _Builder:
    """Builds plain values from composed nodes, recording marks and collecting problems."""

    def __init__(self, source: Source) -> None:
        self.source = source
        self.marks: dict[tuple[Any, ...], tuple[int, int]] = {}
        self.problems: list[Problem] = []
        self.notices: list[Notice] = []
        self.count = 0
        self._open: set[int] = set()  # ids of the collections being built: an alias back to one is a loop
        self._scalar = yaml.SafeLoader("")  # used only for its scalar constructors

    def where(self, node: yaml.Node) -> str:
        return f"{self.source.name}:{node.start_mark.line + 1}:{node.start_mark.column + 1}"

    def problem(self, node: yaml.Node, path: tuple[Any, ...], message: str, hint: str = "") -> None:
        self.problems.append(
            Problem(message, file=self.source.name, line=node.start_mark.line + 1,
                    column=node.start_mark.column + 1, path=format_path(path), hint=hint)
        )

    def build(self, node: yaml.Node, path: tuple[Any, ...] = ()) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise _Stop(node.start_mark, f"内容展开后超过 {MAX_NODES} 个值（锚点 & 和引用 * 成倍展开）",
                        "请删除锚点和引用，把内容直接写出来")
        self.marks.setdefault(path, (node.start_mark.line + 1, node.start_mark.column + 1))
        if isinstance(node, yaml.ScalarNode):
            return self._scalar_value(node, path)
        if id(node) in self._open:
            self.problem(node, path, "引用 * 指向了包含它自己的内容（形成了循环）", "请删除这个引用，把内容直接写出来")
            return None
        self._open.add(id(node))
        try:
            if isinstance(node, yaml.MappingNode):
                return self._mapping(node, path)
            if node.tag != f"{_TAG}seq":
                self.problem(node, path, f"不支持的标签“{_show_tag(node.tag)}”（标签不会被执行）", "请删除以 ! 开头的标签")
            return [self.build(child, (*path, i)) for i, child in enumerate(node.value)]
        finally:
            self._open.discard(id(node))

    def _scalar_value(self, node: yaml.ScalarNode, path: tuple[Any, ...]) -> Any:
        if node.tag not in _SCALAR_TAGS:
            self.problem(node, path, f"不支持的标签“{_show_tag(node.tag)}”（标签不会被执行）",
                         "请删除以 ! 开头的标签，或给整个值加上半角引号")
            return node.value
        plain = not node.style  # the C loader marks plain scalars with "", the Python one with None
        tag = node.tag
        if tag == _STR_TAG:
            # Most values: SafeConstructor's str constructor returns node.value itself, and whether the
            # tag was implicit matters only for bools and numbers below.  Skipping both saves most of
            # the time spent per value.
            value: Any = node.value
        else:
            if tag == f"{_TAG}timestamp":
                return node.value  # dates are parsed by the model, with a message people understand
            # Resolved from its look, not from a tag the user wrote (!!bool 也许 must still be an error).
            implicit = plain and self._scalar.resolve(yaml.ScalarNode, node.value, (True, False)) == tag
            if implicit and tag == f"{_TAG}bool":
                return node.value  # "yes"/"on" stay text where text is expected; pydantic reads them as booleans
            number = implicit and tag in {f"{_TAG}int", f"{_TAG}float"}
            if number and len(node.value) > 40:
                return node.value  # a long run of digits (an ID number, an account) is text
            try:
                value = self._scalar.construct_object(node)
            except Exception:  # any constructor failure (ValueError, KeyError...) is a value we cannot read
                self.problem(node, path, f"无法按标签读取这个值：{_show(node.value)}", "请删除 !! 标签，或给整个值加上半角引号")
                return node.value
            if number and str(value) != node.value:
                return node.value  # 010, 9:30, 1.10, 1_000, .5, +5 keep the digits people typed
        if isinstance(value, str):
            if plain:
                value = value.strip()
                if node.end_mark.line > node.start_mark.line:
                    self._merged_lines(node, path)
                if len(value) >= 2 and value[0] in "“‘" and value[-1] in "”’" and not _KEY_INVISIBLE.search(value):
                    self.notices.append(Notice(
                        "quotes", "这个值两端的中文引号会原样出现在文档里；如果只是想加引号，请改用半角引号或去掉",
                        self.where(node)))
        return value

    def _merged_lines(self, node: yaml.ScalarNode, path: tuple[Any, ...]) -> None:
        """A list item or key indented too far is read as more words of the line above: say so."""
        lines = _split_lines(self.source.text)
        for number in range(node.start_mark.line + 1, min(node.end_mark.line + 1, len(lines))):
            text = lines[number].strip()
            if text.startswith("- ") or text == "-" or re.match(r"[A-Za-z_][\w-]*:(\s|$)", text):
                self.problems.append(Problem(
                    "这一行的缩进不对，被并进了上一行的文字里", file=self.source.name, line=number + 1,
                    column=len(lines[number]) - len(lines[number].lstrip()) + 1, path=format_path(path),
                    hint="同一层的“- ”或键名要和上面的对齐；如果确实是上一行的续写，请删掉行首的“- ”或给整段加引号"))
                return

    def _key(self, key_node: yaml.Node, path: tuple[Any, ...]) -> str | None:
        if not isinstance(key_node, yaml.ScalarNode):
            line = _split_lines(self.source.text)[key_node.start_mark.line]
            if "{{" in line or "{%" in line:
                self.problem(key_node, path, "值以“{”开头，YAML 把它当成了“键: 值”结构",
                             "{{ }} 这样的模板语法在记录里只是文字：请给整个值加上半角引号")
            else:
                self.problem(key_node, path, "键名必须是一个简单的词", "例如 `title:`；以 { [ ? 开头的值要加半角引号")
            return None
        if key_node.tag not in _SCALAR_TAGS:
            self.problem(key_node, path, f"不支持的标签“{_show_tag(key_node.tag)}”（标签不会被执行）", "请删除以 ! 开头的标签")
            return None
        key = key_node.value
        cleaned = _KEY_INVISIBLE.sub("", key).strip(" ")
        if cleaned != key:
            self.notices.append(Notice("key-chars", f"键名“{cleaned}”里有看不见的字符（零宽空格等），已删除",
                                       self.where(key_node)))
        return cleaned

    def _mapping(self, node: yaml.MappingNode, path: tuple[Any, ...]) -> dict[Any, Any]:
        if node.tag != f"{_TAG}map":
            self.problem(node, path, f"不支持的标签“{_show_tag(node.tag)}”（标签不会被执行）", "请删除以 ! 开头的标签")
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == f"{_TAG}merge":
                self.problem(key_node, path, "不支持合并键 <<", "请把要合并的内容直接写出来")
                continue
            key = self._key(key_node, path)
            if key is None:
                continue
            if key in result:
                first = self.marks.get((*path, key), (0, 0))[0]
                self.problem(key_node, (*path, key), f"键“{key}”写了两次（第一次在第 {first} 行），后一个会覆盖前一个",
                             "请把两处内容合并成一处，或删掉其中一个")
                continue
            self.marks[(*path, key)] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            result[key] = self.build(value_node, (*path, key))
        return result


def _show_tag(tag: str | None) -> str:
    """A tag as the user wrote it (!!python/object rather than tag:yaml.org,2002:python/object)."""
    tag = tag or ""
    return "!!" + tag[len(_TAG):] if tag.startswith(_TAG) else tag


_INDENT_SPACES = re.compile(r"^[ \t]*[\u3000\u00a0][\s\u3000\u00a0]*(?=\S)")


def _layout_problems(source: Source) -> list[Problem]:
    """Indentation with full-width or no-break spaces: invisible, and YAML reads them as text."""
    problems = []
    for number, line in enumerate(_split_lines(source.text), start=1):
        match = _INDENT_SPACES.match(line)
        if match and re.match(r"(-\s|[^\s:：#]+\s*[:：](\s|$))", line[match.end():]):
            kind = "全角空格" if "\u3000" in match.group() else "不换行空格（网页复制带来的）"
            problems.append(Problem(f"这一行用{kind}缩进", file=source.name, line=number, column=1,
                                    hint="YAML 只认半角空格：请删掉行首的空白，重新用空格键缩进"))
    return problems


def parse_yaml(source: Source) -> Marked:
    """YAML text → plain data with marks.  Raises RecordsError listing what is wrong."""
    problems = _layout_problems(source)
    if problems:
        raise RecordsError.collect(source.name, problems)
    try:
        problems = list(_scan(source)) if _scan_needed(source.text) else []
        node = yaml.compose(source.text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        raise RecordsError.collect(source.name, [_yaml_problem(exc, source)]) from None
    except _Stop as exc:
        raise _fail(source.name, exc.message, line=exc.mark.line + 1, hint=exc.hint) from None
    except (yaml.YAMLError, RecursionError) as exc:  # pragma: no cover - the scan above catches these first
        raise _fail(source.name, f"格式错误（YAML 解析器报告：{exc}）", hint="请检查缩进、冒号和引号") from None
    if node is None:
        has_comments = any(line.strip().startswith("#") for line in _split_lines(source.text))
        message = "文件里只有注释（以 # 开头的行），没有内容" if has_comments else "文件是空的"
        raise _fail(source.name, message, hint=_EXAMPLE_HINT)
    builder = _Builder(source)
    try:
        data = builder.build(node)
    except _Stop as exc:
        raise _fail(source.name, exc.message, line=exc.mark.line + 1, hint=exc.hint) from None
    problems = sorted([*problems, *builder.problems], key=lambda p: (p.line or 0, p.column or 0))
    if problems:
        raise RecordsError.collect(source.name, problems)
    if not isinstance(data, dict):
        raise RecordsError.collect(source.name, [_top_level_problem(data, source)])
    return Marked(data, builder.marks, builder.notices)


def _top_level_problem(data: Any, source: Source) -> Problem:
    if isinstance(data, list):
        message, hint = "文件顶层是一个列表（以“- ”开头），应是“键: 值”的形式", f"第一行通常是 `meta:`，各部分写在它们的键下面；{_EXAMPLE_HINT}"
    elif isinstance(data, str) and re.match(r"^[A-Za-z_]\w*:\S", data):
        message, hint = "冒号后面少了空格", "键值之间要写成 `键: 值`，冒号后面加一个空格"
    elif isinstance(data, str) and len(data) > 20:
        message, hint = "文件内容不是记录格式：看起来是直接写的正文", f"记录文件由 `meta:`、`intro:` 这样的“键: 值”组成；{_EXAMPLE_HINT}"
    else:
        message, hint = "文件顶层必须是“键: 值”的形式", f"第一行通常是 `meta:`；{_EXAMPLE_HINT}"
    return Problem(message, file=source.name, line=1, column=1, hint=hint)


# --------------------------------------------------------------------------- validation


def format_path(path: tuple[Any, ...]) -> str:
    """('achievements', 0, 'items', 2) → 'achievements[0].items[2]' (what users see in messages)."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


_FIELD_MESSAGES = {
    "missing": "缺少必填项",
    "string_type": "这里应是文字",
    "list_type": "这里应是列表（每项以“- ”开头）",
    "tuple_type": "这里应是列表（每项以“- ”开头）",
    "dict_type": "这里应是“键: 值”的结构",
    "model_type": "这里应是“键: 值”的结构",
    "model_attributes_type": "这里应是“键: 值”的结构",
    "bool_type": "这里应是 true 或 false",
    "bool_parsing": "这里应是 true 或 false",
    "int_type": "这里应是整数",
    "int_parsing": "这里应是整数",
    "int_from_float": "这里应是整数",
    "float_type": "这里应是数字",
    "float_parsing": "这里应是数字",
    "finite_number": "这里应是有限的数字",
    "date_type": "这里应是日期，如 2026-01-20",
    "date_parsing": "日期格式不对，请写成 2026-01-20 或 2026年1月20日",
    "date_from_datetime_parsing": "日期格式不对，请写成 2026-01-20 或 2026年1月20日",
    "date_from_datetime_inexact": "日期格式不对，请写成 2026-01-20 或 2026年1月20日",
    "too_short": "至少要有一项",
    "too_long": "项数太多",
    "string_too_short": "不能是空的",
    "string_too_long": "文字太长",
    "string_pattern_mismatch": "写法不对",
    "literal_error": "取值不对",
    "enum": "取值不对",
    "frozen_instance": "这一项不能修改",
}

_BOUNDS = {
    "greater_than": "应大于 {gt}",
    "greater_than_equal": "应不小于 {ge}",
    "less_than": "应小于 {lt}",
    "less_than_equal": "应不大于 {le}",
}

# Chinese words people use for keys → the keys they probably mean (the first one allowed at that place wins).
_CHINESE_KEYS = {
    "标题": ["title", "heading", "caption"], "题目": ["title", "heading"], "副标题": ["subtitle"],
    "单位": ["organization", "unit"], "学校": ["organization"], "部门": ["department"],
    "时期": ["period"], "期间": ["period"], "学期": ["period"], "年度": ["period"], "时间": ["period", "date"],
    "主题": ["subject"], "文种": ["kind"], "作者": ["author"], "撰写人": ["author"], "姓名": ["name", "author"],
    "日期": ["date"], "成文日期": ["date"], "模板": ["template"], "称呼": ["audience"],
    "关键词": ["keywords"], "关键字": ["keywords"], "开头": ["intro"], "引言": ["intro"], "前言": ["intro"],
    "总体情况": ["intro"], "成绩": ["achievements"], "主要工作": ["achievements"], "工作": ["achievements"],
    "章节": ["sections"], "经验": ["experiences"], "体会": ["experiences"], "经验体会": ["experiences"],
    "问题": ["problems"], "存在问题": ["problems"], "不足": ["problems"], "打算": ["plans"], "计划": ["plans"],
    "下一步": ["plans"], "下一步打算": ["plans"], "表格": ["tables"], "统计表": ["tables"], "结尾": ["closing"],
    "结束语": ["closing"], "落款": ["signature"], "署名": ["signature"], "附件": ["attachments"],
    "参考文献": ["references"], "类别": ["heading"], "条目": ["items"], "内容": ["items", "text", "paragraphs"],
    "正文": ["text", "paragraphs"], "段落": ["paragraphs"], "说明": ["details", "note"], "指标": ["metrics"],
    "数据": ["metrics"], "名称": ["name"], "数值": ["value"], "数量": ["value"], "表头": ["columns"],
    "列": ["columns"], "行": ["rows"], "表题": ["caption"], "注": ["note"], "表注": ["note"],
    "引导": ["lead"], "引语": ["lead"], "下级": ["subsections"], "小节": ["subsections"], "子章节": ["subsections"],
}


def _show(value: Any, limit: int = 30) -> str:
    """A value as a message quotes it: “文字”, 5, true, 空 — long text cut short."""
    if value is None:
        return "空"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f"“{value[:limit]}…”" if len(value) > limit else f"“{value}”"
    if isinstance(value, dict):
        return "“键: 值”结构"
    if isinstance(value, list):
        return "列表"
    return str(value)


def _did_you_mean(key: str, model_fields: list[str], elsewhere: Mapping[str, str] | None = None) -> str:
    """The hint for an unknown key: case, full-width letters, Chinese names, typos, or where it belongs."""
    if not model_fields:
        return ""
    normal = unicodedata.normalize("NFKC", key).strip().lower()
    if normal in model_fields and normal != key:
        if normal != key.lower():
            return f"键名用了全角字母：请切换到英文输入法，写成 `{normal}`"
        return f"键名要全部小写：请写成 `{normal}`"
    candidates = _CHINESE_KEYS.get(normal.rstrip("：:"), [])
    for candidate in candidates:
        if candidate in model_fields:
            return f"键名要用英文：“{key}”请写成 `{candidate}`，见 docs/records.md"
    for candidate in candidates:
        if elsewhere and candidate in elsewhere:
            return f"键名要用英文：“{key}”请写成 `{candidate}`，并写在 `{elsewhere[candidate]}:` 下面、缩进两格"
    if elsewhere and normal in elsewhere:
        return f"`{normal}` 应写在 `{elsewhere[normal]}:` 下面、缩进两格"
    close = difflib.get_close_matches(normal, model_fields, n=1, cutoff=0.6)
    return f"是不是想写 `{close[0]}`？" if close else f"可用的键：{', '.join(model_fields)}"


def _is_model(value: Any) -> bool:
    from pydantic import BaseModel

    return isinstance(value, type) and issubclass(value, BaseModel)


def _model_in(annotation: Any) -> Any:
    from typing import get_args

    if _is_model(annotation):
        return annotation
    for arg in get_args(annotation):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def _model_at(path: tuple[Any, ...], root: Any = Report) -> Any:
    """The model that validates the value at ``path`` (None when it is not a model)."""
    model: Any = root
    for part in path:
        if isinstance(part, int):
            continue
        info = model.model_fields.get(part) if _is_model(model) else None
        if info is None:
            return None
        model = _model_in(info.annotation)
        if model is None:
            return None
    return model if _is_model(model) else None


def _fields_at(path: tuple[Any, ...], root: Any = Report) -> list[str]:
    """The keys allowed at a path of a model (for did-you-mean suggestions)."""
    model = _model_at(path, root)
    return list(model.model_fields) if model is not None else []


def _homes(root: Any) -> dict[str, str]:
    """Field name → the top-level key it belongs under (organization → meta), for misplaced keys."""
    homes: dict[str, str] = {}
    if not _is_model(root):
        return homes
    for name, info in root.model_fields.items():
        child = _model_in(info.annotation)
        if child is not None:
            for field_name in child.model_fields:
                homes.setdefault(field_name, name)
    return homes


_MISSING = object()


def _data_path(loc: tuple[Any, ...], data: Any) -> tuple[tuple[Any, ...], Any]:
    """Pydantic's error location → the path in the user's data, and the value there.

    Pydantic inserts markers for union members and validators
    (``function-before[...]``, ``list[...]``, model names); a short form that a
    validator expanded (an item written as a string, a part as a list) adds
    field names that are not in the data.  Walking the data tells them apart,
    so that Chinese or odd keys are never mistaken for markers.
    """
    keep: list[Any] = []
    current: Any = data
    for part in loc:
        if isinstance(current, dict) and part in current:
            keep.append(part)
            current = current[part]
        elif isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current):
            keep.append(part)
            current = current[part]
        elif isinstance(part, str) and (_is_marker(part) or (current is not _MISSING and not isinstance(current, dict))):
            continue  # a union/validator marker, or a field added by a short form (the data has no such level)
        else:
            keep.append(part)
            current = _MISSING
    return tuple(keep), current


def _is_marker(part: str) -> bool:
    return bool(re.search(r"[\[\]()'\",\- ]", part)) or part in {
        "str", "int", "float", "bool", "list", "dict", "date", "datetime", "none", "literal",
    } or (part[:1].isupper() and part.isidentifier())


def _colon_hint(value: Any, *, strict: bool = False) -> str:
    """Text with “: ” inside was read as a key and a value: say so (the most common YAML surprise).

    ``strict``: only when the "key" cannot be a key someone meant (not a plain
    English word), so that a misspelt key still gets its did-you-mean.
    """
    if isinstance(value, dict) and len(value) == 1:
        key, item = next(iter(value.items()))
        if strict and (re.fullmatch(r"[A-Za-z_][\w-]*", str(key)) or isinstance(item, dict | list)):
            return ""
        if any(q in str(key) for q in _SMART_QUOTES):
            return f"这一条里有半角冒号加空格“: ”，被当成了“键: 值”；{_QUOTE_HINT}，请改用半角引号包住整条"
        return "这一条里有半角冒号加空格“: ”，被当成了“键: 值”：请给整条加上半角引号，或把冒号改成全角“：”"
    return ""


def _type_hint(kind: str, value: Any, path: tuple[Any, ...], model: Any) -> str:
    """How to fix a value of the wrong type, from what was written."""
    colon = _colon_hint(value)
    if colon:
        return colon
    if value is None:
        return "这里什么也没写：请填写内容，或删掉这一行；以 # 开头的内容是注释，正文里有 # 时请加半角引号"
    if isinstance(value, str):
        if re.match(r"^[A-Za-z_]\w*\s*[:：]\S", value):
            return "冒号后面少了空格：键值之间要写成 `键: 值`"
        if re.match(r"^[A-Za-z_]\w*\s*：", value):
            return "键名后面用了全角冒号“：”：请改成半角冒号加空格"
        if kind in {"list_type", "tuple_type"} or _model_at(path, model) is _part_model():
            if re.match(r"^[－—–•·●]", value):
                return "列表项要以半角减号加空格“- ”开头"
            if value.startswith("-"):
                return "“-”后面要有一个空格"
            return "写成列表：在下一行缩进两格，以“- ”开头写这段文字"
        if kind in {"model_type", "model_attributes_type", "dict_type"}:
            sub = _model_at(path, model)
            required = [n for n, f in sub.model_fields.items() if f.is_required()] if sub is not None else []
            if required:
                return f"要写成“键: 值”，例如 `{required[0]}: {value[:20]}`"
            return "要写成“键: 值”，每个键占一行并缩进两格"
    if isinstance(value, bool) and kind == "string_type":
        return "如果是文字，请加上半角引号"
    return _KIND_HINTS.get(kind, "请对照 docs/records.md 检查这一项的写法")


_KIND_HINTS = {
    "string_type": "这里只能写一段文字，不能是列表或“键: 值”",
    "list_type": "写成列表：在下一行缩进两格，以“- ”开头逐项写",
    "tuple_type": "写成列表：在下一行缩进两格，以“- ”开头逐项写",
    "model_type": "要写成“键: 值”，每个键占一行并缩进两格",
    "model_attributes_type": "要写成“键: 值”，每个键占一行并缩进两格",
    "dict_type": "要写成“键: 值”，每个键占一行并缩进两格",
    "bool_type": "是写 true，否写 false",
    "bool_parsing": "是写 true，否写 false",
    "int_type": "只写阿拉伯数字，例如 22",
    "int_parsing": "只写阿拉伯数字，例如 22",
    "int_from_float": "只写整数，例如 22",
    "float_type": "只写数字，例如 13.8",
    "float_parsing": "只写数字，例如 13.8",
    "finite_number": "只写数字，例如 13.8",
    "date_type": "例如 2026-01-20 或 2026年1月20日",
    "date_parsing": "例如 2026-01-20 或 2026年1月20日",
    "date_from_datetime_parsing": "例如 2026-01-20 或 2026年1月20日",
    "date_from_datetime_inexact": "例如 2026-01-20 或 2026年1月20日",
    "too_short": "请至少写一项",
    "too_long": "请删掉多余的项",
    "string_too_short": "请填写内容",
    "string_too_long": "请缩短这段文字",
}


def _value_error_hint(message: str) -> str:
    """Hints for the model's own checks (records.py raises them in Chinese)."""
    if "日期" in message:
        return "例如 2026-01-20 或 2026年1月20日"
    if "表头" in message or "格" in message:
        return "每一行的格数要与 columns 的列数相同；空着的格写成 \"\""
    return "请对照 docs/records.md 检查这一项的写法"


def _part_model() -> Any:
    from .records import Part

    return Part


def validation_problems(exc: ValidationError, marked: Marked, name: str, prefix: tuple[Any, ...] = (),
                        model: Any = Report) -> list[Problem]:
    """Map pydantic's errors to located, plain-Chinese problems (one per place, in file order)."""
    problems: list[Problem] = []
    seen: set[tuple[Any, ...]] = set()
    root = marked.data
    for part in prefix:
        root = root[part] if isinstance(root, dict | list) else root
    homes = _homes(model)
    errors = exc.errors(include_url=False)
    colon_paths = set()
    for error in errors:
        path, value = _data_path(tuple(error["loc"]), root)
        if error["type"] == "extra_forbidden" and path:
            parent = _value_at(root, path[:-1])
            if (len(path) >= 2 and isinstance(path[-2], int) and _colon_hint(parent, strict=True)
                    and _model_at(path[:-1], model) is not None):
                colon_paths.add(path[:-1])
    for error in errors:
        path, value = _data_path(tuple(error["loc"]), root)
        kind = error["type"]
        # One problem per place: a union of "text or mapping" reports one error per branch, and a line
        # with a colon in it (read as key: value) yields an unknown key and a missing text.
        owner = next((p for p in colon_paths if path[: len(p)] == p), None)
        if owner is not None:
            path, value, kind = owner, _value_at(root, owner), "colon"
        if path in seen:
            continue
        seen.add(path)
        mark = _nearest_mark(marked.marks, prefix + path)
        line, column = mark if mark else (None, None)
        ctx = error.get("ctx", {}) or {}
        hint = ""
        if kind == "string_type" and _colon_hint(value, strict=True):
            kind = "colon"
        if kind == "colon":
            message, hint = "这一条被读成了“键: 值”", _colon_hint(value)
        elif kind == "extra_forbidden":
            key = path[-1] if path else ""
            message = f"不认识的键“{key}”"
            hint = _did_you_mean(str(key), _fields_at(path[:-1], model), homes if len(path) == 1 else None)
            if len(path) == 1 and key in {"defaults", "reports"} and model is Report:
                message = f"“{key}”用于一个文件写多份总结，render 只生成一份"
                hint = "请用 `summarykit batch 文件.yaml -o 输出文件夹` 生成，每份一个文件"
        elif kind == "missing":
            key = path[-1] if path else ""
            if prefix + path in marked.empty:
                message, hint = f"“{key}”是空的", f"请在 `{key}:` 后面填写内容"
            else:
                message, hint = f"缺少必填项“{key}”", f"请补上 `{key}: …`"
        elif kind in {"value_error", "assertion_error"}:
            message = str(ctx.get("error", error["msg"]))
            hint = _value_error_hint(message)
        elif kind == "literal_error":
            message = f"取值不对，实际是 {_show(value if value is not _MISSING else error.get('input'))}"
            hint = f"可以写：{ctx.get('expected', '')}"
        elif kind in _BOUNDS:
            message = f"{_BOUNDS[kind].format(**ctx)}，实际是 {_show(error.get('input'))}"
            hint = "请改成范围内的数"
        else:
            message = _FIELD_MESSAGES.get(kind, "这里的值不符合要求")
            shown = value if value is not _MISSING else error.get("input")
            if kind != "missing":
                message += f"，实际是{_show(shown)}" if shown is None else f"，实际是 {_show(shown)}"
            hint = _type_hint(kind, shown, path, model)
        problems.append(Problem(message, file=name, line=line, column=column,
                                path=format_path(prefix + path), hint=hint))
    problems.sort(key=lambda p: (p.line or 0, p.column or 0))
    return problems


def _value_at(data: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        if isinstance(data, dict) and part in data:
            data = data[part]
        elif isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data):
            data = data[part]
        else:
            return _MISSING
    return data


def _nearest_mark(marks: Mapping[tuple[Any, ...], tuple[int, int]], path: tuple[Any, ...]) -> tuple[int, int] | None:
    for end in range(len(path), -1, -1):
        if path[:end] in marks:
            return marks[path[:end]]
    return None


_TEMPLATE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_\-]{0,63}$")


def _template_problem(data: Any, marked: Marked, name: str, prefix: tuple[Any, ...]) -> Problem | None:
    """meta.template names a template: a word, never a path (checked here so the message has a line)."""
    meta = data.get("meta") if isinstance(data, dict) else None
    template = meta.get("template") if isinstance(meta, dict) else None
    if not isinstance(template, str) or _TEMPLATE_NAME.match(template):
        return None
    line, column = _nearest_mark(marked.marks, (*prefix, "meta", "template")) or (None, None)
    return Problem(f"模板名“{template}”不合法：只能由字母、数字、下划线和连字符组成，不能是路径", file=name,
                   line=line, column=column, path=format_path((*prefix, "meta", "template")),
                   hint="写内置或自己的模板名，例如 `template: school_term`；`summarykit templates` 列出可用的模板")


def report_from_data(data: Any, marked: Marked, name: str, notices: list[Notice],
                     prefix: tuple[Any, ...] = ()) -> Report:
    """Validate one report's plain data (already cleaned) into a Report, or raise RecordsError."""
    template = _template_problem(data, marked, name, prefix)
    try:
        report = Report.model_validate(data)
    except ValidationError as exc:
        problems = validation_problems(exc, marked, name, prefix)
        if template is not None:
            problems = sorted([template, *problems], key=lambda p: (p.line or 0, p.column or 0))
        raise RecordsError.collect(name, problems) from None
    if template is not None:
        raise RecordsError.collect(name, [template])
    report._notices.extend(notices)
    report._source = name
    return report


def drop_empty(marked: Marked, name: str) -> list[Notice]:
    """Keys left empty (``intro:`` with nothing under it) mean "not given": drop them, with one notice.

    A starter file lists every part; people leave the ones they have nothing
    for empty.  Dropping them loses nothing (the value was empty) and lets the
    model's defaults apply; a required key left empty is still reported, as
    "empty" rather than "missing".
    """
    dropped: list[tuple[Any, ...]] = []

    def walk(value: Any, path: tuple[Any, ...]) -> Any:
        if isinstance(value, dict):
            kept = {}
            for key, item in value.items():
                if item is None:
                    dropped.append((*path, key))
                else:
                    kept[key] = walk(item, (*path, key))
            return kept
        if isinstance(value, list):
            return [walk(item, (*path, i)) for i, item in enumerate(value)]
        return value

    marked.data = walk(marked.data, ())
    marked.empty.update(dropped)
    if not dropped:
        return []
    places = "、".join(f"{format_path(p)}（第 {marked.marks.get(p, (0, 0))[0]} 行）" for p in dropped[:10])
    more = f"等 {len(dropped)} 项" if len(dropped) > 10 else ""
    return [Notice("empty", f"这些项是空的，按未填写处理：{places}{more}", name)]


def loads(text: str | bytes, name: str = "<输入>") -> Report:
    """Parse records from text or bytes (what `load` does after reading the file)."""
    source = decode(text, name) if isinstance(text, bytes) else Source(text, name)
    return _load_source(source)


def load(path: str | os.PathLike[str]) -> Report:
    """Read and validate one records file.  Raises RecordsError listing every problem found."""
    return _load_source(read_source(path))


def _load_source(source: Source) -> Report:
    if len(source.text) > MAX_BYTES:
        raise _fail(source.name, f"内容太长（超过 {MAX_BYTES // 1024 // 1024} MB）",
                    hint="记录文件应是手写的文本；请把内容拆成几份")
    source = strip_forbidden(source)
    marked = parse_yaml(source)
    empty = drop_empty(marked, source.name)
    data, notices = clean_tree(marked.data, source.name, marked.marks)
    notices = [*marked.notices, *empty, *notices]
    for notice in notices:
        log.info("%s", notice)
    return report_from_data(data, marked, source.name, [*source.notices, *notices])
