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
