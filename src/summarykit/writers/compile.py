"""Many reports in one document (汇编): a cover, a table of contents, each report on a new odd page.

The compiled DOCX has sections: the cover and the table of contents (no page
numbers), then one section per report, starting on an odd page
(``w:type oddPage``); page numbers start at 1 with the first report and run on
through the others.  Each report's title is outline level 1 and its own
headings are moved one level down (a paragraph ``w:outlineLvl``, so that their
look — 一、 in 黑体 — stays), which is what the navigation pane and the table
of contents read.

The table of contents is a Word TOC field whose entries are written out with
their page numbers, so that every reader shows them without updating fields.
Those numbers come from the layout itself: the document is written once,
converted to PDF by LibreOffice, and the printed page number of each report's
first page is read back (pdftotext); the body does not depend on the numbers,
so the second writing has the same pages.  Without LibreOffice the entries have
no numbers and Word fills them in with “更新域”.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..style import DEFAULT_STYLE, Style
from ..tree.document import Document
from .docx import base_package, body_and_media, reproducible_time
from .media import Media
from .ooxml import paragraph_xml, run_xml, xml_text
from .package import assemble

TITLE, PLAIN = "Title", "BodyPlain"
TOC_FIELD = 'TOC \\o "1-1" \\u \\h \\z'


@dataclass(frozen=True)
class Cover:
    """What the cover page says."""

    title: str = "工作总结汇编"
    organization: str = ""
    date: str = ""


def _demote(body: str) -> str:
    """Each report's title becomes outline level 1 and its headings one level below their style's."""

    def heading(match: re.Match[str]) -> str:
        level, ppr = int(match.group(2)), match.group(1)
        if "<w:outlineLvl " in ppr:  # already set by the writer: one level deeper
            return re.sub(r'<w:outlineLvl w:val="\d"/>', f'<w:outlineLvl w:val="{level}"/>', ppr) + "</w:pPr>"
        return f'{ppr}<w:outlineLvl w:val="{level}"/></w:pPr>'

    body = re.sub(r'(<w:p><w:pPr><w:pStyle w:val="Heading(\d)"/>(?:(?!</w:pPr>).)*)</w:pPr>', heading, body)
    # The first title line of the report (a long title is set on two or three lines).
    return re.sub(r'(<w:p><w:pPr><w:pStyle w:val="Title"/>(?:(?!</w:pPr>).)*)</w:pPr>',
                  r'\1<w:outlineLvl w:val="0"/></w:pPr>', body, count=1)


def _section(base_sectpr: str, *, start: str, footers: bool, restart: bool = False) -> str:
    """A section's properties from the base package's: how it starts, its footers, page numbering."""
    sectpr = base_sectpr
    if not footers:
        sectpr = re.sub(r"<w:footerReference [^>]*/>", "", sectpr)
    extra = f'<w:type w:val="{start}"/>'
    sectpr = sectpr.replace("<w:pgSz", extra + "<w:pgSz", 1)
    if restart:
        anchor = "<w:cols" if "<w:cols" in sectpr else "<w:docGrid"
        sectpr = sectpr.replace(anchor, '<w:pgNumType w:start="1"/>' + anchor, 1)
    return sectpr


def _break(sectpr: str) -> str:
    """An empty paragraph carrying a section break (the end of the section before it)."""
    return f'<w:p><w:pPr><w:pStyle w:val="{PLAIN}"/>{sectpr}</w:pPr></w:p>'


def _cover(cover: Cover) -> str:
    parts = [paragraph_xml(PLAIN, "") for _ in range(6)]
    parts.append(paragraph_xml(TITLE, run_xml(cover.title)))
    parts.extend(paragraph_xml(PLAIN, "") for _ in range(8))
    for line in (cover.organization, cover.date):
        if line:
            parts.append(paragraph_xml(PLAIN, run_xml(line), jc='<w:jc w:val="center"/>'))
    return "".join(parts)


def _toc(titles: Sequence[str], pages: Sequence[int | None], style: Style) -> str:
    """“目录” and a TOC field whose cached entries are the report titles and their first pages."""
    width = round(style.text_width_pt * 20)
    tabs = f'<w:tabs><w:tab w:val="right" w:leader="dot" w:pos="{width}"/></w:tabs>'
    rpr = '<w:rPr><w:rFonts w:hint="eastAsia"/></w:rPr>'
    parts = [paragraph_xml(TITLE, run_xml("目\u3000\u3000录")), paragraph_xml(PLAIN, "")]
    for index, (title, page) in enumerate(zip(titles, pages, strict=True)):
        runs = ""
        if index == 0:
            runs += (f'<w:r>{rpr}<w:fldChar w:fldCharType="begin"/></w:r>'
                     f'<w:r>{rpr}<w:instrText xml:space="preserve"> {xml_text(TOC_FIELD)} </w:instrText></w:r>'
                     f'<w:r>{rpr}<w:fldChar w:fldCharType="separate"/></w:r>')
        runs += run_xml(title) + "<w:r><w:tab/></w:r>" + (run_xml(str(page)) if page else "")
        if index == len(titles) - 1:
            runs += f'<w:r>{rpr}<w:fldChar w:fldCharType="end"/></w:r>'
        parts.append(paragraph_xml(PLAIN, runs, extra_ppr=tabs))
    return "".join(parts)


def _title(doc: Document) -> str:
    return re.sub(r"\s+", "", doc.title) or "（无标题）"


def _write(docs: Sequence[Document], style: Style, cover: Cover, pages: Sequence[int | None]) -> bytes:
    base = base_package(style)
    sectpr = base.body_end[: base.body_end.index("</w:sectPr>") + len("</w:sectPr>")]
    media = Media()
    parts = [_cover(cover), _break(_section(sectpr, start="nextPage", footers=False)),
             _toc([_title(d) for d in docs], pages, style),
             _break(_section(sectpr, start="nextPage", footers=False))]
    for index, doc in enumerate(docs):
        body, _ = body_and_media(doc, style, 0, media)  # literal labels: each report numbers its own headings
        parts.append(_demote(body))
        section = _section(sectpr, start="oddPage", footers=True, restart=index == 0)
        if index < len(docs) - 1:
            parts.append(_break(section))
        else:
            last_sectpr = section
    end = base.body_end.replace(sectpr, last_sectpr, 1)
    replaced = {"word/document.xml": (base.body_start + "".join(parts) + end).encode("utf-8")}
    if media:
        files = dict(base.parts)
        replaced["word/_rels/document.xml.rels"] = media.document_rels(files["word/_rels/document.xml.rels"])
        replaced["[Content_Types].xml"] = media.content_types(files["[Content_Types].xml"])
    return assemble(base.parts, replaced, reproducible_time(docs[0]), media.parts)


def _pdf_pages(pdf: bytes) -> list[str]:
    """The text of each page of a PDF (pdftotext), spaces removed."""
    with tempfile.TemporaryDirectory(prefix="summarykit-") as folder:
        path = Path(folder) / "compiled.pdf"
        path.write_bytes(pdf)
        text = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True,
                              timeout=120).stdout.decode("utf-8", "replace")
    return [re.sub(r"[ \u3000\t]+", "", page) for page in text.split("\f")]


def first_pages(pages: Sequence[str], titles: Sequence[str]) -> list[int | None]:
    """The printed page number (— N —) of the page each report starts on: the first page after the
    contents whose top lines read the report's title, in order."""
    start = next((i + 1 for i, page in enumerate(pages) if "目录" in page), 0)
    found: list[int | None] = []
    for title in titles:
        number = None
        for index in range(start, len(pages)):
            top = "".join(line for line in pages[index].splitlines()[:6] if line.strip())
            if top.startswith(title):
                printed = re.search(r"—(\d+)—", pages[index])
                number = int(printed.group(1)) if printed else None
                start = index + 1
                break
        found.append(number)
    return found


def compile_docx(docs: Sequence[Document], style: Style = DEFAULT_STYLE, cover: Cover | None = None, *,
                 layout: bool = True) -> bytes:
    """The 汇编 of ``docs`` as DOCX bytes; ``layout`` runs LibreOffice once for the contents' page numbers."""
    if not docs:
        raise ValueError("compile_docx needs at least one document")
    style = style.with_numbering("literal") if style.numbering_mode != "literal" else style
    cover = cover or Cover()
    titles = [_title(d) for d in docs]
    data = _write(docs, style, cover, [None] * len(docs))
    if not layout:
        return data
    from ..office.preview import docx_to_pdf
    from ..office.soffice import find_soffice

    if find_soffice() is None or shutil.which("pdftotext") is None:
        return data  # Word fills the numbers in on “更新域”
    pages = first_pages(_pdf_pages(docx_to_pdf(data)), titles)
    return _write(docs, style, cover, pages)
