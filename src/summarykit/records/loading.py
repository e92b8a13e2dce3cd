"""Records files → ``Report``: the stage to read first; the work is done by three modules below it.

decoding.py turns bytes into text, yamlmarks.py turns the text into plain data with a (line, column)
for every value, and validation.py maps pydantic's errors back onto those marks; this module drops
empty keys, cleans the text (textclean.py) and validates, so every problem arrives located at once.

Loading is the only place that turns user bytes into data, so it is where every
mistake is caught and located.  The people who write records files are office
staff, not programmers, so every message says what is wrong, where
(file:line:column) and how to fix it, and nothing they typed is silently lost.
docs/errors.md lists every message with its cause and fix.  The names other
code uses from the lower modules are re-exported here, so ``summarykit.records.loading``
stays the one import for loading records.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..errors import Notice, Problem, RecordsError
from ..nogc import without_gc
from .assets import check_assets
from .chartsource import fill_charts
from .consistency import check_report
from .decoding import MAX_BYTES, Source, _fail, decode, normalize_newlines, read_source, strip_forbidden
from .labels import strip_typed_labels
from .model import Report
from .previous import load_previous
from .textclean import (
    _KEEP_PUNCTUATION_KEYS,
    _MAY_NEED_WORK,
    _NEEDS_WORK,
    _VERBATIM_KEYS,
    clean_text,
    clean_tree,
)
from .validation import validation_problems
from .yamlmarks import MAX_DEPTH, MAX_EXPANDED_CHARS, MAX_NODES, Marked, format_path, nearest_mark, parse_yaml

__all__ = [
    "MAX_BYTES",
    "MAX_DEPTH",
    "MAX_NODES",
    "Marked",
    "Source",
    "decode",
    "drop_empty",
    "format_path",
    "load",
    "load_data",
    "load_every",
    "loads",
    "marked_from_data",
    "parse_source",
    "parse_yaml",
    "read_source",
    "report_from_data",
    "strip_forbidden",
    "validation_problems",
]

log = logging.getLogger(__name__)

DATA_NAME = "<数据>"
_TEMPLATE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_\-]{0,63}$")


def _template_problem(data: Any, marked: Marked, name: str, prefix: tuple[Any, ...]) -> Problem | None:
    """meta.template names a template: a word, never a path (checked here so the message has a line)."""
    meta = data.get("meta") if isinstance(data, dict) else None
    template = meta.get("template") if isinstance(meta, dict) else None
    if not isinstance(template, str) or _TEMPLATE_NAME.match(template):
        return None
    line, column = nearest_mark(marked.marks, (*prefix, "meta", "template")) or (None, None)
    return Problem(f"模板名“{template}”不合法：只能由字母、数字、下划线和连字符组成，不能是路径", file=name,
                   line=line, column=column, path=format_path((*prefix, "meta", "template")),
                   hint="写内置或自己的模板名，例如 `template: school_term`；`summarykit templates` 列出可用的模板")


def _records_folder(name: str) -> str | None:
    """The folder pictures are relative to: the records file's, when ``name`` is a file."""
    try:
        return os.path.dirname(os.path.abspath(name)) if name and os.path.isfile(name) else None
    except (OSError, ValueError):
        return None


