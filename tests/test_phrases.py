"""The stock phrase bank: data, validation, seeded non-repeating choice, user banks, CLI."""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from summarykit.drafting.phrases import (
    AUDIENCE_TAGS,
    FORMS,
    KNOWN_TAGS,
    SAMPLE_SLOTS,
    SLOTS,
    PhraseChooser,
    builtin_bank_dir,
    content_words,
    load_bank,
    load_bank_files,
    mine_phrases,
    segment_text,
    similarity,
)
from summarykit.errors import PhraseBankError

REPO = Path(__file__).resolve().parents[1]
SAMPLES_TXT = REPO.parent / "shared" / "samples" / "six_sample_summaries.txt"

# Categories the issue asks for, by what a phrase does in a summary.
REQUIRED_CATEGORIES = {
    "opening", "review", "report_intro", "achievement_lead", "quantified", "transition", "experience_lead",
    "problem_lead", "cause", "plan_lead", "plan_item", "pledge", "thanks", "enumerator", "connector",
}
SLOTS_FOR_DOC = {k: v for k, v in SAMPLE_SLOTS.items() if k not in {"topic", "metric"}}


@pytest.fixture(scope="session")
def cache_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One cache folder for the whole run, so jieba starts at most once per process."""
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(autouse=True)
def _private_cache(cache_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache_home))


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path


def line_of(path: Path, needle: str) -> int:
    """1-based line of the first line containing ``needle`` (so tests do not hard-code line numbers)."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {path}")


def document_choices(seed: int, tags: tuple[str, ...] = ("school",)) -> list[str]:
    """What one document would ask the bank for: every category, some of them several times."""
    chooser = PhraseChooser(load_bank(), seed, tags=tags)
    out = []
    for category in load_bank().categories():
        if category == "enumerator":
            out.append("".join(chooser.enumeration(3)))
            continue
        for index in range(2):
            out.append(chooser.choose(category, topic=f"方面{index}", metric="办公桌7张", **SLOTS_FOR_DOC))
    return out


# --------------------------------------------------------------------------- the built-in bank


def test_builtin_bank_is_large_enough_and_covers_the_genre() -> None:
    bank = load_bank()
    assert builtin_bank_dir().is_dir()
    assert len(bank.categories()) >= 12
    assert len(bank.phrases) >= 200
    assert set(bank.categories()) >= REQUIRED_CATEGORIES


def test_every_builtin_phrase_has_an_id_tags_slots_and_source() -> None:
    bank = load_bank()
    ids = [p.id for p in bank.phrases]
    assert len(ids) == len(set(ids))
    for phrase in bank.phrases:
        assert phrase.source, phrase.id
        assert set(phrase.tags) <= set(KNOWN_TAGS), phrase.id
        assert set(phrase.slots) == set(re.findall(r"\{(\w+)\}", phrase.text)), phrase.id
        assert set(phrase.slots) <= set(SLOTS), phrase.id


def test_every_phrase_in_the_bank_renders_with_test_data() -> None:
    bank = load_bank()
    for phrase in bank.phrases:
        form = bank.category_info(phrase.category).form
        if form == "series":
            for count in range(2, phrase.capacity + 1):
                markers = phrase.markers(count)
                assert len(markers) == count and all(markers) and len(set(markers)) == count, phrase.id
            continue
        text = phrase.fill(SAMPLE_SLOTS)
        assert text and "{" not in text and "}" not in text, phrase.id
        for value in (SAMPLE_SLOTS[s].rstrip("。") for s in phrase.slots):
            assert value in text, phrase.id
        assert not re.search(r"[\u4e00-\u9fff][,;:?!]|[,;:?!][\u4e00-\u9fff]", text), phrase.id
        if form in ("sentence", "tail"):
            assert text.endswith(("。", "！", "？")), phrase.id
        elif form == "lead":
            assert text.endswith("："), phrase.id


def test_every_phrase_can_be_chosen_with_test_data() -> None:
    """Asking a category as many times as a document of some kind may use of it yields each of those
    once: none is unreachable, and each kind of document (an organization type, a personal summary)
    reaches its own phrases and the neutral ones."""
    bank = load_bank()
    reached: set[str] = set()
    kinds = {tuple(sorted(set(p.tags) - {"formal", "plain"})) for p in bank.phrases}
    for kind in kinds:
        for category in bank.categories():
            chooser = PhraseChooser(bank, seed=3, tags=kind)
            usable = [p for p in bank.in_category(category) if chooser._allowed(p)]
            for _ in usable:
                if bank.category_info(category).form == "series":
                    chooser.enumeration(2)
                else:
                    chooser.choose(category, **SAMPLE_SLOTS)
            assert sorted(pid for _, pid in chooser.history) == sorted(p.id for p in usable), (kind, category)
            reached.update(pid for _, pid in chooser.history)
    assert reached == {p.id for p in bank.phrases}


