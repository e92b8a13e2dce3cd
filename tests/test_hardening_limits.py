"""Second round of hardening: limits on records given as data, template render budget, batch workers.

Like test_hardening.py, the hostile cases run in a child process under resource limits (address
space and CPU time), so a limit that does not hold fails the test instead of the machine.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from summarykit.errors import RecordsError
from summarykit.records.loading import MAX_DEPTH, MAX_EXPANDED_CHARS, MAX_NODES, marked_from_data
from tests.test_hardening import MEMORY, REPO, SAMPLE, _limits, cli, no_temporaries, refused

pytestmark = pytest.mark.skipif(os.name != "posix", reason="resource limits are POSIX")


def python(code: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """Run ``code`` in a child Python under the resource limits."""
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                          timeout=timeout, preexec_fn=_limits)


# --------------------------------------------------------------------------- records given as data


def test_a_dict_sharing_one_huge_string_is_refused_in_bounded_memory() -> None:
    # 2000 places × 1 million characters: 2 thousand million characters if anything copied or cleaned each.
    code = f"""
import yaml, summarykit
from summarykit.errors import RecordsError
data = yaml.safe_load(open({str(SAMPLE)!r}, encoding="utf-8"))
data["intro"] = ["字" * 1_000_000] * 2000
try:
    summarykit.Kit().load(data)
except RecordsError as exc:
    print(exc.problems[0])
