"""The Jinja layer: finding templates, the sandboxed environment, and the filters.

Templates are looked up by *name*, never used as paths, in the user's folders
first and then among the built-ins.  They run in Jinja's sandbox with
StrictUndefined, so a typo in a template is an error, not a silent blank;
a chain of built-in templates alone runs in a plain environment without the
render budget (``_Trusted``, which says why), with the same output.

Record values reach templates already escaped for the markup (see markup.py),
so record text can never become structure or template code.  Filters here take
and return escaped text.
"""

from __future__ import annotations

import functools
import io
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from stat import S_ISREG
from typing import Any

from jinja2 import (
    BaseLoader,
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    PrefixLoader,
    StrictUndefined,
    TemplateNotFound,
    nodes,
)
from jinja2.compiler import CodeGenerator, Frame, optimizeconst
from jinja2.nodes import EvalContext
from jinja2.runtime import BlockReference, Context, LoopContext, Macro
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.utils import missing, open_if_exists
from jinja2.visitor import NodeTransformer

from ..errors import Problem, TemplateError
from ..zh import numformat
from ..zh.numerals import cn_number
from . import renderbudget
from .locations import builtin_dir
from .markup import escape, escape_line, needs_escape
from .renderbudget import (
    LIMIT_HINT,
    MAX_OUTPUT_CHARS,
    MAX_PRODUCT,  # noqa: F401 - part of this module's interface
    MAX_RENDER_SECONDS,
    MAX_STEPS,  # noqa: F401 - part of this module's interface
    Budget,
    BudgetCodeGenerator,
    BudgetExceeded,
    LoopCounter,
    bounded_format,
    bounded_lipsum,
    check_binop,
    check_text,
    checked,
    concat,
    guard_filter,
    loop_items,
)

TEMPLATE_SUFFIX = ".j2"
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_\-]{0,63}$")
_EXTENDS = re.compile(r"\{%-?\s*extends\s+[\"']([A-Za-z0-9_/\-]+)\.j2[\"']")
_HEADER = re.compile(r"\A\{#-?\s*---\s*\n(.*?)\n\s*---\s*-?#\}", re.S)


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


_FIRST_SENTENCE = re.compile(r"^(.+?[。！？；])(?!”)(.*)$", re.S)


def lead_split(value: Any) -> tuple[str, str]:
    """A point's lead sentence and the rest: 加强制度建设。修订了……。 → (加强制度建设。, 修订了……。).

    Government summaries print each 一是 point as its own paragraph with the first sentence in
    bold; a point of one sentence is all lead.  A lead ending in ； becomes a sentence (。).
    """
    text = str(value).strip()
    match = _FIRST_SENTENCE.match(text)
    if not match or not match.group(2).strip():
        return _as_sentence(text), ""
    lead, rest = match.group(1), match.group(2).strip()
    if lead.endswith("；"):
        lead = lead[:-1] + "。"
    return lead, _as_sentence(rest)


def strip_end(value: Any) -> str:
    """Drop end punctuation, e.g. before adding a colon in a lead-in."""
    return str(value).rstrip(_END_PUNCT)


FILTERS = {
    "cn_num": lambda n: cn_number(int(n)),
    "join_cn": join_cn,
    "enumerate_cn": enumerate_cn,
    "strip_end": strip_end,
    "lead_split": lead_split,
    "sentence": lambda value: _as_sentence(str(value)),
}
FILTERS.update(numformat.FILTERS)  # GB/T 15835: metric, num, num_range, wan, percent, cn_date (numformat.py)


# --------------------------------------------------------------------------- escaping at the point of output


class MarkupText(str):
    """Text that already is markup (a macro's output, a stock phrase, a template's own string literal).

    Everything else a template prints with ``{{ }}`` is record text and is escaped for the markup
    as it is printed (``finalize``), the way HTML templates autoescape: templates and filters see
    plain text (``{{ x | length }}`` counts characters), and record text still never becomes markup.
    Only repetition keeps the mark (``"#" * level``); joining or adding other text gives plain text.
    """

    __slots__ = ()

    def __mul__(self, count: Any) -> Any:
        return MarkupText(str.__mul__(self, count))

    __rmul__ = __mul__


def _finalize(value: Any) -> Any:
    """Escape what a template prints, unless it is markup already (called for every printed value)."""
    kind = type(value)
    if kind is MarkupText:
        renderbudget.charge(len(value))
        return value
    if kind is str and "\n" not in value and "\r" not in value:
        text = escape_line(value)  # escape() without its line folding: the common case
    elif kind is int and value >= 0:
        text = str(value)  # digits only: nothing to escape (an item's level, a count)
    else:
        check_text(value)  # a list printed as text is measured before it becomes text
        text = escape(value)
    if len(text) > MAX_OUTPUT_CHARS:
        check_text(text)
    renderbudget.charge(len(text))
    return text


def _finalize_trusted(value: Any) -> Any:
    """``_finalize`` for the built-in templates (see ``_Trusted``): the same escaping, nothing charged or measured.

    A property test (tests/test_templating_trusted.py) checks that the two print every value alike.
    """
    kind = type(value)
    if kind is MarkupText:
        return value
    if kind is str:
        if not needs_escape(value):
            return value  # what escape_line() and escape() give for it: most record text
        if "\n" not in value and "\r" not in value:
            return escape_line(value)
    elif kind is int and value >= 0:
        return str(value)
    return escape(value)


def _esc(value: Any) -> MarkupText:
    """``esc(x)`` in templates: escape once and mark as done (kept for templates written before finalize)."""
    return value if type(value) is MarkupText else MarkupText(escape(value))


