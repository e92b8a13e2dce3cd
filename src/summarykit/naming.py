"""Batch output names, planned all at once before anything is written.

A batch writes many files into one folder, named after their inputs
(``<stem>.<ext>``) and, for a multi-report file, after each report's
department (``<stem>-<department>.<ext>``, or ``<stem>-<number>.<ext>``).  Two
reports whose names come out equal would overwrite each other, and a name equal
to an input would destroy it; so every name is computed here first, from
nothing but text, and checked against every other name and every input.

Names are compared the way the file systems people use compare them: after
NFC normalisation and case folding (Windows and macOS are case-insensitive,
macOS also normalises).  Department text is sanitised first: invisible
characters (bidirectional overrides, zero-width spaces, variation selectors,
soft hyphens, BOMs) are removed — a file name must look like what it is —
and characters Windows refuses become ``_``.  A name longer than the file
system allows (255 bytes in UTF-8 on ext4, NTFS, APFS) is shortened in the
department part first, then the stem, on a character boundary.

The result is a list of ``Planned`` per input: a name, or a located Problem
saying which other report or input holds that name.  First come, first served:
the earlier input (in the order given) keeps the name.  Pure: no file-system
access (the caller resolves paths).
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from .errors import Problem

#: Longest file name in bytes (UTF-8) when the file system does not say otherwise.
NAME_MAX = 255
#: A department name is shortened to this many characters before the byte limit applies.
DEPARTMENT_CHARS = 60

_UNSAFE = re.compile(r'[\x00-\x1f\x7f-\x9f<>:"/\\|?*]+')
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}


def _invisible(ch: str) -> bool:
    """Characters that change nothing a reader sees: format controls (Cf: bidi overrides, zero-width
    spaces and joiners, BOM, soft hyphen), variation selectors, and the Hangul/Mongolian fillers."""
    code = ord(ch)
    return (unicodedata.category(ch) == "Cf" or 0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF
            or ch in "\u115f\u1160\u3164\uffa0\u180e")


def sanitize(text: str) -> str:
    """Text as part of a file name: NFC, no invisible characters, no path separators or characters
    Windows refuses, single spaces, no leading/trailing dots or spaces, not a reserved device name."""
    cleaned = "".join(ch for ch in unicodedata.normalize("NFC", str(text)) if not _invisible(ch))
    name = _UNSAFE.sub("_", " ".join(cleaned.split())).strip(" ._")
    name = name[:DEPARTMENT_CHARS].rstrip(" ._")
    return f"{name}_" if name.upper() in _RESERVED else name


def name_key(name: str) -> str:
    """How file systems compare names: equal keys are the same file on Windows or macOS."""
    return unicodedata.normalize("NFC", unicodedata.normalize("NFC", name).casefold())


def _fit(text: str, limit: int) -> str:
    """``text`` cut on a character boundary to at most ``limit`` bytes of UTF-8."""
    data = text.encode("utf-8")
    if len(data) <= limit:
        return text
    return data[:max(limit, 0)].decode("utf-8", "ignore").rstrip(" ._-")


def compose_name(stem: str, tag: str, suffix: str, name_max: int = NAME_MAX) -> str:
    """``<stem>-<tag><suffix>`` (or ``<stem><suffix>``) within ``name_max`` bytes: tag shortened first."""
    room = name_max - len(suffix.encode("utf-8"))
    if not tag:
        return _fit(stem, room) + suffix
    stem_bytes = len(stem.encode("utf-8"))
    tag_room = room - stem_bytes - 1
    if tag_room >= min(len(tag.encode("utf-8")), 24):
        return f"{stem}-{_fit(tag, tag_room)}{suffix}"
    short_tag = _fit(tag, 24)
    return f"{_fit(stem, room - len(short_tag.encode('utf-8')) - 1)}-{short_tag}{suffix}"


@dataclass(frozen=True)
class Department:
    """One report of a multi-report file as naming sees it: its meta.department and where that is."""

    text: str
    line: int | None = None
    column: int | None = None


@dataclass(frozen=True)
class Input:
    """One input file: its path, and its reports' departments (None for a single-report file)."""

    path: str
    departments: tuple[Department, ...] | None = None


@dataclass(frozen=True)
class Planned:
    """The output name of one report, or why it gets none."""

    position: int  # which input
    index: int  # which report of it (0 for a single-report file)
    name: str  # the output file name; "" when refused
    problem: Problem | None = None


def report_tags(departments: Sequence[Department]) -> list[str]:
    """<department>, or <number> when there is none; repeated departments get their number too."""
    width = len(str(len(departments)))
    numbers = [str(i + 1).zfill(width) for i in range(len(departments))]
    safe = [sanitize(d.text) for d in departments]
    counts: dict[str, int] = {}
    for name in safe:
        if name:
            counts[name_key(name)] = counts.get(name_key(name), 0) + 1
    return [number if not name else f"{name}-{number}" if counts[name_key(name)] > 1 else name
            for number, name in zip(numbers, safe, strict=True)]


def _stem(path: str) -> str:
    base = os.path.basename(path.rstrip("/\\")) or path
    stem, dot, _ = base.rpartition(".")
    return sanitize(stem if dot and stem else base) or "报告"


def plan(inputs: Sequence[Input], suffix: str, *, input_names: Sequence[str] = (),
         name_max: int = NAME_MAX) -> list[list[Planned]]:
    """Every output name of a batch, checked against each other and against the inputs.

    ``suffix`` is the extension with its dot (".docx").  ``input_names`` are the
    file names of the inputs that lie in the output folder (the caller knows,
    after resolving paths): no output may take one of those names.  Returns one
    list per input, one Planned per report, in order.
    """
    taken: dict[str, tuple[str, str | None]] = {name_key(n): (n, None) for n in input_names}  # None: an input
    result: list[list[Planned]] = []
    for position, item in enumerate(inputs):
        stem = _stem(item.path)
        if item.departments is None:
            tags, where = [""], [Department("")]
        else:
            tags, where = report_tags(item.departments), list(item.departments)
        planned: list[Planned] = []
        for index, (tag, department) in enumerate(zip(tags, where, strict=True)):
            name = compose_name(stem, tag, suffix, name_max)
            label = "" if item.departments is None else f"reports[{index}]"
            key = name_key(name)
            holder = taken.get(key)
            if holder is None:
                taken[key] = (item.path, label)
                planned.append(Planned(position, index, name))
                continue
            other, other_label = holder
            planned.append(Planned(position, index, "", _clash(item.path, label, department, name, other, other_label)))
        result.append(planned)
    return result


def _clash(path: str, label: str, department: Department, name: str, other: str,
           other_label: str | None) -> Problem:
    if other_label is None:
        what = f"输出文件名“{name}”与输出文件夹里的输入文件“{other}”相同（会覆盖它）"
    elif other_label:
        what = f"输出文件名“{name}”与“{other}”的 {other_label} 相同（会互相覆盖）"
    else:
        what = f"输出文件名“{name}”与“{other}”的输出相同（会互相覆盖）"
    if label:
        hint = "请把这一份的 meta.department 改成不同的名字，或给其中一个文件改名"
    else:
        hint = "请给其中一个文件改名，或分两批生成到不同的文件夹"
    return Problem(f"{what}，这一份未生成", file=path, line=department.line, column=department.column,
                   path=f"{label}.meta.department" if label else "", hint=hint)
