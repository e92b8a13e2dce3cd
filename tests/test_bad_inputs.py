"""The catalogue of bad inputs: every mistake office staff make ends in a clear message, never a loss.

Each row below is one way a records file (or a command line) can be wrong, with
the message fragment the user must see, the line it must point at, and the
exit status.  Every row is run through the installed `summarykit` console
script, as users run it: `summarykit render` into a folder that already holds
an output file (which must come out byte-for-byte untouched, with no new or
temporary file beside it), and `summarykit validate`.  No message may be a
Python traceback.  docs/errors.md lists the same messages for users.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "sample_data" / "school_term.yaml"
PREVIOUS = b"previous output: must survive every failure"

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
problems:
  - 学校水、电浪费现象较为严重。
"""


def _docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def _alias_bomb() -> str:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 9):
        name, previous = chr(97 + i), chr(96 + i)
        lines.append(f"{name}: &{name} [{', '.join(['*' + previous] * 10)}]")
    lines.append("meta: {organization: *i}")
    return "\n".join(lines) + "\n"


def _deep() -> str:
    return "".join("  " * depth + f"k{depth}:\n" for depth in range(80)) + "  " * 80 + "v: 1\n"


@dataclass(frozen=True)
class Case:
    """One bad input: what the user wrote, and what they must be told."""

    id: str
    content: str | bytes | Callable[[], str | bytes] | None  # None: the records path does not exist
    fragment: str  # must appear in the message
    line: int | None = None  # the message must point at PATH:line
    status: int = 2
    directory: bool = False  # the "records file" is a folder
    args: tuple[str, ...] = ()  # extra render arguments; {dir} is the case's folder
    output: str = "existing.docx"  # render -o target, relative to the case's folder
    validate: bool = True  # also run `summarykit validate` (not for command-line mistakes)
    detail: str = ""  # more that the message must say (not looked for in docs/errors.md)

    def data(self) -> bytes | None:
        content = self.content() if callable(self.content) else self.content
        return content.encode("utf-8") if isinstance(content, str) else content


METRICS = "achievements:\n  - heading: 维修\n    metrics:\n"

