"""What a clerk checks on a printed page, read from a PDF's text boxes (pdftotext -bbox-layout).

The DOCX says which paragraph is what (its style); the PDF says where each line
fell.  ``lay_out`` matches the PDF's lines, in reading order, against the text
of the DOCX's paragraphs (table cells aside), so that every line knows its
paragraph, page and position; the ``*_problems`` functions then state the rules
of a finished document, each returning readable descriptions of what breaks it.
Matching is strict: a paragraph whose lines cannot all be found is a failure
of its own, so a check can never pass by finding nothing.
"""

from __future__ import annotations

import re
import subprocess
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree as ET

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
X = "{http://www.w3.org/1999/xhtml}"
_IGNORED = re.compile("[\\s\u2060\u00a0\u3000]")
FOOTER_MM = 30  # lines this close to the page's foot are the page number

HEADING_STYLES = {"Title", "Subtitle", "Heading1", "Heading2", "Heading3", "Heading4", "Heading5", "ItemHeading",
                  "TableCaption"}
CLOSING = set("，。、；：？！）》」』】”’…")
DIGITS = set("0123456789０１２３４５６７８９")
RANGE_MARKS = set("～~—–－")
UNITS = set("年月日号时分秒岁人名次个件台张项套辆所家条篇份户间座栋层米吨克元角度℃倍株棵册本首部万亿%％‰")


def _norm(text: str) -> str:
    return _IGNORED.sub("", text)


@dataclass
class Line:
    page: int
    y: float
    x: float
    text: str
    paragraph: int | None = None  # index into Layout.paragraphs, None for a table's or an unmatched line


@dataclass
class Para:
    style: str
    text: str
    lines: list[Line] = field(default_factory=list)


@dataclass
class Layout:
    paragraphs: list[Para]
    pages: list[list[Line]]
    unmatched: str = ""  # the document text from where matching stopped ("" when every line was found)

    def last_line(self, page: int) -> Line | None:
        lines = self.pages[page]
        return max(lines, key=lambda line: line.y) if lines else None


def docx_paragraphs(docx: Path) -> list[Para]:
    """Body paragraphs outside tables, with style id and printed text (joiners and field codes left out)."""
    root = ET.fromstring(zipfile.ZipFile(docx).read("word/document.xml"))
    body = root.find(f"{W}body")
    out = []
    for p in body.iter(f"{W}p"):
        style = p.find(f"{W}pPr/{W}pStyle")
        texts = "".join(t.text or "" for t in p.iter(f"{W}t"))
        out.append(Para(style.get(f"{W}val") if style is not None else "Normal", texts))
    in_tables = {id(p) for tbl in body.iter(f"{W}tbl") for p in tbl.iter(f"{W}p")}
    return [para for p, para in zip(body.iter(f"{W}p"), out, strict=True) if id(p) not in in_tables]


def pdf_lines(pdf: Path) -> list[list[Line]]:
    """The PDF's text lines per page (page numbers at the foot left out)."""
    xml = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], check=True, capture_output=True).stdout
    root = ET.fromstring(xml)
    pages = []
    for number, page in enumerate(root.iter(f"{X}page")):
        foot = float(page.get("height")) - FOOTER_MM / 25.4 * 72
        lines = []
        for line in page.iter(f"{X}line"):
            y = float(line.get("yMax"))
            if y > foot:
                continue
            text = "".join(w.text or "" for w in line.iter(f"{X}word"))
            lines.append(Line(number, y, float(line.get("xMin")), text))
        pages.append(lines)
    return pages


def lay_out(docx: Path, pdf: Path) -> Layout:
    paragraphs = [p for p in docx_paragraphs(docx) if _norm(p.text)]
    pages = pdf_lines(pdf)
    stream = "".join(_norm(p.text) for p in paragraphs)
    owner = [i for i, p in enumerate(paragraphs) for _ in _norm(p.text)]
    position = 0
    for lines in pages:
        for line in lines:
            text = _norm(line.text)
            if text and stream.startswith(text, position):
                line.paragraph = owner[position]
                # A line never holds two paragraphs, but a short paragraph may share the PDF line's y with none.
                paragraphs[owner[position]].lines.append(line)
                position += len(text)
    return Layout(paragraphs, pages, stream[position:position + 40])


