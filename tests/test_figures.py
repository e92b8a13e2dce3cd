"""Figures become sentences: drafting from metrics, consistency checks, last year's file, check on numbers.

Specification of issue 13: golden sentences for every pattern family, sign, unit kind and qualifier;
a property test on the arithmetic; a located error for each consistency rule; check against text.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import summarykit as sk
from summarykit.drafting.figures import FAMILIES, draft, plan, table
from summarykit.drafting.phrases import PhraseChooser, load_bank
from summarykit.errors import RecordsError
from summarykit.records.loading import load, loads
from summarykit.records.model import Metric
from summarykit.tools.textcheck import check_file, check_text
from summarykit.zh.numformat import APPROX, KINDS, parse_quantity, percent_text, quantity, ratio_percent

REPO = Path(__file__).resolve().parents[1]
GOLDEN = Path(__file__).parent / "golden" / "figures.txt"
SAMPLE = REPO / "sample_data" / "figures"

# name, value, unit, extra: chosen so that together they reach every family, sign, kind and qualifier.
CASES: list[dict[str, object]] = [
    {"name": "维修工单", "value": 1234, "unit": "件", "previous": 1097, "target": 1200},
    {"name": "能源费用支出", "value": 386.5, "unit": "万元", "previous": 403.5},
    {"name": "师生满意度", "value": 95.6, "unit": "%", "previous": 93.5, "target": 95},
    {"name": "投诉率", "value": 1.2, "unit": "%", "previous": 2.7, "target": 1.5},
    {"name": "食堂就餐率", "value": 80, "unit": "%", "previous": 80, "target": 80},
    {"name": "床位使用率", "value": 88.42, "unit": "%", "previous": 88.4},
    {"name": "人均用水量", "value": 3.2, "unit": "吨", "previous": 3.2},
    {"name": "服务时长", "value": 10001, "unit": "小时", "previous": 10000},
    {"name": "光伏发电量", "value": 60, "unit": "万千瓦时", "previous": 30},
    {"name": "经营收入", "value": 250000, "unit": "元", "previous": 100000},
    {"name": "培训", "value": 12, "unit": "场", "previous": 0},
    {"name": "绿化面积", "value": 5200, "unit": "平方米", "previous": 4800, "target": 6000},
    {"name": "保洁面积", "value": 1500, "unit": "平方米", "target": 1500},
    {"name": "维修及时率增幅", "value": 130, "unit": "%", "kind": "rate"},
    {"name": "各类会议", "value": 247, "unit": "批次", "parts": [{"name": "长春店", "value": 108},
                                                                {"name": "沈阳店", "value": 39}]},
    {"name": "会议室预订", "value": 520, "unit": "场", "parts": [{"name": "线上预订", "value": 416}]},
    {"name": "接待宾客", "value": "约2200", "unit": "人次", "previous": 2000},
    {"name": "采购物资", "value": "120余", "unit": "项"},
    {"name": "参与志愿者", "value": "近百", "unit": "人"},
    {"name": "节约资金", "value": "九万多", "unit": "元"},
    {"name": "服务师生", "value": "超2000", "unit": "人次"},
    {"name": "工作日", "value": 251, "unit": "天", "previous": 250},
]


def chooser(seed: int = 1) -> PhraseChooser:
    return PhraseChooser(load_bank(), seed)


def metric(data: dict[str, object]) -> Metric:
    return Metric.model_validate(data)


def test_drafted_sentences_match_the_golden_file() -> None:
    choose = chooser().choose
    lines = [f"{m['name']} {m['value']}{m['unit']} → {draft(metric(m), choose)}" for m in CASES]
    label = metric({"name": "满意度", "value": 96, "unit": "%", "previous": 95})
    lines.append(f"（上学期）→ {draft(label, choose, '上学期')}")
    actual = "\n".join(lines) + "\n"
    if os.environ.get("SUMMARYKIT_UPDATE_GOLDEN"):
        GOLDEN.write_text(actual, encoding="utf-8")
    assert actual == GOLDEN.read_text(encoding="utf-8")


def test_the_golden_cases_cover_every_family_sign_kind_and_qualifier() -> None:
    metrics = [metric(m) for m in CASES]
    families = {c.family for m in metrics for c in plan(m)}
    assert families == set(FAMILIES)
    assert {m.resolved_kind for m in metrics} == set(KINDS)
    assert {m.approx for m in metrics} - {None} == set(APPROX)
    # every family has phrases in the bank, at least 60 patterns in all
    bank = load_bank()
    assert all(bank.in_category(f) for f in FAMILIES)
    assert sum(len(bank.in_category(f)) for f in FAMILIES) >= 60


def test_drafting_is_seeded_and_does_not_repeat_a_pattern_while_others_are_unused() -> None:
    m = metric(CASES[0])
    assert [draft(m, chooser(3).choose)] == [draft(m, chooser(3).choose)]
    choose = chooser(3).choose
    sentences = [draft(m, choose) for _ in range(4)]
    assert len(set(sentences)) == 4


# --------------------------------------------------------------------------- arithmetic


def half_up(value: Fraction) -> str:
    """Reference rounding, independent of numformat: one decimal, half up, trailing .0 dropped."""
    scaled = abs(value) * 10
    whole = int(scaled) + (1 if scaled - int(scaled) >= Fraction(1, 2) else 0)
    text = f"{whole // 10}.{whole % 10}" if whole % 10 else f"{whole // 10}"
    return text


@settings(max_examples=150, deadline=None)
@given(value=st.integers(min_value=1, max_value=99_999), previous=st.integers(min_value=1, max_value=99_999),
       unit=st.sampled_from(["件", "人次", "批次", "天", "平方米"]))
def test_drafted_text_contains_the_formatted_value_and_the_computed_change(value: int, previous: int,
                                                                           unit: str) -> None:
    m = metric({"name": "指标", "value": value, "unit": unit, "previous": previous})
    text = draft(m, chooser().choose)
    assert f"{value}{unit}" in text
    change = half_up(Fraction(value - previous, previous) * 100)
    if value == previous or change == "0":
        assert plan(m)[1].family == ("figure_flat" if value == previous else "figure_near_flat")
        assert "%" not in text
    elif value == 2 * previous:
        assert "翻" in text or "两倍" in text
    elif value > 2 * previous:
        times = half_up(Fraction(value, previous))
        assert f"{times}倍" in text
    else:
        assert f"{change}%" in text
        assert ("增" in text or "提高" in text or "上升" in text) if value > previous else \
            ("下降" in text or "减少" in text or "降低" in text or "回落" in text)


@settings(max_examples=100, deadline=None)
@given(value=st.integers(min_value=0, max_value=1000), previous=st.integers(min_value=0, max_value=1000))
def test_percentages_change_by_percentage_points(value: int, previous: int) -> None:
    v, p = Decimal(value) / 10, Decimal(previous) / 10
    text = draft(metric({"name": "满意度", "value": float(v), "unit": "%", "previous": float(p)}), chooser().choose)
    assert f"{v.normalize():f}%" in text
    if v != p:
        assert f"{abs(v - p).normalize():f}个百分点" in text
    else:
        assert "百分点" not in text and text.count("%") == 1


def test_computed_percentages_round_half_up_to_one_decimal() -> None:
    assert percent_text(ratio_percent(Decimal(1245), Decimal(10000))) == "12.5%"
    assert percent_text(ratio_percent(Decimal(1244), Decimal(10000))) == "12.4%"
    assert percent_text(ratio_percent(Decimal(1200), Decimal(10000))) == "12%"
    assert percent_text(ratio_percent(Decimal(1), Decimal(3))) == "33.3%"
    assert percent_text(ratio_percent(Decimal(2), Decimal(3))) == "66.7%"
    assert ratio_percent(Decimal(1), Decimal(0)) is None
    # binary floats would give 0.1 + 0.2 = 0.30000000000000004; Decimal does not
    assert Decimal("0.125").quantize(Decimal("0.01"), rounding=ROUND_HALF_UP) == Decimal("0.13")


@pytest.mark.parametrize(("written", "number", "approx", "shown"), [
    (1234, 1234, None, "1234件"), ("约2200", 2200, "约", "约2200件"), ("120余", 120, "余", "120余件"),
    ("近百", 100, "近", "近100件"), ("九万多", 90000, "多", "9万多件"), ("超2000", 2000, "超", "超2000件"),
    ("3.5万", 35000, None, "35000件"), (250000, 250000, None, "25万件"), ("2200左右", 2200, "约", "约2200件"),
])
def test_approximate_values_are_read_and_written_back(written: object, number: int, approx: str | None,
                                                      shown: str) -> None:
    parsed, qualifier = parse_quantity(written)
    assert (parsed, qualifier) == (Decimal(number), approx)
    assert quantity(parsed, "件", qualifier) == shown


def test_a_zero_previous_value_gives_no_percentage() -> None:
    text = draft(metric({"name": "培训", "value": 12, "unit": "场", "previous": 0}), chooser().choose)
    assert "%" not in text and "12场" in text


def test_the_metrics_table_has_units_in_the_header_and_signed_changes() -> None:
    rows = table([metric({"name": "维修工单", "value": 1234, "unit": "件", "previous": 1097}),
                  metric({"name": "巡检", "value": 90, "unit": "件", "previous": 100})])
    assert rows["columns"] == ["指标", "本年（件）", "上年（件）", "增减（件）", "增幅"]
    assert rows["rows"] == [["维修工单", "1234", "1097", "+137", "+12.5%"], ["巡检", "90", "100", "-10", "-10%"]]
    mixed = table([metric({"name": "满意度", "value": 95.6, "unit": "%", "previous": 93.5}),
                   metric({"name": "工单", "value": 5, "unit": "件"})], "上学期")
    assert mixed["columns"][:3] == ["指标", "本学期", "上学期"]
    assert mixed["rows"] == [["满意度（%）", "95.6", "93.5", "+2.1", "+2.1个百分点"], ["工单（件）", "5", "—", "—", "—"]]


# --------------------------------------------------------------------------- records → document

RECORDS = """\
meta: {organization: 某某中心, period: 2025年}
intro: [2025年，中心各项工作稳步推进。]
key_figures:
  - {name: 维修工单, value: 1234, unit: 件, previous: 1097, target: 1200}
