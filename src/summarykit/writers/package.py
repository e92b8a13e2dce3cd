"""Zipping a DOCX package with fixed timestamps, the static parts compressed once per process.

Kept apart from the typesetting so that the packaging — the per-report hot
path — can be optimised on its own.  A DOCX is about twenty parts of which only
``word/document.xml`` and ``docProps/core.xml`` change from one report to the
next; deflating the other eighteen (styles, numbering, settings, fonts table,
theme...) for every report was most of the time spent writing a document.

``zipfile`` has no public way to store data that is already compressed, so this
module writes the zip format itself: a local header and the deflated data per
part, then the central directory and the end record (APPNOTE.TXT §4.3).  That is
small, has no moving parts (no zip64: a report is far below 4 GiB; no data
descriptors; no extra fields) and is deterministic: the same parts and time give
the same bytes on every platform.  The bytes are those ``zipfile`` writes for the
same entries on a POSIX system (deflate level 6, ``create_system`` 3), so
python-docx, Word and LibreOffice read them as before.
"""

from __future__ import annotations

import datetime as dt
import functools
import struct
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

COMPRESS_LEVEL = 6
_DEFLATED = 8
_VERSION = 20  # 2.0: deflate; what zipfile writes for deflated entries
_CREATE_SYSTEM = 3  # UNIX, so that the external attributes (permissions) mean what they say
_UTF8_NAME = 0x800
_EXTERNAL_ATTR = 0o644 << 16
_LOCAL = struct.Struct("<4s2B4HL2L2H")
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")
_END = struct.Struct("<4s4H2LH")
_LOCAL_SIGNATURE = b"PK\003\004"
_CENTRAL_SIGNATURE = b"PK\001\002"
_END_SIGNATURE = b"PK\005\006"


@dataclass(frozen=True)
class Deflated:
    """One part, compressed: what a zip entry needs besides its position and time."""

    name: bytes
    flags: int
    crc: int
    size: int
    data: bytes  # raw deflate stream


def zip_time(when: dt.datetime) -> tuple[int, int, int, int, int, int]:
    """A zip entry's timestamp (zip cannot store years before 1980)."""
    return (max(when.year, 1980), when.month, when.day, when.hour, when.minute, when.second)


def _dos_time(when: dt.datetime) -> tuple[int, int]:
    """(time, date) in MS-DOS format, two-second resolution, years 1980–2107."""
    year, month, day, hour, minute, second = zip_time(when)
    year = min(year, 2107)
    return (hour << 11) | (minute << 5) | (second // 2), ((year - 1980) << 9) | (month << 5) | day


def deflate(name: str, data: bytes) -> Deflated:
    """Compress one part (raw deflate, as zip stores it).

    One ``zlib.compress`` call, not ``zipfile``'s compressor object fed once and flushed: the same
    stream (zlib, given the whole input at once, makes the same matches and blocks whether it is told
    to finish in the first call or the second; a test compares the two), without the second call and
    the joining of its two outputs.
    """
    try:
        encoded, flags = name.encode("ascii"), 0
    except UnicodeEncodeError:
        encoded, flags = name.encode("utf-8"), _UTF8_NAME
    return Deflated(encoded, flags, zlib.crc32(data), len(data), zlib.compress(data, COMPRESS_LEVEL, -15))


@functools.lru_cache(maxsize=16)
def prepared(parts: tuple[tuple[str, bytes], ...]) -> tuple[Deflated, ...]:
    """Every part of a base package compressed, once per process and package.

    The key is the parts tuple itself; the cached base package hands over the
    same tuple every time, so the lookup is an identity comparison.
    """
    return tuple(deflate(name, data) for name, data in parts)


def write_zip(entries: Sequence[Deflated], when: dt.datetime) -> bytes:
    """Local headers and data, then the central directory and the end record."""
    time, date = _dos_time(when)
    chunks: list[bytes] = []
    central: list[bytes] = []
    offset = 0
    for entry in entries:
        local = _LOCAL.pack(_LOCAL_SIGNATURE, _VERSION, 0, entry.flags, _DEFLATED, time, date, entry.crc,
                            len(entry.data), entry.size, len(entry.name), 0)
        chunks += (local, entry.name, entry.data)
        central.append(_CENTRAL.pack(_CENTRAL_SIGNATURE, _VERSION, _CREATE_SYSTEM, _VERSION, 0, entry.flags,
                                     _DEFLATED, time, date, entry.crc, len(entry.data), entry.size,
                                     len(entry.name), 0, 0, 0, 0, _EXTERNAL_ATTR, offset))
        central.append(entry.name)
        offset += len(local) + len(entry.name) + len(entry.data)
    directory = b"".join(central)
    if offset + len(directory) > 0xFFFFFFFF or len(entries) > 0xFFFF:  # pragma: no cover - needs zip64
        raise ValueError("package too large for a plain zip")
    end = _END.pack(_END_SIGNATURE, 0, 0, len(entries), len(entries), len(directory), offset, 0)
    return b"".join(chunks) + directory + end


def assemble(parts: Sequence[tuple[str, bytes]], replaced: Mapping[str, bytes], when: dt.datetime,
             added: Sequence[tuple[str, bytes]] = ()) -> bytes:
    """The package's parts in their original order, some replaced, ``added`` ones (pictures, charts)
    after them, all stamped with ``when``.

    Only the replaced and added parts are compressed here; the others come
    compressed from the per-process cache.
    """
    static = prepared(parts if isinstance(parts, tuple) else tuple(parts))
    entries = [
        deflate(name, replaced[name]) if name in replaced else entry
        for (name, _), entry in zip(parts, static, strict=True)
    ]
    entries += [deflate(name, data) for name, data in added]
    return write_zip(entries, when)
