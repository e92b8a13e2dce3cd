"""Metrics → sentences: a figure, its comparison with the previous period, its target and its parts.

Year-end summaries are mostly figures with comparisons (全年共完成维修工单1234件，较上年增长12.5%，
完成年度目标的103%。).  Records hold only the figures; this module computes what they say (the
change, the completion rate, the shares) and which pattern family says it, and the phrase bank
(templates/phrases/30-figures.yaml) supplies the words, chosen seeded and non-repeating like every
other stock phrase.

The work is split so that the arithmetic can be tested on its own:

- ``plan(metric, label)`` is pure: one metric → the clauses of its sentence, each a phrase-bank
  category with the slot values it needs (numbers already formatted by zh/numformat.py).
- ``draft(metric, choose, label)`` asks ``choose(category, **slots)`` (a PhraseChooser) for each
  clause and joins them into one sentence.
- ``table(metrics, label)`` is the 指标｜本年｜上年｜增减｜增幅 table of a group of metrics.

Rules (documented in docs/records.md, tested in tests/test_figures.py):

- Computed percentages (growth, completion, share) have one decimal, rounded half up, a trailing
  .0 dropped (numformat.round_half_up); a percentage compared with a percentage changes by
  个百分点, never by %.
- A zero previous value has no growth rate: the sentence says 实现零的突破 (or 持平 when both are
  zero) and gives no percentage.  A negative previous value gives no comparison at all.
- An approximate figure (约2200, 120余) is not compared or measured against a target: a growth
  rate computed from an estimate would be false precision.
- 翻了一番 when the value is exactly twice the previous one; 是上年的2.3倍 above that.
- A milestone (1, 2 or 5 times a power of ten, at least 100) passed since the previous period is
  said as 突破1000件: only "passed since last time", never "for the first time ever", which the
  records cannot know.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ..records.model import Metric
from ..zh.numformat import num, percent_text, quantity, ratio_percent, round_half_up

#: Every pattern family (a phrase-bank category) with what it says; the bank has phrases for each.
FAMILIES: dict[str, str] = {
    "figure_total": "总量：维修工单1234件",
    "figure_level": "水平（百分比、比率）：满意度达95.6%",
    "figure_rise": "比上期增长：较上年增长12.5%",
    "figure_fall": "比上期下降：较上年下降4.2%",
    "figure_rise_points": "百分比提高：比上年提高2.1个百分点",
    "figure_fall_points": "百分比降低：比上年降低1.5个百分点",
    "figure_flat": "与上期持平",
    "figure_near_flat": "与上期基本持平（变化不到0.05%）",
    "figure_double": "翻番：比上年翻了一番",
    "figure_multiple": "倍数：是上年的2.3倍",
    "figure_first": "上期为零：实现零的突破",
    "figure_record": "突破整数关口：突破1000件",
    "figure_target_over": "超额完成目标：完成年度目标的103%",
    "figure_target_met": "正好完成目标",
    "figure_target_under": "未完成目标：完成进度85%",
    "figure_target_above": "百分比高于目标：高于95%的目标0.6个百分点",
    "figure_target_below": "百分比低于目标：距95%的目标还差1.2个百分点",
    "figure_share": "占比：其中长春店108批次，占43.7%",
    "figure_breakdown": "构成：其中长春店108批次、沈阳店39批次",
}

#: previous_label → the current period's own name (table header) and the word for its target.
_PERIODS: dict[str, tuple[str, str]] = {
    "上年": ("本年", "年度目标"),
    "去年": ("今年", "年度目标"),
    "去年同期": ("本期", "目标"),
    "上年同期": ("本期", "目标"),
    "上学期": ("本学期", "学期目标"),
    "上学年": ("本学年", "学年目标"),
    "上季度": ("本季度", "季度目标"),
    "上月": ("本月", "月度目标"),
    "上期": ("本期", "目标"),
}

Choose = Callable[..., str]


@dataclass(frozen=True)
class Clause:
    """One part of a figure sentence: the pattern family and its slot values."""

    family: str
    slots: dict[str, str]


def current_label(label: str) -> str:
    """上年 → 本年, 上学期 → 本学期; anything else → 本期."""
    return _PERIODS.get(label, ("本期", "目标"))[0]


def plan_label(label: str) -> str:
    """上年 → 年度目标, 上学期 → 学期目标; anything else → 目标."""
    return _PERIODS.get(label, ("本期", "目标"))[1]


def _dec(value: float | int) -> Decimal:
    return Decimal(value) if isinstance(value, int) else Decimal(repr(float(value)))


def kind_of(metric: Metric) -> str:
    return metric.resolved_kind


def _is_percent(metric: Metric) -> bool:
    return kind_of(metric) in ("percentage", "rate") and metric.unit in ("%", "％", "")


def figure(metric: Metric, value: float | int | None = None, *, approx: str | None = None) -> str:
    """The metric's value (or another value in its unit) as GB/T 15835 writes it: 1234件, 约2200人次."""
    number = _dec(metric.value if value is None else value)
    return quantity(number, metric.unit, metric.approx if value is None else approx, kind=kind_of(metric))


