"""Breaking a long title into balanced lines (GB/T 9704 §7.3.1).

“标题回行时，要做到词意完整，排列对称，长短适宜，间距恰当，标题排列应当使用梯形或菱形。”
So a title too long for one line is split into two or three lines of nearly
equal length, only between words — found with jieba, imported on first use —
and never inside a number range such as 2025—2026 or between a number and its
unit.  Titles that fit on one line (the usual case) never load jieba.
"""

from __future__ import annotations

import functools
import itertools
import math
from collections.abc import Sequence

# Characters next to which a line may not break: dashes and range marks inside "2025—2026", "3～5".
_JOINERS = set("—–-～~/·.．:：")
_CLOSING = set("）》〉」』】”’、，。；：？！")
_OPENING = set("（《〈「『【“‘")
# Function words that read badly at the start of a line (“……工作\n的通知”).
_BAD_LINE_START = ("的", "和", "与", "及", "等", "之")
_BAD_LINE_END = ("关于", "对于", "和", "与", "及", "的")

# The kind of document (文种) a title ends with: “关于……的” | “调研报告” is the break a clerk makes.
_KINDS = ("调研报告", "工作总结", "述职报告", "工作报告", "情况报告", "回顾与思考", "几点思考", "实施方案", "工作计划",
          "工作要点", "实施意见", "报告", "总结", "思考", "通知", "意见", "方案", "计划", "规划", "汇报")
KIND_BREAK_BONUS = 12.0  # also outweighs the penalty for a line ending in 的, which here is right

MAX_COMBINATIONS = 20_000


def text_width(text: str) -> float:
    """Width in full-width characters: ASCII letters, digits and spaces count half.

    ``sum(0.5 if ch.isascii() else 1.0 for ch in text)``, counted in C: halves and ones add up
    exactly in floating point, so the total is the same number (0 for no text, as the sum gives).
    """
    if not text:
        return 0
    ascii_count = len(text) if text.isascii() else len(text.encode("ascii", "ignore"))
    return len(text) - 0.5 * ascii_count


def chars_per_line(width_pt: float, size_pt: float) -> float:
    """How many full-width characters of ``size_pt`` fit in ``width_pt``."""
    return math.floor(width_pt / size_pt * 2) / 2


def _segment(text: str) -> list[str]:
    """Words of ``text`` by jieba's tokenizer alone (not its part-of-speech tagger, which costs another second)."""
    from ..usercache import start_jieba_with_terms

    return [w for w in start_jieba_with_terms().lcut(text, HMM=True) if w]


def _breakable(left: str, right: str) -> bool:
    """May a line end with ``left`` and the next begin with ``right``?"""
    a, b = left[-1], right[0]
    if a in _JOINERS or b in _JOINERS or b in _CLOSING or a in _OPENING:
        return False
    if a.isascii() and a.isalnum():
        return False  # a number keeps its unit (2026年), a Latin name stays whole (ISO9001)
    return True


def words(text: str) -> list[str]:
    """The title's unbreakable pieces: jieba's words, glued where a break would split a name or number."""
    pieces: list[str] = []
    for word in _segment(text):
        if pieces and not _breakable(pieces[-1], word):
            pieces[-1] += word
        else:
            pieces.append(word)
    return pieces


def _score(lines: Sequence[str]) -> tuple[float, float, float]:
    """Lower is better: (imbalance + awkward breaks, shape, longest line)."""
    widths = [text_width(line) for line in lines]
    awkward = sum(2.0 for line in lines[1:] if line.startswith(_BAD_LINE_START))
    awkward += sum(2.0 for line in lines[:-1] if line.endswith(_BAD_LINE_END))
    imbalance = max(widths) - min(widths)
    # Meaning before length: a break between “关于……的” and the kind of document (文种) beats a balanced one.
    if len(lines) >= 2 and lines[-2].endswith("的") and lines[-1] in _KINDS:
        awkward -= KIND_BREAK_BONUS
    # GB/T 9704 asks for a trapezoid or a diamond: avoid an hourglass (a short middle line) and,
    # with two lines, prefer the longer line at the bottom (正梯形).
    shape = 0.0
    if len(widths) == 2 and widths[0] > widths[1]:
        shape = 0.5
    if len(widths) >= 3 and any(widths[i] < widths[i - 1] and widths[i] < widths[i + 1]
                                for i in range(1, len(widths) - 1)):
        shape = 1.0
    return imbalance + awkward, shape, max(widths)


