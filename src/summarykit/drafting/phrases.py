"""The stock phrase bank: loading, validation and seeded, non-repeating choice.

A work summary leans on stock phrases (openings, lead-ins, transitions,
pledges).  Keeping them here, as data, means records hold only facts, and two
departments' summaries built from similar records need not read the same: the
template asks for "an opening" and the bank supplies one, chosen by the
document's seed.

Design points, each with its reason:

- The bank is YAML under ``templates/phrases/`` (one file per category) so that
  people who write summaries, not programmers, can extend it; user files add,
  replace or disable phrases by id without copying the built-ins.
- Every mistake in a bank file is reported with file and line, all at once, like
  records files, because a bad bank would otherwise fail later inside a template.
- Choice is seeded through a stable hash (SHA-256), never Python's ``hash()``,
  so the same records and seed give the same words in any process; each category
  has its own random stream so that adding a phrase call in one place does not
  reshuffle every other place.
- Within one document a phrase is not used twice, nor one whose content words
  overlap strongly with one already used (segmented with jieba).  jieba takes
  about a second to start, so content words are cached on disk and jieba is only
  imported when the cache misses; ``import summarykit`` never imports it.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import os
import pickle
import random
import re
import sys
import tempfile
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import PhraseBankError, Problem, RecordsError
from ..records.decoding import Source, read_source, refuse_invisible
from ..records.yamlmarks import Marked, format_path, nearest_mark, parse_yaml
from ..usercache import cache_folder
from ..zh import orgtype

log = logging.getLogger(__name__)

# --------------------------------------------------------------------------- vocabulary

#: Slot names a phrase may use, with what the template is expected to put there.
SLOTS: dict[str, str] = {
    "unit": "单位或部门名称，如“总务处”“后勤服务中心”",
    "period": "本期时间，如“本学期”“2025年”“2025—2026学年第一学期”",
    "next_period": "下一时期，如“下学期”“2026年”",
    "subject": "工作领域，后面通常接“工作”，如“后勤”",
    "leader": "上级或领导，如“学校领导”“馆党委”",
    "guide": "指导思想，如“争先创优”",
    "aim": "宗旨或原则，如“服务教学、服务师生”",
    "goal": "目标，如“师生满意”",
    "topic": "当前这一方面的名称，如“学生食堂改革”",
    "metric": "带数值的数量，如“办公桌7张、办公电脑5台”",
    # Figure clauses (drafting/figures.py fills these from a metric; numbers arrive formatted).
    "name": "指标名称，如“维修工单”",
    "value": "带单位的数值，如“1234件”“约2200人次”“95.6%”",
    "label": "上一期的叫法，如“上年”“去年同期”“上学期”",
    "change": "变化幅度，如“12.5%”“2.1个百分点”（不带正负号）",
    "times": "倍数，如“2.3倍”",
    "plan": "目标的叫法，如“年度目标”“学期目标”",
    "rate": "完成率，如“103%”",
    "target": "带单位的目标值，如“1200件”“95%”",
    "gap": "与目标相差的百分点，如“0.6个百分点”",
    "parts": "构成，如“长春店108批次、沈阳店39批次”",
    "share": "所占比例，如“43.7%”",
    "milestone": "越过的整数关口，如“1000件”",
}

#: Plausible values for every slot: used to preview phrases and to test that each one renders.
SAMPLE_SLOTS: dict[str, str] = {
    "unit": "总务处",
    "period": "本学期",
    "next_period": "下学期",
    "subject": "后勤",
    "leader": "学校领导",
    "guide": "“争先创优”",
    "aim": "服务教学、服务师生",
    "goal": "师生满意",
    "topic": "学生食堂管理",
    "metric": "办公桌7张、办公电脑5台",
    "name": "维修工单",
    "value": "1234件",
    "label": "上年",
    "change": "12.5%",
    "times": "2.3倍",
    "plan": "年度目标",
    "rate": "103%",
    "target": "1200件",
    "gap": "0.6个百分点",
    "parts": "长春店108批次、沈阳店39批次",
    "share": "43.7%",
    "milestone": "1000件",
}

#: Organization types (zh/orgtype.py): a phrase tagged with some is chosen only for a document of
#: one of them, because its words (师生, 患者, 业主 …) would be wrong anywhere else.  Untagged
#: phrases are neutral and must carry no type's words.
ORG_TAGS: tuple[str, ...] = tuple(tag for tag in orgtype.ORG_TYPES.values() if tag)
#: Who speaks: formal and plain are preferences; personal (第一人称“我”) is strict, like a type.
REGISTER_TAGS: tuple[str, ...] = ("formal", "plain")
PERSONAL = "personal"
#: Genres with their own wording (调研报告): strict, like an organization type.
GENRE_TAGS: tuple[str, ...] = ("survey",)
# The same as sets, built once (the chooser tests every candidate phrase against them).
_ORG_SET, _GENRE_SET, _REGISTER_SET = frozenset(ORG_TAGS), frozenset(GENRE_TAGS), frozenset(REGISTER_TAGS)
AUDIENCE_TAGS: tuple[str, ...] = (*ORG_TAGS, *GENRE_TAGS, PERSONAL)
KNOWN_TAGS: tuple[str, ...] = (*ORG_TAGS, *REGISTER_TAGS, PERSONAL, *GENRE_TAGS)
TAG_NAMES: dict[str, str] = {
    **{tag: name for tag, name in orgtype.TAG_TO_TYPE.items()},
    "formal": "正式、庄重",
    "plain": "平实、口语",
    "personal": "个人总结、述职（第一人称“我”）",
    "survey": "调研报告",
}

#: How a phrase of each form fits into the text around it.
FORMS: dict[str, str] = {
    "sentence": "完整的句子，以“。”“！”或“？”结尾",
    "lead": "引出下文的句子，以“：”结尾",
    "prefix": "放在一段文字前面的引语，后面直接接正文，不以句号结尾",
    "tail": "接在一句话的逗号后面、以“。”结尾的后半句",
    "series": "序词序列（一是、二是……），用 enumeration(项数) 取用",
    "clause": "句子的一个分句：不以标点开头或结尾，由程序用“，”连成句子（数字句用）",
}

ENUMERATOR = "enumerator"

_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")
_CATEGORY = re.compile(r"^[a-z][a-z0-9_]*$")
_SLOT = re.compile(r"\{([^{}]*)\}")
_CJK = "\u3400-\u4dbf\u4e00-\u9fff"
# A pattern compiled on first use (re caches it): only a phrase bank being checked needs it, and its
# two CJK classes cost milliseconds to compile at every start (a cached bank is not checked again).
_HALF_PUNCT = f"[{_CJK}}}][,;:?!]|[,;:?!][{_CJK}{{]"
_SENTENCE_END = ("。", "！", "？", "。”", "！”", "？”")
_FILE_KEYS = ("category", "description", "form", "categories", "phrases", "replace", "disable")
_PHRASE_KEYS = ("id", "category", "text", "series", "last", "tags", "source")


# --------------------------------------------------------------------------- data


@dataclass(frozen=True)
class Phrase:
    """One stock phrase: text with ``{slot}`` places, or (for series) an ordered list of markers."""

    id: str
    category: str
    text: str
    slots: tuple[str, ...]
    tags: tuple[str, ...]
    source: str
    series: tuple[str, ...] = ()  # enumerator markers, e.g. ("一是", "二是", …)
    last: str = ""  # marker for the last item of three or more, e.g. "最后，"
    where: str = field(default="", compare=False)  # "file:line", for messages

    @property
    def capacity(self) -> int:
        """How many items a series can number (0 for ordinary phrases)."""
        if not self.series:
            return 0
        return len(self.series) + (1 if self.last else 0)

    def markers(self, count: int) -> list[str]:
        """The first ``count`` markers of a series; with ``last``, three or more items end on it."""
        if count <= 0:
            return []
        if count == 1:
            return [""]  # a single item is not enumerated
        if count > self.capacity:
            raise PhraseBankError(f"序列“{self.id}”最多只能列出 {self.capacity} 项，需要 {count} 项")
        if self.last and count >= 3:
            return [*self.series[: count - 1], self.last]
        if count > len(self.series):  # two items with a last marker: 一方面，另一方面
            return [*self.series[: count - 1], self.last]
        return list(self.series[:count])

    def fill(self, values: Mapping[str, object]) -> str:
        """The text with its slots filled (values are inserted verbatim, never re-read as slots)."""
        return _SLOT.sub(lambda m: _clean_value(values[m.group(1)]), self.text)


@dataclass(frozen=True)
class CategoryInfo:
    """What a category is for and how its phrases fit into the text."""

    name: str
    description: str
    form: str
    where: str = field(default="", compare=False)


@dataclass(frozen=True)
class PhraseBank:
    """All phrases, in file order, with the categories they belong to."""

    phrases: tuple[Phrase, ...]
    info: tuple[CategoryInfo, ...] = ()
    _index: dict[str, list[Phrase]] = field(default_factory=dict, init=False, repr=False, compare=False,
                                            hash=False)
    _words: dict[str, frozenset[str]] | None = field(default=None, init=False, repr=False, compare=False,
                                                      hash=False)
    #: PhraseChooser's candidates by (category, slots given, document tags): see PhraseChooser.choose.
    _pools: dict[tuple[Any, ...], tuple[list[Phrase], list[Phrase]]] = field(
        default_factory=dict, init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        index: dict[str, list[Phrase]] = {info.name: [] for info in self.info}
        for phrase in self.phrases:
            index.setdefault(phrase.category, []).append(phrase)
        object.__setattr__(self, "_index", index)

    def content_words(self) -> dict[str, frozenset[str]]:
        """Each phrase's content words by id, computed once per bank (not once per report)."""
        if self._words is None:
            from .renderbudget import untimed  # here: a template asks for phrases while it renders

            with untimed():  # jieba's start is not the template's time
                texts = {p.id: segment_text(p) for p in self.phrases}
                found = content_words(texts.values())
            object.__setattr__(self, "_words", {pid: found[text] for pid, text in texts.items()})
        assert self._words is not None
        return self._words

    def content_words_cached(self) -> bool:
        """Whether every phrase's content words are known without starting jieba (memory or the disk cache).

        When they are, they are now in this bank, so that a batch's workers forked afterwards inherit
        them; when not, nothing is computed (the caller decides where jieba may start).
        """
        if self._words is not None:
            return True
        texts = [segment_text(p) for p in self.phrases]
        if not cached_words_cover(texts):
            return False
        self.content_words()
        return True

    def categories(self) -> list[str]:
        """Category names in bank order (the order a summary uses them)."""
        return [name for name, phrases in self._index.items() if phrases]

    def in_category(self, category: str) -> list[Phrase]:
        """The phrases of one category (empty list if there is no such category)."""
        return list(self._index.get(category, ()))

    def category_info(self, category: str) -> CategoryInfo:
        """Description and form of a category; unknown categories raise PhraseBankError."""
        for info in self.info:
            if info.name == category:
                return info
        if category in self._index:
            return CategoryInfo(category, "", "sentence")
        raise _unknown_category(self, category)

    def get(self, phrase_id: str) -> Phrase | None:
        for phrase in self.phrases:
            if phrase.id == phrase_id:
                return phrase
        return None


