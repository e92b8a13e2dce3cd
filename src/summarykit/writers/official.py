"""The 公文 parts of a summary submitted as a report (GB/T 9704-2012 §7.2, §7.3, §7.4).

版头 (before the title): 份号, 密级和保密期限 and 紧急程度 on the first lines of the
text block, flush left; the red 发文机关标志 centred with its top edge 35 mm below
the text block's top edge; the 发文字号 two lines below it — centred, or, with
签发人 (a report to a superior office), one character in from the left with
“签发人：” and the name one character in from the right on the same line (several
签发人 two to a line, wrapped names under the first one, the 发文字号 on the last line); the
red separator line as wide as the text block 4 mm below the 发文字号.  Two lines
below the line comes the title, then 主送机关 (after the title's blank line,
flush left, ending with a full-width colon).

After the signature: the 附注, indented two characters in parentheses, on the
line below the date; then the 版记 — 抄送 and 印发机关/印发日期 between separator
lines as wide as the text block (0.35 mm outside, 0.25 mm between), 4号 仿宋,
one character in on both sides — as a table anchored to the foot of the page
where the text ends, so that it is “the last element on the last line”; when that page
is odd, the 版记 gets the next even page to itself (``record_section``; writers/pagination.py decides).

Measurements come from the style (``style.official``), so an office may adjust
the 标志's size and red to its own 版头.
"""

from __future__ import annotations

import math

from ..style import MM_PER_PT, Style
from ..tree.document import Official
from .ooxml import paragraph_xml, run_xml, xml_text
from .title import text_width

PLAIN = "BodyPlain"
BODY = "Normal"


def _twips(points: float) -> int:
    return round(points * 20)


def _font_run(text: str, east_asian: str | None = None, *, size_pt: float | None = None, color: str = "",
              scale: int = 100, bold: bool | None = None) -> str:
    """A run with its own East-Asian font, size, colour or glyph width (the 版头 differs from the body)."""
    if not text:
        return ""
    props = f'<w:rFonts w:eastAsia="{xml_text(east_asian)}" w:hint="eastAsia"/>' if east_asian \
        else '<w:rFonts w:hint="eastAsia"/>'
    if bold is not None:
        props += "<w:b/><w:bCs/>" if bold else '<w:b w:val="0"/><w:bCs w:val="0"/>'
    if color:
        props += f'<w:color w:val="{color}"/>'
    if scale != 100:
        props += f'<w:w w:val="{scale}"/>'
    if size_pt:
        half = round(size_pt * 2)
        props += f'<w:sz w:val="{half}"/><w:szCs w:val="{half}"/>'
    return f'<w:r><w:rPr>{props}</w:rPr><w:t xml:space="preserve">{xml_text(text)}</w:t></w:r>'


def issuer_scale(issuer: str, size_pt: float, width_pt: float) -> int:
    """Glyph width (percent) so that a long 发文机关标志 stays within the text block, as offices narrow it."""
    needed = text_width(issuer) * size_pt
    if needed <= width_pt:
        return 100
    return max(50, math.floor(width_pt / needed * 100))


