"""Document tree → Markdown and plain text.

Both print the same labels as the DOCX (they come from the numbering pass).
Markdown is for review and golden files (a diff shows what changed in the
wording); plain text is for pasting into OA systems that take no formatting.
"""

from __future__ import annotations

from collections.abc import Callable

from ..tree.document import Document, Heading, ListItem, Paragraph, Table

_MD_SPECIAL = str.maketrans({c: f"\\{c}" for c in "\\`*_[]<>|"})


def _md(text: str) -> str:
    """Escape what Markdown would read as markup; a leading # - + or digit-dot too."""
    text = text.translate(_MD_SPECIAL)
    if (text[:1] and text[:1] in "#-+") or (text[:1].isdigit() and ". " in text[:6]):
        text = "\\" + text
    return text


def to_markdown(doc: Document) -> str:
    """Headings become ATX headings (level + 1, the title is #); labels stay in the text."""
    lines: list[str] = []
    if doc.title:
        lines += [f"# {_md(doc.title.replace(chr(10), ''))}", ""]
    if doc.subtitle:
        lines += [_md(doc.subtitle), ""]
    for para in doc.front:
        lines += [_md(para.text), ""]
    for block in doc.blocks:
        if isinstance(block, Heading):
            head = _md(block.label + block.text)
            if block.run_in:
                lines += [f"**{head}**{_md(block.body)}", ""]
            else:
                lines += [f"{'#' * min(block.level + 1, 6)} {head}", ""]
        elif isinstance(block, ListItem):
            lines += [_md(block.label + block.text), ""]
        elif isinstance(block, Paragraph):
            lines += [_md(block.text), ""]
        elif isinstance(block, Table):
            if block.caption:
                lines += [f"**{_md(block.caption)}**", ""]
            lines.append("| " + " | ".join(_md(c) for c in block.columns) + " |")
            lines.append("|" + "---|" * len(block.columns))
            lines += ["| " + " | ".join(_md(c) for c in row) + " |" for row in block.rows]
            lines.append("")
            if block.note:
                lines += [_md(block.note), ""]
    lines += _closing(doc, _md)
    return "\n".join(lines).rstrip() + "\n"


def to_text(doc: Document) -> str:
    """Plain text: paragraphs indented with two full-width spaces, as typed in Chinese offices."""
    indent = "\u3000\u3000"
    lines: list[str] = []
    if doc.title:
        lines += [doc.title.replace("\n", ""), ""]
    if doc.subtitle:
        lines += [doc.subtitle, ""]
    lines += [indent + p.text for p in doc.front]
    for block in doc.blocks:
        if isinstance(block, Heading):
            text = block.label + block.text + (block.body if block.run_in else "")
            lines.append(indent + text)
        elif isinstance(block, ListItem):
            lines.append(indent + block.label + block.text)
        elif isinstance(block, Paragraph):
            lines.append((indent if block.kind == "body" else "") + block.text)
        elif isinstance(block, Table):
            if block.caption:
                lines.append(block.caption)
            lines.append("\t".join(block.columns))
            lines += ["\t".join(row) for row in block.rows]
            if block.note:
                lines.append(block.note)
    closing = _closing(doc, lambda s: s)
    if closing:
        lines.append("")
        lines += [line for line in closing if line]
    return "\n".join(lines).rstrip() + "\n"


def _closing(doc: Document, fmt: Callable[[str], str]) -> list[str]:
    lines: list[str] = []
    for index, name in enumerate(doc.attachments, start=1):
        prefix = "附件：" if index == 1 else "\u3000\u3000\u3000"
        number = f"{index}." if len(doc.attachments) > 1 else ""
        lines += [fmt(f"{prefix}{number}{name}"), ""]
    if doc.signature:
        if doc.signature.organization:
            lines += [fmt(doc.signature.organization), ""]
        if doc.signature.date:
            lines += [fmt(doc.signature.date), ""]
    return lines
