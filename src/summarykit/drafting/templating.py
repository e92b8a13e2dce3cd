"""The Jinja layer: finding templates, the sandboxed environment, and the filters.

Templates are looked up by *name*, never used as paths, in the user's folders
first and then among the built-ins.  They run in Jinja's sandbox with
StrictUndefined, so a typo in a template is an error, not a silent blank.

Record values reach templates already escaped for the markup (see markup.py),
so record text can never become structure or template code.  Filters here take
and return escaped text.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path
from stat import S_ISREG
from typing import Any

import yaml
from jinja2 import ChoiceLoader, FileSystemLoader, PrefixLoader, StrictUndefined, TemplateNotFound
from jinja2.sandbox import ImmutableSandboxedEnvironment

from ..errors import TemplateError
from ..tree.numbering import cn_number
from ..zh import numformat
from .markup import escape

TEMPLATE_SUFFIX = ".j2"
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_\-]{0,63}$")
_EXTENDS = re.compile(r"\{%-?\s*extends\s+[\"']([A-Za-z0-9_/\-]+)\.j2[\"']")
_HEADER = re.compile(r"\A\{#-?\s*---\s*\n(.*?)\n\s*---\s*-?#\}", re.S)


@functools.lru_cache(maxsize=1)
def builtin_dir() -> Path:
    """templates/ inside the installed wheel, or the repository's top-level templates/ in a checkout.

    Cached: the answer cannot change while the process runs, and every report asks.
    """
    packaged = resources.files("summarykit") / "templates"
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[3] / "templates"


# --------------------------------------------------------------------------- filters


def join_cn(values: Iterable[Any], last: str = "和") -> str:
    """['水','电','气'] → 水、电和气 (the Chinese serial list)."""
    items = [str(v) for v in values if str(v)]
    if len(items) <= 1:
        return "".join(items)
    return "、".join(items[:-1]) + last + items[-1]


_END_PUNCT = "。；，、：！？.;,"


def _as_sentence(text: str) -> str:
    """A clause that is about to stand as a sentence of its own ends with 。 (or its own ！ ？)."""
    text = text.strip()
    if text.endswith(("。", "！", "？", "。”", "！”", "？”")):
        return text
    return text.rstrip(_END_PUNCT) + "。"


def enumerate_cn(items: Iterable[Any], style: str = "一是", end: str = "。") -> str:
    """Items as one sentence: 一是……；二是……；三是……。 (also 首先/其次/最后, 第一/第二).

    When an item holds sentences of its own (一是机关后勤管理职能尚未分开。一些部门仍……),
    a semicolon would cut through them, so the items keep their own full stops and follow one
    another directly: 一是……。……。二是……。 — as the sample summaries write them.
    """
    raw = [str(i.get("text", "") if isinstance(i, dict) else i).strip() for i in items]
    raw = [t for t in raw if t.rstrip(_END_PUNCT)]
    if not raw:
        return ""
    sentences = any(re.search("[。！？]", t.rstrip(_END_PUNCT + "”")) for t in raw)
    texts = [_as_sentence(t) for t in raw] if sentences else [t.rstrip(_END_PUNCT) for t in raw]
    if style == "首先":
        marks = ["首先"] if len(texts) == 1 else [
            "首先" if i == 0 else "最后" if i == len(texts) - 1 else "其次" if i == 1 else "再次"
            for i in range(len(texts))
        ]
        parts = [f"{m}，{t}" for m, t in zip(marks, texts, strict=True)]
    elif style == "第一":
        parts = [f"第{cn_number(i)}，{t}" for i, t in enumerate(texts, 1)]
    else:
        suffix = style[1:] if len(style) > 1 else "是"
        parts = [f"{cn_number(i)}{suffix}{t}" for i, t in enumerate(texts, 1)]
    if sentences:
        return "".join(parts)
    return "；".join(parts) + end


def strip_end(value: Any) -> str:
    """Drop end punctuation, e.g. before adding a colon in a lead-in."""
    return str(value).rstrip(_END_PUNCT)


FILTERS = {
    "cn_num": lambda n: cn_number(int(n)),
    "join_cn": join_cn,
    "enumerate_cn": enumerate_cn,
    "strip_end": strip_end,
    "sentence": lambda value: _as_sentence(str(value)),
}
FILTERS.update(numformat.FILTERS)  # GB/T 15835: metric, num, num_range, wan, percent, cn_date (numformat.py)


# --------------------------------------------------------------------------- environment and discovery


@functools.lru_cache(maxsize=16)
def environment(user_dirs: tuple[str, ...] = ()) -> ImmutableSandboxedEnvironment:
    """One compiled-template cache per set of template folders, built once per process."""
    builtin = FileSystemLoader(str(builtin_dir()), encoding="utf-8")
    loaders: list[Any] = [FileSystemLoader(list(user_dirs), encoding="utf-8")] if user_dirs else []
    loaders += [builtin, PrefixLoader({"builtin": builtin})]
    env = ImmutableSandboxedEnvironment(
        loader=ChoiceLoader(loaders),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
        auto_reload=False,
    )
    env.filters.update(FILTERS)
    env.globals.update(cn_num=FILTERS["cn_num"], esc=escape)
    return env


def check_name(name: str) -> str:
    """A template name is a word, never a path: no ../ escapes, no absolute paths."""
    if not _NAME.match(name or ""):
        raise TemplateError(
            f"模板名“{name}”不合法：只能由字母、数字、下划线和连字符组成（例如 school_term），不能是路径",
        )
    return name


@dataclass(frozen=True)
class TemplateInfo:
    name: str
    title: str
    description: str
    sample: str
    numbering: str | None
    tags: tuple[str, ...]
    path: str
    builtin: bool
    parent: str | None = None  # the template it extends, from {% extends "NAME.j2" %}


def _header(source: str) -> dict[str, Any]:
    match = _HEADER.match(source)
    if not match:
        return {}
    try:
        data = yaml.safe_load(match.group(1))
    except yaml.YAMLError:
        return {}
    return data if isinstance(data, dict) else {}


def not_found(name: str, user_dirs: Sequence[str] = ()) -> TemplateError:
    """No template of that name: the error names the closest one (a typo such as school_trem) and lists all."""
    import difflib

    names = list_names(user_dirs)
    close = difflib.get_close_matches(name, names, n=1, cutoff=0.6)
    guess = f"是不是想写“{close[0]}”？" if close else ""
    return TemplateError(f"找不到模板“{name}”。{guess}可用的模板：{', '.join(names)}")


def template_info(name: str, user_dirs: Sequence[str] = ()) -> TemplateInfo:
    """Metadata from a template's header comment ({#--- YAML ---#})."""
    check_name(name)
    for folder, builtin in [*((d, False) for d in user_dirs), (str(builtin_dir()), True)]:
        path = Path(folder) / f"{name}{TEMPLATE_SUFFIX}"
        try:
            found = path.stat()
        except OSError:
            continue
        if S_ISREG(found.st_mode):
            info = _read_info(name, str(path), builtin, found.st_mtime_ns, found.st_size)
            return _inherit(info, user_dirs)
    raise not_found(name, user_dirs)


