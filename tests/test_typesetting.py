"""GB/T 9704 typesetting, read back from the DOCX XML: grid, headings, title, page numbers, mixed text,
punctuation, numbers (GB/T 15835), tables, closing parts, Word numbering — and, where only a renderer can
tell, LibreOffice's PDF of the document (marked ``libreoffice``; a few conversions, a few seconds each)."""

from __future__ import annotations

import io
import itertools
import math
import re
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import docx
import pytest
from docx.shared import Pt
from lxml import etree

import summarykit as sk
from summarykit.errors import DependencyError, TemplateError
from summarykit.records.textclean import full_width_punctuation
from summarykit.style import DEFAULT_STYLE, FONT_PROFILES, Style
from summarykit.tree.document import Document, Heading, ListItem, Paragraph, Signature, Table
from summarykit.tree.numbering import number_document
from summarykit.writers.docx import Layout, list_level, signature_indents, to_docx
from summarykit.writers.title import balance, text_width
from summarykit.zh.numformat import cn_date, metric, num, num_range, percent, wan

from .conftest import SAMPLE_DATA, require_soffice

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
OPEN = DEFAULT_STYLE.with_fonts("open")
CJK_LINE = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可也你对生能而子那得于着下"


# --------------------------------------------------------------------------- helpers


def parts(data: bytes) -> dict[str, etree._Element]:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return {name: etree.fromstring(package.read(name)) for name in package.namelist()
                if name.endswith(".xml") and name.startswith("word/")}


def style_element(styles: etree._Element, style_id: str) -> etree._Element:
    found = styles.find(f"{W}style[@{W}styleId='{style_id}']")
    assert found is not None, f"no style {style_id}"
    return found


def val(element: etree._Element | None, attr: str = "val") -> str | None:
    return None if element is None else element.get(f"{W}{attr}")


def paragraphs(document: etree._Element) -> list[tuple[str, str]]:
    """(style id, text) of every body paragraph, tables included."""
    out = []
    for p in document.iter(f"{W}p"):
        style = p.find(f"{W}pPr/{W}pStyle")
        text = "".join(t.text or "" for t in p.iter(f"{W}t")).replace("\u2060", "")  # joiners: linebreak.bind
        out.append((val(style) or "Normal", text))
    return out


def numbered(doc: Document) -> Document:
    return number_document(doc)


def compose_sample(path: Path, style: Style = DEFAULT_STYLE) -> Document:
    """A sample rendered with its own template (school_term when that template is not there yet)."""
    report = sk.load(path)
    try:
        return sk.compose(report, seed=1, style=style)
    except TemplateError:
        return sk.compose(report, "school_term", seed=1, style=style)


@pytest.fixture(scope="module")
def school() -> dict[str, etree._Element]:
    return parts(sk.render(SAMPLE_DATA / "school_term.yaml", seed=3))


# --------------------------------------------------------------------------- 1. page grid


def test_grid_is_lines_and_chars_22_by_28_with_exact_line_spacing(school: dict[str, etree._Element]) -> None:
    grid = school["word/document.xml"].find(f"{W}body/{W}sectPr/{W}docGrid")
    assert val(grid, "type") == "linesAndChars"
    assert val(grid, "linePitch") == "579"
    # Word: lines = text height // pitch, characters = text width // (Normal size + charSpace/4096).
    text_height_pt = (297 - 37 - 35) / 25.4 * 72
    text_width_pt = (210 - 28 - 26) / 25.4 * 72
    assert math.floor(text_height_pt / (579 / 20)) == 22
    pitch = 16 + int(val(grid, "charSpace")) / 4096
    assert math.floor(text_width_pt / pitch) == 28
    normal = style_element(school["word/styles.xml"], "Normal")
    spacing = normal.find(f"{W}pPr/{W}spacing")
    assert (val(spacing, "lineRule"), val(spacing, "line")) == ("exact", "579")


