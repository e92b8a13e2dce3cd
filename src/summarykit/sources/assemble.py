"""Workbook, CSV or YAML-naming-a-workbook → each report's plain data, every value's cell remembered.

This is the stage's edge: it reads files (through decoding.py's sniffing, one home for file
types), lets layouts.py turn sheets into records data and merges that data with what a YAML file
gives (``workbook: 数据.xlsx`` in it: the YAML is the base, the sheets add to it).  Validating is
left to records/loading.py (``validate_sheet_report``: the same ``report_from_data`` as a YAML
file), which calls ``relocate`` here to move a problem in a sheet's value back onto its cell; this
module never imports the loading stage.

Merging: mappings merge key by key; categories, tables, sections, items and metrics are joined
(the YAML's entries first, a sheet's category merging into the YAML's of the same heading); any
other value from a sheet replaces the YAML's (a department row is more specific than the shared meta).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path as FsPath
from typing import TYPE_CHECKING, Any

from ..errors import Notice, Problem, RecordsError
from ..records.yamlmarks import Marked, format_path

if TYPE_CHECKING:  # the sheet layouts load only where sheets are read: a YAML records file never needs them
    from . import layouts
    from .grid import Problems, Sheet
    from .layouts import Path, Places


def _no_places() -> Places:
    from .layouts import Places

    return Places()


@dataclass
class SheetReport:
    """One report's plain data (not yet cleaned or validated) and where its values came from."""

    name: str  # the file named in the headline of an error
    label: str  # "" for the only report of a file; which row for one of a departments sheet
    key: str  # the department (or unit) name of a departments row, for the output's file name
    data: dict[str, Any]
    places: Places = field(default_factory=_no_places)
    marked: Marked | None = None  # the YAML's marks, when part of the data came from a YAML file
    notices: list[Notice] = field(default_factory=list)


# --------------------------------------------------------------------------- reading files


def read_sheets(data: bytes, name: str, kind: str) -> tuple[list[Sheet], list[Notice]]:
    """The sheets of an .xlsx (kind "xlsx") or the one sheet of a CSV (kind "csv")."""
    if kind == "csv":
        from .csv import read_csv

        sheet, notices = read_csv(data, name)
        return [sheet], notices
    from .xlsx import read_workbook

    return read_workbook(data, name), []


def read_path(path: str | os.PathLike[str]) -> tuple[list[Sheet], list[Notice], str] | None:
    """A spreadsheet file's sheets, or None when the file is not a spreadsheet (a YAML records file)."""
    from ..records.decoding import read_bytes, sheet_kind
    from .xlsx import MAX_WORKBOOK_BYTES

    name = str(path)
    data = read_bytes(path, MAX_WORKBOOK_BYTES + 1)
    kind = sheet_kind(data, name)
    if kind is None:
        return None
    if len(data) > MAX_WORKBOOK_BYTES:
        raise RecordsError.collect(name, [Problem(f"文件太大（超过 {MAX_WORKBOOK_BYTES // 1024 // 1024} MB）",
                                                  file=name, hint="请把记录用到的工作表复制到一个新的工作簿里再试")])
    sheets, notices = read_sheets(data, FsPath(name).name, kind)
    return sheets, notices, name


# --------------------------------------------------------------------------- merging


#: Lists a sheet adds to rather than replaces (the YAML's entries first, then the sheet's).
JOINED = ("achievements", "tables", "sections", "items", "metrics")


def merge(base: Any, extra: Any, places: Places, prefix: Path = ()) -> tuple[Any, Places]:
    """``extra`` (from sheets) merged over ``base`` (YAML); ``places`` of extra moved to the merged paths.

    Mappings merge key by key; ``achievements``/``tables``/``sections`` are joined, a sheet's
    category merging into the YAML's category of the same heading (the YAML writes the items, the
    sheet the figures); any other value from the sheet replaces the base's, as a ``reports:`` entry
    replaces its ``defaults``.
    """
    moves: dict[Path, dict[int, int]] = {}

    def walk(a: Any, b: Any, path: Path) -> Any:
        if isinstance(a, dict) and isinstance(b, dict):
            out = dict(a)
            for key, value in b.items():
                out[key] = walk(a[key], value, (*path, key)) if key in a else value
            return out
        if isinstance(a, list) and isinstance(b, list) and path and path[-1] in JOINED:
            out_list = list(a)
            where: dict[int, int] = {}
            headings = {item.get("heading"): i for i, item in enumerate(a) if isinstance(item, dict)}
            for index, item in enumerate(b):
                heading = item.get("heading") if isinstance(item, dict) else None
                if path[-1] == "achievements" and heading is not None and heading in headings:
                    at = headings[heading]
                    out_list[at] = walk(a[at], item, (*path, at))
                    where[index] = at
                else:
                    where[index] = len(out_list)
                    out_list.append(item)
            moves[path] = where
            return out_list
        return b

    merged = walk(base, extra, prefix)
    from .layouts import Places

    moved = Places()
    for path, cell in places.cells.items():
        new: list[Any] = []
        for part in path:
            if isinstance(part, int) and tuple(new) in moves:
                part = moves[tuple(new)].get(part, part)
            new.append(part)
        moved.cells[tuple(new)] = cell
    return merged, moved


