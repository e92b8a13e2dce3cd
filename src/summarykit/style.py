"""Typesetting profiles: page, grid, fonts, sizes, spacing, numbering — as data.

The defaults are GB/T 9704-2012 (see docs/style.md): A4, margins 37/35/28/26 mm,
22 lines × 28 characters, 3号 仿宋 body with exact 28.95 pt spacing.  Every value
can be changed by a style file (YAML) so that an office can match its house
style without touching Python; the file is validated like a records file, so a
misspelt key is refused with its line number and a did-you-mean.  Sizes may be
given by 号 name (三号) or in points.

The geometry the writer needs (text block, character pitch, the ``w:charSpace``
Word reads as "28 characters per line") is computed here, as pure functions of
the style, so that it can be tested without writing a document.
"""

import dataclasses
import math
import os
import re
import string
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from .errors import Problem, RecordsError, StyleError
from .records import modelcache

SIZES_BY_NAME: dict[str, float] = {
    "初号": 42, "小初": 36, "一号": 26, "小一": 24, "二号": 22, "小二": 18,
    "三号": 16, "小三": 15, "四号": 14, "小四": 12, "五号": 10.5, "小五": 9,
}

MM_PER_PT = 25.4 / 72


def to_points(value: Any) -> float:
    """三号 → 16; 16 → 16; '16pt' → 16."""
    if isinstance(value, bool):
        raise ValueError("字号应是“三号”这样的名称或磅值")
    if isinstance(value, int | float):
        if not 1 <= value <= 200:
            raise ValueError(f"字号 {value} 磅超出范围（1～200 磅）")
        return float(value)
    if isinstance(value, str):
        text = value.strip().removesuffix("pt").removesuffix("磅").strip()
        if text in SIZES_BY_NAME:
            return SIZES_BY_NAME[text]
        try:
            return to_points(float(text))
        except ValueError as exc:
            if "超出范围" in str(exc):
                raise
    raise ValueError(f"不认识的字号“{value}”，可用：{'、'.join(SIZES_BY_NAME)}，或磅值如 16")


def size_name(points: float) -> str:
    """16 → 三号 (for messages and docs); a size without a name → '16.5 磅'."""
    for name, value in SIZES_BY_NAME.items():
        if value == points:
            return name
    return f"{points:g} 磅"


def _empty_dict() -> dict[str, Any]:
    """``default_factory=dict`` without the cost records/model.py's ``_empty_list`` explains: pydantic
    reads a builtin's signature from its text, and the first such read compiles tokenize's patterns."""
    return {}


def _empty_list() -> list[Any]:
    return []


class _Strict(BaseModel):
    # Built once and kept in the user cache folder (records/modelcache.py), not at every import.
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Page(_Strict):
    """Paper and margins in millimetres (GB/T 9704 §5.2: text block 156 × 225 mm)."""

    width_mm: float = Field(default=210, gt=0, le=1000, description="纸张宽度（毫米）")
    height_mm: float = Field(default=297, gt=0, le=1000, description="纸张高度（毫米）")
    top_mm: float = Field(default=37, ge=0, le=500, description="上边距（毫米）")
    bottom_mm: float = Field(default=35, ge=0, le=500, description="下边距（毫米）")
    left_mm: float = Field(default=28, ge=0, le=500, description="左边距（毫米）")
    right_mm: float = Field(default=26, ge=0, le=500, description="右边距（毫米）")

    @model_validator(mode="after")
    def _block_is_positive(self) -> "Page":
        if self.width_mm - self.left_mm - self.right_mm < 30:
            raise ValueError("左右边距太大：版心宽度不足 30 毫米")
        if self.height_mm - self.top_mm - self.bottom_mm < 30:
            raise ValueError("上下边距太大：版心高度不足 30 毫米")
        return self


