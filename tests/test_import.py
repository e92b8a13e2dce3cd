"""`summarykit import`: a finished summary (text or DOCX) back into records.

The promise to users is a round trip: import last year's summary, render the records, and the
numbered outline (一、 （一） 1. 1、 （1） ①, with the text each label starts) comes back as it was —
for all ten sample summaries, from their text and from a DOCX holding that text.  Beyond the
outline: nothing is dropped (what cannot be placed is reported with its line), a summary pasted
from a web page with half-width punctuation and stray blank lines gives records that validate and
render, and quantities are recognised only where unambiguous.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import docx
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from summarykit.cli.main import main
from summarykit.drafting.templating import list_names
from summarykit.kit import render
from summarykit.records.loading import loads
from summarykit.records.model import Report
from summarykit.records.textclean import full_width_punctuation
from summarykit.tools.importer import ImportResult, import_docx, import_file, import_text, metrics_in, to_yaml
from summarykit.zh.labels import parse_label

from .samples import SAMPLES_TXT, SOURCES, sample_body

SAMPLES = SAMPLES_TXT
needs_samples = pytest.mark.skipif(not SAMPLES.is_file(), reason="shared/samples 不在仓库旁边")

# 范文N → the template its records in sample_data/ were written for; 范文5 holds five summaries.
_BY_NUMBER = {1: "agency_logistics", 2: "library_reflection", 3: "reform_review", 4: "university_logistics",
              6: "survey_report"}
_SCHOOL = {1: "school_term", 2: "school_term_2", 3: "school_term_3", 4: "school_term_4", 5: "personal_summary"}
SAMPLE_NAMES = [*_BY_NUMBER.values(), *_SCHOOL.values()]


def split_samples() -> dict[str, str]:
    """The ten sample texts, as a user would paste each one: a school summary's marker
    (“学校后勤工作总结1本学期……”) becomes a title line of its own."""
    return {name: ("学校后勤工作总结\n\n" if SOURCES[name][1] is not None else "") + sample_body(name).strip("\n")
            for name in SOURCES}


@pytest.fixture(scope="module")
def samples() -> dict[str, str]:
    if not SAMPLES.is_file():
        pytest.skip("shared/samples 不在仓库旁边")
    found = split_samples()
    assert sorted(found) == sorted(SAMPLE_NAMES)
    return found


_BARE = re.compile(r"^(\d{1,2})(?=[\u4e00-\u9fff])")


def numbered_outline(text: str, *, bare: bool = False) -> list[tuple[str, int, str]]:
    """(kind, number, first characters of the text) for every line that starts with a label.

    ``bare`` also reads 范文2's “1理清发展思路” (a digit glued to a short heading).  The text is
    compared after half-width punctuation is made full width, as the renderer prints it.
    """
    outline = []
    for raw in text.splitlines():
        line = raw.strip()
        found = parse_label(line)
        if found is None and bare and (match := _BARE.match(line)) and len(line) <= 30:
            found = ("n-bare", int(match.group(1)), line[match.end():])
        if found is None:
            continue
        kind, number, rest = found
        outline.append((kind, number, full_width_punctuation(rest)[0][:8]))
    return outline


def same_outline(expected: list[tuple[str, int, str]], actual: list[tuple[str, int, str]],
                 *, same_level_3: bool = False) -> bool:
    """A bare “1” matches 1. or 1、; with ``same_level_3`` (template not installed yet) so do 1. and 1、."""

    def kind_ok(want: str, got: str) -> bool:
        level3 = {"n-dot", "n-dun"}
        if want == "n-bare" or (same_level_3 and want in level3):
            return got in level3
        return want == got

    return len(expected) == len(actual) and all(
        kind_ok(w[0], g[0]) and w[1:] == g[1:] for w, g in zip(expected, actual, strict=True))


def render_text(yaml_text: str) -> tuple[str, bool]:
    """Load the imported records and render them as plain text with the template they name.

    Returns the text and whether the named template was missing (then school_term stands in).
    """
    report = loads(yaml_text)
    template = report.meta.template or "school_term"
    missing = template not in list_names()
    return render(report, template="school_term" if missing else template, format="txt").decode("utf-8"), missing


def docx_of(text: str, path: Path) -> Path:
    """A DOCX a user might have: one Word paragraph per non-empty line of the text."""
    document = docx.Document()
    for line in text.splitlines():
        if line.strip():
            document.add_paragraph(line)
    document.save(str(path))
    return path


def strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)


# --------------------------------------------------------------------------- the round trip, all ten samples


@needs_samples
@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_round_trip_from_text_reproduces_the_numbered_outline(samples: dict[str, str], name: str) -> None:
    text = samples[name]
    rendered, missing = render_text(to_yaml(import_text(text, f"{name}.txt")))
    expected = numbered_outline(text, bare=True)
    assert same_outline(expected, numbered_outline(rendered), same_level_3=missing), (
        expected, numbered_outline(rendered))


@needs_samples
@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_round_trip_from_docx_reproduces_the_numbered_outline(samples: dict[str, str], name: str,
                                                              tmp_path: Path) -> None:
    text = samples[name]
    result = import_docx(docx_of(text, tmp_path / f"{name}.docx"))
    rendered, missing = render_text(to_yaml(result))
    assert same_outline(numbered_outline(text, bare=True), numbered_outline(rendered), same_level_3=missing)


@needs_samples
@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_text_and_docx_give_the_same_records(samples: dict[str, str], name: str, tmp_path: Path) -> None:
    from_text = import_text(samples[name], name)
    from_docx = import_docx(docx_of(samples[name], tmp_path / "in.docx"))
    assert from_docx.records == from_text.records


@needs_samples
@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_picks_the_template_the_sample_was_written_for(samples: dict[str, str], name: str) -> None:
    expected = re.sub(r"_\d+$", "", name)
    if expected not in list_names():
        pytest.skip(f"模板 {expected} 尚未安装")
    result = import_text(samples[name], name)
    assert result.template == expected
    assert result.records["meta"]["template"] == expected
    assert result.reasons, "the choice of template is explained"


@needs_samples
@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_imported_records_validate_without_anything_left_to_fix(samples: dict[str, str], name: str) -> None:
    result = import_text(samples[name], name)
    Report.model_validate(result.records)
    report = loads(to_yaml(result), f"{name}.yaml")
    # The importer already made the punctuation full width: loading has nothing to change.
    assert [str(n) for n in report.notices] == []


@needs_samples
@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_nothing_is_dropped(samples: dict[str, str], name: str) -> None:
    """Every sentence of the source is in the records, in the unplaced list or named as template boilerplate."""
    text = samples[name]
    result = import_text(text, name)
    kept = "".join([*strings(result.records), *(t for _, t in result.unplaced), *(t for _, t in result.removed)])
    kept = full_width_punctuation(kept)[0].replace(" ", "")
    missing = []
    for raw in text.splitlines():
        line = full_width_punctuation(raw.strip())[0].replace(" ", "")
        # Markers the records express by their structure: the keyword label, the reference list.
        line = re.sub(r"^(\[关键词\]|关键词：|\[\d+\]|参考文献：)", "", line)
        found = parse_label(line)
        if found:
            line = found[2]
        line = _BARE.sub("", line)
        for chunk in re.split(r"[。；！？：，]", line):
            chunk = re.sub(r"^[一二三四五六七八九十]是", "", chunk)
            if len(chunk) >= 4 and chunk not in kept:
                missing.append(chunk)
    assert missing == []


# --------------------------------------------------------------------------- what the samples show


@needs_samples
def test_a_journal_line_is_reported_with_its_line_not_dropped(samples: dict[str, str]) -> None:
    text = samples["agency_logistics"]
    result = import_text(text, "范文1.txt")
    ((line, content),) = result.unplaced
    assert content.startswith("中图分类号")
    assert text.splitlines()[line - 1] == content
    yaml_text = to_yaml(result)
    assert f"# TODO 第 {line} 行：中图分类号" in yaml_text
    assert loads(yaml_text).keywords == ["后勤保障", "行政服务", "能力", "水平"]


@needs_samples
def test_school_summary_sorts_categories_items_details_and_problems(samples: dict[str, str]) -> None:
    records = import_text(samples["school_term"], "总结1.txt").records
    assert [c["heading"] for c in records["achievements"]][:2] == ["学生食堂改革", "学校环境改善"]
    assert len(records["achievements"]) == 6
    first = records["achievements"][0]["items"]
    assert len(first) == 4
    assert first[3]["details"] == ["合理安排学生配餐。"]  # the unnumbered line stays with its item
    assert records["problems"]["heading"] == "存在问题"
    assert [i["text"] for i in records["problems"]["items"]] == ["学校水、电浪费现象较为严重。", "免费循环使用教材回收率不够。"]
    assert records["closing"][0].startswith("后勤工作千头万绪")
    # “现将……总结如下：” is what the template writes itself
    assert not any("总结如下" in p for p in records["intro"])


@needs_samples
def test_run_in_headings_and_inline_lists(samples: dict[str, str]) -> None:
    records = import_text(samples["survey_report"], "范文6.txt").records
    status = records["sections"][1]["subsections"][0]["subsections"]
    assert [s["heading"] for s in status] == ["机构设置情况。", "职工队伍状况。", "服务运行情况。"]
    assert all(s["run_in"] for s in status)
    assert status[0]["paragraphs"][0].startswith("省局园区的后勤服务工作")
    inline = records["sections"][2]["subsections"][1]
    assert inline["inline_items"] is True
    assert [i["text"][:4] for i in inline["items"]] == ["加强学习", "加强制度", "转变作风", "加强服务"]


@needs_samples
def test_bare_digit_list_after_a_headless_essay_becomes_plans(samples: dict[str, str]) -> None:
    records = import_text(samples["library_reflection"], "范文2.txt").records
    assert records["plans"]["lead"] == ["因此，我们后勤保障部门今后应该做到："]
    assert [i["text"] for i in records["plans"]["items"]] == ["理清发展思路", "确定工作目标", "强化工作措施"]
    assert records["plans"]["items"][0]["details"][0].startswith("以科学发展观为指导")
    assert len(records["intro"]) == 6


@needs_samples
def test_paper_keywords_and_references(samples: dict[str, str]) -> None:
    records = import_text(samples["university_logistics"], "范文4.txt").records
    assert records["keywords"] == ["科学发展观", "新建本科院校", "后勤保障体系"]
    # GB/T 7714 references keep their Western punctuation and lose the typed [1].
    assert records["references"] == ["成长春.重视新建本科院校的发展[N].中国教育报,2009,1,23."]
    third = records["sections"][2]["subsections"][2]
    assert len(third["items"]) == 6 and third["items"][3]["text"].startswith("以ISO9001:2000质量管理体系")


@needs_samples
@pytest.mark.parametrize("path", sorted((Path(__file__).resolve().parents[1] / "sample_data").glob("*.yaml")),
                         ids=lambda p: p.stem)
def test_our_own_output_imports_back_to_the_same_outline(path: Path, tmp_path: Path) -> None:
    """Rendered DOCX and text of the hand-made records come back with the same outline, title and signature."""
    from summarykit.records.loading import load

    original = load(path)
    text = render(path, format="txt").decode("utf-8")
    docx_path = tmp_path / "out.docx"
    docx_path.write_bytes(render(path))
    for result in (import_text(text, "out.txt"), import_docx(docx_path)):
        again, _ = render_text(to_yaml(result))
        assert numbered_outline(again) == numbered_outline(text)
        assert result.unplaced == []
        report = loads(to_yaml(result))
        assert report.title == original.title  # a long title set on two lines comes back as one
        assert report.signature_date == original.signature_date
        assert report.official == original.official  # 版头, 主送机关, 附注 and 版记 (agency_logistics_2)


# --------------------------------------------------------------------------- a web page, pasted by a new user

WEB_PASTE = """

