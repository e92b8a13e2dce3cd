"""The budget of one template render: steps, time, and the size of everything a template builds.

Templates are files people exchange, so a template that loops for ever or doubles a string
in a loop must stop in bounded time and memory, whatever its loops do.  Three mechanisms:

* every step is counted: each iteration of every ``{% for %}`` (the compiler wraps the loop's
  iterable, so a loop whose body calls nothing and prints nothing is counted too), every call,
  filter and intercepted operator.  Each step also looks at the clock, so the time limit holds
  even when one step is slow.
* every value a template builds is measured where it is built (``~``, ``+``, ``*``, ``%``,
  ``**``, filters, method calls) — before building when the size follows from the arguments
  (``"x" | center(10**9)``, ``"%999999999d" % 1``, a list printed as text), after otherwise,
  so that no text is longer than the output may be (MAX_TEXT_CHARS) and no integer longer
  than MAX_INT_BITS.  Growth is then at most a small factor per step, and steps are counted.
* every piece of text written anywhere — to the output, into ``{% set %}`` blocks, macros,
  ``caller()``, ``{% filter %}`` blocks and included templates — is charged to the render
  (MAX_PRODUCED_CHARS), so text piling up in a captured block is stopped too.

The checks raise BudgetExceeded; templating.render_bounded adds the template file and line.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import re
import string
import time
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from jinja2 import Undefined, nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.utils import _PassArg
from jinja2.visitor import NodeTransformer

from ..errors import TemplateError

#: A real template takes milliseconds and writes some ten thousand characters; these stop one that
#: loops for ever or builds text without end.
MAX_RENDER_SECONDS = 10.0
MAX_OUTPUT_CHARS = 5_000_000
MAX_STEPS = 2_000_000
#: Longest string or list a template may build with * (and the largest ** result, in digits).
MAX_PRODUCT = 1_000_000
#: The longest text (or list) any one value may be: no value can be longer than the output.
MAX_TEXT_CHARS = MAX_OUTPUT_CHARS
#: All text written during one render, counting set blocks, macros and includes (each macro's text
#: is written once in the macro and again where it is printed): ten times the output.
MAX_PRODUCED_CHARS = 10 * MAX_OUTPUT_CHARS
#: The largest integer a template may compute, in bits (about 1.2 million decimal digits).
MAX_INT_BITS = MAX_PRODUCT * 4
LIMIT_HINT = "模板里可能有死循环，或在反复拼接、重复文字；请检查 for 循环和 ~、+、* 运算"


class BudgetExceeded(TemplateError):
    """A limit of the render was reached (the message names it); located by render_bounded."""


def _too_long(size: int) -> BudgetExceeded:
    """``size`` is what was measured (or estimated): for a debugger; users are told the limit."""
    return BudgetExceeded(f"模板拼接或生成的一段文字（或一个列表）超过上限（{MAX_TEXT_CHARS} 个字或项），已停止。{LIMIT_HINT}")


class Budget:
    """What one render may still spend: steps, time and written characters."""

    def __init__(self, seconds: float = MAX_RENDER_SECONDS, steps: int = MAX_STEPS,
                 produced: int = MAX_PRODUCED_CHARS) -> None:
        self.deadline = time.monotonic() + seconds
        self.seconds = seconds
        self.max_steps = steps
        self.steps = steps
        self.max_produced = produced
        self.produced = produced

    def tick(self, count: int = 1) -> None:
        """One step (a loop iteration, a call, a filter, an operator); the clock is read at every step."""
        self.steps -= count
        if self.steps < 0:
            raise BudgetExceeded(f"模板运行的步数超过上限（{self.max_steps} 次循环或调用），已停止。{LIMIT_HINT}")
        if time.monotonic() > self.deadline:
            self.timeout()

    def charge(self, chars: int) -> None:
        """Text written somewhere (output, a set block, a macro): counted against MAX_PRODUCED_CHARS."""
        self.produced -= chars
        if self.produced < 0:
            raise BudgetExceeded(f"模板运行中写出的文字（包括 set 块、宏和 include 里的）超过上限"
                                 f"（{self.max_produced} 个字），已停止。{LIMIT_HINT}")

    def check_time(self) -> None:
        if time.monotonic() > self.deadline:
            self.timeout()

    def timeout(self) -> None:
        raise BudgetExceeded(f"模板运行超过了 {self.seconds:g} 秒的上限，已停止。{LIMIT_HINT}")


_BUDGET: contextvars.ContextVar[Budget | None] = contextvars.ContextVar("summarykit_template_budget", default=None)


def current() -> Budget | None:
    return _BUDGET.get()


def start(budget: Budget) -> contextvars.Token[Budget | None]:
    return _BUDGET.set(budget)


def stop(token: contextvars.Token[Budget | None]) -> None:
    _BUDGET.reset(token)


@contextlib.contextmanager
def untimed() -> Iterator[None]:
    """Work done once per process on a template's behalf is not the template's time.

    A phrase bank's word table (jieba's start and its tables, seconds on a cold machine) is
    computed the first time a template asks for a phrase; charging that to the render's clock
    would stop an ordinary template on a busy machine.  The current render's deadline moves
    by however long the block took; steps and written text are still counted.
    """
    budget = _BUDGET.get()
    began = time.monotonic()
    try:
        yield
    finally:
        if budget is not None:
            budget.deadline += time.monotonic() - began


def tick() -> None:
    budget = _BUDGET.get()
    if budget is not None:
        budget.tick()


def charge(chars: int) -> None:
    """Budget.charge for the current render, inlined: it runs for every piece of text written."""
    budget = _BUDGET.get()
    if budget is not None:
        budget.produced -= chars
        if budget.produced < 0:
            budget.charge(0)  # raises, naming the limit


# --------------------------------------------------------------------------- sizes


def text_size(value: Any, cap: int = MAX_TEXT_CHARS) -> int:
    """About how many characters ``str(value)`` has, without building it; stops counting past ``cap``.

    A list holding one long string a million times prints a million copies: each occurrence
    counts (sizes of objects already seen are remembered, so that is quick to find).
    """
    seen: dict[int, int] = {}

    def size(item: Any, budget: int) -> int:
        kind = type(item)
        if kind is str or isinstance(item, str | bytes | bytearray):
            return len(item)
        if item is None or kind is bool:
            return 5
        if kind is int:
            return item.bit_length() * 3 // 10 + 2
        if kind is float:
            return 24
        known = seen.get(id(item))
        if known is not None:
            return known
        if isinstance(item, Mapping):
            parts: Any = (part for pair in item.items() for part in pair)
        elif isinstance(item, list | tuple | set | frozenset):
            parts = iter(item)
        elif hasattr(item, "__dict__") and isinstance(vars(item), dict):
            parts = iter(vars(item).values())
        else:
            return 32
        seen[id(item)] = 0  # a container holding itself prints as [...]
        total = 2
        for part in parts:
            total += size(part, budget - total) + 2
            if total > budget:
                break
        seen[id(item)] = total
        return total

    return size(value, cap)


def check_text(value: Any) -> Any:
    """Refuse a value that would print longer than MAX_TEXT_CHARS (before it is turned into text)."""
    if type(value) is str:
        if len(value) > MAX_TEXT_CHARS:
            raise _too_long(len(value))
        return value
    size = text_size(value)
    if size > MAX_TEXT_CHARS:
        raise _too_long(size)
    return value


def checked(value: Any) -> Any:
    """A value just built: no text or collection longer than MAX_TEXT_CHARS, no integer beyond MAX_INT_BITS."""
    kind = type(value)
    if kind is str or value is None or kind is bool:  # the common results: one length check at most
        if kind is str and len(value) > MAX_TEXT_CHARS:
            raise _too_long(len(value))
        return value
    if kind is int:
        if value.bit_length() > MAX_INT_BITS:
            raise BudgetExceeded(f"模板算出的整数太大（超过 {MAX_INT_BITS} 位二进制），已停止。{LIMIT_HINT}")
        return value
    if isinstance(value, str | bytes | bytearray | list | tuple | dict | set | frozenset):
        if len(value) > MAX_TEXT_CHARS:
            raise _too_long(len(value))
    return value


def _expect(size: int) -> None:
    if size > MAX_TEXT_CHARS:
        raise _too_long(size)


_PERCENT_SPEC = re.compile(r"%(?:\([^)]*\))?[#0\- +]*(\*|\d+)?(?:\.(\*|\d+))?[hlL]?[a-zA-Z%]")


def _largest_argument(args: Any) -> int:
    values = list(args.values()) if isinstance(args, Mapping) else list(args) if isinstance(args, tuple | list) \
        else [args]
    return max((text_size(v) for v in values), default=0)


def _int_arguments(args: Any) -> list[int]:
    values = list(args.values()) if isinstance(args, Mapping) else list(args) if isinstance(args, tuple | list) \
        else [args]
    return [v for v in values if type(v) is int]


def percent_size(fmt: str, args: Any) -> int:
    """An upper bound on ``fmt % args``: every conversion as wide as its width or the largest argument."""
    specs = _PERCENT_SPEC.findall(fmt)
    ints = _int_arguments(args)
    widest = max((abs(i) for i in ints), default=0)
    widths = 0
    for width, precision in specs:
        for part in (width, precision):
            widths += widest if part == "*" else int(part) if part else 0
    return len(fmt) + widths + len(specs) * _largest_argument(args)


def format_size(fmt: str, args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> int:
    """An upper bound on ``fmt.format(*args, **kwargs)`` (widths in the specs, nested ones from the arguments)."""
    try:
        fields = [spec for _, name, spec, _ in string.Formatter().parse(fmt) if name is not None]
    except ValueError:
        return len(fmt)  # str.format will raise its own error
    widest_int = max((abs(i) for i in [*_int_arguments(args), *_int_arguments(dict(kwargs))]), default=0)
    widths = 0
    for spec in fields:
        widths += sum(int(n) for n in re.findall(r"\d+", spec or ""))
        if spec and "{" in spec:
            widths += widest_int
    largest = max(_largest_argument(args), _largest_argument(dict(kwargs)))
    return len(fmt) + widths + len(fields) * largest


# --------------------------------------------------------------------------- operators and calls


def check_binop(operator: str, left: Any, right: Any) -> None:
    """Before ``left <operator> right`` is computed: would the result be too large?"""
    if operator == "*":
        for seq, times in ((left, right), (right, left)):
            if isinstance(seq, str | list | tuple) and type(times) is int and len(seq) * times > MAX_PRODUCT:
                raise BudgetExceeded(f"模板用 * 重复出的内容超过上限（{MAX_PRODUCT} 个字或项），已停止。{LIMIT_HINT}")
        if type(left) is int and type(right) is int and left.bit_length() + right.bit_length() > MAX_INT_BITS:
            raise BudgetExceeded(f"模板算出的整数太大（超过 {MAX_INT_BITS} 位二进制），已停止。{LIMIT_HINT}")
    elif operator == "**":
        if isinstance(left, int) and isinstance(right, int) and abs(left) > 1 and (
                right * abs(left).bit_length() > MAX_INT_BITS):
            raise BudgetExceeded(f"模板里的乘方 {left} ** {right} 结果太大，已停止。{LIMIT_HINT}")
    elif operator == "+":
        if isinstance(left, str | list | tuple) and isinstance(right, str | list | tuple):
            _expect(len(left) + len(right))
    elif operator == "%" and isinstance(left, str):
        _expect(percent_size(left, right))


def concat(parts: tuple[Any, ...]) -> str:
    """``a ~ b ~ c``: the total length is known before anything is joined."""
    texts = []
    total = 0
    for part in parts:
        check_text(part)
        text = str(part)
        total += len(text)
        _expect(total)
        texts.append(text)
    tick()
    return "".join(texts)


_WIDTH_METHODS = frozenset({"center", "ljust", "rjust", "zfill"})


def check_method(obj: Any, args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> None:
    """Before a template calls a method of a text: ``"x".ljust(10**9)``, ``"a".replace("a", long)``."""
    owner = getattr(obj, "__self__", None)
    if not isinstance(owner, str | bytes | bytearray):
        return
    name = getattr(obj, "__name__", "")
    size = len(owner)
    if name in _WIDTH_METHODS:
        _expect(max([size, *(a for a in args if type(a) is int)]))
    elif name == "expandtabs":
        tab = next((a for a in [*args, kwargs.get("tabsize")] if type(a) is int), 8)
        _expect(size + owner.count("\t" if isinstance(owner, str) else b"\t") * max(tab, 0))
    elif name == "replace" and len(args) >= 2:
        old, new = args[0], args[1]
        if isinstance(old, str | bytes) and isinstance(new, str | bytes) and type(old) is type(owner):
            count = owner.count(old) if old else size + 1
            if len(args) > 2 and type(args[2]) is int and args[2] >= 0:
                count = min(count, args[2])
            _expect(size + count * len(new))
    elif name == "join" and args:
        items = args[0]
        _expect(text_size(items) + size * (len(items) if hasattr(items, "__len__") else 0))
    elif name == "translate" and args and isinstance(args[0], Mapping):
        longest = max((text_size(v) for v in args[0].values()), default=1)
        _expect(size * max(longest, 1))


def bounded_format(wrapper: Callable[..., str], fmt: str, is_map: bool) -> Callable[..., str]:
    """``str.format``/``format_map`` as the sandbox wraps them, with the size of the result checked first."""

    def run(*args: Any, **kwargs: Any) -> str:
        if is_map:
            _expect(format_size(fmt, (), args[0] if args and isinstance(args[0], Mapping) else {}))
        else:
            _expect(format_size(fmt, args, kwargs))
        tick()
        return checked(wrapper(*args, **kwargs))

    return run


# --------------------------------------------------------------------------- filters


def _lines(value: Any) -> int:
    return str(value).count("\n") + 1 if isinstance(value, str) else 1


def _arg(args: tuple[Any, ...], kwargs: Mapping[str, Any], index: int, name: str, default: Any) -> Any:
    if len(args) > index:
        return args[index]
    return kwargs.get(name, default)


def _estimate_center(v: Any, a: tuple[Any, ...], k: Mapping[str, Any]) -> int:
    width = _arg(a, k, 0, "width", 80)
    return text_size(v) + (width if type(width) is int else 0)


def _estimate_indent(v: Any, a: tuple[Any, ...], k: Mapping[str, Any]) -> int:
    width = _arg(a, k, 0, "width", 4)
    each = width if type(width) is int else len(width) if isinstance(width, str) else 0
    return text_size(v) + _lines(v) * max(each, 0)


def _estimate_wordwrap(v: Any, a: tuple[Any, ...], k: Mapping[str, Any]) -> int:
    width = _arg(a, k, 0, "width", 79)
    wrap = _arg(a, k, 2, "wrapstring", None)
    size = text_size(v)
    per = max(width, 1) if type(width) is int else 1
    return size + (size // per + 1) * (len(wrap) if isinstance(wrap, str) else 1)


def _estimate_replace(v: Any, a: tuple[Any, ...], k: Mapping[str, Any]) -> int:
    old, new = _arg(a, k, 0, "old", ""), _arg(a, k, 1, "new", "")
    text = v if isinstance(v, str) else ""
    size = text_size(v)
    if not isinstance(old, str) or not isinstance(new, str):
        return size
    count = text.count(old) if old else size + 1
    limit = _arg(a, k, 2, "count", None)
    if type(limit) is int and limit >= 0:
        count = min(count, limit)
    return size + count * len(new)


def _estimate_format(v: Any, a: tuple[Any, ...], k: Mapping[str, Any]) -> int:
    if not isinstance(v, str):
        return text_size(v)
    return percent_size(v, dict(k) if k else a[0] if len(a) == 1 and isinstance(a[0], Mapping) else a)


def _estimate_join(v: Any, a: tuple[Any, ...], k: Mapping[str, Any]) -> int:
    separator = _arg(a, k, 0, "d", "")
    count = len(v) if hasattr(v, "__len__") else 0
    return text_size(v) + count * (len(separator) if isinstance(separator, str) else 0)


def _estimate_fill(count_name: str, index: int) -> Callable[..., int]:
    def estimate(v: Any, a: tuple[Any, ...], k: Mapping[str, Any]) -> int:
        fill = _arg(a, k, index + 1, "fill_with", None)
        count = _arg(a, k, index, count_name, 0)
        return count if fill is not None and type(count) is int else 0

    return estimate


def _escaped_size(value: Any) -> int:
    """HTML escaping turns each of < > & ' " into an entity of up to five characters."""
    if isinstance(value, str):
        return len(value) + 4 * sum(value.count(c) for c in "<>&'\"")
    return 6 * text_size(value)


