"""The sample DOCX as LibreOffice sees it: converted to PDF, its text checked."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

import summarykit as sk
from summarykit.office.preview import PDF_FILTER

from .conftest import require_soffice

pytestmark = pytest.mark.libreoffice


def to_pdf(docx_path: Path) -> Path:
    soffice = require_soffice()
    profile = docx_path.parent / "lo-profile"
    subprocess.run(
        [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", PDF_FILTER,
         "--outdir", str(docx_path.parent), str(docx_path)],
        check=True, capture_output=True, timeout=180,
    )
    return docx_path.with_suffix(".pdf")


def pdf_text(pdf: Path) -> str:
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed")
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True,
                          text=True).stdout
    return re.sub(r"[ \u3000]+", "", text)


def test_sample_converts_and_shows_its_numbered_outline(tmp_path: Path, school_term: Path) -> None:
    out = tmp_path / "school_term.docx"
    sk.render(school_term, out, seed=1)
    text = pdf_text(to_pdf(out))
    assert "一、学生食堂改革" in text
    assert "1、期初通过召开住宿生家长会" in text
    assert "七、存在问题" in text
    assert "—1—" in text and "—2—" in text


# --------------------------------------------------------------------------- the submitted report (issue 20)


def _words(pdf: Path, page: int) -> list[tuple[float, float, float, float, str]]:
    """(xMin, yMin, xMax, yMax, word) on one page, in points from the top left (pdftotext -bbox)."""
    html = subprocess.run(["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(pdf), "-"], check=True,
                          capture_output=True, text=True).stdout
    return [(float(a), float(b), float(c), float(d), w) for a, b, c, d, w in re.findall(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', html)]


def test_submitted_report_pictures_chart_and_official_parts_in_libreoffice(tmp_path: Path) -> None:
    """One soffice run: captions, the chart's labels, the page break, the 标志's place and the 版记 at the foot."""
    from summarykit.style import DEFAULT_STYLE, MM_PER_PT

    from .conftest import SAMPLE_DATA

    out = tmp_path / "submitted.docx"
    sk.render(SAMPLE_DATA / "agency_logistics_2.yaml", out, seed=1)
    pdf = to_pdf(out)
    pages = [pdf_text_page(pdf, n) for n in (1, 2, 3, 4)]
    assert "某某市机关事务管理局文件" in pages[0] and "签发人：王某某" in pages[0]
    assert "市人民政府：" in pages[0]
    assert "图1机关食堂改造后平面布局示意" in pages[1]
    assert "图2各季度就餐人次对比" in pages[1]
    assert "第一季度" in pages[1] and "万人次" in pages[1]  # the chart is drawn, with its Chinese labels
    assert pages[2].lstrip().startswith("三、存在问题")  # problems: page_break
    # The text ends on page 3 (odd): the 版记 has the even page 4 to itself, without a page number (GB/T 9704 §7.4,
    # §7.5; tests/test_record_page.py checks the other cases).
    assert "抄送：市财政局、市审计局。" in pages[3] and "2026年1月21日印发" in pages[3]
    assert "—3—" in pages[2] and not re.search(r"—\d+—", pages[3])
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    assert re.search(r"^Pages:\s+4$", info, re.M), info
    page = DEFAULT_STYLE.page
    top_pt, bottom_pt = page.top_mm / MM_PER_PT, (page.height_mm - page.bottom_mm) / MM_PER_PT
    issuer = next(w for w in _words(pdf, 1) if w[4].startswith("某某市机关事务管理局文件"))
    # The glyphs' top edge 35 mm below the text block's top (within the font's ascent, ±3 mm).
    assert abs((issuer[1] - top_pt) * MM_PER_PT - 35) < 3
    printed = next(w for w in _words(pdf, 4) if "印发" in w[4])
    assert 0 <= (bottom_pt - printed[3]) * MM_PER_PT < 4  # the 版记's last line on the text block's last line


def pdf_text_page(pdf: Path, page: int) -> str:
    text = subprocess.run(["pdftotext", "-layout", "-f", str(page), "-l", str(page), str(pdf), "-"], check=True,
                          capture_output=True, text=True).stdout
    return re.sub(r"[ \u3000]+", "", text)


def test_compiled_school_samples_contents_page_numbers_are_the_real_pages(tmp_path: Path) -> None:
    """`batch --into`: the contents' numbers equal the printed numbers of each report's first page, every report
    starts on an odd page, and the numbers run on from 1 without a gap."""
    from summarykit.cli.main import main

    from .conftest import SAMPLE_DATA

    require_soffice()
    inputs = [str(SAMPLE_DATA / f"{n}.yaml") for n in ("school_term", "school_term_2", "school_term_3",
                                                     "school_term_4")]
    out = tmp_path / "汇编.docx"
    assert main(["batch", *inputs, "--into", str(out), "--title", "某某中学后勤工作总结汇编", "--seed", "1"]) == 0
    pdf = to_pdf(out)
    pages = [pdf_text_page(pdf, n) for n in range(1, 1 + int(re.search(
        r"Pages:\s+(\d+)", subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout)[1]))]
    assert "某某中学后勤工作总结汇编" in pages[0] and not re.search(r"—\d+—", pages[0])
    contents = dict(re.findall(r"^(.+?)\.{3,}(\d+)$", pages[1], re.M))
    titles = [re.sub(r"\s+", "", sk.compose(sk.load(p), seed=1).title) for p in inputs]
    assert list(contents) == titles
    printed = [int(m[1]) if (m := re.search(r"—(\d+)—", page)) else None for page in pages]
    # Continuous from the first report on: the n-th page after the contents is page n; a page without a
    # number is the blank page an odd-page start leaves, which still counts.
    for index, number in enumerate(printed[2:], start=1):
        if number is None:
            assert not pages[index + 1].strip(), pages[index + 1][:80]
        else:
            assert number == index
    for title in titles:
        start = next(i for i, page in enumerate(pages)
                     if i > 1 and "".join(line for line in page.splitlines()[:6] if line).startswith(title))
        assert printed[start] == int(contents[title])  # the contents say the real page
        assert printed[start] % 2 == 1  # a new odd page
