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
_MAGNITUDE = r"(?:[%‰％]|万|亿)*"
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


_SPAN_PATTERN = _span_pattern(_UNIT)  # the plain statement: compiled only by _bind_slow (the equivalence test)
# The same spans, found faster: a lookahead first (every span starts with a digit, a Chinese numeral,
# 第 or 》), testing that one character before trying the seven alternatives; and a unit tried only
# where a unit's first character stands, not by testing its thirty-odd words one after another.
# Lookaheads only refuse what could not match, so the matches are the same (a property test checks).
_UNIT_FIRST = "".join(sorted({unit[0] for unit in _MULTI_UNITS} | set(_UNIT_CHARS)))
_SPANS = re.compile(f"(?=[\\d{_CN_DIGIT}第》])(?:{_span_pattern(f'(?=[{_UNIT_FIRST}]){_UNIT}')})")


def _join(span: str) -> str:
    """A span with a joiner wherever a break could fall: not inside an ASCII run, where none can."""
    out = [span[0]]
    for before, after in itertools.pairwise(span):
        if not (before.isascii() and after.isascii()):
            out.append(WORD_JOINER)
        out.append(after)
    return "".join(out)


# Spans seen before, joined: the same few (第3, 2026年1月, 》。) recur in every report, and joining one
# character by character in Python was most of the DOCX writer's time.  Bounded: cleared when full.
_JOINED: dict[str, str] = {}
_JOINED_MAX = 4096


def _joined(match: re.Match[str]) -> str:
    span = match.group(0)
    joined = _JOINED.get(span)
    if joined is None:
        joined = _join(span) if len(span) > 1 else span
        if len(_JOINED) >= _JOINED_MAX:
            _JOINED.clear()
        _JOINED[span] = joined
    return joined


# What makes bind() look for spans at all: a decimal digit (every pattern but the Chinese date needs one), 》 or 〇.
_MAY_BIND = re.compile("[\\d》〇]")
# The one pattern that can match without them: a date in Chinese numerals (二零二六年一月).
_CN_DATE = re.compile(rf"[{_CN_DIGIT}]{{4}}年[{_CN_DIGIT}]")


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
    return _SPANS.sub(_joined, text)


def _bind_slow(text: str) -> str:
    """The plain statement of ``bind`` (kept for the equivalence test)."""
    if not text or not any(ch.isdigit() or ch in "》〇" for ch in text):
        return text
    return re.sub(_SPAN_PATTERN, lambda m: _join(m.group(0)) if len(m.group(0)) > 1 else m.group(0), text)


def unbind(text: str) -> str:
    """The text without the joiners ``bind`` put in (reading a DOCX back)."""
    return text.replace(WORD_JOINER, "")
