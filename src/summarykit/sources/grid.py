"""A sheet as plain values with places: what the xlsx and csv readers produce and layouts.py reads.

Both readers end here so that the layouts (figures, departments, notes, tables) are written
once, whatever file the grid came from, and so that a program holding rows in memory can build
a grid without any file.  A cell keeps Excel's meaning, not its storage: a percentage is a
``Percent`` (95.6, not 0.956), a date serial is a date; every problem is located by
``Sheet.where`` as people name a cell — ``数据.xlsx 工作表“指标” C7``.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..errors import Problem


@dataclass(frozen=True)
class Percent:
    """A cell shown as a percentage: ``number`` is what the reader sees (95.6 for 0.956 shown as 95.6%)."""

    number: float | int

    def __str__(self) -> str:
        return f"{number_text(self.number)}%"


@dataclass(frozen=True)
class Approx:
    """A number typed with a qualifier, such as 约1200 or 1200余: the number and the word kept apart."""

    number: float | int
    word: str


Value = str | int | float | dt.date | Percent | Approx | None


@dataclass
class Sheet:
    """One sheet (or one CSV file): rows of values, and the cells a merge covers.

    ``covered`` maps (row, column) — 0-based — of every cell hidden under a merge
    (not its top-left cell) to the merge's range (``B3:B5``), so that a layout can
    fill a label down or refuse a merged number, as each needs.
    """

    file: str
    name: str  # "" for a CSV file, which has a single unnamed sheet
    rows: list[list[Value]]
    covered: dict[tuple[int, int], str] = field(default_factory=dict)
    origin: tuple[int, int] = (0, 0)  # (row, column) of rows[0][0] in the sheet, for a cut-out range

    def where(self, row: int, column: int) -> str:
        """``数据.xlsx 工作表“指标” C7`` for 0-based (row, column) of ``rows``."""
        ref = cell_ref(row + self.origin[0], column + self.origin[1])
        return f"{self.file} 工作表“{self.name}” {ref}" if self.name else f"{self.file} {ref}"

    def label(self) -> str:
        return f"{self.file} 工作表“{self.name}”" if self.name else self.file

    def value(self, row: int, column: int) -> Value:
        cells = self.rows[row] if row < len(self.rows) else []
        return cells[column] if column < len(cells) else None


def column_letters(column: int) -> str:
    """0 → A, 25 → Z, 26 → AA (Excel's column names)."""
    letters = ""
    column += 1
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def cell_ref(row: int, column: int) -> str:
    """0-based (row, column) → ``C7``."""
    return f"{column_letters(column)}{row + 1}"


_REF = re.compile(r"^\s*([A-Za-z]{1,3})(\d{1,7})\s*$")


def parse_ref(text: str) -> tuple[int, int] | None:
    """``C7`` → (6, 2); None when it is not a cell name."""
    match = _REF.match(text)
    if not match:
        return None
    column = 0
    for char in match.group(1).upper():
        column = column * 26 + ord(char) - 64
    return int(match.group(2)) - 1, column - 1


def number_text(number: float | int) -> str:
    """A number as people write it: 1234, 95.6 — no float noise (0.956 × 100 = 95.60000000000001)."""
    if isinstance(number, float):
        number = round(number, 10)
        if number.is_integer():
            return str(int(number))
        return f"{number:.10f}".rstrip("0").rstrip(".")
    return str(number)


def text_of(value: Value) -> str:
    """Any cell as the text a table shows (a date as 2026年1月20日, a percentage as 95.6%)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int | float):
        return number_text(value)
    if isinstance(value, dt.datetime):
        value = value.date() if value.time() == dt.time() else value
        if isinstance(value, dt.datetime):
            return f"{value.year}年{value.month}月{value.day}日 {value:%H:%M}"
    if isinstance(value, dt.date):
        return f"{value.year}年{value.month}月{value.day}日"
    if isinstance(value, Approx):
        return f"{value.word}{number_text(value.number)}" if value.word in {"约", "近", "超", "逾"} else (
            f"{number_text(value.number)}{value.word}")
    return str(value).strip()


# Numbers typed as text (a CSV, or a cell formatted as text): 1,234 / １２３４ / 95.6% / 约1200 / 1200余.
_NUMBER = re.compile(r"^([+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)$")
_APPROX_BEFORE = ("约", "近", "超", "逾", "大约", "将近", "超过")
_APPROX_AFTER = ("余", "多", "左右", "以上")


def number_in_text(text: str) -> int | float | Percent | Approx | None:
    """The number a text cell holds, or None when it is not one (暂无, 一千, 12件)."""
    normal = unicodedata.normalize("NFKC", text).strip().replace(" ", "")
    if not normal:
        return None
    for word in sorted(_APPROX_BEFORE, key=len, reverse=True):
        if normal.startswith(word):
            inner = number_in_text(normal[len(word):])
            return Approx(inner, word) if isinstance(inner, int | float) else None
    for word in _APPROX_AFTER:
        if normal.endswith(word) and len(normal) > len(word):
            inner = number_in_text(normal[: -len(word)])
            return Approx(inner, word) if isinstance(inner, int | float) else None
    if normal.endswith("%"):
        inner = number_in_text(normal[:-1])
        return Percent(inner) if isinstance(inner, int | float) else None
    match = _NUMBER.match(normal)
    if not match:
        return None
    digits = match.group(1).replace(",", "")
    number = float(digits)
    return int(number) if "." not in digits and number.is_integer() else number


def plain_number(value: float | int) -> float | int:
    """Excel stores every number as a float: 1234.0 is the integer 1234."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return int(value)
    return value


def sheet_from_rows(rows: Sequence[Mapping[str, Any] | Sequence[Any]], name: str = "<数据>",
                    sheet: str = "") -> Sheet:
    """Rows a program already holds → a Sheet: mappings (header → value) or lists with a header row first.

    Text values are read like CSV cells (``"95.6%"`` is a percentage), numbers and
    dates are kept, so the same layouts apply to data that never was a file.
    """
    grid: list[list[Value]] = []
    mappings = [row for row in rows if isinstance(row, Mapping)]
    if mappings and len(mappings) == len(rows):
        header: list[str] = []
        for row in mappings:
            header.extend(str(k) for k in row if str(k) not in header)
        grid.append(list(header))
        for row in mappings:
            keyed = {str(k): v for k, v in row.items()}
            grid.append([_program_value(keyed.get(h)) for h in header])
    else:
        for row in rows:
            if isinstance(row, Mapping) or isinstance(row, str | bytes):
                raise TypeError("rows must all be mappings (header → value), or all be lists of cells")
            grid.append([_program_value(v) for v in row])
    return Sheet(name, sheet, grid)


def _program_value(value: Any) -> Value:
    if value is None or isinstance(value, Percent | Approx | dt.date):
        return value
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int | float):
        return plain_number(value)
    text = str(value)
    found = number_in_text(text)
    return found if found is not None else text.strip() or None


def suggest(word: str, choices: list[str]) -> str | None:
    """Did-you-mean for a header, an item or a sheet name (zh/suggest.py decides, as everywhere).

    Sheet headers are mostly two Chinese characters, where one wrong character (问提 for 问题,
    单价 for 单位) is a difflib ratio of 0.5: for such short words that is close enough.
    """
    from ..zh.suggest import CUTOFF, did_you_mean

    short = len(word.strip()) <= 3 and any(ord(ch) > 0x2E80 for ch in word)
    return did_you_mean(word, choices, cutoff=0.5 if short else CUTOFF)


@dataclass
class Problems:
    """Problems found in a sheet, collected so that one run reports all of them."""

    items: list[Problem] = field(default_factory=list)

    def add(self, sheet: Sheet, row: int, column: int, message: str, hint: str = "", header: str = "") -> None:
        path = f"“{header}”列" if header else ""
        self.items.append(Problem(message, file=sheet.where(row, column), path=path, hint=hint))

    def at(self, where: str, message: str, hint: str = "") -> None:
        self.items.append(Problem(message, file=where, hint=hint))

    def __bool__(self) -> bool:
        return bool(self.items)