def test_body_characters_are_condensed_just_enough_for_28_characters_a_line(
        school: dict[str, etree._Element]) -> None:
    """Word's 字符间距 紧缩 (w:spacing), not a glyph scale: 28 characters of 三号 fit 156 mm, 27 do not need it."""
    normal = style_element(school["word/styles.xml"], "Normal")
    assert val(normal.find(f"{W}rPr/{W}w")) == "100"  # glyphs at their own width
    condensed = int(val(normal.find(f"{W}rPr/{W}spacing"))) / 20
    text_width_pt = (210 - 28 - 26) / 25.4 * 72
    assert 28 * (16 + condensed) <= text_width_pt - 2 and 28 * (16 + condensed + 0.1) > text_width_pt - 2
    assert condensed == -0.3  # 紧缩 0.3 磅
    assert val(normal.find(f"{W}pPr/{W}snapToGrid")) == "0"
    # The 22 pt title keeps its spacing (it is not on the character grid).
    assert style_element(school["word/styles.xml"], "Title").find(f"{W}rPr/{W}spacing") is None


def test_line_spacing_is_a_setting_and_the_grid_follows_it() -> None:
    style = Style.model_validate({"spacing": {"line_pt": 28}})
    data = parts(to_docx(numbered(Document("题", blocks=(Paragraph("正文"),))), style))
    assert val(data["word/document.xml"].find(f"{W}body/{W}sectPr/{W}docGrid"), "linePitch") == "560"
    spacing = style_element(data["word/styles.xml"], "Normal").find(f"{W}pPr/{W}spacing")
    assert val(spacing, "line") == "560"


def test_indents_are_in_characters_for_word_and_twips_for_libreoffice(school: dict[str, etree._Element]) -> None:
    ind = style_element(school["word/styles.xml"], "Normal").find(f"{W}pPr/{W}ind")
    assert val(ind, "firstLineChars") == "200"
    # Two characters as LibreOffice lays them out: 16 pt narrowed glyphs, at most two 28th parts of the line.
    twips = int(val(ind, "firstLine"))
    assert 600 <= twips <= 2 * (156 / 25.4 * 1440) / 28


# --------------------------------------------------------------------------- 2. headings and title


def test_headings_by_level_fonts_weights_sizes_and_outline(school: dict[str, etree._Element]) -> None:
    styles = school["word/styles.xml"]
    expected = {1: ("黑体", "0"), 2: ("楷体", "0"), 3: ("仿宋", "1"), 4: ("仿宋", "0"), 5: ("仿宋", "0")}
    for level, (font, bold) in expected.items():
        st = style_element(styles, f"Heading{level}")
        assert val(st.find(f"{W}rPr/{W}rFonts"), "eastAsia") == font
        assert val(st.find(f"{W}rPr/{W}b")) == bold
        assert val(st.find(f"{W}rPr/{W}sz")) == "32"
        assert val(st.find(f"{W}pPr/{W}outlineLvl")) == str(level - 1)
        assert val(st.find(f"{W}pPr/{W}ind"), "firstLineChars") == "200"
        assert st.find(f"{W}semiHidden") is None


def test_run_in_heading_is_bold_and_the_paragraph_continues_on_its_line() -> None:
    doc = numbered(Document("题", blocks=(Heading(1, "基本情况"), Heading(3, "机构设置情况。", True, "省局园区的后勤服务工作由后勤服务中心承担。"))))
    body = parts(to_docx(doc))["word/document.xml"]
    paragraph = next(p for p in body.iter(f"{W}p") if "机构设置" in "".join(p.itertext()))
    runs = paragraph.findall(f"{W}r")
    assert val(paragraph.find(f"{W}pPr/{W}pStyle")) == "Normal"
    assert "".join(runs[0].itertext()) == "1.机构设置情况。"
    assert runs[0].find(f"{W}rPr/{W}b") is not None and val(runs[0].find(f"{W}rPr/{W}b")) is None
    assert val(runs[1].find(f"{W}rPr/{W}b")) == "0"