def _estimate_tojson(v: Any, a: tuple[Any, ...], k: Mapping[str, Any]) -> int:
    indent = _arg(a, k, 0, "indent", None)
    return text_size(v) * 6 * (1 + (indent if type(indent) is int and indent > 0 else 0))


#: Filters whose result may be much larger than their input, and how large it may be.
_ESTIMATES: dict[str, Callable[[Any, tuple[Any, ...], Mapping[str, Any]], int]] = {
    "center": _estimate_center,
    "indent": _estimate_indent,
    "wordwrap": _estimate_wordwrap,
    "replace": _estimate_replace,
    "format": _estimate_format,
    "join": _estimate_join,
    "join_cn": _estimate_join,
    "enumerate_cn": lambda v, a, k: 2 * text_size(v) + 64,
    "batch": _estimate_fill("linecount", 0),
    "slice": _estimate_fill("slices", 0),
    "tojson": _estimate_tojson,
    "pprint": lambda v, a, k: 2 * text_size(v),
    "urlencode": lambda v, a, k: 9 * text_size(v),
    "e": lambda v, a, k: _escaped_size(v),
    "escape": lambda v, a, k: _escaped_size(v),
    "forceescape": lambda v, a, k: _escaped_size(v),
}

#: Filters that take a collection as a collection (not as its text): their input is not measured as text.
_COLLECTION_FILTERS = frozenset({
    "attr", "batch", "count", "default", "d", "dictsort", "first", "groupby", "items", "last", "length",
    "list", "map", "max", "min", "random", "reject", "rejectattr", "reverse", "select", "selectattr",
    "slice", "sort", "sum", "unique", "tojson", "pprint", "join", "join_cn", "enumerate_cn", "xmlattr",
    "urlencode", "e", "escape", "forceescape", "abs", "int", "float", "round", "filesizeformat",
})