def _join(value: Iterable[Any], separator: str = "") -> str:
    """Jinja's ``join``, aware of markup: with a markup separator (``join(" | ")``) every item is escaped."""
    items = list(value)
    if type(separator) is MarkupText:
        return MarkupText(separator.join(_esc(item) for item in items))
    return str(separator).join(str(item) for item in items)


def _row(cells: Iterable[Any]) -> MarkupText:
    """A table row of the markup, ``| a | b |``, each cell escaped."""
    return MarkupText("| " + " | ".join(_esc(c) for c in cells) + " |")


_MARKUP_CHARS = re.compile(r"[\\#\-|:\r\n]")


class _LiteralMarker(NodeTransformer):
    """A string literal in a printed expression becomes ``__literal__("…")``, i.e. a MarkupText at run time.

    Literals are written by the template's author, never by the records, so they may carry
    markup (``{{ "#" * level }}``); the call is needed because compiled code holds plain strings.
    """

    def visit_Const(self, node: nodes.Const) -> nodes.Node:
        if type(node.value) is not str or not _MARKUP_CHARS.search(node.value):
            return node  # escaping it would change nothing: no call needed (subscripts, most arguments)
        return nodes.Call(nodes.Name("__literal__", "load", lineno=node.lineno), [node], [], None, None,
                          lineno=node.lineno)


TRACE_OPEN, TRACE_CLOSE = "\ue000", "\ue001"
_TRACE = re.compile(f"{TRACE_OPEN}([^{TRACE_CLOSE}]*){TRACE_CLOSE}")
_LEADING_TRACE = re.compile(f"^\\s*(?:{TRACE_OPEN}[^{TRACE_CLOSE}]*{TRACE_CLOSE}\\s*)+")


def _traced(data: nodes.TemplateData, where: str) -> nodes.TemplateData:
    """Template text with a marker naming its file and line at the start of each of its lines."""
    lineno = data.lineno
    pieces = [f"{TRACE_OPEN}{where}:{lineno}{TRACE_CLOSE}"]
    for char in data.data:
        pieces.append(char)
        if char == "\n":
            lineno += 1
            pieces.append(f"{TRACE_OPEN}{where}:{lineno}{TRACE_CLOSE}")
    return nodes.TemplateData("".join(pieces), lineno=data.lineno)


# --------------------------------------------------------------------------- confinement and limits

#: A template is text a person wrote; anything larger was chosen by mistake (or made to hurt).
MAX_TEMPLATE_BYTES = 1024 * 1024
#: Limits on one render (time, output, steps, sizes): see renderbudget.py, which enforces them.
_LIMIT_HINT = LIMIT_HINT

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
                contents = template_text(handle.read(), template)
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


def template_text(data: bytes, template: str) -> str:
    """A template file's bytes as text: UTF-8 (a BOM is dropped), else a TemplateError at the first bad byte."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        from ..records.decoding import _line_column

        line, column = _line_column(data, exc.start)
        raise located_template_error(f"模板文件不是 UTF-8 编码（第 {line} 行第 {column} 列的字节 0x{data[exc.start]:02X} "
                                     "不是 UTF-8）", template, line,
                                     "请用记事本、VS Code 等把模板另存为 UTF-8 编码") from None


def _unchanged(path: str, mtime: float) -> bool:
    try:
        return os.path.getmtime(path) == mtime
    except OSError:
        return False


def render_bounded(compiled: Any, context: dict[str, Any], *, seconds: float = MAX_RENDER_SECONDS,
                   max_chars: int = MAX_OUTPUT_CHARS) -> str:
    """Render within the budget (renderbudget.py): output size checked at every piece of output, steps,
    time and the size of every value built checked by the environment's hooks.  Raises TemplateError
    naming the limit, and the template file and line where it was reached."""
    budget = Budget(seconds)
    token = renderbudget.start(budget)
    try:
        pieces: list[str] = []
        size = 0
        for piece in compiled.generate(context):
            size += len(piece)
            if size > max_chars:
                raise BudgetExceeded(f"模板生成的文字超过上限（{max_chars} 个字），已停止。{_LIMIT_HINT}")
            budget.tick()
            pieces.append(piece)
        return "".join(pieces)
    except BudgetExceeded as exc:
        file, line = _template_frame(exc)
        if file is None:
            raise
        message, _, hint = str(exc.args[0]).partition("。")
        raise located_template_error(message + "，已停止" if not message.endswith("已停止") else message,
                                     file, line, hint) from None
    finally:
        renderbudget.stop(token)


def render_trusted(compiled: Any, context: dict[str, Any]) -> str:
    """Render a built-in template (``Templates.for_render``): no budget, see ``_Trusted`` for why."""
    return compiled.render(context)


def _call_macro(macro: Macro, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    """``macro(*args, **kwargs)``; the common call (positional arguments only, no ``caller``, no
    ``*varargs``/``**kwargs`` in the macro, no autoescape) binds its arguments directly.

    That is what Macro.__call__ does for such a call: the given arguments, then ``missing`` for
    each one left out (the compiled macro fills in its defaults).  Anything else goes through
    Macro.__call__ itself.
    """
    count = macro._argument_count
    if (kwargs or len(args) > count or macro.caller or macro.catch_kwargs or macro.catch_varargs
            or macro._default_autoescape or macro._environment.is_async or (args and isinstance(args[0], EvalContext))):
        return macro(*args, **kwargs)
    return macro._func(*args, *([missing] * (count - len(args)))) if len(args) < count else macro._func(*args)


def _macro_result(macro: Macro, args: tuple[Any, ...], kwargs: dict[str, Any], undefined: Any) -> Any:
    """A macro called from a template, as Context.call would: the loop and block variables Jinja passes
    are dropped, and a StopIteration becomes undefined.  A macro is always safe to call and takes no
    context, so both environments call it here without the rest of Context.call's checks."""
    kwargs.pop("_block_vars", None)
    kwargs.pop("_loop_vars", None)
    try:
        return _call_macro(macro, args, kwargs)
    except StopIteration:
        return undefined("value was undefined because a callable raised a StopIteration exception")


