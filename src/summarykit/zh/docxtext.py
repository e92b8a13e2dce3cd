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


def open_docx(path: str | os.PathLike[str]) -> Any:
    """python-docx's Document; UnreadableDocx for anything that is not a readable DOCX."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        return docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise UnreadableDocx(exc) from None
    except Exception as exc:  # lxml errors and the like: a damaged package
        raise UnreadableDocx(exc, damaged=True) from None


def read_docx(path: str | os.PathLike[str]) -> list[DocxBlock]:
    """Body paragraphs and tables in document order."""
    return docx_blocks(open_docx(path))


def docx_blocks(document: Any) -> list[DocxBlock]:
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    numbering = WordNumbering(document)
    blocks: list[DocxBlock] = []
    number = 0
    for element in document.element.body.iterchildren():
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
        elif element.tag == f"{_W}tbl":
            number += 1
            table = Table(element, document)
            rows = tuple(tuple(cell.text.replace("\n", " ").replace("\u2060", "") for cell in row.cells)
                         for row in table.rows)
            blocks.append(DocxBlock(number, table=rows))
    return blocks


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
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