# --------------------------------------------------------------------------- seeded choice


def test_same_seed_gives_the_same_text() -> None:
    assert document_choices(11) == document_choices(11)


def test_different_seeds_give_different_text() -> None:
    documents = {tuple(document_choices(seed)) for seed in range(1, 21)}
    assert len(documents) == 20


def test_choices_do_not_depend_on_hash_randomization_or_the_word_cache(tmp_path: Path, cache_home: Path) -> None:
    script = textwrap.dedent("""
        import json, sys
        from summarykit.drafting.phrases import PhraseChooser, SAMPLE_SLOTS, load_bank
        bank = load_bank()
        chooser = PhraseChooser(bank, 5, tags=("school",))
        out = [chooser.choose(c, **SAMPLE_SLOTS) for c in bank.categories() if c != "enumerator" for _ in range(2)]
        out.append("".join(chooser.enumeration(4)))
        print(json.dumps(out, ensure_ascii=False))
    """)
    runs = []
    for hash_seed, cache in (("0", cache_home), ("4242", cache_home), ("random", tmp_path / "cold")):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed, "XDG_CACHE_HOME": str(cache)}
        result = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True,
                                timeout=120, check=True)
        runs.append(json.loads(result.stdout))
    assert runs[0] == runs[1] == runs[2]
    here = PhraseChooser(load_bank(), 5, tags=("school",))
    expected = [here.choose(c, **SAMPLE_SLOTS) for c in load_bank().categories() if c != "enumerator"
                for _ in range(2)]
    assert runs[0][:-1] == expected


def test_a_normal_render_does_not_start_jieba_once_the_word_cache_exists(cache_home: Path) -> None:
    content_words(segment_text(p) for p in load_bank().phrases)  # make sure the cache is warm
    script = textwrap.dedent("""
        import sys
        import summarykit
        assert "jieba" not in sys.modules, "import summarykit imported jieba"
        from summarykit.drafting.phrases import PhraseChooser, SAMPLE_SLOTS, load_bank
        chooser = PhraseChooser(load_bank(), 1)
        for category in ("opening", "transition", "pledge", "thanks"):
            chooser.choose(category, **SAMPLE_SLOTS)
        print("jieba" in sys.modules)
    """)
    env = {**os.environ, "XDG_CACHE_HOME": str(cache_home)}
    result = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60,
                            check=True)
    assert result.stdout.strip() == "False"


def test_no_phrase_is_used_twice_in_a_document() -> None:
    bank = load_bank()
    chooser = PhraseChooser(bank, 8, tags=("hospital",))
    for category in bank.categories():
        if category == "enumerator":
            continue
        for _ in range(len([p for p in bank.in_category(category) if chooser._allowed(p)]) - 2):
            chooser.choose(category, **SAMPLE_SLOTS)
    ids = [pid for _, pid in chooser.history]
    assert len(ids) == len(set(ids))


def test_phrases_whose_content_words_overlap_strongly_with_a_used_one_are_skipped(tmp_path: Path) -> None:
    bank = load_bank_files([write(tmp_path, "bank.yaml", """
        category: first
        form: sentence
        phrases:
          - id: first.a
            text: 后勤人员齐心协力，克服困难，保障了学校工作的正常运转。
        """), write(tmp_path, "second.yaml", """
        category: second
        form: sentence
        phrases:
          - id: second.similar
            text: 全体后勤人员齐心协力，克服困难，保障了学校的正常运转。
          - id: second.other
            text: 展望未来，我们信心满怀。
        """)])
    words = {p.id: content_words([segment_text(p)])[segment_text(p)] for p in bank.phrases}
    assert similarity(words["first.a"], words["second.similar"]) >= 0.5
    assert similarity(words["first.a"], words["second.other"]) < 0.5
    for seed in range(1, 16):
        chooser = PhraseChooser(bank, seed)
        chooser.choose("first")
        assert chooser.choose("second") == "展望未来，我们信心满怀。"
        # Exhausted: the skipped phrase is still better than repeating one.
        assert chooser.choose("second").startswith("全体后勤人员")