def head_xml(parts: Official, style: Style) -> list[str]:
    """份号, 密级, 紧急程度, 发文机关标志, 发文字号 (with 签发人) and the red line, then two blank lines."""
    options, fonts, sizes = style.official, style.fonts, style.sizes
    line = style.line_pt
    out: list[str] = []
    top_lines = 0
    for text, font in ((parts.copy_number, None), (parts.secrecy, fonts.heading1), (parts.urgency, fonts.heading1)):
        if text:
            out.append(paragraph_xml(PLAIN, _font_run(text, font)))
            top_lines += 1
    if not (parts.issuer or parts.number or parts.signers):
        return out
    if parts.issuer:
        size = options.issuer_size
        before = max(options.issuer_top_mm / MM_PER_PT - top_lines * line, 0)
        scale = issuer_scale(parts.issuer, size, style.text_width_pt)
        # Exact line height = the font size, off the grid: the glyphs' top is the line's top, 35 mm down.
        ppr = (f'<w:snapToGrid w:val="0"/><w:spacing w:before="{_twips(before)}" w:after="0" '
               f'w:line="{_twips(size)}" w:lineRule="exact"/><w:ind w:firstLine="0" w:firstLineChars="0"/>'
               '<w:jc w:val="center"/>')
        out.append(paragraph_xml(PLAIN, _font_run(parts.issuer, options.issuer_font or fonts.title, size_pt=size,
                                                  color=options.red, scale=scale), extra_ppr=ppr))
        out.extend(paragraph_xml(PLAIN, "") for _ in range(2))  # 发文字号 two lines below the 标志
    rule = (f'<w:pBdr><w:bottom w:val="single" w:sz="{max(2, round(options.rule_pt * 8))}" '
            f'w:space="{min(31, round(options.rule_below_number_mm / MM_PER_PT))}" w:color="{options.red}"/></w:pBdr>')
    if len(parts.signers) > 1:
        out.extend(signer_lines_xml(parts, style, rule))
    elif parts.signers:
        # 发文字号 one character in from the left; 签发人 and the name ending one character in from the right.
        char = sizes.body
        tab = _twips(style.text_width_pt - char)
        runs = (run_xml("\u3000" + parts.number) + "<w:r><w:tab/></w:r>" + run_xml("签发人：")
                + _font_run(parts.signers[0], fonts.heading2))
        ppr = f'{rule}<w:tabs><w:tab w:val="right" w:pos="{tab}"/></w:tabs>'
        out.append(paragraph_xml(PLAIN, runs, extra_ppr=ppr))
    else:
        out.append(paragraph_xml(PLAIN, run_xml(parts.number), extra_ppr=rule + '<w:jc w:val="center"/>'))
    out.extend(paragraph_xml(PLAIN, "") for _ in range(2))  # the title two lines below the red line
    return out


SIGNERS_PER_LINE = 2  # GB/T 9704 §7.2.4: “一般每行排两个姓名”


def signer_columns(signers: list[str], width_chars: float) -> tuple[float, float, float]:
    """Where “签发人：” and the two columns of names start (in characters from the left of the text block).

    The block ends one character in from the right; both columns are as wide as
    the longest name, one character apart, so that wrapped lines align with the
    first name of the line above (§7.2.4).
    """
    column = max(text_width(name) for name in signers)
    second = width_chars - 1 - column
    first = second - 1 - column
    return first - text_width("签发人："), first, second


def signer_lines_xml(parts: Official, style: Style, rule: str) -> list[str]:
    """Several 签发人 two per line (§7.2.4); the 发文字号 one character in on the last line (§7.2.3), over the red line.

    Left tab stops at the two name columns put every name where the standard
    wants it whatever its length; the label “签发人：” is on the first line only.
    """
    fonts, char = style.fonts, style.sizes.body
    label, first, second = signer_columns(parts.signers, style.text_width_pt / char)
    tab = "<w:r><w:tab/></w:r>"
    lines = [parts.signers[i:i + SIGNERS_PER_LINE] for i in range(0, len(parts.signers), SIGNERS_PER_LINE)]
    out: list[str] = []
    for index, names in enumerate(lines):
        last = index == len(lines) - 1
        # The first line: “签发人：” at its stop, the first name right after it; later lines: each name at its column.
        stops = (label, second) if index == 0 else (first, second)
        runs = run_xml("\u3000" + parts.number) if last and parts.number else ""
        runs += tab + (run_xml("签发人：") if index == 0 else "")
        runs += tab.join(_font_run(name, fonts.heading2) for name in names)
        tabs = "".join(f'<w:tab w:val="left" w:pos="{_twips(pos * char)}"/>' for pos in stops)
        out.append(paragraph_xml(PLAIN, runs, extra_ppr=(rule if last else "") + f"<w:tabs>{tabs}</w:tabs>"))
    return out


def recipients_xml(parts: Official) -> list[str]:
    """主送机关: flush left under the title's blank line, ending with a full-width colon."""
    if not parts.recipients:
        return []
    text = parts.recipients.rstrip("：:，。 ") + "："
    return [paragraph_xml(PLAIN, run_xml(text))]


