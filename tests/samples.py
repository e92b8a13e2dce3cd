"""The shared sample summaries, split into the ten texts the records and templates reproduce.

Several test files compare against the samples (fidelity of templates, completeness of records,
the import round trip); they all split the one file the same way, here.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

SAMPLES_TXT = Path(__file__).resolve().parents[2] / "shared" / "samples" / "six_sample_summaries.txt"

# Where each records file's text sits in the samples file: (范文 number, 学校后勤工作总结 number or None).
SOURCES: dict[str, tuple[int, int | None]] = {
    "agency_logistics": (1, None),
    "library_reflection": (2, None),
    "reform_review": (3, None),
    "university_logistics": (4, None),
    "school_term": (5, 1),
    "school_term_2": (5, 2),
    "school_term_3": (5, 3),
    "school_term_4": (5, 4),
    "personal_summary": (5, 5),
    "survey_report": (6, None),
}


@functools.lru_cache(maxsize=1)
def _bodies() -> dict[str, str]:
    text = SAMPLES_TXT.read_text(encoding="utf-8")
    parts = re.split(r"^后勤保障服务工作总结范文(\d)\s*$", text, flags=re.M)
    essays = {int(n): body for n, body in zip(parts[1::2], parts[2::2], strict=True)}
    # 范文5 holds five school summaries, each starting on its marker line: "学校后勤工作总结1本学期，……".
    pieces = re.split(r"^学校后勤工作总结(\d)", essays[5], flags=re.M)
    schools = {int(n): body for n, body in zip(pieces[1::2], pieces[2::2], strict=True)}
    return {name: (schools[school] if school is not None else essays[essay])
            for name, (essay, school) in SOURCES.items()}


def sample_body(name: str) -> str:
    """The text of one sample summary (after its heading or marker), as it stands in the file."""
    return _bodies()[name]