@functools.lru_cache(maxsize=256)
def _balanced(title: str, max_width: float, max_lines: int, pieces: tuple[str, ...] = ()) -> tuple[str, ...]:
    return tuple(_balance(title, max_width, max_lines, pieces))


def balance(title: str, max_width: float, max_lines: int = 3, pieces: Sequence[str] = ()) -> list[str]:
    """``title`` as lines no wider than ``max_width`` characters, balanced, broken only between words.

    A title with explicit line breaks is kept as written.  One that fits is one
    line (jieba is not loaded).  When no split into ``max_lines`` lines fits,
    the title is wrapped greedily at word boundaries instead.  Results are
    cached: a batch of reports shares a handful of titles.  ``pieces`` are known
    word boundaries (a title composed from unit, period and kind): when a
    balanced split exists among them, jieba is not needed.
    """
    return list(_balanced(title, max_width, max_lines, tuple(pieces)))


def _balance(title: str, max_width: float, max_lines: int, known: tuple[str, ...] = ()) -> list[str]:
    title = title.strip()
    if "\n" in title:
        return [line.strip() for line in title.split("\n") if line.strip()]
    if text_width(title) <= max_width or max_lines <= 1:
        return [title]
    if known and "".join(known) == title:
        split = _best_split(list(known), title, max_width, max_lines)
        if split is not None:
            return split
    pieces = words(title)
    return _best_split(pieces, title, max_width, max_lines) or _greedy(pieces, max_width)


def _best_split(pieces: list[str], title: str, max_width: float, max_lines: int) -> list[str] | None:
    """The best-scoring split of ``pieces`` into the fewest lines that fit, or None."""
    fewest = max(2, math.ceil(text_width(title) / max_width))
    for count in range(fewest, max_lines + 1):
        best: tuple[tuple[float, float, float], list[str]] | None = None
        cuts_possible = len(pieces) - 1
        if count - 1 > cuts_possible or math.comb(cuts_possible, count - 1) > MAX_COMBINATIONS:
            break
        for cuts in itertools.combinations(range(1, len(pieces)), count - 1):
            bounds = (0, *cuts, len(pieces))
            lines = ["".join(pieces[bounds[i]:bounds[i + 1]]) for i in range(count)]
            if any(text_width(line) > max_width for line in lines):
                continue
            score = _score(lines)
            if best is None or score < best[0]:
                best = (score, lines)
        if best is not None:
            return best[1]
    return None


def _greedy(pieces: Sequence[str], max_width: float) -> list[str]:
    lines: list[str] = []
    current = ""
    for piece in pieces:
        if current and text_width(current + piece) > max_width:
            lines.append(current)
            current = piece
        else:
            current += piece
    if current:
        lines.append(current)
    return lines


def heading_unbroken(text: str, first_width: float, width: float, shortest: float = 2) -> bool:
    """Whether ``heading_lines`` keeps a heading as it is without looking for words: it fits on its first
    line, or its last line is long enough, or it takes three lines and more (left to the word processor)."""
    total = text_width(text)
    if total <= first_width:
        return True
    last = (total - first_width) % width or width
    return last >= shortest or total > first_width + width


def heading_lines(text: str, first_width: float, width: float, shortest: float = 2) -> list[str]:
    """A heading as lines: one paragraph, unless it would wrap with a stub of less than ``shortest`` characters
    on its last line — then it is broken at the last word boundary that leaves a proper last line.

    ``first_width`` is the first line's room (after the first-line indent), ``width`` a full line's.  Headings
    that fit, or whose natural last line is long enough, never load jieba.
    """
    if heading_unbroken(text, first_width, width, shortest):
        return [text]
    pieces = words(text)
    for cut in range(len(pieces) - 1, 0, -1):
        head, tail = "".join(pieces[:cut]), "".join(pieces[cut:])
        if text_width(head) <= first_width and text_width(tail) >= shortest and text_width(tail) <= width:
            if tail.startswith(_BAD_LINE_START) or head.endswith(_BAD_LINE_END):
                continue  # “……现状的” | “认识” reads worse than “……体系” | “现状的认识”
            return [head, tail]
    return [text]
