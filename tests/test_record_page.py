"""The 版记 on the last, even page (GB/T 9704 §7.4), a page holding only it unnumbered (§7.5).

Printed on both sides, a 公文's last face is an even page: the 版记 goes to the foot of that page.
When the text ends on an odd page the 版记 gets the next (even) page to itself; when the text
ends on an even page with no room left, a blank page comes before it; neither page carries a
number.  The structure is checked without LibreOffice; the pages are checked in LibreOffice's PDFs.
"""

from __future__ import annotations

import dataclasses
import io
import os
import re
import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import etree

import summarykit as sk
from summarykit.office.fonts import fontconfig_env, printable
from summarykit.office.preview import PDF_FILTER  # blank pages kept: the one before a 版记 counts
from summarykit.style import DEFAULT_STYLE, MM_PER_PT
from summarykit.tree.document import Document
from summarykit.writers import get_writer, pagination
from summarykit.writers.docx import to_docx

from .conftest import SAMPLE_DATA, require_soffice

SUBMITTED = SAMPLE_DATA / "agency_logistics_2.yaml"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
NS = {"w": W[1:-1], "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"}


def body(data: bytes) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return etree.fromstring(z.read("word/document.xml")).find("w:body", NS)


def composed() -> Document:
    return sk.compose(sk.load(SUBMITTED), seed=1)


# --------------------------------------------------------------------------- structure (no LibreOffice)


def test_a_record_alone_starts_an_even_page_without_a_number() -> None:
    doc = pagination.alone(composed())
    tree = body(to_docx(doc))
    final = tree.find("w:sectPr", NS)
    assert final.find("w:type", NS).get(f"{W}val") == "evenPage"
    assert final.find("w:titlePg", NS) is not None  # its first page uses the (absent) first-page footer
    assert final.find("w:footerReference[@w:type='first']", NS) is None
    paragraphs = tree.findall("w:p", NS)
    assert paragraphs[-1].find(".//wp:anchor", NS) is not None  # the 版记 box, alone in its section
    # The text's section ends in the text's own last paragraph (the 附注), keeping the page numbers.
    closing = paragraphs[-2]
    assert "".join(closing.itertext()) == "（联系人：李某，电话：12345678）"
    text_section = closing.find("w:pPr/w:sectPr", NS)
    assert text_section is not None and text_section.find("w:type", NS) is None
    assert len(text_section.findall("w:footerReference", NS)) == 2  # odd and even page numbers
    assert [p for p in paragraphs if p.find("w:pPr/w:sectPr", NS) is not None] == [closing]


def test_a_record_after_a_table_takes_no_extra_line_for_the_section_break(tmp_path: Path) -> None:
    records = tmp_path / "r.yaml"
    records.write_text("official: {copy_to: 市财政局, printer: 某局办公室}\nsignature: false\n"
                       "tables:\n  - {columns: [a, b], rows: [[1, 2]]}\n", encoding="utf-8")
    doc = sk.compose(sk.load(records), seed=1)
    plain, alone = body(to_docx(doc)), body(to_docx(pagination.alone(doc)))
    carrier = [p for p in alone.iter(f"{W}p") if p.find("w:pPr/w:sectPr", NS) is not None]
    assert len(carrier) == 1 and not "".join(carrier[0].itertext())  # the blank line that follows a table
    assert len(list(alone.iter(f"{W}p"))) == len(list(plain.iter(f"{W}p")))


