"""Keywords and writing checks for Chinese work summaries (``summarykit check``).

Reviewers of 工作总结 mark the same faults again and again: half-width
punctuation pasted from the web, a sentence said twice, ``3-5`` instead of
``3～5``, an inventory counted in Chinese numerals (办公桌七张), dates in the
wrong form, a handful of commonly confused words, run-on sentences and a
summary that never says what went wrong or what comes next.  This module finds
them, each with the place it is in (``file:line:col`` for text and records
files, ``第N段`` for Word documents), and extracts keywords for the 关键词 line.

The checks are rules, not lists tuned to particular texts, and they lean
towards silence: a false alarm teaches people to ignore the tool.  Numbers
(3.5, 9:30), Latin names (ISO9001:2000), URLs, year spans (2025—2026学年),
fixed phrases (一方面、三五天、第五届) and enumerators (一是、二是) are left alone.

jieba (word segmentation and part-of-speech tags) is imported inside functions
only, so ``import summarykit`` stays fast; its dictionary cache lives in the
user's cache folder and the logistics user dictionary is loaded once per process.
"""

from __future__ import annotations

import logging
import os
import re
import threading
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from importlib import resources
from itertools import pairwise
from pathlib import Path
from typing import Any

from ..errors import SummaryKitError
from ..usercache import jieba_idf, start_jieba, start_tagger
from ..zh.labels import label_family, strip_label
from ..zh.numerals import DIGIT_VALUES as _CN_DIGITS
from ..zh.numerals import NUMERAL_CHARS as _CN_NUM_CHARS
from ..zh.numerals import cn_number, cn_to_int
from ..zh.numformat import num
from .checkcodes import CODES, DEFAULT_MAX_SENTENCE  # one home, shared with the CLI

log = logging.getLogger(__name__)

__all__ = [
    "CODES",
    "CheckInputError",
    "CheckResult",
    "Finding",
    "check_docx",
    "check_file",
    "check_records",
    "check_text",
    "extract_keywords",
]



class CheckInputError(SummaryKitError):
    """A file given to ``check`` cannot be read (missing, not text, a broken DOCX)."""


@dataclass(frozen=True)
class Finding:
    """One thing a reviewer would mark, with where it is and what to write instead."""

    code: str
    message: str
    where: str
    excerpt: str = ""
    suggestion: str = ""

    def __str__(self) -> str:
        text = f"{self.where}: [{self.code}] {self.message}"
        if self.suggestion:
            text += f"（{self.suggestion}）"
        return text


