"""Statistics tables as a clerk lays them out in Word.

* The caption is numbered “表1　…” by a ``SEQ 表`` field in the 表题 style (based
  on Word's 题注/Caption), so Word's “插入表目录” lists the tables and renumbers
  them when one is inserted.
* A unit every value of a column shares (“35人”, “12.5万元”, “13.8%”) is said
  once, in the header (“人数（人）”), not in every cell.
* Column widths follow the content: a column gets what its values need; a long
  header may wrap to two lines rather than widen its column.
* Rows are 1.5 lines of 小四 with a little air above and below the text, never
  split across pages; the header row repeats on every page; a blank line of
  table-note size follows the table.

Pure functions from the tree's Table to XML text; the writer passes in how a
run is written (it binds numbers to their units, see linebreak).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import replace

from ..style import Style
from ..tree.document import Table
from .linebreak import UNIT_PATTERN
from .ooxml import caption_paragraph, paragraph_xml
from .title import text_width

TABLE_TEXT = "TableText"
TABLE_CAPTION = "TableCaption"
TABLE_NOTE = "TableNote"
CAPTION_LABEL = "表"
CELL_MARGIN_TWIPS = 85  # 1.5 mm left and right
CELL_AIR_TWIPS = 40  # 2 pt above and below the text

# Compiled on first use (re caches it): its thirty-odd units cost half a millisecond at every start.
_VALUE = rf"^([+-]?\d+(?:\.\d+)?)((?:万|亿)?(?:{UNIT_PATTERN})|[%‰％]|万|亿)$"


def row_line_pt(size_pt: float) -> float:
    """Exact line spacing of table text: one and a half lines, to the half point."""
    return math.ceil(size_pt * 1.5 * 2) / 2


def units_to_header(table: Table) -> Table:
    """Move a unit that every value of a column carries into the column's header, in （）."""
    if len(table.rows) < 2:
        return table
    columns = list(table.columns)
    rows = [list(r) for r in table.rows]
    for index, header in enumerate(columns):
        if index == 0 or re.search(r"[（(][^）)]*[）)]\s*$", header):
            continue
        matches = [re.match(_VALUE, r[index].strip()) for r in rows if r[index].strip()]
        if len(matches) < 2 or not all(matches):
            continue
        units = {m.group(2) for m in matches if m}
        if len(units) != 1:
            continue
        unit = units.pop()
        columns[index] = f"{header}（{'%' if unit == '％' else unit}）"
        for r in rows:
            match = re.match(_VALUE, r[index].strip())
            if match:
                r[index] = match.group(1)
    return replace(table, columns=tuple(columns), rows=tuple(tuple(r) for r in rows))


def column_widths(table: Table, total: int, size_pt: float) -> list[int]:
    """Share ``total`` twips among the columns by what their values need.

    Each column first gets what its longest value needs and at least half its
    header (which may then wrap to two lines) or its longest unbreakable word;
    when that fits, the rest of the width goes to columns whose header wanted
    more, then evenly; when it does not, columns shrink towards their longest
    word in proportion.
    """
    padding = 2 * CELL_MARGIN_TWIPS

    def twips(chars: float) -> float:
        return chars * size_pt * 20 + padding

    count = len(table.columns)
    need, least, full = [], [], []
    for index in range(count):
        header = table.columns[index]
        body = [row[index] for row in table.rows] or [""]
        body_width = max(max(text_width(c) for c in body), 1.0)
        words = [w for c in (header, *body) for w in re.findall(r"[\x21-\x7e]+", c)]
        unbreakable = max([text_width(w) for w in words] + [2.0])
        header_half = math.ceil(text_width(header) / 2)
        need.append(twips(max(body_width, header_half, unbreakable)))
        full.append(twips(max(body_width, text_width(header))))
        least.append(min(twips(unbreakable), need[-1]))
    if sum(need) <= total:
        widths = list(need)
        spare = total - sum(widths)
        wanted = [f - n for f, n in zip(full, need, strict=True)]
        if sum(wanted) > 0:
            share = min(1.0, spare / sum(wanted))
            widths = [w + x * share for w, x in zip(widths, wanted, strict=True)]
        spare = total - sum(widths)
        widths = [w + spare / count for w in widths]
    elif sum(least) >= total:
        widths = [w * total / sum(least) for w in least]
    else:
        spare = (total - sum(least)) / (sum(need) - sum(least))
        widths = [lo + (hi - lo) * spare for lo, hi in zip(least, need, strict=True)]
    result = [int(w) for w in widths]
    result[-1] += total - sum(result)
    return result


