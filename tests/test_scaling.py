"""No quadratic path: doubling an input's size at most about doubles the time, for each shape that once was.

These compare times of the *same* code at two sizes in one process (best of a few
runs each), never against a fixed number of seconds, so a busy machine slows
both alike; a quadratic path makes the ratio about 4, a linear one about 2.  The
absolute figures (5,000 items ≤ 1 s, 30,000 phrases ≤ 2 s) are measured by
benchmarks/bench_scaling.py.  The phrase-bank index is also checked to give
exactly what the old scan over every phrase gave.
"""

from __future__ import annotations

import gc
import importlib.util
import tempfile
import textwrap
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from summarykit.drafting import phrases
from summarykit.errors import PhraseBankError, RecordsError
from summarykit.records.loading import loads

REPO = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("shapes", REPO / "benchmarks" / "shapes.py")
assert _spec and _spec.loader
shapes = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(shapes)

MAX_RATIO = 2.5


def _best(run: Callable[[], Any], times: int) -> float:
    best = float("inf")
    for _ in range(times):
        gc.collect()  # each run starts from the same heap: a collection left over from the last one is not its cost
        gc.disable()  # the collector's passes grow with the live heap: measure the code's own work
        try:
            start = time.process_time()  # CPU time of this process: other programs on a busy machine barely move it
            run()
            best = min(best, time.process_time() - start)
        finally:
            gc.enable()
    return best


def _doubling_ratio(make: Callable[[int], Callable[[], Any]], n: int, times: int = 5) -> float:
    """Time at 2n ÷ time at n, each the best of ``times`` runs, sizes interleaved."""
    small, large = make(n), make(2 * n)
    small(), large()  # warm: imports, the built-in bank
    at_n, at_2n = float("inf"), float("inf")
    for _ in range(times):
        at_n = min(at_n, _best(small, 1))
        at_2n = min(at_2n, _best(large, 1))
    return at_2n / at_n


def _records(shape: str) -> Callable[[int], Callable[[], Any]]:
    def make(n: int) -> Callable[[], Any]:
        text = getattr(shapes, shape)(n)

        def run() -> Any:
            try:
                return loads(text, f"{shape}.yaml")
            except RecordsError as exc:
                assert shape == "slips" and len(exc.problems) == n  # one located problem per slip
                return exc

        return run

    return make


def test_records_whose_values_wrap_over_two_lines_load_in_linear_time() -> None:
    report = _records("wrapped")(3)()
    assert report.achievements[0].items[2].text.startswith("第2项：") and report.achievements[0].items[2].text.endswith("共计2间。")
    assert _doubling_ratio(_records("wrapped"), 1500) <= MAX_RATIO


def test_records_with_a_key_value_slip_in_every_item_are_reported_in_linear_time() -> None:
    assert _doubling_ratio(_records("slips"), 1500) <= MAX_RATIO


def test_a_large_user_phrase_bank_loads_in_linear_time(tmp_path: Path) -> None:
    def make(n: int) -> Callable[[], Any]:
        path = tmp_path / f"bank-{n}.yaml"
        path.write_text(shapes.bank(n), encoding="utf-8")
        return lambda: phrases.load_bank([path])

    assert len(make(50)().in_category("custom")) == 50
    assert _doubling_ratio(make, 8000) <= MAX_RATIO  # below ~8,000 entries CPU caches make the small size flatter


# --------------------------------------------------------------------------- the bank index = the old scan