_DICT_ATTRIBUTES = frozenset(name for name in dir(dict))  # what getattr() finds on a dict before its keys


class _Sandbox(ImmutableSandboxedEnvironment):
    """The sandbox with markup-aware output: macro and block results are markup, not record text.

    With ``traced`` set (only when an error must be located) every line of template text carries
    a marker with its file and line, so a line of generated markup can be traced to its source.
    """

    traced = False
    intercepted_binops = frozenset({"*", "**", "+", "%"})
    code_generator_class = BudgetCodeGenerator

    def join_path(self, template: str, parent: str) -> str:
        """References from a template (extends/include/import): template names only, never itself."""
        why = _refused_reference(template)
        if why:
            raise located_template_error(
                f"引用的“{template}”被拒绝：{why}", parent, None,
                "extends/include/import 只能写模板文件夹里的模板名，例如 \"_base.j2\"")
        if template == parent:
            advice = (f"要继承同名的内置模板，请写 {{% extends \"builtin/{template}\" %}}"
                      if (builtin_dir() / template).is_file() else "请删掉这一句，或改成继承另一个模板")
            raise located_template_error("模板继承或引用了它自己，会无限循环", parent, None, advice)
        return template

    def getattr(self, obj: Any, attribute: str) -> Any:
        """``x.name``: what the sandbox gives, reached without its AttributeError for a plain dict's key.

        Templates read the records (plain dicts) as ``it.text``; the sandbox first tries the
        attribute, which a dict does not have, then the key.  For an exact dict and a name that is
        no attribute of dict, that is the key or undefined, which is what this returns at once.
        """
        if type(obj) is dict and attribute not in _DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                return self.undefined(obj=obj, name=attribute)
        return super().getattr(obj, attribute)

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        """Every call is a step; a text method's result is measured first (``"x".ljust(10**9)``),
        and what ``loop(children)`` iterates in a recursive loop is counted like any loop."""
        renderbudget.tick()
        if type(__obj) is Macro:  # without SandboxedEnvironment.call's checks: a macro call per item was most of a long render
            result = _macro_result(__obj, args, kwargs, __self.undefined)
            return MarkupText(checked(result)) if type(result) is str else result
        renderbudget.check_method(__obj, args, kwargs)
        if isinstance(__obj, LoopContext) and args:
            args = (loop_items(args[0]), *args[1:])
        result = super().call(__context, __obj, *args, **kwargs)
        if type(result) is str and isinstance(__obj, Macro | BlockReference):
            return MarkupText(result)
        return checked(result)

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        """``*``, ``**``, ``+`` and ``%`` with a size check first: "字" * 10**9 must not be built to find out."""
        renderbudget.tick()
        check_binop(operator, left, right)
        return checked(super().call_binop(context, operator, left, right))

    def wrap_str_format(self, value: Any) -> Any:
        """``"{:>999999999}".format(x)`` is measured before it is built."""
        wrapper = super().wrap_str_format(value)
        if wrapper is None:
            return None
        return bounded_format(wrapper, value.__self__, value.__name__ == "format_map")

    # Called by the compiled code (renderbudget.LoopCounter and BudgetCodeGenerator).
    loop_items = staticmethod(loop_items)
    concat_checked = staticmethod(concat)
    charge_text = staticmethod(renderbudget.charge)

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        tree = LoopCounter().visit(super()._parse(source, name, filename))
        return _mark_outputs(tree, filename or name or "?", self.traced)


def _mark_outputs(tree: nodes.Template, where: str, traced: bool) -> nodes.Template:
    """Literals in printed expressions become markup (``_LiteralMarker``); with ``traced``, template
    text carries its file and line.  What both environments do to a parsed template."""
    marker = _LiteralMarker()
    for output in tree.find_all(nodes.Output):
        output.nodes = [
            (_traced(child, where) if traced else child) if isinstance(child, nodes.TemplateData)
            else marker.visit(child)
            for child in output.nodes
        ]
    return tree


class _TrustedMacro(Macro):
    """A built-in template's macro that takes no ``caller`` and no ``*varargs``/``**kwargs``.

    What ``_call_macro`` tests on every call is then known when the template is compiled (the code
    generator makes a macro a ``_TrustedMacro`` only when it qualifies, see ``macro_def``), so that
    ``_TrustedContext.call`` binds the arguments and calls the compiled function itself, one frame
    instead of three.  Autoescape is still tested per call (it is a run-time setting).
    """


class _TrustedContext(Context):
    """The context of a built-in render: a macro's or block's output is markup, as the sandbox's ``call`` makes it."""

    def call(__self, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        if type(__obj) is _TrustedMacro:
            # _macro_result and _call_macro in one frame, for the call they bind directly (nearly every one)
            count = __obj._argument_count
            if kwargs:
                kwargs.pop("_loop_vars", None)
                kwargs.pop("_block_vars", None)
            if (not __obj._default_autoescape and len(args) <= count and not (args and isinstance(args[0], EvalContext))
                    and (not kwargs or kwargs.keys() <= set(__obj.arguments[len(args):]))):
                # what Macro.__call__ binds: the given arguments, then each later one by name or ``missing``
                rest = (missing,) * (count - len(args)) if not kwargs else [
                    kwargs.get(name, missing) for name in __obj.arguments[len(args):]]
                try:
                    result = __obj._func(*args, *rest)
                except StopIteration:
                    return __self.environment.undefined(
                        "value was undefined because a callable raised a StopIteration exception")
            else:
                result = _macro_result(__obj, args, kwargs, __self.environment.undefined)
            return MarkupText(result) if type(result) is str else result
        if type(__obj) is Macro:
            result = _macro_result(__obj, args, kwargs, __self.environment.undefined)
            return MarkupText(result) if type(result) is str else result
        result = Context.call(__self, __obj, *args, **kwargs)
        if type(result) is str and isinstance(__obj, BlockReference):
            return MarkupText(result)
        return result


_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z_0-9]*")


