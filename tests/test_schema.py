"""Every DOCX part valid against the Office Open XML schemas, as Word's own SDK validates it.

openxml-audit carries the Open XML SDK's schema and semantic constraint data (ECMA-376
transitional plus the Office extensions Word writes) and runs the SDK's validator in Python,
so this needs neither .NET nor Word.  Zero errors for every sample, in both numbering modes.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

import summarykit as sk
from summarykit.style import DEFAULT_STYLE

from .conftest import SAMPLE_DATA

audit = pytest.importorskip("openxml_audit", reason="openxml-audit is a test dependency (pip install '.[test]')")

SAMPLES = sorted(p.stem for p in SAMPLE_DATA.glob("*.yaml"))


# ECMA-376 Part 1 §17.9.18 (numId): “A value of 0 ... shall only be used to designate the removal of
# numbering properties” — what an unnumbered heading does in Word-numbering mode, and what Word itself
# writes.  openxml-audit reports it as a missing numbering definition; that one finding is not an error.
NUMBERING_REMOVAL = "Numbering definition '0' referenced but not found"


def errors(path: Path) -> list[str]:
    validator = audit.OpenXmlValidator(file_format=audit.FileFormat.MICROSOFT_365, max_errors=0)
    result = validator.validate(str(path))
    return [f"{getattr(e, 'part_uri', '')}: {e.description}" for e in result.errors
            if e.description != NUMBERING_REMOVAL]


@pytest.mark.parametrize("name", SAMPLES)
def test_sample_docx_has_no_schema_errors(tmp_path: Path, name: str) -> None:
    out = tmp_path / f"{name}.docx"
    sk.render(SAMPLE_DATA / f"{name}.yaml", out, seed=1)
    assert errors(out) == []


def test_word_numbering_and_open_fonts_have_no_schema_errors(tmp_path: Path) -> None:
    out = tmp_path / "word.docx"
    sk.render(SAMPLE_DATA / "university_logistics.yaml", out, seed=1,
              style=DEFAULT_STYLE.with_numbering("word").with_fonts("open"))
    assert errors(out) == []


def test_the_validator_finds_a_misplaced_element(tmp_path: Path) -> None:
    """The check can fail: a paragraph property out of schema order is reported."""
    data = sk.render(SAMPLE_DATA / "survey_report.yaml", seed=1)
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        parts = {n: source.read(n) for n in source.namelist()}
    parts["word/document.xml"] = parts["word/document.xml"].replace(
        b'<w:pPr><w:pStyle w:val="Title"/>', b'<w:pPr><w:jc w:val="center"/><w:pStyle w:val="Title"/>', 1)
    broken = tmp_path / "broken.docx"
    with zipfile.ZipFile(broken, "w") as target:
        for name, part in parts.items():
            target.writestr(name, part)
    assert any("pStyle" in e for e in errors(broken))
