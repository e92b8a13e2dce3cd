"""The Jinja layer: finding templates, the sandboxed environment, and the filters.

Templates are looked up by *name*, never used as paths, in the user's folders
first and then among the built-ins.  They run in Jinja's sandbox with
StrictUndefined, so a typo in a template is an error, not a silent blank.

Record values reach templates already escaped for the markup (see markup.py),
so record text can never become structure or template code.  Filters here take
and return escaped text.
"""

from __future__ import annotations

import contextvars
import functools
import os
import re
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path
from stat import S_ISREG
from typing import Any

import yaml
from jinja2 import ChoiceLoader, FileSystemLoader, PrefixLoader, StrictUndefined, TemplateNotFound
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.utils import open_if_exists

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


# --------------------------------------------------------------------------- confinement and limits

#: A template is text a person wrote; anything larger was chosen by mistake (or made to hurt).
MAX_TEMPLATE_BYTES = 1024 * 1024
#: Limits on one render: time, characters of output, loop steps and calls.  A real template takes
#: milliseconds and writes some ten thousand characters; these stop one that loops for ever.
MAX_RENDER_SECONDS = 10.0
MAX_OUTPUT_CHARS = 5_000_000
MAX_STEPS = 2_000_000
#: Longest string or list a template may build with * (and the largest ** result, in digits).
MAX_PRODUCT = 1_000_000
_LIMIT_HINT = "模板里可能有死循环，或在反复拼接/重复文字；请检查 for 循环和 * 运算"


def _refused_reference(name: str) -> str | None:
    """Why a name used in extends/include/import is not a template name inside the folders, or None."""
    if name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name):
        return "是绝对路径"
    if any(part == ".." for part in re.split(r"[/\\]", name)):
        return "含有 ..（上一级文件夹）"
    if "\\" in name or "\x00" in name:
        return "含有反斜杠或控制字符"
    return None


class ConfinedLoader(FileSystemLoader):
    """A FileSystemLoader that only reads regular files inside its folders, after resolving links.

    Jinja's own loader refuses ``..`` in a name but follows a symbolic link in a
    template folder wherever it points; a template folder received from someone
    could then pull any file of this computer into a document.  A FIFO or device
    named ``x.j2`` would block the read, and a huge file would eat memory: both
    are refused too.
    """

    def get_source(self, environment: Any, template: str) -> tuple[str, str, Any]:
        why = _refused_reference(template)
        if why:
            raise TemplateError(f"模板引用“{template}”被拒绝：{why}。模板只能引用模板文件夹里的模板名，例如 \"_base.j2\"")
        pieces = [p for p in template.split("/") if p and p != "."]
        for folder in self.searchpath:
            candidate = os.path.join(folder, *pieces)
            found = confined_stat(folder, candidate, template)
            if found is None:
                continue
            real, info = found
            handle = open_if_exists(real)
            if handle is None:
                continue
            with handle:
                contents = handle.read().decode(self.encoding)
            mtime = info.st_mtime
            return contents, os.path.normpath(candidate), functools.partial(_unchanged, real, mtime)
        raise TemplateNotFound(template)


def confined_stat(folder: str, candidate: str, template: str) -> tuple[str, os.stat_result] | None:
    """The real path and stat of a template file, or None when there is none; TemplateError when it is
    a link leading out of ``folder``, not a regular file, or larger than MAX_TEMPLATE_BYTES."""
    if not os.path.lexists(candidate):
        return None
    root = os.path.realpath(folder)
    real = os.path.realpath(candidate)
    if os.path.commonpath([root, real]) != root:
        raise TemplateError(f"模板“{template}”是指向模板文件夹以外的链接（指向 {real}），已拒绝读取；"
                            "模板文件夹里的模板必须是文件夹里真实的文件")
    try:
        info = os.stat(real)
    except OSError:
        return None
    if not S_ISREG(info.st_mode):
        raise TemplateError(f"模板“{template}”不是普通文件（可能是文件夹、管道或设备），已拒绝读取")
    if info.st_size > MAX_TEMPLATE_BYTES:
        raise TemplateError(f"模板“{template}”太大（{info.st_size // 1024} KB），模板文件的上限是 "
                            f"{MAX_TEMPLATE_BYTES // 1024 // 1024} MB；请检查是否选错了文件")
    return real, info