# --------------------------------------------------------------------------- workbook → reports


def workbook_reports(sheets: list[Sheet], name: str, base: dict[str, Any] | None = None,
                     marked: Marked | None = None, notices: list[Notice] | None = None,
                     where_dir: FsPath | None = None) -> list[SheetReport]:
    """Every report a workbook (or CSV) holds, merged over ``base``; RecordsError lists every sheet problem."""
    from . import layouts
    from .grid import Problems, Sheet
    from .layouts import Places

    problems = Problems()
    notices = list(notices or [])
    shared: dict[str, Any] = dict(base or {})
    shared_places = Places()
    kinds = {id(sheet): layouts.kind_of(sheet) for sheet in sheets}
    table_refs: list[tuple[str, str, str]] = []
    for sheet in sheets:
        if kinds[id(sheet)] == "notes":
            data, places, refs = layouts.notes(sheet, problems)
            shared, moved = merge(shared, data, places)
            shared_places.update(moved)
            table_refs += refs
    per_department: list[layouts.Figures] = []  # from figures sheets with a 部门 column
    for sheet in sheets:
        if kinds[id(sheet)] == "figures":
            for figures in layouts.figures_by_department(sheet, problems).values():
                if figures.key:
                    per_department.append(figures)
                    continue
                shared, moved = merge(shared, {"achievements": figures.categories},
                                      figures.places.moved(("achievements",)))
                shared_places.update(moved)
    by_name = {sheet.name: sheet for sheet in sheets}
    for target, caption, where in table_refs:
        entry = _table_entry(by_name, target, caption, where, problems)
        if entry is not None:
            shared.setdefault("tables", []).append(entry)
    named: set[str] = {t.replace("！", "!").split("!")[0].strip() for t, _, _ in table_refs}
    shared, table_places = resolve_tables(shared, sheets, problems, where_dir, used=named)
    shared_places.update(table_places)
    used = {id(s) for s in sheets if kinds[id(s)] or s.name in named}
    rows: list[layouts.Row] = []
    for sheet in sheets:
        if kinds[id(sheet)] == "departments":
            rows += layouts.departments(sheet, problems)
    rows = _with_department_figures(rows, per_department, problems)
    recognised = [s for s in sheets if kinds[id(s)]]
    if not recognised and base is None:
        sheet = sheets[0] if sheets else Sheet(name, "", [])
        problems.at(sheet.label(), "没有找到认得的表头：记录表的第一行应是列名",
                    hint="指标表的列名是 分类、指标、本年、上年、目标、单位、说明；部门表第一列是“部门”或“单位”；"
                         "说明表是“项目、内容”两列。`summarykit init --xlsx` 生成一个样例工作簿")
    if problems:
        raise RecordsError.collect(name, problems.items)
    for sheet in sheets:
        if id(sheet) not in used and any(any(v is not None for v in row) for row in sheet.rows):
            notices.append(Notice("sheet-unused", f"工作表“{sheet.name}”不是指标表、部门表或说明表，没有使用；"
                                  "要作为统计表，请在说明表里写一行“统计表 | 工作表名”", name))
    if not rows:
        return [SheetReport(name, "", "", shared, shared_places, marked, notices)]
    reports = []
    for index, row in enumerate(rows):
        data, places = merge(shared, row.data, row.places)
        located = Places(dict(shared_places.cells))
        located.update(places)  # a row's own value replaces the shared one, and so does its cell
        label = f"{row.where.removeprefix(name + ' ')}（{row.key}）"
        reports.append(SheetReport(name, label, row.key, data, located, marked, notices if index == 0 else []))
    return reports