def guard_filter(name: str, func: Callable[..., Any]) -> Callable[..., Any]:
    """A filter that counts as a step, refuses a result that would be too large, and checks what it returns."""
    estimate = _ESTIMATES.get(name)
    as_text = name not in _COLLECTION_FILTERS
    passes = _PassArg.from_obj(func) is not None

    @functools.wraps(func)
    def run(*args: Any, **kwargs: Any) -> Any:
        tick()
        rest = args[1:] if passes else args
        if rest:
            value, extra = rest[0], rest[1:]
            if as_text:
                check_text(value)
            if estimate is not None:
                _expect(estimate(value, extra, kwargs))
        return checked(func(*args, **kwargs))

    return run


def bounded_lipsum(func: Callable[..., str]) -> Callable[..., str]:
    """Jinja's ``lipsum(n, html, min, max)`` writes n × max words: bounded like any other text."""

    @functools.wraps(func)
    def run(n: int = 5, html: bool = True, min: int = 20, max: int = 100) -> str:
        if type(n) is int and type(max) is int:
            _expect(n * max * 12)
        return checked(func(n, html, min, max))

    return run


# --------------------------------------------------------------------------- loops


class Counted:
    """A loop's iterable as templates see it: the same items, each one a counted step."""

    __slots__ = ("inner",)

    def __init__(self, inner: Any) -> None:
        self.inner = inner

    def __iter__(self) -> Iterator[Any]:
        budget = _BUDGET.get()
        if budget is None:
            yield from self.inner
            return
        for item in self.inner:
            # tick() inlined: a bare loop step must stay cheap; the clock and the limit are read
            # every 32 steps (a step that does real work calls, filters or operates, and ticks itself).
            budget.steps -= 1
            if not budget.steps & 31:
                budget.tick(0)
            yield item

    def __len__(self) -> int:
        return len(self.inner)  # TypeError for an unsized one: the loop then counts as it goes

    def __getattr__(self, name: str) -> Any:
        if name == "inner":  # not yet set (copying): no recursion through the lookup below
            raise AttributeError(name)
        return getattr(self.inner, name)