def report_from_data(data: Any, marked: Marked, name: str, notices: list[Notice],
                     prefix: tuple[Any, ...] = (), previous: str | os.PathLike[str] | None = None, *,
                     base_dir: str | os.PathLike[str] | None = None,
                     assets: Sequence[str | os.PathLike[str]] = ()) -> Report:
    """Validate one report's plain data (already cleaned) into a Report, or raise RecordsError.

    Then last period's figures are filled in (``previous``: a file, else the records' own
    ``previous:`` key) and the figures are checked against themselves (consistency.py), so a
    total smaller than its parts stops `validate` and `render` alike, at its line.

    Charts drawn ``from`` metrics get their numbers (records/chartsource.py).
    Pictures are then checked (records/assets.py), relative to ``base_dir`` —
    by default the folder of the file ``name`` — and confined to it and ``assets``.
    """
    template = _template_problem(data, marked, name, prefix)
    label_notices, label_problems = strip_typed_labels(
        data, name, lambda path: nearest_mark(marked.marks, path) or (None, None), prefix)
    deep = _depth_problems(data.get("sections") if isinstance(data, dict) else None, marked, name, prefix)
    try:
        report = Report.model_validate(data)
    except ValidationError as exc:
        problems = [*validation_problems(exc, marked, name, prefix), *label_problems, *deep]
        if template is not None:
            problems.append(template)
        problems.sort(key=lambda p: (p.line or 0, p.column or 0))
        raise RecordsError.collect(name, problems) from None
    if template is not None or label_problems or deep:
        extra = [template] if template is not None else []
        raise RecordsError.collect(name, sorted([*extra, *label_problems, *deep], key=lambda p: (p.line or 0, p.column or 0)))
    for notice in label_notices:
        log.info("%s", notice)
    report._notices.extend([*notices, *label_notices])
    report._source = name
    report, filled = load_previous(report, previous, name, marked.marks, prefix, read=load)
    problems, found = check_report(report, marked.marks, name, prefix)
    if problems:
        raise RecordsError.collect(name, problems)
    for notice in [*filled, *found]:
        log.info("%s", notice)
    report._notices.extend([*filled, *found])
    report = fill_charts(report, marked.marks, name, prefix)
    empty = empty_part_notices(report, marked, name, prefix)  # charts filled from metrics are content
    for notice in empty:
        log.info("%s", notice)
    report._notices.extend(empty)
    check_assets(report, marked.marks, name, base_dir=base_dir if base_dir is not None else _records_folder(name),
                 assets=assets, prefix=prefix)
    return report


#: Sections are headings at levels 1, 2, 3…; the numbering (一、（一）1.（1）①) has five.
MAX_SECTION_DEPTH = 5


def _item_prints(item: Any) -> bool:
    """An item left empty (``text: ""`` or only spaces, nothing else) leaves no trace in the document."""
    return bool(str(item.text).strip() or item.metrics or item.details or item.images)


def _has_content(part: Any) -> bool:
    """Whether an achievements category or a section prints anything under its heading."""
    if any(getattr(part, key, None) for key in ("paragraphs", "after", "tables", "metrics", "images", "charts")):
        return True
    if any(_item_prints(item) for item in part.items):
        return True
    return any(_has_content(sub) for sub in getattr(part, "subsections", ()))


def empty_part_notices(report: Report, marked: Marked, name: str, prefix: tuple[Any, ...] = ()) -> list[Notice]:
    """A heading the user wrote whose content is all blank (``items: []``, items of only spaces) is left out
    of the document, as any empty heading is; say so at the heading, so that it does not vanish silently."""
    notices: list[Notice] = []

    def note(part: Any, path: tuple[Any, ...]) -> None:
        line, _ = _mark_near(marked, (*prefix, *path, "heading"))
        notices.append(Notice("empty-part", f"{format_path(path)}：“{part.heading}”下面没有内容（条目、段落、数字都没有写"
                                            "或都是空的），这一部分不会出现在文档里",
                              f"{name}:{line}" if line else name))

    for index, category in enumerate(report.achievements):
        if not _has_content(category):
            note(category, ("achievements", index))

    def walk(sections: Any, path: tuple[Any, ...]) -> None:
        for index, section in enumerate(sections):
            here = (*path, index)
            if not _has_content(section):
                note(section, here)
            else:
                walk(section.subsections, (*here, "subsections"))

    walk(report.sections, ("sections",))
    return notices


def _depth_problems(sections: Any, marked: Marked, name: str, prefix: tuple[Any, ...]) -> list[Problem]:
    """Subsections nested deeper than the numbering supports: one located problem per too-deep section.

    Deeper headings would have no number and no heading style (Markdown has six
    levels, Word's list five), so they are refused instead of printed wrongly.
    """
    problems: list[Problem] = []

    def walk(items: Any, path: tuple[Any, ...], depth: int) -> None:
        if not isinstance(items, list):
            return  # not a list: the model says so
        for index, section in enumerate(items):
            here = (*path, index)
            if depth > MAX_SECTION_DEPTH:
                line, column = _mark_near(marked, (*prefix, *here))
                problems.append(Problem(
                    f"章节嵌套了 {depth} 层，超过了编号能表示的 {MAX_SECTION_DEPTH} 层（一、（一）1.（1）①）",
                    file=name, line=line, column=column, path=format_path(here),
                    hint="把这一层并入上一层（写成上一层的 paragraphs 或 items），或把整个分支提到更浅的层级"))
                continue
            if isinstance(section, dict):
                walk(section.get("subsections"), (*here, "subsections"), depth + 1)

    walk(sections, ("sections",), 1)
    return problems


