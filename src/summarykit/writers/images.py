"""Pictures in the DOCX body: an inline DrawingML picture, then its 图N caption.

The picture is placed inside the text block: the width the records ask for
(a share of the text width, or millimetres), else the picture's own printed
size (pixels at its DPI), never wider than the text block nor taller than most
of a page, always with its aspect ratio.  The caption is Word's Caption style
with a SEQ field (``ooxml.caption_paragraph``).
"""

from __future__ import annotations

import re

from ..errors import Problem, RecordsError
from ..records.assets import ImageInfo, ImageProblem, inspect_image
from ..style import MM_PER_PT, Style
from ..tree.document import Image
from .media import Media
from .ooxml import caption_paragraph, paragraph_xml, xml_text

EMU_PER_MM = 36_000
FIGURE = "Figure"  # the paragraph style holding a picture or a chart: centred, single spacing, off the grid
_WIDTH = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(%|mm|cm|毫米|厘米)\s*$")


def requested_width_mm(width: str, text_width_mm: float) -> float | None:
    """"80%" → 80% of the text block, "120mm"/"12cm" → millimetres, "" → None (the picture's own size)."""
    match = _WIDTH.match(width or "")
    if not match:
        return None
    value, unit = float(match.group(1)), match.group(2)
    if unit == "%":
        return text_width_mm * value / 100
    return value * 10 if unit in {"cm", "厘米"} else value


def fitted_size_mm(info: ImageInfo, width: str, style: Style) -> tuple[float, float]:
    """The printed size: as asked (or natural), within the text width and 3/4 of the text height, same ratio."""
    text_w = style.text_width_pt * MM_PER_PT
    max_h = style.text_height_pt * MM_PER_PT * 0.75  # room for the caption and a line of text on the page
    natural_w, _natural_h = info.natural_size_mm
    want = requested_width_mm(width, text_w) or natural_w
    ratio = info.height_px / info.width_px
    w = min(want, text_w)
    h = w * ratio
    if h > max_h:
        h = max_h
        w = h / ratio
    return w, h


def _checked(image: Image) -> ImageInfo:
    """The picture's bytes, checked again (the file may have changed since loading)."""
    if not image.source:
        raise RecordsError(f"图片“{image.path}”没有经过检查，不能写入文档。", [Problem(
            f"图片“{image.path}”只能来自从文件读入的记录（或指定了 assets 文件夹的记录）", path="images",
            hint="用 summarykit.load(记录文件) 读入记录，图片路径相对于记录文件")])
    try:
        return inspect_image(image.source)
    except ImageProblem as exc:
        raise RecordsError(f"图片“{image.path}”无法写入文档。", [Problem(
            f"图片“{image.path}”：{exc.args[0]}", hint=exc.hint)]) from None


def drawing_xml(rid: str, drawing_id: int, cx: int, cy: int, name: str, description: str) -> str:
    """An inline picture (wp:inline) showing the image part ``rid`` at cx × cy EMU."""
    a = "http://schemas.openxmlformats.org/drawingml/2006/main"
    pic = "http://schemas.openxmlformats.org/drawingml/2006/picture"
    return (
        '<w:r><w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0">'
        f'<wp:extent cx="{cx}" cy="{cy}"/><wp:effectExtent l="0" t="0" r="0" b="0"/>'
        f'<wp:docPr id="{drawing_id}" name="{xml_text(name)}" descr="{xml_text(description)}"/>'
        f'<wp:cNvGraphicFramePr><a:graphicFrameLocks xmlns:a="{a}" noChangeAspect="1"/></wp:cNvGraphicFramePr>'
        f'<a:graphic xmlns:a="{a}"><a:graphicData uri="{pic}"><pic:pic xmlns:pic="{pic}">'
        f'<pic:nvPicPr><pic:cNvPr id="{drawing_id}" name="{xml_text(name)}"/><pic:cNvPicPr/></pic:nvPicPr>'
        f'<pic:blipFill><a:blip r:embed="{rid}"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>'
        f'<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm>'
        '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData></a:graphic>'
        "</wp:inline></w:drawing></w:r>"
    )


def image_xml(image: Image, style: Style, media: Media) -> str:
    """The picture's paragraph (kept with its caption) and the caption 图N."""
    info = _checked(image)
    w_mm, h_mm = fitted_size_mm(info, image.width, style)
    rid = media.add_image(info.data, info.format)
    drawing_id = media.next_drawing_id()
    drawing = drawing_xml(rid, drawing_id, round(w_mm * EMU_PER_MM), round(h_mm * EMU_PER_MM),
                          f"图片 {drawing_id}", image.caption)
    parts = [paragraph_xml(FIGURE, drawing, extra_ppr="<w:keepNext/>" if image.caption else "")]
    if image.caption:
        parts.append(caption_paragraph("图", image.number, image.caption))
    return "".join(parts)