def _unknown_category(bank: PhraseBank, category: str) -> PhraseBankError:
    from ..zh.suggest import did_you_mean

    names = bank.categories()
    close = did_you_mean(category, names)
    hint = f"是不是想写 {close}？" if close else f"可用的类别：{'、'.join(names)}"
    return PhraseBankError(f"短语库中没有类别“{category}”（{hint}）",
                           [Problem(f"没有类别“{category}”", hint=hint)])


def _clean_value(value: object) -> str:
    """A slot value as text: stripped, without end punctuation that would break the sentence around it."""
    return str(value).strip().rstrip("。；，：、 ")


# --------------------------------------------------------------------------- loading


def builtin_bank_dir() -> Path:
    """The folder of the built-in bank: inside the installed package, else the source tree's ``templates/``."""
    try:
        from importlib.resources import files

        packaged = files("summarykit") / "templates" / "phrases"
        if isinstance(packaged, Path) and packaged.is_dir():
            return packaged
    except (ModuleNotFoundError, TypeError):  # pragma: no cover - exotic loaders
        pass
    return Path(__file__).resolve().parents[3] / "templates" / "phrases"


def load_bank(extra: Sequence[str | os.PathLike[str]] = (),
              sources: Sequence[tuple[str, str]] = ()) -> PhraseBank:
    """The built-in bank plus user files, then banks held in memory as (name, YAML text), in order.

    Raises PhraseBankError listing every problem.
    """
    base = _builtin_bank()
    if not extra and not sources:
        return base
    builder = _Builder(base)
    for path in extra:
        builder.apply_file(path)
    for name, text in sources:
        builder.apply_file(Source(text, name), display=name)
    return builder.finish()


@functools.lru_cache(maxsize=1)
def _builtin_bank() -> PhraseBank:
    """Read once per process: the built-ins never change while a program runs."""
    folder = builtin_bank_dir()
    files = sorted(folder.glob("*.yaml"))
    if not files:
        raise PhraseBankError(f"找不到内置短语库（{folder}）",
                              [Problem("文件夹里没有 .yaml 文件", file=str(folder), hint="安装可能不完整，请重新安装")])
    from ..usercache import read_cached, write_cached

    name = _builtin_cache_name(files)
    cached = read_cached(name)
    if cached is not None:
        try:
            bank = pickle.loads(cached)
        except Exception:
            bank = None
        if isinstance(bank, PhraseBank):
            return bank
    builder = _Builder()
    for path in files:
        builder.apply_file(path, display=f"内置词库 {path.name}")
    bank = builder.finish()
    write_cached(name, pickle.dumps(bank, protocol=pickle.HIGHEST_PROTOCOL))
    return bank