def _borders(style: Style) -> str:
    sides = ("top", "left", "bottom", "right", "insideH", "insideV")
    if style.tables.border_pt > 0:
        eighths = max(2, round(style.tables.border_pt * 8))
        return "".join(f'<w:{side} w:val="single" w:sz="{eighths}" w:space="0" w:color="000000"/>' for side in sides)
    return "".join(f'<w:{side} w:val="nil"/>' for side in sides)


def table_xml(table: Table, style: Style, number: int, run: Callable[..., str]) -> str:
    """Caption, table and what follows it, as body XML.  ``run(text, bold=None)`` writes one run."""
    table = units_to_header(table)
    total = round(style.text_width_pt * 20)
    size = style.sizes.table
    widths = column_widths(table, total, size)
    options = style.tables
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    # A column whose text wraps reads better justified than centred.
    wraps = [any(text_width(row[i]) * size * 20 + 2 * CELL_MARGIN_TWIPS > widths[i] for row in table.rows)
             for i in range(len(widths))]

    def row(cells: Sequence[str], header: bool) -> str:
        props = "<w:cantSplit/>" + ("<w:tblHeader/>" if header and options.repeat_header else "")
        tcs = "".join(
            f'<w:tc><w:tcPr><w:tcW w:w="{w}" w:type="dxa"/><w:vAlign w:val="center"/></w:tcPr>'
            + paragraph_xml(TABLE_TEXT, run(c, bold=True if header and options.header_bold else None),
                            jc='<w:jc w:val="both"/>' if wrap and not header else "")
            + "</w:tc>"
            for c, w, wrap in zip(cells, widths, wraps, strict=True)
        )
        return f"<w:tr><w:trPr>{props}</w:trPr>{tcs}</w:tr>"

    parts = []
    if table.caption:
        parts.append(caption_paragraph(CAPTION_LABEL, number, table.caption, TABLE_CAPTION, run=run))
    parts.append(
        f'<w:tbl><w:tblPr><w:tblW w:w="{total}" w:type="dxa"/><w:jc w:val="center"/>'
        f"<w:tblBorders>{_borders(style)}</w:tblBorders>"
        '<w:tblLayout w:type="fixed"/>'
        f'<w:tblCellMar><w:top w:w="{CELL_AIR_TWIPS}" w:type="dxa"/>'
        f'<w:left w:w="{CELL_MARGIN_TWIPS}" w:type="dxa"/>'
        f'<w:bottom w:w="{CELL_AIR_TWIPS}" w:type="dxa"/>'
        f'<w:right w:w="{CELL_MARGIN_TWIPS}" w:type="dxa"/></w:tblCellMar>'
        '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" w:lastColumn="0" '
        f'w:noHBand="0" w:noVBand="1"/></w:tblPr><w:tblGrid>{grid}</w:tblGrid>'
        + row(table.columns, True)
        + "".join(row(r, False) for r in table.rows)
        + "</w:tbl>"
    )
    if table.note:
        parts.append(paragraph_xml(TABLE_NOTE, run(table.note)))
    parts.append(paragraph_xml(TABLE_NOTE, ""))  # the space after the table, a line of table text
    return "".join(parts)
