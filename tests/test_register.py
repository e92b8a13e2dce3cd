"""Every office's register: organization types, strict type tags in the phrase bank, and templates
that never borrow another type's words (issue 15).

The word lists are in tests/orgwords.py.  The matrix test renders every built-in template for every
organization type with seeds 1–20 from a *neutral* version of the template's sample record (every
text replaced by words of no type), so that any type word in the output can only have come from a
stock sentence — and must then belong to the document's own type.
"""

from __future__ import annotations

import copy
import itertools
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

import summarykit as sk
from summarykit.cli.main import main
from summarykit.drafting.phrases import ORG_TAGS, load_bank
from summarykit.drafting.templating import list_names
from summarykit.records.model import Report
from summarykit.zh import orgtype

from .orgwords import ORG_WORDS, foreign_words, type_words

REPO = Path(__file__).resolve().parents[1]
SAMPLE_DATA = REPO / "sample_data"
BUILT_INS = list_names()
TYPES = list(orgtype.ORG_TYPES)  # 学校 … 通用
# Categories that are grammar (a prefix, a tail, a series of markers), not an office's voice.
GRAMMATICAL = {"aspect_lead", "quantified", "plan_item", "connector", "enumerator"}


# --------------------------------------------------------------------------- inference


@pytest.mark.parametrize(("name", "expected"), [
    ("某某中学", "学校"), ("某某县实验小学", "学校"), ("某某幼儿园", "学校"),
    ("某某大学", "高校"), ("某某职业技术学院", "高校"), ("某某大学后勤集团", "高校"),
    ("某某县人民医院", "医院"), ("某某镇卫生院", "医院"), ("某某社区卫生服务中心", "医院"),
    ("某某医院后勤服务中心", "医院"),
    ("某某区机关事务管理局", "机关"), ("某某市人民政府办公室", "机关"), ("某某区卫生健康委员会", "机关"),
    ("某某建材有限公司", "企业"), ("某某控股集团", "企业"),
    ("某某物业管理有限公司", "物业"), ("某某物业服务中心", "物业"),
    ("某某街道幸福社区居委会", "社区"), ("某某村村民委员会", "社区"), ("某某村委会", "社区"),
    ("某某社区党支部", "党组织"), ("某某县人民医院党委", "党组织"), ("某某公司党总支", "党组织"),
])
def test_the_type_is_inferred_from_the_head_of_the_name(name: str, expected: str) -> None:
    found = orgtype.infer(name)
    assert found is not None and found.org_type == expected, name


def test_a_name_without_a_type_word_infers_nothing() -> None:
    assert orgtype.infer("某某研究所") is None and orgtype.infer("") is None and orgtype.infer(None) is None


def test_meta_names_the_type_in_chinese_or_english_and_rejects_others(tmp_path: Path) -> None:
    assert Report.model_validate({"meta": {"单位类型": "医院"}}).meta.org_type == "医院"
    assert Report.model_validate({"meta": {"org_type": "hospital"}}).meta.org_type == "医院"
    bad = tmp_path / "bad.yaml"
    bad.write_text("meta:\n  organization: 某某中学\n  org_type: 医务\n", encoding="utf-8")
    with pytest.raises(sk.RecordsError) as caught:
        sk.load(bad)
    assert "bad.yaml:3" in caught.value.report() and "不认识的单位类型" in caught.value.report()
    # The hint is about the type, not the metric-unit hint whose message shares the words 不认识的单位.
    assert "可用的类型之一" in caught.value.report() and "kind:" not in caught.value.report()


def test_an_inferred_type_is_told_in_a_notice_and_an_explicit_one_is_not() -> None:
    doc = sk.compose(Report.model_validate({"meta": {"organization": "某某物业管理有限公司"},
                                            "achievements": [{"heading": "甲", "items": ["乙"]}]}))
    notice = next(n for n in doc.notices if n.code == "org_type")
    assert "物业" in notice.message and "某某物业管理有限公司" in notice.message and "org_type" in notice.message
    doc = sk.compose(Report.model_validate({"meta": {"organization": "某某物业管理有限公司", "org_type": "企业"}}))
    assert not any(n.code == "org_type" for n in doc.notices)


