"""Where a line may not break: numbers with their units, ranges, dates, a book title and its punctuation.

Chinese text may break between any two characters, so Word and LibreOffice
happily print “31～” at the end of one line and “40岁” at the start of the next,
or “2026年1” | “月20日”.  A clerk fixes those by hand; GB/T 15835 wants a
number and its unit read as one.

Word has no “keep together” for a span of text, but both Word and LibreOffice
follow Unicode's line-breaking rules for U+2060 WORD JOINER (UAX #14 class WJ:
no break on either side, zero width, nothing printed).  ``bind`` puts one
between the characters of each span that must stay on one line; the DOCX
writer applies it to the printed text only (Markdown and plain text stay
clean), and whoever reads the DOCX back (``summarykit import``/``check``)
drops the joiners again (``unbind``).

What the spans are is a Chinese-text rule and lives here once: dates
(2026年1月20日, 二〇二六年一月二十日), year spans (2025—2026学年), ranges
(31～40岁, 10%～90%, 13万～17万元), a number with its unit (7张, 13.8%, 12.5万元,
第3名) and a closing book-title mark with the punctuation after it (》。).
Lines never start with closing punctuation anyway: both programs apply the
East-Asian line-breaking rules (kinsoku, on by default and written into every
style by ``w:kinsoku``).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence

WORD_JOINER = "\u2060"

# Units and measure words that follow a number (GB/T 15835 examples and what summaries count).
_MULTI_UNITS = ("个百分点", "百分点", "平方米", "平方公里", "立方米", "千瓦时", "万元", "亿元", "万人", "公里", "千米", "厘米", "毫米",
                "千克", "公斤", "公顷", "小时", "分钟", "学时", "课时", "人次", "台次", "车次", "架次", "学年",
                "学期", "周岁", "余人", "多人", "余名", "余次", "余项", "余元", "多万", "余万")
_UNIT_CHARS = ("年月日号时分秒岁人名次个件台张项套辆所家条篇份户间座栋层米吨克元角度℃倍株棵册本首部把支根块亩"
               "升天周期届批位门场节课班组处室类种项例起遍餐桌床盏只头")
_UNIT = "(?:" + "|".join(_MULTI_UNITS) + f"|[{_UNIT_CHARS}])"
UNIT_PATTERN = _UNIT  # a unit after a number, as a regular expression (tables move it into the header)
_NUMBER = r"\d+(?:[.．]\d+)?"
_MAGNITUDE_MARK = r"(?:[%‰％]|万|亿)"
_MAGNITUDE = f"{_MAGNITUDE_MARK}*"
_RANGE_MARK = "[～~—–－-]"
_CN_DIGIT = "〇零一二三四五六七八九十"


def _span_pattern(unit: str) -> str:
    """The spans that must stay on one line, as one alternation (tried in this order), with ``unit`` for a unit."""
    quantity = rf"{_NUMBER}{_MAGNITUDE}(?:{unit})?"
    return "|".join((
        r"\d{4}年\d{1,2}月(?:\d{1,2}日)?",  # 2026年1月20日, 2026年1月
        rf"[{_CN_DIGIT}]{{4}}年[{_CN_DIGIT}]{{1,2}}月(?:[{_CN_DIGIT}]{{1,3}}日)?",  # 二〇二六年一月二十日
        r"\d{1,2}月\d{1,2}日",  # 1月20日
        rf"第?{quantity}{_RANGE_MARK}{quantity}",  # 31～40岁, 10%～90%, 2025—2026学年
        rf"第{_NUMBER}(?:{unit})?",  # 第3名
        quantity,  # 7张, 13.8%, 12.5万元
        "》[，。、；：？！）”]",  # a book title and the punctuation closing it
    ))


def _spans_by_first_character(unit: str) -> str:
    """``_span_pattern(unit)``, the same spans tried in the same order, written to be found faster.

    Every span starts with a digit, a Chinese numeral, 第 or 》: taking that character first, as one
    character class, lets the regular expression engine skip to the next such character in C instead
    of trying the alternatives at every position.  Each alternative then checks (a one-character
    lookbehind) that the character taken is the one it starts with, and goes on from there
    (``\\d{4}年`` becomes ``(?<=\\d)\\d{3}年``).  The classes are disjoint, so at any character the
    alternatives that can match are those of the plain statement, in its order.

    A range and a lone quantity start alike (``第?`` + a number + magnitudes): the number (and, after a
    digit, the magnitudes) is matched once and the two go on from it, a range first, rather than the
    number, its magnitudes and its unit being tried once for the range and again for the quantity.
    That is the same match: the engine takes the longest number and magnitudes first in both, and a
    shorter one could not make a range where the longest did not — the character given back would be a
    digit, a decimal point, or a magnitude (万, 亿) whose units (万元, 亿元, 万人) end where the unit after
    the longest magnitudes (元, 人) ends.

    The unit after a quantity is matched once, not once for a range and again for a lone quantity:
    ``unit? (range quantity)?`` finds what ``unit? range quantity | unit?`` finds, because a range
    mark cannot start a unit, so a range follows the unit's end or nothing; after 第 the range that
    needs magnitudes (第3万～5万元) is tried first, as in the plain statement.  The alternatives that
    start with a digit are tried together, behind one lookbehind (they keep their order; the others
    cannot match at a digit).  A property test checks against the plain pattern.
    """
    quantity = rf"{_NUMBER}{_MAGNITUDE}(?:{unit})?"
    number_on = r"\d*(?:[.．]\d+)?"  # a number after its first digit
    then_range = rf"(?:{unit})?(?:{_RANGE_MARK}{quantity})?"  # a unit, then perhaps the rest of a range
    after_digit = "|".join((
        r"\d{3}年\d{1,2}月(?:\d{1,2}日)?",  # 2026年1月20日
        r"\d?月\d{1,2}日",  # 1月20日
        rf"{number_on}{_MAGNITUDE}{then_range}",  # a quantity, or a range of quantities
    ))
    return f"[\\d{_CN_DIGIT}第》](?:" + "|".join((
        rf"(?<=\d)(?:{after_digit})",
        # 第 + a range of quantities, or 第 + a number and its unit (第3名)
        rf"(?<=第){_NUMBER}(?:{_MAGNITUDE_MARK}+(?:{unit})?{_RANGE_MARK}{quantity}|{then_range})",
        rf"(?<=[{_CN_DIGIT}])[{_CN_DIGIT}]{{3}}年[{_CN_DIGIT}]{{1,2}}月(?:[{_CN_DIGIT}]{{1,3}}日)?",
        "(?<=》)[，。、；：？！）”]",
    )) + ")"


def _unit_by_first_character() -> str:
    """``_UNIT``, the same units tried in the same order where it matters, written to be found faster.

    The plain statement tries some thirty words one after another before the one-character units, so
    that 个 is found only after every word has been refused.  Here the one-character units that start
    no word come first (项, 名, 次: one test); a word whose first character is itself a unit is tried
    with it (``个(?:百分点)?``: the word, else the character alone); the other words follow as they were.
    At any character only one of these can match, and within it the words keep their order and come
    before the character alone, so a match — and what the engine tries when it has to go back — is the
    plain statement's.  (Grouping every word by its first character is no faster on report text and
    takes longer to compile, which every command-line run pays.)
    """
    words: dict[str, list[str]] = {}
    for unit in _MULTI_UNITS:
        words.setdefault(unit[0], []).append(unit[1:])
    alone = "".join(ch for ch in dict.fromkeys(_UNIT_CHARS) if ch not in words)
    with_words = [f"{first}(?:{'|'.join(tails)})?" for first, tails in words.items() if first in _UNIT_CHARS]
    others = [unit for unit in _MULTI_UNITS if unit[0] not in _UNIT_CHARS]
    return f"(?:[{alone}]|" + "|".join(with_words + others) + ")"


_SPAN_PATTERN = _span_pattern(_UNIT)
# The same spans, found faster: by their first character (``_spans_by_first_character``), and a unit
# tried only where a unit's first character stands (a lookahead), the common one-character units
# before the words (``_unit_by_first_character``) rather than after all of them.  Lookaheads only refuse
# what could not match, so the matches are the same (a property test checks).  One group, the span:
# ``split`` gives the text between spans and the spans.
_UNIT_FIRST = "".join(sorted({unit[0] for unit in _MULTI_UNITS} | set(_UNIT_CHARS)))
_SPANS = re.compile(f"({_spans_by_first_character(f'(?=[{_UNIT_FIRST}]){_unit_by_first_character()}')})")


def _join(span: str) -> str:
    """A span with a joiner wherever a break could fall: not inside an ASCII run, where none can."""
    out = [span[0]]
    for before, after in itertools.pairwise(span):
        if not (before.isascii() and after.isascii()):
            out.append(WORD_JOINER)
        out.append(after)
    return "".join(out)


_JOINED_MAX = 4096


class _JoinedSpans(dict[str, str]):
    """Spans seen before, joined: the same few (第3, 2026年1月, 》。) recur in every report, and joining one
    character by character in Python was most of the DOCX writer's time.  Looked up in C (``_bound``
    maps ``__getitem__`` over the spans); only a span not seen before calls ``__missing__``.
    Bounded: cleared when full."""

    def __missing__(self, span: str) -> str:
        joined = _join(span) if len(span) > 1 else span
        if len(self) >= _JOINED_MAX:
            self.clear()
        self[span] = joined
        return joined


_JOINED = _JoinedSpans()


def _bound(text: str) -> str:
    """Every span of ``text`` joined: ``_SPANS.sub`` without a Python call per span (``split`` gives the
    spans at the odd places, and the joined ones are looked up in C)."""
    parts = _SPANS.split(text)
    if len(parts) == 1:
        return text
    parts[1::2] = map(_JOINED.__getitem__, parts[1::2])
    return "".join(parts)


# What makes bind() look for spans at all: a decimal digit (every pattern but the Chinese date needs one), 》 or 〇.
_MAY_BIND = re.compile("[\\d》〇]")
# The one pattern that can match without them: a date in Chinese numerals (二零二六年一月).  Written from
# its 年 (the four numerals before it a lookbehind), so that a search skips to the next 年 in C instead of
# testing a character class at every character: only whether it is found counts, not where.
_CN_DATE = re.compile(rf"年(?<=[{_CN_DIGIT}]{{4}}年)[{_CN_DIGIT}]")


def bind(text: str) -> str:
    """``text`` with word joiners inside every span that must not be broken across lines.

    Exactly ``_bind_slow``: the spans are looked for when the text has a digit (``str.isdigit``,
    which also counts ① and ²), 》 or 〇.  A regular expression finds a decimal digit, 》 or 〇
    in C; without one, only a Chinese-numeral date could match, so only then is the slow
    character test needed to decide whether to look.
    """
    if not text:
        return text
    if not _MAY_BIND.search(text):
        if not _CN_DATE.search(text) or not any(ch.isdigit() for ch in text):
            return text
    return _bound(text)


# Between the texts ``bind_joined`` binds in one pass: no span can hold it (none holds a line feed), so a
# span ends before it as at the end of a text; XML keeps it as it is (``ooxml.xml_text``).
SEPARATOR = "\n"


def bind_joined(texts: Sequence[str]) -> str | None:
    """``SEPARATOR.join(bind(t) for t in texts)``, found in one pass over all of them; None when it cannot be.

    A report's body paragraphs, bound one call at a time, spent half the time in the calls; one
    substitution over the joined texts finds the same spans, since no span crosses a line feed.  It
    cannot be used when a text holds the separator itself (the parts would not split back), nor when a
    Chinese-numeral date stands anywhere: ``bind`` looks at such a date only in a text that also has a
    digit, a per-text rule one pass cannot apply.
    """
    joined = SEPARATOR.join(texts)
    if joined.count(SEPARATOR) != len(texts) - 1 or _CN_DATE.search(joined):
        return None
    return _bound(joined)


def _bind_slow(text: str) -> str:
    """The plain statement of ``bind`` (kept for the equivalence test)."""
    if not text or not any(ch.isdigit() or ch in "》〇" for ch in text):
        return text
    # The plain statement, compiled on first use (re caches it): only the equivalence tests call this.
    return re.sub(_SPAN_PATTERN, lambda m: _join(m.group(0)) if len(m.group(0)) > 1 else m.group(0), text)


def unbind(text: str) -> str:
    """The text without the joiners ``bind`` put in (reading a DOCX back)."""
    return text.replace(WORD_JOINER, "")
