"""Composing: the template sees records as data, empty sections vanish, numbering follows."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

import summarykit as sk
from summarykit.drafting.composer import default_seed, drop_empty_sections
from summarykit.drafting.templating import enumerate_cn, join_cn
from summarykit.errors import TemplateError
from summarykit.tree.document import Heading, ListItem, Paragraph
from summarykit.zh.numformat import cn_date, metric

RECORDS = """\
meta:
  organization: 某某中学
  period: 2025—2026学年第一学期
  subject: 后勤
  date: 2026-01-20
intro: [本学期后勤工作稳步推进。]
achievements:
  - heading: 学生食堂改革
    items: [解决了住宿生配餐制问题。, "{{ 7 * 7 }} 与 {% raw %} 都是文字"]
  - heading: 空类别
  - heading: "# 不是标记"
    items: ["- 也不是条目", "::title 也不是标题"]
problems: [水电浪费。]
plans: []
"""


@pytest.fixture
def doc() -> sk.Document:
    return sk.compose(sk.loads(RECORDS), seed=1)


def test_record_text_with_template_and_markup_syntax_prints_literally(doc: sk.Document) -> None:
    texts = [getattr(b, "text", "") for b in doc.blocks]
    assert "{{ 7 * 7 }} 与 {% raw %} 都是文字" in texts
    assert "# 不是标记" in texts
    assert "- 也不是条目" in texts and "::title 也不是标题" in texts
    assert doc.title == "某某中学2025—2026学年第一学期后勤工作总结"


def test_empty_sections_disappear_and_the_rest_renumber(doc: sk.Document) -> None:
    labels = [(b.label, b.text) for b in doc.blocks if isinstance(b, Heading)]
    assert labels == [("一、", "学生食堂改革"), ("二、", "# 不是标记"), ("三、", "存在问题")]


def test_items_are_numbered_under_their_heading_with_the_school_scheme(doc: sk.Document) -> None:
    items = [(b.label, b.text) for b in doc.blocks if isinstance(b, ListItem)]
    assert items[:2] == [("1、", "解决了住宿生配餐制问题。"), ("2、", "{{ 7 * 7 }} 与 {% raw %} 都是文字")]
    assert items[2][0] == "1、"


def test_signature_defaults_to_the_unit_and_the_date(doc: sk.Document) -> None:
    assert doc.signature is not None
    assert (doc.signature.organization, doc.signature.date) == ("某某中学", "2026年1月20日")


def test_the_same_seed_gives_the_same_document_and_the_default_seed_is_stable() -> None:
    report = sk.loads(RECORDS)
    assert sk.compose(report, seed=4) == sk.compose(report, seed=4)
    assert default_seed(report) == default_seed(sk.loads(RECORDS))


def test_drop_empty_sections_keeps_headings_whose_subsections_have_content() -> None:
    blocks = [Heading(1, "a"), Heading(2, "b"), Paragraph("x"), Heading(1, "c"), Heading(2, "d"), Heading(1, "e")]
    kept = drop_empty_sections(blocks)
    assert [b.text for b in kept if isinstance(b, Heading)] == ["a", "b"]
    assert Paragraph("x") in kept


def test_user_template_extends_a_builtin_and_overrides_one_block(tmp_path: Path) -> None:
    (tmp_path / "mine.j2").write_text(
        '{% extends "school_term.j2" %}{% block problems %}# 不足之处\n'
        '{% for it in report.problems["items"] %}- {{ it.text }}\n{% endfor %}{% endblock %}',
        encoding="utf-8",
    )
    doc = sk.compose(sk.loads(RECORDS), "mine", templates=[str(tmp_path)], seed=1)
    assert [b.text for b in doc.blocks if isinstance(b, Heading)][-1] == "不足之处"


def test_a_template_error_names_the_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "broken.j2").write_text("::title x\n\n{{ report.nonexistent.field }}\n", encoding="utf-8")
    with pytest.raises(TemplateError, match=r"broken\.j2:3"):
        sk.compose(sk.loads(RECORDS), "broken", templates=[str(tmp_path)])


def test_templates_cannot_reach_python_internals(tmp_path: Path) -> None:
    (tmp_path / "evil.j2").write_text("{{ report.__class__.__mro__ }}\n{{ ''.__class__.__subclasses__() }}\n",
                                      encoding="utf-8")
    with pytest.raises(TemplateError):
        sk.compose(sk.loads(RECORDS), "evil", templates=[str(tmp_path)])


@pytest.mark.parametrize("name", ["../school_term", "/etc/passwd", "a/b", "school_term.j2"])
def test_template_names_are_never_paths(name: str) -> None:
    with pytest.raises(TemplateError):
        sk.compose(sk.loads(RECORDS), name)


def test_filters_write_chinese_conventions() -> None:
    assert cn_date(dt.date(2026, 1, 20)) == "2026年1月20日"
    assert cn_date(dt.date(2026, 1, 20), "chinese") == "二〇二六年一月二十日"
    assert join_cn(["水", "电", "气"]) == "水、电和气"
    assert join_cn(["水"]) == "水"
    assert metric({"name": "办公桌", "value": 7, "unit": "张"}) == "办公桌7张"
    assert metric(13.80, "%") == "13.8%"
    assert enumerate_cn(["缺乏标准。", "缺乏程序；", "队伍素质不高"]) == "一是缺乏标准；二是缺乏程序；三是队伍素质不高。"
    assert enumerate_cn(["甲", "乙", "丙"], "第一") == "第一，甲；第二，乙；第三，丙。"


def test_a_user_template_without_header_inherits_numbering_and_tags(tmp_path: Path) -> None:
    (tmp_path / "plain.j2").write_text('{% extends "school_term.j2" %}', encoding="utf-8")
    doc = sk.compose(sk.loads(RECORDS), "plain", templates=[str(tmp_path)], seed=1)
    assert [b.label for b in doc.blocks if isinstance(b, ListItem)][:2] == ["1、", "2、"]


def test_personal_signature_name_reaches_the_template() -> None:
    report = sk.loads(RECORDS + "signature: {name: 张三}\n")
    from summarykit.drafting.composer import template_context
    from summarykit.style import DEFAULT_STYLE

    assert template_context(report, [], DEFAULT_STYLE)["report"]["signature"]["name"] == "张三"
