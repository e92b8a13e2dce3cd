"""The raw WordprocessingML python-docx lacks, in one place.

python-docx covers paragraphs, runs and sections; it has no API for East-Asian
font slots, theme-font removal, the page grid (w:docGrid), character-unit
indents, glyph scaling, outline levels, fields (PAGE), multilevel list
definitions (numbering.xml) or the odd/even footer setting.  Every such XML edit
lives here so that the writer reads as typesetting, not as XML surgery.

Two kinds of helpers: *element* helpers edit the package python-docx builds
once per style (styles, sections, numbering); *string* helpers at the end build
the per-report body XML as text, which is what keeps writing a DOCX fast.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any


def qn(tag: str) -> str:
    """python-docx's Clark name (w:val → {namespace}val), imported only when a base package is built."""
    from docx.oxml.ns import qn as clark

    return str(clark(tag))


def OxmlElement(tag: str) -> Any:
    """python-docx's element factory, imported only when a base package is built (writers/docx.py)."""
    from docx.oxml import OxmlElement as make

    return make(tag)


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
# Schema order of w:rPr children (CT_RPr).
RPR_ORDER = (
    "w:rStyle", "w:rFonts", "w:b", "w:bCs", "w:i", "w:iCs", "w:caps", "w:smallCaps", "w:strike", "w:dstrike",
    "w:outline", "w:shadow", "w:emboss", "w:imprint", "w:noProof", "w:snapToGrid", "w:vanish", "w:webHidden",
    "w:color", "w:spacing", "w:w", "w:kern", "w:position", "w:sz", "w:szCs", "w:highlight", "w:u", "w:effect",
    "w:bdr", "w:shd", "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang", "w:eastAsianLayout",
    "w:specVanish", "w:oMath",
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


def _remove(parent: OxmlElement, *tags: str) -> None:
    for tag in tags:
        for element in parent.findall(qn(tag)):
            parent.remove(element)


# --------------------------------------------------------------------------- styles


def set_fonts(rpr: OxmlElement, east_asian: str, latin: str) -> None:
    """Set all four font slots and drop theme fonts, which would otherwise override the names.

    ``w:hint="eastAsia"`` makes characters both scripts share (quotes “”, dashes
    —, ellipsis …) take the East-Asian font, as Chinese typesetting expects.
    """
    fonts = _child(rpr, "w:rFonts", order=RPR_ORDER)
    for attr in _THEME_ATTRS:
        if fonts.get(qn(attr)) is not None:
            del fonts.attrib[qn(attr)]
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:cs"), latin)
    fonts.set(qn("w:eastAsia"), east_asian)
    fonts.set(qn("w:hint"), "eastAsia")


def clean_style(style: object) -> None:
    """Remove what python-docx's template puts in a style and we do not want.

    Theme colours, character spacing (Title has +0.25 pt), kerning, italics,
    borders, contextual spacing, a stray list level on Subtitle, and
    ``semiHidden`` (which hides Heading 4–5 from Word's style gallery).
    """
    element = style.element  # type: ignore[attr-defined]
    _remove(element, "w:semiHidden")
    rpr = element.get_or_add_rPr()
    _remove(rpr, "w:color", "w:spacing", "w:kern", "w:i", "w:iCs", "w:u", "w:b", "w:bCs", "w:spacing", "w:w", "w:sz", "w:szCs")
    ppr = element.get_or_add_pPr()
    _remove(ppr, "w:pBdr", "w:contextualSpacing", "w:numPr")


def style_fonts(style: object, east_asian: str, latin: str, size_pt: float, *, bold: bool = False,
                scale: int = 100, spacing: int = 0) -> None:
    """Fonts, size, weight, glyph width (``w:w``, percent) and character spacing (``w:spacing``, twentieths
    of a point; negative is Word's 紧缩) of a python-docx style, East-Asian slot included."""
    rpr = style.element.get_or_add_rPr()  # type: ignore[attr-defined]
    set_fonts(rpr, east_asian, latin)
    _remove(rpr, "w:b", "w:bCs", "w:spacing", "w:w", "w:sz", "w:szCs")
    for tag in ("w:b", "w:bCs"):
        flag = _child(rpr, tag, order=RPR_ORDER)
        flag.set(qn("w:val"), "1" if bold else "0")
    if spacing:
        _child(rpr, "w:spacing", order=RPR_ORDER).set(qn("w:val"), str(spacing))
    width = _child(rpr, "w:w", order=RPR_ORDER)
    width.set(qn("w:val"), str(scale))
    half_points = str(round(size_pt * 2))
    for tag in ("w:sz", "w:szCs"):
        _child(rpr, tag, order=RPR_ORDER).set(qn("w:val"), half_points)


def reset_doc_defaults(styles_element: OxmlElement, east_asian: str, latin: str, size_pt: float) -> None:
    """Replace docDefaults (Calibri, spacing after) so nothing leaks into our styles."""
    defaults = styles_element.find(qn("w:docDefaults"))
    if defaults is not None:
        styles_element.remove(defaults)
    defaults = OxmlElement("w:docDefaults")
    rpr_default = OxmlElement("w:rPrDefault")
    rpr = OxmlElement("w:rPr")
    set_fonts(rpr, east_asian, latin)
    for tag in ("w:sz", "w:szCs"):
        size = OxmlElement(tag)
        size.set(qn("w:val"), str(round(size_pt * 2)))
        rpr.append(size)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    lang.set(qn("w:bidi"), "ar-SA")
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


@dataclass(frozen=True)
class Indent:
    """A paragraph indent in characters (what Word follows) and the same distance in twips (LibreOffice).

    Word reads ``w:firstLineChars`` & co. and ignores the twips when both are
    present; LibreOffice (7.x) reads only the twips.  The writer computes the
    twips from the character width LibreOffice lays the grid out with.
    """

    first_chars: float = 0
    first_twips: int = 0
    left_chars: float = 0
    left_twips: int = 0
    right_chars: float = 0
    right_twips: int = 0
    hanging_chars: float = 0
    hanging_twips: int = 0

    def attributes(self) -> dict[str, str]:
        """The w:ind attributes.  A side given only in twips gets no *Chars attribute: Word would read
        ``w:leftChars="0"`` as “no indent” and ignore the twips."""
        attrs: dict[str, str] = {}
        for side, chars, twips in (("left", self.left_chars, self.left_twips),
                                   ("right", self.right_chars, self.right_twips),
                                   ("hanging", self.hanging_chars, self.hanging_twips)):
            if chars:
                attrs[f"w:{side}Chars"] = str(round(chars * 100))
            if chars or twips:
                attrs[f"w:{side}"] = str(twips)
        if not (self.hanging_chars or self.hanging_twips):
            attrs.update({"w:firstLineChars": str(round(self.first_chars * 100)),
                          "w:firstLine": str(self.first_twips)})
        return attrs

    def xml(self) -> str:
        return "<w:ind " + " ".join(f'{k}="{v}"' for k, v in self.attributes().items()) + "/>"


def set_indent(target: object, indent: Indent) -> None:
    """Replace the indent of a style or a paragraph."""
    element = target.element if hasattr(target, "element") else target._p  # type: ignore[attr-defined]
    ppr = element.get_or_add_pPr()
    _remove(ppr, "w:ind")
    ind = _child(ppr, "w:ind", order=PPR_ORDER)
    for key, value in indent.attributes().items():
        ind.set(qn(key), value)


def set_first_line_chars(style: object, chars: float, size_pt: float) -> None:
    """First-line indent in characters, with the same distance in twips at ``size_pt`` per character."""
    set_indent(style, Indent(first_chars=chars, first_twips=round(chars * size_pt * 20)))


def set_snap_to_grid(style: object, snap: bool) -> None:
    """Whether a style's paragraphs follow the document grid (a 22 pt title must not: it would take 2 cells a character)."""
    ppr = style.element.get_or_add_pPr()  # type: ignore[attr-defined]
    element = _child(ppr, "w:snapToGrid", order=PPR_ORDER)
    element.set(qn("w:val"), "1" if snap else "0")


def set_latin_gap(style: object, gap: bool) -> None:
    """Word's “adjust space between Asian and Latin text / numbers” (autoSpaceDE / autoSpaceDN)."""
    ppr = style.element.get_or_add_pPr()  # type: ignore[attr-defined]
    for tag in ("w:autoSpaceDE", "w:autoSpaceDN"):
        _child(ppr, tag, order=PPR_ORDER).set(qn("w:val"), "1" if gap else "0")


def set_east_asian_breaking(style: object) -> None:
    """Chinese line breaking on a style: kinsoku (no line starts with “，。）》” or ends with “（《”) and no
    punctuation hung into the right margin (w:overflowPunct off: LibreOffice drops a hung “。” after “》”)."""
    ppr = style.element.get_or_add_pPr()  # type: ignore[attr-defined]
    for tag, value in (("w:kinsoku", "1"), ("w:overflowPunct", "0")):
        _child(ppr, tag, order=PPR_ORDER).set(qn("w:val"), value)


def add_character_style(styles_element: OxmlElement, style_id: str, name: str, *, east_asian: str | None = None,
                        superscript: bool = False) -> None:
    """A character style: an East-Asian font (a label in 黑体) or superscript (a citation mark [1])."""
    style = OxmlElement("w:style")
    style.set(qn("w:type"), "character")
    style.set(qn("w:customStyle"), "1")
    style.set(qn("w:styleId"), style_id)
    for tag, value in (("w:name", name), ("w:basedOn", "DefaultParagraphFont"), ("w:uiPriority", "1")):
        child = OxmlElement(tag)
        child.set(qn("w:val"), value)
        style.append(child)
    style.append(OxmlElement("w:qFormat"))
    rpr = OxmlElement("w:rPr")
    if east_asian:
        fonts = OxmlElement("w:rFonts")
        fonts.set(qn("w:eastAsia"), east_asian)
        fonts.set(qn("w:hint"), "eastAsia")
        rpr.append(fonts)
    if superscript:
        align = OxmlElement("w:vertAlign")
        align.set(qn("w:val"), "superscript")
        rpr.append(align)
    style.append(rpr)
    styles_element.append(style)


def set_style_numbering(style: object, num_id: int, level: int) -> None:
    """Link a paragraph style to a list level: every paragraph of the style is numbered by Word."""
    ppr = style.element.get_or_add_pPr()  # type: ignore[attr-defined]
    _remove(ppr, "w:numPr")
    numpr = _child(ppr, "w:numPr", order=PPR_ORDER)
    ilvl = OxmlElement("w:ilvl")
    ilvl.set(qn("w:val"), str(level))
    num = OxmlElement("w:numId")
    num.set(qn("w:val"), str(num_id))
    numpr.append(ilvl)
    numpr.append(num)


# --------------------------------------------------------------------------- sections and settings


def set_doc_grid(sect_pr: OxmlElement, line_pitch_twips: int, char_space: int | None = None) -> None:
    """The page grid: w:docGrid type linesAndChars (lines only when ``char_space`` is None).

    ``w:linePitch`` is in twentieths of a point; ``w:charSpace`` is the character
    pitch minus the Normal style's font size, in 1/4096 pt.
    """
    grid = _child(sect_pr, "w:docGrid")
    for attr in ("w:type", "w:linePitch", "w:charSpace"):
        if grid.get(qn(attr)) is not None:
            del grid.attrib[qn(attr)]
    grid.set(qn("w:type"), "linesAndChars" if char_space is not None else "lines")
    grid.set(qn("w:linePitch"), str(line_pitch_twips))
    if char_space is not None:
        grid.set(qn("w:charSpace"), str(char_space))


def remove_doc_grid(sect_pr: OxmlElement) -> None:
    _remove(sect_pr, "w:docGrid")


def set_east_asian_theme_language(settings_element: OxmlElement, lang: str = "zh-CN") -> None:
    """python-docx's template says ja-JP; Word picks default East-Asian fonts and line breaking from it."""
    theme = settings_element.find(qn("w:themeFontLang"))
    if theme is not None:
        theme.set(qn("w:eastAsia"), lang)


def add_page_field(paragraph: object, before: str = "— ", after: str = " —") -> None:
    """``before`` text, a PAGE field, ``after`` text: Word fills in the number on every page."""

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
    runs = [run(fld("begin")), run(instr), run(fld("separate")), run(text("1")), run(fld("end"))]
    if before:
        runs.insert(0, run(text(before)))
    if after:
        runs.append(run(text(after)))
    for element in runs:
        p.append(element)


def set_paragraph_indent_chars(paragraph: object, *, left: float = 0, right: float = 0, char_pt: float = 0) -> None:
    """Left/right indent of a paragraph in characters (and twips at ``char_pt`` a character, for LibreOffice)."""
    set_indent(paragraph, Indent(left_chars=left, left_twips=round(left * char_pt * 20),
                                 right_chars=right, right_twips=round(right * char_pt * 20)))


# --------------------------------------------------------------------------- numbering.xml


@dataclass(frozen=True)
class ListLevel:
    """One level of a multilevel list: Word's number format, its text (“（%2）”) and the style it numbers."""

    num_fmt: str  # chineseCounting, decimal, decimalEnclosedCircleChinese
    text: str  # "%1、", "（%2）", "%3."
    style_id: str
    indent: Indent
    bold: bool | None = None


def add_multilevel_list(numbering_element: OxmlElement, levels: Sequence[ListLevel]) -> int:
    """Append an abstractNum with ``levels`` and a num instance for it; return the numId.

    Each level restarts after any shallower level (Word's default) and is
    followed by nothing (``w:suff nothing``), so that “一、” sits directly
    before the heading text as GB/T 9704 writes it.
    """
    abstract_ids = [int(a.get(qn("w:abstractNumId"))) for a in numbering_element.findall(qn("w:abstractNum"))]
    num_ids = [int(n.get(qn("w:numId"))) for n in numbering_element.findall(qn("w:num"))]
    abstract_id = max(abstract_ids, default=-1) + 1
    num_id = max(num_ids, default=0) + 1
    abstract = OxmlElement("w:abstractNum")
    abstract.set(qn("w:abstractNumId"), str(abstract_id))
    nsid = OxmlElement("w:nsid")
    nsid.set(qn("w:val"), f"{0x5C4B0000 + abstract_id:08X}")
    abstract.append(nsid)
    multi = OxmlElement("w:multiLevelType")
    multi.set(qn("w:val"), "multilevel")
    abstract.append(multi)
    for index, level in enumerate(levels):
        lvl = OxmlElement("w:lvl")
        lvl.set(qn("w:ilvl"), str(index))
        for tag, value in (("w:start", "1"), ("w:numFmt", level.num_fmt), ("w:pStyle", level.style_id),
                           ("w:suff", "nothing"), ("w:lvlText", level.text), ("w:lvlJc", "left")):
            child = OxmlElement(tag)
            child.set(qn("w:val"), value)
            lvl.append(child)
        ppr = OxmlElement("w:pPr")
        ind = OxmlElement("w:ind")
        for key, value in level.indent.attributes().items():
            ind.set(qn(key), value)
        ppr.append(ind)
        lvl.append(ppr)
        if level.bold is not None:
            rpr = OxmlElement("w:rPr")
            for tag in ("w:b", "w:bCs"):
                flag = OxmlElement(tag)
                flag.set(qn("w:val"), "1" if level.bold else "0")
                rpr.append(flag)
            lvl.append(rpr)
        abstract.append(lvl)
    # abstractNum elements come before every num element (CT_Numbering).
    first_num = numbering_element.find(qn("w:num"))
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering_element.append(abstract)
    num = OxmlElement("w:num")
    num.set(qn("w:numId"), str(num_id))
    ref = OxmlElement("w:abstractNumId")
    ref.set(qn("w:val"), str(abstract_id))
    num.append(ref)
    numbering_element.append(num)
    return num_id


# --------------------------------------------------------------------------- fast body generation

_XML_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"})


# Characters XML 1.0 cannot hold.  Loading already removes them (with a notice); this is the last
# line of defence for documents built in Python, which would otherwise give a file Word refuses.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(text: str) -> str:
    """Text as XML character data: invalid characters dropped, & < > " escaped (as ``_XML_ESCAPES``).

    ``str.replace`` per character present, not ``str.translate``: translating with a table looks up
    every character of a Chinese text in Python's dict, several times slower for the same result.
    """
    if _XML_INVALID.search(text):
        text = _XML_INVALID.sub("", text)
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    if '"' in text:
        text = text.replace('"', "&quot;")
    return text


# A run without properties of its own, up to its text, and its end: ``run_xml(text)`` is the three together.
PLAIN_RUN_OPEN = '<w:r><w:rPr><w:rFonts w:hint="eastAsia"/></w:rPr><w:t xml:space="preserve">'
RUN_CLOSE = "</w:t></w:r>"


def run_xml(text: str, *, bold: bool | None = None, char_style: str = "") -> str:
    """One run; hint=eastAsia keeps quotes and dashes in the Chinese font.  ``bold`` None inherits the style."""
    if not text:
        return ""
    if bold is None and not char_style:
        return f"{PLAIN_RUN_OPEN}{xml_text(text)}{RUN_CLOSE}"
    props = (f'<w:rStyle w:val="{char_style}"/>' if char_style else "") + '<w:rFonts w:hint="eastAsia"/>'
    if bold is not None:
        props += "<w:b/><w:bCs/>" if bold else '<w:b w:val="0"/><w:bCs w:val="0"/>'
    return f'<w:r><w:rPr>{props}</w:rPr><w:t xml:space="preserve">{xml_text(text)}</w:t></w:r>'


def numpr_xml(num_id: int, level: int) -> str:
    return f'<w:numPr><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>'


def paragraph_xml(style_id: str, runs: str, *, extra_ppr: str = "", numpr: str = "", ind: str = "",
                  jc: str = "", mark_rpr: str = "", keep_next: bool = False, outline: int | None = None) -> str:
    """A paragraph of a style; the optional pPr children are placed in schema order.

    ``extra_ppr`` is placed after ``w:numPr`` as given (callers keep it in
    order); ``keep_next`` (与下段同页), ``numpr``, ``ind``, ``jc``, ``outline``
    (the outline level, 0-based) and ``mark_rpr`` (the paragraph mark's run
    properties, which also format a list number) go where the schema wants.
    """
    keep = "<w:keepNext/>" if keep_next else ""
    level = f'<w:outlineLvl w:val="{outline}"/>' if outline is not None else ""
    return (f'<w:p><w:pPr><w:pStyle w:val="{style_id}"/>{keep}{numpr}{extra_ppr}{ind}{jc}{level}{mark_rpr}</w:pPr>'
            f"{runs}</w:p>")


def field_xml(instruction: str, cached: str) -> str:
    """A complex field (``w:fldChar`` begin/separate/end) showing ``cached`` until the reader updates it."""
    rpr = '<w:rPr><w:rFonts w:hint="eastAsia"/></w:rPr>'
    return (f'<w:r>{rpr}<w:fldChar w:fldCharType="begin"/></w:r>'
            f'<w:r>{rpr}<w:instrText xml:space="preserve"> {xml_text(instruction)} </w:instrText></w:r>'
            f'<w:r>{rpr}<w:fldChar w:fldCharType="separate"/></w:r>'
            f'<w:r>{rpr}<w:t>{xml_text(cached)}</w:t></w:r>'
            f'<w:r>{rpr}<w:fldChar w:fldCharType="end"/></w:r>')


CAPTION = "Caption"  # Word's built-in caption style (题注): Word's caption and cross-reference tools find it


def caption_paragraph(label: str, number: int, text: str, style_id: str = CAPTION, *, extra_ppr: str = "",
                      run: Callable[[str], str] | None = None) -> str:
    """A numbered caption — 图1　食堂新貌, 表2　职工年龄结构 — whose number is a ``SEQ label`` field.

    Word renumbers SEQ fields when figures move and lists them in a table of
    figures; the cached number is the one the numbering pass computed, so every
    reader shows the right number before any update.  The label and the text are
    separated by one character's space (GB/T 7713.1).  A caption the records
    already numbered (“表3　……”) is kept as written.  The one caption builder
    of figures (图, images and charts) and tables (表, whose writer passes its
    ``run`` that binds numbers to their units).
    """
    write = run or run_xml
    text = text.strip()
    if re.match(rf"^{re.escape(label)}\s*\d+", text):
        return paragraph_xml(style_id, write(text), extra_ppr=extra_ppr)
    runs = write(label) + field_xml(f"SEQ {label} \\* ARABIC", str(number))
    if text:
        runs += write("\u3000" + text)
    return paragraph_xml(style_id, runs, extra_ppr=extra_ppr)
