"""Properties that must hold for *any* input, checked with hypothesis.

* Random records built from the shape of the pydantic model — valid ones and
  broken ones — and random YAML-ish text and bytes never produce anything but a
  Report or a clean RecordsError whose problems say what, where and how.
* Random text (control characters, unpaired surrogates, markup characters
  # - | : \\, Jinja syntax) survives into the DOCX, read back with python-docx,
  exactly as textclean.clean_text documents it: characters that cannot go into
  a DOCX removed, line breaks joined, half-width punctuation in Chinese text made
  full-width — nothing else changed, nothing evaluated.
* Every produced DOCX opens with python-docx; a sample opens in LibreOffice.
* The same records, seed and version give byte-identical DOCX files.

Example counts follow the hypothesis profile (tests/conftest.py): the `ci`
profile runs well over 2,000 examples across this file.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import re
import subprocess
import sys
import time
import types
import typing
import zipfile
from pathlib import Path
from typing import Any

import docx
import docx.text.paragraph
import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

import summarykit as sk
from summarykit.errors import Problem, RecordsError
from summarykit.records.model import Chart, Item, Metric, Part, Report, Table
from summarykit.records.textclean import clean_text, has_cjk
from summarykit.zh.labels import parse_enumerator, parse_label
from summarykit.zh.punctuation import standalone_heading

from .conftest import require_soffice

REPO = Path(__file__).resolve().parents[1]


def examples(factor: float) -> Any:
    """This test's share of the profile's example budget (cheap tests take more)."""
    return settings(max_examples=max(10, int(settings().max_examples * factor)), deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


# --------------------------------------------------------------------------- text strategies

MARKUP = ["#", "# ", "- ", "-3 ", "|", " | ", ":", "::title ", "::date ", "\\", "\\#", "{{", "}}", "{{ 7 * 7 }}",
          "{%", "%}", "{% raw %}", "{#", "#}", "*", "&", "!", "%", "@", "`", "[", "]", "{", "}", "<", ">", "&amp;",
          "]]>", "<w:t>", "'", '"', "?", ",", ";", "(", ")", ".", "，", "。", "；", "：", "（", "）", "“", "”", "、",
          "http://a.cn/x?a=1,2", "3,500", "9:30", "ISO9001:2000", "一、", "1、", "（一）", "yes", "010", "~", "null"]
CONTROLS = [chr(c) for c in range(0x20)] + [chr(c) for c in range(0x7F, 0xA0)] + [
    "\u2028", "\u2029", "\ufffe", "\uffff", "\ufeff", "\u200b", "\u3000", "\u00a0"]
SURROGATES = st.integers(0xD800, 0xDFFF).map(chr)
CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
ANY_CHAR = st.characters(exclude_categories=("Cs",))

WILD_TEXT = st.lists(
    st.one_of(CJK, CJK, ANY_CHAR, st.sampled_from(MARKUP), st.sampled_from(CONTROLS), SURROGATES,
              st.sampled_from(" \n\r\t")),
    max_size=24,
).map("".join)
# Text for structure tests: realistic words with the characters YAML gives a meaning to.
WORDS = st.lists(st.one_of(CJK, st.sampled_from(MARKUP), st.sampled_from("ab1 ")), min_size=1, max_size=12).map("".join)
# Valid records type no outline label of their own (一、 1. 一是…): a typed label that disagrees with its
# position is refused on purpose (tests/test_register.py covers that).
UNLABELLED = WORDS.filter(lambda w: w.strip() and parse_label(w, pasted=True) is None and parse_enumerator(w) is None)


# --------------------------------------------------------------------------- the records model as a strategy

WRONG = st.one_of(
    st.none(), st.booleans(), st.integers(-5, 5), st.floats(allow_nan=False, width=16),
    st.lists(st.integers(0, 3), max_size=2), st.dictionaries(st.sampled_from(["a", "text", "标题"]), st.integers(), max_size=2),
    WORDS,
)
EXTRA_KEYS = st.sampled_from(["itmes", "Meta", "标题", "organisation", "ｍｅｔａ", "heading ", "x"])
DATES = st.one_of(
    st.dates(dt.date(1900, 1, 1), dt.date(2200, 12, 31)).map(lambda d: d.isoformat()),
    st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31)).map(lambda d: f"{d.year}年{d.month}月{d.day}日"),
    st.sampled_from(["2026.1.20", "2026/1/20", "2026/13/01", "2026-02-30", "明天", "20260120"]),
)


TEMPLATE_NAMES = sorted(p.stem for p in (REPO / "templates").glob("*.j2") if not p.stem.startswith("_"))


def _strategy(annotation: Any, depth: int, valid: bool) -> st.SearchStrategy[Any]:
    """A strategy for the values one field annotation accepts (and, when not ``valid``, some it does not)."""
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Annotated:
        base = args[0]
        inner = DATES if base is dt.date else _strategy(base, depth, valid)
    elif annotation is str:
        inner = UNLABELLED if valid else WORDS
    elif annotation is bool:
        inner = st.one_of(st.booleans(), st.sampled_from(["yes", "no", "true", "off"]))
    elif annotation is int:
        inner = st.integers(-1000, 10**6)
    elif annotation is float:
        # metric values are below 10^18 (the model refuses larger ones with a located message)
        inner = st.floats(allow_nan=False, allow_infinity=False, width=32, min_value=-2.0**56, max_value=2.0**56)
    elif annotation is type(None):
        inner = st.none()
    elif origin in (typing.Union, types.UnionType):
        inner = st.one_of(*[_strategy(a, depth, valid) for a in args])
    elif origin is list:  # nested sections end at depth 3: the model is recursive, the strategy may not be
        inner = st.just([]) if depth > 3 else st.lists(_strategy(args[0], depth + 1, valid), max_size=2)
    elif origin is typing.Literal:
        inner = st.sampled_from(args)
    elif isinstance(annotation, type) and issubclass(annotation, BaseModel):
        # deferred: built on first use, and printed as one line instead of the whole (large) strategy tree
        inner = st.deferred(lambda: model_strategy(annotation, depth + 1, valid))
    else:  # pragma: no cover - a new kind of field: make the test say so
        raise AssertionError(f"no strategy for {annotation!r}")
    if valid:
        return inner
    return st.one_of(inner, inner, inner, WRONG)


def _valid_metric() -> st.SearchStrategy[dict[str, Any]]:
    """A metric that agrees with itself: a known unit, no negative count, parts within the total."""
    def build(value: int, unit: str, shares: list[int], extra: dict[str, Any]) -> dict[str, Any]:
        metric: dict[str, Any] = {"name": "指标", "value": value, "unit": unit, **extra}
        if shares and unit != "%":
            metric["parts"] = [{"name": f"部分{i}", "value": value * share // 100} for i, share in enumerate(shares)]
        return metric

    return st.builds(build, st.integers(0, 100), st.sampled_from(["件", "%", "万元", "天", "平方米", "人次", ""]),
                     st.lists(st.integers(0, 50), max_size=2),
                     st.fixed_dictionaries({}, optional={"previous": st.integers(0, 100),
                                                         "target": st.integers(1, 100),
                                                         "approx": st.sampled_from(["约", "余", "近", "多", "超"])}))


def model_strategy(model: type[BaseModel], depth: int = 0, valid: bool = True) -> st.SearchStrategy[Any]:
    """Dictionaries shaped like ``model``: required fields always, optional ones sometimes."""
    if model is Metric and valid:
        return _valid_metric()
    if model is Table and valid:
        return st.integers(1, 3).flatmap(lambda width: st.fixed_dictionaries(
            {"columns": st.lists(WORDS, min_size=width, max_size=width)},
            optional={"caption": WORDS, "note": WORDS,
                      "rows": st.lists(st.lists(WORDS, min_size=width, max_size=width), max_size=3)}))
    if model is Chart and valid:  # as many values in each series as there are categories
        return st.integers(1, 3).flatmap(lambda n: st.fixed_dictionaries(
            {"categories": st.lists(WORDS, min_size=n, max_size=n),
             "series": st.lists(st.fixed_dictionaries({"name": WORDS, "values": st.lists(
                 st.integers(0, 1000), min_size=n, max_size=n)}), min_size=1, max_size=1)},
            optional={"type": st.sampled_from(["bar", "line", "pie"]), "title": WORDS, "unit": WORDS}))
    required = {}
    optional = {}
    for name, info in model.model_fields.items():
        if name == "images" and valid:  # pictures need files beside a records file: tests/test_rich_content.py
            strategy = st.just([])
        elif name == "copy_number" and valid:
            strategy = st.from_regex(r"\d{1,6}", fullmatch=True)
        elif name == "template":  # a template name must name a template; any other word is a clean error
            strategy = st.sampled_from(TEMPLATE_NAMES) if valid else st.one_of(st.sampled_from(TEMPLATE_NAMES), WORDS)
        elif name == "previous" and model is Report:  # names last period's file: any other word is a clean error
            if valid:
                continue
            strategy = WORDS
        else:
            strategy = _strategy(info.annotation, depth, valid)
        if name == "heading" and valid:  # a heading of only spaces is an error (“标题是空的”)
            strategy = strategy.filter(lambda value: not isinstance(value, str) or bool(value.strip()))
        needed = info.is_required() or (model is Item and name == "text")  # an item needs text or metrics
        (required if needed else optional)[name] = strategy
    if not valid:
        optional[f"__extra_{depth}"] = WORDS  # renamed below to a misspelt key
    mapping = st.fixed_dictionaries(required, optional=optional)
    if not valid:
        mapping = st.tuples(mapping, EXTRA_KEYS).map(
            lambda pair: {(pair[1] if k.startswith("__extra_") else k): v for k, v in pair[0].items()})
    if model is Item:  # the short form: an item written as plain text
        return st.one_of(UNLABELLED if valid else WORDS, mapping)
    if model is Part:  # the short form: a part written as a plain list of items
        return st.one_of(st.lists(_strategy(Item, depth + 1, valid), max_size=3), mapping)
    return mapping


VALID_RECORDS = st.deferred(lambda: model_strategy(Report))
ANY_RECORDS = st.deferred(lambda: st.one_of(model_strategy(Report), model_strategy(Report, valid=False)))


def to_yaml(data: Any) -> str:
    """Records data as a person's block-style YAML file."""
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=60)


