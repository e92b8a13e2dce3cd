"""The documented sheet layouts → plain records data (dicts), every value's cell remembered.

Four layouts, recognised by their header row (Chinese names, English aliases), not by sheet names:

* **figures** (指标表) — one row per metric: 分类, 指标, 本年, 上年, 目标, 单位, 说明.  Rows become
  ``achievements: [{heading: 分类, items: [说明...], metrics: [...]}]``; a row whose 指标 starts with
  “其中” is a part of the metric above it.
* **departments** (部门表) — one row per report: 部门 (or 单位) first, then text columns named like
  the 说明 sheet's items (时期, 开头, 问题, 打算…) and one column per figure (``维修工单（件）``).
* **notes** (说明) — two columns 项目 | 内容: the meta and the text every report shares.
* **table** — any sheet or cell range named by a ``tables:`` entry: its first row is the header.

What comes out is the data a YAML file would have given, so it goes through the same cleaning
and validation; ``Places`` maps each path in it to its cell, so that what validation finds later
is still reported as ``数据.xlsx 工作表“指标” C7``.  Layout rules that only a sheet can break
(text in a number cell, an unknown header, a duplicate department, an empty required cell, a merge
where a value is expected) are checked here, all at once.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from .grid import Approx, Percent, Problems, Sheet, Value, number_in_text, parse_ref, text_of

Path = tuple[Any, ...]


@dataclass
class Places:
    """Record path → (cell, header) for every value taken from a sheet."""

    cells: dict[Path, tuple[str, str]] = field(default_factory=dict)

    def put(self, path: Path, sheet: Sheet, row: int, column: int, header: str = "") -> None:
        self.cells[path] = (sheet.where(row, column), header)

    def moved(self, prefix: Path) -> Places:
        return Places({(*prefix, *k): v for k, v in self.cells.items()})

    def update(self, other: Places) -> None:
        self.cells.update(other.cells)


def _key(text: Value) -> str:
    """A header as compared: NFKC (full-width letters), no spaces, no trailing colon or star, lower case."""
    normal = unicodedata.normalize("NFKC", text_of(text)).replace(" ", "").replace("\n", "")
    return normal.rstrip(":*：").lower()


def _aliases(table: dict[str, tuple[str, ...]]) -> dict[str, str]:
    return {_key(alias): field for field, names in table.items() for alias in names}


# --------------------------------------------------------------------------- header names

FIGURE_COLUMNS: dict[str, tuple[str, ...]] = {
    "department": ("部门", "部门名称", "科室", "department"),
    "category": ("分类", "类别", "工作类别", "工作分类", "category", "heading"),
    "name": ("指标", "指标名称", "项目", "名称", "metric", "name"),
    "value": ("本年", "本期", "今年", "本年度", "完成", "实际", "数值", "value", "current"),
    "previous": ("上年", "去年", "上期", "同期", "上年度", "上年同期", "previous", "last"),
    "target": ("目标", "计划", "目标值", "计划数", "target", "goal"),
    "unit": ("单位", "计量单位", "unit"),
    "note": ("说明", "备注", "情况说明", "note", "text", "remark"),
}
_FIGURE = _aliases(FIGURE_COLUMNS)
FIGURE_REQUIRED = ("name", "value")

#: Text that a report has, by the names people give it in a column or a 说明 row → (record path, is a list).
TEXT_FIELDS: dict[tuple[str, ...], tuple[str, ...]] = {
    ("meta", "organization"): ("单位", "单位名称", "organization"),
    ("meta", "department"): ("部门", "部门名称", "科室", "department"),
    ("meta", "title"): ("标题", "题目", "title"),
    ("meta", "subtitle"): ("副标题", "subtitle"),
    ("meta", "period"): ("时期", "期间", "年度", "学期", "period"),
    ("meta", "next_period"): ("下一时期", "下一年度", "next_period"),
    ("meta", "subject"): ("主题", "subject"),
    ("meta", "kind"): ("文种", "kind"),
    ("meta", "author"): ("撰写人", "作者", "author"),
    ("meta", "date"): ("日期", "成文日期", "date"),
    ("meta", "template"): ("模板", "template"),
    ("keywords",): ("关键词", "keywords"),
    ("intro",): ("开头", "总体情况", "基本情况", "引言", "intro"),
    ("experiences",): ("经验", "经验体会", "体会", "experiences"),
    ("problems",): ("问题", "存在问题", "不足", "problems"),
    ("plans",): ("打算", "下一步打算", "下一步", "计划安排", "plans"),
    ("closing",): ("结尾", "结束语", "closing"),
    ("attachments",): ("附件", "attachments"),
}
_LISTS = {("keywords",), ("intro",), ("experiences",), ("problems",), ("plans",), ("closing",), ("attachments",)}
_TEXT = {_key(alias): path for path, names in TEXT_FIELDS.items() for alias in names}
DEPARTMENT_KEYS = {"部门": ("meta", "department"), "部门名称": ("meta", "department"), "科室": ("meta", "department"),
                   "department": ("meta", "department"), "单位": ("meta", "organization"),
                   "单位名称": ("meta", "organization"), "organization": ("meta", "organization")}
NOTE_HEADERS = ({"项目", "item", "key", "名称"}, {"内容", "value", "content", "说明"})
TABLE_KEYS = ("统计表", "表格", "tables")
#: The heading of the category that a departments sheet's figures go under.
DEPARTMENT_FIGURES = "主要指标"
_UNIT_IN_HEADER = re.compile(r"^(.+?)\s*[（(]\s*([^()（）]{1,8})\s*[)）]\s*$")
_PART = re.compile(r"^\s*(?:其中\s*[：:，,]?|[—－\-·•]+)\s*(.+)$")


def known_headers() -> list[str]:
    """Every header a layout understands (for did-you-mean)."""
    names = [n for names in FIGURE_COLUMNS.values() for n in names if not n.isascii()]
    names += [n for names in TEXT_FIELDS.values() for n in names if not n.isascii()]
    return list(dict.fromkeys(names))


# --------------------------------------------------------------------------- recognising a sheet


def _header_row(sheet: Sheet, known: dict[str, str], least: int = 2) -> int | None:
    """The first of the top rows with at least ``least`` known headers (title rows above it are skipped)."""
    for index, row in enumerate(sheet.rows[:10]):
        if sum(1 for value in row if _key(value) in known) >= least:
            return index
    return None


def kind_of(sheet: Sheet) -> str | None:
    """"figures", "departments", "notes" or None (a sheet only used when a table names it)."""
    at = _header_row(sheet, _FIGURE)
    if at is not None:
        found = {_FIGURE[_key(v)] for v in sheet.rows[at] if _key(v) in _FIGURE}
        if set(FIGURE_REQUIRED) <= found:
            return "figures"
    for index, row in enumerate(sheet.rows[:10]):
        cells = [_key(v) for v in row if v is not None]
        if not cells:
            continue
        if cells[0] in {_key(k) for k in DEPARTMENT_KEYS} and (len(cells) >= 2 or len(sheet.rows) > index + 1):
            return "departments"
        if len(cells) >= 2 and cells[0] in NOTE_HEADERS[0] and cells[1] in NOTE_HEADERS[1]:
            return "notes"
        if index == 0 and _key(sheet.name) in {"说明", "基本信息", "notes", "meta"}:
            return "notes"
    return None


# --------------------------------------------------------------------------- cell reading


def _covered(sheet: Sheet, row: int, column: int) -> str | None:
    return sheet.covered.get((row + sheet.origin[0], column + sheet.origin[1]))


def _number(sheet: Sheet, row: int, column: int, header: str, problems: Problems) -> Any:
    """A number cell: int/float, Percent or Approx; None when empty.  Text is a located problem."""
    value = sheet.value(row, column)
    merge = _covered(sheet, row, column)
    if merge:
        problems.add(sheet, row, column, f"这里是合并单元格（{merge}）的一部分，读不出这一行的数值",
                     hint="请取消合并，在每一行分别填写数值", header=header)
        return None
    if isinstance(value, str):
        found = number_in_text(value)
        if found is None:
            problems.add(sheet, row, column, f"这里应是数字，实际是文字“{value[:20]}”",
                         hint="请只填数字（如 1234、95.6%、约1200），单位写在“单位”列或列名的括号里", header=header)
        return found
    if isinstance(value, dt.date):
        problems.add(sheet, row, column, f"这里应是数字，实际是日期 {text_of(value)}",
                     hint="单元格格式被设成了日期：请在 Excel 里把格式改为“常规”或“数值”后重新填写", header=header)
        return None
    return value


#: How a qualifier is written in a cell → the metric's ``approx`` (约 about, 近 nearly, 超 over, 余/多 and more).
APPROX_WORDS = {"约": "约", "大约": "约", "左右": "约", "近": "近", "将近": "近", "超": "超", "超过": "超", "逾": "超",
                "以上": "超", "余": "余", "多": "多"}


def _metric_fields(value: Any, prefix: str = "") -> dict[str, Any]:
    """A number cell → metric keys: 95.6% gives value 95.6 and unit %, 约1200 gives approx 约."""
    key = prefix or "value"
    if isinstance(value, Percent):
        out: dict[str, Any] = {key: value.number}
        if not prefix:
            out["unit"] = "%"
        return out
    if isinstance(value, Approx):
        return {key: value.number, "approx": APPROX_WORDS[value.word]} if not prefix else {key: value.number}
    return {key: value}


def _text_cell(sheet: Sheet, row: int, column: int, path: Path) -> Any:
    """A text cell for a record path: lists split into paragraphs at line breaks, dates as dates."""
    value = sheet.value(row, column)
    if value is None:
        return None
    if path == ("meta", "date") and isinstance(value, dt.date):
        return value.isoformat() if not isinstance(value, dt.datetime) else value.date().isoformat()
    if path == ("meta", "date") and isinstance(value, int) and 10_000_101 <= value <= 99_991_231:
        return value
    text = text_of(value)
    if path in _LISTS and path != ("keywords",):
        return [line.strip() for line in re.split(r"\r?\n", text) if line.strip()]
    return text


def _set(data: dict[str, Any], path: Path, value: Any) -> Path:
    """Put a value at a record path; a list is appended to what is there.  Returns the path of the value."""
    target = data
    for part in path[:-1]:
        target = target.setdefault(part, {})
    last = path[-1]
    if isinstance(value, list):
        existing = target.setdefault(last, [])
        start = len(existing)
        existing.extend(value)
        return (*path, start)
    target[last] = value
    return path


# --------------------------------------------------------------------------- figures sheet


@dataclass
class Figures:
    """The figures of one report taken from a figures sheet: categories, and where each value came from."""

    key: str = ""  # the department ("" for a sheet without a 部门 column)
    categories: list[dict[str, Any]] = field(default_factory=list)
    places: Places = field(default_factory=Places)
    where: str = ""  # the first cell of this report's rows (its 部门 cell in a long sheet)
    by_heading: dict[str, int] = field(default_factory=dict)
    heading: str = ""
    last_metric: tuple[int, dict[str, Any], Path] | None = None


def figures(sheet: Sheet, problems: Problems) -> tuple[list[dict[str, Any]], Places]:
    """A figures sheet without a 部门 column → achievements categories (paths relative to ``achievements``)."""
    found = figures_by_department(sheet, problems).get("")
    return (found.categories, found.places) if found else ([], Places())


def figures_by_department(sheet: Sheet, problems: Problems) -> dict[str, Figures]:
    """A figures sheet → its figures per department ("" when it has no 部门 column: one report's figures).

    With a 部门 column the sheet is “long”: one row per department and metric, the
    department written once and left empty (or merged) below, like the 分类.
    """
    at = _header_row(sheet, _FIGURE)
    if at is None:
        return {}
    columns = _columns(sheet, at, _FIGURE, problems, FIGURE_COLUMNS, "指标表")
    missing = [f for f in FIGURE_REQUIRED if f not in columns]
    for name in missing:
        problems.add(sheet, at, 0, f"指标表缺少“{FIGURE_COLUMNS[name][0]}”列",
                     hint="指标表的列是：分类、指标、本年、上年、目标、单位、说明（分类以外的列可以不要，指标和本年必须有）")
    if missing:
        return {}
    reports: dict[str, Figures] = {}
    department = ""
    for row in range(at + 1, len(sheet.rows)):
        if all(v is None for v in sheet.rows[row]):
            continue
        if "department" in columns:
            column = columns["department"]
            value = sheet.value(row, column)
            if value is not None and not _covered(sheet, row, column):
                department = text_of(value)
            elif not department:
                problems.add(sheet, row, column, "部门是空的", header="部门",
                             hint="每个部门的第一行指标要写部门名称；下面同一部门的行可以空着或合并单元格")
                continue
        state = reports.get(department.casefold())
        if state is None:
            state = reports[department.casefold()] = Figures(department, where=sheet.where(
                row, columns.get("department", 0)))
        _figure_row(sheet, row, columns, state, problems)
    return reports


def _figure_row(sheet: Sheet, row: int, columns: dict[str, int], state: Figures, problems: Problems) -> None:
    """One row of a figures sheet into its report's categories: a metric, a part (其中：) or nothing."""
    if "category" in columns:
        column = columns["category"]
        value = sheet.value(row, column)
        if value is not None and not _covered(sheet, row, column):
            state.heading = text_of(value)
        elif not state.heading:
            problems.add(sheet, row, column, "分类是空的", header="分类",
                         hint="第一行指标要写分类（如“日常维修”）；下面同一分类的行可以空着或合并单元格")
            return
    else:
        state.heading = state.heading or DEPARTMENT_FIGURES
    name_col = columns["name"]
    name_value = sheet.value(row, name_col)
    merge = _covered(sheet, row, name_col)
    if name_value is None or merge:
        problems.add(sheet, row, name_col, f"指标名称在合并单元格（{merge}）里" if merge else "指标名称是空的",
                     hint="每一行写一个指标名称，如“维修工单”；不要合并这一列的单元格", header="指标")
        return
    name = text_of(name_value)
    value = _number(sheet, row, columns["value"], "本年", problems)
    if value is None:
        if sheet.value(row, columns["value"]) is None and not _covered(sheet, row, columns["value"]):
            problems.add(sheet, row, columns["value"], f"指标“{name}”的本年数值是空的", header="本年",
                         hint="请填写数值；暂时没有的指标请删去这一行")
        return
    categories, places = state.categories, state.places
    if state.heading not in state.by_heading:
        state.by_heading[state.heading] = len(categories)
        categories.append({"heading": state.heading})
        places.put((state.by_heading[state.heading], "heading"), sheet, row, columns.get("category", name_col), "分类")
    index = state.by_heading[state.heading]
    category = categories[index]
    part = _PART.match(name)
    if part and state.last_metric is not None and state.last_metric[0] == index:
        _, parent, parent_path = state.last_metric
        parts = parent.setdefault("parts", [])
        entry = {"name": part.group(1).strip(), **_metric_fields(value)}
        entry.pop("unit", None)
        entry.pop("approx", None)
        places.put((*parent_path, "parts", len(parts)), sheet, row, name_col, "指标")
        parts.append(entry)
        # “其中：” lists some of the whole, not necessarily all of it: the parts need not add up.
        parent["parts_exact"] = False
        return
    metric: dict[str, Any] = {"name": name, **_metric_fields(value)}
    for key, header in (("previous", "上年"), ("target", "目标")):
        if key in columns:
            other = _number(sheet, row, columns[key], header, problems)
            if other is not None:
                metric.update(_metric_fields(other, key))
    if "unit" in columns:
        unit = sheet.value(row, columns["unit"])
        if unit is not None:
            metric["unit"] = text_of(unit)
    metrics = category.setdefault("metrics", [])
    path = (index, "metrics", len(metrics))
    places.put(path, sheet, row, name_col, "指标")
    places.put((*path, "value"), sheet, row, columns["value"], "本年")
    metrics.append(metric)
    state.last_metric = (index, metric, path)
    if "note" in columns:
        note = sheet.value(row, columns["note"])
        if note is not None:
            items = category.setdefault("items", [])
            places.put((index, "items", len(items)), sheet, row, columns["note"], "说明")
            items.append(text_of(note))


def _columns(sheet: Sheet, at: int, known: dict[str, str], problems: Problems,
             table: dict[str, tuple[str, ...]], what: str) -> dict[str, int]:
    """Header row → field name → column; unknown or repeated headers are located problems with a did-you-mean."""
    from .grid import suggest as closest

    columns: dict[str, int] = {}
    choices = [n for names in table.values() for n in names]
    for column, value in enumerate(sheet.rows[at]):
        if value is None:
            continue
        key = _key(value)
        field_name = known.get(key)
        if field_name is None:
            guess = closest(text_of(value), choices)
            hint = f"是不是想写“{guess}”？" if guess else ""
            hint += f"{what}的列是：{'、'.join(names[0] for names in table.values())}"
            problems.add(sheet, at, column, f"不认识的列名“{text_of(value)}”", hint=hint)
        elif field_name in columns:
            problems.add(sheet, at, column, f"列名“{text_of(value)}”和 {sheet.where(at, columns[field_name]).split()[-1]} "
                         "是同一列", hint="请删去重复的一列")
        else:
            columns[field_name] = column
    return columns


# --------------------------------------------------------------------------- departments sheet


@dataclass
class Row:
    """One report of a departments sheet: its data, the key (部门名称) and where each value came from."""

    key: str
    data: dict[str, Any]
    places: Places
    where: str


def departments(sheet: Sheet, problems: Problems) -> list[Row]:
    """A departments sheet → one report's data per row (figures under the category 主要指标)."""
    from .grid import suggest as closest

    at = next(i for i, row in enumerate(sheet.rows) if any(v is not None for v in row))
    header = sheet.rows[at]
    first = next(c for c, v in enumerate(header) if v is not None)
    key_path = DEPARTMENT_KEYS[_key(header[first])]
    key_name = text_of(header[first])
    text_columns: dict[int, Path] = {}
    figure_columns: dict[int, tuple[str, str]] = {}
    seen_paths: dict[Path, int] = {key_path: first}
    for column, value in enumerate(header):
        if value is None or column == first:
            continue
        key = _key(value)
        if key in _TEXT:
            path = _TEXT[key]
            if path in seen_paths:
                problems.add(sheet, at, column, f"列名“{text_of(value)}”和 {sheet.where(at, seen_paths[path]).split()[-1]} "
                             "是同一项", hint="请删去重复的一列")
                continue
            seen_paths[path] = column
            text_columns[column] = path
            continue
        label = text_of(value)
        match = _UNIT_IN_HEADER.match(label)
        figure_columns[column] = (match.group(1), match.group(2)) if match else (label, "")
    # A figure column holding text is most likely a misspelt text column: say so once, at its header.
    for column, (label, _unit) in list(figure_columns.items()):
        texts = [r for r in range(at + 1, len(sheet.rows)) if isinstance(sheet.value(r, column), str)
                 and number_in_text(str(sheet.value(r, column))) is None]
        if texts:
            names = [n for names in TEXT_FIELDS.values() for n in names if not n.isascii()]
            guess = closest(label, names)
            if guess or len(texts) > 1:
                hint = (f"是不是想写“{guess}”？" if guess else "") + (
                    "文字列的列名：" + "、".join(names[0] for names in TEXT_FIELDS.values() if names[0] != key_name)
                    + "；其余的列是指标，只能填数字")
                problems.add(sheet, at, column, f"不认识的列名“{text_of(header[column])}”（这一列填的是文字）", hint=hint)
                del figure_columns[column]
    rows: list[Row] = []
    first_seen: dict[str, int] = {}
    for row in range(at + 1, len(sheet.rows)):
        if all(v is None for v in sheet.rows[row]):
            continue
        value = sheet.value(row, first)
        merge = _covered(sheet, row, first)
        if merge:
            problems.add(sheet, row, first, f"{key_name}名称在合并单元格（{merge}）里，每一行应是一份报告",
                         hint=f"请取消合并，每一行写上{key_name}名称", header=key_name)
            continue
        if value is None:
            problems.add(sheet, row, first, f"{key_name}名称是空的", header=key_name,
                         hint=f"每一行是一份报告，请写上{key_name}名称；不需要的行请整行删除")
            continue
        key = text_of(value)
        folded = key.casefold()
        if folded in first_seen:
            problems.add(sheet, row, first, f"{key_name}“{key}”重复了（{sheet.where(first_seen[folded], first).split()[-1]} "
                         "已经有这个名称）", header=key_name,
                         hint="每个部门只写一行；若是两个不同的部门，请写出全称以示区别")
            continue
        first_seen[folded] = row
        data: dict[str, Any] = {}
        places = Places()
        places.put(_set(data, key_path, key), sheet, row, first, key_name)
        for column, path in text_columns.items():
            if _covered(sheet, row, column):
                continue  # text merged over rows: the same text is meant for the rows below, see below
            text = _text_cell(sheet, row, column, path)
            if text is not None:
                places.put(_set(data, path, text), sheet, row, column, text_of(header[column]))
        for column, path in text_columns.items():  # merged text cells: the top cell's text for every row
            merge = _covered(sheet, row, column)
            if merge:
                top = parse_ref(merge.split(":")[0])
                if top is not None:
                    r, c = top[0] - sheet.origin[0], top[1] - sheet.origin[1]
                    text = _text_cell(sheet, r, c, path)
                    if text is not None:
                        places.put(_set(data, path, text), sheet, r, c, text_of(header[column]))
        metrics: list[dict[str, Any]] = []
        for column, (label, unit) in figure_columns.items():
            number = _number(sheet, row, column, text_of(header[column]), problems)
            if number is None:
                continue
            metric = {"name": label, **_metric_fields(number)}
            if unit:
                metric["unit"] = unit
            places.put(("achievements", 0, "metrics", len(metrics)), sheet, row, column, text_of(header[column]))
            metrics.append(metric)
        if metrics:
            data["achievements"] = [{"heading": DEPARTMENT_FIGURES, "metrics": metrics}]
        rows.append(Row(key, data, places, sheet.where(row, first)))
    return rows


# --------------------------------------------------------------------------- notes sheet


def notes(sheet: Sheet, problems: Problems) -> tuple[dict[str, Any], Places, list[tuple[str, str, str]]]:
    """A 说明 sheet (项目 | 内容) → shared data; also the tables it names: (sheet or range, caption, where)."""
    from .grid import suggest as closest

    data: dict[str, Any] = {}
    places = Places()
    tables: list[tuple[str, str, str]] = []
    start = 0
    for index, row in enumerate(sheet.rows[:10]):
        cells = [_key(v) for v in row if v is not None]
        if len(cells) >= 2 and cells[0] in NOTE_HEADERS[0] and cells[1] in NOTE_HEADERS[1]:
            start = index + 1
            break
    seen: dict[Path, int] = {}
    for row in range(start, len(sheet.rows)):
        cells = sheet.rows[row]
        filled = [(c, v) for c, v in enumerate(cells) if v is not None]
        if not filled:
            continue
        column, label = filled[0]
        value_column = column + 1
        key = _key(label)
        if key in {_key(k) for k in TABLE_KEYS}:
            target = sheet.value(row, value_column)
            if target is None:
                problems.add(sheet, row, value_column, "统计表要写出工作表名，如“人员结构”或“人员结构!A1:D8”")
            else:
                # No caption written: the sheet's name is one (a statistics table has a caption, GB/T 9704).
                caption = text_of(sheet.value(row, value_column + 1)) or text_of(target).replace(
                    "！", "!").split("!")[0].strip()
                tables.append((text_of(target), caption, sheet.where(row, value_column)))
            continue
        path = _TEXT.get(key)
        if path is None:
            names = [n for names in TEXT_FIELDS.values() for n in names if not n.isascii()]
            guess = closest(text_of(label), names)
            problems.add(sheet, row, column, f"不认识的项目“{text_of(label)}”",
                         hint=(f"是不是想写“{guess}”？" if guess else "")
                         + "可以写的项目：" + "、".join(names[0] for names in TEXT_FIELDS.values()))
            continue
        text = _text_cell(sheet, row, value_column, path)
        if text is None:
            problems.add(sheet, row, value_column, f"“{text_of(label)}”的内容是空的",
                         hint="请在右边一格填写内容；不需要的项目请整行删除")
            continue
        if path in seen and path not in _LISTS:
            problems.add(sheet, row, column, f"“{text_of(label)}”写了两次（另一处在 {sheet.where(seen[path], column).split()[-1]}）",
                         hint="请只保留一行")
            continue
        seen[path] = row
        places.put(_set(data, path, text), sheet, row, value_column, text_of(label))
    return data, places, tables


# --------------------------------------------------------------------------- a sheet as a table


def cut(sheet: Sheet, cells: str, where: str, problems: Problems) -> Sheet | None:
    """The part of a sheet a range such as ``A1:D8`` names (None, with a problem, when it is not a range)."""
    ends = cells.replace("：", ":").split(":")
    refs = [parse_ref(e) for e in ends]
    if len(refs) != 2 or refs[0] is None or refs[1] is None:
        problems.at(where, f"单元格范围“{cells}”写法不对", hint="请写成左上角和右下角两个单元格，如 A1:D8")
        return None
    (r1, c1), (r2, c2) = refs[0], refs[1]
    r1, r2 = sorted((r1, r2))
    c1, c2 = sorted((c1, c2))
    rows = [[sheet.value(r, c) for c in range(c1, c2 + 1)] for r in range(r1, r2 + 1)]
    return Sheet(sheet.file, sheet.name, rows, sheet.covered, (r1, c1))


def table(sheet: Sheet, where: str, problems: Problems) -> dict[str, Any] | None:
    """A sheet (or range) → a ``tables:`` entry: the first non-empty row is the header, cells as text."""
    rows = [row for row in sheet.rows if any(v is not None for v in row)]
    if not rows:
        problems.at(where, f"{sheet.label()}{'的这个范围' if sheet.origin != (0, 0) else ''}是空的，不能作为统计表",
                    hint="请确认工作表名和单元格范围")
        return None
    width = max(len(row) for row in rows)
    while width and all((row[width - 1] if width - 1 < len(row) else None) is None for row in rows):
        width -= 1
    header = [text_of(row) for row in (rows[0] + [None] * width)[:width]]
    body = [[text_of(v) for v in (row + [None] * width)[:width]] for row in rows[1:]]
    return {"columns": header, "rows": body}
