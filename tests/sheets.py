"""Workbooks built inside the tests: openpyxl for the sheets, the XML patched for formulas' saved values.

A workbook written by openpyxl has no cached formula values (only Excel or WPS compute them when
they save), so ``with_cached`` writes the values into the sheet XML as Excel would: that is the
only way to have, in a test, a formula with a cached value next to one without.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any


def workbook(sheets: Mapping[str, Sequence[Sequence[Any]]], *, formats: Mapping[tuple[str, str], str] = {},
             merges: Mapping[str, Sequence[str]] = {}) -> bytes:
    """An .xlsx with the given sheets (rows of values), number formats per (sheet, cell) and merged ranges."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        ws = book.create_sheet(name)
        for row in rows:
            ws.append(list(row))
        for ref in merges.get(name, ()):
            ws.merge_cells(ref)
    for (name, ref), fmt in formats.items():
        book[name][ref].number_format = fmt
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def with_cached(data: bytes, values: Mapping[tuple[int, str], str | float]) -> bytes:
    """Write saved formula results: {(sheet number from 1, "C3"): 2468 or "#DIV/0!"} into the sheet XML."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info)
            match = re.fullmatch(r"xl/worksheets/sheet(\d+)\.xml", info.filename)
            if match:
                text = content.decode("utf-8")
                for (number, ref), value in values.items():
                    if number != int(match.group(1)):
                        continue
                    error = isinstance(value, str) and value.startswith("#")
                    pattern = re.compile(f'<c r="{ref}"([^>]*)><f>(.*?)</f><v\\s*/?>(?:</v>)?</c>')
                    attrs = ' t="e"' if error else ""
                    text, count = pattern.subn(lambda m, a=attrs, v=value, r=ref: f'<c r="{r}"{m.group(1)}{a}><f>'
                                               f'{m.group(2)}</f><v>{v}</v></c>', text)
                    assert count == 1, f"no formula at {ref}"
                content = text.encode("utf-8")
            target.writestr(info, content)
    return out.getvalue()


def write(tmp: Path, name: str, data: bytes) -> Path:
    """Write ``tmp/name``; returns the name alone (the tests run in ``tmp``, so messages show short names)."""
    (tmp / name).write_bytes(data)
    return Path(name)


FIGURES_HEADER = ["分类", "指标", "本年", "上年", "目标", "单位", "说明"]
