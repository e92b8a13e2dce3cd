"""Chinese numerals, numbering schemes and the numbering pass.

Labels (一、（一）1.（1）①) are computed from heading levels by one pass over
the document tree, never typed in templates or records: sections can then be
added, dropped or reordered and every number stays right, and every writer
prints the same labels.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Mapping, Sequence

from .document import Block, Chart, Document, Heading, Image, ListItem

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


_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def circled(n: int) -> str:
    """① … ⑳, then (21) style beyond what Unicode has."""
    return _CIRCLED[n - 1] if 1 <= n <= len(_CIRCLED) else f"({n})"


def cn_digits(n: int) -> str:
    """2026 → 二〇二六 (digit by digit, for years in the 1999-style date)."""
    return "".join("〇一二三四五六七八九"[int(d)] for d in str(n))


# A label format: {cn} Chinese numeral, {n} Arabic, {circled} ①.
DEFAULT_SCHEME: tuple[str, ...] = ("{cn}、", "（{cn}）", "{n}.", "（{n}）", "{circled}")
SCHEMES: Mapping[str, tuple[str, ...]] = {
    "default": DEFAULT_SCHEME,
    "school": ("{cn}、", "（{cn}）", "{n}、", "（{n}）", "{circled}"),
}
MAX_LEVEL = len(DEFAULT_SCHEME)


def format_label(fmt: str, n: int) -> str:
    return fmt.format(cn=cn_number(n), n=n, circled=circled(n))


def resolve_scheme(name_or_formats: str | Sequence[str] | None, extra: Mapping[str, Sequence[str]] | None = None
                   ) -> tuple[str, ...]:
    """A scheme name (default, school, or one from a style file) → five label formats."""
    if name_or_formats is None:
        return DEFAULT_SCHEME
    if not isinstance(name_or_formats, str):
        formats = tuple(name_or_formats)
        return formats + DEFAULT_SCHEME[len(formats):]
    table = {**SCHEMES, **(extra or {})}
    if name_or_formats not in table:
        raise KeyError(name_or_formats)
    formats = tuple(table[name_or_formats])
    return formats + DEFAULT_SCHEME[len(formats):]


def number_blocks(blocks: Sequence[Block], scheme: Sequence[str]) -> list[Block]:
    """Give every Heading and ListItem its label from its level.

    A counter per level; a block at level L increments counter L and resets every
    deeper counter.  So numbering may start at any level (一、 followed directly by
    1、 items), and a heading at a shallower level restarts what lies below it.
    """
    counters = [0] * (MAX_LEVEL + 1)
    out: list[Block] = []
    for block in blocks:
        if isinstance(block, Heading | ListItem) and block.numbered:
            level = min(max(block.level, 1), MAX_LEVEL)
            counters[level] += 1
            for deeper in range(level + 1, MAX_LEVEL + 1):
                counters[deeper] = 0
            label = format_label(scheme[level - 1], counters[level])
            out.append(dataclasses.replace(block, label=label))
        elif isinstance(block, Heading):
            # An unnumbered heading (e.g. 参考文献) still closes the numbering below its level.
            for deeper in range(min(max(block.level, 1), MAX_LEVEL) + 1, MAX_LEVEL + 1):
                counters[deeper] = 0
            out.append(block)
        else:
            out.append(block)
    return out


def number_document(doc: Document) -> Document:
    """The numbering pass: a new Document whose headings and items carry labels."""
    return dataclasses.replace(doc, blocks=tuple(number_blocks(doc.blocks, doc.scheme)))


# --------------------------------------------------------------------------- reading labels back

_CN_NUM = "零〇一二三四五六七八九十百千万两"
LABEL_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("cn", re.compile(f"^([{_CN_NUM}]+)[、，,.．]\\s*")),
    ("paren-cn", re.compile(f"^[（(]([{_CN_NUM}]+)[）)]\\s*")),
    ("paren-n", re.compile(r"^[（(](\d{1,3})[）)]\s*")),
    ("circled", re.compile(f"^([{_CIRCLED}])\\s*")),
    ("n-dun", re.compile(r"^(\d{1,3})、\s*")),
    ("n-dot", re.compile(r"^(\d{1,3})[.．](?!\d)\s*")),
)


def number_figures(doc: Document) -> Document:
    """图1, 图2, …: pictures and charts with a caption, in document order (Word's SEQ 图 counts the same)."""
    count = 0
    blocks: list[Block] = []
    for block in doc.blocks:
        if isinstance(block, Image | Chart) and block.caption:
            count += 1
            block = dataclasses.replace(block, number=count)
        blocks.append(block)
    return dataclasses.replace(doc, blocks=tuple(blocks)) if count else doc


def cn_to_int(text: str) -> int:
    """Chinese numeral → int (一百零一 → 101); the inverse of cn_number for labels."""
    values = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0, "两": 2}
    units = {"十": 10, "百": 100, "千": 1000, "万": 10000}
    total, section, number = 0, 0, 0
    for ch in text:
        if ch in values:
            number = values[ch]
        elif ch in units:
            unit = units[ch]
            if unit == 10000:
                total += (section + number) * unit
                section = 0
            else:
                section += (number or 1) * unit
            number = 0
        else:
            raise ValueError(text)
    return total + section + number


def parse_label(line: str) -> tuple[str, int, str] | None:
    """'（一）中央国家机关…' → ('paren-cn', 1, '中央国家机关…'); None when the line has no label.

    Kinds: cn 一、, paren-cn （一）, n-dot 1., n-dun 1、, paren-n （1）, circled ①.
    Full- and half-width brackets and dots are accepted, as pasted text mixes them.
    """
    text = line.strip()
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
    return None
