"""The package's style sheet as a Chinese Word user sees it: named in Chinese, only what is used.

python-docx's template carries about 160 styles — 140 of them table styles and
list styles nobody uses — plus ``stylesWithEffects.xml`` (a Word 2010 copy of
the style sheet that goes stale as soon as styles.xml changes: Word then
repairs the file), a thumbnail of someone else's document, and a font table
naming ＭＳ 明朝 and Calibri.  A clerk opening “样式” sees that clutter and
English names (“Body Plain”) for our own styles.

So, after the styles are typeset: our styles get Chinese names (正文无缩进,
落款, 成文日期, 表题…; Word's built-in styles keep their built-in names, which
Word shows translated: 正文, 标题 1, 题注), every style nothing refers to is
removed, the font table lists exactly the fonts the styles name, and the stale
parts are dropped from the package.  Pure functions over XML bytes, once per
style (the base package is cached).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W = f"{{{W}}}"

# Our styles' ids → the names Word shows.  Built-in styles (Normal, Title, Heading 1…, Caption, Footer) keep
# their English built-in names: Word recognises and translates those (正文, 标题, 标题 1, 题注, 页脚).
STYLE_NAMES: dict[str, str] = {
    "BodyPlain": "正文无缩进",
    "ItemHeading": "条目标题",
    "TableCaption": "表题",
    "TableText": "表格文字",
    "TableNote": "表注",
    "SignatureBlock": "落款",
    "SignatureDate": "成文日期",
    "Attachment": "附件说明",
    "Reference": "参考文献",
    "Label": "标注词",
    "CitationMark": "引文标注",
    "Figure": "图片",  # a picture's or a chart's paragraph (writers/images.py, charts.py)
}

# Styles a package keeps even when nothing names them: the defaults Word expects in every document.
_ALWAYS = {"Normal", "DefaultParagraphFont", "TableNormal", "NoList"}
# The styles the writer may use in a body (document.xml is written per report, after the style sheet).
BODY_STYLES = {"Normal", "Title", "Subtitle", "Heading1", "Heading2", "Heading3", "Heading4", "Heading5",
               "Caption", "Footer", *STYLE_NAMES}

# Font table entries: charset 86 is GB2312 (Chinese), 00 ANSI; Word uses them to substitute a missing font.
_LATIN_FAMILIES = {"Times New Roman": "roman", "Arial": "swiss", "Liberation Serif": "roman",
                   "Liberation Sans": "swiss", "Calibri": "swiss", "Cambria": "roman"}


def prune_styles(styles_xml: bytes, used: Iterable[str]) -> bytes:
    """styles.xml with only the styles in ``used``, the defaults, and what they are based on or linked to.

    A link to a style that is removed (Heading 1's “Heading 1 Char”) is removed
    with it; a ``w:next`` to a removed style falls back to Normal.
    """
    from lxml import etree  # only when a base package is built (writers/docx.py caches it)

    root = etree.fromstring(styles_xml)
    by_id = {s.get(_W + "styleId"): s for s in root.findall(_W + "style")}
    keep: set[str] = set()
    pending = [i for i in (*_ALWAYS, *used) if i in by_id]
    while pending:
        style_id = pending.pop()
        if style_id in keep:
            continue
        keep.add(style_id)
        based_on = by_id[style_id].find(_W + "basedOn")
        if based_on is not None and based_on.get(_W + "val") in by_id:
            pending.append(based_on.get(_W + "val"))
    for style_id, style in by_id.items():
        if style_id not in keep:
            root.remove(style)
            continue
        for tag in ("link", "next", "basedOn"):
            element = style.find(_W + tag)
            if element is not None and element.get(_W + "val") not in keep:
                if tag == "next":
                    element.set(_W + "val", "Normal")
                else:
                    style.remove(element)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def rename_styles(styles_xml: bytes, names: dict[str, str] = STYLE_NAMES) -> bytes:
    """Give our styles their Chinese names (the ids stay ASCII: document.xml and other tools refer to them)."""
    from lxml import etree  # only when a base package is built (writers/docx.py caches it)

    root = etree.fromstring(styles_xml)
    for style in root.findall(_W + "style"):
        name = names.get(style.get(_W + "styleId"))
        if name:
            style.find(_W + "name").set(_W + "val", name)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def style_ids(styles_xml: bytes) -> list[str]:
    from lxml import etree  # only when a base package is built (writers/docx.py caches it)

    return [s.get(_W + "styleId") for s in etree.fromstring(styles_xml).findall(_W + "style")]


def used_fonts(*parts: bytes) -> list[str]:
    """Every font a part names in ``w:rFonts`` (styles, defaults), in first-seen order."""
    from lxml import etree  # only when a base package is built (writers/docx.py caches it)

    seen: dict[str, None] = {}
    for part in parts:
        for element in etree.fromstring(part).iter(_W + "rFonts"):
            for slot in ("eastAsia", "ascii", "hAnsi", "cs"):
                name = element.get(_W + slot)
                if name:
                    seen.setdefault(name, None)
    return list(seen)


def _is_latin(name: str) -> bool:
    return bool(re.fullmatch(r"[\x20-\x7e]+", name)) and "CJK" not in name and not name.startswith(("AR PL", "Fandol",
                                                                                                     "WenQuanYi"))


def font_table(fonts: Iterable[str]) -> bytes:
    """word/fontTable.xml listing ``fonts``: Chinese fonts with charset GB2312, Latin ones as roman/swiss."""
    entries = []
    for name in fonts:
        if _is_latin(name):
            family, charset, pitch = _LATIN_FAMILIES.get(name, "roman"), "00", "variable"
        else:
            family, charset, pitch = "modern" if "黑" in name or "Sans" in name else "roman", "86", "variable"
        escaped = name.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
        entries.append(f'<w:font w:name="{escaped}"><w:charset w:val="{charset}"/>'
                       f'<w:family w:val="{family}"/><w:pitch w:val="{pitch}"/></w:font>')
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<w:fonts xmlns:w="{W}">' + "".join(entries) + "</w:fonts>").encode("utf-8")


# Parts of python-docx's template that only do harm once the styles are ours (see the module docstring).
DROPPED_PARTS = ("word/stylesWithEffects.xml", "docProps/thumbnail.jpeg")


def drop_parts(parts: tuple[tuple[str, bytes], ...]) -> tuple[tuple[str, bytes], ...]:
    """The package without DROPPED_PARTS, their relationships and content-type overrides."""
    dropped = {f"/{name}" for name in DROPPED_PARTS}
    out = []
    for name, data in parts:
        if f"/{name}" in dropped:
            continue
        if name == "[Content_Types].xml":
            data = re.sub(rb'<Override PartName="(/[^"]+)"[^>]*/>',
                          lambda m: b"" if m.group(1).decode() in dropped else m.group(0), data)
            data = re.sub(rb'<Default Extension="jpeg"[^>]*/>', b"", data)
        elif name.endswith(".rels"):
            data = re.sub(rb'<Relationship [^>]*Target="([^"]+)"[^>]*/>',
                          lambda m, rels=name: b"" if _target_dropped(rels, m.group(1).decode(), dropped)
                          else m.group(0),
                          data)
        out.append((name, data))
    return tuple(out)


def _target_dropped(rels_name: str, target: str, dropped: set[str]) -> bool:
    folder = rels_name.rsplit("_rels/", 1)[0]  # "" for the package, "word/" for document.xml.rels
    absolute = target if target.startswith("/") else f"/{folder}{target}"
    return absolute in dropped
