"""Spreadsheets as records sources: what each documented layout gives, and every located error.

The workbooks are built here with openpyxl (numbers, percentages, dates, merged cells), formulas'
saved values are written into the XML as Excel would (tests/sheets.py), and the CSVs are encoded
in each encoding Excel and other programs save.  The data level (the dicts a sheet gives) is
checked exactly; rendering figures end to end waits for the metrics model (see the skip below).
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from summarykit.errors import RecordsError
from summarykit.records.loading import reports_of_path
from summarykit.sources import load_all, records_from_rows, reports_from_rows

from .sheets import FIGURES_HEADER, with_cached, workbook, write


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # messages name files as given: short relative names here


def data_of(path: Path) -> list[dict[str, Any]]:
    return [report.data for report in reports_of_path(path)]


def problems_of(path: Path) -> list[str]:
    with pytest.raises(RecordsError) as info:
        reports_of_path(path)
    return [str(p) for p in info.value.problems]


# --------------------------------------------------------------------------- figures sheet


def test_figures_sheet_gives_categories_with_metrics(tmp_path: Path) -> None:
    data = workbook({"指标": [
        ["2025年主要指标"],  # a title row above the header is skipped
        FIGURES_HEADER,
        ["日常维修", "维修工单", 1234, 1097, 1200, "件", "全年完成维修工单1234件。"],
        [None, "其中：长春店", 108],
        [None, "满意度", 0.956, 0.93, None, None, None],
        ["食堂", "营业额", "约1200", None, None, "万元"],
        ["食堂", "就餐人次", 12.0, None, None, "万人次"],
    ]}, formats={("指标", "C5"): "0.0%", ("指标", "D5"): "0.0%"}, merges={"指标": ["A1:G1", "A3:A5"]})
    [report] = data_of(write(tmp_path, "数据.xlsx", data))
    assert report == {"achievements": [
        {"heading": "日常维修", "items": ["全年完成维修工单1234件。"], "metrics": [
            {"name": "维修工单", "value": 1234, "previous": 1097, "target": 1200, "unit": "件",
             "parts": [{"name": "长春店", "value": 108}], "parts_exact": False},
            {"name": "满意度", "value": 95.6, "previous": 93, "unit": "%"}]},
        {"heading": "食堂", "metrics": [
            {"name": "营业额", "value": 1200, "approx": "约", "unit": "万元"},
            {"name": "就餐人次", "value": 12, "unit": "万人次"}]},
    ]}


def test_english_headers_and_parts(tmp_path: Path) -> None:
    rows = [["category", "metric", "value", "unit"], ["维修", "工单", 30, "件"], [None, "其中：水电", 10],
            [None, "其中：土建", 20]]
    [report] = data_of(write(tmp_path, "en.xlsx", workbook({"Sheet": rows})))
    metric = report["achievements"][0]["metrics"][0]
    assert metric["parts"] == [{"name": "水电", "value": 10}, {"name": "土建", "value": 20}]
    assert metric["parts_exact"] is False  # “其中” lists some of the whole: never checked as adding up


def test_formulas_give_their_saved_values(tmp_path: Path) -> None:
    data = workbook({"指标": [FIGURES_HEADER, ["维修", "工单", 1000, 900, None, "件"],
                              ["维修", "合计", "=C2*2", "=D2+100", None, "件"]]})
    data = with_cached(data, {(1, "C3"): 2000, (1, "D3"): 1000})
    [report] = data_of(write(tmp_path, "公式.xlsx", data))
    assert report["achievements"][0]["metrics"][1] == {"name": "合计", "value": 2000, "previous": 1000, "unit": "件"}


def test_a_formula_without_saved_value_says_to_open_and_save_in_excel(tmp_path: Path) -> None:
    data = workbook({"指标": [FIGURES_HEADER, ["维修", "工单", 1000, None, None, "件"],
                              ["维修", "合计", "=C2*2", "=C2/0", None, "件"]]})
    data = with_cached(data, {(1, "D3"): "#DIV/0!"})  # C3 keeps no value: never opened in Excel
    found = problems_of(write(tmp_path, "公式.xlsx", data))
    assert len(found) == 2
    assert found[0].startswith("公式.xlsx 工作表“指标” C3: 公式没有保存计算结果")
    assert "请用 Excel 或 WPS 打开这个文件，保存一次再试" in found[0]
    assert found[1].startswith("公式.xlsx 工作表“指标” D3: 公式的结果是错误值 #DIV/0!")


def test_percent_cells_and_percent_text_read_the_same(tmp_path: Path) -> None:
    data = workbook({"指标": [FIGURES_HEADER, ["质量", "合格率", 0.956], ["质量", "优良率", "88.5%"]]},
                    formats={("指标", "C2"): "0.0%"})
    [report] = data_of(write(tmp_path, "pct.xlsx", data))
    assert report["achievements"][0]["metrics"] == [{"name": "合格率", "value": 95.6, "unit": "%"},
                                                    {"name": "优良率", "value": 88.5, "unit": "%"}]


# --------------------------------------------------------------------------- notes sheet and dates


def test_notes_sheet_gives_meta_and_text_and_dates_read_as_dates(tmp_path: Path) -> None:
    data = workbook({"说明": [["项目", "内容"], ["单位", "某某中学"], ["时期", "2025年"], ["日期", dt.date(2026, 1, 20)],
                              ["开头", "第一段。\n第二段。"], ["问题", "设施老化。"], ["打算", "更新设施。\n加强管理。"]]},
                    formats={("说明", "B4"): "yyyy-mm-dd"})
    [report] = data_of(write(tmp_path, "说明.xlsx", data))
    assert report == {"meta": {"organization": "某某中学", "period": "2025年", "date": "2026-01-20"},
                      "intro": ["第一段。", "第二段。"], "problems": ["设施老化。"], "plans": ["更新设施。", "加强管理。"]}
    [loaded] = load_all(tmp_path / "说明.xlsx")
    assert loaded.meta.date == dt.date(2026, 1, 20)
    assert loaded.plans.items[1].text == "加强管理。"


def test_a_date_serial_in_a_number_cell_is_an_error(tmp_path: Path) -> None:
    data = workbook({"指标": [FIGURES_HEADER, ["维修", "工单", dt.date(2026, 1, 5)]]})
    [problem] = problems_of(write(tmp_path, "d.xlsx", data))
    assert problem.startswith("d.xlsx 工作表“指标” C2: “本年”列：这里应是数字，实际是日期 2026年1月5日")


# --------------------------------------------------------------------------- departments sheet


DEPARTMENTS = [["部门", "时期", "开头", "问题", "维修工单（件）", "满意度（%）"],
               ["总务处", "2025年", "总务处工作稳步推进。", "人手紧张。\n设施老化。", 1234, 0.956],
               ["保卫处", "2025年", "保卫处工作平稳。", None, 87, "91%"]]


def test_departments_sheet_gives_one_report_per_row_over_the_shared_notes(tmp_path: Path) -> None:
    data = workbook({"说明": [["项目", "内容"], ["单位", "某某中学"], ["主题", "后勤"], ["问题", "共同的问题。"]],
                     "部门": DEPARTMENTS}, formats={("部门", "F2"): "0.0%"})
    reports = reports_of_path(write(tmp_path, "部门.xlsx", data))
    assert [r.key for r in reports] == ["总务处", "保卫处"]
    assert [r.label for r in reports] == ["工作表“部门” A2（总务处）", "工作表“部门” A3（保卫处）"]
    first, second = (r.data for r in reports)
    assert reports[0].places.cells[("problems", 0)][0] == "部门.xlsx 工作表“部门” D2"  # its own cell, not 说明's
    assert first["meta"] == {"organization": "某某中学", "subject": "后勤", "department": "总务处", "period": "2025年"}
    assert first["problems"] == ["人手紧张。", "设施老化。"]  # its own text replaces the shared text
    assert second["problems"] == ["共同的问题。"]
    assert first["achievements"] == [{"heading": "主要指标", "metrics": [
        {"name": "维修工单", "value": 1234, "unit": "件"}, {"name": "满意度", "value": 95.6, "unit": "%"}]}]
    assert second["achievements"][0]["metrics"][1] == {"name": "满意度", "value": 91, "unit": "%"}


def test_department_errors_are_all_reported_at_their_cells(tmp_path: Path) -> None:
    rows = [["部门", "问提", "维修工单（件）"],
            ["总务处", "人手紧张。", 10],
            ["保卫处", "巡逻不足。", "十二"],
            ["总务处", "重复的一行。", 5],
            [None, "没有名称。", 3],
            ["教务处", None, 4],
            [None, None, 6]]
    found = problems_of(write(tmp_path, "错.xlsx", workbook({"部门": rows}, merges={"部门": ["A6:A7"]})))
    assert found == [
        "错.xlsx 工作表“部门” B1: 不认识的列名“问提”（这一列填的是文字）（是不是想写“问题”？文字列的列名："
        "单位、标题、副标题、时期、下一时期、主题、文种、撰写人、日期、模板、关键词、开头、经验、问题、打算、结尾、附件"
        "；其余的列是指标，只能填数字）",
        "错.xlsx 工作表“部门” C3: “维修工单（件）”列：这里应是数字，实际是文字“十二”（请只填数字（如 1234、95.6%、约1200），"
        "单位写在“单位”列或列名的括号里）",
        "错.xlsx 工作表“部门” A4: “部门”列：部门“总务处”重复了（A2 已经有这个名称）（每个部门只写一行；若是两个不同的部门，"
        "请写出全称以示区别）",
        "错.xlsx 工作表“部门” A5: “部门”列：部门名称是空的（每一行是一份报告，请写上部门名称；不需要的行请整行删除）",
        "错.xlsx 工作表“部门” A7: “部门”列：部门名称在合并单元格（A6:A7）里，每一行应是一份报告（请取消合并，每一行写上部门名称）",
    ]


# --------------------------------------------------------------------------- figures sheet errors


def test_figure_errors_are_all_reported_at_once_with_hints(tmp_path: Path) -> None:
    rows = [["分类", "指标", "本年", "上年", "单价"],
            [None, "工单", 5, None],
            ["维修", "工单", "暂无", 3],
            ["维修", None, 7],
            ["维修", "满意度", None],
            ["维修", "面积", 100, 90],
            [None, "金额", 200, 180]]
    found = problems_of(write(tmp_path, "f.xlsx", workbook({"指标": rows}, merges={"指标": ["C6:C7"]})))
    assert [p.split(": ", 1)[0] for p in found] == [
        "f.xlsx 工作表“指标” E1", "f.xlsx 工作表“指标” A2", "f.xlsx 工作表“指标” C3", "f.xlsx 工作表“指标” B4",
        "f.xlsx 工作表“指标” C5", "f.xlsx 工作表“指标” C7"]
    assert "不认识的列名“单价”（是不是想写“单位”？" in found[0]
    assert "分类是空的" in found[1]
    assert "这里应是数字，实际是文字“暂无”" in found[2]
    assert "指标名称是空的" in found[3]
    assert "指标“满意度”的本年数值是空的" in found[4]
    assert "合并单元格（C6:C7）" in found[5] and "请取消合并" in found[5]


def test_an_unknown_sheet_layout_is_explained(tmp_path: Path) -> None:
    found = problems_of(write(tmp_path, "x.xlsx", workbook({"Sheet1": [["甲", "乙"], [1, 2]]})))
    assert found == ["x.xlsx 工作表“Sheet1”: 没有找到认得的表头：记录表的第一行应是列名（指标表的列名是 分类、指标、本年、上年、目标、"
                     "单位、说明；部门表第一列是“部门”或“单位”；说明表是“项目、内容”两列。`summarykit init --xlsx` 生成一个样例工作簿）"]


def test_an_unused_sheet_is_a_notice(tmp_path: Path) -> None:
    data = workbook({"说明": [["项目", "内容"], ["单位", "某单位"]], "草稿": [["随便", "写写"]]})
    [report] = reports_of_path(write(tmp_path, "n.xlsx", data))
    assert [n.code for n in report.notices] == ["sheet-unused"]
    assert "工作表“草稿”不是指标表、部门表或说明表" in report.notices[0].message


# --------------------------------------------------------------------------- tables from sheets


def test_notes_sheet_names_a_sheet_as_a_table(tmp_path: Path) -> None:
    data = workbook({"说明": [["项目", "内容"], ["单位", "某单位"], ["统计表", "人员", "职工结构"],
                              ["统计表", "人员!A1:B2"]],
                     "人员": [["类别", "人数", "占比"], ["教师", 120, 0.8], ["职工", 30, 0.2]]},
                    formats={("人员", "C2"): "0%", ("人员", "C3"): "0%"})
    [report] = data_of(write(tmp_path, "t.xlsx", data))
    assert report["tables"] == [
        {"caption": "职工结构", "columns": ["类别", "人数", "占比"], "rows": [["教师", "120", "80%"], ["职工", "30", "20%"]]},
        {"caption": "人员", "columns": ["类别", "人数"], "rows": [["教师", "120"]]}]  # no caption: the sheet's name


def test_yaml_meta_and_sheet_figures_combine(tmp_path: Path) -> None:
    write(tmp_path, "数据.xlsx", workbook({
        "指标": [FIGURES_HEADER, ["日常维修", "维修工单", 1234, 1097, None, "件", "维修及时。"], ["绿化", "面积", 3.5, None, None, "万平方米"]],
        "人员": [["类别", "人数"], ["教师", 120], ["职工", 30]]}))
    (tmp_path / "总结.yaml").write_text(
        "workbook: 数据.xlsx\nmeta:\n  organization: 某某中学\n  period: 2025年\n"
        "achievements:\n  - heading: 日常维修\n    items:\n      - 建立了报修平台。\n"
        "tables:\n  - sheet: 人员\n    range: A1:B2\n    caption: 人员\n", encoding="utf-8")
    [report] = data_of(tmp_path / "总结.yaml")
    assert report["meta"] == {"organization": "某某中学", "period": "2025年"}
    assert report["achievements"] == [
        {"heading": "日常维修", "items": ["建立了报修平台。", "维修及时。"],
         "metrics": [{"name": "维修工单", "value": 1234, "previous": 1097, "unit": "件"}]},
        {"heading": "绿化", "metrics": [{"name": "面积", "value": 3.5, "unit": "万平方米"}]}]
    assert report["tables"] == [{"caption": "人员", "columns": ["类别", "人数"], "rows": [["教师", "120"]]}]
    [whole] = reports_of_path(Path("总结.yaml"))
    assert whole.notices == []  # the 人员 sheet is used (as a table): no “not used” notice


def test_a_table_from_a_sheet_renders_without_figures(tmp_path: Path) -> None:
    write(tmp_path, "人员.csv", "类别,人数\n教师,120\n职工,30\n".encode())
    (tmp_path / "总结.yaml").write_text(
        "meta: {organization: 某某中学}\nintro: [本年度工作顺利。]\n"
        "tables:\n  - {workbook: 人员.csv, sheet: 人员, caption: 人员结构}\n", encoding="utf-8")
    import summarykit as sk

    report = sk.load(tmp_path / "总结.yaml")
    assert report.tables[0].caption == "人员结构"
    assert report.tables[0].rows == [["教师", "120"], ["职工", "30"]]
    text = sk.to_text(sk.compose(report, "school_term", seed=1))
    assert "教师" in text and "120" in text


def test_yaml_errors_keep_their_lines_and_sheet_errors_their_cells(tmp_path: Path) -> None:
    write(tmp_path, "人员.xlsx", workbook({"人员": [["类别", "人数"], ["教师", 120]]}))
    (tmp_path / "总结.yaml").write_text(
        "meta:\n  organization: 某某中学\n  date: 2026-02-30\n"
        "tables:\n  - {workbook: 人员.xlsx, sheet: 人口}\n  - {workbook: 人员.xlsx, sheet: 人员, range: A1-B2}\n",
        encoding="utf-8")
    with pytest.raises(RecordsError) as info:
        reports_of_path(Path("总结.yaml"))
    found = [str(p) for p in info.value.problems]
    assert found[0].startswith("总结.yaml:5:") and found[0].endswith(
        "找不到工作表“人口”（是不是想写“人员”？工作簿里的工作表：人员）")
    assert found[1].startswith("总结.yaml:6:") and "单元格范围“A1-B2”写法不对" in found[1]
    (tmp_path / "总结.yaml").write_text("workbook: 人员.xlsx\nmeta:\n  date: 2026-02-30\n", encoding="utf-8")
    with pytest.raises(RecordsError) as info:
        load_all("总结.yaml")
    assert [p.location() for p in info.value.problems] == ["总结.yaml:3:3"]


def test_workbook_key_pointing_at_a_missing_or_non_sheet_file(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("workbook: 没有.xlsx\n", encoding="utf-8")
    with pytest.raises(RecordsError) as info:
        load_all("a.yaml")
    assert "找不到这个文件" in info.value.report()
    (tmp_path / "b.yaml").write_text("workbook: a.yaml\n", encoding="utf-8")
    with pytest.raises(RecordsError) as info:
        load_all("b.yaml")
    assert "b.yaml:1:1: workbook：“a.yaml”不是 Excel（.xlsx）或 CSV 文件" in info.value.report()


# --------------------------------------------------------------------------- CSV


CSV_TEXT = "分类,指标,本年,上年,单位\n日常维修,维修工单,\"1,234\",1097,件\n日常维修,满意度,95.6%,,\n"
EXPECTED_CSV = [{"achievements": [{"heading": "日常维修", "metrics": [
    {"name": "维修工单", "value": 1234, "previous": 1097, "unit": "件"}, {"name": "满意度", "value": 95.6, "unit": "%"}]}]}]


@pytest.mark.parametrize(("encoding", "notice"), [("utf-8", None), ("utf-8-sig", None), ("gbk", "GBK")])
def test_csv_in_each_encoding_reads_the_same(tmp_path: Path, encoding: str, notice: str | None) -> None:
    path = write(tmp_path, "数据.csv", CSV_TEXT.encode(encoding))
    reports = reports_of_path(path)
    assert [r.data for r in reports] == EXPECTED_CSV
    codes = [n.message for n in reports[0].notices]
    assert (notice is None and not codes) or (notice is not None and any(notice in c for c in codes))


def test_csv_with_semicolons_or_tabs(tmp_path: Path) -> None:
    for separator in (";", "\t"):
        text = CSV_TEXT.replace(",", separator).replace('"1' + separator + '234"', "1234")
        assert data_of(write(tmp_path, "x.csv", text.encode())) == EXPECTED_CSV


def test_csv_errors_are_located_by_cell(tmp_path: Path) -> None:
    found = problems_of(write(tmp_path, "数据.csv", "分类,指标,本年\n维修,工单,很多\n".encode("gbk")))
    assert found == ["数据.csv C2: “本年”列：这里应是数字，实际是文字“很多”（请只填数字（如 1234、95.6%、约1200），"
                     "单位写在“单位”列或列名的括号里）"]


# --------------------------------------------------------------------------- files that are not readable workbooks


OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _numbers() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("Index/Document.iwa", b"\x00")
    return buffer.getvalue()


@pytest.mark.parametrize(("name", "content", "message"), [
    ("旧.xls", OLE2 + bytes(600), "这是旧版 Excel 文件（.xls），不能直接读取"),
    ("旧.xlsx", OLE2 + bytes(600), "这是旧版 Excel 文件（.xls），不能直接读取"),
    ("表.et", OLE2 + bytes(600), "这是 WPS 表格文件（.et），不能直接读取"),
    ("表.numbers", _numbers(), "这是苹果 Numbers 表格（.numbers），不能直接读取"),
    ("加密.xlsx", OLE2 + bytes(100) + "EncryptionInfo".encode("utf-16-le") + bytes(100), "这个工作簿设置了打开密码"),
    ("坏.xlsx", b"PK\x03\x04" + bytes(40), "这个 Excel 文件已损坏（压缩包不完整）"),
    ("假.xlsx", "分类,指标\n".encode(), "扩展名是 .xlsx，但里面不是 Excel 工作簿"),
])
def test_spreadsheets_that_cannot_be_read_say_what_to_do(tmp_path: Path, name: str, content: bytes,
                                                         message: str) -> None:
    import summarykit as sk

    path = write(tmp_path, name, content)
    with pytest.raises(RecordsError) as info:
        sk.load(path)
    [problem] = info.value.problems
    assert message in problem.message
    assert problem.hint  # always says what to do


def test_a_truncated_workbook_is_damaged(tmp_path: Path) -> None:
    data = workbook({"指标": [FIGURES_HEADER, ["维修", "工单", 1]]})
    with pytest.raises(RecordsError) as info:
        reports_of_path(write(tmp_path, "断.xlsx", data[: len(data) // 2]))
    assert "已损坏" in info.value.report()


# --------------------------------------------------------------------------- library: rows a program holds


def test_rows_from_a_program_give_the_same_records_as_the_workbook(tmp_path: Path) -> None:
    rows = [{"分类": "日常维修", "指标": "维修工单", "本年": 1234, "上年": 1097, "单位": "件"},
            {"分类": "日常维修", "指标": "满意度", "本年": "95.6%"}]
    from_rows = records_from_rows(rows, base={"meta": {"organization": "某某中学"}})
    sheet = [list(rows[0]), list(rows[0].values()), ["日常维修", "满意度", "95.6%", None, None]]
    from_book = data_of(write(tmp_path, "r.xlsx", workbook({"指标": sheet})))
    assert from_rows == [{"meta": {"organization": "某某中学"}, **from_book[0]}]


def test_rows_for_departments_and_errors_name_the_row(tmp_path: Path) -> None:
    reports = reports_from_rows({"部门": [{"部门": "总务处", "开头": "工作顺利。"}, {"部门": "保卫处", "开头": "平稳。"}]},
                                base={"meta": {"organization": "某某中学"}})
    assert [r.meta.department for r in reports] == ["总务处", "保卫处"]
    assert reports[1].intro == ["平稳。"]
    with pytest.raises(RecordsError) as info:
        records_from_rows([{"部门": "总务处"}, {"部门": "总务处"}], name="接口数据")
    assert str(info.value.problems[0]).startswith("接口数据 工作表“数据” A3: “部门”列：部门“总务处”重复了")


# --------------------------------------------------------------------------- through the command line


def test_cli_validate_render_and_batch_accept_a_workbook(tmp_path: Path) -> None:
    from summarykit.cli.main import main

    book = write(tmp_path, "部门.xlsx", workbook({"说明": [["项目", "内容"], ["单位", "某某中学"], ["时期", "2025年"]],
                                                 "部门": [["部门", "开头", "打算"], ["总务处", "工作顺利。", "继续努力。"],
                                                          ["保卫处", "平稳。", "加强巡逻。"]]}))
    assert main(["validate", str(book)]) == 0
    out = tmp_path / "输出"
    assert main(["batch", str(book), "-o", str(out), "--jobs", "1", "-f", "txt"]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["部门-保卫处.txt", "部门-总务处.txt"]
    assert "加强巡逻。" in (out / "部门-保卫处.txt").read_text(encoding="utf-8")
    assert main(["render", str(book), "-o", str(tmp_path / "一份.docx")]) == 2
    assert not (tmp_path / "一份.docx").exists()


def test_cli_batch_reports_a_bad_row_and_writes_the_others(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from summarykit.cli.main import main

    book = write(tmp_path, "部门.xlsx", workbook({"部门": [["部门", "日期"], ["总务处", "2026-01-20"],
                                                          ["保卫处", "2026-02-30"]]}))
    assert main(["batch", str(book), "-o", str(tmp_path / "o"), "--jobs", "1", "-f", "txt"]) == 2
    err = capsys.readouterr().err
    assert "工作表“部门” A3（保卫处）：发现 1 处问题" in err
    assert "部门.xlsx 工作表“部门” B3: “日期”列（meta.date）：日期不存在：2026-02-30" in err
    assert [p.name for p in (tmp_path / "o").iterdir()] == ["部门-总务处.txt"]


def test_init_xlsx_writes_a_starter_workbook_that_reads_cleanly(tmp_path: Path) -> None:
    from summarykit.cli.main import main
    from summarykit.errors import OutputError

    target = tmp_path / "数据.xlsx"
    assert main(["init", "--xlsx", "-o", str(target)]) == 0
    [report] = reports_of_path(target)  # the sample row of the 部门 sheet, over 说明 and 指标
    assert report.data["meta"]["department"] == "总务处"
    assert report.data["tables"][0]["rows"][0] == ["管理人员", "12", "20%"]
    assert report.data["achievements"][0]["metrics"][1] == {
        "name": "满意度", "value": 95.6, "previous": 93, "target": 95, "unit": "%"}
    from openpyxl import load_workbook

    header = load_workbook(target)["指标"]["C1"]
    assert header.value == "本年" and "只填数字" in header.comment.text
    with pytest.raises(OutputError):
        from summarykit.cli.commands.init import _run_xlsx

        _run_xlsx(type("A", (), {"template": None, "output": str(target), "force": False, "templates": []})())
    assert main(["init", "--xlsx", "-o", str(tmp_path / "x.yaml")]) == 2


# --------------------------------------------------------------------------- end to end, once metrics are in the model


def _metrics_model() -> bool:
    from summarykit.records.model import Category, Metric

    return "previous" in Metric.model_fields and "metrics" in Category.model_fields


@pytest.mark.skipif(not _metrics_model(), reason="the records model has no Metric.previous / Category.metrics yet (issue 13)")
def test_figures_workbook_renders_end_to_end(tmp_path: Path) -> None:
    from summarykit.cli.main import main

    target = tmp_path / "数据.xlsx"
    assert main(["init", "--xlsx", "-o", str(target)]) == 0
    assert main(["validate", str(target)]) == 0
    out = tmp_path / "总结.txt"
    assert main(["render", str(target), "-o", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert "1234" in text and "95.6%" in text and "管理人员" in text


# --------------------------------------------------------------------------- docs/errors.md lists every sheet message

SHEET_MESSAGES = [
    "这是旧版 Excel 文件（.xls），不能直接读取", "这是 WPS 表格文件（.et），不能直接读取",
    "这是苹果 Numbers 表格（.numbers），不能直接读取", "这个工作簿设置了打开密码，无法读取",
    "这个 Excel 文件已损坏（压缩包不完整），无法读取", "这个 Excel 文件已损坏，无法读取（BadZipFile）",
    "这个文件的扩展名是 .xlsx，但里面不是 Excel 工作簿", "文件太大（超过 50 MB）", "读取 Excel 文件需要 openpyxl，但它没有安装",
    "没有找到认得的表头：记录表的第一行应是列名", "部门表有 3 行，每行是一份报告，这里只能生成一份",
    "公式没有保存计算结果（文件可能是程序生成的，还没有在 Excel 或 WPS 里保存过）", "公式的结果是错误值 #DIV/0!",
    "单元格是错误值 #N/A", "这里应是数字，实际是文字“暂无”", "这里应是数字，实际是日期 2026年1月5日",
    "这里是合并单元格（C6:C7）的一部分，读不出这一行的数值", "指标表缺少“本年”列", "不认识的列名“单价”",
    "列名“本期”和 C1 是同一列", "分类是空的", "指标名称是空的", "指标名称在合并单元格（B2:B3）里", "指标“满意度”的本年数值是空的",
    "部门“总务处”重复了（A2 已经有这个名称）", "部门名称是空的", "部门名称在合并单元格（A6:A7）里，每一行应是一份报告",
    "不认识的列名“问提”（这一列填的是文字）", "列名“存在问题”和 B1 是同一项", "不认识的项目“单位名”", "“开头”的内容是空的",
    "“单位”写了两次（另一处在 A2）", "统计表要写出工作表名，如“人员结构”或“人员结构!A1:D8”", "找不到工作表“人口”",
    "单元格范围“A1-B2”写法不对", "workbook 应写一个 Excel 或 CSV 文件的路径", "“a.yaml”不是 Excel（.xlsx）或 CSV 文件",
    "“a.yaml”不是 Excel 或 CSV 文件", "统计表写了 sheet，但没有说是哪个工作簿", "工作表“草稿”不是指标表、部门表或说明表，没有使用",
    "Excel 样例工作簿的文件名应以 .xlsx 结尾，实际是“x.yaml”", "Excel 工作簿不能输出到屏幕，请用 -o 写出文件名",
    "网页的导航或栏目", "网站的提示", "网页上的文件名", "网页上的发布信息",
    "“数据.xlsx”是表格，不用导入：表格可以直接作为记录", "指标表里的部门“保卫科”在部门表里没有", "部门是空的",
]


def test_docs_errors_lists_every_sheet_message() -> None:
    import re as _re

    from .test_bad_inputs import REPO, _doc_form

    def form(text: str) -> str:  # cell names, error values, dates and exception names vary like numbers
        text = _re.sub(r"（[A-Za-z]+）", "（…）", text)
        text = _re.sub(r"\b[A-Z]{1,3}\d+(?::[A-Z]{1,3}\d+)?\b|#[A-Z/0!?]+", "…", text)
        return _doc_form(text).replace("…年…月…日", "…")

    docs = form((REPO / "docs" / "errors.md").read_text(encoding="utf-8"))
    docs += form((REPO / "docs" / "import.md").read_text(encoding="utf-8"))
    missing = [m for m in SHEET_MESSAGES if form(m) not in docs]
    assert not missing, f"docs/errors.md does not mention: {missing}"


def test_every_listed_message_is_one_the_code_gives() -> None:
    """The list above is the code's messages, not an invented one: each (its fixed part) is in the sources."""
    import re as _re

    from .test_bad_inputs import REPO

    code = "".join(p.read_text(encoding="utf-8") for p in (REPO / "src" / "summarykit").rglob("*.py"))
    for message in SHEET_MESSAGES:
        fixed = max(_re.split(r"“[^”]*”|\d+|#\S+|[A-Z]\d+(?::[A-Z]\d+)?|（[A-Za-z]+）|^部门", message), key=len)
        assert fixed.strip("，（） ") in code, message


