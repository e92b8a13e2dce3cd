"""Document tree → HTML: the live preview in the browser page, from the same tree the DOCX is written from.

It is a preview, not a second typesetting engine: one ``<article class="sk-doc">`` whose classes
(sk-title, sk-h1…sk-h5, sk-item, sk-table, sk-signature) the service's page styles to look like the
printed page (仿宋 body, 小标宋 title, 黑体/楷体 headings, first-line indent of two characters).
Every text is escaped; nothing from the records can become markup.
"""

from __future__ import annotations

from html import escape

from ..tree.document import Document, Heading, ListItem, Paragraph, Table


def _e(text: str) -> str:
    return escape(text, quote=True)


def to_html(doc: Document, *, standalone: bool = False) -> str:
    """The document as an HTML fragment (``standalone``: a whole page with a minimal style of its own)."""
    out: list[str] = ['<article class="sk-doc" lang="zh-CN">']
    if doc.title:
        lines = "<br>".join(_e(line) for line in doc.title.split("\n"))
        out.append(f'<h1 class="sk-title">{lines}</h1>')
    if doc.subtitle:
        out.append(f'<p class="sk-subtitle">{_e(doc.subtitle)}</p>')
    for para in doc.front:
        out.append(f'<p class="sk-front sk-{_e(para.kind)}">{_e(para.text)}</p>')
    for block in doc.blocks:
        out.append(_block(block))
    out.extend(_closing(doc))
    out.append("</article>")
    body = "\n".join(out)
    if not standalone:
        return body
    return ('<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
            f"<title>{_e(doc.title.replace(chr(10), ''))}</title><style>{PAGE_STYLE}</style></head>"
            f"<body>{body}</body></html>\n")


def _block(block: Heading | Paragraph | ListItem | Table) -> str:
    if isinstance(block, Heading):
        head = _e(block.label + block.text)
        level = max(1, min(block.level, 5))
        if block.run_in:
            return f'<p class="sk-body sk-runin"><span class="sk-h{level}">{head}</span>{_e(block.body)}</p>'
        return f'<p class="sk-h{level}" role="heading" aria-level="{level + 1}">{head}</p>'
    if isinstance(block, ListItem):
        return f'<p class="sk-item sk-item{block.level}">{_e(block.label + block.text)}</p>'
    if isinstance(block, Paragraph):
        return f'<p class="sk-{_e(block.kind)}">{_e(block.text)}</p>'
    rows = "".join("<tr>" + "".join(f"<td>{_e(c)}</td>" for c in row) + "</tr>" for row in block.rows)
    head = "".join(f"<th>{_e(c)}</th>" for c in block.columns)
    caption = f"<caption>{_e(block.caption)}</caption>" if block.caption else ""
    note = f'<p class="sk-note">{_e(block.note)}</p>' if block.note else ""
    return f'<table class="sk-table">{caption}<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>{note}'


def _closing(doc: Document) -> list[str]:
    out: list[str] = []
    for index, name in enumerate(doc.attachments, start=1):
        prefix = "附件：" if index == 1 else "\u3000\u3000\u3000"
        number = f"{index}." if len(doc.attachments) > 1 else ""
        out.append(f'<p class="sk-attachment">{_e(prefix + number + name)}</p>')
    if doc.signature:
        lines = [t for t in (doc.signature.organization, doc.signature.date) if t]
        if lines:
            out.append('<div class="sk-signature">' + "".join(f"<p>{_e(t)}</p>" for t in lines) + "</div>")
    return out


PAGE_STYLE = """
.sk-doc{font-family:"FangSong","STFangsong","仿宋","Noto Serif CJK SC","AR PL UMing CN",serif;font-size:16pt;
line-height:28pt;max-width:156mm;margin:0 auto;padding:37mm 26mm 35mm 28mm;background:#fff;color:#000}
.sk-doc p{margin:0;text-indent:2em;text-align:justify}
.sk-title{font-family:"FZXiaoBiaoSong-B05S","方正小标宋简体","Noto Serif CJK SC",serif;font-size:22pt;
line-height:1.5;text-align:center;font-weight:normal;margin:0 0 28pt}
.sk-doc .sk-subtitle,.sk-doc .sk-center{text-align:center;text-indent:0}
.sk-doc .sk-right{text-align:right}
.sk-doc .sk-plain{text-indent:0}
.sk-h1{font-family:"SimHei","黑体","Noto Sans CJK SC",sans-serif}
.sk-h2{font-family:"KaiTi","楷体","AR PL UKai CN",serif}
.sk-h3,.sk-h4{font-weight:bold}
.sk-table{border-collapse:collapse;margin:8pt auto;font-size:12pt;line-height:1.6}
.sk-table caption{font-family:"SimHei","黑体","Noto Sans CJK SC",sans-serif;padding-bottom:4pt}
.sk-table th,.sk-table td{border:1px solid #000;padding:2pt 6pt;text-align:center}
.sk-doc .sk-note{font-size:12pt;text-indent:0}
.sk-signature{margin-top:28pt;text-align:right;padding-right:4em}
.sk-signature p{text-align:center;display:block;margin-left:auto;width:max-content;text-indent:0}
"""