def _builtin_cache_name(files: Sequence[Path]) -> str:
    """phrase-bank-DIGEST.pickle: the built-in bank as read, keyed by its files' contents and by the code
    that reads them (this module, the records readers and the zh tables), so an edit to either reads the files again.

    Parsing the 27 files (YAML with line marks, every check) costs a command-line render about 60 ms.
    """
    digest = hashlib.sha256(f"{sys.version}/{pickle.HIGHEST_PROTOCOL}".encode())
    here = Path(__file__).resolve()
    readers = [p for folder in ("records", "zh") for p in sorted((here.parents[1] / folder).glob("*.py"))]
    for path in [here, *readers, *files]:
        digest.update(str(path.name).encode("utf-8") + b"\0" + path.read_bytes() + b"\0")
    return f"phrase-bank-{digest.hexdigest()[:32]}.pickle"


def load_bank_files(paths: Sequence[str | os.PathLike[str]]) -> PhraseBank:
    """A bank made of these files only (no built-ins): for checking a bank file on its own."""
    builder = _Builder()
    for path in paths:
        builder.apply_file(path)
    return builder.finish()


#: Phrases a bank may hold, built-ins (about 640) and every --phrases file together.  A bank of
#: 30,000 must load (issue 18: about 1.2 s of CPU, linear); beyond a few tens of thousands it is a
#: generated list, not phrases anyone chooses from, and every process of a batch loads the bank.
MAX_BANK_PHRASES = 50_000


