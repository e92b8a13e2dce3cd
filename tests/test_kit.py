"""One pipeline: a Kit owns the configuration and every entry point — API, render, batch, preview — goes
through it, so the same options give the same bytes whichever way a report is produced."""

from __future__ import annotations

import concurrent.futures
import io
import pickle
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import summarykit as sk
from summarykit.drafting.templating import list_names
from summarykit.writers import WRITERS, format_for_path, get_writer

from .conftest import REPO, SAMPLE_DATA

SCHOOL = SAMPLE_DATA / "school_term.yaml"
STYLE = """\
page:
  top_mm: 30
fonts:
  body: 宋体
"""


def numbering_xml(docx_bytes: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(docx_bytes)) as package:
        return package.read("word/document.xml")


# --------------------------------------------------------------------------- render_many == render


@pytest.fixture(scope="module")
def style_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("style") / "本单位.yaml"
    path.write_text(STYLE, encoding="utf-8")
    return path


@settings(max_examples=24, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow])
@given(template=st.sampled_from(list_names()), seed=st.integers(0, 10_000),
       fonts=st.sampled_from([None, "gov", "windows", "open"]), numbering=st.sampled_from(["literal", "word"]),
       styled=st.booleans(), fmt=st.sampled_from(["docx", "md", "txt"]))
def test_render_many_gives_the_bytes_render_gives_for_every_option(
        tmp_path_factory: pytest.TempPathFactory, style_file: Path, template: str, seed: int, fonts: str | None,
        numbering: str, styled: bool, fmt: str) -> None:
    options = {"template": template, "seed": seed, "fonts": fonts, "numbering": numbering,
               "style": style_file if styled else None}
    single = sk.render(SCHOOL, format=fmt, **options)
    out = tmp_path_factory.mktemp("batch")
    result = sk.render_many([SCHOOL], out, jobs=1, format=fmt, **options)
    assert result.ok, result.failures
    assert (out / f"school_term.{fmt}").read_bytes() == single


def test_a_process_pool_writes_the_same_bytes_as_render(tmp_path: Path, style_file: Path) -> None:
    kit = sk.Kit(numbering="word", fonts="open", style=style_file, seed=3)
    inputs = [SAMPLE_DATA / name for name in ("school_term.yaml", "survey_report.yaml", "personal_summary.yaml")]
    result = kit.render_many(inputs, tmp_path / "out", jobs=2)
    assert result.ok and len(result.written) == 3
    for path in inputs:
        assert (tmp_path / "out" / f"{path.stem}.docx").read_bytes() == kit.render(path)


def test_batch_numbering_word_writes_word_list_numbering(tmp_path: Path) -> None:
    """`summarykit batch --numbering word` used to ignore the option; the Kit makes it the same as render."""
    subprocess.run([sys.executable, "-m", "summarykit", "batch", str(SCHOOL), "-o", str(tmp_path / "out"),
                    "--numbering", "word", "--jobs", "1"], check=True, capture_output=True)
    body = numbering_xml((tmp_path / "out" / "school_term.docx").read_bytes())
    assert b"<w:numPr>" in body
    subprocess.run([sys.executable, "-m", "summarykit", "render", str(SCHOOL), "-o", str(tmp_path / "r.docx"),
                    "--numbering", "word"], check=True, capture_output=True)
    assert (tmp_path / "r.docx").read_bytes() == (tmp_path / "out" / "school_term.docx").read_bytes()


@pytest.mark.parametrize("kind", ["threads", "processes"])
def test_render_many_runs_on_any_executor(tmp_path: Path, kind: str) -> None:
    kit = sk.Kit(seed=5)
    inputs = [SAMPLE_DATA / "school_term.yaml", SAMPLE_DATA / "survey_report.yaml"]
    pool_type = concurrent.futures.ThreadPoolExecutor if kind == "threads" else concurrent.futures.ProcessPoolExecutor
    with pool_type(max_workers=2) as executor:
        result = kit.render_many(inputs, tmp_path / "out", executor=executor)
    assert result.ok and len(result.written) == 2
    for path in inputs:
        assert (tmp_path / "out" / f"{path.stem}.docx").read_bytes() == kit.render(path)


