"""The command line: a thin layer over the library API.

Exit status: 0 success, 2 bad input (records, templates, styles, paths),
1 internal error, 3 ``check --strict`` found something (cli/options.py names them).
``-`` is standard input or output wherever a file is read or written.  Messages go to stderr in plain Chinese; a Python traceback
is shown only when SUMMARYKIT_DEBUG is set.  argparse (standard library) does
the parsing: it is well kept, has sub-commands and needs no dependency.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import logging
import os
import pkgutil
import re
import signal
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import __version__
from ..errors import Problem, SummaryKitError
from ..nogc import for_command
from ..writers import names as writer_names
from .options import (
    EXIT_INTERNAL,
    STDIO,
    ZhArgumentParser,
    common_render_options,
    err,
    kit_from_args,
    positive_int,
    previous_option,
    read_stdin_bytes,
    say,
    set_verbosity,
    show_notices,
    templates_option,
    write_stdout_bytes,
)

if TYPE_CHECKING:
    from ..kit import Kit

__all__ = ["build_parser", "common_render_options", "kit_from_args", "main", "positive_int", "show_notices"]
STDIN_NAME = "<标准输入>"


def _command_modules() -> list[str]:
    """Sub-commands that live in their own modules: summarykit/commands/NAME.py, each with register()."""
    from . import commands

    return sorted(m.name for m in pkgutil.iter_modules(commands.__path__) if not m.name.startswith("_"))




def load_input(kit: Kit, path: str, previous: str | None = None) -> Any:
    """A records file, or standard input for ``-``; ``previous`` is last period's records (--previous)."""
    if path == STDIO:
        return kit.load(read_stdin_bytes(), name=STDIN_NAME, previous=previous)
    return kit.load(Path(path), previous=previous)


def cmd_render(args: argparse.Namespace) -> int:
    from ..output import check_output, write_atomic
    from ..writers import WRITERS, format_for_path, get_writer

    wanted = WRITERS.get(args.format or format_for_path(args.output) or "docx")
    if wanted is not None and wanted.needs_libreoffice:  # -o x.pdf: LibreOffice starts while the records load
        from ..office.converter import prestart

        prestart()
    kit = kit_from_args(args)
    fmt = args.format or (None if args.output == STDIO else format_for_path(args.output)) or "docx"
    if args.output is not None:  # -o "" is an error (check_output says so), not the default name
        output = args.output
    elif args.records == STDIO:
        output = STDIO
    else:
        output = str(Path(args.records).with_suffix(f".{get_writer(fmt).extension}").name)
    if output == STDIO and sys.stdout.isatty() and fmt in {"docx", "pdf"}:
        raise SummaryKitError(f"不能把 {fmt} 文件输出到屏幕：请用 -o 文件名，或用管道/重定向接收（如 > 总结.{fmt}）")
    inputs = () if args.records == STDIO else (args.records,)
    report = load_input(kit, args.records, args.previous)
    show_notices(report.notices)
    kit.check(args.template or report.meta.template)  # an unknown template: did-you-mean, before any work
    if output != STDIO:
        check_output(output, inputs)
    doc = kit.compose(report)
    show_notices(doc.notices[len(report.notices):])  # what composing decided: the inferred type, a lead-in left out
    data = kit.write(doc, fmt)
    if output == STDIO:
        write_stdout_bytes(data)
        return 0
    write_atomic(Path(output), data, inputs)
    say(f"已生成：{output}")
    return 0


def _template_line(text: str) -> int | None:
    match = re.search(r"^[ \t]+template[ \t]*:", text, flags=re.M)
    return text.count("\n", 0, match.start()) + 1 if match else None