def test_without_libreoffice_the_record_stays_at_the_foot_of_the_last_page(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("summarykit.office.soffice.find_soffice", lambda: None)
    doc = composed()
    assert pagination.for_docx(doc, DEFAULT_STYLE) is doc
    assert body(get_writer("docx").write(doc, DEFAULT_STYLE)).find("w:sectPr/w:type", NS) is None


def test_documents_without_a_record_are_never_laid_out(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*args: object, **kwargs: object) -> bytes:
        raise AssertionError("LibreOffice was asked")

    monkeypatch.setattr("summarykit.office.converter.docx_to_pdf", fail)
    doc = sk.compose(sk.load(SAMPLE_DATA / "school_term.yaml"), seed=1)
    assert pagination.for_docx(doc, DEFAULT_STYLE) is doc
    head_only = dataclasses.replace(composed(), official=dataclasses.replace(
        composed().official, copy_to=(), printer="", printed=""))
    assert pagination.for_docx(head_only, DEFAULT_STYLE) is head_only


def test_pdf_page_count_counts_page_objects_not_the_page_tree() -> None:
    pdf = b"%PDF-1.4\n1 0 obj<</Type/Pages/Count 2/Kids[2 0 R 3 0 R]>>endobj\n2 0 obj<</Type /Page>>endobj\n" \
          b"3 0 obj<</Type/Page/Parent 1 0 R>>endobj\n"
    assert pagination.pdf_page_count(pdf) == 2


# --------------------------------------------------------------------------- pages (LibreOffice)


def _variant(extra_items: int, page_break: bool) -> str:
    """The submitted sample with more plan items (longer text) and with or without its page break."""
    text = SUBMITTED.read_text(encoding="utf-8")
    if not page_break:
        text = text.replace("  page_break: true        # “存在问题”从新的一页开始\n", "")
    anchor = "    - 完善食材集中采购，与2家以上供应商签订长期协议。\n"
    more = "".join(f"    - 第{i}项补充的工作安排，按计划推进落实。\n" for i in range(extra_items))
    return text.replace(anchor, anchor + more)


def _words(pdf: Path, page: int) -> list[tuple[float, float, str, float]]:
    """(top, bottom, word, left) of every word on a page, in points (pdftotext -bbox)."""
    html = subprocess.run(["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(pdf), "-"], check=True,
                          capture_output=True, text=True).stdout
    return [(float(top), float(bottom), word, float(left)) for left, top, bottom, word in re.findall(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)</word>', html)]


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[list[tuple[float, float, str]]]]:
    """The sample and longer variants rendered to DOCX (the 版记 placed by summarykit), then printed by
    LibreOffice in one run: each one's pages as words with their top and bottom."""
    soffice = require_soffice()
    folder = tmp_path_factory.mktemp("record-page")
    (folder / "images").mkdir()
    (folder / "images" / "canteen.png").write_bytes((SAMPLE_DATA / "images" / "canteen.png").read_bytes())
    names = {"sample": SUBMITTED.read_text(encoding="utf-8")}
    names.update({f"plain-{n}": _variant(n, page_break=False) for n in (0, 18, 19, 20)})
    names["signers"] = names["sample"].replace("signers: [王某某]", "signers: [王某某, 李某, 张某某]")
    style, _ = printable(DEFAULT_STYLE)  # the fonts a PDF made here uses, as in test_pagination.py
    for name, text in names.items():
        (folder / f"{name}.yaml").write_text(text, encoding="utf-8")
        sk.render(folder / f"{name}.yaml", folder / f"{name}.docx", style=style, seed=1)
    profile = folder / "lo-profile"

    subprocess.run([soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
                    "--convert-to", PDF_FILTER, "--outdir", str(folder), *(str(folder / f"{n}.docx") for n in names)],
                   check=True, capture_output=True, timeout=300, env={**os.environ, **fontconfig_env()})
    out = {}
    for name in names:
        pdf = folder / f"{name}.pdf"
        count = int(re.search(r"Pages:\s+(\d+)", subprocess.run(["pdfinfo", str(pdf)], capture_output=True,
                                                                 text=True).stdout)[1])
        out[name] = [_words(pdf, page) for page in range(1, count + 1)]
    return out


BOTTOM_PT = (DEFAULT_STYLE.page.height_mm - DEFAULT_STYLE.page.bottom_mm) / MM_PER_PT  # the text block's foot


def _number(words: list[tuple[float, float, str]]) -> str:
    """The page number: what is printed below the text block (the footer)."""
    return "".join(w for top, _, w, _ in words if top > BOTTOM_PT)


def _kind(pages: list[list[tuple[float, float, str]]]) -> str:
    """How the 版记 ended up: on the text's last page, alone after it, or alone after a blank page."""
    if any("抄送" in w[2] for w in pages[-1]) and any("联系人" in w[2] for w in pages[-1]):
        return "shared"
    return "after-blank" if not pages[-2] else "alone"


@pytest.mark.libreoffice
def test_the_record_is_at_the_foot_of_an_even_last_page(printed: dict[str, list]) -> None:
    for name, pages in printed.items():
        assert len(pages) % 2 == 0, (name, len(pages))
        last = pages[-1]
        printed_line = next(w for w in last if "印发" in w[2])
        assert 0 <= (BOTTOM_PT - printed_line[1]) * MM_PER_PT < 4, name  # its last line on the text block's last
        assert sum("抄送" in w[2] for page in pages for w in page) == 1, name  # printed once, on the last page
        if _kind(pages) == "shared":
            assert _number(last), name  # a page with text keeps its number
        else:
            # A page holding only the 版记 has no number, nor has the blank page before it (§7.5).
            assert {w[2] for w in last} <= {"抄送：市财政局、市审计局。", "抄送：", "市财政局、市审计局。",
                                                "某某市机关事务管理局办公室", "2026", "年", "1", "月", "21",
                                                "日印发"}, (name, last)
            assert not _number(last)
            if _kind(pages) == "after-blank":
                assert not pages[-2] and _number(pages[-3]), name


@pytest.mark.libreoffice
def test_every_case_was_seen(printed: dict[str, list]) -> None:
    """Not vacuous: the sample's text ends on an odd page (3), the plain variant on an even page with room,
    and one of the longer variants fills an even page so that a blank page precedes the 版记."""
    kinds = {name: _kind(pages) for name, pages in printed.items()}
    assert kinds["sample"] == "alone" and len(printed["sample"]) == 4
    assert kinds["plain-0"] == "shared"
    assert "after-blank" in kinds.values(), kinds


@pytest.mark.libreoffice
def test_the_pdf_writer_places_the_record_the_same_way(tmp_path: Path) -> None:
    require_soffice()
    pdf = sk.render(SUBMITTED, format="pdf", seed=1)
    assert pagination.pdf_page_count(pdf) == 4
    # A PDF whose objects may be packed into object streams is counted by poppler's pdfinfo instead.
    assert pagination.pdf_page_count(pdf + b"\n% /ObjStm\n") == 4



@pytest.mark.libreoffice
def test_several_signers_two_a_line_aligned_under_the_first_name(printed: dict[str, list]) -> None:
    """GB/T 9704 §7.2.4 as LibreOffice prints it: 王某某 and 张某某 in one column, 李某 beside 王某某,
    the 发文字号 on 张某某's line, one character (16 pt) in from the left."""
    char = DEFAULT_STYLE.sizes.body  # 16 pt
    words = printed["signers"][0]
    label = next(w for w in words if w[2].startswith("签发人："))  # pdftotext reads “签发人：王某某” as one word
    second, third = next(w for w in words if w[2] == "李某"), next(w for w in words if w[2] == "张某某")
    number = next(w for w in words if w[2].startswith("某机管"))
    first_name_left = label[3] + 4 * char
    assert third[3] == pytest.approx(first_name_left, abs=1)  # wrapped names under the first name
    assert second[3] == pytest.approx(first_name_left + 4 * char, abs=1)  # a column as wide as 王某某, 1 apart
    assert abs(label[0] - second[0]) < 1 and third[0] - label[0] > 20  # two lines
    assert abs(number[0] - third[0]) < 2  # the number on the last line
    assert number[3] == pytest.approx(DEFAULT_STYLE.page.left_mm / MM_PER_PT + char, abs=2)  # one character in
    right_pt = (DEFAULT_STYLE.page.width_mm - DEFAULT_STYLE.page.right_mm) / MM_PER_PT
    assert first_name_left + 7 * char == pytest.approx(right_pt - char, abs=2)  # the block ends 1 character in
