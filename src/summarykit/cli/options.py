"""What every sub-command shares: the Chinese argument parser, common options, messages and exit codes.

Sub-commands (cli/commands/*.py) import from here, never from cli/main.py, so that main can import
the commands without a cycle.  argparse is the standard library's; its own lines (usage, help,
errors such as "invalid int value") are English, so ``ZhArgumentParser`` translates them through
the same ``gettext`` hook argparse calls (``argparse._``), swapped only while our parser works.
"""

from __future__ import annotations

import argparse
import contextlib
import re
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from ..errors import Notice, SummaryKitError

if TYPE_CHECKING:
    from ..kit import Kit

# Exit status, documented in README.md and docs/guide.md.
EXIT_OK = 0
EXIT_INTERNAL = 1
EXIT_BAD_INPUT = 2
EXIT_FINDINGS = 3  # `check --strict` found something: the input was read fine, the text needs work
STDIO = "-"  # standard input or output wherever a file is read or written

# --------------------------------------------------------------------------- verbosity

_level = 1  # 0 quiet (errors only), 1 normal, 2 verbose


def set_verbosity(quiet: bool, verbose: bool) -> None:
    global _level
    _level = 0 if quiet else 2 if verbose else 1


def verbose() -> bool:
    return _level >= 2


def err(message: str) -> None:
    """An error or a result line on stderr (always shown: --quiet keeps errors)."""
    print(message, file=sys.stderr)


def say(message: str) -> None:
    """A progress or success line ("已生成：…"), hidden by --quiet."""
    if _level >= 1:
        print(message, file=sys.stderr)


def show_notices(notices: Sequence[Notice]) -> None:
    """Notices (what loading changed) are shown unless --quiet."""
    if _level >= 1:
        for notice in notices:
            err(f"提示：{notice}")


# --------------------------------------------------------------------------- option types