def _unchanged(path: str, mtime: float) -> bool:
    try:
        return os.path.getmtime(path) == mtime
    except OSError:
        return False


class _Budget:
    """What one render may still spend (time and steps), shared by the hooks below."""

    def __init__(self, seconds: float, steps: int) -> None:
        self.deadline = time.monotonic() + seconds
        self.seconds = seconds
        self.steps = steps

    def tick(self, count: int = 1) -> None:
        self.steps -= count
        if self.steps < 0:
            raise TemplateError(f"模板运行的步数超过上限（{MAX_STEPS} 次循环或调用），已停止。{_LIMIT_HINT}")
        if not self.steps % 1024 and time.monotonic() > self.deadline:
            self.timeout()

    def check_time(self) -> None:
        if time.monotonic() > self.deadline:
            self.timeout()

    def timeout(self) -> None:
        raise TemplateError(f"模板运行超过了 {self.seconds:g} 秒的上限，已停止。{_LIMIT_HINT}")


_BUDGET: contextvars.ContextVar[_Budget | None] = contextvars.ContextVar("summarykit_template_budget", default=None)


class _CountedRange:
    """range() as templates see it: the same sequence, but every step of a loop over it is counted."""

    def __init__(self, inner: range) -> None:
        self.inner = inner

    def __iter__(self) -> Any:
        budget = _BUDGET.get()
        for item in self.inner:
            if budget is not None:
                budget.tick()
            yield item

    def __len__(self) -> int:
        return len(self.inner)

    def __getitem__(self, index: Any) -> Any:
        return self.inner[index]

    def __contains__(self, item: Any) -> bool:
        return item in self.inner


class _Environment(ImmutableSandboxedEnvironment):
    """The sandbox, plus: references confined to template names, no self-reference, bounded work."""

    intercepted_binops = frozenset({"*", "**"})

    def join_path(self, template: str, parent: str) -> str:
        why = _refused_reference(template)
        if why:
            raise TemplateError(f"模板“{parent}”引用的“{template}”被拒绝：{why}。"
                                "extends/include/import 只能写模板文件夹里的模板名，例如 \"_base.j2\"")
        if template == parent:
            advice = (f"要继承同名的内置模板，请写 {{% extends \"builtin/{template}\" %}}"
                      if (builtin_dir() / template).is_file() else "请删掉这一句，或改成继承另一个模板")
            raise TemplateError(f"模板“{parent}”继承或引用了它自己，会无限循环；{advice}")
        return template

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        budget = _BUDGET.get()
        if budget is not None:
            budget.tick()
        result = super().call(__context, __obj, *args, **kwargs)
        return _CountedRange(result) if isinstance(result, range) else result

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "*":
            for seq, times in ((left, right), (right, left)):
                if isinstance(seq, str | list | tuple) and isinstance(times, int) and len(seq) * times > MAX_PRODUCT:
                    raise TemplateError(f"模板用 * 重复出的内容超过上限（{MAX_PRODUCT} 个字或项），已停止。{_LIMIT_HINT}")
        if operator == "**" and isinstance(left, int) and isinstance(right, int) and abs(left) > 1 and (
                right * max(abs(left), 2).bit_length() > MAX_PRODUCT * 4):
            raise TemplateError(f"模板里的乘方 {left} ** {right} 结果太大，已停止。{_LIMIT_HINT}")
        return super().call_binop(context, operator, left, right)


