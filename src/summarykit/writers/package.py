"""Zipping a DOCX package with fixed timestamps.

Kept apart from the typesetting so that the packaging (the per-report hot
path: compressing and writing the zip) can be optimised on its own.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Mapping, Sequence


def zip_time(when: dt.datetime) -> tuple[int, int, int, int, int, int]:
    """A zip entry's timestamp (zip cannot store years before 1980)."""
    return (max(when.year, 1980), when.month, when.day, when.hour, when.minute, when.second)


def assemble(parts: Sequence[tuple[str, bytes]], replaced: Mapping[str, bytes], when: dt.datetime) -> bytes:
    """The package's parts in their original order, some replaced, all stamped with ``when``."""
    date_time = zip_time(when)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in parts:
            info = zipfile.ZipInfo(name, date_time=date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            package.writestr(info, replaced.get(name, data), compresslevel=6)
    return buffer.getvalue()
