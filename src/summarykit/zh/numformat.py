"""Numbers, ranges and dates as GB/T 15835-2011 writes them.

Counts, measurements, money and percentages take Arabic numerals (添置办公桌7张，
增长13.8%); a range joins its ends with ～ and repeats % and the 万/亿 multiplier
on both ends (10%～90%, 13万～17万元), because “13～17万元” reads as 13 元 to 17万元;
large amounts may be written with 万/亿; years and serial numbers are never
grouped.  Dates are 2026年1月20日, or 二〇二六年一月二十日 as the 1999 edition of
GB/T 9704 wrote them.

These are the Jinja filters ``metric``, ``num``, ``num_range``, ``wan`` and
``cn_date``; they take plain values and return plain text.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from .dates import cn_date
from .numerals import DIGIT_VALUES, NUMERAL_CHARS, UNIT_VALUES
from .numerals import cn_to_int as _numerals_cn_to_int

RANGE_MARK = "～"
# Units written after each end of a range (GB/T 15835 §5.1.5: 15%～30%, 9亿～16亿, 13万元～17万元).
_REPEATED_UNITS = ("%", "‰", "℃", "°")
_MULTIPLIERS = ("万亿", "亿", "万", "千", "百")
_RANGE_TEXT = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*(?:～|~|〜|-|—|–|－|至|到)\s*(-?\d+(?:\.\d+)?)\s*$")


def num(value: Any, places: int | None = None) -> str:
    """7 → '7', 13.80 → '13.8', 1e5 → '100000', '12.50' → '12.5'; ``places`` fixes the decimals.

    No thousands separators (years and serial numbers must never be grouped, and
    office documents write 125000 or 12.5万).  Text that is not a number is
    returned unchanged, so records may say “若干”.
    """
    if isinstance(value, bool) or value is None:
        return "" if value is None else str(value)
    if isinstance(value, int):
        return str(value)
    try:
        number = Decimal(str(value).strip()) if isinstance(value, str) else Decimal(repr(float(value)))
    except (InvalidOperation, ValueError):
        return str(value)
    if not number.is_finite():
        return str(value)
    if places is not None:
        number = number.quantize(Decimal(1).scaleb(-places))
        return f"{number:f}"
    text = f"{number.normalize():f}"
    return "0" if text in ("-0", "") else text


def _split_unit(unit: str) -> tuple[str, str]:
    """'万元' → ('万', '元'); '%' → ('%', ''); '张' → ('', '张')."""
    for mark in _REPEATED_UNITS:
        if unit.startswith(mark):
            return mark, unit[len(mark):]
    for multiplier in _MULTIPLIERS:
        if unit.startswith(multiplier) and len(unit) >= len(multiplier):
            return multiplier, unit[len(multiplier):]
    return "", unit


def num_range(low: Any, high: Any, unit: str = "") -> str:
    """A range per GB/T 15835: 10%～90%, 13万～17万元, 3～5天, 2025～2026年."""
    repeated, rest = _split_unit(unit or "")
    return f"{num(low)}{repeated}{RANGE_MARK}{num(high)}{repeated}{rest}"


def parse_range(value: Any) -> tuple[Any, Any] | None:
    """[10, 90], (10, 90) or '10-90' / '10～90' / '10至90' → (10, 90); anything else → None."""
    if isinstance(value, Sequence) and not isinstance(value, str) and len(value) == 2:
        return value[0], value[1]
    if isinstance(value, str):
        match = _RANGE_TEXT.match(value.replace("\\", ""))  # template values arrive escaped: 10\\-90
        if match:
            return match.group(1), match.group(2)
    return None


def wan(value: Any, unit: str = "", places: int = 2) -> str:
    """Large amounts with 万/亿: 125000 → 12.5万, 320000000 → 3.2亿; below 10000 unchanged.

    ``unit`` follows the multiplier (125000, '元' → 12.5万元).  Rounded to
    ``places`` decimals, trailing zeros dropped.
    """
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return f"{value}{unit}"
    if not number.is_finite():
        return f"{value}{unit}"
    for size, mark in ((Decimal(10) ** 8, "亿"), (Decimal(10) ** 4, "万")):
        if abs(number) >= size:
            scaled = (number / size).quantize(Decimal(1).scaleb(-places))
            return f"{num(str(scaled))}{mark}{unit}"
    return f"{num(str(number))}{unit}"


def metric(value: Any, unit: str = "", *, name: bool = True) -> str:
    """A metric mapping {name, value, unit} or a bare number → 办公桌7张, 13.8%, 12.5万元, 10%～90%.

    The value may be a range ([10, 90] or '10-90'); then the unit is repeated
    where GB/T 15835 wants it.  ``name=False`` leaves the name out.
    """
    label = ""
    if isinstance(value, Mapping):
        label = str(value.get("name", "") or "") if name else ""
        unit = str(value.get("unit", "") or unit or "")
        value = value.get("value", "")
    bounds = parse_range(value)
    if bounds is not None:
        return f"{label}{num_range(bounds[0], bounds[1], unit)}"
    return f"{label}{num(value)}{unit}"


def percent(part: Any, whole: Any, places: int = 1) -> str:
    """part/whole as a percentage with ``places`` decimals: (138, 1000) → '13.8%'."""
    try:
        ratio = Decimal(str(part)) / Decimal(str(whole)) * 100
    except (InvalidOperation, ValueError, ZeroDivisionError):
        return ""
    if not ratio.is_finite() or math.isnan(float(ratio)):
        return ""
    return f"{num(str(ratio.quantize(Decimal(1).scaleb(-places))))}%"


# --------------------------------------------------------------------------- quantities (metrics)

CN_DIGITS = DIGIT_VALUES
CN_UNITS = UNIT_VALUES
CN_NUM_CHARS = NUMERAL_CHARS


def cn_to_int(text: str) -> int | None:
    """十二 → 12, 九万 → 90000; None for what is not one exact number (三五、七八、odd forms).

    The reading itself lives in zh/numerals.py; a guess would put a wrong number into a document.
    """
    try:
        return _numerals_cn_to_int(text)
    except ValueError:
        return None


#: Qualifiers of approximate figures: 约/近/超 stand before the number, 余/多 after it (120余件, 9万多元).
APPROX_BEFORE = ("约", "近", "超")
APPROX_AFTER = ("余", "多")
APPROX = APPROX_BEFORE + APPROX_AFTER
_APPROX_PREFIX = re.compile(r"^(约|近|超过|超|逾|大约|将近|接近)")
_APPROX_PREFIX_NAMES = {"约": "约", "大约": "约", "近": "近", "将近": "近", "接近": "近", "超": "超", "超过": "超", "逾": "超"}
_QUANTITY = re.compile(r"^(?P<num>-?\d+(?:\.\d+)?|[" + "".join(CN_DIGITS) + "".join(CN_UNITS) + r"]+)"
                       r"(?P<big>万亿|亿|万|千|百)?(?P<after>余|多)?$")


class QuantityError(ValueError):
    """A metric value that is not a number (text, a range): the message says what to write instead."""


def parse_quantity(value: Any) -> tuple[Decimal, str | None]:
    """A metric value as written → (number, qualifier): 1234, "约2200", "120余", "近百", "九万多", "3.5万".

    The qualifier is one of 约 近 超 余 多, or None for an exact figure.  Text that
    is not a figure raises QuantityError with a message for the records' author.
    """
    if isinstance(value, bool) or value is None:
        raise QuantityError(f"数值应是数字，实际是 {value!r}")
    if isinstance(value, int):
        return Decimal(value), None
    if isinstance(value, float):
        if not math.isfinite(value):
            raise QuantityError("数值应是有限的数字")
        return Decimal(repr(value)), None
    text = re.sub(r"\s+", "", str(value)).replace(",", "").replace("，", "")
    text = text.translate(str.maketrans("０１２３４５６７８９．－", "0123456789.-"))
    approx: str | None = None
    prefix = _APPROX_PREFIX.match(text)
    if prefix:
        approx = _APPROX_PREFIX_NAMES[prefix.group(1)]
        text = text[prefix.end():]
    if text.endswith(("左右", "上下")):
        approx, text = approx or "约", text[:-2]
    match = _QUANTITY.match(text)
    if not match:
        if parse_range(text) is not None:
            raise QuantityError(f"数值只能是一个数，“{value}”是一个范围")
        raise QuantityError(f"数值里有文字：“{value}”")
    digits, big, after = match.group("num"), match.group("big"), match.group("after")
    if after:
        if approx:
            raise QuantityError(f"“{value}”里的约数写了两次")
        approx = after
    if re.match(r"^-?\d", digits):
        number = Decimal(digits)
    else:
        whole = cn_to_int(digits if not digits.startswith(("十", "百", "千")) else "一" + digits)
        if whole is None:
            raise QuantityError(f"“{value}”不是一个确定的数（像“三五”“七八”这样的约数请写成“约40”）")
        number = Decimal(whole)
    if big:
        number *= {"万亿": Decimal(10) ** 12, "亿": Decimal(10) ** 8, "万": Decimal(10) ** 4,
                   "千": Decimal(1000), "百": Decimal(100)}[big]
    return number, approx


# Units the figure formatter knows, by the kind of quantity they measure (a metric's `kind` when absent).
UNIT_KINDS: dict[str, str] = {
    **{u: "money" for u in ("元", "万元", "亿元", "千元", "百万元", "万亿元", "美元", "万美元")},
    **{u: "percentage" for u in ("%", "％", "‰")},
    **{u: "duration" for u in ("天", "日", "小时", "分钟", "秒", "周", "个月", "月", "年", "工作日", "学时", "课时",
                                "个工作日", "人天", "工时")},
    **{u: "area" for u in ("平方米", "㎡", "平米", "万平方米", "平方公里", "平方千米", "亩", "公顷", "万亩")},
    **{u: "count" for u in (
        "", "人次", "万人次", "个", "名", "位", "人", "万人", "次", "项", "件", "张", "台", "套", "辆", "间", "座", "所",
        "栋", "幢", "块", "株", "棵", "盏", "部", "本", "册", "份", "把", "条", "家", "户", "篇", "场", "批", "批次",
        "支", "处", "期", "类", "种", "门", "节", "箱", "袋", "车", "单", "宗", "起", "例", "床", "间次", "餐", "份次",
        "架次", "车次", "吨", "千克", "公斤", "克", "万吨", "立方米", "万立方米", "升", "毫升", "千瓦时", "万千瓦时",
        "度", "万度", "千瓦", "米", "公里", "千米", "延米", "所次", "课", "门次", "册次", "卷", "件次", "项次",
        "场次", "人日", "户次", "学分", "分", "元/人", "道", "处次", "根", "片", "组", "桌", "期次", "校次")},
}
KINDS = ("count", "money", "percentage", "rate", "duration", "area")
KIND_NAMES = {"count": "数量", "money": "金额", "percentage": "百分比", "rate": "比率（增长率、完成率等，可超过100%）",
              "duration": "时长", "area": "面积"}


def unit_kind(unit: str) -> str | None:
    """The kind of quantity a unit measures (件 → count, 万元 → money, % → percentage); None when unknown."""
    return UNIT_KINDS.get(unit.strip())


def quantity(number: Decimal, unit: str = "", approx: str | None = None, *, kind: str | None = None) -> str:
    """A figure as GB/T 15835 writes it: 1234件, 约2200人次, 120余项, 9万多元, 12.5万元, 95.6%.

    Arabic numerals throughout; amounts of 元 from 10000 up and counts from
    100000 up are written with 万/亿 (two decimals at most, trailing zeros
    dropped); a figure given with a multiplier unit (万元) is kept as given.
    约/近/超 stand before the number, 余/多 between the number and its unit.
    """
    kind = kind or unit_kind(unit) or "count"
    big = ""
    rest = unit
    value = number
    if kind in ("money", "count") and not unit.startswith(("万", "亿", "千", "百")) and unit not in ("%", "‰"):
        limit = Decimal(10_000) if kind == "money" else Decimal(100_000)
        if approx in APPROX_AFTER and abs(number) >= Decimal(10_000) and number % Decimal(10_000) == 0:
            limit = Decimal(10_000)  # 九万多 → 9万多
        for size, mark in ((Decimal(10) ** 8, "亿"), (Decimal(10) ** 4, "万")):
            if abs(number) >= max(size, limit):
                value = (number / size).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
                big = mark
                break
    digits = num(str(value))
    if approx in APPROX_AFTER:
        return f"{digits}{big}{approx}{rest}"
    return f"{approx or ''}{digits}{big}{rest}"


#: Computed percentages (growth, completion, share) keep one decimal place, rounded half up
#: (12.45% → 12.5%, 12.44% → 12.4%), a trailing .0 dropped (12.0% → 12%); differences of two
#: percentages are 个百分点 with the same rule.  Decimal arithmetic: no binary rounding surprises.
PERCENT_PLACES = 1


def round_half_up(value: Decimal, places: int = PERCENT_PLACES) -> Decimal:
    """``value`` rounded to ``places`` decimals, half up (the rule for every computed percentage)."""
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def ratio_percent(part: Decimal, whole: Decimal) -> Decimal | None:
    """part / whole × 100, rounded by the computed-percentage rule; None when whole is zero."""
    if whole == 0:
        return None
    return round_half_up(part / whole * 100)


def percent_text(value: Decimal) -> str:
    """A computed percentage as text: Decimal('12.50') → '12.5%'."""
    return f"{num(str(value))}%"


FILTERS = {
    "metric": metric,
    "num": num,
    "num_range": num_range,
    "wan": wan,
    "percent": percent,
    "cn_date": cn_date,
}
