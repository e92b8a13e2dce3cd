"""Runs with emphasis: ``text`` cut at the marks' edges, each piece bold and/or underlined.

The marks come from the markup (``**加粗**``, ``++下划线++``, opt-in for record
text); a block without marks gives exactly the one run it always had.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable

from ..tree.document import Marks
from .ooxml import run_xml, xml_text

Runs = Callable[..., str]  # (text, *, bold=None) → runs: how the writer prints plain text (numbers bound)


def _run(text: str, *, bold: bool, underline: bool, base_bold: bool | None, plain: Runs) -> str:
    if not underline:
        return plain(text, bold=True if bold else base_bold)
    props = '<w:rFonts w:hint="eastAsia"/>'
    if bold or base_bold:
        props += "<w:b/><w:bCs/>"
    elif base_bold is False:
        props += '<w:b w:val="0"/><w:bCs w:val="0"/>'
    if underline:
        props += '<w:u w:val="single"/>'
    return f'<w:r><w:rPr>{props}</w:rPr><w:t xml:space="preserve">{xml_text(text)}</w:t></w:r>'


def runs_xml(text: str, marks: Marks = (), *, bold: bool | None = None, prefix: str = "",
             plain: Runs = run_xml) -> str:
    """The runs of ``prefix + text`` (a label never takes emphasis) with ``marks`` applied to ``text``;
    ``plain`` prints the pieces that are not underlined (the DOCX writer's own runs, which bind numbers)."""
    if not marks:
        return plain(prefix + text, bold=bold)
    cuts = sorted({0, len(text), *(m.start for m in marks), *(m.end for m in marks)})
    out = [plain(prefix, bold=bold)] if prefix else []
    for start, end in itertools.pairwise(cuts):
        if start >= end:
            continue
        kinds = {m.kind for m in marks if m.start <= start and end <= m.end}
        out.append(_run(text[start:end], bold="bold" in kinds, underline="underline" in kinds, base_bold=bold,
                        plain=plain))
    return "".join(out)