def render_bounded(compiled: Any, context: dict[str, Any], *, seconds: float = MAX_RENDER_SECONDS,
                   max_chars: int = MAX_OUTPUT_CHARS) -> str:
    """Render with the limits above: output size and time checked at every piece of output,
    loop steps and calls counted by the environment's hooks.  Raises TemplateError naming the limit."""
    budget = _Budget(seconds, MAX_STEPS)
    token = _BUDGET.set(budget)
    try:
        pieces: list[str] = []
        size = 0
        for piece in compiled.generate(context):
            size += len(piece)
            if size > max_chars:
                raise TemplateError(f"模板生成的文字超过上限（{max_chars} 个字），已停止。{_LIMIT_HINT}")
            budget.tick()
            pieces.append(piece)
        return "".join(pieces)
    finally:
        _BUDGET.reset(token)


@functools.lru_cache(maxsize=16)
def environment(user_dirs: tuple[str, ...] = ()) -> ImmutableSandboxedEnvironment:
    """One compiled-template cache per set of template folders, built once per process."""
    builtin = ConfinedLoader(str(builtin_dir()), encoding="utf-8")
    loaders: list[Any] = [ConfinedLoader(list(user_dirs), encoding="utf-8")] if user_dirs else []
    loaders += [builtin, PrefixLoader({"builtin": builtin})]
    env = _Environment(
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


def template_info(name: str, user_dirs: Sequence[str] = (), seen: frozenset[str] = frozenset()) -> TemplateInfo:
    """Metadata from a template's header comment ({#--- YAML ---#})."""
    check_name(name)
    for folder, builtin in [*((d, False) for d in user_dirs), (str(builtin_dir()), True)]:
        path = Path(folder) / f"{name}{TEMPLATE_SUFFIX}"
        confined = confined_stat(folder, str(path), f"{name}{TEMPLATE_SUFFIX}")
        if confined is not None:
            real, found = confined
            info = _read_info(name, real, builtin, found.st_mtime_ns, found.st_size)
            return _inherit(info, user_dirs, seen)
    raise TemplateError(f"找不到模板“{name}”。可用的模板：{', '.join(list_names(user_dirs))}")


def _inherit(info: TemplateInfo, user_dirs: Sequence[str], seen: frozenset[str] = frozenset()) -> TemplateInfo:
    """A template that extends another and leaves numbering or tags out of its header takes its parent's,
    so that a user template extending school_term keeps the school numbering (1、) without copying the header."""
    if not info.parent or (info.numbering and info.tags):
        return info
    parent_name = info.parent.removeprefix("builtin/")
    # "builtin/NAME" and a user template extending its own name both mean the built-in.
    builtin_only = info.parent.startswith("builtin/") or (parent_name == info.name and not info.builtin)
    if (parent_name == info.name and info.builtin) or info.path in seen:
        return info  # a loop of extends is reported when the template is compiled
    try:
        parent = template_info(parent_name, () if builtin_only else user_dirs, seen | {info.path})
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
    except TemplateError:
        raise
    except TemplateNotFound as exc:
        if exc.name and exc.name != f"{name}{TEMPLATE_SUFFIX}":
            raise TemplateError(f"模板“{name}”引用了不存在的模板“{exc.name}”") from None
        raise TemplateError(f"找不到模板“{name}”。可用的模板：{', '.join(list_names(user_dirs))}") from None
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
    if isinstance(exc, RecursionError):
        return TemplateError(f"模板 {where}：extends/include 或宏调用形成了循环（或嵌套太深），已停止；"
                             "请检查模板之间的继承和引用，不要让它们互相引用")
    if isinstance(exc, MemoryError | OverflowError):
        return TemplateError(f"模板 {where}：运算结果太大，已停止。{_LIMIT_HINT}")
    hints = {
        "UndefinedError": "模板引用了不存在的变量或字段",
        "TemplateSyntaxError": "模板语法错误",
        "SecurityError": "模板试图做沙箱不允许的事",
    }
    return TemplateError(f"模板 {where}：{hints.get(kind, '模板出错')}：{message}")
