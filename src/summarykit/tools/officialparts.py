"""The 公文 parts of a finished report read back (import): 版头, 主送机关, 附注 and 版记 (GB/T 9704 §7).

A summary submitted as a 报告 starts with the 版头 — 份号, 密级, 紧急程度, the 发文机关标志,
the 发文字号 (with 签发人 for a report to a superior) — has the 主送机关 under its title, a 附注
under the date and the 版记 (抄送, 印发机关 and 印发日期) at the foot of its last page.  Import
gives them back as the records' ``official:`` keys (the names of records/model.py ``Official``)
instead of letting them become the title, the opening or the closing.

Pure functions of the lines' texts (tools/importer.py calls them and keeps the line numbers);
each recognises only what the standard's layout makes unmistakable: a 发文字号 has its year in
brackets and ends with 号, a 版记 line starts with 抄送： or ends with 印发.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Any

from ..zh.dates import split_date

_COPY_NUMBER = re.compile(r"^\d{1,6}$")
_SECRECY = re.compile(r"^(?:绝密|机密|秘密)(?:\s*★\s*\S+)?$")
_URGENCY = re.compile(r"^(?:特急|加急)$")
# 机关代字〔2026〕3号 — the year in 六角括号 (or the brackets people type instead), then the number and 号.
_NUMBER = re.compile(r"^(?P<number>[^\s〔\[［(（]{1,20}[〔\[［(（]\d{4}[〕\]］)）]\d{1,5}号)(?P<rest>.*)$")
_SIGNERS = re.compile(r"^签\s*发\s*人\s*[:：]\s*(?P<names>.*)$")
_NAME_SPLIT = re.compile(r"[\s\u3000、，,]+")
_ISSUER_MAX = 40
_COPY_TO = re.compile(r"^抄\s*送\s*[:：]\s*(?P<names>.+)$")
_PRINTED = re.compile(r"^(?P<printer>.*?)[\s\u3000\t]*(?P<date>\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)\s*印\s*发$")
_ORGAN = re.compile(r"(?:政府|委员会|人大|政协|党委|党组|委|厅|局|部|办公室|办|院|署|处|室|科|所|中心|公司|集团|学校|大学|学院|"
                    r"医院|街道|社区|乡|镇|村|单位|各[^，。]*)$")


def _names(text: str) -> list[str]:
    return [n for n in _NAME_SPLIT.split(text.strip()) if n]


def read_head(texts: Sequence[str]) -> tuple[dict[str, Any], int]:
    """The 版头 at the top of ``texts`` (non-empty lines) and how many lines it takes; ({}, 0) when there is none.

    There is a 版头 only when a 发文字号 is found (within the first eight lines): the lines
    before it are 份号, 密级, 紧急程度 and the 发文机关标志 (the line right above the
    number, or above the 签发人 lines); names after “签发人：” and on the lines down to the
    number's are the 签发人, two to a line.
    """
    at = next((i for i, text in enumerate(texts[:8]) if _NUMBER.match(text.strip())), None)
    if at is None:
        return {}, 0
    parts: dict[str, Any] = {}
    first_signers = next((i for i in range(at + 1) if _SIGNERS.match(_signer_part(texts[i]))), None)
    top = at if first_signers is None else first_signers
    signers: list[str] = []
    for index in range(top, at + 1):
        text = texts[index].strip()
        number = _NUMBER.match(text)
        rest = number.group("rest") if number else text
        if number:
            parts["number"] = number.group("number")
        found = _SIGNERS.match(rest.strip())
        if found:
            rest = found.group("names")
        if first_signers is not None:
            signers.extend(_names(rest))
    if signers:
        parts["signers"] = signers
    for index in range(top):
        text = texts[index].strip()
        if index == 0 and _COPY_NUMBER.match(text):
            parts["copy_number"] = text
        elif _SECRECY.match(text) and "secrecy" not in parts:
            parts["secrecy"] = re.sub(r"\s+", "", text)
        elif _URGENCY.match(text) and "urgency" not in parts:
            parts["urgency"] = text
        elif index == top - 1 and len(text) <= _ISSUER_MAX and not re.search(r"[，。；：]", text):
            parts["issuer"] = text
        else:
            return {}, 0  # something else before the number: not a 版头 as the standard lays it out
    return parts, at + 1


def _signer_part(text: str) -> str:
    """What may hold “签发人：” on a line: after the 发文字号 when the line starts with one."""
    number = _NUMBER.match(text.strip())
    return (number.group("rest") if number else text).strip()


def read_recipients(text: str, *, official: bool) -> str | None:
    """主送机关 (the line under the title): short, ending with a colon, naming offices; None otherwise.

    Without a 版头 (``official`` false) only a line ending in an office's name counts, so that a
    speech's “各位领导、同志们：” stays the audience.
    """
    text = text.strip()
    if not text.endswith(("：", ":")) or len(text) > 40 or re.search(r"[。；！？]", text):
        return None
    name = text.rstrip("：: ")
    if not name or re.search("领导|同志|各位|老师们|同事|代表", name):
        return None
    if not official and not _ORGAN.search(name.split("，")[-1].split("、")[-1]):
        return None
    return name


def read_note(text: str) -> str | None:
    """附注: a line in full-width (or half-width) parentheses; the text inside them."""
    text = text.strip()
    match = re.match(r"^[（(](?P<note>.+)[）)]$", text)
    return match.group("note").strip() if match else None


def read_record(texts: Sequence[str]) -> tuple[dict[str, Any], int]:
    """The 版记 at the end of ``texts`` (non-empty lines): 抄送 and 印发 lines, and how many lines it takes."""
    parts: dict[str, Any] = {}
    taken = 0
    for text in reversed(texts[-3:]):
        line = text.strip()
        printed = _PRINTED.match(line)
        copy_to = _COPY_TO.match(line)
        if printed and "printed" not in parts and "copy_to" not in parts:
            date = split_date(printed.group("date").replace(" ", ""), ("arabic",))
            if date is None:
                break
            try:
                parts["printed"] = dt.date(*date)
            except ValueError:
                break
            if printed.group("printer").strip():
                parts["printer"] = printed.group("printer").strip()
        elif copy_to and "copy_to" not in parts:
            parts["copy_to"] = [n.rstrip("。") for n in re.split(r"[、，,；;]", copy_to.group("names")) if n.strip("。 ")]
        else:
            break
        taken += 1
    return parts, taken
