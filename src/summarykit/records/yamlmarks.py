"""YAML text → plain data with the line and column of every value, and YAML errors → plain messages.

Every later message must say file:line:column, so the YAML is first walked as
an event stream (bounded depth and size, anchors that would swallow text, a
second document), then *composed* (not constructed) so each node keeps its
line and column, and plain Python values are built here: only the standard
scalar tags, nothing is ever constructed or run from a tag, a key given twice
is an error, alias expansion is bounded.  YAML 1.1's surprises that would
change what people wrote are undone: ``yes`` stays the text "yes" (pydantic
turns it into a boolean where one is expected), ``010``, ``9:30`` and ``1.10``
keep their digits.  PyYAML's own errors are rewritten as the likely cause in
words office staff use (a Tab, a full-width colon, an unclosed quote...).

The result, ``Marked``, knows nothing of the records model: validation maps
pydantic's errors back onto its marks.  The marks are worked out only when a
message first asks for one (``_LazyMarks``): building without paths is three
times faster, and most reports never need a line number.  Most files are plain
block YAML, which blockyaml.py reads line by line into the same values and outline
without libyaml's nodes; anything else, and every file with a problem, comes here.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from ..errors import Notice, Problem, RecordsError
from .blockyaml import _CLOSE, _OPEN_MAP, _OPEN_SEQ, _STR_TAG, read_block
from .decoding import Source, _fail

if TYPE_CHECKING:
    import yaml

MAX_NODES = 200_000  # bounds the values in a file and alias expansion ("billion laughs")
#: Characters of text after anchors and aliases are expanded: a file is at most 5 MB, so without
#: aliases it cannot exceed this; one long string aliased thousands of times would (gigabytes later on).
MAX_EXPANDED_CHARS = 10_000_000
MAX_DEPTH = 64  # the records model is at most ~12 levels deep; 64 leaves room for long subsection chains


class _FastResolve:
    """PyYAML's tag resolution, with its common answer given at once.

    A scalar is "str" unless it is plain and one of the implicit resolvers keyed by its
    first character matches it (no resolver matches any first character, and there are no
    path resolvers: checked when the class is built, else the loader is used as it is).
    The C parser asks this for every scalar; Chinese text never starts with a key
    character, so most answers need no lookup and no regular expression.
    """

    _first_chars: ClassVar[frozenset[str]] = frozenset()  # filled by _libyaml()
    _words: ClassVar[dict[str, frozenset[str]]] = {}  # keys starting with y, n, t, f, o... need no regex either

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        if kind is yaml.ScalarNode and (not implicit[0] or (value and value[0] not in self._first_chars)):
            return self.DEFAULT_SCALAR_TAG  # type: ignore[attr-defined]
        if kind is yaml.ScalarNode and value:
            words = self._words.get(value[0])
            if words is not None and value not in words and value[-1] != "\n":  # "$" also matches before a final \n
                return self.DEFAULT_SCALAR_TAG  # type: ignore[attr-defined]
        return super().resolve(kind, value, implicit)  # type: ignore[misc]


def _word_resolvers(resolvers: dict[Any, list[tuple[str, re.Pattern[str]]]]) -> dict[str, frozenset[str]]:
    """First characters whose every implicit resolver is a list of words (bools, null) → those words.

    ``title`` or ``notes`` can only be a bool or null if it is one of the words; the rest
    of the resolvers (numbers, dates) are real patterns and are left to PyYAML.
    """
    found: dict[str, frozenset[str]] = {}
    for first, entries in resolvers.items():
        words: set[str] = set()
        for _, pattern in entries:
            listed = re.fullmatch(r"\^\(\?:([A-Za-z~|\s]*)\)\$", pattern.pattern)
            if listed is None or not pattern.flags & re.VERBOSE:
                break
            words.update(word.strip() for word in listed.group(1).split("|"))
        else:
            if isinstance(first, str) and first:
                found[first] = frozenset(words)
    return found


# PyYAML and the loaders built on it are set up by _libyaml() on first use: a plain block file
# (blockyaml.py), which is nearly every file, never needs them, and importing PyYAML is ~15 ms
# of a cold `summarykit validate` (issue 18).  The functions below that use ``yaml`` run only
# after parse_yaml (or the builder's ``_scalar``) has called _libyaml().
_Loader: type
_Composer: type


def _libyaml() -> Any:
    """PyYAML, imported and the module's loaders built the first time a file needs libyaml."""
    global yaml, _Loader, _Composer  # set once, then read like the constants they are
    if "_Composer" in globals():
        return yaml
    import yaml as module

    try:  # PyYAML's C parser is several times faster and keeps marks too
        loader: type = module.CSafeLoader
    except AttributeError:  # pragma: no cover - depends on how PyYAML was built
        loader = module.SafeLoader
    _FastResolve._first_chars = frozenset(loader.yaml_implicit_resolvers)
    _FastResolve._words = _word_resolvers(loader.yaml_implicit_resolvers)
    yaml = module
    _Loader = loader
    if None in loader.yaml_implicit_resolvers or loader.yaml_path_resolvers:  # pragma: no cover - not in PyYAML 6
        _Composer = loader
    else:
        _Composer = type("_Composer", (_FastResolve, loader), {})
    return module


