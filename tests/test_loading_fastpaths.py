"""Loading's shortcuts give exactly what the paths they replace give (property tests; no timings here).

Two shortcuts in the loading stage (issue 18): YAML is built without paths, its line marks
worked out from a recorded outline only when a message asks for a location (yamlmarks
``_QuickBuilder``/``_LazyMarks``); and dropping empty keys, spotting a sheet and cleaning
the text are one walk (``loading.prepare``).  Each is compared here with the code it replaces
on random records: the same data, the same marks, the same notices and problems.
"""

from __future__ import annotations

import copy

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from summarykit.errors import RecordsError
from summarykit.records import loading, textclean, yamlmarks
from summarykit.records.decoding import Source
from summarykit.sources import assemble

# --------------------------------------------------------------------------- YAML: lazy marks = eager marks

_KEYS = st.sampled_from(["meta", "title", "items", "text", "a", "b", "tables", "sheet", "workbook", "template",
                         "date", "references", "no", "yes", "on", "null", "1", "0x1f", "中文", "ke\u200by",
                         "kеy", "＂q＂", "a b", "-x", "heading"])
_SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-10**6, 10**6), st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from(["", " ", "yes", "No", "~", "null", "010", "9:30", "1.10", "2026-01-20", "“引号”", "‘单’",
                     "多行\n文字", "长" * 90, "a: b", "- x", "#x", "x # y", "， 标点", "x,y", "\u200b零宽", "\t制表",
                     "!", "*", "&", "%x", "@x", "`x`", "1_000", ".5", "+5", "0o17", "1e3", "完成了维修。"]),
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12),
)
_DATA = st.recursive(_SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_KEYS, inner, max_size=4),
                     max_leaves=25)


def _documents() -> st.SearchStrategy[str]:
    """Random records as YAML, in block and flow style, with wrapped lines and hand-made oddities."""
    dumped = st.builds(lambda data, flow, width: yaml.safe_dump(data, allow_unicode=True, sort_keys=False,
                                                                default_flow_style=flow, width=width),
                       st.dictionaries(_KEYS, _DATA, min_size=1, max_size=5), st.sampled_from([False, None, True]),
                       st.sampled_from([20, 80, 1000]))
    lines = st.lists(st.sampled_from([
        "a: 1", "b: 二", "  - x", "- y", "items:", "  - 完成了", "    接着写", "  - “整句”", "a: 2", "c: !!str 3",
        "d: !!int 也许", "e: !foo x", "<<: {a: 1}", "? [a]\n: b", "x: &r [1, 2]", "y: *r", "kеy: 1", "ke\u200by: 1",
        "  text: t", "title: '  带空格  '", "f: |\n  多行\n  文字", "g: >\n  折叠\n  文字", "h: [a, {b: c}]",
        "i: 2026-01-20", "j: yes", "k: 010",
    ]), min_size=1, max_size=8).map("\n".join)
    return dumped | lines


def _eager(text: str) -> tuple[object, object, list[object], list[object]]:
    """What parse_yaml built before the shortcut: _Builder with paths, over the same nodes."""
    node = yaml.compose(text, Loader=yamlmarks._Composer)
    builder = yamlmarks._Builder(Source(text, "t.yaml"))
    data = builder.build(node)
    return data, builder.marks, builder.notices, builder.problems


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=_documents())
def test_quick_builder_gives_the_eager_builders_data_marks_and_notices(text: str) -> None:
    try:
        data, marks, notices, problems = _eager(text)
    except (yaml.YAMLError, yamlmarks._Stop):
        return  # not YAML (or beyond the limits): parse_yaml never reaches a builder
    if data is None:
        return
    quick = yamlmarks._QuickBuilder(Source(text, "t.yaml"))
    node = yaml.compose(text, Loader=yamlmarks._Composer)
    assert quick.build_root(node) == data
    assert bool(quick.problems) == bool(problems)  # a problem sends parse_yaml back to _Builder
    if not problems:
        assert quick.notices == notices
        lazy = yamlmarks._LazyMarks(quick.outline)
        assert dict(lazy.items()) == marks
        assert all(path in lazy and lazy[path] == mark and lazy.get(path) == mark for path, mark in marks.items())
        assert ("no", "such", "path") not in lazy


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=_documents())
def test_parse_yaml_says_what_it_said_before(text: str) -> None:
    """Problems (with their paths) and the marks of a successful parse are those of the eager builder."""
    source = Source(text, "t.yaml")
    try:
        marked = yamlmarks.parse_yaml(source)
    except RecordsError as exc:
        try:
            _, _, _, problems = _eager(text)
        except (yaml.YAMLError, yamlmarks._Stop):
            return
        if problems:
            scanned = list(yamlmarks._scan(source)) if yamlmarks._scan_needed(text) else []
            assert list(exc.problems) == sorted([*scanned, *problems], key=lambda p: (p.line or 0, p.column or 0))
        return
    data, marks, notices, problems = _eager(text)
    assert not problems
    assert marked.data == data and marked.notices == notices and dict(marked.marks.items()) == marks