def _mark_near(marked: Marked, path: tuple[Any, ...]) -> tuple[int | None, int | None]:
    return nearest_mark(marked.marks, path) or (None, None)


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
    return _empty_notice(marked, name, dropped)


def _empty_notice(marked: Marked, name: str, dropped: list[tuple[Any, ...]]) -> list[Notice]:
    """drop_empty's one notice naming the keys left empty (with their lines)."""
    if not dropped:
        return []
    places = "、".join(f"{format_path(p)}（第 {marked.marks.get(p, (0, 0))[0]} 行）" for p in dropped[:10])
    more = f"等 {len(dropped)} 项" if len(dropped) > 10 else ""
    return [Notice("empty", f"这些项是空的，按未填写处理：{places}{more}", name)]


def prepare(marked: Marked, name: str) -> tuple[Any, list[Notice], list[Notice], bool]:
    """drop_empty, ``assemble.names_a_sheet`` and clean_tree in one walk over parsed records.

    → (cleaned data, drop_empty's notices, clean_tree's notices, whether the records name a sheet).
    ``marked`` is changed as drop_empty changes it (its data is the data with empty keys dropped,
    not cleaned: validation quotes values as they were written).  When the records name a sheet,
    the cleaned data and its notices are not wanted (the sheets are merged in first, then cleaned).

    Loading every report walked its data three times, copying it twice; this walk does the
    three jobs at once and cleans a string where it finds it, without a call and a path per value.
    A property test compares it with the three on random records.
    """
    dropped: list[tuple[Any, ...]] = []
    notices: list[Notice] = []
    changed = 0
    marks = marked.marks
    maybe, needs = _MAY_NEED_WORK.search, _NEEDS_WORK.search  # clean_text's test for a clean string, inlined

    def where(path: tuple[Any, ...]) -> str:
        mark = nearest_mark(marks, path)
        return f"{name}:{mark[0]}:{mark[1]}" if mark else name

    def text(value: str, path: tuple[Any, ...], punctuation: bool) -> str:
        nonlocal changed
        cleaned, removed, count = clean_text(value, punctuation=punctuation)
        if removed:
            notices.append(Notice("control-chars", f"删除了 {removed} 个不能写入 Word 的控制字符", where(path)))
        changed += count
        return cleaned

    # → (value with empty keys dropped, the same cleaned — or itself when ``clean`` is False, whether it names a sheet)
    def walk(value: Any, path: tuple[Any, ...], clean: bool, punctuation: bool) -> tuple[Any, Any, bool]:
        sheet = False
        if isinstance(value, dict):
            kept: dict[Any, Any] = {}
            tidy: dict[Any, Any] = {}
            for key, item in value.items():
                if item is None:
                    dropped.append((*path, key))
                    continue
                if isinstance(item, str):
                    kept[key] = item
                    if clean and key not in _VERBATIM_KEYS:
                        tidy[key] = (text(item, (*path, key), punctuation and key not in _KEEP_PUNCTUATION_KEYS)
                                     if maybe(item) and needs(item) else item.strip())
                    else:
                        tidy[key] = item
                    continue
                if not isinstance(item, dict | list):
                    kept[key] = tidy[key] = item
                    continue
                here = clean and key not in _VERBATIM_KEYS
                raw, done, inner = walk(item, (*path, key), here, punctuation and key not in _KEEP_PUNCTUATION_KEYS)
                kept[key], tidy[key] = raw, (done if here else raw)
                if key == "tables" and isinstance(raw, list):
                    inner = any(isinstance(t, dict) and "sheet" in t for t in raw)
                sheet = sheet or inner
            return kept, (tidy if clean else kept), sheet or "workbook" in kept
        # a list (walk is called with dicts and lists only)
        kept_items: list[Any] = []
        tidy_items: list[Any] = []
        for index, item in enumerate(value):
            if isinstance(item, str):
                kept_items.append(item)
                tidy_items.append((text(item, (*path, index), punctuation) if maybe(item) and needs(item) else item.strip())
                                  if clean else item)
            elif isinstance(item, dict | list):
                raw, done, inner = walk(item, (*path, index), clean, punctuation)
                kept_items.append(raw)
                tidy_items.append(done)
                sheet = sheet or inner
            else:
                kept_items.append(item)
                tidy_items.append(item)
        return kept_items, (tidy_items if clean else kept_items), sheet

    data = marked.data
    if isinstance(data, dict | list):
        raw, cleaned, sheet = walk(data, (), True, True)
    else:  # what drop_empty, names_a_sheet and clean_tree make of a lone value
        raw, sheet = data, False
        cleaned = text(data, (), True) if isinstance(data, str) else data
    marked.data = raw
    marked.empty.update(dropped)
    if changed:
        notices.append(Notice("punctuation", f"把 {changed} 处半角标点改成了全角", name))
    return cleaned, _empty_notice(marked, name, dropped), notices, sheet


