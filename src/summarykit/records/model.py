"""The records model: what a work summary says, without any wording or layout.

Records are facts (what was done, with numbers; what went wrong; what comes
next).  Templates decide the order, the wording around them and the numbering.
The model is strict (unknown keys are errors) because a misspelt key in a
hand-written YAML file would otherwise silently drop content from a report.

Short forms are accepted where office staff naturally write them: an item may
be a plain string, a part (problems, plans, ...) may be a plain list of items,
and a date may be written 2026-01-20 or 2026年1月20日.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    field_validator,
    model_validator,
)

from ..errors import Notice
from ..zh.dates import split_date

_PERIOD_BREAK = re.compile(r"(?<=学年|学期|年度|季度)|(?<=\d年)(?=[^\d度])")


def parse_date(value: Any) -> Any:
    """Accept the ways people write a date; leave anything else for pydantic to reject."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, int) and not isinstance(value, bool):
        # pydantic would read an integer as a Unix timestamp (0 → 1970-01-01): only 20260120 is a date.
        if 10_000_101 <= value <= 99_991_231:
            value = f"{value // 10000}-{value // 100 % 100}-{value % 100}"
        else:
            raise ValueError(f"日期格式不对：{value!r}")
    if isinstance(value, str):
        parts = split_date(value, ("arabic", "iso"))
        if parts:
            try:
                return dt.date(*parts)
            except ValueError as exc:
                raise ValueError(f"日期不存在：{value}") from exc
        raise ValueError(f"日期格式不对：{value!r}")
    return value


Date = Annotated[dt.date, BeforeValidator(parse_date)]


def _text(value: Any) -> Any:
    """Numbers typed where text was expected (e.g. a bare year) become text."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return str(value)
    return value


Text = Annotated[str, BeforeValidator(_text)]


class Strict(BaseModel):
    """Base of every record: unknown keys are errors, values are not coerced silently."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)


class Metric(Strict):
    """A quantified result, e.g. 办公桌 7 张."""

    name: Text = Field(description="指标名称，如“办公桌”")
    value: float | int | Text = Field(description="数值，如 7 或 13.8")
    unit: Text = Field(default="", description="单位，如“张”“%”“万元”")


# --------------------------------------------------------------------------- rich content (issue 20)


