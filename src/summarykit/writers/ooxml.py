"""The raw WordprocessingML python-docx has no API for, in one place.

python-docx covers paragraphs, runs and sections; it has no API for East-Asian
font slots, theme-font removal, the page grid (w:docGrid), outline levels,
fields (PAGE) or odd/even footers' settings.  Every such XML edit lives here so
that the writer reads as typesetting, not as XML surgery.
"""

from __future__ import annotations

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

_THEME_ATTRS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")


# Schema order of w:pPr children (ECMA-376 CT_PPr): Word and LibreOffice ignore misplaced ones.
PPR_ORDER = (
    "w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:framePr", "w:widowControl", "w:numPr",
    "w:suppressLineNumbers", "w:pBdr", "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap",
    "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
    "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc",
    "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle",
    "w:rPr", "w:sectPr", "w:pPrChange",
)


def _child(parent: OxmlElement, tag: str, *, first: bool = False, order: tuple[str, ...] = ()) -> OxmlElement:
    """The child element ``tag`` of ``parent``, created if missing, in schema order when ``order`` is given."""
    element = parent.find(qn(tag))
    if element is not None:
        return element
    element = OxmlElement(tag)
    if first:
        parent.insert(0, element)
        return element
    if tag in order:
        later = {qn(t) for t in order[order.index(tag) + 1:]}
        for index, existing in enumerate(parent):
            if existing.tag in later:
                parent.insert(index, element)
                return element
    parent.append(element)
    return element


def set_fonts(rpr: OxmlElement, east_asian: str, latin: str) -> None:
    """Set all four font slots and drop theme fonts, which would otherwise override the names."""
    fonts = _child(rpr, "w:rFonts", first=True)
    for attr in _THEME_ATTRS:
        if fonts.get(qn(attr)) is not None:
            del fonts.attrib[qn(attr)]
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:cs"), latin)
    fonts.set(qn("w:eastAsia"), east_asian)
    fonts.set(qn("w:hint"), "eastAsia")


def style_fonts(style: object, east_asian: str, latin: str, size_pt: float, *, bold: bool = False) -> None:
    """Fonts and size on a python-docx style object, East-Asian slot included."""
    style.font.size = Pt(size_pt)  # type: ignore[attr-defined]
    style.font.bold = bold  # type: ignore[attr-defined]
    style.font.color.rgb = None  # type: ignore[attr-defined]
    rpr = style.element.get_or_add_rPr()  # type: ignore[attr-defined]
    set_fonts(rpr, east_asian, latin)
    for tag in ("w:color", "w:i", "w:u"):
        for element in rpr.findall(qn(tag)):
            rpr.remove(element)


def reset_doc_defaults(styles_element: OxmlElement, east_asian: str, latin: str, size_pt: float) -> None:
    """Replace docDefaults (Calibri, spacing after) so nothing leaks into our styles."""
    defaults = styles_element.find(qn("w:docDefaults"))
    if defaults is not None:
        styles_element.remove(defaults)
    defaults = OxmlElement("w:docDefaults")
    rpr_default = OxmlElement("w:rPrDefault")
    rpr = OxmlElement("w:rPr")
    set_fonts(rpr, east_asian, latin)
    size = OxmlElement("w:sz")
    size.set(qn("w:val"), str(round(size_pt * 2)))
    rpr.append(size)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    rpr.append(lang)
    rpr_default.append(rpr)
    ppr_default = OxmlElement("w:pPrDefault")
    ppr = OxmlElement("w:pPr")
    spacing = OxmlElement("w:spacing")
    spacing.set(qn("w:before"), "0")
    spacing.set(qn("w:after"), "0")
    ppr.append(spacing)
    ppr_default.append(ppr)
    defaults.append(rpr_default)
    defaults.append(ppr_default)
    styles_element.insert(0, defaults)


def strip_theme_fonts(styles_element: OxmlElement) -> None:
    """Remove theme font attributes from every style (they beat explicit font names in Word)."""
    for fonts in styles_element.iter(qn("w:rFonts")):
        for attr in _THEME_ATTRS:
            if fonts.get(qn(attr)) is not None:
                del fonts.attrib[qn(attr)]