class _TrustedCodeGenerator(CodeGenerator):
    """Jinja's code generator with two shortcuts for the built-in templates, each the same value:

    * a printed value is ``environment.finalize(x)``, not ``str(environment.finalize(x))``:
      ``_finalize_trusted`` returns text already, and the output is joined with ``"".join``;
    * ``x.name`` reads a plain dict's key in place
      (``x["name"] if type(x) is dict and "name" in x else environment.getattr(x, "name")``),
      which is what ``_Trusted.getattr`` returns, without its call; ``x`` is evaluated once (an
      expression such as ``report.meta`` into a local of its own first); names that are
      attributes of dict (``items``, ``keys`` …) keep the call;
    * macros that take no ``caller`` and no ``*varargs``/``**kwargs`` are ``_TrustedMacro``, and
      a marked literal is built as MarkupText at once (``macro_def``, ``visit_Call``).
    """

    def _output_child_pre(self, node: nodes.Expr, frame: Frame, finalize: Any) -> None:
        if finalize.src is not None and not frame.eval_ctx.volatile and not frame.eval_ctx.autoescape:
            self.write(finalize.src)
            return
        super()._output_child_pre(node, frame, finalize)

    def _output_child_post(self, node: nodes.Expr, frame: Frame, finalize: Any) -> None:
        if finalize.src is not None and not frame.eval_ctx.volatile and not frame.eval_ctx.autoescape:
            self.write(")")
            return
        super()._output_child_post(node, frame, finalize)

    def macro_def(self, macro_ref: Any, frame: Frame) -> None:
        """A macro without ``caller`` and ``*varargs``/``**kwargs`` is a ``_TrustedMacro``
        (``environment.macro_class``), whose calls the context makes directly."""
        if (macro_ref.accesses_kwargs or macro_ref.accesses_varargs or macro_ref.accesses_caller
                or self.environment.is_async):
            super().macro_def(macro_ref, frame)
            return
        self.write("environment.macro_class(")  # written first: any pending line break goes before
        stream, self.stream = self.stream, io.StringIO()
        try:
            super().macro_def(macro_ref, frame)
        finally:
            written, self.stream = self.stream.getvalue(), stream
        if not written.startswith("Macro("):
            raise AssertionError(f"unexpected macro definition from Jinja: {written[:40]!r}")
        self.write(written[len("Macro("):])

    def visit_Call(self, node: nodes.Call, frame: Frame, forward_caller: bool = False) -> None:
        """A marked literal (``__literal__("#")``, see ``_LiteralMarker``) is built at once as MarkupText,
        not called through the context (a few per category of a long report)."""
        if (isinstance(node.node, nodes.Name) and node.node.name == "__literal__" and len(node.args) == 1
                and isinstance(node.args[0], nodes.Const) and type(node.args[0].value) is str
                and not (node.kwargs or node.dyn_args or node.dyn_kwargs or forward_caller)):
            self.write(f"environment.literal({node.args[0].value!r})")
            return
        super().visit_Call(node, frame, forward_caller=forward_caller)

    @optimizeconst
    def visit_Getattr(self, node: nodes.Getattr, frame: Frame) -> None:
        if self.environment.is_async or node.attr in _DICT_ATTRIBUTES:
            super().visit_Getattr(node, frame)
            return
        self.write("(")  # written first: any pending line break goes before the captured name
        stream, self.stream = self.stream, io.StringIO()
        try:
            self.visit(node.node, frame)
        finally:
            target, self.stream = self.stream.getvalue(), stream
        attr = repr(node.attr)
        if not _IDENTIFIER.fullmatch(target):  # report.meta.unit: the inner value once, in a local of its own
            name = self.temporary_identifier()
            self.write(f"{name}[{attr}] if type(({name} := {target})) is dict and {attr} in {name} else ")
            target = name
        else:
            self.write(f"{target}[{attr}] if type({target}) is dict and {attr} in {target} else ")
        self.write(f"environment.getattr({target}, {attr}))")


class _Trusted(Environment):
    """The environment of the built-in templates alone: no sandbox, no render budget.

    The sandbox and the budget (renderbudget.py, issue #19) are there to contain templates a
    user brings: a template folder, an in-memory template, a user template extending or
    including a built-in one.  The built-in templates ship inside the package and are reviewed
    with it; each does a fixed amount of work per record (no loop but over the records, no
    text built but from them), so its time and output are linear in the records, which the
    loader already bounds (records/decoding.py MAX_BYTES, records/yamlmarks.py MAX_NODES and
    MAX_EXPANDED_CHARS).  The budget's hooks — a step and a clock read per loop item, call and
    filter, every value measured, every piece of text charged — then guard nothing, and were
    half the time of composing a long report.

    Used only when every template of the chain (the template, what it extends, includes and
    imports, transitively) is a built-in file and no user template of the same name would be
    found first (``Templates.chain_is_builtin``); otherwise the sandbox renders, exactly as
    before.  Its loader sees the built-in folder only, and its compiled code is cached apart
    from the sandbox's.  Output is the sandbox's, byte for byte: the same filters, globals,
    literal marking and escaping at output (``_finalize_trusted``), and macro output marked
    as markup by its context (``_TrustedContext``).
    """

    context_class = _TrustedContext
    code_generator_class = _TrustedCodeGenerator
    macro_class = _TrustedMacro
    literal = MarkupText

    def getattr(self, obj: Any, attribute: str) -> Any:
        """``x.name`` on a plain dict: the key at once (no AttributeError first), as in ``_Sandbox.getattr``."""
        if type(obj) is dict and attribute not in _DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                return self.undefined(obj=obj, name=attribute)
        return super().getattr(obj, attribute)

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        return _mark_outputs(super()._parse(source, name, filename), filename or name or "?", False)


