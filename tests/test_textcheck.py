"""Specification of `summarykit check`: keywords and writing checks.

Each fault a reviewer marks in red is planted in a small text and must be
reported with its code and its place; correct writing that looks like a fault
(3.5, 9:30, ISO9001:2000, 2025—2026学年, 一方面, 三五天, 第五届, 一是……) must not be.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from summarykit.errors import RecordsError, SummaryKitError
from summarykit.tools.textcheck import (
    CODES,
    CheckInputError,
    CheckResult,
    Finding,
    check_docx,
    check_file,
    check_records,
    check_text,
    extract_keywords,
)

REPO = Path(__file__).resolve().parents[1]
SAMPLE_DATA = REPO / "sample_data"
SAMPLES = Path(__file__).resolve().parents[2] / "shared" / "samples" / "six_sample_summaries.txt"


def found(result: CheckResult, code: str) -> list[Finding]:
    return [f for f in result.findings if f.code == code]


def wheres(result: CheckResult, code: str) -> list[str]:
    return [f.where for f in found(result, code)]


# --------------------------------------------------------------------------- planted faults, one code each

PLANTED = [
    # (code, text, where of the fault)
    ("punctuation", "本学期完成了校舍维修,更换门窗12扇。", "t.txt:1:11"),
    ("punctuation", "第一段没有问题。\n主要做了三件事:一是维修。", "t.txt:2:8"),
    ("punctuation", "(一)加强食堂管理", "t.txt:1:1"),
    ("punctuation", "组织“人普编码员完成了任务。", "t.txt:1:3"),
    ("punctuation", "经费紧张的问题仍然存在...", "t.txt:1:12"),
    ("punctuation", "坚持\"以人为本\"的理念。", "t.txt:1:3"),
    ("punctuation", "完成了任务.", "t.txt:1:6"),
    ("repetition", "我们我们要做好服务。", "t.txt:1:3"),
    ("repetition", "我们认真做好后勤保障工作。我们认真做好后勤保障工作。", "t.txt:1:14"),
    ("repetition", "组织人员对对教室玻璃进行了更换。", "t.txt:1:6"),
    ("repetition", "完善了食堂卫生检查制度和考核办法，效果明显。\n今年还完善了食堂卫生检查制度和考核办法，受到好评。", "t.txt:2:4"),
    ("number-range", "食堂每餐准备3-5个菜品。", "t.txt:1:7"),
    ("number-range", "节约经费10～20%。", "t.txt:1:5"),
    ("number-range", "投入13～17万元改造锅炉。", "t.txt:1:3"),
    ("number-range", "2025-2026学年第一学期", "t.txt:1:1"),
    ("number-range", "准备3~5个菜品。", "t.txt:1:3"),
    ("numerals", "为办公室添置办公桌七张，办公电脑5台。", "t.txt:1:10"),
    ("numerals", "全年用电量下降百分之十三。", "t.txt:1:8"),
    ("numerals", "投入资金五万元。", "t.txt:1:5"),
    ("numerals", "全校共有二百三十五名教职工。", "t.txt:1:5"),
    ("numerals", "铺设管道三百米。", "t.txt:1:5"),
    ("numerals", "新建门卫厨房两间。", "t.txt:1:7"),
    ("numerals", "另1方面，要加强管理。", "t.txt:1:2"),
    ("numerals", "办公电脑５台。", "t.txt:1:5"),
    ("date", "2026-01-05召开了后勤工作会议。", "t.txt:1:1"),
    ("date", "会议于2026年01月05日召开。", "t.txt:1:4"),
    ("date", "二〇二六年一月二十日", "t.txt:1:1"),
    ("date", "定于2026/1/5开会。", "t.txt:1:3"),
    ("date", "26年1月5日开会。", "t.txt:1:1"),
    ("wording", "与供货单位签定了采购合同。", "t.txt:1:6"),
    ("wording", "截止2025年底，共维修桌椅300套。", "t.txt:1:1"),
    ("wording", "报名时间已经截至。", "t.txt:1:7"),
]


@pytest.mark.parametrize(("code", "text", "where"), PLANTED, ids=[f"{c}-{i}" for i, (c, _, _) in enumerate(PLANTED)])
def test_planted_fault_is_reported_with_its_place(code: str, text: str, where: str) -> None:
    result = check_text(text, name="t.txt")
    assert where in wheres(result, code), [str(f) for f in result.findings]


def test_findings_say_what_to_write_instead() -> None:
    result = check_text("食堂每餐准备3-5个菜品，节约经费10～20%。", name="t.txt")
    suggestions = [f.suggestion for f in found(result, "number-range")]
    assert any("3～5" in s for s in suggestions)
    assert any("10%～20%" in s for s in suggestions)
    punct = check_text("完成了维修,更换门窗。").findings[0]
    assert punct.suggestion == "改为全角“，”"
    assert "维修,更换" in punct.excerpt
    assert punct.where == "<输入>:1:6"


def test_long_sentence_uses_the_configured_limit() -> None:
    sentence = "我们" + "认真做好学校后勤保障服务" * 10 + "。"  # 122 characters, no pause
    default = check_text(sentence, name="t.txt")
    assert wheres(default, "long-sentence") == ["t.txt:1:1"]
    assert not found(check_text(sentence, max_sentence=200), "long-sentence")
    short = check_text("第一句很短。第二句也很短，但是比上限长。", name="t.txt", max_sentence=10)
    assert wheres(short, "long-sentence") == ["t.txt:1:7"]


def test_semicolons_make_an_enumeration_readable() -> None:
    clauses = "；".join(f"{n}是认真做好学校后勤保障服务工作，确保各项工作顺利进行" for n in "一二三四五")
    assert len(clauses) > 120
    assert not found(check_text(clauses + "。"), "long-sentence")


def test_empty_and_missing_sections_in_a_text_summary() -> None:
    text = "\n".join([
        "某某中学后勤工作总结",
        "一、主要工作",
        "本学期完成了校舍维修。",
        "二、存在问题",
        "三、下一步打算",
        "继续做好服务。",
    ])
    result = check_text(text, name="t.txt")
    assert wheres(result, "empty-section") == ["t.txt:4:1"]
    no_plans = check_text("\n".join(["一、主要工作", "完成了维修。", "二、存在问题", "经费不足。"]), name="t.txt")
    assert [f.message for f in found(no_plans, "empty-section")] == ["总结里没有“下一步打算”部分"]


def test_a_fragment_without_headings_is_not_asked_for_sections() -> None:
    assert not found(check_text("本学期完成了校舍维修。"), "empty-section")


# --------------------------------------------------------------------------- no false alarms

CORRECT = [
    "平均增长3.5个百分点，每天9:30开始供餐。",
    "以ISO9001:2000质量管理体系为平台，建立质量保证体系。",
    "详见网站http://www.example.com/a,b?x=1:2，也可发邮件到admin@example.com。",
    "某某中学2025—2026学年第一学期后勤工作总结",
    "一方面要加强管理，另一方面要改善服务。",
    "三五天就能完成，七八个人就够了。",
    "第五届教代会顺利召开。",
    "一是加强管理；二是改善服务；三是节约经费。",
    "1、期初召开了住宿生家长会。",
    "1.机构设置情况。省局园区占地面积大。",
    "先后派出两名后勤同志参加培训，办好两件大事。",
    "共投入经费3,500元，节约10%～20%，投入13万～17万元。",
    "详见表1-2和图3-1。",
    "联系电话0791-88888888。",
    "文章编号1672-4496(2011)04-0094-03。",
    "2026年1月20日，全体后勤人员参加了培训。",
    "截至2025年底，报名截止日期是1月5日。",
    "以百分之百的努力，三番五次地强调，践行“三个代表”重要思想。",
    "从3个方面入手，连续3年获评先进，发生事故1起。",
    "“准、细、实、深”，《后勤管理办法》（试行）。",
    "9:30—11:30开会，1—2月完成，2011年2月3日—10日检查。",
    "全校有一年级学生200人，三年级学生180人。",
    "大家研究研究，常常实实在在地做，不要不了了之。",
    "按GB/T 15835-2011执行，截止到2025年底，3至5天完成。",
    "每人一份，人手一册，取得前三名，七八个人。",
]


@pytest.mark.parametrize("text", CORRECT)
def test_correct_writing_raises_no_alarm(text: str) -> None:
    result = check_text(text)
    alarms = [str(f) for f in result.findings if f.code in {"punctuation", "numerals", "number-range", "date",
                                                             "wording", "repetition"}]
    assert alarms == []


def test_references_keep_their_latin_punctuation() -> None:
    text = "[1]成长春.重视新建本科院校的发展[N].中国教育报,2009,1,23."
    assert check_text(text).findings == []


def sample_records() -> list[Path]:
    return sorted(SAMPLE_DATA.glob("*.yaml")) + sorted(SAMPLE_DATA.glob("*.yml"))


@pytest.mark.skipif(not sample_records(), reason="sample_data/ 里还没有记录文件")
def test_sample_records_raise_no_punctuation_or_numerals_false_alarms() -> None:
    for path in sample_records():
        try:
            result = check_records(path)
        except RecordsError:
            continue  # a file another test is about; not this check's business
        alarms = [str(f) for f in result.findings if f.code in {"punctuation", "numerals"}]
        assert alarms == [], path.name


# --------------------------------------------------------------------------- keywords


def test_keywords_come_from_the_text_without_filler_or_numbers() -> None:
    text = ("我们进一步加强后勤保障工作，完善物业管理制度，推进后勤服务社会化改革。"
            "物业管理实行合同制，后勤保障经费2025年增加了300万元。社会化改革取得成效。") * 3
    keywords = extract_keywords(text, top=5)
    assert len(keywords) == 5
    assert {"后勤保障", "物业管理", "社会化"} <= set(keywords)  # kept whole by the user dictionary
    assert not {"工作", "我们", "进一步"} & set(keywords)
    assert not any(re.search(r"\d", k) for k in keywords)
    assert extract_keywords(text, top=2) == keywords[:2]
    assert extract_keywords("", top=5) == []


@pytest.mark.skipif(not SAMPLES.exists(), reason="范文文件不在 ../shared/samples/")
def test_top_keywords_of_the_six_samples_include_houqin() -> None:
    text = SAMPLES.read_text(encoding="utf-8")
    assert "后勤" in extract_keywords(text, top=5)


# --------------------------------------------------------------------------- records, DOCX, text files


RECORDS = """\
meta:
  title: 某某中学后勤工作总结
  date: 2026-01-20
