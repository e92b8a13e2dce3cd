"""Pydantic's validation errors → located, plain-Chinese problems with a hint.

Pydantic reports where a value sits in the data (``loc``) in its own terms,
with markers for unions and validators, and in English.  The people who write
records files need the line they typed, a message in Chinese and how to fix
it: so each error is walked back to the path in their data, looked up in the
marks the YAML stage recorded, and explained (a did-you-mean for a misspelt,
Chinese or misplaced key; a text with “: ” that YAML read as a key and a
value; the right way to write a date or a list).  One problem per place, in
file order, so that one run reports every problem in the file at once.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from ..errors import Problem
from ..zh.suggest import did_you_mean
from .model import Report
from .yamlmarks import _QUOTE_HINT, _SMART_QUOTES, Marked, _show, format_path, nearest_mark

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

#: English words a writer may guess for a field, by what the field means rather than how it is spelled
#: ("unit" is how 单位 is often translated; a metric's unit is another field, so it is only a guess where
#: the model at hand has no ``unit``).
_ENGLISH_GUESSES = {
    "unit": ["organization"], "org": ["organization"], "organisation": ["organization"],
    "company": ["organization"], "school": ["organization"], "hospital": ["organization"],
    "agency": ["organization"], "office": ["organization", "department"], "dept": ["department"],
    "year": ["period"], "term": ["period"], "semester": ["period"], "time": ["period", "date"],
    "writer": ["author"], "by": ["author"], "topic": ["subject"], "type": ["kind", "org_type"],
    "summary": ["intro"], "overview": ["intro"], "introduction": ["intro"], "preface": ["intro"],
    "results": ["achievements"], "work": ["achievements"], "works": ["achievements"], "done": ["achievements"],
    "issues": ["problems"], "shortcomings": ["problems"], "weaknesses": ["problems"],
    "plan": ["plans"], "next": ["plans"], "todo": ["plans"], "conclusion": ["closing"], "ending": ["closing"],
    "sign": ["signature"], "signoff": ["signature"], "title2": ["subtitle"], "tags": ["keywords"],
    "content": ["items", "text", "paragraphs"], "body": ["text", "paragraphs"], "data": ["metrics"],
    "figures": ["metrics"], "numbers": ["metrics"], "amount": ["value"], "count": ["value"],
    "last_year": ["previous"], "lastyear": ["previous"], "prev": ["previous"], "goal": ["target"],
}


def _did_you_mean(key: str, model_fields: list[str], elsewhere: Mapping[str, str] | None = None) -> str:
    """The hint for an unknown key: case, full-width letters, Chinese names, typos, or where it belongs."""
    if not model_fields:
        return ""
    normal = unicodedata.normalize("NFKC", key).strip().lower()
    if normal in model_fields and normal != key:
        spaces = [ch for ch in key if unicodedata.category(ch) == "Zs" and ch != " "]
        if spaces:  # NFKC makes a no-break or full-width space a space, which strip() then removes
            names = "、".join(dict.fromkeys(f"U+{ord(ch):04X}（{unicodedata.name(ch, '空格')}）" for ch in spaces))
            return f"键名里有特殊的空格 {names}（网页复制或全角输入带来的）：请删掉它，写成 `{normal}`"
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
    close = did_you_mean(normal, model_fields)
    if close:
        return f"是不是想写 `{close}`？"
    for candidate in _ENGLISH_GUESSES.get(normal, ()):
        if candidate in model_fields:
            return f"是不是想写 `{candidate}`？这里没有 `{normal}` 这个键，各键的意思见 docs/records.md"
    return f"可用的键：{', '.join(model_fields)}"


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
    if "标题是空的" in message:
        return "请写上标题，不要这一项就整项删掉；全角空格“　”看起来像空白，也不算标题"
    if "数值" in message and "太大" in message:
        return "请检查是否多打了数字或写错了指数，例如 1e999 应写成实际的数"
    if "不认识的单位类型" in message:  # before the metric's unit below, whose words it contains
        return "写可用的类型之一，工厂、公司等写“企业”；也可以写英文标签 school、hospital 等，或删去这一行，由单位名称推断"
    if "不认识的单位" in message:
        return ("请写 kind: 说明它是什么数：count（数量）、money（金额）、percentage（百分比）、rate（比率）、"
                "duration（时长）、area（面积）；常用单位见 docs/records.md")
    if "就不要再写 categories" in message:
        return "删去 categories 和 series（数字从指标来），或者删去 from、自己写数字"
    if "或者用 from 写明" in message:
        return ("例如 `from: 就餐人次`（画这个指标的 parts），或者写 categories: [第一季度, 第二季度] "
                "和 series: [{name: 2025年, values: [6.8, 7.2]}]")
    if "数值" in message or "约数" in message:
        return "只写数字，如 1234、13.8；约数写成“约2200”“120余”“近百”“九万多”；说明文字请写进条目的 text"
    if "text 也没有 metrics" in message:
        return "写上 `text: 这一条的正文`，或写 metrics: 由数字生成这一条"
    if "表头" in message or "格" in message:
        return "每一行的格数要与 columns 的列数相同；空着的格写成 \"\""
    return "请对照 docs/records.md 检查这一项的写法"


def _part_model() -> Any:
    from .model import Part

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
    # A union such as "a mapping or false" reports one error per branch; when the mapping branch found
    # something inside the value, that is the problem, not "this should have been false".
    deeper = {_data_path(tuple(e["loc"]), root)[0] for e in errors if e["type"] != "literal_error"}
    errors = [e for e in errors if not (e["type"] == "literal_error" and any(
        len(d) > len(p) and d[: len(p)] == p for p in [_data_path(tuple(e["loc"]), root)[0]] for d in deeper))]
    for error in errors:
        path, value = _data_path(tuple(error["loc"]), root)
        kind = error["type"]
        # One problem per place: a union of "text or mapping" reports one error per branch, and a line
        # with a colon in it (read as key: value) yields an unknown key and a missing text.
        owner = _owner(path, colon_paths)
        if owner is not None:
            path, value, kind = owner, _value_at(root, owner), "colon"
        if path in seen:
            continue
        seen.add(path)
        mark = nearest_mark(marked.marks, prefix + path)
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
            if kind == "string_too_long" and "max_length" in ctx:
                message += f"（最多 {ctx['max_length']} 个字）"
            shown = value if value is not _MISSING else error.get("input")
            if kind != "missing":
                message += f"，实际是{_show(shown)}" if shown is None else f"，实际是 {_show(shown)}"
            hint = _type_hint(kind, shown, path, model)
        problems.append(Problem(message, file=name, line=line, column=column,
                                path=format_path(prefix + path), hint=hint))
    problems.sort(key=lambda p: (p.line or 0, p.column or 0))
    return problems


def _owner(path: tuple[Any, ...], colon_paths: set[tuple[Any, ...]]) -> tuple[Any, ...] | None:
    """The colon item ``path`` lies in, if any: its prefixes looked up in the set (not the set scanned).

    Scanning the set for every error made a file with many colon slips quadratic.  At most one
    prefix can match: a colon item's value is a scalar (``_colon_hint(strict=True)``), so colon
    items never nest.
    """
    if not colon_paths:
        return None
    for end in range(len(path), -1, -1):
        if path[:end] in colon_paths:
            return path[:end]
    return None


def _value_at(data: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        if isinstance(data, dict) and part in data:
            data = data[part]
        elif isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data):
            data = data[part]
        else:
            return _MISSING
    return data