CATALOGUE: list[Case] = [
    # ---------------------------------------------------------------- not a records file at all
    Case("missing-file", None, "找不到这个文件"),
    Case("a-folder", None, "这是一个文件夹，不是记录文件", directory=True),
    Case("empty-file", "", "文件是空的"),
    Case("only-whitespace", "\n   \n\n", "文件是空的"),
    Case("only-comments", "# 记录文件\n# 还没写\n", "只有注释"),
    Case("word-document", _docx_bytes, "Word 文档（.docx），不是记录文件"),
    Case("pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "PDF 文件，不是记录文件"),
    Case("old-word-document", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512), "旧版 Word/Excel/WPS 文件"),
    Case("binary-file", bytes(range(256)) * 4, "这不是文本文件"),
    Case("over-size-limit", lambda: "intro:\n" + "  - " + "很长的一段正文。" * 400_000 + "\n", "文件太大"),
    Case("prose-not-yaml", "本学期，学校后勤工作以争先创优为指导，各项工作稳步推进，取得了一定成绩。\n",
         "看起来是直接写的正文", line=1),
    Case("top-level-list", "- 本学期工作\n- 下学期打算\n", "文件顶层是一个列表", line=1),
    Case("top-level-number", "2026\n", "文件顶层必须是“键: 值”的形式", line=1),
    # ---------------------------------------------------------------- encodings
    Case("damaged-utf8", GOOD.encode("utf-8").replace("稳步".encode(), b"\xe7\xa8\xff\xfe"), "损坏的字符", line=7),
    Case("big5-encoded", "meta:\n  organization: 某某中學\nintro:\n  - 本學期工作順利。\n".encode("big5"),
         "文件编码无法识别"),
    # ---------------------------------------------------------------- YAML layout
    Case("tab-indent", "meta:\n\torganization: 某某中学\n", "制表符（Tab）", line=2),
    Case("full-width-colon", "meta：\n  organization: 某某中学\n", "全角冒号", line=1),
    Case("full-width-colon-nested", "meta:\n  organization： 某某中学\n  period: 2026年\n", "全角冒号", line=2),
    Case("full-width-space-indent", "meta:\n\u3000\u3000organization: 某某中学\n", "全角空格缩进", line=2),
    Case("no-break-space-indent", "meta:\n\u00a0\u00a0organization: 某某中学\n", "不换行空格", line=2),
    Case("indent-too-deep", "meta:\n  organization: 某某中学\n   period: 2026年\n", "缩进比上面同一层的键多", line=3),
    Case("indent-too-shallow", "meta:\n  organization: 某某中学\n period: 2026年\n", "缩进不对", line=3),
    Case("list-item-misaligned", "intro:\n  - 第一段\n   - 第二段\n", "被并进了上一行的文字里", line=3),
    Case("continuation-without-dash", "intro:\n  - 第一段\n  第二段\nplans: [a]\n", "也不是以“- ”开头的列表项", line=3),
    Case("no-space-after-colon", "meta:\n  organization:某某中学\n", "冒号后面少了空格", line=1),
    Case("dash-without-space", "intro:\n  -本学期工作稳步推进\n", "“-”后面要有一个空格", line=1),
    # ---------------------------------------------------------------- characters YAML gives a meaning to
    Case("colon-in-value", "meta:\n  title: 会议纪要: 第一次\n", "值里有半角冒号加空格", line=2),
    Case("colon-in-list-item", "intro:\n  - 时间: 九点开会\n", "被读成了“键: 值”", line=2),
    Case("colon-in-item", "achievements:\n  - heading: 食堂\n    items:\n      - 注意: 卫生\n", "被读成了“键: 值”", line=4),
    Case("smart-quotes-do-not-quote", "intro:\n  - “注意: 这是引用”\n", "中文引号", line=2),
    Case("unclosed-quote", 'meta:\n  title: "某某总结\n  organization: 某某中学\n', "引号没有配对", line=2),
    Case("quote-ends-early", 'intro:\n  - "他说"好"的"\n', "引号或括号提前结束了", line=2),
    Case("apostrophe-in-single-quotes", "intro:\n  - 'it's 好'\n", "引号或括号提前结束了", line=2),
    Case("starts-with-star", "intro:\n  - *重点*工作\n", "当成了引用", line=2),
    Case("starts-with-ampersand", "intro:\n  - &a 某某\n", "当成了锚点", line=2),
    Case("starts-with-bang", "intro:\n  - !重要 事项\n", "当成了标签", line=2),
    Case("starts-with-percent", "intro:\n  - %50 完成\n", "值不能以“%”开头", line=2),
    Case("starts-with-at", "intro:\n  - @某某 同志\n", "值不能以“@”开头", line=2),
    Case("starts-with-pipe", "intro:\n  - | 表格\n", "多行文字的标记", line=2),
    Case("jinja-expression-unquoted", "intro:\n  - {{ 7 * 7 }}\n", "模板语法", line=2),
    Case("jinja-statement-unquoted", "intro:\n  - {% raw %}\n", "模板语法", line=2),
    Case("unclosed-bracket", "intro: [第一段, 第二段\nmeta: {}\n", "方括号 [ ]没有配对", line=1),
    Case("hash-makes-a-comment", "intro:\n  - #1 第一项\n", "以 # 开头的内容是注释", line=2),
    Case("empty-list-item", "intro:\n  -\n  - 第二段\n", "这里应是文字，实际是空", line=2),
    # ---------------------------------------------------------------- YAML that would lose data or never end
    Case("key-given-twice", "meta:\n  organization: 甲\n  organization: 乙\n", "写了两次（第一次在第 2 行）", line=3),
    Case("second-document", "meta: {organization: 甲}\n---\nmeta: {organization: 乙}\n", "第二份文档", line=2),
    Case("alias-bomb", _alias_bomb, "成倍展开"),
    Case("alias-loop", "intro: &a [*a]\n", "形成了循环", line=1),
    Case("deep-nesting", _deep, "嵌套层数超过"),
    Case("deep-flow-nesting", "intro: " + "[" * 5000 + "]" * 5000 + "\n", "嵌套层数超过", line=1),
    Case("python-tag", "meta: !!python/object/apply:os.system ['echo hacked > hacked.txt']\n",
         "不支持的标签“!!python/object/apply:os.system”", line=1),
    Case("local-tag", "intro:\n  - !secret 内容\n", "不支持的标签“!secret”", line=2),
    Case("bad-tagged-value", "meta:\n  title: !!bool 也许\n", "无法按标签读取", line=2),
    Case("merge-key", "base: &b {heading: 食堂}\nachievements:\n  - <<: *b\n    items: [a]\n", "不支持合并键", line=3),
    # ---------------------------------------------------------------- keys
    Case("key-wrong-case", "Meta:\n  organization: 某某中学\n", "键名要全部小写：请写成 `meta`", line=1),
    Case("key-in-chinese", "meta:\n  单位: 某某中学\n", "请写成 `organization`", line=2),
    Case("key-full-width-letters", "ｍｅｔａ:\n  organization: 某某中学\n", "全角字母", line=1),
    Case("key-misspelt", "achievements:\n  - heading: 食堂\n    itmes: [a]\n", "是不是想写 `items`", line=3),
    Case("key-at-wrong-level", "organization: 某某中学\n", "应写在 `meta:` 下面", line=1),
    Case("required-key-missing", "achievements:\n  - items: [a]\n", "缺少必填项“heading”", line=2),
    Case("required-key-empty", "achievements:\n  - heading:\n    items: [a]\n", "“heading”是空的", line=2),
    # ---------------------------------------------------------------- types and values
    Case("metric-text-value", METRICS + "      - {name: 面积, value: 很多, unit: 平方米}\n",
         "数值里有文字", line=4),
    Case("metric-range-value", METRICS + "      - {name: 电, value: 10-20, unit: 度}\n", "是一个范围", line=4),
    Case("metric-unknown-unit", METRICS + "      - {name: 电, value: 10, unit: 兆焦}\n", "不认识的单位", line=4),
    Case("metric-parts-over-total",
         METRICS + "      - {name: 会议, value: 100, unit: 批次, parts: [{name: a, value: 80}, {name: b, value: 40}]}\n",
         "大于总数", line=4),
    Case("metric-parts-not-exact",
         METRICS + "      - {name: 会议, value: 100, unit: 批次, parts_exact: true, parts: [{name: a, value: 80}]}\n",
         "与总数 100 不等", line=4),
    Case("metric-percent-over-100", METRICS + "      - {name: 满意度, value: 105, unit: \"%\"}\n", "却超过了100%", line=4),
    Case("metric-negative-count", METRICS + "      - {name: 维修, value: -3, unit: 件}\n", "不能是负数", line=4),
    Case("chart-from-unknown-metric", METRICS + "      - {name: 维修工单, value: 3, unit: 件}\n    charts: [{from: 维修工作}]\n",
         "记录里没有叫“维修工作”的指标", line=5, detail="是不是想写“维修工单”"),
    Case("chart-from-metric-without-parts", METRICS + "      - {name: 维修, value: 3, unit: 件}\n    charts: [{from: 维修}]\n",
         "没有 parts（构成），一个数画不成图", line=5),
    Case("chart-from-and-numbers", METRICS + "      - {name: 维修, value: 3, unit: 件}\n"
         "    charts: [{from: 维修, categories: [a], series: [{name: s, values: [1]}]}]\n",
         "写了 from（从指标画图）就不要再写 categories 和 series", line=5),
    Case("previous-file-missing", "previous: 去年.yaml\n" + METRICS + "      - {name: 维修, value: 3, unit: 件}\n",
         "找不到上期记录文件", line=1),
    Case("number-where-list", "intro: 5\n", "这里应是列表", line=1),
    Case("text-where-list", "intro: 本学期工作稳步推进\n", "以“- ”开头写这段文字", line=1),
    Case("text-where-mapping", "achievements:\n  - 学生食堂改革\n", "例如 `heading: 学生食堂改革`", line=2),
    Case("list-where-text", "meta:\n  organization: [甲, 乙]\n", "这里应是文字", line=2),
    Case("impossible-date", "meta:\n  date: 2026/13/01\n", "日期不存在", line=2),
    Case("date-in-words", "meta:\n  date: 今年一月\n", "日期格式不对", line=2),
    Case("date-as-number", "meta:\n  date: 12345\n", "日期格式不对", line=2),
    Case("not-a-boolean", "sections:\n  - heading: 概况\n    run_in: 是的\n", "这里应是 true 或 false", line=3),
    Case("keywords-number", "keywords: 5\n", "这里应是列表", line=1),
    Case("table-row-width", "tables:\n  - columns: [项目, 数量]\n    rows: [[桌子, 7], [椅子]]\n",
         "第 2 行有 1 格，表头有 2 列", line=2),
    Case("table-without-columns", "tables:\n  - caption: 统计\n    columns: []\n", "至少要有一项", line=3),
    # ---------------------------------------------------------------- organization types, labels (issue 15)
    Case("unknown-org-type", "meta:\n  organization: 某某中学\n  org_type: 医务\n", "不认识的单位类型", line=3),
    Case("typed-label-wrong-level", "achievements:\n  - heading: （一）食堂\n    items: [a]\n",
         "是二级标题（（一））的编号，这里却是一级标题", line=2),
    Case("typed-label-wrong-number", "achievements:\n  - heading: 三、食堂\n    items: [a]\n",
         "与位置不符", line=2),
    Case("typed-item-label-wrong-number", "achievements:\n  - heading: 食堂\n    items: [2、甲, 乙]\n",
         "与位置不符", line=3),
    Case("inline-items-unknown", "sections:\n  - heading: 概况\n    inline_items: 每条一编号\n",
         "inline_items 只能是 false、true（run_on）或 paragraphs", line=3),
    # ---------------------------------------------------------------- output files
    Case("output-is-the-input", GOOD, "就是输入文件", args=("--format", "txt"), output="records.yaml", validate=False),
    Case("output-over-another-records-file", GOOD, "会覆盖记录文件", output="other.yaml", validate=False),
    Case("output-folder-missing", GOOD, "不存在", output="no/such/folder/out.docx", validate=False),
    Case("output-is-a-folder", GOOD, "是一个文件夹", output=".", validate=False),
    Case("output-folder-is-a-file", GOOD, "不是文件夹", output="existing.docx/out.docx", validate=False),
    # ---------------------------------------------------------------- templates
    Case("template-name-is-a-path", GOOD, "不合法", args=("--template", "../../etc/passwd"), validate=False),
    Case("template-unknown", GOOD, "找不到模板", args=("--template", "no_such_template"), validate=False),
    Case("template-syntax-error", GOOD, "模板语法错误", detail="broken.j2:3", validate=False,
         args=("--templates", "{dir}/tpl", "--template", "broken")),
    Case("template-escapes-sandbox", GOOD, "沙箱", detail="escape.j2:2", validate=False,
         args=("--templates", "{dir}/tpl", "--template", "escape")),
]

