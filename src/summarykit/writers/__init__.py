"""Writers: the numbered document tree → bytes, in one registry.

Every output format is defined here once — its name, the file extensions that
select it, its media type and the function that writes it — so the CLI's
``--format`` choices, the API's error for an unknown format, batch and the
HTTP service all read the same table.  The write functions import their
module on first use: ``import summarykit.writers`` stays cheap, and the PDF
writer touches LibreOffice only when asked for.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePath
from typing import TYPE_CHECKING

from ..errors import SummaryKitError

if TYPE_CHECKING:
    from ..style import Style
    from ..tree.document import Document


@dataclass(frozen=True)
class Writer:
    """One output format."""

    name: str
    extensions: tuple[str, ...]  # lower case, without the dot; the first is the default
    media_type: str
    description: str  # in Chinese, for --help and the service's page
    write: Callable[[Document, Style], bytes]
    needs_libreoffice: bool = False

    @property
    def extension(self) -> str:
        return self.extensions[0]


def _docx(doc: Document, style: Style) -> bytes:
    """The 版记 placed on an even page first (writers/pagination.py: LibreOffice, when installed)."""
    from .docx import to_docx
    from .pagination import for_docx

    return to_docx(for_docx(doc, style), style)


def _markdown(doc: Document, style: Style) -> bytes:
    from .text import to_markdown

    return to_markdown(doc).encode("utf-8")


def _text(doc: Document, style: Style) -> bytes:
    from .text import to_text

    return to_text(doc).encode("utf-8")


def _pdf(doc: Document, style: Style) -> bytes:
    """Through LibreOffice, fonts that are not installed replaced by free look-alikes (office.fonts)."""
    from ..office.preview import document_pdf

    return document_pdf(doc, style)


def _html(doc: Document, style: Style) -> bytes:
    from .html import to_html

    return to_html(doc, standalone=True).encode("utf-8")


WRITERS: dict[str, Writer] = {
    w.name: w
    for w in (
        Writer("docx", ("docx",), "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
               "Word 文档（GB/T 9704 版式）", _docx),
        Writer("md", ("md", "markdown"), "text/markdown; charset=utf-8", "Markdown 文本", _markdown),
        Writer("txt", ("txt",), "text/plain; charset=utf-8", "纯文本", _text),
        Writer("pdf", ("pdf",), "application/pdf", "PDF（需要 LibreOffice）", _pdf, needs_libreoffice=True),
        Writer("html", ("html", "htm"), "text/html; charset=utf-8", "网页（HTML，供浏览和预览）", _html),
    )
}


def register(writer: Writer) -> None:
    """Add (or replace) a format; every entry point sees it at once."""
    WRITERS[writer.name] = writer


def names() -> tuple[str, ...]:
    return tuple(WRITERS)


def get_writer(name: str) -> Writer:
    """The writer called ``name``; an unknown name is a clear error listing the formats."""
    try:
        return WRITERS[name.lower().lstrip(".")]
    except KeyError:
        raise SummaryKitError(f"不支持的输出格式“{name}”，可用：{'、'.join(WRITERS)}") from None


def format_for_path(path: str | PurePath | None) -> str | None:
    """The format a file name's extension selects (总结.md → md), or None for an unknown or missing one."""
    if path is None:
        return None
    suffix = PurePath(path).suffix.lower().lstrip(".")
    for writer in WRITERS.values():
        if suffix in writer.extensions:
            return writer.name
    return None
