"""The compose stage's shortcuts taken for speed choose and build exactly what the plain way does.

Each test keeps the plain version beside the fast one (as tests/test_performance_paths.py does for
the other stages) and compares the two on random input.  No timings here: benchmarks/ measures those.
"""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from summarykit.drafting import phrases
from summarykit.drafting.phrases import (
    GENRE_TAGS,
    KNOWN_TAGS,
    PERSONAL,
    Phrase,
    PhraseChooser,
    load_bank,
)

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
