"""Document tree → Markdown and plain text.

Both print the same labels as the DOCX (they come from the numbering pass).
Markdown is for review and golden files (a diff shows what changed in the
wording); plain text is for pasting into OA systems that take no formatting.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable

from ..tree.document import (
    Chart,
    Document,
    Heading,
    Image,
    ListItem,
    Marks,
    Official,
    PageBreak,
    Paragraph,
    Table,
)

_MD_SPECIAL = str.maketrans({c: f"\\{c}" for c in "\\`*_[]<>|"})


def _md(text: str) -> str:
    """Escape what Markdown would read as markup; a leading # - + or digit-dot too."""
    text = text.translate(_MD_SPECIAL)
    if (text[:1] and text[:1] in "#-+") or (text[:1].isdigit() and ". " in text[:6]):
        text = "\\" + text
    return text


def _md_marked(text: str, marks: Marks) -> str:
    """Markdown with emphasis: **bold**, <u>underline</u> (CommonMark has no underline)."""
    if not marks:
        return _md(text)
    cuts = sorted({0, len(text), *(m.start for m in marks), *(m.end for m in marks)})
    out: list[str] = []
    for start, end in itertools.pairwise(cuts):
        piece = text[start:end].translate(_MD_SPECIAL)
        kinds = {m.kind for m in marks if m.start <= start and end <= m.end}
        if "underline" in kinds:
            piece = f"<u>{piece}</u>"
        if "bold" in kinds:
            piece = f"**{piece}**"
        out.append(piece)
    joined = "".join(out)
    return ("\\" + joined) if joined[:1] in "#-+" else joined


def figure_caption(block: Image | Chart) -> str:
    """图1　食堂新貌 (the same words as the DOCX caption)."""
    return f"图{block.number}\u3000{block.caption}" if block.caption else ""


def _chart_rows(chart: Chart) -> tuple[list[str], list[list[str]]]:
    header = ["", *(s.name for s in chart.series)]
    rows = [[cat, *(f"{s.values[i]:g}" for s in chart.series)] for i, cat in enumerate(chart.categories)]
    return header, rows


def _official_head(parts: Official | None) -> list[str]:
    if not parts:
        return []
    lines = [t for t in (parts.copy_number, parts.secrecy, parts.urgency, parts.issuer) if t]
    number = parts.number
    if parts.signers:
        number = f"{number}\u3000\u3000签发人：{'　'.join(parts.signers)}".strip()
    return [*lines, *([number] if number else [])]


def _official_record(parts: Official | None) -> list[str]:
    if not parts or not parts.has_record:
        return []
    lines: list[str] = []
    if parts.copy_to:
        lines.append("抄送：" + "、".join(parts.copy_to) + "。")
    printed = parts.printed + ("印发" if parts.printed else "")
    if parts.printer or printed:
        lines.append(f"{parts.printer}\u3000\u3000{printed}".strip("\u3000"))
    return lines


def _note(parts: Official | None) -> str:
    if not parts or not parts.note:
        return ""
    note = parts.note.strip()
    return note if note.startswith(("（", "(")) else f"（{note}）"


PAGE_BREAK_MD = '<div style="page-break-before: always"></div>'


def to_markdown(doc: Document) -> str:
    """Headings become ATX headings (level + 1, the title is #); labels stay in the text."""
    lines: list[str] = []
    for line in _official_head(doc.official):
        lines += [_md(line), ""]
    if doc.official and doc.official.has_head:
        lines += ["---", ""]
    if doc.title:
        lines += [f"# {_md(doc.title.replace(chr(10), ''))}", ""]
    if doc.official and doc.official.recipients:
        lines += [_md(doc.official.recipients.rstrip("：:") + "："), ""]
    if doc.subtitle:
        lines += [_md(doc.subtitle), ""]
    for para in doc.front:
        lines += [_md(para.text), ""]
    for block in doc.blocks:
        if isinstance(block, Heading):
            head = _md(block.label + block.text)
            if block.run_in:
                lines += [f"**{head}**{_md_marked(block.body, block.body_marks)}", ""]
            else:
                lines += [f"{'#' * min(block.level + 1, 6)} {head}", ""]
        elif isinstance(block, ListItem):
            lines += [_md(block.label) + _md_marked(block.text, block.marks) if block.label
                      else _md_marked(block.text, block.marks), ""]
        elif isinstance(block, Paragraph):
            lines += [_md_marked(block.text, block.marks), ""]
        elif isinstance(block, PageBreak):
            lines += [PAGE_BREAK_MD, ""]
        elif isinstance(block, Image):
            lines += [f"![{_md(block.caption) if block.caption else ''}](<{block.path}>)", ""]
            if block.caption:
                lines += [f"*{_md(figure_caption(block))}*", ""]
        elif isinstance(block, Chart):
            header, rows = _chart_rows(block)
            lines.append("| " + " | ".join(_md(c) if c else "" for c in header) + " |")
            lines.append("|" + "---|" * len(header))
            lines += ["| " + " | ".join(_md(c) for c in row) + " |" for row in rows]
            lines.append("")
            if block.caption:
                unit = f"（单位：{block.unit}）" if block.unit else ""
                lines += [f"*{_md(figure_caption(block) + unit)}*", ""]
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
    if _note(doc.official):
        lines += [_md(_note(doc.official)), ""]
    record = _official_record(doc.official)
    if record:
        lines += ["---", "", *(x for line in record for x in (_md(line), "")), "---", ""]
    return "\n".join(lines).rstrip() + "\n"


def to_text(doc: Document) -> str:
    """Plain text: paragraphs indented with two full-width spaces, as typed in Chinese offices."""
    indent = "\u3000\u3000"
    lines: list[str] = list(_official_head(doc.official))
    if lines:
        lines.append("")
    if doc.title:
        lines += [doc.title.replace("\n", ""), ""]
    if doc.official and doc.official.recipients:
        lines.append(doc.official.recipients.rstrip("：:") + "：")
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
        elif isinstance(block, Image):
            lines.append(f"［图片：{block.path}］")
            if block.caption:
                lines.append(figure_caption(block))
        elif isinstance(block, Chart):
            header, rows = _chart_rows(block)
            lines.append("\t".join(header))
            lines += ["\t".join(row) for row in rows]
            if block.caption:
                lines.append(figure_caption(block) + (f"（单位：{block.unit}）" if block.unit else ""))
    closing = _closing(doc, lambda s: s)
    if closing:
        lines.append("")
        lines += [line for line in closing if line]
    if _note(doc.official):
        lines.append(indent + _note(doc.official))
    record = _official_record(doc.official)
    if record:
        lines += ["", *record]
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
