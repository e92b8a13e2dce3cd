"""Batch rendering: many inputs, one output each, a bad input named by file and line, the rest still written."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest

import summarykit as sk
from summarykit.errors import RecordsError
from summarykit.records.multi import count_reports, read_entries, safe_name
from summarykit.writers.package import assemble, zip_time

REPO = Path(__file__).resolve().parents[1]

RECORDS = """\
meta:
  organization: 某某中学
  department: {department}
  period: 2025—2026学年第一学期
  subject: 后勤
  date: 2026-01-20
intro: [本学期，{department}各项工作稳步推进。]
achievements:
  - heading: 日常管理
    items: [完成了日常维修。, 规范了物品领用。]
problems: [个别环节衔接不够紧密。]
plans: [继续做好服务保障。]
"""

BROKEN = """\
meta:
  organization: 某某中学
intro: [本学期，
  工作稳步推进。
achievements: []
"""

MULTI = """\
defaults:
  meta:
    organization: 某某大学
    period: 2025年
    subject: 后勤
    date: 2026-01-20
  plans: [继续做好服务保障。]
reports:
  - meta:
      department: 总务处
    intro: [本年度，总务处各项工作有序推进。]
  - meta:
      department: 保卫处
      date: 2026-02-30
    intro: [本年度，保卫处工作平稳。]
  - meta:
      department: 资产/设备处
    intro: [本年度，资产管理规范。]
  - intro: [本年度，未写部门的单位工作有序。]
"""


def summarykit(*args: str) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("summarykit", path=str(Path(sys.executable).parent)) or shutil.which("summarykit")
    assert exe, "the summarykit console script is not installed"
    return subprocess.run([exe, *args], capture_output=True, text=True, timeout=300)


def write_inputs(folder: Path, count: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        path = folder / f"unit{i:03d}.yaml"
        path.write_text(RECORDS.format(department=f"第{i}科"), encoding="utf-8")
        paths.append(path)
    return paths


# --------------------------------------------------------------------------- the command line


def test_300_inputs_with_one_broken_write_299_name_the_broken_one_and_exit_2(tmp_path: Path) -> None:
    inputs = write_inputs(tmp_path / "in", 300)
    broken = inputs[150]
    broken.write_text(BROKEN, encoding="utf-8")
    out = tmp_path / "out"

    result = summarykit("batch", str(tmp_path / "in"), "-o", str(out), "--jobs", "2", "--format", "txt")

    assert result.returncode == 2, result.stderr
    written = sorted(p.name for p in out.iterdir())
    assert len(written) == 299
    assert "unit150.txt" not in written
    assert written == sorted(f"{p.stem}.txt" for p in inputs if p != broken)
    assert f"{broken}:3:" in result.stderr  # the broken file, with the line of the mistake
    assert "已生成 299 份，失败 1 份" in result.stderr
    assert "Traceback" not in result.stderr
    assert "\r" not in result.stderr  # no progress bar when stderr is not a terminal


def test_cli_batch_of_a_multi_report_file_exits_2_when_one_report_is_bad(tmp_path: Path) -> None:
    records = tmp_path / "大学.yaml"
    records.write_text(MULTI, encoding="utf-8")
    out = tmp_path / "out"
    result = summarykit("batch", str(records), "-o", str(out), "-f", "md")
    assert result.returncode == 2
    assert sorted(p.name for p in out.iterdir()) == ["大学-4.md", "大学-总务处.md", "大学-资产_设备处.md"]
    assert f"{records}:14:" in result.stderr and "reports[1].meta.date" in result.stderr


def test_cli_batch_all_good_exits_0_and_prints_a_summary(tmp_path: Path) -> None:
    inputs = write_inputs(tmp_path / "in", 3)
    result = summarykit("batch", *map(str, inputs), "-o", str(tmp_path / "out"), "-j", "2")
    assert result.returncode == 0, result.stderr
    assert "已生成 3 份，失败 0 份" in result.stderr
    assert all((tmp_path / "out" / f"{p.stem}.docx").is_file() for p in inputs)


# --------------------------------------------------------------------------- the library


def test_docx_batch_in_a_pool_gives_the_same_bytes_as_render(tmp_path: Path) -> None:
    inputs = [*write_inputs(tmp_path / "in", 2), REPO / "sample_data" / "school_term.yaml"]
    result = sk.render_many(inputs, tmp_path / "out", jobs=2)
    assert result.ok and result.jobs == 2
    for path in inputs:
        data = (tmp_path / "out" / f"{path.stem}.docx").read_bytes()
        assert data == sk.render(path)
        assert docx.Document(io.BytesIO(data)).paragraphs[0].text


def test_outcomes_follow_input_order_and_progress_is_called_once_per_input(tmp_path: Path) -> None:
    inputs = write_inputs(tmp_path / "in", 6)
    seen: list[str] = []
    result = sk.render_many(inputs, tmp_path / "out", jobs=2, format="txt", progress=lambda o: seen.append(o.input))
    assert [o.input for o in result.outcomes] == [str(p) for p in inputs]
    assert sorted(seen) == sorted(str(p) for p in inputs)
    assert len(result.written) == 6 and not result.failures
    assert "已生成 6 份，失败 0 份" in result.summary()


def test_a_file_of_many_reports_gives_one_document_each_named_by_department_or_number(tmp_path: Path) -> None:
    records = tmp_path / "大学.yaml"
    records.write_text(MULTI, encoding="utf-8")
    result = sk.render_many([records], tmp_path / "out", jobs=1, format="md")

    (outcome,) = result.outcomes
    assert [Path(p).name for p in outcome.outputs] == ["大学-总务处.md", "大学-资产_设备处.md", "大学-4.md"]
    text = (tmp_path / "out" / "大学-总务处.md").read_text(encoding="utf-8")
    assert "某某大学" in text and "总务处" in text  # meta from defaults, merged under the entry
    assert "继续做好服务保障" in text  # a part given only in defaults
    (failure,) = outcome.failures
    assert failure.entry == "reports[1]（保卫处）"
    (problem,) = failure.problems
    assert (problem.line, problem.path) == (14, "reports[1].meta.date")
    assert "保卫处" in failure.message and str(records) in failure.message


def test_a_bad_value_inherited_from_defaults_is_located_in_defaults(tmp_path: Path) -> None:
    records = tmp_path / "units.yaml"
    records.write_text(MULTI.replace("    date: 2026-01-20\n", "    date: 2026-13-01\n", 1), encoding="utf-8")
    entries = read_entries(records)
    assert [e.error is not None for e in entries] == [True, True, True, True]
    inherited = entries[0].error
    assert inherited is not None
    assert [p.line for p in inherited.problems] == [6]  # defaults.meta.date's line, not the entry's
    assert [p.line for p in entries[1].error.problems] == [14]  # the entry's own date wins over the default


def test_the_frame_of_a_multi_report_file_is_checked_with_lines(tmp_path: Path) -> None:
    records = tmp_path / "bad.yaml"
    records.write_text("defaults:\n  meta: {organization: 某单位}\nreport_list: []\nreports: 5\n", encoding="utf-8")
    with pytest.raises(RecordsError) as caught:
        read_entries(records)
    by_path = {p.path: p.line for p in caught.value.problems}
    assert by_path == {"report_list": 3, "reports": 4}


def test_a_large_multi_report_file_is_split_across_workers_and_every_report_written_once(tmp_path: Path) -> None:
    entries = "".join(f"  - meta: {{department: 科室{i}}}\n    intro: [科室{i}工作有序。]\n" for i in range(10))
    records = tmp_path / "big.yaml"
    records.write_text(MULTI.split("reports:")[0] + "reports:\n" + entries, encoding="utf-8")
    assert count_reports(records) == 10
    result = sk.render_many([records], tmp_path / "out", jobs=2, format="txt")
    (outcome,) = result.outcomes
    assert outcome.ok
    assert [Path(p).name for p in outcome.outputs] == [f"big-科室{i}.txt" for i in range(10)]
    assert len(list((tmp_path / "out").iterdir())) == 10


def test_an_output_that_would_replace_an_input_is_refused_and_the_input_kept(tmp_path: Path) -> None:
    records = tmp_path / "notes.txt"  # a records file that happens to end in .txt
    text = RECORDS.format(department="总务处")
    records.write_text(text, encoding="utf-8")
    result = sk.render_many([records], tmp_path, jobs=1, format="txt")
    assert not result.ok and not result.written
    assert "输入文件" in result.failures[0].message
    assert records.read_text(encoding="utf-8") == text


def test_inputs_with_the_same_name_in_different_folders_do_not_overwrite_each_other(tmp_path: Path) -> None:
    first, second = tmp_path / "a" / "x.yaml", tmp_path / "b" / "x.yaml"
    for path in (first, second):
        path.parent.mkdir()
        path.write_text(RECORDS.format(department=path.parent.name), encoding="utf-8")
    result = sk.render_many([first, second], tmp_path / "out", jobs=1, format="md")
    assert [o.ok for o in result.outcomes] == [True, False]
    assert str(first) in result.outcomes[1].failures[0].message
    assert "a各项工作" in (tmp_path / "out" / "x.md").read_text(encoding="utf-8")


def test_problems_that_spoil_the_whole_batch_raise_before_any_work(tmp_path: Path) -> None:
    inputs = write_inputs(tmp_path / "in", 1)
    with pytest.raises(sk.TemplateError):
        sk.render_many(inputs, tmp_path / "out", template="no_such_template")
    with pytest.raises(sk.SummaryKitError):
        sk.render_many(inputs, tmp_path / "out", format="odt")
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


@pytest.mark.parametrize(("department", "expected"), [
    ("资产/设备处", "资产_设备处"), ("  后勤  服务 中心 ", "后勤 服务 中心"), ("CON", "CON_"), ('a:b*c?"d"', "a_b_c_d"),
])
def test_department_names_become_safe_file_names(department: str, expected: str) -> None:
    assert safe_name(department) == expected


# --------------------------------------------------------------------------- the zip writer


def test_the_hand_written_zip_is_byte_for_byte_what_zipfile_writes() -> None:
    """Static parts are compressed once per process; the package must still be an ordinary zip."""
    parts = (("[Content_Types].xml", b"<Types/>" * 50), ("word/document.xml", b"<w:document/>"),
             ("docProps/核心.xml", "中文".encode() * 100), ("empty.xml", b""))
    replaced = {"word/document.xml": "<w:body>正文</w:body>".encode() * 30}
    when = dt.datetime(2026, 1, 20, 9, 30, 16)  # zip keeps even seconds
    expected = io.BytesIO()
    with zipfile.ZipFile(expected, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in parts:
            info = zipfile.ZipInfo(name, date_time=zip_time(when))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            package.writestr(info, replaced.get(name, data), compresslevel=6)
    ours = assemble(parts, replaced, when)
    assert ours == expected.getvalue()
    with zipfile.ZipFile(io.BytesIO(ours)) as package:
        assert package.testzip() is None
        assert package.read("word/document.xml") == replaced["word/document.xml"]
        assert package.getinfo("empty.xml").date_time == zip_time(when)