def test_an_exhausted_category_falls_back_to_the_least_recently_used_phrase(tmp_path: Path) -> None:
    bank = load_bank_files([write(tmp_path, "small.yaml", """
        category: closing_words
        form: sentence
        phrases:
          - {id: c.1, text: 一份耕耘，一份收获。}
          - {id: c.2, text: 展望未来，我们信心满怀。}
          - {id: c.3, text: 成绩属于过去，工作仍需努力。}
        """)])
    chooser = PhraseChooser(bank, 4)
    first_round = [chooser.choose("closing_words") for _ in range(3)]
    assert len(set(first_round)) == 3
    assert [chooser.choose("closing_words") for _ in range(3)] == first_round


def test_phrases_whose_slots_are_missing_or_empty_are_skipped(tmp_path: Path) -> None:
    bank = load_bank_files([write(tmp_path, "slots.yaml", """
        category: thanks_words
        form: sentence
        phrases:
          - {id: t.leader, text: "成绩的取得，离不开{leader}的关心支持。"}
          - {id: t.plain-1, text: 衷心感谢各位同事的理解和支持！}
          - {id: t.plain-2, text: 在此，对大家的辛勤付出表示感谢！}
        """)])
    for seed in range(1, 30):
        for leader in (None, "", "   "):
            chooser = PhraseChooser(bank, seed)
            picks = [chooser.choose("thanks_words", leader=leader) for _ in range(4)]
            assert all("{" not in p and "离不开" not in p for p in picks)
    with_leader = {PhraseChooser(bank, seed).choose("thanks_words", leader="学校领导") for seed in range(1, 30)}
    assert "成绩的取得，离不开学校领导的关心支持。" in with_leader


def test_a_category_where_every_phrase_lacks_a_slot_is_an_error() -> None:
    with pytest.raises(PhraseBankError) as caught:
        PhraseChooser(load_bank(), 1).choose("quantified")
    assert "metric" in str(caught.value)


def test_unknown_category_is_an_error_with_a_suggestion() -> None:
    with pytest.raises(PhraseBankError) as caught:
        PhraseChooser(load_bank(), 1).choose("pledg")
    assert "pledge" in str(caught.value)


def test_type_tags_are_strict_and_register_tags_are_preferences(tmp_path: Path) -> None:
    bank = load_bank()
    other_audiences = {"agency", "survey", "personal", "hospital", "company", "property", "community", "party"}
    for seed in range(1, 15):
        chooser = PhraseChooser(bank, seed, tags=("school",))
        for category in ("opening", "pledge", "thanks", "conclusion"):
            for _ in range(4):
                chooser.choose(category, **SAMPLE_SLOTS)
        used = [bank.get(pid) for _, pid in chooser.history]
        assert all(p is not None and not (set(p.tags) & other_audiences) for p in used)
    only_agency = load_bank_files([write(tmp_path, "agency.yaml", """
        category: agency_words
        form: sentence
        phrases:
          - {id: a.1, text: 机关后勤工作是机关高效运转的保证。, tags: [agency]}
          - {id: a.2, text: 各项工作有序推进。, tags: [formal]}
        """)])
    # Another type's phrase is never the fallback: the neutral one is used even against the register.
    assert PhraseChooser(only_agency, 1, tags=("school", "plain")).choose("agency_words") == "各项工作有序推进。"
    assert PhraseChooser(only_agency, 1, tags=("agency",)).choose("agency_words")
    no_neutral = load_bank_files([write(tmp_path, "agency2.yaml", """
        category: agency_words
        form: sentence
        phrases:
          - {id: a.1, text: 机关后勤工作是机关高效运转的保证。, tags: [机关]}
        """)])
    assert no_neutral.phrases[0].tags == ("agency",)  # a Chinese type name is read as its tag
    with pytest.raises(PhraseBankError, match="没有适合本文档（学校）的短语"):
        PhraseChooser(no_neutral, 1, tags=("school",)).choose("agency_words")
    with pytest.raises(PhraseBankError):
        PhraseChooser(bank, 1, tags=("schoool",))
    assert set(AUDIENCE_TAGS) <= set(KNOWN_TAGS)


