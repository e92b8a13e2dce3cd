"""Every sample as LibreOffice prints it, checked the way a clerk checks a document before handing it in.

All samples are rendered with the fonts a PDF made here would use (office.fonts substitutes the
ones that are not installed), converted in ONE LibreOffice run (a session fixture), and their text
boxes (pdftotext -bbox-layout) checked against the rules in tests/pdflayout.py.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

import summarykit as sk
from summarykit.office.fonts import fontconfig_env, printable
from summarykit.style import DEFAULT_STYLE

from . import pdflayout
from .conftest import SAMPLE_DATA, require_soffice

pytestmark = pytest.mark.libreoffice

SAMPLES = sorted(p.stem for p in SAMPLE_DATA.glob("*.yaml"))


@pytest.fixture(scope="session")
def printed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, pdflayout.Layout]:
    """Each sample's layout: DOCX paragraphs matched to the PDF's lines."""
    soffice = require_soffice()
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed")
    folder = tmp_path_factory.mktemp("printed")
    style, _ = printable(DEFAULT_STYLE)
    for name in SAMPLES:
        sk.render(SAMPLE_DATA / f"{name}.yaml", folder / f"{name}.docx", style=style, seed=1)
    profile = folder / "lo-profile"
    subprocess.run([soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
                    "--convert-to", "pdf", "--outdir", str(folder), *(str(folder / f"{n}.docx") for n in SAMPLES)],
                   check=True, capture_output=True, timeout=300, env={**os.environ, **fontconfig_env()})
    return {name: pdflayout.lay_out(folder / f"{name}.docx", folder / f"{name}.pdf") for name in SAMPLES}


@pytest.mark.parametrize("name", SAMPLES)
def test_every_line_is_found(printed: dict[str, pdflayout.Layout], name: str) -> None:
    """The checks below see the whole document: every paragraph's text was found in the PDF, in order."""
    assert printed[name].unmatched == ""


@pytest.mark.parametrize("rule", [
    pdflayout.widow_orphan_problems,
    pdflayout.heading_at_foot_problems,
    pdflayout.signature_problems,
    pdflayout.number_split_problems,
    pdflayout.line_start_problems,
    pdflayout.heading_stub_problems,
], ids=lambda rule: rule.__name__.removesuffix("_problems"))
def test_printed_samples_need_no_clerk(printed: dict[str, pdflayout.Layout], rule: object) -> None:
    problems = {name: rule(layout) for name, layout in printed.items()}  # type: ignore[operator]
    assert {name: p for name, p in problems.items() if p} == {}


def test_the_checks_see_what_they_check(printed: dict[str, pdflayout.Layout]) -> None:
    """Not vacuous: samples span pages, have headings, heading-like items, signatures and split paragraphs."""
    layouts = printed.values()
    assert all(len(layout.pages) >= 3 for layout in layouts)
    assert sum(1 for layout in layouts for p in layout.paragraphs if p.style == "ItemHeading") >= 5
    assert sum(1 for layout in layouts if any(p.style == "SignatureDate" for p in layout.paragraphs)) >= 6
    spanning = [p for layout in layouts for p in layout.paragraphs if len({line.page for line in p.lines}) > 1]
    assert len(spanning) >= 10
