"""Charts drawn from the records' own metrics (``charts: [{from: 就餐人次}]``): the numbers typed once.

A chart's ``from`` names metrics of the same records; after loading (and after last period's
figures are filled in, so that ``previous`` may come from ``--previous``) this module writes the
chart's categories and series from them, so every later stage sees an ordinary chart:

- one name: the metric's ``parts`` (各季度、各部门) are the categories, its name the one series;
  a metric without parts is refused (one number makes no chart), and so is a pie of parts that do
  not add up to the total (its slices would pass for the whole);
- several names: the metrics are the categories, their values the series “本年” (the current
  period's name from ``meta.previous_label``); when every one of them has a ``previous``, a
  second series “上年” beside it (not in a pie, which has one series); they must share a unit.

A name is looked up first among the metrics of the chart's own category or section (its
``metrics`` and its items' metrics), then in the whole records; a name that matches nothing
gets a did-you-mean (zh/suggest.py), one that matches different metrics is ambiguous.  Every
problem is located at the chart's ``from:`` line.

``chart_numbers`` is pure; ``fill_charts`` walks a report and re-validates it like previous.py.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..errors import Problem, RecordsError
from ..zh.suggest import did_you_mean
from .consistency import metrics_with_paths
from .model import Chart, Metric, Report
from .yamlmarks import format_path, nearest_mark

_MAX_LISTED = 8  # names shown in a hint when nothing is close


class ChartSourceError(ValueError):
    """A ``from`` that cannot be drawn: ``args[0]`` the message, ``hint`` how to fix it."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.hint = hint


@dataclass(frozen=True)
class Found:
    """A metric and where it is in the records."""

    path: tuple[Any, ...]
    metric: Metric


def _same(a: Metric, b: Metric) -> bool:
    return a.model_dump() == b.model_dump()


def _lookup(name: str, local: Sequence[Found], everywhere: Sequence[Found]) -> Metric:
    for scope in (local, everywhere):
        matches = [f for f in scope if f.metric.name == name]
        if not matches:
            continue
        if any(not _same(matches[0].metric, f.metric) for f in matches[1:]):
            places = "、".join(format_path(f.path) for f in matches[:4])
            raise ChartSourceError(f"有 {len(matches)} 个不同的指标都叫“{name}”（{places}），不知道画哪一个",
                                   "把图表写在那个指标所在的类别或章节里，或者给这几个指标起不同的名称")
        return matches[0].metric
    names = list(dict.fromkeys(f.metric.name for f in everywhere))
    if not names:
        raise ChartSourceError(f"记录里没有叫“{name}”的指标：这份记录还没有任何指标",
                               "先在 metrics 或 key_figures 里写上指标（名称、数值、单位），from 写它的名称")
    guess = did_you_mean(name, names)
    if guess is not None:
        raise ChartSourceError(f"记录里没有叫“{name}”的指标", f"是不是想写“{guess}”？from 要写指标的 name")
    shown = "、".join(names[:_MAX_LISTED]) + ("等" if len(names) > _MAX_LISTED else "")
    raise ChartSourceError(f"记录里没有叫“{name}”的指标", f"from 要写指标的 name，记录里的指标有：{shown}")


