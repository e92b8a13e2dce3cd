"""Do the figures agree with themselves?  Totals against parts, percentages, signs, zero bases.

Run by loading after validation, so `validate` and `render` both report it, each problem at the
line of the metric.  What is certainly wrong is an error (nothing is written); what may be meant
is a notice (the document is still produced).  docs/records.md lists which is which:

errors   — parts adding up to more than the total; parts not adding up to the total when declared
           exact (``parts_exact: true``); a percentage over 100 that is not a rate (growth rates and
           completion rates may exceed 100: write ``kind: rate``); a negative count, duration or area.
notices  — a previous value of zero (growth is undefined: the sentence gives no percentage).

Parts of a percentage (per-campus satisfaction) and of an approximate figure are not added up.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from decimal import Decimal
from typing import Any

from ..errors import Notice, Problem
from ..zh.numformat import num
from .model import Metric, Report
from .yamlmarks import format_path, nearest_mark

_RATE_WORDS = ("增长", "增幅", "增速", "增加", "完成率", "同比", "环比", "提高", "上升", "进度")
_NON_NEGATIVE = ("count", "duration", "area", "percentage")


def _dec(value: float | int) -> Decimal:
    return Decimal(value) if isinstance(value, int) else Decimal(repr(float(value)))


def metrics_with_paths(report: Report) -> Iterator[tuple[tuple[Any, ...], Metric]]:
    """Every metric of a report with its path in the records (document order)."""
    for i, metric in enumerate(report.key_figures):
        yield ("key_figures", i), metric
    for c, category in enumerate(report.achievements):
        yield from _group(("achievements", c), category)
    yield from _sections(("sections",), report.sections)
    for key in ("experiences", "problems", "plans"):
        yield from _group((key,), getattr(report, key))


def _group(path: tuple[Any, ...], group: Any) -> Iterator[tuple[tuple[Any, ...], Metric]]:
    for i, metric in enumerate(group.metrics):
        yield (*path, "metrics", i), metric
    for k, item in enumerate(group.items):
        if item.metrics:  # most items have no figures: skip the inner loop's set-up
            for i, metric in enumerate(item.metrics):
                yield (*path, "items", k, "metrics", i), metric


def _sections(path: tuple[Any, ...], sections: Any) -> Iterator[tuple[tuple[Any, ...], Metric]]:
    for s, section in enumerate(sections):
        yield from _group((*path, s), section)
        yield from _sections((*path, s, "subsections"), section.subsections)


def _is_rate(metric: Metric) -> bool:
    return metric.kind == "rate" or any(word in metric.name for word in _RATE_WORDS)


def metric_problems(metric: Metric) -> Iterator[tuple[str, str, str, str]]:
    """(severity, key, message, hint) for one metric: the rules above, pure."""
    kind = metric.resolved_kind
    value = _dec(metric.value)
    named = f"“{metric.name}”"
    if kind in _NON_NEGATIVE:
        for key, number in (("value", metric.value), ("previous", metric.previous), ("target", metric.target)):
            if number is not None and number < 0:
                yield ("error", key, f"{named}是{_KIND_WORDS[kind]}，不能是负数（{num(number)}）",
                       "请检查数值；表示减少请写在 previous 里，由程序算出下降")
        for part in metric.parts:
            if part.value < 0:
                yield ("error", "parts", f"{named}的构成“{part.name}”是负数（{num(part.value)}）", "请检查数值")
    if kind == "percentage" and not _is_rate(metric):
        for key, number in (("value", metric.value), ("previous", metric.previous), ("target", metric.target)):
            if number is not None and number > 100:
                yield ("error", key, f"{named}是百分比，却超过了100%（{num(number)}%）",
                       "如果这是增长率、完成率等可以超过100%的比率，请写 kind: rate")
        for part in metric.parts:
            if part.value > 100:
                yield ("error", "parts", f"{named}的构成“{part.name}”超过了100%（{num(part.value)}%）",
                       "请检查数值")
    if metric.parts and kind not in ("percentage", "rate") and metric.approx is None:
        total = sum((_dec(p.value) for p in metric.parts), Decimal(0))
        if metric.parts_exact and total != value:
            yield ("error", "parts", f"{named}的各部分之和是 {num(str(total))}，与总数 {num(metric.value)} 不等",
                   "parts_exact: true 表示各部分正好合成总数：请核对数字，只列部分时请删去 parts_exact")
        elif total > value:
            yield ("error", "parts", f"{named}的各部分之和 {num(str(total))} 大于总数 {num(metric.value)}",
                   "请核对总数和各部分的数字")
    if metric.previous is not None and metric.previous == 0 and kind not in ("percentage", "rate"):
        yield ("notice", "previous", f"{named}的上期数值是 0，无法计算增长率，句子里不写百分比",
               "")


_KIND_WORDS = {"count": "数量", "duration": "时长", "area": "面积", "percentage": "百分比"}


def check_report(report: Report, marks: Mapping[tuple[Any, ...], tuple[int, int]], name: str,
                 prefix: tuple[Any, ...] = ()) -> tuple[list[Problem], list[Notice]]:
    """Located errors and notices for every metric of a report."""
    problems: list[Problem] = []
    notices: list[Notice] = []
    for path, metric in metrics_with_paths(report):
        for severity, key, message, hint in metric_problems(metric):
            where = (*prefix, *path, key)
            line, column = nearest_mark(marks, where) or (None, None)
            if severity == "error":
                problems.append(Problem(message, file=name, line=line, column=column,
                                        path=format_path(where), hint=hint))
            else:
                place = f"{name}:{line}" if line else name
                notices.append(Notice("metric", f"{format_path(where)}：{message}", place))
    return problems, notices