def to_flow_yaml(data: Any) -> str:
    """Records data as JSON (valid YAML) with every character as it is, except the three that YAML reads
    as line breaks, which are escaped so that they reach the value instead of breaking the line."""
    text = json.dumps(data, ensure_ascii=False)
    return text.replace("\x85", "\\u0085").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


# --------------------------------------------------------------------------- what a clean error looks like

CHINESE = re.compile("[\u4e00-\u9fff]")


def assert_clean_error(error: RecordsError, name: str) -> None:
    """A RecordsError as users see it: problems with file, message and hint in Chinese, no Python."""
    assert error.problems, "an error without problems tells the user nothing"
    text = error.report()
    assert "Traceback" not in text and "Input should" not in text and "Field required" not in text
    for problem in error.problems:
        assert isinstance(problem, Problem)
        assert problem.file == name
        assert CHINESE.search(problem.message), problem
        assert problem.hint and CHINESE.search(problem.hint), problem
        assert problem.line is None or problem.line >= 1
        assert problem.column is None or problem.column >= 1


def docx_texts(data: bytes) -> tuple[list[tuple[str, str]], list[str]]:
    """(style name, text) of every paragraph, and the text of every table cell."""
    document = docx.Document(io.BytesIO(data))
    # As a reader sees it: without the word joiners that bind numbers to units (writers.linebreak), and a
    # heading broken at a word (so as not to end with one character) as one line.
    def read(p: docx.text.paragraph.Paragraph) -> str:
        text = p.text.replace("\u2060", "")
        return text.replace("\n", "") if (p.style.name or "").lower().startswith("heading") else text

    paragraphs = [(p.style.name if p.style is not None else "", read(p)) for p in document.paragraphs]
    cells = [cell.text.replace("\u2060", "") for table in document.tables for row in table.rows for cell in row.cells]
    return paragraphs, cells


