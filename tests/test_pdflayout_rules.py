"""The page rules of tests/pdflayout.py can fail: each is shown a layout a clerk would send back."""

from __future__ import annotations

from .pdflayout import (
    Layout,
    Line,
    Para,
    heading_at_foot_problems,
    heading_stub_problems,
    line_start_problems,
    number_split_problems,
    signature_problems,
    widow_orphan_problems,
)


def layout(*paragraphs: tuple[str, list[tuple[int, str]]], pages: int = 2) -> Layout:
    """Paragraphs as (style, [(page, line text)…]); lines get increasing y within their page."""
    out = Layout([], [[] for _ in range(pages)])
    for index, (style, lines) in enumerate(paragraphs):
        para = Para(style, "".join(t for _, t in lines))
        for page, text in lines:
            line = Line(page, 100.0 + 30 * len(out.pages[page]), 80.0, text, index)
            out.pages[page].append(line)
            para.lines.append(line)
        out.paragraphs.append(para)
    return out


def test_a_last_line_alone_at_the_head_of_a_page_is_a_widow() -> None:
    bad = layout(("Normal", [(0, "组织人员对办公室一楼走道边及教室玻璃进行更换和修"), (1, "补。")]))
    assert widow_orphan_problems(bad) == ["孤行（页末只剩首行）：p.1 “组织人员对办公室一楼走道边及教室玻璃进行更换和修”",
                                          "寡行（页首只有末行）：p.2 “补。”"]
    good = layout(("Normal", [(0, "第一行"), (0, "第二行"), (1, "第三行"), (1, "补。")]))
    assert widow_orphan_problems(good) == []


def test_a_heading_ending_a_page_is_reported() -> None:
    bad = layout(("Normal", [(0, "正文。")]), ("Heading1", [(0, "五、推动学院创新发展")]), ("Normal", [(1, "正文。")]))
    assert heading_at_foot_problems(bad) == ["页末是标题：p.1 “五、推动学院创新发展”（Heading1）"]
    assert heading_at_foot_problems(layout(("ItemHeading", [(1, "3.强化工作措施")]), ("Normal", [(1, "正文")]))) == []


def test_a_signature_split_from_its_date_or_alone_on_a_page_is_reported() -> None:
    split = layout(("Normal", [(0, "正文。")]), ("SignatureBlock", [(0, "某某中学")]),
                   ("SignatureDate", [(1, "2026年1月20日")]))
    assert signature_problems(split) == ["落款和日期不在同一页：[1, 2]"]
    alone = layout(("Normal", [(0, "正文。")]), ("SignatureBlock", [(1, "某某中学")]),
                   ("SignatureDate", [(1, "2026年1月20日")]))
    assert signature_problems(alone) == ["落款所在页没有正文：p.2"]


def test_numbers_ranges_and_dates_split_across_lines_are_reported() -> None:
    for before, after in (("占总数的10%，31～", "40岁16人"), ("现有职工97", "人"), ("于2026年1", "月20日"), ("增长13", ".8%")):
        assert number_split_problems(layout(("Normal", [(0, before), (0, after)]))), (before, after)
    assert number_split_problems(layout(("Normal", [(0, "共7张，"), (0, "打印机3台。")]))) == []


def test_closing_punctuation_at_a_line_start_and_one_character_heading_lines_are_reported() -> None:
    assert line_start_problems(layout(("Normal", [(0, "印发了《意见》"), (0, "。1998年")])))
    assert heading_stub_problems(layout(("Heading1", [(0, "一、对高校后勤工作和新建本科院校后勤保障体系现状的认"), (0, "识")])))