def test_render_many_runs_on_a_dask_cluster(tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed")
    kit = sk.Kit(seed=5, numbering="word")
    inputs = [SAMPLE_DATA / "school_term.yaml", SAMPLE_DATA / "survey_report.yaml"]
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        result = kit.render_many(inputs, tmp_path / "out", executor=client.get_executor())
    assert result.ok, result.failures
    for path in inputs:
        assert (tmp_path / "out" / f"{path.stem}.docx").read_bytes() == kit.render(path)


def test_a_kit_survives_pickling_with_its_configuration() -> None:
    kit = sk.Kit(template="survey_report", fonts="open", numbering="word", seed=9,
                 template_sources={"mine": '{% extends "survey_report.j2" %}'})
    copy = pickle.loads(pickle.dumps(kit))
    assert copy.render(SCHOOL, template="mine") == kit.render(SCHOOL, template="mine")
    assert copy.style == kit.style


# --------------------------------------------------------------------------- records from plain data


def test_rendering_a_dict_gives_the_bytes_of_rendering_the_same_yaml() -> None:
    text = SCHOOL.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    assert sk.render(data, seed=2) == sk.render(SCHOOL, seed=2)
    assert sk.render(text, seed=2) == sk.render(SCHOOL, seed=2)


def test_json_text_renders_like_yaml() -> None:
    import json

    data = yaml.safe_load(SCHOOL.read_text(encoding="utf-8"))
    text = json.dumps(data, ensure_ascii=False, default=str)
    assert sk.render(text, seed=2) == sk.render(SCHOOL, seed=2)


MISTAKES = """\
meta:
  organization: 某某中学
  date: "2026-13-40"
  colour: 红
intro: 本学期工作顺利。
achievements:
  - heading: 日常管理
    items:
      - text: 完成维修。
        metrics:
          - value: 3
problems: [有不足。]
"""


def test_a_dict_gets_the_same_problems_with_paths_as_the_same_yaml() -> None:
    with pytest.raises(sk.RecordsError) as from_yaml:
        sk.load(MISTAKES)
    with pytest.raises(sk.RecordsError) as from_dict:
        sk.load(yaml.safe_load(MISTAKES))
    as_yaml = [(p.path, p.message, p.hint) for p in from_yaml.value.problems]
    as_dict = [(p.path, p.message, p.hint) for p in from_dict.value.problems]
    assert len(as_yaml) >= 3
    assert sorted(as_dict) == sorted(as_yaml)
    assert all(p.line is None for p in from_dict.value.problems)
    assert all(p.line is not None for p in from_yaml.value.problems)


def test_a_dict_is_cleaned_like_a_file() -> None:
    report = sk.load({"meta": {"organization": "某某中学"}, "intro": ["本学期,工作顺利."], "plans": None})
    same = sk.load("meta:\n  organization: 某某中学\nintro:\n  - 本学期,工作顺利.\nplans:\n")
    assert report.intro == same.intro and report.intro[0].startswith("本学期，")
    assert any(n.code == "empty" for n in report.notices)


def test_values_a_program_might_hold_are_refused_with_their_path() -> None:
    with pytest.raises(sk.RecordsError) as caught:
        sk.load({"meta": {"organization": {"某", "集合"}}, "intro": ["x"]})
    assert caught.value.problems[0].path == "meta.organization"


def test_multi_report_data_loads_entry_by_entry() -> None:
    data = {"defaults": {"meta": {"organization": "某某中学", "date": "2026-01-20"}},
            "reports": [{"meta": {"department": "总务处"}, "intro": ["顺利。"]},
                        {"meta": {"department": "保卫处", "date": "2026-02-30"}, "intro": ["顺利。"]}]}
    first, second = sk.Kit().load_all(data)
    assert first.report is not None and first.report.meta.department == "总务处"
    assert second.error is not None and second.error.problems[0].path == "reports[1].meta.date"


# --------------------------------------------------------------------------- templates see plain text


def test_a_user_template_sees_plain_record_text() -> None:
    kit = sk.Kit(template_sources={"len": "::title {{ report.title }}\n{{ report.intro[0] | length }}\n"
                                          "{{ report.intro[0][:5] }}\n"})
    doc = kit.compose(sk.load({"meta": {"title": "测试"}, "intro": ["9:30-10:00开会"]}), template="len")
    assert [b.text for b in doc.blocks] == ["12", "9:30-"]  # escaped it was 15, with backslashes


def test_record_text_still_never_becomes_markup() -> None:
    kit = sk.Kit(template_sources={"echo": "::title x\n{{ report.intro[0] }}\n{{ report.intro[1] | upper }}\n"
                                           "{{ report.intro | join(' ') }}\n"})
    doc = kit.compose(sk.load({"intro": ["# 不是标题", "::table 不是表"]}), template="echo")
    assert [type(b).__name__ for b in doc.blocks] == ["Paragraph"] * 3
    assert doc.blocks[0].text == "# 不是标题"


# --------------------------------------------------------------------------- template errors


def test_a_template_syntax_error_names_the_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "broken.j2").write_text('{% extends "school_term.j2" %}\n\n{% block opening %}\n{% if %}\n'
                                        "{% endblock %}\n", encoding="utf-8")
    with pytest.raises(sk.TemplateError) as caught:
        sk.render(SCHOOL, templates=[tmp_path], template="broken")
    problem = caught.value.problems[0]
    assert problem.file.endswith("broken.j2") and problem.line == 4
    assert "模板语法错误" in problem.message and problem.hint


