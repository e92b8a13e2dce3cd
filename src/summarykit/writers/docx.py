"""Document tree → DOCX bytes, typeset per GB/T 9704.

Two halves, for speed and for clarity:

* ``base_package(style)`` uses python-docx to build everything that does not
  depend on the report — styles with East-Asian fonts, page size and margins,
  the page grid, odd/even footers with PAGE fields, settings, and (for Word
  numbering) the multilevel list — once per style, and keeps the package as a
  list of zip parts, in memory and in the user cache folder (python-docx's import
  and the build take about 150 ms, a command-line render in all about 5 ms of work;
  with the file there, a render never imports python-docx).
* ``to_docx(doc, style)`` generates only ``word/document.xml``'s body and
  ``docProps/core.xml`` for each report and zips them beside the cached parts,
  with fixed timestamps so that the same input gives the same bytes.

All fonts and sizes live in styles; runs carry only bold and the eastAsia hint.

The page grid.  GB/T 9704 asks for 22 lines of 28 characters of 3号 (16 pt) in a
156 mm text block — 28 × 16 pt = 448 pt, more than the block's 442.2 pt.  The
section carries ``w:docGrid`` type linesAndChars with a negative ``w:charSpace``
(a 15.79 pt pitch), which Word's page setup shows as 22 × 28.  Paragraphs do not
snap to that character grid by default, because LibreOffice gives every
character wider than the pitch two cells (14 characters a line) and leaves gaps
around digits and Latin letters; instead the styles at body size narrow their
glyphs to 98% (``w:w``, invisible), so that 28 characters fill a line in Word,
WPS and LibreOffice alike, and exact 28.95 pt spacing gives 22 lines a page.
Larger text (the 22 pt title) keeps its width.  With ``grid.snap`` the paragraphs
snap to the grid and the glyphs are fitted to LibreOffice's own cell width.
Indents are written in characters for Word and in twips for LibreOffice, which
reads only the twips.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import io
import marshal
import math
import os
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass

from ..nogc import without_gc
from ..style import DEFAULT_STYLE, MM_PER_PT, Style
from ..tree.document import Block, Document, Heading, ListItem, PageBreak, Paragraph, Table
from ..tree.numbering import DEFAULT_SCHEME, MAX_LEVEL, format_label
from . import official, ooxml, references, stylesheet, tables
from .inline import runs_xml
from .keep import heading_like, keeps_with_closing
from .linebreak import SEPARATOR, bind, bind_joined
from .media import Media
from .ooxml import PLAIN_RUN_OPEN, RUN_CLOSE, Indent, paragraph_xml, run_xml, xml_text
from .package import assemble
from .rich import break_before, is_rich, rich_block_xml
from .stylesheet import STYLE_NAMES
from .title import balance, chars_per_line, heading_lines, heading_unbroken, text_width

# Style ids in the generated package: Word's built-in ids, and ours (their names, in Chinese, are in
# stylesheet.STYLE_NAMES: what a Word user sees in the style gallery).
BODY = "Normal"
PLAIN = "BodyPlain"
TITLE = "Title"
SUBTITLE = "Subtitle"
TABLE_TEXT = "TableText"
TABLE_CAPTION = "TableCaption"
TABLE_NOTE = "TableNote"
SIGNATURE = "SignatureBlock"
SIGNATURE_DATE = "SignatureDate"
ATTACHMENT = "Attachment"
ITEM_HEADING = "ItemHeading"
REFERENCE = "Reference"
LABEL = "Label"  # character style: 关键词：, 参考文献 in 黑体
CITATION = "CitationMark"  # character style: superscript [1]
HEADING = "Heading{}"
_HEADING_STYLES = tuple(HEADING.format(level) for level in range(MAX_LEVEL + 1))  # by level (0 unused)

# --------------------------------------------------------------------------- geometry


def _twips_to_mm100(twips: float) -> int:
    return round(twips * 127 / 72)


def libreoffice_cell_pt(body_pt: float, char_space: int) -> float:
    """The grid cell width LibreOffice derives from ``w:charSpace`` (writerfilter's SectionPropertyMap).

    It converts the Normal style's size and the charSpace's integer and
    fraction parts to 1/100 mm separately, each rounded; indents in twips must
    be whole cells of *this* width or LibreOffice moves text to the next cell.
    """
    width = _twips_to_mm100(round(body_pt * 20))
    low = char_space & 0xFFF
    width += _twips_to_mm100((char_space - low) // 0x1000 * 20)
    width += _twips_to_mm100(low * 20 // 0xFFF)
    return width / 100 / MM_PER_PT


@dataclass(frozen=True)
class Layout:
    """What the grid means for each font size: snap to it or not, glyph scale, a character's width."""

    style: Style

    @functools.cached_property
    def char_space(self) -> int | None:
        return self.style.char_space if self.style.grid.enabled else None

    @functools.cached_property
    def pitch_pt(self) -> float:
        """The width one character may take: the grid cell (as LibreOffice computes it) when text snaps to the
        grid, else the text block's width shared by the characters a line should hold."""
        if self.char_space is not None and self.style.grid.snap:
            return libreoffice_cell_pt(self.style.sizes.body, self.char_space)
        return self.style.text_width_pt / self.style.grid.chars

    @property
    def line_twips(self) -> int:
        return round(self.style.line_pt * 20)

    def fits(self, size_pt: float) -> bool:
        """Text up to 10% wider than the pitch is fitted to it; larger text (a title) keeps its own width."""
        return size_pt <= self.pitch_pt / 0.9

    def snaps(self, size_pt: float) -> bool:
        return self.char_space is not None and self.style.grid.snap and self.fits(size_pt)

    def _tight(self, size_pt: float) -> bool:
        return self.style.grid.fit_glyphs and self.fits(size_pt) and size_pt > self.pitch_pt

    def scale(self, size_pt: float) -> int:
        """Glyph width in percent (Word's 字符缩放) — only on the snapped grid, where LibreOffice gives a glyph
        wider than its cell two cells; off the grid the characters are condensed instead (``condense``)."""
        if not self.snaps(size_pt) or not self._tight(size_pt):
            return 100
        return math.floor(self.pitch_pt / size_pt * 100 - 1e-9)

    def condense(self, size_pt: float) -> int:
        """Character spacing in twentieths of a point (Word's 字符间距 → 紧缩), ≤ 0: the least, in whole
        twentieths, that makes a character's advance narrower than the pitch, plus one twentieth: LibreOffice
        (7.4) still breaks 28 characters of 三号 in 156 mm after 27 at −5 (the arithmetic's 紧缩 0.25 磅), and
        after 28 at −6 (紧缩 0.3 磅).  The glyphs keep their shape; Word and LibreOffice both apply it."""
        if self.snaps(size_pt) or not self._tight(size_pt):
            return 0
        return -math.ceil((size_pt - self.pitch_pt) * 20 - 1e-9) - 1

    def advance_pt(self, size_pt: float) -> float:
        """The width a character of ``size_pt`` takes on the line."""
        return size_pt * self.scale(size_pt) / 100 + self.condense(size_pt) / 20

    def twips(self, chars: float, size_pt: float | None = None) -> int:
        """``chars`` characters as twips, for LibreOffice: whole grid cells (rounded down) when text snaps to
        the grid, else characters of ``size_pt`` at their advance."""
        size = self.style.sizes.body if size_pt is None else size_pt
        found = self._widths.get(size)
        if found is None:
            found = self._widths[size] = (True, self.pitch_pt) if self.snaps(size) else (False, self.advance_pt(size))
        snapped, width = found
        if snapped:
            return math.floor(chars * width * 20 + 1e-6)
        return round(chars * width * 20)

    @functools.cached_property
    def _widths(self) -> dict[float, tuple[bool, float]]:
        """By font size: (snaps to the grid, a character's width there) — the same for every indent of a
        report, which asks for a dozen (the signature's, the attachments', the footers')."""
        return {}

    def indent(self, *, first: float = 0, left: float = 0, right: float = 0, hanging: float = 0,
               size_pt: float | None = None) -> Indent:
        return Indent(first_chars=first, first_twips=self.twips(first, size_pt),
                      left_chars=left, left_twips=self.twips(left, size_pt),
                      right_chars=right, right_twips=self.twips(right, size_pt),
                      hanging_chars=hanging, hanging_twips=self.twips(hanging, size_pt))


# --------------------------------------------------------------------------- the styled package


@dataclass(frozen=True)
class BasePackage:
    """The parts of a styled, empty DOCX; only document.xml and core.xml change per report."""

    parts: tuple[tuple[str, bytes], ...]
    body_start: str  # document.xml up to and including <w:body>
    body_end: str  # the section properties and closing tags
    num_id: int = 0  # the headings' multilevel list (Word numbering), 0 when labels are literal


def _paragraph_style(doc: object, name: str, style_id: str | None = None, base: str = "Normal") -> object:
    from docx.enum.style import WD_STYLE_TYPE
    from docx.oxml.ns import qn

    styles = doc.styles  # type: ignore[attr-defined]
    try:
        return styles[name]
    except KeyError:
        created = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        if style_id:
            created.element.set(qn("w:styleId"), style_id)
        created.base_style = styles[base]
        created.quick_style = True
        return created


_NUM_FORMATS = {"cn": "chineseCounting", "n": "decimal", "circled": "decimalEnclosedCircleChinese"}


def list_level(fmt: str, level: int) -> tuple[str, str]:
    """A label format (“（{cn}）”) at a 1-based level → Word's (numFmt, lvlText): ('chineseCounting', '（%2）')."""
    match = re.search(r"\{(cn|n|circled)\}", fmt)
    if match is None:
        raise ValueError(f"label format without a number: {fmt!r}")
    text = fmt[:match.start()] + f"%{level}" + fmt[match.end():]
    return _NUM_FORMATS[match.group(1)], text.replace("{{", "{").replace("}}", "}")


def _build_base(style: Style, scheme: tuple[str, ...]) -> BasePackage:
    from docx import Document as new_docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.shared import Mm, Pt

    jc = {"left": WD_ALIGN_PARAGRAPH.LEFT, "right": WD_ALIGN_PARAGRAPH.RIGHT, "center": WD_ALIGN_PARAGRAPH.CENTER}
    doc = new_docx()
    layout = Layout(style)
    fonts, sizes = style.fonts, style.sizes
    styles_element = doc.styles.element
    ooxml.reset_doc_defaults(styles_element, fonts.body, fonts.latin, sizes.body)
    ooxml.strip_theme_fonts(styles_element)
    ooxml.set_east_asian_theme_language(doc.settings.element)
    first_line = style.spacing.first_line_chars

    def typeset(st: object, east_asian: str, size: float, *, bold: bool = False, first: float = 0,
                align: WD_ALIGN_PARAGRAPH | None = None, latin: str | None = None,
                line_pt: float | None = None) -> None:
        ooxml.clean_style(st)
        ooxml.style_fonts(st, east_asian, latin or fonts.latin, size, bold=bold, scale=layout.scale(size),
                          spacing=layout.condense(size))
        pf = st.paragraph_format  # type: ignore[attr-defined]
        pf.space_before = Pt(0)
        pf.space_after = Pt(0)
        if line_pt is None:
            pf.line_spacing_rule = WD_LINE_SPACING.SINGLE
        else:
            pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
            pf.line_spacing = Pt(line_pt)
        pf.widow_control = True  # no paragraph leaves a single line at the foot or head of a page
        pf.alignment = align if align is not None else WD_ALIGN_PARAGRAPH.JUSTIFY
        ooxml.set_indent(st, layout.indent(first=first, size_pt=size))
        ooxml.set_snap_to_grid(st, layout.snaps(size))

    line = style.line_pt
    normal = doc.styles["Normal"]
    typeset(normal, fonts.body, sizes.body, first=first_line, line_pt=line)
    # Every other style is based on Normal: the gap between Chinese and digits, and the East-Asian line
    # breaking rules (no line starts with closing punctuation; no punctuation hung into the margin).
    ooxml.set_latin_gap(normal, style.spacing.latin_gap)
    ooxml.set_east_asian_breaking(normal)
    # Unindented lines (a salutation, references, notes) are left-aligned: justifying a line that ends
    # before an unbreakable Latin run (2009,1,23.) would stretch its characters apart.
    typeset(_paragraph_style(doc, STYLE_NAMES[PLAIN], PLAIN), fonts.body, sizes.body, line_pt=line,
            align=WD_ALIGN_PARAGRAPH.LEFT)
    title = doc.styles["Title"]
    typeset(title, fonts.title, sizes.title, bold=style.title.bold, align=WD_ALIGN_PARAGRAPH.CENTER, line_pt=line)
    title.paragraph_format.keep_with_next = True
    subtitle = doc.styles["Subtitle"]
    typeset(subtitle, fonts.subtitle, sizes.subtitle, align=WD_ALIGN_PARAGRAPH.CENTER, line_pt=line)
    subtitle.paragraph_format.keep_with_next = True
    for level in range(1, 6):
        st = doc.styles[f"Heading {level}"]
        typeset(st, fonts.heading(level), sizes.heading, bold=style.headings.is_bold(level), first=first_line,
                line_pt=line)
        st.paragraph_format.keep_with_next = True
        ooxml.set_outline_level(st, level - 1)
    # A numbered item that reads as a heading (keep.heading_like): body text that stays with what follows.
    item_heading = _paragraph_style(doc, STYLE_NAMES[ITEM_HEADING], ITEM_HEADING)
    typeset(item_heading, fonts.body, sizes.body, first=first_line, line_pt=line)
    item_heading.paragraph_format.keep_with_next = True
    # Word's own caption style (题注), which “插入题注” and “插入表目录” use; 表题 is based on it.
    for st in (doc.styles["Caption"], _paragraph_style(doc, STYLE_NAMES[TABLE_CAPTION], TABLE_CAPTION, "Caption")):
        typeset(st, fonts.caption, sizes.caption, align=WD_ALIGN_PARAGRAPH.CENTER, line_pt=line)
        st.paragraph_format.keep_with_next = True
    table_text = _paragraph_style(doc, STYLE_NAMES[TABLE_TEXT], TABLE_TEXT)
    typeset(table_text, fonts.table, sizes.table, align=WD_ALIGN_PARAGRAPH.CENTER,
            line_pt=style.tables.line_pt or tables.row_line_pt(sizes.table))
    ooxml.set_snap_to_grid(table_text, False)
    table_note = _paragraph_style(doc, STYLE_NAMES[TABLE_NOTE], TABLE_NOTE)
    typeset(table_note, fonts.table, sizes.table, line_pt=style.tables.line_pt or tables.row_line_pt(sizes.table))
    ooxml.set_snap_to_grid(table_note, False)
    signature = _paragraph_style(doc, STYLE_NAMES[SIGNATURE], SIGNATURE)
    typeset(signature, fonts.body, sizes.body, align=WD_ALIGN_PARAGRAPH.RIGHT, line_pt=line)
    signature.paragraph_format.keep_with_next = True  # the unit's name never ends a page: the date follows it
    signature_date = _paragraph_style(doc, STYLE_NAMES[SIGNATURE_DATE], SIGNATURE_DATE, STYLE_NAMES[SIGNATURE])
    typeset(signature_date, fonts.body, sizes.body, align=WD_ALIGN_PARAGRAPH.RIGHT, line_pt=line)
    signature_date.paragraph_format.keep_with_next = False
    typeset(_paragraph_style(doc, STYLE_NAMES[ATTACHMENT], ATTACHMENT), fonts.body, sizes.body, line_pt=line)
    # References (参考文献): 小四, each wrapped line under the text after “[1]”.
    reference = _paragraph_style(doc, STYLE_NAMES[REFERENCE], REFERENCE)
    typeset(reference, fonts.body, sizes.reference, align=WD_ALIGN_PARAGRAPH.LEFT,
            line_pt=tables.row_line_pt(sizes.reference))
    ooxml.set_indent(reference, layout.indent(left=2, hanging=2, size_pt=sizes.reference))
    ooxml.set_snap_to_grid(reference, False)
    ooxml.add_character_style(styles_element, LABEL, STYLE_NAMES[LABEL], east_asian=fonts.heading1)
    ooxml.add_character_style(styles_element, CITATION, STYLE_NAMES[CITATION], superscript=True)
    # Pictures and charts (issue 20): centred, single spacing, off the grid; their 图N captions use Caption.
    figure = _paragraph_style(doc, "Figure", "Figure")
    typeset(figure, fonts.body, sizes.body, align=WD_ALIGN_PARAGRAPH.CENTER)
    ooxml.set_snap_to_grid(figure, False)
    footer_style = doc.styles["Footer"]
    typeset(footer_style, fonts.page_number, sizes.page_number, latin=fonts.page_number,
            line_pt=math.ceil(sizes.page_number * 1.25))
    ooxml.set_snap_to_grid(footer_style, False)
    ooxml.strip_theme_fonts(styles_element)

    num_id = 0
    if style.numbering_mode == "word":
        levels = []
        for level in range(1, MAX_LEVEL + 1):
            num_fmt, text = list_level(scheme[level - 1], level)
            levels.append(ooxml.ListLevel(num_fmt, text, HEADING.format(level),
                                          layout.indent(first=first_line, size_pt=sizes.heading)))
        num_id = ooxml.add_multilevel_list(doc.part.numbering_part.element, levels)
        for level in range(1, MAX_LEVEL + 1):
            ooxml.set_style_numbering(doc.styles[f"Heading {level}"], num_id, level - 1)

    section = doc.sections[0]
    page = style.page
    section.page_width, section.page_height = Mm(page.width_mm), Mm(page.height_mm)
    section.top_margin, section.bottom_margin = Mm(page.top_mm), Mm(page.bottom_mm)
    section.left_margin, section.right_margin = Mm(page.left_mm), Mm(page.right_mm)
    section.header_distance = Mm(min(15, page.top_mm))
    if style.grid.enabled:
        ooxml.set_doc_grid(section._sectPr, layout.line_twips, layout.char_space)
    else:
        ooxml.remove_doc_grid(section._sectPr)
    numbers = style.page_numbers
    if numbers.enabled:
        # The em dashes' top 7 mm under the text block: the dash sits about 0.55 em above the line's foot.
        section.footer_distance = Mm(max(page.bottom_mm - numbers.below_text_mm
                                         - 0.55 * sizes.page_number * MM_PER_PT, 3))
        before, _, after = numbers.format.partition("{n}")
        doc.settings.odd_and_even_pages_header_footer = True
        for paragraph, where in ((section.footer.paragraphs[0], numbers.odd),
                                 (section.even_page_footer.paragraphs[0], numbers.even)):
            paragraph.style = footer_style
            paragraph.alignment = jc[where]
            if where != "center":
                ooxml.set_paragraph_indent_chars(
                    paragraph, left=numbers.indent_chars if where == "left" else 0,
                    right=numbers.indent_chars if where == "right" else 0, char_pt=sizes.page_number)
            ooxml.add_page_field(paragraph, before, after)
    else:
        section.footer_distance = Mm(min(10, page.bottom_mm))

    buffer = io.BytesIO()
    doc.save(buffer)
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as package:
        parts = tuple((info.filename, package.read(info.filename)) for info in package.infolist())
    parts = _tidy_parts(parts)
    document_xml = dict(parts)["word/document.xml"].decode("utf-8")
    start = document_xml.index("<w:body>") + len("<w:body>")
    end = document_xml.index("<w:sectPr")
    return BasePackage(parts, document_xml[:start], document_xml[end:], num_id)


def _tidy_parts(parts: tuple[tuple[str, bytes], ...]) -> tuple[tuple[str, bytes], ...]:
    """The template's clutter out (stylesheet): unused styles, Chinese names, a font table of the fonts used."""
    styles = dict(parts)["word/styles.xml"]
    styles = stylesheet.rename_styles(stylesheet.prune_styles(styles, stylesheet.BODY_STYLES))
    fonts = stylesheet.font_table(stylesheet.used_fonts(styles))
    replaced = {"word/styles.xml": styles, "word/fontTable.xml": fonts}
    return stylesheet.drop_parts(tuple((name, replaced.get(name, data)) for name, data in parts))


def base_package(style: Style = DEFAULT_STYLE, scheme: Sequence[str] = DEFAULT_SCHEME) -> BasePackage:
    """Built once per process, style (and, for Word numbering, scheme): python-docx is the slow part."""
    key = tuple(scheme) if style.numbering_mode == "word" else DEFAULT_SCHEME
    return _cached_base(style.model_dump_json(), key)


@functools.lru_cache(maxsize=16)
def _cached_base(style_json: str, scheme: tuple[str, ...]) -> BasePackage:
    name = _disk_name(style_json, scheme)
    found = _read_base(name)
    if found is None:
        found = _build_base(Style.model_validate_json(style_json), scheme)
        from ..usercache import write_cached

        write_cached(name, marshal.dumps((_DISK_FORMAT, found.parts, found.body_start, found.body_end, found.num_id)))
    return found


_DISK_FORMAT = 1
#: What a base package is made by: these modules' sources, python-docx (its template) and marshal.
_BUILT_BY = ("writers", "style.py", "tree")


@functools.lru_cache(maxsize=1)
def _builder_digest() -> str:
    from pathlib import Path

    from ..usercache import installed_version

    root = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256(f"{_DISK_FORMAT}/{marshal.version}/python-docx-{installed_version('docx')}".encode())
    for entry in _BUILT_BY:
        for path in sorted((root / entry).glob("*.py")) if (root / entry).is_dir() else [root / entry]:
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _disk_name(style_json: str, scheme: tuple[str, ...]) -> str:
    """docx-base-DIGEST.marshal: the style, the Word-numbering scheme and everything that builds the package."""
    key = hashlib.sha256("\x1f".join((_builder_digest(), style_json, *scheme)).encode("utf-8")).hexdigest()
    return f"docx-base-{key[:32]}.marshal"


def _read_base(name: str) -> BasePackage | None:
    from ..usercache import read_cached

    data = read_cached(name)
    if data is None:
        return None
    try:
        fmt, parts, body_start, body_end, num_id = marshal.loads(data)
    except (EOFError, ValueError, TypeError):  # a damaged file: built again and rewritten
        return None
    if fmt != _DISK_FORMAT:
        return None
    return BasePackage(tuple(tuple(part) for part in parts), body_start, body_end, num_id)


# --------------------------------------------------------------------------- body


class _Writer:
    """Body XML for one document; holds what the blocks share (style, layout, the Word list)."""

    def __init__(self, doc: Document, style: Style, num_id: int, media: Media | None = None,
                 sectpr: str = "") -> None:
        self.doc = doc
        self.sectpr = sectpr  # the base package's section properties, for a 版记 on a page of its own
        self.style = style
        self.layout = Layout(style)
        self.num_id = num_id
        self.word_numbered = self._word_numbered(doc.blocks) if num_id else set()
        self.tables = 0  # tables numbered so far (表1, 表2…)
        self.media = media if media is not None else Media()  # pictures and charts the body adds

    def _word_numbered(self, blocks: Sequence[Block]) -> set[int]:
        """Indexes of blocks Word's list numbers exactly as the numbering pass did.

        Word counts per level and restarts a level after any shallower one; the
        pass also restarts below an unnumbered heading.  Where the two would
        differ the block keeps its literal label, so the printed numbers are
        always the pass's.
        """
        counters = [0] * (MAX_LEVEL + 1)
        numbered: set[int] = set()
        scheme = self.doc.scheme
        for index, block in enumerate(blocks):
            if not isinstance(block, Heading | ListItem) or not block.numbered or not block.label:
                continue
            level = min(max(block.level, 1), MAX_LEVEL)
            counters[level] += 1
            for deeper in range(level + 1, MAX_LEVEL + 1):
                counters[deeper] = 0
            if format_label(scheme[level - 1], counters[level]) == block.label:
                numbered.add(index)
        return numbered

    # ------------------------------------------------------------------ pieces

    def title(self) -> list[str]:
        doc, style = self.doc, self.style
        parts: list[str] = []
        if doc.title:
            # One character of air: a title that runs to both margins looks crammed, and LibreOffice
            # adds space between Chinese and digits that the width estimate does not know about.
            width = chars_per_line(style.text_width_pt, style.sizes.title) - 1
            lines = (balance(doc.title, width, style.title.max_lines, doc.title_pieces) if style.title.balance
                     else doc.title.split("\n"))
            parts.extend(paragraph_xml(TITLE, run_xml(line)) for line in lines)  # lines broken here already
        if doc.subtitle:
            subtitle = doc.subtitle
            if style.title.subtitle_dash and not subtitle.startswith(("——", "—", "－－", "--")):
                subtitle = "——" + subtitle
            parts.append(paragraph_xml(SUBTITLE, _run(subtitle)))
        if doc.title or doc.subtitle:
            parts.extend(self.blank(keep_next=True) for _ in range(style.spacing.after_title_lines))
        return parts

    def blank(self, *, keep_next: bool = False) -> str:
        return paragraph_xml(PLAIN, "", keep_next=keep_next)

    def _numbering(self, index: int, block: Heading | ListItem) -> tuple[str, str]:
        """(numPr XML, the label to print) for a numbered block."""
        if index in self.word_numbered:
            return ooxml.numpr_xml(self.num_id, min(max(block.level, 1), MAX_LEVEL) - 1), ""
        return "", block.label

    def block(self, index: int, block: Block, *, keep_next: bool = False) -> str:
        """One block; ``keep_next`` keeps it on the page of what follows (the last lines before the signature).

        A paragraph of one plain run (``_one_run``) is written from its opening tags and its text;
        everything else by ``_block``, the general statement: the same XML either way (a test compares them).
        """
        one = self._one_run(index, block, keep_next)
        if one is None:
            return self._block(index, block, keep_next=keep_next)
        opening, text = one
        return f"{opening}{PLAIN_RUN_OPEN}{xml_text(bind(text))}{RUN_CLOSE}</w:p>" if text else f"{opening}</w:p>"

    def _one_run(self, index: int, block: Block, keep_next: bool) -> tuple[str, str] | None:
        """(opening tags, text) of a block printed as one paragraph whose only run is the plain run of its
        text, else None.  What ``_block`` writes for such a block is the opening tags, ``run_xml(bind(text))``
        (no run for an empty text) and ``</w:p>``.

        Nearly every block of a report is one: a body paragraph or a list item (label and text) without
        emphasis or a citation mark (which take runs of their own), an item that reads as a heading
        (``heading_like``), a heading on one line that is not run in.  The body paragraphs' opening tags
        are constants (``_BODY_OPEN``); the others' are ``paragraph_xml`` without its runs and end tag.
        """
        kind = type(block)
        if kind is ListItem:
            if block.marks:
                return None
            numpr, label = self._numbering(index, block) if block.numbered and self.num_id else ("", block.label)
            text = label + block.text
            if "[" in text:
                return None
            if heading_like(self.doc.blocks, index):
                level = min(max(block.level, 1), MAX_LEVEL)
                return paragraph_xml(ITEM_HEADING, "", numpr=numpr, outline=level - 1)[:-_P_END], text
            if numpr:
                return paragraph_xml(BODY, "", numpr=numpr, keep_next=keep_next)[:-_P_END], text
            return (_BODY_KEEP_OPEN if keep_next else _BODY_OPEN), text
        if kind is Paragraph:
            if block.kind != "body" or block.marks or "[" in block.text:
                return None
            return (_BODY_KEEP_OPEN if keep_next else _BODY_OPEN), block.text
        if kind is Heading and not block.run_in:
            numpr, label = self._numbering(index, block) if block.numbered else ("", block.label)
            text = label + block.text
            # Only a heading kept as it is without looking for words (``heading_lines``): one that may be
            # broken by hand is left to ``heading``, which looks once.
            if "[" in text or not heading_unbroken(text, *self.heading_room):
                return None
            if self.num_id and not numpr:
                numpr = _OUT_OF_LIST
            return paragraph_xml(_HEADING_STYLES[min(max(block.level, 1), MAX_LEVEL)], "", numpr=numpr)[:-_P_END], text
        return None

    def blocks(self, keep_last: bool) -> list[str]:
        """The XML of the blocks, in order; ``keep_last``: the last one may keep with the closing parts.

        The paragraphs of one plain run (``_one_run``) get their runs last: their texts are bound
        (``linebreak.bind_joined``) and escaped (``xml_text``) in one pass over all of them, rather than
        in two calls each — what half the time of writing a long report's body went to.
        """
        blocks = self.doc.blocks
        last = len(blocks) - 1
        per_line = self.style.grid.chars
        out: list[str] = []
        texts: list[str] = []  # the one-run paragraphs' texts
        slots: list[int] = []  # where each one's escaped text goes in ``out`` (inside its run's tags)
        new_page = False
        one_run, append = self._one_run, out.append
        for index, block in enumerate(blocks):
            if isinstance(block, PageBreak):
                new_page = True
                continue
            keep_next = keep_last and index == last and keeps_with_closing(block, per_line)
            one = None if new_page else one_run(index, block, keep_next)
            if one is None:
                xml = self._block(index, block, keep_next=keep_next)
                append(break_before(xml) if new_page else xml)
                new_page = False
            elif one[1]:
                # The run's text goes between its constant tags, in place: no string is built per paragraph.
                slots.append(len(out) + 2)
                out += (one[0], PLAIN_RUN_OPEN, "", _RUN_END)
                texts.append(one[1])
            else:  # an empty text has no run (``run_xml``)
                append(one[0] + "</w:p>")
        if texts:
            bound = bind_joined(texts)
            pieces = (xml_text(bound).split(SEPARATOR) if bound is not None
                      else [xml_text(bind(text)) for text in texts])
            # A text of invalid characters only keeps its empty run.
            for slot, piece in zip(slots, pieces, strict=True):
                out[slot] = piece
        return out

    def _block(self, index: int, block: Block, *, keep_next: bool = False) -> str:
        """One block, any kind: the general statement of ``block``."""
        if isinstance(block, Heading):
            return self.heading(index, block)
        if isinstance(block, ListItem):
            numpr, label = self._numbering(index, block) if block.numbered else ("", block.label)
            if heading_like(self.doc.blocks, index):
                level = min(max(block.level, 1), MAX_LEVEL)
                return paragraph_xml(ITEM_HEADING, _marked(block.text, block.marks, label), numpr=numpr,
                                     outline=level - 1)
            return paragraph_xml(BODY, _marked(block.text, block.marks, label), numpr=numpr, keep_next=keep_next)
        if isinstance(block, Paragraph):
            if block.kind == "body":
                return paragraph_xml(BODY, _marked(block.text, block.marks), keep_next=keep_next)
            if block.kind == "reference":
                return paragraph_xml(REFERENCE, references.reference_runs(block.text), keep_next=keep_next)
            align = {"center": "center", "right": "right"}.get(block.kind)
            return paragraph_xml(PLAIN, _marked(block.text, block.marks), jc=f'<w:jc w:val="{align}"/>' if align else "",
                                 keep_next=keep_next)
        if isinstance(block, Table):
            self.tables += 1
            return tables.table_xml(block, self.style, self.tables, _run)
        if is_rich(block):
            return rich_block_xml(block, self.style, self.media)
        raise TypeError(f"unknown block {block!r}")  # pragma: no cover - the tree has four kinds

    def heading(self, index: int, block: Heading) -> str:
        level = min(max(block.level, 1), MAX_LEVEL)
        numpr, label = self._numbering(index, block) if block.numbered else ("", block.label)
        if block.run_in:
            # Run in: the heading sentence in bold, the paragraph going on in the same line.  A body
            # paragraph, so the navigation pane is not filled with whole paragraphs; its number (Word
            # numbering) is bold through the paragraph mark's properties.
            bold = self.style.headings.run_in_bold
            mark = "<w:rPr><w:b/><w:bCs/></w:rPr>" if numpr and bold else ""
            return paragraph_xml(BODY, _run(label + block.text, bold=bold) + _marked(block.body, block.body_marks, bold=False),
                                 numpr=numpr, mark_rpr=mark)
        if self.num_id and not numpr:
            # Unnumbered, or a label Word's list would count differently: out of the style's list.
            numpr = _OUT_OF_LIST
        # A heading that would wrap with one character on its last line breaks at a word instead.
        first, width = self.heading_room
        lines = heading_lines(label + block.text, first, width)
        if len(lines) == 1:  # nearly always
            return paragraph_xml(_HEADING_STYLES[level], _run(lines[0]), numpr=numpr)
        runs = "<w:r><w:br/></w:r>".join(_run(line) for line in lines)
        # Left-aligned when broken by hand: a justified line ending in a line break is letter-spaced.
        return paragraph_xml(_HEADING_STYLES[level], runs, numpr=numpr, jc='<w:jc w:val="left"/>')

    @functools.cached_property
    def heading_room(self) -> tuple[float, float]:
        """(first line, other lines) of a heading, in characters: the same for every heading of the report."""
        indent = self.style.spacing.first_line_chars
        first = chars_per_line(self.style.text_width_pt, self.style.sizes.heading) - indent
        return first, first + indent

    # ------------------------------------------------------------------ closing parts

    def closing(self) -> list[str]:
        doc, layout = self.doc, self.layout
        gap = self.style.spacing.before_closing_lines
        parts: list[str] = []
        # From the body's last lines to the date, nothing may be left alone at a page's foot: every
        # paragraph of the closing keeps with the next (the date ends the chain).
        if doc.attachments:
            parts.extend(self.blank(keep_next=True) for _ in range(gap))
            many = len(doc.attachments) > 1
            for index, name in enumerate(doc.attachments, start=1):
                name = name.rstrip("。；，、：.;,")  # GB/T 9704 §7.3.4: no punctuation after the names
                number = f"{index}." if many else ""
                lead = "附件：" if index == 1 else ""
                # “附件” 2 characters in; numbers under “1.”; wrapped lines align with the name's first character.
                hang = text_width(lead) + _number_width(number)
                indent = layout.indent(left=2 + 3 + _number_width(number), hanging=hang)
                last = index == len(doc.attachments) and not self.has_signature
                parts.append(paragraph_xml(ATTACHMENT, _run(f"{lead}{number}{name}"), ind=indent.xml(),
                                           keep_next=not last))
        signature = doc.signature
        if self.has_signature and signature is not None:
            parts.extend(self.blank(keep_next=True) for _ in range(max(gap, 1) if doc.attachments else gap))
            parts.extend(self.signature(signature.organization, signature.date))
        return parts

    @property
    def has_signature(self) -> bool:
        signature = self.doc.signature
        return bool(signature and (signature.organization or signature.date))

    def signature(self, organization: str, date: str) -> list[str]:
        """The unit's name right-indented 2 characters; the date on the next line, its first character 2
        characters right of the name's first (GB/T 9704 §7.3.5.3).  One line each: nothing to bind.

        The date is placed by its first character (a left indent), not by its right end, so that its
        digits' exact widths — and LibreOffice's spacing around them — cannot move it.
        """
        layout = self.layout
        org_indent, date_indent = signature_indents(organization, date)
        parts: list[str] = []
        if organization:
            parts.append(paragraph_xml(SIGNATURE, run_xml(organization), ind=layout.indent(right=org_indent).xml()))
        if not date:
            return parts
        if organization and date_indent == text_width(organization) - text_width(date):
            left = round(self.style.text_width_pt * 20) - layout.twips(text_width(organization))
            parts.append(paragraph_xml(SIGNATURE_DATE, run_xml(date), ind=Indent(left_twips=left).xml(),
                                       jc='<w:jc w:val="left"/>'))
        else:  # the date is the longer: it stands 2 characters in, the name moved left (signature_indents)
            parts.append(paragraph_xml(SIGNATURE_DATE, run_xml(date), ind=layout.indent(right=date_indent).xml()))
        return parts

    def body(self) -> str:
        doc = self.doc
        parts = official.head_xml(doc.official, self.style) if doc.official else []
        parts.extend(self.title())
        if doc.official:
            parts.extend(official.recipients_xml(doc.official))
        parts.extend(paragraph_xml(BODY, references.front_runs(p.text)) for p in doc.front)
        closing = self.closing()
        parts.extend(self.blocks(keep_last=bool(closing)))
        parts.extend(closing)
        if doc.official:
            parts.extend(official.note_xml(doc.official))
            record = official.record_xml(doc.official, self.style, self.media.next_drawing_id())
            if record and doc.official.record_alone and self.sectpr:
                parts = official.end_text_section(parts, self.sectpr)
            parts.extend(record)
        return "".join(parts)


# A body paragraph's opening (``paragraph_xml(BODY, ...)`` up to its runs), with and without keep-with-next.
_P_END = len("</w:p>")
_BODY_OPEN = paragraph_xml(BODY, "")[:-_P_END]
_BODY_KEEP_OPEN = paragraph_xml(BODY, "", keep_next=True)[:-_P_END]
_RUN_END = RUN_CLOSE + "</w:p>"  # a one-run paragraph's end, after its run's text
# A heading outside the headings' Word list (unnumbered, or numbered differently from Word's count).
_OUT_OF_LIST = '<w:numPr><w:ilvl w:val="0"/><w:numId w:val="0"/></w:numPr>'


def _marked(text: str, marks: tuple, prefix: str = "", *, bold: bool | None = None) -> str:
    """Runs with emphasis (writers/inline.py) when the text has marks, else the usual runs of ``prefix + text``."""
    if marks:
        return runs_xml(text, marks, bold=bold, prefix=prefix, plain=_run)
    return _run(prefix + text, bold=bold)


def _run(text: str, *, bold: bool | None = None) -> str:
    """Runs of printed text: numbers, ranges and dates bound against line breaks (linebreak.bind), citation
    marks superscript (references.text_runs)."""
    return references.text_runs(text, bold=bold)


def _number_width(number: str) -> float:
    """Width of “1.” in characters: Times New Roman digits are half a character, the full stop a quarter."""
    return sum(0.5 if ch.isdigit() else 0.25 for ch in number)


def signature_indents(organization: str, date: str) -> tuple[float, float]:
    """Right indents (in characters) of the unit name and the date, per GB/T 9704 §7.3.5.

    The name stands 2 characters in from the right; the date's first character
    2 characters right of the name's first.  When the date is the longer, the
    date stands 2 characters in and the name moves left to keep the offset.
    """
    org, day = text_width(organization), text_width(date)
    if not organization:
        return 0.0, 2.0
    if org - day >= 2:
        return 2.0, org - day
    return 4 + day - org, 2.0


def body_xml(doc: Document, style: Style = DEFAULT_STYLE, num_id: int = 0) -> str:
    """The paragraphs of the body, in order: title, front matter, blocks, attachments, signature."""
    return _Writer(doc, style, num_id).body()


def body_and_media(doc: Document, style: Style = DEFAULT_STYLE, num_id: int = 0,
                   media: Media | None = None, sectpr: str = "") -> tuple[str, Media]:
    """The body XML and the parts (pictures, charts) it refers to (added to ``media`` when given: 汇编).

    ``sectpr`` (the base package's section properties) lets a 版记 that must stand alone close the
    text's section before it (``Official.record_alone``)."""
    writer = _Writer(doc, style, num_id, media, sectpr)
    return writer.body(), writer.media


# --------------------------------------------------------------------------- package


def reproducible_time(doc: Document) -> dt.datetime:
    """SOURCE_DATE_EPOCH when set (reproducible-builds.org), else the report's date, else a fixed day."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        try:
            when = dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc).replace(tzinfo=None)
        except (ValueError, OverflowError, OSError):
            when = None  # out of range: fall back as if unset rather than fail the whole render
        if when is not None and 1980 <= when.year <= 2107:  # what a zip timestamp can hold
            return when
    if doc.info.date:
        return dt.datetime.combine(doc.info.date, dt.time(0, 0))
    return dt.datetime(2000, 1, 1)


def core_xml(doc: Document, when: dt.datetime) -> str:
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ")
    info = doc.info
    description = f"summarykit template={info.template} seed={info.seed}"
    title = re.sub(r"\s+", "", doc.title)
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{xml_text(title)}</dc:title>"
        f"<dc:creator>{xml_text(info.author)}</dc:creator>"
        f"<cp:keywords>{xml_text('；'.join(info.keywords))}</cp:keywords>"
        f"<dc:description>{xml_text(description)}</dc:description>"
        f"<cp:lastModifiedBy>{xml_text(info.author)}</cp:lastModifiedBy>"
        "<cp:revision>1</cp:revision>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified>'
        "</cp:coreProperties>"
    )


@without_gc
def to_docx(doc: Document, style: Style = DEFAULT_STYLE) -> bytes:
    """The DOCX file for a numbered Document, as bytes (same input → same bytes)."""
    base = base_package(style, doc.scheme)
    when = reproducible_time(doc)
    sectpr = base.body_end[: base.body_end.index("</w:sectPr>") + len("</w:sectPr>")]
    body, media = body_and_media(doc, style, base.num_id, sectpr=sectpr)
    end = base.body_end
    if doc.official is not None and doc.official.record_alone and doc.official.has_record:
        end = end.replace(sectpr, official.record_section(sectpr), 1)
    replaced = {
        # Encoded apart and joined as bytes: a long report's body is not copied into one more string.
        "word/document.xml": b"".join((base.body_start.encode("utf-8"), body.encode("utf-8"), end.encode("utf-8"))),
        "docProps/core.xml": core_xml(doc, when).encode("utf-8"),
    }
    if media:
        parts = dict(base.parts)
        replaced["word/_rels/document.xml.rels"] = media.document_rels(parts["word/_rels/document.xml.rels"])
        replaced["[Content_Types].xml"] = media.content_types(parts["[Content_Types].xml"])
    return assemble(base.parts, replaced, when, media.parts)
