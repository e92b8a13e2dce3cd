"""The line-by-line reader of plain block YAML gives exactly what libyaml's nodes give, or steps aside.

records/blockyaml.py reads the plain ``key: value`` / ``- item`` files most people write without
libyaml (issue 18).  On every document, random or odd (anchors, merge keys, tags, wrapped and
block scalars, flow collections, duplicates, tabs, full-width colons, comments, quotes), either it
gives up, or its data, notices and marks are those of the composed path; and parse_yaml as a
whole (values, marks, notices, problems, messages) is what it was without the reader.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from summarykit.errors import RecordsError
from summarykit.records import blockyaml, yamlmarks
from summarykit.records.decoding import Source

ROOT = Path(__file__).resolve().parents[1]

_KEYS = st.sampled_from(["meta", "title", "items", "text", "a", "b", "no", "yes", "on", "null", "y", "1", "中文",
                         "kеy", "a b", "-x", "heading", "value", "x_1", "k-2", "<<"])
_WORDS = st.sampled_from([
    "", " ", "yes", "No", "~", "null", "Null", "010", "9:30", "1.10", "2026-01-20", "2026-01-20 10:00", "“引号”",
    "“半", "‘单’", "长" * 50, "a: b", "a:b", "a :b", "- x", "-5", "-", "--", "#x", "x # y", "x#y", "， 标点",
    "x,y", "x, y", "!", "!x", "*", "&", "%x", "@x", "`x`", "1_000", ".5", "+5", "0o17", "0x1F", "1e3", "1.5e3",
    ".inf", ".NaN", "完成了维修。", "'q'", '"d"', "it's", '"a\\"b"', "'it''s'", "[a, b]", "{a: 1}", "[]", "{}",
    "[a, [b]]", "[a,b]", "[ a , b ]", "[a, ]", "[-5, 7, 二]", '[门诊, "38", "+9.8%"]', "{name: 办公桌, value: 7}",
    "{name: x, name: y}", "{a: b: c}", "{a}", "[a: b]", "x\u3000", "\u3000x", "7\u3000", "值：全角", "a\\b",
    "？", "?x", "? x", ":x", "http://a.b/c", "true", "TRUE", "off", "=", "<<", "a ]", "}",
    "98.5", "-0.0", "0.50", "00.5", "1.0", "-12.75", "3.14159265358979", "12%", "2026年", "3.5万", "y年", "1.5%",
])
_SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-10**6, 10**6), st.integers(-10**45, 10**45), st.floats(allow_nan=False, allow_infinity=False),
    _WORDS,
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=10),
)
_DATA = st.recursive(_SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_KEYS, inner, max_size=4),
                     max_leaves=25)


def _hand_made(lines: list[tuple[int, str, str, str]]) -> str:
    """Lines "indent, dashes, key, value" put together: plausible block YAML, often a little wrong."""
    out = []
    for indent, dashes, key, value in lines:
        head = " " * indent + dashes + (f"{key}:" if key else "")
        out.append(f"{head} {value}".rstrip(" ") if value or not key else head)
    return "\n".join(out)


def _documents() -> st.SearchStrategy[str]:
    dumped = st.builds(lambda data, flow, width, indent: yaml.safe_dump(
        data, allow_unicode=True, sort_keys=False, default_flow_style=flow, width=width, indent=indent),
        st.dictionaries(_KEYS, _DATA, min_size=1, max_size=5), st.sampled_from([False, False, None]),
        st.sampled_from([20, 80, 1000]), st.sampled_from([2, 2, 4]))
    made = st.lists(st.tuples(st.sampled_from([0, 0, 2, 2, 4, 1, 3, 6]),
                              st.sampled_from(["", "", "- ", "- - ", "-   ", "-"]),
                              st.sampled_from(["", "a", "b", "items", "text", "meta", "a b", "1"]),
                              _WORDS), min_size=1, max_size=10).map(_hand_made)
    odd = st.lists(st.sampled_from([
        "a: 1", "b: 二", "  - x", "- y", "items:", "  - 完成了", "    接着写", "  - “整句”", "a: 2", "c: !!str 3",
        "d: !!int 也许", "e: !foo x", "<<: {a: 1}", "? [a]\n: b", "x: &r [1, 2]", "y: *r", "kеy: 1",
        "ke\u200by: 1", "  text: t", "title: '  带空格  '", "f: |\n  多行\n  文字", "g: >\n  折叠\n  文字",
        "h: [a, {b: c}]", "i: 2026-01-20", "j: yes", "k: 010", "# 注释", "  # 缩进的注释", "", "   ", "l: x  # 说明",
        "m: 'x' # 说明", "n：全角冒号", "o: \t制表", "\tp: 1", "q: \"未闭合", "r: 'a''b'", "s: [a, b]  # c",
        "---", "...", "t: \"x\\ty\"", "u: -", "- ", "-", "v:", "  w:", "    - 1", "  - - 2", "x: a\r\ny: b",
        "z: \ufeffa", "aa: \x07", "bb: “a”", "cc: ‘b’ ", "- {name: 办公桌, value: 7, unit: 张}",
        "  columns: [年龄, 人数, \"比例\"]", "dd: 1\n dd2: 2", "ee:\n- 1\n- 2\nff: 3", "gg: a\n  hh: b",
    ]), min_size=1, max_size=8).map("\n".join)
    return dumped | made | odd


_PLAIN_WORDS = st.sampled_from(["完成了维修。", "一", "二 三", "yes", "~", "7", "-5", "010", "1.10", "2026-01-20",
                                "“引号”", "1" * 40, "9" * 41, "-" + "9" * 39, "-" + "9" * 40, "0", "-0", "00", "+0", "-7", "2011-1-20", "2011-01-20T10:00:00", "x # y", "'q'", '"d"', "[a, b]", "{name: 办公桌, value: 7}", "[]", "",
                                "a:b", "x\u3000", "\u3000“整句”", "\u3000‘单’ ", "true", "9:30", "0x1F", "[-5, 7, 二]", '[门诊, "38", "+9.8%"]'])


def _plain_documents() -> st.SearchStrategy[str]:
    """Documents mostly inside the subset the reader takes: its own path is exercised, not only its refusals."""
    data = st.recursive(_PLAIN_WORDS, lambda inner: st.lists(inner, min_size=1, max_size=4)
                        | st.dictionaries(_KEYS.filter(lambda k: k.isascii() and " " not in k), inner,
                                          min_size=1, max_size=4), max_leaves=20)
    dumped = st.builds(lambda d, indent: yaml.safe_dump(d, allow_unicode=True, sort_keys=False,
                                                        default_flow_style=False, width=1000, indent=indent),
                       st.dictionaries(st.sampled_from(["meta", "items", "a", "text"]), data, min_size=1, max_size=4),
                       st.sampled_from([2, 4]))
    made = st.lists(st.tuples(st.sampled_from([0, 0, 2, 2, 4, 1, 3, 6]),
                              st.sampled_from(["", "", "- ", "- - ", "-   ", "-"]),
                              st.sampled_from(["", "a", "b", "items", "text", "meta"]),
                              _PLAIN_WORDS), min_size=1, max_size=10).map(_hand_made)
    return dumped | made


def _read(text: str, builder: yamlmarks._QuickBuilder) -> object:
    """read_block with the limits parse_yaml gives it."""
    return blockyaml.read_block(text, builder, max_depth=yamlmarks.MAX_DEPTH, max_nodes=yamlmarks.MAX_NODES,
                                max_chars=yamlmarks.MAX_EXPANDED_CHARS)


def _composed(text: str) -> tuple[object, dict[tuple[object, ...], tuple[int, int]], list[object], list[object]]:
    """What the composed path builds: _QuickBuilder over libyaml's nodes (marks worked out from its outline)."""
    node = yaml.compose(text, Loader=yamlmarks._Composer)
    quick = yamlmarks._QuickBuilder(Source(text, "t.yaml"))
    data = quick.build_root(node)
    return data, dict(yamlmarks._LazyMarks(quick.outline).items()), quick.notices, quick.problems