class Grid(_Strict):
    """The document grid (文档网格): lines per page and characters per line."""

    enabled: bool = Field(default=True, description="是否写入文档网格（Word“页面设置 → 文档网格”）")
    lines: int = Field(default=22, ge=1, le=80, description="每页行数")
    chars: int = Field(default=28, ge=1, le=80, description="每行字数")
    snap: bool = Field(
        default=False,
        description="正文逐字对齐字符网格；默认不对齐，按字宽排（数字、字母前后不留空，LibreOffice 也排得齐）")
    fit_glyphs: bool = Field(
        default=True,
        description="字号略大于每行字数要求的字距时（28 字 × 16 磅 > 156 毫米），把字符间距紧缩（如 0.3 磅）以排满每行规定字数；"
                    "逐字对齐网格（snap）时改为把字形横向收窄",
    )


#: Longest font name Windows knows (LF_FACESIZE less the terminating NUL).
FONT_NAME_MAX = 31
#: A font name as a style file may give it (not empty, at most FONT_NAME_MAX characters).
FontName = Annotated[str, Field(min_length=1, max_length=FONT_NAME_MAX)]


class Fonts(_Strict):
    """Font names per element; ``latin`` is used for digits and Latin letters everywhere in the text.

    A name is at most FONT_NAME_MAX characters: Windows keeps 31 (LF_FACESIZE), so a longer one
    can name no installed font and Word would silently print the document in another.
    """

    title: FontName = "宋体"
    subtitle: FontName = "楷体"
    heading1: FontName = "黑体"
    heading2: FontName = "楷体"
    heading3: FontName = "仿宋"
    heading4: FontName = "仿宋"
    heading5: FontName = "仿宋"
    body: FontName = "仿宋"
    latin: FontName = "Times New Roman"
    page_number: FontName = "宋体"
    table: FontName = "仿宋"
    caption: FontName = "黑体"

    def heading(self, level: int) -> str:
        return [self.heading1, self.heading2, self.heading3, self.heading4, self.heading5][min(max(level, 1), 5) - 1]


class Sizes(_Strict):
    """Font sizes, by 号 name or in points."""

    title: float = Field(default=22, description="标题（二号）")
    subtitle: float = Field(default=16, description="副标题（三号）")
    body: float = Field(default=16, description="正文（三号）")
    heading: float = Field(default=16, description="各级标题（三号）")
    page_number: float = Field(default=14, description="页码（四号）")
    table: float = Field(default=12, description="表格内文字（小四）")
    caption: float = Field(default=16, description="表题（三号）")
    reference: float = Field(default=12, description="参考文献（小四）")

    @field_validator("*", mode="before")
    @classmethod
    def _points(cls, value: Any) -> float:
        return to_points(value)


class Spacing(_Strict):
    """Line spacing and the fixed gaps of the layout."""

    line_pt: float | Literal["auto"] = Field(
        default=28.95, description="固定行距（磅）；auto 表示版心高度 ÷ 每页行数")
    first_line_chars: float = Field(default=2, ge=0, le=10, description="段落首行缩进（字）")
    after_title_lines: int = Field(default=1, ge=0, le=5, description="标题（含副标题）下空几行")
    before_closing_lines: int = Field(default=1, ge=0, le=5, description="附件说明、落款前空几行")
    latin_gap: bool = Field(
        default=False,
        description="中文与西文、数字之间自动加小空隙（Word 的“自动调整中文与西文/数字的间距”）；"
                    "默认不加，使“7张”“1.机构设置情况”紧排")

    @field_validator("line_pt")
    @classmethod
    def _sensible(cls, value: float | str) -> float | str:
        if isinstance(value, float | int) and not 6 <= value <= 100:
            raise ValueError(f"行距 {value} 磅超出范围（6～100 磅）")
        return value


def _default_bold() -> list[bool]:
    """Level 3 headings (1.) bold, the others not (a named function: the model cache cannot keep a lambda)."""
    return [False, False, True, False, False]


