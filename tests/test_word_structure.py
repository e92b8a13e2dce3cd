"""What a Word user finds in the generated DOCX: captions and SEQ fields, styles and fonts, keep settings.

Each test reads the package's XML as Word would and states one thing a clerk would otherwise fix
by hand (issue: a document a clerk hands in untouched).
"""

from __future__ import annotations

import io
import re
import zipfile
from functools import cache
from pathlib import Path

import pytest
from lxml import etree

import summarykit as sk
from summarykit.tree.document import Document, Heading, ListItem, Paragraph, Signature, Table
from summarykit.writers.linebreak import WORD_JOINER, bind, unbind
from summarykit.writers.stylesheet import STYLE_NAMES
from summarykit.writers.tables import column_widths, units_to_header
from summarykit.writers.title import balance, heading_lines
from summarykit.zh.punctuation import standalone_heading

from .conftest import SAMPLE_DATA

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
NS = {"w": W[1:-1]}


@cache
def package(name: str = "survey_report") -> dict[str, bytes]:
    data = sk.render(SAMPLE_DATA / f"{name}.yaml", seed=1)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {n: z.read(n) for n in z.namelist()}


def xml(part: str, name: str = "survey_report") -> etree._Element:
    return etree.fromstring(package(name)[part])


def style(styles: etree._Element, style_id: str) -> etree._Element:
    found = styles.find(f"w:style[@w:styleId='{style_id}']", NS)
    assert found is not None, style_id
    return found


def text(p: etree._Element) -> str:
    return "".join(p.itertext()).replace(WORD_JOINER, "")


def paragraphs(document: etree._Element, style_id: str) -> list[etree._Element]:
    return document.xpath(".//w:p[w:pPr/w:pStyle/@w:val=$style]", namespaces=NS, style=style_id)


# --------------------------------------------------------------------------- tables


def test_table_caption_is_numbered_by_a_seq_field_in_the_caption_style() -> None:
    document, styles = xml("word/document.xml"), xml("word/styles.xml")
    [caption] = paragraphs(document, "TableCaption")
    instr = [t.text for t in caption.iter(f"{W}instrText")]
    assert instr == [" SEQ 表 \\* ARABIC "]
    assert [f.get(f"{W}fldCharType") for f in caption.iter(f"{W}fldChar")] == ["begin", "separate", "end"]
    assert text(caption).replace(" SEQ 表 \\* ARABIC ", "") == "表1\u3000在职职工年龄结构"
    # 表题 is based on Word's own caption style (题注), which “插入表目录” lists.
    assert style(styles, "TableCaption").find("w:basedOn", NS).get(f"{W}val") == "Caption"
    assert style(styles, "Caption").find("w:name", NS).get(f"{W}val") == "caption"


def test_table_and_figure_captions_share_one_field_shape() -> None:
    """表 and 图 captions come from one builder: the same SEQ field runs, only the label and style differ."""
    def field_shape(caption: etree._Element) -> list[tuple[str, ...]]:
        runs = caption.findall("w:r", NS)
        begin = next(i for i, r in enumerate(runs) if r.find("w:fldChar", NS) is not None)
        return [tuple(child.tag.removeprefix(W) for child in r) for r in runs[begin:begin + 5]]

    [table_caption] = paragraphs(xml("word/document.xml"), "TableCaption")
    figure_caption = paragraphs(xml("word/document.xml", "agency_logistics_2"), "Caption")[0]
    assert field_shape(table_caption) == field_shape(figure_caption) == [
        ("rPr", "fldChar"), ("rPr", "instrText"), ("rPr", "fldChar"), ("rPr", "t"), ("rPr", "fldChar")]


def test_a_caption_numbered_in_the_records_is_kept_as_written() -> None:
    from summarykit.writers.ooxml import caption_paragraph

    for label in ("表", "图"):
        caption = etree.fromstring(f'<w:body xmlns:w="{NS["w"]}">'
                                   f"{caption_paragraph(label, 4, f'{label}3　历年数据')}</w:body>")
        assert caption.find(".//w:instrText", NS) is None
        assert text(caption) == f"{label}3　历年数据"


def test_table_units_move_into_the_header_and_rows_repeat_and_do_not_split() -> None:
    table = xml("word/document.xml").find(".//w:tbl", NS)
    rows = table.findall("w:tr", NS)
    cells = [[text(tc) for tc in tr.findall("w:tc", NS)] for tr in rows]
    assert cells[0] == ["年龄", "人数（人）", "占总数的比例（%）"]
    assert cells[1] == ["21～30岁", "6", "10"]
    assert rows[0].find("w:trPr/w:tblHeader", NS) is not None
    assert all(tr.find("w:trPr/w:cantSplit", NS) is not None for tr in rows)
    margins = table.find("w:tblPr/w:tblCellMar", NS)
    assert int(margins.find("w:top", NS).get(f"{W}w")) > 0 and int(margins.find("w:bottom", NS).get(f"{W}w")) > 0
    # A spacer of table-text size follows the table.
    following = table.getnext()
    assert following.find("w:pPr/w:pStyle", NS).get(f"{W}val") == "TableNote"