def test_an_undefined_name_is_reported_in_chinese_at_its_line(tmp_path: Path) -> None:
    (tmp_path / "typo.j2").write_text('{% extends "school_term.j2" %}\n{% block closing %}\n'
                                      "{{ report.closingg }}\n{% endblock %}\n", encoding="utf-8")
    with pytest.raises(sk.TemplateError) as caught:
        sk.render(SCHOOL, templates=[tmp_path], template="typo")
    problem = caught.value.problems[0]
    assert problem.file.endswith("typo.j2") and problem.line == 3
    assert "closingg" in problem.message and "字段" in problem.message
    assert "has no attribute" not in caught.value.report()


def test_a_markup_error_points_at_the_template_line_that_wrote_it(tmp_path: Path) -> None:
    (tmp_path / "badmarkup.j2").write_text('{% extends "school_term.j2" %}\n{% block closing %}\n'
                                           "{% for p in report.closing %}\n::tabel {{ p }}\n{% endfor %}\n"
                                           "{% endblock %}\n", encoding="utf-8")
    with pytest.raises(sk.TemplateError) as caught:
        sk.render(SCHOOL, templates=[tmp_path], template="badmarkup")
    problem = caught.value.problems[0]
    assert problem.file.endswith("badmarkup.j2") and problem.line == 4
    assert "::tabel" in problem.message


def test_an_error_inside_a_parent_template_names_the_parent(tmp_path: Path) -> None:
    (tmp_path / "parent.j2").write_text("::title {{ report.title }}\n{% block body %}{% endblock %}\n"
                                        "{{ report.nosuchthing }}\n", encoding="utf-8")
    (tmp_path / "child.j2").write_text('{% extends "parent.j2" %}\n{% block body %}正文{% endblock %}\n',
                                       encoding="utf-8")
    with pytest.raises(sk.TemplateError) as caught:
        sk.render(SCHOOL, templates=[tmp_path], template="child")
    assert caught.value.problems[0].file.endswith("parent.j2")
    assert caught.value.problems[0].line == 3


def test_a_missing_template_folder_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(sk.TemplateError, match="不存在"):
        sk.Kit(templates=[tmp_path / "没有"])


def test_a_mistyped_template_name_gets_a_did_you_mean() -> None:
    with pytest.raises(sk.TemplateError, match="school_term"):
        sk.render(SCHOOL, template="school_trem")


# --------------------------------------------------------------------------- in memory, streams, reloads


def test_templates_and_phrase_banks_can_be_held_in_memory() -> None:
    bank = ("category: greeting\ndescription: 开场白\nform: sentence\nphrases:\n"
            "  - id: greeting.mine-1\n    text: 今天，我们在这里召开{period}工作总结会。\n")
    kit = sk.Kit(template_sources={"mini": "::title {{ report.title }}\n{{ phrase('greeting', period=report.meta.period) }}\n"},
                 phrase_sources={"我的词库.yaml": bank})
    assert "mini" in kit.templates.names()
    report = sk.load(SCHOOL)
    doc = kit.compose(report, template="mini")
    assert [b.text for b in doc.blocks] == [f"今天，我们在这里召开{report.meta.period}工作总结会。"]
    with pytest.raises(sk.PhraseBankError):
        sk.Kit(phrase_sources={"坏.yaml": "category: [\n"}).check()


