"""The built-in templates render without the sandbox and the budget; every user template keeps both.

The built-in path (templating._Trusted) must write the same markup, hence the same document and
the same DOCX bytes, as the sandbox: checked on every sample under its own template and on random
records under every built-in template.  Any user template in the chain — its own, one extending a
built-in, one shadowing a file the built-ins import — goes through the sandbox and the budget.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import summarykit as sk
from summarykit.drafting import composer, renderbudget, templating
from summarykit.drafting.templating import MarkupText, Templates, builtin_chain, list_names
from summarykit.errors import RecordsError, TemplateError

from .test_properties import VALID_RECORDS, examples, to_yaml

REPO = Path(__file__).resolve().parents[1]
SAMPLES = sorted((REPO / "sample_data").glob("*.yaml"))
BUILTIN_NAMES = list_names()


class Spy:
    """Records what compose rendered: the markup, and which path (a budget started = the sandbox)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.markups: list[str] = []
        self.budgets: list[renderbudget.Budget] = []
        parse, start = composer.parse, renderbudget.start

        def spy_parse(markup: str, name: str) -> Any:
            self.markups.append(markup)
            return parse(markup, name)

        def spy_start(budget: renderbudget.Budget) -> Any:
            self.budgets.append(budget)
            return start(budget)

        monkeypatch.setattr(composer, "parse", spy_parse)
        monkeypatch.setattr(renderbudget, "start", spy_start)


@pytest.fixture
def spy(monkeypatch: pytest.MonkeyPatch) -> Iterator[Spy]:
    yield Spy(monkeypatch)


def both_ways(monkeypatch: pytest.MonkeyPatch, spy: Spy, render: Any) -> tuple[Any, Any]:
    """``render()`` on the built-in path, then again with the chain check answering no (the sandbox)."""
    trusted = render()
    assert spy.budgets == [], "a built-in template alone must not run under the budget"
    with monkeypatch.context() as patch:
        patch.setattr(Templates, "chain_is_builtin", lambda self, name: False)
        sandboxed = render()
    assert len(spy.budgets) == 1, "the sandbox path runs under the budget"
    assert len(spy.markups) == 2
    return trusted, sandboxed


@pytest.mark.parametrize("path", SAMPLES, ids=[p.stem for p in SAMPLES])
def test_each_sample_gives_the_same_markup_document_and_docx_bytes_both_ways(
        path: Path, spy: Spy, monkeypatch: pytest.MonkeyPatch) -> None:
    report = sk.load(path)
    trusted, sandboxed = both_ways(monkeypatch, spy, lambda: sk.compose(report, seed=3))
    assert spy.markups[0] == spy.markups[1]
    assert trusted == sandboxed
    assert sk.to_docx(trusted) == sk.to_docx(sandboxed)


@examples(0.3)
@given(data=VALID_RECORDS, template=st.sampled_from(BUILTIN_NAMES), emphasis=st.booleans())
def test_random_records_under_every_builtin_template_give_the_same_markup_both_ways(
        data: dict[str, Any], template: str, emphasis: bool) -> None:
    if isinstance(data.get("meta", {}), dict):
        data = {**data, "meta": {**data.get("meta", {}), "emphasis": emphasis}}  # **重点** kept as markup, or not
    try:
        report = sk.loads(to_yaml(data), "随机.yaml")
    except RecordsError:
        return
    with pytest.MonkeyPatch.context() as monkeypatch:
        spy = Spy(monkeypatch)
        try:
            trusted, sandboxed = both_ways(monkeypatch, spy, lambda: sk.compose(report, template, seed=5))
        except TemplateError as error:  # e.g. a markup error: both ways alike, then
            with monkeypatch.context() as patch:
                patch.setattr(Templates, "chain_is_builtin", lambda self, name: False)
                with pytest.raises(TemplateError) as again:
                    sk.compose(report, template, seed=5)
            assert str(again.value) == str(error)
            return
    assert spy.markups[0] == spy.markups[1]
    assert trusted == sandboxed


