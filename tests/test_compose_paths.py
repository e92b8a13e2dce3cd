"""The compose stage's shortcuts taken for speed choose and build exactly what the plain way does.

Each test keeps the plain version beside the fast one (as tests/test_performance_paths.py does for
the other stages) and compares the two on random input.  No timings here: benchmarks/ measures those.
"""

from __future__ import annotations

from typing import Any, ClassVar

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from summarykit.drafting import composer, markup, phrases
from summarykit.drafting.phrases import (
    GENRE_TAGS,
    KNOWN_TAGS,
    PERSONAL,
    Phrase,
    PhraseChooser,
    load_bank,
)
from summarykit.tree.document import (
    Block,
    Chart,
    ChartSeries,
    Heading,
    Image,
    ListItem,
    PageBreak,
    Paragraph,
    Table,
)
from summarykit.tree.numbering import SCHEMES

from .test_scaling import MAX_RATIO, _doubling_ratio

# --------------------------------------------------------------------------- PhraseChooser._pick


class PlainChooser(PhraseChooser):
    """The chooser as it was: every choice filters its category afresh, each tag test builds its sets,
    ``p in own`` compares phrases field by field."""

    def choose(self, category: str, **slots: object) -> str:
        phrase_list = self._category(category)
        assert self.bank.category_info(category).form != "series"
        values = {k: v for k, v in slots.items() if v is not None and phrases._clean_value(v)}
        usable = [p for p in phrase_list if all(s in values for s in p.slots)]
        if not usable:
            raise phrases.PhraseBankError("no usable phrase")
        return self._pick(category, usable).fill(values)

    def _pick(self, category: str, candidates: list[Phrase]) -> Phrase:
        def allowed_plain(phrase: Phrase) -> bool:
            tags = set(phrase.tags)
            org = tags & phrases._ORG_SET
            if org and not org & self._strict:
                return False
            if PERSONAL in tags and PERSONAL not in self._strict:
                return False
            genre = tags & phrases._GENRE_SET
            return not (genre and not genre & self._strict)

        def fits_plain(phrase: Phrase) -> bool:
            have = phrases._REGISTER_SET.intersection(phrase.tags)
            return not (have and self._register and not have & self._register)

        def speaks_plain(phrase: Phrase) -> bool:
            tags = set(phrase.tags)
            if PERSONAL in self._strict:
                return PERSONAL in tags
            return bool(tags & self._strict)

        allowed = [p for p in candidates if allowed_plain(p)]
        if not allowed:
            raise phrases.PhraseBankError("no phrase for this document")
        fitting = [p for p in allowed if fits_plain(p)] or allowed
        own = [p for p in fitting if speaks_plain(p)]
        first = self._strict & ({PERSONAL} | set(GENRE_TAGS))
        pool = own if first and any(p.id not in self._last_used for p in own) else fitting
        rng = self._rng(category)
        fresh = [p for p in pool if p.id not in self._last_used and not self._too_similar(p)]
        if fresh:
            weighted = [q for p in fresh for q in ((p, p) if p in own else (p,))]
            pick = weighted[rng.randrange(len(weighted))]
        else:
            oldest = min(self._last_used.get(p.id, 0) for p in pool)
            ties = [p for p in pool if self._last_used.get(p.id, 0) == oldest]
            pick = ties[rng.randrange(len(ties))]
        self._last_used[pick.id] = len(self.history) + 1
        self._used_words.append(self._words_of(pick))
        self.history.append((category, pick.id))
        return pick


BANK = load_bank()
SENTENCE_CATEGORIES = [c for c in BANK.categories() if BANK.category_info(c).form != "series"]
SLOTS: dict[str, Any] = {"unit": "学校", "period": "本学期", "next_period": "下学期", "subject": "后勤", "topic": "食堂"}
SLOT_SETS = st.dictionaries(st.sampled_from(sorted(SLOTS)), st.sampled_from(["", None, "内容"]), max_size=5).map(
    lambda given: {**SLOTS, **given})


def outcome(chooser: PhraseChooser, calls: list[tuple[str, dict[str, Any]]]) -> list[Any]:
    results: list[Any] = []
    for category, slots in calls:
        try:
            results.append(chooser.choose(category, **slots))
        except phrases.PhraseBankError:
            results.append("error")
    return results


@settings(max_examples=150, deadline=None)
@given(seed=st.integers(0, 10**6), tags=st.lists(st.sampled_from(KNOWN_TAGS), max_size=3, unique=True),
       calls=st.lists(st.tuples(st.sampled_from(SENTENCE_CATEGORIES), SLOT_SETS), min_size=1, max_size=12))
