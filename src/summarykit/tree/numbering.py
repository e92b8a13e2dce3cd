"""Chinese numerals, numbering schemes and the numbering pass.

Labels (一、（一）1.（1）①) are computed from heading levels by one pass over
the document tree, never typed in templates or records: sections can then be
added, dropped or reordered and every number stays right, and every writer
prints the same labels.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Mapping, Sequence

from ..zh.numerals import circled, cn_number
from .document import Block, Chart, Document, Heading, Image, ListItem

# A label format: {cn} Chinese numeral, {n} Arabic, {circled} ①.
DEFAULT_SCHEME: tuple[str, ...] = ("{cn}、", "（{cn}）", "{n}.", "（{n}）", "{circled}")
SCHEMES: Mapping[str, tuple[str, ...]] = {
    "default": DEFAULT_SCHEME,
    "school": ("{cn}、", "（{cn}）", "{n}、", "（{n}）", "{circled}"),
}
MAX_LEVEL = len(DEFAULT_SCHEME)


@functools.lru_cache(maxsize=4096)
def format_label(fmt: str, n: int) -> str:
    """A label format and a number → the label (“（{cn}）”, 3 → “（三）”); cached: a long report repeats them."""
    return fmt.format(cn=cn_number(n), n=n, circled=circled(n))


def _with_label(block: Heading | ListItem, label: str) -> Heading | ListItem:
    """``dataclasses.replace(block, label=label)`` without its per-call field walk.

    The block classes are plain frozen dataclasses (no __post_init__, no slots), so copying the
    instance dictionary gives an equal object; replace() was most of the numbering pass's time.
    """
    new = object.__new__(type(block))
    new.__dict__.update(block.__dict__)
    new.__dict__["label"] = label
    return new


def resolve_scheme(name_or_formats: str | Sequence[str] | None, extra: Mapping[str, Sequence[str]] | None = None
                   ) -> tuple[str, ...]:
    """A scheme name (default, school, or one from a style file) → five label formats."""
    if name_or_formats is None:
        return DEFAULT_SCHEME
    if not isinstance(name_or_formats, str):
        formats = tuple(name_or_formats)
        return formats + DEFAULT_SCHEME[len(formats):]
    table = {**SCHEMES, **(extra or {})}
    if name_or_formats not in table:
        raise KeyError(name_or_formats)
    formats = tuple(table[name_or_formats])
    return formats + DEFAULT_SCHEME[len(formats):]


_ZEROS = [[0] * (MAX_LEVEL - level) for level in range(MAX_LEVEL + 1)]  # the counters below each level, reset


def number_blocks(blocks: Sequence[Block], scheme: Sequence[str]) -> list[Block]:
    """Give every Heading and ListItem its label from its level.

    A counter per level; a block at level L increments counter L and resets every
    deeper counter.  So numbering may start at any level (一、 followed directly by
    1、 items), and a heading at a shallower level restarts what lies below it.
    """
    counters = [0] * (MAX_LEVEL + 1)
    out: list[Block] = []
    numbered_kinds = (Heading, ListItem)
    for block in blocks:
        if isinstance(block, numbered_kinds) and block.numbered:
            level = block.level
            level = 1 if level < 1 else MAX_LEVEL if level > MAX_LEVEL else level  # min(max(level, 1), MAX_LEVEL)
            counters[level] += 1
            counters[level + 1:] = _ZEROS[level]
            out.append(_with_label(block, format_label(scheme[level - 1], counters[level])))
        elif isinstance(block, Heading):
            # An unnumbered heading (e.g. 参考文献) still closes the numbering below its level.
            for deeper in range(min(max(block.level, 1), MAX_LEVEL) + 1, MAX_LEVEL + 1):
                counters[deeper] = 0
            out.append(block)
        else:
            out.append(block)
    return out


def number_in_place(blocks: Sequence[Block], scheme: Sequence[str]) -> None:
    """``number_blocks`` and ``number_figures`` for blocks made for one document alone: labels and figure
    numbers are written into the blocks themselves, no copy of each one.

    For the composer, whose blocks the markup parser has just made (each a distinct object that
    nothing else holds yet); copying every block twice was most of the numbering pass's time.
    Everything else keeps the copying functions.  A property test checks the two give equal blocks.
    """
    counters = [0] * (MAX_LEVEL + 1)
    figures = 0
    for block in blocks:
        kind = type(block)
        if kind is ListItem or kind is Heading:
            level = block.level  # type: ignore[union-attr]
            level = 1 if level < 1 else MAX_LEVEL if level > MAX_LEVEL else level
            if block.numbered:  # type: ignore[union-attr]
                counters[level] += 1
                counters[level + 1:] = _ZEROS[level]
                block.__dict__["label"] = format_label(scheme[level - 1], counters[level])
            elif kind is Heading:  # an unnumbered heading still closes the numbering below its level
                counters[level + 1:] = _ZEROS[level]
        elif (kind is Image or kind is Chart) and block.caption:  # type: ignore[union-attr]
            figures += 1
            block.__dict__["number"] = figures


def number_document(doc: Document) -> Document:
    """The numbering pass: a new Document whose headings and items carry labels."""
    return dataclasses.replace(doc, blocks=tuple(number_blocks(doc.blocks, doc.scheme)))


def number_figures(doc: Document) -> Document:
    """图1, 图2, …: pictures and charts with a caption, in document order (Word's SEQ 图 counts the same)."""
    count = 0
    blocks: list[Block] = []
    for block in doc.blocks:
        if isinstance(block, Image | Chart) and block.caption:
            count += 1
            block = dataclasses.replace(block, number=count)
        blocks.append(block)
    return dataclasses.replace(doc, blocks=tuple(blocks)) if count else doc
