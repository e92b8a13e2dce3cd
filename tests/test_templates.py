"""The built-in templates: each reproduces its sample's numbering; users can find, start and extend them.

Fidelity is measured on what a reader sees: the numbered lines of the rendered DOCX (label kind,
number, start of the heading) must be those of the sample summary, in order, and nothing the
sample leaves unnumbered may come out numbered.  Wording around the facts may vary with the seed;
the numbering may not.
"""

from __future__ import annotations

import io
import json
import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path

import docx
import pytest
import yaml

import summarykit as sk
from summarykit.cli.commands.init import starter_path, starter_text
from summarykit.cli.main import main
from summarykit.drafting.templating import builtin_dir, enumerate_cn, list_templates, template_info
from summarykit.errors import TemplateError
from summarykit.zh.labels import parse_label

from .samples import SAMPLES_TXT, SOURCES, sample_body

REPO = Path(__file__).resolve().parents[1]
SAMPLE_DATA = REPO / "sample_data"
DOCS = REPO / "docs" / "templates.md"

BUILT_INS = ("agency_logistics", "library_reflection", "reform_review", "university_logistics",
             "school_term", "personal_summary", "survey_report",
             # genres by organization type (issue 15)
             "annual_general", "gov_annual", "summary_plan", "debriefing", "hospital_department",
             "company_department", "community_annual")

Numbered = tuple[str, int, str]


# --------------------------------------------------------------------------- reading numbered lines

# 范文2 numbers its closing list "1理清发展思路" with no punctuation after the digit.  Such a bare
# digit counts as the label "1." (kind n-dot) only on a short heading-like line: one or two digits
# followed by nothing but Chinese characters, the first of which is not a unit of the number
# (so "1983年，……" or "51岁以上" stay text).
_BARE_DIGIT = re.compile(r"^(\d{1,2})(?![年月日号个人次岁])([\u4e00-\u9fff]{2,20})$")


def _head(text: str, width: int = 6) -> str:
    """The first characters of a heading, with width, punctuation and spaces normalised away."""
    text = unicodedata.normalize("NFKC", text)
    kept = [c for c in text if not c.isspace() and not unicodedata.category(c).startswith(("P", "S"))]
    return "".join(kept)[:width]


def numbered_lines(lines: Iterable[str]) -> list[Numbered]:
    """(kind, number, head) of every line that starts with a numbering label."""
    found: list[Numbered] = []
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        label = parse_label(line)
        if label is None:
            bare = _BARE_DIGIT.match(line)
            if bare:
                label = ("n-dot", int(bare.group(1)), bare.group(2))
        if label is not None:
            kind, number, rest = label
            found.append((kind, number, _head(rest)))
    return found


def docx_paragraphs(data: bytes) -> list[str]:
    """Paragraph texts as a reader sees them (without the word joiners that bind numbers to units)."""
    return [p.text.replace("\u2060", "") for p in docx.Document(io.BytesIO(data)).paragraphs]


def rendered_numbered(records: Path, **options: object) -> list[Numbered]:
    return numbered_lines(docx_paragraphs(sk.render(records, seed=1, **options)))  # type: ignore[arg-type]


needs_samples = pytest.mark.skipif(not SAMPLES_TXT.is_file(),
                                   reason="the shared sample summaries are not beside the repository")


# --------------------------------------------------------------------------- fidelity


def test_the_label_reader_reads_what_the_samples_print() -> None:
    lines = ["一、学生食堂改革", "1、期初通过召开住宿生家长会", "(一)中央国家机关后勤", "1.机构设置情况。省局",
             "1理清发展思路", "1983年，中央书记处会议明确指出", "一是缺乏细化的服务标准；二是……", "第一阶段，实行",
             "2010年，学院承办了", "10%以上", "51岁以上\t9人", "3个", "[1]成长春.重视新建本科院校的发展"]
    assert numbered_lines(lines) == [("cn", 1, "学生食堂改革"), ("n-dun", 1, "期初通过召开"),
                                     ("paren-cn", 1, "中央国家机关"), ("n-dot", 1, "机构设置情况"),
                                     ("n-dot", 1, "理清发展思路")]


@needs_samples
def test_every_sample_is_found_in_the_samples_file() -> None:
    bodies = {name: sample_body(name) for name in SOURCES}
    assert bodies["school_term"].lstrip().startswith("本学期")
    assert "后勤工作总结2" not in bodies["school_term"]
    assert [k for k, n, _ in numbered_lines(bodies["school_term"].splitlines()) if k == "cn"] == ["cn"] * 7
    assert numbered_lines(bodies["personal_summary"].splitlines()) == []


