"""汇编: many reports in one DOCX — cover, contents, each report on a new odd page, continuous numbers.

The LibreOffice check of the contents' page numbers is in test_libreoffice.py.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from lxml import etree

import summarykit as sk
from summarykit.cli.main import main
from summarykit.writers.compile import Cover, compile_docx, first_pages

from .conftest import SAMPLE_DATA

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
NS = {"w": W[1:-1]}
SCHOOL = [SAMPLE_DATA / f"{n}.yaml" for n in ("school_term", "school_term_2", "school_term_3", "school_term_4")]


def document(data: bytes) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return etree.fromstring(z.read("word/document.xml"))


def text(p: etree._Element) -> str:
    return "".join(t.text or "" for t in p.iter(f"{W}t"))


@pytest.fixture(scope="module")
def compiled() -> tuple[list[sk.Document], etree._Element]:
    docs = [sk.compose(sk.load(p), seed=1) for p in SCHOOL]
    return docs, document(compile_docx(docs, cover=Cover("某某中学后勤工作总结汇编", "某某中学"), layout=False))


def test_sections_cover_contents_then_one_per_report_on_odd_pages(compiled: tuple[list, etree._Element]) -> None:
    docs, root = compiled
    sections = root.findall(".//w:sectPr", NS)
    assert len(sections) == 2 + len(docs)
    kinds = [s.find("w:type", NS).get(f"{W}val") for s in sections]
    assert kinds == ["nextPage", "nextPage", *["oddPage"] * len(docs)]
    footers = [len(s.findall("w:footerReference", NS)) for s in sections]
    assert footers == [0, 0, *[2] * len(docs)]  # no page numbers on the cover and the contents
    restarts = [s.find("w:pgNumType", NS) for s in sections]
    assert restarts[2] is not None and restarts[2].get(f"{W}start") == "1"
    assert all(r is None for i, r in enumerate(restarts) if i != 2)  # numbers run on from report to report


def test_contents_is_a_toc_field_listing_every_report(compiled: tuple[list, etree._Element]) -> None:
    docs, root = compiled
    instr = "".join(t.text for t in root.iter(f"{W}instrText"))
    assert instr.strip().startswith("TOC \\o \"1-1\" \\u")
    entries = [p for p in root.iter(f"{W}p") if p.find("w:pPr/w:tabs/w:tab[@w:leader='dot']", NS) is not None]
    assert [text(p) for p in entries] == [re.sub(r"\s+", "", d.title) for d in docs]
    kinds = [f.get(f"{W}fldCharType") for f in root.iter(f"{W}fldChar")]
    assert kinds[:2] == ["begin", "separate"] and "end" in kinds


def test_report_titles_are_level_one_and_their_headings_one_level_below(compiled: tuple[list, etree._Element]
                                                                         ) -> None:
    docs, root = compiled
    levels = []
    for p in root.iter(f"{W}p"):
        style = p.find("w:pPr/w:pStyle", NS)
        outline = p.find("w:pPr/w:outlineLvl", NS)
        if outline is not None:
            levels.append((style.get(f"{W}val"), outline.get(f"{W}val"), text(p)))
    titles = [entry for entry in levels if entry[0] == "Title"]
    assert len(titles) == len(docs) and {t[1] for t in titles} == {"0"}
    headings = [entry for entry in levels if entry[0].startswith("Heading")]
    assert headings and all(int(level) == int(style[-1]) for style, level, _ in headings)  # Heading1 → level 1
    assert ("Heading1", "1", "一、学生食堂改革") in headings


def test_first_pages_reads_the_printed_number_of_each_reports_first_page() -> None:
    pages = ["封面", "目录\n甲…1\n乙…3", "甲报告\n正文\n—1—", "正文\n—2—", "乙报告\n—3—"]
    assert first_pages(pages, ["甲报告", "乙报告"]) == [1, 3]


def test_batch_into_writes_one_document_and_nothing_when_an_input_is_bad(tmp_path: Path,
                                                                         capsys: pytest.CaptureFixture[str]
                                                                         ) -> None:
    bad = tmp_path / "坏.yaml"
    bad.write_text("meta:\n  orgnization: 某某中学\n", encoding="utf-8")
    out = tmp_path / "汇编.docx"
    assert main(["batch", *map(str, SCHOOL[:2]), str(bad), "--into", str(out)]) == 2
    err = capsys.readouterr().err
    assert "orgnization" in err and "未生成汇编" in err and not out.exists()
    assert main(["batch", "--into", str(tmp_path / "x.pdf"), str(SCHOOL[0])]) == 2
    assert "只能生成 Word 文档" in capsys.readouterr().err


def test_a_compiled_document_with_pictures_charts_and_official_parts_is_schema_valid(tmp_path: Path) -> None:
    from .test_schema import errors

    docs = [sk.compose(sk.load(p), seed=1) for p in (SCHOOL[0], SAMPLE_DATA / "agency_logistics_2.yaml")]
    out = tmp_path / "汇编.docx"
    out.write_bytes(compile_docx(docs, layout=False))
    assert errors(out) == []