# --------------------------------------------------------------------------- environment and discovery


class _SourceLoader(BaseLoader):
    """Templates held in memory (name → source), e.g. from an embedding program or the web page."""

    def __init__(self, sources: Mapping[str, str]) -> None:
        self.sources = {f"{name}{TEMPLATE_SUFFIX}": text for name, text in sources.items()}

    def get_source(self, environment: Any, template: str) -> tuple[str, str | None, Any]:
        if template not in self.sources:
            raise TemplateNotFound(template)
        text = self.sources[template]
        return text, f"<内存>/{template}", lambda: True

    def list_templates(self) -> list[str]:
        return sorted(self.sources)


class Templates:
    """Where templates come from, in order: in-memory sources, the user's folders, the built-ins.

    One object per configuration (owned by a Kit): it holds the Jinja environment and its
    compiled-template cache.  A template file edited on disk is recompiled on the next render
    (Jinja's auto_reload compares modification times), and its header is re-read at the same
    moment (headers are cached by file version), so header and body always agree.
    """

    def __init__(self, folders: Iterable[str | os.PathLike[str]] = (),
                 sources: Mapping[str, str] | None = None) -> None:
        self.folders = tuple(str(f) for f in folders)
        self.sources = dict(sources or {})
        for name in self.sources:
            check_name(name)
        for folder in self.folders:
            if not Path(folder).is_dir():
                what = "是一个文件，不是文件夹" if Path(folder).exists() else "不存在"
                raise TemplateError(f"模板文件夹“{folder}”{what}",
                                    [Problem(f"模板文件夹{what}", file=folder,
                                             hint="检查 --templates 后面的路径；模板文件夹里放 名称.j2 文件")])

    @property
    def env(self) -> _Sandbox:
        """The Jinja environment: shared by every Templates of the same folders and sources."""
        return _environment(self.folders, tuple(self.sources.items()))

    def info(self, name: str, _seen: frozenset[str] = frozenset()) -> TemplateInfo:
        """Metadata from a template's header comment ({#--- YAML ---#}), with inherited numbering and tags.

        The file is found as the loader finds it (confined_stat: no links out of the folder, no FIFO)."""
        check_name(name)
        if name in self.sources:
            return self._inherit(_info_from_source(name, self.sources[name], f"<内存>/{name}{TEMPLATE_SUFFIX}", False),
                                 _seen)
        for folder, builtin in [*((d, False) for d in self.folders), (str(builtin_dir()), True)]:
            path = Path(folder) / f"{name}{TEMPLATE_SUFFIX}"
            confined = confined_stat(folder, str(path), f"{name}{TEMPLATE_SUFFIX}")
            if confined is not None:
                found = confined[1]
                info = _read_info(name, str(path), builtin, found.st_mtime_ns, found.st_size)
                return self._inherit(info, _seen)
        raise TemplateError(f"找不到模板“{name}”。{_available(self.names(), name)}")

    def _inherit(self, info: TemplateInfo, seen: frozenset[str] = frozenset()) -> TemplateInfo:
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
            parent = (_builtin_templates() if builtin_only else self).info(parent_name, seen | {info.path})
        except TemplateError:
            return info  # a missing parent is reported when the template is compiled
        return replace(info, numbering=info.numbering or parent.numbering, tags=info.tags or parent.tags)

    def names(self) -> list[str]:
        """Every template a user can name: in-memory, their folders', then the built-ins (base templates start with _)."""
        found: dict[str, None] = dict.fromkeys(n for n in self.sources if not n.startswith("_"))
        for folder in [*self.folders, str(builtin_dir())]:
            base = Path(folder)
            if base.is_dir():
                for path in sorted(base.glob(f"*{TEMPLATE_SUFFIX}")):
                    if not path.stem.startswith("_"):
                        found.setdefault(path.stem, None)
        return list(found)

    def list(self) -> list[TemplateInfo]:
        return [self.info(n) for n in self.names()]

    def chain_is_builtin(self, name: str) -> bool:
        """Whether template ``name`` and every template it reaches are the built-in files, none of
        them shadowed by a user template of the same name (in memory or in the folders, looked up
        now: a file added to a folder later counts from the next render on)."""
        chain = builtin_chain(f"{check_name(name)}{TEMPLATE_SUFFIX}")
        if chain is None:
            return False
        for ref in chain:
            if ref[: -len(TEMPLATE_SUFFIX)] in self.sources and ref.endswith(TEMPLATE_SUFFIX):
                return False
            pieces = [p for p in ref.split("/") if p and p != "."]
            if any(os.path.lexists(os.path.join(folder, *pieces)) for folder in self.folders):
                return False
        return True

    def for_render(self, name: str) -> tuple[Any, bool]:
        """The compiled template to render and whether it is trusted: the built-in environment's
        (``_Trusted``, rendered by ``render_trusted``) when the whole chain is built-in, else the
        sandbox's (``get``, rendered by ``render_bounded``)."""
        if self.chain_is_builtin(name):
            return self._compiled(_trusted_environment(), name), True
        return self.get(name), False

    def get(self, name: str) -> Any:
        """The compiled template (the sandbox's); a missing one or a syntax error is a located TemplateError."""
        return self._compiled(self.env, name)

    def _compiled(self, env: Environment, name: str) -> Any:
        try:
            return env.get_template(f"{check_name(name)}{TEMPLATE_SUFFIX}")
        except TemplateError:
            raise
        except TemplateNotFound as exc:
            if exc.name and exc.name != f"{name}{TEMPLATE_SUFFIX}":
                raise TemplateError(f"模板“{name}”引用了不存在的模板“{exc.name}”") from None
            raise TemplateError(f"找不到模板“{name}”。{_available(self.names(), name)}") from None
        except Exception as exc:  # syntax errors: name the file and line
            raise template_error(exc, name) from None


    def locate(self, name: str, context: Mapping[str, Any], line: int) -> tuple[str, int] | None:
        """The template file and line that wrote line ``line`` of the output (for markup errors).

        Renders once more in a traced environment whose template text carries file:line markers;
        used only on the error path, so the normal render pays nothing for it.
        """
        try:
            traced = _environment(self.folders, tuple(self.sources.items()), traced=True)
            output = render_bounded(traced.get_template(f"{name}{TEMPLATE_SUFFIX}"), dict(context))
        except Exception:  # the first render succeeded; a second failure just means no location
            return None
        lines = output.split("\n")
        if not 1 <= line <= len(lines):
            return None
        # Markers at the line's start: the last one stands right before the line's first text (the
        # earlier ones end the template text before it).  A line that starts with printed values
        # takes the last marker before it.
        leading = _LEADING_TRACE.match(lines[line - 1])
        if leading:
            where = list(_TRACE.finditer(leading.group()))[-1].group(1)
        else:
            before = list(_TRACE.finditer("\n".join(lines[: line - 1])))
            if not before:
                return None
            where = before[-1].group(1)
        file, _, number = where.rpartition(":")
        return file, int(number)