class Headings(_Strict):
    """Heading levels 1–5 (一、（一）1.（1）①): bold per level, and how run-in headings look."""

    bold: list[bool] = Field(default_factory=_default_bold,
                             description="各级标题是否加粗（依次为一级到五级）")
    run_in_bold: bool = Field(default=True, description="段中标题（与正文同一行的三、四级标题）是否加粗")

    @field_validator("bold")
    @classmethod
    def _five(cls, value: list[bool]) -> list[bool]:
        if not 1 <= len(value) <= 5:
            raise ValueError("bold 应列出 1～5 个 true/false（依次为一级到五级标题）")
        defaults = [False, False, True, False, False]
        return [*value, *defaults[len(value):]]

    def is_bold(self, level: int) -> bool:
        return self.bold[min(max(level, 1), 5) - 1]


class TitleStyle(_Strict):
    """The title (and subtitle) block."""

    balance: bool = Field(default=True, description="长标题按词分成长短相近的两三行")
    max_lines: int = Field(default=3, ge=1, le=6, description="长标题最多分几行")
    bold: bool = Field(default=False, description="标题是否加粗")
    subtitle_dash: bool = Field(default=True, description="副标题前自动加破折号“——”")


class Tables(_Strict):
    """Statistics tables."""

    header_bold: bool = Field(default=True, description="表头是否加粗")
    repeat_header: bool = Field(default=True, description="跨页时重复表头")
    border_pt: float = Field(default=0.75, ge=0, le=6, description="表格线粗细（磅），0 表示无框线")
    line_pt: float | None = Field(default=None, ge=6, le=100,
                                  description="表内固定行距（磅）；不写为表格字号的 1.5 倍（小四 18 磅）")


class PageNumbers(_Strict):
    """Page numbers (GB/T 9704 §7.5): 4号 宋体 “— 1 —”, odd pages right, even pages left, one character in."""

    enabled: bool = Field(default=True, description="是否显示页码")
    format: str = Field(default="— {n} —", description="页码格式，{n} 是页码")
    odd: Literal["right", "left", "center"] = Field(default="right", description="单页页码位置")
    even: Literal["right", "left", "center"] = Field(default="left", description="双页页码位置")
    indent_chars: float = Field(default=1, ge=0, le=10, description="页码离版心边缘空几个字")
    below_text_mm: float = Field(default=7, ge=0, le=50, description="页码一字线上距版心下边缘（毫米）")

    @field_validator("format")
    @classmethod
    def _has_number(cls, value: str) -> str:
        try:
            parsed = [(f, spec, conv) for _, f, spec, conv in string.Formatter().parse(value) if f is not None]
        except ValueError:
            parsed = []
        if [f for f, _, _ in parsed] != ["n"]:
            raise ValueError("页码格式必须恰好含一个 {n}，例如 “— {n} —”")
        _no_spec(value, parsed, "页码格式", "“第{n}页”")
        return value


def _no_spec(fmt: str, parsed: list[tuple[str, str | None, str | None]], what: str, example: str) -> None:
    """Fields are bare ({n}): a format spec or conversion (第{n:02d}页, {n:>99999999}) is refused.

    Word draws page numbers and list labels itself and has no such formats; and a
    width in a spec would let a style file make a label of any size.
    """
    for field_name, spec, conversion in parsed:
        if spec or conversion:
            extra = (f":{spec}" if spec else "") + (f"!{conversion}" if conversion else "")
            raise ValueError(f"{what}“{fmt}”里的 {{{field_name}{extra}}} 带了格式说明（{extra}），"
                             f"不支持；请只写 {{{field_name}}}，例如 {example}")


# --------------------------------------------------------------------------- rich content (issue 20)

NEW_PAGE_PARTS = ("achievements", "sections", "experiences", "problems", "plans")


def _official_defaults() -> type[BaseModel]:
    from .records.model import Official

    return Official


