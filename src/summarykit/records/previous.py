"""Last period's records → the ``previous`` values of this period's metrics.

A year-end summary compares every figure with last year's; last year's figures are already in
last year's records file.  ``--previous LAST.yaml`` (or ``previous: LAST.yaml`` in the records)
fills each metric's ``previous`` from the metric of the same name in the same place: the key
figures, the category or section with the same heading (subsections by their heading path), or
the same part (experiences, problems, plans).  A ``previous`` written in the records wins.  What
finds no partner is listed in one notice; a file that shares no place or no metric with this one
is an error, because it is almost certainly the wrong file.

Pure except for ``load_previous``, which reads the file (through loading.load, so its own
mistakes are reported with its own name and lines).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

from ..errors import Notice, Problem, RecordsError
from .model import Metric, Report


def places(report: Report) -> Iterator[tuple[tuple[str, ...], tuple[Any, ...], list[tuple[tuple[Any, ...], Metric]]]]:
    """(place key, data path, [(path, metric)]) for every group holding metrics, in document order.

    The place key is what matches across years: headings, never positions, so that a category
    added or moved this year does not shift every comparison after it.
    """
    yield ("主要指标",), ("key_figures",), [(("key_figures", i), m) for i, m in enumerate(report.key_figures)]
    for c, category in enumerate(report.achievements):
        yield (category.heading,), ("achievements", c), list(_own(("achievements", c), category))
    yield from _sections((), ("sections",), report.sections)
    for key, title in (("experiences", "经验体会"), ("problems", "存在问题"), ("plans", "下一步打算")):
        yield (title,), (key,), list(_own((key,), getattr(report, key)))


def _own(path: tuple[Any, ...], group: Any) -> Iterator[tuple[tuple[Any, ...], Metric]]:
    for i, metric in enumerate(group.metrics):
        yield (*path, "metrics", i), metric
    for k, item in enumerate(group.items):
        for i, metric in enumerate(item.metrics):
            yield (*path, "items", k, "metrics", i), metric


def _sections(key: tuple[str, ...], path: tuple[Any, ...], sections: Any) -> Iterator[Any]:
    for s, section in enumerate(sections):
        here = (*key, section.heading)
        yield here, (*path, s), list(_own((*path, s), section))
        yield from _sections(here, (*path, s, "subsections"), section.subsections)


def _set(data: Any, path: tuple[Any, ...], value: Any) -> None:
    for part in path[:-1]:
        data = data[part]
    data[path[-1]] = value


def fill_previous(report: Report, last: Report, last_name: str) -> tuple[Report, list[Notice]]:
    """``report`` with previous values taken from ``last`` by place and metric name, and the notices."""
    last_places = {key: {m.name: m for _, m in found} for key, _, found in places(last) if found}
    if not last_places:
        raise RecordsError(f"{last_name}：上期记录里没有任何指标（metrics、key_figures），无法比较。", [
            Problem("上期记录里没有任何指标", file=last_name,
                    hint="请确认给的是上一期的记录文件，其中的数字要写成 metrics")])
    data = report.model_dump(mode="python", by_alias=True)  # Chart.source is written `from`
    matched_places = 0
    missing: list[str] = []
    filled = 0
    for key, _, found in places(report):
        if not found:
            continue
        partners = last_places.get(key)
        if partners is None:
            missing.extend(f"{'／'.join(key)}·{m.name}" for _, m in found if m.previous is None)
            continue
        matched_places += 1
        for path, metric in found:
            if metric.previous is not None:
                continue
            partner = partners.get(metric.name)
            if partner is None:
                missing.append(f"{'／'.join(key)}·{metric.name}")
                continue
            _set(data, (*path, "previous"), partner.value)
            filled += 1
    if matched_places == 0:
        ours = "、".join(dict.fromkeys("／".join(k) for k, _, f in places(report) if f))
        theirs = "、".join("／".join(k) for k in last_places)
        raise RecordsError(f"{last_name}：上期记录与本期的结构不同，没有一个类别或章节同名，无法按名称比较。", [
            Problem("上期记录与本期的结构不同", file=last_name,
                    hint=f"本期有指标的是：{ours or '无'}；上期的是：{theirs}。请让类别、章节的标题与上期一致，"
                         "或在本期的指标里直接写 previous")])
    notices: list[Notice] = []
    if missing:
        shown = "、".join(missing[:12]) + (f"等 {len(missing)} 项" if len(missing) > 12 else "")
        notices.append(Notice("previous", f"在上期记录 {last_name} 中没有找到同名的指标，这些不作比较：{shown}",
                              report.source))
    if filled == 0:
        return report, notices
    updated = Report.model_validate(data)
    updated._notices.extend(report.notices)
    updated._source = report.source
    return updated, notices


def previous_path(report: Report, given: str | os.PathLike[str] | None, name: str) -> Path | None:
    """The previous period's file: the one given (command line), else the records' ``previous:``
    relative to the records file."""
    if given is not None:
        return Path(given)
    if report.previous:
        base = Path(name).parent if name and not name.startswith("<") else Path()
        return base / report.previous
    return None


def load_previous(report: Report, given: str | os.PathLike[str] | None, name: str,
                  marks: Mapping[tuple[Any, ...], tuple[int, int]] | None = None,
                  prefix: tuple[Any, ...] = (), *,
                  read: Callable[[Path], Report]) -> tuple[Report, list[Notice]]:
    """Read last period's records (if any is named) with ``read`` (loading.load, passed in by the
    loader so that this module does not import it back) and fill the previous values.

    A ``previous:`` key naming no file is reported at its own line in these records; a file
    given on the command line is reported by the loader (not found, with did-you-mean).
    """
    path = previous_path(report, given, name)
    if path is None:
        return report, []
    if given is None and not path.is_file():
        from .yamlmarks import format_path, nearest_mark

        line, column = nearest_mark(marks or {}, (*prefix, "previous")) or (None, None)
        raise RecordsError.collect(name, [Problem(
            f"找不到上期记录文件“{report.previous}”", file=name, line=line, column=column,
            path=format_path((*prefix, "previous")),
            hint="previous: 写上一期记录文件的路径，相对本记录文件所在的文件夹，如 `previous: 2025年.yaml`")])
    last = read(path)
    return fill_previous(report, last, str(path))
