"""The service's LibreOffice conversions (service/engine.py): every one goes through the converter the
app gives (which holds a PDF slot), the DOCX of a 公文 is laid out there too, and a PDF converts
once unless its 版记 must move to an even page — the same documents the command line makes."""

from __future__ import annotations

import pytest

import summarykit as sk
from summarykit.office.preview import docx_to_pdf
from summarykit.service import engine
from summarykit.writers import pagination

from .conftest import SAMPLE_DATA, require_soffice

pytestmark = pytest.mark.libreoffice

# A 公文 with a 版记: the sample without its picture (a request names no file).
OFFICIAL = (SAMPLE_DATA / "agency_logistics_2.yaml").read_text(encoding="utf-8").replace(
    "    images:\n      - path: images/canteen.png\n        caption: 机关食堂改造后平面布局示意\n        width: 70%\n", "")
# The same, shorter (no chart, no page break): its text and 版记 end on page 2.
SHORT = (OFFICIAL[:OFFICIAL.index("    charts:")] + OFFICIAL[OFFICIAL.index("problems:"):]).replace(
    "  page_break: true        # “存在问题”从新的一页开始\n", "")
SCHOOL = (SAMPLE_DATA / "school_term.yaml").read_text(encoding="utf-8")  # no 版记


class Counting:
    """A DOCX → PDF converter that records what it was given."""

    def __init__(self) -> None:
        self.pdfs: list[bytes] = []

    def __call__(self, data: bytes) -> bytes:
        pdf = docx_to_pdf(data)
        self.pdfs.append(pdf)
        return pdf


def _render(records: str, fmt: str, seed: int, convert: Counting) -> bytes:
    return engine.render(records.encode("utf-8"), "application/yaml", fmt, None, seed, pdf=convert).data


def test_the_official_sample_without_its_picture_still_has_a_record() -> None:
    assert "images:" not in OFFICIAL and "charts:" not in SHORT and "page_break" not in SHORT
    assert pagination.needs_record_page(sk.compose(sk.loads(OFFICIAL), seed=1))
    assert pagination.needs_record_page(sk.compose(sk.loads(SHORT), seed=1))


@pytest.mark.parametrize(("records", "pages"), [(SHORT, [2]), (OFFICIAL, [3, 4])], ids=["even", "odd"])
def test_a_pdf_of_an_official_document_converts_once_unless_its_record_must_move(records: str,
                                                                                  pages: list[int]) -> None:
    require_soffice()
    pagination._ODD.clear()
    convert = Counting()
    pdf = _render(records, "pdf", 1, convert)
    # Once when the 版记 already falls on an even page; else once more with it moved (it was always
    # twice: a layout, then the PDF).
    assert [pagination.pdf_page_count(p) for p in convert.pdfs] == pages
    assert pdf is convert.pdfs[-1]
    assert pagination.pdf_page_count(pdf) % 2 == 0  # the 版记 on an even page
    assert pdf.startswith(b"%PDF")


def test_the_docx_of_an_official_document_is_laid_out_through_the_given_converter() -> None:
    require_soffice()
    pagination._ODD.clear()
    convert = Counting()
    data = _render(OFFICIAL, "docx", 3, convert)
    assert len(convert.pdfs) == 1  # the 版记's page check, counted by the app's PDF slots
    assert data == sk.render(OFFICIAL, format="docx", seed=3)  # the same bytes as the command line's

    plain = Counting()
    assert _render(SCHOOL, "docx", 3, plain) == sk.render(SCHOOL, format="docx", seed=3)
    assert plain.pdfs == []  # no 版记: no LibreOffice