TEMPLATES = {
    "broken.j2": "::title 标题\n正文\n{% if %}\n",
    "escape.j2": "::title 标题\n{{ ''.__class__.__mro__[1].__subclasses__() }}\n",
}


def summarykit_exe() -> str:
    exe = shutil.which("summarykit", path=str(Path(sys.executable).parent)) or shutil.which("summarykit")
    assert exe, "the summarykit console script is not installed"
    return exe


@dataclass
class Outcome:
    case: Case
    records: Path
    folder: Path
    before: dict[str, bytes]
    render: subprocess.CompletedProcess[str]
    validate: str  # the lines `summarykit validate` printed about this case's file


def _snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under a case's folder (names and bytes): a failed run may change none of them."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _prepare(case: Case, root: Path) -> tuple[Path, Path]:
    folder = root / case.id
    folder.mkdir()
    (folder / "existing.docx").write_bytes(PREVIOUS)
    (folder / "other.yaml").write_text(GOOD, encoding="utf-8")
    templates = folder / "tpl"
    templates.mkdir()
    for name, text in TEMPLATES.items():
        (templates / name).write_text(text, encoding="utf-8")
    records = folder / "records.yaml"
    if case.directory:
        records.mkdir()
    else:
        data = case.data()
        if data is not None:
            records.write_bytes(data)
    return folder, records