def points(difference: Decimal) -> str:
    """A difference of two percentages: 2.1个百分点 (one decimal, half up)."""
    return f"{num(str(round_half_up(abs(difference))))}个百分点"


def growth(value: Decimal, previous: Decimal) -> Decimal | None:
    """(value − previous) / previous × 100, rounded by the computed-percentage rule; None when undefined."""
    if previous <= 0:
        return None
    return ratio_percent(value - previous, previous)


def milestone(value: Decimal, previous: Decimal) -> Decimal | None:
    """The largest round figure (1, 2 or 5 × 10^k, at least 100) with previous < M ≤ value, if any."""
    if value < 100 or previous >= value:
        return None
    exponent = math.floor(math.log10(float(value)))
    for power in range(exponent, 1, -1):
        for lead in (5, 2, 1):
            mark = Decimal(lead) * Decimal(10) ** power
            if previous < mark <= value:
                return mark
            if mark <= previous:
                return None
    return None


def _comparison(metric: Metric, label: str) -> list[Clause]:
    if metric.previous is None or metric.approx is not None:
        return []
    value, previous = _dec(metric.value), _dec(metric.previous)
    base = {"label": label}
    if _is_percent(metric):
        difference = value - previous
        if round_half_up(difference) == 0:
            return [Clause("figure_flat" if difference == 0 else "figure_near_flat", base)]
        family = "figure_rise_points" if difference > 0 else "figure_fall_points"
        return [Clause(family, {**base, "change": points(difference)})]
    if previous < 0:
        return []
    if previous == 0:
        return [Clause("figure_flat" if value == 0 else "figure_first", base)]
    if value == previous:
        return [Clause("figure_flat", base)]
    change = growth(value, previous)
    assert change is not None
    if change == 0:
        return [Clause("figure_near_flat", base)]
    slots = {**base, "change": percent_text(abs(change))}
    clauses: list[Clause]
    if value == 2 * previous:
        clauses = [Clause("figure_double", slots)]
    elif value > 2 * previous:
        times = round_half_up(value / previous)
        clauses = [Clause("figure_multiple", {**slots, "times": f"{num(str(times))}倍"})]
    else:
        clauses = [Clause("figure_rise" if change > 0 else "figure_fall", slots)]
    mark = milestone(value, previous) if change > 0 else None
    if mark is not None:
        clauses.append(Clause("figure_record", {"milestone": quantity(mark, metric.unit, kind=kind_of(metric))}))
    return clauses


def _target(metric: Metric, label: str) -> list[Clause]:
    if metric.target is None or metric.approx is not None:
        return []
    value, target = _dec(metric.value), _dec(metric.target)
    if target <= 0:
        return []
    plan = plan_label(label)
    if _is_percent(metric):
        difference = value - target
        shown = figure(metric, metric.target)
        if round_half_up(difference) == 0:
            return [Clause("figure_target_met", {"plan": plan, "target": shown})]
        family = "figure_target_above" if difference > 0 else "figure_target_below"
        return [Clause(family, {"plan": plan, "target": shown, "gap": points(difference)})]
    rate = ratio_percent(value, target)
    assert rate is not None
    slots = {"plan": plan, "rate": percent_text(rate), "target": figure(metric, metric.target)}
    if value == target:
        return [Clause("figure_target_met", slots)]
    return [Clause("figure_target_over" if value > target else "figure_target_under", slots)]


def _parts(metric: Metric) -> list[Clause]:
    if not metric.parts:
        return []
    listed = "、".join(f"{p.name}{figure(metric, p.value)}" for p in metric.parts)
    value = _dec(metric.value)
    if len(metric.parts) == 1 and not _is_percent(metric) and value > 0 and metric.approx is None:
        share = ratio_percent(_dec(metric.parts[0].value), value)
        assert share is not None
        return [Clause("figure_share", {"parts": listed, "share": percent_text(share)})]
    return [Clause("figure_breakdown", {"parts": listed})]


_LEVEL_NAMES = ("人均", "平均", "均值", "率", "指数")


