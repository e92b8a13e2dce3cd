"""The light markup templates write, and why record text can never become structure."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from summarykit.drafting.markup import escape, parse
from summarykit.errors import TemplateError
from summarykit.tree.document import Heading, ListItem, Paragraph, Table


def test_each_line_kind_becomes_its_block() -> None:
    parsed = parse(
        "::title 标题\n::subtitle ——副标题\n::front 关键词：后勤\n::numbering school\n"
        "# 一级\n## 二级\n###+ 机构设置情况。\n省局园区……\n- 条目\n-4 四级条目\n-* 不编号条目\n正文\n"
        "::plain 无缩进\n#* 参考文献：\n::signature 某某中学\n::date 2026年1月20日\n::attachment 附表\n"
    )
    assert parsed.title == "标题"
    assert parsed.subtitle == "——副标题"
    assert parsed.front[0].text == "关键词：后勤"
    assert parsed.scheme == "school"
    assert parsed.blocks == [
        Heading(1, "一级"),
        Heading(2, "二级"),
        Heading(3, "机构设置情况。", run_in=True, body="省局园区……"),
        ListItem(3, "条目"),
        ListItem(4, "四级条目"),
        ListItem(3, "不编号条目", numbered=False),
        Paragraph("正文"),
        Paragraph("无缩进", "plain"),
        Heading(1, "参考文献", numbered=False),  # a standalone heading ends without punctuation
    ]
    assert parsed.signature is not None and parsed.signature.organization == "某某中学"
    assert parsed.attachments == ["附表"]


def test_tables_take_the_first_row_as_header_and_pad_short_rows() -> None:
    parsed = parse("::table 职工年龄结构\n| 年龄 | 人数 |\n| 21-30岁 | 6 |\n| 31-40岁 |\n::note 注：在职\n正文")
    assert parsed.blocks[0] == Table("职工年龄结构", ("年龄", "人数"), (("21-30岁", "6"), ("31-40岁", "")), "注：在职")
    assert parsed.blocks[1] == Paragraph("正文")


def test_empty_headings_disappear() -> None:
    assert parse("# \n正文").blocks == [Paragraph("正文")]


def test_unknown_directive_is_a_template_error_with_its_line() -> None:
    with pytest.raises(TemplateError, match="第 2 行"):
        parse("正文\n::bogus x", "mine")


@pytest.mark.parametrize("text", ["# 不是标题", "- 5℃以下", "::title 注入", "| a | b |", "C#\\语言", "a\nb"])
def test_escaped_record_text_stays_one_paragraph(text: str) -> None:
    parsed = parse(escape(text))
    assert parsed.blocks == [Paragraph(text.replace("\n", " "))]


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1))
def test_any_text_survives_escaping_unchanged(text: str) -> None:
    stripped = text.strip()
    parsed = parse(escape(text))
    if not stripped:
        assert parsed.blocks == []
    else:
        assert parsed.blocks == [Paragraph(stripped)]


@given(st.lists(st.text(alphabet="ab#-|:\\ 表", min_size=1, max_size=8), min_size=1, max_size=4))
def test_table_cells_with_pipes_and_backslashes_round_trip(cells: list[str]) -> None:
    header = "| " + " | ".join(escape(c) for c in cells) + " |"
    parsed = parse(f"::table t\n{header}")
    table = parsed.blocks[0]
    assert isinstance(table, Table)
    assert list(table.columns) == [c.strip() for c in cells]