def test_a_long_title_is_balanced_over_two_lines_without_splitting_a_word(school: dict[str, etree._Element]) -> None:
    titles = [text for style, text in paragraphs(school["word/document.xml"]) if style == "Title"]
    assert "".join(titles) == "某某中学2010—2011学年第一学期后勤工作总结"
    assert len(titles) == 2
    widths = [text_width(t) for t in titles]
    assert max(widths) <= 20 and max(widths) - min(widths) <= 2
    assert any("2010—2011" in t for t in titles)


@pytest.mark.parametrize(
    "title",
    [
        "某某市教育局关于进一步加强中小学校园食品安全管理工作的情况报告",
        "国家机关事务管理局2025年度后勤服务保障工作总结和2026年工作安排",
        "某某大学后勤服务集团关于深化后勤社会化改革推进校园服务标准化建设和节约型校园创建工作的调研报告",
    ],
)
def test_balanced_titles_keep_every_character_fit_the_line_and_break_between_words(title: str) -> None:
    lines = balance(title, 20)
    assert "".join(lines) == title
    assert 2 <= len(lines) <= 3
    assert all(text_width(line) <= 20 for line in lines)
    widths = [text_width(line) for line in lines]
    assert max(widths) - min(widths) <= 4
    for left, right in itertools.pairwise(lines):
        assert not (left[-1].isdigit() or right[0] in "—～年）”"), (left, right)