def note_xml(parts: Official) -> list[str]:
    """附注: on the line below the date, two characters in, in parentheses."""
    if not parts.note:
        return []
    note = parts.note.strip()
    if not (note.startswith(("（", "(")) and note.endswith(("）", ")"))):
        note = f"（{note}）"
    return [paragraph_xml(BODY, run_xml(note))]


def _record_table(parts: Official, style: Style) -> tuple[str, float]:
    """The 版记 as a one-column table (its borders run the text block's width) and its height in points."""
    options = style.official
    size = options.record_size
    width = _twips(style.text_width_pt)
    char = _twips(size)  # one character in on both sides: the cells' margins
    outer = '<w:{side} w:val="single" w:sz="8" w:space="0" w:color="000000"/>'  # 0.35 mm ≈ 1 pt
    inner = '<w:{side} w:val="single" w:sz="6" w:space="0" w:color="000000"/>'  # 0.25 mm ≈ 0.75 pt
    rpr_size = f'<w:sz w:val="{round(size * 2)}"/><w:szCs w:val="{round(size * 2)}"/>'
    line_pt = max(style.line_pt * size / style.sizes.body, size * 1.25)
    spacing = (f'<w:snapToGrid w:val="0"/><w:spacing w:before="0" w:after="0" w:line="{_twips(line_pt)}" '
               'w:lineRule="exact"/>')
    chars_per_line = (style.text_width_pt - 2 * size) / size

    def run(text: str) -> str:
        if not text:
            return ""
        return (f'<w:r><w:rPr><w:rFonts w:hint="eastAsia"/>{rpr_size}</w:rPr>'
                f'<w:t xml:space="preserve">{xml_text(text)}</w:t></w:r>')

    rows: list[tuple[str, str]] = []
    height = 0.0
    if parts.copy_to:
        names = "、".join(n.rstrip("。，、；") for n in parts.copy_to) + "。"
        # Wrapped lines align with the first name, after “抄送：”.
        ind = f'<w:ind w:left="{char * 3}" w:right="0" w:hanging="{char * 3}"/>'
        rows.append((spacing + ind, run("抄送：") + run(names)))
        height += line_pt * max(1, math.ceil((3 + text_width(names)) / chars_per_line))
    if parts.printer or parts.printed:
        printed = parts.printed + ("印发" if parts.printed and not parts.printed.endswith("印发") else "")
        tabs = f'<w:tabs><w:tab w:val="right" w:pos="{width - 2 * char}"/></w:tabs>'
        ind = '<w:ind w:left="0" w:right="0" w:firstLine="0" w:firstLineChars="0"/>'
        rows.append((tabs + spacing + ind, run(parts.printer) + "<w:r><w:tab/></w:r>" + run(printed)))
        height += line_pt
    trs = []
    for index, (row_ppr, runs) in enumerate(rows):
        top = outer if index == 0 else inner
        bottom = outer if index == len(rows) - 1 else inner
        borders = top.format(side="top") + bottom.format(side="bottom")
        trs.append(f'<w:tr><w:trPr><w:cantSplit/></w:trPr><w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>'
                   f"<w:tcBorders>{borders}</w:tcBorders></w:tcPr>"
                   f'<w:p><w:pPr><w:pStyle w:val="{PLAIN}"/>{row_ppr}</w:pPr>{runs}</w:p></w:tc></w:tr>')
    table = (
        f'<w:tbl><w:tblPr><w:tblW w:w="{width}" w:type="dxa"/><w:jc w:val="center"/>'
        '<w:tblBorders><w:top w:val="nil"/><w:left w:val="nil"/><w:bottom w:val="nil"/><w:right w:val="nil"/>'
        '<w:insideH w:val="nil"/><w:insideV w:val="nil"/></w:tblBorders><w:tblLayout w:type="fixed"/>'
        f'<w:tblCellMar><w:left w:w="{char}" w:type="dxa"/><w:right w:w="{char}" w:type="dxa"/>'
        '</w:tblCellMar></w:tblPr>'
        f'<w:tblGrid><w:gridCol w:w="{width}"/></w:tblGrid>{"".join(trs)}</w:tbl>'
    )
    return table, height + 2  # the borders