@without_gc
def loads(text: str | bytes, name: str = "<输入>", *, previous: str | os.PathLike[str] | None = None,
          base_dir: str | os.PathLike[str] | None = None, assets: Sequence[str | os.PathLike[str]] = ()) -> Report:
    """Parse records from YAML or JSON text or bytes (what `load` does after reading the file).

    Pictures are relative to ``base_dir`` and may come only from it and ``assets``;
    with neither, records text with pictures is refused.
    """
    source = decode(text, name) if isinstance(text, bytes) else Source(normalize_newlines(text), name)
    return single_report(parse_source(source), source.name, (), previous, base_dir=base_dir, assets=assets)


@without_gc
def load(path: str | os.PathLike[str], *, previous: str | os.PathLike[str] | None = None,
         assets: Sequence[str | os.PathLike[str]] = ()) -> Report:
    """Read and validate one records file (YAML/JSON, or an .xlsx/.csv sheet).  Raises RecordsError listing every problem found.

    ``previous``: last period's records file, whose metrics fill this one's previous values
    (else the records' own ``previous:`` key, relative to the records file).
    Pictures are relative to the file's folder and may come only from it (and
    below) and the ``assets`` folders.
    """
    from ..sources import assemble  # the spreadsheet stage; openpyxl itself loads only for a workbook

    found = assemble.read_any(path)
    if isinstance(found, Source):
        return single_report(parse_source(found), found.name, (), previous,
                             base_dir=os.path.dirname(os.path.abspath(path)), assets=assets)
    sheets, notices, name = found
    return single_sheet_report(assemble.workbook_reports(sheets, name, notices=notices, where_dir=Path(name).parent),
                               previous)


@without_gc
def load_every(path: str | os.PathLike[str], previous: str | os.PathLike[str] | None = None, *,
               assets: Sequence[str | os.PathLike[str]] = ()) -> list[Report]:
    """Every report of a records file: one for a YAML file, one per row of a workbook's departments sheet.

    What ``summarykit validate`` checks: a workbook for ``batch`` is valid when every row is.
    RecordsError lists the problems of every report at once.
    """
    from ..sources import assemble

    found = assemble.read_any(path)
    if isinstance(found, Source):
        marked = parse_source(found)
        if assemble.names_a_sheet(marked.data):
            empty = drop_empty(marked, found.name)
            return validate_sheet_reports(assemble.from_yaml(marked, found.name, [*marked.notices, *empty]), previous)
        return [single_report(marked, found.name, (), previous, base_dir=os.path.dirname(os.path.abspath(path)),
                              assets=assets)]
    sheets, notices, name = found
    return validate_sheet_reports(assemble.workbook_reports(sheets, name, notices=notices,
                                                           where_dir=Path(name).parent), previous)


@without_gc
def load_data(data: Mapping[str, Any], name: str = DATA_NAME, *,
              previous: str | os.PathLike[str] | None = None) -> Report:
    """Validate records held as plain data (a web form, another program's dict or parsed JSON).

    The same path as a file after parsing: empty keys dropped, text cleaned,
    validated, every problem collected — located by its field path
    (``achievements[0].items[2].text``) instead of a line.
    """
    return single_report(marked_from_data(data, name), name, (), previous)