class _Builder:
    """Applies bank files one after another, collecting every problem before raising."""

    def __init__(self, base: PhraseBank | None = None) -> None:
        self.phrases: dict[str, Phrase] = {}
        self.info: dict[str, CategoryInfo] = {}
        self.problems: list[Problem] = []
        self.emptied: dict[str, Problem] = {}  # category → where its last phrase was disabled
        self.claimed: dict[str, str] = {}  # id → where, for every id added (valid or not)
        self.declared: dict[str, Problem] = {}  # category → "it is empty", located at its declaration
        self.attempted: set[str] = set()  # categories some entry was written for (valid or not)
        self.name = self.short_name = ""  # the file being applied, and its data with line marks
        self.marked = Marked({}, {})
        # (category, text) → ids with that text, and the number of phrases per category: the duplicate
        # check and "category emptied" look these up instead of scanning every phrase, which made a
        # 30,000-phrase bank quadratic.  The ids are an ordered set (a dict): a bank holds at most one
        # phrase per text, but the index stays exact whatever the base bank holds.
        self.by_text: dict[tuple[str, str], dict[str, None]] = {}
        self.per_category: Counter[str] = Counter()
        if base is not None:
            self.info = {info.name: info for info in base.info}
            for phrase in base.phrases:
                self._put(phrase)

    def _put(self, phrase: Phrase) -> None:
        """Add or replace a phrase (a replaced one keeps its place in the bank order), keeping the indexes."""
        old = self.phrases.get(phrase.id)
        if old is not None:
            self._unindex(old)
        self.phrases[phrase.id] = phrase
        self.by_text.setdefault((phrase.category, phrase.text), {})[phrase.id] = None
        self.per_category[phrase.category] += 1

    def _remove(self, phrase_id: str) -> Phrase:
        phrase = self.phrases.pop(phrase_id)
        self._unindex(phrase)
        return phrase

    def _unindex(self, phrase: Phrase) -> None:
        key = (phrase.category, phrase.text)
        ids = self.by_text.get(key, {})
        ids.pop(phrase.id, None)
        if not ids:
            self.by_text.pop(key, None)
        self.per_category[phrase.category] -= 1

    # ---------------------------------------------------------------- helpers

    def _problem(self, path: tuple[Any, ...], message: str, hint: str = "") -> None:
        line, column = _mark(self.marked, path)
        self.problems.append(Problem(message, file=self.name, line=line, column=column,
                                     path=format_path(path), hint=hint))

    def _read(self, path: str | os.PathLike[str] | Source, name: str) -> tuple[str, Marked] | None:
        try:
            source = path if isinstance(path, Source) else read_source(path)
            source.name = name
            if not re.sub(r"(?m)^\s*#.*$", "", source.text).strip():
                self.problems.append(Problem("文件是空的", file=name, line=1,
                                             hint="短语库文件至少要有 category: 和 phrases:，格式见 docs/phrases.md"))
                return None
            refuse_invisible(source)
            marked = parse_yaml(source)
        except RecordsError as exc:
            for problem in exc.problems:
                hint = problem.hint
                if "meta" in hint or "init" in hint:
                    hint = "短语库文件的顶层应是 category:、phrases: 等键，格式见 docs/phrases.md"
                self.problems.append(Problem(problem.message, file=problem.file or name, line=problem.line,
                                             column=problem.column, path=problem.path, hint=hint))
            return None
        return name, marked

    def _where(self, path: tuple[Any, ...]) -> str:
        line, _ = _mark(self.marked, path)
        return f"{self.name}:{line}" if line else self.name

    # ---------------------------------------------------------------- one file

    def apply_file(self, path: str | os.PathLike[str] | Source, display: str | None = None) -> None:
        """Add, replace and disable what one file says; ``display`` is the name used in messages."""
        read = self._read(path, display or str(path))
        if read is None:
            return
        self.name, self.marked = read
        self.short_name = Path(self.name).name  # an entry's default source: once per file, not per entry
        data: dict[str, Any] = self.marked.data
        for key in data:
            if key not in _FILE_KEYS:
                self._problem((key,), f"不认识的键“{key}”", _did_you_mean(str(key), _FILE_KEYS))
        category = self._declare_category()
        self._declare_categories(data.get("categories"))
        count = len(data["phrases"]) if isinstance(data.get("phrases"), list) else 0
        if len(self.phrases) + count > MAX_BANK_PHRASES:
            self._problem(("phrases",), f"这个短语库文件有 {count} 条，加上已有的 {len(self.phrases)} 条，"
                                        f"超过了短语库的上限 {MAX_BANK_PHRASES} 条",
                          "短语库只需收常用的说法；请删去重复或用不到的短语")
            return
        if not any(k in data for k in ("phrases", "replace", "disable")):
            self._problem((), "文件里没有 phrases:、replace: 或 disable:",
                          "在 phrases: 下面逐条列出短语，格式见 docs/phrases.md")
        if "phrases" in data:
            entries = data["phrases"]
            if not isinstance(entries, list):
                self._problem(("phrases",), "phrases 应是列表（每项以 `- ` 开头）")
            elif not entries:
                self._problem(("phrases",), f"类别“{category or '?'}”是空的：phrases 下面没有任何短语",
                              "至少写一条短语，或删除这个文件")
                self.attempted.add(category or "")
            else:
                for i, entry in enumerate(entries):
                    self._add(("phrases", i), entry, category)
                    if isinstance(entry, dict):
                        self.attempted.add(str(entry.get("category", category)))
        if "replace" in data:
            entries = data["replace"]
            if not isinstance(entries, list):
                self._problem(("replace",), "replace 应是列表（每项以 `- id:` 开头）")
            else:
                for i, entry in enumerate(entries):
                    self._replace(("replace", i), entry, category)
        if "disable" in data:
            self._disable(data["disable"])

    def _declare_category(self, data: Any = None, at: tuple[Any, ...] = ()) -> str | None:
        """The category a file (or one entry of its ``categories:`` list, at path ``at``) declares."""
        data = self.marked.data if data is None else data
        category = data.get("category")
        if category is None:
            for key in ("description", "form"):
                if key in data:
                    self._problem((*at, key), f"写了 {key}: 却没有写 category:", "请在文件开头写上 category: 类别名")
            return None
        if not isinstance(category, str) or not _CATEGORY.match(category):
            self._problem((*at, "category"), f"类别名“{category}”不合规",
                          "只能用小写英文字母、数字和下划线，如 opening、plan_lead")
            return None
        description = data.get("description", "")
        if not isinstance(description, str):
            self._problem((*at, "description"), "description 应是一段文字")
            description = ""
        form = data.get("form")
        existing = self.info.get(category)
        where = self._where((*at, "category"))
        if form is not None and form not in FORMS:
            self._problem((*at, "form"), f"不认识的形式“{form}”", f"可用的形式：{'、'.join(FORMS)}")
            form = None
        if existing is None:
            if form is None:
                if "form" not in data:
                    self._problem((*at, "category"), f"新类别“{category}”没有写 form:",
                                  f"请写明短语的形式：{'、'.join(FORMS)}")
                form = "sentence"
            self.info[category] = CategoryInfo(category, description, form, where)
            line, column = _mark(self.marked, (*at, "category"))
            self.declared[category] = Problem(f"类别“{category}”没有任何短语", file=self.name, line=line,
                                              column=column, path=format_path((*at, "category")),
                                              hint="在 phrases: 下面至少写一条短语")
        else:
            if form is not None and form != existing.form:
                self._problem((*at, "form"),
                              f"类别“{category}”的形式已在 {existing.where} 定为 {existing.form}，这里却写成 {form}")
            if description:
                self.info[category] = CategoryInfo(category, description, existing.form, existing.where)
        return category

    def _declare_categories(self, entries: Any) -> None:
        """``categories:``: several categories declared by one file (a family of patterns kept together);
        each phrase then names its own ``category:``."""
        if entries is None:
            return
        if not isinstance(entries, list):
            self._problem(("categories",), "categories 应是列表（每项以 `- category:` 开头）")
            return
        for i, entry in enumerate(entries):
            if not isinstance(entry, dict) or "category" not in entry:
                self._problem(("categories", i), "categories 的每一项要写 category:、description: 和 form:")
                continue
            for key in entry:
                if key not in ("category", "description", "form"):
                    self._problem(("categories", i, key), f"不认识的键“{key}”",
                                  _did_you_mean(str(key), ("category", "description", "form")))
            self._declare_category(entry, ("categories", i))

    def _entry(self, path: tuple[Any, ...], entry: Any, category: str | None,
               old: Phrase | None = None) -> Phrase | None:
        """Validate one phrase mapping (for adding, or replacing ``old``)."""
        if not isinstance(entry, dict):
            self._problem(path, "每条短语应是“键: 值”的结构", "例如 `- id: opening.my-1` 下一行 `text: ……`")
            return None
        ok = True
        for key in entry:
            if key not in _PHRASE_KEYS:
                self._problem((*path, key), f"不认识的键“{key}”", _did_you_mean(str(key), _PHRASE_KEYS))
                ok = False
        phrase_id = entry.get("id")
        if not isinstance(phrase_id, str) or not phrase_id:
            self._problem((*path, "id") if "id" in entry else path, "缺少 id（短语的编号）",
                          "例如 id: opening.my-1")
            return None
        if not _ID.match(phrase_id):
            self._problem((*path, "id"), f"id“{phrase_id}”不合规",
                          "只能用英文字母、数字和 . _ -，如 opening.guide-1")
            ok = False
        cat = entry.get("category", old.category if old else category)
        if cat is None:
            self._problem(path, f"短语“{phrase_id}”不知道属于哪个类别",
                          "在文件开头写 category:，或在这一条里写 category:")
            return None
        if cat not in self.info:
            self._problem((*path, "category") if "category" in entry else path,
                          f"没有类别“{cat}”", _did_you_mean(str(cat), list(self.info)))
            return None
        form = self.info[cat].form
        tags = entry.get("tags", list(old.tags) if old else [])
        if isinstance(tags, str):
            tags = [tags]
        if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
            self._problem((*path, "tags"), "tags 应是列表，如 [school, formal]")
            tags, ok = [], False
        tags = [orgtype.ORG_TYPES.get(t, t) or t for t in tags]  # Chinese type names (医院、学校 …) too
        for i, tag in enumerate(tags):
            if tag not in KNOWN_TAGS:
                self._problem((*path, "tags", i), f"不认识的标签“{tag}”",
                              "可用的标签：" + "、".join(f"{t}（{TAG_NAMES[t]}）" for t in KNOWN_TAGS))
                ok = False
        if len(set(tags) & set(REGISTER_TAGS)) > 1:
            self._problem((*path, "tags"), "formal 和 plain 不能同时使用")
            ok = False
        source = entry["source"] if "source" in entry else self.short_name
        if not isinstance(source, str):
            self._problem((*path, "source"), "source 应是一段文字")
            source = ""
        where = self._where(path)
        if form == "series":
            return self._series(path, entry, Phrase(phrase_id, cat, "", (), tuple(tags), source, where=where), ok, old)
        for key in ("series", "last"):
            if key in entry:
                self._problem((*path, key), f"只有序词类别才能写 {key}:（类别“{cat}”的形式是 {form}）")
                ok = False
        text = entry.get("text")
        if text is None:
            self._problem(path, f"短语“{phrase_id}”缺少 text")
            return None
        if not isinstance(text, str) or not text.strip():
            self._problem((*path, "text"), f"短语“{phrase_id}”的 text 是空的")
            return None
        text = text.strip()
        slots = self._check_text((*path, "text"), text, form)
        if slots is None:
            return None
        if not ok:
            return None
        return Phrase(phrase_id, cat, text, slots, tuple(tags), source, where=where)

    def _series(self, path: tuple[Any, ...], entry: dict[str, Any], base: Phrase, ok: bool,
                old: Phrase | None) -> Phrase | None:
        """Validate an enumerator entry; ``base`` carries the fields already checked."""
        if "text" in entry:
            self._problem((*path, "text"), "序词类别的短语用 series: 列出各项序词，不写 text:",
                          "例如 series: [一是, 二是, 三是]")
            ok = False
        series = entry.get("series", list(old.series) if old else None)
        last = entry.get("last", old.last if old else "")
        if not isinstance(last, str):
            self._problem((*path, "last"), "last 应是一个序词，如 最后，")
            return None
        if (not isinstance(series, list) or len(series) + (1 if last.strip() else 0) < 2
                or not all(isinstance(s, str) and s.strip() for s in series)):
            self._problem((*path, "series") if "series" in entry else path,
                          "series 应是序词列表，连同 last 至少两项", "例如 series: [一是, 二是, 三是]")
            return None
        markers = tuple(s.strip() for s in series)
        if len(set(markers)) != len(markers):
            self._problem((*path, "series"), "series 里有重复的序词")
            ok = False
        for marker in (*markers, last):
            if "{" in marker or "}" in marker or re.search(_HALF_PUNCT, marker + "一"):
                self._problem((*path, "series"), f"序词“{marker}”不能含有花括号或半角标点")
                ok = False
        if not ok:
            return None
        text = "".join(m.rstrip("，") + "……" for m in (*markers, *([last] if last else [])))
        return Phrase(base.id, base.category, text, (), base.tags, base.source, markers, last.strip(), base.where)

    def _check_text(self, path: tuple[Any, ...], text: str, form: str) -> tuple[str, ...] | None:
        """Slots named in the text, or None after recording why the text is unusable."""
        ok = True
        slots: list[str] = []
        for match in _SLOT.finditer(text):
            slot = match.group(1)
            if slot not in SLOTS:
                hint = _did_you_mean(slot, list(SLOTS)) if slot else "花括号里要写槽位名，如 {unit}"
                self._problem(path, f"不认识的槽位“{{{slot}}}”", hint)
                ok = False
            elif slot not in slots:
                slots.append(slot)
        if "{" in _SLOT.sub("", text) or "}" in _SLOT.sub("", text):
            self._problem(path, "花括号不成对", "槽位写成 {unit} 这样；正文里不要单独使用花括号")
            ok = False
        if "\n" in text:
            self._problem(path, "短语不能分成多行", "请写在一行里，或用引号包住")
            ok = False
        if re.search(_HALF_PUNCT, text):
            self._problem(path, "中文里用了半角标点（, ; : ? !）", "请改成全角：，；：？！")
            ok = False
        plain = _SLOT.sub("X", text)
        if form in ("sentence",) and not plain.endswith(_SENTENCE_END):
            self._problem(path, "这个类别的短语是完整的句子，应以“。”“！”或“？”结尾")
            ok = False
        elif form == "lead" and not plain.endswith("："):
            self._problem(path, "这个类别的短语用来引出下文，应以“：”结尾")
            ok = False
        elif form == "tail" and (not plain.endswith("。") or plain[0] in "，。；：、"):
            self._problem(path, "这个类别的短语是接在逗号后面的后半句：不以标点开头，以“。”结尾")
            ok = False
        elif form == "prefix" and plain.endswith(_SENTENCE_END):
            self._problem(path, "这个类别的短语放在正文前面，不能以句号结尾", "通常以“，”结尾")
            ok = False
        elif form == "clause" and (plain[-1] in "，。；：、！？" or plain[0] in "，。；：、！？"):
            self._problem(path, "这个类别的短语是句子的一个分句：不以标点开头或结尾", "程序会用“，”把分句连成句子")
            ok = False
        return tuple(slots) if ok else None

    def _add(self, path: tuple[Any, ...], entry: Any, category: str | None) -> None:
        phrase_id = entry.get("id") if isinstance(entry, dict) else None
        if isinstance(phrase_id, str):  # checked even when the entry has other mistakes
            first = self.phrases[phrase_id].where if phrase_id in self.phrases else self.claimed.get(phrase_id)
            if first is not None:
                self._problem((*path, "id"), f"id“{phrase_id}”重复了（第一次在 {first}）",
                              "要替换已有的短语请写在 replace: 下面；要新增请换一个 id")
                return
            self.claimed[phrase_id] = self._where(path)
        phrase = self._entry(path, entry, category)
        if phrase is None:
            return
        if self._same_text(path, phrase):
            return
        self._put(phrase)
        self.emptied.pop(phrase.category, None)

    def _same_text(self, path: tuple[Any, ...], phrase: Phrase) -> bool:
        for other_id in self.by_text.get((phrase.category, phrase.text), ()):
            if other_id != phrase.id:
                other = self.phrases[other_id]
                self._problem((*path, "text") if phrase.series == () else path,
                              f"与“{other.id}”（{other.where}）的文字完全相同")
                return True
        return False

    def _replace(self, path: tuple[Any, ...], entry: Any, category: str | None) -> None:
        phrase_id = entry.get("id") if isinstance(entry, dict) else None
        old = self.phrases.get(phrase_id) if isinstance(phrase_id, str) else None
        if isinstance(phrase_id, str) and old is None:
            self._problem((*path, "id"), f"要替换的短语“{phrase_id}”不存在",
                          _did_you_mean(phrase_id, list(self.phrases)) + "；新增短语请写在 phrases: 下面")
            return
        phrase = self._entry(path, entry, category, old=old)
        if phrase is None or self._same_text(path, phrase):
            return
        self._put(phrase)  # keeps its place in the bank order

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
                              _did_you_mean(str(phrase_id), list(self.phrases)))
                continue
            self._remove(phrase_id)
            if not self.per_category[phrase.category]:
                line, column = _mark(self.marked, ("disable", i))
                self.emptied[phrase.category] = Problem(
                    f"停用“{phrase_id}”之后，类别“{phrase.category}”一条短语也没有了", file=self.name, line=line,
                    column=column, path=format_path(("disable", i)), hint="至少保留或新增一条短语")

    def finish(self) -> PhraseBank:
        problems = list(self.problems)
        problems.extend(self.emptied.values())
        filled = {p.category for p in self.phrases.values()}
        problems.extend(problem for category, problem in self.declared.items()
                        if category not in filled and category not in self.attempted
                        and category not in self.emptied)
        if problems:
            files = sorted({p.file for p in problems if p.file})
            where = "、".join(files) if files else "短语库"
            raise PhraseBankError(f"{where}：短语库有 {len(problems)} 处问题。", problems)
        order = {name: i for i, name in enumerate(self.info)}
        phrases = sorted(self.phrases.values(), key=lambda p: order.get(p.category, len(order)))
        used = {p.category for p in phrases}
        info = tuple(i for i in self.info.values() if i.name in used)
        return PhraseBank(tuple(phrases), info)