def loop_items(iterable: Any) -> Any:
    """What a ``{% for %}`` iterates: its iterable, counted (an Undefined stays itself, to raise as before)."""
    if isinstance(iterable, Counted | Undefined) or not hasattr(iterable, "__iter__"):
        return iterable
    return Counted(iterable)


class LoopCounter(NodeTransformer):
    """Every ``{% for x in items %}`` becomes ``{% for x in environment.loop_items(items) %}``.

    Done on the parsed template, so it holds for any loop a user writes, whatever its body does.
    """

    def visit_For(self, node: nodes.For) -> nodes.Node:
        self.generic_visit(node)
        node.iter = nodes.Call(nodes.EnvironmentAttribute("loop_items", lineno=node.lineno), [node.iter], [],
                               None, None, lineno=node.lineno)
        return node


class BudgetCodeGenerator(CodeGenerator):
    """Jinja's code generator with two changes: ``~`` measures before joining, and the template text
    of every output statement is charged to the render (printed values are charged by finalize)."""

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        self.write("environment.concat_checked((")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write("))")

    def visit_Call(self, node: nodes.Call, frame: Frame, forward_caller: bool = False) -> None:
        """LoopCounter's ``environment.loop_items(items)`` called directly, not through the sandbox's
        ``call`` (its checks, its tick and its measuring cost more than the loop it wraps).  Only
        LoopCounter makes EnvironmentAttribute nodes: the template parser never does."""
        if isinstance(node.node, nodes.EnvironmentAttribute) and node.node.name == "loop_items":
            self.write("environment.loop_items(")
            self.visit(node.args[0], frame)
            self.write(")")
            return
        super().visit_Call(node, frame, forward_caller=forward_caller)

    def visit_Output(self, node: nodes.Output, frame: Frame) -> None:
        static = sum(len(child.data) for child in node.nodes if isinstance(child, nodes.TemplateData))
        if static and not (frame.require_output_check and self.has_known_extends):
            self.writeline(f"environment.charge_text({static})")
        super().visit_Output(node, frame)
