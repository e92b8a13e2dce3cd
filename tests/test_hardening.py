"""Hostile files, file-system faults, interruption and bounded work — through the real command line.

Each test runs ``python -m summarykit`` in a child process with resource limits (address space
and CPU time, set in ``preexec_fn``), and checks the exit status, the message (Chinese, located,
no traceback) and the files left behind: nothing clobbered, no temporary file, nothing extra.
"""

from __future__ import annotations

import os
import re
import resource
import shutil
import signal
import stat
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
import yaml
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from summarykit.naming import NAME_MAX, Department, Input, name_key, plan, sanitize
from summarykit.records.decoding import decode

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "sample_data" / "school_term.yaml"
MEMORY = 1536 * 1024 * 1024  # bytes of address space a child may use
CPU_SECONDS = 40

pytestmark = pytest.mark.skipif(os.name != "posix", reason="resource limits, FIFOs and signals are POSIX")


def _limits() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS))


def cli(*args: str | Path, cwd: Path, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    env.pop("SUMMARYKIT_DEBUG", None)
    result = subprocess.run([sys.executable, "-m", "summarykit", *map(str, args)], cwd=cwd, env=env,
                            capture_output=True, text=True, timeout=timeout, preexec_fn=_limits)
    assert "Traceback" not in result.stderr, result.stderr
    assert "内部错误" not in result.stderr, result.stderr
    return result


def refused(result: subprocess.CompletedProcess[str], *fragments: str) -> None:
    assert result.returncode == 2, (result.returncode, result.stderr)
    for fragment in fragments:
        assert fragment in result.stderr, (fragment, result.stderr)


def no_temporaries(folder: Path) -> None:
    assert not [p.name for p in folder.iterdir() if p.name.startswith(".sk-")]


@pytest.fixture
def records(tmp_path: Path) -> Path:
    target = tmp_path / "记录.yaml"
    shutil.copy(SAMPLE, target)
    return target


def sample() -> dict:
    return yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))


def write_yaml(path: Path, data: dict) -> Path:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


# --------------------------------------------------------------------------- output: only regular files


def test_outputs_that_are_not_regular_files_are_refused_and_left_alone(tmp_path: Path, records: Path) -> None:
    fifo = tmp_path / "管道.docx"
    os.mkfifo(fifo)
    (tmp_path / "已有文件夹").mkdir()
    link = tmp_path / "链接.docx"
    link.symlink_to(tmp_path / "别处.docx")
    cases = [
        (fifo, "是一个管道（FIFO），不是普通文件"),
        ("/dev/null", "是一个设备文件"),
        (link, "是一个符号链接"),
        ("已有文件夹", "是一个文件夹"),
        ("reports/", "以斜杠结尾，是一个文件夹的名字"),
        ("", "没有给出输出文件名"),
    ]
    for output, message in cases:
        refused(cli("render", records.name, "-o", output, cwd=tmp_path), message)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode) and stat.S_ISCHR(os.stat("/dev/null").st_mode)
    assert link.is_symlink() and not (tmp_path / "别处.docx").exists()
    assert not (tmp_path / "reports").exists() and not (tmp_path / "记录.docx").exists()
    no_temporaries(tmp_path)


def test_a_hard_link_to_the_input_is_refused_with_a_name_that_works(tmp_path: Path, records: Path) -> None:
    os.link(records, tmp_path / "总结.docx")
    before = records.read_bytes()
    result = cli("render", records.name, "-o", "总结.docx", cwd=tmp_path)
    refused(result, "是同一个文件（硬链接）")
    suggested = re.search(r"例如 (\S+)", result.stderr).group(1)
    assert Path(suggested).name != "总结.docx"
    assert records.read_bytes() == before
    assert cli("render", records.name, "-o", suggested, cwd=tmp_path).returncode == 0