def _width(value: Any) -> Any:
    """A bare number is millimetres (120 → "120mm"); "80%" and "120mm" are kept as written."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f"{value:g}mm"
    return value


class Image(Strict):
    """A picture (照片、示意图) printed with a caption 图N."""

    path: Text = Field(min_length=1, description="图片文件，相对于记录文件所在的文件夹，如“images/食堂.png”")
    caption: Text = Field(default="", description="图题（不写“图1”，编号自动生成）")
    width: Annotated[str, BeforeValidator(_width)] = Field(
        default="", pattern=r"^(\d+(\.\d+)?\s*(%|mm|cm|毫米|厘米))?$",
        description="宽度：80%（版心宽度的百分比）、120mm 或不写（按图片原尺寸，不超过版心）")

    @model_validator(mode="before")
    @classmethod
    def _from_string(cls, data: Any) -> Any:
        return {"path": data} if isinstance(data, str) else data


class ChartSeries(Strict):
    """One line of numbers in a chart (本年、上年……)."""

    name: Text = Field(description="系列名称，如“2025年”")
    values: list[float] = Field(min_length=1, description="各类别的数值，个数与 categories 相同")


class Chart(Strict):
    """A chart drawn as a native Word chart (its numbers editable in Word and WPS)."""

    type: Literal["bar", "column", "line", "pie"] = Field(
        default="bar", description="bar（柱形图）、line（折线图）、pie（饼图）")
    title: Text = Field(default="", description="图题（不写“图1”，编号自动生成）")
    unit: Text = Field(default="", description="数值的单位，如“人次”“万元”")
    categories: list[Text] = Field(min_length=1, description="类别，如各月份、各部门")
    series: list[ChartSeries] = Field(min_length=1, description="一组或几组数值")

    @model_validator(mode="after")
    def _values_match_categories(self) -> Chart:
        for index, series in enumerate(self.series):
            if len(series.values) != len(self.categories):
                raise ValueError(f"第 {index + 1} 组数值有 {len(series.values)} 个，categories 有 "
                                 f"{len(self.categories)} 个")
        if self.type == "pie" and len(self.series) > 1:
            raise ValueError("饼图只能有一组数值")
        return self


PAGE_BREAK_DESCRIPTION = "本部分从新的一页开始"


class Item(Strict):
    """One thing done, found or planned; becomes a numbered item or an inline clause."""

    text: Text = Field(description="这一条的正文")
    metrics: list[Metric] = Field(default_factory=list, description="本条涉及的数字")
    details: list[Text] = Field(
        default_factory=list, description="紧跟在这一条后面、不编号的说明段落"
    )
    images: list[Image] = Field(default_factory=list, description="这一条后面的图片")

    @model_validator(mode="before")
    @classmethod
    def _from_string(cls, data: Any) -> Any:
        return {"text": data} if isinstance(data, str | int | float) and not isinstance(data, bool) else data


class Table(Strict):
    """A statistics table (统计表)."""

    caption: Text = Field(default="", description="表题，如“职工年龄结构”")
    columns: list[Text] = Field(min_length=1, description="表头各列")
    rows: list[list[Text]] = Field(default_factory=list, description="各行，每行的格数与表头相同")
    note: Text = Field(default="", description="表下注释")

    @model_validator(mode="after")
    def _rows_match_columns(self) -> Table:
        width = len(self.columns)
        for index, row in enumerate(self.rows):
            if len(row) != width:
                raise ValueError(f"第 {index + 1} 行有 {len(row)} 格，表头有 {width} 列")
        return self


class Category(Strict):
    """A group of achievements under one heading, e.g. 一、学生食堂改革."""

    heading: Text = Field(description="类别标题，不写编号")
    paragraphs: list[Text] = Field(default_factory=list, description="条目前的说明段落")
    items: list[Item] = Field(default_factory=list, description="具体做了什么")
    after: list[Text] = Field(default_factory=list, description="条目后的段落")
    tables: list[Table] = Field(default_factory=list)
    images: list[Image] = Field(default_factory=list, description="图片（排在条目和表格之后）")
    charts: list[Chart] = Field(default_factory=list, description="图表（排在条目和表格之后）")
    page_break: bool = Field(default=False, description=PAGE_BREAK_DESCRIPTION)


class Part(Strict):
    """Experiences, problems or plans: a list of items, optionally under its own heading."""

    heading: Text | None = Field(default=None, description="本部分标题（不写时用模板默认标题）")
    lead: list[Text] = Field(default_factory=list, description="条目前的引导段落")
    items: list[Item] = Field(default_factory=list)
    after: list[Text] = Field(default_factory=list, description="条目后的段落")
    page_break: bool = Field(default=False, description=PAGE_BREAK_DESCRIPTION)

    @model_validator(mode="before")
    @classmethod
    def _from_list(cls, data: Any) -> Any:
        return {"items": data} if isinstance(data, list) else data

    def is_empty(self) -> bool:
        return not (self.lead or self.items or self.after)


class Section(Strict):
    """A free section: heading, paragraphs, items and subsections, to any depth."""

    heading: Text = Field(description="标题，不写编号")
    run_in: bool = Field(default=False, description="标题与正文同段（如“1.机构设置情况。省局……”）")
    paragraphs: list[Text] = Field(default_factory=list)
    items: list[Item] = Field(default_factory=list)
    inline_items: bool = Field(
        default=False, description="把条目写成段内的“一是……；二是……”，而不是编号条目"
    )
    tables: list[Table] = Field(default_factory=list)
    subsections: list[Section] = Field(default_factory=list)
    after: list[Text] = Field(default_factory=list, description="下级标题之后的段落")
    images: list[Image] = Field(default_factory=list, description="图片（排在条目和表格之后、下级标题之前）")
    charts: list[Chart] = Field(default_factory=list, description="图表（排在条目和表格之后、下级标题之前）")
    page_break: bool = Field(default=False, description=PAGE_BREAK_DESCRIPTION)


class Signature(Strict):
    """落款: the unit and the date under the body."""

    organization: Text | None = Field(default=None, description="署名单位（不写时用 meta.organization）")
    name: Text | None = Field(default=None, description="署名人（个人总结时写姓名）")
    date: Date | None = Field(default=None, description="成文日期（不写时用 meta.date）")


class Meta(Strict):
    """Who, when and what: the facts behind the title and the signature."""

    title: Text | None = Field(default=None, description="标题；不写时由单位＋时期＋主题＋文种组成")
    subtitle: Text | None = Field(default=None, description="副标题（以“——”开头）")
    organization: Text | None = Field(default=None, description="单位，如“某某中学”")
    department: Text | None = Field(default=None, description="部门，如“总务处”")
    period: Text | None = Field(default=None, description="时期，如“2025—2026学年第一学期”")
    next_period: Text | None = Field(
        default=None, description="下一时期，如“2026年”“下学期”（计划部分的引语和合写的“工作计划”用）"
    )
    subject: Text | None = Field(default=None, description="主题，如“后勤”")
    kind: Text = Field(default="工作总结", description="文种，如“工作总结”“调研报告”")
    author: Text | None = Field(default=None, description="撰写人")
    date: Date | None = Field(default=None, description="成文日期")
    template: Text | None = Field(default=None, description="默认使用的模板名")
    audience: Text | None = Field(default=None, description="讲话稿的称呼，如“各位领导、同志们”")
    emphasis: bool = Field(default=False, description="正文里 **加粗**、++下划线++ 生效（默认不生效，原样印出）")

    def composed_title(self) -> str:
        """The title a reader expects when none is given: unit + period + subject + kind."""
        return self.title or "".join(self.title_pieces())

    def title_pieces(self) -> list[str]:
        """The words a composed title is made of, where a long title may break between lines.

        A typed title has none (the writer finds its words with jieba); a composed one is
        built from whole names, so its part boundaries are word boundaries, and a period
        such as 2025—2026学年第一学期 breaks after its year unit.
        """
        if self.title:
            return []
        pieces: list[str] = []
        for part in (self.organization, self.department, self.period, self.subject, self.kind):
            if not part:
                continue
            if part is self.period:
                pieces.extend(p for p in _PERIOD_BREAK.split(part) if p)
            elif part is self.kind and part.endswith("总结") and len(part) > 2:
                pieces.extend([part[:-2], part[-2:]])  # 工作总结 → 工作 | 总结
            else:
                pieces.append(part)
        return pieces


def _names(value: Any) -> Any:
    """A list of names may be written on one line: 市财政局、市审计局."""
    if isinstance(value, str):
        return [n for n in re.split(r"[、，,；;]+", value.strip().rstrip("。")) if n]
    return value


Names = Annotated[list[Text], BeforeValidator(_names)]


class Official(Strict):
    """The parts of a summary submitted as a 公文 (a 报告 to a superior office), GB/T 9704 §7.

    Every field is optional; a style file may give the ones an office always
    uses (issuer, printer) and the records the rest.
    """

    copy_number: Text | None = Field(default=None, pattern=r"^\d{1,6}$", description="份号（6位以内数字）")
    secrecy: Text | None = Field(default=None, description="密级和保密期限，如“秘密★1年”")
    urgency: Text | None = Field(default=None, description="紧急程度：特急、加急")
    issuer: Text | None = Field(default=None, description="发文机关标志，如“某某市机关事务管理局文件”")
    number: Text | None = Field(default=None, description="发文字号，如“某机管〔2026〕3号”")
    signers: Names = Field(default_factory=list, description="签发人（上行文），一人或多人")
    recipients: Text | None = Field(default=None, description="主送机关，如“市人民政府”（冒号自动加）")
    note: Text | None = Field(default=None, description="附注，如“联系人：张三，电话：12345678”（括号自动加）")
    copy_to: Names = Field(default_factory=list, description="抄送机关")
    printer: Text | None = Field(default=None, description="印发机关，如“某某市机关事务管理局办公室”")
    printed: Date | None = Field(default=None, description="印发日期")


class Report(Strict):
    """One work summary's records: the single structure between loading and composing."""

    meta: Meta = Field(default_factory=Meta)
    keywords: list[Text] | Literal["auto"] | None = Field(
        default=None, description="关键词列表，或 auto（自动提取）"
    )
    intro: list[Text] = Field(default_factory=list, description="开头段落（总体情况）")
    achievements: list[Category] = Field(default_factory=list, description="主要工作和成绩，按类别")
    sections: list[Section] = Field(default_factory=list, description="自由章节")
    experiences: Part = Field(default_factory=Part, description="经验体会")
    problems: Part = Field(default_factory=Part, description="存在问题")
    plans: Part = Field(default_factory=Part, description="下一步打算")
    tables: list[Table] = Field(default_factory=list, description="不属于某一章节的统计表")
    closing: list[Text] = Field(default_factory=list, description="结尾段落")
    signature: Signature = Field(default_factory=Signature)
    attachments: list[Text] = Field(default_factory=list, description="附件名称")
    references: list[Text] = Field(default_factory=list, description="参考文献")
    official: Official | None = Field(default=None, description="作为公文（报告）上报时的版头、主送机关、附注和版记")

    _notices: list[Notice] = PrivateAttr(default_factory=list)
    _source: str = PrivateAttr(default="")
    _assets: dict[str, str] = PrivateAttr(default_factory=dict)  # image path as written → checked file

    @field_validator("keywords", mode="before")
    @classmethod
    def _split_keywords(cls, value: Any) -> Any:
        """Keywords pasted as one line (后勤保障；行政服务) are split on the usual separators."""
        if isinstance(value, str):
            if value.strip().lower() in {"auto", "自动"}:
                return "auto"
            return [k for k in re.split(r"[;；,，、\s]+", value) if k]
        return value

    @property
    def notices(self) -> list[Notice]:
        """What loading changed or noticed (e.g. a GBK file, fixed punctuation)."""
        return self._notices

    @property
    def source(self) -> str:
        """The file the report was loaded from, if any (used in messages)."""
        return self._source

    @property
    def assets(self) -> dict[str, str]:
        """Image paths as the records wrote them → the files loading checked (see records/assets.py)."""
        return self._assets

    @property
    def title(self) -> str:
        return self.meta.composed_title()

    @property
    def signature_organization(self) -> str:
        return self.signature.organization or self.meta.organization or ""

    @property
    def signature_date(self) -> dt.date | None:
        return self.signature.date or self.meta.date


def json_schema() -> dict[str, Any]:
    """The JSON Schema of a records file, for editors (YAML language servers) to validate and complete."""
    schema = Report.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "summarykit 记录文件"
    # Taken from spreadsheets before validation (sources/): a workbook for the whole file, a sheet for a table.
    schema["properties"]["workbook"] = {"type": "string", "title": "Workbook",
                                        "description": "Excel（.xlsx）或 CSV 文件的路径：表里的指标、部门和说明并入本文件"}
    table = schema.get("$defs", {}).get("Table")
    if table is not None:
        table["properties"].update({
            "sheet": {"type": "string", "description": "把这张工作表作为统计表（第一行是表头）"},
            "range": {"type": "string", "description": "工作表里的单元格区域，如 A1:D8"},
            "workbook": {"type": "string", "description": "工作簿路径（不写时用文件顶层的 workbook）"},
        })
        required = table.pop("required", [])
        table["anyOf"] = [{"required": required}, {"required": ["sheet"]}] if required else [{"required": ["sheet"]}]
    return schema
