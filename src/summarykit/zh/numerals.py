"""Chinese numerals, both ways: 101 → 一百零一 and back, digit-by-digit years, circled numbers.

Labels (一、), dates (二〇二六年), numbers in text (check's GB/T 15835 advice) and Word's own
numbering formats all need these; they live here once.
"""

from __future__ import annotations

import functools

_DIGITS = "零一二三四五六七八九"
_UNITS = ["", "十", "百", "千"]
_BIG_UNITS = ["", "万", "亿"]


@functools.lru_cache(maxsize=1024)
def cn_number(n: int) -> str:
    """Integer → Chinese numerals as written in documents: 十一, 二十, 一百零一, 一千零五十."""
    if n < 0:
        return "负" + cn_number(-n)
    if n == 0:
        return "零"
    groups: list[int] = []
    while n:
        groups.append(n % 10000)
        n //= 10000
    out = ""
    zero_pending = False
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if group == 0:
            zero_pending = bool(out)
            continue
        if out and (zero_pending or group < 1000):
            out += "零"
        out += _four(group) + _BIG_UNITS[index]
        zero_pending = False
    if out.startswith("一十"):
        out = out[1:]  # 十一, not 一十一
    return out


def _four(n: int) -> str:
    digits = [int(d) for d in f"{n:04d}"]
    out = ""
    zero = False
    started = False
    for position, digit in enumerate(digits):
        unit = _UNITS[3 - position]
        if digit == 0:
            zero = started
            continue
        if zero:
            out += "零"
            zero = False
        out += _DIGITS[digit] + unit
        started = True
    return out


CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def circled(n: int) -> str:
    """① … ⑳, then (21) style beyond what Unicode has."""
    return CIRCLED[n - 1] if 1 <= n <= len(CIRCLED) else f"({n})"


def cn_digits(n: int) -> str:
    """2026 → 二〇二六 (digit by digit, for years in the 1999-style date)."""
    return "".join("〇一二三四五六七八九"[int(d)] for d in str(n))


#: Values of the characters Chinese numerals are written with (两 and 〇 included).
DIGIT_VALUES = {"零": 0, "〇": 0, "○": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
                "八": 8, "九": 9}
UNIT_VALUES = {"十": 10, "百": 100, "千": 1000}
BIG_UNIT_VALUES = {"万": 10_000, "亿": 100_000_000}
#: Every character a Chinese numeral may contain.
NUMERAL_CHARS = "".join(DIGIT_VALUES) + "".join(UNIT_VALUES) + "".join(BIG_UNIT_VALUES)


def cn_to_int(text: str) -> int:
    """Chinese numeral → int: 十二 → 12, 二百三十五 → 235, 一百零五 → 105, 三万五千 → 35000.

    Raises ValueError for what is not one exact number: approximations (三五天, 七八个), years written
    digit by digit (二〇二六: use ``digits_to_int``), empty text or other characters.
    """
    if not text:
        raise ValueError(text)
    total = section = 0
    number: int | None = None
    previous: int | None = None
    for ch in text:
        if ch in DIGIT_VALUES:
            value = DIGIT_VALUES[ch]
            if previous is not None and previous != 0 and value != 0:
                raise ValueError(text)  # two digits in a row
            number = previous = value
        elif ch in UNIT_VALUES:
            section += (number if number is not None else 1) * UNIT_VALUES[ch]
            number = previous = None
        elif ch in BIG_UNIT_VALUES:
            section += number or 0
            total += (section or 1) * BIG_UNIT_VALUES[ch]
            section, number, previous = 0, None, None
        else:
            raise ValueError(text)
    return total + section + (number or 0)


def digits_to_int(text: str) -> int:
    """A number written digit by digit (二〇二六 → 2026); ValueError for anything else."""
    if not text or any(ch not in DIGIT_VALUES for ch in text):
        raise ValueError(text)
    return int("".join(str(DIGIT_VALUES[ch]) for ch in text))