def _outcome(source: Source) -> tuple[object, ...]:
    """parse_yaml's result (data, marks, notices), or its RecordsError's problems (messages and paths)."""
    try:
        marked = yamlmarks.parse_yaml(source)
    except RecordsError as exc:
        return ("error", [str(p) for p in exc.problems], [p.path for p in exc.problems])
    return ("ok", marked.data, dict(marked.marks.items()), marked.notices)


def _without_reader(source: Source, monkeypatch: pytest.MonkeyPatch) -> object:
    """_outcome with the line reader switched off."""
    with monkeypatch.context() as patch:
        patch.setattr(yamlmarks, "read_block", lambda *args, **kwargs: None)
        return _outcome(source)


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=_documents() | _plain_documents())
@example(text="a:\n- 1\n- 2\nb: 3")
@example(text=f"id: {'1' * 41}\nn: {'2' * 40}\nm: -{'3' * 40}\nz: -0\nd: 2011-01-20")
@example(text="- {name: 办公桌, value: 7}\n")
@example(text="a: \u3000“整句”\nb:\n- \u3000‘单’")
@example(text="a: [x\"y, c'd, 'e''f' , \"g\" ]\nb: {k:   1 , v: \"2\"}\nc: 7\u3000\nd: 1#c\ne: x # c\n")
@example(text="a:\n- b:\n  - c\n  d: 1\n-   e: 2\n    f:\n    - - 3\ng:  # 说明\n  h: ~\n")
@example(text="a: [门诊, \"38\", '+9.8%']\nb: {x: 1, y: ~}")
@example(text="a: 98.5\nb: 1.10\nc: -0.0\nd: 00.5\ne: [0.50, 2.25, 3.5万]\nf: 2026年\ng: y年\nh: 12%")
def test_the_reader_gives_what_libyaml_gives_or_steps_aside(text: str) -> None:
    quick = yamlmarks._QuickBuilder(Source(text, "t.yaml"))
    data = _read(text, quick)
    if data is None:
        return
    composed = _composed(text)  # the reader took it: libyaml must read it too, to the same values
    assert data == composed[0]
    assert type(data) is type(composed[0])
    assert _types(data) == _types(composed[0])
    assert dict(yamlmarks._LazyMarks(quick.outline).items()) == composed[1]
    assert quick.notices == composed[2]
    assert bool(quick.problems) == bool(composed[3])