def test_marks_are_worked_out_only_when_a_location_is_asked_for() -> None:
    marked = yamlmarks.parse_yaml(Source("meta:\n  title: 总结\nitems:\n  - 一\n  - 二\n", "t.yaml"))
    assert isinstance(marked.marks, yamlmarks._LazyMarks)
    assert marked.marks._marks is None and marked.marks  # truth does not work them out
    assert marked.marks._marks is None
    assert marked.marks[("items", 1)] == (5, 5)
    assert marked.marks[("meta", "title")] == (2, 3)
    assert marked.marks.get(("nope",), (0, 0)) == (0, 0)


# --------------------------------------------------------------------------- one walk = drop_empty + names_a_sheet + clean_tree

_TEXT = st.lists(st.sampled_from(["中", "文", " ", "\u3000", "\t", "\n", "\x00", "\x07", ",", ":", "(", '"', "，",
                                  "， ", "a", "3"]), max_size=8).map("".join)
_VALUES = st.recursive(st.none() | st.integers(-5, 5) | st.booleans() | _TEXT,
                       lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_KEYS, inner, max_size=4),
                       max_leaves=30)


def _paths(value: object, path: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    found = [path]
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _paths(item, (*path, index))
    return found


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.dictionaries(_KEYS, _VALUES, max_size=6) | st.lists(_VALUES, max_size=3) | _TEXT,
       every=st.integers(1, 4))
def test_prepare_is_drop_empty_names_a_sheet_and_clean_tree(data: object, every: int) -> None:
    # Marks on some paths only, so that locations fall back to an enclosing value's as they do for sheets.
    marks = {path: (line + 1, 1) for line, path in enumerate(_paths(data)) if line % every == 0}
    before = yamlmarks.Marked(copy.deepcopy(data), marks)
    empty = loading.drop_empty(before, "t.yaml")
    sheet = assemble.names_a_sheet(before.data)
    cleaned, cleaning = textclean.clean_tree(before.data, "t.yaml", before.marks)
    after = yamlmarks.Marked(copy.deepcopy(data), marks)
    assert loading.prepare(after, "t.yaml") == (cleaned, empty, cleaning, sheet)
    assert after.data == before.data and after.empty == before.empty


@pytest.mark.parametrize(("records", "sheet"), [
    ({"workbook": "a.xlsx"}, True), ({"workbook": None}, False), ({"x": [{"workbook": 1}]}, True),
    ({"tables": [{"sheet": "表1"}]}, True), ({"tables": [{"sheet": None}]}, False),
    ({"tables": [{"x": {"workbook": 1}}]}, False), ({"tables": {"workbook": 1}}, True),
    ({"template": {"workbook": 1}}, True),
])
def test_prepare_spots_a_sheet_where_names_a_sheet_does(records: dict[str, object], sheet: bool) -> None:
    marked = yamlmarks.Marked(copy.deepcopy(records), {})
    assert loading.prepare(marked, "t.yaml")[3] is sheet
    assert assemble.names_a_sheet(marked.data) is sheet  # marked.data: the records with empty keys dropped


# --------------------------------------------------------------------------- YAML: tag resolution without regexes

_RESOLVE_TEXT = st.lists(st.sampled_from(["y", "e", "s", "n", "o", "N", "O", "t", "r", "u", "f", "a", "l", "F", "T",
                                          "Y", "~", "0", "1", ".", "-", "+", ":", "_", "x", "e", " ", "\n", "中",
                                          "null", "true", "off", "On"]), min_size=1, max_size=6).map("".join)


@settings(max_examples=500, deadline=None)
@given(value=_RESOLVE_TEXT | st.text(max_size=8), implicit=st.sampled_from([(True, False), (False, True), (True, True)]))
def test_fast_resolve_answers_as_pyyaml_does(value: str, implicit: tuple[bool, bool]) -> None:
    composer = yamlmarks._Composer("")
    reference = yaml.resolver.BaseResolver.resolve(composer, yaml.ScalarNode, value, implicit)
    assert composer.resolve(yaml.ScalarNode, value, implicit) == reference


# --------------------------------------------------------------------------- decoding: one search for two classes


def test_one_search_finds_exactly_what_the_two_classes_find() -> None:
    from summarykit.records import decoding

    both = decoding._INVISIBLE_OR_FORBIDDEN
    for code in [*range(0x3000), *range(0xD700, 0x10000), *range(0xE0000, 0xE0200)]:
        ch = chr(code)
        assert bool(both.match(ch)) == bool(decoding._INVISIBLE.match(ch) or decoding._YAML_FORBIDDEN.match(ch)), hex(code)


def test_the_quick_look_at_a_string_misses_no_whitespace() -> None:
    """textclean's first look lists the characters ``\\s`` matches; one missing would let a string skip cleaning."""
    import re
    import sys

    space = re.compile(r"\s").match
    spaces = [ch for ch in map(chr, range(sys.maxunicode + 1)) if space(ch)]
    assert len(spaces) > 20
    assert [ch for ch in spaces if not textclean._MAY_NEED_WORK.match(ch)] == []
