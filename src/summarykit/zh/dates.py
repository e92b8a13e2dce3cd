"""Dates as Chinese documents write them: read (2026年1月20日, 2026-01-20, 二〇二六年一月二十日) and written.

Records (meta.date), import (a signature's date line), check (dates written the wrong way) and the
templates' ``cn_date`` filter all go through these patterns and functions.
"""

from __future__ import annotations

import datetime as dt
import re

from .numerals import cn_digits, cn_number, cn_to_int

#: The three ways a full date is written; each pattern has three groups (year, month, day).
ARABIC = r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日"
ISO = r"(\d{4})\s*[-/.．]\s*(\d{1,2})\s*[-/.．]\s*(\d{1,2})"
HANZI = r"([〇○零Ｏ一二三四五六七八九]{4})\s*年\s*([一二三四五六七八九十]{1,3})\s*月\s*([一二三四五六七八九十]{1,3})\s*日"
#: Any of them (nine groups, three of them set): for finding a date inside a longer line.
ANY = f"(?:{ARABIC}|{ISO}|{HANZI})"

_YEAR_DIGITS = {c: str(i) for i, c in enumerate("〇一二三四五六七八九")} | {"○": "0", "零": "0", "Ｏ": "0", "O": "0"}
_WHOLE = {form: re.compile(f"^\\s*{pattern}\\s*$") for form, pattern in
          (("arabic", ARABIC), ("iso", ISO), ("hanzi", HANZI))}


def date_parts(groups: tuple[str | None, ...] | list[str | None]) -> tuple[int, int, int] | None:
    """(year, month, day) from the groups of one of the patterns above (or of ANY), else None."""
    values = [g for g in groups if g is not None]
    if len(values) != 3:
        return None
    year, month, day = values
    try:
        if not year.isdigit():
            return int("".join(_YEAR_DIGITS.get(c, c) for c in year)), cn_to_int(month), cn_to_int(day)
        return int(year), int(month), int(day)
    except ValueError:
        return None


def date_from_groups(groups: tuple[str | None, ...] | list[str | None]) -> dt.date | None:
    """The date the groups of a pattern above write, or None (also for an impossible date)."""
    parts = date_parts(groups)
    if parts is None:
        return None
    try:
        return dt.date(*parts)
    except ValueError:
        return None


def split_date(text: str, forms: tuple[str, ...] = ("arabic", "iso", "hanzi")) -> tuple[int, int, int] | None:
    """The (year, month, day) a whole text writes, in one of ``forms``; None if it writes no date.

    The numbers are not checked against the calendar (2026年2月30日 splits): the caller says what
    is wrong with an impossible date.
    """
    for form in forms:
        match = _WHOLE[form].match(text)
        if match:
            return date_parts(match.groups())
    return None


def parse_date_text(text: str, forms: tuple[str, ...] = ("arabic", "iso", "hanzi")) -> dt.date | None:
    """The date a whole text writes, or None (also for an impossible date such as 2026年2月30日)."""
    for form in forms:
        match = _WHOLE[form].match(text)
        if match:
            return date_from_groups(match.groups())
    return None


_DATE_TEXT = re.compile(r"^\s*(\d{4})\s*(?:[-/.年])\s*(\d{1,2})\s*(?:[-/.月])\s*(\d{1,2})\s*日?\s*$")


def cn_date(value: dt.date | str | None, style: str = "arabic") -> str:
    """A date as GB/T 9704 writes it: 2026年1月20日 (style "chinese": 二〇二六年一月二十日).

    Accepts a date, or text such as 2026-01-20, 2026/1/20, 2026.01.20 or
    2026年01月20日; other text is returned unchanged.
    """
    if value is None or value == "":
        return ""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, str):
        match = _DATE_TEXT.match(value.replace("\\", ""))
        if not match:
            return value
        try:
            value = dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        except ValueError:
            return match.string
    if style == "chinese":
        return f"{cn_digits(value.year)}年{cn_number(value.month)}月{cn_number(value.day)}日"
    return f"{value.year}年{value.month}月{value.day}日"
