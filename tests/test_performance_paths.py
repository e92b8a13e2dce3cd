"""The shortcuts taken for speed give exactly what the full paths give.

Each fast path in the per-report pipeline skips work only when it can prove
the work would change nothing; these tests check that proof on random input
against the slow path it replaces, and check the batch and CLI shortcuts by
their observable behaviour (files written, modules imported).  No timings here:
benchmarks/ measures those.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from summarykit.errors import RecordsError
from summarykit.output import write_atomic
from summarykit.records import decoding, loading, textclean, yamlmarks
from summarykit.writers import linebreak

REPO = Path(__file__).resolve().parents[1]

# --------------------------------------------------------------------------- textclean.clean_text

# Characters the cleaning treats specially, mixed with plain Chinese and Latin text.
_CLEAN_ALPHABET = st.sampled_from([
    "中", "文", "a", "B", "3", " ", "\u3000", "\xa0", "\t", "\n", "\r", "\r\n", "\x0b", "\x0c", "\x00", "\x1f",
    "\x7f", "\x85", "\x9f", "\u2028", "\u2029", "\ud800", "\ufffe", ",", ";", ":", "?", "!", "(", ")", '"', "'",
    ".", "，", "；", "：", "？", "！", "（", "）", "“", "”", "%", "http://a.b/c", "www.x.cn", "a@b.cn", "9:30",
    "3,500", "Tom's", "、", "。", "-",
])
_CLEAN_TEXT = st.lists(_CLEAN_ALPHABET, max_size=30).map("".join) | st.text(max_size=30)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=_CLEAN_TEXT, punctuation=st.booleans())
def test_clean_text_fast_path_equals_full_cleaning(text: str, punctuation: bool) -> None:
    assert textclean.clean_text(text, punctuation=punctuation) == textclean._clean_text_slow(
        text, punctuation=punctuation)


def test_clean_text_still_cleans_what_needs_cleaning() -> None:
    assert textclean.clean_text("  完成了维修,更换门窗。 ") == ("完成了维修，更换门窗。", 0, 1)
    assert textclean.clean_text("完成了，  维修") == ("完成了，维修", 0, 0)
    assert textclean.clean_text("第一行\n第二行\x07") == ("第一行第二行", 1, 0)
    assert textclean.clean_text("\u3000本学期完成了校舍维修。\u3000") == ("本学期完成了校舍维修。", 0, 0)


# --------------------------------------------------------------------------- loading: skipping the event scan

_INDENTS = st.sampled_from(["", " ", "  ", "    ", "      ", "        ", "\t"])
_LEADS = st.sampled_from(["", "- ", "? ", ": ", "-", "- - ", "- ? ", "-\t", "- - - "])
_BODIES = st.lists(st.sampled_from([
    "a", "k:", "k: v", "k: ", "[", "]", "{", "}", ", ", ",", "[a: b]", "{a: b}", "[[a]]", "'q'", '"q"', "|", ">",
    " # c", "中文", " ", ":", "- ", "? ", "!!str ", "!!map", "9:30", "yes",
]), max_size=6).map("".join)
# Deep nesting on one line, where a bound that forgot a kind of collection would fall short.
_NESTED = st.integers(1, 40).flatmap(lambda n: st.sampled_from([
    "[" * n + "a" + "]" * n, "{a: " * n + "b" + "}" * n, "- " * n + "a", "[a: " * n + "b" + "]" * n]))
_LINES = st.tuples(_INDENTS, _LEADS, _BODIES | _NESTED).map("".join)
_YAMLISH = st.builds(lambda lines, newline: newline.join(lines), st.lists(_LINES, min_size=1, max_size=12),
                     st.sampled_from(["\n", "\r\n"]))


def _max_depth(text: str) -> int:
    depth = deepest = 0
    for event in yaml.parse(text, Loader=yamlmarks._Loader):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            deepest = max(deepest, depth)
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
    return deepest


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(text=_YAMLISH)
def test_depth_bound_is_never_below_the_real_nesting(text: str) -> None:
    try:
        deepest = _max_depth(text)
    except yaml.YAMLError:
        return  # not YAML: composing fails with the same parser error, scan or no scan
    assert deepest <= yamlmarks._depth_bound(text)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=_YAMLISH | st.text(alphabet="ab: -?[]{},&*\n'\"#!.", max_size=40))
def test_skipping_the_scan_never_skips_a_finding(text: str) -> None:
    if yamlmarks._scan_needed(text):
        return
    source = decoding.Source(text, "t.yaml")
    try:
        assert list(yamlmarks._scan(source)) == []
    except yaml.YAMLError:
        pass  # the same parser error comes from composing


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=_YAMLISH | st.text(alphabet="ab: -?[]{},'\"#!.|>\n中", max_size=40))
def test_the_event_bound_is_never_below_the_real_event_count(text: str) -> None:
    if yamlmarks._SCAN_TRIGGERS.search(text):
        return  # anchors, aliases, documents: the scan runs anyway
    try:
        events = sum(1 for _ in yaml.parse(text, Loader=yamlmarks._Loader))
    except yaml.YAMLError:
        return
    assert events <= yamlmarks._event_bound(text)


def _deep_blocks(levels: int) -> str:
    return "".join("  " * depth + f"k{depth}:\n" for depth in range(levels)) + "  " * levels + "v: 1\n"


@pytest.mark.parametrize("text", [
    _deep_blocks(80),
    "intro: " + "[" * 40 + "]" * 40 + "\n",
    "intro: " + "{a: " * 70 + "b" + "}" * 70 + "\n",
    "- " * 40 + "a\n",
    "a: &x 1\nb: *x\n",
    "meta: {organization: 甲}\n---\nmeta: {organization: 乙}\n",
    "a: 1\n...\nb: 2\n",
    "a: 1\rb: 2\n",
    "intro:\n  - 一\u2028二\n",
    "intro: [" + "a, " * 30_000 + "a]\n",
])
def test_what_the_scan_catches_is_never_skipped(text: str) -> None:
    assert yamlmarks._scan_needed(text)


def test_sample_records_skip_the_scan() -> None:
    """Every sample file takes the fast path, and the scan would indeed have found nothing in it.

    A sample with emphasis (``**重点**``) has the asterisk that could start an alias, so it is scanned.
    """
    for path in sorted((REPO / "sample_data").glob("*.yaml")):
        source = decoding.strip_forbidden(decoding.read_source(path))
        assert yamlmarks._scan_needed(source.text) == ("*" in source.text), path.name
        assert list(yamlmarks._scan(source)) == []
        assert _max_depth(source.text) <= yamlmarks._depth_bound(source.text) <= yamlmarks.MAX_DEPTH


def test_bad_inputs_are_still_refused_with_the_scan_message() -> None:
    with pytest.raises(RecordsError) as deep:
        loading.loads(_deep_blocks(80), "deep.yaml")
    assert "嵌套层数超过" in deep.value.report()
    with pytest.raises(RecordsError) as anchor:
        loading.loads("meta:\n  organization: &甲 某中学\n", "anchor.yaml")
    assert "锚点" in anchor.value.report()


# --------------------------------------------------------------------------- output: batch writes without fsync


@pytest.mark.parametrize("durable", [True, False])
def test_write_atomic_writes_the_same_file_durable_or_not(tmp_path: Path, durable: bool) -> None:
    target = tmp_path / "总结.docx"
    target.write_bytes(b"old")
    target.chmod(0o640)
    write_atomic(target, b"new bytes", (tmp_path / "r.yaml",), durable=durable)
    assert target.read_bytes() == b"new bytes"
    assert target.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["总结.docx"]  # no temporary file left behind


def test_batch_writes_every_report_without_per_file_fsync(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    import summarykit as sk

    calls: list[str] = []
    monkeypatch.setattr(os, "fsync", lambda fd: calls.append("fsync"))
    monkeypatch.setattr(os, "sync", lambda: calls.append("sync"), raising=False)
    sample = (REPO / "sample_data" / "school_term.yaml").read_text(encoding="utf-8")
    inputs = []
    for i in range(3):
        path = tmp_path / f"unit{i}.yaml"
        path.write_text(sample.replace("  organization: 某某中学\n", f"  organization: 某某中学\n  department: 第{i}部门\n"),
                        encoding="utf-8")
        inputs.append(path)
    result = sk.render_many(inputs, tmp_path / "out", jobs=1, seed=1)
    assert result.ok and len(result.written) == 3
    assert calls == ["sync"]  # one flush for the whole batch, none per file
    for path, written in zip(inputs, result.written, strict=True):
        assert Path(written).read_bytes() == sk.render(path, seed=1)


# --------------------------------------------------------------------------- CLI: building the parser stays light


def test_building_the_cli_parser_imports_no_heavy_library() -> None:
    code = ("import sys\n"
            "from summarykit.cli.main import build_parser\n"
            "build_parser().format_help()\n"
            "heavy = [m for m in ('jinja2', 'docx', 'jieba', 'tqdm', 'pydantic', 'yaml', 'importlib.metadata',\n"
            "                     'summarykit.tools.textcheck') if m in sys.modules]\n"
            "assert not heavy, heavy\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr


def test_cli_help_and_validate_import_no_heavy_library(tmp_path: Path) -> None:
    code = ("import sys, contextlib, io\n"
            "from summarykit.cli.main import main\n"
            "with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):\n"
            "    main(['--help'])\n"
            "with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):\n"
            "    main(['phrases', '--help'])\n"
            f"assert main(['validate', {str(REPO / 'sample_data' / 'school_term.yaml')!r}]) == 0\n"
            "heavy = [m for m in ('jinja2', 'docx', 'lxml', 'jieba', 'tqdm', 'openpyxl') if m in sys.modules]\n"
            "assert not heavy, heavy\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr


def test_validate_loads_neither_the_spreadsheet_stage_nor_the_document_tree_nor_other_commands() -> None:
    # What one `summarykit validate` of a YAML file does NOT import (each was paid on every start before):
    # the sheet layouts and workbook reader, the document tree and numbering rules (only a wrong typed
    # label needs them), the other sub-commands' modules, difflib (only a did-you-mean) and json (--json).
    code = ("import os, sys\n"
            "from summarykit.cli.main import main\n"
            f"assert main(['validate', {str(REPO / 'sample_data' / 'school_term.yaml')!r}]) == 0\n"
            "not_wanted = ('summarykit.sources.layouts', 'summarykit.sources.grid', 'summarykit.sources.xlsx',\n"
            "              'summarykit.tree.document', 'summarykit.tree.numbering', 'difflib', 'json')\n"
            "loaded = [m for m in not_wanted if m in sys.modules]\n"
            "loaded += [m for m in sys.modules if m.startswith('summarykit.cli.commands.')]\n"
            "assert not loaded, loaded\n"
            "assert 'PYDANTIC_DISABLE_PLUGINS' not in os.environ  # set only while main() ran\n")
    env = {k: v for k, v in os.environ.items() if k != "PYDANTIC_DISABLE_PLUGINS"}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False, env=env)
    assert done.returncode == 0, done.stderr


def test_the_command_line_skips_pydantic_plugins_only_while_it_runs_and_keeps_a_users_choice(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from summarykit.cli import main as cli

    seen: list[str | None] = []
    monkeypatch.setattr(cli, "_main", lambda argv: seen.append(os.environ.get(cli.PLUGINS_SWITCH)) or 0)
    monkeypatch.delenv(cli.PLUGINS_SWITCH, raising=False)
    assert cli.main(["templates"]) == 0
    assert cli.PLUGINS_SWITCH not in os.environ
    monkeypatch.setenv(cli.PLUGINS_SWITCH, "")  # a user who wants their plugins in the command line too
    cli.main(["templates"])
    assert seen == ["__all__", ""] and os.environ[cli.PLUGINS_SWITCH] == ""


def _sub_commands(parser: object) -> dict[str, object]:
    return next(a for a in parser._actions if a.dest == "command").choices  # type: ignore[attr-defined]


def test_the_parser_of_one_sub_command_is_the_same_as_in_the_whole_parser() -> None:
    from summarykit.cli.main import build_parser

    whole = _sub_commands(build_parser())
    assert len(whole) >= 11
    for name, full in whole.items():
        alone = _sub_commands(build_parser(only=name))
        assert list(alone) == [name]
        assert alone[name].format_help() == full.format_help(), name  # type: ignore[attr-defined]
    line = ["-q", "validate", "a.yaml", "b.yaml", "--json", "-t", "school_term"]
    assert vars(build_parser(only="validate").parse_args(line)) == vars(build_parser().parse_args(line))


@pytest.mark.parametrize(("argv", "expected"), [
    (["validate", "x.yaml"], "validate"), (["-q", "render", "x.yaml"], "render"), (["--verbose", "import", "a"], "import"),
    (["batch", "--help"], "batch"), ([], None), (["--help"], None), (["--version"], None), (["-qv", "render"], None),
    (["--verb", "render"], None), (["--", "render"], None), (["validat", "x"], None), (["x.yaml"], None),
])
def test_the_command_a_line_names_is_taken_only_when_certain(argv: list[str], expected: str | None) -> None:
    from summarykit.cli.main import command_in

    assert command_in(argv) == expected


def test_list_fields_default_to_a_fresh_list_for_every_record() -> None:
    from summarykit.records.model import Item, Report

    first, second = Report(), Report()
    assert first.intro == [] and first.intro is not second.intro
    assert Item(text="a").metrics is not Item(text="b").metrics


def test_phrases_help_still_lists_the_tags() -> None:
    from summarykit.cli.main import build_parser
    from summarykit.drafting.phrases import TAG_NAMES

    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    text = sub.choices["phrases"].format_help()
    assert "、".join(TAG_NAMES)[:20] in text.replace("\n", "").replace(" ", "")


def test_check_help_lists_every_code_without_importing_the_checker() -> None:
    from summarykit.cli.main import build_parser
    from summarykit.tools.textcheck import CODES

    sub = next(a for a in build_parser()._actions if a.dest == "command")
    text = sub.choices["check"].format_help().replace("\n", "").replace(" ", "")
    assert all(f"{code}（{name}）" in text for code, name in CODES.items())


def test_the_phrase_word_cache_key_names_the_installed_jieba_without_reading_metadata() -> None:
    import importlib.metadata

    import jieba

    from summarykit.drafting import phrases

    assert phrases._jieba_version() == jieba.__version__ == importlib.metadata.version("jieba")


def test_compiled_templates_are_reused_from_the_cache_and_give_the_same_bytes(tmp_path: Path) -> None:
    code = ("import sys, hashlib, summarykit as sk\n"
            f"data = sk.render({str(REPO / 'sample_data' / 'school_term.yaml')!r}, format='docx', seed=3)\n"
            "print(hashlib.sha256(data).hexdigest())\n")
    env = {**__import__("os").environ, "XDG_CACHE_HOME": str(tmp_path)}
    first = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    cached = sorted(p.name for p in (tmp_path / "summarykit" / "templates").glob("*/*.cache"))
    assert cached  # the compiled built-in templates were stored
    stamps = {p: p.stat().st_mtime_ns for p in (tmp_path / "summarykit" / "templates").glob("*/*.cache")}
    second = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    assert second.stdout == first.stdout  # the same document from cached and from freshly compiled templates
    assert {p: p.stat().st_mtime_ns for p in stamps} == stamps  # read, not compiled and written again


# --------------------------------------------------------------------------- markup.escape

@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet=st.sampled_from(list("\\#-|:中a \n\r+*")), max_size=20) | st.text(max_size=20))
def test_escape_fast_path_equals_the_translation_table(text: str) -> None:
    import re

    from summarykit.drafting import markup

    reference = re.sub(r"\s*[\r\n]+\s*", " ", text) if ("\n" in text or "\r" in text) else text
    assert markup.escape(text) == reference.translate(markup.ESCAPES)
    assert markup.escape_line(reference) == reference.translate(markup.ESCAPES)


# --------------------------------------------------------------------------- numbering: labels without dataclasses.replace

def test_labelling_a_block_equals_dataclasses_replace() -> None:
    import dataclasses

    from summarykit.tree.document import Heading, ListItem
    from summarykit.tree.numbering import _with_label

    for cls in (Heading, ListItem):
        assert not hasattr(cls, "__post_init__") and not hasattr(cls, "__slots__")  # what _with_label relies on
    for block in (Heading(2, "标题", run_in=True, body="正文"), ListItem(3, "一项")):
        labelled = _with_label(block, "（二）")
        assert labelled == dataclasses.replace(block, label="（二）")
        assert type(labelled) is type(block) and block.label != "（二）"  # the original is untouched


# --------------------------------------------------------------------------- DOCX text: line-break spans, XML escapes

# Digits of every kind (decimal, full-width, superscript, circled), Chinese numerals, units, range marks,
# the book-title mark, citation brackets and XML's special characters, mixed with plain text.
_PRINTED_ALPHABET = st.sampled_from([
    *"0123456789", "１", "٣", "²", "①", "⑵", *"〇零一二三四五六七八九十", "年", "月", "日", "第", "名", "岁",
    "万", "元", "%", "％", ".", "．", "～", "—", "-", "》", "。", "，", "中", "文", "a", " ", "[", "]", "[1]",
    "&", "<", ">", '"', "'", "\x00", "\x0b", "个百分点", "平方米", "二〇二六年一月", "二零二六年一月二十日",
    *linebreak._MULTI_UNITS, *linebreak._UNIT_CHARS[::7], "平", "公", "余",
])
_PRINTED = st.lists(_PRINTED_ALPHABET, max_size=30).map("".join) | st.text(max_size=30)


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=_PRINTED)
def test_bind_fast_path_equals_the_plain_rule(text: str) -> None:
    from summarykit.writers import linebreak

    assert linebreak.bind(text) == linebreak._bind_slow(text)
    assert linebreak.bind(text) == linebreak.bind(text)  # and again, from the cache of joined spans


def test_bind_cache_of_joined_spans_stays_bounded() -> None:
    from summarykit.writers import linebreak

    for n in range(linebreak._JOINED_MAX + 10):
        assert linebreak.bind(f"第{n}名") == linebreak._bind_slow(f"第{n}名")
    assert len(linebreak._JOINED) <= linebreak._JOINED_MAX


@settings(max_examples=400, deadline=None)
@given(text=_PRINTED)
def test_xml_text_equals_the_translation_table(text: str) -> None:
    from summarykit.writers import ooxml

    assert ooxml.xml_text(text) == ooxml._XML_INVALID.sub("", text).translate(ooxml._XML_ESCAPES)


# --------------------------------------------------------------------------- templates: the sandbox's attribute lookup on dicts

_NAMES = st.sampled_from(["text", "items", "keys", "get", "details", "images", "page_break", "__class__",
                          "__len__", "_private", "copy", "heading", "中文", ""])


@settings(max_examples=300, deadline=None)
@given(data=st.dictionaries(_NAMES, st.integers() | st.text(max_size=3) | st.none(), max_size=5), name=_NAMES)
def test_sandbox_getattr_on_a_dict_equals_the_sandbox_rule(data: dict, name: str) -> None:
    from jinja2 import Undefined
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    from summarykit.drafting import templating

    env = templating._environment((), ())
    fast, slow = env.getattr(data, name), ImmutableSandboxedEnvironment.getattr(env, data, name)
    if isinstance(slow, Undefined):
        assert type(fast) is type(slow)
        assert (fast._undefined_name, fast._undefined_obj, fast._undefined_hint) == (
            slow._undefined_name, slow._undefined_obj, slow._undefined_hint)
    else:
        assert fast == slow


@settings(max_examples=400, deadline=None)
@given(text=st.lists(st.sampled_from([*"a-.&*\r\n\x85\u2028\u2029中 ", "---", "...", "\r\n"]), max_size=20).map("".join))
def test_scan_trigger_substring_tests_equal_the_pattern(text: str) -> None:
    assert yamlmarks._scan_triggered(text) == (yamlmarks._SCAN_TRIGGERS.search(text) is not None)


def test_layout_check_without_wide_spaces_finds_nothing_and_still_finds_them() -> None:
    plain = yamlmarks.Source("meta:\n  title: 总结\nintro:\n  - 正文\n", "x.yaml")
    assert yamlmarks._layout_problems(plain) == []
    for space in ("\u3000", "\xa0"):
        wide = yamlmarks.Source(f"meta:\n{space}title: 总结\n", "x.yaml")
        assert [p.line for p in yamlmarks._layout_problems(wide)] == [2]


# --------------------------------------------------------------------------- loading: keys and typed labels decided early

def test_ascii_keys_hold_no_invisible_or_look_alike_character() -> None:
    # What lets _Builder._key return an ASCII key stripped, without looking at each character.
    for code in range(128):
        assert not yamlmarks._invisible_char(chr(code)) and not yamlmarks._look_alike(chr(code))


_LABEL_ALPHABET = st.sampled_from([*"一二十两零〇百千万是、，,.．（()）①⑳1２٣ 　a中方则来\t", "一是", "二是", "（一）", "1.", "3、"])


@settings(max_examples=500, deadline=None)
@given(text=st.lists(_LABEL_ALPHABET, max_size=8).map("".join) | st.text(max_size=8))
def test_text_not_starting_like_a_label_matches_no_label_pattern(text: str) -> None:
    from summarykit.zh import labels

    stripped = text.strip()
    if not labels.LABEL_START.match(stripped):
        patterns = [p for _, p in labels.LABEL_PATTERNS] + [labels._N_PAREN, labels._ENUMERATOR]
        assert all(p.match(stripped) is None for p in patterns)
        assert labels.parse_label(text) is None and labels.parse_label(text, pasted=True) is None


def test_punctuation_is_kept_under_references_at_any_depth_and_only_there() -> None:
    data = {"references": ["Smith J. Title: a study, 2020."], "x": {"references": {"a": ["维修,门窗"]}, "b": ["维修,门窗"]},
            "intro": ["完成了维修,更换门窗"]}
    cleaned, _ = textclean.clean_tree(data, "x.yaml")
    assert cleaned == {"references": ["Smith J. Title: a study, 2020."], "x": {"references": {"a": ["维修,门窗"]},
                       "b": ["维修，门窗"]}, "intro": ["完成了维修，更换门窗"]}


# --------------------------------------------------------------------------- the collector paused during a stage

def test_stages_pause_the_collector_and_resume_it_only_if_it_was_running() -> None:
    import gc

    from summarykit.nogc import without_gc

    seen: list[bool] = []

    @without_gc
    def stage(fail: bool = False) -> None:
        seen.append(gc.isenabled())
        if fail:
            raise ValueError("stage failed")

    assert gc.isenabled()
    stage()
    with pytest.raises(ValueError):
        stage(fail=True)
    assert seen == [False, False] and gc.isenabled()  # paused inside, running again after (also after an error)
    gc.disable()
    try:
        stage()
        assert not gc.isenabled()  # a program that turned the collector off keeps it off
    finally:
        gc.enable()


def test_loading_composing_and_writing_run_with_the_collector_paused(monkeypatch: pytest.MonkeyPatch) -> None:
    import gc

    import summarykit as sk
    from summarykit.records import model

    states: list[bool] = []
    original = model.Report.model_validate
    monkeypatch.setattr(model.Report, "model_validate",
                        classmethod(lambda cls, data: (states.append(gc.isenabled()), original(data))[1]))
    report = sk.loads((REPO / "sample_data" / "school_term.yaml").read_text(encoding="utf-8"), "school_term.yaml")
    assert states == [False] and gc.isenabled()
    from summarykit.drafting import composer
    from summarykit.writers import docx

    for stage in (composer.compose, docx.to_docx):
        assert stage.__code__ is not stage.__wrapped__.__code__  # type: ignore[attr-defined]  # the pausing wrapper
    assert sk.to_docx(sk.compose(report)).startswith(b"PK") and gc.isenabled()


# --------------------------------------------------------------------------- loading: PyYAML's tag resolution answered early

def _tree(node: yaml.Node | None) -> object:
    if node is None:
        return None
    marks = (node.start_mark.line, node.start_mark.column, node.end_mark.line, node.end_mark.column)
    if isinstance(node, yaml.ScalarNode):
        return (node.tag, node.value, node.style, marks)
    if isinstance(node, yaml.SequenceNode):
        return (node.tag, [_tree(n) for n in node.value], marks)
    return (node.tag, [(_tree(k), _tree(v)) for k, v in node.value], marks)


_SCALARS = st.sampled_from(["yes", "No", "~", "null", "", "010", "1.10", "9:30", "2026-01-20", "=", "<<", "中文",
                            "'引号'", '"q"', "-1", "+5", ".5", ".inf", "true", "on", "0x1F", "!!str 3", "a b"])
_RECORDS_LIKE = st.lists(st.tuples(st.sampled_from(["k", "text", "1", "yes"]), _SCALARS), min_size=1, max_size=6).map(
    lambda pairs: "\n".join(f"{k}{i}: {v}\nl{i}:\n  - {v}\n  - [{v}, {v}]" for i, (k, v) in enumerate(pairs)))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=_RECORDS_LIKE | _YAMLISH)
def test_fast_tag_resolution_composes_the_same_nodes(text: str) -> None:
    def compose(loader: type) -> object:
        try:
            return _tree(yaml.compose(text, Loader=loader))
        except yaml.YAMLError as exc:
            return type(exc).__name__, str(exc)

    assert yamlmarks._Composer is not yamlmarks._Loader  # the fast resolution is in use
    assert compose(yamlmarks._Composer) == compose(yamlmarks._Loader)


@settings(max_examples=100, deadline=None)
@given(level=st.integers(1, 5), text=st.text(max_size=5), numbered=st.booleans(),
       marks=st.sampled_from([(), ("m",)]))
def test_blocks_built_without_the_frozen_init_equal_the_dataclass(level: int, text: str, numbered: bool,
                                                                  marks: tuple) -> None:
    import dataclasses

    from summarykit.drafting import markup
    from summarykit.tree.document import ListItem, Paragraph

    for cls in (ListItem, Paragraph):
        assert not hasattr(cls, "__post_init__") and not hasattr(cls, "__slots__")
    item = markup._list_item(level, text, numbered, marks)
    assert item == ListItem(level, text, numbered=numbered, marks=marks) and type(item) is ListItem
    assert dataclasses.asdict(item) == dataclasses.asdict(ListItem(level, text, numbered=numbered, marks=marks))
    paragraph = markup._body_paragraph(text, marks)
    assert paragraph == Paragraph(text, marks=marks) and type(paragraph) is Paragraph
    assert {f.name for f in dataclasses.fields(ListItem)} == set(item.__dict__)
    assert {f.name for f in dataclasses.fields(Paragraph)} == set(paragraph.__dict__)


@settings(max_examples=400, deadline=None)
@given(text=st.text(max_size=40) | st.lists(st.sampled_from(["中", "a", " ", "1", "\u3000", "é", "\ud800", "—"]),
                                            max_size=40).map("".join))
def test_text_width_equals_the_sum_per_character(text: str) -> None:
    from summarykit.writers.title import text_width

    expected = sum(0.5 if ch.isascii() else 1.0 for ch in text)
    assert text_width(text) == expected and type(text_width(text)) is type(expected)


@settings(max_examples=300, deadline=None)
@given(text=st.lists(st.sampled_from([*" 中a*+\\-#|:", "**", "++", "\\*"]), max_size=12).map("".join))
def test_text_without_escapes_or_markers_has_no_spans_to_find(text: str) -> None:
    # What markup.parse relies on when it skips spans() for an item or a paragraph line.
    from summarykit.drafting import markup

    if "\\" not in text and "**" not in text and "++" not in text:
        assert markup.spans(text) == (text.strip(), ())


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=_YAMLISH | st.builds(lambda n, lead, body: "a: b\n" + " " * n + lead + body, st.integers(0, 70),
                                 _LEADS, st.sampled_from(["x", "[a]", "- - y", "? z"])))
def test_the_quick_depth_check_equals_the_bound(text: str) -> None:
    assert yamlmarks._too_deep(text) == (yamlmarks._depth_bound(text) > yamlmarks.MAX_DEPTH)


@settings(max_examples=200, deadline=None)
@given(value=st.integers(-10**6, 10**6), emphasis=st.booleans())
def test_printing_an_integer_equals_escaping_it(value: int, emphasis: bool) -> None:
    from summarykit.drafting import markup, templating

    with markup.record_emphasis(emphasis):
        assert templating._finalize(value) == markup.escape(value)


@settings(max_examples=200, deadline=None)
@given(given_args=st.integers(0, 4), keyword=st.booleans())
def test_calling_a_macro_directly_equals_macro_call(given_args: int, keyword: bool) -> None:
    from jinja2.runtime import Macro

    from summarykit.drafting import templating

    env = templating._environment((), ())
    module = env.from_string('{% macro m(a, b=2, c="三") -%}[{{ a }}|{{ b }}|{{ c }}]{%- endmacro %}').module
    macro = module.m
    assert type(macro) is Macro
    args = tuple(range(given_args))
    kwargs = {"c": "四"} if keyword else {}

    def outcome(call: object) -> object:
        try:
            return call()
        except Exception as exc:  # too many arguments, a missing one: the same error either way
            return type(exc).__name__, str(exc)

    assert outcome(lambda: templating._call_macro(macro, args, dict(kwargs))) == outcome(lambda: macro(*args, **kwargs))


@settings(max_examples=300, deadline=None)
@given(line=st.lists(st.sampled_from([*":#-+* 中a1\\|", "::", "::plain", "##", "-3", "-*"]), min_size=1,
                     max_size=8).map("".join))
def test_each_markup_pattern_needs_its_own_first_character(line: str) -> None:
    # What lets markup.parse try only the pattern a line's first character allows.
    from summarykit.drafting import markup

    for pattern, first in ((markup._DIRECTIVE, ":"), (markup._HEADING, "#"), (markup._ITEM, "-")):
        if line[0] != first:
            assert pattern.match(line) is None
def test_a_plain_render_reads_the_styled_package_and_bank_from_the_cache_without_python_docx(tmp_path: Path) -> None:
    """The first render builds the styled base package (python-docx) and reads the bank files into the cache;
    a second process reads both from there, imports none of the builders' libraries and writes the same bytes."""
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    records = str(REPO / "sample_data" / "school_term.yaml")
    code = ("import sys\n"
            "from summarykit.cli.main import main\n"
            "assert main(['render', sys.argv[1], '-o', sys.argv[2], '-q']) == 0\n"
            "unwanted = ('docx', 'lxml', 'jieba', 'tqdm', 'openpyxl', 'summarykit.tools.textcheck',\n"
            "            'summarykit.office.converter')\n"
            "print(' '.join(m for m in unwanted if m in sys.modules))\n")
    runs = []
    for name in ("first.docx", "second.docx"):
        done = subprocess.run([sys.executable, "-c", code, records, str(tmp_path / name)], capture_output=True,
                              text=True, env=env, check=False)
        assert done.returncode == 0, done.stderr
        runs.append(done.stdout.split())
    assert "docx" in runs[0]  # built it: the cache was empty
    assert runs[1] == []
    cached = {p.name.rsplit("-", 1)[0] for p in (tmp_path / "cache" / "summarykit").iterdir()}
    assert {"docx-base", "phrase-bank"} <= cached
    assert (tmp_path / "first.docx").read_bytes() == (tmp_path / "second.docx").read_bytes()


def test_a_damaged_cache_file_is_built_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from summarykit.drafting import phrases
    from summarykit.style import DEFAULT_STYLE
    from summarykit.tree.numbering import DEFAULT_SCHEME
    from summarykit.writers import docx as docx_writer

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    style_json = DEFAULT_STYLE.model_dump_json()
    name = docx_writer._disk_name(style_json, DEFAULT_SCHEME)
    (tmp_path / "summarykit").mkdir()
    (tmp_path / "summarykit" / name).write_bytes(b"\x00broken")
    assert docx_writer._read_base(name) is None
    built = docx_writer._cached_base.__wrapped__(style_json, DEFAULT_SCHEME)
    assert docx_writer._read_base(name) == built  # rewritten whole
    files = sorted(phrases.builtin_bank_dir().glob("*.yaml"))
    (tmp_path / "summarykit" / phrases._builtin_cache_name(files)).write_bytes(b"not a pickle")
    assert phrases._builtin_bank.__wrapped__() == phrases.load_bank_files(files)