def test_render_writes_to_any_binary_file_object() -> None:
    buffer = io.BytesIO()
    data = sk.render(SCHOOL, buffer, seed=1)
    assert buffer.getvalue() == data and data[:2] == b"PK"


def test_an_edited_template_file_is_picked_up_on_the_next_render(tmp_path: Path) -> None:
    import os

    path = tmp_path / "mine.j2"
    path.write_text("{#---\ntitle: 第一版\n---#}\n::title 一\n正文一\n", encoding="utf-8")
    kit = sk.Kit(templates=[tmp_path])
    assert kit.compose(sk.load(SCHOOL), template="mine").blocks[0].text == "正文一"
    path.write_text("{#---\ntitle: 第二版\n---#}\n::title 二\n正文二\n", encoding="utf-8")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 2_000_000_000))
    assert kit.compose(sk.load(SCHOOL), template="mine").blocks[0].text == "正文二"
    assert kit.templates.info("mine").title == "第二版"


# --------------------------------------------------------------------------- the writer registry


def test_one_registry_names_every_format_its_extension_and_media_type() -> None:
    assert set(WRITERS) >= {"docx", "md", "txt", "pdf"}
    assert format_for_path("总结.markdown") == "md" and format_for_path("x.unknown") is None
    assert get_writer("docx").media_type.endswith("wordprocessingml.document")
    with pytest.raises(sk.SummaryKitError, match="不支持的输出格式"):
        get_writer("odt")


def test_the_cli_offers_the_registry_formats() -> None:
    result = subprocess.run([sys.executable, "-m", "summarykit", "render", "--help"], capture_output=True, text=True)
    assert all(name in result.stdout for name in WRITERS)


def test_the_output_extension_chooses_the_format(tmp_path: Path) -> None:
    sk.render(SCHOOL, tmp_path / "x.md", seed=1)
    assert (tmp_path / "x.md").read_text(encoding="utf-8").startswith("#")


# --------------------------------------------------------------------------- structure


def test_the_package_has_no_import_cycles() -> None:
    """Every import in the package (module level or inside functions) as an edge; a cycle fails.

    Imports under ``if TYPE_CHECKING:`` are for annotations only and never run, so they are no edge.
    """
    import ast

    root = REPO / "src" / "summarykit"
    modules: dict[str, Path] = {}
    for path in root.rglob("*.py"):
        parts = list(path.relative_to(root.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        modules[".".join(parts)] = path

    def target(module: str, is_package: bool, node: ast.ImportFrom | ast.Import) -> list[str]:
        if isinstance(node, ast.Import):
            return [a.name for a in node.names if a.name.startswith("summarykit")]
        if node.level == 0:
            base = node.module or ""
        else:
            parts = module.split(".")
            if not is_package:
                parts = parts[:-1]
            parts = parts[: len(parts) - (node.level - 1)]
            base = ".".join([*parts, *([node.module] if node.module else [])])
        if not base.startswith("summarykit"):
            return []
        found = []
        for alias in node.names:  # `from . import commands` imports a module, not a name
            candidate = f"{base}.{alias.name}"
            found.append(candidate if candidate in modules else base)
        return found

    graph: dict[str, set[str]] = {}
    for module, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        typing_only = {id(inner) for block in ast.walk(tree)
                       if isinstance(block, ast.If) and ast.unparse(block.test).endswith("TYPE_CHECKING")
                       for inner in ast.walk(block)}
        edges = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import | ast.ImportFrom) and id(node) not in typing_only:
                for name in target(module, path.name == "__init__.py", node):
                    # an import of a package's submodule goes to the submodule, not through the package
                    while name not in modules and "." in name:
                        name = name.rsplit(".", 1)[0]
                    if name != module and name != "summarykit":
                        edges.add(name)
        graph[module] = edges

    cycles: list[list[str]] = []
    state: dict[str, int] = {}

    def visit(node: str, stack: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                cycles.append([*stack[stack.index(nxt):], nxt])
            elif nxt not in state:
                visit(nxt, [*stack, nxt])
        state[node] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    assert not cycles, "import cycles: " + "; ".join(" → ".join(c) for c in cycles)


def test_the_folders_show_the_stages() -> None:
    root = REPO / "src" / "summarykit"
    for stage in ("records", "drafting", "tree", "writers", "office", "tools", "cli", "zh"):
        assert (root / stage / "__init__.py").is_file(), stage
    assert len(list(root.glob("*.py"))) <= 12  # the rest lives in the stage folders