# --------------------------------------------------------------------------- the bank


def test_untagged_phrases_are_neutral() -> None:
    for phrase in load_bank().phrases:
        if not set(phrase.tags) & set(ORG_TAGS):
            assert not type_words(phrase.text), (phrase.id, phrase.text, type_words(phrase.text))


def test_a_tagged_phrase_carries_only_its_own_types_words() -> None:
    for phrase in load_bank().phrases:
        for tag in set(phrase.tags) & set(ORG_TAGS):
            assert not foreign_words(phrase.text, tag), (phrase.id, tag, foreign_words(phrase.text, tag))


def test_the_bank_has_500_phrases_and_covers_every_category_for_every_type() -> None:
    bank = load_bank()
    assert len(bank.phrases) >= 500
    for category in bank.categories():
        phrases = bank.in_category(category)
        assert any(not set(p.tags) & set(ORG_TAGS) for p in phrases), f"{category}: no neutral phrase"
        if category in GRAMMATICAL or category.startswith("figure_"):
            continue  # grammar, and sentences that state figures (30-figures.yaml), are the same for every office
        for tag in ORG_TAGS:
            assert sum(tag in p.tags for p in phrases) >= 2, (category, tag)


def test_every_word_list_names_words_the_bank_uses() -> None:
    """The lists are not decoration: each type's own phrases use several of its words."""
    bank = load_bank()
    for tag, words in ORG_WORDS.items():
        used = {w for p in bank.phrases if tag in p.tags for w in words if w in p.text}
        assert len(used) >= 3, tag


# --------------------------------------------------------------------------- the matrix


