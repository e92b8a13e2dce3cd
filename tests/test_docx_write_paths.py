"""The write stage's faster statements give exactly what the plain ones give (issue 18, fourth round).

* the line-break spans with units grouped by their first character and the unit matched once
  (``linebreak._SPANS``), against the plain pattern, over every unit in every place a unit can stand;
* the Chinese-numeral date test written from its 年 (``linebreak._CN_DATE``), against the plain
  statement ``[〇…十]{4}年[〇…十]``: found in the same texts;
* a part deflated in one ``zlib.compress`` call, against ``zipfile``'s compressor object and flush;
* indents in twips from a character's width kept per font size (``Layout.twips``), against the
  statement that computed it every time;
* headings and items that read as headings written in the one pass (``_Writer.blocks``), against
  ``_Writer._block`` for every block;
* ``word/document.xml`` encoded in three pieces, against the one string encoded.

No timings here: benchmarks/ has them.
"""

from __future__ import annotations

import itertools
import math
import random
import re
import zlib
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from summarykit.style import DEFAULT_STYLE, Grid, Style
from summarykit.tree.document import Document, Heading, ListItem, Paragraph
from summarykit.tree.numbering import DEFAULT_SCHEME, number_blocks
from summarykit.writers import docx, linebreak, package
from summarykit.writers.keep import keeps_with_closing
from summarykit.writers.title import heading_lines

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


# --------------------------------------------------------------------------- the body

def _twips_as_stated(layout: docx.Layout, chars: float, size_pt: float | None) -> int:
    """``Layout.twips`` as it read before a character's width was kept per font size."""
    size = layout.style.sizes.body if size_pt is None else size_pt
    if layout.snaps(size):
        return math.floor(chars * layout.pitch_pt * 20 + 1e-6)
    return round(chars * layout.advance_pt(size) * 20)


_GRIDS = [DEFAULT_STYLE, DEFAULT_STYLE.model_copy(update={"grid": Grid(snap=True)}),
          DEFAULT_STYLE.model_copy(update={"grid": Grid(enabled=False)}),
          DEFAULT_STYLE.model_copy(update={"grid": Grid(chars=30, fit_glyphs=False)})]


@settings(max_examples=300, deadline=None)
@given(style=st.sampled_from(_GRIDS), asks=st.lists(
    st.tuples(st.floats(0, 40, allow_nan=False) | st.sampled_from([0, 2, 0.5, 4.25]),
              st.none() | st.sampled_from([10.5, 12, 14, 15.5, 16, 16.2, 22])), min_size=1, max_size=8))
def test_twips_kept_per_font_size_are_the_stated_twips(style: Style, asks: list[tuple[float, float | None]]) -> None:
    layout = docx.Layout(style)  # one layout asked many times, as a report's writer asks it
    for chars, size in asks:
        assert layout.twips(chars, size) == _twips_as_stated(docx.Layout(style), chars, size)


def _block_by_block(writer: docx._Writer, keep_last: bool) -> str:
    """Every block through ``_Writer._block``, the general statement (no page breaks in these documents)."""
    blocks = writer.doc.blocks
    return "".join(writer._block(index, block, keep_next=keep_last and index == len(blocks) - 1
                                 and keeps_with_closing(block, writer.style.grid.chars))
                   for index, block in enumerate(blocks))


def test_headings_and_heading_like_items_in_one_pass_are_written_as_block_by_block() -> None:
    # A heading on one line, one that wraps with a stub (broken by hand: not one run), one with a
    # citation mark, a run-in heading; an item that reads as a heading, one with a citation mark,
    # a plain item, and texts to bind (numbers, a Chinese-numeral date: the one pass is refused).
    stub = "进一步加强学校后勤管理和服务保障工作的若干具体措施"  # with “二、”: 1.5 characters on line two
    blocks = (
        Heading(1, "学生食堂改革"), ListItem(2, "规范管理"), Paragraph("完成了3项工作，增长12.5%。"),
        Heading(1, stub), Paragraph("二〇二六年一月二十日前完成。"), Heading(2, "不编号的标题", numbered=False),
        Heading(2, "引文[1]的做法"), ListItem(2, "见文献[2]"), Paragraph("正文。"),
        Heading(2, "提高认识", run_in=True, body="全体职工共7人参加。"),
        ListItem(2, "第3项任务"), ListItem(2, "共3个"),
    )
    for style in (DEFAULT_STYLE, DEFAULT_STYLE.with_numbering("word")):
        doc = Document("标题", blocks=tuple(number_blocks(blocks, DEFAULT_SCHEME)))
        num_id = docx.base_package(style, doc.scheme).num_id
        writer = docx._Writer(doc, style, num_id)
        assert len(heading_lines(doc.blocks[3].label + stub, *writer.heading_room)) == 2
        for keep_last in (False, True):
            fast = "".join(docx._Writer(doc, style, num_id).blocks(keep_last))
            assert fast == _block_by_block(docx._Writer(doc, style, num_id), keep_last)


def test_a_reports_document_part_is_its_three_pieces_encoded_together() -> None:
    import io
    import zipfile

    import summarykit as sk

    doc = sk.compose(sk.load(Path(__file__).resolve().parents[1] / "sample_data" / "school_term.yaml"))
    base = docx.base_package(DEFAULT_STYLE, doc.scheme)
    with zipfile.ZipFile(io.BytesIO(docx.to_docx(doc))) as package:
        written = package.read("word/document.xml")
    assert written == (base.body_start + docx.body_xml(doc, DEFAULT_STYLE, base.num_id) + base.body_end).encode("utf-8")
