"""The starter workbook of ``summarykit init --xlsx``: every layout, a note on each header, one sample row.

People learn a sheet layout from a filled-in sheet, as they learn records from a starter YAML
file: each header cell carries a note (an Excel comment) saying what goes in the column, and each
sheet has one sample row to overwrite.  Built with openpyxl from the header tables of layouts.py,
so the starter and the reader cannot drift apart.
"""

from __future__ import annotations

import datetime as dt
import io

from . import layouts

_FIGURE_NOTES = {
    "分类": "工作的类别，成为总结里“主要工作”下的一个小标题；同一分类的下面几行可以空着或合并单元格",
    "指标": "指标名称，如“维修工单”；以“其中：”开头的行是上一行指标的分项",
    "本年": "本年（本期）的数值，只填数字；百分数可以用百分比格式，约数写成“约1200”",
    "上年": "上年（同期）的数值，用来算增减；可以不填",
    "目标": "目标（计划）数值，用来说完成情况；可以不填",
    "单位": "计量单位，如 件、万元、%",
    "说明": "这个指标相关的一句话，写进这一类工作的条目；可以不填",
}
_DEPARTMENT_NOTES = {
    "部门": "每一行是一份报告（summarykit batch 为每一行生成一个文件）；部门名称不能重复",
    "时期": "可以不填，不填时用“说明”表里的时期",
    "开头": "这个部门总结的开头段落；一格里换行（Alt+Enter）分成几段",
    "问题": "存在的问题，一格里每行一条",
    "打算": "下一步打算，一格里每行一条",
    "维修工单（件）": "其余各列都是指标：列名写指标名称，括号里写单位，格里只填数字",
    "满意度（%）": "百分数可以填 95.6% 或用百分比格式",
}


def starter_workbook(template: str | None = None) -> bytes:
    """The starter workbook's bytes (说明, 指标, 部门, 人员结构 sheets)."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill

    book = Workbook()
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")

    def header(ws, names, notes):  # type: ignore[no-untyped-def]
        ws.append(names)
        for cell in ws[ws.max_row]:
            cell.font = bold
            cell.fill = fill
            note = notes.get(str(cell.value))
            if note:
                cell.comment = Comment(note, "summarykit", width=260, height=110)
        for column, name in enumerate(names, start=1):
            ws.column_dimensions[ws.cell(1, column).column_letter].width = max(10, len(str(name)) * 2 + 4)

    notes = book.active
    notes.title = "说明"
    header(notes, ["项目", "内容"], {"项目": "可以写的项目：" + "、".join(n[0] for n in layouts.TEXT_FIELDS.values()),
                                    "内容": "一格里换行（Alt+Enter）分成几段或几条"})
    rows: list[tuple[str, object]] = [("单位", "某某中学"), ("时期", "2025年"), ("主题", "后勤"),
                                      ("日期", dt.date(2026, 1, 20)), ("开头", "本年度，后勤工作围绕保障教学、服务师生，各项工作稳步推进。"),
                                      ("问题", "部分设施老化，维修任务重。"), ("打算", "继续推进设施更新改造。"),
                                      ("统计表", "人员结构")]
    if template:
        rows.insert(0, ("模板", template))
    for row in rows:
        notes.append(list(row))
    notes.column_dimensions["B"].width = 70
    for cell in notes["B"]:
        if isinstance(cell.value, dt.date):
            cell.number_format = "yyyy-mm-dd"

    figures = book.create_sheet("指标")
    header(figures, [names[0] for key, names in layouts.FIGURE_COLUMNS.items() if key != "department"], _FIGURE_NOTES)
    figures.append(["日常维修", "维修工单", 1234, 1097, 1200, "件", "全年完成维修工单1234件，及时率明显提高。"])
    figures.append([None, "满意度", 0.956, 0.93, 0.95, "%", None])
    for ref in ("C3", "D3", "E3"):
        figures[ref].number_format = "0.0%"

    departments = book.create_sheet("部门")
    header(departments, ["部门", "时期", "开头", "问题", "打算", "维修工单（件）", "满意度（%）"], _DEPARTMENT_NOTES)
    departments.append(["总务处", None, "本年度，总务处围绕服务师生，各项工作有序推进。", "人手紧张。", "加强队伍建设。",
                        1234, 0.956])
    departments["G2"].number_format = "0.0%"

    people = book.create_sheet("人员结构")
    people.append(["类别", "人数", "占比"])
    for cell in people[1]:
        cell.font = bold
        cell.fill = fill
    people.append(["管理人员", 12, 0.2])
    people.append(["工勤人员", 48, 0.8])
    for ref in ("C2", "C3"):
        people[ref].number_format = "0%"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