def plan(metric: Metric, label: str = "上年") -> list[Clause]:
    """The clauses of one metric's sentence, in order: total, comparison, target, parts.

    Percentages, rates and averages (人均用水量) are levels, said with 为/达 rather than 共计/累计.
    """
    level = _is_percent(metric) or any(word in metric.name for word in _LEVEL_NAMES)
    total = "figure_level" if level else "figure_total"
    return [Clause(total, {"name": metric.name, "value": figure(metric)}),
            *_comparison(metric, label), *_target(metric, label), *_parts(metric)]


def draft(metric: Metric, choose: Choose, label: str = "上年") -> str:
    """One metric as one sentence, the words chosen by ``choose(category, **slots)``."""
    clauses = [choose(c.family, **c.slots).strip().rstrip("，。；") for c in plan(metric, label)]
    return "，".join(c for c in clauses if c) + "。"


def draft_all(metrics: Iterable[Metric], choose: Choose, label: str = "上年") -> str:
    """Several metrics as consecutive sentences of one paragraph."""
    return "".join(draft(m, choose, label) for m in metrics)


def _signed(number: Decimal, text: str) -> str:
    return f"+{text}" if number > 0 else (f"-{text}" if number < 0 else text)


def table(metrics: Sequence[Metric], label: str = "上年", caption: str = "") -> dict[str, Any]:
    """A group of metrics as a statistics table: 指标 | 本年 | 上年 | 增减 | 增幅.

    One unit for every metric goes into the header (本年（件）); mixed units go
    after each name (维修工单（件）).  The change is signed; percentages change by
    个百分点; an undefined growth rate (zero or missing previous value) is "—".
    """
    units = {m.unit for m in metrics}
    shared = next(iter(units)) if len(units) == 1 else None
    now = current_label(label)
    header_unit = f"（{shared}）" if shared else ""
    columns = ["指标", f"{now}{header_unit}", f"{label}{header_unit}", f"增减{header_unit}", "增幅"]
    rows: list[list[str]] = []
    for metric in metrics:
        name = metric.name if shared is not None or not metric.unit else f"{metric.name}（{metric.unit}）"
        value = _dec(metric.value)

        def bare(number: Decimal, approx: str | None = None, m: Metric = metric) -> str:
            text = quantity(number, m.unit, approx, kind=kind_of(m))
            return text[: -len(m.unit)] if m.unit and text.endswith(m.unit) else text

        row = [name, bare(value, metric.approx)]
        if metric.previous is None:
            row += ["—", "—", "—"]
        else:
            previous = _dec(metric.previous)
            difference = value - previous
            row += [bare(previous), "—" if metric.approx else _signed(difference, bare(abs(difference)))]
            if _is_percent(metric):
                row.append(_signed(difference, points(difference)) if round_half_up(difference) else "持平")
            else:
                change = growth(value, previous) if metric.approx is None else None
                if change is None:
                    row.append("—")
                else:
                    row.append(_signed(change, percent_text(abs(change))) if difference else "持平")
        rows.append(row)
    return {"caption": caption, "columns": columns, "rows": rows, "note": ""}


def _group(data: dict[str, Any], model: Any, choose: Choose, label: str) -> None:
    """A category, section or part: its own metrics as a paragraph (or table), and its metric-only items."""
    metrics = model.metrics
    if metrics:
        if getattr(model, "metrics_table", False):
            data["metrics_rows"] = table(metrics, label)
        else:
            data["metrics_text"] = draft_all(metrics, choose, label)
    for item_data, item in zip(data.get("items", []), getattr(model, "items", []), strict=False):
        if not item.text and item.metrics:
            item_data["text"] = draft_all(item.metrics, choose, label)


def _sections(datas: list[dict[str, Any]], models: Sequence[Any], choose: Choose, label: str) -> None:
    for data, model in zip(datas, models, strict=False):
        _group(data, model, choose, label)
        _sections(data.get("subsections", []), model.subsections, choose, label)


def annotate(data: dict[str, Any], report: Any, choose: Choose) -> None:
    """Add drafted figure text to a report's plain data (before escaping), in document order.

    Items written as metrics only get their ``text``; groups with metrics get
    ``metrics_text`` (a paragraph) or ``metrics_rows`` (a table, with
    ``metrics_table: true``); the report's key figures the same at the top level.
    """
    label = report.meta.previous_label
    if report.key_figures:
        if report.metrics_table:
            data["metrics_rows"] = table(report.key_figures, label)
        else:
            data["metrics_text"] = draft_all(report.key_figures, choose, label)
    for category_data, category in zip(data.get("achievements", []), report.achievements, strict=False):
        _group(category_data, category, choose, label)
    _sections(data.get("sections", []), report.sections, choose, label)
    for key in ("experiences", "problems", "plans"):
        _group(data[key], getattr(report, key), choose, label)
