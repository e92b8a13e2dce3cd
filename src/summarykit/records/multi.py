"""Records files holding many reports: ``defaults:`` (shared meta and text) + ``reports:`` (one entry each).

Year-end means one summary per department; offices keep them in one file with
the shared parts written once.  This is part of loading, not of batch: every
entry is deep-merged over the defaults and validated on its own, with errors
located at the lines of ``reports[i]`` (or of ``defaults`` when the bad value
came from there), so one bad department does not stop the others.  A file
without ``reports:`` is simply one entry.  The same code serves a records file,
YAML/JSON text and a mapping built by a program.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import Notice, Problem, RecordsError, SummaryKitError
from .yamlmarks import Marked

log = logging.getLogger(__name__)

MULTI_KEYS = ("defaults", "reports")
_MULTI_SNIFF = re.compile(r"^reports\s*:", re.M)
_WORKBOOK_SNIFF = re.compile(r"^workbook\s*:", re.M)


@dataclass
class Entry:
    """One report of a records file: validated, or the error that stopped it."""

    index: int
    label: str  # "" for a single-report file
    name: str  # the output file's stem
    report: Any = None  # records.Report
    error: SummaryKitError | None = None
    notices: list[Notice] = field(default_factory=list)


def _merge(defaults: Any, entry: Any, dpath: tuple[Any, ...], epath: tuple[Any, ...], path: tuple[Any, ...],
           marks: Mapping[tuple[Any, ...], tuple[int, int]], out: dict[tuple[Any, ...], tuple[int, int]]) -> Any:
    """Deep-merge one entry over the defaults (mappings merge, anything else is replaced), keeping line marks."""
    if not (isinstance(defaults, dict) and isinstance(entry, dict)):
        _copy_marks(entry, epath, path, marks, out)
        return entry
    if epath in marks:
        out[path] = marks[epath]
    merged: dict[Any, Any] = {}
    for key in [*defaults, *(k for k in entry if k not in defaults)]:
        if key not in entry:
            _copy_marks(defaults[key], (*dpath, key), (*path, key), marks, out)
            merged[key] = defaults[key]
        elif key not in defaults:
            _copy_marks(entry[key], (*epath, key), (*path, key), marks, out)
            merged[key] = entry[key]
        else:
            merged[key] = _merge(defaults[key], entry[key], (*dpath, key), (*epath, key), (*path, key), marks, out)
    return merged


def _copy_marks(value: Any, src: tuple[Any, ...], dst: tuple[Any, ...],
                marks: Mapping[tuple[Any, ...], tuple[int, int]], out: dict[tuple[Any, ...], tuple[int, int]]) -> None:
    if src in marks:
        out[dst] = marks[src]
    if isinstance(value, dict):
        for key, item in value.items():
            _copy_marks(item, (*src, key), (*dst, key), marks, out)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _copy_marks(item, (*src, index), (*dst, index), marks, out)


def safe_name(text: str) -> str:
    """A department name as part of a file name (naming.sanitize: no separators, no invisible characters)."""
    from ..naming import sanitize

    return sanitize(text)


def _department(entry: Any) -> str:
    """meta.department of a raw entry, or ""."""
    meta = entry.get("meta") if isinstance(entry, dict) else None
    department = meta.get("department") if isinstance(meta, dict) else None
    return department.strip() if isinstance(department, str) else ""


def _entry_names(stem: str, entries: Sequence[Any]) -> list[str]:
    """<stem>-<department>, or <stem>-<number> when there is none (naming.report_tags); without extension.

    A batch uses the names naming.plan gave before any work started; these are
    the same unless a name had to be refused there.
    """
    from ..naming import NAME_MAX, Department, compose_name, report_tags, sanitize

    tags = report_tags([Department(_department(entry)) for entry in entries])
    return [compose_name(sanitize(stem) or stem, tag, "", NAME_MAX - 8) for tag in tags]


def departments(marked: Marked) -> tuple[Any, ...] | None:
    """The reports' departments of a multi-report file, with their lines (naming.Department); None otherwise."""
    from ..naming import Department

    if not isinstance(marked.data, dict) or not is_multi(marked.data):
        return None
    reports = marked.data.get("reports")
    if not isinstance(reports, list):
        return None
    found = []
    for index, raw in enumerate(reports):
        line, column = marked.marks.get(("reports", index, "meta", "department"),
                                        marked.marks.get(("reports", index), (None, None)))
        found.append(Department(_department(raw), line, column))
    return tuple(found)