@dataclass(frozen=True)
class CheckResult:
    """Keywords and findings of one checked text, in document order."""

    keywords: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The ``--json`` form: ``{"keywords": [...], "findings": [{code, message, where, excerpt, suggestion}]}``."""
        return {"keywords": list(self.keywords), "findings": [asdict(f) for f in self.findings]}

    def codes(self) -> set[str]:
        return {f.code for f in self.findings}


# --------------------------------------------------------------------------- jieba, loaded on first use

_JIEBA_LOCK = threading.Lock()
_JIEBA_READY = False


def _jieba() -> tuple[Any, Any]:
    """jieba and its POS tagger (posseg.dt), with the logistics user dictionary added once per process."""
    global _JIEBA_READY
    jieba = start_jieba()
    tagger = start_tagger()
    with _JIEBA_LOCK:
        if not _JIEBA_READY:
            for word, freq, tag in _user_dictionary():
                jieba.add_word(word, freq, tag)
            _JIEBA_READY = True
    return jieba, tagger


def _data_lines(name: str) -> Iterator[str]:
    """Non-empty, non-comment lines of a data file shipped inside the package."""
    text = resources.files("summarykit").joinpath("data").joinpath(name).read_text(encoding="utf-8")
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            yield line


def _user_dictionary() -> list[tuple[str, int | None, str | None]]:
    entries: list[tuple[str, int | None, str | None]] = []
    for line in _data_lines("logistics_dict.txt"):
        parts = line.split()
        freq = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None
        tag = parts[2] if len(parts) > 2 else None
        entries.append((parts[0], freq, tag))
    return entries


_STOPWORDS: frozenset[str] | None = None


def _stopwords() -> frozenset[str]:
    global _STOPWORDS
    if _STOPWORDS is None:
        _STOPWORDS = frozenset(_data_lines("stopwords.txt"))
    return _STOPWORDS


@dataclass(frozen=True)
class _Token:
    word: str
    tag: str
    start: int
    end: int


def _tokens(text: str) -> list[_Token]:
    """Words with POS tags and their offsets in ``text``."""
    _, tagger = _jieba()
    tokens: list[_Token] = []
    offset = 0
    for pair in tagger.cut(text):
        tokens.append(_Token(pair.word, pair.flag, offset, offset + len(pair.word)))
        offset += len(pair.word)
    return tokens


def _word_tag(word: str) -> str | None:
    """The POS tag of a dictionary word, or None when jieba does not know it as a word."""
    jieba, tagger = _jieba()
    if not jieba.dt.FREQ.get(word):
        return None
    tag: str | None = tagger.word_tag_tab.get(word)
    return tag


# --------------------------------------------------------------------------- keywords

_KEYWORD_TAGS = frozenset({"n", "nz", "vn", "nt", "nl", "ng", "l"})


def extract_keywords(text: str, top: int = 5) -> list[str]:
    """The report's own keywords: TF-IDF over nouns and noun-like words.

    Term frequency comes from the text, inverse document frequency from jieba's
    general-language table (unknown words, such as the logistics terms of the
    user dictionary, get its median).  Filler words of the genre (工作、我们、
    进一步……), single characters and anything containing a digit are dropped.
    """
    if top <= 0 or not text.strip():
        return []
    return _rank_keywords(_tokens(text), top)


def _rank_keywords(tokens: Iterable[_Token], top: int) -> list[str]:
    _jieba()
    idf, median = jieba_idf()  # jieba.analyse's table, read piecewise
    stop = _stopwords()
    counts: Counter[str] = Counter()
    first: dict[str, int] = {}
    for position, token in enumerate(tokens):
        word = _drop_filler_suffix(token.word.strip(), stop)
        if (len(word) < 2 or token.tag not in _KEYWORD_TAGS or word in stop
                or any(ch.isdigit() for ch in word) or not _CJK_CHAR.search(word)):
            continue
        counts[word] += 1
        first.setdefault(word, position)
    if not counts:
        return []
    total = sum(counts.values())
    scores = {w: c / total * idf.get(w, median) for w, c in counts.items()}
    ranked = sorted(scores, key=lambda w: (-scores[w], first[w]))
    return ranked[:top]


def _drop_filler_suffix(word: str, stop: frozenset[str]) -> str:
    """后勤工作 → 后勤: a compound of a topic word and a filler word counts as the topic word."""
    for size in (2, 3):
        if len(word) - size >= 2 and word[-size:] in stop:
            return word[:-size]
    return word


# --------------------------------------------------------------------------- segments: text with a way to say where

CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_CHAR = re.compile(f"[{CJK}]")
_FULL_PUNCT = "，。；：？！、（）“”‘’《》〈〉【】—…～·"
_CJKISH = re.compile(f"[{CJK}{_FULL_PUNCT}]")
_URL = re.compile(r"(?:https?|ftp)://\S+|www\.\S+|[\w.+-]+@[\w-]+\.[\w.]+")
_REFERENCE = re.compile(r"^\s*\[\d+\]")


@dataclass
class _Segment:
    """One paragraph (a line of a text file, a string of a records file, a DOCX paragraph)."""

    text: str
    locate: Callable[[int], str]
    reference: bool = False  # a bibliography entry: GB/T 7714 uses Latin punctuation, leave it alone
    heading: bool = False
    _tokens: list[_Token] | None = None

    def tokens(self) -> list[_Token]:
        if self._tokens is None:
            self._tokens = _tokens(self.text)
        return self._tokens


class _Collector:
    """Collects findings, one per code and place."""

    def __init__(self) -> None:
        self.findings: list[tuple[int, int, Finding]] = []
        self._seen: set[tuple[str, str, str]] = set()

    def add(self, index: int, segment: _Segment, offset: int, code: str, message: str,
            excerpt: str = "", suggestion: str = "") -> None:
        where = segment.locate(offset)
        key = (code, where, message)
        if key in self._seen:
            return
        self._seen.add(key)
        self.findings.append((index, offset, Finding(code, message, where, excerpt, suggestion)))

    def sorted(self) -> list[Finding]:
        return [f for _, _, f in sorted(self.findings, key=lambda item: (item[0], item[1]))]


def _excerpt(text: str, start: int, end: int, context: int = 10) -> str:
    """The fault with a little of its surroundings, marked with …… where cut."""
    left = max(0, start - context)
    right = min(len(text), end + context)
    snippet = text[left:right].replace("\n", " ")
    return ("……" if left else "") + snippet + ("……" if right < len(text) else "")


def _protected(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in _URL.finditer(text)]


def _inside(spans: Iterable[tuple[int, int]], index: int) -> bool:
    return any(a <= index < b for a, b in spans)


def _is_latin(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def _neighbour(text: str, index: int, step: int) -> str:
    i = index + step
    while 0 <= i < len(text) and text[i] in " \t":
        i += step
    return text[i] if 0 <= i < len(text) else ""


# --------------------------------------------------------------------------- punctuation

_HALF_NAMES = {",": ("逗号", "，"), ";": ("分号", "；"), ":": ("冒号", "："), "?": ("问号", "？"),
               "!": ("叹号", "！")}
_PAIRS = {"“": "”", "‘": "’", "《": "》", "（": "）"}
_PAIR_NAMES = {"“": "引号", "‘": "引号", "《": "书名号", "（": "括号"}


def _check_punctuation(index: int, seg: _Segment, out: _Collector) -> None:
    text = seg.text
    if seg.reference or not _CJK_CHAR.search(text):
        return
    urls = _protected(text)
    for i, ch in enumerate(text):
        if _inside(urls, i):
            continue
        before, after = _neighbour(text, i, -1), _neighbour(text, i, 1)
        if ch in _HALF_NAMES:
            if ch in ",:" and before.isdigit() and after.isdigit():
                continue  # 3,500  9:30
            if _is_latin(before) and _is_latin(after):
                continue  # ISO9001:2000  Hello, world
            if not (_CJKISH.match(before or " ") or _CJKISH.match(after or " ") or before in ("%", "）")):
                continue
            name, full = _HALF_NAMES[ch]
            out.add(index, seg, i, "punctuation", f"中文里用了半角{name}“{ch}”", _excerpt(text, i, i + 1),
                    f"改为全角“{full}”")
        elif ch == "." and _CJK_CHAR.match(before or " ") and (not after or _CJKISH.match(after)) \
                and text[i + 1:i + 2] != ".":
            out.add(index, seg, i, "punctuation", "中文句末用了半角点“.”", _excerpt(text, i, i + 1), "改为句号“。”")
    _check_parentheses(index, seg, urls, out)
    _check_marks(index, seg, urls, out)
    _check_pairs(index, seg, out)


def _check_parentheses(index: int, seg: _Segment, urls: list[tuple[int, int]], out: _Collector) -> None:
    """Half-width ( ) around or next to Chinese text; one finding per pair, at the opening bracket."""
    text = seg.text
    stack: list[int] = []
    for i, ch in enumerate(text):
        if _inside(urls, i) or ch not in "()":
            continue
        if ch == "(":
            stack.append(i)
            continue
        start = stack.pop() if stack else None
        if start is None:
            if _CJKISH.match(_neighbour(text, i, -1) or " ") or _CJKISH.match(_neighbour(text, i, 1) or " "):
                out.add(index, seg, i, "punctuation", "中文里用了半角括号“)”，且没有配对", _excerpt(text, i, i + 1),
                        "改为全角括号“（）”并补齐")
            continue
        inner = text[start + 1:i]
        outside = (_neighbour(text, start, -1), _neighbour(text, i, 1))
        if _CJK_CHAR.search(inner) or any(_CJKISH.match(c or " ") for c in outside):
            out.add(index, seg, start, "punctuation", "中文里用了半角括号“( )”", _excerpt(text, start, i + 1),
                    f"改为“（{inner}）”")
    for start in stack:
        if _CJKISH.match(_neighbour(text, start, -1) or " ") or _CJKISH.match(_neighbour(text, start, 1) or " "):
            out.add(index, seg, start, "punctuation", "中文里用了半角括号“(”，且没有配对", _excerpt(text, start, start + 1),
                    "改为全角括号“（）”并补齐")


_ELLIPSIS = re.compile(r"\.{3,}|。{3,}|(?<!…)…(?!…)")
_DOUBLED = re.compile(r"([，。；：、])\1+")
_DOUBLE_HYPHEN = re.compile(r"(?<=[\u4e00-\u9fff])\s*-{2,}\s*(?=[\u4e00-\u9fff])")


def _check_marks(index: int, seg: _Segment, urls: list[tuple[int, int]], out: _Collector) -> None:
    """Ellipses, doubled marks, ``--`` dashes and straight double quotes."""
    text = seg.text
    for m in _ELLIPSIS.finditer(text):
        if not _inside(urls, m.start()):
            out.add(index, seg, m.start(), "punctuation", f"省略号写成了“{m.group()}”", _excerpt(text, m.start(), m.end()),
                    "改为两个“…”连写的“……”")
    for m in _DOUBLED.finditer(text):
        out.add(index, seg, m.start(), "punctuation", f"标点“{m.group(1)}”重复", _excerpt(text, m.start(), m.end()),
                f"只保留一个“{m.group(1)}”")
    for m in _DOUBLE_HYPHEN.finditer(text):
        out.add(index, seg, m.start(), "punctuation", "破折号写成了半角“--”", _excerpt(text, m.start(), m.end()),
                "改为“——”")
    quotes = [i for i, ch in enumerate(text) if ch == '"' and not _inside(urls, i)]
    if not quotes:
        return
    for n in range(0, len(quotes) - 1, 2):
        a, b = quotes[n], quotes[n + 1]
        out.add(index, seg, a, "punctuation", "中文里用了半角引号“\"”", _excerpt(text, a, b + 1),
                f"改为“{text[a + 1:b]}”")
    if len(quotes) % 2:
        i = quotes[-1]
        out.add(index, seg, i, "punctuation", "半角引号“\"”没有配对", _excerpt(text, i, i + 1), "补齐另一半，并改为全角“”")


def _check_pairs(index: int, seg: _Segment, out: _Collector) -> None:
    """Curly quotes, 书名号 and full-width brackets must pair up within a paragraph."""
    text = seg.text
    closers = {v: k for k, v in _PAIRS.items()}
    stacks: dict[str, list[int]] = {k: [] for k in _PAIRS}
    for i, ch in enumerate(text):
        if ch in ("‘", "’") and _is_latin(_neighbour(text, i, -1)) and _is_latin(_neighbour(text, i, 1)):
            continue  # an apostrophe in a Latin word
        if ch in _PAIRS:
            stacks[ch].append(i)
        elif ch in closers:
            opener = closers[ch]
            if stacks[opener]:
                stacks[opener].pop()
            else:
                out.add(index, seg, i, "punctuation", f"{_PAIR_NAMES[opener]}不成对：有“{ch}”而前面没有“{opener}”",
                        _excerpt(text, i, i + 1), f"补上“{opener}”或删去多余的“{ch}”")
    for opener, positions in stacks.items():
        for i in positions:
            closer = _PAIRS[opener]
            out.add(index, seg, i, "punctuation", f"{_PAIR_NAMES[opener]}不成对：有“{opener}”而后面没有“{closer}”",
                    _excerpt(text, i, i + 1), f"补上“{closer}”或删去多余的“{opener}”")


# --------------------------------------------------------------------------- sentences, long sentences, repetition

_SENTENCE_END = "。！？!?"
_CLOSERS = "”’》）)」』"
_CLAUSE = re.compile(r"[^，,；;：:。！？!?、“”‘’《》（）()\s]+")
MIN_REPEATED_SENTENCE = 8  # characters; shorter ones (存在问题。) repeat naturally
MIN_REPEATED_PHRASE = 12  # characters without punctuation: a long phrase said twice


def _sentences(text: str) -> Iterator[tuple[int, str]]:
    """(offset, sentence) for each sentence: up to 。！？ plus any closing quote or bracket after it."""
    start = 0
    i = 0
    n = len(text)
    while i < n:
        if text[i] in _SENTENCE_END:
            j = i + 1
            while j < n and (text[j] in _SENTENCE_END or text[j] in _CLOSERS):
                j += 1
            yield start, text[start:j]
            start = i = j
            continue
        i += 1
    if start < n and text[start:].strip():
        yield start, text[start:]


def _strip_offset(offset: int, sentence: str) -> tuple[int, str]:
    stripped = sentence.lstrip()
    return offset + len(sentence) - len(stripped), stripped.rstrip()


def _length(sentence: str) -> int:
    return sum(1 for ch in sentence if not ch.isspace())


def _check_long_sentences(index: int, seg: _Segment, limit: int, out: _Collector) -> None:
    """Sentences over ``limit`` characters, unless semicolons already cut them into readable clauses."""
    if seg.reference or seg.heading:
        return
    for offset, raw in _sentences(seg.text):
        offset, sentence = _strip_offset(offset, raw)
        length = _length(sentence)
        if length <= limit:
            continue
        parts = re.split(r"[；;]", sentence)
        if len(parts) > 1 and all(_length(p) <= limit for p in parts):
            continue  # 一是……；二是……；三是……。 is one sentence of short clauses
        out.add(index, seg, offset, "long-sentence", f"句子长达 {length} 字（上限 {limit} 字），读起来吃力",
                _excerpt(sentence, 0, 24, 0), "在意思完整处断开，改用句号或分号")


def _normal(text: str) -> str:
    return re.sub(r"\s+", "", text).rstrip(_SENTENCE_END + _CLOSERS + "，,；;：:、")


# Reduplicated tokens that are never grammatical: prepositions, particles, conjunctions, pronouns, nouns.
_DOUBLE_TAGS_SINGLE = ("p", "u", "c")
_DOUBLE_TAGS_WORD = ("n", "r", "c", "p", "l", "i")  # not vn: 研究研究、讨论讨论 are verbs reduplicated


def _check_repetition(segments: list[_Segment], out: _Collector) -> None:
    """Sentences said twice, long phrases repeated in another sentence, and words typed twice."""
    sentences: dict[str, str] = {}
    phrases = _PhraseIndex()
    sentence_id = 0
    for index, seg in enumerate(segments):
        if seg.reference:
            continue
        for offset, raw in _sentences(seg.text):
            offset, sentence = _strip_offset(offset, raw)
            sentence_id += 1
            key = _normal(sentence)
            if len(key) >= MIN_REPEATED_SENTENCE and _CJK_CHAR.search(key) and not seg.heading:
                if key in sentences:
                    out.add(index, seg, offset, "repetition", f"这句话与 {sentences[key]} 重复",
                            _excerpt(sentence, 0, 24, 0), "删去重复的一句，或换一种说法")
                    continue
                sentences[key] = seg.locate(offset)
            phrases.scan(index, seg, offset, sentence, sentence_id, out)
        _check_doubled_words(index, seg, out)


class _PhraseIndex:
    """Every run of MIN_REPEATED_PHRASE characters inside a clause, with where it was first written.

    A repeated long phrase in another sentence (完善了食堂卫生检查制度和考核办法 …
    今年还完善了食堂卫生检查制度和考核办法) reads as padding even when the sentences
    around it differ; runs never cross punctuation, so lists and parallel
    phrasing (程序化、契约化、规范化) do not count.
    """

    def __init__(self) -> None:
        self.first: dict[str, tuple[int, str, str, int]] = {}  # run → (sentence id, where, clause, offset in clause)

    def scan(self, index: int, seg: _Segment, offset: int, sentence: str, sentence_id: int, out: _Collector) -> None:
        size = MIN_REPEATED_PHRASE
        for m in _CLAUSE.finditer(sentence):
            clause, start = m.group(), offset + m.start()
            if len(clause) < size:
                continue
            i = 0
            while i + size <= len(clause):
                seen = self.first.get(clause[i:i + size])
                if seen is None or seen[0] == sentence_id:
                    i += 1
                    continue
                _, where, other, j = seen
                length = size
                while i + length < len(clause) and j + length < len(other) and clause[i + length] == other[j + length]:
                    length += 1
                phrase = clause[i:i + length]
                if seg.heading or _quoted(seg.text, start + i) or not _has_predicate(seg, start + i, length):
                    i += length
                    continue  # titles, quotations and names (某某省气象局后勤服务中心) are repeated on purpose
                out.add(index, seg, start + i, "repetition", f"“{phrase}”与 {where} 重复",
                        _excerpt(seg.text, start + i, start + i + length), "删去重复的说法，或换一种说法")
                i += length
            for i in range(len(clause) - size + 1):
                run = clause[i:i + size]
                if run not in self.first and _CJK_CHAR.search(run):
                    self.first[run] = (sentence_id, seg.locate(start + i), clause, i)


_PREDICATE_TAGS = ("v", "p", "u", "d", "c", "r", "a")


def _has_predicate(seg: _Segment, start: int, length: int) -> bool:
    """Whether a phrase says something (has a verb, adverb or function word) rather than names something.

    Only words strictly inside the phrase count: a name followed by 是 is still a name.
    """
    inside = [t for t in seg.tokens() if t.start > start and t.end < start + length]
    return any(t.tag.startswith(_PREDICATE_TAGS) and not t.tag.startswith("vn") for t in inside)


def _check_doubled_words(index: int, seg: _Segment, out: _Collector) -> None:
    """The same word twice in a row (组织人员对对单元试卷, 我们我们): a typing slip."""
    if not _CJK_CHAR.search(seg.text):
        return
    tokens = seg.tokens()
    for prev, tok in pairwise(tokens):
        if prev.word != tok.word or not _CJK_CHAR.fullmatch(tok.word[0]):
            continue
        tag = tok.tag
        if len(tok.word) == 1:
            doubled = tag.startswith(_DOUBLE_TAGS_SINGLE)
        else:
            doubled = tag.startswith(_DOUBLE_TAGS_WORD) and not tag.startswith(("nr", "vn"))
        if doubled:
            out.add(index, seg, tok.start, "repetition", f"“{tok.word}”连写了两次",
                    _excerpt(seg.text, prev.start, tok.end), f"删去一个“{tok.word}”")


# --------------------------------------------------------------------------- number ranges

_NUM = r"\d+(?:\.\d+)?"
_RANGE = re.compile(
    rf"(?P<a>{_NUM})(?P<au>%|万|亿|年)?\s*(?P<sep>[-－~〜～–—―]|至|到)\s*(?P<b>{_NUM})(?P<bu>%|万|亿|年)?"
)
_TIME_UNITS = ("年", "月", "日", "时", "点", "世纪", "学年", "季度", "号")
_DASHES = "-－~〜–"  # never right between numbers in Chinese text
_LABEL_BEFORE = "表图式"  # 表1-2 is a table number, not a range


def _is_year(number: str) -> bool:
    return len(number) == 4 and number.isdigit() and 1000 <= int(number) <= 2199


def _plain_number(number: str) -> bool:
    """A quantity, not a code: no leading zero (0.5 is fine)."""
    return not (len(number) > 1 and number[0] == "0" and number[1] != ".")


def _unit_follows(text: str, end: int) -> bool:
    after = text[end:end + 1]
    return bool(after) and (bool(_CJK_CHAR.match(after)) or after in "%‰")


def _check_ranges(index: int, seg: _Segment, masked: str, out: _Collector) -> None:
    text = seg.text
    for m in _RANGE.finditer(masked):
        start, end = m.span()
        before = _neighbour(masked, start, -1)
        after = masked[end] if end < len(masked) else ""
        if (before and (_is_latin(before) or before in ".-/_#－–—―~" or before in _LABEL_BEFORE)) \
                or (after and (after.isdigit() or after in ".-/:－–—―" or _is_latin(after))):
            continue  # ISO9001-2000, 1.2-3, chains like 04-0094-03, 表1-2
        if before == ":" and start > 1 and masked[start - 2].isdigit():
            continue  # 9:30-10:30 is a span of clock times
        a, b, sep = m.group("a"), m.group("b"), m.group("sep")
        if not (_plain_number(a) and _plain_number(b)):
            continue  # 0791-8888888: a telephone number or a code
        if len(a) >= 4 and len(b) >= 4 and not (_is_year(a) and _is_year(b)) and not _unit_follows(masked, end):
            continue  # 1672-4496: an ISSN or a serial number, not a range of quantities
        rest = masked[end:end + 2]
        years = _is_year(a) and _is_year(b) and m.group("bu") in (None, "年")
        problems: list[str] = []
        suggestion = ""
        if years or (m.group("bu") is None and rest.startswith(_TIME_UNITS)):
            if sep in _DASHES:
                problems.append("起止时间应使用一字线“—”")
                suggestion = f"{a}{m.group('au') or ''}—{b}{m.group('bu') or ''}"
        else:
            bu = m.group("bu") or ""
            au = m.group("au") or ""
            fixed_sep = "～" if sep in _DASHES or sep in "—―" else sep
            if fixed_sep != sep:
                problems.append("数值范围应使用浪纹线“～”")
            if bu in ("%", "万", "亿") and not au:
                problems.append(f"范围两端都要带“{bu}”")
                au = bu
            if problems:
                suggestion = f"{a}{au}{fixed_sep}{b}{bu}"
        if problems:
            out.add(index, seg, start, "number-range", "；".join(problems), _excerpt(text, start, end),
                    f"改为“{suggestion}”")


# --------------------------------------------------------------------------- dates

_ISO_DATE = re.compile(r"(?<![\d.\-/])(?P<y>(?:19|20)\d{2})\s*(?P<s>[-/.－])\s*(?P<m>\d{1,2})\s*(?P=s)\s*(?P<d>\d{1,2})"
                       r"(?![\d.\-/])(?:\s*日)?")
_CN_DATE = re.compile(r"(?<!\d)(?P<y>\d{2}|\d{4})\s*年\s*(?P<m>\d{1,2})\s*月(?:\s*(?P<d>\d{1,2})\s*日)?")
_CN_DIGIT_CHARS = "〇零一二三四五六七八九"
_HANZI_DATE = re.compile(
    rf"(?P<y>[{_CN_DIGIT_CHARS}]{{4}})年(?P<m>[一二三四五六七八九十]{{1,2}})月(?:(?P<d>[一二三四五六七八九十]{{1,3}})日)?"
)


def _valid_date(month: int, day: int | None) -> bool:
    return 1 <= month <= 12 and (day is None or 1 <= day <= 31)


def _date_text(year: int, month: int, day: int | None) -> str:
    return f"{year}年{month}月" + (f"{day}日" if day is not None else "")


def _check_dates(index: int, seg: _Segment, out: _Collector) -> list[tuple[int, int]]:
    """Dates not written 2026年1月20日.  Returns the spans found, so ranges do not report them again."""
    text = seg.text
    spans: list[tuple[int, int]] = []
    if seg.reference:
        return spans
    message = "日期应写作“2026年1月20日”的形式（年份写全，月、日不加“0”）"
    for m in _ISO_DATE.finditer(text):
        year, month, day = int(m.group("y")), int(m.group("m")), int(m.group("d"))
        if not _valid_date(month, day):
            continue
        spans.append(m.span())
        out.add(index, seg, m.start(), "date", message, _excerpt(text, m.start(), m.end()),
                f"改为“{_date_text(year, month, day)}”")
    for m in _CN_DATE.finditer(text):
        y, mo, d = m.group("y"), m.group("m"), m.group("d")
        if not _valid_date(int(mo), int(d) if d else None):
            continue
        short_year = len(y) == 2
        zeros = mo.startswith("0") or bool(d and d.startswith("0"))
        if not (short_year or zeros) or (short_year and d is None):
            continue  # 26年1月 alone is too often a span of years ("近26年1月……" is rare, "26年来" common)
        full_year = int(y) if not short_year else 2000 + int(y)
        spans.append(m.span())
        suggestion = _date_text(full_year, int(mo), int(d) if d else None)
        out.add(index, seg, m.start(), "date", message, _excerpt(text, m.start(), m.end()),
                f"改为“{suggestion}”" + ("（请核对年份）" if short_year else ""))
    for m in _HANZI_DATE.finditer(text):
        year = "".join(str(_CN_DIGITS[c]) for c in m.group("y"))
        month = _cn_to_int(m.group("m"))
        day = _cn_to_int(m.group("d")) if m.group("d") else None
        if month is None or not _valid_date(month, day):
            continue
        spans.append(m.span())
        out.add(index, seg, m.start(), "date", "日期应使用阿拉伯数字（GB/T 9704—2012）", _excerpt(text, m.start(), m.end()),
                f"改为“{_date_text(int(year), month, day)}”")
    return spans


# --------------------------------------------------------------------------- numerals (GB/T 15835)

def _cn_to_int(text: str) -> int | None:
    """The exact number a Chinese numeral writes, or None (approximations such as 三五天 are not one)."""
    try:
        return cn_to_int(text)
    except ValueError:
        return None



# Units of measurement: GB/T 15835 wants Arabic numerals with them, whatever the number.
_MEASURE_UNITS = ("万元", "亿元", "千元", "元", "平方千米", "平方公里", "平方米", "平米", "立方米", "公里", "千米", "厘米",
                  "毫米", "米", "公斤", "千克", "克", "吨", "公顷", "亩", "千瓦时", "千瓦", "毫升", "升")
# Measure words of counting: Arabic for long numbers and in inventories (办公桌七张); either form otherwise.
_COUNT_WORDS = ("人次", "个", "名", "位", "人", "次", "项", "件", "张", "台", "套", "辆", "间", "座", "所", "栋", "幢", "块",
                "株", "棵", "盏", "部", "本", "册", "份", "把", "条", "家", "户", "篇", "场", "批", "支", "处", "期", "类",
                "种", "门", "节", "箱", "袋", "车")
_CN_COUNT = re.compile(
    rf"(?P<num>[{_CN_NUM_CHARS}]+)(?P<unit>{'|'.join(sorted(_MEASURE_UNITS + _COUNT_WORDS, key=len, reverse=True))})"
)
_PERCENT_CN = re.compile(rf"百分之(?P<num>[{_CN_NUM_CHARS}点]+)")
_NOT_COUNT_BEFORE = ("第", "初", "高", "周", "星期", "礼拜", "这", "那", "哪", "每", "约", "近", "数", "几", "上", "成", "逾")
_APPROX_AFTER = ("几", "多", "余", "来", "左右", "上下")
_FIXED_TAGS = ("i", "l", "j", "nz", "z")  # idioms, set phrases, abbreviations, proper terms
_FIXED_TAGS_LONG = ("mq", "d", "c", "r", "a")  # only as words of three or more characters (一方面、一次性)
_SHORT_ARABIC = re.compile(r"(?<![\d.,:/%A-Za-z\-])\d{1,2}(?![\d.,:/%A-Za-z])")
_TIME_AFTER = frozenset("年月日号时点分秒周岁")
_FULLWIDTH_DIGITS = re.compile(r"[０-９]+(?:[．.][０-９]+)?")


def _quoted(text: str, index: int) -> bool:
    """Inside “…” or 《…》 in this paragraph (names and slogans keep their own numerals)."""
    for opener, closer in (("“", "”"), ("《", "》")):
        left = text.rfind(opener, 0, index)
        if left != -1 and text.rfind(closer, left, index) == -1 and text.find(closer, index) != -1:
            return True
    return False


def _check_numerals(index: int, seg: _Segment, out: _Collector) -> None:
    text = seg.text
    if seg.reference:
        return
    for m in _FULLWIDTH_DIGITS.finditer(text):
        half = m.group().translate(str.maketrans("０１２３４５６７８９．", "0123456789."))
        out.add(index, seg, m.start(), "numerals", "用了全角数字", _excerpt(text, m.start(), m.end()), f"改为半角“{half}”")
    if not re.search(f"[{_CN_NUM_CHARS}]|\\d", text):
        return
    tokens = seg.tokens()
    starts = {t.start for t in tokens}
    ends = {t.end for t in tokens}

    for m in _PERCENT_CN.finditer(text):
        number = m.group("num")
        if number in ("百", "一百") or _quoted(text, m.start()):
            continue  # 百分之百的努力: an idiom, not a measurement
        value = _cn_decimal(number)
        if value is None:
            continue
        out.add(index, seg, m.start(), "numerals", "百分数应使用阿拉伯数字", _excerpt(text, m.start(), m.end()),
                f"改为“{value}%”")

    for m in _CN_COUNT.finditer(text):
        number, unit = m.group("num"), m.group("unit")
        start, end = m.span()
        if start not in starts or end not in ends or _quoted(text, start):
            continue  # inside a word: 三番五次, 一元化, 三个代表
        if text[:start].endswith(_NOT_COUNT_BEFORE) or text[end:].startswith(_APPROX_AFTER):
            continue  # ordinals (第五届), grades (初三), approximations (几十个, 十多人, 约三百人)
        value = _cn_to_int(number)
        if value is None or value == 0:
            continue  # 三五天, 七八个: approximate numbers stay in Chinese
        if number.startswith(("万", "亿", "千", "百")):
            continue
        measurement = unit in _MEASURE_UNITS
        if measurement:
            message = "计量数字应使用阿拉伯数字"
        elif len(number) >= 2:
            message = "多位数的计数应使用阿拉伯数字"
        elif number != "一" and _inventory(text, tokens, start, end):
            message = "清点数量（名词后接数量）应使用阿拉伯数字"
        else:
            continue  # 两名同志、三个转变、一项任务: GB/T 15835 accepts either form
        arabic = _arabic_number(number, value)
        out.add(index, seg, start, "numerals", message, _excerpt(text, start, end), f"改为“{arabic}{unit}”")

    for m in _SHORT_ARABIC.finditer(text):
        start, end = m.span()
        after = text[end] if end < len(text) else ""
        if not _CJK_CHAR.match(after or " "):
            continue
        if after in _TIME_AFTER:
            continue  # 2月份, 3日, 10时, 5年: dates and times take Arabic numerals (GB/T 15835 §4.1.1)
        phrase = _fixed_phrase(text, start, end, cn_number(int(m.group())))
        if phrase:
            out.add(index, seg, start, "numerals", f"固定词语“{phrase}”应使用汉字数字",
                    _excerpt(text, start, end + 2), f"改为“{phrase}”")


def _inventory(text: str, tokens: list[_Token], start: int, end: int) -> bool:
    """办公桌七张、打印机三台: a count right after the noun it counts, closing the phrase (an inventory)."""
    previous = [t for t in tokens if t.end == start]
    if not previous or not previous[0].tag.startswith(("n", "vn")) or previous[0].tag.startswith("nr"):
        return False
    after = text[end:end + 1]
    return not after or not _CJK_CHAR.match(after) or after in "和及与"


def _cn_decimal(text: str) -> str | None:
    whole, _, frac = text.partition("点")
    value = _cn_to_int(whole) if whole else 0
    if value is None or any(c not in _CN_DIGITS for c in frac):
        return None
    return str(value) + ("." + "".join(str(_CN_DIGITS[c]) for c in frac) if frac else "")


def _arabic_number(number: str, value: int) -> str:
    """二百三十五 → 235, 五万 → 5万 (GB/T 15835 keeps 万 and 亿 as units)."""
    if number.endswith("亿") and value % 100_000_000 == 0:
        return f"{value // 100_000_000}亿"
    if number.endswith("万") and value % 10_000 == 0:
        return f"{value // 10_000}万"
    return str(value)


def _fixed_phrase(text: str, start: int, end: int, numeral: str) -> str | None:
    """If the Arabic number at start:end belongs to a fixed phrase (1方面 → 一方面), return the phrase.

    The digits are replaced by Chinese numerals and the surroundings segmented
    again: when the numeral then falls inside one word that is an idiom, a set
    phrase or an abbreviation (三番五次、四书五经、三个代表), or a function word of
    three or more characters (一方面、一次性), the Arabic form is wrong.  Numerals
    with a measure word (一楼、一起、三年级) are counts or numbers that may be
    written either way, and a bare label (3强化工作措施) segments as 三/强化.
    """
    jieba, _ = _jieba()
    left = max(0, start - 6)
    right = min(len(text), end + 6)
    before = _SHORT_ARABIC.sub(lambda m: cn_number(int(m.group())), text[left:start])
    after = _SHORT_ARABIC.sub(lambda m: cn_number(int(m.group())), text[end:right])
    converted = before + numeral + after
    position = len(before)
    offset = 0
    for word in jieba.dt.cut(converted):
        word_start, offset = offset, offset + len(word)
        if word_start <= position < offset:
            if offset < position + len(numeral) or len(word) < 2:
                return None
            tag = _word_tag(word)
            if tag is None:
                return None
            if tag.startswith(_FIXED_TAGS) and not tag.startswith("nr"):
                return word
            if tag in _FIXED_TAGS_LONG and len(word) >= 3:
                return word
            return None
    return None


# --------------------------------------------------------------------------- wording

# Commonly confused words whose wrong form is never right (a short list on purpose).
_CONFUSED: tuple[tuple[str, str], ...] = (
    ("签定", "签订"), ("布署", "部署"), ("挡次", "档次"), ("必竟", "毕竟"), ("再接再励", "再接再厉"),
    ("一如继往", "一如既往"), ("迫不急待", "迫不及待"), ("按步就班", "按部就班"), ("安步就班", "按部就班"),
    ("重迭", "重叠"), ("融汇贯通", "融会贯通"), ("言简意骇", "言简意赅"), ("走头无路", "走投无路"),
    ("全力以付", "全力以赴"), ("出谋化策", "出谋划策"), ("即往开来", "继往开来"), ("精兵减政", "精兵简政"),
    ("默守成规", "墨守成规"), ("松驰", "松弛"), ("峻工", "竣工"), ("装璜", "装潢"), ("寒喧", "寒暄"),
    ("竟赛", "竞赛"), ("竟争", "竞争"), ("既往不究", "既往不咎"), ("鞠躬尽粹", "鞠躬尽瘁"), ("川流不惜", "川流不息"),
    ("穿流不息", "川流不息"), ("声名雀起", "声名鹊起"), ("变本加利", "变本加厉"), ("针贬时弊", "针砭时弊"),
    ("贯切", "贯彻"), ("帐户", "账户"), ("帐目", "账目"), ("记帐", "记账"), ("报帐", "报账"), ("对帐", "对账"),
)
_CONFUSED_RE = re.compile("|".join(w for w, _ in _CONFUSED))
_CONFUSED_MAP = dict(_CONFUSED)
# 截至 is followed by the moment (截至2025年底); 截止 ends a clause (报名截止) or takes 到/于/日期/时间.
_JIEZHI_BEFORE_DATE = re.compile(r"截止(?=\s*(?:\d|[〇零一二三四五六七八九十]+年|目前|今|本|上|年底|月底|昨|当前|发稿))")
_JIEZHI_AT_END = re.compile(r"截至(?=\s*(?:[，。；、）！？]|$|日期|时间|期限))")


def _check_wording(index: int, seg: _Segment, out: _Collector) -> None:
    text = seg.text
    for m in _CONFUSED_RE.finditer(text):
        right = _CONFUSED_MAP[m.group()]
        out.add(index, seg, m.start(), "wording", f"“{m.group()}”应为“{right}”", _excerpt(text, m.start(), m.end()),
                f"改为“{right}”")
    for m in _JIEZHI_BEFORE_DATE.finditer(text):
        out.add(index, seg, m.start(), "wording", "后面接时间时应写“截至”（截至某时）", _excerpt(text, m.start(), m.end() + 6),
                "改为“截至”")
    for m in _JIEZHI_AT_END.finditer(text):
        out.add(index, seg, m.start(), "wording", "表示到期停止应写“截止”", _excerpt(text, m.start(), m.end()),
                "改为“截止”")


# --------------------------------------------------------------------------- empty sections

_PROBLEM_WORDS = re.compile(r"问题|不足|差距|困难|短板|薄弱|教训|缺点")
_PLAN_WORDS = re.compile(r"下一步|今后|明年|来年|下学期|下半年|新的一年|新学期|打算|计划|安排|思路|努力方向|展望|设想|改进|建议|对策|措施")
_SECTION_NAMES = {"problems": "存在问题", "plans": "下一步打算"}


def _heading_like(seg: _Segment) -> bool:
    text = seg.text.strip()
    return seg.heading or (bool(label_family(text)) and len(text) <= 40 and not text.endswith(("。", "；")))


def _check_sections_text(segments: list[_Segment], out: _Collector) -> None:
    """A text summary with level-1 headings should have non-empty problems and plans sections."""
    lines = [(i, s) for i, s in enumerate(segments) if s.text.strip()]
    headings = [(n, i, s) for n, (i, s) in enumerate(lines) if _heading_like(s)]
    if sum(1 for _, _, s in headings if label_family(s.text) in ("cn", "chapter")) < 2:
        return  # not a structured summary (a fragment, a letter): nothing to expect
    for key, words in (("problems", _PROBLEM_WORDS), ("plans", _PLAN_WORDS)):
        found = False
        for n, i, seg in headings:
            title = strip_label(seg.text.strip())
            if not words.search(title[:15]):
                continue
            found = True
            family = label_family(seg.text)
            following = lines[n + 1][1] if n + 1 < len(lines) else None
            empty = following is None or (
                _heading_like(following) and label_family(following.text) in {family, "", "chapter", "cn"}
            )
            if empty:
                out.add(i, seg, 0, "empty-section", f"“{_SECTION_NAMES[key]}”部分是空的", _excerpt(seg.text, 0, 20, 0),
                        f"在“{title}”下写出具体内容，或删去这个标题")
        if not found:
            first_index, first = lines[0]
            out.add(first_index, first, 0, "empty-section", f"总结里没有“{_SECTION_NAMES[key]}”部分",
                    "", f"工作总结通常要写{_SECTION_NAMES[key]}")


# --------------------------------------------------------------------------- the engine


def _run(segments: list[_Segment], *, max_sentence: int, collector: _Collector | None = None,
         sections: bool = True) -> CheckResult:
    if max_sentence <= 0:
        raise CheckInputError(f"句子长度上限必须是正整数，实际是 {max_sentence}")
    out = collector or _Collector()
    for index, seg in enumerate(segments):
        if not seg.text.strip():
            continue
        _check_punctuation(index, seg, out)
        date_spans = _check_dates(index, seg, out)
        masked = seg.text
        for a, b in date_spans:
            masked = masked[:a] + "#" * (b - a) + masked[b:]
        for a, b in _protected(seg.text):
            masked = masked[:a] + "#" * (b - a) + masked[b:]
        if not seg.reference:
            _check_ranges(index, seg, masked, out)
        _check_numerals(index, seg, out)
        _check_wording(index, seg, out)
        _check_long_sentences(index, seg, max_sentence, out)
    _check_repetition(segments, out)
    if sections:
        _check_sections_text(segments, out)
    # The segments are already segmented into words: rank keywords from those rather than cut the text again.
    words = [t for s in segments if not s.reference and s.text.strip() for t in s.tokens()]
    return CheckResult(_rank_keywords(words, 5), out.sorted())


def _text_segments(text: str, name: str) -> list[_Segment]:
    label = name or "<输入>"
    segments: list[_Segment] = []
    for number, line in enumerate(text.splitlines(), start=1):
        segments.append(_Segment(line, lambda offset, n=number: f"{label}:{n}:{offset + 1}",
                                 reference=bool(_REFERENCE.match(line))))
    return segments


def check_text(text: str, *, name: str = "", max_sentence: int = DEFAULT_MAX_SENTENCE) -> CheckResult:
    """Check plain text, one paragraph per line; each finding's where is ``name:line:col``."""
    _check_size(len(text), name or "<输入>")
    return _run(_text_segments(text, name), max_sentence=max_sentence)


