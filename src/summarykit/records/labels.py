"""Labels typed into records (一、 （一） 1. 1、 （1） ① 一是): stripped, or reported when they contradict.

Numbers are added by the numbering pass, never typed; but people paste headings with their numbers
("一、学生食堂改革"), which used to print as "二、一、学生食堂改革".  A typed label that agrees with
where the heading or item stands is dropped with a notice; one that contradicts it (（一） on a
top-level heading, "三、" on the first one) is an error with its line, because either the label or
the order is wrong and only the writer knows which.  An item's 一是 is stripped only where it agrees
(二是 on the second item): a disagreeing one may be prose ("三是指……") and is left as written.  Label reading is tree/numbering.py's.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..errors import Notice, Problem
from ..zh.labels import LABEL_LEVELS, LABEL_START, parse_enumerator, parse_label
from .yamlmarks import format_path

Locate = Callable[[tuple[Any, ...]], tuple[int | None, int | None]]
_KIND_NAMES = {1: "一级标题（一、）", 2: "二级标题（（一））", 3: "三级（1.）", 4: "四级（（1））", 5: "五级（①）"}
_PARTS = ("experiences", "problems", "plans")
_FORMATS = {"cn": "{cn}、", "paren-cn": "（{cn}）", "n-dot": "{n}.", "n-dun": "{n}、", "paren-n": "（{n}）",
            "circled": "{circled}", "shi": "{cn}是", "n-paren": "{n}）"}


def _typed(text: str, items: bool) -> tuple[str, int, str, str] | None:
    """(kind, number, rest, label as typed) of a leading label; items may also start with 一是."""
    if not LABEL_START.match(text.strip()):
        return None  # neither a label nor 一是 can start here (nearly every text)
    found = parse_label(text)
    if found:
        kind, number, rest = found
        return kind, number, rest, text.strip()[: len(text.strip()) - len(rest)].strip()
    if items:
        enum = parse_enumerator(text)
        if enum:
            number, rest = enum
            return "shi", number, rest, text.strip()[: len(text.strip()) - len(rest)].strip()
    return None


class _Stripper:
    def __init__(self, name: str, locate: Locate) -> None:
        self.name = name
        self.locate = locate
        self.stripped: list[str] = []
        self.problems: list[Problem] = []

    def _error(self, path: tuple[Any, ...], message: str, hint: str) -> None:
        line, column = self.locate(path)
        self.problems.append(Problem(message, file=self.name, line=line, column=column, path=format_path(path),
                                     hint=hint))

    def text(self, holder: dict[str, Any], key: str, path: tuple[Any, ...], *, level: int | None,
             numbers: tuple[int, ...], items: bool = False) -> None:
        """Strip the label of holder[key] when it agrees with ``level`` and one of ``numbers``."""
        value = holder.get(key)
        if not isinstance(value, str):
            return
        found = _typed(value, items)
        if not found:
            return
        kind, number, rest, typed = found
        where = (*path, key)
        if level is not None and kind != "shi" and LABEL_LEVELS[kind] != level:
            self._error(where, f"手写的编号“{typed}”是{_KIND_NAMES[LABEL_LEVELS[kind]]}的编号，这里却是{_KIND_NAMES[level]}",
                        f"编号由程序按层级自动添加，请删去“{typed}”；如果层级放错了，请把这一项移到正确的位置")
            return
        if kind == "shi" and numbers and number not in numbers:
            return  # "三是……" on the first item reads as prose (三是指……), not as a wrong label: left alone
        if numbers and number not in numbers:
            # Only a wrong label needs the numbering rules (and the document tree they import): loading stays light.
            from ..tree.numbering import format_label

            expected = "或".join(f"“{format_label(_FORMATS[kind], n)}”" for n in numbers)
            self._error(where, f"手写的编号“{typed}”与位置不符：这里是第 {numbers[0]} 项（应为{expected}）",
                        f"编号由程序自动添加，请删去“{typed}”；如果顺序错了，请调整各项的顺序")
            return
        holder[key] = rest
        line, _ = self.locate(where)
        self.stripped.append(f"{format_path(where)}（第 {line} 行）“{typed}”" if line else f"{format_path(where)}“{typed}”")

    def item_list(self, owner: dict[str, Any], path: tuple[Any, ...]) -> None:
        entries = owner.get("items")
        if not isinstance(entries, list):
            return
        starts = LABEL_START.match  # _typed's first test, made here: nearly no item starts like a label
        for index, entry in enumerate(entries):
            if isinstance(entry, str):
                if not starts(entry.strip()):
                    continue
                box = {"text": entry}
                self.text(box, "text", (*path, "items", index), level=None, numbers=(index + 1,), items=True)
                entries[index] = box["text"]
            elif isinstance(entry, dict):
                text = entry.get("text")
                if not isinstance(text, str) or not starts(text.strip()):
                    continue
                self.text(entry, "text", (*path, "items", index, "text")[:-1], level=None, numbers=(index + 1,),
                          items=True)

    def section(self, section: Any, path: tuple[Any, ...], level: int, numbers: tuple[int, ...]) -> None:
        if not isinstance(section, dict):
            return
        self.text(section, "heading", path, level=min(level, 5), numbers=numbers)
        self.item_list(section, path)
        subs = section.get("subsections")
        if isinstance(subs, list):
            for index, sub in enumerate(subs):
                self.section(sub, (*path, "subsections", index), level + 1, (index + 1,))


def strip_typed_labels(data: Any, name: str, locate: Locate,
                       prefix: tuple[Any, ...] = ()) -> tuple[list[Notice], list[Problem]]:
    """Strip agreeing labels from ``data`` (a report's plain data, changed in place); report the others."""
    if not isinstance(data, dict):
        return [], []
    work = _Stripper(name, lambda path: locate((*prefix, *path)))
    achievements = data.get("achievements")
    count = len(achievements) if isinstance(achievements, list) else 0
    if isinstance(achievements, list):
        for index, category in enumerate(achievements):
            if isinstance(category, dict):
                path = ("achievements", index)
                work.text(category, "heading", path, level=1, numbers=(index + 1,))
                work.item_list(category, path)
    sections = data.get("sections")
    if isinstance(sections, list):
        for index, section in enumerate(sections):
            numbers = tuple(dict.fromkeys((index + 1, count + index + 1)))
            work.section(section, ("sections", index), 1, numbers)
    for key in _PARTS:
        part = data.get(key)
        if isinstance(part, list):
            part = data[key] = {"items": part}
        if isinstance(part, dict):
            work.text(part, "heading", (key,), level=1, numbers=())
            work.item_list(part, (key,))
    notices = []
    if work.stripped:
        shown = "、".join(work.stripped[:8]) + (f"等 {len(work.stripped)} 处" if len(work.stripped) > 8 else "")
        notices.append(Notice("labels", f"去掉了手写的编号（编号由程序按位置自动添加，不会重复）：{shown}",
                              name))
    return notices, work.problems