def _did_you_mean(key: str) -> str:
    from ..zh.suggest import did_you_mean

    close = did_you_mean(key, MULTI_KEYS)
    advice = "各份报告共同的内容请写在 defaults 下，每份报告写成 reports 下的一项"
    return f"是不是想写 `{close}`？{advice}" if close else advice


def _multi_problems(data: dict[Any, Any], marked: Any, name: str) -> list[Problem]:
    """What is wrong with the frame of a multi-report file (not with the reports in it)."""
    problems: list[Problem] = []

    def at(path: tuple[Any, ...]) -> tuple[int | None, int | None]:
        return marked.marks.get(path, (None, None))

    for key in data:
        if key not in MULTI_KEYS:
            line, column = at((key,))
            problems.append(Problem(f"不认识的键“{key}”：包含 reports 的文件顶层只能有 defaults 和 reports",
                                    file=name, line=line, column=column, path=str(key),
                                    hint=_did_you_mean(str(key))))
    reports, defaults = data.get("reports"), data.get("defaults", {})
    if not isinstance(reports, list) or not reports:
        line, column = at(("reports",))
        problems.append(Problem("reports 应是一个列表，每项是一份报告（以 `- ` 开头）", file=name, line=line or 1,
                                column=column, path="reports", hint="例如 `reports:` 下写 `- meta: {department: 总务处}`"))
    else:
        for index, entry in enumerate(reports):
            if not isinstance(entry, dict):
                line, column = at(("reports", index))
                problems.append(Problem("每份报告应是“键: 值”的结构", file=name, line=line, column=column,
                                        path=f"reports[{index}]", hint="例如 `- meta:` 下写 `department: 总务处`"))
    if defaults is not None and not isinstance(defaults, dict):
        line, column = at(("defaults",))
        problems.append(Problem("defaults 应是“键: 值”的结构（与单份记录文件的顶层相同）", file=name, line=line,
                                column=column, path="defaults"))
    return problems


def read_entries(path: str | os.PathLike[str], select: Callable[[int], bool] | None = None) -> list[Entry]:
    """Every report in a records file — one, or one per ``reports:`` entry — validated one by one.

    Raises RecordsError when the file as a whole cannot be read (encoding, YAML,
    a malformed ``reports:`` frame).  A report that does not validate is
    returned as an Entry with ``error`` set, so the others can still be written.
    ``select`` (given an entry's index) limits validation to some entries, for
    splitting one large file across processes; names are still computed from all.
    The file's own notices (encoding, emptied keys...) go on its first report.
    """
    from ..sources import assemble
    from .loading import parse_source

    found = assemble.read_any(path)
    if isinstance(found, tuple):  # a workbook or CSV: one report, or one per department row
        sheets, notices, book = found
        return sheet_entries(assemble.workbook_reports(sheets, book, notices=notices, where_dir=Path(book).parent),
                             Path(path).stem, select)
    marked = parse_source(found)
    return entries_from_marked(marked, found.name, Path(path).stem, (), select)


def planned_departments(path: str | os.PathLike[str]) -> tuple[Any, ...] | None:
    """The departments a source's reports will be named after (naming.Department), None for one report.

    Cheaper than read_entries (nothing is validated) and read the same way, so a
    batch can plan every output name before any work starts.  Raises what
    reading raises; the caller leaves such a file to its worker.
    """
    from ..naming import Department
    from ..sources import assemble
    from .loading import parse_source

    found = assemble.read_any(path)
    if isinstance(found, tuple):
        sheets, notices, book = found
        reports = assemble.workbook_reports(sheets, book, notices=notices, where_dir=Path(book).parent)
        if not (len(reports) > 1 or any(r.key for r in reports)):
            return None
        return tuple(Department(str(r.key or "")) for r in reports)
    if "reports" not in found.text:
        return None
    return departments(parse_source(found))


def sheet_entries(reports: Sequence[Any], stem: str, select: Callable[[int], bool] | None = None) -> list[Entry]:
    """The reports a workbook gives (sources/), as Entries named like a multi-report file's: <stem>-<部门>."""
    from .loading import validate_sheet_report as validate

    keyed = len(reports) > 1 or any(r.key for r in reports)
    names = _entry_names(stem, [{"meta": {"department": r.key}} for r in reports]) if keyed else [stem]
    entries = []
    for index, (sheet_report, name) in enumerate(zip(reports, names, strict=True)):
        if select is not None and not select(index):
            continue
        entry = Entry(index, sheet_report.label, name)
        try:
            entry.report = validate(sheet_report)
            entry.notices = list(entry.report.notices)
        except SummaryKitError as exc:
            entry.error = exc
            entry.notices = list(sheet_report.notices)
        for notice in entry.notices:
            log.info("%s", notice)
        entries.append(entry)
    return entries


