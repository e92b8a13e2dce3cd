"""Reading a Word document's text as a person sees it: paragraphs with Word's automatic labels, and tables.

Labels Word draws itself (一、 from a multilevel list) are not in the paragraph text, and a summary's
tables sit between its paragraphs; import (a finished summary → records) and check (writing checks on
a .docx) both need the text with both, in order, and read it here.
"""

from __future__ import annotations

import os
import re
import zipfile
from dataclasses import dataclass
from typing import Any

from .numerals import CIRCLED, cn_number


class UnreadableDocx(Exception):
    """The file is not a DOCX python-docx can open; ``reason`` and the original error say why."""

    def __init__(self, error: BaseException, *, damaged: bool = False) -> None:
        super().__init__(str(error))
        self.reason = str(error)
        self.kind = type(error).__name__
        self.os_error = error if isinstance(error, OSError) else None
        self.damaged = damaged  # not a package at all (a broken zip, bad XML), as opposed to a missing part


@dataclass(frozen=True)
class DocxBlock:
    """One body element: a paragraph (text, Word's label, style) or a table (rows of cell text)."""

    number: int  # position among the body's paragraphs and tables, from 1
    text: str = ""  # the paragraph's text without Word's automatic label; soft breaks as "\n"
    label: str = ""  # the label Word draws (一、), "" when the paragraph is not numbered
    style: str = ""
    heading_level: int | None = None  # from a Heading N / 标题 N style
    title: bool = False  # the Title / 标题 style
    table: tuple[tuple[str, ...], ...] | None = None

    @property
    def labelled_text(self) -> str:
        """The text as printed: Word's label in front, unless the text already starts with one."""
        from .labels import parse_label

        if self.label and self.text and parse_label(self.text) is None:
            return self.label + self.text
        return self.text


#: Limits on a DOCX read for its text (check, import): the file, its parts once decompressed, and
#: how many parts.  A long summary with pictures is a few MB; a small file that inflates to a
#: gigabyte (a "zip bomb") is refused before anything is decompressed.
MAX_DOCX_BYTES = 100 * 1024 * 1024
MAX_DOCX_EXPANDED = 200 * 1024 * 1024
MAX_DOCX_PARTS = 10_000
#: The XML parts alone (what is parsed into a tree, several times its size in memory).
MAX_DOCX_XML = 50 * 1024 * 1024


class DocxTooLarge(Exception):
    """The DOCX is over one of the limits above; the message (Chinese) names it and what to do."""


def check_docx_size(path: str | os.PathLike[str]) -> None:
    """Refuse a DOCX over the limits, from the zip directory alone (nothing is decompressed).

    zipfile never returns more than a member's declared size (a member that
    inflates further fails its check), so the declared sizes bound the memory.
    """
    try:
        size = os.path.getsize(path)
        if size > MAX_DOCX_BYTES:
            raise DocxTooLarge(f"文件太大（{size // 1024 // 1024} MB），可读取的 Word 文档上限是 "
                               f"{MAX_DOCX_BYTES // 1024 // 1024} MB；请另存一份去掉图片的副本再试")
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # not a zip, or unreadable: open_docx says so in its own words
    if len(members) > MAX_DOCX_PARTS:
        raise DocxTooLarge(f"文件里有 {len(members)} 个部件，超过了上限 {MAX_DOCX_PARTS} 个；这不像一份正常的 Word 文档")
    expanded = sum(member.file_size for member in members)
    xml = sum(member.file_size for member in members if member.filename.endswith((".xml", ".rels")))
    if xml > MAX_DOCX_XML:
        raise DocxTooLarge(f"文件里的文字部分解压后有 {xml // 1024 // 1024} MB，超过了上限 "
                           f"{MAX_DOCX_XML // 1024 // 1024} MB（可能是压缩炸弹）；这不像一份正常的 Word 文档")
    if expanded > MAX_DOCX_EXPANDED:
        raise DocxTooLarge(f"文件解压后有 {expanded // 1024 // 1024} MB，超过了上限 "
                           f"{MAX_DOCX_EXPANDED // 1024 // 1024} MB（可能是压缩炸弹，或含有大量图片）；"
                           "请另存一份去掉图片的副本再试")