# --------------------------------------------------------------------------- the cleaning contract

FULL_TO_HALF = str.maketrans({"，": ",", "；": ";", "：": ":", "？": "?", "！": "!", "（": "(", "）": ")",
                              "“": '"', "”": '"', "‘": "'", "’": "'"})
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
LINE_BREAKS = re.compile("[\r\n\x85\u2028\u2029]")
# What the documented cleaning removes (tab, form feed and vertical tab become spaces; line breaks join lines).
REMOVED = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")


def visible(text: str) -> str:
    """The characters a reader sees, with full-width marks folded back to half width."""
    return "".join(ch for ch in text.translate(FULL_TO_HALF)
                   if not ch.isspace() and not XML_ILLEGAL.match(ch) and not "\x7f" <= ch <= "\x9f")


@examples(2.0)
@given(WILD_TEXT)
def test_cleaning_removes_only_what_cannot_go_into_a_docx_and_changes_only_punctuation(text: str) -> None:
    cleaned, removed, changed = clean_text(text)
    assert not XML_ILLEGAL.search(cleaned) and not LINE_BREAKS.search(cleaned)
    assert cleaned == cleaned.strip()
    assert visible(cleaned) == visible(text), "cleaning may fold marks to full width, never add or drop one"
    assert clean_text(cleaned)[0] == cleaned, "cleaning twice must give what cleaning once gives"
    assert removed == len(REMOVED.findall(text))
    if not has_cjk(text):  # punctuation is only ever changed in Chinese text
        assert changed == 0
        assert all(cleaned.count(mark) == text.count(mark) for mark in ",;:?!()\"'，；：？！（）“”‘’")