class OfficialStyle(_official_defaults()):  # type: ignore[misc]
    """公文 layout (GB/T 9704 §7.2, §7.4) and an office's fixed parts (issuer, 印发机关, 抄送).

    The content fields are those of the records' ``official:`` block and apply
    to every report typeset with this style unless the records give their own.
    """

    red: str = Field(default="FF0000", pattern=r"^[0-9A-Fa-f]{6}$", description="版头和分隔线的红色（十六进制 RGB）")
    issuer_size: float = Field(default=36, gt=0, le=100, description="发文机关标志字号（默认小初；可写号名或磅）")
    issuer_font: str | None = Field(default=None, description="发文机关标志字体（不写用标题字体，即小标宋）")
    issuer_top_mm: float = Field(default=35, ge=0, le=200, description="发文机关标志上边缘距版心上边缘（毫米）")
    rule_pt: float = Field(default=1.0, gt=0, le=6, description="红色分隔线粗细（磅）")
    rule_below_number_mm: float = Field(default=4, ge=0, le=20, description="分隔线距发文字号（毫米）")
    record_size: float = Field(default=14, gt=0, le=30, description="版记文字字号（默认四号）")

    @field_validator("issuer_size", "record_size", mode="before")
    @classmethod
    def _points(cls, value: Any) -> float:
        return to_points(value)


_LABEL_FIELDS = {"cn", "n", "circled"}
#: A label is a few characters (“（一）”, “第一章”); 20 leaves room for any real one.
MAX_LABEL_CHARS = 20


def check_label_format(fmt: str) -> str:
    """A numbering label format: exactly one of {cn} {n} {circled}, e.g. “（{cn}）”."""
    try:
        parsed = [(f, spec, conv) for _, f, spec, conv in string.Formatter().parse(fmt) if f is not None]
    except ValueError:
        parsed = []
    if len(parsed) != 1 or parsed[0][0] not in _LABEL_FIELDS:
        raise ValueError(f"编号格式“{fmt}”应恰好含 {{cn}}（一）、{{n}}（1）或 {{circled}}（①）之一")
    if len(fmt) > MAX_LABEL_CHARS:
        raise ValueError(f"编号格式“{fmt[:20]}…”太长（{len(fmt)} 个字），上限是 {MAX_LABEL_CHARS} 个字")
    _no_spec(fmt, parsed, "编号格式", "“（{cn}）”")
    return fmt


LabelFormat = Annotated[str, AfterValidator(check_label_format)]

# The parts first: Style's defaults (``page: Page = Page()``) and the font profiles are instances of them.
PARTS: tuple[type[_Strict], ...] = (Page, Grid, Fonts, Sizes, Spacing, Headings, TitleStyle, Tables, PageNumbers,
                                    OfficialStyle)
modelcache.complete(__name__, PARTS, name="summarykit.style.parts")

_NOTO_SERIF = "Noto Serif CJK SC"
_NOTO_SANS = "Noto Sans CJK SC"
_UKAI = "AR PL UKai CN"  # fonts-arphic-ukai: a free 楷体, so that （一） headings do not print in the body's face

FONT_PROFILES: dict[str, Fonts] = {
    "windows": Fonts(),
    "gov": Fonts(title="方正小标宋简体", subtitle="楷体_GB2312", heading1="黑体", heading2="楷体_GB2312",
                 heading3="仿宋_GB2312", heading4="仿宋_GB2312", heading5="仿宋_GB2312", body="仿宋_GB2312",
                 table="仿宋_GB2312"),
    "open": Fonts(title=_NOTO_SERIF, subtitle=_UKAI, heading1=_NOTO_SANS, heading2=_UKAI,
                  heading3=_NOTO_SERIF, heading4=_NOTO_SERIF, heading5=_NOTO_SERIF, body=_NOTO_SERIF,
                  page_number=_NOTO_SERIF, table=_NOTO_SERIF, caption=_NOTO_SANS),
}
DEFAULT_PROFILE = "windows"

_BOOLEAN_WORDS = {"true", "false", "yes", "no", "on", "off", "y", "n", "1", "0"}