@needs_samples
@pytest.mark.parametrize("name", sorted(SOURCES))
def test_rendered_numbering_equals_the_samples(name: str) -> None:
    expected = numbered_lines(sample_body(name).splitlines())
    actual = rendered_numbered(SAMPLE_DATA / f"{name}.yaml")
    assert actual == expected


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_numbering_does_not_depend_on_the_seed(seed: int) -> None:
    """Stock phrases vary with the seed; they are never numbered and never move a number."""
    records = SAMPLE_DATA / "school_term_2.yaml"
    assert numbered_lines(docx_paragraphs(sk.render(records, seed=seed))) == rendered_numbered(records)


def test_school_term_draws_its_stock_sentences_from_the_phrase_bank() -> None:
    texts = {sk.render(SAMPLE_DATA / "school_term.yaml", format="txt", seed=s).decode("utf-8") for s in range(1, 9)}
    assert len(texts) >= 6
    for text in texts:  # the facts stay put whatever the seed
        assert "为办公室添置办公桌7张，办公电脑5台，打印机3台。" in text


def test_problems_inline_keep_the_full_stops_of_items_that_hold_sentences() -> None:
    text = sk.render(SAMPLE_DATA / "reform_review.yaml", format="txt", seed=1).decode("utf-8")
    assert "没有分家。二是职能不明确。" in text
    assert "一是机关后勤管理职能和服务职能尚未完全彻底分开。" in text


def test_survey_report_subsections_run_in_and_keep_their_table() -> None:
    data = sk.render(SAMPLE_DATA / "survey_report.yaml", seed=1)
    paragraphs = docx_paragraphs(data)
    assert any(p.startswith("1.机构设置情况。省局园区") for p in paragraphs)
    table = docx.Document(io.BytesIO(data)).tables[0]
    # The unit every value shares is said once, in the header.
    assert [c.text for c in table.rows[0].cells] == ["年龄", "人数（人）", "占总数的比例（%）"]


def test_library_reflection_plans_have_no_heading_above_them() -> None:
    paragraphs = docx_paragraphs(sk.render(SAMPLE_DATA / "library_reflection.yaml", seed=1))
    first = next(i for i, p in enumerate(paragraphs) if p.startswith("1.理清发展思路"))
    assert paragraphs[first - 1] == "因此，我们后勤保障部门今后应该做到："


def test_personal_summary_is_signed_with_the_name() -> None:
    text = sk.render(SAMPLE_DATA / "personal_summary.yaml", format="txt", seed=1).decode("utf-8")
    assert text.rstrip().splitlines()[-2:] == ["某某某", "2011年12月28日"]


# --------------------------------------------------------------------------- enumerate_cn


def test_inline_items_holding_sentences_keep_their_full_stops() -> None:
    items = ["加强学习，提高素质。既要学习理论。", "加强制度建设。规范工作内容", "转变作风"]
    assert enumerate_cn(items) == "一是加强学习，提高素质。既要学习理论。二是加强制度建设。规范工作内容。三是转变作风。"
    assert enumerate_cn(["缺乏标准。", "缺乏程序"]) == "一是缺乏标准；二是缺乏程序。"
    assert enumerate_cn(["甲", "乙", "丙", "丁"], "首先") == "首先，甲；其次，乙；再次，丙；最后，丁。"


# --------------------------------------------------------------------------- discovery


def test_every_built_in_template_names_its_title_description_and_sample() -> None:
    infos = {i.name: i for i in list_templates()}
    assert set(BUILT_INS) <= set(infos)
    for name in BUILT_INS:
        info = infos[name]
        assert info.builtin and info.title != name and info.description
        assert "范文" in info.sample, name  # the genre templates name the sample they draw on


def test_the_templates_command_lists_name_title_description_and_sample(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["templates"]) == 0
    out = capsys.readouterr().out
    for name in BUILT_INS:
        info = template_info(name)
        assert f"{name}\t{info.title}" in out
        assert info.description in out and f"来源：{info.sample}" in out


# --------------------------------------------------------------------------- init


