"""The DOCX read back with python-docx: page, fonts in styles, headings, labels, footers."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import pytest
from docx.shared import Mm, Pt

import summarykit as sk
from summarykit.writers.docx import signature_indents

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def rendered() -> docx.document.Document:
    data = sk.render(Path(__file__).resolve().parents[1] / "sample_data" / "school_term.yaml", seed=3)
    return docx.Document(io.BytesIO(data))


def _east_asian(style: docx.styles.style.BaseStyle) -> str | None:
    fonts = style.element.find(f"{W}rPr/{W}rFonts")
    return None if fonts is None else fonts.get(f"{W}eastAsia")


def test_page_is_a4_with_gbt9704_margins(rendered: docx.document.Document) -> None:
    section = rendered.sections[0]
    assert abs(section.page_width - Mm(210)) < Mm(0.5)
    assert abs(section.page_height - Mm(297)) < Mm(0.5)
    assert abs(section.top_margin - Mm(37)) < Mm(0.5)
    assert abs(section.bottom_margin - Mm(35)) < Mm(0.5)
    assert abs(section.left_margin - Mm(28)) < Mm(0.5)
    assert abs(section.right_margin - Mm(26)) < Mm(0.5)


def test_every_style_used_has_an_east_asian_font_and_no_theme_fonts(rendered: docx.document.Document) -> None:
    used = {p.style.name for p in rendered.paragraphs}
    assert {"Title", "Heading 1", "Normal"} <= used
    for name in used:
        assert _east_asian(rendered.styles[name]), f"style {name} has no East-Asian font"
    styles_xml = rendered.styles.element.xml
    assert "eastAsiaTheme" not in styles_xml and "asciiTheme" not in styles_xml


def test_body_is_16pt_fangsong_with_exact_spacing_and_two_character_indent(rendered: docx.document.Document) -> None:
    normal = rendered.styles["Normal"]
    assert normal.font.size == Pt(16)
    assert _east_asian(normal) == "仿宋"
    assert normal.paragraph_format.line_spacing == Pt(28.95)
    ind = normal.element.find(f"{W}pPr/{W}ind")
    assert ind.get(f"{W}firstLineChars") == "200"


def test_title_is_22pt_and_headings_are_real_heading_styles(rendered: docx.document.Document) -> None:
    assert rendered.styles["Title"].font.size == Pt(22)
    assert _east_asian(rendered.styles["Heading 1"]) == "黑体"
    assert _east_asian(rendered.styles["Heading 2"]) == "楷体"
    outline = rendered.styles["Heading 1"].element.find(f"{W}pPr/{W}outlineLvl")
    assert outline is not None and outline.get(f"{W}val") == "0"
    assert rendered.paragraphs[0].style.name == "Title"
    # 21 characters at 22 pt do not fit one line: the title is balanced over two Title paragraphs.
    title_lines = [p.text for p in rendered.paragraphs if p.style.name == "Title"]
    assert "".join(title_lines) == "某某中学2010—2011学年第一学期后勤工作总结"
    assert len(title_lines) == 2


def test_labels_come_from_the_numbering_pass(rendered: docx.document.Document) -> None:
    headings = [p.text for p in rendered.paragraphs if p.style.name == "Heading 1"]
    assert headings[0] == "一、学生食堂改革"
    assert headings[-1] == "七、存在问题"
    texts = [p.text for p in rendered.paragraphs]
    assert "1、期初通过召开住宿生家长会，解决了住宿生配餐制问题。" in texts
    assert "13、对学校各处室财产进行了登记造册和外流财产的回收，进一步规范了学校财产的管理与合理使用。" in texts


def test_footers_carry_a_page_field_between_dashes_odd_right_even_left(rendered: docx.document.Document) -> None:
    section = rendered.sections[0]
    assert rendered.settings.odd_and_even_pages_header_footer
    odd = section.footer.paragraphs[0]
    even = section.even_page_footer.paragraphs[0]
    for paragraph in (odd, even):
        assert "PAGE" in paragraph._p.xml
        assert paragraph.text.startswith("— ") and paragraph.text.endswith(" —")
    assert odd.alignment == docx.enum.text.WD_ALIGN_PARAGRAPH.RIGHT
    assert even.alignment == docx.enum.text.WD_ALIGN_PARAGRAPH.LEFT


def test_signature_and_date_close_the_document(rendered: docx.document.Document) -> None:
    texts = [p.text for p in rendered.paragraphs if p.text]
    assert texts[-2:] == ["某某中学后勤处", "2011年1月20日"]


def test_signature_indents_follow_gbt9704() -> None:
    # A long name: name 2 characters in, the date's first character 2 right of the name's.
    org, day = signature_indents("某某市某某区第一中学后勤处", "2026年1月20日")
    assert org == 2.0 and day == pytest.approx(13 - 6.5)  # digits are half as wide
    # A date longer than the name: the date stands 2 characters in, the name moves left.
    org, day = signature_indents("总务处", "2026年1月20日")
    assert day == 2.0 and org == pytest.approx(4 + 6.5 - 3)


def test_same_input_and_seed_give_identical_bytes(school_term: Path) -> None:
    assert sk.render(school_term, seed=5) == sk.render(school_term, seed=5)


def test_seed_and_template_are_recorded_in_core_properties(school_term: Path) -> None:
    document = docx.Document(io.BytesIO(sk.render(school_term, seed=42)))
    assert "seed=42" in document.core_properties.comments
    assert "template=school_term" in document.core_properties.comments


def test_source_date_epoch_sets_zip_and_core_timestamps(school_term: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01 00:00 UTC
    data = sk.render(school_term, seed=1)
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        assert {info.date_time[:3] for info in package.infolist()} == {(2026, 1, 1)}
    assert docx.Document(io.BytesIO(data)).core_properties.created.year == 2026


def test_markdown_and_text_print_the_same_labels(school_term: Path) -> None:
    report = sk.load(school_term)
    doc = sk.compose(report, seed=3)
    markdown, text = sk.to_markdown(doc), sk.to_text(doc)
    assert "## 一、学生食堂改革" in markdown
    assert "\u3000\u3000七、存在问题" in text
    assert "1、期初通过召开住宿生家长会" in markdown and "1、期初通过召开住宿生家长会" in text


def test_characters_xml_cannot_hold_never_corrupt_a_document_built_in_python() -> None:
    from summarykit.tree.document import Document, Paragraph

    data = sk.to_docx(Document(title="标题\x07", blocks=(Paragraph("正文\x00\x1f\ud800完"),)))
    assert [p.text for p in docx.Document(io.BytesIO(data)).paragraphs][:3] == ["标题", "", "正文完"]


def test_an_out_of_range_source_date_epoch_falls_back(school_term: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "99999999999999")
    with zipfile.ZipFile(io.BytesIO(sk.render(school_term, seed=1))) as package:
        assert package.infolist()[0].date_time[:3] == (2011, 1, 20)


def test_unindented_lines_such_as_references_are_left_aligned(rendered: docx.document.Document) -> None:
    assert rendered.styles["正文无缩进"].paragraph_format.alignment == docx.enum.text.WD_ALIGN_PARAGRAPH.LEFT
    assert rendered.styles["Normal"].paragraph_format.alignment == docx.enum.text.WD_ALIGN_PARAGRAPH.JUSTIFY