def test_short_titles_and_explicit_breaks_never_load_jieba() -> None:
    script = (
        "import sys, summarykit as sk\n"
        "from summarykit.tree.document import Document, Paragraph\n"
        "from summarykit.tree.numbering import number_document\n"
        "sk.to_docx(number_document(Document('某某中学后勤工作总结', blocks=(Paragraph('正文'),))))\n"
        "sk.to_docx(number_document(Document('很长很长的第一行标题文字写在这里\\n第二行', blocks=())))\n"
        "print('jieba' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


def test_subtitle_starts_with_a_dash_and_is_centred() -> None:
    doc = numbered(Document("某某中学后勤工作总结", subtitle="在全体教职工大会上的报告", blocks=(Paragraph("正文"),)))
    data = parts(to_docx(doc))
    subtitle = [text for style, text in paragraphs(data["word/document.xml"]) if style == "Subtitle"]
    assert subtitle == ["——在全体教职工大会上的报告"]
    assert val(style_element(data["word/styles.xml"], "Subtitle").find(f"{W}pPr/{W}jc")) == "center"
    assert val(style_element(data["word/styles.xml"], "Title").find(f"{W}rPr/{W}sz")) == "44"


# --------------------------------------------------------------------------- 3. page numbers


def test_page_numbers_are_4hao_songti_dashes_odd_right_even_left_one_character_in(
        school: dict[str, etree._Element]) -> None:
    settings = school["word/settings.xml"]
    assert settings.find(f"{W}evenAndOddHeaders") is not None
    sect = school["word/document.xml"].find(f"{W}body/{W}sectPr")
    kinds = {val(ref, "type") for ref in sect.findall(f"{W}footerReference")}
    assert kinds == {"default", "even"}
    footers = [root for name, root in school.items() if name.startswith("word/footer")]
    seen = {}
    for footer in footers:
        p = footer.find(f"{W}p")
        text = "".join(t.text or "" for t in p.iter(f"{W}t"))
        assert text == "— 1 —"
        assert " PAGE " in "".join(p.itertext())
        ind = p.find(f"{W}pPr/{W}ind")
        seen[val(p.find(f"{W}pPr/{W}jc"))] = ind
    assert val(seen["right"], "rightChars") == "100" and val(seen["left"], "leftChars") == "100"
    footer_style = style_element(school["word/styles.xml"], "Footer")
    assert val(footer_style.find(f"{W}rPr/{W}sz")) == "28"
    assert val(footer_style.find(f"{W}rPr/{W}rFonts"), "eastAsia") == "宋体"
    assert val(footer_style.find(f"{W}rPr/{W}rFonts"), "ascii") == "宋体"  # half-width 宋体 digits


def test_page_numbers_can_be_switched_off() -> None:
    style = Style.model_validate({"page_numbers": False})
    data = parts(to_docx(numbered(Document("题", blocks=(Paragraph("正文"),))), style))
    assert data["word/document.xml"].find(f"{W}body/{W}sectPr/{W}footerReference") is None
    assert data["word/settings.xml"].find(f"{W}evenAndOddHeaders") is None


# --------------------------------------------------------------------------- 4. mixed text and fonts


def test_latin_and_digits_take_times_new_roman_and_shared_marks_the_chinese_font(
        school: dict[str, etree._Element]) -> None:
    for style_id in ("Normal", "Title", "Heading1", "TableText", "SignatureBlock"):
        fonts = style_element(school["word/styles.xml"], style_id).find(f"{W}rPr/{W}rFonts")
        assert val(fonts, "ascii") == val(fonts, "hAnsi") == "Times New Roman"
        assert val(fonts, "hint") == "eastAsia"
    runs = list(school["word/document.xml"].iter(f"{W}r"))
    assert runs and all(val(r.find(f"{W}rPr/{W}rFonts"), "hint") == "eastAsia" for r in runs)
    assert b"Theme" not in etree.tostring(school["word/styles.xml"])


@pytest.mark.parametrize("path", sorted(SAMPLE_DATA.glob("*.yaml")), ids=lambda p: p.stem)
def test_every_style_used_in_every_sample_has_its_east_asian_font(path: Path) -> None:
    data = to_docx(compose_sample(path))
    document = docx.Document(io.BytesIO(data))
    used = {p.style.style_id for p in document.paragraphs}
    used |= {p.style.style_id for t in document.tables for row in t.rows for c in row.cells for p in c.paragraphs}
    styles = parts(data)["word/styles.xml"]
    for style_id in used:
        fonts = style_element(styles, style_id).find(f"{W}rPr/{W}rFonts")
        assert val(fonts, "eastAsia"), f"{path.stem}: style {style_id} has no East-Asian font"
    normal = document.styles["Normal"]
    assert normal.font.size == Pt(16)
    assert normal.paragraph_format.line_spacing == Pt(28.95)
    assert document.styles["Title"].font.size == Pt(22)


def test_font_profiles_put_their_fonts_in_the_styles() -> None:
    data = parts(to_docx(numbered(Document("题", blocks=(Heading(1, "甲"), Paragraph("正文")))), OPEN))
    styles = data["word/styles.xml"]
    assert val(style_element(styles, "Normal").find(f"{W}rPr/{W}rFonts"), "eastAsia") == "Noto Serif CJK SC"
    assert val(style_element(styles, "Heading1").find(f"{W}rPr/{W}rFonts"), "eastAsia") == "Noto Sans CJK SC"
    assert FONT_PROFILES["gov"].title == "方正小标宋简体" and FONT_PROFILES["gov"].body == "仿宋_GB2312"


# --------------------------------------------------------------------------- 5. punctuation


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("他说:\"好的,明天见!\"", "他说：“好的，明天见！”"),
        ("所谓'双减'政策", "所谓‘双减’政策"),
        ("开会时间9:30,地点在三楼(会议室)", "开会时间9:30，地点在三楼（会议室）"),
        ("通过ISO9001:2000认证,效果好", "通过ISO9001:2000认证，效果好"),
        ("详见 https://example.com/a,b 网站", "详见 https://example.com/a,b 网站"),
        ("Tom's book 在桌上", "Tom's book 在桌上"),
        ("共计3,500元;其中:", "共计3,500元；其中："),
    ],
)
def test_half_width_punctuation_between_chinese_becomes_full_width(raw: str, clean: str) -> None:
    assert full_width_punctuation(raw)[0] == clean


def test_loading_reports_how_many_marks_were_changed() -> None:
    report = sk.loads("meta:\n  organization: 某某中学\n  date: 2026-01-20\nintro:\n  - 本学期,我们做了三件事:一是修路;二是修桥.\n")
    notices = [n for n in report.notices if n.code == "punctuation"]
    assert len(notices) == 1 and "3 处" in notices[0].message
    assert report.intro[0] == "本学期，我们做了三件事：一是修路；二是修桥."