class Style(_Strict):
    """Everything a writer needs to know about how the page looks."""

    page: Page = Page()
    grid: Grid = Grid()
    fonts: Fonts = Fonts()
    sizes: Sizes = Sizes()
    spacing: Spacing = Spacing()
    headings: Headings = Headings()
    title: TitleStyle = TitleStyle()
    tables: Tables = Tables()
    page_numbers: PageNumbers = PageNumbers()
    date_style: Literal["arabic", "chinese"] = Field(
        default="arabic", description="落款日期：arabic 为 2026年1月20日，chinese 为 二〇二六年一月二十日")
    numbering_mode: Literal["literal", "word"] = Field(
        default="literal", description="literal：编号作为文字写入；word：用 Word 多级列表自动编号")
    schemes: dict[str, list[LabelFormat]] = Field(default_factory=_empty_dict, description="自定义编号方案：名称 → 各级格式")
    # rich content (issue 20)
    new_page: list[Literal["achievements", "sections", "experiences", "problems", "plans"]] = Field(
        default_factory=_empty_list, description="从新的一页开始的部分：achievements、sections、experiences、problems、plans")
    emphasis: bool = Field(default=False, description="记录正文里 **加粗**、++下划线++ 生效（也可在记录 meta.emphasis 打开）")
    official: OfficialStyle = Field(default_factory=OfficialStyle, description="公文版头、版记的版式和本单位固定内容")

    @field_validator("page_numbers", mode="before")
    @classmethod
    def _switch(cls, value: Any) -> Any:
        """``page_numbers: false`` is the short way to switch them off (the loader may hand over “false” as text)."""
        if isinstance(value, bool) or (isinstance(value, str) and value.strip().lower() in _BOOLEAN_WORDS):
            return {"enabled": value}
        return value

    @field_validator("schemes")
    @classmethod
    def _schemes(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        for name, formats in value.items():
            if not re.fullmatch(r"[A-Za-z0-9_\-]{1,32}", name):
                raise ValueError(f"编号方案名“{name}”只能由字母、数字、下划线和连字符组成")
            if not 1 <= len(formats) <= 5:
                raise ValueError(f"编号方案“{name}”应列出 1～5 级的格式")
        return value

    @model_validator(mode="after")
    def _lines_fit(self) -> "Style":
        if self.grid.enabled and self.grid.lines * self.line_pt > self.text_height_pt + 0.5:
            raise ValueError(
                f"每页 {self.grid.lines} 行 × 行距 {self.line_pt:g} 磅 = {self.grid.lines * self.line_pt:.1f} 磅，"
                f"超过版心高度 {self.text_height_pt:.1f} 磅：请减小 spacing.line_pt 或 grid.lines，或调整上下边距"
            )
        return self

    # ------------------------------------------------------------------ geometry

    @property
    def text_width_pt(self) -> float:
        return (self.page.width_mm - self.page.left_mm - self.page.right_mm) / MM_PER_PT

    @property
    def text_height_pt(self) -> float:
        return (self.page.height_mm - self.page.top_mm - self.page.bottom_mm) / MM_PER_PT

    @property
    def line_pt(self) -> float:
        """The exact line spacing; "auto" divides the text block's height by the lines per page."""
        if self.spacing.line_pt == "auto":
            return math.floor(self.text_height_pt / self.grid.lines * 20) / 20
        return float(self.spacing.line_pt)

    @property
    def char_pitch_pt(self) -> float:
        """The character pitch of the grid as Word computes it: body size + charSpace / 4096."""
        if not self.grid.enabled:
            return self.sizes.body
        return self.sizes.body + self.char_space / 4096

    @property
    def char_space(self) -> int:
        """``w:charSpace``: (pitch − body size) × 4096, one unit less so Word never rounds to N − 1 characters."""
        pitch = self.text_width_pt / self.grid.chars
        return math.floor((pitch - self.sizes.body) * 4096) - 1

    def with_fonts(self, profile: str) -> "Style":
        """The same style with a named font profile (gov, windows, open)."""
        if profile not in FONT_PROFILES:
            raise StyleError(f"不认识的字体方案“{profile}”，可用：{'、'.join(FONT_PROFILES)}")
        return self.model_copy(update={"fonts": FONT_PROFILES[profile]})

    def with_numbering(self, mode: str) -> "Style":
        """The same style with numbering_mode literal or word."""
        if mode not in ("literal", "word"):
            raise StyleError(f"不认识的编号方式“{mode}”，可用：literal、word")
        return self.model_copy(update={"numbering_mode": mode})


modelcache.complete(__name__, (Style,))
DEFAULT_STYLE = Style()


def load_style(path: str | os.PathLike[str] | None = None, fonts: str | None = None,
               numbering: str | None = None) -> Style:
    """A style file (YAML, validated with the same located messages as records) over the defaults.

    ``fonts`` (a profile name, e.g. from ``--fonts``) chooses the base fonts; the
    file's own ``fonts:`` keys still override single fonts.  A file may name a
    profile itself (``fonts: open`` or ``fonts: {profile: open, body: 宋体}``),
    which applies when ``fonts`` is not given.  ``numbering`` (literal or word)
    overrides the file's numbering_mode.
    """
    style = DEFAULT_STYLE
    if fonts:
        style = style.with_fonts(fonts)
    if path is not None:
        style = _apply_file(style, path, explicit_profile=bool(fonts))
    if numbering:
        style = style.with_numbering(numbering)
    return style


def _apply_file(style: Style, path: str | os.PathLike[str], *, explicit_profile: bool) -> Style:
    from .records.decoding import read_source, refuse_invisible
    from .records.validation import validation_problems
    from .records.yamlmarks import parse_yaml

    try:
        source = read_source(path)
        if _is_empty(source.text):
            return style  # nothing but comments: every setting stays as it was
        refuse_invisible(source)
        marked = parse_yaml(source)
    except RecordsError as exc:  # the same located messages, under the style file's headline
        raise StyleError(f"{path}：样式文件无法读取。", exc.problems) from None
    override = dict(marked.data)
    fonts_data = override.get("fonts")
    profile: str | None = None
    profile_path: tuple[str, ...] = ("fonts",)
    if isinstance(fonts_data, str):
        profile, override["fonts"] = fonts_data, {}
    elif isinstance(fonts_data, dict) and "profile" in fonts_data:
        fonts_data = dict(fonts_data)
        profile = fonts_data.pop("profile")
        profile_path = ("fonts", "profile")
        override["fonts"] = fonts_data
    if profile is not None and not explicit_profile:
        if profile not in FONT_PROFILES:
            line, column = marked.marks.get(profile_path, marked.marks.get(("fonts",), (None, None)))
            raise StyleError(f"{source.name}：样式文件有 1 处问题，未生成任何文件。", [Problem(
                f"不认识的字体方案“{profile}”", file=source.name, line=line, column=column,
                path=".".join(profile_path), hint=f"可用：{'、'.join(FONT_PROFILES)}")])
        style = style.with_fonts(profile)
    data = _merge(style.model_dump(), override)
    try:
        return Style.model_validate(data)
    except ValidationError as exc:
        problems = [_style_hint(_locate(p, marked.marks))
                    for p in validation_problems(exc, marked, source.name, model=Style)]
        raise StyleError(f"{source.name}：样式文件有 {len(problems)} 处问题，未生成任何文件。", problems) from None


def _style_hint(problem: Problem) -> Problem:
    """The records' generic hint points at docs/records.md; a style file's keys are in docs/style.md."""
    if "docs/records.md" not in problem.hint:
        return problem
    return dataclasses.replace(problem, hint=problem.hint.replace("docs/records.md", "docs/style.md"))


def _is_empty(text: str) -> bool:
    return all(not line.strip() or line.lstrip().startswith("#") for line in text.splitlines())


# Keys that decide whether the lines fit the page, in the order a problem is best pointed at.
_FIT_KEYS = (("spacing", "line_pt"), ("grid", "lines"), ("page", "top_mm"), ("page", "bottom_mm"),
             ("page", "height_mm"), ("spacing",), ("grid",), ("page",))


def _locate(problem: Problem, marks: dict[tuple[Any, ...], tuple[int, int]]) -> Problem:
    """A whole-style problem (lines × spacing taller than the page) points at the key the file set."""
    if problem.path:
        return problem
    for key in _FIT_KEYS:
        if key in marks:
            line, column = marks[key]
            return dataclasses.replace(problem, line=line, column=column, path=".".join(key))
    return problem


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict) and key != "schemes":
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out