def _inherit(info: TemplateInfo, user_dirs: Sequence[str]) -> TemplateInfo:
    """A template that extends another and leaves numbering or tags out of its header takes its parent's,
    so that a user template extending school_term keeps the school numbering (1、) without copying the header."""
    if not info.parent or (info.numbering and info.tags):
        return info
    parent_name = info.parent.removeprefix("builtin/")
    # "builtin/NAME" and a user template extending its own name both mean the built-in.
    builtin_only = info.parent.startswith("builtin/") or (parent_name == info.name and not info.builtin)
    if parent_name == info.name and info.builtin:
        return info
    try:
        parent = template_info(parent_name, () if builtin_only else user_dirs)
    except TemplateError:
        return info  # a missing parent is reported when the template is compiled
    return replace(info, numbering=info.numbering or parent.numbering, tags=info.tags or parent.tags)


@functools.lru_cache(maxsize=64)
def _read_info(name: str, path: str, builtin: bool, mtime_ns: int, size: int) -> TemplateInfo:
    """Read and parse a header once per process and file version: every report asks, the file rarely changes."""
    source = Path(path).read_text(encoding="utf-8")
    header = _header(source)
    extends = _EXTENDS.search(source)
    return TemplateInfo(
        name=name,
        title=str(header.get("title", name)),
        description=str(header.get("description", "")),
        sample=str(header.get("sample", "")),
        numbering=header.get("numbering"),
        tags=tuple(str(t) for t in header.get("tags", ()) or ()),
        path=path,
        builtin=builtin,
        parent=extends.group(1) if extends else None,
    )


def list_names(user_dirs: Sequence[str] = ()) -> list[str]:
    names: dict[str, None] = {}
    for folder in [*user_dirs, str(builtin_dir())]:
        base = Path(folder)
        if base.is_dir():
            for path in sorted(base.glob(f"*{TEMPLATE_SUFFIX}")):
                if not path.stem.startswith("_"):
                    names.setdefault(path.stem, None)
    return list(names)


def list_templates(user_dirs: Sequence[str] = ()) -> list[TemplateInfo]:
    """Every template a user can name: their own first, then the built-ins (base templates start with _)."""
    return [template_info(n, user_dirs) for n in list_names(user_dirs)]


def get_template(name: str, user_dirs: Sequence[str] = ()) -> Any:
    env = environment(tuple(str(d) for d in user_dirs))
    try:
        return env.get_template(f"{check_name(name)}{TEMPLATE_SUFFIX}")
    except TemplateNotFound as exc:
        if exc.name and exc.name != f"{name}{TEMPLATE_SUFFIX}":
            raise TemplateError(f"模板“{name}”引用了不存在的模板“{exc.name}”") from None
        raise not_found(name, user_dirs) from None
    except Exception as exc:  # syntax errors: name the file and line
        raise template_error(exc, name) from None


def template_error(exc: BaseException, name: str) -> TemplateError:
    """A Jinja error → TemplateError naming the template file and line (syntax or runtime)."""
    filename = getattr(exc, "filename", None) or getattr(exc, "name", None)
    lineno = getattr(exc, "lineno", None)
    if lineno is None:
        tb = exc.__traceback__
        while tb is not None:  # Jinja rewrites frames so that template lines appear in the traceback
            code = tb.tb_frame.f_code
            if code.co_filename.endswith(TEMPLATE_SUFFIX):
                filename, lineno = code.co_filename, tb.tb_lineno
            tb = tb.tb_next
    where = f"{filename or name}:{lineno}" if lineno else f"{filename or name}"
    message = getattr(exc, "message", None) or str(exc)
    kind = type(exc).__name__
    hints = {
        "UndefinedError": "模板引用了不存在的变量或字段",
        "TemplateSyntaxError": "模板语法错误",
        "SecurityError": "模板试图做沙箱不允许的事",
    }
    return TemplateError(f"模板 {where}：{hints.get(kind, '模板出错')}：{message}")