# --------------------------------------------------------------------------- text survives into the DOCX


PLACES = st.fixed_dictionaries({
    "title": WILD_TEXT, "heading": WILD_TEXT, "item": WILD_TEXT, "detail": WILD_TEXT,
    "closing": WILD_TEXT, "cell": WILD_TEXT,
})
LABEL = re.compile(r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+[、.]|（\d+）|[①-⑳])$")


# What reading a file removes, each with a notice naming its place (docs/errors.md, 看不见的字符):
# zero-width spaces, soft hyphens, invisible operators, bidirectional controls, tag characters, U+FEFF.
READ_REMOVED = re.compile("[\u00ad\u061c\u180e\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069"
                          "\ufeff\U000e0000-\U000e007f]")


def as_read(text: str) -> str:
    return READ_REMOVED.sub("", text)


@examples(1.0)
@given(PLACES)
def test_random_text_reaches_the_docx_exactly_as_the_documented_cleaning_leaves_it(texts: dict[str, str]) -> None:
    # Word joiners are invisible and what the writer adds to bind numbers to units: a reader drops them.
    # U+FEFF and the other invisible characters are removed when the file is read (READ_REMOVED).
    expected = {place: clean_text(as_read(text))[0].replace("\u2060", "") for place, text in texts.items()}
    # A heading on its own line ends without punctuation (zh.punctuation.standalone_heading).
    expected["heading"] = standalone_heading(expected["heading"]) if expected["heading"] else ""
    data = {
        "meta": {"title": texts["title"], "organization": "某某中学"},
        "achievements": [{"heading": texts["heading"],
                          "items": [{"text": texts["item"], "details": [texts["detail"]]}]}],
        "tables": [{"columns": [texts["cell"], "数量"], "rows": [["桌子", "7"]]}],
        "closing": [texts["closing"]],
    }
    if not re.sub(r"[\s\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff\u3164\u115f\u1160]", "",
                  clean_text(as_read(texts["heading"]))[0]):
        # A heading with nothing visible is an error, not a section that silently disappears.
        with pytest.raises(sk.RecordsError) as refused:
            sk.loads(to_flow_yaml(data), "随机.yaml")
        assert "achievements[0].heading：标题是空的" in refused.value.report()
        return
    try:
        report = sk.loads(to_flow_yaml(data), "随机.yaml")
    except RecordsError as error:  # a typed label that contradicts its position is refused, located
        assert all("手写的编号" in p.message for p in error.problems), error.report()
        return
    # A typed label that agrees with its position is dropped (the numbering pass writes it once).
    cleaned = {place: clean_text(as_read(texts[place]))[0].replace("\u2060", "")
               for place in ("heading", "item")}  # loading removes invisible characters from values
    for place, typed in (("heading", report.achievements[0].heading), ("item", report.achievements[0].items[0].text)):
        typed = typed.replace("\u2060", "")
        if typed != cleaned[place]:
            assert typed and cleaned[place].endswith(typed), (place, cleaned[place], typed)
            expected[place] = standalone_heading(typed) if place == "heading" else typed
    paragraphs, cells = docx_texts(sk.to_docx(sk.compose(report, seed=1)))
    body = [text for _, text in paragraphs]

    def labelled(text: str) -> bool:  # the text itself, or a numbering label followed by it
        return any(p == text or (p.endswith(text) and LABEL.match(p[: len(p) - len(text)])) for p in body)

    if expected["title"]:
        title = "".join(text for style, text in paragraphs if style == "Title")
        assert re.sub(r"\s", "", title) == re.sub(r"\s", "", expected["title"])
    if expected["heading"]:
        assert labelled(expected["heading"]), (expected["heading"], body)
    assert labelled(expected["item"]), (expected["item"], body)
    for place in ("detail", "closing"):
        if expected[place]:
            assert expected[place] in body, (place, expected[place], body)
    assert cells[0] == expected["cell"] and cells[1:4] == ["数量", "桌子", "7"]
    for text in [*body, *cells]:
        assert not XML_ILLEGAL.search(text)


