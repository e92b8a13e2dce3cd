"""Records files → ``Report``: decoding, YAML with line marks, validation, error mapping.

This is the only place that turns user bytes into data, so it is where every
mistake is caught and located.  The YAML is *composed* (not constructed) so we
keep each node's line and column, build plain Python values ourselves (only the
standard scalar tags: nothing is ever constructed from a tag), detect keys
given twice, and bound alias expansion and depth.  Pydantic then validates,
and each of its errors is mapped back to the line it came from, so that one
run reports every problem in the file at once.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Mapping
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
MAX_NODES = 200_000  # bounds alias expansion ("billion laughs")
MAX_DEPTH = 64

try:  # PyYAML's C parser is several times faster and keeps marks too
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader

_SCALAR_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
}


@dataclass
class Source:
    """Decoded text of a records file, with where it came from."""

    text: str
    name: str
    notices: list[Notice] = field(default_factory=list)


@dataclass
class Marked:
    """Plain data plus the line/column of every path inside it."""

    data: Any
    marks: dict[tuple[Any, ...], tuple[int, int]]


def decode(data: bytes, name: str) -> Source:
    """Bytes → text.  UTF-8 (with or without BOM) first, then GB18030, which covers GBK and GB2312."""
    if len(data) > MAX_BYTES:
        raise RecordsError.collect(
            name,
            [Problem(f"文件太大（{len(data) // 1024} KB），上限 {MAX_BYTES // 1024 // 1024} MB", file=name,
                     hint="记录文件应是手写的文本；请检查是否选错了文件")],
        )
    if b"\x00" in data[:4096]:
        raise RecordsError.collect(
            name, [Problem("这不是文本文件（含有二进制内容）", file=name, hint="请选择 .yaml 记录文件")]
        )
    try:
        return Source(data.decode("utf-8-sig"), name)
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise RecordsError.collect(
            name,
            [Problem("文件编码无法识别（既不是 UTF-8，也不是 GBK/GB18030）", file=name, line=line,
                     hint="请在编辑器中“另存为 UTF-8”")],
        ) from None
    notice = Notice("encoding", "文件按 GBK/GB18030 编码读取；建议另存为 UTF-8", name)
    log.info("%s", notice)
    return Source(text, name, [notice])


def read_source(path: str | os.PathLike[str]) -> Source:
    """Read a records file from disk, with a clear message when it is not there."""
    p = Path(path)
    name = str(path)
    try:
        data = p.read_bytes()
    except FileNotFoundError:
        raise RecordsError.collect(name, [Problem("找不到这个文件", file=name, hint="请检查路径和文件名")]) from None
    except IsADirectoryError:
        raise RecordsError.collect(name, [Problem("这是一个文件夹，不是记录文件", file=name)]) from None
    except OSError as exc:
        raise RecordsError.collect(name, [Problem(f"无法读取：{exc.strerror}", file=name)]) from None
    return decode(data, name)


# --------------------------------------------------------------------------- YAML → plain data


_FULL_COLON_KEY = re.compile(r"^\s*(?:-\s+)?[A-Za-z_][\w-]*\s*：")


def _yaml_problem(exc: yaml.MarkedYAMLError, source: Source) -> Problem:
    """Turn a PyYAML error into a located message with a likely cause for office staff."""
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark else None
    column = mark.column + 1 if mark else None
    lines = source.text.splitlines()
    bad = lines[line - 1] if line and line <= len(lines) else ""
    start = max((line or 1) - 2, 0)
    colon_at = next((i for i in range(start, min(line or 1, len(lines))) if _FULL_COLON_KEY.match(lines[i])), None)
    problem = exc.problem or "格式错误"
    hint = "请检查这一行的缩进、冒号和引号"
    if "\t" in bad or "tab" in problem.lower() or "\\t" in problem:
        message, hint = "这一行含有制表符（Tab）", "YAML 只能用空格缩进：请把 Tab 换成两个空格"
    elif colon_at is not None:
        if colon_at + 1 != line:
            line, column = colon_at + 1, None
        message, hint = "键名后面用了全角冒号“：”", "键名后面要用半角冒号加空格，例如 `title: 某某总结`"
    elif re.search(r"[“”‘’]", bad) and re.match(r"\s*[-\w]*:?\s*[“‘]", bad):
        message, hint = "这一行用了中文引号包住值", "YAML 的引号要用半角 \" 或 '，或者干脆不加引号"
    elif "could not find expected ':'" in problem or "mapping values are not allowed" in problem:
        message = "这一行的结构不对（可能缺少冒号，或冒号后面少了空格）"
        hint = "键值之间写成 `键: 值`；值里含有冒号时请加半角引号"
    elif "expected <block end>" in problem or "did not find expected" in problem:
        message, hint = "缩进不一致", "同一层的条目必须对齐，列表项以 `- ` 开头"
    elif "found character" in problem and "cannot start any token" in problem:
        message, hint = "这一行有 YAML 不允许放在开头的字符", "请给这个值加上半角引号"
    elif "found undefined alias" in problem:
        message, hint = "引用了未定义的锚点（*名称）", "请删除 * 或给值加引号"
    else:
        message = f"YAML 格式错误：{problem}"
    return Problem(message, file=source.name, line=line, column=column, hint=hint)


class _Builder:
    """Builds plain values from composed nodes, recording marks and collecting problems."""

    def __init__(self, source: Source) -> None:
        self.source = source
        self.marks: dict[tuple[Any, ...], tuple[int, int]] = {}
        self.problems: list[Problem] = []
        self.count = 0
        self._scalar = yaml.SafeLoader("")  # used only for its scalar constructors

    def problem(self, node: yaml.Node, path: tuple[Any, ...], message: str, hint: str = "") -> None:
        self.problems.append(
            Problem(message, file=self.source.name, line=node.start_mark.line + 1,
                    column=node.start_mark.column + 1, path=format_path(path), hint=hint)
        )

    def build(self, node: yaml.Node, path: tuple[Any, ...] = (), depth: int = 0) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise _TooBig(node)
        if depth > MAX_DEPTH:
            raise _TooDeep(node)
        self.marks.setdefault(path, (node.start_mark.line + 1, node.start_mark.column + 1))
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path, depth)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != "tag:yaml.org,2002:seq":
                self.problem(node, path, f"不支持的标签 {node.tag}", "请删除以 ! 开头的标签")
            return [self.build(child, (*path, i), depth + 1) for i, child in enumerate(node.value)]
        assert isinstance(node, yaml.ScalarNode)
        if node.tag not in _SCALAR_TAGS:
            self.problem(node, path, f"不支持的标签 {node.tag}", "请删除以 ! 开头的标签，或给整个值加引号")
            return node.value
        if node.tag == "tag:yaml.org,2002:timestamp":
            return node.value  # dates are parsed by the model, with a message people understand
        try:
            value = self._scalar.construct_object(node)
        except (ValueError, yaml.YAMLError):
            self.problem(node, path, f"无法读取的值：{node.value}", "请给这个值加上半角引号")
            return node.value
        if node.tag == "tag:yaml.org,2002:str" and node.style is None and isinstance(value, str):
            value = value.strip()
        return value

    def _mapping(self, node: yaml.MappingNode, path: tuple[Any, ...], depth: int) -> dict[Any, Any]:
        if node.tag != "tag:yaml.org,2002:map":
            self.problem(node, path, f"不支持的标签 {node.tag}", "请删除以 ! 开头的标签")
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                self.problem(key_node, path, "不支持合并键 <<", "请把要合并的内容直接写出来")
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                self.problem(key_node, path, "键名必须是一个简单的词", "例如 `title:`")
                continue
            key = key_node.value
            if key in result:
                first = self.marks.get((*path, key), (0, 0))[0]
                self.problem(key_node, (*path, key), f"键“{key}”写了两次（第一次在第 {first} 行），后一个会覆盖前一个",
                             "请把两处内容合并成一处")
                continue
            self.marks[(*path, key)] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            result[key] = self.build(value_node, (*path, key), depth + 1)
        return result


class _TooBig(Exception):
    def __init__(self, node: yaml.Node) -> None:
        self.node = node


class _TooDeep(_TooBig):
    pass


_YAML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")


def strip_forbidden(source: Source) -> Source:
    """Remove characters YAML refuses to read (pasted control characters), noting where each was."""
    if not _YAML_FORBIDDEN.search(source.text):
        return source
    notices = list(source.notices)
    for number, line in enumerate(source.text.split("\n"), start=1):
        found = _YAML_FORBIDDEN.findall(line)
        if found:
            notices.append(Notice("control-chars", f"删除了 {len(found)} 个不能写入 Word 的控制字符",
                                  f"{source.name}:{number}"))
    return Source(_YAML_FORBIDDEN.sub("", source.text), source.name, notices)


def parse_yaml(source: Source) -> Marked:
    """YAML text → plain data with marks.  Raises RecordsError listing what is wrong."""
    try:
        node = yaml.compose(source.text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        raise RecordsError.collect(source.name, [_yaml_problem(exc, source)]) from None
    except yaml.YAMLError as exc:  # pragma: no cover - unmarked errors are rare
        raise RecordsError.collect(source.name, [Problem(f"YAML 格式错误：{exc}", file=source.name)]) from None
    if node is None:
        raise RecordsError.collect(
            source.name, [Problem("文件是空的", file=source.name, hint="可以用 `summarykit init school_term` 生成一个示例")]
        )
    builder = _Builder(source)
    try:
        data = builder.build(node)
    except _TooDeep as exc:
        raise RecordsError.collect(source.name, [Problem(
            f"嵌套层数超过 {MAX_DEPTH} 层", file=source.name, line=exc.node.start_mark.line + 1,
            hint="记录文件不需要这么深的结构，请检查缩进")]) from None
    except _TooBig as exc:
        raise RecordsError.collect(source.name, [Problem(
            f"内容展开后超过 {MAX_NODES} 个值（可能是循环或成倍展开的锚点 & 和引用 *）", file=source.name,
            line=exc.node.start_mark.line + 1, hint="请删除锚点和引用，把内容直接写出来")]) from None
    if builder.problems:
        raise RecordsError.collect(source.name, builder.problems)
    if not isinstance(data, dict):
        raise RecordsError.collect(source.name, [Problem(
            "文件顶层必须是“键: 值”的形式", file=source.name, line=1, column=1,
            hint="第一行通常是 `meta:`；可以用 `summarykit init school_term` 生成一个示例")])
    return Marked(data, builder.marks)


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
    "list_type": "这里应是列表（每项以 `- ` 开头）",
    "dict_type": "这里应是“键: 值”的结构",
    "model_type": "这里应是“键: 值”的结构",
    "model_attributes_type": "这里应是“键: 值”的结构",
    "bool_type": "这里应是 true 或 false",
    "bool_parsing": "这里应是 true 或 false",
    "int_type": "这里应是整数",
    "int_parsing": "这里应是整数",
    "float_type": "这里应是数字",
    "float_parsing": "这里应是数字",
    "date_type": "这里应是日期，如 2026-01-20",
    "date_from_datetime_parsing": "日期格式不对，请写成 2026-01-20 或 2026年1月20日",
    "too_short": "至少要有一项",
    "literal_error": "取值不对",
}


def _did_you_mean(key: str, model_fields: list[str]) -> str:
    import difflib

    close = difflib.get_close_matches(key, model_fields, n=1, cutoff=0.6)
    return f"是不是想写 `{close[0]}`？" if close else f"可用的键：{', '.join(model_fields)}"


def _fields_at(path: tuple[Any, ...], root: Any = Report) -> list[str]:
    """The keys allowed at a path of a model (for did-you-mean suggestions)."""
    from pydantic import BaseModel

    model: Any = root
    for part in path:
        if isinstance(part, int):
            continue
        info = model.model_fields.get(part) if isinstance(model, type) and issubclass(model, BaseModel) else None
        if info is None:
            return []
        model = _model_in(info.annotation)
        if model is None:
            return []
    return list(model.model_fields) if isinstance(model, type) and issubclass(model, BaseModel) else []


def _model_in(annotation: Any) -> Any:
    from typing import get_args

    from pydantic import BaseModel

    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in get_args(annotation):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def _clean_loc(loc: tuple[Any, ...]) -> tuple[Any, ...]:
    """Drop pydantic's union/validator markers from an error location, keeping the data path."""
    keep: list[Any] = []
    for part in loc:
        if isinstance(part, int) or (isinstance(part, str) and re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", part)):
            if part in {"str", "int", "float", "list", "dict", "Item", "Part", "literal", "function-before",
                        "function-after", "constrained-str", "lax-or-strict", "tagged-union"}:
                continue
            keep.append(part)
    return tuple(keep)


def _nearest_mark(marks: Mapping[tuple[Any, ...], tuple[int, int]], path: tuple[Any, ...]) -> tuple[int, int] | None:
    for end in range(len(path), -1, -1):
        if path[:end] in marks:
            return marks[path[:end]]
    return None


def validation_problems(exc: ValidationError, marked: Marked, name: str, prefix: tuple[Any, ...] = (),
                        model: Any = Report) -> list[Problem]:
    """Map pydantic's errors to located, plain-Chinese problems (one per error, in file order)."""
    problems: list[Problem] = []
    seen: set[tuple[Any, ...]] = set()
    for error in exc.errors(include_url=False):
        path = _clean_loc(tuple(error["loc"]))
        kind = error["type"]
        # A union of "string or mapping" reports one error per branch: keep the first per path.
        if (path, kind) in seen or path in seen:
            continue
        seen.add(path)
        seen.add((path, kind))
        mark = _nearest_mark(marked.marks, prefix + path)
        line, column = mark if mark else (None, None)
        hint = ""
        if kind == "extra_forbidden":
            key = path[-1] if path else ""
            message = f"不认识的键“{key}”"
            hint = _did_you_mean(str(key), _fields_at(path[:-1], model))
        elif kind in {"value_error", "assertion_error"}:
            message = str(error.get("ctx", {}).get("error", error["msg"]))
        elif kind == "literal_error":
            message = f"取值不对：应为 {error.get('ctx', {}).get('expected', '')}"
        else:
            message = _FIELD_MESSAGES.get(kind, error["msg"])
            if kind not in {"missing"} and "input" in error and not isinstance(error["input"], dict | list):
                message += f"，实际是 {error['input']!r}"
        problems.append(Problem(message, file=name, line=line, column=column,
                                path=format_path(prefix + path), hint=hint))
    problems.sort(key=lambda p: (p.line or 0, p.column or 0))
    return problems


def report_from_data(data: Any, marked: Marked, name: str, notices: list[Notice],
                     prefix: tuple[Any, ...] = ()) -> Report:
    """Validate one report's plain data (already cleaned) into a Report, or raise RecordsError."""
    try:
        report = Report.model_validate(data)
    except ValidationError as exc:
        raise RecordsError.collect(name, validation_problems(exc, marked, name, prefix)) from None
    report._notices.extend(notices)
    report._source = name
    return report


def loads(text: str | bytes, name: str = "<输入>") -> Report:
    """Parse records from text or bytes (what `load` does after reading the file)."""
    source = decode(text, name) if isinstance(text, bytes) else Source(text, name)
    return _load_source(source)


def load(path: str | os.PathLike[str]) -> Report:
    """Read and validate one records file.  Raises RecordsError listing every problem found."""
    return _load_source(read_source(path))


def _load_source(source: Source) -> Report:
    source = strip_forbidden(source)
    marked = parse_yaml(source)
    data, notices = clean_tree(marked.data, source.name, marked.marks)
    for notice in notices:
        log.info("%s", notice)
    return report_from_data(data, marked, source.name, [*source.notices, *notices])
