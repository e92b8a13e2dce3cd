"""Organization types (单位类型) and how a unit's name tells which one it is.

A summary is written in the register of the office that writes it: a school speaks of 师生 and
教育教学, a hospital of 患者 and 医疗质量, a property office of 业主.  The phrase bank tags its
phrases with these types, and a document gets the type its records name (``meta.org_type``) or,
when they name none, the one its organization's name implies.  The rule lives here, once, as a
pure function, so that loading, composing and the CLI agree on it.
"""

from __future__ import annotations

from dataclasses import dataclass

GENERAL = "通用"

#: Chinese name → phrase-bank tag, in the order people look for them.  通用 (general) has no tag:
#: a general document uses only phrases that carry no type's words.
ORG_TYPES: dict[str, str] = {
    "学校": "school",
    "高校": "university",
    "医院": "hospital",
    "机关": "agency",
    "企业": "company",
    "物业": "property",
    "社区": "community",
    "党组织": "party",
    GENERAL: "",
}
TAG_TO_TYPE: dict[str, str] = {tag: name for name, tag in ORG_TYPES.items() if tag}

#: Other ways people write a type (English tag, common synonyms) → the canonical Chinese name.
ALIASES: dict[str, str] = {
    **{tag: name for tag, name in TAG_TO_TYPE.items()},
    "general": GENERAL,
    "中小学": "学校",
    "大学": "高校",
    "卫生院": "医院",
    "政府": "机关",
    "事业单位": "机关",
    "公司": "企业",
    "物业公司": "物业",
    "居委会": "社区",
    "村委会": "社区",
    "党支部": "党组织",
    "党委": "党组织",
}

# Name endings, strongest first within a type.  "Strong" words name the kind of institution
# itself; "weak" ones (公司, 局, 中心 …) are generic suffixes that a strong word elsewhere in the
# name overrides: 某某物业管理有限公司 is a property office, 某某医院后勤服务中心 a hospital's.
_STRONG: tuple[tuple[str, str], ...] = (
    ("党总支", "党组织"), ("党支部", "党组织"), ("党委", "党组织"), ("党工委", "党组织"),
    ("居委会", "社区"), ("居民委员会", "社区"), ("村委会", "社区"), ("村民委员会", "社区"), ("社区", "社区"),
    ("物业", "物业"),
    ("医院", "医院"), ("卫生院", "医院"), ("卫生服务中心", "医院"), ("保健院", "医院"), ("诊所", "医院"),
    ("大学", "高校"), ("学院", "高校"),
    ("中学", "学校"), ("小学", "学校"), ("学校", "学校"), ("幼儿园", "学校"),
)
_WEAK: tuple[tuple[str, str], ...] = (
    ("公司", "企业"), ("集团", "企业"),
    ("政府", "机关"), ("局", "机关"), ("委", "机关"), ("办", "机关"), ("厅", "机关"), ("中心", "机关"),
)


@dataclass(frozen=True)
class Inference:
    """What was inferred and from which word, for the notice that tells the user."""

    org_type: str
    word: str
    name: str


def canonical(value: str) -> str | None:
    """A typed organization type → its canonical Chinese name, or None when it is not one."""
    text = value.strip()
    if text in ORG_TYPES:
        return text
    return ALIASES.get(text) or ALIASES.get(text.lower())


def _last_match(name: str, table: tuple[tuple[str, str], ...]) -> tuple[int, int, str, str] | None:
    """The word of ``table`` that ends latest in ``name`` (the head of a Chinese name is its end);
    of two ending at the same place, the longer."""
    best: tuple[int, int, str, str] | None = None
    for word, org_type in table:
        at = name.rfind(word)
        if at < 0:
            continue
        key = (at + len(word), len(word), word, org_type)
        if best is None or key[:2] > best[:2]:
            best = key
    return best


def infer(name: str | None) -> Inference | None:
    """The organization type a unit's name implies, or None when the name says nothing."""
    if not name or not name.strip():
        return None
    text = name.strip()
    found = _last_match(text, _STRONG) or _last_match(text, _WEAK)
    if found is None:
        return None
    return Inference(found[3], found[2], text)


def tag_of(org_type: str | None) -> str:
    """The phrase-bank tag of a type ('' for 通用 or None)."""
    return ORG_TYPES.get(org_type or GENERAL, "")


#: The built-in template offered for each type (summarykit init --type, summarykit templates).
TEMPLATE_FOR: dict[str, str] = {
    "学校": "school_term",
    "高校": "university_logistics",
    "医院": "hospital_department",
    "机关": "gov_annual",
    "企业": "company_department",
    "物业": "annual_general",
    "社区": "community_annual",
    "党组织": "community_annual",
    GENERAL: "annual_general",
}


def template_type(tags: tuple[str, ...] | list[str]) -> str:
    """The organization type a template is written for, from its tags (通用 when it names none)."""
    for tag in tags:
        if tag in TAG_TO_TYPE:
            return TAG_TO_TYPE[tag]
    return GENERAL