def __getattr__(name: str) -> Any:
    """``yamlmarks._Loader`` / ``_Composer`` / ``yaml`` from outside (the tests) build them first."""
    if name in {"_Loader", "_Composer", "yaml"}:
        _libyaml()
        return globals()[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


_TAG = "tag:yaml.org,2002:"
# _STR_TAG (PyYAML's default scalar tag) comes from blockyaml.py
_SCALAR_TAGS = {f"{_TAG}{t}" for t in ("str", "int", "float", "bool", "null", "timestamp")}

_EXAMPLE_HINT = "可以用 `summarykit init school_term -o 记录.yaml` 生成一个示例，格式见 docs/records.md"


@dataclass
class Marked:
    """Plain data plus the line/column of every path inside it.

    ``notices`` are what building the data changed (invisible characters in
    keys, values wrapped in Chinese quotes); ``empty`` the paths of keys whose
    value was left empty and which were dropped as "not given" (records only).
    """

    data: Any
    marks: Mapping[tuple[Any, ...], tuple[int, int]]  # a plain dict, or _LazyMarks from parse_yaml
    notices: list[Notice] = field(default_factory=list)
    empty: set[tuple[Any, ...]] = field(default_factory=set)


# --------------------------------------------------------------------------- paths and values in messages


def nearest_mark(marks: Mapping[tuple[Any, ...], tuple[int, int]],
                 path: tuple[Any, ...]) -> tuple[int, int] | None:
    """(line, column) of ``path``, or of the nearest ancestor that has one (a value made by the
    loader, such as a dropped key's parent, has no mark of its own); None when nothing on it has."""
    for end in range(len(path), -1, -1):
        if path[:end] in marks:
            return marks[path[:end]]
    return None


def format_path(path: tuple[Any, ...]) -> str:
    """('achievements', 0, 'items', 2) → 'achievements[0].items[2]' (what users see in messages)."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


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
    the first two cannot occur; events are bounded by the structural characters
    (``_event_bound``).  Nesting depth is bounded without parsing: block collections nest by
    indentation, and the scanner only opens a new block level at a column larger
    than the enclosing one (a sequence directly under a mapping key may share the
    key's column: at most two levels per column), and only at the first token of a
    line or just after a leading "- ", "? " or ": ".  So block depth is at most
    2 × (the largest such column + 1).  Flow collections add at most one level per
    "{" and two per "[" (a "[a: b]" item is a one-pair mapping).  Checking this
    saves a second full parse for nearly every real records file.
    """
    if _event_bound(text) > MAX_NODES or _scan_triggered(text):
        return True
    return _too_deep(text)


def _too_deep(text: str) -> bool:
    """``_depth_bound(text) > MAX_DEPTH``, usually without measuring every line's lead.

    A line's lead is made of spaces, tabs and the indicators - ? :, so it is never longer than the
    run of those characters at the line's start.  When no line starts with ``room`` of them, the
    widest lead is below ``room`` and the bound cannot pass MAX_DEPTH; one regex search says so.
    """
    brackets = 2 * text.count("[") + text.count("{")
    room = (MAX_DEPTH - brackets) // 2  # 2 * ((room - 1) + 1) + brackets <= MAX_DEPTH
    lead = f"[ \\t?:-]{{{room}}}"
    # Line starts as ^ finds them with re.M (the text's start and after each \n); "\n" first lets the
    # search skip to each line break at C speed.
    if room > 0 and not re.match(lead, text) and not re.search("\n" + lead, text):
        return False
    return _depth_bound(text) > MAX_DEPTH


def _scan_triggered(text: str) -> bool:
    """``_SCAN_TRIGGERS.search(text)``, as substring tests (each a C scan; the alternation tried every position)."""
    return ("&" in text or "*" in text or "---" in text or "..." in text or "\x85" in text or "\u2028" in text
            or "\u2029" in text or ("\r" in text and _SCAN_TRIGGERS.search(text) is not None))


# Every event beyond the stream's and the document's own needs one of these characters, or starts a line:
# a block mapping's key needs ":" (or "?"), a block sequence's entry "-", a flow collection "[" or "{" and
# its entries "," or ":"; anchors, aliases and further documents are scan triggers of their own.
_EVENT_CHARS = "-:,?[]{}\n"


def _event_bound(text: str) -> int:
    """An upper bound on the events in ``text``: at most _EVENTS_PER_CHAR per structural character.

    Counting only the characters that can start an event (not every character) keeps a long
    Chinese file, whose text is nearly all ideographs, below MAX_NODES, so the second parse is
    skipped for it too; a property test checks the bound against the real event count.
    """
    return 16 + _EVENTS_PER_CHAR * sum(text.count(c) for c in _EVENT_CHARS)


def _depth_bound(text: str) -> int:
    """An upper bound on how deeply collections nest in ``text`` (no lone \r, NEL, U+2028/9), without parsing."""
    widest = max(map(len, _BLOCK_LEAD.findall(text)), default=0)
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
# Cyrillic and Greek letters that look like Latin ones: in a key (always English) they are typos
# no one can see.  Full-width Latin letters map to ASCII by NFKC.
_ASCII_TWIN = dict(zip("аеорсухіјѕԁАВЕКМНОРСТХІЈЅοαινκρτυχΑΒΕΖΗΙΚΜΝΟΡΤΥΧ",
                       "aeopcyxijsdABEKMHOPCTXIJSoaivkptuxABEZHIKMNOPTYX", strict=True))


def _invisible_char(ch: str) -> bool:
    """Format characters (zero-width, BOM, bidi controls) and variation selectors: nothing a reader sees."""
    code = ord(ch)
    return unicodedata.category(ch) == "Cf" or 0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF


def _look_alike(ch: str) -> bool:
    code = ord(ch)
    return 0x0370 <= code <= 0x052F or 0xFF21 <= code <= 0xFF3A or 0xFF41 <= code <= 0xFF5A


def _char_name(ch: str) -> str:
    """U+0435（CYRILLIC SMALL LETTER IE）: how messages name a character no one can see or tell apart."""
    return f"U+{ord(ch):04X}（{unicodedata.name(ch, '未命名字符')}）"


def _too_many_values(node: yaml.Node) -> _Stop:
    """MAX_NODES reached while building (both builders count every value as they go)."""
    return _Stop(node.start_mark, f"内容展开后超过 {MAX_NODES} 个值（锚点 & 和引用 * 成倍展开）",
                 "请删除锚点和引用，把内容直接写出来")


def _too_much_text(node: yaml.Node) -> _Stop:
    """MAX_EXPANDED_CHARS reached while building."""
    return _Stop(node.start_mark, f"内容展开后超过 {MAX_EXPANDED_CHARS // 10_000} 万字（锚点 & 和引用 * 成倍展开）",
                 "请删除锚点和引用，把内容直接写出来；记录文件不需要这么多文字")


class _Builder:
    """Builds plain values from composed nodes, recording marks and collecting problems."""

    def __init__(self, source: Source) -> None:
        self.source = source
        self.marks: dict[tuple[Any, ...], tuple[int, int]] = {}
        self.problems: list[Problem] = []
        self.notices: list[Notice] = []
        self.count = 0
        self.chars = 0  # characters of scalar text built so far, aliases counted each time they are used
        self._open: set[int] = set()  # ids of the collections being built: an alias back to one is a loop
        self._lines: list[str] | None = None

    @functools.cached_property
    def _scalar(self) -> Any:
        """A loader used only for its scalar resolver and constructors (PyYAML imported here if not yet)."""
        return _libyaml().SafeLoader("")

    @property
    def lines(self) -> list[str]:
        """The source's lines, split once: splitting per wrapped value made wrapped files quadratic."""
        if self._lines is None:
            self._lines = _split_lines(self.source.text)
        return self._lines

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
            raise _too_many_values(node)
        if path not in self.marks:  # a mapping's value has its key's mark already
            self.marks[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if isinstance(node, yaml.ScalarNode):
            value = node.value
            self.chars += len(value)
            if self.chars > MAX_EXPANDED_CHARS:
                raise _too_much_text(node)
            if node.tag == _STR_TAG:
                # What _scalar_value gives a string, decided here for the usual one: a quoted or block
                # scalar as it is; a plain one on one line, not wrapped in Chinese quotes, stripped.
                if node.style:
                    return value
                value = value.strip()
                if node.end_mark.line == node.start_mark.line and not (value and value[0] in "“‘"):
                    return value
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
        lines = self.lines
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
            line = self.lines[key_node.start_mark.line]
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
        if key.isascii():
            return key.strip(" ")  # no invisible or look-alike characters are ASCII: what the steps below give
        offset = 1 if key_node.style in ("'", '"') else 0
        line, column = key_node.start_mark.line + 1, key_node.start_mark.column + 1 + offset
        invisible = [(i, ch) for i, ch in enumerate(key) if _invisible_char(ch)]
        cleaned = "".join(ch for ch in key if not _invisible_char(ch)).strip(" ")
        for index, ch in invisible:
            self.notices.append(Notice(
                "key-chars", f"键名“{cleaned}”里有看不见的字符 {_char_name(ch)}，已删除",
                f"{self.source.name}:{line}:{column + index}"))
        if cleaned.isascii() or not re.search("[A-Za-z]", cleaned):
            return cleaned
        foreign = [(i, ch) for i, ch in enumerate(cleaned) if _look_alike(ch)]
        for _, ch in foreign:
            ascii_ch = _ASCII_TWIN.get(ch) or unicodedata.normalize("NFKC", ch)
            self.problems.append(Problem(
                f"键名“{cleaned}”里的“{ch}”不是英文字母，而是 {_char_name(ch)}"
                + (f"（看起来像英文字母 {ascii_ch}）" if ascii_ch.isascii() else ""),
                file=self.source.name, line=line, column=column + key.index(ch), path=format_path((*path, cleaned)),
                hint="键名只用英文字母：请删掉这个字，切换到英文输入法重新输入"))
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


# The outline _QuickBuilder records, in build order: the root's mark first; then, for each collection,
# _OPEN_MAP or _OPEN_SEQ, its entries (a mapping's: key and key mark; a sequence's: item mark), each entry
# followed by its value's own outline when that value is a collection, and _CLOSE.
# (The three tokens are defined in blockyaml.py, which writes the same outline.)


class _LazyMarks(Mapping[tuple[Any, ...], tuple[int, int]]):
    """path → (line, column), worked out from the recorded outline the first time a location is asked for.

    Nearly every report is read, validated and written without any message that needs a
    line, so the paths (a tuple per value) and the dict of marks are built only then.
    The result is the one _Builder makes for the same nodes (a property test compares them).
    """

    __slots__ = ("_marks", "_outline")

    def __init__(self, outline: list[Any]) -> None:
        self._outline: list[Any] | None = outline
        self._marks: dict[tuple[Any, ...], tuple[int, int]] | None = None

    def _resolved(self) -> dict[tuple[Any, ...], tuple[int, int]]:
        if self._marks is None:
            self._marks = _marks_of(self._outline or [])
            self._outline = None  # the Mark objects are no longer needed
        return self._marks

    def __getitem__(self, path: tuple[Any, ...]) -> tuple[int, int]:
        return self._resolved()[path]

    def __contains__(self, path: object) -> bool:
        return path in self._resolved()

    def get(self, path: tuple[Any, ...], default: Any = None) -> Any:  # type: ignore[override]
        return self._resolved().get(path, default)

    def __iter__(self) -> Iterator[tuple[Any, ...]]:
        return iter(self._resolved())

    def __len__(self) -> int:
        return len(self._resolved())

    def __bool__(self) -> bool:
        return True  # the root always has a mark: ``marks or {}`` must not work the marks out

    def __repr__(self) -> str:
        return f"_LazyMarks({self._resolved()!r})"


def _marks_of(outline: list[Any]) -> dict[tuple[Any, ...], tuple[int, int]]:
    """The outline recorded by _QuickBuilder → the marks _Builder records (see _OPEN_MAP)."""
    if not outline:
        return {}
    root = outline[0]  # a mark is libyaml's Mark, or (line, column) already counted from 1 (blockyaml.py)
    marks: dict[tuple[Any, ...], tuple[int, int]] = {(): root if root.__class__ is tuple else (root.line + 1, root.column + 1)}
    stack: list[list[Any]] = []  # [path, is a mapping, next index] of each open collection
    last: tuple[Any, ...] = ()  # the path of the entry just read: the owner of a collection opened next
    index, end = 1, len(outline)
    while index < end:
        token = outline[index]
        if token is _OPEN_MAP or token is _OPEN_SEQ:
            stack.append([last, token is _OPEN_MAP, 0])
            index += 1
        elif token is _CLOSE:
            stack.pop()
            index += 1
        else:
            top = stack[-1]
            if top[1]:
                mark = outline[index + 1]
                last = (*top[0], token)
                index += 2
            else:
                mark = token
                last = (*top[0], top[2])
                top[2] += 1
                index += 1
            marks[last] = mark if mark.__class__ is tuple else (mark.line + 1, mark.column + 1)
    return marks


class _QuickBuilder(_Builder):
    """_Builder without paths: the same values, notices and limits, and an outline instead of marks.

    Paths and the marks dict cost about two thirds of building; they are needed only
    for a message.  Any problem found here sends parse_yaml back to _Builder, which
    says it with its path, exactly as before.
    """

    def __init__(self, source: Source) -> None:
        super().__init__(source)
        self.outline: list[Any] = []

    def build_root(self, node: yaml.Node) -> Any:
        """The document's value; its outline starts with the root's mark."""
        self.outline.append(node.start_mark)
        return self.build(node)

    def build(self, node: yaml.Node, path: tuple[Any, ...] = ()) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise _too_many_values(node)
        if isinstance(node, yaml.ScalarNode):  # as in _Builder.build
            value = node.value
            self.chars += len(value)
            if self.chars > MAX_EXPANDED_CHARS:
                raise _too_much_text(node)
            if node.tag == _STR_TAG:
                if node.style:
                    return value
                value = value.strip()
                if node.end_mark.line == node.start_mark.line and not (value and value[0] in "“‘"):
                    return value
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
            add = self.outline.append
            add(_OPEN_SEQ)
            items = []
            for child in node.value:
                add(child.start_mark)
                items.append(self.build(child))
            add(_CLOSE)
            return items
        finally:
            self._open.discard(id(node))

    def _mapping(self, node: yaml.MappingNode, path: tuple[Any, ...]) -> dict[Any, Any]:
        if node.tag != f"{_TAG}map":
            self.problem(node, path, f"不支持的标签“{_show_tag(node.tag)}”（标签不会被执行）", "请删除以 ! 开头的标签")
        add = self.outline.append
        add(_OPEN_MAP)
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == f"{_TAG}merge":
                self.problem(key_node, path, "不支持合并键 <<", "请把要合并的内容直接写出来")
                continue
            key = self._key(key_node, path)
            if key is None:
                continue
            if key in result:
                self.problem(key_node, path, "", "")  # said again, with the first line, by _Builder
                continue
            add(key)
            add(key_node.start_mark)
            result[key] = self.build(value_node)
        add(_CLOSE)
        return result


def _show_tag(tag: str | None) -> str:
    """A tag as the user wrote it (!!python/object rather than tag:yaml.org,2002:python/object)."""
    tag = tag or ""
    return "!!" + tag[len(_TAG):] if tag.startswith(_TAG) else tag


_INDENT_SPACES = re.compile(r"^[ \t]*[\u3000\u00a0][\s\u3000\u00a0]*(?=\S)")


def _layout_problems(source: Source) -> list[Problem]:
    """Indentation with full-width or no-break spaces: invisible, and YAML reads them as text."""
    if "\u3000" not in source.text and "\xa0" not in source.text:
        return []  # what the pattern below looks for is one of these two spaces
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
    quick = _QuickBuilder(source)  # most files are plain block YAML: read without libyaml's nodes (blockyaml.py)
    data = read_block(source.text, quick, max_depth=MAX_DEPTH, max_nodes=MAX_NODES, max_chars=MAX_EXPANDED_CHARS)
    if data is not None and not quick.problems:
        return Marked(data, _LazyMarks(quick.outline), quick.notices)
    _libyaml()
    try:
        problems = list(_scan(source)) if _scan_needed(source.text) else []
        node = yaml.compose(source.text, Loader=_Composer)
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
    quick = _QuickBuilder(source)
    builder: _Builder = quick
    try:
        data = quick.build_root(node)
        if builder.problems:  # said with their paths: built again the way that records them
            builder = _Builder(source)
            data = builder.build(node)
    except _Stop as exc:
        raise _fail(source.name, exc.message, line=exc.mark.line + 1, hint=exc.hint) from None
    problems = sorted([*problems, *builder.problems], key=lambda p: (p.line or 0, p.column or 0))
    if problems:
        raise RecordsError.collect(source.name, problems)
    if not isinstance(data, dict):
        raise RecordsError.collect(source.name, [_top_level_problem(data, source)])
    marks = _LazyMarks(builder.outline) if isinstance(builder, _QuickBuilder) else builder.marks
    return Marked(data, marks, builder.notices)


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