def _read_text(path: Path) -> str:
    try:
        with path.open("rb") as handle:  # at most 4 bytes a character: more cannot pass _check_size
            data = handle.read(MAX_CHECK_CHARS * 4 + 1)
        if len(data) > MAX_CHECK_CHARS * 4:
            raise CheckInputError(f"{path}：文件太大（超过 {MAX_CHECK_CHARS * 4 // 1024 // 1024} MB），检查的上限是 "
                                  f"{MAX_CHECK_CHARS // 10_000} 万字；请确认选对了文件，或把文件拆成几份分别检查")
    except FileNotFoundError:
        raise CheckInputError(f"{path}：找不到这个文件（请检查路径和文件名）") from None
    except IsADirectoryError:
        raise CheckInputError(f"{path}：这是一个文件夹，不是文件") from None
    except OSError as exc:
        raise CheckInputError(f"{path}：无法读取（{exc.strerror}）") from None
    if b"\x00" in data[:4096]:
        raise CheckInputError(f"{path}：这不是文本文件（含有二进制内容）；可检查 .txt、.yaml 或 .docx 文件")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        raise CheckInputError(f"{path}：文件编码无法识别（既不是 UTF-8，也不是 GBK/GB18030）") from None


# --------------------------------------------------------------------------- records files

_VERBATIM_KEYS = frozenset({"template", "date", "keywords", "value", "unit"})
_SKIPPABLE = "\"'|>-+\\"


