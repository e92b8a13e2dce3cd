"""jieba's dictionaries read piecewise (zh/jiebatables.py) give jieba exactly the answers of the whole ones.

The comparison runs in a fresh process: a plainly initialized jieba (its own loaders, the
whole tables) against the piecewise tables, on the six sample summaries (or the sample
records when the samples are not beside the repository), the built-in phrase bank and
the logistics terms added as user words — every token, every POS tag, every IDF value.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import SAMPLE_DATA, SAMPLES_TXT

COMPARE = r"""
import json, sys
from pathlib import Path
from summarykit.zh import jiebatables
from summarykit.drafting.phrases import load_bank
from summarykit.tools.textcheck import _user_dictionary

texts = [Path(p).read_text(encoding="utf-8") for p in sys.argv[2:]]
texts += [p.text for p in load_bank(()).phrases]
jieba = jiebatables.import_jieba()
jieba.setLogLevel(60)
import jieba.posseg as posseg  # imported through jiebatables: the default tagger read no tags

tables = jiebatables.open_tables(jieba, Path(sys.argv[1]))

def plain():
    tok = jieba.Tokenizer()
    tok.tmp_dir = sys.argv[1]
    tok.initialize()
    tagger = posseg.POSTokenizer.__new__(posseg.POSTokenizer)
    tagger.tokenizer = tok
    tagger.load_word_tag(open(Path(jieba.__file__).parent / "dict.txt", "rb"))
    return tok, tagger

def piecewise():
    tok = jieba.Tokenizer()
    jiebatables.use(tok, tables)
    return tok, jiebatables.tagger(jieba, tables, tok)

def run(tok, tagger, user_words):
    out = [[[p.word, p.flag] for p in tagger.cut(text)] for text in texts[-200:]]  # before any user word
    if user_words:
        for word, freq, tag in _user_dictionary():
            tok.add_word(word, freq, tag)
    for text in texts:
        out.append([[p.word, p.flag] for p in tagger.cut(text)])
        out.append(tok.lcut(text, HMM=True))
    return out

a, b = run(*plain(), True), run(*piecewise(), True)
result = {"equal": a == b, "tokens": sum(len(part) for part in a),
          "same": sum(x == y for pa, pb in zip(a, b) for x, y in zip(pa, pb))}

from jieba.analyse.tfidf import IDFLoader
whole = IDFLoader(str(Path(jieba.__file__).parent / "analyse" / "idf.txt"))
idf, median = tables.idf()
words = {w for text in texts for w in jieba.dt.lcut(text)} | {"后勤", "不存在的词语"}
result["idf"] = median == whole.median_idf and all(idf.get(w, median) == whole.idf_freq.get(w, median) for w in words)
print(json.dumps(result))
"""


def _texts() -> list[str]:
    if SAMPLES_TXT.exists():
        return [str(SAMPLES_TXT)]
    return [str(p) for p in sorted(SAMPLE_DATA.glob("*.yaml"))]


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One table file for this module (building it takes a few seconds)."""
    from summarykit.zh import jiebatables

    found = tmp_path_factory.mktemp("tables")
    jiebatables.open_tables(jiebatables.import_jieba(), found)
    return found


def test_piecewise_tables_give_every_token_tag_and_idf_of_the_whole_tables(folder: Path) -> None:
    env = {**os.environ, "XDG_CACHE_HOME": str(folder / "xdg")}
    done = subprocess.run([sys.executable, "-c", COMPARE, str(folder), *_texts()], capture_output=True,
                          text=True, encoding="utf-8", env=env, check=False, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout)
    assert result["tokens"] > 10_000
    assert result["equal"], result
    assert result["idf"]


def test_parts_load_only_for_the_characters_looked_up(folder: Path) -> None:
    from summarykit.zh import jiebatables

    tables = jiebatables.open_tables(jiebatables.import_jieba(), folder)
    table = tables.table(jiebatables.FREQ)
    assert "后勤" in table and table["后勤"] > 0 and table.get("后") is not None
    assert table.loaded() == 2  # the parts 后勤 and 后, nothing else
    table["后勤保障部门"] = 5  # a write fills its part first, then wins
    assert table["后勤保障部门"] == 5 and "后勤保障" in table and table.loaded() == 2
    assert "" not in table and table.get("") is None


def test_a_cache_that_cannot_be_written_falls_back_to_jiebas_own_start(tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    env = {**os.environ, "XDG_CACHE_HOME": str(blocked)}
    code = ("from summarykit.tools.textcheck import extract_keywords\n"
            "from summarykit import usercache\n"
            "print(extract_keywords('后勤保障和物业管理，后勤保障', top=2), usercache.jieba_tables())\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "['后勤保障', '物业管理'] None"


def test_importing_jieba_this_way_leaves_pkg_resources_importable() -> None:
    code = ("import sys\nfrom summarykit.zh.jiebatables import import_jieba\nimport_jieba()\n"
            "print('pkg_resources' in sys.modules, sys.modules.get('pkg_resources', 0) is None)\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False", "False"]


def test_threads_filling_the_same_parts_see_whole_parts(folder: Path) -> None:
    import threading

    from summarykit.zh import jiebatables

    tables = jiebatables.open_tables(jiebatables.import_jieba(), folder)
    table = tables.table(jiebatables.FREQ)
    words = ["后勤", "后勤保障", "物业", "物业管理", "食堂", "维修", "学校", "学生"]
    expected = {w: tables.table(jiebatables.FREQ).get(w) for w in words}
    seen: list[dict[str, int]] = []
    start = threading.Barrier(8)

    def look() -> None:
        start.wait()
        seen.append({w: table.get(w) for w in words})

    threads = [threading.Thread(target=look) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert seen == [expected] * 8