def _run(exe: str, folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "SUMMARYKIT_DEBUG"}
    return subprocess.run([exe, *args], capture_output=True, text=True, cwd=folder, timeout=120, env=env)


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Outcome]:
    """Run the whole catalogue once, in parallel (each run is a fresh process, as users start it)."""
    exe = summarykit_exe()
    root = tmp_path_factory.mktemp("bad")
    prepared = {case.id: (case, *_prepare(case, root)) for case in CATALOGUE}
    before = {cid: _snapshot(folder) for cid, (_, folder, _) in prepared.items()}

    def render(cid: str) -> subprocess.CompletedProcess[str]:
        case, folder, records = prepared[cid]
        args = [a.format(dir=folder) for a in case.args]
        return _run(exe, folder, "render", str(records), "-o", str(folder / case.output), *args)

    # `validate` takes many files and reports each: one run for the whole catalogue keeps this file fast.
    checked = [records for case, _, records in prepared.values() if case.validate]
    with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as pool:
        validating = pool.submit(_run, exe, root, "validate", *map(str, checked))
        renders = dict(zip(prepared, pool.map(render, prepared), strict=True))
        validated = validating.result()
    assert validated.returncode == 2 and "Traceback" not in validated.stderr
    outcomes = {}
    for cid, (case, folder, records) in prepared.items():
        lines = [line for line in validated.stderr.splitlines() if f"{records}:" in line or f"{records}：" in line]
        outcomes[cid] = Outcome(case, records, folder, before[cid], renders[cid], "\n".join(lines))
    return outcomes