PRINTED = st.one_of(
    st.text(), st.text().map(MarkupText), st.integers(), st.floats(allow_nan=False), st.none(), st.booleans(),
    st.lists(st.one_of(st.text(max_size=5), st.integers())), st.dictionaries(st.text(max_size=3), st.text(max_size=3)),
)


@given(PRINTED)
def test_the_builtin_finalize_prints_every_value_as_the_sandbox_does(value: Any) -> None:
    assert templating._finalize_trusted(value) == templating._finalize(value)
    assert type(templating._finalize_trusted(value)) is type(templating._finalize(value))


def test_the_builtin_chain_is_the_template_and_what_it_extends_and_imports() -> None:
    assert builtin_chain("school_term.j2") == {"school_term.j2", "_base.j2", "_macros.j2"}
    assert builtin_chain("no_such_template.j2") is None
    assert Templates().chain_is_builtin("school_term")


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


SAMPLE = REPO / "sample_data" / "school_term.yaml"


def test_a_user_template_extending_a_builtin_keeps_the_sandbox_and_the_budget(tmp_path: Path, spy: Spy) -> None:
    folder = tmp_path / "模板"
    write(folder, "mine.j2", '{% extends "school_term.j2" %}{% block closing %}结束。\n{% endblock %}')
    templates = Templates([folder])
    assert not templates.chain_is_builtin("mine")
    compiled, trusted = templates.for_render("mine")
    assert not trusted and isinstance(compiled.environment, templating._Sandbox)
    composer.compose(sk.load(SAMPLE), "mine", templates=templates)
    assert len(spy.budgets) == 1 and spy.budgets[0].steps < spy.budgets[0].max_steps


def test_a_user_file_shadowing_what_a_builtin_imports_sends_the_builtin_through_the_sandbox(
        tmp_path: Path, spy: Spy) -> None:
    """school_term.j2 extends _base.j2, which imports _macros.j2: a user's _macros.j2 is found first."""
    folder = tmp_path / "模板"
    folder.mkdir()
    templates = Templates([folder])
    report = sk.load(SAMPLE)
    composer.compose(report, "school_term", templates=templates)
    assert spy.budgets == []  # an empty folder shadows nothing
    macros = (templating.builtin_dir() / "_macros.j2").read_text(encoding="utf-8")
    write(folder, "_macros.j2", macros.replace("{% macro paragraphs(list) -%}", "{% macro paragraphs(list) -%}"
                                               "{% for i in range(50000) %}{% endfor %}"))
    assert not templates.chain_is_builtin("school_term")  # a file added later counts from the next render on
    composer.compose(report, "school_term", templates=templates)
    assert len(spy.budgets) == 1
    assert spy.budgets[0].max_steps - spy.budgets[0].steps > 50000  # the user's loop was counted


def test_an_in_memory_template_of_a_builtin_name_keeps_the_sandbox(spy: Spy) -> None:
    templates = Templates(sources={"school_term": '{% extends "_base.j2" %}{% block title %}::title 内存里的模板\n'
                                                  '{% endblock %}'})
    assert not templates.chain_is_builtin("school_term")
    assert templates.chain_is_builtin("gov_annual")  # a source of another name shadows nothing of its chain
    doc = composer.compose(sk.load(SAMPLE), "school_term", templates=templates)
    assert doc.title == "内存里的模板" and len(spy.budgets) == 1


def test_a_user_template_that_loops_for_ever_is_still_stopped(tmp_path: Path) -> None:
    folder = tmp_path / "模板"
    write(folder, "mine.j2", '{% extends "school_term.j2" %}{% block closing %}'
                             '{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}'
                             '{% endblock %}')
    started = time.monotonic()
    with pytest.raises(TemplateError, match="步数超过上限"):
        sk.compose(sk.load(SAMPLE), "mine", templates=[str(folder)])
    assert time.monotonic() - started < 30


def test_builtin_and_sandbox_code_are_cached_apart() -> None:
    """Code compiled without the budget's hooks must never be loaded by the sandbox."""
    sandbox, trusted = templating._bytecode_cache(False), templating._bytecode_cache(False, trusted=True)
    if sandbox is None:
        pytest.skip("no user cache folder here")
    assert os.path.realpath(sandbox.directory) != os.path.realpath(trusted.directory)
