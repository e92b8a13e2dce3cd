"""The DOCX writer's shortcuts give exactly what its general statement gives.

Three shortcuts (issue 18): the line-break spans are found by their first character
(``linebreak._SPANS``, against the plain pattern); a report's one-run body paragraphs
are bound in one pass over all their texts (``linebreak.bind_joined``, against
binding each text by the plain rule); and the writer puts those paragraphs together
from constant opening tags, after the other blocks (``_Writer.blocks``, against the
loop it replaced, kept below as the reference).  No timings here: benchmarks/ has them.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from summarykit.style import DEFAULT_STYLE
from summarykit.tree.document import Block, Document, Heading, ListItem, Mark, PageBreak, Paragraph, Table
from summarykit.tree.numbering import DEFAULT_SCHEME, number_blocks
from summarykit.writers import docx, linebreak
from summarykit.writers.keep import keeps_with_closing
from summarykit.writers.rich import break_before

SAMPLE_DATA = Path(__file__).resolve().parents[1] / "sample_data"

# What the spans are made of (digits of every kind, Chinese numerals, units, range marks, dates, 》), what
# stops them (the separator, XML's special characters) and plain text.
_PIECES = st.sampled_from([
    *"0123456789", "１", "٣", "²", "①", *"〇零一二三四五六七八九十", "年", "月", "日", "第", "名", "岁", "万", "亿",
    "元", "%", "％", "‰", ".", "．", "～", "~", "—", "-", "》", "。", "，", "）", "中", "文", "a", " ", "[", "]", "[1]",
    "[2-3]", "&", "<", '"', "\x00", "\n", "个百分点", "平方米", "二〇二六年一月", "二零二六年一月二十日", "2026年1月20日",
    "31～40岁", "第3名", "13.8%", "12.5万元", "万元", "万人", "亿元", "人", "人次", "元", "多", "余", *linebreak._MULTI_UNITS[::3], *linebreak._UNIT_CHARS[::5], "平", "余",
])
_TEXT = st.lists(_PIECES, max_size=24).map("".join) | st.text(max_size=24)


@settings(max_examples=800, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=_TEXT)
def test_spans_found_by_their_first_character_are_the_plain_patterns_spans(text: str) -> None:
    fast = [m.span() for m in linebreak._SPANS.finditer(text)]
    assert fast == [m.span() for m in re.finditer(linebreak._SPAN_PATTERN, text)]
    assert linebreak._bound(text) == re.sub(linebreak._SPAN_PATTERN, lambda m: linebreak._join(m.group(0)), text)


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts=st.lists(_TEXT, max_size=6))
def test_binding_texts_in_one_pass_equals_binding_each_by_the_plain_rule(texts: list[str]) -> None:
    joined = linebreak.bind_joined(texts)
    separator = linebreak.SEPARATOR
    refused = (not texts or any(separator in text for text in texts)
               or linebreak._CN_DATE.search(separator.join(texts)) is not None)
    assert (joined is None) == refused
    if joined is not None:
        assert joined.split(separator) == [linebreak._bind_slow(text) for text in texts]


def test_one_pass_refuses_what_it_cannot_bind_alike() -> None:
    # A Chinese-numeral date is bound only in a text that has a digit too: a per-text rule.
    assert linebreak._bind_slow("二零二六年一月") == "二零二六年一月"
    assert linebreak.bind_joined(["二零二六年一月", "共3人"]) is None
    assert linebreak.bind_joined(["第一行\n第二行"]) is None
    assert linebreak.bind_joined(["共3人", "", "2026年1月"]) == "共3\u2060人\n\n2026\u2060年\u20601\u2060月"


# --------------------------------------------------------------------------- the writer's blocks

def _reference_blocks(writer: docx._Writer, keep_last: bool) -> list[str]:
    """The block loop as ``_Writer.body`` had it before the one-pass paragraphs: ``_block`` (the former
    ``block``, unchanged) for every block, in order."""
    doc = writer.doc
    last = len(doc.blocks) - 1
    per_line = writer.style.grid.chars
    parts: list[str] = []
    new_page = False
    for index, block in enumerate(doc.blocks):
        if isinstance(block, PageBreak):
            new_page = True
            continue
        xml = writer._block(index, block, keep_next=keep_last and index == last and keeps_with_closing(block, per_line))
        parts.append(break_before(xml) if new_page else xml)
        new_page = False
    return parts


def _marks(text: str) -> st.SearchStrategy[tuple[Mark, ...]]:
    if not text:
        return st.just(())
    edge = st.integers(0, len(text))
    mark = st.tuples(edge, edge, st.sampled_from(["bold", "underline"])).map(
        lambda t: Mark(min(t[0], t[1]), max(t[0], t[1]), t[2]))
    return st.lists(mark, max_size=2).map(tuple) | st.just(())


@st.composite
def _block(draw: st.DrawFn) -> Block:
    text = draw(_TEXT)
    kind = draw(st.sampled_from(["item", "item", "body", "body", "center", "reference", "heading", "break", "table"]))
    if kind == "item":
        return ListItem(draw(st.integers(0, 6)), text, numbered=draw(st.booleans()), marks=draw(_marks(text)))
    if kind == "heading":
        return Heading(draw(st.integers(1, 5)), text, run_in=draw(st.booleans()), body=draw(_TEXT),
                       numbered=draw(st.booleans()))
    if kind == "break":
        return PageBreak()
    if kind == "table":
        return Table(text, ("项目", "数量"), (("维修", "3个"), (text, "12.5万元")))
    return Paragraph(text, kind=kind, marks=draw(_marks(text)))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(blocks=st.lists(_block(), max_size=8), keep_last=st.booleans(), word=st.booleans(),
       relabel=st.booleans())
def test_blocks_in_one_pass_equal_the_block_by_block_loop(blocks: list[Block], keep_last: bool, word: bool,
                                                          relabel: bool) -> None:
    numbered = number_blocks(blocks, DEFAULT_SCHEME)
    if relabel:  # labels Word's list would not count the same (kept literal in Word numbering)
        numbered = [ListItem(b.level, b.text, b.numbered, "（九）", b.marks) if isinstance(b, ListItem) else b
                    for b in numbered]
    doc = Document("标题", blocks=tuple(numbered))
    style = DEFAULT_STYLE.with_numbering("word") if word else DEFAULT_STYLE
    fast = docx._Writer(doc, style, 7 if word else 0).blocks(keep_last)
    assert "".join(fast) == "".join(_reference_blocks(docx._Writer(doc, style, 7 if word else 0), keep_last))
    writer = docx._Writer(doc, style, 7 if word else 0)
    for index, block in enumerate(doc.blocks):
        if not isinstance(block, PageBreak | Table):  # a table counts itself: once per writer
            assert writer.block(index, block, keep_next=keep_last) == writer._block(index, block, keep_next=keep_last)


@pytest.mark.parametrize("path", sorted(SAMPLE_DATA.glob("*.yaml")), ids=lambda p: p.stem)
def test_every_samples_blocks_equal_the_block_by_block_loop(path: Path) -> None:
    import summarykit as sk

    doc = sk.compose(sk.load(path))
    for style in (DEFAULT_STYLE, DEFAULT_STYLE.with_numbering("word")):
        num_id = docx.base_package(style, doc.scheme).num_id
        fast = docx._Writer(doc, style, num_id).blocks(True)
        assert "".join(fast) == "".join(_reference_blocks(docx._Writer(doc, style, num_id), True))


def _reference_heading(writer: docx._Writer, index: int, block: Heading) -> str:
    """``_Writer.heading`` for a heading that is not run in, as it was before its room was computed once."""
    from summarykit.writers.ooxml import paragraph_xml
    from summarykit.writers.title import chars_per_line, heading_lines

    level = min(max(block.level, 1), 5)
    numpr, label = writer._numbering(index, block) if block.numbered else ("", block.label)
    if writer.num_id and not numpr:
        numpr = '<w:numPr><w:ilvl w:val="0"/><w:numId w:val="0"/></w:numPr>'
    style = writer.style
    first = chars_per_line(style.text_width_pt, style.sizes.heading) - style.spacing.first_line_chars
    lines = heading_lines(label + block.text, first, first + style.spacing.first_line_chars)
    runs = "<w:r><w:br/></w:r>".join(docx._run(line) for line in lines)
    jc = '<w:jc w:val="left"/>' if len(lines) > 1 else ""
    return paragraph_xml(docx.HEADING.format(level), runs, numpr=numpr, jc=jc)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(level=st.integers(0, 7), text=_TEXT | st.sampled_from([
    "进一步加强学校后勤管理工作的规范化制度化建设情况", "关于食堂管理和宿舍管理中存在的主要问题及原因分析",
    "第3季度完成维修项目12个、更新设备30台套的情况"]), numbered=st.booleans(), word=st.booleans())
def test_headings_equal_the_former_heading(level: int, text: str, numbered: bool, word: bool) -> None:
    blocks = number_blocks([Heading(level, text, numbered=numbered)], DEFAULT_SCHEME)
    doc = Document("标题", blocks=tuple(blocks))
    writer = docx._Writer(doc, DEFAULT_STYLE, 7 if word else 0)
    assert writer.heading(0, doc.blocks[0]) == _reference_heading(writer, 0, doc.blocks[0])