def test_the_catalogue_has_at_least_30_distinct_bad_inputs() -> None:
    ids = [case.id for case in CATALOGUE]
    assert len(ids) == len(set(ids))
    assert len(ids) >= 30


@pytest.mark.parametrize("case", CATALOGUE, ids=lambda c: c.id)
def test_render_fails_with_the_expected_message_and_loses_nothing(case: Case, outcomes: dict[str, Outcome]) -> None:
    outcome = outcomes[case.id]
    result = outcome.render
    assert result.returncode == case.status, result.stderr
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout
    assert "内部错误" not in result.stderr
    assert case.fragment in result.stderr, result.stderr
    assert case.detail in result.stderr, result.stderr
    if case.line is not None:
        assert f"{outcome.records}:{case.line}" in result.stderr, result.stderr
    # No output, no temporary file, the existing output and the records file byte-for-byte as they were.
    assert _snapshot(outcome.folder) == outcome.before
    assert not (outcome.folder / "hacked.txt").exists()


@pytest.mark.parametrize("case", [c for c in CATALOGUE if c.validate], ids=lambda c: c.id)
def test_validate_reports_the_same_problem(case: Case, outcomes: dict[str, Outcome]) -> None:
    outcome = outcomes[case.id]
    assert "发现" in outcome.validate and "处问题" in outcome.validate, outcome.validate
    assert case.fragment in outcome.validate, outcome.validate
    if case.line is not None:
        assert f"{outcome.records}:{case.line}" in outcome.validate
    assert "格式正确" not in outcome.validate