def open_docx(path: str | os.PathLike[str]) -> Any:
    """python-docx's Document; UnreadableDocx for anything that is not a readable DOCX, DocxTooLarge
    for one over the size limits."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    check_docx_size(path)
    try:
        return docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise UnreadableDocx(exc) from None
    except Exception as exc:  # lxml errors and the like: a damaged package
        raise UnreadableDocx(exc, damaged=True) from None


def read_docx(path: str | os.PathLike[str]) -> list[DocxBlock]:
    """Body paragraphs and tables in document order."""
    return docx_blocks(open_docx(path))


def _text_boxes(paragraph: Any) -> list[Any]:
    """The text boxes a paragraph holds (a 公文's 版记 is one), each once: not a VML fallback copy."""
    boxes = []
    for box in paragraph.iter(f"{_W}txbxContent"):
        between = []  # the elements between the box and this paragraph
        for ancestor in box.iterancestors():
            if ancestor is paragraph:
                break
            between.append(ancestor.tag)
        if f"{_MC}Fallback" not in between and f"{_W}txbxContent" not in between:
            boxes.append(box)
    return boxes


def docx_blocks(document: Any) -> list[DocxBlock]:
    """Body paragraphs and tables in order; what a text box holds follows the paragraph it is anchored in."""
    numbering = WordNumbering(document)
    blocks: list[DocxBlock] = []
    _blocks(document, document.element.body.iterchildren(), numbering, blocks)
    return blocks


def _blocks(document: Any, elements: Any, numbering: WordNumbering, blocks: list[DocxBlock]) -> None:
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    for element in elements:
        number = len(blocks)
        if element.tag == f"{_W}p":
            number += 1
            paragraph = Paragraph(element, document)
            style_name = (paragraph.style.name if paragraph.style is not None else "") or ""
            match = _HEADING_STYLE.match(style_name)
            # Word joiners (U+2060) bind numbers to their units in what summarykit writes: not text.  A heading
            # broken by a line break (so that it wraps at a word) is still one line of heading.
            text = paragraph.text.replace("\u2060", "")
            if match:
                text = text.replace("\n", "")
            blocks.append(DocxBlock(number, text, numbering.label(paragraph), style_name,
                                    int(match.group(1)) if match else None, style_name.lower() in {"title", "标题"}))
            for box in _text_boxes(element):
                _blocks(document, box.iterchildren(), numbering, blocks)
        elif element.tag == f"{_W}tbl":
            number += 1
            table = Table(element, document)
            rows = tuple(tuple(cell.text.replace("\n", " ").replace("\u2060", "") for cell in row.cells)
                         for row in table.rows)
            blocks.append(DocxBlock(number, table=rows))


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_HEADING_STYLE = re.compile(r"^(?:heading|标题)\s*(\d)$", re.I)


class WordNumbering:
    """Labels Word draws itself (automatic numbering) are not in the text: rebuild them."""

    def __init__(self, document: Any) -> None:
        self.levels: dict[str, dict[int, tuple[str, str, int]]] = {}
        self.counters: dict[str, list[int]] = {}
        try:
            numbering = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        abstract: dict[str, dict[int, tuple[str, str, int]]] = {}
        for node in numbering.findall(f"{_W}abstractNum"):
            levels: dict[int, tuple[str, str, int]] = {}
            for lvl in node.findall(f"{_W}lvl"):
                fmt = lvl.find(f"{_W}numFmt")
                text = lvl.find(f"{_W}lvlText")
                start = lvl.find(f"{_W}start")
                levels[int(lvl.get(f"{_W}ilvl", "0"))] = (
                    fmt.get(f"{_W}val", "decimal") if fmt is not None else "decimal",
                    text.get(f"{_W}val", "") if text is not None else "",
                    int(start.get(f"{_W}val", "1")) if start is not None else 1,
                )
            abstract[node.get(f"{_W}abstractNumId", "")] = levels
        for num in numbering.findall(f"{_W}num"):
            ref = num.find(f"{_W}abstractNumId")
            if ref is not None:
                self.levels[num.get(f"{_W}numId", "")] = abstract.get(ref.get(f"{_W}val", ""), {})

    def label(self, paragraph: Any) -> str:
        num_pr = paragraph._p.find(f"{_W}pPr/{_W}numPr")
        style = paragraph.style
        while num_pr is None and style is not None:
            num_pr = style.element.find(f"{_W}pPr/{_W}numPr")
            style = style.base_style
        if num_pr is None:
            return ""
        num_id_el = num_pr.find(f"{_W}numId")
        ilvl_el = num_pr.find(f"{_W}ilvl")
        num_id = num_id_el.get(f"{_W}val", "") if num_id_el is not None else ""
        ilvl = int(ilvl_el.get(f"{_W}val", "0")) if ilvl_el is not None else 0
        levels = self.levels.get(num_id)
        if not levels or ilvl not in levels:
            return ""
        counters = self.counters.setdefault(num_id, [0] * 10)
        counters[ilvl] += 1
        for deeper in range(ilvl + 1, len(counters)):
            counters[deeper] = 0
        fmt, text, _ = levels[ilvl]
        if fmt in {"bullet", "none"}:
            return ""

        def value(match: re.Match[str]) -> str:
            level = int(match.group(1)) - 1
            start = levels.get(level, ("decimal", "", 1))[2]
            n = counters[level] + start - 1 if level < len(counters) else 1
            return format_number(levels.get(level, ("decimal", "", 1))[0], max(n, 1))

        return re.sub(r"%(\d)", value, text)


def format_number(fmt: str, n: int) -> str:
    if fmt.startswith("chinese") or fmt in {"ideographTraditional", "taiwaneseCounting", "ideographDigital"}:
        return cn_number(n)
    if fmt.startswith("decimalEnclosedCircle"):
        return CIRCLED[n - 1] if 1 <= n <= len(CIRCLED) else str(n)
    if fmt == "decimalFullWidth":
        return "".join(chr(ord("０") + int(d)) for d in str(n))
    if fmt in {"upperLetter", "lowerLetter"}:
        letter = chr(ord("A") + (n - 1) % 26)
        return letter if fmt == "upperLetter" else letter.lower()
    return str(n)