def parse_source(source: Source) -> Marked:
    """Decoded text → plain data with line marks (size limit, characters YAML refuses, YAML itself).

    The source's own notices (a GBK file, removed characters) travel on the result.
    """
    if len(source.text) > MAX_BYTES:
        raise _fail(source.name, f"内容太长（超过 {MAX_BYTES // 1024 // 1024} MB）",
                    hint="记录文件应是手写的文本；请把内容拆成几份")
    source = strip_forbidden(source)
    marked = parse_yaml(source)
    marked.notices[:0] = source.notices  # decoding's and stripping's notices come first, as the file is read
    return marked


def marked_from_data(data: Any, name: str = DATA_NAME) -> Marked:
    """A mapping as parsed records: a plain copy (mappings, lists, text, numbers, dates) with no line marks.

    The copy is what YAML would have produced, so validation and its messages
    are the same; anything else (a set, an object) is a located problem.  The limits
    of a records file hold here too, counted as the data is walked: values, nesting
    depth, and the total text of keys and values — one long string shared by many
    places of a dict counts once per place, as an alias does in YAML, since every place
    is cleaned, validated and printed on its own.  Each is located by its field path.
    """
    problems: list[Problem] = []
    nodes = 0
    chars = 0

    def refuse(message: str, path: tuple[Any, ...], hint: str) -> RecordsError:
        where = format_path(path)
        return RecordsError.collect(name, [Problem(message, file=name, path=where, hint=hint)])

    def plain(value: Any, path: tuple[Any, ...]) -> Any:
        nonlocal nodes, chars
        nodes += 1
        if nodes > MAX_NODES:
            raise refuse(f"数据太大（超过 {MAX_NODES} 个值）", path, "请把数据拆成几份")
        if len(path) > MAX_DEPTH:
            raise refuse(f"数据嵌套太深（超过 {MAX_DEPTH} 层）", path, "记录最多嵌套几层，请检查数据的结构（是否引用了自己）")
        if isinstance(value, str):
            chars += len(value)
            if chars > MAX_EXPANDED_CHARS:
                raise refuse(f"数据里的文字总共超过 {MAX_EXPANDED_CHARS // 10_000} 万字（同一段文字用在几处按几处计算）",
                             path, "记录不需要这么多文字；请检查是否把同一段长文字放进了许多地方，或把数据拆成几份")
            return value
        if value is None or isinstance(value, bool | int | float):
            if isinstance(value, int) and value.bit_length() > _SHORT_INT_BITS and not _printable(value):
                problems.append(Problem(f"数字太长（超过 {sys.get_int_max_str_digits()} 位）", file=name,
                                        path=format_path(path), hint="记录里的数字不会这么长，请检查数据"))
                return None
            return value
        if isinstance(value, dt.datetime):
            return value.date().isoformat()
        if isinstance(value, dt.date):
            return value.isoformat()
        if isinstance(value, Mapping):
            out = {}
            for key, item in value.items():
                if not isinstance(key, str):
                    problems.append(Problem(f"键 {key!r} 不是文字", file=name, path=format_path(path),
                                            hint="键应是文字，如 \"meta\"、\"intro\""))
                    continue
                chars += len(key)
                out[key] = plain(item, (*path, key))
            return out
        if isinstance(value, list | tuple):
            return [plain(item, (*path, i)) for i, item in enumerate(value)]
        problems.append(Problem(f"不支持的值类型 {type(value).__name__}", file=name, path=format_path(path),
                                hint="值只能是文字、数字、真假、日期、列表或“键: 值”的结构"))
        return None

    copied = plain(data, ())
    if problems:
        raise RecordsError.collect(name, problems)
    if not isinstance(copied, dict):
        raise _fail(name, "记录应是“键: 值”的结构（一个字典），不是列表或单个值",
                    hint="例如 {\"meta\": {\"organization\": \"某某中学\"}, \"intro\": [\"……\"]}")
    return Marked(copied, {})


