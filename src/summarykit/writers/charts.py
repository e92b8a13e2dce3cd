"""Charts in the DOCX body: native DrawingML charts with their embedded workbook, then a 图N caption.

The chart XML and the workbook come from python-pptx's chart writer
(``pptx.chart.xmlwriter.ChartXmlWriter`` and the workbook writer behind
``CategoryChartData``, which uses XlsxWriter): DrawingML charts are the same in
PowerPoint and Word, and that writer is well kept and tested against Office.
This module only adjusts what a printed report needs — Chinese fonts at 五号,
no automatic title (the caption below names the chart), a legend when there is
more than one series (or slices), value labels, the unit as the value axis title,
square corners — and links the workbook (``c:externalData``) so that a clerk
can edit the figures in Word or WPS ("编辑数据").

python-pptx is an optional dependency (``pip install 'summarykit[rich]'``).
"""

from __future__ import annotations

from ..errors import DependencyError
from ..style import MM_PER_PT, Style
from ..tree.document import Chart
from .images import EMU_PER_MM, FIGURE
from .media import Media
from .ooxml import caption_paragraph, paragraph_xml, xml_text

C_NS = "http://schemas.openxmlformats.org/drawingml/2006/chart"
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_MISSING = "生成图表需要 python-pptx：请运行 pip install 'summarykit[rich]'"
HEIGHT_RATIO = 0.6  # chart height / text width: a 156 mm wide chart is 94 mm high


def _chart_type(kind: str) -> object:
    from pptx.enum.chart import XL_CHART_TYPE

    return {"bar": XL_CHART_TYPE.COLUMN_CLUSTERED, "column": XL_CHART_TYPE.COLUMN_CLUSTERED,
            "line": XL_CHART_TYPE.LINE_MARKERS, "pie": XL_CHART_TYPE.PIE}[kind]


def chart_parts(chart: Chart, style: Style) -> tuple[bytes, bytes]:
    """(chart XML, workbook) for ``chart``."""
    try:
        from lxml import etree
        from pptx.chart.data import CategoryChartData
        from pptx.chart.xmlwriter import ChartXmlWriter
    except ImportError:  # pragma: no cover - the test environment has python-pptx
        raise DependencyError(_MISSING) from None
    data = CategoryChartData(number_format="General")
    data.categories = list(chart.categories)
    for series in chart.series:
        data.add_series(series.name, list(series.values))
    chart_type = _chart_type(chart.kind)
    xml = ChartXmlWriter(chart_type, data).xml
    root = etree.fromstring(xml.encode("utf-8"))
    _adjust(root, chart, style)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True), _without_clock(data.xlsx_blob)


#: The embedded workbook's creation time.  XlsxWriter stamps the clock's time into docProps/core.xml
#: (its zip entries are already 1980-01-01), which would make the same report give different bytes
#: from one second to the next; the workbook is part of the chart, its own date is shown nowhere.
WORKBOOK_TIME = b"2000-01-01T00:00:00Z"


def _without_clock(workbook: bytes) -> bytes:
    """The workbook with its core properties' times fixed (every other byte as XlsxWriter wrote it)."""
    import io
    import re
    import zipfile

    source, out = zipfile.ZipFile(io.BytesIO(workbook)), io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", WORKBOOK_TIME, data)
            target.writestr(info, data)
    return out.getvalue()


def _c(tag: str) -> str:
    return f"{{{C_NS}}}{tag}"


def _element(xml: str) -> object:
    from lxml import etree

    return etree.fromstring(f'<root xmlns:c="{C_NS}" xmlns:a="{A_NS}" xmlns:r="{R_NS}">{xml}</root>')[0]