def validate_one(kit: Callable[[], Kit], kit_folders: Sequence[str], path: str,
                 template: str | None, previous: str | None = None,
                 assets: Sequence[str] = ()) -> dict[str, Any]:
    """One records file checked as render would: the records, then the template it names.

    The template is looked for by file name first, so a plain `validate` never loads Jinja.
    """
    from ..drafting.locations import template_file_exists
    from ..errors import TemplateError
    from ..records.loading import load_every, loads

    name = STDIN_NAME if path == STDIO else path
    try:  # a workbook for batch holds one report per department row: every one is checked
        reports = ([loads(read_stdin_bytes(), STDIN_NAME, assets=assets)] if path == STDIO
                   else load_every(path, previous=previous, assets=assets))
    except SummaryKitError as exc:
        problems = list(exc.problems) or [Problem(str(exc.args[0]), file=name)]
        return {"file": name, "ok": False, "message": str(exc.args[0]), "problems": problems, "notices": []}
    notices = [n for report in reports for n in report.notices]
    count = f"（{len(reports)} 份报告）" if len(reports) > 1 else ""
    try:
        for wanted in dict.fromkeys(template or r.meta.template for r in reports):
            if wanted and not template_file_exists(wanted, kit_folders):
                kit().check(wanted)  # not found: Jinja's side gives the did-you-mean (only on this path)
    except TemplateError as exc:
        line = None
        if not template and path != STDIO and Path(path).suffix.lower() in {".yaml", ".yml"}:
            line = _template_line(Path(path).read_text(encoding="utf-8", errors="replace"))
        located = [p for p in exc.problems if p.line]  # an error inside the template: its own lines
        problems = located or [Problem(str(exc.args[0]), file=name, line=line,
                                       path="" if template else "meta.template",
                                       hint="`summarykit templates` 列出可用的模板")]
        return {"file": name, "ok": False, "message": f"{name}：发现 {len(problems)} 处问题。",
                "problems": problems, "notices": notices}
    return {"file": name, "ok": True, "message": f"{name}：格式正确{count}", "problems": [], "notices": notices}


def cmd_validate(args: argparse.Namespace) -> int:
    if args.records.count(STDIO) > 1:
        raise SummaryKitError("标准输入（-）只能读一次：请只写一个 -")
    import functools

    @functools.lru_cache(maxsize=1)
    def kit() -> Kit:
        from ..kit import Kit

        return Kit(templates=args.templates)

    results = [validate_one(kit, args.templates, path, args.template, args.previous, args.assets)
               for path in args.records]
    if args.json:
        import json

        print(json.dumps([{**r, "problems": [asdict(p) for p in r["problems"]],
                           "notices": [asdict(n) for n in r["notices"]]} for r in results],
                         ensure_ascii=False, indent=2))
    else:
        for result in results:
            if result["ok"]:
                show_notices(result["notices"])
                say(result["message"])
            else:
                err("\n".join([result["message"], *(f"  {p}" for p in result["problems"])]))
    return 0 if all(r["ok"] for r in results) else 2


def cmd_templates(args: argparse.Namespace) -> int:
    """The templates grouped by the organization type they are written for (user templates first)."""
    from ..drafting.templating import list_templates
    from ..zh import orgtype

    infos = list_templates(args.templates)
    if args.json:
        import json

        print(json.dumps([{"name": i.name, "title": i.title, "description": i.description, "sample": i.sample,
                           "builtin": i.builtin, "org_type": orgtype.template_type(i.tags)} for i in infos],
                         ensure_ascii=False, indent=2))
        return 0
    groups: dict[str, list[object]] = {name: [] for name in orgtype.ORG_TYPES}
    for info in infos:
        groups[orgtype.template_type(info.tags)].append(info)
    first = True
    for org_type, members in groups.items():
        if not members:
            continue
        offered = orgtype.TEMPLATE_FOR[org_type]
        label = "通用（任何单位；单位类型由记录决定用语）" if org_type == orgtype.GENERAL else org_type
        print(("" if first else "\n") + f"【{label}】")
        first = False
        for info in members:
            origin = "" if info.builtin else "（自定义）"
            star = "  ← summarykit init --type " + org_type if info.name == offered and info.builtin else ""
            print(f"{info.name}{origin}\t{info.title}{star}")
            if info.description:
                print(f"    {info.description}")
            if info.sample:
                print(f"    来源：{info.sample}")
    print("\n单位类型没有专门模板的（如物业），用 summarykit init --type 物业 得到通用模板并写好单位类型。")
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    import json

    from ..records.schema import json_schema

    text = json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n"
    if args.output is not None and args.output != STDIO:
        from ..output import write_atomic

        write_atomic(args.output, text.encode("utf-8"))
        say(f"已生成：{args.output}")
    else:
        print(text, end="")
    return 0


_BUILTIN_COMMANDS = ("render", "validate", "templates", "schema")
_GLOBAL_FLAGS = frozenset({"-q", "--quiet", "-v", "--verbose"})