# --------------------------------------------------------------------------- 6. numbers (GB/T 15835)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ({"name": "办公桌", "value": 7, "unit": "张"}, "办公桌7张"),
        ({"name": "增长", "value": 13.80, "unit": "%"}, "增长13.8%"),
        ({"name": "投入", "value": "12.50", "unit": "万元"}, "投入12.5万元"),
        ({"name": "比例", "value": [10, 90], "unit": "%"}, "比例10%～90%"),
        ({"name": "经费", "value": "13-17", "unit": "万元"}, "经费13万～17万元"),
        ({"name": "年龄", "value": "21～30", "unit": "岁"}, "年龄21～30岁"),
        ({"name": "人数", "value": "若干", "unit": "人"}, "人数若干人"),
    ],
)
def test_metric_writes_arabic_numerals_and_ranges_per_gbt15835(value: dict, text: str) -> None:
    assert metric(value) == text


def test_numbers_ranges_large_amounts_and_percentages() -> None:
    assert num(7) == "7" and num(13.80) == "13.8" and num("0.50") == "0.5" and num(1e5) == "100000"
    assert num(2026) == "2026"  # years are never grouped
    assert num(3.14159, places=2) == "3.14"
    assert num_range(10, 90, "%") == "10%～90%"
    assert num_range(13, 17, "万元") == "13万～17万元"
    assert num_range(9, 16, "亿") == "9亿～16亿"
    assert num_range(3, 5, "天") == "3～5天"
    assert wan(125000, "元") == "12.5万元" and wan(320000000) == "3.2亿" and wan(9800, "元") == "9800元"
    assert percent(138, 1000) == "13.8%"


def test_dates_are_arabic_by_default_and_chinese_numerals_as_an_option() -> None:
    import datetime as dt

    day = dt.date(2026, 1, 20)
    assert cn_date(day) == "2026年1月20日"
    assert cn_date(day, "chinese") == "二〇二六年一月二十日"
    assert cn_date("2026-01-20") == "2026年1月20日"
    assert cn_date("2026年01月05日") == "2026年1月5日"
    assert cn_date("今年年底") == "今年年底"


def test_number_filters_are_available_to_templates() -> None:
    from summarykit.drafting.templating import FILTERS

    assert {"metric", "num", "num_range", "wan", "percent", "cn_date"} <= set(FILTERS)
    assert FILTERS["num_range"](13, 17, "万元") == "13万～17万元"


# --------------------------------------------------------------------------- 7. tables


def _table_doc() -> Document:
    table = Table("在职职工年龄结构", ("年龄", "人数", "占总数的比例"),
                  (("21～30岁", "6人", "10%"), ("31～40岁", "16人", "28%")), note="注：统计截至2025年底。")
    return numbered(Document("题", blocks=(Paragraph("正文"), table)))


def test_tables_have_caption_repeated_header_borders_cell_font_and_fitting_widths() -> None:
    data = parts(to_docx(_table_doc()))
    body, styles = data["word/document.xml"], data["word/styles.xml"]
    assert ("TableCaption", "表1\u3000在职职工年龄结构") in paragraphs(body)  # 表 + SEQ field + the caption
    table = body.find(f"{W}body/{W}tbl")
    rows = table.findall(f"{W}tr")
    assert rows[0].find(f"{W}trPr/{W}tblHeader") is not None
    assert all(r.find(f"{W}trPr/{W}tblHeader") is None for r in rows[1:])
    borders = table.find(f"{W}tblPr/{W}tblBorders")
    assert {val(b) for b in borders} == {"single"} and len(borders) == 6
    widths = [int(val(c, "w")) for c in table.findall(f"{W}tblGrid/{W}gridCol")]
    assert sum(widths) == round((210 - 28 - 26) / 25.4 * 1440)
    assert widths[2] > widths[1]  # the longest header gets the widest column
    text = style_element(styles, "TableText")
    assert val(text.find(f"{W}rPr/{W}rFonts"), "eastAsia") == "仿宋"
    assert val(text.find(f"{W}rPr/{W}sz")) == "24"  # 小四
    assert ("TableNote", "注：统计截至2025年底。") in paragraphs(body)


