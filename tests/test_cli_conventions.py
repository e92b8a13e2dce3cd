"""Command-line conventions, through the installed `summarykit` script: Chinese everywhere, `-` for
standard input and output, data output (--json), --quiet/--verbose, documented exit codes."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from summarykit.cli.main import build_parser

REPO = Path(__file__).resolve().parents[1]
SCHOOL = REPO / "sample_data" / "school_term.yaml"
COMMANDS = sorted(build_parser()._subparsers._group_actions[0].choices)  # type: ignore[union-attr]
ENGLISH = ("usage:", "positional arguments", "options:", "optional arguments", "show this help",
           "error:", "invalid", "required", "unrecognized", "expected one argument", "choose from")


def run(*args: str, stdin: bytes | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess[bytes]:
    exe = shutil.which("summarykit", path=str(Path(sys.executable).parent)) or shutil.which("summarykit")
    assert exe
    return subprocess.run([exe, *args], input=stdin, capture_output=True, cwd=cwd, timeout=120, check=False)


def text(stream: bytes) -> str:
    return stream.decode("utf-8")


@pytest.mark.parametrize("command", ["", *COMMANDS])
def test_every_help_is_chinese(command: str) -> None:
    result = run(*([command] if command else []), "--help")
    assert result.returncode == 0
    out = text(result.stdout)
    assert out.startswith("用法：")
    assert "选项：" in out and "显示本帮助并退出" in out
    assert not [w for w in ENGLISH if w in out.lower()], out


@pytest.mark.parametrize(("args", "expected"), [
    (["render", str(SCHOOL), "--seed", "abc"], "'abc' 不是有效的整数"),
    (["render"], "缺少必需的参数：RECORDS.yaml"),
    (["render", str(SCHOOL), "--fonts", "comic"], "不在可选范围内"),
    (["nope"], "不在可选范围内"),
    (["render", str(SCHOOL), "--bogus"], "不认识的参数：--bogus"),
    (["render", str(SCHOOL), "-o"], "后面要跟一个值"),
    (["batch", str(SCHOOL), "-o", "x", "--jobs", "0"], "应是正整数"),
    (["validate", str(SCHOOL), "--templates", "没有这个文件夹"], "模板文件夹“没有这个文件夹”不存在"),
    (["render", str(SCHOOL), "--templates", str(SCHOOL)], "是一个文件，不是文件夹"),
])
def test_usage_errors_are_chinese_and_exit_2(args: list[str], expected: str) -> None:
    result = run(*args)
    assert result.returncode == 2
    err = text(result.stderr)
    assert expected in err, err
    assert "用法：" in err and "-h 查看用法" in err
    assert not [w for w in ENGLISH if w in err.lower()], err


def test_dash_is_standard_input_and_output_and_never_a_file(tmp_path: Path) -> None:
    records = SCHOOL.read_bytes()
    md = run("render", "-", "-o", "-", "-f", "md", "--seed", "1", stdin=records, cwd=tmp_path)
    assert md.returncode == 0, md.stderr
    assert text(md.stdout).startswith("# 某某中学")
    assert md.stdout == run("render", str(SCHOOL), "-o", "-", "-f", "md", "--seed", "1").stdout
    docx = run("render", "-", "--seed", "1", stdin=records, cwd=tmp_path)  # no -o: standard output
    assert docx.returncode == 0 and docx.stdout[:2] == b"PK"
    assert run("validate", "-", stdin=records, cwd=tmp_path).returncode == 0
    assert json.loads(run("schema", "-o", "-", cwd=tmp_path).stdout)["$schema"]
    check = run("check", "-", "--json", stdin="完成了维修,更换门窗。\n".encode(), cwd=tmp_path)
    assert check.returncode == 0 and json.loads(check.stdout)["findings"]
    assert list(tmp_path.iterdir()) == [], "nothing named '-' (or anything else) was written"


def test_validate_json_lists_problems_as_data(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("meta:\n  date: 2026/13/01\nachievements:\n  - items: [一条]\n", encoding="utf-8")
    result = run("validate", "--json", str(SCHOOL), str(bad))
    assert result.returncode == 2
    data = json.loads(result.stdout)
    assert [d["ok"] for d in data] == [True, False]
    assert [(p["line"], p["path"]) for p in data[1]["problems"]] == [(2, "meta.date"), (4, "achievements[0].heading")]
    assert all(p["hint"] for p in data[1]["problems"])


def test_validate_checks_the_template_name_with_a_did_you_mean(tmp_path: Path) -> None:
    typo = tmp_path / "typo.yaml"
    typo.write_text(SCHOOL.read_text(encoding="utf-8").replace("template: school_term", "template: school_trem"),
                    encoding="utf-8")
    result = run("validate", str(typo))
    assert result.returncode == 2
    err = text(result.stderr)
    assert re.search(r"typo\.yaml:\d+: meta\.template：找不到模板“school_trem”。是不是“school_term”？", err), err
    render = run("render", str(typo), "-o", str(tmp_path / "x.docx"))
    assert render.returncode == 2 and "是不是“school_term”" in text(render.stderr)
    assert not (tmp_path / "x.docx").exists()
    assert run("validate", str(SCHOOL), "--template", "survey_reprot").returncode == 2


def test_validate_accepts_templates_folders(tmp_path: Path) -> None:
    folder = tmp_path / "我的模板"
    folder.mkdir()
    (folder / "clinic.j2").write_text('{% extends "school_term.j2" %}\n', encoding="utf-8")
    records = tmp_path / "r.yaml"
    records.write_text(SCHOOL.read_text(encoding="utf-8").replace("template: school_term", "template: clinic"),
                       encoding="utf-8")
    assert run("validate", str(records)).returncode == 2
    assert run("validate", str(records), "--templates", str(folder)).returncode == 0


def test_batch_json_reports_each_input(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("meta:\n  date: 2026-02-30\n", encoding="utf-8")
    result = run("batch", str(SCHOOL), str(bad), "-o", str(tmp_path / "out"), "--json", "-j", "1", "-f", "md")
    assert result.returncode == 2
    data = json.loads(result.stdout)
    assert [d["ok"] for d in data] == [True, False]
    assert data[0]["outputs"] and Path(data[0]["outputs"][0]).is_file()
    assert data[1]["failures"][0]["problems"][0]["path"] == "meta.date"


def test_quiet_and_verbose(tmp_path: Path) -> None:
    loud = run("render", str(SCHOOL), "-o", str(tmp_path / "a.md"))
    assert "已生成" in text(loud.stderr)
    for args in (["-q", "render", str(SCHOOL)], ["render", str(SCHOOL), "--quiet"]):
        quiet = run(*args, "-o", str(tmp_path / "b.md"))
        assert quiet.returncode == 0 and quiet.stderr == b""
    noisy = tmp_path / "noisy.yaml"
    noisy.write_text("meta:\n  organization: 某某中学\nintro:\n  - 完成了维修,更换门窗。\nclosing:\n", encoding="utf-8")
    plain = run("batch", str(noisy), "-o", str(tmp_path / "o1"), "-j", "1")
    verbose = run("batch", str(noisy), "-o", str(tmp_path / "o2"), "-j", "1", "-v")
    assert "提示" not in text(plain.stderr) and "提示" in text(verbose.stderr)
    failing = run("-q", "validate", str(tmp_path / "none.yaml"))
    assert failing.returncode == 2 and "找不到" in text(failing.stderr), "--quiet keeps errors"


def test_check_strict_findings_have_their_own_exit_code(tmp_path: Path) -> None:
    sloppy = tmp_path / "t.txt"
    sloppy.write_text("完成了维修,更换门窗。\n", encoding="utf-8")
    assert run("check", str(sloppy)).returncode == 0
    assert run("check", str(sloppy), "--strict").returncode == 3
    assert run("check", str(tmp_path / "none.txt"), "--strict").returncode == 2
    for doc in ("README.md", "docs/errors.md", "docs/check.md"):
        assert re.search(r"\b3\b[^\n]*check --strict|--strict[^\n]*\b3\b", (REPO / doc).read_text(encoding="utf-8")), doc