def _types(value: object) -> object:
    """The value's shape with the type of every leaf: True and 1 are equal, but not the same value."""
    if isinstance(value, dict):
        return {key: _types(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_types(item) for item in value]
    return type(value).__name__


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(text=_documents() | _plain_documents())
def test_parse_yaml_says_what_it_said_without_the_reader(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    source = Source(text, "t.yaml")
    now = _outcome(source)
    assert now == _without_reader(source, monkeypatch)


@pytest.mark.parametrize("path", sorted([*ROOT.glob("sample_data/*.yaml"), *ROOT.glob("templates/starters/*.yaml")]),
                         ids=lambda p: f"{p.parent.name}/{p.name}")
def test_the_samples_and_starters_are_read_line_by_line(path: Path) -> None:
    """The shortcut is taken for the files people start from (else it would save nothing), with the same result."""
    text = path.read_text(encoding="utf-8")
    quick = yamlmarks._QuickBuilder(Source(text, path.name))
    data = _read(text, quick)
    assert data is not None
    composed = _composed(text)
    assert (data, dict(yamlmarks._LazyMarks(quick.outline).items()), quick.notices) == composed[:3]


@pytest.mark.parametrize("text", [
    "a:\n" + "  " * 0 + "- " * 70 + "x\n",  # deeper than MAX_DEPTH on one line
    "a:\n" + "".join("  " * i + "- b:\n" for i in range(40)),  # and over many lines
    "a: [" + ",".join("1" * 1 for _ in range(yamlmarks.MAX_NODES + 1)) + "]\n",  # more values than MAX_NODES
    "a: 1\n---\nb: 2\n",  # a second document
    "a: 1\n...\n",
    "a: &x 1\nb: *x\n",  # an anchor and an alias
    "a: &x 1\n",  # an anchor nobody uses: a located problem from _scan
    "a: **加粗**与&符号\nb: x*y&z\n",  # * and & inside text: plain text, read by the reader
    "a: --- 不是文档分隔\nb: ... 也不是\n",
])
def test_what_the_pre_scan_looks_for_is_said_as_before(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The reader runs before the pre-scan: whatever the pre-scan would stop or report, it leaves to libyaml."""
    source = Source(text, "t.yaml")
    now = _outcome(source)
    assert now == _without_reader(source, monkeypatch)
    taken = _read(text, yamlmarks._QuickBuilder(source)) is not None
    assert taken == (now[0] == "ok" and ("加粗" in text or "不是文档" in text))


def test_the_comparisons_above_do_reach_both_paths(monkeypatch: pytest.MonkeyPatch) -> None:
    """With the reader, marks are recorded as (line, column); switched off, as libyaml's marks."""
    source = Source("a: 1\nb:\n- 二\n", "t.yaml")
    assert isinstance(yamlmarks.parse_yaml(source).marks._outline[0], tuple)  # type: ignore[attr-defined]
    with monkeypatch.context() as patch:
        patch.setattr(yamlmarks, "read_block", lambda *args, **kwargs: None)
        assert not isinstance(yamlmarks.parse_yaml(source).marks._outline[0], tuple)  # type: ignore[attr-defined]


@pytest.mark.parametrize("shape", ["one line", "many lines"])
def test_the_reader_takes_linear_time(shape: str) -> None:
    """Doubling a list (written on one line, or one item a line) at most about doubles the reading time."""
    from tests.test_scaling import MAX_RATIO, _doubling_ratio

    def make(n: int) -> Callable[[], object]:
        words = [f"第{i}项工作" for i in range(n)]
        body = f"items: [{', '.join(words)}]\n" if shape == "one line" else "items:\n" + "".join(f"- {w}\n" for w in words)
        text = f"meta:\n  title: 总结\n{body}"

        def run() -> object:
            data = _read(text, yamlmarks._QuickBuilder(Source(text, "t.yaml")))
            assert data is not None and len(data["items"]) == n  # type: ignore[index]
            return data

        return run

    assert _doubling_ratio(make, 10000) <= MAX_RATIO


def test_the_readers_constants_are_pyyamls() -> None:
    """blockyaml writes PyYAML's default tag and its resolvers' first characters out, so as not to import it."""
    assert blockyaml._STR_TAG == yaml.resolver.BaseResolver.DEFAULT_SCALAR_TAG
    assert frozenset(yaml.resolver.Resolver.yaml_implicit_resolvers) == blockyaml._FIRST_CHARS
    assert yamlmarks._FastResolve._first_chars == frozenset(yamlmarks._Loader.yaml_implicit_resolvers)


def test_a_plain_file_is_read_without_importing_pyyaml_and_an_odd_one_with_it(tmp_path: Path) -> None:
    """Importing PyYAML is ~15 ms of a cold command (issue 18): only a file libyaml must read pays it."""
    import subprocess
    import sys

    plain = tmp_path / "plain.yaml"
    plain.write_text((ROOT / "sample_data" / "school_term.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    odd = tmp_path / "odd.yaml"
    odd.write_text(plain.read_text(encoding="utf-8").replace("closing:\n  - ", "closing:\n  - |\n    ", 1),
                   encoding="utf-8")  # one item written as a block scalar: libyaml's path
    probe = ("import sys; from summarykit.records.loading import load; load(sys.argv[1]); "
             "print('yaml' in sys.modules)")
    said = [subprocess.run([sys.executable, "-c", probe, str(path)], capture_output=True, text=True, check=True,
                           timeout=60).stdout.strip() for path in (plain, odd)]
    assert said == ["False", "True"]


def test_the_readers_bound_counts_the_events_libyaml_counts() -> None:
    """A file is left to libyaml near MAX_NODES as _scan counts it (events), not by the longer outline:
    a 30,000-entry phrase bank has more outline entries than the limit but fewer events (issue 18)."""
    text = "phrases:\n" + "".join(f"  - id: p-{i}\n    text: 第{i}句话。\n" for i in range(500))
    events = sum(1 for _ in yaml.parse(text, Loader=yamlmarks._Loader))

    def read(max_nodes: int) -> object:
        quick = yamlmarks._QuickBuilder(Source(text, "t.yaml"))
        return blockyaml.read_block(text, quick, max_depth=yamlmarks.MAX_DEPTH, max_nodes=max_nodes,
                                    max_chars=yamlmarks.MAX_EXPANDED_CHARS)

    quick = yamlmarks._QuickBuilder(Source(text, "t.yaml"))
    assert blockyaml.read_block(text, quick, max_depth=64, max_nodes=10**6, max_chars=10**8) == _composed(text)[0]
    assert len(quick.outline) > events + 400  # the outline alone would have given up well before the limit
    assert read(events + 17) is not None and read(events + 16) is None
