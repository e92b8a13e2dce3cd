"""The sample DOCX as LibreOffice sees it: converted to PDF, its text checked."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

import summarykit as sk

from .conftest import require_soffice

pytestmark = pytest.mark.libreoffice


def to_pdf(docx_path: Path) -> Path:
    soffice = require_soffice()
    profile = docx_path.parent / "lo-profile"
    subprocess.run(
        [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
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