def _with_department_figures(rows: list[layouts.Row], figures: list[layouts.Figures],
                             problems: Problems) -> list[layouts.Row]:
    """A long figures sheet's departments joined to the departments sheet's rows (by name), or rows of their own."""
    from . import layouts
    from .grid import suggest

    if not figures:
        return rows
    if not rows:
        return [layouts.Row(f.key, *merge({"meta": {"department": f.key}}, {"achievements": f.categories},
                                          f.places.moved(("achievements",))), f.where) for f in figures]
    by_key = {row.key.casefold(): row for row in rows}
    for found in figures:
        row = by_key.get(found.key.casefold())
        if row is None:
            guess = suggest(found.key, [r.key for r in rows])
            problems.at(found.where, f"指标表里的部门“{found.key}”在部门表里没有",
                        hint=(f"是不是想写“{guess}”？" if guess else "") + "两张表的部门名称要一致")
            continue
        data, places = merge(row.data, {"achievements": found.categories}, found.places.moved(("achievements",)))
        row.data = data
        row.places.update(places)
    return rows


def _table_entry(by_name: dict[str, Sheet], target: str, caption: str, where: str,
                 problems: Problems) -> dict[str, Any] | None:
    from . import layouts

    sheet_name, _, cells = target.replace("！", "!").partition("!")
    sheet = _sheet_named(by_name, sheet_name.strip(), where, problems)
    if sheet is None:
        return None
    if cells:
        sheet = layouts.cut(sheet, cells.strip(), where, problems)
        if sheet is None:
            return None
    table = layouts.table(sheet, where, problems)
    if table is not None and caption:
        table = {"caption": caption, **table}
    return table


def _sheet_named(by_name: dict[str, Sheet], wanted: str, where: str, problems: Problems) -> Sheet | None:
    from .grid import suggest as closest

    if wanted in by_name:
        return by_name[wanted]
    if "" in by_name and len(by_name) == 1:  # a CSV file has one unnamed sheet
        return by_name[""]
    guess = closest(wanted, list(by_name))
    problems.at(where, f"找不到工作表“{wanted}”",
                hint=(f"是不是想写“{guess}”？" if guess else "") + "工作簿里的工作表：" + "、".join(by_name))
    return None


def resolve_tables(data: Any, sheets: list[Sheet] | None, problems: Problems, where_dir: FsPath | None,
                   marked: Marked | None = None, name: str = "", used: set[str] | None = None) -> tuple[Any, Places]:
    """``tables:`` entries naming a sheet (``sheet: 人员结构``, optionally ``range: A1:D8`` and
    ``workbook: 其他.xlsx``) → the table's columns and rows, wherever such a list is in the records.
    The names of the sheets of ``sheets`` taken this way are added to ``used``."""
    from .layouts import Places

    places = Places()
    cache: dict[str, list[Sheet]] = {}

    def where_of(path: Path) -> str:
        if marked is not None and path in marked.marks:
            line, column = marked.marks[path]
            return f"{name}:{line}:{column}"
        return name or "<输入>"

    def sheets_for(entry: dict[str, Any], path: Path) -> list[Sheet] | None:
        book = entry.get("workbook")
        if book is None:
            if sheets is None:
                problems.at(where_of(path), "统计表写了 sheet，但没有说是哪个工作簿",
                            hint="请在文件顶层写 `workbook: 数据.xlsx`，或在这个表下写 `workbook: 数据.xlsx`")
            return sheets
        location = FsPath(str(book))
        if where_dir is not None and not location.is_absolute():
            location = where_dir / location
        key = str(location)
        if key not in cache:
            try:
                found = read_path(location)
            except RecordsError as exc:
                problems.items.extend(exc.problems)
                return None
            if found is None:
                problems.at(where_of((*path, "workbook")), f"“{book}”不是 Excel 或 CSV 文件",
                            hint="workbook 应写 .xlsx 或 .csv 文件的路径（相对于这个记录文件）")
                return None
            cache[key] = found[0]
        return cache[key]

    def walk(value: Any, path: Path) -> Any:
        if isinstance(value, dict):
            out = {}
            for key, item in value.items():
                if key == "tables" and isinstance(item, list):
                    out[key] = [resolve(entry, (*path, key, i)) for i, entry in enumerate(item)]
                else:
                    out[key] = walk(item, (*path, key))
            return out
        if isinstance(value, list):
            return [walk(item, (*path, i)) for i, item in enumerate(value)]
        return value

    def resolve(entry: Any, path: Path) -> Any:
        if not (isinstance(entry, dict) and "sheet" in entry):
            return walk(entry, path)
        found = sheets_for(entry, path)
        if found is None:
            return entry
        by_name = {sheet.name: sheet for sheet in found}
        where = where_of((*path, "sheet"))
        if used is not None and found is sheets:
            used.add(str(entry["sheet"]).strip())
        cells = entry.get("range")
        target = str(entry["sheet"]) + (f"!{cells}" if cells else "")
        table = _table_entry(by_name, target, "", where, problems)
        if table is None:
            return entry
        rest = {k: v for k, v in entry.items() if k not in {"sheet", "range", "workbook"}}
        return {**rest, **table}

    return walk(data, ()), places


