"""Document tree → DOCX bytes, typeset per GB/T 9704.

Two halves, for speed and for clarity:

* ``base_package(style)`` uses python-docx to build everything that does not
  depend on the report — styles with East-Asian fonts, page size and margins,
  the page grid, odd/even footers with PAGE fields, settings — once per process
  and style, and keeps the package as a list of zip parts.
* ``to_docx(doc, style)`` generates only ``word/document.xml``'s body and
  ``docProps/core.xml`` for each report and zips them beside the cached parts,
  with fixed timestamps so that the same input gives the same bytes.

All fonts and sizes live in styles; runs carry only bold and the eastAsia hint.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import os
import re
import zipfile
from dataclasses import dataclass

from docx import Document as new_docx
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from ..document import Block, Document, Heading, ListItem, Paragraph, Table
from ..style import DEFAULT_STYLE, Style
from . import ooxml
from .ooxml import paragraph_xml, run_xml, xml_text
from .package import assemble

# Style ids in the generated package (python-docx's template names, plus ours).
BODY = "Normal"
PLAIN = "BodyPlain"
TITLE = "Title"
SUBTITLE = "Subtitle"
TABLE_TEXT = "TableText"
TABLE_CAPTION = "TableCaption"
SIGNATURE = "SignatureBlock"
HEADING = "Heading{}"


@dataclass(frozen=True)
class BasePackage:
    """The parts of a styled, empty DOCX; only document.xml and core.xml change per report."""

    parts: tuple[tuple[str, bytes], ...]
    body_start: str  # document.xml up to and including <w:body>
    body_end: str  # the section properties and closing tags


def _pitch_twips(style: Style) -> int:
    return round(style.grid.line_spacing_pt * 20)


def _text_width_twips(style: Style) -> int:
    return round((style.page.width_mm - style.page.left_mm - style.page.right_mm) / 25.4 * 1440)


def _char_space(style: Style) -> int:
    """w:charSpace for N characters per line: the extra pitch over the font size, in 1/4096 pt."""
    width_pt = _text_width_twips(style) / 20
    pitch = width_pt / style.grid.chars
    return round((pitch - style.sizes.body) * 4096)


def _paragraph_style(doc: object, name: str, style_id: str | None = None) -> object:
    styles = doc.styles  # type: ignore[attr-defined]
    try:
        return styles[name]
    except KeyError:
        created = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        if style_id:
            created.element.set(qn("w:styleId"), style_id)
        created.base_style = styles["Normal"]
        return created


def _build_base(style: Style) -> BasePackage:
    doc = new_docx()
    fonts, sizes = style.fonts, style.sizes
    styles_element = doc.styles.element
    ooxml.reset_doc_defaults(styles_element, fonts.body, fonts.latin, sizes.body)
    ooxml.strip_theme_fonts(styles_element)

    def typeset(st: object, east_asian: str, size: float, *, bold: bool = False, indent: float = 0,
                align: WD_ALIGN_PARAGRAPH | None = None) -> None:
        ooxml.style_fonts(st, east_asian, fonts.latin, size, bold=bold)
        pf = st.paragraph_format  # type: ignore[attr-defined]
        pf.space_before = Pt(0)
        pf.space_after = Pt(0)
        pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        pf.line_spacing = Pt(style.grid.line_spacing_pt)
        pf.widow_control = False
        if align is not None:
            pf.alignment = align
        if indent:
            ooxml.set_first_line_chars(st, indent, size)

    typeset(doc.styles["Normal"], fonts.body, sizes.body, indent=2, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    plain = _paragraph_style(doc, "Body Plain", PLAIN)
    typeset(plain, fonts.body, sizes.body)
    ooxml.set_first_line_chars(plain, 0, sizes.body)
    typeset(doc.styles["Title"], fonts.title, sizes.title, align=WD_ALIGN_PARAGRAPH.CENTER)
    typeset(doc.styles["Subtitle"], fonts.subtitle, sizes.subtitle, align=WD_ALIGN_PARAGRAPH.CENTER)
    for st_name in ("Title", "Subtitle"):
        ppr = doc.styles[st_name].element.get_or_add_pPr()
        for border in ppr.findall(qn("w:pBdr")):
            ppr.remove(border)
    heading_fonts = [fonts.heading1, fonts.heading2, fonts.heading3, fonts.heading4, fonts.heading4]
    for level in range(1, 6):
        st = doc.styles[f"Heading {level}"]
        typeset(st, heading_fonts[level - 1], sizes.heading, bold=(level == 3 and style.heading3_bold), indent=2,
                align=WD_ALIGN_PARAGRAPH.JUSTIFY)
        st.paragraph_format.keep_with_next = True
        ooxml.set_outline_level(st, level - 1)
    caption = _paragraph_style(doc, "Table Caption", TABLE_CAPTION)
    typeset(caption, fonts.heading1, sizes.body, align=WD_ALIGN_PARAGRAPH.CENTER)
    caption.paragraph_format.keep_with_next = True
    table_text = _paragraph_style(doc, "Table Text", TABLE_TEXT)
    typeset(table_text, fonts.table, sizes.table, align=WD_ALIGN_PARAGRAPH.CENTER)
    table_text.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    ooxml.set_snap_to_grid(table_text, False)
    signature = _paragraph_style(doc, "Signature Block", SIGNATURE)
    typeset(signature, fonts.body, sizes.body, align=WD_ALIGN_PARAGRAPH.RIGHT)
    footer_style = doc.styles["Footer"]
    typeset(footer_style, fonts.page_number, sizes.page_number)
    footer_style.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    ooxml.set_snap_to_grid(footer_style, False)
    ooxml.strip_theme_fonts(styles_element)

    section = doc.sections[0]
    page = style.page
    section.page_width, section.page_height = Mm(page.width_mm), Mm(page.height_mm)
    section.top_margin, section.bottom_margin = Mm(page.top_mm), Mm(page.bottom_mm)
    section.left_margin, section.right_margin = Mm(page.left_mm), Mm(page.right_mm)
    section.header_distance = Mm(15)
    section.footer_distance = Mm(max(page.bottom_mm - 28, 5))  # the page number sits 7 mm under the text block
    ooxml.set_doc_grid(section._sectPr, _pitch_twips(style), 0)
    if style.page_numbers:
        doc.settings.odd_and_even_pages_header_footer = True
        odd = section.footer.paragraphs[0]
        odd.style = footer_style
        odd.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        ooxml.set_paragraph_indent_chars(odd, right=1)
        ooxml.add_page_field(odd)
        even = section.even_page_footer.paragraphs[0]
        even.style = footer_style
        even.alignment = WD_ALIGN_PARAGRAPH.LEFT
        ooxml.set_paragraph_indent_chars(even, left=1)
        ooxml.add_page_field(even)

    buffer = io.BytesIO()
    doc.save(buffer)
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as package:
        parts = tuple((info.filename, package.read(info.filename)) for info in package.infolist())
    document_xml = dict(parts)["word/document.xml"].decode("utf-8")
    start = document_xml.index("<w:body>") + len("<w:body>")
    end = document_xml.index("<w:sectPr")
    return BasePackage(parts, document_xml[:start], document_xml[end:])


def base_package(style: Style = DEFAULT_STYLE) -> BasePackage:
    """Built once per process and style (python-docx is the slow part of writing a DOCX)."""
    return _cached_base(style.model_dump_json())


@functools.lru_cache(maxsize=8)
def _cached_base(style_json: str) -> BasePackage:
    return _build_base(Style.model_validate_json(style_json))


# --------------------------------------------------------------------------- body


def _text_width(text: str) -> float:
    """Width in Chinese characters: ASCII letters and digits are half as wide."""
    return sum(0.5 if ch.isascii() else 1.0 for ch in text)


def _label_text(label: str, text: str) -> str:
    return f"{label}{text}"


def _block_xml(block: Block, style: Style) -> str:
    if isinstance(block, Heading):
        head = _label_text(block.label, block.text)
        if block.run_in:
            return paragraph_xml(BODY, run_xml(head, bold=True) + run_xml(block.body))
        level = min(max(block.level, 1), 5)
        return paragraph_xml(HEADING.format(level), run_xml(head))
    if isinstance(block, ListItem):
        return paragraph_xml(BODY, run_xml(_label_text(block.label, block.text)))
    if isinstance(block, Paragraph):
        if block.kind == "body":
            return paragraph_xml(BODY, run_xml(block.text))
        align = {"center": "center", "right": "right"}.get(block.kind)
        extra = f'<w:jc w:val="{align}"/>' if align else ""
        return paragraph_xml(PLAIN, run_xml(block.text), extra_ppr=extra)
    if isinstance(block, Table):
        return _table_xml(block, style)
    raise TypeError(f"unknown block {block!r}")  # pragma: no cover - the tree has four kinds


def _column_widths(table: Table, total: int) -> list[int]:
    """Share the text block among columns by the widest text in each (header counted), within bounds."""
    count = len(table.columns)
    widths = []
    for index in range(count):
        cells = [table.columns[index], *(row[index] for row in table.rows)]
        widths.append(max(2.0, min(max(_text_width(c) for c in cells), 20.0)))
    scale = total / sum(widths)
    result = [int(w * scale) for w in widths]
    result[-1] += total - sum(result)
    return result


def _table_xml(table: Table, style: Style) -> str:
    total = _text_width_twips(style)
    widths = _column_widths(table, total)
    border = "".join(
        f'<w:{side} w:val="single" w:sz="6" w:space="0" w:color="000000"/>'
        for side in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)

    def row(cells: tuple[str, ...], header: bool) -> str:
        trpr = "<w:trPr><w:tblHeader/><w:cantSplit/></w:trPr>" if header else "<w:trPr><w:cantSplit/></w:trPr>"
        tcs = "".join(
            f'<w:tc><w:tcPr><w:tcW w:w="{w}" w:type="dxa"/><w:vAlign w:val="center"/></w:tcPr>'
            f"{paragraph_xml(TABLE_TEXT, run_xml(c, bold=header))}</w:tc>"
            for c, w in zip(cells, widths, strict=True)
        )
        return f"<w:tr>{trpr}{tcs}</w:tr>"

    parts = []
    if table.caption:
        parts.append(paragraph_xml(TABLE_CAPTION, run_xml(table.caption)))
    parts.append(
        f'<w:tbl><w:tblPr><w:tblW w:w="{total}" w:type="dxa"/><w:jc w:val="center"/>'
        f'<w:tblBorders>{border}</w:tblBorders><w:tblLayout w:type="fixed"/>'
        f'<w:tblCellMar><w:left w:w="85" w:type="dxa"/><w:right w:w="85" w:type="dxa"/></w:tblCellMar>'
        f"</w:tblPr><w:tblGrid>{grid}</w:tblGrid>"
        + row(table.columns, True)
        + "".join(row(r, False) for r in table.rows)
        + "</w:tbl>"
    )
    if table.note:
        parts.append(paragraph_xml(PLAIN, run_xml(table.note)))
    return "".join(parts)


def _blank() -> str:
    return paragraph_xml(PLAIN, "")


def signature_indents(organization: str, date: str) -> tuple[float, float]:
    """Right indents (in characters) of the unit name and the date, per GB/T 9704 §7.3.5.

    The name stands 2 characters in from the right; the date's first character
    2 characters right of the name's first.  When the date is the longer, the
    date stands 2 characters in and the name moves left to keep the offset.
    """
    org, day = _text_width(organization), _text_width(date)
    if not organization:
        return 0.0, 2.0
    if org - day >= 2:
        return 2.0, org - day
    return 4 + day - org, 2.0


def _closing_xml(doc: Document) -> str:
    parts: list[str] = []
    if doc.attachments:
        parts.append(_blank())
        for index, name in enumerate(doc.attachments, start=1):
            number = f"{index}." if len(doc.attachments) > 1 else ""
            if index == 1:
                parts.append(paragraph_xml(BODY, run_xml(f"附件：{number}{name}")))
            else:
                parts.append(paragraph_xml(PLAIN, run_xml(f"{number}{name}"),
                                           extra_ppr='<w:ind w:leftChars="500" w:left="0"/>'))
    signature = doc.signature
    if signature and (signature.organization or signature.date):
        org_indent, date_indent = signature_indents(signature.organization, signature.date)
        parts.append(_blank())
        if signature.organization:
            parts.append(paragraph_xml(SIGNATURE, run_xml(signature.organization),
                                       extra_ppr=f'<w:ind w:rightChars="{round(org_indent * 100)}" w:right="0"/>'))
        if signature.date:
            parts.append(paragraph_xml(SIGNATURE, run_xml(signature.date),
                                       extra_ppr=f'<w:ind w:rightChars="{round(date_indent * 100)}" w:right="0"/>'))
    return "".join(parts)


def body_xml(doc: Document, style: Style = DEFAULT_STYLE) -> str:
    """The paragraphs of the body, in order: title, front matter, blocks, attachments, signature."""
    parts: list[str] = []
    if doc.title:
        parts.extend(paragraph_xml(TITLE, run_xml(line)) for line in doc.title.split("\n"))
    if doc.subtitle:
        parts.append(paragraph_xml(SUBTITLE, run_xml(doc.subtitle)))
    if doc.title or doc.subtitle:
        parts.append(_blank())
    parts.extend(paragraph_xml(BODY, run_xml(p.text)) for p in doc.front)
    parts.extend(_block_xml(block, style) for block in doc.blocks)
    parts.append(_closing_xml(doc))
    return "".join(parts)


# --------------------------------------------------------------------------- package


def reproducible_time(doc: Document) -> dt.datetime:
    """SOURCE_DATE_EPOCH when set (reproducible-builds.org), else the report's date, else a fixed day."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc).replace(tzinfo=None)
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
    base = base_package(style)
    when = reproducible_time(doc)
    replaced = {
        "word/document.xml": (base.body_start + body_xml(doc, style) + base.body_end).encode("utf-8"),
        "docProps/core.xml": core_xml(doc, when).encode("utf-8"),
    }
    return assemble(base.parts, replaced, when)
