"""Cleaning of record text on the way in: what cannot go into a DOCX, and web punctuation.

Text pasted from web pages and other programs carries control characters
(which make Word refuse the file) and half-width punctuation between Chinese
characters (which reviewers mark in red, GB/T 15834).  Both are fixed here, once,
with a notice saying where, so that every later stage sees clean text.  Numbers
(3.5, 3,500, 9:30), Latin names (ISO9001:2000) and URLs are left alone.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ..errors import Notice

CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
FULL_PUNCT = "，。；：？！、（）“”‘’《》〈〉【】—…～·"
# Patterns compiled on first use (re caches them): a CJK range costs a millisecond to compile at every
# start, and only text with line breaks or half-width punctuation needs them (not a plain render's).
_CJK_CHAR = f"[{CJK}]"
_CJKISH = f"[{CJK}{FULL_PUNCT}]"

# Characters XML 1.0 cannot hold (C0 controls, unpaired surrogates, U+FFFE/U+FFFF), plus DEL and the C1
# controls, which XML tolerates but which are never text: they come from pasting out of other programs.
_BAD_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")
# Every line break Python's str.splitlines() knows (NEL and the Unicode separators come in pasted text):
# one left inside a value would split a paragraph in two further down the pipeline.
_LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
_URL = re.compile(r"(?:https?|ftp)://\S+|www\.\S+|[\w.+-]+@[\w-]+\.[\w.]+")
_HALF_TO_FULL = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！"}
_PAREN = re.compile(r"\(([^()]*)\)")


def has_cjk(text: str) -> bool:
    return bool(re.search(_CJK_CHAR, text))


def remove_bad_chars(text: str) -> tuple[str, int]:
    """Drop characters that would corrupt a DOCX; tabs and form feeds become spaces."""
    text = text.replace("\t", " ").replace("\f", " ").replace("\v", " ")
    cleaned, count = _BAD_CHARS.subn("", text)
    return cleaned, count


def join_lines(text: str) -> str:
    """Lines of one paragraph (a wrapped YAML string) are joined: no space between Chinese characters."""
    if not _LINE_BREAK.search(text):
        return text
    parts = [p.strip() for p in _LINE_BREAK.split(text)]
    out = ""
    for part in parts:
        if not part:
            continue
        if out and not (re.match(_CJKISH, out[-1]) or re.match(_CJKISH, part[0])):
            out += " "
        out += part
    return out


def _neighbour(text: str | list[str], index: int, step: int) -> str:
    """The nearest non-space character before (step=-1) or after (step=1) ``index``."""
    i = index + step
    while 0 <= i < len(text) and text[i] == " ":
        i += step
    return text[i] if 0 <= i < len(text) else ""


def _is_latin(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def full_width_punctuation(text: str) -> tuple[str, int]:
    """Half-width , ; : ? ! ( ) " in Chinese text → full width.  Returns the text and how many changed."""
    if not has_cjk(text):
        return text, 0
    # Protect URLs and e-mail addresses by cutting them out first.
    pieces = _URL.split(text)
    urls = _URL.findall(text)
    count = 0
    out_pieces: list[str] = []
    for piece in pieces:
        # A converted mark can make its neighbour convertible ("中",, → "中",，): repeat until nothing
        # changes, so that cleaning twice gives the same text as cleaning once.  Each pass only turns
        # half-width marks into full-width ones, so this ends within as many passes as there are marks.
        for _ in range(len(piece) + 1):
            fixed, n = _fix_piece(piece)
            count += n
            if fixed == piece:
                break
            piece = fixed
        out_pieces.append(piece)
    result = out_pieces[0]
    for url, piece in zip(urls, out_pieces[1:], strict=True):
        result += url + piece
    return result, count


def _fix_piece(text: str) -> tuple[str, int]:
    count = 0
    chars = list(text)
    for i, ch in enumerate(chars):
        if ch not in _HALF_TO_FULL:
            continue
        # The mark before is read from the updated characters, so that a run of marks (中,,,) converts
        # as a whole and cleaning twice gives the same text as cleaning once.
        before, after = _neighbour(chars, i, -1), _neighbour(text, i, 1)
        if _is_latin(before) and _is_latin(after):
            continue  # 3,500  9:30  ISO9001:2000  Hello, world
        if ch in ",." and before.isdigit() and after.isdigit():
            continue
        if not (re.match(_CJKISH, before or " ") or re.match(_CJKISH, after or " ") or (before and before in "%)）") or after == ""):
            continue
        if not before and not after:
            continue
        chars[i] = _HALF_TO_FULL[ch]
        count += 1
    text = "".join(chars)
    # A space after a full-width mark is a leftover of the half-width habit.
    text, _ = re.subn(r"([，；：？！])\s+", r"\1", text)

    def paren(match: re.Match[str]) -> str:
        nonlocal count
        inner = match.group(1)
        start, end = match.start(), match.end()
        before = text[start - 1] if start else ""
        after = text[end] if end < len(text) else ""
        if has_cjk(inner) or re.match(_CJKISH, before or " ") or re.match(_CJKISH, after or " "):
            count += 2
            return f"（{inner}）"
        return match.group(0)

    text = _PAREN.sub(paren, text)
    if '"' in text:
        text, n = _pair_quotes(text, '"', "“", "”")
        count += n
    if "'" in text and not _APOSTROPHE.search(text):
        text, n = _pair_quotes(text, "'", "‘", "’")  # 所谓'双减' → 所谓‘双减’; Tom's stays
        count += n
    return text, count


