"""The command line through the installed `summarykit` entry point, as users run it."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def summarykit(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("summarykit", path=str(Path(sys.executable).parent)) or shutil.which("summarykit")
    assert exe, "the summarykit console script is not installed"
    return subprocess.run([exe, *args], capture_output=True, text=True, cwd=cwd, timeout=120)


def test_render_writes_a_docx(tmp_path: Path) -> None:
    out = tmp_path / "总结.docx"
    result = summarykit("render", str(REPO / "sample_data" / "school_term.yaml"), "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert out.read_bytes()[:2] == b"PK"
    assert "已生成" in result.stderr


def test_render_markdown_by_suffix(tmp_path: Path) -> None:
    out = tmp_path / "总结.md"
    result = summarykit("render", str(REPO / "sample_data" / "school_term.yaml"), "-o", str(out), "--seed", "1")
    assert result.returncode == 0, result.stderr
    assert "## 七、存在问题" in out.read_text(encoding="utf-8")


BAD = """\
meta:
  organization: 某某中学
  date: 2026-02-30
intro: 5
achievements:
  - heading: 食堂
    itmes: [a]
"""


def test_bad_records_get_one_message_listing_every_problem_and_no_output(tmp_path: Path) -> None:
    records = tmp_path / "bad.yaml"
    records.write_text(BAD, encoding="utf-8")
    out = tmp_path / "out.docx"
    result = summarykit("render", str(records), "-o", str(out))
    assert result.returncode == 2
    assert not out.exists()
    assert "Traceback" not in result.stderr
    assert f"{records}:3:3: meta.date" in result.stderr
    assert f"{records}:4:1: intro" in result.stderr
    assert f"{records}:7:5: achievements[0].itmes" in result.stderr
    assert "是不是想写 `items`" in result.stderr


def test_an_existing_output_is_untouched_when_rendering_fails(tmp_path: Path) -> None:
    records = tmp_path / "bad.yaml"
    records.write_text(BAD, encoding="utf-8")
    out = tmp_path / "out.docx"
    out.write_bytes(b"previous")
    assert summarykit("render", str(records), "-o", str(out)).returncode == 2
    assert out.read_bytes() == b"previous"


def test_output_may_not_be_the_input(tmp_path: Path) -> None:
    records = tmp_path / "r.yaml"
    records.write_text((REPO / "sample_data" / "school_term.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    before = records.read_bytes()
    result = summarykit("render", str(records), "-o", str(records), "--format", "txt")
    assert result.returncode == 2
    assert "输入文件" in result.stderr
    assert records.read_bytes() == before


def test_missing_output_folder_is_explained(tmp_path: Path) -> None:
    result = summarykit("render", str(REPO / "sample_data" / "school_term.yaml"), "-o", str(tmp_path / "no" / "x.docx"))
    assert result.returncode == 2
    assert "不存在" in result.stderr


def test_validate_reports_ok_and_errors_with_exit_status(tmp_path: Path) -> None:
    good = summarykit("validate", str(REPO / "sample_data" / "school_term.yaml"))
    assert good.returncode == 0 and "格式正确" in good.stderr
    bad = tmp_path / "bad.yaml"
    bad.write_text(BAD, encoding="utf-8")
    result = summarykit("validate", str(bad))
    assert result.returncode == 2 and "发现 3 处问题" in result.stderr


def test_templates_lists_built_ins_from_another_directory(tmp_path: Path) -> None:
    result = summarykit("templates", "--json", cwd=tmp_path)
    assert result.returncode == 0
    names = {t["name"] for t in json.loads(result.stdout)}
    assert "school_term" in names


def test_schema_is_json_schema_of_records() -> None:
    result = summarykit("schema")
    schema = json.loads(result.stdout)
    assert schema["title"] == "summarykit 记录文件"
    assert "achievements" in schema["properties"]


def test_unknown_template_name_and_path_escape_are_refused(tmp_path: Path) -> None:
    records = str(REPO / "sample_data" / "school_term.yaml")
    for name in ("nope", "../etc/passwd"):
        result = summarykit("render", records, "-o", str(tmp_path / "x.docx"), "--template", name)
        assert result.returncode == 2, result.stderr
        assert "模板" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "x.docx").exists()


@pytest.mark.parametrize("args", [[], ["render"], ["frobnicate"]])
def test_usage_errors_exit_2(args: list[str]) -> None:
    assert summarykit(*args).returncode == 2


def test_render_of_a_multi_report_file_points_to_batch(tmp_path: Path) -> None:
    records = tmp_path / "各部门.yaml"
    records.write_text("defaults:\n  meta: {organization: 某局}\nreports:\n  - meta: {department: 办公室}\n",
                       encoding="utf-8")
    result = summarykit("render", str(records), "-o", str(tmp_path / "x.docx"))
    assert result.returncode == 2
    assert "summarykit batch" in result.stderr
    assert not (tmp_path / "x.docx").exists()
