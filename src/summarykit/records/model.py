"""The records model: what a work summary says, without any wording or layout.

Records are facts (what was done, with numbers; what went wrong; what comes
next).  Templates decide the order, the wording around them and the numbering.
The model is strict (unknown keys are errors) because a misspelt key in a
hand-written YAML file would otherwise silently drop content from a report.

Short forms are accepted where office staff naturally write them: an item may
be a plain string, a part (problems, plans, ...) may be a plain list of items,
and a date may be written 2026-01-20 or 2026年1月20日.
"""


import datetime as dt
import decimal
import math
import re
from typing import Annotated, Any, Literal

from pydantic import (
    AliasChoices,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from ..errors import Notice
from ..zh import orgtype
from ..zh.dates import split_date
from ..zh.numformat import QuantityError, parse_quantity, unit_kind
from . import modelcache

_PERIOD_BREAK = re.compile(r"(?<=学年|学期|年度|季度)|(?<=\d年)(?=[^\d度])")
MAX_COLUMNS = 20  # a statistics table on an A4 page: beyond 20 columns nothing is readable (and the schema says so)
INT_DATE_MIN, INT_DATE_MAX = 10_000_101, 99_991_231  # 20260120 written as a number


def parse_date(value: Any) -> Any:
    """Accept the ways people write a date; leave anything else for pydantic to reject."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, float):  # pydantic would read 86400.0 as a Unix timestamp
        raise ValueError(f"日期格式不对：{value!r}")
    if isinstance(value, int) and not isinstance(value, bool):
        # pydantic would read an integer as a Unix timestamp (0 → 1970-01-01): only 20260120 is a date.
        if INT_DATE_MIN <= value <= INT_DATE_MAX:
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


# Numbers typed where text was expected (e.g. a bare year) become text: ``str(value)`` for an int or a
# float, never for true/false (pydantic-core's coerce_numbers_to_str).  This was a Python validator, called
# from pydantic-core for every text of a report (issue 18: a twentieth of loading a long one); the only
# differences, a Decimal (never in loaded records) and an int too long to print (refused by
# loading.marked_from_data first), are shown by tests/test_model_fastpaths.py.
_NUMBER_AS_TEXT = Field(coerce_numbers_to_str=True)
Text = Annotated[str, _NUMBER_AS_TEXT]

# Invisible characters that make a heading look filled in when it is not (zero-width, BOM, bidi marks).
_INVISIBLE = re.compile("[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff\u3164\u115f\u1160]")


def _heading_text(value: Any) -> Any:
    """A heading must say something: one of only (full-width) spaces or invisible characters is an error,
    not an empty heading that silently drops its section and hangs its items under the one before."""
    if isinstance(value, str) and not _INVISIBLE.sub("", value).strip():
        raise ValueError("标题是空的（只有空格、全角空格或看不见的字符）")
    return value


# The schema says the same: a number, or text with at least one visible character.
_HEADING_SCHEMA = {"anyOf": [{"type": "number"}, {
    "type": "string", "pattern": "[^\\s\u3000\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff\u3164\u115f\u1160]"}]}
HeadingText = Annotated[str, _NUMBER_AS_TEXT, BeforeValidator(_heading_text), WithJsonSchema(_HEADING_SCHEMA)]

#: Metric values of 10^18 and more are not quantities anyone measured: 1e999999999 is a typo.
METRIC_EXPONENT = 18


def _metric_value(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError("数值太大，超出了能处理的范围")
    if isinstance(value, int | float | str) and not isinstance(value, bool):
        try:
            number = decimal.Decimal(str(value).strip())
        except (decimal.InvalidOperation, ValueError):
            return value  # text such as “若干”
        if not number.is_finite() or (number and number.adjusted() >= METRIC_EXPONENT):
            raise ValueError(f"数值 {str(value)[:30]} 太大，超出了范围（绝对值应小于 10 的 {METRIC_EXPONENT} 次方）")
    return value


def _empty_list() -> list[Any]:
    """The default of every list field.

    The same as ``default_factory=list``, but pydantic reads the factory's signature
    once per field (to see whether it takes the validated data), and a builtin's
    signature is parsed from its text: 38 of those cost ~10 ms of every start.
    """
    return []


class Strict(BaseModel):
    """Base of every record: unknown keys are errors, values are not coerced silently."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True, defer_build=True)


MetricKind = Literal["count", "money", "percentage", "rate", "duration", "area"]
Approx = Literal["约", "余", "近", "多", "超"]

# Chinese keys people write for a metric (the spreadsheet reader uses the same names).
METRIC_ALIASES = {"名称": "name", "数值": "value", "单位": "unit", "上年": "previous", "目标": "target",
                  "约数": "approx", "构成": "parts", "类型": "kind"}


def _aliased(data: Any) -> Any:
    """Chinese metric keys → the record keys; a key written both ways is left for the strict check."""
    if not isinstance(data, dict):
        return data
    out = {}
    for key, value in data.items():
        target = METRIC_ALIASES.get(key, key) if isinstance(key, str) else key
        out[key if target in data and target != key else target] = value
    return out


# zh.numformat is imported at the top, not in these validators: a relative import in a function costs
# ~1 µs a call, and they run for every metric (loading imports the module anyway).


def _figure(value: Any) -> Any:
    """A value as written (1234, "约2200", "120余", "近百") → a number; the qualifier is read by the metric."""
    if value is None:
        return value
    value = _metric_value(value)  # 1e999999999 and the like: a located "too large", before reading it
    try:
        number, _ = parse_quantity(value)
    except QuantityError as exc:
        raise ValueError(str(exc)) from None
    return int(number) if number == number.to_integral_value() else float(number)


Figure = Annotated[float | int, BeforeValidator(_figure)]


class MetricPart(Strict):
    """One part of a metric's breakdown, e.g. 长春店 108 (the unit is the metric's)."""

    model_config = ConfigDict(title="构成", json_schema_extra={"description": "指标的一部分，如某门店、某月的数值（单位同指标）。"})

    name: Text = Field(min_length=1, description="这一部分的名称，如“长春店”“一月”")
    value: Figure = Field(description="这一部分的数值")

    @model_validator(mode="before")
    @classmethod
    def _keys(cls, data: Any) -> Any:
        return _aliased(data)


class Metric(Strict):
    """A quantified result, e.g. 维修工单 1234 件, with what it is compared against.

    The composer drafts a sentence from it (drafting/figures.py) and the checks
    compare it with its parts and with the text (records/consistency.py, check).
    """

    model_config = ConfigDict(title="数字指标", json_schema_extra={"description": "一项带数字的成绩，如“维修工单 1234 件”，可带上年、目标、约数和构成。"})

    name: Text = Field(min_length=1, description="指标名称，如“维修工单”")
    value: Figure = Field(description="数值，如 1234、13.8；约数可写“约2200”“120余”“近百”“九万多”")
    unit: Text = Field(default="", description="单位，如“件”“%”“万元”")
    previous: Figure | None = Field(default=None, description="上一期的数值（上年、去年同期、上学期……见 meta.previous_label）")
    target: Figure | None = Field(default=None, description="目标值")
    approx: Approx | None = Field(default=None, description="约数：约、余、近、多、超")
    kind: MetricKind | None = Field(
        default=None, description="数的类型：count 数量、money 金额、percentage 百分比、rate 比率（可超过100%）、"
                                  "duration 时长、area 面积；不写时按单位判断")
    parts: list[MetricPart] = Field(default_factory=_empty_list, description="构成，如各门店、各月的数值")
    parts_exact: bool = Field(default=False, description="构成是否完整：true 时各部分之和必须正好等于总数")

    @model_validator(mode="before")
    @classmethod
    def _keys_and_qualifier(cls, data: Any) -> Any:
        """Chinese keys; the qualifier written in the value (约2200) moves to ``approx``."""
        data = _aliased(data)
        if isinstance(data, dict) and isinstance(data.get("value"), str):
            try:
                _, approx = parse_quantity(data["value"])
            except QuantityError:
                return data  # the value's own validator reports it, located
            if approx is not None:
                if data.get("approx") not in (None, approx):
                    raise ValueError(f"数值“{data['value']}”里写了“{approx}”，approx 却写了“{data['approx']}”")
                data = {**data, "approx": approx}
        return data

    @model_validator(mode="after")
    def _known_unit(self) -> "Metric":
        if self.kind is None and unit_kind(self.unit) is None:
            raise ValueError(f"不认识的单位“{self.unit}”，不知道“{self.name}”是什么数")
        return self

    @property
    def resolved_kind(self) -> str:
        """The kind written, else the one the unit implies (件 → count, 万元 → money, % → percentage)."""
        return self.kind or unit_kind(self.unit) or "count"


# --------------------------------------------------------------------------- rich content (issue 20)


def _width(value: Any) -> Any:
    """A bare number is millimetres (120 → "120mm"); "80%" and "120mm" are kept as written."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f"{value:g}mm"
    return value


class Image(Strict):
    """A picture (照片、示意图) printed with a caption 图N."""

    model_config = ConfigDict(title="图片", json_schema_extra={"description": "一张照片或示意图，带自动编号的图题“图N”；可只写文件路径（简写）。"})

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

    model_config = ConfigDict(title="图表系列", json_schema_extra={"description": "图表中的一组数值，如“2025年”各类别的数值。"})

    name: Text = Field(description="系列名称，如“2025年”")
    values: list[float] = Field(min_length=1, description="各类别的数值，个数与 categories 相同")


def _chart_source(value: Any) -> Any:
    """``from: 就餐人次`` (one metric) and ``from: [维修工单, 保洁任务]`` (several) → a list of names."""
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        return [value]
    return value


CHART_FROM_HELP = ("从记录里的指标画图，不必再抄一遍数字：写一个指标的名称，画它的 parts（构成）；"
                   "写几个指标的名称（列表），画各指标的数值（都写了 previous 时再加上期一组）")


class Chart(Strict):
    """A chart drawn as a native Word chart (its numbers editable in Word and WPS).

    Either the numbers themselves (``categories`` and ``series``) or ``from``,
    the metrics of these records it is drawn from (records/chartsource.py fills
    in the numbers after loading, so that they are typed once).
    """

    model_config = ConfigDict(title="图表", json_schema_extra={"description": "画成 Word 原生图表（数据可在 Word 和 WPS 里编辑）：类别和一组或几组数值，或用 from 从记录里的指标画。"})

    type: Literal["bar", "column", "line", "pie"] = Field(
        default="bar", title="图表类型", description="bar（柱形图）、line（折线图）、pie（饼图）")
    title: Text = Field(default="", description="图题（不写“图1”，编号自动生成）")
    unit: Text = Field(default="", description="数值的单位，如“人次”“万元”（用 from 时不写就用指标的单位）")
    source: Annotated[list[Text], BeforeValidator(_chart_source)] = Field(
        default_factory=_empty_list, alias="from", title="从指标画", description=CHART_FROM_HELP)
    categories: list[Text] = Field(default_factory=_empty_list, description="类别，如各月份、各部门（用 from 时不写）")
    series: list[ChartSeries] = Field(default_factory=_empty_list, description="一组或几组数值（用 from 时不写）")

    @model_validator(mode="after")
    def _values_match_categories(self) -> "Chart":
        if self.source:
            if self.categories or self.series:
                raise ValueError("写了 from（从指标画图）就不要再写 categories 和 series")
            return self
        if not self.categories or not self.series:
            raise ValueError("图表要写 categories（类别）和 series（数值），或者用 from 写明从哪个指标画")
        for index, series in enumerate(self.series):
            if len(series.values) != len(self.categories):
                raise ValueError(f"第 {index + 1} 组数值有 {len(series.values)} 个，categories 有 "
                                 f"{len(self.categories)} 个")
        if self.type == "pie" and len(self.series) > 1:
            raise ValueError("饼图只能有一组数值")
        return self


PAGE_BREAK_DESCRIPTION = "本部分从新的一页开始"


class Item(Strict):
    """One thing done, found or planned; becomes a numbered item or an inline clause.

    An item may be only ``metrics``: the composer then drafts its sentence.
    """

    model_config = ConfigDict(title="条目", json_schema_extra={
        "description": "做了、发现或打算的一件事：编号条目或段内的“一是……”。可以只写一段文字（简写），或只写 metrics（由数字生成句子）。",
        # text or metrics: an item with neither is refused by the loader (Item._text_or_metrics)
        "anyOf": [{"required": ["text"], "properties": {"text": {"type": ["string", "number"]}}},
                  {"required": ["metrics"], "properties": {"metrics": {"type": "array", "minItems": 1}}}]})

    text: Text = Field(default="", description="这一条的正文（只写 metrics 时由数字生成）")
    metrics: list[Metric] = Field(default_factory=_empty_list, description="本条涉及的数字")
    details: list[Text] = Field(
        default_factory=_empty_list, description="紧跟在这一条后面、不编号的说明段落"
    )
    images: list[Image] = Field(default_factory=_empty_list, description="这一条后面的图片")

    @model_validator(mode="after")
    def _text_or_metrics(self) -> "Item":
        # Checked after the fields, so that a misread line (注意: 卫生) gets its own message first;
        # a text written but left empty stays allowed (it leaves no trace in the document).
        if not self.metrics and "text" not in self.__pydantic_fields_set__:  # the attribute, not the property: one call less per item
            raise ValueError("这一条既没有 text 也没有 metrics")
        return self


def _items(value: Any) -> Any:
    """An item written as plain text (or a number) is its ``text``: the short form of every items list.

    One call per list rather than a model validator per item (issue 18: a call from
    pydantic-core per item cost about a fifth of validating a long report).
    """
    if isinstance(value, list):
        return [{"text": item} if isinstance(item, str | int | float) and not isinstance(item, bool) else item
                for item in value]
    return value


Items = Annotated[list[Item], BeforeValidator(_items)]


class Table(Strict):
    """A statistics table (统计表)."""

    model_config = ConfigDict(title="统计表", json_schema_extra={"description": "一张统计表：表题、表头、各行和表注；每行的格数与表头列数相同。"})

    caption: Text = Field(default="", description="表题，如“职工年龄结构”")
    columns: list[Text] = Field(min_length=1, max_length=MAX_COLUMNS, description="表头各列")
    rows: list[list[Text]] = Field(default_factory=_empty_list, description="各行，每行的格数与表头相同")
    note: Text = Field(default="", description="表下注释")

    @model_validator(mode="after")
    def _rows_match_columns(self) -> "Table":
        width = len(self.columns)
        for index, row in enumerate(self.rows):
            if len(row) != width:
                raise ValueError(f"第 {index + 1} 行有 {len(row)} 格，表头有 {width} 列")
        return self


def _inline(value: Any) -> Any:
    """inline_items: false (numbered items), true / run_on (one paragraph), paragraphs (one paragraph per point)."""
    if isinstance(value, str):
        text = value.strip().lower()
        if text in {"run_on", "run-on", "true", "yes", "段内", "连写"}:
            return "run_on"
        if text in {"paragraphs", "每条一段", "分段"}:
            return "paragraphs"
        if text in {"false", "no", "编号"}:
            return False
        raise ValueError(f"inline_items 只能是 false、true（run_on）或 paragraphs，不能是“{value}”")
    if value is True:
        return "run_on"
    return value


INLINE_HELP = ("把条目写成“一是……二是……”：true 或 run_on 连写在一段里；paragraphs 每条一段、"
               "首句加粗；false（默认）为编号条目")
_INLINE_WORDS = ["run_on", "run-on", "paragraphs", "段内", "连写", "每条一段", "分段", "编号"]
_INLINE_SCHEMA = {"anyOf": [{"enum": [True, False, 0]}, {"type": "string", "pattern": "^(?i:" + "|".join(
    [*_INLINE_WORDS, "true", "false", "yes", "no"]) + ")$"}]}
# The schema says what _inline accepts (true, false and the words), not only the three values it returns.
InlineItems = Annotated[Literal[False, "run_on", "paragraphs"], BeforeValidator(_inline), WithJsonSchema(_INLINE_SCHEMA)]


class Category(Strict):
    """A group of achievements under one heading, e.g. 一、学生食堂改革."""

    model_config = ConfigDict(title="成绩类别", json_schema_extra={"description": "一类主要工作和成绩，如“一、学生食堂改革”。"})

    heading: HeadingText = Field(description="类别标题，不写编号")
    paragraphs: list[Text] = Field(default_factory=_empty_list, description="条目前的说明段落")
    items: Items = Field(default_factory=_empty_list, description="具体做了什么")
    inline_items: InlineItems = Field(default=False, description=INLINE_HELP)
    after: list[Text] = Field(default_factory=_empty_list, description="条目后的段落")
    tables: list[Table] = Field(default_factory=_empty_list, description="本类别的统计表")
    metrics: list[Metric] = Field(default_factory=_empty_list, description="这一类的主要数字（写成一段话或一张表）")
    metrics_table: bool = Field(default=False, description="写成指标表：true 时 metrics 写成“指标｜本年｜上年｜增减｜增幅”表")
    images: list[Image] = Field(default_factory=_empty_list, description="图片（排在条目和表格之后）")
    charts: list[Chart] = Field(default_factory=_empty_list, description="图表（排在条目和表格之后）")
    page_break: bool = Field(default=False, description=PAGE_BREAK_DESCRIPTION)


class Part(Strict):
    """Experiences, problems or plans: a list of items, optionally under its own heading."""

    model_config = ConfigDict(title="部分", json_schema_extra={"description": "经验体会、存在问题或下一步打算：若干条目，可带本部分的标题。可以只写条目列表（简写）。"})

    heading: HeadingText | None = Field(default=None, description="本部分标题（不写时用模板默认标题）")
    lead: list[Text] = Field(default_factory=_empty_list, description="条目前的引导段落")
    items: Items = Field(default_factory=_empty_list, description="本部分的各条")
    inline_items: InlineItems | None = Field(
        default=None, description=INLINE_HELP + "；不写时按模板的写法"
    )
    after: list[Text] = Field(default_factory=_empty_list, description="条目后的段落")
    metrics: list[Metric] = Field(default_factory=_empty_list, description="这一部分的主要数字")
    metrics_table: bool = Field(default=False, description="写成指标表：true 时 metrics 写成表")
    page_break: bool = Field(default=False, description=PAGE_BREAK_DESCRIPTION)

    @model_validator(mode="before")
    @classmethod
    def _from_list(cls, data: Any) -> Any:
        return {"items": data} if isinstance(data, list) else data

    def is_empty(self) -> bool:
        return not (self.lead or self.items or self.after or self.metrics)


class Section(Strict):
    """A free section: heading, paragraphs, items and subsections, to any depth."""

    model_config = ConfigDict(title="章节", json_schema_extra={"description": "自由章节：标题、段落、条目和下级章节，可任意嵌套。"})

    heading: HeadingText = Field(description="标题，不写编号")
    run_in: bool = Field(default=False, description="标题与正文同段（如“1.机构设置情况。省局……”）")
    paragraphs: list[Text] = Field(default_factory=_empty_list, description="标题下的段落")
    items: Items = Field(default_factory=_empty_list, description="本章节的条目")
    inline_items: InlineItems = Field(
        default=False, description=INLINE_HELP
    )
    tables: list[Table] = Field(default_factory=_empty_list, description="本章节的统计表")
    subsections: list["Section"] = Field(default_factory=_empty_list, description="下级章节")
    after: list[Text] = Field(default_factory=_empty_list, description="下级标题之后的段落")
    metrics: list[Metric] = Field(default_factory=_empty_list, description="这一节的主要数字（写成一段话或一张表）")
    metrics_table: bool = Field(default=False, description="写成指标表：true 时 metrics 写成“指标｜本年｜上年｜增减｜增幅”表")
    images: list[Image] = Field(default_factory=_empty_list, description="图片（排在条目和表格之后、下级标题之前）")
    charts: list[Chart] = Field(default_factory=_empty_list, description="图表（排在条目和表格之后、下级标题之前）")
    page_break: bool = Field(default=False, description=PAGE_BREAK_DESCRIPTION)


def _org_type(value: Any) -> Any:
    """An organization type as typed (医院, hospital, 卫生院 …) → its canonical name; others are refused here,
    with the list, rather than by pydantic's generic "取值不对"."""
    if not isinstance(value, str):
        return value
    found = orgtype.canonical(value)
    if found is None:
        raise ValueError(f"不认识的单位类型“{value}”，可用的类型：{'、'.join(orgtype.ORG_TYPES)}")
    return found


OrgType = Annotated[Literal["学校", "高校", "医院", "机关", "企业", "物业", "社区", "党组织", "通用"],
                    BeforeValidator(_org_type)]


class Signature(Strict):
    """落款: the unit and the date under the body."""

    model_config = ConfigDict(title="落款", json_schema_extra={"description": "正文下方的署名单位（或署名人）和成文日期。"})

    organization: Text | None = Field(default=None, description="署名单位（不写时用 meta.organization）")
    name: Text | None = Field(default=None, description="署名人（个人总结时写姓名）")
    date: Date | None = Field(default=None, description="成文日期（不写时用 meta.date）")


class Meta(Strict):
    """Who, when and what: the facts behind the title and the signature."""

    model_config = ConfigDict(title="基本信息", json_schema_extra={"description": "单位、时期、主题、文种等：组成标题和落款的事实。"})

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
    org_type: OrgType | None = Field(
        default=None, validation_alias=AliasChoices("org_type", "单位类型"),
        description="单位类型：" + "、".join(orgtype.ORG_TYPES) + "；不写时由单位名称推断",
    )
    audience: Text | None = Field(default=None, description="讲话稿的称呼，如“各位领导、同志们”")
    emphasis: bool = Field(default=False, description="正文里 **加粗**、++下划线++ 生效（默认不生效，原样印出）")
    previous_label: Text = Field(default="上年", min_length=1, description="指标 previous 的叫法：上年、去年同期、上学期、上季度……")

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

    model_config = ConfigDict(title="公文要素", json_schema_extra={"description": "作为公文（报告）上报时的版头、发文字号、签发人、主送机关、附注和版记（GB/T 9704）。"})

    # The pattern checks the text (a number typed is read as text first); the schema stays "string" as it
    # was, which records/schema.py widens to the numbers people type.  (Written this way round, the check
    # is part of the str schema rather than a function pydantic makes, which the model cache can keep.)
    copy_number: Annotated[str, Field(pattern=r"^\d{1,6}$"), _NUMBER_AS_TEXT,
                           WithJsonSchema({"type": "string"})] | None = Field(
        default=None, description="份号（6位以内数字）")
    secrecy: Text | None = Field(default=None, description="密级和保密期限，如“秘密★1年”")
    urgency: Text | None = Field(default=None, description="紧急程度：特急、加急")
    issuer: Text | None = Field(default=None, description="发文机关标志，如“某某市机关事务管理局文件”")
    number: Text | None = Field(default=None, description="发文字号，如“某机管〔2026〕3号”")
    signers: Names = Field(default_factory=_empty_list, description="签发人（上行文），一人或多人")
    recipients: Text | None = Field(default=None, description="主送机关，如“市人民政府”（冒号自动加）")
    note: Text | None = Field(default=None, description="附注，如“联系人：张三，电话：12345678”（括号自动加）")
    copy_to: Names = Field(default_factory=_empty_list, description="抄送机关")
    printer: Text | None = Field(default=None, description="印发机关，如“某某市机关事务管理局办公室”")
    printed: Date | None = Field(default=None, description="印发日期")


class Report(Strict):
    """One work summary's records: the single structure between loading and composing."""

    model_config = ConfigDict(title="summarykit 记录文件", json_schema_extra={"description": "一份工作总结的全部记录（事实），措辞和版式由模板决定。"})

    meta: Meta = Field(default_factory=Meta, description="基本信息：单位、时期、主题、日期、模板")
    keywords: list[Text] | Literal["auto"] | None = Field(
        default=None, description="关键词列表，或 auto（自动提取）"
    )
    intro: list[Text] = Field(default_factory=_empty_list, description="开头段落（总体情况）")
    key_figures: list[Metric] = Field(default_factory=_empty_list, description="全篇的主要数字，写在开头段落之后")
    metrics_table: bool = Field(default=False, description="写成指标表：true 时 key_figures 写成表")
    previous: Text | None = Field(default=None, description="上一期的记录文件（相对本文件），按名称补上各指标的 previous")
    achievements: list[Category] = Field(default_factory=_empty_list, description="主要工作和成绩，按类别")
    sections: list[Section] = Field(default_factory=_empty_list, description="自由章节")
    experiences: Part = Field(default_factory=Part, description="经验体会")
    problems: Part = Field(default_factory=Part, description="存在问题")
    plans: Part = Field(default_factory=Part, description="下一步打算")
    tables: list[Table] = Field(default_factory=_empty_list, description="不属于某一章节的统计表")
    opening: Text = Field(
        default="auto",
        description="开头引出正文的一句：auto（按模板，开头已以“如下：”结尾时不再加）、none（不加）或自己写的一句",
    )
    closing: list[Text] = Field(default_factory=_empty_list, description="结尾段落")
    signature: Signature | Literal[False] = Field(
        default_factory=Signature, description="落款；写 false 则不要落款（单位和日期都不印）"
    )
    attachments: list[Text] = Field(default_factory=_empty_list, description="附件名称")
    references: list[Text] = Field(default_factory=_empty_list, description="参考文献")
    official: Official | None = Field(default=None, description="作为公文（报告）上报时的版头、主送机关、附注和版记")

    _notices: list[Notice] = PrivateAttr(default_factory=_empty_list)
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

    @field_validator("opening", mode="before")
    @classmethod
    def _opening_mode(cls, value: Any) -> Any:
        """auto / none / a sentence of one's own; false and the Chinese words mean none."""
        if value is False or value is None:
            return "none"
        if isinstance(value, str) and value.strip().lower() in {"none", "无", "不要", "不加", "false", "no"}:
            return "none"
        if isinstance(value, str) and value.strip().lower() in {"auto", "自动", "true", "yes"}:
            return "auto"
        if value is True:
            return "auto"
        return value

    @field_validator("signature", mode="before")
    @classmethod
    def _signature_switch(cls, value: Any) -> Any:
        """signature: true means the default one; false (or 不要, 无) leaves it out."""
        if isinstance(value, str) and value.strip().lower() in {"false", "no", "off", "不要", "无", "none"}:
            return False
        if value is True or (isinstance(value, str) and value.strip().lower() in {"true", "yes", "on"}):
            return {}
        return value

    @property
    def has_signature(self) -> bool:
        return self.signature is not False

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
        if self.signature is False:
            return ""
        return self.signature.organization or self.meta.organization or ""

    @property
    def signature_name(self) -> str:
        return "" if self.signature is False else self.signature.name or ""

    @property
    def signature_date(self) -> dt.date | None:
        if self.signature is False:
            return None
        return self.signature.date or self.meta.date


# Built once and kept in the user cache folder (records/modelcache.py): each model declared above,
# a model before the models that contain it.
MODELS: tuple[type[Strict], ...] = (MetricPart, Metric, Image, ChartSeries, Chart, Item, Table, Category, Part,
                                    Section, Signature, Meta, Official, Report)
modelcache.complete(__name__, MODELS)