def _available(names: Sequence[str], wanted: str) -> str:
    from ..zh.suggest import did_you_mean

    guess = did_you_mean(wanted, names)
    return (f"是不是“{guess}”？" if guess else "") + f"可用的模板：{', '.join(names)}"


@functools.lru_cache(maxsize=3)
def _bytecode_cache(traced: bool, trusted: bool = False) -> Any:
    """Compiled templates kept in the user cache folder: compiling the built-ins costs ~0.2 s per process.

    Jinja checks each cached entry against the template's source (a checksum), so an edited template
    is compiled again.  What else shapes the compiled code — Jinja and Python versions, this module
    and renderbudget.py (the sandbox's parse step and code generator), and ``traced`` — names the folder, so that a change to any of them
    never loads code compiled for another.  No cache folder (read-only home): compile as before.
    """
    import hashlib
    import sys

    import jinja2
    from jinja2 import FileSystemBytecodeCache

    from ..usercache import cache_folder

    digest = hashlib.sha256(Path(__file__).read_bytes())
    digest.update(Path(renderbudget.__file__).read_bytes())  # its code generator shapes the compiled code too
    digest.update(f"{jinja2.__version__}/{sys.version}/{traced}".encode())
    if trusted:  # the built-ins' code without the budget's hooks: never to be loaded by the sandbox
        digest.update(b"/trusted")
    folder = cache_folder() / "templates" / digest.hexdigest()[:16]
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError:
        return None
    return FileSystemBytecodeCache(str(folder))


@functools.lru_cache(maxsize=16)
def _environment(folders: tuple[str, ...], sources: tuple[tuple[str, str], ...], traced: bool = False) -> _Sandbox:
    """One environment (and compiled-template cache) per configuration, built once per process."""
    builtin = ConfinedLoader(str(builtin_dir()), encoding="utf-8")
    loaders: list[Any] = [_SourceLoader(dict(sources))] if sources else []
    if folders:
        loaders.append(ConfinedLoader(list(folders), encoding="utf-8"))
    loaders += [builtin, PrefixLoader({"builtin": builtin})]
    env = _Sandbox(
        loader=ChoiceLoader(loaders),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
        auto_reload=True,
        finalize=_finalize,
    )
    env.bytecode_cache = _bytecode_cache(traced)
    env.filters.update(FILTERS)
    env.filters.update(join=_join, row=_row)
    env.filters.update({name: guard_filter(name, func) for name, func in env.filters.items()})
    env.globals["lipsum"] = bounded_lipsum(env.globals["lipsum"])
    env.globals.update(cn_num=FILTERS["cn_num"], esc=_esc, __literal__=MarkupText)
    env.traced = traced
    return env


@functools.lru_cache(maxsize=1)
def _trusted_environment() -> _Trusted:
    """The one environment of the built-in templates (``_Trusted``): the built-in folder only."""
    builtin = ConfinedLoader(str(builtin_dir()), encoding="utf-8")
    env = _Trusted(
        loader=builtin,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
        auto_reload=True,
        finalize=_finalize_trusted,
    )
    env.bytecode_cache = _bytecode_cache(False, trusted=True)
    env.filters.update(FILTERS)
    env.filters.update(join=_join, row=_row)
    env.globals.update(cn_num=FILTERS["cn_num"], esc=_esc, __literal__=MarkupText)
    return env


#: Per built-in template file: the stamps (path, mtime) of its chain's files and the chain's names.
_CHAINS: dict[str, tuple[tuple[tuple[str, int], ...], frozenset[str] | None]] = {}