def positive_int(text: str) -> int:
    """An argparse type for counts (--jobs, --max-sentence): a clear Chinese message, not a traceback."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"应是正整数，实际是 {text!r}") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"应是正整数，实际是 {value}")
    return value


def template_folder(text: str) -> str:
    """--templates DIR: a folder that does not exist is an error (it would be silently ignored)."""
    path = Path(text)
    if not path.is_dir():
        what = "是一个文件，不是文件夹" if path.exists() else "不存在"
        raise argparse.ArgumentTypeError(f"模板文件夹“{text}”{what}；请写自己模板所在的文件夹")
    return text


def templates_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--templates", action="append", default=[], metavar="DIR", type=template_folder,
                        help="自己的模板文件夹，优先于内置模板（可重复）")


#: Seeds are whole numbers that fit in 64 bits: larger ones say nothing more and 1e400 is not one.
MAX_SEED = 2**63 - 1


def seed_int(text: str) -> int:
    """An argparse type for --seed: a whole number within ±MAX_SEED, with a Chinese message otherwise."""
    try:
        value = int(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} 不是有效的整数") from None
    if abs(value) > MAX_SEED:
        raise argparse.ArgumentTypeError(f"太大了：种子应在 ±{MAX_SEED} 之间，实际是 {text[:30]!r}")
    return value


def common_render_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--template", "-t", metavar="NAME", help="模板名（默认取记录文件 meta.template，再默认 school_term）")
    parser.add_argument("--seed", type=seed_int, help="常用语变化的随机种子（相同种子得到相同文字）")
    templates_option(parser)
    parser.add_argument("--phrases", action="append", default=[], metavar="FILE",
                        help="追加的常用语库文件（可重复）")
    parser.add_argument("--style", metavar="STYLE.yaml", help="样式文件（页面、字体、字号、编号）")
    parser.add_argument("--fonts", choices=["gov", "windows", "open"], help="字体方案（默认 windows）")
    parser.add_argument("--numbering", choices=["literal", "word"],
                        help="标题编号：literal 写成文字（默认）；word 用 Word 多级列表自动编号")
    previous_option(parser)


def previous_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--previous", metavar="LAST.yaml",
                        help="上一期的记录文件：按类别、章节和指标名称补上各指标的上期数值（previous）")


def kit_from_args(args: argparse.Namespace, **overrides: Any) -> Kit:
    """The one Kit of a command, from the common render options: every sub-command configures alike."""
    from ..kit import Kit

    options: dict[str, Any] = {
        "template": args.template, "templates": args.templates, "phrases": args.phrases, "style": args.style,
        "fonts": args.fonts, "numbering": args.numbering, "seed": args.seed,
    }
    if getattr(args, "assets", None):
        options["assets"] = args.assets
    options.update(overrides)
    return Kit(**options)


def read_stdin_bytes() -> bytes:
    return sys.stdin.buffer.read()


def write_stdout_bytes(data: bytes) -> None:
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()


# --------------------------------------------------------------------------- Chinese argparse

_MESSAGES = {
    "usage: ": "用法：",
    "positional arguments": "位置参数",
    "options": "选项",
    "optional arguments": "选项",
    "show this help message and exit": "显示本帮助并退出",
    "%(prog)s: error: %(message)s\n": "%(prog)s：错误：%(message)s\n（用 %(prog)s -h 查看用法）\n",
    "the following arguments are required: %s": "缺少必需的参数：%s",
    "unrecognized arguments: %s": "不认识的参数：%s",
    "invalid choice: %(value)r (choose from %(choices)s)": "取值 %(value)r 不在可选范围内（可选：%(choices)s）",
    "invalid %(type)s value: %(value)r": "%(value)r 不是有效的%(type)s",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "expected one argument": "后面要跟一个值",
    "expected at least one argument": "后面至少要跟一个值",
    "expected at most one argument": "后面最多跟一个值",
    "ambiguous option: %(option)s could match %(matches)s": "选项 %(option)s 不明确，可能是：%(matches)s",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
    "one of the arguments %s is required": "参数 %s 中必须给出一个",
    "ignored explicit argument %r": "多余的值 %r",
    "unexpected option string: %s": "意外的选项：%s",
    "can't open '%(filename)s': %(error)s": "无法打开“%(filename)s”：%(error)s",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "没有命令 %(parser_name)r（可用的命令：%(choices)s）",
    "expected %s argument": "后面要跟 %s 个值",
    "expected %s arguments": "后面要跟 %s 个值",
}
_TYPE_NAMES = {"int": "整数", "float": "数字", "str": "文字"}


def _zh(message: str) -> str:
    return _MESSAGES.get(message, message)


def _zh_n(singular: str, plural: str, n: int) -> str:
    return _zh(singular if n == 1 else plural)


@contextlib.contextmanager
def _chinese() -> Iterator[None]:
    saved = argparse._, argparse.ngettext  # type: ignore[attr-defined]
    argparse._, argparse.ngettext = _zh, _zh_n  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved  # type: ignore[attr-defined]


class ZhHelpFormatter(argparse.HelpFormatter):
    """Help whose fixed words are Chinese (usage, section titles); wider so Chinese help is not cramped."""

    def __init__(self, prog: str, **kwargs: Any) -> None:
        kwargs.setdefault("max_help_position", 32)
        super().__init__(prog, **kwargs)

    def _format_usage(self, *args: Any, **kwargs: Any) -> str:
        with _chinese():
            return super()._format_usage(*args, **kwargs)


class ZhArgumentParser(argparse.ArgumentParser):
    """argparse with every message in Chinese; sub-command parsers are of the same class."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", ZhHelpFormatter)
        with _chinese():
            super().__init__(*args, **kwargs)

    def add_argument_group(self, *args: Any, **kwargs: Any) -> Any:
        with _chinese():
            return super().add_argument_group(*args, **kwargs)

    def parse_known_args(self, args: Sequence[str] | None = None, namespace: Any = None) -> Any:
        with _chinese():
            return super().parse_known_args(args, namespace)

    def parse_args(self, args: Sequence[str] | None = None, namespace: Any = None) -> Any:  # type: ignore[override]
        with _chinese():  # "unrecognized arguments" is worded here, outside parse_known_args
            return super().parse_args(args, namespace)

    def _get_value(self, action: argparse.Action, arg_string: str) -> Any:
        try:
            return super()._get_value(action, arg_string)
        except argparse.ArgumentError as exc:
            # "invalid int value": name the type in Chinese.
            message = str(exc.message)
            for english, chinese in _TYPE_NAMES.items():
                message = re.sub(rf"的{english}$", f"的{chinese}", message)
            raise argparse.ArgumentError(action, message) from None

    def format_help(self) -> str:
        with _chinese():
            text = super().format_help()
        return re.sub(r"^(\S[^\n]*):$", r"\1：", text, flags=re.M)  # "选项:" → "选项："

    def error(self, message: str) -> NoReturn:
        with _chinese():
            super().error(message)
        raise AssertionError("unreachable")  # pragma: no cover


def usage_error(message: str) -> SummaryKitError:
    """A wrong combination of options found after parsing: exit 2 with a Chinese message."""
    return SummaryKitError(message)
