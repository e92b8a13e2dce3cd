"""Document tree → DOCX bytes, typeset per GB/T 9704.

Two halves, for speed and for clarity:

* ``base_package(style)`` uses python-docx to build everything that does not
  depend on the report — styles with East-Asian fonts, page size and margins,
  the page grid, odd/even footers with PAGE fields, settings, and (for Word
  numbering) the multilevel list — once per process and style, and keeps the
  package as a list of zip parts.
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
import io
import math
import os
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass

from docx import Document as new_docx
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from ..style import DEFAULT_STYLE, MM_PER_PT, Style
from ..tree.document import Block, Document, Heading, ListItem, PageBreak, Paragraph, Table
from ..tree.numbering import DEFAULT_SCHEME, MAX_LEVEL, format_label
from . import official, ooxml
from .inline import runs_xml
from .media import Media
from .ooxml import Indent, paragraph_xml, run_xml, xml_text
from .package import assemble
from .rich import break_before, is_rich, rich_block_xml
from .title import balance, chars_per_line, text_width

# Style ids in the generated package (python-docx's template names, plus ours).
BODY = "Normal"
PLAIN = "BodyPlain"
TITLE = "Title"
SUBTITLE = "Subtitle"
TABLE_TEXT = "TableText"
TABLE_CAPTION = "TableCaption"
TABLE_NOTE = "TableNote"
SIGNATURE = "SignatureBlock"
ATTACHMENT = "Attachment"
HEADING = "Heading{}"

_JC = {"left": WD_ALIGN_PARAGRAPH.LEFT, "right": WD_ALIGN_PARAGRAPH.RIGHT, "center": WD_ALIGN_PARAGRAPH.CENTER}


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

    def scale(self, size_pt: float) -> int:
        """Glyph width in percent so that one character takes at most one pitch."""
        if not self.style.grid.fit_glyphs or not self.fits(size_pt) or size_pt <= self.pitch_pt:
            return 100
        return math.floor(self.pitch_pt / size_pt * 100 - 1e-9)

    def twips(self, chars: float, size_pt: float | None = None) -> int:
        """``chars`` characters as twips, for LibreOffice: whole grid cells (rounded down) when text snaps to
        the grid, else characters of ``size_pt`` at their glyph scale."""
        size = self.style.sizes.body if size_pt is None else size_pt
        if self.snaps(size):
            return math.floor(chars * self.pitch_pt * 20 + 1e-6)
        return round(chars * size * self.scale(size) / 100 * 20)

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


def _paragraph_style(doc: object, name: str, style_id: str | None = None) -> object:
    styles = doc.styles  # type: ignore[attr-defined]
    try:
        return styles[name]
    except KeyError:
        created = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        if style_id:
            created.element.set(qn("w:styleId"), style_id)
        created.base_style = styles["Normal"]
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
        ooxml.style_fonts(st, east_asian, latin or fonts.latin, size, bold=bold, scale=layout.scale(size))
        pf = st.paragraph_format  # type: ignore[attr-defined]
        pf.space_before = Pt(0)
        pf.space_after = Pt(0)
        if line_pt is None:
            pf.line_spacing_rule = WD_LINE_SPACING.SINGLE
        else:
            pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
            pf.line_spacing = Pt(line_pt)
        pf.widow_control = False  # widow control would leave 21 lines on some pages
        pf.alignment = align if align is not None else WD_ALIGN_PARAGRAPH.JUSTIFY
        ooxml.set_indent(st, layout.indent(first=first, size_pt=size))
        ooxml.set_snap_to_grid(st, layout.snaps(size))

    line = style.line_pt
    typeset(doc.styles["Normal"], fonts.body, sizes.body, first=first_line, line_pt=line)
    ooxml.set_latin_gap(doc.styles["Normal"], style.spacing.latin_gap)  # every other style is based on Normal
    # Unindented lines (a salutation, references, notes) are left-aligned: justifying a line that ends
    # before an unbreakable Latin run (2009,1,23.) would stretch its characters apart.
    typeset(_paragraph_style(doc, "Body Plain", PLAIN), fonts.body, sizes.body, line_pt=line,
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
    caption = _paragraph_style(doc, "Table Caption", TABLE_CAPTION)
    typeset(caption, fonts.caption, sizes.caption, align=WD_ALIGN_PARAGRAPH.CENTER, line_pt=line)
    caption.paragraph_format.keep_with_next = True
    typeset(_paragraph_style(doc, "Table Text", TABLE_TEXT), fonts.table, sizes.table,
            align=WD_ALIGN_PARAGRAPH.CENTER, line_pt=style.tables.line_pt)
    ooxml.set_snap_to_grid(doc.styles["Table Text"], False)
    typeset(_paragraph_style(doc, "Table Note", TABLE_NOTE), fonts.table, sizes.table,
            line_pt=style.tables.line_pt)
    ooxml.set_snap_to_grid(doc.styles["Table Note"], False)
    typeset(_paragraph_style(doc, "Signature Block", SIGNATURE), fonts.body, sizes.body,
            align=WD_ALIGN_PARAGRAPH.RIGHT, line_pt=line)
    typeset(_paragraph_style(doc, "Attachment", ATTACHMENT), fonts.body, sizes.body, line_pt=line)
    # Pictures and charts (issue 20): centred, single spacing, off the grid; Word's own Caption style for 图N.
    figure = _paragraph_style(doc, "Figure", "Figure")
    typeset(figure, fonts.body, sizes.body, align=WD_ALIGN_PARAGRAPH.CENTER)
    ooxml.set_snap_to_grid(figure, False)
    figure_caption = doc.styles["Caption"]
    typeset(figure_caption, fonts.caption, sizes.caption, align=WD_ALIGN_PARAGRAPH.CENTER, line_pt=line)
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
            paragraph.alignment = _JC[where]
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
    document_xml = dict(parts)["word/document.xml"].decode("utf-8")
    start = document_xml.index("<w:body>") + len("<w:body>")
    end = document_xml.index("<w:sectPr")
    return BasePackage(parts, document_xml[:start], document_xml[end:], num_id)


def base_package(style: Style = DEFAULT_STYLE, scheme: Sequence[str] = DEFAULT_SCHEME) -> BasePackage:
    """Built once per process, style (and, for Word numbering, scheme): python-docx is the slow part."""
    key = tuple(scheme) if style.numbering_mode == "word" else DEFAULT_SCHEME
    return _cached_base(style.model_dump_json(), key)


@functools.lru_cache(maxsize=16)
def _cached_base(style_json: str, scheme: tuple[str, ...]) -> BasePackage:
    return _build_base(Style.model_validate_json(style_json), scheme)


# --------------------------------------------------------------------------- body


class _Writer:
    """Body XML for one document; holds what the blocks share (style, layout, the Word list)."""

    def __init__(self, doc: Document, style: Style, num_id: int, media: Media | None = None) -> None:
        self.doc = doc
        self.style = style
        self.layout = Layout(style)
        self.num_id = num_id
        self.word_numbered = self._word_numbered(doc.blocks) if num_id else set()
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
            parts.extend(paragraph_xml(TITLE, run_xml(line)) for line in lines)
        if doc.subtitle:
            subtitle = doc.subtitle
            if style.title.subtitle_dash and not subtitle.startswith(("——", "—", "－－", "--")):
                subtitle = "——" + subtitle
            parts.append(paragraph_xml(SUBTITLE, run_xml(subtitle)))
        if doc.title or doc.subtitle:
            parts.extend(self.blank() for _ in range(style.spacing.after_title_lines))
        return parts

    def blank(self) -> str:
        return paragraph_xml(PLAIN, "")

    def _numbering(self, index: int, block: Heading | ListItem) -> tuple[str, str]:
        """(numPr XML, the label to print) for a numbered block."""
        if index in self.word_numbered:
            return ooxml.numpr_xml(self.num_id, min(max(block.level, 1), MAX_LEVEL) - 1), ""
        return "", block.label

    def block(self, index: int, block: Block) -> str:
        if isinstance(block, Heading):
            return self.heading(index, block)
        if isinstance(block, ListItem):
            numpr, label = self._numbering(index, block) if block.numbered else ("", block.label)
            return paragraph_xml(BODY, runs_xml(block.text, block.marks, prefix=label), numpr=numpr)
        if isinstance(block, Paragraph):
            if block.kind == "body":
                return paragraph_xml(BODY, runs_xml(block.text, block.marks))
            align = {"center": "center", "right": "right"}.get(block.kind)
            return paragraph_xml(PLAIN, runs_xml(block.text, block.marks),
                                 jc=f'<w:jc w:val="{align}"/>' if align else "")
        if isinstance(block, Table):
            return self.table(block)
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
            return paragraph_xml(BODY, run_xml(label + block.text, bold=bold)
                                 + runs_xml(block.body, block.body_marks, bold=False),
                                 numpr=numpr, mark_rpr=mark)
        if self.num_id and not numpr:
            # Unnumbered, or a label Word's list would count differently: out of the style's list.
            numpr = '<w:numPr><w:ilvl w:val="0"/><w:numId w:val="0"/></w:numPr>'
        return paragraph_xml(HEADING.format(level), run_xml(label + block.text), numpr=numpr)

    # ------------------------------------------------------------------ tables

    def column_widths(self, table: Table, total: int) -> list[int]:
        """Share the text block among columns: each gets what its longest cell needs when all fit, else
        its longest unbreakable word plus a share of the rest, proportional to what it would need."""
        size = self.style.sizes.table
        padding = 2 * 85
        count = len(table.columns)
        wanted: list[float] = []
        least: list[float] = []
        for index in range(count):
            cells = [table.columns[index], *(row[index] for row in table.rows)]
            wanted.append(max(max(text_width(c) for c in cells), 1.0) * size * 20 + padding)
            words = [w for c in cells for w in re.findall(r"[\x21-\x7e]+", c)]
            unbreakable = max([text_width(w) for w in words] + [2.0])
            least.append(min(unbreakable * size * 20 + padding, wanted[-1]))
        if sum(wanted) <= total:
            widths = [w * total / sum(wanted) for w in wanted]
        elif sum(least) >= total:
            widths = [w * total / sum(least) for w in least]
        else:
            spare = (total - sum(least)) / (sum(wanted) - sum(least))
            widths = [lo + (hi - lo) * spare for lo, hi in zip(least, wanted, strict=True)]
        result = [int(w) for w in widths]
        result[-1] += total - sum(result)
        return result

    def table(self, table: Table) -> str:
        total = round(self.style.text_width_pt * 20)
        widths = self.column_widths(table, total)
        options = self.style.tables
        size = self.style.sizes.table
        if options.border_pt > 0:
            eighths = max(2, round(options.border_pt * 8))
            border = "".join(
                f'<w:{side} w:val="single" w:sz="{eighths}" w:space="0" w:color="000000"/>'
                for side in ("top", "left", "bottom", "right", "insideH", "insideV")
            )
        else:
            border = "".join(f'<w:{side} w:val="nil"/>'
                             for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
        grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
        # A column whose text wraps reads better justified than centred.
        wraps = [any(text_width(row[i]) * size * 20 + 170 > widths[i] for row in table.rows)
                 for i in range(len(widths))]

        def row(cells: tuple[str, ...], header: bool) -> str:
            props = "<w:cantSplit/>" + ("<w:tblHeader/>" if header and options.repeat_header else "")
            tcs = "".join(
                f'<w:tc><w:tcPr><w:tcW w:w="{w}" w:type="dxa"/><w:vAlign w:val="center"/></w:tcPr>'
                + paragraph_xml(TABLE_TEXT, run_xml(c, bold=True if header and options.header_bold else None),
                                jc='<w:jc w:val="both"/>' if wrap and not header else "")
                + "</w:tc>"
                for c, w, wrap in zip(cells, widths, wraps, strict=True)
            )
            return f"<w:tr><w:trPr>{props}</w:trPr>{tcs}</w:tr>"

        parts = []
        if table.caption:
            parts.append(paragraph_xml(TABLE_CAPTION, run_xml(table.caption)))
        parts.append(
            f'<w:tbl><w:tblPr><w:tblW w:w="{total}" w:type="dxa"/><w:jc w:val="center"/>'
            f"<w:tblBorders>{border}</w:tblBorders>"
            '<w:tblLayout w:type="fixed"/>'
            '<w:tblCellMar><w:left w:w="85" w:type="dxa"/><w:right w:w="85" w:type="dxa"/></w:tblCellMar>'
            f'<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" w:lastColumn="0" '
            f'w:noHBand="0" w:noVBand="1"/></w:tblPr><w:tblGrid>{grid}</w:tblGrid>'
            + row(table.columns, True)
            + "".join(row(r, False) for r in table.rows)
            + "</w:tbl>"
        )
        if table.note:
            parts.append(paragraph_xml(TABLE_NOTE, run_xml(table.note)))
        return "".join(parts)

    # ------------------------------------------------------------------ closing parts

    def closing(self) -> list[str]:
        doc, layout = self.doc, self.layout
        gap = self.style.spacing.before_closing_lines
        parts: list[str] = []
        if doc.attachments:
            parts.extend(self.blank() for _ in range(gap))
            many = len(doc.attachments) > 1
            for index, name in enumerate(doc.attachments, start=1):
                name = name.rstrip("。；，、：.;,")  # GB/T 9704 §7.3.4: no punctuation after the names
                number = f"{index}." if many else ""
                lead = "附件：" if index == 1 else ""
                # “附件” 2 characters in; numbers under “1.”; wrapped lines align with the name's first character.
                hang = text_width(lead) + _number_width(number)
                indent = layout.indent(left=2 + 3 + _number_width(number), hanging=hang)
                parts.append(paragraph_xml(ATTACHMENT, run_xml(f"{lead}{number}{name}"), ind=indent.xml()))
        signature = doc.signature
        if signature and (signature.organization or signature.date):
            parts.extend(self.blank() for _ in range(max(gap, 1) if doc.attachments else gap))
            parts.extend(self.signature(signature.organization, signature.date))
        return parts

    def signature(self, organization: str, date: str) -> list[str]:
        """The unit's name right-indented 2 characters; the date on the next line, its first character 2
        characters right of the name's first (GB/T 9704 §7.3.5.3).

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
            parts.append(paragraph_xml(SIGNATURE, run_xml(date), ind=Indent(left_twips=left).xml(),
                                       jc='<w:jc w:val="left"/>'))
        else:  # the date is the longer: it stands 2 characters in, the name moved left (signature_indents)
            parts.append(paragraph_xml(SIGNATURE, run_xml(date), ind=layout.indent(right=date_indent).xml()))
        return parts

    def body(self) -> str:
        doc = self.doc
        parts = official.head_xml(doc.official, self.style) if doc.official else []
        parts.extend(self.title())
        if doc.official:
            parts.extend(official.recipients_xml(doc.official))
        parts.extend(paragraph_xml(BODY, run_xml(p.text)) for p in doc.front)
        new_page = False
        for index, block in enumerate(doc.blocks):
            if isinstance(block, PageBreak):
                new_page = True
                continue
            xml = self.block(index, block)
            parts.append(break_before(xml) if new_page else xml)
            new_page = False
        parts.extend(self.closing())
        if doc.official:
            parts.extend(official.note_xml(doc.official))
            parts.extend(official.record_xml(doc.official, self.style, self.media.next_drawing_id()))
        return "".join(parts)


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
                   media: Media | None = None) -> tuple[str, Media]:
    """The body XML and the parts (pictures, charts) it refers to (added to ``media`` when given: 汇编)."""
    writer = _Writer(doc, style, num_id, media)
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


def to_docx(doc: Document, style: Style = DEFAULT_STYLE) -> bytes:
    """The DOCX file for a numbered Document, as bytes (same input → same bytes)."""
    base = base_package(style, doc.scheme)
    when = reproducible_time(doc)
    body, media = body_and_media(doc, style, base.num_id)
    replaced = {
        "word/document.xml": (base.body_start + body + base.body_end).encode("utf-8"),
        "docProps/core.xml": core_xml(doc, when).encode("utf-8"),
    }
    if media:
        parts = dict(base.parts)
        replaced["word/_rels/document.xml.rels"] = media.document_rels(parts["word/_rels/document.xml.rels"])
        replaced["[Content_Types].xml"] = media.content_types(parts["[Content_Types].xml"])
    return assemble(base.parts, replaced, when, media.parts)