def test_openpyxl_loads_only_when_a_workbook_is_read() -> None:
    import subprocess
    import sys

    from .test_bad_inputs import REPO

    code = ("import sys\n"
            "import summarykit as sk\n"
            "assert 'openpyxl' not in sys.modules\n"
            f"sk.load({str(REPO / 'sample_data' / 'school_term.yaml')!r})\n"
            "assert 'openpyxl' not in sys.modules, 'a YAML file loaded openpyxl'\n"
            "from summarykit.cli.main import build_parser\n"
            "build_parser().format_help()\n"
            "assert 'openpyxl' not in sys.modules, 'the CLI parser loaded openpyxl'\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr


def test_the_json_schema_knows_workbook_and_sheet_tables() -> None:
    from summarykit.records.schema import json_schema

    schema = json_schema()
    assert "workbook" in schema["properties"]
    assert {"sheet", "range", "workbook"} <= set(schema["$defs"]["Table"]["properties"])
    assert {"required": ["sheet"]} in schema["$defs"]["Table"]["anyOf"]


def test_a_sheet_table_without_a_workbook_is_located(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("meta: {organization: 某单位}\ntables:\n  - sheet: 人员\n", encoding="utf-8")
    with pytest.raises(RecordsError) as info:
        load_all("a.yaml")
    [problem] = info.value.problems
    assert str(problem).startswith("a.yaml:3:")
    assert "统计表写了 sheet，但没有说是哪个工作簿" in str(problem)


@pytest.mark.parametrize("name", ["数据.xlsx", "数据.csv"])
def test_import_of_a_sheet_says_it_needs_no_import(tmp_path: Path, name: str,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    from summarykit.cli.main import main

    content = workbook({"指标": [FIGURES_HEADER]}) if name.endswith("xlsx") else CSV_TEXT.encode("gbk")
    write(tmp_path, name, content)
    assert main(["import", name, "-o", "x.yaml"]) == 2
    err = capsys.readouterr().err
    assert f"“{name}”是表格，不用导入" in err and f"summarykit validate {name}" in err
    assert not (tmp_path / "x.yaml").exists()


def test_batch_of_a_yaml_naming_a_departments_workbook(tmp_path: Path) -> None:
    from summarykit.cli.main import main

    write(tmp_path, "部门.xlsx", workbook({"部门": [["部门", "开头"], ["总务处", "工作顺利。"], ["保卫处", "平稳。"]]}))
    (tmp_path / "总结.yaml").write_text("workbook: 部门.xlsx\nmeta:\n  organization: 某某中学\nplans: [继续努力。]\n",
                                      encoding="utf-8")
    assert main(["validate", "总结.yaml"]) == 0
    assert main(["batch", "总结.yaml", "-o", "输出", "--jobs", "1", "-f", "txt"]) == 0
    text = (tmp_path / "输出" / "总结-保卫处.txt").read_text(encoding="utf-8")
    assert "某某中学" in text and "平稳。" in text and "继续努力。" in text


LONG = [["部门", "分类", "指标", "本年", "单位"],
        ["总务处", "日常维修", "维修工单", 1234, "件"],
        [None, "日常维修", "满意度", "95.6%", None],
        ["保卫处", "安全保卫", "巡逻", 365, "次"]]


def test_a_long_figures_sheet_gives_one_report_per_department(tmp_path: Path) -> None:
    reports = reports_of_path(write(tmp_path, "长.xlsx", workbook({"指标": LONG}, merges={})))
    assert [(r.key, r.label) for r in reports] == [("总务处", "工作表“指标” A2（总务处）"), ("保卫处", "工作表“指标” A4（保卫处）")]
    assert reports[0].data == {"meta": {"department": "总务处"}, "achievements": [{"heading": "日常维修", "metrics": [
        {"name": "维修工单", "value": 1234, "unit": "件"}, {"name": "满意度", "value": 95.6, "unit": "%"}]}]}
    assert reports[1].data["achievements"][0]["metrics"] == [{"name": "巡逻", "value": 365, "unit": "次"}]


def test_a_long_figures_sheet_joins_the_departments_sheet_by_name(tmp_path: Path) -> None:
    book = workbook({"部门": [["部门", "开头"], ["总务处", "工作顺利。"], ["保卫处", "平稳。"]], "指标": LONG})
    reports = reports_of_path(write(tmp_path, "合.xlsx", book))
    assert [r.data["intro"] for r in reports] == [["工作顺利。"], ["平稳。"]]
    assert reports[1].data["achievements"] == [{"heading": "安全保卫", "metrics": [{"name": "巡逻", "value": 365,
                                                                                 "unit": "次"}]}]
    wrong = [*LONG[:3], ["保卫科", "安全保卫", "巡逻", 365, "次"]]
    book = workbook({"部门": [["部门", "开头"], ["总务处", "工作顺利。"], ["保卫处", "平稳。"]], "指标": wrong})
    assert problems_of(write(tmp_path, "错.xlsx", book)) == [
        "错.xlsx 工作表“指标” A4: 指标表里的部门“保卫科”在部门表里没有（是不是想写“保卫处”？两张表的部门名称要一致）"]


# --------------------------------------------------------------------------- property: a workbook and rows agree


_VALUE = st.one_of(
    st.tuples(st.just("int"), st.integers(0, 10**7)),
    st.tuples(st.just("decimal"), st.integers(0, 10**6).map(lambda n: n / 10)),
    st.tuples(st.just("percent"), st.integers(0, 1000).map(lambda n: n / 10)),
)
_ROW = st.tuples(st.sampled_from(["日常维修", "食堂", "绿化", "安全保卫"]),
                 st.sampled_from(["维修工单", "营业额", "面积", "巡逻", "满意度"]), _VALUE,
                 st.one_of(st.none(), _VALUE), st.sampled_from([None, "件", "万元", "次"]))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(st.lists(_ROW, min_size=1, max_size=8))
def test_a_workbook_and_the_same_rows_in_memory_give_the_same_records(tmp_path: Path, rows: list[Any]) -> None:
    def cell(value: tuple[str, float] | None) -> Any:
        if value is None:
            return None
        kind, number = value
        return number / 100 if kind == "percent" else number

    def typed(value: tuple[str, float] | None) -> Any:  # what a program would hand over: 95.6% as text
        if value is None:
            return None
        kind, number = value
        return f"{number:g}%" if kind == "percent" else number

    sheet = [["分类", "指标", "本年", "上年", "单位"]]
    formats = {}
    for index, (category, name, value, previous, unit) in enumerate(rows, start=2):
        sheet.append([category, name, cell(value), cell(previous), unit])
        for column, spec in (("C", value), ("D", previous)):
            if spec is not None and spec[0] == "percent":
                formats[("指标", f"{column}{index}")] = "0.0%"
    from_book = data_of(write(tmp_path, "p.xlsx", workbook({"指标": sheet}, formats=formats)))
    from_rows = records_from_rows([{"分类": c, "指标": n, "本年": typed(v), "上年": typed(p), "单位": u}
                                   for c, n, v, p, u in rows])
    assert from_book == from_rows
    values = [m["value"] for category in from_rows[0]["achievements"] for m in category["metrics"]]
    assert sorted(values) == sorted(v[1] for _, _, v, _, _ in rows)  # 0.956 shown as 95.6% is 95.6, no float noise


def test_a_kit_loads_every_row_of_a_workbook_and_renders_one(tmp_path: Path) -> None:
    import summarykit as sk
    from summarykit.kit import Kit

    book = write(tmp_path, "部门.xlsx", workbook({"说明": [["项目", "内容"], ["单位", "某某中学"]],
                                                 "部门": [["部门", "开头"], ["总务处", "工作顺利。"], ["保卫处", "平稳。"]]}))
    entries = Kit().load_all(book)
    assert [(e.name, e.report.meta.department) for e in entries] == [("部门-总务处", "总务处"), ("部门-保卫处", "保卫处")]
    one = write(tmp_path, "一份.csv", "项目,内容\n单位,某某中学\n开头,本年度工作顺利。\n".encode("gbk"))
    assert "本年度工作顺利。" in sk.render(one, format="txt").decode("utf-8")
