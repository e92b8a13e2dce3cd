"""An Excel workbook (.xlsx) → Sheets of values as Excel shows them, read with openpyxl.

openpyxl, not python-calamine: calamine is faster on big sheets, but it does not give a cell's
number format, and the format is what says that 0.956 is 95.6% and that 46042 is a date; a
records workbook is small (a few hundred cells), where openpyxl reads in milliseconds.  It is pure
Python (nothing to compile on an office PC) and widely kept.  It is imported when a workbook is
read, never by ``import summarykit``.

Formulas: openpyxl gives either the formula or the value Excel saved with it ("cached"), never
both.  The workbook is read for values; only when a sheet holds formulas (``<f>`` in its XML) is
it read a second time, fast and read-only, to find formulas saved without a value — a workbook
written by a program and never opened in Excel — which are located errors saying to open and save
the file in Excel or WPS.  A formula whose saved value is an error (#DIV/0!) is a located error too.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from typing import Any

from ..errors import Problem, RecordsError
from ..records.decoding import _fail
from .grid import Percent, Problems, Sheet, Value, plain_number

#: A workbook with pictures or charts is larger than a YAML file may be; its cells are still few.
MAX_WORKBOOK_BYTES = 50 * 1024 * 1024
#: The sheets' XML (cells, shared strings) once decompressed: a records workbook has a few hundred
#: cells, some kilobytes; 30 MB is some 300 000 cells.  More is a zip bomb, or not a records workbook.
MAX_WORKBOOK_XML = 30 * 1024 * 1024
MAX_WORKBOOK_PARTS = 10_000
#: Cells a sheet may span (its used range, rows × columns): one stray cell at XFD1048576 makes a
#: five-kilobyte file span seventeen thousand million cells, which reading one by one never ends.
MAX_SHEET_CELLS = 1_000_000
_ERRORS = {"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA", "#SPILL!", "#CALC!"}
_FORMULA = re.compile(rb"<(?:\w+:)?f[ >/]")


def read_workbook(data: bytes, name: str) -> list[Sheet]:
    """Every sheet of a workbook, in order.  Raises RecordsError naming every bad cell at once."""
    try:
        import openpyxl
    except ImportError:  # pragma: no cover - a dependency; a broken install still gets a message
        raise _fail(name, "读取 Excel 文件需要 openpyxl，但它没有安装",
                    hint="请运行 `pip install openpyxl` 后再试") from None
    _check_expanded_size(data, name)
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError) as exc:
        raise _fail(name, f"这个 Excel 文件已损坏，无法读取（{type(exc).__name__}）",
                    hint="请用 Excel 或 WPS 打开它；能打开的话“另存为”一份新的 .xlsx 再试") from None
    for ws in book.worksheets:
        _check_span(ws, name)
    problems = Problems()
    formulas = _formula_cells(data, name) if _has_formulas(data) else {}
    sheets = []
    for ws in book.worksheets:
        sheet = _read_sheet(ws, name, formulas.get(ws.title, set()), problems)
        sheets.append(sheet)
    if problems:
        raise RecordsError.collect(name, problems.items)
    return sheets


def _check_expanded_size(data: bytes, name: str) -> None:
    """Refuse a workbook whose parts would inflate beyond the limits, from the zip directory alone.

    zipfile never returns more than a member's declared size, so the declared sizes bound what
    reading can cost.  A file that is not a zip is left to openpyxl, which says it is damaged.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return
    if len(members) > MAX_WORKBOOK_PARTS:
        raise _fail(name, f"文件里有 {len(members)} 个部件，超过了上限 {MAX_WORKBOOK_PARTS} 个；这不像一份正常的 Excel 工作簿",
                    hint="请用 Excel 或 WPS 打开它，把用到的工作表复制到一个新工作簿")
    xml = sum(m.file_size for m in members if m.filename.endswith((".xml", ".rels")))
    if xml > MAX_WORKBOOK_XML:
        raise _fail(name, f"工作簿的表格部分解压后有 {xml // 1024 // 1024} MB，超过了上限 "
                          f"{MAX_WORKBOOK_XML // 1024 // 1024} MB（可能是压缩炸弹，或不是记录用的工作簿）",
                    hint="记录用的工作簿只有几百个单元格：请把用到的工作表复制到一个新工作簿")


