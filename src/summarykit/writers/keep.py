"""Which blocks a page may not end with: headings and the numbered items that read like headings.

A clerk looking over a printed summary moves a heading that ends a page to the
next one, and does the same for a short numbered item followed by its
explanation (“3.强化工作措施” / “4、规范公共财产……的管理。” then a paragraph):
it is a heading in all but name.  Such items get Word's “与下段同页” (keep with
next) and an outline level, so that they also appear in the navigation pane;
a long item that is itself the explanation stays a plain paragraph.

Pure functions of the document tree, so the rule can be tested without a DOCX.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..tree.document import Block, Chart, Image, ListItem, Paragraph, Table
from .title import text_width

# An item of at most this many characters (two lines of a 28-character line, less the indent) can be a heading.
HEADING_LIKE_MAX_CHARS = 54


def heading_like(blocks: Sequence[Block], index: int) -> bool:
    """A numbered item short enough to be a heading and followed by its explanation (a body paragraph or table)."""
    block = blocks[index]
    if not isinstance(block, ListItem):
        return False
    following = blocks[index + 1] if index + 1 < len(blocks) else None
    explained = (isinstance(following, Paragraph) and following.kind == "body") or isinstance(following, Table)
    return explained and text_width(block.label + block.text) <= HEADING_LIKE_MAX_CHARS


# LibreOffice moves a whole paragraph that keeps with the next one to the next page, then splits it
# there: a long last paragraph that keeps with the signature can push the signature onto a page of its
# own.  Up to this many lines the paragraph moves with the signature; a longer one is only protected by
# widow control (its last two lines at least go with the signature when it splits).
CLOSING_KEEP_MAX_LINES = 6


def keeps_with_closing(block: Block, chars_per_line: float) -> bool:
    """Whether the body's last block should stay on the page of the signature (or attachment note)."""
    if isinstance(block, Table | Image | Chart):
        return False  # a table keeps its rows together already, a picture or chart is one tall line; captions keep with them
    text = block.text + (getattr(block, "body", "") or "")
    lines = (text_width(getattr(block, "label", "") + text) + 2) / max(chars_per_line, 1)
    return lines <= CLOSING_KEEP_MAX_LINES