#: Python prints an int of at most ``sys.get_int_max_str_digits()`` digits (640 at the least, when set): one of
#: fewer bits than this always has fewer digits, so only a longer one needs trying.
_SHORT_INT_BITS = 2000


def _printable(value: int) -> bool:
    """Whether ``str(value)`` works: Python refuses ints of more digits than its limit (4300 unless set).

    The records model turns a number typed as text into ``str(value)`` inside pydantic-core, where such
    a ValueError would escape as a traceback; YAML and JSON cannot make one, a program's dict can.
    """
    try:
        str(value)
    except ValueError:
        return False
    return True


def single_report(marked: Marked, name: str, notices: Sequence[Notice],
                  previous: str | os.PathLike[str] | None = None, *,
                  base_dir: str | os.PathLike[str] | None = None,
                  assets: Sequence[str | os.PathLike[str]] = ()) -> Report:
    """One report from parsed records: empty keys dropped, text cleaned, validated (raises RecordsError).

    Records that take figures or tables from a spreadsheet (``workbook: 数据.xlsx``, a table's
    ``sheet:``) are merged with the sheets first (sources/), problems in sheet values located at their cells.
    """
    data, empty, cleaning, sheet = prepare(marked, name)
    if sheet:
        from ..sources import assemble

        return single_sheet_report(assemble.from_yaml(marked, name, [*notices, *marked.notices, *empty]), previous)
    found = [*notices, *marked.notices, *empty, *cleaning]
    for notice in found:
        log.info("%s", notice)
    return report_from_data(data, marked, name, found, previous=previous, base_dir=base_dir, assets=assets)


# --------------------------------------------------------------------------- reports taken from spreadsheets

# sources/ turns sheets into plain records data (SheetReport: the data and the cell of each value);
# validating it is this stage's job, so that the spreadsheet stage never imports this one.


def reports_of_path(path: str | os.PathLike[str]) -> list[Any]:
    """Every report of a workbook, a CSV or a YAML records file, as data with places (sources.SheetReport), not yet validated."""
    from ..sources import assemble

    found = assemble.read_any(path)
    if isinstance(found, tuple):
        sheets, notices, name = found
        return assemble.workbook_reports(sheets, name, notices=notices, where_dir=Path(name).parent)
    marked = parse_source(found)  # its notices start with the decoding's
    empty = drop_empty(marked, found.name)
    return assemble.from_yaml(marked, found.name, [*marked.notices, *empty])


def validate_sheet_report(report: Any, extra_notices: Sequence[Notice] = (),
                          previous: str | os.PathLike[str] | None = None) -> Report:
    """Clean and validate one report taken from sheets; problems in sheet values are located at their cells."""
    from ..sources.assemble import relocate

    marked = report.marked or Marked(report.data, {})
    marked = Marked(report.data, marked.marks, marked.notices, marked.empty)
    cleaned, cleaning = clean_tree(report.data, report.name, marked.marks)
    notices = [*report.notices, *extra_notices, *cleaning]
    try:
        return report_from_data(cleaned, marked, report.name, notices, previous=previous)
    except RecordsError as exc:
        raise RecordsError.collect(report.name, relocate(exc.problems, report.places)) from None


def validate_sheet_reports(reports: Sequence[Any], previous: str | os.PathLike[str] | None = None) -> list[Report]:
    """Every report validated; one RecordsError listing the problems of all of them (each row's at its cells)."""
    done: list[Report] = []
    problems: list[Problem] = []
    for report in reports:
        try:
            done.append(validate_sheet_report(report, previous=previous))
        except RecordsError as exc:
            problems.extend(exc.problems)
    if problems:
        raise RecordsError.collect(reports[0].name, problems)
    return done


def single_sheet_report(reports: Sequence[Any], previous: str | os.PathLike[str] | None = None) -> Report:
    """The one Report of a source, or a located error pointing to ``summarykit batch`` when it holds more."""
    if len(reports) > 1:
        first = reports[0]
        raise RecordsError.collect(first.name, [Problem(
            f"部门表有 {len(reports)} 行，每行是一份报告，这里只能生成一份", file=first.name,
            hint=f"请用 `summarykit batch {first.name} -o 输出文件夹` 生成，每行一个文件")])
    return validate_sheet_report(reports[0], previous=previous)