def test_a_long_legal_name_is_written_and_stale_temporaries_are_swept(tmp_path: Path, records: Path) -> None:
    stale, fresh, mine = tmp_path / ".sk-abcdefgh.tmp", tmp_path / ".sk-ijklmnop.tmp", tmp_path / ".sk-我的笔记.tmp"
    for path in (stale, fresh, mine):
        path.write_bytes(b"x")
    old = time.time() - 2 * 3600
    os.utime(stale, (old, old))
    os.utime(mine, (old, old))
    name = "总" * ((NAME_MAX - 5) // 3) + ".docx"  # 250 bytes of UTF-8
    assert cli("render", records.name, "-o", name, cwd=tmp_path).returncode == 0
    assert (tmp_path / name).stat().st_size > 0
    assert not stale.exists() and fresh.exists() and mine.exists()  # only our names, only old ones


def test_init_into_an_existing_folder_calls_it_a_folder(tmp_path: Path) -> None:
    (tmp_path / "文件夹").mkdir()
    result = cli("init", "school_term", "-o", "文件夹", cwd=tmp_path)
    refused(result, "是一个文件夹")
    assert "--force" not in result.stderr


# --------------------------------------------------------------------------- batch names


def test_batch_names_are_planned_before_anything_is_written(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    data = sample()
    write_yaml(folder / "部门-2.yaml", data)  # its output 部门-2.docx equals the numbered fallback below
    write_yaml(folder / "部门.yaml", {"defaults": data, "reports": [
        {"meta": {"department": "总务\u202e处"}},  # a bidi override: removed from the name
        {},  # no department: 部门-2, which the input above already gives
        {"meta": {"department": "处" * 200}},  # too long: shortened to fit 255 bytes
        {"meta": {"department": "总务\u200b处"}},  # the same name as the first once cleaned
    ]})
    out = tmp_path / "out"
    result = cli("batch", folder, "-o", out, "-j", "1", cwd=tmp_path)
    refused(result, "部门.yaml:", "reports[1].meta.department：输出文件名“部门-2.docx”与", "这一份未生成")
    written = sorted(p.name for p in out.iterdir())
    assert f"已生成 {len(written)} 份" in result.stderr
    assert all(len(name.encode()) <= NAME_MAX for name in written)
    assert not any(re.search("[\u200b\u202e]", name) for name in written)
    assert "部门-2.docx" in written and "部门-总务处-1.docx" in written and "部门-总务处-4.docx" in written
    no_temporaries(out)


@settings(max_examples=150, deadline=None)
@given(stems=st.lists(st.text(min_size=1, max_size=90), min_size=1, max_size=4),
       departments=st.lists(st.lists(st.text(max_size=120), max_size=5) | st.none(), min_size=4, max_size=4),
       inputs_in_folder=st.lists(st.text(min_size=1, max_size=20), max_size=3))
def test_planned_names_never_collide_and_always_fit(stems: list[str], departments: list[list[str] | None],
                                                    inputs_in_folder: list[str]) -> None:
    items = [Input(f"{stem}.yaml", None if deps is None else tuple(Department(d) for d in deps))
             for stem, deps in zip(stems, departments, strict=False)]
    planned = plan(items, ".docx", input_names=inputs_in_folder)
    names = [p.name for group in planned for p in group if p.name]
    keys = [name_key(n) for n in names]
    assert len(keys) == len(set(keys)), names
    assert not set(keys) & {name_key(n) for n in inputs_in_folder}
    for group, item in zip(planned, items, strict=True):
        assert len(group) == (1 if item.departments is None else len(item.departments))
        for p in group:
            assert bool(p.name) != bool(p.problem)
    for name in names:
        assert len(name.encode("utf-8")) <= NAME_MAX and name.endswith(".docx")
        assert not re.search(r'[\x00-\x1f/\\:*?"<>|\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]', name)
        assert sanitize(name) == name.strip(" ._") or name.endswith(".docx")


# --------------------------------------------------------------------------- templates


@pytest.mark.parametrize(("body", "message"), [
    ('{% include "outside.j2" %}', "指向模板文件夹以外的链接"),
    ('{% include "/etc/passwd" %}', "“/etc/passwd”被拒绝：是绝对路径"),
    ('{% extends "../../x.j2" %}', "“../../x.j2”被拒绝：含有 ..（上一级文件夹）"),
    ('{% extends "mine.j2" %}', "模板继承或引用了它自己"),
    ("{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}", "步数超过上限"),
    ('{{ "字" * 100000000 }}', "用 * 重复出的内容超过上限"),
])
def test_templates_are_confined_and_bounded(tmp_path: Path, records: Path, body: str, message: str) -> None:
    folder = tmp_path / "模板"
    folder.mkdir()
    (tmp_path / "secret.txt").write_text("机密文字", encoding="utf-8")
    (folder / "outside.j2").symlink_to(tmp_path / "secret.txt")
    (folder / "mine.j2").write_text(body + "\n", encoding="utf-8")
    started = time.monotonic()
    result = cli("render", records.name, "-o", "总结.md", "--templates", folder, "-t", "mine", cwd=tmp_path)
    refused(result, message)
    assert time.monotonic() - started < 30
    assert "机密文字" not in result.stderr and not (tmp_path / "总结.md").exists()


# --------------------------------------------------------------------------- interruption


def _slow_batch(tmp_path: Path, count: int = 30) -> tuple[list[str], Path]:
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(count):
        shutil.copy(SAMPLE, folder / f"r{i:02d}.yaml")
    templates = tmp_path / "慢模板"
    templates.mkdir()
    (templates / "slow.j2").write_text(  # about a second per report: the batch is still running when stopped
        '{% extends "builtin/school_term.j2" %}{% block title %}{% for i in range(1200) %}'
        "{% for j in range(1200) %}{% endfor %}{% endfor %}{{ super() }}{% endblock %}\n", encoding="utf-8")
    args = [sys.executable, "-m", "summarykit", "batch", str(folder), "-o", str(tmp_path / "out"), "-j", "2",
            "--templates", str(templates), "-t", "slow"]
    return args, templates


def _workers_of(marker: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if marker in (entry / "cmdline").read_bytes().decode("utf-8", "replace"):
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="finds left-over workers through /proc")
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_an_interrupted_batch_stops_at_once_and_reports_exactly_what_it_wrote(tmp_path: Path, signum: int) -> None:
    args, templates = _slow_batch(tmp_path)
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    child = subprocess.Popen(args, cwd=tmp_path, env=env, stderr=subprocess.PIPE, text=True, preexec_fn=_limits)
    out = tmp_path / "out"
    deadline = time.monotonic() + 40
    while time.monotonic() < deadline and not (out.is_dir() and any(out.glob("*.docx"))):
        time.sleep(0.2)
    child.send_signal(signum)
    stopped = time.monotonic()
    _, stderr = child.communicate(timeout=30)
    assert time.monotonic() - stopped < 10, "the workers were left to finish the queue"
    assert child.returncode == 130 and "Traceback" not in stderr, stderr
    time.sleep(0.5)
    written = sorted(p.name for p in out.glob("*.docx"))
    assert 0 < len(written) < 30
    assert f"本次已写入 {len(written)} 份" in stderr, (written, stderr)
    no_temporaries(out)
    assert not _workers_of(str(templates)), "worker processes outlived the batch"
    time.sleep(1.5)
    assert sorted(p.name for p in out.glob("*.docx")) == written, "something kept writing after the end"


# --------------------------------------------------------------------------- limits


def test_records_limits_are_named(tmp_path: Path) -> None:
    big = "字" * 1_000_000
    bomb = ["meta:", "  organization: 某单位", "  period: 2026年", "  date: 2026-01-20",
            f"intro:\n  - &a {big}", *["  - *a"] * 2000, "achievements:", "  - heading: 日常", "    items: [完成。]"]
    (tmp_path / "锚点.yaml").write_text("\n".join(bomb) + "\n", encoding="utf-8")
    data = sample()
    data["achievements"][0]["items"].append({"text": "大数。", "metrics": [{"name": "x", "value": 1e300}]})
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False).replace("1.0e+300", "1e999999999")
    (tmp_path / "大数.yaml").write_text(text, encoding="utf-8")
    started = time.monotonic()
    result = cli("validate", "锚点.yaml", "大数.yaml", cwd=tmp_path)
    refused(result, "锚点.yaml:6: 内容展开后超过 1000 万字", "大数.yaml:", "metrics[0].value：数值 1e999999999 太大")
    assert time.monotonic() - started < 30


def test_style_file_formats_with_a_spec_are_refused(tmp_path: Path, records: Path) -> None:
    (tmp_path / "样式.yaml").write_text('page_numbers:\n  format: "第{n:02d}页"\nnumbering:\n  mine: ["{cn:>999999999}、"]\n',
                                       encoding="utf-8")
    result = cli("render", records.name, "-o", "总结.docx", "--style", "样式.yaml", cwd=tmp_path)
    refused(result, "{n:02d} 带了格式说明（:02d）", "不支持")
    assert not (tmp_path / "总结.docx").exists()


def test_a_huge_phrase_bank_is_refused_quickly(tmp_path: Path, records: Path) -> None:
    lines = ["category: opening", "phrases:", *(f"  - 这是第{i}条常用语。" for i in range(60_000))]
    (tmp_path / "短语.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    started = time.monotonic()
    refused(cli("render", records.name, "-o", "总结.docx", "--phrases", "短语.yaml", cwd=tmp_path),
            "超过了短语库的上限 50000 条")
    assert time.monotonic() - started < 30


def test_a_zip_bomb_and_a_huge_text_are_refused_by_check_and_import(tmp_path: Path) -> None:
    with zipfile.ZipFile(tmp_path / "炸弹.docx", "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"<" + b" " * (600 * 1024 * 1024))
    with (tmp_path / "长文.txt").open("w", encoding="utf-8") as handle:
        for _ in range(300):
            handle.write("这是一段很长的文字。" * 10_000 + "\n")
    refused(cli("check", "炸弹.docx", cwd=tmp_path), "解压后有", "超过了上限")
    refused(cli("import", "炸弹.docx", "-o", "导入.yaml", cwd=tmp_path), "解压后有", "超过了上限")
    refused(cli("check", "长文.txt", cwd=tmp_path), "文件太大", "检查的上限是 200 万字")
    assert not (tmp_path / "导入.yaml").exists()


# --------------------------------------------------------------------------- encodings and invisible characters


def test_encodings_and_invisible_characters_are_named_where_they_are(tmp_path: Path) -> None:
    good = SAMPLE.read_text(encoding="utf-8")
    lines = good.split("\n")
    (tmp_path / "utf16.yaml").write_bytes(good.encode("utf-16-le"))
    mixed = [line.encode("utf-8") for line in lines]
    gbk_line = next(i for i, line in enumerate(lines) if "食堂" in line)
    mixed[gbk_line] = lines[gbk_line].encode("gbk")
    (tmp_path / "混合.yaml").write_bytes(b"\n".join(mixed))
    date_line = next(i for i, line in enumerate(lines) if line.strip().startswith("date:"))
    bad_date = re.sub(r"date:.*", "date: 2026-13-45", lines[date_line])
    mac = "\r".join([*lines[:date_line], bad_date, *lines[date_line + 1:]])
    (tmp_path / "mac.yaml").write_text(mac, encoding="utf-8", newline="")
    cyrillic = next(i for i, line in enumerate(lines) if line.startswith("intro:"))
    with_key = list(lines)
    with_key[cyrillic] = "іntro:"  # U+0456, looks like i
    (tmp_path / "西里尔.yaml").write_text("\n".join(with_key), encoding="utf-8")
    nul = list(lines)
    nul[-3] = nul[-3] + "\x00"
    (tmp_path / "空字符.yaml").write_text("\n".join(nul), encoding="utf-8")
    result = cli("validate", "utf16.yaml", "混合.yaml", "mac.yaml", "西里尔.yaml", "空字符.yaml", cwd=tmp_path)
    assert result.returncode == 2
    assert "utf16.yaml：格式正确" in result.stderr and "已按 UTF-16 读取" in result.stderr
    assert f"混合.yaml:{gbk_line + 1}:" in result.stderr and "看起来是 GBK" in result.stderr
    assert re.search(rf"mac\.yaml:{date_line + 1}:\d+: meta\.date：", result.stderr), result.stderr
    assert f"西里尔.yaml:{cyrillic + 1}:1:" in result.stderr and "U+0456（CYRILLIC SMALL LETTER BYELORUSSIAN-UKRAINIAN I）" in result.stderr
    assert f"空字符.yaml:{len(lines) - 2}:{len(lines[-3]) + 1}:" in result.stderr and "U+0000" in result.stderr


def test_a_bom_and_a_variation_selector_inside_the_file_are_named(tmp_path: Path) -> None:
    good = SAMPLE.read_text(encoding="utf-8").split("\n")
    at = next(i for i, line in enumerate(good) if line.startswith("intro:"))
    good[at] = "\ufeffintro\ufe0f:"
    (tmp_path / "记录.yaml").write_text("\n".join(good), encoding="utf-8")
    result = cli("validate", "记录.yaml", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert f"记录.yaml:{at + 1}:1: 删除了看不见的字符 U+FEFF" in result.stderr
    assert f"记录.yaml:{at + 1}:6: 键名“intro”里有看不见的字符 U+FE0F（VARIATION SELECTOR-16）" in result.stderr


YAML_SAFE = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Cf", "Zl", "Zp", "Co", "Cn")), max_size=40)


@settings(max_examples=200, deadline=None)
@example(values=["¡", "莳"], ending="\n", codec="gb18030")  # “莳” in GBK (DD AA) is also two-byte UTF-8
@given(values=st.lists(YAML_SAFE, min_size=1, max_size=6), ending=st.sampled_from(["\n", "\r\n", "\r"]),
       codec=st.sampled_from(["utf-8", "utf-8-sig", "utf-16-le", "utf-16-be", "utf-16", "gb18030"]))
def test_text_reads_back_whatever_the_encoding_and_line_endings(values: list[str], ending: str, codec: str) -> None:
    text = "closing:\n" + "".join(f"  - {value!r}\n" for value in values)
    data = text.replace("\n", ending).encode(codec)
    if codec != "utf-8" and not codec.startswith("utf-16") and not codec.startswith("utf_16"):
        try:  # GB18030 bytes that are also valid UTF-8 (“蕖” is DE A1, Thaana in UTF-8) cannot be told apart
            data.decode("utf-8")
            assume(False)
        except UnicodeDecodeError:
            pass
    assert decode(data, "x.yaml").text == text


@settings(max_examples=100, deadline=None)
@given(before=st.integers(1, 30), after=st.integers(0, 30), ending=st.sampled_from(["\n", "\r\n", "\r"]))
def test_one_gbk_line_in_a_utf8_file_is_reported_at_its_line(before: int, after: int, ending: str) -> None:
    lines = [f"  - 第{i}项工作已完成。".encode() for i in range(before)]
    lines.append("  - 食堂改革".encode("gbk"))
    lines += [f"  - 第{i}项计划。".encode() for i in range(after)]
    data = ending.encode().join([b"plans:", *lines]) + ending.encode()
    with pytest.raises(Exception) as error:
        decode(data, "x.yaml")
    problem = error.value.problems[0]
    assert problem.line == before + 2 and "GBK" in problem.message


# --------------------------------------------------------------------------- structure and messages


def test_blank_headings_and_too_deep_sections_are_located_errors(tmp_path: Path) -> None:
    data = sample()
    data["achievements"].append({"heading": "\u3000\u3000", "items": ["某项工作。"]})
    section: dict = {"heading": "第1层"}
    data["sections"] = [section]
    for depth in range(2, 8):
        child = {"heading": f"第{depth}层", "paragraphs": ["正文。"]}
        section["subsections"] = [child]
        section = child
    write_yaml(tmp_path / "结构.yaml", data)
    result = cli("validate", "结构.yaml", cwd=tmp_path)
    refused(result, f"achievements[{len(data['achievements']) - 1}].heading：标题是空的",
            "subsections[0]：章节嵌套了 6 层，超过了编号能表示的 5 层")


def test_a_seed_too_large_gets_a_chinese_message(tmp_path: Path, records: Path) -> None:
    result = cli("render", records.name, "-o", "总结.docx", "--seed", "1e400", cwd=tmp_path)
    assert result.returncode == 2 and "'1e400' 不是有效的整数" in result.stderr
    assert not (tmp_path / "总结.docx").exists()


# --------------------------------------------------------------------------- docs/errors.md

NEW_MESSAGES = [
    "没有给出输出文件名（-o 后面是空的）；请给出文件名，例如 -o 总结.docx",
    "不是普通文件：summarykit 只写普通文件，不会替换它或通过它写入；请换一个输出文件名",
    "以斜杠结尾，是一个文件夹的名字，而这个文件夹不存在；请先创建它，或给出文件名",
    "是同一个文件（硬链接），写入会改掉输入；请换一个输出文件名，例如",
    "这个文件系统允许的上限是 255 字节；请换一个短一些的文件名",
    "：输出文件名冲突，未生成",
    "相同（会互相覆盖），这一份未生成",
    "与输出文件夹里的输入文件“x”相同（会覆盖它），这一份未生成",
    "其余未生成，也没有留下写了一半的文件。",
    "是指向模板文件夹以外的链接（指向 …），已拒绝读取；模板文件夹里的模板必须是文件夹里真实的文件",
    "不是普通文件（可能是文件夹、管道或设备），已拒绝读取",
    "模板文件的上限是 1 MB；请检查是否选错了文件",
    "模板继承或引用了它自己，会无限循环",
    "模板运行的步数超过上限（2000000 次循环或调用），已停止",
    "模板运行超过了 10 秒的上限，已停止",
    "模板生成的文字超过上限（5000000 个字），已停止",
    "模板用 * 重复出的内容超过上限（1000000 个字或项），已停止",
    "range() 的范围太大（沙箱的上限是 100000 项），已停止",
    "内容展开后超过 1000 万字（锚点 & 和引用 * 成倍展开）",
    "章节嵌套了 6 层，超过了编号能表示的 5 层（一、（一）1.（1）①）",
    "标题是空的（只有空格、全角空格或看不见的字符）",
    "太大，超出了范围（绝对值应小于 10 的 18 次方）",
    "带了格式说明（:02d），不支持；请只写 {n}",
    "超过了短语库的上限 50000 条",
    "文件解压后有 1024 MB，超过了上限 200 MB（可能是压缩炸弹，或含有大量图片）",
    "文件里的文字部分解压后有 600 MB，超过了上限 50 MB（可能是压缩炸弹）",
    "检查的上限是 200 万字",
    "不是普通文件（可能是管道或设备），不能检查",
    "这一行不是 UTF-8 编码（看起来是 GBK，可能是从别的文件粘贴来的），其他行是 UTF-8",
    "这一行有空字符（U+0000 NULL），文本文件里不应有这个字符",
    "这不是文本文件（含有二进制内容，第一处在这里）",
    "删除了看不见的字符 U+FEFF（ZERO WIDTH NO-BREAK SPACE，字节顺序标记）",
    "里有看不见的字符 U+FE0F（VARIATION SELECTOR-16），已删除",
    "不是英文字母，而是 U+0435（CYRILLIC SMALL LETTER IE）（看起来像英文字母 e）",
    "不是有效的整数",
]


def test_docs_errors_lists_every_new_message() -> None:
    from tests.test_bad_inputs import _doc_form

    docs = _doc_form((REPO / "docs" / "errors.md").read_text(encoding="utf-8"))
    missing = [m for m in NEW_MESSAGES if _doc_form(m) not in docs]
    assert not missing, missing