def test_enumerations_are_ordered_series_that_vary() -> None:
    chooser = PhraseChooser(load_bank(), 2)
    series = [chooser.enumeration(3) for _ in range(5)]
    assert len({tuple(s) for s in series}) == 5
    for markers in series:
        assert len(markers) == 3 and len(set(markers)) == 3
    assert chooser.enumeration(1) == [""]
    assert chooser.enumeration(0) == []
    with pytest.raises(PhraseBankError):
        chooser.enumeration(11)
    shouxian = load_bank().get("enumerator.shouxian")
    assert shouxian is not None
    assert shouxian.markers(2) == ["首先，", "其次，"]
    assert shouxian.markers(3) == ["首先，", "其次，", "最后，"]
    assert shouxian.markers(4) == ["首先，", "其次，", "再次，", "最后，"]
    with pytest.raises(PhraseBankError):
        PhraseChooser(load_bank(), 1).choose("enumerator")


def test_slot_values_are_inserted_verbatim_and_lose_end_punctuation(tmp_path: Path) -> None:
    bank = load_bank_files([write(tmp_path, "b.yaml", """
        category: aspect
        form: prefix
        phrases:
          - {id: x.1, text: "在{topic}方面，"}
        """)])
    assert PhraseChooser(bank, 1).choose("aspect", topic="{unit}食堂管理。") == "在{unit}食堂管理方面，"


# --------------------------------------------------------------------------- validation


def problems_of(*paths: Path) -> list[tuple[str, int | None, str]]:
    with pytest.raises(PhraseBankError) as caught:
        load_bank_files(list(paths))
    return [(Path(p.file).name, p.line, p.message) for p in caught.value.problems]


def test_an_unknown_slot_is_an_error_naming_file_and_line(tmp_path: Path) -> None:
    path = write(tmp_path, "slot.yaml", """
        category: opening_x
        form: sentence
        phrases:
          - id: o.1
            text: "{period}，{unit}坚持服务大局。"
          - id: o.2
            text: "{periode}，各项工作有序推进。"
        """)
    [(name, line, message)] = problems_of(path)
    assert (name, line) == ("slot.yaml", line_of(path, "{periode}"))
    assert "periode" in message


def test_a_duplicate_id_is_an_error_naming_both_places(tmp_path: Path) -> None:
    first = write(tmp_path, "one.yaml", """
        category: pledge_x
        form: sentence
        phrases:
          - id: p.same
            text: 我们将继续努力。
        """)
    second = write(tmp_path, "two.yaml", """
        category: pledge_x
        phrases:
          - id: p.other
            text: 我们有信心做好各项工作。
          - id: p.same
            text: 我们将再创佳绩。
        """)
    [(name, line, message)] = problems_of(first, second)
    assert (name, line) == ("two.yaml", line_of(second, "id: p.same"))
    assert f"one.yaml:{line_of(first, 'id: p.same')}" in message


def test_an_empty_category_is_an_error_naming_file_and_line(tmp_path: Path) -> None:
    path = write(tmp_path, "empty.yaml", """
        # a category with nothing in it
        category: nothing
        form: sentence
        phrases: []
        """)
    [(name, line, message)] = problems_of(path)
    assert (name, line) == ("empty.yaml", line_of(path, "phrases:"))
    assert "nothing" in message


def test_a_category_declared_without_phrases_is_an_error(tmp_path: Path) -> None:
    path = write(tmp_path, "declared.yaml", """
        category: greeting
        form: sentence
        disable: [connector.ciwai-1]
        """)
    with pytest.raises(PhraseBankError) as caught:
        load_bank([path])
    [problem] = caught.value.problems
    assert problem.line == line_of(path, "category:")
    assert "greeting" in problem.message


