"""Numbering: Chinese numerals, schemes, and the pass that labels headings and items."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from summarykit.tree.document import Document, Heading, ListItem, Paragraph
from summarykit.tree.numbering import DEFAULT_SCHEME, SCHEMES, number_blocks, number_document, resolve_scheme
from summarykit.zh.labels import parse_label
from summarykit.zh.numerals import circled, cn_number, cn_to_int


@pytest.mark.parametrize(
    ("n", "text"),
    [
        (1, "一"), (10, "十"), (11, "十一"), (20, "二十"), (21, "二十一"), (99, "九十九"), (100, "一百"),
        (101, "一百零一"), (110, "一百一十"), (1050, "一千零五十"), (10001, "一万零一"), (20000, "二万"),
        (100000, "十万"), (1000001, "一百万零一"),
    ],
)
def test_chinese_numerals_as_written_in_documents(n: int, text: str) -> None:
    assert cn_number(n) == text


@given(st.integers(min_value=1, max_value=99_999_999))
def test_chinese_numerals_read_back_to_the_same_number(n: int) -> None:
    assert cn_to_int(cn_number(n)) == n


def test_circled_numbers_beyond_twenty_fall_back_to_brackets() -> None:
    assert circled(1) == "①"
    assert circled(20) == "⑳"
    assert circled(21) == "(21)"


def _labels(blocks: list) -> list[str]:
    return [b.label for b in number_blocks(blocks, DEFAULT_SCHEME) if isinstance(b, Heading | ListItem)]


def test_default_scheme_labels_each_level() -> None:
    blocks = [Heading(1, "a"), Heading(2, "b"), Heading(3, "c"), Heading(4, "d"), Heading(5, "e")]
    assert _labels(blocks) == ["一、", "（一）", "1.", "（1）", "①"]


def test_school_scheme_uses_dun_comma_at_level_three() -> None:
    scheme = resolve_scheme("school")
    labelled = number_blocks([Heading(1, "食堂"), ListItem(3, "x"), ListItem(3, "y")], scheme)
    assert [b.label for b in labelled] == ["一、", "1、", "2、"]


def test_a_shallower_heading_restarts_deeper_counters() -> None:
    blocks = [Heading(1, "a"), ListItem(3, "x"), ListItem(3, "y"), Heading(1, "b"), ListItem(3, "z")]
    assert _labels(blocks) == ["一、", "1.", "2.", "二、", "1."]


def test_paragraphs_do_not_interrupt_numbering() -> None:
    blocks = [Heading(1, "a"), ListItem(3, "x"), Paragraph("note"), ListItem(3, "y")]
    assert _labels(blocks) == ["一、", "1.", "2."]


def test_unnumbered_blocks_get_no_label_and_keep_counts() -> None:
    blocks = [Heading(1, "a"), Heading(1, "参考文献", numbered=False), Heading(1, "b")]
    assert _labels(blocks) == ["一、", "", "二、"]


@given(st.lists(st.integers(min_value=1, max_value=5), min_size=1, max_size=60))
def test_numbering_counts_every_level_from_one_without_gaps(levels: list[int]) -> None:
    """For any sequence of levels, each label is the count of its level since the last shallower block."""
    labelled = number_blocks([Heading(level, "t") for level in levels], DEFAULT_SCHEME)
    expected_counts: list[int] = []
    counters = [0] * 6
    for level in levels:
        counters[level] += 1
        for deeper in range(level + 1, 6):
            counters[deeper] = 0
        expected_counts.append(counters[level])
    for block, count in zip(labelled, expected_counts, strict=True):
        _kind, number, _ = parse_label(block.label + "标题")  # type: ignore[misc]
        assert number == count


def test_many_sections_read_as_eleven_twenty_and_hundred_and_one() -> None:
    labels = _labels([Heading(1, "t")] * 101)
    assert labels[10] == "十一、"
    assert labels[19] == "二十、"
    assert labels[100] == "一百零一、"


def test_number_document_returns_a_new_document_with_the_scheme_applied() -> None:
    doc = Document(title="t", blocks=(Heading(1, "a"), ListItem(3, "b")), scheme=SCHEMES["school"])
    numbered = number_document(doc)
    assert [b.label for b in numbered.blocks] == ["一、", "1、"]
    assert doc.blocks[0].label == ""  # the input is not changed


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("一、学生食堂改革", ("cn", 1, "学生食堂改革")),
        ("十二、其他", ("cn", 12, "其他")),
        ("（二）省市级机关", ("paren-cn", 2, "省市级机关")),
        ("(二)省市级机关", ("paren-cn", 2, "省市级机关")),
        ("1、期初通过召开", ("n-dun", 1, "期初通过召开")),
        ("3.机构设置情况。", ("n-dot", 3, "机构设置情况。")),
        ("（1）试点", ("paren-n", 1, "试点")),
        ("①缺乏细化的服务标准", ("circled", 1, "缺乏细化的服务标准")),
    ],
)
def test_labels_are_read_back_from_text(line: str, expected: tuple[str, int, str]) -> None:
    assert parse_label(line) == expected


@pytest.mark.parametrize("line", ["一是管理体制死板", "2010年，学院承办了", "3.5万元用于维修", "一方面要加强"])
def test_text_that_only_looks_numbered_is_not_a_label(line: str) -> None:
    assert parse_label(line) is None


def test_unknown_scheme_name_is_an_error() -> None:
    with pytest.raises(KeyError):
        resolve_scheme("nonexistent")
