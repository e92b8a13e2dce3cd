"""Charts drawn from the records' own metrics: ``charts: [{from: 就餐人次}]`` (records/chartsource.py).

A clerk who has written a metric with its parts, or several metrics with last year's values, gets
a chart of them without typing the numbers again; a name that is not there, a metric without
parts or mixed units are located errors through the real CLI (exit 2, nothing written).
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from lxml import etree

import summarykit as sk
from summarykit.cli.main import main

C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"

RECORDS = """\
meta: {organization: 某局, period: 2025年, subject: 后勤, date: 2026-01-20}
key_figures:
  - name: 就餐人次
    value: 20.9
    unit: 万人次
    parts: [{name: 第一季度, value: 6.8}, {name: 第二季度, value: 7.2}, {name: 第三季度, value: 6.9}]
achievements:
  - heading: 运行管理
    metrics:
      - {name: 维修工单, value: 1234, unit: 件, previous: 1100}
      - {name: 保洁任务, value: 800, unit: 件, previous: 760}
      - {name: 会议, value: 50, unit: 批次, parts: [{name: 甲店, value: 10}, {name: 乙店, value: 20}]}
    charts:
{charts}
"""


def records(charts: str, folder: Path, name: str = "r.yaml") -> Path:
    path = folder / name
    path.write_text(RECORDS.replace("{charts}", charts), encoding="utf-8")
    return path


def chart_parts(data: bytes) -> list[etree._Element]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        names = sorted(n for n in z.namelist() if n.startswith("word/charts/chart") and n.endswith(".xml"))
        return [etree.fromstring(z.read(n)) for n in names]


def series_of(chart: etree._Element) -> list[tuple[str, list[str], list[float]]]:
    return [(s.find(f"{C}tx//{C}v").text, [v.text for v in s.findall(f"{C}cat//{C}v")],
             [float(v.text) for v in s.findall(f"{C}val//{C}v")]) for s in chart.iter(f"{C}ser")]


def test_one_metric_draws_its_parts(tmp_path: Path) -> None:
    data = sk.render(records("      - {from: 就餐人次, type: pie, title: 各季度就餐人次}", tmp_path), seed=1)
    [chart] = chart_parts(data)
    assert chart.find(f".//{C}pieChart") is not None
    assert series_of(chart) == [("就餐人次", ["第一季度", "第二季度", "第三季度"], [6.8, 7.2, 6.9])]


def test_several_metrics_draw_this_and_last_period(tmp_path: Path) -> None:
    report = sk.load(records("      - {from: [维修工单, 保洁任务], title: 对比}", tmp_path))
    chart = report.achievements[0].charts[0]
    assert chart.categories == ["维修工单", "保洁任务"] and chart.unit == "件"
    assert [(s.name, s.values) for s in chart.series] == [("本年", [1234, 800]), ("上年", [1100, 760])]
    [part] = chart_parts(sk.render(records("      - {from: [维修工单, 保洁任务], title: 对比}", tmp_path), seed=1))
    assert [name for name, _, _ in series_of(part)] == ["本年", "上年"]
    assert part.find(f".//{C}valAx/{C}title").xpath("string()") == "件"  # the metrics' unit on the axis


def test_a_pie_of_several_metrics_has_one_series_and_the_previous_label_names_the_periods(tmp_path: Path) -> None:
    text = "      - {from: [维修工单, 保洁任务], type: pie}\n      - {from: [维修工单, 保洁任务], unit: 张}"
    path = records(text, tmp_path)
    path.write_text(path.read_text(encoding="utf-8").replace("date: 2026-01-20}", "date: 2026-01-20, "
                                                            "previous_label: 上学期}"), encoding="utf-8")
    pie, bar = sk.load(path).achievements[0].charts
    assert [s.name for s in pie.series] == ["本学期"]
    assert [s.name for s in bar.series] == ["本学期", "上学期"] and bar.unit == "张"  # a unit written wins


def test_last_periods_file_fills_the_previous_series(tmp_path: Path) -> None:
    last = tmp_path / "2024.yaml"
    last.write_text("achievements:\n  - heading: 运行管理\n    metrics:\n      - {name: 公寓报修, value: 90, unit: 件}\n"
                    "      - {name: 宿舍报修, value: 70, unit: 件}\n", encoding="utf-8")
    path = tmp_path / "2025.yaml"
    path.write_text("achievements:\n  - heading: 运行管理\n    metrics:\n      - {name: 公寓报修, value: 100, unit: 件}\n"
                    "      - {name: 宿舍报修, value: 80, unit: 件}\n    charts: [{from: [公寓报修, 宿舍报修]}]\n",
                    encoding="utf-8")
    chart = sk.load(path, previous=last).achievements[0].charts[0]
    assert [(s.name, s.values) for s in chart.series] == [("本年", [100, 80]), ("上年", [90, 70])]


def test_the_charts_own_section_comes_first_then_the_whole_records(tmp_path: Path) -> None:
    text = ("sections:\n  - heading: 甲\n    metrics: [{name: 人数, value: 3, unit: 人, parts: [{name: a, value: 3}]}]\n"
            "  - heading: 乙\n    metrics: [{name: 人数, value: 5, unit: 人, parts: [{name: b, value: 5}]}]\n"
            "    charts: [{from: 人数}]\n"
            "    subsections:\n      - heading: 丙\n        charts: [{from: 人数}]\n")
    path = tmp_path / "r.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(sk.RecordsError) as info:
        sk.load(path)
    # In 乙 the name is its own; in 丙 (no metrics of its own) two different metrics answer to it.
    [problem] = info.value.problems
    assert problem.path == "sections[1].subsections[0].charts[0].from" and problem.line == 9
    assert "有 2 个不同的指标都叫“人数”" in problem.message
    path.write_text(text.replace("        charts: [{from: 人数}]\n", ""), encoding="utf-8")
    assert sk.load(path).sections[1].charts[0].categories == ["b"]


@pytest.mark.parametrize(("chart", "message", "hint"), [
    ("{from: 就餐人数}", "记录里没有叫“就餐人数”的指标", "是不是想写“就餐人次”"),
    ("{from: 不相干的名字}", "记录里没有叫“不相干的名字”的指标", "记录里的指标有：就餐人次、维修工单、保洁任务、会议"),
    ("{from: 维修工单}", "指标“维修工单”没有 parts（构成），一个数画不成图", "给这个指标写上 parts"),
    ("{from: [维修工单, 就餐人次]}", "from 里的指标单位不同（“维修工单”是“件”，“就餐人次”是“万人次”）", "分成几张图"),
    ("{from: [维修工单, 维修工单]}", "from 里“维修工单”写了两次", "每个指标只写一次"),
    ("{from: 会议, type: pie}", "“会议”的各部分之和是 30，不等于总数 50，画成饼图会把这几部分当成全部", "改用 type: bar"),
    ("{from: 维修工单, categories: [a]}", "写了 from（从指标画图）就不要再写 categories 和 series", "删去"),
    ("{title: 空图}", "图表要写 categories（类别）和 series（数值），或者用 from 写明从哪个指标画", "from: 就餐人次"),
])
def test_a_chart_that_cannot_be_drawn_is_located_and_nothing_is_written(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], chart: str, message: str, hint: str) -> None:
    path = records(f"      - {chart}", tmp_path)
    out = tmp_path / "out.docx"
    assert main(["render", str(path), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert "r.yaml:14:" in err and message in err and hint in err  # the chart's line
    assert not out.exists()


def test_a_report_without_metrics_says_so(tmp_path: Path) -> None:
    path = tmp_path / "r.yaml"
    path.write_text("achievements:\n  - heading: 甲\n    charts: [{from: 人数}]\n", encoding="utf-8")
    with pytest.raises(sk.RecordsError) as info:
        sk.load(path)
    assert "这份记录还没有任何指标" in info.value.report()