def set_outline_level(style: object, level: int) -> None:
    """Outline level 0–8 on a paragraph style: the navigation pane and TOC use it."""
    ppr = style.element.get_or_add_pPr()  # type: ignore[attr-defined]
    outline = _child(ppr, "w:outlineLvl", order=PPR_ORDER)
    outline.set(qn("w:val"), str(level))


def set_first_line_chars(style: object, chars: float, size_pt: float) -> None:
    """First-line indent in characters (w:firstLineChars, which Word follows) and the same
    distance in twips (w:firstLine, which LibreOffice follows)."""
    ppr = style.element.get_or_add_pPr()  # type: ignore[attr-defined]
    ind = _child(ppr, "w:ind", order=PPR_ORDER)
    ind.set(qn("w:firstLineChars"), str(round(chars * 100)))
    ind.set(qn("w:firstLine"), str(round(chars * size_pt * 20)))


def set_snap_to_grid(style: object, snap: bool) -> None:
    ppr = style.element.get_or_add_pPr()  # type: ignore[attr-defined]
    element = _child(ppr, "w:snapToGrid", order=PPR_ORDER)
    element.set(qn("w:val"), "1" if snap else "0")


def set_doc_grid(sect_pr: OxmlElement, line_pitch_twips: int, char_space: int | None = None) -> None:
    """The page grid: w:docGrid type linesAndChars with the line pitch (twentieths of a point)."""
    grid = _child(sect_pr, "w:docGrid")
    grid.set(qn("w:type"), "linesAndChars")
    grid.set(qn("w:linePitch"), str(line_pitch_twips))
    if char_space is not None:
        grid.set(qn("w:charSpace"), str(char_space))


def add_page_field(paragraph: object, before: str = "— ", after: str = " —") -> None:
    """'— PAGE —' as text, a PAGE field, and text: Word fills in the number on every page."""

    def run(*children: OxmlElement) -> OxmlElement:
        r = OxmlElement("w:r")
        rpr = OxmlElement("w:rPr")
        fonts = OxmlElement("w:rFonts")
        fonts.set(qn("w:hint"), "eastAsia")
        rpr.append(fonts)
        r.append(rpr)
        for child in children:
            r.append(child)
        return r

    def text(value: str) -> OxmlElement:
        t = OxmlElement("w:t")
        t.set(qn("xml:space"), "preserve")
        t.text = value
        return t

    def fld(kind: str) -> OxmlElement:
        f = OxmlElement("w:fldChar")
        f.set(qn("w:fldCharType"), kind)
        return f

    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = " PAGE "
    p = paragraph._p  # type: ignore[attr-defined]
    for element in (run(text(before)), run(fld("begin")), run(instr), run(fld("separate")),
                    run(text("1")), run(fld("end")), run(text(after))):
        p.append(element)


def set_paragraph_indent_chars(paragraph: object, *, left: float = 0, right: float = 0) -> None:
    ppr = paragraph._p.get_or_add_pPr()  # type: ignore[attr-defined]
    ind = _child(ppr, "w:ind", order=PPR_ORDER)
    if left:
        ind.set(qn("w:leftChars"), str(round(left * 100)))
    if right:
        ind.set(qn("w:rightChars"), str(round(right * 100)))


# --------------------------------------------------------------------------- fast body generation

_XML_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"})


def xml_text(text: str) -> str:
    return text.translate(_XML_ESCAPES)


def run_xml(text: str, *, bold: bool = False) -> str:
    """One run; hint=eastAsia keeps quotes and dashes in the Chinese font."""
    if not text:
        return ""
    props = '<w:rFonts w:hint="eastAsia"/>' + ("<w:b/><w:bCs/>" if bold else "")
    return f'<w:r><w:rPr>{props}</w:rPr><w:t xml:space="preserve">{xml_text(text)}</w:t></w:r>'


def paragraph_xml(style_id: str, runs: str, *, extra_ppr: str = "") -> str:
    return f'<w:p><w:pPr><w:pStyle w:val="{style_id}"/>{extra_ppr}</w:pPr>{runs}</w:p>'