def _check_span(ws: Any, name: str) -> None:
    """Refuse a sheet whose used range spans more than MAX_SHEET_CELLS cells, before reading them."""
    rows, columns = ws.max_row or 0, ws.max_column or 0
    if rows * columns > MAX_SHEET_CELLS:
        from .grid import column_letters

        corner = f"{column_letters(columns - 1)}{rows}"
        raise RecordsError.collect(name, [Problem(
            f"工作表“{ws.title}”用到的范围是 A1:{corner}（{rows} 行 × {columns} 列），超过了上限 {MAX_SHEET_CELLS} 个单元格",
            file=name, hint=f"多半是远处的单元格（如 {corner}）里有内容或格式：请选中多余的行和列整行整列删除，保存后再试")])


def _has_formulas(data: bytes) -> bool:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for info in archive.infolist():
            if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml"):
                if _FORMULA.search(archive.read(info)):
                    return True
    return False


def _formula_cells(data: bytes, name: str) -> dict[str, set[tuple[int, int]]]:
    """(row, column), 0-based, of every formula cell, per sheet title."""
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    found: dict[str, set[tuple[int, int]]] = {}
    try:
        for ws in book.worksheets:
            cells: set[tuple[int, int]] = set()
            for row in ws.iter_rows():
                for cell in row:
                    if getattr(cell, "data_type", "") == "f" or (
                            isinstance(cell.value, str) and cell.value.startswith("=")):
                        cells.add((cell.row - 1, cell.column - 1))
            found[ws.title] = cells
    finally:
        book.close()
    return found


def _read_sheet(ws: Any, name: str, formulas: set[tuple[int, int]], problems: Problems) -> Sheet:
    covered: dict[tuple[int, int], str] = {}
    for merged in ws.merged_cells.ranges:
        ref = merged.coord
        for row in range(merged.min_row, merged.max_row + 1):
            for column in range(merged.min_col, merged.max_col + 1):
                if (row, column) != (merged.min_row, merged.min_col):
                    covered[(row - 1, column - 1)] = ref
    sheet = Sheet(name, ws.title, [], covered)
    rows: list[list[Value]] = []
    for cells in ws.iter_rows():
        values: list[Value] = []
        for cell in cells:
            place = (cell.row - 1, cell.column - 1)
            value = _cell_value(cell)
            if place in formulas:
                if value is None:
                    problems.add(sheet, *place, "公式没有保存计算结果（文件可能是程序生成的，还没有在 Excel 或 WPS 里保存过）",
                                 hint="请用 Excel 或 WPS 打开这个文件，保存一次再试：保存时才会写入公式的结果")
                elif isinstance(value, str) and value in _ERRORS:
                    problems.add(sheet, *place, f"公式的结果是错误值 {value}",
                                 hint="请在 Excel 里检查这个公式（例如除数为 0、引用的单元格被删除），改好后保存")
                    value = None
            elif isinstance(value, str) and value in _ERRORS and cell.data_type == "e":
                problems.add(sheet, *place, f"单元格是错误值 {value}", hint="请在 Excel 里改成数值或文字")
                value = None
            values.append(value)
        rows.append(values)
    while rows and all(v is None for v in rows[-1]):
        rows.pop()
    sheet.rows = rows
    return sheet


def _cell_value(cell: Any) -> Value:
    """A cell as Excel shows it: percent formats as Percent, date serials as dates, 1234.0 as 1234."""
    value = cell.value
    if value is None:
        return None
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dt.datetime):
        return value.date() if value.time() == dt.time() else value
    if isinstance(value, dt.date):
        return value
    if isinstance(value, dt.time | dt.timedelta):
        return str(value)
    if isinstance(value, int | float):
        if "%" in (cell.number_format or ""):
            return Percent(plain_number(round(value * 100, 10)))
        return plain_number(value)
    text = str(value).strip()
    return text or None
