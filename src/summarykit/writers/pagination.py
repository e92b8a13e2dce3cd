"""The one layout decision the DOCX writer cannot make alone: on which page the 版记 falls.

GB/T 9704 prints a 公文 on both sides and puts the 版记 on its last face — an even page —
its last rule on the foot of the text block (§7.4); a page holding only the 版记, and a blank
page before it, carry no page number (§7.5).  The writer anchors the 版记 to the foot of the
page where the text ends, which is right when that page is even.  Whether it is depends on the
layout, so the document is laid out once by LibreOffice (when it is installed): an odd page
count means the 版记 fell on an odd page, and it is moved to a section of its own that starts
on the next even page (``Official.record_alone``; Word, WPS and LibreOffice add the blank page
when the text ends on an even page with no room left for the 版记).  Like the 汇编's table of
contents (compile.py), a machine without LibreOffice gets the 版记 where the text ends.

LibreOffice lays the page out with the fonts a PDF made here uses (office.fonts); Word on a
machine with the Windows fonts keeps the same lines, the page grid fixing every line's height.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import re
from collections.abc import Callable

from ..style import Style
from ..tree.document import Document

log = logging.getLogger(__name__)

_PAGE = re.compile(rb"/Type\s*/Page(?![A-Za-z])")


def pdf_page_count(pdf: bytes) -> int:
    """Pages of a PDF LibreOffice wrote: its page objects, or poppler's count when they are packed into
    compressed object streams (which LibreOffice does not write today)."""
    if b"/ObjStm" in pdf:
        import shutil
        import subprocess

        pdfinfo = shutil.which("pdfinfo")
        if pdfinfo is not None:
            info = subprocess.run([pdfinfo, "-"], input=pdf, capture_output=True, timeout=60).stdout
            found = re.search(rb"^Pages:\s+(\d+)", info, re.M)
            if found:
                return int(found.group(1))
    return len(_PAGE.findall(pdf))


def needs_record_page(doc: Document) -> bool:
    """Whether the document has a 版记 whose page has not been decided yet."""
    return doc.official is not None and doc.official.has_record and not doc.official.record_alone


def alone(doc: Document) -> Document:
    """``doc`` with its 版记 on a page of its own, the next even page."""
    assert doc.official is not None
    return dataclasses.replace(doc, official=dataclasses.replace(doc.official, record_alone=True))


def place_record(doc: Document, style: Style, convert: Callable[[bytes], bytes]) -> tuple[Document, bytes]:
    """``doc`` with the 版记 on an even page, and the PDF ``convert`` (DOCX → PDF) made of it."""
    from .docx import to_docx

    pdf = convert(to_docx(doc, style))
    if not needs_record_page(doc) or pdf_page_count(pdf) % 2 == 0:
        return doc, pdf
    placed = alone(doc)
    return placed, convert(to_docx(placed, style))


_ODD: dict[str, bool] = {}  # DOCX digest → laid out on an odd number of pages (same bytes, same layout)


def _odd_page_count(data: bytes, convert: Callable[[bytes], bytes] | None = None) -> bool:
    if convert is None:
        from ..office.converter import docx_to_pdf  # preview's own converter (preview imports this module)

        convert = docx_to_pdf

    digest = hashlib.sha256(data).hexdigest()
    if digest not in _ODD:
        if len(_ODD) > 64:
            _ODD.clear()
        _ODD[digest] = pdf_page_count(convert(data)) % 2 == 1
    return _ODD[digest]


def for_docx(doc: Document, style: Style, convert: Callable[[bytes], bytes] | None = None) -> Document:
    """``doc`` ready for the DOCX writer: the 版记 moved to an even page when LibreOffice lays it on an odd one.

    ``convert`` (DOCX → PDF) lays the document out: this process's resident LibreOffice by default;
    the service passes one that holds a PDF slot while it converts.  Without LibreOffice, or when it
    fails, the document is left as it is (the 版记 at the foot of the page where the text ends) and
    the reason logged.
    """
    if not needs_record_page(doc):
        return doc
    from ..errors import DependencyError
    from ..office.fonts import printable
    from ..office.soffice import find_soffice
    from .docx import to_docx

    if find_soffice() is None:
        log.info("没有 LibreOffice：版记排在正文最后一页的底部，未检查是否为偶数页")
        return doc
    shown, _ = printable(style)
    data = to_docx(doc, shown)
    try:
        odd = _odd_page_count(data, convert)
    except DependencyError as exc:  # LibreOffice failed or timed out (ConversionError) or went missing
        log.warning("版记所在的页未能检查（LibreOffice：%s），版记排在正文最后一页的底部", exc)
        return doc
    return alone(doc) if odd else doc