@pytest.mark.parametrize(
    ("entry", "needle", "words"),
    [
        ("  - {id: e.1, text: 我们将继续努力, tags: [school]}", "e.1", "结尾"),  # a sentence must end with 。
        ("  - {id: e.1, text: 我们将继续努力。, tags: [schol]}", "e.1", "schol"),
        ("  - {id: e.1, text: '我们将继续努力,再创佳绩。'}", "e.1", "半角"),
        ("  - {id: e.1, text: '{unit 将继续努力。'}", "e.1", "花括号"),
        ("  - {id: e.1, txt: 我们将继续努力。}", "e.1", "txt"),
        ("  - {text: 我们将继续努力。}", "我们将", "id"),
    ],
)
def test_other_mistakes_in_a_bank_file_are_located(tmp_path: Path, entry: str, needle: str, words: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(f"category: bad\nform: sentence\nphrases:\n{entry}\n", encoding="utf-8")
    problems = problems_of(path)
    assert problems
    assert all(name == "bad.yaml" and line == line_of(path, needle) for name, line, _ in problems)
    assert any(words in message for _, _, message in problems)


def test_every_problem_in_a_file_is_reported_at_once(tmp_path: Path) -> None:
    path = write(tmp_path, "many.yaml", """
        category: many
        form: lead
        phrases:
          - {id: m.1, text: "{who}主要做了以下工作："}
          - {id: m.2, text: 主要做了以下工作。}
          - {id: m.1, text: 具体情况如下：}
        """)
    assert len(problems_of(path)) == 3


def test_a_broken_yaml_file_is_a_phrase_bank_error(tmp_path: Path) -> None:
    path = write(tmp_path, "broken.yaml", "category: x\nphrases:\n  - id: a\n   text: [\n")
    [(name, line, _)] = problems_of(path)
    assert name == "broken.yaml" and line is not None


# --------------------------------------------------------------------------- user banks


def test_a_user_bank_adds_replaces_and_disables_phrases(tmp_path: Path) -> None:
    user = write(tmp_path, "mine.yaml", """
        category: pledge
        phrases:
          - id: pledge.mine-1
            text: "{next_period}，我们将以师生满意为目标，把每一件小事做好。"
            tags: [school]
        replace:
          - id: pledge.stage-1
            text: 我们有信心把各项工作做得更好。
        disable: [pledge.chapter-1, connector.ciwai-1]
        """)
    base = load_bank()
    bank = load_bank([user])
    added = bank.get("pledge.mine-1")
    assert added is not None and added.slots == ("next_period",) and added.source == "mine.yaml"
    replaced = bank.get("pledge.stage-1")
    original = base.get("pledge.stage-1")
    assert replaced is not None and original is not None
    assert replaced.text == "我们有信心把各项工作做得更好。" and replaced.category == "pledge"
    assert replaced.tags == original.tags
    position = [p.id for p in base.in_category("pledge")].index("pledge.stage-1")
    assert bank.in_category("pledge")[position].id == "pledge.stage-1"
    assert bank.get("pledge.chapter-1") is None and bank.get("connector.ciwai-1") is None
    assert len(bank.phrases) == len(base.phrases) - 1
    assert load_bank() is base  # the built-ins are untouched and still cached
    chosen = {PhraseChooser(bank, seed, tags=("school",)).choose("pledge", next_period="下学期")
              for seed in range(1, 60)}
    assert "下学期，我们将以师生满意为目标，把每一件小事做好。" in chosen
    assert not any("谱写" in text for text in chosen)


def test_user_bank_mistakes_are_located(tmp_path: Path) -> None:
    user = write(tmp_path, "user.yaml", """
        replace:
          - id: pledge.nope
            text: 我们将继续努力。
        disable:
          - connector.nope
        phrases:
          - id: opening.guide-1
            category: opening
            text: 本学期，各项工作有序推进。
        """)
    with pytest.raises(PhraseBankError) as caught:
        load_bank([user])
    located = {(p.line, p.message.split("“")[0]) for p in caught.value.problems}
    assert (line_of(user, "pledge.nope"), "要替换的短语") in located
    assert (line_of(user, "connector.nope"), "要停用的短语") in located
    assert (line_of(user, "id: opening.guide-1"), "id") in located


def test_disabling_a_whole_category_is_an_error(tmp_path: Path) -> None:
    ids = [p.id for p in load_bank().in_category("cause")]
    user = tmp_path / "off.yaml"
    user.write_text("disable:\n" + "".join(f"  - {i}\n" for i in ids), encoding="utf-8")
    with pytest.raises(PhraseBankError) as caught:
        load_bank([user])
    [problem] = caught.value.problems
    assert problem.line == len(ids) + 1 and "cause" in problem.message


# --------------------------------------------------------------------------- command line


def run_cli(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    from summarykit.cli.commands import phrases as command

    parser = argparse.ArgumentParser(prog="summarykit")
    command.register(parser.add_subparsers())
    args = parser.parse_args(["phrases", *argv])
    status = args.func(args)
    return status, capsys.readouterr().out


def test_cli_lists_categories_and_phrases(capsys: pytest.CaptureFixture[str]) -> None:
    status, out = run_cli([], capsys)
    assert status == 0
    for category in REQUIRED_CATEGORIES:
        assert category in out
    status, out = run_cli(["pledge"], capsys)
    assert status == 0 and "pledge.stage-1" in out and "示例：下学期，" in out
    with pytest.raises(PhraseBankError):
        run_cli(["pledg"], capsys)


def test_cli_json_is_a_list_of_phrases(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    status, out = run_cli(["--json"], capsys)
    data = json.loads(out)
    assert status == 0 and len(data) == len(load_bank().phrases)
    assert all(set(item) == {"id", "category", "text", "slots", "tags"} for item in data)
    status, out = run_cli(["opening", "--json"], capsys)
    assert {item["category"] for item in json.loads(out)} == {"opening"}
    user = write(tmp_path, "u.yaml", """
        category: opening
        phrases:
          - {id: opening.mine, text: "{unit}坚持把服务放在首位。", tags: [school]}
        """)
    status, out = run_cli(["opening", "--json", "--phrases", str(user)], capsys)
    mine = [item for item in json.loads(out) if item["id"] == "opening.mine"]
    assert mine == [{"id": "opening.mine", "category": "opening", "text": "{unit}坚持把服务放在首位。",
                     "slots": ["unit"], "tags": ["school"]}]


def test_mining_finds_repeated_openers_connectives_and_fixed_phrases(tmp_path: Path,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    text = ("总之，一份耕耘，一份收获。一是加强食堂管理，二是规范财务制度。"
            "总之，千方百计增收节支，避免浪费。一是完善规章制度，二是千方百计增收节支。"
            "与此同时，我们严格执行财务制度。与此同时，后勤人员克服困难。")
    found = {(m.kind, m.text): m for m in mine_phrases(text, load_bank())}
    assert found[("opener", "总之，")].count == 2 and found[("opener", "总之，")].in_bank
    assert found[("connective", "一是")].count == 2
    assert ("ngram", "千方百计增收节支") in found and not found[("ngram", "千方百计增收节支")].in_bank
    path = tmp_path / "sample.txt"
    path.write_bytes(text.encode("gb18030"))
    status, out = run_cli(["--mine", str(path), "--json"], capsys)
    assert status == 0 and {"kind", "text", "count", "in_bank", "example"} == set(json.loads(out)[0])


@pytest.mark.skipif(not SAMPLES_TXT.exists(), reason="the six sample summaries are not beside the repository")
def test_the_bank_draws_on_the_six_samples_and_names_real_ones() -> None:
    samples = SAMPLES_TXT.read_text(encoding="utf-8")
    sourced = [p for p in load_bank().phrases if p.source.startswith("范文")]
    assert len(sourced) >= 60
    assert {p.source[2] for p in sourced} == {"1", "2", "3", "4", "5", "6"}
    for phrase in sourced:
        number, _, part = phrase.source[2:].partition("·")
        assert f"后勤保障服务工作总结范文{number}" in samples, phrase.id
        if part.startswith("学校后勤工作总结"):
            assert part in samples, phrase.id


def test_forms_are_documented() -> None:
    docs = (REPO / "docs" / "phrases.md").read_text(encoding="utf-8")
    for name in (*FORMS, *SLOTS, *KNOWN_TAGS, *load_bank().categories()):
        assert name in docs, name


# --------------------------------------------------------------------------- the whole pipeline


def _pipeline() -> tuple[Callable[..., bytes], Path]:
    import summarykit

    render = getattr(summarykit, "render", None)
    school_term = REPO / "sample_data" / "school_term.yaml"
    if render is None or not school_term.exists():
        pytest.skip("the rendering pipeline is not available yet")
    return render, school_term


def sentences(text: str) -> list[str]:
    parts = re.split(r"(?<=[。！？])|\n", text)
    return [s.strip(" \u3000#*-") for s in parts if len(s.strip(" \u3000#*-")) >= 6]


def test_seeds_1_to_20_give_at_least_15_different_documents_without_repeated_sentences() -> None:
    render, school_term = _pipeline()
    texts = [render(school_term, format="txt", seed=seed).decode("utf-8") for seed in range(1, 21)]
    assert len(set(texts)) >= 15, "the template draws on the phrase bank in too few places to vary"
    for seed, text in enumerate(texts, start=1):
        seen = sentences(text)
        repeated = {s for s in seen if seen.count(s) > 1}
        assert not repeated, f"seed {seed} repeats: {repeated}"


def test_the_same_seed_twice_gives_byte_identical_files() -> None:
    render, school_term = _pipeline()
    assert render(school_term, seed=7) == render(school_term, seed=7)
    assert render(school_term, seed=7) != render(school_term, seed=8)