@pytest.mark.parametrize("case", [c for c in CATALOGUE if c.validate and c.content is not None], ids=lambda c: c.id)
def test_every_problem_says_what_where_and_how_to_fix(case: Case) -> None:
    """Each problem names the file, the line where it has one, and carries a hint; all in Chinese."""
    import re

    from summarykit.errors import RecordsError
    from summarykit.records.loading import loads

    data = case.data()
    assert data is not None
    with pytest.raises(RecordsError) as info:
        loads(data, "记录.yaml")
    assert info.value.problems
    for problem in info.value.problems:
        assert problem.file == "记录.yaml"
        assert problem.message and problem.hint, problem
        assert re.search("[\u4e00-\u9fff]", problem.message) and re.search("[\u4e00-\u9fff]", problem.hint)
        assert "Input should" not in str(problem) and "Traceback" not in str(problem)
    if case.line is not None:
        assert case.line in [p.line for p in info.value.problems]


# --------------------------------------------------------------------------- accepted, with a notice


@dataclass(frozen=True)
class Accepted:
    """Input that is not wrong, only unusual: read as meant, with a notice saying what was done."""

    id: str
    content: bytes
    notice: str


ACCEPTED = [
    Accepted("gbk-encoded", GOOD.encode("gbk"), "GBK"),
    Accepted("utf16-from-notepad", GOOD.encode("utf-16"), "UTF-16"),
    Accepted("utf16-without-bom", GOOD.encode("utf-16-le"), "UTF-16"),
    Accepted("pasted-control-characters", GOOD.replace("稳步", "稳\x07步\x1b").encode(), "控制字符"),
    Accepted("smart-quotes-around-a-value", GOOD.replace("某某中学", "“某某中学”").encode(), "中文引号"),
    Accepted("empty-part", (GOOD + "plans:\nclosing:\n").encode(), "按未填写处理"),
    Accepted("zero-width-space-in-key", GOOD.replace("intro:", "in\u200btro:").encode(), "看不见的字符"),
    Accepted("half-width-punctuation", GOOD.replace("本学期，", "本学期,").encode(), "半角标点"),
]


@pytest.fixture(scope="module")
def accepted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, subprocess.CompletedProcess[str]]]:
    """Render every accepted input once, in parallel; the output path and the run, by case id."""
    exe = summarykit_exe()
    root = tmp_path_factory.mktemp("accepted")

    def render(case: Accepted) -> tuple[Path, subprocess.CompletedProcess[str]]:
        folder = root / case.id
        folder.mkdir()
        (folder / "records.yaml").write_bytes(case.content)
        out = folder / "out.docx"
        return out, _run(exe, folder, "render", str(folder / "records.yaml"), "-o", str(out))

    with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as pool:
        return dict(zip([c.id for c in ACCEPTED], pool.map(render, ACCEPTED), strict=True))


@pytest.mark.parametrize("case", ACCEPTED, ids=lambda c: c.id)
def test_unusual_but_valid_input_renders_with_a_notice(
        case: Accepted, accepted: dict[str, tuple[Path, subprocess.CompletedProcess[str]]]) -> None:
    import docx

    out, result = accepted[case.id]
    assert result.returncode == 0, result.stderr
    assert case.notice in result.stderr
    text = "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
    assert "学校水、电浪费现象较为严重。" in text
    assert "\x07" not in text and "\x1b" not in text


@pytest.mark.parametrize("written", ["2026-01-20", "2026.1.20", "2026/1/20", "2026年1月20日", "2026 年 1 月 20 日"])
def test_dates_as_people_write_them_are_accepted(written: str) -> None:
    import datetime as dt

    import summarykit as sk

    assert sk.loads(f"meta:\n  date: {written}\n").meta.date == dt.date(2026, 1, 20)


def test_a_bare_keywords_auto_asks_for_extracted_keywords() -> None:
    import summarykit as sk

    assert sk.loads("keywords: auto\n").keywords == "auto"
    assert sk.loads("keywords: 后勤保障；行政服务\n").keywords == ["后勤保障", "行政服务"]


def test_yaml_number_and_boolean_forms_keep_what_was_typed() -> None:
    """YAML 1.1 would read 010 as 8, 9:30 as 570, 1.10 as 1.1 and yes as True: the text stays as typed."""
    import summarykit as sk

    report = sk.loads("intro: [010, 9:30, 1.10, yes, 0x1F, 1_000]\nsections:\n  - heading: 概况\n    run_in: yes\n")
    assert report.intro == ["010", "9:30", "1.10", "yes", "0x1F", "1_000"]
    assert report.sections[0].run_in is True