def _adjust(root: object, chart: Chart, style: Style) -> None:
    """What a printed Chinese report needs, in the schema's order (CT_ChartSpace, CT_Chart, CT_*Chart)."""
    # Axis ids as small positive numbers: python-pptx writes negative ones, which the schema's unsignedInt refuses.
    ids: dict[str, str] = {}
    for element in root.iter(_c("axId"), _c("crossAx")):
        element.set("val", ids.setdefault(element.get("val"), str(100 + len(ids))))
    body = root.find(_c("chart"))
    # CT_ChartSpace: date1904?, lang?, roundedCorners?, …, chart.  Word draws rounded corners when it is absent.
    body.addprevious(_element('<c:lang val="zh-CN"/>'))
    body.addprevious(_element('<c:roundedCorners val="0"/>'))
    body.find(_c("autoTitleDeleted")).set("val", "1")  # the 图N caption names the chart
    plot = body.find(_c("plotArea"))
    kinds = [el for el in plot if el.tag.endswith("Chart")]
    pie = chart.kind == "pie"
    for kind in kinds:
        last_series = kind.findall(_c("ser"))[-1]
        labels = ('<c:dLbls><c:showLegendKey val="0"/><c:showVal val="{v}"/><c:showCatName val="0"/>'
                  '<c:showSerName val="0"/><c:showPercent val="{p}"/><c:showBubbleSize val="0"/>'
                  '{lines}</c:dLbls>').format(v=0 if pie else 1, p=1 if pie else 0,
                                             lines='<c:showLeaderLines val="1"/>' if pie else "")
        last_series.addnext(_element(labels))
    if chart.unit and not pie:
        axis = plot.find(_c("valAx"))
        anchor = axis.find(_c("majorGridlines"))
        anchor.addnext(_element(
            '<c:title><c:tx><c:rich><a:bodyPr rot="-5400000" vert="horz"/><a:lstStyle/><a:p><a:r>'
            f"<a:t>{xml_text(chart.unit)}</a:t></a:r></a:p></c:rich></c:tx><c:overlay val=\"0\"/></c:title>"))
    for legend in body.findall(_c("legend")):
        body.remove(legend)
    if pie or len(chart.series) > 1:
        plot.addnext(_element('<c:legend><c:legendPos val="b"/><c:overlay val="0"/></c:legend>'))
    fonts = style.fonts
    tx = root.find(_c("txPr"))
    def_rpr = tx.find(f"{{{A_NS}}}p/{{{A_NS}}}pPr/{{{A_NS}}}defRPr")
    def_rpr.set("sz", str(round(style.sizes.table * 100 * 0.875)))  # 五号 (10.5 pt) beside 小四 tables
    for tag, face in (("latin", fonts.latin), ("ea", fonts.table), ("cs", fonts.latin)):
        font = _element(f'<a:{tag} typeface="{xml_text(face)}"/>')
        def_rpr.append(font)
    tx.addnext(_element('<c:externalData r:id="rId1"><c:autoUpdate val="0"/></c:externalData>'))


def chart_drawing_xml(rid: str, drawing_id: int, cx: int, cy: int, name: str) -> str:
    a = "http://schemas.openxmlformats.org/drawingml/2006/main"
    return (
        '<w:r><w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0">'
        f'<wp:extent cx="{cx}" cy="{cy}"/><wp:effectExtent l="0" t="0" r="0" b="0"/>'
        f'<wp:docPr id="{drawing_id}" name="{xml_text(name)}"/><wp:cNvGraphicFramePr/>'
        f'<a:graphic xmlns:a="{a}"><a:graphicData uri="{C_NS}">'
        f'<c:chart xmlns:c="{C_NS}" r:id="{rid}"/></a:graphicData></a:graphic>'
        "</wp:inline></w:drawing></w:r>"
    )


def chart_xml(chart: Chart, style: Style, media: Media) -> str:
    """The chart's paragraph (kept with its caption) and the caption 图N."""
    xml, workbook = chart_parts(chart, style)
    rid = media.add_chart(xml, workbook)
    width_mm = style.text_width_pt * MM_PER_PT
    cx, cy = round(width_mm * EMU_PER_MM), round(width_mm * HEIGHT_RATIO * EMU_PER_MM)
    drawing_id = media.next_drawing_id()
    parts = [paragraph_xml(FIGURE, chart_drawing_xml(rid, drawing_id, cx, cy, f"图表 {drawing_id}"),
                           extra_ppr="<w:keepNext/>" if chart.caption else "")]
    if chart.caption:
        parts.append(caption_paragraph("图", chart.number, chart.caption))
    return "".join(parts)
