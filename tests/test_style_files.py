"""Style files: an office's house style in YAML, honoured in the DOCX and refused — with a line number —
when a key is misspelt or a value makes no sense; and docs/style.md documents every key there is."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import docx
import pytest
from docx.shared import Mm, Pt
from lxml import etree
from pydantic import BaseModel

import summarykit as sk
from summarykit.errors import StyleError
from summarykit.style import DEFAULT_STYLE, FONT_PROFILES, Style, load_style, to_points

from .conftest import REPO, SAMPLE_DATA

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def write(tmp_path: Path, text: str, name: str = "样式.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def east_asian(document: docx.document.Document, style: str) -> str | None:
    fonts = document.styles[style].element.find(f"{W}rPr/{W}rFonts")
    return None if fonts is None else fonts.get(f"{W}eastAsia")


def refused(path: Path) -> StyleError:
    with pytest.raises(StyleError) as caught:
        load_style(path)
    return caught.value


# --------------------------------------------------------------------------- honoured


def test_a_style_file_setting_songti_body_and_25mm_margins_is_honoured(tmp_path: Path) -> None:
    style = write(tmp_path, "page:\n  top_mm: 25\n  bottom_mm: 25\n  left_mm: 25\n  right_mm: 25\nfonts:\n  body: 宋体\n")
    data = sk.render(SAMPLE_DATA / "school_term.yaml", style=style, seed=1)
    document = docx.Document(io.BytesIO(data))
    section = document.sections[0]
    for margin in (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin):
        assert abs(margin - Mm(25)) < Mm(0.1)
    assert east_asian(document, "Normal") == "宋体"
    assert east_asian(document, "Heading 1") == "黑体"  # what the file did not set stays
    assert document.styles["Normal"].font.size == Pt(16)
    # The grid follows the wider text block: still 28 characters, no narrowed glyphs needed.
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        root = etree.fromstring(package.read("word/document.xml"))
    char_space = int(root.find(f"{W}body/{W}sectPr/{W}docGrid").get(f"{W}charSpace"))
    assert char_space > 0 and int((160 / 25.4 * 72) // (16 + char_space / 4096)) == 28


def test_sizes_by_hao_name_or_points_and_a_font_profile_by_name(tmp_path: Path) -> None:
    style = load_style(write(tmp_path, "fonts: open\nsizes:\n  table: 五号\n  caption: 15\n  title: 二号\n"))
    assert style.fonts == FONT_PROFILES["open"]
    assert (style.sizes.table, style.sizes.caption, style.sizes.title) == (10.5, 15, 22)
    assert to_points("16pt") == 16 and to_points("小四") == 12 and to_points("10.5") == 10.5


def test_a_profile_with_single_fonts_changed(tmp_path: Path) -> None:
    style = load_style(write(tmp_path, "fonts:\n  profile: gov\n  body: 仿宋\n"))
    assert style.fonts.title == "方正小标宋简体" and style.fonts.body == "仿宋"


def test_command_line_fonts_and_numbering_win_over_the_file(tmp_path: Path) -> None:
    path = write(tmp_path, "fonts:\n  profile: gov\n  body: 宋体\nnumbering_mode: literal\n")
    style = load_style(path, fonts="open", numbering="word")
    assert style.fonts.title == "Noto Serif CJK SC"  # the profile from --fonts
    assert style.fonts.body == "宋体"  # a single font the file set still applies
    assert style.numbering_mode == "word"


def test_page_numbers_false_is_the_short_way_to_switch_them_off(tmp_path: Path) -> None:
    style = load_style(write(tmp_path, "page_numbers: false\n"))
    assert style.page_numbers.enabled is False
    document = docx.Document(io.BytesIO(sk.render(SAMPLE_DATA / "school_term.yaml", style=style, seed=1)))
    assert not document.settings.odd_and_even_pages_header_footer


def test_spacing_heading_weights_and_schemes_reach_the_document(tmp_path: Path) -> None:
    path = write(tmp_path, "spacing:\n  line_pt: 28\n  first_line_chars: 0\nheadings:\n  bold: [true]\n"
                           "schemes:\n  school: ['{cn}、', '（{cn}）', '{n}.']\n")
    style = load_style(path)
    assert style.headings.bold == [True, False, True, False, False]
    data = sk.render(SAMPLE_DATA / "school_term.yaml", style=style, seed=1)
    document = docx.Document(io.BytesIO(data))
    assert document.styles["Normal"].paragraph_format.line_spacing == Pt(28)
    assert document.styles["Heading 1"].font.bold is True
    ind = document.styles["Normal"].element.find(f"{W}pPr/{W}ind")
    assert ind.get(f"{W}firstLineChars") == "0"
    texts = [p.text for p in document.paragraphs]
    assert "1.期初通过召开住宿生家长会，解决了住宿生配餐制问题。" in texts  # the house scheme replaced “1、”


def test_a_style_file_with_only_comments_changes_nothing(tmp_path: Path) -> None:
    assert load_style(write(tmp_path, "# 本单位暂用国标默认值\n\n")) == DEFAULT_STYLE


def test_line_spacing_auto_fills_the_text_block(tmp_path: Path) -> None:
    style = load_style(write(tmp_path, "spacing:\n  line_pt: auto\n"))
    assert style.line_pt == pytest.approx(28.95, abs=0.05)
    assert 22 * style.line_pt <= style.text_height_pt


# --------------------------------------------------------------------------- refused, with the line


def test_a_misspelt_key_is_refused_with_its_line_number_and_a_suggestion(tmp_path: Path) -> None:
    error = refused(write(tmp_path, "page:\n  top_mm: 30\n  lef_mm: 25\nfonts:\n  body: 宋体\n"))
    assert len(error.problems) == 1
    problem = error.problems[0]
    assert (problem.line, problem.column) == (3, 3)
    assert "lef_mm" in problem.message and "left_mm" in problem.hint
    assert "样式.yaml:3:3" in error.report()


def test_a_misspelt_section_is_refused_too(tmp_path: Path) -> None:
    error = refused(write(tmp_path, "# 本单位样式\nfont:\n  body: 宋体\n"))
    assert error.problems[0].line == 2 and "fonts" in error.problems[0].hint


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("sizes:\n  body: 大三\n", 2, "不认识的字号"),
        ("fonts: opn\n", 1, "不认识的字体方案"),
        ("page:\n  left_mm: 100\n  right_mm: 90\n", 1, "版心宽度"),
        ("page:\n  top_mm: 60\n", 2, "超过版心高度"),
        ("grid:\n  lines: many\n", 2, "整数"),
        ("schemes:\n  ours: ['{x}']\n", 2, "编号格式"),
        ("page_numbers:\n  format: 第页\n", 2, "{n}"),
        ("numbering_mode: auto\n", 1, "literal"),
        ("spacing:\n  line_pt: 300\n", 2, "行距"),
    ],
)
def test_bad_values_are_refused_where_they_are(tmp_path: Path, text: str, line: int, words: str) -> None:
    error = refused(write(tmp_path, text))
    assert error.problems[0].line == line, error.report()
    assert words in error.report()


def test_yaml_mistakes_and_missing_files_are_style_errors(tmp_path: Path) -> None:
    error = refused(write(tmp_path, "page:\n  top_mm: [30\n"))
    assert error.problems and error.problems[0].line is not None
    with pytest.raises(StyleError, match=r"找不到|无法读取"):
        load_style(tmp_path / "没有这个文件.yaml")


def test_the_command_line_refuses_a_bad_style_file_with_exit_status_2(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from summarykit.cli.main import main

    style = write(tmp_path, "page:\n  lef_mm: 25\n")
    out = tmp_path / "总结.docx"
    assert main(["render", str(SAMPLE_DATA / "school_term.yaml"), "-o", str(out), "--style", str(style)]) == 2
    assert "样式.yaml:2:3" in capsys.readouterr().err
    assert not out.exists()


def test_numbering_option_on_the_command_line(tmp_path: Path) -> None:
    from summarykit.cli.main import main

    out = tmp_path / "总结.docx"
    assert main(["render", str(SAMPLE_DATA / "school_term.yaml"), "-o", str(out), "--numbering", "word"]) == 0
    document = docx.Document(str(out))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings[0] == "学生食堂改革"  # the number comes from Word's list


# --------------------------------------------------------------------------- documented


def _keys(model: type[BaseModel], prefix: str = "") -> list[str]:
    keys = []
    for name, info in model.model_fields.items():
        annotation = info.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            keys.extend(_keys(annotation, f"{prefix}{name}."))
        else:
            keys.append(prefix + name)
    return keys


def test_docs_style_md_documents_every_key_and_shows_a_rendered_page() -> None:
    text = (REPO / "docs" / "style.md").read_text(encoding="utf-8")
    keys = _keys(Style)
    assert len(keys) > 40
    missing = [k for k in keys if f"`{k}`" not in text]
    assert not missing, f"docs/style.md does not document: {missing}"
    images = re.findall(r"!\[[^\]]*\]\(([^)]+\.png)\)", text)
    assert images and all((REPO / "docs" / image).read_bytes()[:4] == b"\x89PNG" for image in images)


def test_the_defaults_are_gbt9704() -> None:
    style = DEFAULT_STYLE
    assert (style.page.top_mm, style.page.bottom_mm, style.page.left_mm, style.page.right_mm) == (37, 35, 28, 26)
    assert (style.grid.lines, style.grid.chars, style.line_pt) == (22, 28, 28.95)
    assert (style.sizes.title, style.sizes.body, style.sizes.page_number, style.sizes.table) == (22, 16, 14, 12)
    assert style.text_width_pt == pytest.approx(442.2, abs=0.1)
