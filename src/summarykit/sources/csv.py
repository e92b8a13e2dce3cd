"""A CSV file → one Sheet: the encoding sniffed like a records file, the separator sniffed by csv.

Excel on a Chinese Windows saves “CSV” in GBK, “CSV UTF-8” with a BOM, and other programs plain
UTF-8: records/decoding.py already tells these apart (one home for encodings), so the bytes go
through ``decode`` and its notices (“按 GBK 读取”) come along.  Every cell is text in a CSV; the
layouts read numbers out of it (1,234 / 95.6% / 约1200) where a number is expected.
"""

from __future__ import annotations

import csv
import io

from ..records.decoding import decode
from .grid import Sheet, Value, number_in_text


def read_csv(data: bytes, name: str) -> tuple[Sheet, list]:
    """The rows of a CSV file, and the notices of decoding it (an encoding other than UTF-8)."""
    source = decode(data, name)
    text = source.text.removeprefix("\ufeff")
    sample = text[:4096]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=",\t;，")
    except csv.Error:
        dialect = csv.excel
    rows: list[list[Value]] = []
    for cells in csv.reader(io.StringIO(text, newline=""), dialect):
        rows.append([_value(cell) for cell in cells])
    while rows and all(v is None for v in rows[-1]):
        rows.pop()
    return Sheet(name, "", rows), list(source.notices)


def _value(text: str) -> Value:
    text = text.strip()
    if not text:
        return None
    found = number_in_text(text)
    return found if found is not None else text