class _ScanningBuilder(phrases._Builder):
    """The builder as it was: the duplicate check and "category emptied" scan every phrase."""

    def _same_text(self, path: tuple[Any, ...], phrase: phrases.Phrase) -> bool:
        for other in self.phrases.values():
            if other.id != phrase.id and other.category == phrase.category and other.text == phrase.text:
                self._problem((*path, "text") if phrase.series == () else path,
                              f"与“{other.id}”（{other.where}）的文字完全相同")
                return True
        return False

    def _disable(self, ids: Any) -> None:
        if isinstance(ids, str):
            ids = [ids]
        if not isinstance(ids, list):
            self._problem(("disable",), "disable 应是 id 列表，如 [opening.guide-1, pledge.plain-2]")
            return
        for i, phrase_id in enumerate(ids):
            phrase = self.phrases.get(phrase_id) if isinstance(phrase_id, str) else None
            if phrase is None:
                self._problem(("disable", i), f"要停用的短语“{phrase_id}”不存在",
                              phrases._did_you_mean(str(phrase_id), list(self.phrases)))
                continue
            del self.phrases[phrase_id]
            if not any(p.category == phrase.category for p in self.phrases.values()):
                line, column = phrases._mark(self.marked, ("disable", i))
                self.emptied[phrase.category] = phrases.Problem(
                    f"停用“{phrase_id}”之后，类别“{phrase.category}”一条短语也没有了", file=self.name, line=line,
                    column=column, path=phrases.format_path(("disable", i)), hint="至少保留或新增一条短语")


_IDS = st.sampled_from(["a.1", "a.2", "a.3", "b.1", "b.2"])
_TEXTS = st.sampled_from(["甲。", "乙。", "丙。", "丁。"])
_CATEGORIES = st.sampled_from(["alpha", "beta"])
_FILE = st.fixed_dictionaries({
    "category": _CATEGORIES,
    "phrases": st.lists(st.tuples(_IDS, _TEXTS, st.none() | _CATEGORIES), max_size=5),
    "replace": st.lists(st.tuples(_IDS, _TEXTS), max_size=3),
    "disable": st.lists(_IDS, max_size=3),
})


def _bank_file(spec: dict[str, Any]) -> str:
    lines = [f"category: {spec['category']}", "form: sentence"]
    if spec["phrases"]:
        lines.append("phrases:")
        for phrase_id, text, category in spec["phrases"]:
            lines += [f"  - id: {phrase_id}", f"    text: {text}"] + ([f"    category: {category}"] if category else [])
    if spec["replace"]:
        lines.append("replace:")
        for phrase_id, text in spec["replace"]:
            lines += [f"  - id: {phrase_id}", f"    text: {text}"]
    if spec["disable"]:
        lines.append(f"disable: [{', '.join(spec['disable'])}]")
    if not (spec["phrases"] or spec["replace"] or spec["disable"]):
        lines.append("phrases: []")
    return "\n".join(lines) + "\n"


def _outcome(builder: phrases._Builder, paths: list[Path]) -> Any:
    for path in paths:
        builder.apply_file(path)
    try:
        bank = builder.finish()
    except PhraseBankError as exc:
        return ("error", exc.problems)
    return ("bank", [(p.id, p.category, p.text, p.where) for p in bank.phrases], bank.info)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(files=st.lists(_FILE, min_size=1, max_size=4))
def test_the_phrase_bank_index_gives_what_scanning_every_phrase_gave(files: list[dict[str, Any]]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        paths = []
        for i, spec in enumerate(files):
            path = Path(folder) / f"{i}.yaml"
            path.write_text(_bank_file(spec), encoding="utf-8")
            paths.append(path)
        assert _outcome(phrases._Builder(), paths) == _outcome(_ScanningBuilder(), paths)


def test_a_duplicate_text_is_still_reported_with_where_the_first_one_is(tmp_path: Path) -> None:
    path = tmp_path / "dup.yaml"
    path.write_text(textwrap.dedent("""\
        category: alpha
        form: sentence
        phrases:
          - id: a.1
            text: 甲。
          - id: a.2
            text: 甲。
        """), encoding="utf-8")
    with pytest.raises(PhraseBankError) as caught:
        phrases.load_bank_files([path])
    assert [p.message for p in caught.value.problems] == [f"与“a.1”（{path}:4）的文字完全相同"]