def test_table_font_size_and_borders_are_configurable() -> None:
    style = Style.model_validate({"sizes": {"table": "五号"}, "fonts": {"table": "宋体"},
                                  "tables": {"border_pt": 0, "repeat_header": False}})
    data = parts(to_docx(_table_doc(), style))
    text = style_element(data["word/styles.xml"], "TableText")
    assert val(text.find(f"{W}rPr/{W}sz")) == "21"
    assert val(text.find(f"{W}rPr/{W}rFonts"), "eastAsia") == "宋体"
    table = data["word/document.xml"].find(f"{W}body/{W}tbl")
    assert {val(b) for b in table.find(f"{W}tblPr/{W}tblBorders")} == {"nil"}
    assert table.find(f".//{W}tblHeader") is None


# --------------------------------------------------------------------------- 8. closing parts


def test_attachment_note_and_signature_follow_gbt9704_7_3() -> None:
    doc = numbered(Document("题", blocks=(Paragraph("正文。"),), attachments=("学生食堂管理制度。", "后勤人员名单"),
                            signature=Signature("某某市某某区第一中学后勤处", "2026年1月20日")))
    body = parts(to_docx(doc))["word/document.xml"]
    items = paragraphs(body)
    texts = [t for _, t in items]
    first = texts.index("附件：1.学生食堂管理制度")  # no punctuation after the names
    assert texts[first - 1] == ""  # one blank line under the body
    assert texts[first + 1] == "2.后勤人员名单"
    ps = list(body.iter(f"{W}p"))
    ind1, ind2 = (ps[first].find(f"{W}pPr/{W}ind"), ps[first + 1].find(f"{W}pPr/{W}ind"))
    # “附件” 2 characters in; names aligned under the first name, numbers under “1.”.
    assert (val(ind1, "leftChars"), val(ind1, "hangingChars")) == ("575", "375")
    assert (val(ind2, "leftChars"), val(ind2, "hangingChars")) == ("575", "75")
    org, day = ps[-2], ps[-1]
    assert "".join(org.itertext()) == "某某市某某区第一中学后勤处" and texts[-3] == ""
    org_ind, day_ind = org.find(f"{W}pPr/{W}ind"), day.find(f"{W}pPr/{W}ind")
    assert val(org_ind, "rightChars") == "200"
    # The date's first character two characters right of the name's: placed by a left indent, in twips.
    assert val(day.find(f"{W}pPr/{W}jc")) == "left" and val(day_ind, "leftChars") is None
    char = int(val(org_ind, "right")) / 2
    text_block = (210 - 28 - 26) / 25.4 * 1440
    name_start = text_block - int(val(org_ind, "right")) - 13 * char
    assert int(val(day_ind, "left")) == pytest.approx(name_start + 2 * char, abs=2)


def test_signature_indents_follow_gbt9704_when_the_date_is_longer() -> None:
    org, day = signature_indents("总务处", "2026年1月20日")
    assert day == 2.0 and org == pytest.approx(4 + 6.5 - 3)


# --------------------------------------------------------------------------- 9. Word numbering


def _outline() -> Document:
    return numbered(Document("题", blocks=(
        Heading(1, "主要工作"), Heading(2, "食堂"), ListItem(3, "配餐"), ListItem(3, "早餐"), Heading(2, "环境"),
        ListItem(3, "绿化"), Heading(1, "存在问题"), Paragraph("问题。"), Heading(1, "参考文献：", numbered=False),
    )))