def record_xml(parts: Official, style: Style, drawing_id: int = 9000) -> list[str]:
    """版记: a text box anchored to the foot of the text block on the page where the text ends (§7.4).

    A DrawingML text box (``wp:anchor`` aligned to the bottom of the margin
    box, text wrapped above and below it) holding the 版记 table: Word, WPS
    and LibreOffice all place it there; a frame (``w:framePr``) or a floating
    table is laid inline by LibreOffice.
    """
    if not parts.has_record:
        return []
    table, height_pt = _record_table(parts, style)
    emu = 12700  # per point
    cx, cy = round(style.text_width_pt * emu), round(height_pt * emu)
    a = "http://schemas.openxmlformats.org/drawingml/2006/main"
    wps = "http://schemas.microsoft.com/office/word/2010/wordprocessingShape"
    box = (
        '<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>'
        '<wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0" relativeHeight="251659264" '
        'behindDoc="0" locked="0" layoutInCell="1" allowOverlap="0"><wp:simplePos x="0" y="0"/>'
        '<wp:positionH relativeFrom="margin"><wp:align>center</wp:align></wp:positionH>'
        '<wp:positionV relativeFrom="margin"><wp:align>bottom</wp:align></wp:positionV>'
        f'<wp:extent cx="{cx}" cy="{cy}"/><wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapTopAndBottom/>'
        f'<wp:docPr id="{drawing_id}" name="版记"/><wp:cNvGraphicFramePr/>'
        f'<a:graphic xmlns:a="{a}"><a:graphicData uri="{wps}"><wps:wsp><wps:cNvSpPr txBox="1"/>'
        f'<wps:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm>'
        '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:noFill/><a:ln><a:noFill/></a:ln></wps:spPr>'
        f'<wps:txbx><w:txbxContent>{table}<w:p><w:pPr><w:pStyle w:val="{PLAIN}"/>'
        '<w:spacing w:line="20" w:lineRule="exact"/></w:pPr></w:p></w:txbxContent></wps:txbx>'
        '<wps:bodyPr rot="0" vert="horz" wrap="square" lIns="0" tIns="0" rIns="0" bIns="0" anchor="b" '
        'anchorCtr="0"><a:noAutofit/></wps:bodyPr></wps:wsp></a:graphicData></a:graphic></wp:anchor>'
        "</w:drawing></mc:Choice></mc:AlternateContent></w:r>"
    )
    return [paragraph_xml(PLAIN, box, extra_ppr='<w:spacing w:line="20" w:lineRule="exact"/>')]


def record_section(sectpr: str) -> str:
    """The 版记's own section: it starts on the next even page and its page has no number (§7.5).

    ``w:type evenPage`` (the OOXML “分节符（偶数页）”) starts it on an even page,
    adding a blank page when the text ends on an even page already; ``w:titlePg``
    with no first-page footer leaves the 版记's page without the page number.
    Checked in LibreOffice's PDFs (tests/test_record_page.py), where the added
    blank page has no number either.
    """
    sectpr = sectpr.replace("<w:pgSz", '<w:type w:val="evenPage"/><w:pgSz', 1)
    return sectpr.replace("<w:docGrid", "<w:titlePg/><w:docGrid", 1) if "<w:docGrid" in sectpr \
        else sectpr.replace("</w:sectPr>", "<w:titlePg/></w:sectPr>", 1)


def end_text_section(parts: list[str], sectpr: str) -> list[str]:
    """``parts`` with the text's section closed in its last paragraph (a section ends with a paragraph's
    ``w:sectPr``), so that no empty paragraph can spill onto a page of its own; after a table, a
    hairline paragraph carries it."""
    last = parts[-1] if parts else ""
    end = last.rfind("</w:pPr>")
    if last.endswith("</w:p>") and end > max(last.rfind("<w:p>"), last.rfind("<w:p "), last.rfind("</w:tbl>")):
        return [*parts[:-1], last[:end] + sectpr + last[end:]]
    return [*parts, paragraph_xml(PLAIN, "", extra_ppr=f'<w:spacing w:line="20" w:lineRule="exact"/>{sectpr}')]