def _align(value: str, source: str, start: int) -> list[int] | None:
    """Source index of each character of a scalar's value, or None when they cannot be matched.

    YAML drops quotes, indentation and folded line breaks; walking the value and
    the source side by side, skipping only those, finds where each character was
    typed, so a finding inside a long multi-line string still gets its own line.
    """
    positions: list[int] = []
    j, n = start, len(source)
    for ch in value:
        if ch.isspace():
            positions.append(min(j, n - 1))
            while j < n and source[j].isspace():
                j += 1
            continue
        while j < n and source[j] != ch:
            if source[j].isspace() or source[j] in _SKIPPABLE:
                j += 1
            else:
                return None
        if j >= n:
            return None
        positions.append(j)
        j += 1
    return positions


class _SourceMap:
    """Line/column arithmetic over the records file's text."""

    def __init__(self, text: str, name: str) -> None:
        self.text = text
        self.name = name
        self.starts = [0]
        for m in re.finditer("\n", text):
            self.starts.append(m.end())

    def index(self, line: int, column: int) -> int:
        return self.starts[line - 1] + column - 1 if 0 < line <= len(self.starts) else 0

    def where(self, index: int) -> str:
        line = bisect_right(self.starts, index)
        return f"{self.name}:{line}:{index - self.starts[line - 1] + 1}"

    def locator(self, value: str, path: tuple[Any, ...], mark: tuple[int, int] | None) -> Callable[[int], str]:
        if mark is None:
            return lambda offset: self.name
        start = self.index(*mark)
        if path and isinstance(path[-1], str):  # the mark is the key's: the value starts after its colon
            colon = self.text.find(":", start)
            start = colon + 1 if colon != -1 else start
        positions = _align(value, self.text, start)
        fallback = f"{self.name}:{mark[0]}:{mark[1]}"
        if positions is None:
            return lambda offset: fallback
        return lambda offset: self.where(positions[min(offset, len(positions) - 1)]) if positions else fallback