"""
    started = time.monotonic()
    result = python(code)
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    assert "<数据>: intro[" in result.stdout and "数据里的文字总共超过 1000 万字" in result.stdout, result.stdout
    assert time.monotonic() - started < 30
    assert MEMORY < 2 * 1024**3  # the child really was limited to less than the data's size


def _report_with(intro: list[str]) -> dict:
    data = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))
    data["intro"] = intro
    return data


@settings(max_examples=40, deadline=None)
@given(size=st.integers(1, 3_000_000), copies=st.integers(1, 40))
def test_the_text_limit_on_data_counts_every_place(size: int, copies: int) -> None:
    text = "文" * size
    data = _report_with([text] * copies)
    total = size * copies
    try:
        marked_from_data(data)
    except RecordsError as exc:
        problem = exc.problems[0]
        assert total > MAX_EXPANDED_CHARS - 100_000, (size, copies)  # the rest of the sample is small
        assert "数据里的文字总共超过 1000 万字" in problem.message and problem.path.startswith("intro[")
    else:
        assert total <= MAX_EXPANDED_CHARS


@settings(max_examples=30, deadline=None)
@given(depth=st.integers(1, 200), width=st.integers(0, 3))
def test_nesting_and_node_limits_on_data_name_the_field_path(depth: int, width: int) -> None:
    leaf: object = "值"
    for _ in range(depth):
        leaf = {"a": leaf, **{f"k{i}": i for i in range(width)}}
    data = _report_with(["开头。"])
    data["meta"]["extra"] = leaf
    try:
        marked_from_data(data)
    except RecordsError as exc:
        problem = exc.problems[0]
        assert depth + 2 > MAX_DEPTH and "数据嵌套太深" in problem.message
        assert problem.path.startswith("meta.extra.a.a")
    else:
        assert depth + 2 <= MAX_DEPTH


def test_too_many_values_in_data_are_refused_at_a_field_path() -> None:
    data = _report_with(["开头。"] * (MAX_NODES + 10))
    with pytest.raises(RecordsError) as caught:
        marked_from_data(data)
    assert "数据太大（超过 200000 个值）" in caught.value.problems[0].message
    assert caught.value.problems[0].path.startswith("intro[")


def test_json_records_hold_the_same_limits_through_the_cli(tmp_path: Path) -> None:
    import json

    data = _report_with(["开头。"])
    leaf: object = "值"
    for _ in range(200):
        leaf = [leaf]
    data["meta"]["extra"] = leaf
    (tmp_path / "深.json").write_text(json.dumps(data, ensure_ascii=False, default=str), encoding="utf-8")
    refused(cli("validate", "深.json", cwd=tmp_path), "深.json:", "嵌套层数超过 64 层")


# --------------------------------------------------------------------------- template render budget

STEPS = "模板运行的步数超过上限（2000000 次循环或调用），已停止"
TEXT = "模板拼接或生成的一段文字（或一个列表）超过上限（5000000 个字或项），已停止"
WRITTEN = "模板运行中写出的文字（包括 set 块、宏和 include 里的）超过上限（50000000 个字），已停止"
NUMBER = "模板算出的整数太大（超过 4000000 位二进制），已停止"
TIME = "模板运行超过了 10 秒的上限，已停止"
STEPS_OR_TIME = (STEPS, TIME)  # slow steps (a call each) on a loaded machine may reach the clock first

HOSTILE_TEMPLATES = [
    # loops whose bodies call nothing and print nothing, over record data multiplied
    ("{% for a in report.achievements * 1000 %}{% for b in report.achievements * 1000 %}"
     "{% for c in report.intro * 1000 %}{% endfor %}{% endfor %}{% endfor %}", STEPS),
    ("{% set l = [1,2,3,4,5,6,7,8,9,10] %}{% for a in l %}{% for b in l %}{% for c in l %}{% for d in l %}"
     "{% for e in l %}{% for f in l %}{% for g in l %}{% for h in l %}{% for i in l %}{% endfor %}{% endfor %}"
     "{% endfor %}{% endfor %}{% endfor %}{% endfor %}{% endfor %}{% endfor %}{% endfor %}", STEPS),
    ("{% for x in range(10) recursive %}{% if loop.depth < 12 %}{{ loop(range(10)) }}{% endif %}{% endfor %}",
     STEPS_OR_TIME),
    # strings grown without printing them
    ("{% set s = namespace(x='ab') %}{% for i in range(60) %}{% set s.x = s.x ~ s.x %}{% endfor %}x", TEXT),
    ("{% set s = namespace(x='ab') %}{% for i in range(60) %}{% set s.x = s.x + s.x %}{% endfor %}x", TEXT),
    ("{% set s = namespace(x='ab') %}{% for i in range(60) %}{% set c %}{{ s.x }}{{ s.x }}{% endset %}"
     "{% set s.x = c %}{% endfor %}x", TEXT),
    ("{% set s = namespace(x='aa') %}{% for i in range(60) %}{% set s.x = s.x|replace('a', 'aa') %}{% endfor %}x",
     TEXT),
    ("{% set s = namespace(x=[1]) %}{% for i in range(60) %}{% set s.x = s.x + s.x %}{% endfor %}x", TEXT),
    ("{% set c %}{% for i in range(100000) %}{% for j in range(100) %}" + "字" * 200
     + "{% endfor %}{% endfor %}{% endset %}{{ c | length }}", WRITTEN),
    # one step that would build gigabytes
    ('{{ "x" | center(1000000000) }}', TEXT),
    ('{{ "%999999999d" % 1 }}', TEXT),
    ('{{ "{:>999999999}".format(1) }}', TEXT),
    ('{{ "a".ljust(1000000000) }}', TEXT),
    ('{% set l = ["字" * 1000000] * 1000000 %}{{ l | join }}', TEXT),
    ('{% set l = ["字" * 1000000] * 1000000 %}{{ l }}', TEXT),
    ('{% set l = ["字" * 1000000] * 1000000 %}{{ l ~ "" }}', TEXT),
    ('{{ ("a\\n" * 500000) | indent(100000) }}', TEXT),
    ("{{ lipsum(100000000) }}", TEXT),
    ("{{ 10 ** 5000 }}", "数字太长（超过 4300 位），不能写成文字"),  # Python's own limit, in Chinese
    ("{% set s = namespace(x=3) %}{% for i in range(60) %}{% set s.x = s.x * s.x %}{% endfor %}x", NUMBER),
]


@pytest.mark.parametrize(("body", "message"), HOSTILE_TEMPLATES, ids=range(len(HOSTILE_TEMPLATES)))
def test_hostile_templates_stop_in_bounded_time_and_memory(tmp_path: Path, body: str,
                                                          message: str | tuple[str, ...]) -> None:
    folder = tmp_path / "模板"
    folder.mkdir()
    (folder / "mine.j2").write_text(body + "\n", encoding="utf-8")
    (tmp_path / "记录.yaml").write_bytes(SAMPLE.read_bytes())
    started = time.monotonic()
    result = cli("render", "记录.yaml", "-o", "总结.md", "--templates", folder, "-t", "mine", cwd=tmp_path)
    refused(result, "mine.j2:1：")
    assert any(m in result.stderr for m in ((message,) if isinstance(message, str) else message)), result.stderr
    assert time.monotonic() - started < 30
    assert not (tmp_path / "总结.md").exists()


def test_a_template_slow_in_every_step_hits_the_time_limit(tmp_path: Path) -> None:
    folder = tmp_path / "模板"
    folder.mkdir()
    (folder / "mine.j2").write_text(  # a thousand sorts of a million numbers: few steps, many seconds
        "{% set l = range(100000) | list %}{% for i in range(1000) %}{% set x = (l * 10) | sort | first %}"
        "{% endfor %}\n", encoding="utf-8")
    (tmp_path / "记录.yaml").write_bytes(SAMPLE.read_bytes())
    started = time.monotonic()
    result = cli("render", "记录.yaml", "-o", "总结.md", "--templates", folder, "-t", "mine", cwd=tmp_path)
    refused(result, TIME, "mine.j2:1：")
    assert time.monotonic() - started < 35
    assert not (tmp_path / "总结.md").exists()


@pytest.mark.parametrize("untimed", [True, False])
def test_a_phrase_banks_first_word_table_is_not_charged_to_the_templates_clock(
        monkeypatch: pytest.MonkeyPatch, untimed: bool) -> None:
    """jieba's start on a cold machine (seconds) happens inside the first render that picks a phrase;
    the clock stops for it (renderbudget.untimed), so a busy machine does not stop an ordinary template.
    Without the pause (the second case) the same render runs out of its shortened time."""
    import contextlib

    from summarykit import Kit
    from summarykit.drafting import phrases, renderbudget
    from summarykit.drafting.templating import Templates
    from summarykit.errors import TemplateError

    monkeypatch.setattr(Templates, "chain_is_builtin", lambda self, name: False)  # the budgeted path
    start, words = renderbudget.start, phrases.content_words

    def short(budget: renderbudget.Budget):  # type: ignore[no-untyped-def]
        budget.seconds, budget.deadline = 0.5, time.monotonic() + 0.5
        return start(budget)

    def slow(texts):  # type: ignore[no-untyped-def]
        time.sleep(1.0)  # a cold jieba on a loaded machine
        return words(texts)

    monkeypatch.setattr(renderbudget, "start", short)
    monkeypatch.setattr(phrases, "content_words", slow)
    if not untimed:
        monkeypatch.setattr(renderbudget, "untimed", contextlib.nullcontext)
    kit = Kit()
    report = kit.load(SAMPLE)
    known = kit.bank._words
    object.__setattr__(kit.bank, "_words", None)  # not yet computed in this process (the bank is frozen)
    try:
        if untimed:
            assert kit.write(kit.compose(report), "txt")
        else:
            with pytest.raises(TemplateError, match="秒的上限"):
                kit.compose(report)
    finally:
        object.__setattr__(kit.bank, "_words", known)


def test_ordinary_templates_stay_within_the_budget_with_room_to_spare(monkeypatch: pytest.MonkeyPatch) -> None:
    """The built-in templates on every sample use a small part of each budget (so the limits never bite).

    Rendered in the sandbox, as they are when a user template extends or includes them (alone,
    they render without the budget: templating._Trusted)."""
    from summarykit import Kit
    from summarykit.drafting import renderbudget
    from summarykit.drafting.templating import Templates

    monkeypatch.setattr(Templates, "chain_is_builtin", lambda self, name: False)
    kit = Kit()
    seen: list[renderbudget.Budget] = []
    start = renderbudget.start

    def spy(budget: renderbudget.Budget):  # type: ignore[no-untyped-def]
        seen.append(budget)
        return start(budget)

    renderbudget.start = spy  # type: ignore[assignment]
    try:
        for path in sorted((REPO / "sample_data").glob("*.yaml"))[:8]:
            kit.compose(kit.load(path))
    finally:
        renderbudget.start = start  # type: ignore[assignment]
    assert seen
    for budget in seen:
        assert budget.max_steps - budget.steps < budget.max_steps // 100
        assert budget.max_produced - budget.produced < budget.max_produced // 100


NEW_MESSAGES = [
    "数据里的文字总共超过 1000 万字（同一段文字用在几处按几处计算）",
    "模板文件不是 UTF-8 编码（第 1 行第 1 列的字节 0xFF 不是 UTF-8）",
    "开头的说明（{#--- … ---#}）太大或嵌套太深（上限 10000 个值），可能是锚点 & 和引用 * 成倍展开",
    "文字太长（最多 31 个字）",
    "不是文件夹：preview 把每一页写成 PNG 图片，-o 要给出一个文件夹",
    "删除了看不见的字符 U+200B（ZERO WIDTH SPACE）",
    "删除了看不见的字符 U+202E（RIGHT-TO-LEFT OVERRIDE，文字方向控制符：会让文字显示的顺序和实际不同）",
    "键名里有特殊的空格 U+00A0（NO-BREAK SPACE）（网页复制或全角输入带来的）：请删掉它，写成",
    "文件是 UTF-32 编码（没有 BOM），已按 UTF-32 读取",
    "下面没有内容（条目、段落、数字都没有写或都是空的），这一部分不会出现在文档里",
    "这是一个管道（FIFO），没有程序往里写内容，读不到任何内容",
    "这不是普通文件（可能是管道或设备），不能作为图片",
    "MB，超过了上限 30 MB（可能是压缩炸弹，或不是记录用的工作簿）",
    "超过了上限 1000000 个单元格",
    "除数是 0", "“int”和“str”不能做", "文字不能直接和“int”相加", "数字太长（超过 4300 位），不能写成文字",
    TEXT, WRITTEN, NUMBER,
]


def test_docs_errors_lists_the_new_messages() -> None:
    from tests.test_bad_inputs import _doc_form

    docs = _doc_form((REPO / "docs" / "errors.md").read_text(encoding="utf-8"))
    missing = [m for m in NEW_MESSAGES if _doc_form(m) not in docs]
    assert not missing, missing


# --------------------------------------------------------------------------- batch workers

BATCH_SCRIPT = '''
import glob, json, multiprocessing, sys
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path
multiprocessing.set_start_method("fork")
import summarykit.batch as batch
from summarykit import Kit
kind, inputs, templates, out = sys.argv[1:]
if kind == "watchdog":
    batch.KERNEL_PARENT_DEATH_SIGNAL = False  # the portable fallback, as on macOS and Windows
kit = Kit(templates=[templates], template="slow")
paths = sorted(glob.glob(inputs + "/*.yaml"))
pool = {"threads": ThreadPoolExecutor, "processes": ProcessPoolExecutor}.get(kind)
executor = pool(2) if pool else None
try:
    kit.render_many(paths, out, jobs=2, executor=executor)
except batch.BatchInterrupted as exc:
    print(json.dumps({"written": sorted(Path(w).name for w in exc.written), "running": getattr(exc, "still_running", 0)}))
    if executor is not None:
        executor.shutdown(wait=True, cancel_futures=True)  # what a caller does with its own executor
    sys.exit(130)
'''


def _batch_script(tmp_path: Path, kind: str) -> tuple[list[str], Path]:
    from tests.test_hardening import _slow_batch

    _, templates = _slow_batch(tmp_path)
    script = tmp_path / f"batch-{kind}.py"
    script.write_text(BATCH_SCRIPT, encoding="utf-8")
    return [sys.executable, str(script), kind, str(tmp_path / "in"), str(templates), str(tmp_path / "out")], script


def _wait_for_a_report(out: Path, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and not (out.is_dir() and any(out.glob("*.docx"))):
        time.sleep(0.1)
    assert any(out.glob("*.docx")), "no report was written in time"


@pytest.mark.parametrize("kind", ["threads", "processes"])
def test_an_interrupted_batch_on_a_callers_executor_reports_exactly_what_is_on_disk(tmp_path: Path,
                                                                                   kind: str) -> None:
    import json
    import signal

    args, _ = _batch_script(tmp_path, kind)
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    child = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             preexec_fn=_limits)
    out = tmp_path / "out"
    _wait_for_a_report(out)
    child.send_signal(signal.SIGINT)
    stopped = time.monotonic()
    stdout, stderr = child.communicate(timeout=60)
    assert child.returncode == 130 and "Traceback" not in stderr, stderr
    assert time.monotonic() - stopped < 30, "the caller's workers went on with the queue"
    report = json.loads(stdout)
    on_disk = sorted(p.name for p in out.glob("*.docx"))
    assert report == {"written": on_disk, "running": 0}
    assert 0 < len(on_disk) < 30
    assert not [p.name for p in out.iterdir() if p.name.startswith(".sk-")]  # no temporary, no stop file


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="finds left-over workers through /proc")
def test_workers_stop_when_their_parent_is_killed_without_the_linux_fast_path(tmp_path: Path) -> None:
    from tests.test_hardening import _workers_of

    args, script = _batch_script(tmp_path, "watchdog")
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    child = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                             preexec_fn=_limits)
    out = tmp_path / "out"
    _wait_for_a_report(out)
    assert len(_workers_of(str(script))) >= 3  # the parent and its workers
    child.kill()  # SIGKILL: the parent can neither stop its workers nor clean up
    child.wait(timeout=10)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and _workers_of(str(script)):
        time.sleep(0.2)
    assert not _workers_of(str(script)), "workers outlived their parent"
    written = sorted(p.name for p in out.glob("*.docx"))
    assert len(written) < 30
    time.sleep(1.5)
    assert sorted(p.name for p in out.glob("*.docx")) == written, "something kept writing after the parent died"
    assert not [p.name for p in out.iterdir() if p.name.startswith(".sk-")], "a half-written file was left"


def test_the_watchdog_lets_a_batch_whose_parent_lives_finish(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import multiprocessing

    import summarykit.batch as batch
    from summarykit import Kit

    if multiprocessing.get_start_method() != "fork":
        pytest.skip("the patched flag reaches the workers only when they are forked")
    monkeypatch.setattr(batch, "KERNEL_PARENT_DEATH_SIGNAL", False)
    monkeypatch.setattr(batch, "WATCH_SECONDS", 0.05)
    inputs = []
    for i in range(4):
        inputs.append(tmp_path / f"r{i}.yaml")
        inputs[-1].write_bytes(SAMPLE.read_bytes())
    result = Kit().render_many(inputs, tmp_path / "out", jobs=2)
    assert result.ok and len(result.written) == 4
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [f"r{i}.docx" for i in range(4)]


# --------------------------------------------------------------------------- found by trying new hostile inputs


def _header_bomb() -> str:
    lines = ["{#---", 'title: &a0 ["' + "题" * 1000 + '"]']
    for i in range(1, 30):
        lines.append(f"k{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]")
    return "\n".join([*lines, "description: *a29", "---#}", "正文。"]) + "\n"


@pytest.mark.parametrize(("content", "message"), [
    (b"\xff\xfe{{ report.title }}\n", "模板文件不是 UTF-8 编码（第 1 行第 1 列的字节 0xFF 不是 UTF-8）"),
    ("{{ report.title }}\n第二行\n".encode() + "第三行是 GBK\n".encode("gbk"),
     "模板文件不是 UTF-8 编码（第 3 行第 1 列的字节 0xB5 不是 UTF-8）"),
    (_header_bomb().encode(), "开头的说明（{#--- … ---#}）太大或嵌套太深（上限 10000 个值）"),
])
def test_unreadable_template_files_are_located_messages(tmp_path: Path, content: bytes, message: str) -> None:
    folder = tmp_path / "模板"
    folder.mkdir()
    (folder / "mine.j2").write_bytes(content)
    (tmp_path / "记录.yaml").write_bytes(SAMPLE.read_bytes())
    started = time.monotonic()
    refused(cli("render", "记录.yaml", "-o", "总结.md", "--templates", folder, "-t", "mine", cwd=tmp_path),
            message, "mine.j2")
    assert time.monotonic() - started < 30 and not (tmp_path / "总结.md").exists()
    refused(cli("templates", "--templates", folder, cwd=tmp_path), message)


def test_style_file_problems_point_at_the_style_docs_and_name_the_font_limit(tmp_path: Path) -> None:
    (tmp_path / "记录.yaml").write_bytes(SAMPLE.read_bytes())
    (tmp_path / "样式.yaml").write_text("fonts:\n  body: " + "宋" * 5000 + "\nsizes:\n  table: 1e9\n", encoding="utf-8")
    result = cli("render", "记录.yaml", "-o", "总结.docx", "--style", "样式.yaml", cwd=tmp_path)
    refused(result, "样式.yaml:2:3: fonts.body：文字太长（最多 31 个字）", "样式.yaml:4:3: sizes.table", "docs/style.md")
    assert "docs/records.md" not in result.stderr and not (tmp_path / "总结.docx").exists()


def test_a_huge_jobs_number_starts_a_bounded_number_of_processes(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    import summarykit.batch as batch
    from summarykit import Kit

    started: list[int] = []

    def pool(settings: object, tasks: list, jobs: int, collect) -> None:  # type: ignore[no-untyped-def]
        started.append(jobs)  # instead of starting the processes: how many would start
        for task in tasks:
            collect(batch._Partial(task.position, task.part, (), (), ()))

    monkeypatch.setattr(batch, "_run_pool", pool)
    inputs = []
    for i in range(40):
        inputs.append(tmp_path / f"r{i:02d}.yaml")
        inputs[-1].write_bytes(SAMPLE.read_bytes())
    result = Kit().render_many(inputs, tmp_path / "out", jobs=10**20)
    assert started == [min(40, batch.max_local_jobs())] and result.jobs == started[0]


def test_sigterm_stops_a_single_render_like_ctrl_c(tmp_path: Path) -> None:
    import signal

    templates = tmp_path / "模板"
    templates.mkdir()
    (templates / "slow.j2").write_text(  # few steps, some seconds: forty sorts of a million numbers
        '{% extends "builtin/school_term.j2" %}{% block title %}{% for i in range(40) %}'
        "{% set x = ((range(100000) | list) * 10) | sort | first %}{% endfor %}{{ super() }}{% endblock %}\n",
        encoding="utf-8")
    (tmp_path / "记录.yaml").write_bytes(SAMPLE.read_bytes())
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    child = subprocess.Popen([sys.executable, "-m", "summarykit", "render", str(tmp_path / "记录.yaml"),
                              "-o", str(tmp_path / "总结.docx"), "--templates", str(templates), "-t", "slow"],
                             env=env, stderr=subprocess.PIPE, text=True, preexec_fn=_limits)
    time.sleep(1.5)  # importing and starting to render
    child.send_signal(signal.SIGTERM)
    _, stderr = child.communicate(timeout=30)
    if child.returncode == 0:
        pytest.skip("the render finished before the signal came (a very fast machine)")
    assert child.returncode == 130 and "已中断，未写入任何文件。" in stderr and "Traceback" not in stderr, stderr
    assert not (tmp_path / "总结.docx").exists()
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".sk-")]



# --------------------------------------------------------------------------- encodings and invisible characters

INVISIBLE = ["\u200b", "\u2060", "\u00ad", "\u202e", "\u2066", "\u200f", "\U000e0041"]


@settings(max_examples=60, deadline=None)
@given(chars=st.lists(st.sampled_from(INVISIBLE), min_size=1, max_size=4), where=st.integers(0, 5))
def test_invisible_characters_in_values_are_removed_and_named_where_they_were(chars: list[str], where: int) -> None:
    import unicodedata

    from summarykit.records.loading import loads

    value = "本学期完成了工作。"
    text = value[:where] + "".join(chars) + value[where:]
    records = SAMPLE.read_text(encoding="utf-8").replace("intro:\n", f"intro:\n  - {text}\n", 1)
    line = records.split("\n").index(f"  - {text}") + 1
    report = loads(records, "记录.yaml")
    assert report.intro[0] == value
    notices = [str(n) for n in report.notices if "看不见的字符" in str(n)]
    assert len(notices) == len(chars)
    for offset, ch in enumerate(chars):
        column = 5 + where + offset
        assert any(f"记录.yaml:{line}:{column}" in n and f"U+{ord(ch):04X}（{unicodedata.name(ch)}" in n
                   for n in notices), (notices, ch)


@pytest.mark.parametrize("ch", INVISIBLE)
@pytest.mark.parametrize("kind", ["phrases", "style"])
def test_invisible_characters_in_phrase_banks_and_style_files_are_refused_where_they_are(
        tmp_path: Path, kind: str, ch: str) -> None:
    """Used for every report and with no notice channel: refused at line and column, nothing written."""
    import unicodedata

    if kind == "phrases":
        (tmp_path / "库.yaml").write_text(f"category: 开头\nphrases:\n  - 本学期，我们{ch}认真工作。\n", encoding="utf-8")
        option, where = ["--phrases", "库.yaml"], "库.yaml:3:11"
    else:
        (tmp_path / "库.yaml").write_text(f'page_number_format: "{ch}— {{n}} —"\n', encoding="utf-8")
        option, where = ["--style", "库.yaml"], "库.yaml:1:22"
    result = cli("render", SAMPLE, *option, "-o", "总结.docx", cwd=tmp_path)
    refused(result, where, f"有看不见的字符 U+{ord(ch):04X}（{unicodedata.name(ch)}", "删去它前后各一个字")
    assert not (tmp_path / "总结.docx").exists()
    no_temporaries(tmp_path)


@pytest.mark.parametrize("codec", ["utf-32-le", "utf-32-be"])
def test_utf32_without_a_bom_is_read(tmp_path: Path, codec: str) -> None:
    (tmp_path / "记录.yaml").write_bytes(SAMPLE.read_text(encoding="utf-8").encode(codec))
    result = cli("validate", "记录.yaml", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "文件是 UTF-32 编码（没有 BOM），已按 UTF-32 读取" in result.stderr


def test_a_no_break_space_in_a_key_is_named(tmp_path: Path) -> None:
    text = SAMPLE.read_text(encoding="utf-8").replace("intro:", "intro\u00a0:", 1)
    (tmp_path / "记录.yaml").write_text(text, encoding="utf-8")
    refused(cli("validate", "记录.yaml", cwd=tmp_path), "键名里有特殊的空格 U+00A0（NO-BREAK SPACE）", "写成 `intro`")



# --------------------------------------------------------------------------- structure


@pytest.mark.parametrize("items", [[], ["\u3000"], [" ", {"text": ""}]])
def test_a_part_whose_content_is_blank_is_named_not_dropped_silently(tmp_path: Path, items: list) -> None:
    data = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))
    data["achievements"].append({"heading": "其他工作", "items": items})
    (tmp_path / "记录.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    line = (tmp_path / "记录.yaml").read_text(encoding="utf-8").split("\n").index("- heading: 其他工作") + 1
    result = cli("render", "记录.yaml", "-o", "总结.md", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    count = len(data["achievements"]) - 1
    assert (f"记录.yaml:{line}: achievements[{count}]：“其他工作”下面没有内容" in result.stderr), result.stderr
    assert "其他工作" not in (tmp_path / "总结.md").read_text(encoding="utf-8")



# --------------------------------------------------------------------------- spreadsheets and special files


def _workbook(path: Path, stray: str | None = None, rows: int = 0) -> Path:
    import zipfile

    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "指标"
    sheet.append(["指标", "本年"])
    sheet.append(["用电量", 1200])
    if stray:
        sheet[stray] = "x"
    book.save(path)
    if rows:  # the same workbook, its sheet XML inflated with rows: a few MB that decompress to hundreds
        with zipfile.ZipFile(path) as source:
            parts = {info.filename: source.read(info) for info in source.infolist()}
        sheet_xml = parts["xl/worksheets/sheet1.xml"].decode()
        head, _, tail = sheet_xml.partition("</sheetData>")
        row = '<row r="3"><c r="A3" t="inlineStr"><is><t>x</t></is></c></row>'
        parts["xl/worksheets/sheet1.xml"] = (head + row * rows + "</sheetData>" + tail).encode()
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
            for name, data in parts.items():
                target.writestr(name, data)
    return path


@pytest.mark.parametrize(("make", "message"), [
    (lambda p: _workbook(p, stray="XFD1048576"), "工作表“指标”用到的范围是 A1:XFD1048576（1048576 行 × 16384 列），超过了上限"),
    (lambda p: _workbook(p, rows=8_000_000), "超过了上限 30 MB（可能是压缩炸弹"),
])
def test_workbooks_that_would_take_for_ever_are_refused_quickly(tmp_path: Path, make, message: str) -> None:  # type: ignore[no-untyped-def]
    path = make(tmp_path / "数据.xlsx")
    assert path.stat().st_size < 5 * 1024 * 1024
    started = time.monotonic()
    refused(cli("validate", path.name, cwd=tmp_path), message)
    assert time.monotonic() - started < 30


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")
@pytest.mark.parametrize("option", [None, "--style", "--phrases", "--previous"])
def test_a_fifo_given_as_any_input_file_is_refused_without_waiting(tmp_path: Path, option: str | None) -> None:
    os.mkfifo(tmp_path / "管道.yaml")
    (tmp_path / "记录.yaml").write_bytes(SAMPLE.read_bytes())
    args = ["render", "管道.yaml"] if option is None else ["render", "记录.yaml", option, "管道.yaml"]
    started = time.monotonic()
    refused(cli(*args, "-o", "总结.docx", cwd=tmp_path, timeout=30), "这是一个管道（FIFO），没有程序往里写内容")
    assert time.monotonic() - started < 20 and not (tmp_path / "总结.docx").exists()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")
def test_a_fifo_named_as_a_picture_is_refused_without_waiting(tmp_path: Path) -> None:
    pytest.importorskip("PIL")
    os.mkfifo(tmp_path / "图.png")
    data = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))
    data["achievements"][0]["images"] = [{"path": "图.png", "caption": "图"}]
    (tmp_path / "记录.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    refused(cli("render", "记录.yaml", "-o", "总结.docx", cwd=tmp_path, timeout=30),
            "这不是普通文件（可能是管道或设备），不能作为图片")


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="finds the workers through /proc")
def test_a_batch_interrupted_while_its_workers_warm_up_stops_quietly(tmp_path: Path) -> None:
    import signal

    from tests.test_hardening import _slow_batch, _workers_of

    args, templates = _slow_batch(tmp_path, count=6)
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    child = subprocess.Popen(args, env=env, stderr=subprocess.PIPE, text=True, preexec_fn=_limits)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(_workers_of(str(templates))) < 3:  # the batch and two workers
        time.sleep(0.05)
    child.send_signal(signal.SIGINT)  # the workers are warming up (the slow template takes a while)
    _, stderr = child.communicate(timeout=60)
    assert child.returncode == 130, stderr
    assert "Traceback" not in stderr and "Exception in initializer" not in stderr, stderr
    assert not [p.name for p in (tmp_path / "out").iterdir() if p.name.startswith(".sk-")]