def _mark(marked: Marked, path: tuple[Any, ...]) -> tuple[int | None, int | None]:
    return nearest_mark(marked.marks, path) or (1, None)


def _did_you_mean(word: str, choices: Iterable[str]) -> str:
    from ..zh.suggest import did_you_mean

    options = list(choices)
    close = did_you_mean(word, options)
    if close:
        return f"是不是想写 {close}？"
    if len(options) > 12:
        return ""
    return f"可用的：{'、'.join(options)}" if options else ""


# --------------------------------------------------------------------------- content words

ALGORITHM_VERSION = "1"
SIMILARITY_THRESHOLD = 0.5

# Words every summary phrase shares: counting them would make unrelated phrases look alike.
_STOP_WORDS = frozenset(
    "工作 进行 开展 各项 方面 情况 有关 相关 以下 如下 主要 我们 大家 自己 一定 一些 这些 那些 其中 "
    "有所 成为 作为 通过 同时 已经 能够 可以 需要 进一步 不断 继续 认真 努力 积极".split()
)
_CONTENT_FLAGS = ("n", "v", "a", "i", "l")
_EXCLUDED_FLAGS = frozenset({"nr", "ns", "vshi", "vyou", "vd", "ad"})
_WORDS: dict[str, frozenset[str]] = {}
_disk_loaded = False


