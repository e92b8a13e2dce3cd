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
from decimal import Decimal, InvalidOperation
from typing import Any

from .dates import cn_date

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


FILTERS = {
    "metric": metric,
    "num": num,
    "num_range": num_range,
    "wan": wan,
    "percent": percent,
    "cn_date": cn_date,
}