# --------------------------------------------------------------------------- output files (library level)


def test_a_failed_write_leaves_the_old_file_and_no_temporary_file(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from summarykit.errors import OutputError
    from summarykit.output import write_atomic

    target = tmp_path / "out.docx"
    target.write_bytes(PREVIOUS)

    def disk_full(*_: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", disk_full)
    with pytest.raises(OutputError, match="原有文件没有改动"):
        write_atomic(target, b"new")
    assert target.read_bytes() == PREVIOUS
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.docx"]


def test_an_interrupted_write_removes_its_temporary_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from summarykit.output import write_atomic

    def interrupted(*_: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(tmp_path / "out.docx", b"new")
    assert list(tmp_path.iterdir()) == []


def test_a_replaced_output_keeps_its_permissions(tmp_path: Path) -> None:
    from summarykit.output import write_atomic

    target = tmp_path / "out.docx"
    target.write_bytes(PREVIOUS)
    target.chmod(0o600)
    write_atomic(target, b"new")
    assert target.read_bytes() == b"new"
    assert target.stat().st_mode & 0o777 == 0o600


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root may write read-only files")
def test_a_read_only_output_is_not_replaced(tmp_path: Path) -> None:
    from summarykit.errors import OutputError
    from summarykit.output import write_atomic

    target = tmp_path / "out.docx"
    target.write_bytes(PREVIOUS)
    target.chmod(0o444)
    with pytest.raises(OutputError, match="只读"):
        write_atomic(target, b"new")
    assert target.read_bytes() == PREVIOUS


def test_an_output_that_is_a_link_to_the_input_is_refused(tmp_path: Path) -> None:
    from summarykit.errors import OutputError
    from summarykit.output import check_output

    records = tmp_path / "records.yaml"
    records.write_text(GOOD, encoding="utf-8")
    link = tmp_path / "out.docx"
    link.symlink_to(records)
    with pytest.raises(OutputError, match="就是输入文件"):
        check_output(link, (records,))


def test_a_huge_file_is_refused_without_reading_it_all(tmp_path: Path) -> None:
    """The size limit is checked on at most MAX_BYTES + 1 bytes: a sparse 1 GB file is refused at once."""
    from summarykit.errors import RecordsError
    from summarykit.records.loading import load

    huge = tmp_path / "huge.yaml"
    with huge.open("wb") as handle:
        handle.truncate(1024 * 1024 * 1024)
    with pytest.raises(RecordsError, match="发现 1 处问题") as info:
        load(huge)
    assert "文件太大" in info.value.report()


def test_a_missing_file_suggests_a_close_name(tmp_path: Path) -> None:
    from summarykit.errors import RecordsError
    from summarykit.records.loading import load

    (tmp_path / "2026年工作总结.yaml").write_text(GOOD, encoding="utf-8")
    with pytest.raises(RecordsError) as info:
        load(tmp_path / "2026年工作总节.yaml")
    assert "是不是想用：2026年工作总结.yaml" in info.value.report()


# --------------------------------------------------------------------------- docs/errors.md


def _doc_form(text: str) -> str:
    """Variable parts (quoted values, `code`, numbers) as “…”, so that docs and messages compare."""
    text = re.sub(r"``.*?``|`[^`\n]*`", "…", text)
    text = re.sub(r"“[^”\n]{0,40}”", "“…”", text)
    return re.sub(r"\d+", "…", text).replace("\\|", "|")


def test_docs_errors_lists_every_catalogued_message() -> None:
    docs = _doc_form((REPO / "docs" / "errors.md").read_text(encoding="utf-8"))
    fragments = [c.fragment for c in CATALOGUE] + [c.notice for c in ACCEPTED]
    missing = [f for f in fragments if _doc_form(f) not in docs]
    assert not missing, f"docs/errors.md does not mention: {missing}"