def test_text_with_template_and_markup_syntax_prints_literally() -> None:
    records = {"closing": ["{{ 7 * 7 }} 与 {% raw %} 都是文字", "# 不是标题", "- 不是条目", "::title 不是指令",
                           "| 不是 | 表格 |", "\\# 反斜杠"]}
    paragraphs, _ = docx_texts(sk.to_docx(sk.compose(sk.loads(to_flow_yaml(records)), seed=1)))
    body = [text for _, text in paragraphs]
    for text in records["closing"]:
        assert clean_text(text)[0] in body


def test_control_characters_are_removed_with_a_notice_naming_the_line() -> None:
    report = sk.loads('meta:\n  organization: 某某中学\nclosing:\n  - "特此\\a总结\\x1b。"\n', "记录.yaml")
    assert report.closing == ["特此总结。"]
    notices = [n for n in report.notices if n.code == "control-chars"]
    assert notices and notices[0].where.startswith("记录.yaml:4")


def test_unpaired_surrogates_in_text_are_removed_with_a_notice() -> None:
    report = sk.loads("closing:\n  - 特此\ud800总结\udfff。\n", "记录.yaml")
    assert report.closing == ["特此总结。"]
    assert any(n.code == "control-chars" and n.where == "记录.yaml:2" for n in report.notices)
    docx.Document(io.BytesIO(sk.to_docx(sk.compose(report, seed=1))))


def test_an_item_that_is_empty_after_cleaning_leaves_no_trace() -> None:
    report = sk.loads('achievements:\n  - heading: 食堂\n    items: ["\\a", 正常]\n')
    paragraphs, _ = docx_texts(sk.to_docx(sk.compose(report, seed=1)))
    assert all(not re.fullmatch(r"-\d?\*?", text) for _, text in paragraphs)


# --------------------------------------------------------------------------- random records


@examples(1.0)
@given(ANY_RECORDS)
def test_random_records_give_a_report_and_a_docx_or_a_clean_error(data: dict[str, Any]) -> None:
    try:
        report = sk.loads(to_yaml(data), "随机.yaml")
    except RecordsError as error:
        event("records error")
        assert_clean_error(error, "随机.yaml")
        return
    event("report")
    try:
        document = sk.compose(report, seed=7)
    except sk.TemplateError as error:  # a meta.template that names no template: clean, but not a records error
        assert "找不到模板" in str(error) and "Traceback" not in str(error)
        return
    payload = sk.to_docx(document)
    paragraphs, _ = docx_texts(payload)
    if report.title:
        assert report.title[0] in "".join(text for _, text in paragraphs), "the title is missing"
    assert zipfile.ZipFile(io.BytesIO(payload)).testzip() is None


@examples(0.5)
@given(VALID_RECORDS)
def test_records_shaped_like_the_model_are_accepted(data: dict[str, Any]) -> None:
    """The valid strategy only writes what the model allows (dates aside: some are impossible on purpose)."""
    try:
        sk.loads(to_yaml(data), "随机.yaml")
    except RecordsError as error:
        event("impossible date")
        assert_clean_error(error, "随机.yaml")
        assert all("日期" in p.message or p.path.endswith("date") for p in error.problems), error.report()


# --------------------------------------------------------------------------- random YAML text and bytes

YAML_BITS = st.sampled_from([
    "meta", "intro", "achievements", "heading", "items", "text", "tables", "columns", "rows", "date", "keywords",
    ":", ": ", "：", "- ", "-", "  ", "\t", "\n", "\n  ", "\n    - ", "'", '"', "“", "”", "[", "]", "{", "}", ",",
    "&a ", "*a", "!!python/name:os.system", "!x ", "|", ">", "%", "@", "`", "#", "? ", "<<: ", "---\n", "...\n",
    "\u3000", "\u00a0", "\ufeff", "\x07", "\\", "\\u", "auto", "yes", "2026-13-01", "010", "~",
])
YAML_TEXT = st.lists(st.one_of(YAML_BITS, YAML_BITS, CJK, st.characters()), max_size=40).map("".join)


@examples(1.5)
@given(YAML_TEXT)
def test_any_text_gives_a_report_or_a_clean_error(text: str) -> None:
    assert_report_or_clean_error(text)


@examples(1.0)
@given(st.one_of(st.binary(max_size=200), YAML_TEXT.map(lambda t: t.encode("utf-8", "surrogatepass")),
                 YAML_TEXT.map(lambda t: t.encode("gb18030", "ignore")),
                 YAML_TEXT.map(lambda t: t.encode("utf-16", "surrogatepass"))))