def test_word_numbering_uses_a_multilevel_list_linked_to_the_heading_styles() -> None:
    style = DEFAULT_STYLE.with_numbering("word")
    data = parts(to_docx(_outline(), style))
    numbering = data["word/numbering.xml"]
    ours = next(a for a in numbering.findall(f"{W}abstractNum")
                if a.find(f"{W}lvl/{W}pStyle") is not None and val(a.find(f"{W}lvl/{W}pStyle")) == "Heading1")
    levels = {int(lvl.get(f"{W}ilvl")): (val(lvl.find(f"{W}numFmt")), val(lvl.find(f"{W}lvlText")))
              for lvl in ours.findall(f"{W}lvl")}
    assert levels[0] == ("chineseCounting", "%1、")
    assert levels[1] == ("chineseCounting", "（%2）")
    assert levels[2] == ("decimal", "%3.")
    assert levels[3] == ("decimal", "（%4）")
    styles = data["word/styles.xml"]
    for level in range(1, 6):
        numpr = style_element(styles, f"Heading{level}").find(f"{W}pPr/{W}numPr")
        assert numpr is not None and val(numpr.find(f"{W}ilvl")) == str(level - 1)
    texts = paragraphs(data["word/document.xml"])
    assert ("Heading1", "主要工作") in texts and ("Heading2", "食堂") in texts  # no literal labels
    assert ("Normal", "配餐") in texts  # items are in the same list (level 3), so the counts agree
    unnumbered = next(p for p in data["word/document.xml"].iter(f"{W}p") if "参考文献" in "".join(p.itertext()))
    assert val(unnumbered.find(f"{W}pPr/{W}numPr/{W}numId")) == "0"


def test_literal_labels_stay_the_default() -> None:
    data = parts(to_docx(_outline()))
    assert ("Heading1", "一、主要工作") in paragraphs(data["word/document.xml"])
    assert ("Heading2", "（二）环境") in paragraphs(data["word/document.xml"])
    assert style_element(data["word/styles.xml"], "Heading1").find(f"{W}pPr/{W}numPr") is None


def test_label_formats_translate_to_word_list_levels() -> None:
    assert list_level("{cn}、", 1) == ("chineseCounting", "%1、")
    assert list_level("{n}、", 3) == ("decimal", "%3、")
    assert list_level("{circled}", 5) == ("decimalEnclosedCircleChinese", "%5")


# --------------------------------------------------------------------------- 11. PDF without LibreOffice


def test_pdf_without_libreoffice_is_a_clear_error_naming_the_package(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "")
    monkeypatch.delenv("SUMMARYKIT_SOFFICE", raising=False)
    import summarykit.office.soffice as soffice

    monkeypatch.setattr(soffice, "_CANDIDATES", ())
    with pytest.raises(DependencyError, match="libreoffice-writer-nogui"):
        sk.render(SAMPLE_DATA / "school_term.yaml", format="pdf")


# --------------------------------------------------------------------------- LibreOffice


def _full_pages_doc() -> Document:
    """Two and a bit pages of plain Chinese body text: paragraphs of four lines (26 + 28 + 28 + 10 characters)."""
    blocks = tuple(Paragraph((CJK_LINE * 3)[:91] + "。") for _ in range(12))
    return numbered(Document("", blocks=blocks))


def _pdf_words(pdf: Path) -> Iterator[tuple[int, float, float, float, str]]:
    """(page, xMin, xMax, yMin, text) of every word pdftotext finds."""
    xml = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, check=True).stdout
    root = etree.fromstring(xml, etree.XMLParser(recover=True))
    for number, page in enumerate(root.iter("{*}page"), start=1):
        for word in page.iter("{*}word"):
            yield number, float(word.get("xMin")), float(word.get("xMax")), float(word.get("yMin")), word.text or ""