def segment_text(phrase: Phrase) -> str:
    """What is segmented for a phrase: its text with slots removed (their values change from use to use)."""
    return "" if phrase.series else _SLOT.sub("，", phrase.text)


def _cache_key() -> str:
    rules = stable_int(sorted(_STOP_WORDS), _CONTENT_FLAGS, sorted(_EXCLUDED_FLAGS))  # a rule change empties it
    return f"{ALGORITHM_VERSION}/{rules:016x}/jieba-{_jieba_version()}"


@functools.lru_cache(maxsize=1)
def _jieba_version() -> str:
    """jieba's version without importing it (~0.1 s) or reading package metadata (a scan of sys.path)."""
    from ..usercache import installed_version

    return installed_version("jieba")


def _cache_file() -> Path:
    return cache_folder() / "phrase-words.json"


def _read_disk_cache() -> dict[str, list[str]]:
    try:
        data = json.loads(_cache_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("key") != _cache_key() or not isinstance(data.get("words"), dict):
        return {}
    return {k: v for k, v in data["words"].items() if isinstance(k, str) and isinstance(v, list)}


def _write_disk_cache(words: Mapping[str, frozenset[str]]) -> None:
    """Merge into the cache file atomically; a cache that cannot be written only costs time."""
    path = _cache_file()
    merged = _read_disk_cache()
    merged.update({text: sorted(ws) for text, ws in words.items()})
    if len(merged) > 20000:  # bound the file: keep only what this bank needs
        merged = {text: sorted(ws) for text, ws in words.items()}
    tmp = ""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".phrase-words-", dir=path.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump({"key": _cache_key(), "words": merged}, handle, ensure_ascii=False, sort_keys=True)
        os.replace(tmp, path)
    except OSError as exc:
        log.debug("phrase word cache not written: %s", exc)
        if tmp:
            Path(tmp).unlink(missing_ok=True)


@functools.lru_cache(maxsize=1)
def _tagger() -> Any:
    """A private jieba tagger, so that words other code adds to jieba's global dictionary cannot change choices."""
    from ..usercache import private_tagger

    return private_tagger()


def _segment(text: str) -> frozenset[str]:
    words = set()
    for pair in _tagger().cut(text):
        word, flag = pair.word, pair.flag
        if len(word) < 2 or word in _STOP_WORDS or flag in _EXCLUDED_FLAGS:
            continue
        if flag.startswith(_CONTENT_FLAGS):
            words.add(word)
    return frozenset(words)


def cached_words_cover(texts: Iterable[str]) -> bool:
    """Whether the content words of every text are in memory or in the on-disk cache (read once)."""
    global _disk_loaded
    missing = [t for t in dict.fromkeys(texts) if t not in _WORDS]
    if missing and not _disk_loaded:
        _disk_loaded = True
        for text, words in _read_disk_cache().items():
            _WORDS.setdefault(text, frozenset(words))
    return all(t in _WORDS for t in missing)


def content_words(texts: Iterable[str]) -> dict[str, frozenset[str]]:
    """Content words (nouns, verbs, adjectives, idioms; two characters or more; not stop words) of each text.

    Answers from memory, then from the on-disk cache, and only then starts jieba.
    """
    global _disk_loaded
    wanted = list(dict.fromkeys(texts))
    missing = [t for t in wanted if t not in _WORDS]
    if missing and not _disk_loaded:
        _disk_loaded = True
        for text, words in _read_disk_cache().items():
            _WORDS.setdefault(text, frozenset(words))
        missing = [t for t in missing if t not in _WORDS]
    if missing:
        fresh = {text: _segment(text) for text in missing}
        _WORDS.update(fresh)
        _write_disk_cache({t: _WORDS[t] for t in wanted})
    return {t: _WORDS[t] for t in wanted}


def similarity(a: frozenset[str], b: frozenset[str]) -> float:
    """Jaccard overlap of two content-word sets (0 when either is empty)."""
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


# --------------------------------------------------------------------------- choosing


def stable_int(*parts: object) -> int:
    """A 64-bit integer from text, identical in every process (unlike ``hash()``)."""
    digest = hashlib.sha256("\x1f".join(str(p) for p in parts).encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big")


class PhraseChooser:
    """Chooses phrases for one document: seeded, without repeats, preferring phrases that fit the document.

    Create one per document.  ``tags`` (e.g. ``("school",)``) prefer phrases written for that kind of
    document; phrases tagged for another kind are left out unless nothing else is usable.
    """

    def __init__(self, bank: PhraseBank, seed: int, tags: Iterable[str] = ()) -> None:
        self.bank = bank
        self.seed = int(seed)
        self.tags: tuple[str, ...] = tuple(tags)
        unknown = [t for t in self.tags if t not in KNOWN_TAGS]
        if unknown:
            hint = "可用的标签：" + "、".join(KNOWN_TAGS)
            raise PhraseBankError(f"不认识的短语标签：{'、'.join(unknown)}（{hint}）",
                                  [Problem(f"不认识的标签“{t}”", hint=hint) for t in unknown])
        wanted = set(self.tags)
        #: The strict dimensions (organization type, personal, genre): what this document is.
        self._strict = frozenset(wanted & (set(ORG_TAGS) | {PERSONAL} | set(GENRE_TAGS)))
        self._register = frozenset(wanted & set(REGISTER_TAGS))
        self._rngs: dict[str, random.Random] = {}
        self._last_used: dict[str, int] = {}
        self._used_words: list[frozenset[str]] = []
        #: (category, phrase id) of every choice, in order: which phrases this document used.
        self.history: list[tuple[str, str]] = []

    # ---------------------------------------------------------------- public

    def choose(self, category: str, **slots: object) -> str:
        """A phrase of ``category`` with its slots filled; phrases needing a slot that is missing or empty are skipped."""
        phrases = self._category(category)
        if self.bank.category_info(category).form == "series":
            raise PhraseBankError(f"类别“{category}”是序词序列，请用 enumeration(项数) 取用",
                                  [Problem(f"类别“{category}”不能用 phrase() 取用", hint="用 enumeration(项数)")])
        values = {k: v for k, v in slots.items() if v is not None and _clean_value(v)}
        # Which phrases may be chosen depends only on the category, which slots have a value and the
        # document's tags, never on earlier choices: computed once per bank and kept (a few per template).
        key = (category, frozenset(values), self._strict, self._register)
        pools = self.bank._pools.get(key)
        if pools is None:
            usable = [p for p in phrases if all(s in values for s in p.slots)]
            if not usable:
                needed = sorted({s for p in phrases for s in p.slots})
                hint = f"请提供这些槽位中的一部分：{'、'.join(needed)}"
                raise PhraseBankError(f"类别“{category}”没有可用的短语：每一条都缺少槽位（{hint}）",
                                      [Problem(f"类别“{category}”缺少槽位", hint=hint)])
            pools = self._pools(category, usable)
            if len(self.bank._pools) >= 4096:  # only templates' calls make keys: this is never reached in use
                self.bank._pools.clear()
            self.bank._pools[key] = pools
        return self._pick_from(category, *pools).fill(values)

    def enumeration(self, count: int, category: str = ENUMERATOR) -> list[str]:
        """Markers for ``count`` items (一是、二是… or 首先、其次、最后…), varied from one use to the next."""
        if count <= 0:
            return []
        if count == 1:
            return [""]
        series = [p for p in self._category(category) if p.series]
        usable = [p for p in series if p.capacity >= count]
        if not usable:
            most = max((p.capacity for p in series), default=0)
            raise PhraseBankError(f"没有能列出 {count} 项的序词（最多 {most} 项）",
                                  [Problem(f"序词不够 {count} 项", hint="项数太多时请改用编号条目")])
        return self._pick(category, usable).markers(count)

    # ---------------------------------------------------------------- inside

    def _category(self, category: str) -> list[Phrase]:
        phrases = self.bank.in_category(category)
        if not phrases:
            raise _unknown_category(self.bank, category)
        return phrases

    def _rng(self, category: str) -> random.Random:
        rng = self._rngs.get(category)
        if rng is None:
            rng = self._rngs[category] = random.Random(stable_int("phrase", self.seed, category))
        return rng

    def _allowed(self, phrase: Phrase) -> bool:
        """Strict: a phrase for an organization type, for a personal summary or for a genre is never
        used in a document of another (its words would be wrong there, not merely less apt)."""
        return _allowed(phrase.tags, self._strict)

    def _fits(self, phrase: Phrase) -> bool:
        """A preference: formal phrases for a formal document, plain ones for a plain one."""
        return _fits(phrase.tags, self._register)

    def _words_of(self, phrase: Phrase) -> frozenset[str]:
        return self.bank.content_words().get(phrase.id, frozenset())

    def _too_similar(self, phrase: Phrase) -> bool:
        words = self._words_of(phrase)
        return any(similarity(words, used) >= SIMILARITY_THRESHOLD for used in self._used_words)

    def _speaks_to_audience(self, phrase: Phrase) -> bool:
        """Written for this document (its organization type, a personal summary, a survey) rather than
        generic.  In a personal summary only the first-person phrases count: generic ones speak as 我们."""
        return _speaks_to(phrase.tags, self._strict)

    def _pick(self, category: str, candidates: list[Phrase]) -> Phrase:
        return self._pick_from(category, *self._pools(category, candidates))

    def _pools(self, category: str, candidates: list[Phrase]) -> tuple[list[Phrase], list[Phrase]]:
        """The candidates this document may use, preferred register first (``fitting``), and those of
        them written for it (``own``); they depend on the document's tags only."""
        strict = self._strict
        allowed = [p for p in candidates if _allowed(p.tags, strict)]  # self._allowed(p), without its call
        if not allowed:
            kinds = "、".join(TAG_NAMES.get(t, t) for t in sorted(self._strict)) or "通用"
            hint = "在短语库里为这一类补一条不带单位类型标签（中性）的短语"
            raise PhraseBankError(f"类别“{category}”没有适合本文档（{kinds}）的短语（{hint}）",
                                  [Problem(f"类别“{category}”没有适合“{kinds}”的短语", hint=hint)])
        fitting = [p for p in allowed if _fits(p.tags, self._register)] or allowed
        # A personal summary or a survey takes its own phrases first (generic ones speak as 我们 or
        # report no survey); an organization type's phrases are mixed with the neutral ones, at
        # double weight, so that its documents sound like it and still vary from seed to seed.
        own = [p for p in fitting if _speaks_to(p.tags, strict)]
        return fitting, own

    def _pick_from(self, category: str, fitting: list[Phrase], own: list[Phrase]) -> Phrase:
        """One of ``fitting`` (``own`` first or at double weight), seeded, avoiding repeats and near-repeats."""
        first = self._strict & ({PERSONAL} | set(GENRE_TAGS))
        pool = own if first and any(p.id not in self._last_used for p in own) else fitting
        rng = self._rng(category)
        fresh = [p for p in pool if p.id not in self._last_used and not self._too_similar(p)]
        if fresh:
            own_ids = {p.id for p in own}  # ids are unique in a bank: the same test as ``p in own``, without __eq__
            weighted = [q for p in fresh for q in ((p, p) if p.id in own_ids else (p,))]
            pick = weighted[rng.randrange(len(weighted))]
        else:  # the category ran out: the least recently used phrase (never-used ones first)
            oldest = min(self._last_used.get(p.id, 0) for p in pool)
            ties = [p for p in pool if self._last_used.get(p.id, 0) == oldest]
            pick = ties[rng.randrange(len(ties))]
        self._last_used[pick.id] = len(self.history) + 1
        self._used_words.append(self._words_of(pick))
        self.history.append((category, pick.id))
        return pick


# The three tests on a phrase's tags against a document's, cached: a bank has a few dozen distinct
# tag sets and a document one set of tags, while every choice tests every phrase of its category.


@functools.lru_cache(maxsize=4096)
def _allowed(tags: tuple[str, ...], strict: frozenset[str]) -> bool:
    """PhraseChooser._allowed for a phrase's ``tags`` in a document of these ``strict`` tags."""
    have = set(tags)
    org = have & _ORG_SET
    if org and not org & strict:
        return False
    if PERSONAL in have and PERSONAL not in strict:
        return False
    genre = have & _GENRE_SET
    return not (genre and not genre & strict)


@functools.lru_cache(maxsize=4096)
def _fits(tags: tuple[str, ...], register: frozenset[str]) -> bool:
    """PhraseChooser._fits for a phrase's ``tags`` in a document of this ``register``."""
    have = _REGISTER_SET.intersection(tags)
    return not (have and register and not have & register)


@functools.lru_cache(maxsize=4096)
def _speaks_to(tags: tuple[str, ...], strict: frozenset[str]) -> bool:
    """PhraseChooser._speaks_to_audience for a phrase's ``tags`` in a document of these ``strict`` tags."""
    if PERSONAL in strict:
        return PERSONAL in tags
    return bool(set(tags) & strict)


# --------------------------------------------------------------------------- mining


@dataclass(frozen=True)
class MinedPhrase:
    """A candidate stock phrase found in a text, for a person to review before adding it to a bank."""

    kind: str  # "opener", "connective", "ngram"
    text: str
    count: int
    in_bank: bool
    example: str


KIND_NAMES = {"opener": "常见开头", "connective": "关联词和序词", "ngram": "固定搭配"}
# Compiled on first use (re caches them): only mining phrases (``summarykit phrases mine``) needs them.
_ENUM_MARKER = (r"^(?:[一二三四五六七八九十]+[是要来则]|第[一二三四五六七八九十]+|其[一二三四五六七八九十]"
                r"|首先|其次|再次|最后|另一方面|一方面)")
_SENTENCES = r"[^。！？\n]+[。！？]?"
_CLAUSE_SPLIT = re.compile(r"(?<=[，；：])")


def _phrasal(gram: Sequence[tuple[str, str]]) -> bool:
    """Whether a word sequence looks like a stock phrase rather than a topic term (后勤服务社会化改革).

    Stock phrases carry a verb, adjective, adverb or idiom and are not mostly nouns; they neither start
    nor end on a particle or preposition.
    """
    joined = "".join(w for w, _ in gram)
    if not 4 <= len(joined) <= 16 or re.search(r"[\d\W_a-zA-Z]", joined):
        return False
    flags = [f for _, f in gram]
    if flags[0][0] in "ucpxy" or flags[-1][0] in "ucpxy":
        return False
    nounlike = [f[0] == "n" or f in ("vn", "an") for f in flags]
    if not any(f[0] in "vadil" and not noun for f, noun in zip(flags, nounlike, strict=True)):
        return False
    if sum(nounlike) * 2 > len(flags):
        return False
    return sum(1 for w, _ in gram if len(w) >= 2 and w not in _STOP_WORDS) >= 2


def _merge_overlapping(items: list[tuple[str, int]], examples: Mapping[str, str]) -> list[tuple[str, int]]:
    """Overlapping windows of one repeated run (equal counts, same first sentence) → the whole run, once."""
    groups: dict[tuple[int, str], list[tuple[int, int]]] = {}
    for key, count in items:
        example = examples[key]
        start = example.find(key)
        groups.setdefault((count, example), []).append((start, start + len(key)))
    merged: list[tuple[str, int]] = []
    for (count, example), spans in groups.items():
        spans.sort()
        current = list(spans[0])
        for start, end in spans[1:]:
            if start <= current[1]:
                current[1] = max(current[1], end)
            else:
                merged.append((example[current[0]:current[1]], count))
                current = [start, end]
        merged.append((example[current[0]:current[1]], count))
    return list(dict.fromkeys(merged))


def mine_phrases(text: str, bank: PhraseBank | None = None, min_count: int = 2,
                 limit: int = 30) -> list[MinedPhrase]:
    """Frequent sentence openers, connectives and fixed word n-grams in a text.

    Meant to grow a bank from real documents: the result is a list of candidates, never added automatically.
    """
    from ..usercache import start_tagger

    tagger = start_tagger()
    bank_texts = [_SLOT.sub("", p.text) for p in (bank.phrases if bank else ())]

    def in_bank(candidate: str) -> bool:
        core = candidate.strip("，；：。、 ")
        return any(core in t for t in bank_texts)

    openers: Counter[str] = Counter()
    connectives: Counter[str] = Counter()
    ngrams: Counter[str] = Counter()
    examples: dict[tuple[str, str], str] = {}

    def note(kind: str, counter: Counter[str], key: str, sentence: str) -> None:
        counter[key] += 1
        examples.setdefault((kind, key), sentence)

    from ..records.textclean import full_width_punctuation

    text, _ = full_width_punctuation(text)  # pasted text often has half-width commas between Chinese
    for match in re.finditer(_SENTENCES, text):
        sentence = match.group(0).strip()
        if len(sentence) < 4:
            continue
        clauses = [c for c in _CLAUSE_SPLIT.split(sentence) if c.strip()]
        first = clauses[0].strip()
        if 2 <= len(first) <= 14 and first[-1] in "，：" and not re.search(r"\d", first):
            note("opener", openers, first, sentence)
        for clause in clauses:
            clause = clause.strip()
            marker = re.match(_ENUM_MARKER, clause)
            if marker:
                note("connective", connectives, marker.group(0), sentence)
            pairs = [(p.word, p.flag) for p in tagger.cut(clause)]
            if pairs and pairs[0][1] == "c" and len(pairs[0][0]) >= 2:
                note("connective", connectives, pairs[0][0], sentence)
            for n in range(2, 6):
                for i in range(len(pairs) - n + 1):
                    gram = pairs[i : i + n]
                    if _phrasal(gram):
                        note("ngram", ngrams, "".join(w for w, _ in gram), sentence)

    def ranked(kind: str, counter: Counter[str], weight_length: bool) -> list[MinedPhrase]:
        items = [(k, c) for k, c in counter.items() if c >= min_count]
        if kind == "ngram":
            items = _merge_overlapping(items, {k: examples[(kind, k)] for k, _ in items})
            for key, _ in items:
                examples.setdefault((kind, key), next(e for (kd, k), e in examples.items()
                                                      if kd == kind and key in e))
        items.sort(key=lambda kc: (-(kc[1] * (len(kc[0]) if weight_length else 1)), kc[0]))
        return [MinedPhrase(kind, k, c, in_bank(k), examples[(kind, k)][:60]) for k, c in items[:limit]]

    return [*ranked("opener", openers, False), *ranked("connective", connectives, False),
            *ranked("ngram", ngrams, True)]