def builtin_chain(template: str) -> frozenset[str] | None:
    """Every template name a built-in template reaches (itself, what it extends, includes and imports,
    transitively), or None when one of them is no built-in file or is named at run time.

    Read from the parsed templates once per file version (a few stats per render after that; each
    file's references are kept on disk, see ``_references``).
    """
    cached = _CHAINS.get(template)
    if cached is not None and all(_mtime_ns(path) == stamp for path, stamp in cached[0]):
        return cached[1]
    folder = builtin_dir()
    stamps: list[tuple[str, int]] = []
    names: set[str] = set()
    todo = [template]
    chain: frozenset[str] | None = None
    try:
        while todo:
            ref = todo.pop()
            if ref in names:
                continue
            if _refused_reference(ref) or ref.startswith("builtin/"):
                raise LookupError(ref)
            names.add(ref)
            path = folder.joinpath(*ref.split("/"))
            stamps.append((str(path), path.stat().st_mtime_ns))
            for found in _references(path.read_bytes(), ref):
                if found is None:  # a name computed at run time: cannot be known here
                    raise LookupError(ref)
                todo.append(found)
        chain = frozenset(names)
    except Exception:  # missing, unreadable, not valid Jinja: the sandbox renders it and reports what is wrong
        chain = None
    _CHAINS[template] = (tuple(stamps), chain)
    return chain


def _references(data: bytes, ref: str) -> list[str | None]:
    """The names a built-in template file extends, includes and imports (None: one computed at run time).

    Parsing the chain's three templates with Jinja was a sixth of a command-line render, every run,
    so the answer is kept in the user cache folder, beside the built-ins' compiled code (a folder
    named by Jinja's, Python's and this module's versions), under the digest of the file's bytes:
    an edited file is parsed again.  A cache file that cannot be read, is not JSON or is not a list
    of names is ignored (and written again); one that cannot be written only costs time.  What it
    holds can only send a chain to the sandbox or leave a shadowing user file unused: the trusted
    environment's loader reads the built-in folder alone.
    """
    import hashlib
    import json

    cache = _bytecode_cache(False, trusted=True)
    file = Path(cache.directory) / f"refs-{hashlib.sha256(data).hexdigest()[:32]}.json" if cache else None
    if file is not None:
        try:
            known = json.loads(file.read_bytes())
        except (OSError, ValueError):
            known = None
        if isinstance(known, list) and all(name is None or isinstance(name, str) for name in known):
            return known
    from jinja2 import meta

    from ..usercache import write_cache_file

    found = list(meta.find_referenced_templates(_trusted_environment().parse(template_text(data, ref))))
    if file is not None:
        write_cache_file(file, json.dumps(found).encode())
    return found


def _mtime_ns(path: str) -> int:
    try:
        return os.stat(path).st_mtime_ns
    except OSError:
        return -1


@functools.lru_cache(maxsize=16)
def templates_for(folders: tuple[str, ...] = ()) -> Templates:
    """One Templates per set of folders, for the module-level shortcuts below (tools, importer, init)."""
    return Templates(folders)


def _builtin_templates() -> Templates:
    return templates_for(())


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


#: A template's header is a few lines of metadata; more values than this (aliases expanding, say) is not one.
MAX_HEADER_VALUES = 10_000


def _header(source: str, path: str = "") -> dict[str, Any]:
    """The header's fields; {} when there is none or it is not YAML.  A header whose aliases expand
    beyond MAX_HEADER_VALUES (a "billion laughs" in a template) or that nests too deeply is refused."""
    match = _HEADER.match(source)
    if not match:
        return {}
    import yaml  # here: most commands read no template header, and PyYAML is ~15 ms of a cold start

    try:
        data = yaml.safe_load(match.group(1))
    except yaml.YAMLError:
        return {}
    except RecursionError:
        data = None
        _refuse_header(path)
    _check_header_size(data, path)
    return data if isinstance(data, dict) else {}


def _check_header_size(data: Any, path: str) -> None:
    """Count the header's values as str() would visit them (an alias counts each time it is used)."""
    stack, seen = [data], 0
    while stack:
        item = stack.pop()
        seen += 1
        if seen > MAX_HEADER_VALUES:
            _refuse_header(path)
        if isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def _refuse_header(path: str) -> None:
    raise TemplateError(f"模板“{path}”开头的说明（{{#--- … ---#}}）太大或嵌套太深（上限 {MAX_HEADER_VALUES} 个值），"
                        "可能是锚点 & 和引用 * 成倍展开；请只写 title、description、numbering、tags 这几项",
                        [Problem("模板开头的说明太大或嵌套太深", file=path, line=1,
                                 hint="请删除锚点和引用，只写 title、description、numbering、tags")])


@functools.lru_cache(maxsize=64)
def _read_info(name: str, path: str, builtin: bool, mtime_ns: int, size: int) -> TemplateInfo:
    """Read and parse a header once per process and file version: every report asks, the file rarely changes."""
    return _info_from_source(name, template_text(Path(path).read_bytes(), path), path, builtin)


@functools.lru_cache(maxsize=64)
def _info_from_source(name: str, source: str, path: str, builtin: bool) -> TemplateInfo:
    header = _header(source, path)
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


def template_info(name: str, user_dirs: Sequence[str] = ()) -> TemplateInfo:
    return templates_for(tuple(str(d) for d in user_dirs)).info(name)


def list_names(user_dirs: Sequence[str] = ()) -> list[str]:
    return templates_for(tuple(str(d) for d in user_dirs)).names()


def list_templates(user_dirs: Sequence[str] = ()) -> list[TemplateInfo]:
    return templates_for(tuple(str(d) for d in user_dirs)).list()


def get_template(name: str, user_dirs: Sequence[str] = ()) -> Any:
    return templates_for(tuple(str(d) for d in user_dirs)).get(name)