def test_the_chooser_picks_what_the_plain_chooser_picks(seed: int, tags: list[str],
                                                        calls: list[tuple[str, dict[str, Any]]]) -> None:
    """Twice over the same bank, so that the second document takes its candidates from the bank's store."""
    for _ in range(2):
        fast, plain = PhraseChooser(BANK, seed, tags=tags), PlainChooser(BANK, seed, tags=tags)
        assert outcome(fast, calls) == outcome(plain, calls)
        assert fast.history == plain.history


# --------------------------------------------------------------------------- composer.drop_empty_sections


def _blocks(n: int) -> list[Block]:
    """n groups of a heading, an empty subheading (dropped) and an item."""
    blocks: list[Block] = []
    for i in range(n):
        blocks += [Heading(1, f"第{i}部分"), Heading(2, "空的"), Heading(2, "有内容"), ListItem(3, "条目")]
    return blocks


def _drop_plain(blocks: list[Block]) -> list[Block]:
    """The rule stated plainly: a heading stays when content comes before the next heading of its level or above."""
    kept: list[Block] = []
    for index, block in enumerate(blocks):
        if isinstance(block, Heading) and not (block.run_in and (block.body or not block.numbered)):
            has_content = False
            for following in blocks[index + 1:]:
                if isinstance(following, PageBreak):
                    continue
                if isinstance(following, Heading):
                    if following.level <= block.level:
                        break
                    if following.run_in and (following.body or not following.numbered):
                        has_content = True
                        break
                    continue
                has_content = True
                break
            if not has_content:
                continue
        kept.append(block)
    return composer._tidy_page_breaks(kept)


_BLOCK = st.one_of(
    st.builds(Heading, st.integers(1, 5), st.just("标题"), run_in=st.booleans(), body=st.sampled_from(["", "正文"]),
              numbered=st.booleans()),
    st.builds(ListItem, st.integers(1, 5), st.just("条目")),
    st.just(Paragraph("段落")),
    st.just(PageBreak()),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_BLOCK, max_size=12))
def test_dropping_empty_sections_keeps_what_the_plain_rule_keeps(blocks: list[Block]) -> None:
    assert composer.drop_empty_sections(blocks) == _drop_plain(blocks)


def test_dropping_empty_sections_is_linear() -> None:
    """It was quadratic (a copy of the rest of the document per heading): a tenth of composing 5,000 paragraphs."""
    assert composer.drop_empty_sections(_blocks(3)) == [b for i, b in enumerate(_blocks(3)) if i % 4 != 1]
    def make(n: int) -> Any:
        blocks = _blocks(n)
        return lambda: composer.drop_empty_sections(blocks)

    ratio = _doubling_ratio(make, 3000)
    assert ratio < MAX_RATIO


# --------------------------------------------------------------------------- composer._final_blocks


def _final_plain(blocks: list[Block], assets: dict[str, str], scheme: tuple[str, ...]) -> tuple[Block, ...]:
    """What compose did before: drop empty sections, give pictures their file, then the two numbering
    passes, each copying the blocks it changes."""
    import dataclasses

    from summarykit.tree.document import Document
    from summarykit.tree.numbering import number_document, number_figures

    kept = [dataclasses.replace(b, source=assets.get(b.path, "")) if isinstance(b, Image) else b
            for b in _drop_plain(blocks)]
    return number_figures(number_document(Document("t", blocks=tuple(kept), scheme=scheme))).blocks


_RICH_BLOCK = st.one_of(
    _BLOCK,
    st.builds(ListItem, st.integers(1, 5), st.just("条目"), numbered=st.booleans()),
    st.builds(Image, st.sampled_from(["a.png", "b.png"]), caption=st.sampled_from(["", "图题"])),
    st.builds(Chart, st.just("bar"), st.sampled_from(["", "图题"]), st.just(("甲",)),
              st.just((ChartSeries("s", (1.0,)),))),
    st.builds(Table, st.just("表"), st.just(("列",)), st.just((("1",),))),
)


class _Assets:
    """The one field of a Report that _final_blocks reads."""

    assets: ClassVar[dict[str, str]] = {"a.png": "/records/a.png"}