def entries_from_marked(marked: Marked, name: str, stem: str, notices: Sequence[Notice] = (),
                        select: Callable[[int], bool] | None = None) -> list[Entry]:
    """The reports of parsed records (from a file, text or a mapping); see ``read_entries``."""
    from .loading import drop_empty, report_from_data, single_report
    from .textclean import clean_tree

    if not is_multi(marked.data):
        from ..sources import assemble

        if assemble.names_a_sheet(marked.data):  # `workbook: 数据.xlsx`: the YAML is every row's base
            empty = drop_empty(marked, name)
            return sheet_entries(assemble.from_yaml(marked, name, [*notices, *marked.notices, *empty]), stem, select)
        if select is not None and not select(0):
            return []
        entry = Entry(0, "", stem)
        try:
            entry.report = single_report(marked, name, notices)
            entry.notices = list(entry.report.notices)
        except SummaryKitError as exc:
            entry.error = exc
        return [entry]
    empty = drop_empty(marked, name)
    file_notices = [*notices, *marked.notices, *empty]
    wanted = select or (lambda index: True)
    data = marked.data
    problems = _multi_problems(data, marked, name)
    if problems:
        raise RecordsError.collect(name, problems)
    reports: list[dict[Any, Any]] = data["reports"]
    defaults = data.get("defaults") or {}
    # Keys emptied in defaults are "empty", not "missing", in every report that inherits them.
    inherited_empty = {p[1:] for p in marked.empty if p[:1] == ("defaults",)}
    entries = []
    for index, (raw, stem_name) in enumerate(zip(reports, _entry_names(stem, reports), strict=True)):
        if not wanted(index):
            continue
        department = safe_name(_department(raw))
        label = f"reports[{index}]" + (f"（{department}）" if department else "")
        prefix = ("reports", index)
        merged_marks: dict[tuple[Any, ...], tuple[int, int]] = {}
        merged = _merge(defaults, raw, ("defaults",), prefix, (), marked.marks, merged_marks)
        cleaned, cleaning = clean_tree(merged, name, merged_marks)
        # Errors are located through the prefix: the report as it stands at reports[i], merged.
        siblings = list(reports)
        siblings[index] = merged
        located = Marked({**data, "reports": siblings},
                         {**{k: marked.marks[k] for k in ((), ("reports",)) if k in marked.marks},
                          **{(*prefix, *k): v for k, v in merged_marks.items()}},
                         empty={*marked.empty, *((*prefix, *p) for p in inherited_empty)})
        own = [*file_notices, *cleaning] if not entries and index == 0 else cleaning
        entry = Entry(index, label, stem_name, notices=own)
        for notice in own:
            log.info("%s", notice)
        try:
            entry.report = report_from_data(cleaned, located, name, entry.notices, prefix)
        except SummaryKitError as exc:
            entry.error = exc
        entries.append(entry)
    return entries


def is_multi(data: Mapping[Any, Any]) -> bool:
    """Whether parsed records hold several reports (a top-level ``reports:``)."""
    return isinstance(data, Mapping) and "reports" in data


def count_reports(path: str | os.PathLike[str]) -> int:
    """Roughly how many reports a multi-report file holds; 0 for a single-report file.

    A cheap look at the text (a top-level ``reports:``, then the list items at
    the shallowest indent after it), used only to decide whether to split a
    file across workers; the real count comes from parsing.
    """
    from .decoding import read_head

    head = read_head(path, 1 << 22)  # not the whole file: an input may be huge, or a FIFO
    if not head:
        return 0
    text = head.decode("utf-8", "replace")
    if head.startswith(b"PK") or Path(path).suffix.lower() == ".csv" or _WORKBOOK_SNIFF.search(text):
        from .loading import reports_of_path

        try:  # a workbook's department rows: read here once; each worker reads it again for its share
            return len(reports_of_path(path))
        except SummaryKitError:
            return 0
    match = _MULTI_SNIFF.search(text)
    if not match:
        return 0
    indents = re.findall(r"^( *)- ", text[match.end():], re.M)
    return indents.count(min(indents, key=len)) if indents else 0


