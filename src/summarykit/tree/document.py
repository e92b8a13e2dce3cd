"""The document tree: the one structure every writer reads.

Plain frozen dataclasses, like pandoc's AST: the template decides *what* is
said and in which order; the tree says *what kind* of block each piece is
(heading of level 2, numbered item, table, signature); writers decide how each
kind looks.  Labels are empty until the numbering pass fills them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..errors import Notice


@dataclass(frozen=True)
class Mark:
    """Emphasis on ``text[start:end]`` of a block: ``kind`` is "bold" or "underline".

    Kept beside the plain text rather than inside it, so that everything that reads
    ``text`` (checks, numbering, the plain-text writer) sees the words unchanged.
    """

    start: int
    end: int
    kind: str = "bold"


Marks = tuple[Mark, ...]


@dataclass(frozen=True)
class Heading:
    """A section heading.  Levels 1–5 map to 一、/（一）/1./（1）/①.

    A run-in heading (levels 3–4 in practice) shares its line with ``body``:
    "1.机构设置情况。省局园区的后勤服务工作由……".
    """

    level: int
    text: str
    run_in: bool = False
    body: str = ""
    numbered: bool = True
    label: str = ""
    body_marks: Marks = ()  # emphasis in a run-in heading's ``body``


@dataclass(frozen=True)
class Paragraph:
    """Body text.  ``kind`` selects a paragraph style: body (indented), plain (no indent), center, right,
    reference (an entry of the reference list)."""

    text: str
    kind: str = "body"
    marks: Marks = ()


@dataclass(frozen=True)
class ListItem:
    """A numbered item in the flow of the text (1、期初通过召开住宿生家长会……)."""

    level: int
    text: str
    numbered: bool = True
    label: str = ""
    marks: Marks = ()


@dataclass(frozen=True)
class Table:
    caption: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    note: str = ""


# --------------------------------------------------------------------------- rich content (issue 20)


@dataclass(frozen=True)
class Image:
    """A picture with its caption (图N).  ``path`` as the records wrote it; ``source`` the checked file.

    ``width`` is what the records asked for ("80%", "120mm", or empty for the
    picture's own size); the writer keeps it within the text width and keeps
    the aspect ratio.  ``number`` is filled by the figure numbering pass.
    """

    path: str
    caption: str = ""
    width: str = ""
    source: str = ""
    number: int = 0


@dataclass(frozen=True)
class ChartSeries:
    name: str
    values: tuple[float, ...]


@dataclass(frozen=True)
class Chart:
    """A native chart (bar, line, pie) drawn from categories and one or more series of numbers."""

    kind: str
    caption: str
    categories: tuple[str, ...]
    series: tuple[ChartSeries, ...]
    unit: str = ""
    number: int = 0


@dataclass(frozen=True)
class PageBreak:
    """The next block starts on a new page."""


Block = Heading | Paragraph | ListItem | Table | Image | Chart | PageBreak


@dataclass(frozen=True)
class Official:
    """The parts of a summary submitted as a 公文 (GB/T 9704 §7.2, §7.4); every field optional.

    ``issuer`` is the 发文机关标志 (e.g. 某某市机关事务管理局文件), ``number`` the
    发文字号, ``signers`` the 签发人 (reports to a superior), ``recipients`` the
    主送机关, ``note`` the 附注, and ``copy_to``/``printer``/``printed`` the 版记.
    """

    copy_number: str = ""
    secrecy: str = ""
    urgency: str = ""
    issuer: str = ""
    number: str = ""
    signers: tuple[str, ...] = ()
    recipients: str = ""
    note: str = ""
    copy_to: tuple[str, ...] = ()
    printer: str = ""
    printed: str = ""
    #: The 版记 on a page of its own, the next even page (unnumbered): set by writers/pagination.py when
    #: the text would end on an odd page, so that the 版记 is on the last even page (GB/T 9704 §7.4, §7.5).
    record_alone: bool = False

    @property
    def has_head(self) -> bool:
        return bool(self.copy_number or self.secrecy or self.urgency or self.issuer or self.number or self.signers)

    @property
    def has_record(self) -> bool:
        """Whether there is a 版记 (抄送, 印发机关 or 印发日期)."""
        return bool(self.copy_to or self.printer or self.printed)


@dataclass(frozen=True)
class Signature:
    """落款: the unit and the date, printed under the body (GB/T 9704 §7.3)."""

    organization: str = ""
    date: str = ""


@dataclass(frozen=True)
class DocumentInfo:
    """Facts for the file's metadata (core properties), not printed in the body."""

    author: str = ""
    date: dt.date | None = None
    seed: int = 0
    template: str = ""
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True)
class Document:
    title: str
    title_pieces: tuple[str, ...] = ()  # word boundaries of a composed title, for line breaking
    subtitle: str = ""
    front: tuple[Paragraph, ...] = ()  # lines between title and body: 关键词, audience
    blocks: tuple[Block, ...] = ()
    signature: Signature | None = None
    attachments: tuple[str, ...] = ()
    scheme: tuple[str, ...] = ("{cn}、", "（{cn}）", "{n}.", "（{n}）", "{circled}")
    info: DocumentInfo = field(default_factory=DocumentInfo)
    notices: tuple[Notice, ...] = ()
    official: Official | None = None  # the 公文 parts (issue 20), None for a plain summary

    def headings(self) -> list[Heading]:
        return [b for b in self.blocks if isinstance(b, Heading)]
