"""Pictures, charts, emphasis, page breaks and the 公文 parts: what the records say, what the DOCX holds.

The submitted-report sample (sample_data/agency_logistics_2.yaml) uses all of them; the LibreOffice
checks of its PDF are in test_libreoffice.py (one soffice run).
"""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from lxml import etree

import summarykit as sk
from summarykit.cli.main import main
from summarykit.drafting.markup import escape, escape_emphasis, parse, spans
from summarykit.records import assets
from summarykit.style import DEFAULT_STYLE, MM_PER_PT, load_style
from summarykit.tree.document import Mark, PageBreak, Paragraph

from .conftest import SAMPLE_DATA

SUBMITTED = SAMPLE_DATA / "agency_logistics_2.yaml"
PNG = SAMPLE_DATA / "images" / "canteen.png"
NS = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "c": "http://schemas.openxmlformats.org/drawingml/2006/chart",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
}
W = "{{{}}}".format(NS["w"])
EMU_PER_MM = 36_000


def package(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {name: z.read(name) for name in z.namelist()}


def body(data: bytes) -> etree._Element:
    return etree.fromstring(package(data)["word/document.xml"]).find("w:body", NS)


def para_text(p: etree._Element) -> str:
    return "".join(t.text or "" for t in p.iter(f"{W}t"))


def paragraphs(data: bytes) -> list[etree._Element]:
    return list(body(data).iter(f"{W}p"))


def find_para(data: bytes, fragment: str) -> etree._Element:
    for p in paragraphs(data):
        if fragment in para_text(p):
            return p
    raise AssertionError(f"no paragraph with {fragment!r}")


def problems_of(call: object, *args: object, **kwargs: object) -> str:
    """The full report (headline and every problem) of the RecordsError ``call`` raises."""
    with pytest.raises(sk.RecordsError) as info:
        call(*args, **kwargs)  # type: ignore[operator]
    return info.value.report()


def render_yaml(folder: Path, text: str, **kwargs: object) -> bytes:
    records = folder / "r.yaml"
    records.write_text(text, encoding="utf-8")
    return sk.render(records, seed=1, **kwargs)


@pytest.fixture(scope="module")
def submitted() -> bytes:
    return sk.render(SUBMITTED, seed=1)


# --------------------------------------------------------------------------- emphasis


def test_emphasis_is_off_by_default_and_prints_the_asterisks(tmp_path: Path) -> None:
    data = render_yaml(tmp_path, "intro:\n  - 完成**重点**任务，增长5%+。\n")
    p = find_para(data, "重点")
    assert para_text(p) == "完成**重点**任务，增长5%+。"
    assert not p.findall(".//w:r/w:rPr/w:b", NS)


def test_emphasis_on_makes_bold_and_underlined_runs_without_markers(tmp_path: Path) -> None:
    data = render_yaml(tmp_path, "meta:\n  emphasis: true\nintro:\n  - 完成**重点**任务，++确保安全++，字面\\*号。\n")
    p = find_para(data, "重点")
    assert para_text(p) == "完成重点任务，确保安全，字面*号。"
    runs = {para_text(r): r for r in p.findall("w:r", NS)}
    assert runs["重点"].find("w:rPr/w:b", NS) is not None
    assert runs["确保安全"].find("w:rPr/w:u", NS).get(f"{W}val") == "single"
    assert runs["完成"].find("w:rPr/w:b", NS) is None


def test_emphasis_can_be_switched_on_by_a_style_file(tmp_path: Path) -> None:
    style = tmp_path / "s.yaml"
    style.write_text("emphasis: true\n", encoding="utf-8")
    data = render_yaml(tmp_path, "intro:\n  - 完成**重点**任务。\n", style=style)
    assert para_text(find_para(data, "重点")) == "完成重点任务。"


def test_emphasis_markers_are_dropped_from_headings_but_kept_as_marks_on_items() -> None:
    parsed = parse("# 食堂**改革**\n- 条目**加粗**\n")
    assert parsed.blocks[0].text == "食堂改革"
    assert parsed.blocks[1].marks == (Mark(2, 4, "bold"),)


@pytest.mark.parametrize(("record", "text", "marks"), [
    ("a**b**c", "abc", (Mark(1, 2),)),
    ("只有**一个", "只有**一个", ()),
    ("5**2 和 \\*\\*", "5**2 和 **", ()),
    ("++下++与**粗**", "下与粗", (Mark(0, 1, "underline"), Mark(2, 3))),
    ("C++ 语言", "C++ 语言", ()),
])
def test_record_emphasis_syntax(record: str, text: str, marks: tuple[Mark, ...]) -> None:
    assert spans(escape_emphasis(record)) == (text, marks)


def test_without_emphasis_every_asterisk_and_plus_is_data() -> None:
    for record in ("**重点**", "++a++", "C++", "\\*"):
        assert parse(escape(record)).blocks == [Paragraph(record)]


# --------------------------------------------------------------------------- page breaks


def _break_before(p: etree._Element) -> bool:
    return p.find("w:pPr/w:pageBreakBefore", NS) is not None


def test_page_break_on_a_part_starts_its_heading_on_a_new_page(submitted: bytes) -> None:
    heading = find_para(submitted, "存在问题")
    assert _break_before(heading)
    assert sum(_break_before(p) for p in paragraphs(submitted)) == 1
    ppr = [child.tag.split("}")[1] for child in heading.find("w:pPr", NS)]
    assert ppr.index("pStyle") < ppr.index("pageBreakBefore")  # schema order


def test_style_new_page_breaks_before_named_parts_only_when_they_exist(tmp_path: Path) -> None:
    style = tmp_path / "s.yaml"
    style.write_text("new_page: [achievements, plans, experiences]\n", encoding="utf-8")
    data = render_yaml(tmp_path, "intro: [开头。]\nachievements:\n  - heading: 食堂\n    items: [甲]\nplans: [乙]\n",
                       style=style)
    broken = [para_text(p) for p in paragraphs(data) if _break_before(p)]
    assert broken == ["一、食堂", "二、下一步打算"]  # nothing for the absent experiences


def test_page_breaks_never_make_blank_pages() -> None:
    from summarykit.drafting.composer import drop_empty_sections

    blocks = [PageBreak(), Paragraph("甲"), PageBreak(), PageBreak(), Paragraph("乙"), PageBreak()]
    assert drop_empty_sections(blocks) == [Paragraph("甲"), PageBreak(), Paragraph("乙")]


# --------------------------------------------------------------------------- pictures


def _drawings(data: bytes) -> list[etree._Element]:
    return list(body(data).iter("{{{}}}inline".format(NS["wp"])))


def test_picture_is_an_inline_drawing_of_its_own_image_part(submitted: bytes) -> None:
    parts = package(submitted)
    assert parts["word/media/image1.png"] == PNG.read_bytes()
    rels = parts["word/_rels/document.xml.rels"].decode()
    assert re.search(r'Id="skImage1" Type="[^"]+/image" Target="media/image1.png"', rels)
    assert '<Default Extension="png" ContentType="image/png"/>' in parts["[Content_Types].xml"].decode()
    picture = _drawings(submitted)[0]
    assert picture.find(".//a:blip", NS).get(f"{{{NS['r']}}}embed") == "skImage1"
    extent = picture.find("wp:extent", NS)
    text_width_mm = DEFAULT_STYLE.text_width_pt * MM_PER_PT
    cx, cy = int(extent.get("cx")), int(extent.get("cy"))
    assert cx == pytest.approx(0.7 * text_width_mm * EMU_PER_MM, rel=1e-3)  # width: 70%
    assert cy / cx == pytest.approx(540 / 900, rel=1e-3)  # the picture's aspect ratio


def test_caption_is_words_caption_style_with_a_seq_field(submitted: bytes) -> None:
    caption = find_para(submitted, "机关食堂改造后平面布局示意")
    assert caption.find("w:pPr/w:pStyle", NS).get(f"{W}val") == "Caption"
    instr = "".join(t.text for t in caption.iter(f"{W}instrText"))
    assert instr.strip() == "SEQ 图 \\* ARABIC"
    assert para_text(caption) == "图1\u3000机关食堂改造后平面布局示意"
    chart_caption = find_para(submitted, "各季度就餐人次对比")
    assert para_text(chart_caption).startswith("图2\u3000")  # pictures and charts count together
    figure = caption.getprevious()
    assert figure.find("w:pPr/w:keepNext", NS) is not None  # never parted from its caption


@pytest.mark.parametrize(("width", "expected_mm"), [("", 900 / 150 * 25.4), ("50mm", 50), ("8cm", 80),
                                                     ("400mm", None)])
def test_picture_width_as_asked_or_natural_never_beyond_the_text_block(tmp_path: Path, width: str,
                                                                       expected_mm: float | None) -> None:
    shutil.copy(PNG, tmp_path / "p.png")
    line = f"\n        width: {width}" if width else ""
    data = render_yaml(tmp_path, f"achievements:\n  - heading: 甲\n    items: [乙]\n    images:\n"
                                 f"      - path: p.png{line}\n")
    cx = int(_drawings(data)[0].find("wp:extent", NS).get("cx"))
    expected = expected_mm or DEFAULT_STYLE.text_width_pt * MM_PER_PT
    assert cx / EMU_PER_MM == pytest.approx(expected, rel=1e-3)


def test_the_same_picture_twice_is_stored_once(tmp_path: Path) -> None:
    shutil.copy(PNG, tmp_path / "p.png")
    data = render_yaml(tmp_path, "achievements:\n  - heading: 甲\n    items:\n      - text: 乙\n"
                                 "        images: [p.png]\n    images: [p.png]\n")
    assert len(_drawings(data)) == 2
    assert [n for n in package(data) if n.startswith("word/media/")] == ["word/media/image1.png"]


def test_pictures_are_printed_in_markdown_and_text(tmp_path: Path) -> None:
    shutil.copy(PNG, tmp_path / "p.png")
    text = "achievements:\n  - heading: 甲\n    images:\n      - {path: p.png, caption: 食堂}\n"
    markdown = render_yaml(tmp_path, text, format="md").decode()
    assert "![食堂](<p.png>)" in markdown and "*图1\u3000食堂*" in markdown
    plain = render_yaml(tmp_path, text, format="txt").decode()
    assert "［图片：p.png］\n图1\u3000食堂" in plain


def test_loads_without_a_folder_refuses_pictures_and_with_base_dir_accepts_them(tmp_path: Path) -> None:
    shutil.copy(PNG, tmp_path / "p.png")
    text = "achievements:\n  - heading: 甲\n    images: [p.png]\n"
    assert "记录不是从文件读入的" in problems_of(sk.loads, text)
    report = sk.loads(text, base_dir=tmp_path)
    assert report.assets == {"p.png": str((tmp_path / "p.png").resolve())}


def test_assets_folders_allow_pictures_elsewhere(tmp_path: Path) -> None:
    (tmp_path / "records").mkdir()
    (tmp_path / "shared").mkdir()
    shutil.copy(PNG, tmp_path / "shared" / "p.png")
    records = tmp_path / "records" / "r.yaml"
    records.write_text("achievements:\n  - heading: 甲\n    images: [../shared/p.png]\n", encoding="utf-8")
    assert "不在允许的文件夹里" in problems_of(sk.load, records)
    assert sk.load(records, assets=[tmp_path / "shared"]).assets
    out = tmp_path / "out.docx"
    assert main(["render", str(records), "-o", str(out), "--assets", str(tmp_path / "shared")]) == 0
    assert "word/media/image1.png" in package(out.read_bytes())


def test_a_symbolic_link_out_of_the_folder_is_refused(tmp_path: Path) -> None:
    (tmp_path / "records").mkdir()
    shutil.copy(PNG, tmp_path / "secret.png")
    (tmp_path / "records" / "link.png").symlink_to(tmp_path / "secret.png")
    records = tmp_path / "records" / "r.yaml"
    records.write_text("achievements:\n  - heading: 甲\n    images: [link.png]\n", encoding="utf-8")
    assert "不在允许的文件夹里" in problems_of(sk.load, records)


# --------------------------------------------------------------------------- bad pictures, through the CLI


def _bad_pictures(folder: Path) -> dict[str, str]:
    """File name → the message it must give."""
    from PIL import Image

    shutil.copy(PNG, folder / "ok.png")
    (folder / "notes.png").write_text("不是图片", encoding="utf-8")
    (folder / "cut.png").write_bytes(PNG.read_bytes()[:1500])
    (folder / "photo.heic").write_bytes(b"\x00\x00\x00\x18ftypheic" + bytes(16))
    Image.new("RGB", (8, 8)).save(folder / "x.webp")
    Image.new("1", (9000, 5000)).save(folder / "huge.png")
    (folder / "scan.pdf").write_bytes(b"%PDF-1.7\n")
    (folder / "big.png").write_bytes(PNG.read_bytes() + bytes(40_000))  # over the (lowered) byte limit
    (folder / "pics").mkdir()
    shutil.copy(PNG, folder.parent / "outside.png")
    return {
        "missing.png": "找不到图片文件",
        "notes.png": "这个文件不是图片",
        "cut.png": "图片已损坏，无法读取",
        "photo.heic": "图片格式 HEIC 不受支持",
        "x.webp": "图片格式 WEBP 不受支持",
        "huge.png": "图片像素太多（9000×5000",
        "scan.pdf": "这是 PDF 文件，不是可插入的图片",
        "big.png": "图片太大",
        "pics": "这是一个文件夹，不是图片文件",
        "../outside.png": "图片不在允许的文件夹里",
        "/etc/hostname": "图片不在允许的文件夹里",
    }


@pytest.fixture(scope="module")
def bad_folder(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    folder = tmp_path_factory.mktemp("pictures") / "case"
    folder.mkdir()
    return folder, _bad_pictures(folder)


BAD_PICTURES = ["missing.png", "notes.png", "cut.png", "photo.heic", "x.webp", "huge.png", "scan.pdf", "big.png",
                "pics", "../outside.png", "/etc/hostname"]


@pytest.mark.parametrize("name", BAD_PICTURES)
def test_every_bad_picture_exits_2_with_its_line_and_writes_nothing(
        name: str, bad_folder: tuple[Path, dict[str, str]], monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    folder, messages = bad_folder
    monkeypatch.setattr(assets, "MAX_IMAGE_BYTES", 20_000)  # big.png is over it, the others under
    records = folder / f"r-{abs(hash(name))}.yaml"
    records.write_text("meta: {organization: 某单位}\nachievements:\n  - heading: 甲\n    items: [乙]\n"
                       f"    images:\n      - ok.png\n      - path: \"{name}\"\n", encoding="utf-8")
    out = folder / "out.docx"
    before = sorted(p.name for p in folder.iterdir())
    assert main(["render", str(records), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert messages[name] in err, err
    assert f"{records}:7:" in err and "achievements[0].images[1].path" in err
    assert "Traceback" not in err and "内部错误" not in err
    assert not out.exists()
    assert sorted(p.name for p in folder.iterdir()) == before
    assert main(["validate", str(records)]) == 2
    assert messages[name] in capsys.readouterr().err


def test_docs_errors_lists_the_picture_messages() -> None:
    from .test_bad_inputs import _doc_form

    docs = _doc_form((SAMPLE_DATA.parent / "docs" / "errors.md").read_text(encoding="utf-8"))
    fragments = ["找不到图片文件", "这个文件不是图片（或图片已损坏）", "图片已损坏，无法读取",
                 "图片格式 … 不受支持（Word 和 WPS 不能都显示）", "这是 … 文件，不是可插入的图片",
                 "图片太大（… MB，上限 20 MB）", "图片像素太多", "这是一个文件夹，不是图片文件",
                 "图片不在允许的文件夹里（只能用记录文件所在文件夹及其下级文件夹里的图片）",
                 "记录不是从文件读入的，图片路径无从解析", assets._MISSING_PILLOW]
    missing = [f for f in fragments if _doc_form(f) not in docs]
    assert not missing


# --------------------------------------------------------------------------- charts


def test_chart_is_a_native_chart_part_with_its_workbook(submitted: bytes) -> None:
    parts = package(submitted)
    rels = parts["word/_rels/document.xml.rels"].decode()
    assert re.search(r'Id="skChart1" Type="[^"]+/chart" Target="charts/chart1.xml"', rels)
    types = parts["[Content_Types].xml"].decode()
    assert 'PartName="/word/charts/chart1.xml" ContentType="application/vnd.openxmlformats-officedocument' \
           '.drawingml.chart+xml"' in types
    assert 'Extension="xlsx"' in types
    chart_rels = parts["word/charts/_rels/chart1.xml.rels"].decode()
    assert 'Target="../embeddings/Microsoft_Excel_Worksheet1.xlsx"' in chart_rels
    chart = etree.fromstring(parts["word/charts/chart1.xml"])
    assert chart.find("c:externalData", NS).get(f"{{{NS['r']}}}id") == "rId1"
    assert chart.find("c:chart/c:autoTitleDeleted", NS).get("val") == "1"
    bar = chart.find(".//c:barChart", NS)
    series = bar.findall("c:ser", NS)
    assert [s.find("c:tx//c:v", NS).text for s in series] == ["2024年", "2025年"]
    assert [v.text for v in series[0].findall("c:cat//c:v", NS)] == ["第一季度", "第二季度", "第三季度", "第四季度"]
    assert [float(v.text) for v in series[1].findall("c:val//c:v", NS)] == [6.8, 7.2, 6.9, 7.7]
    assert chart.find(".//c:valAx/c:title//a:t", NS).text == "万人次"
    assert chart.find(".//a:defRPr/a:ea", NS).get("typeface") == DEFAULT_STYLE.fonts.table
    # The workbook holds the same figures, so that “编辑数据” in Word or WPS shows them.
    with zipfile.ZipFile(io.BytesIO(parts["word/embeddings/Microsoft_Excel_Worksheet1.xlsx"])) as book:
        sheet = book.read("xl/worksheets/sheet1.xml").decode()
        strings = book.read("xl/sharedStrings.xml").decode()
    assert "<v>6.8</v>" in sheet and "第一季度" in strings and "2025年" in strings
    drawing = _drawings(submitted)[1]
    assert drawing.find(".//c:chart", NS).get(f"{{{NS['r']}}}id") == "skChart1"


@pytest.mark.parametrize(("kind", "element"), [("line", "lineChart"), ("pie", "pieChart"), ("bar", "barChart")])
def test_chart_kinds(tmp_path: Path, kind: str, element: str) -> None:
    data = render_yaml(tmp_path, f"achievements:\n  - heading: 甲\n    charts:\n      - type: {kind}\n"
                                 "        title: 各部门\n        categories: [食堂, 宿舍]\n"
                                 "        series: [{name: 人数, values: [3, 4]}]\n")
    chart = etree.fromstring(package(data)["word/charts/chart1.xml"])
    assert chart.find(f".//c:{element}", NS) is not None
    assert (chart.find("c:chart/c:legend", NS) is not None) == (kind == "pie")


def test_chart_values_must_match_the_categories(tmp_path: Path) -> None:
    (tmp_path / "r.yaml").write_text("achievements:\n  - heading: 甲\n    charts:\n      - categories: [a, b]\n"
                                     "        series: [{name: s, values: [1]}]\n", encoding="utf-8")
    assert "第 1 组数值有 1 个，categories 有 2 个" in problems_of(sk.load, tmp_path / "r.yaml")


def test_a_chart_or_picture_last_before_the_signature_renders() -> None:
    """The body's last block keeps with the signature only when it is text (a chart has none)."""
    records = {"signature": {"organization": "某某中学"}, "achievements": [{"heading": "甲", "charts": [
        {"categories": ["一季度"], "series": [{"name": "人次", "values": [3]}]}]}]}
    document = sk.render(records, format="docx")
    with zipfile.ZipFile(io.BytesIO(document)) as package:
        assert b"<c:chart" in package.read("word/document.xml")


def test_a_chart_prints_as_a_table_in_markdown(submitted: bytes) -> None:
    markdown = sk.render(SUBMITTED, format="md", seed=1).decode()
    assert "|  | 2024年 | 2025年 |\n|---|---|---|\n| 第一季度 | 6.1 | 6.8 |" in markdown
    assert "*图2\u3000" in markdown and "（单位：万人次）*" in markdown


# --------------------------------------------------------------------------- the 公文 parts


def _ppr(p: etree._Element, path: str) -> etree._Element | None:
    return p.find(f"w:pPr/{path}", NS)


def test_head_parts_come_before_the_title_in_order(submitted: bytes) -> None:
    texts = [para_text(p) for p in paragraphs(submitted)]
    title = texts.index("某某市机关事务管理局2025年")
    head = [t for t in texts[:title] if t]
    assert head == ["000012", "秘密★1年", "加急", "某某市机关事务管理局文件", "\u3000某机管〔2026〕3号签发人：王某某"]
    assert texts[title + 2: title + 5] == ["", "市人民政府：", texts[title + 4]]  # blank line, 主送机关, body
    secrecy = find_para(submitted, "秘密★1年")
    assert secrecy.find(".//w:rFonts", NS).get(f"{W}eastAsia") == DEFAULT_STYLE.fonts.heading1  # 黑体


def test_issuer_is_red_centred_and_35_mm_below_the_text_block_top(submitted: bytes) -> None:
    issuer = find_para(submitted, "某某市机关事务管理局文件")
    run = issuer.find("w:r", NS)
    assert run.find("w:rPr/w:color", NS).get(f"{W}val") == "FF0000"
    assert run.find("w:rPr/w:sz", NS).get(f"{W}val") == "72"  # 小初 36 pt
    assert _ppr(issuer, "w:jc").get(f"{W}val") == "center"
    spacing = _ppr(issuer, "w:spacing")
    # Three lines above it (份号, 密级, 紧急程度), then the space before: 35 mm in all.
    before_pt = int(spacing.get(f"{W}before")) / 20
    assert (3 * DEFAULT_STYLE.line_pt + before_pt) * MM_PER_PT == pytest.approx(35, abs=0.05)
    assert spacing.get(f"{W}lineRule") == "exact" and spacing.get(f"{W}line") == "720"


def test_number_line_with_signer_and_the_red_rule(submitted: bytes) -> None:
    number = find_para(submitted, "某机管〔2026〕3号")
    bottom = _ppr(number, "w:pBdr/w:bottom")
    assert bottom.get(f"{W}color") == "FF0000" and bottom.get(f"{W}val") == "single"
    assert int(bottom.get(f"{W}space")) == round(4 / MM_PER_PT)  # 4 mm below the 发文字号
    tab = _ppr(number, "w:tabs/w:tab")
    char_twips = DEFAULT_STYLE.sizes.body * 20
    assert tab.get(f"{W}val") == "right"
    assert int(tab.get(f"{W}pos")) == round(DEFAULT_STYLE.text_width_pt * 20 - char_twips)  # 1 character in
    runs = [para_text(r) for r in number.findall("w:r", NS)]
    assert runs[0] == "\u3000某机管〔2026〕3号"  # 1 character in from the left
    names = next(r for r in number.findall("w:r", NS) if para_text(r) == "王某某")
    assert names.find("w:rPr/w:rFonts", NS).get(f"{W}eastAsia") == DEFAULT_STYLE.fonts.heading2  # 楷体
    # The title two lines below the rule.
    following = number.itersiblings()
    assert [para_text(next(following)) for _ in range(3)] == ["", "", "某某市机关事务管理局2025年"]


def test_several_signers_stand_two_per_line_with_the_number_on_the_last(tmp_path: Path) -> None:
    """GB/T 9704 §7.2.4: two names a line, wrapped names under the first name; §7.2.3: the 发文字号 on the last line."""
    data = render_yaml(tmp_path, "official: {issuer: 某局文件, number: 某〔2026〕1号, signers: [王某某, 李某, 张某某]}\n"
                                 "intro: [正文。]\n")
    first = find_para(data, "签发人：")
    lines = [first, first.getnext()]
    assert [[para_text(r) for r in line.findall("w:r", NS) if para_text(r)] for line in lines] == [
        ["签发人：", "王某某", "李某"], ["\u3000某〔2026〕1号", "张某某"]]
    char = DEFAULT_STYLE.sizes.body * 20
    width = DEFAULT_STYLE.text_width_pt * 20
    stops = [[int(t.get(f"{W}pos")) for t in _ppr(line, "w:tabs").findall("w:tab", NS)] for line in lines]
    second = round(width - char - 3 * char)  # one character in from the right, a column as wide as 王某某
    first_name = round(width - char - 3 * char - char - 3 * char)
    assert stops == [[first_name - 4 * char, second], [first_name, second]]  # 签发人： ends where the names start
    assert [_ppr(line, "w:pBdr/w:bottom") is not None for line in lines] == [False, True]  # the red rule under the number
    names = [r for line in lines for r in line.findall("w:r", NS) if para_text(r) in {"王某某", "李某", "张某某"}]
    assert {r.find("w:rPr/w:rFonts", NS).get(f"{W}eastAsia") for r in names} == {DEFAULT_STYLE.fonts.heading2}


def test_without_signers_the_number_is_centred(tmp_path: Path) -> None:
    data = render_yaml(tmp_path, "official: {issuer: 某局文件, number: 某〔2026〕1号}\nintro: [正文。]\n")
    number = find_para(data, "某〔2026〕1号")
    assert _ppr(number, "w:jc").get(f"{W}val") == "center" and _ppr(number, "w:tabs") is None
    issuer = find_para(data, "某局文件")
    assert int(_ppr(issuer, "w:spacing").get(f"{W}before")) / 20 * MM_PER_PT == pytest.approx(35, abs=0.05)


def test_note_is_under_the_date_in_parentheses_two_characters_in(submitted: bytes) -> None:
    note = find_para(submitted, "联系人")
    assert para_text(note) == "（联系人：李某，电话：12345678）"
    assert note.find("w:pPr/w:pStyle", NS).get(f"{W}val") == "Normal"  # first line 2 characters in
    assert para_text(note.getprevious()) == "2026年1月20日"


def test_record_is_a_box_at_the_foot_of_the_page_with_three_rules(submitted: bytes) -> None:
    anchor = body(submitted).find(".//wp:anchor", NS)
    assert anchor.find("wp:positionV/wp:align", NS).text == "bottom"
    assert anchor.find("wp:positionV", NS).get("relativeFrom") == "margin"
    assert anchor.find("wp:wrapTopAndBottom", NS) is not None
    cx = int(anchor.find("wp:extent", NS).get("cx"))
    assert cx == round(DEFAULT_STYLE.text_width_pt * 12700)  # as wide as the text block
    cells = anchor.findall(".//w:tc", NS)
    assert [para_text(c) for c in cells] == ["抄送：市财政局、市审计局。", "某某市机关事务管理局办公室2026年1月21日印发"]
    sizes = [(c.find("w:tcPr/w:tcBorders/w:top", NS).get(f"{W}sz"),
              c.find("w:tcPr/w:tcBorders/w:bottom", NS).get(f"{W}sz")) for c in cells]
    assert sizes == [("8", "6"), ("6", "8")]  # 0.35 mm outside, 0.25 mm between
    margins = anchor.find(".//w:tblCellMar", NS)
    assert margins.find("w:left", NS).get(f"{W}w") == margins.find("w:right", NS).get(f"{W}w") == "280"  # 4号 char
    top_level = body(submitted).findall("w:p", NS)
    assert top_level[-1].find(".//wp:anchor", NS) is not None  # anchored in the last paragraph of the body


def test_style_file_gives_an_offices_fixed_parts_and_records_override_them(tmp_path: Path) -> None:
    style = tmp_path / "s.yaml"
    style.write_text("official:\n  issuer: 某局文件\n  printer: 某局办公室\n  issuer_size: 二号\n  red: C00000\n",
                     encoding="utf-8")
    assert load_style(style).official.issuer_size == 22
    data = render_yaml(tmp_path, "official: {printer: 某局秘书科, printed: 2026-02-01}\nintro: [正文。]\n", style=style)
    issuer = find_para(data, "某局文件")
    assert issuer.find(".//w:color", NS).get(f"{W}val") == "C00000"
    assert "某局秘书科" in para_text(body(data).find(".//wp:anchor", NS).find(".//w:tc", NS))


def test_a_long_issuer_is_narrowed_to_fit_the_text_block() -> None:
    from summarykit.writers.official import issuer_scale

    assert issuer_scale("某某市机关事务管理局文件", 36, DEFAULT_STYLE.text_width_pt) == 100
    scale = issuer_scale("某某省某某市某某区机关事务管理局文件", 36, DEFAULT_STYLE.text_width_pt)
    assert scale < 100 and 18 * 36 * scale / 100 <= DEFAULT_STYLE.text_width_pt


def test_official_parts_in_markdown_and_text() -> None:
    markdown = sk.render(SUBMITTED, format="md", seed=1).decode()
    assert markdown.startswith("000012\n\n秘密★1年\n\n加急\n\n某某市机关事务管理局文件\n\n某机管〔2026〕3号")
    assert "抄送：市财政局、市审计局。" in markdown
    text = sk.render(SUBMITTED, format="txt", seed=1).decode()
    assert text.rstrip().endswith("某某市机关事务管理局办公室\u3000\u30002026年1月21日印发")


def test_a_plain_summary_has_no_official_parts() -> None:
    data = sk.render(SAMPLE_DATA / "school_term.yaml", seed=1)
    assert body(data).find(".//wp:anchor", NS) is None
    assert not any(p.find("w:pPr/w:pBdr", NS) is not None for p in paragraphs(data))