# A straight single quote between Latin letters is an apostrophe (Tom's, don't), not a quotation mark.
_APOSTROPHE = re.compile(r"[A-Za-z]'[A-Za-z]")


def _pair_quotes(text: str, straight: str, left: str, right: str) -> tuple[str, int]:
    """Straight quotes in Chinese text alternate as left and right curly quotes."""
    if text.count(straight) % 2:
        return text, 0  # unpaired: leave it for `summarykit check` to report
    out, opening, count = [], True, 0
    for ch in text:
        if ch == straight:
            out.append(left if opening else right)
            opening = not opening
            count += 1
        else:
            out.append(ch)
    return "".join(out), count


# Everything the slow path below can change, besides stripping the ends: tabs and other bad characters
# (remove_bad_chars), line breaks (join_lines), the half-width marks full_width_punctuation converts
# (, ; : ? ! ( ) " '), and a full-width mark followed by whitespace (which it removes).  Most record
# strings contain none of these; for them cleaning is exactly ``text.strip()`` (a property test in
# tests/test_performance_paths.py compares both paths on random text).
_NEEDS_WORK = re.compile(
    "[\t\v\f\x00-\x08\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff\r\n\u2028\u2029,;:?!()\"']"
    "|[，；：？！]\\s"
)


# What _NEEDS_WORK can match needs one of these: its first class, or whitespace (every character ``\s`` matches,
# listed: a test checks the list against every code point).  One class is searched four times faster than the
# alternation (whose second branch is tried at every character), so clean strings are told at a glance.
_SPACES = " \t\n\v\f\r\x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
_MAY_NEED_WORK = re.compile(
    "[\t\v\f\x00-\x08\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff\r\n\u2028\u2029,;:?!()\"'" + _SPACES + "]")


def clean_text(text: str, *, punctuation: bool = True) -> tuple[str, int, int]:
    """One string → (cleaned, characters removed, punctuation marks changed).

    Clean strings (the great majority) skip the work: this runs on every string of every report.
    """
    if not _MAY_NEED_WORK.search(text) or not _NEEDS_WORK.search(text):
        return text.strip(), 0, 0
    return _clean_text_slow(text, punctuation=punctuation)


def _clean_text_slow(text: str, *, punctuation: bool = True) -> tuple[str, int, int]:
    """The full cleaning, for strings that may need it (and the reference the fast path is tested against)."""
    text, removed = remove_bad_chars(text)
    text = join_lines(text).strip()
    changed = 0
    if punctuation:
        text, changed = full_width_punctuation(text)
    return text, removed, changed


# Keys whose values are identifiers, not prose: never touched.
_VERBATIM_KEYS = {"template", "date"}
# Keys whose punctuation follows another standard (GB/T 7714 references use Western marks).
_KEEP_PUNCTUATION_KEYS = {"references"}


def clean_tree(
    data: Any, name: str, marks: Mapping[tuple[Any, ...], tuple[int, int]] | None = None
) -> tuple[Any, list[Notice]]:
    """Clean every string in plain data; return the new data and notices naming where."""
    from .yamlmarks import nearest_mark  # here: this module is also used where no YAML is read (import)

    marks = marks or {}
    notices: list[Notice] = []
    total_changed = 0

    def where(path: tuple[Any, ...]) -> str:
        mark = nearest_mark(marks, path)
        return f"{name}:{mark[0]}:{mark[1]}" if mark else name

    # ``punctuation``: no key on the path is one of _KEEP_PUNCTUATION_KEYS (carried down, not re-checked per string).
    def walk(value: Any, path: tuple[Any, ...], punctuation: bool) -> Any:
        nonlocal total_changed
        if isinstance(value, dict):
            return {k: (v if k in _VERBATIM_KEYS else walk(v, (*path, k), punctuation and k not in _KEEP_PUNCTUATION_KEYS))
                    for k, v in value.items()}
        if isinstance(value, list):
            return [walk(v, (*path, i), punctuation) for i, v in enumerate(value)]
        if isinstance(value, str):
            cleaned, removed, changed = clean_text(value, punctuation=punctuation)
            if removed:
                notices.append(Notice("control-chars", f"删除了 {removed} 个不能写入 Word 的控制字符", where(path)))
            total_changed += changed
            return cleaned
        return value

    result = walk(data, (), True)
    if total_changed:
        notices.append(Notice("punctuation", f"把 {total_changed} 处半角标点改成了全角", name))
    return result, notices
