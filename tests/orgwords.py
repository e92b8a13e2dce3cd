"""The words that belong to one organization type (or a few), kept with the tests that enforce them.

A stock sentence carrying one of these words is only right for the types whose list holds it:
"师生" suits a school or a university, "业主" a property office.  The phrase bank's tags must agree
(tests/test_register.py), and no rendered stock sentence may carry another type's words.
"""

from __future__ import annotations

ORG_WORDS: dict[str, frozenset[str]] = {
    "school": frozenset({"师生", "教育教学", "教学", "学生", "教师", "家长", "校园", "育人", "学校", "班级",
                         "课堂", "教职工", "办学", "学期", "立德树人"}),
    "university": frozenset({"师生", "教育教学", "教学", "学生", "教师", "校园", "育人", "学校", "高校", "科研",
                             "学科", "人才培养", "院系", "教职工", "立德树人", "办学", "全院", "干部职工"}),
    "hospital": frozenset({"患者", "医疗", "医护", "医务", "诊疗", "临床", "护理", "就医", "病人", "医院", "全院",
                           "科室", "医德", "病区", "群众", "干部职工", "学科"}),
    "agency": frozenset({"机关", "政务", "公务", "机关运转", "干部职工", "群众", "为民", "科室"}),
    "company": frozenset({"企业", "公司", "客户", "经营", "市场", "企业效益", "经济效益", "员工", "营收", "利润",
                          "降本增效", "产品"}),
    "property": frozenset({"业主", "物业", "小区", "住户", "员工", "园区", "物业服务"}),
    "community": frozenset({"居民", "社区", "辖区", "网格", "居委会", "群众", "邻里", "村民", "基层治理", "党建"}),
    "party": frozenset({"党员", "党支部", "支部", "党建", "党组织", "组织生活", "三会一课", "党性", "群众",
                        "干部职工"}),
}
ALL_WORDS: frozenset[str] = frozenset().union(*ORG_WORDS.values())


def type_words(text: str) -> set[str]:
    """Every type word found in ``text``."""
    return {w for w in ALL_WORDS if w in text}


def foreign_words(text: str, org_tag: str) -> set[str]:
    """The words of ``text`` that a document of type ``org_tag`` ('' for 通用) must not carry."""
    own = ORG_WORDS.get(org_tag, frozenset())
    return {w for w in type_words(text) if w not in own}
