"""The write stage's faster statements give exactly what the plain ones give (issue 18, fourth round).

* the line-break spans with units grouped by their first character and the unit matched once
  (``linebreak._SPANS``), against the plain pattern, over every unit in every place a unit can stand;
* the Chinese-numeral date test written from its 年 (``linebreak._CN_DATE``), against the plain
  statement ``[〇…十]{4}年[〇…十]``: found in the same texts;
* a part deflated in one ``zlib.compress`` call, against ``zipfile``'s compressor object and flush;

No timings here: benchmarks/ has them.
"""

from __future__ import annotations

import itertools
import random
import re
import zlib

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from summarykit.writers import linebreak, package

_PLAIN_SPANS = re.compile(linebreak._SPAN_PATTERN)  # the plain statement of the spans
_CN = linebreak._CN_DIGIT
_PLAIN_CN_DATE = re.compile(rf"[{_CN}]{{4}}年[{_CN}]")

_UNITS = (*linebreak._MULTI_UNITS, *dict.fromkeys(linebreak._UNIT_CHARS))
# Every unit, a prefix of every word unit (a unit cut short), and what may stand around them.
_PIECES = st.sampled_from([
    *_UNITS, *(unit[:-1] for unit in linebreak._MULTI_UNITS), *"0123456789", "１", "٣", "①", "第", "万", "亿",
    "%", "％", "‰", ".", "．", *"～~—–－-", "》", "。", "，", "中", "a", " ", "\n", *_CN, "年", "月", "日",
])
_TEXT = st.lists(_PIECES, max_size=16).map("".join) | st.text(max_size=16)


def _spans(pattern: re.Pattern[str], text: str) -> list[tuple[int, int]]:
    return [m.span() for m in pattern.finditer(text)]


def test_every_unit_after_a_number_and_in_a_range_is_the_plain_patterns_span() -> None:
    # Each unit after a number, after 第 and a number, after a magnitude, in both places of a range,
    # followed by a range mark or by plain text: the places where grouping the units could differ.
    shapes = ("3{u}", "第3{u}", "3万{u}", "12.5{u}", "3{u}～5{u}", "3～5{u}", "3{u}～5", "第3{u}～5{u}",
              "第3万{u}～5万{u}", "3{u}-", "3{u}中", "3{u}{v}", "第3{u}{v}", "3{u}～5{v}")
    for unit, other in itertools.product(_UNITS, ("", "元", "个", "百分点", "～", "中")):
        for shape in shapes:
            text = shape.format(u=unit, v=other)
            assert _spans(linebreak._SPANS, text) == _spans(_PLAIN_SPANS, text), text


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=_TEXT)
def test_spans_with_grouped_units_are_the_plain_patterns_spans(text: str) -> None:
    assert _spans(linebreak._SPANS, text) == _spans(_PLAIN_SPANS, text)
    assert linebreak._bound(text) == _PLAIN_SPANS.sub(lambda m: linebreak._join(m.group(0)), text)


@settings(max_examples=800, deadline=None)
@given(text=st.lists(st.sampled_from([*_CN, "年", "月", "3", "中", "\n"]), max_size=14).map("".join))
def test_chinese_date_from_its_year_is_found_where_the_plain_statement_finds_one(text: str) -> None:
    assert (linebreak._CN_DATE.search(text) is None) == (_PLAIN_CN_DATE.search(text) is None)


# --------------------------------------------------------------------------- packaging

def _deflate_as_zipfile_does(data: bytes) -> bytes:
    """``zipfile``'s statement: a compressor object at level 6, fed the data once, then flushed."""
    compressor = zlib.compressobj(package.COMPRESS_LEVEL, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush()


_XMLISH = st.lists(st.sampled_from([b"<w:p>", b"</w:p>", b'w:val="3"', "中文的段落".encode(), b"\n", b"x"]),
                   max_size=400).map(b"".join)


@settings(max_examples=300, deadline=None)
@given(data=st.binary(max_size=5000) | _XMLISH)
def test_one_call_deflate_is_the_compressor_objects_stream(data: bytes) -> None:
    assert package.deflate("word/document.xml", data).data == _deflate_as_zipfile_does(data)


def test_one_call_deflate_is_the_same_past_the_window_and_on_incompressible_data() -> None:
    # Past 64 KiB the window slides; random bytes make stored blocks: the two places zlib could differ.
    text = "".join(f"<w:p>第{i}项任务，完成了校舍维修{i * 7 % 13}处。</w:p>" for i in range(8000)).encode()
    for data in (text, random.Random(18).randbytes(300_000), text[:70_000] + random.Random(5).randbytes(90_000) + text):
        assert package.deflate("a.xml", data).data == _deflate_as_zipfile_does(data)
