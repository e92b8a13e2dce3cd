"""The parts a body adds to a DOCX package: pictures, charts and their workbooks.

The cached base package has no media; a report with pictures or charts gets
new zip parts, a relationship for each from ``word/document.xml`` and the
content types their extensions need.  This module collects them while the body
is written and rewrites the two small XML files (relationships, content types)
once at the end, so the writer itself only asks for an ``r:id``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from .ooxml import xml_text

REL_IMAGE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"
REL_CHART = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/chart"
REL_PACKAGE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/package"
CT_CHART = "application/vnd.openxmlformats-officedocument.drawingml.chart+xml"
CT_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
IMAGE_TYPES = {"png": "image/png", "jpeg": "image/jpeg", "gif": "image/gif", "bmp": "image/bmp",
               "tiff": "image/tiff"}


@dataclass
class Media:
    """Parts, relationships and content types gathered for one document body."""

    parts: list[tuple[str, bytes]] = field(default_factory=list)
    relationships: list[tuple[str, str, str]] = field(default_factory=list)  # (id, type, target)
    defaults: dict[str, str] = field(default_factory=dict)  # extension → content type
    overrides: dict[str, str] = field(default_factory=dict)  # /part/name → content type
    _images: dict[str, str] = field(default_factory=dict)  # sha1 of the bytes → r:id (a picture used twice)
    _drawing_id: int = 0

    def next_drawing_id(self) -> int:
        """``wp:docPr/@id``: unique among the drawings of the document."""
        self._drawing_id += 1
        return self._drawing_id

    def add_image(self, data: bytes, extension: str) -> str:
        """The r:id of a picture part holding ``data`` (the same bytes share one part)."""
        digest = hashlib.sha1(data).hexdigest()
        if digest in self._images:
            return self._images[digest]
        number = len(self._images) + 1
        rid = f"skImage{number}"
        self.parts.append((f"word/media/image{number}.{extension}", data))
        self.relationships.append((rid, REL_IMAGE, f"media/image{number}.{extension}"))
        self.defaults[extension] = IMAGE_TYPES[extension]
        self._images[digest] = rid
        return rid

    def add_chart(self, chart_xml: bytes, workbook: bytes) -> str:
        """The r:id of a chart part and its embedded workbook (so Word and WPS can edit the numbers)."""
        number = sum(1 for r in self.relationships if r[1] == REL_CHART) + 1
        rid = f"skChart{number}"
        chart_name = f"word/charts/chart{number}.xml"
        book = f"Microsoft_Excel_Worksheet{number}.xlsx"
        self.parts.append((chart_name, chart_xml))
        self.parts.append((f"word/charts/_rels/chart{number}.xml.rels", relationships_xml(
            [("rId1", REL_PACKAGE, f"../embeddings/{book}")])))
        self.parts.append((f"word/embeddings/{book}", workbook))
        self.relationships.append((rid, REL_CHART, f"charts/chart{number}.xml"))
        self.overrides[f"/{chart_name}"] = CT_CHART
        self.defaults["xlsx"] = CT_XLSX
        return rid

    def __bool__(self) -> bool:
        return bool(self.parts)

    def document_rels(self, base: bytes) -> bytes:
        """The base package's document relationships with ours added."""
        extra = "".join(f'<Relationship Id="{i}" Type="{t}" Target="{xml_text(g)}"/>'
                        for i, t, g in self.relationships)
        return base.replace(b"</Relationships>", extra.encode("utf-8") + b"</Relationships>")

    def content_types(self, base: bytes) -> bytes:
        """The base package's content types with the defaults and overrides our parts need."""
        text = base.decode("utf-8")
        extra = "".join(f'<Default Extension="{e}" ContentType="{c}"/>' for e, c in sorted(self.defaults.items())
                        if f'Extension="{e}"' not in text)
        extra += "".join(f'<Override PartName="{p}" ContentType="{c}"/>' for p, c in self.overrides.items())
        return text.replace("</Types>", extra + "</Types>").encode("utf-8")


def relationships_xml(relationships: list[tuple[str, str, str]]) -> bytes:
    body = "".join(f'<Relationship Id="{i}" Type="{t}" Target="{xml_text(g)}"/>' for i, t, g in relationships)
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f"{body}</Relationships>").encode()
