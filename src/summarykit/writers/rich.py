"""The blocks issue 20 added to the tree — pictures, charts, page breaks — for the DOCX writer.

Kept out of docx.py so that the writer's typesetting of text blocks and the
rich blocks change independently; docx.py asks ``is_rich(block)`` and hands
such blocks here.

A page break is not a paragraph of its own (an empty paragraph at the top of
the next page would shift the 22-line grid by a line): the next block's first
paragraph gets ``w:pageBreakBefore``.  Only when the next block starts with a
table without caption is a break paragraph written.
"""

from __future__ import annotations

import re

from ..style import Style
from ..tree.document import Block, Chart, Image, PageBreak
from .media import Media

_FIRST_PPR = re.compile(r"^(<w:p><w:pPr><w:pStyle w:val=\"[^\"]*\"/>(?:<w:keepNext/>)?(?:<w:keepLines/>)?)")
BREAK_PARAGRAPH = ('<w:p><w:pPr><w:pStyle w:val="BodyPlain"/><w:spacing w:line="20" w:lineRule="exact"/></w:pPr>'
                   '<w:r><w:br w:type="page"/></w:r></w:p>')


def is_rich(block: Block) -> bool:
    return isinstance(block, Image | Chart | PageBreak)


def rich_block_xml(block: Block, style: Style, media: Media) -> str:
    """A picture or chart with its caption; a page break is handled by ``break_before``."""
    if isinstance(block, Image):
        from .images import image_xml

        return image_xml(block, style, media)
    if isinstance(block, Chart):
        from .charts import chart_xml

        return chart_xml(block, style, media)
    return ""


def break_before(xml: str) -> str:
    """``xml`` (a block) starting on a new page: pageBreakBefore on its first paragraph, in schema order."""
    match = _FIRST_PPR.match(xml)
    if match:
        return match.group(1) + "<w:pageBreakBefore/>" + xml[match.end():]
    return BREAK_PARAGRAPH + xml