XX县第一中学2023年度后勤工作总结
发布时间:2023-12-28  来源:本站  浏览次数:1024

    2023年,我校后勤工作在校党委的领导下,以服务师生为宗旨,圆满完成了各项任务.现将一年来的工作总结如下:


一.加强食堂管理,保障饮食安全

1.完善了食堂管理制度,实行食品"留样"制度.


2.添置消毒柜3台,冷藏柜2台.
二.改善办学条件
(一)校舍维修
暑假期间,维修教室门窗40余扇,粉刷教室12间.
(二)设备添置
1)购置学生课桌椅200套.
2)新建塑胶跑道1条.

三.存在的问题和不足
1.部分师生节约意识不强,水电浪费现象时有发生.
2.后勤人员老化,专业技能有待提高.
\u3000\u3000
四.下一步打算
1.加强节能宣传,建立水电巡查制度.
2.加强后勤人员培训.

总之,我们将再接再厉,把后勤工作做得更好!

XX县第一中学总务处
2023年12月28日

"""


def test_web_paste_gives_records_that_validate_and_render(tmp_path: Path) -> None:
    source = tmp_path / "从网页复制的总结.txt"
    source.write_text(WEB_PASTE, encoding="utf-8")
    result = import_file(source)
    yaml_text = to_yaml(result)
    report = loads(yaml_text, "导入.yaml")
    assert report.notices == []  # validates as it is, with nothing left to fix
    assert report.title == "XX县第一中学2023年度后勤工作总结"
    assert report.signature.organization == "XX县第一中学总务处"
    assert str(report.signature.date) == "2023-12-28"
    assert report.problems.heading == "存在的问题和不足"
    assert [i.text for i in report.plans.items] == ["加强节能宣传，建立水电巡查制度。", "加强后勤人员培训。"]
    assert report.closing == ["总之，我们将再接再厉，把后勤工作做得更好！"]
    assert "实行食品“留样”制度。" in report.sections[0].items[0].text
    # The site's byline is no part of the summary: reported, with its line, not dropped.
    assert result.unplaced == [(4, "发布时间:2023-12-28  来源:本站  浏览次数:1024")]

    text = render(report, format="txt").decode("utf-8")
    outline = [(kind, number) for kind, number, _ in numbered_outline(text)]
    level3 = "n-dun" if result.template == "school_term" else "n-dot"
    assert outline == [("cn", 1), (level3, 1), (level3, 2), ("cn", 2), ("paren-cn", 1), ("paren-cn", 2),
                       (level3, 1), (level3, 2), ("cn", 3), (level3, 1), (level3, 2), ("cn", 4),
                       (level3, 1), (level3, 2)]
    assert render(report, format="docx")[:2] == b"PK"


def test_web_paste_through_the_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "总结.txt"
    source.write_text(WEB_PASTE, encoding="gb18030")  # Windows Notepad's “ANSI”
    out = tmp_path / "总结.yaml"
    assert main(["import", str(source), "-o", str(out)]) == 0
    err = capsys.readouterr().err
    assert "未能归类（第 4 行）：发布时间" in err
    assert f"已生成：{out}" in err
    assert main(["validate", str(out)]) == 0
    assert main(["render", str(out), "-o", str(tmp_path / "总结.docx")]) == 0
    assert (tmp_path / "总结.docx").read_bytes()[:2] == b"PK"


# --------------------------------------------------------------------------- metrics


@pytest.mark.parametrize(("text", "expected"), [
    ("为办公室添置办公桌7张，办公电脑5台，打印机3台。",
     [("办公桌", 7, "张"), ("办公电脑", 5, "台"), ("打印机", 3, "台")]),
    ("建设垃圾池2个，改造单身澡房1间。", [("垃圾池", 2, "个"), ("单身澡房", 1, "间")]),
    ("上年共签订从业人员管理合同6个，用合同管理人。", [("从业人员管理合同", 6, "个")]),
    ("现有职工97人，其中在职职工56人。", [("职工", 97, "人"), ("在职职工", 56, "人")]),
    ("投入资金3.5万元。", [("资金", 3.5, "万元")]),
])
def test_unambiguous_quantities_become_metrics(text: str, expected: list[tuple[str, float, str]]) -> None:
    assert [(m["name"], m["value"], m["unit"]) for m in metrics_in(text)] == expected


@pytest.mark.parametrize("text", [
    "组织编码员完成了对全镇7305户、30252人口的编码任务。",  # who counted what is not a plain noun
    "共消除垃圾90多车。",  # an estimate
    "将肉类增大到350-400斤。",  # a range
    "服务满意度达到90%以上。",  # a share, not a count
    "在职职工平均年龄43岁。",
    "添置桌椅和书柜10套。",  # 10 sets of what?
])
def test_ambiguous_quantities_stay_text(text: str) -> None:
    assert metrics_in(text) == []


def test_metrics_are_attached_to_items_and_written_in_flow_style() -> None:
    result = import_text("一、办公用品\n1、为办公室添置办公桌7张，办公电脑5台。\n2、维修门窗。")
    item = result.records["achievements"][0]["items"][0]
    assert item["metrics"] == [{"name": "办公桌", "value": 7, "unit": "张"},
                               {"name": "办公电脑", "value": 5, "unit": "台"}]
    assert "- {name: 办公桌, value: 7, unit: 张}" in to_yaml(result)
    assert loads(to_yaml(result)).achievements[0].items[0].metrics[1].name == "办公电脑"


# --------------------------------------------------------------------------- outline reading


def _import(text: str, **kwargs: Any) -> ImportResult:
    result = import_text(text, "测试.txt", **kwargs)
    loads(to_yaml(result))  # every result must validate
    return result


def test_half_and_full_width_labels_are_read_alike() -> None:
    half = _import("一.食堂\n1.完善制度.\n(1)细则一.\n二.环境\n1.清除杂草.", template="agency_logistics")
    full = _import("一、食堂\n１．完善制度。\n（1）细则一。\n二、环境\n１．清除杂草。", template="agency_logistics")
    assert half.records == full.records
    assert half.records["sections"][0]["items"][0] == {"text": "完善制度。", "details": ["（1）细则一。"]}


def test_a_label_alone_on_its_line_joins_the_next_line() -> None:
    records = _import("一、\n学生食堂改革\n1、\n期初召开家长会。").records
    assert records["achievements"] == [{"heading": "学生食堂改革", "items": [{"text": "期初召开家长会。"}]}]


def test_a_sentence_broken_over_two_lines_is_rejoined() -> None:
    records = _import("本学期，学校后勤工作以服务师生为宗旨，\n不断优化管理。\n一、食堂\n1、完善制度。").records
    assert records["intro"] == ["本学期，学校后勤工作以服务师生为宗旨，不断优化管理。"]


def test_run_in_level_one_headings_and_a_run_in_problems_part() -> None:
    result = _import("一、指导思想。以服务师生为中心。\n二、主要工作。完成了食堂改造。\n三、存在问题。水电浪费仍然存在。")
    sections = result.records["sections"]
    assert [(s["heading"], s["run_in"]) for s in sections] == [("指导思想。", True), ("主要工作。", True)]
    assert result.records["problems"] == {"heading": "存在问题", "lead": ["水电浪费仍然存在。"]}


def test_problems_and_plans_only_from_the_tail_in_template_order() -> None:
    # A problems heading in the middle stays a section: moving it would reorder the outline.
    records = _import("一、存在问题\n1、浪费。\n二、食堂\n1、完善制度。\n三、下一步打算\n1、加强管理。").records
    assert [c["heading"] for c in records["achievements"]] == ["存在问题", "食堂"]
    assert records["plans"]["heading"] == "下一步打算"
    assert "problems" not in records


def test_a_top_level_of_paren_numbers_becomes_level_one() -> None:
    result = _import("（一）食堂管理\n1.完善制度。\n（二）校园环境\n1.清除杂草。", template="agency_logistics")
    assert [s["heading"] for s in result.records["sections"]] == ["食堂管理", "校园环境"]
    assert any(n.code == "levels" for n in result.notices)


def test_labels_before_the_first_heading_are_kept_as_text_and_noticed() -> None:
    result = _import("前言。\n1、先说一点。\n一、正文\n内容。")
    assert result.records["intro"] == ["前言。", "1、先说一点。"]
    assert [n.code for n in result.notices if n.code == "stray-label"] == ["stray-label"]


def test_an_empty_heading_is_kept_and_warned_about() -> None:
    result = _import("一、第一部分\n二、第二部分\n内容。", template="agency_logistics")
    assert result.records["sections"][0] == {"heading": "第一部分"}
    assert any(n.code == "empty-heading" and "第一部分" in n.message for n in result.notices)


def test_signature_with_chinese_numeral_date_and_attachments() -> None:
    records = _import("一、工作\n1、做了甲。\n附件：1.财产清查表\n2.应急预案\n某某中学\n二〇一一年一月二十日").records
    assert records["signature"] == {"organization": "某某中学", "date": __import__("datetime").date(2011, 1, 20)}
    assert records["attachments"] == ["财产清查表", "应急预案"]


def test_renumbering_is_noticed() -> None:
    result = _import("一、甲\n内容。\n三、乙\n内容。")
    assert any(n.code == "numbering" and "“三、”" in n.message for n in result.notices)


def test_a_forced_template_is_used_and_an_unknown_one_refused() -> None:
    assert _import("一、食堂\n1、完善制度。", template="survey_report").template == "survey_report"
    from summarykit.errors import TemplateError

    with pytest.raises(TemplateError):
        import_text("一、食堂", template="no_such_template")


def test_yaml_quotes_what_yaml_would_misread() -> None:
    result = _import("一、2024\n[1]参考文献式的开头。\nkey: value 的写法。\n# 井号开头\ntrue")
    report = loads(to_yaml(result))
    assert report.achievements[0].heading == "2024"
    assert report.achievements[0].paragraphs == ["[1]参考文献式的开头。", "key: value 的写法。", "# 井号开头", "true"]


# --------------------------------------------------------------------------- DOCX specifics


def test_docx_word_numbering_heading_styles_and_tables(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("某某中学2024年后勤工作总结", style="Title")
    document.add_paragraph("本年度，总务处围绕教学中心开展工作。")
    document.add_paragraph("一、食堂管理")
    document.add_paragraph("完善食堂管理制度。", style="List Number")  # Word draws “1.” itself
    document.add_paragraph("添置消毒柜3台。", style="List Number")
    document.add_paragraph("设备更新", style="Heading 1")  # a heading style, no typed label
    document.add_paragraph("设备添置情况")
    table = document.add_table(rows=3, cols=3)
    for r, row in enumerate([["设备", "数量", "金额"], ["电脑", "5台", "2万元"], ["打印机", "3台", "0.6万元"]]):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    document.add_paragraph("注：金额为含税价。")
    document.add_paragraph("某某中学总务处")
    document.add_paragraph("2024年7月1日")
    path = tmp_path / "总结.docx"
    document.save(str(path))

    result = import_docx(path)
    records = result.records
    assert records["meta"]["title"] == "某某中学2024年后勤工作总结"
    food, equipment = records["achievements"]
    assert [i["text"] for i in food["items"]] == ["完善食堂管理制度。", "添置消毒柜3台。"]
    assert equipment["heading"] == "设备更新"
    assert equipment["tables"] == [{"caption": "设备添置情况", "columns": ["设备", "数量", "金额"],
                                    "rows": [["电脑", "5台", "2万元"], ["打印机", "3台", "0.6万元"]],
                                    "note": "注：金额为含税价。"}]
    assert records["signature"]["organization"] == "某某中学总务处"
    rendered, _ = render_text(to_yaml(result))
    assert [k for k, _, _ in numbered_outline(rendered)] == ["cn", "n-dun", "n-dun", "cn"]
    assert "设备添置情况" in rendered


def test_a_file_that_is_not_a_docx_is_refused_cleanly(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fake = tmp_path / "总结.docx"
    fake.write_text("这不是 Word 文档", encoding="utf-8")
    assert main(["import", str(fake), "-o", str(tmp_path / "x.yaml")]) == 2
    assert "不是可以读取的 Word 文档" in capsys.readouterr().err
    assert not (tmp_path / "x.yaml").exists()


# --------------------------------------------------------------------------- the command


def test_command_refuses_to_overwrite_without_force(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "a.txt"
    source.write_text("一、食堂\n1、完善制度。\n", encoding="utf-8")
    out = tmp_path / "a.yaml"
    out.write_text("# 我的记录\n", encoding="utf-8")
    assert main(["import", str(source), "-o", str(out)]) == 2
    assert "已经存在" in capsys.readouterr().err
    assert out.read_text(encoding="utf-8") == "# 我的记录\n"
    assert main(["import", str(source), "-o", str(out), "--force"]) == 0
    assert loads(out.read_text(encoding="utf-8")).achievements[0].heading == "食堂"


def test_command_writes_to_stdout_with_dash(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "a.txt"
    source.write_text("一、食堂\n1、完善制度。\n", encoding="utf-8")
    assert main(["import", str(source), "-o", "-", "--template", "school_term"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# 由 summarykit import")
    assert loads(out).meta.template == "school_term"


# --------------------------------------------------------------------------- any text at all

_PIECES = ["一、食堂管理", "二.环境", "(一)校舍", "（二）设备", "1.完善制度。", "2、落实责任。", "1)购置桌椅20套.", "（1）细则。",
           "①甲", "1理清思路", "2确定目标", "一、", "内容段落，写了一些事情。", "一是甲。二是乙。", "总之，很好。",
           "存在问题", "三、存在的问题", "四、下一步打算", "附件：1.清查表", "参考文献:", "[1]某某.文献[J].2020,1.",
           "某某中学总务处", "2024年7月1日", "关键词：甲；乙", "中图分类号:F2", "设备\t数量", "电脑\t5台", "", "  ",
           "key: value", "# 井号", "- 减号", "[方括号]", "true", "2024", "'单引号", '"双引号"', "{花括号}", "a, b"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(_PIECES), max_size=30))
@example(["一、", "一、", "中图分类号:F2"])  # two bare labels: neither joined to the other, neither dropped
def test_any_text_imports_to_records_that_validate_and_render(lines: list[str]) -> None:
    result = import_text("\n".join(lines), "任意.txt")
    report = loads(to_yaml(result))
    render(report, format="txt")
    # and nothing silently vanished: each unplaced line is an input line, or a label alone on its
    # line joined with the line after it (the documented Word habit “一、⏎标题”)
    allowed = set(lines) | {a + b for a, b in itertools.pairwise(lines)}
    assert all(text in allowed for _, text in result.unplaced)
