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


@dataclass(frozen=True)
class Paragraph:
    """Body text.  ``kind`` selects a paragraph style: body (indented), plain (no indent), center, right,
    reference (an entry of the reference list)."""

    text: str
    kind: str = "body"


@dataclass(frozen=True)
class ListItem:
    """A numbered item in the flow of the text (1、期初通过召开住宿生家长会……)."""

    level: int
    text: str
    numbered: bool = True
    label: str = ""


@dataclass(frozen=True)
class Table:
    caption: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    note: str = ""


Block = Heading | Paragraph | ListItem | Table


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

    def headings(self) -> list[Heading]:
        return [b for b in self.blocks if isinstance(b, Heading)]
