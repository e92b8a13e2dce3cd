"""Typesetting profiles: page, grid, fonts and sizes, as data.

The defaults are GB/T 9704-2012 (see shared format facts); every value can be
changed by a style file so that an office can match its house style without
touching Python.  Sizes may be given by 号 name (三号) or in points.
"""

from __future__ import annotations

import os
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from .errors import StyleError

SIZES_BY_NAME: dict[str, float] = {
    "初号": 42, "小初": 36, "一号": 26, "小一": 24, "二号": 22, "小二": 18,
    "三号": 16, "小三": 15, "四号": 14, "小四": 12, "五号": 10.5, "小五": 9,
}


def to_points(value: Any) -> float:
    """三号 → 16; 16 → 16; '16pt' → 16."""
    if isinstance(value, bool):
        raise ValueError("字号应是“三号”这样的名称或磅值")
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        text = value.strip().removesuffix("pt").removesuffix("磅").strip()
        if text in SIZES_BY_NAME:
            return SIZES_BY_NAME[text]
        try:
            return float(text)
        except ValueError:
            pass
    raise ValueError(f"不认识的字号“{value}”，可用：{'、'.join(SIZES_BY_NAME)}，或磅值如 16")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Page(_Strict):
    width_mm: float = 210
    height_mm: float = 297
    top_mm: float = 37
    bottom_mm: float = 35
    left_mm: float = 28
    right_mm: float = 26


class Grid(_Strict):
    lines: int = Field(default=22, ge=1, le=60, description="每页行数")
    chars: int = Field(default=28, ge=1, le=60, description="每行字数")
    line_spacing_pt: float = Field(default=28.95, gt=0, description="固定行距（磅）")


class Fonts(_Strict):
    title: str = "宋体"
    subtitle: str = "楷体"
    heading1: str = "黑体"
    heading2: str = "楷体"
    heading3: str = "仿宋"
    heading4: str = "仿宋"
    body: str = "仿宋"
    latin: str = "Times New Roman"
    page_number: str = "宋体"
    table: str = "仿宋"


FONT_PROFILES: dict[str, Fonts] = {
    "windows": Fonts(),
    "gov": Fonts(title="方正小标宋简体", subtitle="楷体_GB2312", heading1="黑体", heading2="楷体_GB2312",
                 heading3="仿宋_GB2312", heading4="仿宋_GB2312", body="仿宋_GB2312", table="仿宋_GB2312"),
    "open": Fonts(title="Noto Serif CJK SC", subtitle="Noto Serif CJK SC", heading1="Noto Sans CJK SC",
                  heading2="Noto Serif CJK SC", heading3="Noto Serif CJK SC", heading4="Noto Serif CJK SC",
                  body="Noto Serif CJK SC", latin="Times New Roman", page_number="Noto Serif CJK SC",
                  table="Noto Serif CJK SC"),
}


class Sizes(_Strict):
    title: float = 22
    subtitle: float = 16
    body: float = 16
    heading: float = 16
    page_number: float = 14
    table: float = 12

    @field_validator("*", mode="before")
    @classmethod
    def _points(cls, value: Any) -> float:
        return to_points(value)


class Style(_Strict):
    """Everything a writer needs to know about how the page looks."""

    page: Page = Page()
    grid: Grid = Grid()
    fonts: Fonts = Fonts()
    sizes: Sizes = Sizes()
    heading3_bold: bool = True
    page_numbers: bool = True
    date_style: Literal["arabic", "chinese"] = "arabic"
    numbering_mode: Literal["literal", "word"] = "literal"
    schemes: dict[str, list[str]] = Field(default_factory=dict, description="自定义编号方案：名称 → 各级格式")

    def with_fonts(self, profile: str) -> Style:
        """The same style with a named font profile (gov, windows, open)."""
        if profile not in FONT_PROFILES:
            raise StyleError(f"不认识的字体方案“{profile}”，可用：{', '.join(FONT_PROFILES)}")
        return self.model_copy(update={"fonts": FONT_PROFILES[profile]})


DEFAULT_STYLE = Style()


def load_style(path: str | os.PathLike[str] | None = None, fonts: str | None = None) -> Style:
    """A style file (YAML, validated with the same located messages as records) over the defaults."""
    style = DEFAULT_STYLE
    if fonts:
        style = style.with_fonts(fonts)
    if path is None:
        return style
    from .loading import parse_yaml, read_source, validation_problems

    source = read_source(path)
    marked = parse_yaml(source)
    base = style.model_dump()
    data = _merge(base, marked.data)
    try:
        return Style.model_validate(data)
    except ValidationError as exc:
        problems = validation_problems(exc, marked, source.name, model=Style)
        raise StyleError(f"{source.name}：样式文件有 {len(problems)} 处问题。", problems) from None


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict) and key != "schemes":
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out