achievements:
  - heading: 会议接待
    metrics:
      - {name: 各类会议, value: 247, unit: 批次, parts: [{name: 长春店, value: 108}, {name: 沈阳店, value: 39}]}
    items:
      - metrics: [{名称: 能源费用支出, 数值: 386.5, 单位: 万元, 上年: 403.5}]
sections:
  - heading: 指标
    metrics_table: true
    metrics: [{name: 用水量, value: 2200, unit: 吨, previous: 2300}]
"""


def test_metrics_only_items_groups_and_key_figures_are_drafted_into_the_document() -> None:
    text = sk.to_markdown(sk.compose(loads(RECORDS), seed=2))
    assert "1234件" in text and "12.5%" in text and "102.8%" in text
    assert "长春店108批次、沈阳店39批次" in text
    assert re.search(r"1、[^\n]*386\.5万元[^\n]*4\.2%", text)
    assert "| 用水量 | 2200 | 2300 | \\-100 | \\-4.3% |" in text
    assert "| 指标 | 本年（吨） | 上年（吨） | 增减（吨） | 增幅 |" in text


def test_the_data_only_sample_renders_with_every_number_from_the_records(tmp_path: Path) -> None:
    report = load(SAMPLE / "year_end.yaml")
    text = sk.to_markdown(sk.compose(report, seed=1))
    allowed: set[str] = set()
    raw = (SAMPLE / "year_end.yaml").read_text(encoding="utf-8")
    allowed.update(re.findall(r"\d+(?:\.\d+)?", raw))
    assert report.meta.date is not None  # the signature date, written 2026年1月12日
    allowed.update(str(n) for n in (report.meta.date.year, report.meta.date.month, report.meta.date.day))
    from summarykit.records.consistency import metrics_with_paths

    for _, m in metrics_with_paths(report):
        for clause in plan(m):
            for value in clause.slots.values():
                allowed.update(re.findall(r"\d+(?:\.\d+)?", value))
        for row in table([m])["rows"]:
            for cell in row:
                allowed.update(re.findall(r"\d+(?:\.\d+)?", cell))
    body = re.sub(r"(?m)^(?:## )?[一二三四五六七八九十]+、|^\d+、", "", text)  # numbering labels
    written = re.findall(r"\d+(?:\.\d+)?", body)
    invented = [n for n in written if n not in allowed]
    assert not invented, invented
    assert "1097" in text  # last year's figure came from the previous file
    assert len(text) > 800


def test_the_data_only_sample_renders_to_docx_through_the_cli(tmp_path: Path) -> None:
    out = tmp_path / "年度总结.docx"
    result = run_cli("render", str(SAMPLE / "year_end.yaml"), "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert out.stat().st_size > 5000


# --------------------------------------------------------------------------- consistency


def problems_of(text: str) -> list[str]:
    with pytest.raises(RecordsError) as info:
        loads(text, name="r.yaml")
    return [str(p) for p in info.value.problems]


METRIC_HEAD = "achievements:\n  - heading: 工作\n    metrics:\n"


@pytest.mark.parametrize(("metric_yaml", "fragment", "line"), [
    ("      - {name: 会议, value: 100, unit: 批次, parts: [{name: a, value: 80}, {name: b, value: 40}]}",
     "各部分之和 120 大于总数 100", 4),
    ("      - {name: 会议, value: 100, unit: 批次, parts_exact: true, parts: [{name: a, value: 80}]}",
     "各部分之和是 80，与总数 100 不等", 4),
    ("      - {name: 满意度, value: 105, unit: \"%\"}", "是百分比，却超过了100%", 4),
    ("      - {name: 维修, value: -3, unit: 件}", "不能是负数", 4),
    ("      - {name: 面积, value: 很多, unit: 平方米}", "数值里有文字", 4),
    ("      - {name: 电, value: 10, unit: 兆焦}", "不认识的单位“兆焦”", 4),
    ("      - {name: 电, value: 10-20, unit: 度}", "是一个范围", 4),
])
def test_each_consistency_rule_is_a_located_error(metric_yaml: str, fragment: str, line: int) -> None:
    found = problems_of(METRIC_HEAD + metric_yaml + "\n")
    assert any(fragment in p and p.startswith(f"r.yaml:{line}:") for p in found), found


def test_growth_rates_may_exceed_100_and_a_zero_previous_is_a_notice() -> None:
    report = loads(METRIC_HEAD + "      - {name: 增长率, value: 130, unit: \"%\", kind: rate}\n"
                   "      - {name: 培训, value: 12, unit: 场, previous: 0}\n", name="r.yaml")
    assert any("上期数值是 0" in str(n) and "r.yaml:5" in str(n) for n in report.notices)


# --------------------------------------------------------------------------- last year's file


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    """The real entry point, as a user runs it."""
    exe = shutil.which("summarykit", path=str(Path(sys.executable).parent)) or shutil.which("summarykit")
    assert exe, "the summarykit command is not installed"
    return subprocess.run([exe, *args], capture_output=True, text=True, timeout=120)


def test_previous_file_fills_by_name_within_the_same_category_and_lists_the_unmatched(tmp_path: Path) -> None:
    now = write(tmp_path / "now.yaml", "achievements:\n  - heading: 维修\n    items:\n"
                "      - metrics: [{name: 工单, value: 120, unit: 件}, {name: 新指标, value: 5, unit: 项}]\n"
                "  - heading: 接待\n    metrics: [{name: 工单, value: 10, unit: 件}]\n")
    last = write(tmp_path / "last.yaml", "achievements:\n  - heading: 维修\n    items:\n"
                 "      - metrics: [{name: 工单, value: 100, unit: 件}]\n"
                 "  - heading: 接待\n    metrics: [{name: 工单, value: 20, unit: 件}]\n")
    report = load(now, previous=last)
    assert report.achievements[0].items[0].metrics[0].previous == 100
    assert report.achievements[1].metrics[0].previous == 20  # same name, other category: its own partner
    assert any("新指标" in str(n) for n in report.notices)
    result = run_cli("render", str(now), "--previous", str(last), "-o", str(tmp_path / "out.md"))
    assert result.returncode == 0, result.stderr
    assert "较上年" in (tmp_path / "out.md").read_text(encoding="utf-8") or \
        "比上年" in (tmp_path / "out.md").read_text(encoding="utf-8")


def test_a_previous_file_with_a_different_structure_is_a_clear_error(tmp_path: Path) -> None:
    now = write(tmp_path / "now.yaml", "achievements:\n  - heading: 维修\n    metrics: [{name: 工单, value: 1, unit: 件}]\n")
    other = write(tmp_path / "other.yaml", "achievements:\n  - heading: 财务\n    metrics: [{name: 工单, value: 1, unit: 件}]\n")
    none = write(tmp_path / "none.yaml", "intro: [去年的总结。]\n")
    for last, fragment in ((other, "上期记录与本期的结构不同"), (none, "上期记录里没有任何指标")):
        result = run_cli("validate", str(now), "--previous", str(last))
        assert result.returncode == 2 and fragment in result.stderr and "Traceback" not in result.stderr


def test_bad_metric_input_through_the_cli_is_exit_2_with_the_line(tmp_path: Path) -> None:
    bad = write(tmp_path / "bad.yaml", METRIC_HEAD + "      - {name: 面积, value: 很多, unit: 平方米}\n")
    out = tmp_path / "out.docx"
    result = run_cli("render", str(bad), "-o", str(out))
    assert result.returncode == 2 and f"{bad}:4:" in result.stderr and "数值里有文字" in result.stderr
    assert not out.exists() and "Traceback" not in result.stderr


# --------------------------------------------------------------------------- check


def test_check_finds_a_planted_disagreement_between_text_and_metric(tmp_path: Path) -> None:
    path = write(tmp_path / "r.yaml", "achievements:\n  - heading: 维修\n    items:\n"
                 "      - text: 全年共完成维修工单1260件，添置办公桌7张。\n"
                 "        metrics: [{name: 维修工单, value: 1234, unit: 件}, {name: 办公桌, value: 7, unit: 张}]\n")
    found = [f for f in check_file(path).findings if f.code == "metric"]
    assert len(found) == 1
    assert "1260件" in found[0].message and "1234件" in found[0].message
    assert found[0].where == f"{path}:4:24"


def test_check_is_silent_when_text_and_metrics_agree(tmp_path: Path) -> None:
    path = write(tmp_path / "r.yaml", "achievements:\n  - heading: 维修\n    items:\n"
                 "      - text: 投入资金12.5万元，添置办公桌七张、办公电脑5台。\n"
                 "        metrics: [{name: 资金, value: 12.5, unit: 万元}, {name: 办公桌, value: 7, unit: 张},\n"
                 "                  {name: 办公电脑, value: 5, unit: 台}]\n")
    assert [f for f in check_file(path).findings if f.code == "metric"] == []


CORRECT = [
    "2026年1月20日，中心召开年度总结大会。",
    "2月份完成了学生公寓的检修，3月份通过验收，10月份迎接了上级检查。",
    "全年共完成维修工单1234件，较上年增长12.5%。",
    "第一次全体会议于3月5日召开，第二季度完成了食堂改造。",
    "一方面加强制度建设，另一方面提高服务水平。",
    "三五天内完成维修，做到一次性解决问题。",
    "认真学习《关于进一步加强和改进学校后勤服务工作的意见》，组织学习《后勤服务规范》。",
    "编印《后勤简报》12期，举办“三八”妇女节活动。",
    "师生满意度达95.6%，比上年提高2.1个百分点。",
    "接待各类会议247批次，其中长春店108批次、沈阳店39批次。",
    "用电量约2200万千瓦时，为10%～15%的节能目标打下基础。",
    "本学期共召开会议5次，两名同志获评先进个人。",
]


@pytest.mark.parametrize("sentence", CORRECT)
def test_check_reports_nothing_on_correct_sentences(sentence: str) -> None:
    assert [str(f) for f in check_text(sentence).findings] == []


def test_check_gives_half_width_punctuation_that_render_repairs_as_one_summary_line(tmp_path: Path) -> None:
    path = write(tmp_path / "r.yaml", "intro:\n  - 本年度,中心完成了维修,保洁,绿化等工作;效果良好。\n")
    punctuation = [f for f in check_file(path).findings if f.code == "punctuation"]
    assert len(punctuation) == 1 and "4 处半角标点" in punctuation[0].message


def test_check_fix_writes_safe_repairs_back_keeping_comments_and_layout(tmp_path: Path) -> None:
    original = ("# 注释保留\nintro:\n  - 本年度,中心完成了维修,保洁;效果良好。   # 行尾注释\n"
                "  - \"引号里:也改,ISO9001:2000 不改\"\nmeta: {organization: 某某中心}\n")
    path = write(tmp_path / "r.yaml", original)
    result = run_cli("check", "--fix", str(path))
    assert result.returncode == 0, result.stderr
    fixed = path.read_text(encoding="utf-8")
    assert fixed == original.replace("度,中心", "度，中心").replace("修,保洁;效果", "修，保洁；效果").replace(
        "里:也改,ISO", "里：也改，ISO")
    assert load(path).intro == ["本年度，中心完成了维修，保洁；效果良好。", "引号里：也改，ISO9001:2000 不改"]
    assert not [f for f in check_file(path).findings if f.code == "punctuation"]
    gbk = tmp_path / "g.yaml"
    gbk.write_bytes("intro:\n  - 本年度,中心。\n".encode("gbk"))
    refused = run_cli("check", "--fix", str(gbk))
    assert refused.returncode == 2 and "UTF-8" in refused.stderr
    assert gbk.read_bytes() == "intro:\n  - 本年度,中心。\n".encode("gbk")
