"""A command-line render's cold start: what it keeps in the user cache folder, and that a cache never decides.

The chain of built-in templates (what each extends, includes and imports) is read from the
cache folder instead of parsing the templates with Jinja at every start.  A damaged, stale or
lying cache file, or a folder that cannot be written, may cost time but never changes a document
nor lets a user template skip the sandbox.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import summarykit as sk
from summarykit.drafting import composer, templating
from summarykit.drafting.templating import Templates, builtin_chain

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "sample_data" / "school_term.yaml"
SCHOOL_CHAIN = {"school_term.j2", "_base.j2", "_macros.j2"}


def _clear() -> None:
    templating._bytecode_cache.cache_clear()
    templating._trusted_environment.cache_clear()
    templating._environment.cache_clear()
    templating._CHAINS.clear()


@pytest.fixture
def cache(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Path]:
    """A cache folder of this test's own, templating's per-process caches empty before and after."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    _clear()
    yield tmp_path / "xdg" / "summarykit"
    _clear()


def _reference_files(cache: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in cache.glob("templates/*/refs-*.json")}


def _no_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("parsed a built-in template although its references are cached")

    monkeypatch.setattr(templating._Trusted, "parse", refuse)


def test_the_references_of_the_builtins_are_kept_and_read_back_without_parsing(
        cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert builtin_chain("school_term.j2") == SCHOOL_CHAIN
    files = _reference_files(cache)
    assert len(files) == 3
    assert sorted(name for data in files.values() for name in json.loads(data)) == ["_base.j2", "_macros.j2"]
    templating._CHAINS.clear()  # a new process: only the disk remembers
    _no_parsing(monkeypatch)
    assert builtin_chain("school_term.j2") == SCHOOL_CHAIN
    assert Templates().chain_is_builtin("school_term")


@pytest.mark.parametrize("damage", [b"", b"\x00\xff not json", b'{"_base.j2": 1}', b"[1, 2]", b'"_base.j2"',
                                    b'["_base.j2", ["x"]]'])
def test_a_damaged_references_file_is_ignored_and_written_again(cache: Path, damage: bytes) -> None:
    assert builtin_chain("school_term.j2") == SCHOOL_CHAIN
    good = _reference_files(cache)
    for path in good:
        path.write_bytes(damage)
    templating._CHAINS.clear()
    assert builtin_chain("school_term.j2") == SCHOOL_CHAIN
    assert _reference_files(cache) == good


def test_a_cache_file_that_lies_can_only_send_the_chain_to_the_sandbox(cache: Path) -> None:
    """A name that is no built-in file: the chain is not trusted, and the sandbox renders the same document."""
    expected = sk.compose(sk.load(SAMPLE), "school_term")
    source = (templating.builtin_dir() / "school_term.j2").read_bytes()
    mine = next(p for p, data in _reference_files(cache).items() if json.loads(data) == ["_base.j2"])
    mine.write_text(json.dumps(["_base.j2", "no_such_builtin.j2"]))
    templating._CHAINS.clear()
    assert builtin_chain("school_term.j2") is None
    compiled, trusted = Templates().for_render("school_term")
    assert not trusted and isinstance(compiled.environment, templating._Sandbox)
    assert sk.compose(sk.load(SAMPLE), "school_term") == expected
    assert (templating.builtin_dir() / "school_term.j2").read_bytes() == source


def test_an_edited_builtin_template_is_parsed_again(cache: Path, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """The references are keyed by the file's bytes: a template changed in a source checkout is read anew."""
    folder = tmp_path / "builtin"
    shutil.copytree(templating.builtin_dir(), folder)
    monkeypatch.setattr(templating, "builtin_dir", lambda: folder)
    assert builtin_chain("school_term.j2") == SCHOOL_CHAIN
    (folder / "_extra.j2").write_text("附加。\n", encoding="utf-8")
    base = folder / "_base.j2"
    base.write_text(base.read_text(encoding="utf-8") + '{% include "_extra.j2" %}\n', encoding="utf-8")
    os.utime(base, ns=(base.stat().st_atime_ns, base.stat().st_mtime_ns + 10**9))
    assert builtin_chain("school_term.j2") == SCHOOL_CHAIN | {"_extra.j2"}
    templating._CHAINS.clear()
    assert builtin_chain("school_term.j2") == SCHOOL_CHAIN | {"_extra.j2"}  # and so is the disk


def test_an_unwritable_cache_folder_still_renders_the_same_bytes(cache: Path, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    expected = sk.render(SAMPLE, format="docx", seed=3)
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the cache folder would be")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    _clear()
    assert templating._bytecode_cache(False, trusted=True) is None
    assert builtin_chain("school_term.j2") == SCHOOL_CHAIN
    assert sk.Kit().render(SAMPLE, format="docx", seed=3) == expected
    assert blocked.read_text() == "a file where the cache folder would be"


def test_a_user_template_edited_between_renders_is_seen_and_stays_in_the_sandbox(
        cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    budgets: list[object] = []
    start = templating.renderbudget.start
    monkeypatch.setattr(templating.renderbudget, "start", lambda budget: budgets.append(budget) or start(budget))
    folder = tmp_path / "模板"
    folder.mkdir()
    mine = folder / "mine.j2"
    report = sk.load(SAMPLE)
    texts = []
    for closing in ("第一版结尾。", "第二版结尾。"):
        mine.write_text('{% extends "school_term.j2" %}{% block closing %}' + closing + "\n{% endblock %}",
                        encoding="utf-8")
        os.utime(mine, ns=(mine.stat().st_atime_ns, mine.stat().st_mtime_ns + len(texts) * 10**9))
        doc = composer.compose(report, "mine", templates=Templates([folder]))
        texts.append("\n".join(getattr(b, "text", "") for b in doc.blocks))
    assert "第一版结尾。" in texts[0] and "第二版结尾。" in texts[1] and "第一版结尾。" not in texts[1]
    assert len(budgets) == 2  # both under the render budget


def test_a_second_process_reads_the_references_and_writes_the_same_document(tmp_path: Path) -> None:
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "xdg")}
    code = ("import sys\n"
            "from summarykit.cli.main import main\n"
            "sys.argv = ['summarykit', 'render', sys.argv[1], '-o', sys.argv[2], '-q']\n"
            "sys.exit(main())\n")  # as the installed command runs it: the collector paused, frozen at the end
    outputs = []
    stamps: dict[Path, int] = {}
    for run in ("first", "second"):
        out = tmp_path / f"{run}.docx"
        done = subprocess.run([sys.executable, "-c", code, str(SAMPLE), str(out)], capture_output=True,
                              text=True, env=env, check=False)
        assert done.returncode == 0, done.stderr
        outputs.append(out.read_bytes())
        found = {p: p.stat().st_mtime_ns for p in (tmp_path / "xdg").glob("summarykit/templates/*/refs-*.json")}
        assert len(found) == 3
        if stamps:
            assert found == stamps  # read, not parsed and written again
        stamps = found
    assert outputs[0] == outputs[1] == sk.render(SAMPLE, format="docx")


# --------------------------------------------------------------------------- the collector over one command


def test_a_command_pauses_the_collector_and_freezes_only_when_the_process_ends() -> None:
    import gc

    from summarykit.nogc import for_command

    frozen = gc.get_freeze_count()
    seen = []
    for pause, ending in ((True, False), (False, False), (True, True)):
        try:
            with for_command(pause, ending):
                seen.append(gc.isenabled())
                keep = [[] for _ in range(10)]  # tracked objects alive at the end
            assert gc.isenabled()
            assert (gc.get_freeze_count() > frozen) is ending
            del keep
        finally:
            gc.unfreeze()
    assert seen == [False, True, False]
    gc.disable()
    try:
        with for_command(True, False):
            pass
        assert not gc.isenabled()  # a program that turned the collector off keeps it off
    finally:
        gc.enable()


def test_main_called_with_arguments_renders_with_the_collector_resumed_and_nothing_frozen(tmp_path: Path) -> None:
    import gc

    from summarykit.cli.main import main

    frozen = gc.get_freeze_count()
    assert main(["render", str(SAMPLE), "-o", str(tmp_path / "a.docx"), "-q"]) == 0
    assert gc.isenabled() and gc.get_freeze_count() == frozen
    assert (tmp_path / "a.docx").read_bytes() == sk.render(SAMPLE, format="docx")