# --------------------------------------------------------------------------- the rules


def widow_orphan_problems(layout: Layout) -> list[str]:
    """No paragraph leaves a single line at the foot (orphan) or the head (widow) of a page."""
    problems = []
    for para in layout.paragraphs:
        pages = [line.page for line in para.lines]
        if len(set(pages)) < 2:
            continue
        if pages.count(pages[0]) == 1:
            problems.append(f"孤行（页末只剩首行）：p.{pages[0] + 1} “{para.lines[0].text}”")
        if pages.count(pages[-1]) == 1:
            problems.append(f"寡行（页首只有末行）：p.{pages[-1] + 1} “{para.lines[-1].text}”")
    return problems


def heading_at_foot_problems(layout: Layout) -> list[str]:
    """No heading, heading-like item, caption or title is a page's last line (unless the document ends there)."""
    problems = []
    last_page = len(layout.pages) - 1
    for para in layout.paragraphs:
        if para.style not in HEADING_STYLES or not para.lines:
            continue
        line = para.lines[-1]
        if line.page < last_page and layout.last_line(line.page) is line:
            problems.append(f"页末是标题：p.{line.page + 1} “{para.text}”（{para.style}）")
    return problems


def signature_problems(layout: Layout) -> list[str]:
    """The unit and the date on one page, together with at least one line of what precedes them."""
    closing = [i for i, p in enumerate(layout.paragraphs) if p.style in ("SignatureBlock", "SignatureDate")]
    if not closing:
        return []
    pages = {line.page for i in closing for line in layout.paragraphs[i].lines}
    problems = []
    if len(pages) != 1:
        problems.append(f"落款和日期不在同一页：{sorted(p + 1 for p in pages)}")
    before = layout.paragraphs[closing[0] - 1] if closing[0] else None
    if before is not None and before.lines and before.lines[-1].page not in pages:
        problems.append(f"落款所在页没有正文：p.{min(pages) + 1}")
    return problems


def _split_inside_number(before: str, after: str) -> bool:
    if re.search(r"[表图]\d+$", before):
        return False  # a caption's number ends there (表1　2025年…): the break falls at the space after it
    a, b = before[-1], after[0]
    if a in DIGITS and (b in DIGITS or b in UNITS or b in RANGE_MARKS or b in ".．"):
        return True
    if a in RANGE_MARKS and b in DIGITS and before[-2:-1] and (before[-2] in DIGITS or before[-2] in UNITS):
        return True
    return a in "年月%％" and len(before) > 1 and before[-2] in DIGITS and (b in DIGITS or b in RANGE_MARKS)


def number_split_problems(layout: Layout) -> list[str]:
    """No number is parted from its unit, no range or date broken across lines."""
    problems = []
    for para in layout.paragraphs:
        for first, second in zip(para.lines, para.lines[1:], strict=False):
            before, after = _norm(first.text), _norm(second.text)
            if before and after and _split_inside_number(before, after):
                problems.append(f"数字被拆开：“{before[-6:]}” | “{after[:6]}”")
    return problems


def line_start_problems(layout: Layout) -> list[str]:
    """No line starts with closing punctuation."""
    return [f"行首是标点：p.{line.page + 1} “{line.text[:12]}”"
            for lines in layout.pages for line in lines
            if line.paragraph is not None and _norm(line.text)[:1] in CLOSING]


def heading_stub_problems(layout: Layout) -> list[str]:
    """No heading wraps with a single character on its last line."""
    return [f"标题末行只有一个字：“{para.text}”" for para in layout.paragraphs
            if para.style.startswith("Heading") and len(para.lines) > 1 and len(_norm(para.lines[-1].text)) == 1]
