"""The one-call paths: records in, document bytes out.

Thin glue over the pipeline stages (load → compose → write) so that programs
embedding summarykit need one function.  Nothing here prints or exits.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path

from .drafting.composer import compose
from .errors import SummaryKitError
from .output import check_output, write_atomic
from .records.loading import load
from .records.model import Report
from .style import DEFAULT_STYLE, Style, load_style
from .tree.document import Document
from .writers.docx import to_docx as _to_docx
from .writers.text import to_markdown as _to_markdown
from .writers.text import to_text as _to_text

FORMATS = ("docx", "md", "txt", "pdf")
Source = str | os.PathLike[str] | Report


def to_docx(doc: Document, style: Style | None = None) -> bytes:
    """A numbered Document → DOCX bytes (GB/T 9704 typesetting by default)."""
    return _to_docx(doc, style or DEFAULT_STYLE)


def to_markdown(doc: Document) -> str:
    return _to_markdown(doc)


def to_text(doc: Document) -> str:
    return _to_text(doc)


def _writer(fmt: str, style: Style) -> Callable[[Document], bytes]:
    if fmt == "docx":
        return lambda doc: _to_docx(doc, style)
    if fmt == "md":
        return lambda doc: _to_markdown(doc).encode("utf-8")
    if fmt == "txt":
        return lambda doc: _to_text(doc).encode("utf-8")
    if fmt == "pdf":  # through LibreOffice (summarykit.office.preview); a clear DependencyError when it is missing
        from .office.preview import docx_to_pdf

        return lambda doc: docx_to_pdf(_to_docx(doc, style))
    raise SummaryKitError(f"不支持的输出格式“{fmt}”，可用：{', '.join(FORMATS)}")


def render(
    source: Source,
    output: str | os.PathLike[str] | None = None,
    *,
    template: str | None = None,
    format: str = "docx",
    seed: int | None = None,
    templates: Sequence[str | os.PathLike[str]] = (),
    phrases: Sequence[str | os.PathLike[str]] = (),
    style: Style | str | os.PathLike[str] | None = None,
    fonts: str | None = None,
    numbering: str | None = None,
    assets: Sequence[str | os.PathLike[str]] = (),
) -> bytes:
    """Load (if given a path), compose and write one report; return the bytes.

    With ``output`` the bytes are also written there atomically; the output
    may not be the records file.  ``style`` is a Style or a style-file path;
    ``fonts`` a font profile (gov, windows, open); ``numbering`` literal or
    word (Word's own multilevel list numbers the headings).  ``format`` pdf
    needs LibreOffice.  Pictures may come from the records file's folder (and
    below) and the ``assets`` folders.
    """
    if output is not None and not isinstance(source, Report):
        check_output(output, (source,))
    resolved = style if isinstance(style, Style) else load_style(style, fonts, numbering)
    if isinstance(style, Style) and fonts:
        resolved = resolved.with_fonts(fonts)
    if isinstance(style, Style) and numbering:
        resolved = resolved.with_numbering(numbering)
    report = source if isinstance(source, Report) else load(source, assets=assets)
    doc = compose(report, template, seed=seed, templates=[str(t) for t in templates],
                  phrases=[str(p) for p in phrases], style=resolved)
    data = _writer(format, resolved)(doc)
    if output is not None:
        inputs = () if isinstance(source, Report) else (source,)
        write_atomic(Path(output), data, inputs)
    return data