keywords: auto
intro:
  - 本学期完成了校舍维修,更换门窗12扇。
  - "食堂每餐准备3-5个菜品。"
  - |
    第一行没有问题。
    第二行与供货单位签定了合同。
  - 这一段写得很长，
    折到了第二行,这里有半角逗号。
achievements:
  - heading: 财产添置
    items:
      - text: 为办公室添置办公桌七张，办公电脑5台。
problems: []
"""


def test_records_findings_point_at_the_line_and_column_as_written(tmp_path: Path) -> None:
    path = tmp_path / "r.yaml"
    path.write_text(RECORDS, encoding="utf-8")
    result = check_records(path)
    name = str(path)
    # half-width punctuation that render repairs: one summary line, at the first place (a plain scalar)
    assert wheres(result, "punctuation")[:1] == [f"{name}:6:15"]
    assert any("处半角标点" in f.message for f in found(result, "punctuation"))
    assert wheres(result, "number-range") == [f"{name}:7:12"]  # inside double quotes
    assert wheres(result, "wording") == [f"{name}:10:13"]  # second line of a literal block
    assert wheres(result, "numerals") == [f"{name}:16:24"]  # value of a mapping key
    lines = RECORDS.splitlines()
    for finding in result.findings:
        parts = finding.where.rsplit(":", 2)
        if len(parts) == 3 and finding.code in {"punctuation", "number-range", "wording", "numerals"}:
            line, column = int(parts[1]), int(parts[2])
            assert lines[line - 1][column - 1] in finding.excerpt


def test_records_empty_and_missing_parts(tmp_path: Path) -> None:
    path = tmp_path / "r.yaml"
    path.write_text(RECORDS, encoding="utf-8")
    sections = found(check_records(path), "empty-section")
    assert [f.where for f in sections] == [f"{path}:1", f"{path}:17:1"]
    assert "下一步打算" in sections[0].message and "存在问题" in sections[1].message


def test_records_of_a_survey_report_need_no_plans(tmp_path: Path) -> None:
    path = tmp_path / "r.yaml"
    path.write_text("meta:\n  kind: 调研报告\nintro:\n  - 调研了三个单位。\n", encoding="utf-8")
    assert not found(check_records(path), "empty-section")


def test_records_with_broken_yaml_raise_a_records_error(tmp_path: Path) -> None:
    path = tmp_path / "r.yaml"
    path.write_text("intro:\n  - a\n - b\n", encoding="utf-8")
    with pytest.raises(RecordsError):
        check_records(path)


def test_docx_findings_are_located_by_paragraph(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_heading("某某中学后勤工作总结", 0)
    document.add_paragraph("")  # empty paragraphs are not counted, as in Word's statistics
    document.add_heading("一、主要工作", 1)
    document.add_paragraph("本学期完成了校舍维修,更换门窗12扇。")
    document.add_heading("二、存在问题", 1)
    document.add_heading("三、下一步打算", 1)
    document.add_paragraph("2026-01-05前完成。")
    path = tmp_path / "out.docx"
    document.save(str(path))
    result = check_file(path)
    assert wheres(result, "punctuation") == ["第3段"]
    assert wheres(result, "empty-section") == ["第4段"]
    assert wheres(result, "date") == ["第6段"]
    assert check_docx(path) == result


def test_text_files_may_be_gbk(tmp_path: Path) -> None:
    path = tmp_path / "gbk.txt"
    path.write_bytes("完成了维修,更换门窗。".encode("gb18030"))
    assert wheres(check_file(path), "punctuation") == [f"{path}:1:6"]


@pytest.mark.parametrize("content", [None, b"\x00\x01binary", b"not a zip"])
def test_unreadable_input_raises_a_summarykit_error(tmp_path: Path, content: bytes | None) -> None:
    path = tmp_path / ("x.docx" if content == b"not a zip" else "x.txt")
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(SummaryKitError):
        check_file(path)
    assert issubclass(CheckInputError, SummaryKitError)


def test_result_as_json_data() -> None:
    data = check_text("完成了维修,更换门窗。", name="t.txt").to_dict()
    assert set(data) == {"keywords", "findings"}
    assert data["findings"][0] == {"code": "punctuation", "message": "中文里用了半角逗号“,”", "where": "t.txt:1:6",
                                   "excerpt": "完成了维修,更换门窗。", "suggestion": "改为全角“，”"}
    assert all(f["code"] in CODES for f in data["findings"])


# --------------------------------------------------------------------------- command line


def run_check(path: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, str]:
    from summarykit.cli.commands import check

    parser = argparse.ArgumentParser()
    check.register(parser.add_subparsers())
    args = parser.parse_args(["check", str(path), *extra])
    status = args.func(args)
    return status, capsys.readouterr().out


def test_cli_prints_findings_in_chinese_and_exits_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "t.txt"
    path.write_text("完成了维修,更换门窗。\n", encoding="utf-8")
    status, out = run_check(path, capsys)
    assert status == 0
    assert f"{path}:1:6" in out and "标点" in out and "建议：改为全角“，”" in out


def test_cli_json_and_strict(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    faulty = tmp_path / "t.txt"
    faulty.write_text("食堂每餐准备3-5个菜品。\n", encoding="utf-8")
    status, out = run_check(faulty, capsys, "--json", "--strict")
    assert status == 3  # EXIT_FINDINGS: 1 is for internal errors
    data = json.loads(out)
    assert [f["code"] for f in data["findings"]] == ["number-range"]
    clean = tmp_path / "ok.txt"
    clean.write_text("本学期完成了校舍维修。\n", encoding="utf-8")
    status, out = run_check(clean, capsys, "--strict")
    assert status == 0 and "未发现问题" in out


def test_cli_max_sentence(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "t.txt"
    path.write_text("第一句很短。第二句也很短，但是比上限长。\n", encoding="utf-8")
    status, out = run_check(path, capsys, "--json", "--max-sentence", "10")
    assert status == 0
    assert [f["where"] for f in json.loads(out)["findings"]] == [f"{path}:1:7"]
    with pytest.raises(SystemExit):
        run_check(path, capsys, "--max-sentence", "0")


def test_console_script_check(tmp_path: Path) -> None:
    path = tmp_path / "t.txt"
    path.write_text("完成了维修,更换门窗。\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "summarykit", "check", str(path), "--strict", "--json"],
                          capture_output=True, text=True, encoding="utf-8", check=False)
    assert done.returncode == 3, done.stderr  # EXIT_FINDINGS
    assert json.loads(done.stdout)["findings"][0]["where"] == f"{path}:1:6"
    missing = subprocess.run([sys.executable, "-m", "summarykit", "check", str(tmp_path / "no.txt")],
                             capture_output=True, text=True, encoding="utf-8", check=False)
    assert missing.returncode == 2 and "找不到" in missing.stderr


# --------------------------------------------------------------------------- jieba: lazy, cached, quiet, fast


def test_importing_summarykit_does_not_import_jieba() -> None:
    code = ("import sys, summarykit, summarykit.tools.textcheck, summarykit.cli.commands.check\n"
            "assert 'jieba' not in sys.modules, 'jieba imported'\n"
            "summarykit.tools.textcheck.extract_keywords('后勤保障')\n"
            "assert 'jieba' in sys.modules\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr


def test_jieba_cache_goes_to_the_user_cache_folder_quietly(tmp_path: Path) -> None:
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path)}
    code = "from summarykit.tools.textcheck import extract_keywords; print(extract_keywords('后勤保障和物业管理', top=2))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""  # jieba's "Building prefix dict ..." is silenced
    assert list((tmp_path / "summarykit").glob("jieba-*.cache"))


def test_checking_a_sample_takes_under_a_second_once_loaded() -> None:
    records = SAMPLE_DATA / "school_term.yaml"
    if records.exists():
        check = lambda: check_records(records)  # noqa: E731
    elif SAMPLES.exists():
        text = SAMPLES.read_text(encoding="utf-8")[:10_000]
        check = lambda: check_text(text)  # noqa: E731
    else:
        pytest.skip("没有可用的样本")
    extract_keywords("后勤保障")  # load the dictionary first
    start = time.perf_counter()
    check()
    assert time.perf_counter() - start < 1.0


def test_recommendations_of_a_survey_count_as_plans() -> None:
    text = "一、基本情况\n现有职工97人。\n二、存在的问题\n观念不新。\n三、对策建议\n逐步推进后勤服务社会化。\n"
    assert "empty-section" not in {f.code for f in check_text(text, name="调研.txt").findings}