# Jinja's own messages, in Chinese: (pattern, message, hint).  Anything unlisted keeps Jinja's text
# after a Chinese headline, so nothing is lost.  The patterns are compiled by re on first use (an
# error), not at every start.
_JINJA_MESSAGES: tuple[tuple[str, str, str], ...] = (
        (r"^'([^']+)' is undefined$", "变量“{0}”不存在",
         "检查拼写；记录的内容在 report 下，如 report.intro、report.meta.organization"),
        (r"^'[^']+' has no attribute '([^']+)'$", "没有“{0}”这个字段",
         "检查拼写；记录文件的字段见 docs/records.md"),
        (r"^'[^']+' object has no attribute '([^']+)'$", "没有“{0}”这个字段",
         "检查拼写；记录文件的字段见 docs/records.md"),
        (r"^Encountered unknown tag '([^']+)'\.?(?:.*)$", "不认识的标签“{0}”",
         "检查拼写，或是否漏写了对应的 {% endif %}、{% endfor %}、{% endmacro %}、{% endblock %}"),
        (r"^Unexpected end of template\.(?:.*)$", "模板意外结束",
         "某个 {% if %}、{% for %}、{% macro %} 或 {% block %} 没有对应的结束标签"),
        (r"^unexpected end of template, expected '([^']+)'\.?$", "模板意外结束，缺少“{0}”",
         "检查括号和引号是否成对"),
        (r"^unexpected '([^']+)'$", "这里不应出现“{0}”", "检查 {{ }} 和 {% %} 是否成对、括号是否成对"),
        (r"^expected token '([^']+)', got '([^']+)'$", "这里应是“{0}”，实际是“{1}”",
         "检查 {{ }} 和 {% %} 里的写法"),
        (r"^no filter named '([^']+)'$", "没有名为“{0}”的过滤器",
         "可用的过滤器见 docs/templates.md"),
        (r"^no test named '([^']+)'$", "没有名为“{0}”的测试", "可用的测试见 Jinja 文档"),
        (r"^block '([^']+)' defined twice$", "块“{0}”定义了两次", "每个 {% block %} 名字只能用一次"),
        (r"^access to attribute '([^']+)' of '([^']+)' object is unsafe\.?$", "沙箱不允许访问“{1}”的“{0}”",
         "模板只能读取记录的内容，不能调用 Python 的内部功能"),
        (r"^maximum recursion depth exceeded.*$", "模板无限递归（宏或 extends 调用了自己）",
         "检查是否有宏调用自己而没有结束条件，或模板 extends 了它自己"),
        (r"^(.*) is not safely callable$", "沙箱不允许调用 {0}", "模板只能使用内置的过滤器和宏"),
        (r"^(?:float |integer )?(?:division|modulo)(?: or modulo)? by zero$", "除数是 0",
         "先用 {% if 分母 %} 判断不为 0 再相除"),
        (r"^unsupported operand type\(s\) for ([^:]+): '(\w+)' and '(\w+)'$", "“{1}”和“{2}”不能做 {0} 运算",
         "文字和数字不能直接相加：拼接文字用 ~，数字先用 | int 或 | float 转换"),
        (r"^can only concatenate str \(not \"(\w+)\"\) to str$", "文字不能直接和“{0}”相加",
         "拼接文字用 ~（它会把数字转成文字），例如 {{ \"第\" ~ n ~ \"名\" }}"),
        (r"^Exceeds the limit \((\d+) digits\) for integer string conversion.*$", "数字太长（超过 {0} 位），不能写成文字",
         LIMIT_HINT),
)


def _translate(message: str) -> tuple[str, str]:
    for pattern, chinese, hint in _JINJA_MESSAGES:
        match = re.match(pattern, message.strip())
        if match:
            return chinese.format(*match.groups()), hint
    return f"模板出错（{message}）", "检查这一行的模板写法，见 docs/templates.md"


def template_error(exc: BaseException, name: str) -> TemplateError:
    """A Jinja error → TemplateError whose Problem names the template file (the parent's, if it is there) and line."""
    filename = getattr(exc, "filename", None) or getattr(exc, "name", None)
    lineno = getattr(exc, "lineno", None)
    if lineno is None:
        found = _template_frame(exc)
        if found[0] is not None:
            filename, lineno = found
    if isinstance(exc, OverflowError) and "Range too big" in str(exc):
        return located_template_error("range() 的范围太大（沙箱的上限是 100000 项），已停止", filename or name, lineno,
                                      _LIMIT_HINT)
    if isinstance(exc, MemoryError | OverflowError):
        return located_template_error(f"运算结果太大，已停止。{_LIMIT_HINT}", filename or name, lineno)
    if isinstance(exc, RecursionError):
        raw = "maximum recursion depth exceeded"
    else:
        raw = getattr(exc, "message", None) or str(exc)
    message, hint = _translate(raw)
    kind = {"UndefinedError": "模板引用了不存在的变量或字段", "TemplateSyntaxError": "模板语法错误",
            "SecurityError": "模板试图做沙箱不允许的事"}.get(type(exc).__name__, "模板出错")
    return located_template_error(f"{kind}：{message}", filename or name, lineno, hint)


def _template_frame(exc: BaseException) -> tuple[str | None, int | None]:
    """The innermost template file and line in an exception's traceback (Jinja rewrites its frames
    so that template lines appear there), or (None, None)."""
    filename, lineno = None, None
    tb = exc.__traceback__
    while tb is not None:
        code = tb.tb_frame.f_code
        if code.co_filename.endswith(TEMPLATE_SUFFIX) or code.co_filename.startswith("<内存>"):
            filename, lineno = code.co_filename, tb.tb_lineno
        tb = tb.tb_next
    return filename, lineno


def located_template_error(message: str, file: str, line: int | None, hint: str = "") -> TemplateError:
    """One TemplateError with its Problem: the headline names the place, the problem carries it as data."""
    problem = Problem(message, file=file, line=line, hint=hint)
    where = f"{file}:{line}" if line else file
    return TemplateError(f"模板 {where}：{message}", [problem])