@settings(max_examples=300, deadline=None)
@given(st.lists(_RICH_BLOCK, max_size=16), st.sampled_from(sorted(SCHEMES)))
def test_the_final_pass_gives_the_blocks_the_five_passes_gave(blocks: list[Block], scheme_name: str) -> None:
    """Labels, figure numbers and picture files set in place equal the copies the plain passes made
    (each block fresh, as the markup parser makes them)."""
    import copy

    scheme = SCHEMES[scheme_name]
    expected = _final_plain(blocks, _Assets.assets, scheme)
    fresh = [copy.copy(b) for b in blocks]
    assert composer._final_blocks(fresh, _Assets(), scheme) == expected  # type: ignore[arg-type]


# --------------------------------------------------------------------------- markup.parse: an item line


def _item_plain(line: str) -> list[Block]:
    """An item line by the rule as written: the item pattern, then spans() for escapes and emphasis."""
    found = markup._ITEM.match(line.strip())
    assert found is not None
    level, star, text = found.groups()
    text, marks = markup.spans(text or "")
    return [ListItem(int(level or 3), text, numbered=not star, marks=marks)] if text else []


_ITEM_TEXT = st.text(alphabet=st.sampled_from(list("ab中 \t\u3000\\*+-|:#3")), max_size=8)


@settings(max_examples=400, deadline=None)
@given(level=st.sampled_from(["", "1", "3", "5", "6"]), star=st.sampled_from(["", "*"]),
       gap=st.sampled_from(["", " ", "  ", "\t", " \u3000"]), text=_ITEM_TEXT)
def test_an_item_line_parses_as_the_item_rule_says(level: str, star: str, gap: str, text: str) -> None:
    """The shortcut for "-3 text" lines gives what the pattern and spans() give, for every line that is an item."""
    line = f"-{level}{star}{gap}{text}"
    if markup._ITEM.match(line.strip()) is None:
        return
    assert markup.parse(line).blocks == _item_plain(line)
    # the same line right after a table row (the shortcut steps aside; the table closes first)
    after_table = markup.parse(f"::table 表\n| 甲 |\n{line}").blocks
    assert after_table[1:] == _item_plain(line)
    assert type(after_table[0]) is Table


# --------------------------------------------------------------------------- the built-in render's macro calls

_CALLS = [
    "{{ m(1) }}",
    "{{ m(1, 2) }}",
    "{{ m(1, 2, 3) }}",
    "{{ m(1, c=3) }}",
    "{{ m(a=1, b=2) }}",
    "{{ m(1, b=2, c=3) }}",
    "{% for i in [1, 2] %}{{ m(i, c=loop.index) }}{% endfor %}",
    "{{ m(1, d=4) }}",  # no such argument: Jinja's own error
    "{{ m(1, a=2) }}",  # given twice: Jinja's own error
    "{{ m(1, 2, 3, 4) }}",  # too many
    "{{ v(1, 2, x=3) }}",  # *varargs and **kwargs: Jinja's Macro.__call__
    "{% call w() %}inner{% endcall %}",  # caller: Jinja's Macro.__call__
]
_MACROS = ("{% macro m(a, b=20, c=none) %}[{{ a }}|{{ b }}|{{ c }}]{% endmacro %}"
           "{% macro v(a) %}[{{ a }}{{ varargs }}{{ kwargs }}]{% endmacro %}"
           "{% macro w() %}<{{ caller() }}>{% endmacro %}")


def _rendered(env: Any, source: str) -> str:
    try:
        return env.from_string(_MACROS + source).render()
    except TypeError as exc:
        return f"TypeError: {exc}"


@pytest.mark.parametrize("call", _CALLS)
def test_a_builtin_macro_call_binds_its_arguments_as_jinja_does(call: str) -> None:
    """The built-in render calls a macro without Macro.__call__ (templating._TrustedContext.call):
    positional and keyword arguments, defaults and the errors are what Jinja's own call gives."""
    from jinja2 import StrictUndefined
    from jinja2.runtime import Context, Macro

    from summarykit.drafting import templating

    class JinjaContext(Context):
        def call(__self, __obj: Any, *args: Any, **kwargs: Any) -> Any:
            result = Context.call(__self, __obj, *args, **kwargs)
            return templating.MarkupText(result) if type(result) is str and isinstance(__obj, Macro) else result

    class JinjaCalls(templating._Trusted):
        context_class = JinjaContext
        macro_class = Macro

    plain = JinjaCalls(undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
                       autoescape=False, finalize=templating._finalize_trusted)
    plain.globals.update(__literal__=templating.MarkupText)
    assert _rendered(templating._trusted_environment(), call) == _rendered(plain, call)
