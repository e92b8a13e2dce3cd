"""Golden files: the rendered text of the sample, as a reviewable diff.

When wording changes on purpose (a template or the phrase bank), regenerate with
    SUMMARYKIT_UPDATE_GOLDEN=1 pytest tests/test_golden.py
and review the diff of tests/golden/ like any other change.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import summarykit as sk

GOLDEN = Path(__file__).parent / "golden"
SAMPLE_DATA = Path(__file__).resolve().parents[1] / "sample_data"
CASES = sorted(p.stem for p in GOLDEN.glob("*.md"))


@pytest.mark.parametrize("name", CASES)
def test_rendered_markdown_matches_golden(name: str) -> None:
    doc = sk.compose(sk.load(SAMPLE_DATA / f"{name}.yaml"), seed=1)
    actual = sk.to_markdown(doc)
    expected_path = GOLDEN / f"{name}.md"
    if os.environ.get("SUMMARYKIT_UPDATE_GOLDEN"):
        expected_path.write_text(actual, encoding="utf-8")
    assert actual == expected_path.read_text(encoding="utf-8")


def test_the_school_term_golden_file_exists() -> None:
    assert "school_term" in CASES


def test_every_sample_has_a_golden_file() -> None:
    assert CASES == sorted(p.stem for p in SAMPLE_DATA.glob("*.yaml"))