def test_units_stay_when_a_column_mixes_them() -> None:
    mixed = Table("表", ("项目", "数量"), (("桌", "7张"), ("椅", "12把")))
    assert units_to_header(mixed) == mixed
    same = Table("表", ("项目", "金额"), (("维修", "12.5万元"), ("采购", "3万元")))
    assert units_to_header(same).columns == ("项目", "金额（万元）")
    assert units_to_header(same).rows == (("维修", "12.5"), ("采购", "3"))


def test_column_widths_follow_the_values_not_a_long_header() -> None:
    table = Table("", ("序号", "在职职工平均年龄（岁）", "工作内容"),
                  (("1", "43", "水电暖维修保障和绿化保洁"), ("2", "45", "宿舍区的物业管理")))
    widths = column_widths(table, 8844, 12)
    assert sum(widths) == 8844
    assert widths[2] > widths[1]  # the long values get the room, the long header wraps


# --------------------------------------------------------------------------- styles and fonts


def test_styles_are_few_named_in_chinese_and_all_defined() -> None:
    styles, document = xml("word/styles.xml"), xml("word/document.xml")
    ids = [s.get(f"{W}styleId") for s in styles.findall("w:style", NS)]
    assert len(ids) <= 40
    assert [i for i in ids if styles.find(f"w:style[@w:styleId='{i}']", NS).get(f"{W}type") == "table"] == [
        "TableNormal"]
    custom = {s.get(f"{W}styleId"): s.find("w:name", NS).get(f"{W}val")
              for s in styles.findall("w:style[@w:customStyle='1']", NS)}
    assert custom == {i: n for i, n in STYLE_NAMES.items() if i in custom}
    assert {"正文无缩进", "落款", "成文日期", "表题", "附件说明", "参考文献"} <= set(custom.values())
    assert all(re.search("[\u4e00-\u9fff]", name) for name in custom.values())
    used = {e.get(f"{W}val") for e in document.iter(f"{W}pStyle", f"{W}rStyle")}
    assert used <= set(ids)
    assert {f"Heading{n}" for n in range(1, 6)} <= set(ids)  # Word's built-in headings stay


def test_font_table_lists_exactly_the_fonts_the_styles_use() -> None:
    fonts = {f.get(f"{W}name") for f in xml("word/fontTable.xml").findall("w:font", NS)}
    used = {v for e in xml("word/styles.xml").iter(f"{W}rFonts") for k, v in e.attrib.items()
            if k in {f"{W}eastAsia", f"{W}ascii", f"{W}hAnsi", f"{W}cs"}}
    assert fonts == used
    assert {"仿宋", "黑体", "楷体", "宋体", "Times New Roman"} <= fonts
    assert not fonts & {"Calibri", "ＭＳ 明朝", "Cambria"}


def test_template_clutter_is_gone() -> None:
    names = set(package())
    assert "word/stylesWithEffects.xml" not in names and "docProps/thumbnail.jpeg" not in names
    for name in ("[Content_Types].xml", "_rels/.rels", "word/_rels/document.xml.rels"):
        assert b"stylesWithEffects" not in package()[name] and b"thumbnail" not in package()[name]


def test_paragraph_rules_a_clerk_would_set() -> None:
    styles = xml("word/styles.xml")
    normal = style(styles, "Normal").find("w:pPr", NS)
    assert normal.find("w:widowControl", NS).get(f"{W}val") in ("1", "true", None)
    assert normal.find("w:kinsoku", NS).get(f"{W}val") == "1"
    assert normal.find("w:overflowPunct", NS).get(f"{W}val") == "0"
    for style_id in ("Title", "Heading1", "Heading2", "Heading3", "ItemHeading", "TableCaption", "SignatureBlock"):
        assert style(styles, style_id).find("w:pPr/w:keepNext", NS) is not None, style_id
    assert style(styles, "Label").find("w:rPr/w:rFonts", NS).get(f"{W}eastAsia") == "黑体"
    assert style(styles, "CitationMark").find("w:rPr/w:vertAlign", NS).get(f"{W}val") == "superscript"
    reference = style(styles, "Reference")
    assert reference.find("w:rPr/w:sz", NS).get(f"{W}val") == "24"  # 小四
    assert int(reference.find("w:pPr/w:ind", NS).get(f"{W}hanging")) > 0


# --------------------------------------------------------------------------- the body


def doc_xml(doc: Document) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(sk.to_docx(doc))) as z:
        return etree.fromstring(z.read("word/document.xml"))