def test_any_bytes_give_a_report_or_a_clean_error(data: bytes) -> None:
    assert_report_or_clean_error(data)


def assert_report_or_clean_error(source: str | bytes) -> None:
    """Whatever a records file holds, loading gives a Report or a RecordsError that reads cleanly."""
    try:
        report = sk.loads(source, "随机.yaml")
    except RecordsError as error:
        event("records error")
        assert_clean_error(error, "随机.yaml")
    else:
        event("report")
        assert isinstance(report, Report)


# --------------------------------------------------------------------------- LibreOffice opens a sample


@pytest.mark.libreoffice
@settings(max_examples=1, deadline=None, suppress_health_check=list(HealthCheck))
@given(samples=st.lists(st.tuples(VALID_RECORDS, PLACES), min_size=3, max_size=3))
def test_a_sample_of_random_documents_opens_in_libreoffice(samples: list[tuple[dict[str, Any], dict[str, str]]],
                                                           tmp_path_factory: pytest.TempPathFactory) -> None:
    soffice = require_soffice()
    folder = tmp_path_factory.mktemp("lo")
    paths = []
    for index, (data, texts) in enumerate(samples):
        data = {**data, "closing": [texts["closing"], "特此总结。"]}
        try:
            report = sk.loads(to_flow_yaml(data), f"{index}.yaml")
        except RecordsError:
            report = sk.loads(to_flow_yaml({"closing": [texts["closing"], "特此总结。"]}), f"{index}.yaml")
        path = folder / f"{index}.docx"
        path.write_bytes(sk.to_docx(sk.compose(report, seed=index)))
        paths.append(path)
    subprocess.run([soffice, f"-env:UserInstallation=file://{folder / 'profile'}", "--headless",
                    "--convert-to", "txt:Text (encoded):UTF8", "--outdir", str(folder), *map(str, paths)],
                   check=True, capture_output=True, timeout=300)
    for path in paths:
        converted = path.with_suffix(".txt")
        assert converted.exists(), f"LibreOffice could not open {path.name}"
        assert "特此总结。" in converted.read_text(encoding="utf-8-sig")


# --------------------------------------------------------------------------- reproducible output

SAMPLE = REPO / "sample_data" / "school_term.yaml"


def test_the_same_records_and_seed_give_byte_identical_docx() -> None:
    first = sk.render(SAMPLE, seed=5)
    assert sk.render(SAMPLE, seed=5) == first
    stamps = {info.date_time for info in zipfile.ZipFile(io.BytesIO(first)).infolist()}
    assert stamps == {(2011, 1, 20, 0, 0, 0)}, "zip timestamps come from the report's date"
    core = zipfile.ZipFile(io.BytesIO(first)).read("docProps/core.xml").decode("utf-8")
    assert "2011-01-20T00:00:00Z" in core


def test_source_date_epoch_sets_every_timestamp(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01T00:00:00Z
    data = sk.render(SAMPLE, seed=5)
    package = zipfile.ZipFile(io.BytesIO(data))
    assert {info.date_time for info in package.infolist()} == {(2026, 1, 1, 0, 0, 0)}
    core = package.read("docProps/core.xml").decode("utf-8")
    assert "2026-01-01T00:00:00Z" in core and "2011-01-20" not in core
    assert sk.render(SAMPLE, seed=5) == data


@pytest.mark.parametrize("records", [SAMPLE, REPO / "sample_data" / "agency_logistics_2.yaml"],
                         ids=["plain", "picture-and-chart"])
def test_bytes_do_not_depend_on_the_time_zone_the_hash_seed_or_the_clock(tmp_path: Path, records: Path) -> None:
    """Two fresh processes, in different time zones, with different hash seeds and a second or more
    apart (a chart's embedded workbook once carried the clock's time), write the same bytes."""
    outputs = []
    for index, (zone, hash_seed) in enumerate([("UTC", "1"), ("Asia/Shanghai", "2")]):
        if index:
            time.sleep(1.1)
        out = tmp_path / f"{index}.docx"
        env = {**os.environ, "TZ": zone, "PYTHONHASHSEED": hash_seed}
        env.pop("SOURCE_DATE_EPOCH", None)
        code = f"import summarykit as sk; sk.render({str(records)!r}, {str(out)!r}, seed=3)"
        subprocess.run([sys.executable, "-c", code], check=True, env=env, timeout=120)
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
