"""Labels and citations as a paper prints them: 关键词 in 黑体, reference list entries, superscript [1].

GB/T 7713/7714 habit, which the university paper template follows: the label
“关键词：” in 黑体 with the words in the body face; each reference in 小四 with a
hanging indent (wrapped lines under the text after “[1]”, the 参考文献 style);
citation marks in the text (“……社会化[1]。”) as superscript (the 引文标注
character style).  The labels are character styles, so a clerk changes them
for the whole document in one place.
"""

from __future__ import annotations

import re

from .linebreak import bind
from .ooxml import run_xml

LABEL = "Label"
CITATION = "CitationMark"
_LABELS = re.compile(r"^(【?(?:关键词|关键字|主题词|摘要)】?[：:]?)")
CITATION_MARK = re.compile(r"\[\d+(?:[-–,，]\d+)*\]")


def text_runs(text: str, *, bold: bool | None = None) -> str:
    """Runs of body text: numbers bound to their units, citation marks in the superscript style."""
    if "[" not in text:  # no citation mark: one run (nearly every paragraph)
        return run_xml(bind(text), bold=bold)
    out: list[str] = []
    position = 0
    for match in CITATION_MARK.finditer(text):
        if match.start() == 0:
            continue  # a reference entry's own “[1]” is not a citation
        out.append(run_xml(bind(text[position:match.start()]), bold=bold))
        out.append(run_xml(match.group(0), bold=bold, char_style=CITATION))
        position = match.end()
    out.append(run_xml(bind(text[position:]), bold=bold))
    return "".join(out)


def front_runs(text: str) -> str:
    """A front line (“关键词：后勤保障；行政服务”): its label in the label style, the rest as text."""
    match = _LABELS.match(text)
    if not match:
        return text_runs(text)
    return run_xml(match.group(1), char_style=LABEL) + text_runs(text[match.end():])


def reference_runs(text: str) -> str:
    """One entry of the reference list (its number “[1]” stays full size)."""
    return run_xml(bind(text))