# --------------------------------------------------------------------------- problems back onto cells


def relocate(problems: tuple[Problem, ...] | list[Problem], places: Places) -> list[Problem]:
    """Problems at paths that came from a sheet → the same problems at their cells."""
    by_text = {format_path(path): where for path, where in places.cells.items()}
    ordered = list(by_text.items())
    out = []
    for problem in problems:
        where = None
        if problem.path:
            text = problem.path
            while text and where is None:
                where = by_text.get(text)
                if where is None:
                    cut = max(text.rfind("."), text.rfind("["))
                    text = text[:cut] if cut > 0 else ""
            if where is None:
                where = next((w for p, w in ordered if p.startswith(problem.path + ".")
                              or p.startswith(problem.path + "[")), None)
        if where is None:
            out.append(problem)
            continue
        cell, header = where
        path = f"“{header}”列（{problem.path}）" if header else problem.path
        out.append(Problem(problem.message, file=cell, path=path, hint=problem.hint))
    return out


# --------------------------------------------------------------------------- a path of any kind


def read_any(path: str | os.PathLike[str]) -> tuple[list[Sheet], list[Notice], str] | Any:
    """A spreadsheet's sheets (with its notices and name), or the decoded ``Source`` of a YAML file.

    The file is read once: at most the YAML limit, more only when it is a zip (a workbook may carry
    pictures), so that pointing at a huge file still costs nothing.
    """
    from ..records.decoding import MAX_BYTES, decode, read_bytes, sheet_kind

    name = str(path)
    data = read_bytes(path)
    if data.startswith(b"PK") and len(data) > MAX_BYTES:
        from .xlsx import MAX_WORKBOOK_BYTES  # the workbook reader loads only for a workbook

        data = read_bytes(path, MAX_WORKBOOK_BYTES + 1)
        if len(data) > MAX_WORKBOOK_BYTES:
            raise RecordsError.collect(name, [Problem(
                f"文件太大（超过 {MAX_WORKBOOK_BYTES // 1024 // 1024} MB）", file=name,
                hint="请把记录用到的工作表复制到一个新的工作簿里再试")])
    kind = sheet_kind(data, name)
    if kind is None:
        return decode(data, name)
    sheets, notices = read_sheets(data, name, kind)
    return sheets, notices, name


def names_a_sheet(data: Any) -> bool:
    """Whether YAML records data takes something from a spreadsheet (``workbook:`` or a table's ``sheet:``)."""
    if isinstance(data, dict):
        if "workbook" in data:
            return True
        return any(names_a_sheet(v) if k != "tables" else any(isinstance(t, dict) and "sheet" in t for t in v)
                   if isinstance(v, list) else names_a_sheet(v) for k, v in data.items())
    if isinstance(data, list):
        return any(names_a_sheet(v) for v in data)
    return False


def from_yaml(marked: Marked, name: str, notices: list[Notice]) -> list[SheetReport]:
    """YAML records data naming a workbook (``workbook: 数据.xlsx``) or sheets for tables → its reports."""
    from .grid import Problems
    from .layouts import Places

    data = marked.data
    folder = FsPath(name).parent if name and not name.startswith("<") else FsPath(".")
    if not isinstance(data, dict) or not names_a_sheet(data):
        return [SheetReport(name, "", "", data, Places(), marked, notices)]
    problems = Problems()
    book = data.get("workbook")
    rest = {k: v for k, v in data.items() if k != "workbook"}
    if book is None:
        resolved, places = resolve_tables(rest, None, problems, folder, marked, name)
        if problems:
            raise RecordsError.collect(name, problems.items)
        return [SheetReport(name, "", "", resolved, places, marked, notices)]
    line, column = marked.marks.get(("workbook",), (None, None))
    if not isinstance(book, str):
        raise RecordsError.collect(name, [Problem("workbook 应写一个 Excel 或 CSV 文件的路径", file=name, line=line,
                                                  column=column, path="workbook", hint="例如 `workbook: 数据.xlsx`")])
    location = FsPath(book)
    if not location.is_absolute():
        location = folder / location
    found = read_any(location)
    if not isinstance(found, tuple):
        raise RecordsError.collect(name, [Problem(f"“{book}”不是 Excel（.xlsx）或 CSV 文件", file=name, line=line,
                                                  column=column, path="workbook",
                                                  hint="workbook 写工作簿的路径（相对于这个记录文件）")])
    sheets, book_notices, _ = found
    return workbook_reports(sheets, name, rest, marked, [*notices, *book_notices], location.parent)