def _walk_strings(data: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], str]]:
    if isinstance(data, dict):
        for key, value in data.items():
            if key in _VERBATIM_KEYS:
                continue
            yield from _walk_strings(value, (*path, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _walk_strings(value, (*path, i))
    elif isinstance(data, str):
        yield path, data


def _part_empty(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, list):
        return not any(_has_text(v) for v in value)
    if isinstance(value, dict):
        return not any(_has_text(value.get(k)) for k in ("lead", "items", "after"))
    return not _has_text(value)


def _has_text(value: Any) -> bool:
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, dict):
        return any(_has_text(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_text(v) for v in value)
    return value is not None


def _free_section(data: dict[str, Any], words: re.Pattern[str]) -> bool:
    """A non-empty free section (sections:) whose heading names the part, at any depth."""
    def walk(sections: Any) -> bool:
        if not isinstance(sections, list):
            return False
        for section in sections:
            if not isinstance(section, dict):
                continue
            heading = str(section.get("heading") or "")
            if words.search(heading[:15]) and _has_text({k: v for k, v in section.items() if k != "heading"}):
                return True
            if walk(section.get("subsections")):
                return True
        return False

    return walk(data.get("sections"))


def _check_sections_records(data: dict[str, Any], marks: Mapping[tuple[Any, ...], tuple[int, int]],
                            source: _SourceMap, out: _Collector) -> None:
    meta = data.get("meta") if isinstance(data.get("meta"), dict) else {}
    kind = str((meta or {}).get("kind") or "工作总结")
    if "总结" not in kind:
        return  # a survey report or a speech need not have problems and plans
    for key, words in (("problems", _PROBLEM_WORDS), ("plans", _PLAN_WORDS)):
        name = _SECTION_NAMES[key]
        value = data.get(key)
        if not _part_empty(value) or _free_section(data, words):
            continue
        if key in data:
            line, column = marks.get((key,), (1, 1))
            seg = _Segment("", lambda offset, w=f"{source.name}:{line}:{column}": w)
            out.add(-1, seg, 0, "empty-section", f"“{name}”（{key}）是空的", f"{key}:", f"在 {key} 下写出具体条目")
        else:
            seg = _Segment("", lambda offset: f"{source.name}:1")
            out.add(-1, seg, 0, "empty-section", f"记录中没有“{name}”（{key}）部分", "",
                    f"工作总结通常要写{name}：加上 {key}: 并列出条目")


# --------------------------------------------------------------------------- text against metrics

_TEXT_NUMBER = re.compile(rf"(?<![\d.])(?P<num>\d+(?:\.\d+)?|[{_CN_NUM_CHARS}]+)(?P<big>万亿|亿|万)?(?P<after>余|多)?")
_NAME_REACH = 16  # characters after a metric's name within which its number is looked for


def _text_numbers(text: str, unit: str) -> list[tuple[int, int, Decimal]]:
    """(start, end, value) of every number followed by ``unit`` in a text (7张, 12.5万元, 七张, 95.6%)."""
    found = []
    for m in _TEXT_NUMBER.finditer(text):
        big = m.group("big") or ""
        rest = text[m.end():]
        if unit and not rest.startswith(unit):
            if big and unit.startswith(big) and (big + rest).startswith(unit):  # 12.5万元 with unit 万元
                big = ""
            else:
                continue
        digits = m.group("num")
        if digits[0].isdigit():
            number = Decimal(digits)
        else:
            whole = _cn_to_int(digits)
            if whole is None:
                continue
            number = Decimal(whole)
        if big:
            number *= {"万亿": Decimal(10) ** 12, "亿": Decimal(10) ** 8, "万": Decimal(10) ** 4}[big]
        found.append((m.start(), m.end() + len(unit), number))
    return found


def _metric_fields(metric: Mapping[str, Any]) -> tuple[str, Any, str]:
    from ..records.model import METRIC_ALIASES

    plain = {METRIC_ALIASES.get(k, k): v for k, v in metric.items()}
    return str(plain.get("name") or ""), plain.get("value"), str(plain.get("unit") or "")


def _check_metrics_records(data: Any, marks: Mapping[tuple[Any, ...], tuple[int, int]], source: _SourceMap,
                           out: _Collector, path: tuple[Any, ...] = ()) -> None:
    """An item's text against its own metrics: each number written beside the metric's name (or the only
    number with its unit) must be the metric's value; a disagreement is reported with both numbers."""
    from ..records.yamlmarks import nearest_mark
    from ..zh.numformat import QuantityError, parse_quantity

    if isinstance(data, list):
        for i, value in enumerate(data):
            _check_metrics_records(value, marks, source, out, (*path, i))
        return
    if not isinstance(data, dict):
        return
    text, metrics = data.get("text"), data.get("metrics", data.get("指标"))
    if isinstance(text, str) and isinstance(metrics, list):
        text_path = (*path, "text")
        seg = _Segment(text, source.locator(text, text_path, nearest_mark(marks, text_path)))
        parsed = []
        for metric in metrics:
            if not isinstance(metric, dict):
                continue
            name, value, unit = _metric_fields(metric)
            try:
                number, approx = parse_quantity(value)
            except QuantityError:
                continue
            if unit and approx is None:
                parsed.append((name, number, unit))
        for name, number, unit in parsed:
            numbers = _text_numbers(text, unit)
            if not numbers or any(found == number for _, _, found in numbers):
                continue
            at = text.find(name) if name else -1
            near = [n for n in numbers if at != -1 and at + len(name) <= n[0] <= at + len(name) + _NAME_REACH]
            alone = len(numbers) == 1 and sum(1 for _, _, u in parsed if u == unit) == 1
            candidate = near[0] if near else (numbers[0] if alone else None)
            if candidate is None:
                continue
            start, end, _ = candidate
            out.add(-1, seg, start, "metric",
                    f"正文写的是“{text[start:end]}”，指标“{name}”的 value 是 {num(str(number))}{unit}",
                    _excerpt(text, start, end), "请核对：改正文或改 metrics 里的 value，使两处一致")
    for key, value in data.items():
        if key not in _VERBATIM_KEYS:
            _check_metrics_records(value, marks, source, out, (*path, key))


def check_records(path: str | os.PathLike[str], *, max_sentence: int = DEFAULT_MAX_SENTENCE) -> CheckResult:
    """Check a records YAML file as written (before the loader fixes punctuation), each finding at file:line:col."""
    from ..records.decoding import read_source, strip_forbidden
    from ..records.yamlmarks import nearest_mark, parse_yaml

    source = strip_forbidden(read_source(path))
    marked = parse_yaml(source)
    smap = _SourceMap(source.text, source.name)
    segments: list[_Segment] = []
    for spath, value in _walk_strings(marked.data):
        if not value.strip():
            continue
        locate = smap.locator(value, spath, nearest_mark(marked.marks, spath))
        heading = bool(spath) and spath[-1] in ("heading", "title", "subtitle", "caption")
        segments.append(_Segment(value, locate, reference="references" in spath or bool(_REFERENCE.match(value)),
                                 heading=heading))
    out = _Collector()
    result = _run(segments, max_sentence=max_sentence, collector=out, sections=False)
    if isinstance(marked.data, dict):
        _check_sections_records(marked.data, marked.marks, smap, out)
    _check_metrics_records(marked.data, marked.marks, smap, out)
    return CheckResult(result.keywords, _summarize_repaired(sorted(out.sorted(), key=_where_key)))


def _summarize_repaired(findings: list[Finding]) -> list[Finding]:
    """Half-width punctuation in records is repaired by `render` (records/textclean.py): reported once, as one
    summary line at the first place, instead of dozens of findings nobody needs to act on."""
    repaired = [f for f in findings if f.code == "punctuation" and f.message.startswith("中文里用了半角")]
    if len(repaired) <= 1:
        return findings
    first = repaired[0]
    summary = Finding("punctuation", f"中文里有 {len(repaired)} 处半角标点（第一处在这里），生成文档时会自动改为全角",
                      first.where, first.excerpt, "不必逐一修改；要让记录文件本身也改好，运行 summarykit check --fix 文件")
    kept = [f for f in findings if f not in repaired]
    return sorted([*kept, summary], key=_where_key)


def _where_key(finding: Finding) -> tuple[int, int]:
    """file:line:col → (line, col), so records findings read top to bottom whatever check found them."""
    parts = finding.where.rsplit(":", 2)
    numbers = [int(p) for p in parts[1:] if p.isdigit()]
    padded = [*numbers, 0, 0]
    return padded[0], padded[1]


# --------------------------------------------------------------------------- Word documents


def check_docx(path: str | os.PathLike[str], *, max_sentence: int = DEFAULT_MAX_SENTENCE) -> CheckResult:
    """Check the body paragraphs of a DOCX; where is 第N段 (counting non-empty paragraphs, as Word does)."""
    p = Path(path)
    if not p.is_file():
        raise CheckInputError(f"{path}：找不到这个文件（请检查路径和文件名）")
    from ..zh.docxtext import DocxTooLarge, UnreadableDocx, read_docx

    try:
        blocks = read_docx(p)
    except DocxTooLarge as exc:
        raise CheckInputError(f"{path}：{exc}") from None
    except UnreadableDocx as exc:
        if exc.damaged:  # zipfile.BadZipFile and lxml errors: not a usable DOCX
            raise CheckInputError(f"{path}：文件已损坏或不是 .docx 格式（{exc.kind}）") from None
        raise CheckInputError(f"{path}：无法作为 Word 文档（.docx）打开（{exc.kind}）") from None
    segments: list[_Segment] = []
    number = 0
    for block in blocks:
        # Word's own numbering labels are part of what a reader sees; a table's cells are text too
        # (located after the paragraph they follow, so paragraph numbers stay Word's).
        if block.table is not None:
            for cell in (c for row in block.table for c in row if c.strip()):
                segments.append(_Segment(cell, lambda offset, n=number: f"第{n}段后的表格"))
            continue
        text = block.labelled_text
        if not text.strip():
            continue
        number += 1
        heading = block.heading_level is not None or block.title or block.style.lower().startswith("heading")
        segments.append(_Segment(text, lambda offset, n=number: f"第{n}段",
                                 reference=bool(_REFERENCE.match(text)), heading=heading))
    _check_size(sum(len(segment.text) for segment in segments), str(path))
    return _run(segments, max_sentence=max_sentence)


#: Characters of text `check` reads: a long annual summary is some 50,000; beyond this the checks
#: (sentence by sentence, with word segmentation) would take minutes and the file is not a summary.
MAX_CHECK_CHARS = 2_000_000


def _check_size(chars: int, name: str) -> None:
    if chars > MAX_CHECK_CHARS:
        raise CheckInputError(f"{name}：文字太多（{chars // 10_000} 万字），检查的上限是 {MAX_CHECK_CHARS // 10_000} 万字；"
                              "请确认选对了文件，或把文件拆成几份分别检查")


def check_file(path: str | os.PathLike[str], **options: Any) -> CheckResult:
    """Check a records file (.yaml/.yml), a Word document (.docx) or plain text (anything else)."""
    p = Path(path)
    if not p.exists():
        raise CheckInputError(f"{path}：找不到这个文件（请检查路径和文件名）")
    if p.is_dir():
        raise CheckInputError(f"{path}：这是一个文件夹，不是文件")
    if not p.is_file():  # a FIFO or a device would block the read, or never end
        raise CheckInputError(f"{path}：不是普通文件（可能是管道或设备），不能检查")
    suffix = p.suffix.lower()
    if suffix in (".yaml", ".yml"):
        return check_records(path, **options)
    if suffix == ".docx":
        return check_docx(path, **options)
    text = _read_text(Path(path))
    return check_text(text, name=str(path), **options)



# --------------------------------------------------------------------------- check --fix

_SAFE_REPAIRS = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！"}


def fix_records(path: str | os.PathLike[str]) -> int:
    """Write the safe repairs back into a records file; return how many characters changed.

    Safe means what `render` would do anyway (records/textclean.py): a half-width , ; : ? ! in Chinese
    text becomes full width.  Each is replaced in place in the file's own text, so comments, quotes,
    indentation and line breaks stay exactly as written; the result is parsed again and must hold the
    same data with only those characters changed, else nothing is written.  Written atomically.
    """
    from ..output import write_atomic
    from ..records.decoding import read_source
    from ..records.textclean import full_width_punctuation
    from ..records.yamlmarks import nearest_mark, parse_yaml

    source = read_source(path)
    raw = Path(path).read_bytes()
    if raw.startswith(b"\xef\xbb\xbf") or source.text.encode("utf-8") != raw:
        raise CheckInputError(f"{path}：check --fix 只改写 UTF-8 编码（不带 BOM）的记录文件；请先另存为 UTF-8")
    marked = parse_yaml(source)
    text = list(source.text)
    smap = _SourceMap(source.text, source.name)
    expected: dict[tuple[Any, ...], str] = {}
    changed = 0
    for spath, value in _walk_strings(marked.data):
        fixed, count = full_width_punctuation(value)
        mark = nearest_mark(marked.marks, spath)
        if not count or len(fixed) != len(value) or mark is None:
            continue
        start = smap.index(*mark)
        if spath and isinstance(spath[-1], str):
            colon = source.text.find(":", start)
            start = colon + 1 if colon != -1 else start
        positions = _align(value, source.text, start)
        if positions is None:
            continue
        repaired = list(value)
        for i, (old, new) in enumerate(zip(value, fixed, strict=True)):
            if old != new and _SAFE_REPAIRS.get(old) == new and text[positions[i]] == old:
                text[positions[i]] = new
                repaired[i] = new
                changed += 1
        expected[spath] = "".join(repaired)
    if not changed:
        return 0
    result = "".join(text)
    again = parse_yaml(type(source)(result, source.name))
    for spath, value in _walk_strings(again.data):
        if value != expected.get(spath, value):
            raise CheckInputError(f"{path}：自动修改后内容与预期不符，没有写入（请手工修改）")
    if len(list(_walk_strings(again.data))) != len(list(_walk_strings(marked.data))):
        raise CheckInputError(f"{path}：自动修改后内容与预期不符，没有写入（请手工修改）")
    write_atomic(Path(path), result.encode("utf-8"))
    return changed
