"""Loading records: encodings, YAML with line marks, and every problem reported at once."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from summarykit.errors import RecordsError
from summarykit.records.loading import load, loads

GOOD = """\
meta:
  organization: 某某中学
  period: 2025—2026学年第一学期
  subject: 后勤
  date: 2026-01-20
intro:
  - 本学期，后勤工作稳步推进。
achievements:
  - heading: 学生食堂改革
    items:
      - 解决了住宿生配餐制问题。
      - text: 添置办公桌7张
        metrics: [{name: 办公桌, value: 7, unit: 张}]
problems: [学校水、电浪费现象较为严重。]
"""


def problems_of(text: str | bytes, name: str = "r.yaml") -> list:
    with pytest.raises(RecordsError) as info:
        loads(text, name)
    return list(info.value.problems)


def test_a_good_file_loads_with_short_forms_expanded() -> None:
    report = loads(GOOD)
    assert report.title == "某某中学2025—2026学年第一学期后勤工作总结"
    assert report.meta.date == dt.date(2026, 1, 20)
    assert report.achievements[0].items[0].text == "解决了住宿生配餐制问题。"
    assert report.achievements[0].items[1].metrics[0].value == 7
    assert report.problems.items[0].text == "学校水、电浪费现象较为严重。"
    assert report.notices == []


def test_wrong_type_unknown_key_and_bad_date_are_reported_together_with_lines() -> None:
    text = GOOD.replace("date: 2026-01-20", "date: 2026-02-30").replace(
        "  - heading: 学生食堂改革", "  - heading: 学生食堂改革\n    itmes: []"
    ).replace("intro:\n  - 本学期，后勤工作稳步推进。", "intro: {a: 1}")
    found = problems_of(text)
    by_path = {p.path: p for p in found}
    assert by_path["meta.date"].line == 5
    assert "日期" in by_path["meta.date"].message
    assert by_path["intro"].line == 6
    assert by_path["achievements[0].itmes"].line == 9
    assert "items" in by_path["achievements[0].itmes"].hint  # did you mean
    assert len(found) == 3


def test_chinese_date_form_is_accepted() -> None:
    report = loads(GOOD.replace("2026-01-20", "2026年1月20日"))
    assert report.meta.date == dt.date(2026, 1, 20)


def test_utf8_with_bom_loads_silently(tmp_path: Path) -> None:
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + GOOD.encode("utf-8"))
    assert load(path).meta.organization == "某某中学"
    assert load(path).notices == []


def test_gbk_file_loads_with_a_notice(tmp_path: Path) -> None:
    path = tmp_path / "gbk.yaml"
    path.write_bytes(GOOD.encode("gbk"))
    report = load(path)
    assert report.meta.organization == "某某中学"
    assert [n.code for n in report.notices] == ["encoding"]


def test_half_width_punctuation_is_fixed_with_a_notice() -> None:
    report = loads(GOOD.replace("本学期，后勤工作稳步推进。", "本学期,后勤工作(总务处)稳步推进。"))
    assert report.intro == ["本学期，后勤工作（总务处）稳步推进。"]
    assert any(n.code == "punctuation" for n in report.notices)


def test_numbers_times_and_latin_names_keep_their_half_width_marks() -> None:
    report = loads('intro: ["以ISO9001:2000为平台，9:30开会，投入3,500元，增长3.5%，见http://a.cn/x?a=1,2。"]')
    assert report.intro == ["以ISO9001:2000为平台，9:30开会，投入3,500元，增长3.5%，见http://a.cn/x?a=1,2。"]


def test_control_characters_are_removed_with_a_notice_naming_the_line() -> None:
    report = loads("meta:\n  organization: 某某\x07中学\n")
    assert report.meta.organization == "某某中学"
    assert any(n.code == "control-chars" and ":2" in n.where for n in report.notices)


def test_key_given_twice_is_an_error_naming_both_lines() -> None:
    found = problems_of("meta:\n  organization: 甲\n  organization: 乙\n")
    assert found[0].line == 3
    assert "第 2 行" in found[0].message


def test_tabs_get_a_message_about_spaces() -> None:
    found = problems_of("meta:\n\torganization: 甲\n")
    assert "Tab" in found[0].message or "Tab" in found[0].hint


def test_full_width_colon_is_explained() -> None:
    found = problems_of("meta：\n  organization: 甲\nintro：\n  - 正文\n")
    assert "全角冒号" in found[0].message


def test_empty_file_and_non_mapping_are_explained() -> None:
    assert "空" in problems_of("")[0].message
    assert "键: 值" in problems_of("- a\n- b\n")[0].message


def test_unknown_tags_are_never_constructed() -> None:
    found = problems_of("meta: !!python/object/apply:os.system ['echo hi']\n")
    assert "标签" in found[0].message


def test_alias_bomb_is_bounded() -> None:
    lines = ["a: &a ['x','x','x','x','x','x','x','x','x','x']"]
    for i in range(1, 9):
        lines.append(f"{chr(97 + i)}: &{chr(97 + i)} [{','.join(['*' + chr(96 + i)] * 10)}]")
    found = problems_of("\n".join(lines))
    assert "展开" in found[0].message


def test_missing_file_is_a_records_error(tmp_path: Path) -> None:
    with pytest.raises(RecordsError, match="发现 1 处问题"):
        load(tmp_path / "nope.yaml")


def test_messages_are_plain_chinese_with_file_line_and_column() -> None:
    with pytest.raises(RecordsError) as info:
        loads("meta:\n  orgnization: 甲\n", "年度.yaml")
    text = info.value.report()
    assert "年度.yaml:2:3: meta.orgnization：不认识的键“orgnization”" in text
    assert "organization" in text


@pytest.mark.parametrize(("text", "key", "meant"), [
    ("meta:\n  unit: 某某医院\n", "unit", "organization"),  # 单位, as a translator would put it
    ("meta:\n  year: 2026年\n", "year", "period"),
    ("results:\n  - heading: 教学\n", "results", "achievements"),
    ("problems: []\nissues: [经费不足]\n", "issues", "problems"),
])
def test_an_english_word_for_a_field_is_pointed_to_the_field(text: str, key: str, meant: str) -> None:
    """A guess by meaning ("unit" for 单位) is spelt unlike every key, so the typo hint cannot find it."""
    with pytest.raises(RecordsError) as info:
        loads(text, "年度.yaml")
    [problem] = [p for p in info.value.problems if p.path.endswith(key)]
    assert problem.hint.startswith(f"是不是想写 `{meant}`？这里没有 `{key}` 这个键")


def test_an_english_guess_yields_to_a_close_spelling() -> None:
    """``plan`` is one letter from ``plans``: the spelling hint comes first, as for any typo."""
    with pytest.raises(RecordsError) as info:
        loads("plan: [明年继续]\n", "年度.yaml")
    assert info.value.problems[0].hint == "是不是想写 `plans`？"


@pytest.mark.parametrize(("text", "expected"), [("meta: {date: 20260120}", dt.date(2026, 1, 20))])
def test_an_eight_digit_number_is_a_date(text: str, expected: dt.date) -> None:
    assert loads(text).meta.date == expected


def test_other_integers_are_not_unix_timestamps() -> None:
    assert "日期格式不对" in problems_of("meta: {date: 0}")[0].message


@pytest.mark.parametrize("value", ["auto", "AUTO", "自动"])
def test_keywords_auto_in_any_case(value: str) -> None:
    assert loads(f"keywords: {value}").keywords == "auto"