def command_in(argv: Sequence[str]) -> str | None:
    """The sub-command a command line names, when it is certain; None to build the whole parser.

    Only the global switches that take no value may come before it; anything else there (--help,
    --version, an abbreviation, ``--``), no command or an unknown one needs every sub-command
    (the main help, or the "invalid choice" message with its list).
    """
    for arg in argv:
        if arg in _GLOBAL_FLAGS:
            continue
        if arg.startswith("-"):
            return None
        known = (*_BUILTIN_COMMANDS, *(name.rstrip("_") for name in _command_modules()))
        return arg if arg in known else None
    return None


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The argument parser; with ``only``, the main parser holding just that one sub-command.

    main() passes the command the line names (command_in), so that a run builds the options of one
    sub-command and imports one command module, not all eleven: the sub-command's options, help
    and messages are the same either way (tests/test_performance_paths.py compares them).
    """
    parser = ZhArgumentParser(
        prog="summarykit",
        description="从结构化记录（YAML）生成中文工作总结（Word 文档，GB/T 9704 排版）。",
        epilog="退出状态：0 成功；2 输入有误（不会写出或覆盖任何文件）；1 内部错误；3 check --strict 发现了问题。"
               "凡是读写文件的地方都可以写 - 表示标准输入或标准输出。",
    )
    parser.add_argument("--version", action="version", version=f"summarykit {__version__}",
                        help="显示版本号并退出")
    volume = parser.add_mutually_exclusive_group()
    volume.add_argument("--quiet", "-q", action="store_true", help="只输出错误（不显示提示和“已生成”）")
    volume.add_argument("--verbose", "-v", action="store_true", help="输出更多信息（如每个文件的提示）")
    sub = parser.add_subparsers(dest="command", metavar="命令",
                                parser_class=ZhArgumentParser)
    sub.required = True
    if only in (None, "render"):
        _add_render(sub)
    if only in (None, "validate"):
        _add_validate(sub)
    if only in (None, "templates"):
        _add_templates(sub)
    if only in (None, "schema"):
        _add_schema(sub)
    for name in _command_modules():
        if only in (None, name.rstrip("_")):
            importlib.import_module(f".commands.{name}", __package__).register(sub)
    for command in sub.choices.values():  # -q/-v also after the command name: `summarykit render x.yaml -q`
        volume = command.add_mutually_exclusive_group()
        volume.add_argument("--quiet", "-q", action="store_true", default=argparse.SUPPRESS,
                            help="只输出错误（不显示提示和“已生成”）")
        volume.add_argument("--verbose", "-v", action="store_true", default=argparse.SUPPRESS,
                            help="输出更多信息（batch：每个文件的提示）")
    return parser


def _add_render(sub: Any) -> None:
    render = sub.add_parser("render", help="生成一份工作总结", description="生成一份工作总结")
    render.add_argument("records", metavar="RECORDS.yaml", help="记录文件（.yaml），或 Excel（.xlsx）、CSV 文件（- 表示从标准输入读 YAML）")
    render.add_argument("-o", "--output", metavar="OUT",
                        help="输出文件（默认：与记录文件同名，放在当前文件夹；- 表示写到标准输出）")
    render.add_argument("--format", "-f", choices=list(writer_names()),
                        help="输出格式（默认按输出文件扩展名；pdf 需要安装 LibreOffice）")
    common_render_options(render)
    render.add_argument("--assets", action="append", default=[], metavar="DIR",
                        help="也允许使用这个文件夹里的图片（默认只允许记录文件所在文件夹及其下级文件夹；可重复）")
    render.set_defaults(func=cmd_render)


def _add_validate(sub: Any) -> None:
    validate = sub.add_parser("validate", help="检查记录文件，列出全部问题", description="检查记录文件，列出全部问题")
    validate.add_argument("records", nargs="+", metavar="RECORDS.yaml", help="记录文件（.yaml），或 Excel（.xlsx）、CSV 文件（- 表示从标准输入读 YAML）")
    validate.add_argument("--template", "-t", metavar="NAME", help="同时检查这个模板名（默认检查 meta.template）")
    templates_option(validate)
    validate.add_argument("--assets", action="append", default=[], metavar="DIR",
                          help="也允许使用这个文件夹里的图片（可重复）")
    validate.add_argument("--json", action="store_true",
                          help='以 JSON 输出：[{"file", "ok", "message", "problems": [{"message", "file", "line", '
                               '"column", "path", "hint"}], "notices"}]')
    previous_option(validate)
    validate.set_defaults(func=cmd_validate)


def _add_templates(sub: Any) -> None:
    templates = sub.add_parser("templates", help="列出可用模板", description="列出可用模板")
    templates_option(templates)
    templates.add_argument("--json", action="store_true", help="以 JSON 输出")
    templates.set_defaults(func=cmd_templates)


def _add_schema(sub: Any) -> None:
    schema = sub.add_parser("schema", help="输出记录文件的 JSON Schema（供编辑器校验和补全）",
                            description="输出记录文件的 JSON Schema（供编辑器校验和补全）")
    schema.add_argument("-o", "--output", metavar="FILE", help="写入文件（默认或 - 输出到标准输出）")
    schema.set_defaults(func=cmd_schema)


class _NoticeHandler(logging.Handler):
    """Warnings the library logs while it works (fonts substituted in a PDF) shown as 提示 on stderr."""

    def emit(self, record: logging.LogRecord) -> None:
        err(f"提示：{record.getMessage()}")


def _show_warnings() -> None:
    fonts_log = logging.getLogger("summarykit.office.fonts")
    if not any(isinstance(h, _NoticeHandler) for h in fonts_log.handlers):
        fonts_log.addHandler(_NoticeHandler(logging.WARNING))


@contextlib.contextmanager
def _terminate_like_ctrl_c(active: bool = True) -> Iterator[None]:
    """While a command runs, SIGTERM (`kill`, a CI job cancelled) stops it as Ctrl-C does: the file being
    written is removed (write_atomic cleans its temporary file on KeyboardInterrupt) instead of left as a
    stray ``.sk-….tmp``, and the message says nothing was written.  Only where the default would have
    killed the process, and only in the main thread; the previous handler is restored afterwards."""
    previous = None
    if active and threading.current_thread() is threading.main_thread():
        with contextlib.suppress(ValueError, OSError, AttributeError):
            if signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
                def handler(signum: int, frame: Any) -> None:
                    raise KeyboardInterrupt

                previous = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


#: pydantic looks for plugins in every installed package's entry points the first time it builds a
#: model: a scan of all package metadata, on every start of the command line, for plugins a command
#: line run never uses.  PYDANTIC_DISABLE_PLUGINS is pydantic's documented switch; the command line
#: sets it for itself while it runs (a value the user set, even empty, is kept), and restores the
#: environment afterwards, so that a program calling ``main()`` and library users are not affected.
PLUGINS_SWITCH = "PYDANTIC_DISABLE_PLUGINS"


@contextlib.contextmanager
def _without_pydantic_plugins() -> Iterator[None]:
    added = PLUGINS_SWITCH not in os.environ
    if added:
        os.environ[PLUGINS_SWITCH] = "__all__"
    try:
        yield
    finally:
        if added:
            os.environ.pop(PLUGINS_SWITCH, None)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `summarykit` console script."""
    with _without_pydantic_plugins():
        return _main(argv)


def _main(argv: Sequence[str] | None) -> int:
    parser = build_parser(command_in(sys.argv[1:] if argv is None else argv))
    args = parser.parse_args(argv)
    set_verbosity(args.quiet, args.verbose)
    _show_warnings()
    try:
        # the service stops on SIGTERM its own way; one records file pauses the collector (argv None: the process's
        # own command line, which ends after this)
        one_file = args.command == "render" or (args.command == "validate" and len(args.records) == 1)
        with _terminate_like_ctrl_c(args.command != "serve"), for_command(one_file, argv is None):
            status: int = args.func(args)
    except SummaryKitError as exc:
        err(exc.report())
        return exc.exit_code
    except BrokenPipeError:  # `summarykit phrases | head`: the reader left, which is not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        err("已中断，未写入任何文件。")
        return 130
    except Exception as exc:  # an internal error: a short message, the traceback only on request
        if os.environ.get("SUMMARYKIT_DEBUG"):
            raise
        err(f"内部错误：{type(exc).__name__}: {exc}\n这是 summarykit 的缺陷，请把这条信息和输入文件一起报告给维护者"
            "（设置环境变量 SUMMARYKIT_DEBUG=1 可看到详细信息）。")
        return EXIT_INTERNAL
    return status