def _neutral(value: Any, counter: list[int], key: str = "") -> Any:
    """The sample record with every text replaced by words of no organization type."""
    if isinstance(value, dict):
        return {k: _neutral(v, counter, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_neutral(v, counter, key) for v in value]
    if isinstance(value, str) and key not in {"template", "date", "org_type", "inline_items", "unit"}:
        counter[0] += 1
        return {"organization": "某某单位", "department": "", "audience": "各位领导、同志们",
                "period": "2025年", "next_period": "2026年", "subject": "综合"}.get(key, f"第{counter[0]}项内容已经完成。")
    return value


@pytest.fixture(scope="module")
def neutral_records() -> dict[str, dict[str, Any]]:
    out = {}
    for name in BUILT_INS:
        data = yaml.safe_load((SAMPLE_DATA / f"{name}.yaml").read_text(encoding="utf-8")) \
            if (SAMPLE_DATA / f"{name}.yaml").exists() else None
        if data is None:
            data = yaml.safe_load(next(SAMPLE_DATA.glob("*.yaml")).read_text(encoding="utf-8"))
        data = _neutral(data, [0])
        data["meta"].pop("department", None)
        data["meta"]["template"] = name
        out[name] = data
    return out


def _lead_ins(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.rstrip().endswith("：")]


def test_no_template_ever_speaks_with_another_types_words_nor_doubles_a_lead_in(
        neutral_records: dict[str, dict[str, Any]]) -> None:
    rendered = 0
    for name, data in neutral_records.items():
        for org_type in TYPES:
            variant = copy.deepcopy(data)
            variant["meta"]["org_type"] = org_type
            plain = Report.model_validate(variant)
            led = copy.deepcopy(variant)
            led["intro"] = [*(led.get("intro") or ["第0项内容已经完成。"])[:-1], "现将有关情况报告如下："]
            led_in = Report.model_validate(led)
            tag = orgtype.tag_of(org_type)
            for seed in range(1, 21):
                report = led_in if seed % 2 else plain
                text = sk.to_text(sk.compose(report, seed=seed))
                rendered += 1
                bad = foreign_words(text, tag)
                assert not bad, f"{name} × {org_type} × seed {seed}: {bad}\n{text}"
                for paragraph in text.splitlines():
                    assert paragraph.count("如下") <= 1, f"{name} × {org_type} × seed {seed}: {paragraph}"
                lines = [line.strip() for line in text.splitlines() if line.strip()]
                for first, second in itertools.pairwise(lines):
                    # A lead-in (……如下：) is followed by the body, never by a second lead-in.
                    assert not (first.endswith("如下：") and second.endswith("如下：")), (name, org_type, seed, first)
    assert rendered == len(BUILT_INS) * len(TYPES) * 20


def test_an_intro_that_leads_in_gets_no_second_lead_in_and_a_notice() -> None:
    report = Report.model_validate({"meta": {"organization": "某某中学"},
                                    "intro": ["本学期各项工作顺利。现将一学期的工作总结如下："],
                                    "achievements": [{"heading": "甲", "items": ["乙。"]}]})
    for seed in range(1, 21):
        doc = sk.compose(report, "school_term", seed=seed)
        assert sk.to_text(doc).count("如下") == 1
        assert any(n.code == "lead_in" for n in doc.notices)


def test_opening_none_text_and_auto() -> None:
    base = {"meta": {"organization": "某某中学", "period": "本学期"}, "intro": ["本学期各项工作顺利。"],
            "achievements": [{"heading": "甲", "items": ["乙。"]}]}
    auto = sk.to_text(sk.compose(Report.model_validate(base), "school_term", seed=1))
    none = sk.to_text(sk.compose(Report.model_validate({**base, "opening": "none"}), "school_term", seed=1))
    own = sk.to_text(sk.compose(Report.model_validate({**base, "opening": "现将有关情况汇报如下："}),
                                "school_term", seed=1))
    assert "如下：" in auto and "如下" not in none and "本学期各项工作顺利。现将有关情况汇报如下：" in own
    # A template that adds no stock lead-in still prints the records' own.
    essay = sk.to_text(sk.compose(Report.model_validate({**base, "opening": "现将有关情况汇报如下："}),
                                  "agency_logistics", seed=1))
    assert "现将有关情况汇报如下：" in essay


# --------------------------------------------------------------------------- the documented walk-through


def test_the_docs_walk_through_renders_without_foreign_wording(tmp_path: Path) -> None:
    from .test_templates import _doc_files

    files = _doc_files()
    for relative, content in files.items():
        path = tmp_path / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
    records = next(tmp_path / f for f in files if f.endswith(".yaml"))
    folder = next((tmp_path / f).parent for f in files if f.endswith(".j2"))
    record_text = records.read_text(encoding="utf-8")
    for seed in range(1, 21):
        doc = sk.compose(sk.load(records), seed=seed, templates=[str(folder)])
        text = sk.to_text(doc)
        stock = [line for line in text.splitlines() if line.strip() and line.strip() not in record_text]
        assert not foreign_words("\n".join(stock), "hospital"), (seed, foreign_words("\n".join(stock), "hospital"))
        assert "教育教学" not in text and "机关高效运转" not in text


# --------------------------------------------------------------------------- typed labels, signature, points


RECORDS = """\
meta:
  organization: 某某中学
  period: 本学期
achievements:
  - heading: 一、重复编号测试
    items:
      - 1. 第一条
      - 2、第二条
  - heading: 二、第二类
    inline_items: paragraphs
    items:
      - 一是加强制度建设。修订了制度12项。
      - text: 二是强化培训
        details: [培训300人次]
plans:
  - （1）完成改造
"""


def test_typed_labels_are_stripped_with_a_notice_through_the_cli(tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    records = tmp_path / "记录.yaml"
    records.write_text(RECORDS, encoding="utf-8")
    out = tmp_path / "总结.md"
    assert main(["render", str(records), "-o", str(out), "--seed", "1"]) == 0
    text = out.read_text(encoding="utf-8")
    err = capsys.readouterr().err
    assert "一、重复编号测试" in text and "二、一、" not in text and "1、1." not in text
    assert "1、第一条" in text and "2、第二条" in text and "**一是加强制度建设。**修订了制度12项。" in text
    assert "**二是强化培训。**培训300人次。" in text and "一是一是" not in text
    assert "去掉了手写的编号" in err and "第 5 行" in err


@pytest.mark.parametrize(("heading", "needle"), [
    ("（一）重复编号测试", "是二级标题（（一））的编号，这里却是一级标题"),
    ("三、重复编号测试", "与位置不符：这里是第 1 项"),
])
def test_a_typed_label_that_contradicts_its_place_is_a_located_error(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], heading: str, needle: str) -> None:
    records = tmp_path / "记录.yaml"
    records.write_text(RECORDS.replace("一、重复编号测试", heading), encoding="utf-8")
    out = tmp_path / "总结.docx"
    assert main(["render", str(records), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert needle in err and "记录.yaml:5:" in err and not out.exists()


def test_signature_false_leaves_the_signature_out_through_the_cli(tmp_path: Path) -> None:
    records = tmp_path / "记录.yaml"
    records.write_text(RECORDS + "signature: false\n", encoding="utf-8")
    with_sig = tmp_path / "有落款.yaml"
    with_sig.write_text(RECORDS, encoding="utf-8")
    for path, signed in ((records, False), (with_sig, True)):
        out = tmp_path / f"{path.stem}.txt"
        assert main(["render", str(path), "-o", str(out), "--seed", "1"]) == 0
        last = out.read_text(encoding="utf-8").rstrip().splitlines()[-1]
        assert (last == "某某中学") is signed
    docx = tmp_path / "无落款.docx"
    assert main(["render", str(records), "-o", str(docx)]) == 0
    from .test_templates import docx_paragraphs

    assert "某某中学" not in [p.strip() for p in docx_paragraphs(docx.read_bytes())]


def test_inline_items_are_allowed_wherever_items_are() -> None:
    report = Report.model_validate({
        "achievements": [{"heading": "甲", "inline_items": "run_on", "items": ["乙", "丙"]}],
        "sections": [{"heading": "丁", "inline_items": "paragraphs", "items": ["戊。己。"]}],
        "problems": {"inline_items": True, "items": ["庚", "辛"]},
        "plans": {"inline_items": "paragraphs", "items": ["壬"]},
    })
    text = sk.to_markdown(sk.compose(report, "school_term", seed=1, ))
    assert "一是乙；二是丙。" in text and "**一是戊。**己。" in text and "一是庚；二是辛。" in text
    assert "**一是壬。**" in text
    with pytest.raises(Exception, match="inline_items"):
        Report.model_validate({"achievements": [{"heading": "甲", "inline_items": "每条编号"}]})


def test_gov_annual_prints_three_levels_and_bold_points() -> None:
    text = sk.to_markdown(sk.compose(sk.load(SAMPLE_DATA / "gov_annual.yaml"), seed=1))
    assert re.search(r"^## 一、2025年工作开展情况$", text, re.M)
    assert re.search(r"^### （一）聚焦节约型机关建设", text, re.M)
    assert "**一是健全节能管理制度。**修订《区级公共机构节能管理办法》" in text
    assert re.search(r"^## 三、2026年工作打算$", text, re.M) and "### （一）深入推进节约型机关建设" in text


def test_summary_plan_numbers_the_plan_on_and_composes_its_title() -> None:
    text = sk.to_markdown(sk.compose(sk.load(SAMPLE_DATA / "summary_plan.yaml"), seed=1))
    assert text.startswith("# 某某街道综合服务中心2025年工作总结和2026年工作安排\n")
    assert "## 三、2026年工作安排" in text and "### （一）深化“一网通办”" in text


def test_debriefing_speaks_to_the_audience_and_signs_with_the_name() -> None:
    text = sk.to_text(sk.compose(sk.load(SAMPLE_DATA / "debriefing.yaml"), seed=1))
    assert "各位领导、同志们：" in text and "廉洁自律情况" in text and "以上述职，请予评议。" in text
    assert "述职人：王某某" in text


# --------------------------------------------------------------------------- the CLI: templates and init by type


def test_the_templates_command_groups_by_organization_type(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["templates"]) == 0
    out = capsys.readouterr().out
    groups = re.findall(r"^【(.+?)[】（]", out, re.M)
    assert groups[:3] == ["学校", "高校", "医院"] and "通用" in groups
    hospital = out[out.index("【医院】"):out.index("【机关】")]
    assert "hospital_department\t" in hospital and "school_term" not in hospital
    assert "community_annual\t" in out[out.index("【社区】"):]
    assert main(["templates", "--json"]) == 0
    import json

    rows = {r["name"]: r["org_type"] for r in json.loads(capsys.readouterr().out)}
    assert rows["gov_annual"] == "机关" and rows["annual_general"] == "通用" and rows["school_term"] == "学校"


@pytest.mark.parametrize(("args", "template", "org_type"), [
    (["--type", "医院"], "hospital_department", "医院"),
    (["--org", "某某物业管理有限公司"], "annual_general", "物业"),
    (["--org", "某某社区党支部"], "community_annual", "党组织"),
    ([], "annual_general", "通用"),
])
def test_init_without_a_template_offers_the_types_own(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                      args: list[str], template: str, org_type: str) -> None:
    target = tmp_path / "新总结.yaml"
    assert main(["init", *args, "-o", str(target)]) == 0
    report = sk.load(target)
    assert report.meta.template == template and report.meta.org_type == org_type
    if "--org" in args:
        assert report.meta.organization == args[1]
    assert f"选用模板 {template}" in capsys.readouterr().err
    out = tmp_path / "新总结.md"
    assert main(["render", str(target), "-o", str(out), "--seed", "3"]) == 0
    assert not foreign_words(out.read_text(encoding="utf-8").replace(report.meta.organization or "", ""),
                             orgtype.tag_of(org_type)) - type_words(target.read_text(encoding="utf-8"))


def test_init_with_an_unknown_type_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["init", "--type", "医务", "-o", str(tmp_path / "x.yaml")]) == 2
    assert "不认识的单位类型" in capsys.readouterr().err and not (tmp_path / "x.yaml").exists()


def test_an_items_enumerator_is_stripped_only_where_it_agrees() -> None:
    from summarykit.records.labels import strip_typed_labels

    data = {"achievements": [{"heading": "甲", "items": ["一是加强管理", "三是指另一件事"]}]}
    notices, problems = strip_typed_labels(data, "x.yaml", lambda path: (None, None))
    assert data["achievements"][0]["items"] == ["加强管理", "三是指另一件事"]
    assert problems == [] and len(notices) == 1


def test_no_type_phrase_nearly_repeats_one_its_documents_can_also_use() -> None:
    """A phrase written for a type differs in content words from every phrase of the same category that a
    document of that type may also draw (the neutral ones and its type's own), so the chooser's overlap
    check never has to throw it away.  report_intro is one formula (现将……总结如下：) by nature, and the
    grammatical categories are words, not sentences: both are left out."""
    from summarykit.drafting.phrases import SIMILARITY_THRESHOLD, similarity

    bank = load_bank()
    words = bank.content_words()
    close = []
    for category in bank.categories():
        if category in GRAMMATICAL or category == "report_intro":
            continue
        phrases = bank.in_category(category)
        for index, first in enumerate(phrases):
            for second in phrases[index + 1:]:
                a, b = set(first.tags) & set(ORG_TAGS), set(second.tags) & set(ORG_TAGS)
                if not (a or b) or (a and b and not a & b):
                    continue  # two neutral ones (the bank before types), or never in one document
                if similarity(words[first.id], words[second.id]) >= SIMILARITY_THRESHOLD:
                    close.append((first.id, second.id))
    assert close == []


def test_render_tells_the_inferred_type_and_a_lead_in_left_out(tmp_path: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    records = tmp_path / "记录.yaml"
    records.write_text("meta:\n  organization: 某某县人民医院\nintro:\n  - 全年工作情况如下：\n"
                       "achievements:\n  - heading: 医疗质量\n    items: [甲]\n", encoding="utf-8")
    assert main(["render", str(records), "-o", str(tmp_path / "总结.txt")]) == 0
    err = capsys.readouterr().err
    assert "提示：" in err and "单位类型按“医院”处理" in err and "不再另加" in err
    assert (tmp_path / "总结.txt").read_text(encoding="utf-8").count("如下") == 1