def chart_numbers(chart: Chart, local: Sequence[Found], everywhere: Sequence[Found],
                  previous_label: str = "上年") -> dict[str, Any]:
    """``categories``, ``series`` and ``unit`` of a chart with ``from``, by the rules above."""
    from ..drafting.figures import current_label

    if len(set(chart.source)) < len(chart.source):
        twice = next(n for n in chart.source if chart.source.count(n) > 1)
        raise ChartSourceError(f"from 里“{twice}”写了两次", "每个指标只写一次")
    metrics = [_lookup(name, local, everywhere) for name in chart.source]
    if len(metrics) == 1:
        metric = metrics[0]
        if not metric.parts:
            raise ChartSourceError(f"指标“{metric.name}”没有 parts（构成），一个数画不成图",
                                   "给这个指标写上 parts（如各季度、各部门的数值），"
                                   "或者 from 写几个指标的名称（列表），画它们的对比")
        if chart.type == "pie":
            _whole(metric)
        return {"categories": [p.name for p in metric.parts],
                "series": [{"name": metric.name, "values": [p.value for p in metric.parts]}],
                "unit": chart.unit or metric.unit}
    units = list(dict.fromkeys(m.unit for m in metrics))
    if len(units) > 1:
        shown = "，".join(f"“{m.name}”是“{m.unit or '无单位'}”" for m in metrics if m.unit in units[:2])
        raise ChartSourceError(f"from 里的指标单位不同（{shown}），不能画在同一张图里",
                               "一张图只画同一单位的指标，单位不同的请分成几张图")
    series = [{"name": current_label(previous_label), "values": [m.value for m in metrics]}]
    if chart.type != "pie" and all(m.previous is not None for m in metrics):
        series.append({"name": previous_label, "values": [m.previous for m in metrics]})
    return {"categories": [m.name for m in metrics], "series": series, "unit": chart.unit or units[0]}


def _whole(metric: Metric) -> None:
    """A pie shows shares of a whole: its slices must be the whole metric, not a few of its parts."""
    from decimal import Decimal

    from ..zh.numformat import num

    total = sum((Decimal(repr(p.value)) for p in metric.parts), Decimal(0))
    if total != Decimal(repr(metric.value)):
        raise ChartSourceError(f"“{metric.name}”的各部分之和是 {num(str(total))}，不等于总数 {num(metric.value)}，"
                               "画成饼图会把这几部分当成全部",
                               "改用 type: bar（柱形图），或把 parts 补全（各部分之和等于总数）")


def _charts(report: Report) -> Iterator[tuple[tuple[Any, ...], Chart]]:
    """(path of the category or section, chart) for every chart, in document order."""
    for c, category in enumerate(report.achievements):
        for k, chart in enumerate(category.charts):
            yield ("achievements", c, "charts", k), chart

    def sections(path: tuple[Any, ...], items: Any) -> Iterator[tuple[tuple[Any, ...], Chart]]:
        for s, section in enumerate(items):
            for k, chart in enumerate(section.charts):
                yield (*path, s, "charts", k), chart
            yield from sections((*path, s, "subsections"), section.subsections)

    yield from sections(("sections",), report.sections)


def _own(group: tuple[Any, ...], path: tuple[Any, ...]) -> bool:
    """Whether a metric at ``path`` belongs to the group itself (its metrics, its items'), not a subsection."""
    return path[: len(group)] == group and path[len(group)] in ("metrics", "items")


def fill_charts(report: Report, marks: Mapping[tuple[Any, ...], tuple[int, int]], name: str,
                prefix: tuple[Any, ...] = ()) -> Report:
    """``report`` with the numbers of every ``from`` chart written in, or RecordsError at the ``from:`` lines."""
    charts = [(path, chart) for path, chart in _charts(report) if chart.source]
    if not charts:
        return report
    everywhere = [Found(path, metric) for path, metric in metrics_with_paths(report)]
    data = report.model_dump(mode="python", by_alias=True)
    problems: list[Problem] = []
    for path, chart in charts:
        group = path[:-2]
        local = [f for f in everywhere if _own(group, f.path)]
        try:
            numbers = chart_numbers(chart, local, everywhere, report.meta.previous_label)
        except ChartSourceError as exc:
            where = (*prefix, *path, "from")
            line, column = nearest_mark(marks, where) or (None, None)
            problems.append(Problem(str(exc), file=name, line=line, column=column, path=format_path(where),
                                    hint=exc.hint))
            continue
        target = data
        for part in path:
            target = target[part]
        target.update(numbers, **{"from": []})
    if problems:
        raise RecordsError.collect(name, problems)
    updated = Report.model_validate(data)
    updated._notices.extend(report.notices)
    updated._source = report.source
    updated._assets.update(report.assets)
    return updated