@pytest.mark.parametrize("name", BUILT_INS)
def test_init_writes_a_commented_starter_that_validates_and_renders(name: str, tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / f"{name}.yaml"
    assert main(["init", name, "-o", str(target)]) == 0
    text = target.read_text(encoding="utf-8")
    assert text.startswith("#") and text.count("#") >= 3, "a starter explains itself in comments"
    report = sk.load(target)
    assert report.notices == []
    assert report.meta.template == name
    assert main(["render", str(target), "-o", str(tmp_path / "out.docx")]) == 0
    assert (tmp_path / "out.docx").stat().st_size > 0
    assert "已生成" in capsys.readouterr().err


def test_every_built_in_template_ships_its_own_starter() -> None:
    for name in BUILT_INS:
        assert starter_path(name).parent == builtin_dir() / "starters"
        assert starter_path(name).stem == name


def test_init_never_overwrites_without_force(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "mine.yaml"
    target.write_text("我的记录\n", encoding="utf-8")
    assert main(["init", "school_term", "-o", str(target)]) == 2
    assert target.read_text(encoding="utf-8") == "我的记录\n"
    assert "--force" in capsys.readouterr().err
    assert main(["init", "school_term", "-o", str(target), "--force"]) == 0
    assert sk.load(target).meta.template == "school_term"


def test_init_to_stdout_and_default_file_name(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    assert main(["init", "survey_report", "-o", "-"]) == 0
    with_modeline = starter_text("survey_report", schema="records.schema.json")
    assert with_modeline.startswith("# yaml-language-server: $schema=records.schema.json\n")
    assert capsys.readouterr().out == with_modeline
    monkeypatch.chdir(tmp_path)
    assert main(["init", "survey_report"]) == 0
    assert (tmp_path / "survey_report.yaml").read_text(encoding="utf-8") == with_modeline
    assert json.loads((tmp_path / "records.schema.json").read_text(encoding="utf-8"))["title"] == "summarykit 记录文件"


@pytest.mark.parametrize(("name", "message"), [("nope", "找不到模板"), ("../school_term", "不合法"),
                                               ("builtin/school_term", "不合法")])
def test_init_refuses_unknown_names_and_paths(name: str, message: str, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["init", name, "-o", str(tmp_path / "x.yaml")]) == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "x.yaml").exists()


def test_a_user_template_without_a_starter_gets_the_generic_one(tmp_path: Path) -> None:
    (tmp_path / "clinic.j2").write_text('{% extends "_base.j2" %}\n', encoding="utf-8")
    text = starter_text("clinic", [str(tmp_path)])
    assert "template: clinic" in text and "__TEMPLATE__" not in text
    report = sk.loads(text)
    assert report.meta.template == "clinic"
    assert sk.render(report, format="md", templates=[tmp_path]).decode("utf-8").startswith("# 某某单位")


def test_a_user_folder_may_ship_starters_for_its_templates(tmp_path: Path) -> None:
    (tmp_path / "clinic.j2").write_text('{% extends "_base.j2" %}\n', encoding="utf-8")
    (tmp_path / "starters").mkdir()
    (tmp_path / "starters" / "clinic.yaml").write_text("meta:\n  template: clinic\n", encoding="utf-8")
    assert starter_text("clinic", [str(tmp_path)]) == "meta:\n  template: clinic\n"


# --------------------------------------------------------------------------- users' own templates

HEADER = "{#---\ntitle: 测试模板\nnumbering: school\ntags: [school, plain]\n---#}\n"


def _markdown(records: Path | sk.Report, **options: object) -> str:
    return sk.render(records, format="md", seed=1, **options).decode("utf-8")  # type: ignore[arg-type]


def test_a_user_template_extends_a_built_in_and_overrides_one_block(tmp_path: Path) -> None:
    (tmp_path / "strict_term.j2").write_text(
        HEADER + '{% extends "school_term.j2" %}\n'
        "{% block problems %}\n# 工作中的不足\n{{ m.items(report.problems[\"items\"], 3, inline=true) }}\n{% endblock %}\n",
        encoding="utf-8")
    records = SAMPLE_DATA / "school_term.yaml"
    built_in = _markdown(records)
    mine = _markdown(records, template="strict_term", templates=[tmp_path])
    assert "## 七、工作中的不足" in mine and "一是学校水、电浪费现象较为严重；二是免费循环使用教材回收率不够。" in mine
    assert "七、存在问题" in built_in and "七、存在问题" not in mine
    # Everything before the overridden block is the built-in's, word for word.
    assert mine.split("## 七、")[0] == built_in.split("## 七、")[0]


def test_a_same_named_user_template_shadows_the_built_in_and_may_extend_it(tmp_path: Path) -> None:
    (tmp_path / "school_term.j2").write_text(
        HEADER + '{% extends "builtin/school_term.j2" %}\n{% block closing %}\n特此总结。\n{% endblock %}\n',
        encoding="utf-8")
    mine = _markdown(SAMPLE_DATA / "school_term.yaml", templates=[tmp_path])
    assert "特此总结。" in mine and "后勤工作千头万绪" not in mine
    assert "## 一、学生食堂改革" in mine
    info = template_info("school_term", [str(tmp_path)])
    assert not info.builtin and info.path == str(tmp_path / "school_term.j2")


def test_the_cli_takes_user_template_folders(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "brief.j2").write_text(
        "{#---\ntitle: 简报\ndescription: 只列标题\nsample: 自拟\n---#}\n"
        '{% extends "_base.j2" %}\n{% block closing %}{% endblock %}\n', encoding="utf-8")
    assert main(["templates", "--templates", str(folder)]) == 0
    out = capsys.readouterr().out
    assert "brief（自定义）\t简报" in out and "school_term\t" in out
    output = tmp_path / "out.md"
    assert main(["render", str(SAMPLE_DATA / "school_term_3.yaml"), "-o", str(output),
                 "--template", "brief", "--templates", str(folder)]) == 0
    assert "总之，后勤工作还有很多不足" not in output.read_text(encoding="utf-8")


@pytest.mark.parametrize(("source", "line"), [
    ('{% extends "_base.j2" %}\n{% block closing %}\n\n{{ report.closnig }}\n{% endblock %}\n', 4),
    ('{% extends "_base.j2" %}\n{% block closing %}\n{% if %}\n{% endblock %}\n', 3),
    ('{% extends "_base.j2" %}\n{% block closing %}{{ report.closing | no_such_filter }}{% endblock %}\n', 2),
])
def test_template_errors_name_the_file_and_line(tmp_path: Path, source: str, line: int) -> None:
    (tmp_path / "broken.j2").write_text(source, encoding="utf-8")
    with pytest.raises(TemplateError) as caught:
        sk.compose(sk.load(SAMPLE_DATA / "school_term.yaml"), "broken", templates=[str(tmp_path)])
    assert f"broken.j2:{line}" in str(caught.value)


@pytest.mark.parametrize("name", ["../school_term", "builtin/school_term", "/etc/passwd", "school_term.j2"])
def test_template_names_that_are_paths_are_refused(name: str) -> None:
    with pytest.raises(TemplateError, match="不合法"):
        sk.compose(sk.load(SAMPLE_DATA / "school_term.yaml"), name)


def test_a_template_cannot_extend_a_file_outside_the_template_folders(tmp_path: Path) -> None:
    (tmp_path / "secret.j2").write_text("机密\n", encoding="utf-8")
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "sneaky.j2").write_text('{% extends "../secret.j2" %}\n', encoding="utf-8")
    with pytest.raises(TemplateError):
        sk.compose(sk.load(SAMPLE_DATA / "school_term.yaml"), "sneaky", templates=[str(folder)])


# --------------------------------------------------------------------------- the genre's variants

COMBINED = """
meta:
  template: school_term
  organization: 某某医院
  department: 后勤保障部
  period: 2025年
  next_period: 2026年
  subject: 后勤
  kind: 工作总结和2026年工作计划
achievements:
  - heading: 设备维修
    items: [全年完成维修1260次。]
problems:
  - 维修响应还不够快。
plans:
  heading: 2026年工作计划
  items: [推行维修网上报修。, 完成锅炉房改造。]
"""


def test_a_combined_summary_and_plan(tmp_path: Path) -> None:
    doc = sk.compose(sk.loads(COMBINED), seed=3)
    assert doc.title == "某某医院后勤保障部2025年后勤工作总结和2026年工作计划"
    md = sk.to_markdown(doc)
    assert [h.label + h.text for h in doc.headings()] == ["一、设备维修", "二、存在问题", "三、2026年工作计划"]
    plans = md.split("## 三、2026年工作计划")[1].split("\n\n")
    assert plans[1].endswith("：") and plans[2] == "1、推行维修网上报修。"


SPEECH_THREE_LEVELS = """
meta:
  title: 在2025年后勤工作总结会上的讲话
  audience: 各位领导、同志们：
sections:
  - heading: 2025年工作回顾
    subsections:
      - heading: 保障能力明显增强
        paragraphs: [一年来，我们重点抓了三件事：]
        inline_items: true
        items: [完成食堂改造, 更新供暖管网, 建成报修平台]
      - heading: 管理水平稳步提高
        items: [修订后勤管理制度12项。]
  - heading: 2026年工作安排
    subsections:
      - heading: 抓好节能改造。
        run_in: true
        paragraphs: [完成照明节能改造，全年节电10%以上。]
"""


def test_an_audience_and_three_levels_with_inline_enumeration() -> None:
    data = sk.render(sk.loads(SPEECH_THREE_LEVELS), seed=1, template="agency_logistics")
    paragraphs = docx_paragraphs(data)
    assert paragraphs[0] == "在2025年后勤工作总结会上的讲话"
    assert "各位领导、同志们：" in paragraphs[1:3]
    assert "一年来，我们重点抓了三件事：一是完成食堂改造；二是更新供暖管网；三是建成报修平台。" in paragraphs
    assert [(k, n) for k, n, _ in numbered_lines(paragraphs)] == [
        ("cn", 1), ("paren-cn", 1), ("paren-cn", 2), ("n-dot", 1), ("cn", 2), ("paren-cn", 1)]
    assert "（一）抓好节能改造。完成照明节能改造，全年节电10%以上。" in paragraphs


BY_MONTH = """
meta: {organization: 某某医院, period: 2025年, subject: 后勤, template: school_term}
achievements:
  - heading: 设备维修
    paragraphs: [全年共完成维修1260次，各季度情况见下表。]
    tables:
      - caption: 2025年各季度维修次数
        columns: [季度, 维修次数, 其中急修]
        rows:
          - [第一季度, 300, 40]
          - [第二季度, 310, 35]
          - [第三季度, 330, 52]
          - [第四季度, 320, 33]
          - [合计, 1260, 160]
        note: 数据来自报修平台。
"""


def test_a_total_broken_down_by_month_or_branch_becomes_a_table() -> None:
    data = sk.render(sk.loads(BY_MONTH), seed=1)
    table = docx.Document(io.BytesIO(data)).tables[0]
    rows = [[c.text for c in r.cells] for r in table.rows]
    assert rows[0] == ["季度", "维修次数", "其中急修"] and rows[-1] == ["合计", "1260", "160"]
    assert sum(int(r[1]) for r in rows[1:-1]) == int(rows[-1][1])
    paragraphs = docx_paragraphs(data)
    assert any("2025年各季度维修次数" in p for p in paragraphs)
    assert numbered_lines(paragraphs) == [("cn", 1, "设备维修")]


# --------------------------------------------------------------------------- docs/templates.md


def _doc_files() -> dict[str, str]:
    """Code blocks of docs/templates.md that carry a file name: ```yaml file=hospital.yaml."""
    text = DOCS.read_text(encoding="utf-8")
    blocks = re.findall(r"^```\w+ file=(\S+)\n(.*?)^```$", text, flags=re.M | re.S)
    return dict(blocks)


def test_the_guide_tables_every_built_in_template_with_its_sample() -> None:
    text = DOCS.read_text(encoding="utf-8")
    for name in BUILT_INS:
        row = next((line for line in text.splitlines() if line.startswith("|") and f"`{name}`" in line), "")
        assert template_info(name).sample.split("·")[0] in row, name


def test_the_walk_through_renders_as_written(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Follow docs/templates.md as a new user: copy its files, run its commands, get a document."""
    files = _doc_files()
    assert any(f.endswith(".j2") for f in files) and any(f.endswith(".yaml") for f in files)
    for relative, content in files.items():
        path = tmp_path / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
    records = next(tmp_path / f for f in files if f.endswith(".yaml"))
    folder = next((tmp_path / f).parent for f in files if f.endswith(".j2"))
    assert yaml.safe_load(records.read_text(encoding="utf-8"))["meta"]["template"]
    assert main(["validate", str(records)]) == 2, "the template is in the folder validate was not told about"
    assert main(["validate", str(records), "--templates", str(folder)]) == 0
    output = tmp_path / "总结.docx"
    assert main(["render", str(records), "-o", str(output), "--templates", str(folder)]) == 0
    paragraphs = docx_paragraphs(output.read_bytes())
    kinds = [k for k, _, _ in numbered_lines(paragraphs)]
    assert kinds.count("cn") >= 3 and ("n-dun" in kinds or "n-dot" in kinds)
    assert not any("{" in p or "::" in p for p in paragraphs), "no template code leaks into the document"