@pytest.mark.libreoffice
def test_libreoffice_page_holds_22_lines_of_28_characters_and_numbers_pages_odd_right_even_left(
        tmp_path: Path) -> None:
    require_soffice()
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed")
    from summarykit.office.preview import docx_to_pdf

    pdf = tmp_path / "pages.pdf"
    pdf.write_bytes(docx_to_pdf(to_docx(_full_pages_doc(), OPEN)))
    words = list(_pdf_words(pdf))
    body = [w for w in words if "—" not in w[4] and not w[4].isdigit()]
    first_page_lines = sorted({round(w[3]) for w in body if w[0] == 1})
    assert len(first_page_lines) == 22
    text = subprocess.run(["pdftotext", "-layout", "-f", "1", "-l", "1", str(pdf), "-"],
                          capture_output=True, text=True, check=True).stdout
    lengths = [len(re.sub(r"\s", "", line)) for line in text.splitlines() if line.strip()]
    assert lengths[:4] == [26, 28, 28, 10]  # first line indented 2 characters, then 28 a line
    # — 1 — at the right of page 1 (one 4号 character in), — 2 — at the left of page 2.
    right_edge, left_edge = (210 - 26) / 25.4 * 72, 28 / 25.4 * 72
    number_1 = [w for w in words if w[0] == 1 and w[4] == "—"]
    number_2 = [w for w in words if w[0] == 2 and w[4] == "—"]
    assert any(w[4] == "1" for w in words if w[0] == 1 and w[3] > 700)
    assert max(w[2] for w in number_1) == pytest.approx(right_edge - 14, abs=2)
    assert min(w[1] for w in number_2) == pytest.approx(left_edge + 14, abs=2)


@pytest.mark.libreoffice
def test_libreoffice_shows_word_numbering_and_the_pdf_format_works(tmp_path: Path) -> None:
    require_soffice()
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed")
    out = tmp_path / "school.pdf"
    sk.render(SAMPLE_DATA / "school_term.yaml", out, format="pdf", numbering="word", fonts="open", seed=1)
    assert out.read_bytes()[:5] == b"%PDF-"
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    text = re.sub(r"[ \u3000]+", "", text)
    assert "一、学生食堂改革" in text and "七、存在问题" in text
    assert "1、期初通过召开住宿生家长会" in text


@pytest.mark.libreoffice
def test_preview_command_writes_one_png_per_page(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    require_soffice()
    if not shutil.which("pdftoppm"):
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    from summarykit.cli.main import main

    status = main(["preview", str(SAMPLE_DATA / "school_term.yaml"), "-o", str(tmp_path), "--dpi", "40"])
    assert status == 0
    pages = sorted(tmp_path.glob("school_term-*.png"))
    assert len(pages) >= 2
    assert all(p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for p in pages)
    assert capsys.readouterr().err.count("已生成") == len(pages)


def test_preview_into_a_missing_folder_is_refused_before_anything_runs(tmp_path: Path) -> None:
    from summarykit.cli.main import main

    assert main(["preview", str(SAMPLE_DATA / "school_term.yaml"), "-o", str(tmp_path / "没有")]) == 2


def test_layout_condenses_only_when_the_grid_is_too_tight() -> None:
    assert (Layout(DEFAULT_STYLE).scale(16), Layout(DEFAULT_STYLE).condense(16)) == (100, -6)
    assert Layout(DEFAULT_STYLE).condense(22) == 0  # the title is off the grid
    wide = Style.model_validate({"page": {"left_mm": 25, "right_mm": 25}})
    assert Layout(wide).condense(16) == 0  # 160 mm hold 28 characters of 16 pt
    snapped = Style.model_validate({"grid": {"snap": True}})
    assert Layout(snapped).condense(16) == 0 and Layout(snapped).scale(16) < 100  # on the grid: fitted to the cell


def test_a_composed_title_breaks_between_its_parts_without_loading_jieba() -> None:
    import subprocess
    import sys

    code = (
        "import sys, io, docx, summarykit as sk\n"
        "r = sk.loads('meta: {organization: 某某市第一人民医院, department: 总务科, period: 2025年, subject: 后勤保障}')\n"
        "d = docx.Document(io.BytesIO(sk.to_docx(sk.compose(r, seed=1))))\n"
        "print('|'.join(p.text for p in d.paragraphs if p.style.name == 'Title'))\n"
        "print('jieba' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out[0].replace("|", "") == "某某市第一人民医院总务科2025年后勤保障工作总结"
    assert len(out[0].split("|")) == 2
    assert out[1] == "False"