def test_heading_like_items_keep_with_their_explanation_and_reach_the_navigation_pane() -> None:
    doc = Document("标题", blocks=(
        Heading(1, "主要做法", label="一、"),
        ListItem(3, "强化工作措施", label="1."), Paragraph("一是……二是……"),
        ListItem(3, "期初通过召开住宿生家长会，明确了住宿生的管理要求，并把要求落实到每一个宿舍。" * 2, label="2."),
        ListItem(3, "后一条", label="3."),
    ), signature=Signature("某某中学", "2026年1月20日"))
    body = doc_xml(doc)
    [item] = paragraphs(body, "ItemHeading")
    assert text(item) == "1.强化工作措施"
    assert item.find("w:pPr/w:outlineLvl", NS).get(f"{W}val") == "2"
    assert len(paragraphs(body, "Normal")) == 3  # the explanation and the two plain items
    # The closing chain: the last item, the blank line and the unit keep with the next; the date ends it.
    last_item = paragraphs(body, "Normal")[-1]
    assert last_item.find("w:pPr/w:keepNext", NS) is not None
    assert [p.find("w:pPr/w:pStyle", NS).get(f"{W}val") for p in body.iter(f"{W}p")][-2:] == [
        "SignatureBlock", "SignatureDate"]


def test_keywords_label_and_citations() -> None:
    doc = Document("标题", front=(Paragraph("关键词：后勤保障；行政服务", "plain"),),
                   blocks=(Paragraph("后勤服务社会化是一项系统工程[1]。"), Paragraph("[1]成长春.题名[N].报纸,2009.", "reference")))
    body = doc_xml(doc)
    runs = [(r.find("w:rPr/w:rStyle", NS), text(r)) for r in body.iter(f"{W}r")]
    styled = [(s.get(f"{W}val"), t) for s, t in runs if s is not None]
    assert styled == [("Label", "关键词："), ("CitationMark", "[1]")]
    assert len(paragraphs(body, "Reference")) == 1


def test_numbers_ranges_and_dates_are_bound_against_line_breaks() -> None:
    assert bind("31～40岁") == WORD_JOINER.join("31～40岁").replace(f"3{WORD_JOINER}1", "31").replace(
        f"4{WORD_JOINER}0", "40")
    for text_ in ("2026年1月20日", "10%～90%", "经费13万～17万元", "办公桌7张", "《意见》。", "二〇二六年一月二十日"):
        bound = bind(text_)
        assert unbind(bound) == text_
        assert WORD_JOINER in bound, text_
    assert bind("没有数字的句子，照常断行。") == "没有数字的句子，照常断行。"
    document = doc_xml(Document("标题", blocks=(Paragraph("年龄在31～40岁之间"),)))
    assert f"31{WORD_JOINER}～{WORD_JOINER}40{WORD_JOINER}岁" in "".join(document.itertext())


def test_markdown_and_text_carry_no_joiners() -> None:
    doc = sk.compose(sk.load(SAMPLE_DATA / "survey_report.yaml"), seed=1)
    assert WORD_JOINER not in sk.to_markdown(doc) and WORD_JOINER not in sk.to_text(doc)


@pytest.mark.parametrize(("heading", "expected"), [
    ("加强制度建设。", "加强制度建设"), ("参考文献：", "参考文献"), ("为什么要改革？", "为什么要改革？"), ("。", "。"),
])
def test_standalone_headings_end_without_punctuation(heading: str, expected: str) -> None:
    assert standalone_heading(heading) == expected


def test_standalone_heading_loses_its_full_stop_but_a_run_in_heading_keeps_it() -> None:
    doc = sk.compose(sk.load(SAMPLE_DATA / "survey_report.yaml"), seed=1)
    headings = [h for h in doc.headings()]
    assert all(not h.text.endswith("。") for h in headings if not h.run_in)
    assert any(h.text.endswith("。") for h in headings if h.run_in)


def test_a_heading_never_wraps_with_one_character_on_its_last_line() -> None:
    # 26 characters after the 2-character indent fit the first line; a 27th would stand alone.
    heading = "一、对高校后勤工作和新建本科院校后勤保障体系现状的认识"
    lines = heading_lines(heading, 26, 28)
    assert len(lines) == 2 and "".join(lines) == heading and len(lines[1]) >= 2
    assert heading_lines("一、学生食堂改革", 26, 28) == ["一、学生食堂改革"]


def test_title_breaks_between_meaningful_words() -> None:
    assert balance("关于推进省局园区后勤服务社会化的调研报告", 19) == ["关于推进省局园区后勤服务社会化的", "调研报告"]
    for lines in (balance("某某中学2025—2026学年第一学期后勤工作总结", 19),):
        assert not any(line.endswith("后勤") for line in lines)


def test_readers_drop_the_joiners(tmp_path: Path) -> None:
    out = tmp_path / "survey.docx"
    sk.render(SAMPLE_DATA / "survey_report.yaml", out, seed=1)
    from summarykit.tools.importer import import_docx

    assert WORD_JOINER not in repr(import_docx(out).records)
