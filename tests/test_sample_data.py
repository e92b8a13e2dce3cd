"""The records files in sample_data/ reproduce the six sample summaries, and are clean input.

These files are the project's reference input: templates are written against
them and golden tests render them.  So they must load without any notice (no
control characters, no half-width punctuation left to fix), name a real
template, never type a numbering label (numbering is a pass over the document,
typed labels would print twice), and carry the whole text of their sample.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from summarykit.records.loading import load
from summarykit.records.model import Item, Part, Report, Section
from summarykit.records.textclean import full_width_punctuation

from .samples import SAMPLES_TXT, SOURCES, sample_body

REPO = Path(__file__).resolve().parents[1]
SAMPLE_DATA = REPO / "sample_data"
SAMPLES = SAMPLES_TXT

# One template per sample summary (school_term serves the four school term summaries).
TEMPLATE_NAMES = {
    "school_term",
    "personal_summary",
    "agency_logistics",
    "library_reflection",
    "reform_review",
    "university_logistics",
    "survey_report",
    # Genres beyond the six samples (organization types), each with one sample record:
    "annual_general",
    "gov_annual",
    "summary_plan",
    "debriefing",
    "hospital_department",
    "company_department",
    "community_annual",
}

RECORD_FILES = sorted(SAMPLE_DATA.glob("*.yaml"))

# Typed numbering labels: 一、 （一） (一) 1、 1. 1． （1） (1) ① and inline 一是.
NUMBERING_LABEL = re.compile(
    r"^\s*(?:"
    r"[一二三四五六七八九十百]+\s*[、.．]"
    r"|[（(]\s*[一二三四五六七八九十百\d]+\s*[)）]"
    r"|\d{1,3}\s*[、.．](?!\d)"
    r"|[①-⑳]"
    r"|第[一二三四五六七八九十]+[、，,]"
    r"|[一二三四五六七八九十]是"
    r")"
)


def _items(items: list[Item]) -> Iterator[str]:
    for item in items:
        yield item.text
        yield from item.details


def _section_texts(section: Section) -> Iterator[str]:
    yield section.heading
    yield from section.paragraphs
    yield from _items(section.items)
    for sub in section.subsections:
        yield from _section_texts(sub)
    yield from section.after


def _part_texts(part: Part) -> Iterator[str]:
    if part.heading:
        yield part.heading
    yield from part.lead
    yield from _items(part.items)
    yield from part.after


def record_text(report: Report) -> str:
    """All text of a report in reading order, without numbering or template wording."""
    texts: list[str] = list(report.intro)
    for category in report.achievements:
        texts += [category.heading, *category.paragraphs, *_items(category.items), *category.after]
    for section in report.sections:
        texts += list(_section_texts(section))
    for part in (report.experiences, report.problems, report.plans):
        texts += list(_part_texts(part))
    texts += [*report.closing, *report.references]
    return "".join(texts)


def headings_and_items(report: Report) -> Iterator[tuple[str, str]]:
    """(where, text) for every heading and item text: the places a typed label would print twice."""

    def section(s: Section, where: str) -> Iterator[tuple[str, str]]:
        yield f"{where}.heading", s.heading
        for i, item in enumerate(s.items):
            yield f"{where}.items[{i}]", item.text
        for i, sub in enumerate(s.subsections):
            yield from section(sub, f"{where}.subsections[{i}]")

    for c, category in enumerate(report.achievements):
        yield f"achievements[{c}].heading", category.heading
        for i, item in enumerate(category.items):
            yield f"achievements[{c}].items[{i}]", item.text
    for s, sec in enumerate(report.sections):
        yield from section(sec, f"sections[{s}]")
    for name in ("experiences", "problems", "plans"):
        part: Part = getattr(report, name)
        if part.heading:
            yield f"{name}.heading", part.heading
        for i, item in enumerate(part.items):
            yield f"{name}.items[{i}]", item.text


def _name(path: Path) -> str:
    return path.stem


# --------------------------------------------------------------------------- every file


def test_the_eleven_sample_records_and_the_seven_genre_records_are_present() -> None:
    names = {_name(p) for p in RECORD_FILES}
    assert names == {
        "school_term", "school_term_2", "school_term_3", "school_term_4", "personal_summary",
        "agency_logistics", "library_reflection", "reform_review", "university_logistics", "survey_report",
        "agency_logistics_2",  # the submitted report (公文 parts, a picture, a chart, emphasis, a page break)
        "annual_general", "gov_annual", "summary_plan", "debriefing", "hospital_department",
        "company_department", "community_annual",
    }


@pytest.mark.parametrize("path", RECORD_FILES, ids=_name)
def test_loads_cleanly_without_notices(path: Path) -> None:
    report = load(path)
    codes = [n.code for n in report.notices]
    assert "control-chars" not in codes
    # Sample data is already typeset: nothing left for the loader to fix (punctuation, encoding).
    assert codes == [], [str(n) for n in report.notices]
    assert record_text(report), "a sample records file must carry text"


@pytest.mark.parametrize("path", RECORD_FILES, ids=_name)
def test_names_an_existing_template_matching_the_file_name(path: Path) -> None:
    report = load(path)
    assert report.meta.template in TEMPLATE_NAMES
    assert report.meta.template == re.sub(r"_\d+$", "", path.stem)


@pytest.mark.parametrize("path", RECORD_FILES, ids=_name)
def test_no_heading_or_item_starts_with_a_typed_numbering_label(path: Path) -> None:
    report = load(path)
    typed = [(where, text[:12]) for where, text in headings_and_items(report) if NUMBERING_LABEL.match(text)]
    assert typed == []


@pytest.mark.parametrize("path", RECORD_FILES, ids=_name)
def test_has_a_title_that_is_not_the_sample_heading(path: Path) -> None:
    title = load(path).title
    assert title
    assert "范文" not in title
    assert not title.endswith(("。", "，", "：")), "a title takes no end punctuation"


def test_numbering_label_pattern_catches_typed_labels() -> None:
    typed_labels = ("一、学生食堂改革", "（一）基本情况", "(二)基本情况", "1、期初", "2.以后勤", "（3）措施",
                    "①缺乏", "十二、其它", "一是加强学习")
    for typed in typed_labels:
        assert NUMBERING_LABEL.match(typed), typed
    for plain in ("2010年，学院承办了", "3.5万元", "一方面", "第一阶段，实行", "学生食堂改革", "7305户"):
        assert not NUMBERING_LABEL.match(plain), plain


# --------------------------------------------------------------------------- particular files


def test_school_term_has_its_six_categories_and_two_problems() -> None:
    report = load(SAMPLE_DATA / "school_term.yaml")
    headings = [c.heading for c in report.achievements]
    assert len(headings) == 6
    assert headings[0] == "学生食堂改革"
    assert headings[-1] == "其它工作"
    assert [len(c.items) for c in report.achievements] == [4, 2, 3, 6, 13, 3]
    assert len(report.problems.items) == 2
    assert report.problems.heading == "存在问题"
    # Unnumbered lines between numbered ones stay with the item before them.
    assert report.achievements[0].items[3].details == ["合理安排学生配餐。"]
    assert report.signature_date is not None


def test_survey_report_table_agrees_with_its_sentence() -> None:
    report = load(SAMPLE_DATA / "survey_report.yaml")
    staff = report.sections[1].subsections[0].subsections[1]
    assert staff.run_in and staff.heading.endswith("。")
    (table,) = staff.tables
    sentence = staff.paragraphs[0]
    for age, count, share in table.rows:
        assert f"{age}{count}占总数的{share}" in sentence


def test_reform_review_problems_are_three_inline_items() -> None:
    report = load(SAMPLE_DATA / "reform_review.yaml")
    assert report.problems.heading == "机关后勤服务社会化改革存在的问题"
    assert len(report.problems.items) == 3
    assert report.problems.lead


def test_papers_keep_keywords_and_references() -> None:
    paper = load(SAMPLE_DATA / "university_logistics.yaml")
    assert paper.keywords == ["科学发展观", "新建本科院校", "后勤保障体系"]
    assert paper.references and not paper.references[0].startswith("[")
    assert load(SAMPLE_DATA / "agency_logistics.yaml").keywords == ["后勤保障", "行政服务", "能力", "水平"]


# --------------------------------------------------------------------------- whole content of each sample


# The only differences allowed between a sample and its records: repairs of broken text, stock
# lead-ins the templates generate, inline 一是/二是 the templates generate, and ranges written with ～.
# Each one is also noted in a comment in the records file.
EDITS: dict[str, list[tuple[str, str]]] = {
    "school_term": [
        ("不断优化学校内勤管理，学校后勤工作总结。现将一学期以来的工作总结如下：", "不断优化学校内勤管理。"),
        ("成功合理转移旗杆，", "成功合理转移旗杆。"),
        ("“人普编码任务", "“人普”编码任务"),
    ],
    "school_term_2": [
        ("为来年更好的做好服务，现做出总结如下：", ""),
        ("勤工俭学基地，、食堂", "勤工俭学基地、食堂"),
        ("等预案、，并进行", "等预案，并进行"),
    ],
    "school_term_3": [("现把这学年工作总结如下：", "")],
    "school_term_4": [("现将这学年的主要工作总结如下：", ""), ("350-400斤", "350～400斤")],
    "reform_review": [("问题。一是", "问题。"), ("分家。二是", "分家。"), ("发挥。三是", "发挥。")],
    "survey_report": [
        ("21-30岁", "21～30岁"), ("31-40岁", "31～40岁"), ("41-50岁", "41～50岁"), ("加 强", "加强"),
        ("能力建设。一是", "能力建设。"), ("需求。二是", "需求。"),
        ("体系。三是", "体系。"), ("实效。四是", "实效。"),
    ],
}

# Lines of a sample that the records model has no place for, or that are not the document's text.
SKIP_LINE = re.compile(r"^(?:\[关键词\]|关键词|中图分类号|参考文献)")
LEADING_LABEL = re.compile(
    r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）]|\d+[、.]|\d{1,2}(?=[\u4e00-\u9fff])|\[\d+\])"
)


def sample_text(name: str) -> str:
    """The sample's text as the records should hold it: full-width punctuation, no typed labels."""
    body = sample_body(name)
    if SOURCES[name][1] is not None:
        body = body.replace("\n\n学校后勤工作总结。", "学校后勤工作总结。")  # the cut-off first sentence
    lines = [line.strip() for line in body.splitlines() if line.strip() and not SKIP_LINE.match(line.strip())]
    joined = "".join(LEADING_LABEL.sub("", full_width_punctuation(line)[0], count=1) for line in lines)
    for old, new in EDITS.get(name, []):
        assert old in joined, f"{name}: edit {old!r} no longer applies"
        joined = joined.replace(old, new)
    return joined


def _first_difference(expected: str, actual: str) -> str:
    pairs = zip(expected, actual, strict=False)
    index = next((i for i, (a, b) in enumerate(pairs) if a != b), min(len(expected), len(actual)))
    return f"sample …{expected[index - 15:index + 25]}…\nrecords …{actual[index - 15:index + 25]}…"


@pytest.mark.skipif(not SAMPLES.is_file(), reason="the shared sample summaries are not beside the repository")
@pytest.mark.parametrize("name", sorted(SOURCES))
def test_records_hold_the_whole_text_of_their_sample(name: str) -> None:
    expected = sample_text(name)
    actual = record_text(load(SAMPLE_DATA / f"{name}.yaml"))
    assert actual == expected, _first_difference(expected, actual)
