"""Outline labels read back: 一、 （一） 1. 1、 （1） ① (and pasted 1）), with their number and the text after.

The numbering pass writes labels (tree/numbering.py); import, check and validation read them
back, here, so all three agree on what a label is.
"""

from __future__ import annotations

import re

from .numerals import CIRCLED as _CIRCLED
from .numerals import cn_to_int

_CN_NUM = "零〇一二三四五六七八九十百千万两"
_N_PAREN = re.compile(r"^(\d{1,2})\s*[)）]\s*(?=\S)")  # pasted text: 1）
_CHAPTER = re.compile(r"^第[一二三四五六七八九十]+[章节部分]")
LABEL_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("cn", re.compile(f"^([{_CN_NUM}]+)[、，,.．]\\s*")),
    ("paren-cn", re.compile(f"^[（(]([{_CN_NUM}]+)[）)]\\s*")),
    ("paren-n", re.compile(r"^[（(](\d{1,3})[）)]\s*")),
    ("circled", re.compile(f"^([{_CIRCLED}])\\s*")),
    ("n-dun", re.compile(r"^(\d{1,3})、\s*")),
    ("n-dot", re.compile(r"^(\d{1,3})[.．](?!\d)\s*")),
)

# The first character of every pattern above, of _N_PAREN and of _ENUMERATOR below: text starting otherwise has no label.
LABEL_START = re.compile(f"[{_CN_NUM}（(\\d{_CIRCLED}]")


def parse_label(line: str, *, pasted: bool = False) -> tuple[str, int, str] | None:
    """'（一）中央国家机关…' → ('paren-cn', 1, '中央国家机关…'); None when the line has no label.

    Kinds: cn 一、, paren-cn （一）, n-dot 1., n-dun 1、, paren-n （1）, circled ①; with ``pasted``
    also n-paren 1） (pasted text's half bracket).  Full- and half-width brackets and dots are
    accepted, as pasted text mixes them.  "一是" / "一方面" are words, not labels.
    """
    text = line.strip()
    if not LABEL_START.match(text):
        return None  # every label (and a pasted 1）) starts with one of these: the common case, decided at once
    for kind, pattern in LABEL_PATTERNS:
        match = pattern.match(text)
        if not match:
            continue
        raw = match.group(1)
        rest = text[match.end():]
        if kind in {"cn", "paren-cn"}:
            try:
                number = cn_to_int(raw)
            except ValueError:
                continue
            if kind == "cn" and (not rest or (raw in {"一", "两"} and rest[:1] in "是方则来")):
                continue
        elif kind == "circled":
            number = _CIRCLED.index(raw) + 1
        else:
            number = int(raw)
        if not rest:
            continue
        return kind, number, rest
    if pasted:
        match = _N_PAREN.match(text)
        if match and text[match.end():].strip():
            return "n-paren", int(match.group(1)), text[match.end():].strip()
    return None


#: The label families a reader tells apart when it checks an outline (一、 vs 1. vs （一）…).
FAMILIES = {"cn": "cn", "paren-cn": "paren-cn", "paren-n": "paren-digit", "n-paren": "paren-digit",
            "n-dun": "digit", "n-dot": "digit", "circled": "circled"}


def label_family(line: str) -> str:
    """Which family a line's label belongs to — chapter (第一章), cn, paren-cn, digit, paren-digit,
    circled — or "" for a line without one."""
    text = line.strip()
    if _CHAPTER.match(text):
        return "chapter"
    found = parse_label(text, pasted=True)
    return FAMILIES[found[0]] if found else ""


def strip_label(line: str) -> str:
    """The text after a line's label (一、总体情况 → 总体情况); the line itself when it has none."""
    text = line.strip()
    chapter = _CHAPTER.match(text)
    if chapter:
        return text[chapter.end():].lstrip()
    found = parse_label(text, pasted=True)
    return found[2] if found else text


_ENUMERATOR = re.compile(f"^([{_CN_NUM}]+)是(?=[^，,、是])\\s*")


def parse_enumerator(line: str) -> tuple[int, str] | None:
    """'二是加强管理' → (2, '加强管理'): an in-text enumerator typed where the template adds its own.

    Kept apart from parse_label because 一是 opens a sentence of prose as often as a list point:
    only records' items, which the templates enumerate themselves, are read this way.
    """
    text = line.strip()
    match = _ENUMERATOR.match(text)
    if not match or not text[match.end():]:
        return None
    try:
        return cn_to_int(match.group(1)), text[match.end():]
    except ValueError:
        return None


#: The level each kind of typed label belongs to in the default outline (一、 → 1 … ① → 5).
LABEL_LEVELS: dict[str, int] = {"cn": 1, "paren-cn": 2, "n-dot": 3, "n-dun": 3, "paren-n": 4, "n-paren": 4,
                                "circled": 5}
