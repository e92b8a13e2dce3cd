"""Import: a finished summary (plain text or DOCX) → records.

Most people start this year's summary from last year's, which they have as a Word file or as text
copied from a web page.  Retyping it as records is the slowest step of adopting summarykit, so
this module reads such a document back: the title, the numbered outline (一、 （一） 1. 1、 （1） ①,
full or half width, headings on their own line or run in), paragraphs, numbered items, inline
“一是……二是……” lists, tables, keywords, references and the signature.  It then sorts the level-1
sections into achievements, experiences, problems and plans, picks the closest built-in template and
returns a Report-shaped dict.

The design goal is a faithful round trip: rendering the imported records with the chosen template
reproduces the document's numbered outline.  That is why the outline is read by the *kind* of label
(一、 is level 1, （一） level 2, 1. / 1、 level 3, （1） level 4, ① level 5 — the levels the renderer
numbers at), and why the sorting respects what each template prints (a template that prints problems
without a heading must not receive a numbered “存在问题” section as `problems`).

Nothing is dropped: what cannot be placed (a journal line, a stray label before the first heading)
is returned in ``unplaced`` with its line number, and every change (punctuation, a boilerplate
sentence the template writes itself, a renumbered level) is a Notice.  The module is pure apart from
reading the DOCX in `import_docx`; it never prints.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import Notice, SummaryKitError
from ..records.textclean import CJK, full_width_punctuation, remove_bad_chars
from ..zh import dates, orgtype
from ..zh.docxtext import DocxTooLarge, UnreadableDocx, read_docx
from ..zh.labels import parse_label
from ..zh.numerals import cn_number

log = logging.getLogger(__name__)

__all__ = ["ImportResult", "SourceError", "import_docx", "import_file", "import_text", "metrics_in", "to_yaml"]


class SourceError(SummaryKitError):
    """The document to import cannot be read (not a DOCX, damaged, unknown encoding)."""


# --------------------------------------------------------------------------- the result


@dataclass
class ImportResult:
    """What `import_text` / `import_docx` found.

    ``records`` validates as a Report (``Report.model_validate``); ``template`` is the built-in
    template it was shaped for; ``unplaced`` lists (line, text) of what could not be placed;
    ``notices`` says what was changed or guessed; ``reasons`` why the template was chosen (Chinese,
    for the records file's header); ``removed`` the (line, sentence) of opening boilerplate left to
    the template's phrase bank.  ``where`` maps record paths such as ``("achievements", 0)`` to
    source lines (paragraphs for a DOCX, see ``unit``), for the comments of `to_yaml`.
    """

    records: dict[str, Any]
    template: str
    unplaced: list[tuple[int, str]] = field(default_factory=list)
    furniture: dict[int, str] = field(default_factory=dict)  # line → kind, for the unplaced lines from the web page
    notices: list[Notice] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    source: str = ""
    unit: str = "行"  # a text file counts lines, a DOCX counts paragraphs
    where: dict[tuple[Any, ...], int] = field(default_factory=dict)
    removed: list[tuple[int, str]] = field(default_factory=list)


# --------------------------------------------------------------------------- small text helpers

_CJK_RE = re.compile(f"[{CJK}]")
_GENRES = ("总结", "报告", "体会", "计划", "方案", "情况", "综述", "汇报", "讲话", "述职")
_TERMINAL = "。！？；，：,;:!?…"
_SPACES = re.compile(r"[ \u00a0\u2002\u2003\u2009]{2,}")
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")
# A half-width full stop after Chinese text (web pastes): 。 — but never in 3.5, 1.2.3 or "...".
_HALF_STOP = re.compile(f"(?<=[{CJK}”’）)])\\.(?!\\.)(?=$|\\s|[{CJK}“‘（(])")
_ELLIPSIS = re.compile(r"\.{3,}|。{3,}")

_LEVELS = {"cn": 1, "paren-cn": 2, "n-dot": 3, "n-dun": 3, "n-bare": 3, "n-paren": 4, "paren-n": 4, "circled": 5}
_KIND_OF_LEVEL = {1: "cn", 2: "paren-cn", 3: "n-dot", 4: "paren-n", 5: "circled"}
_KIND_NAMES = {"cn": "一、", "paren-cn": "（一）", "n-dot": "1.", "n-dun": "1、", "n-bare": "1（无标点）",
               "n-paren": "1）", "paren-n": "（1）", "circled": "①"}


def _has_cjk(text: str) -> bool:
    return bool(_CJK_RE.search(text))


def _outer_strip(text: str) -> str:
    return text.strip(" \t\u00a0\u3000\u2002\u2003\u2009")


@dataclass
class _Cleaner:
    """Prose clean-up with a running count, so one notice can say how much was changed."""

    changed: int = 0

    def __call__(self, text: str) -> str:
        text = _INVISIBLE.sub("", text)
        text = _SPACES.sub(" ", _outer_strip(text))
        if not _has_cjk(text):
            return text
        text = _ELLIPSIS.sub("……", text)
        text, n_stop = _HALF_STOP.subn("。", text)
        text, n = full_width_punctuation(text)
        self.changed += n + n_stop
        return text


# --------------------------------------------------------------------------- labels

_LABEL_ONLY = re.compile(
    r"^(?:[一二三四五六七八九十]+\s*[、.．,，]|[（(]\s*[一二三四五六七八九十]+\s*[）)]|[（(]\s*\d{1,3}\s*[）)]"
    r"|\d{1,3}\s*[、.．]|\d{1,3}\s*[)）]|[①-⑳])$"
)
_BARE = re.compile(f"^(\\d{{1,2}})\\s*(?=[{CJK}])")
_NOT_AFTER_BARE = set("年月日号时点分秒万千百亿个人名次岁元米吨斤件台张间户所项条届期周天级楼层班")


def _label_of(text: str) -> tuple[str, int, str] | None:
    """A line's outline label as pasted text writes it (1） too), via zh.labels."""
    return parse_label(text, pasted=True)


def _without_labels(text: str) -> str:
    """A heading's text after its label, without a second label typed right after it (一、一、食堂管理):
    the numbering pass writes the one label, and records refuse a typed label that disagrees with it."""
    found = parse_label(text, pasted=True)
    while found is not None and found[2] != text:
        text = found[2]
        found = parse_label(text, pasted=True)
    return text


def _bare_candidate(text: str) -> tuple[int, str] | None:
    """“1理清发展思路”: a digit glued to a short heading, without any mark."""
    match = _BARE.match(text)
    if not match:
        return None
    rest = text[match.end():].strip()
    if not rest or rest[0] in _NOT_AFTER_BARE or len(rest) > 30 or "。" in rest[:-1]:
        return None
    return int(match.group(1)), rest


# --------------------------------------------------------------------------- dates, signatures

_DATE_ANY = dates.ANY
_DATE_LINE = re.compile(f"^[（(]?\\s*{_DATE_ANY}\\s*[)）]?$")
_SIGN_AND_DATE = re.compile(f"^(.{{2,30}}?)\\s+[（(]?\\s*{_DATE_ANY}\\s*[)）]?$")
_ORG_SUFFIX = re.compile(r"(学校|中学|小学|大学|学院|幼儿园|处|科|室|局|厅|部|委|办|中心|公司|馆|院|组|会|站|所|队|党支部)$")


def _date_of(text: str) -> dt.date | None:
    match = _DATE_LINE.match(text)
    return dates.date_from_groups(match.groups()) if match else None


def _signature_like(text: str) -> bool:
    return (0 < len(text) <= 30 and not any(c in text for c in "。！？；，,;!?") and not text.endswith(("：", ":"))
            and _label_of(text) is None)


# --------------------------------------------------------------------------- the outline tree


@dataclass
class _Para:
    no: int
    text: str


@dataclass
class _Tab:
    no: int
    table: dict[str, Any]


@dataclass
class _Node:
    """One labelled line and everything under it until the next label of its level or above."""

    no: int
    level: int
    kind: str
    number: int
    label: str
    text: str
    content: list[_Para | _Tab | _Node] = field(default_factory=list)
    styled: bool = False  # a Word heading style without a typed label

    def children(self) -> list[_Node]:
        return [c for c in self.content if isinstance(c, _Node)]

    def own_paras(self) -> list[_Para]:
        """Paragraphs before the first labelled child (the node's own text)."""
        out: list[_Para] = []
        for entry in self.content:
            if isinstance(entry, _Node):
                break
            if isinstance(entry, _Para):
                out.append(entry)
        return out

    def paras(self) -> list[_Para]:
        return [c for c in self.content if isinstance(c, _Para)]

    def tables(self) -> list[_Tab]:
        return [c for c in self.content if isinstance(c, _Tab)]

    def walk(self) -> Iterable[_Node]:
        for child in self.children():
            yield child
            yield from child.walk()


# A run-in heading: a short phrase closed by 。 or ：, then the body in the same paragraph.
# Only full-width marks count (the text is cleaned first), so “ISO9001:2000” is no heading.
_RUN_IN = re.compile(f"^([^，,。：:；;！？]{{1,15}}[{CJK}”）][。：])(.+)$")


def _run_in(text: str) -> tuple[str, str] | None:
    match = _RUN_IN.match(text)
    if not match or len(match.group(2).strip()) < 2:
        return None
    return match.group(1), match.group(2).strip()


def _has_body(node: _Node) -> bool:
    """Whether a heading made of this node prints anything under it (the renderer drops empty headings)."""
    return bool(node.content) or _run_in(node.text) is not None


def _canonical_label(node: _Node) -> str:
    """The label as the renderer would print its kind (full width), for labels kept inside text."""
    formats = {"cn": "{cn}、", "paren-cn": "（{cn}）", "n-dot": "{n}.", "n-bare": "{n}.", "n-dun": "{n}、",
               "n-paren": "{n}）", "paren-n": "（{n}）", "circled": "{circled}"}
    if node.kind not in formats:
        return node.label
    circled = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
    return formats[node.kind].format(cn=cn_number(node.number), n=node.number,
                                     circled=circled[node.number - 1] if 1 <= node.number <= 20 else node.number)


def _heading_like(text: str) -> bool:
    return len(text) <= 30 and not text.endswith(tuple("。！？；，,;!?"))


# --------------------------------------------------------------------------- sorting by headings

_PART_WORDS: dict[str, tuple[str, ...]] = {
    "problems": ("存在问题", "存在的问题", "存在的不足", "问题", "不足", "差距", "短板", "教训"),
    "plans": ("下一步", "打算", "计划", "努力方向", "今后", "设想", "展望", "来年", "明年", "新学期", "新的一年"),
    "experiences": ("经验", "体会", "启示", "心得", "感悟", "收获", "认识"),
}
_PART_ORDER = {"experiences": 1, "problems": 2, "plans": 3}
_CLOSING = re.compile(r"^(总之|总而言之|综上所述|综上|一句话|在此|最后[，,]|展望未来|新的一年|今后[，,]?我们将|成绩只能代表过去|回顾.{0,8}(一年|过去))")
# The sentence that leads from the opening into the body (“现将……总结如下：”): the templates that
# write one of their own (phrase bank, report_intro) would otherwise print it twice.
_BOILERPLATE = re.compile(r"(?:^|(?<=[。！？；]))([^。！？；]{0,60}(?:如下|简要回顾|汇报)[：:])$")
_BOILERPLATE_WORDS = re.compile("总结|汇报|回顾|报告|小结|情况|体会")
# The stock clause itself: from its opening word (现将, 特, 下面, 具体……) to 如下：, with no comma-separated fact
# of the author's before it; a purpose clause (为总结经验、查找不足，……) the phrase bank writes too is part of it.
_TRANSITION_CLAUSE = re.compile(
    r"(?:^|(?<=[，,]))((?:为[^，,]{0,20}(?:总结经验|查找不足|做好|推动|促进)[^，,]{0,20}[，,]){0,2}"
    r"(?:现|特|下面|兹|具体|今|谨)[^，,]{0,40}(?:如下|简要回顾|汇报)[：:])$")
_LIST_LEAD = re.compile(r"(如下|以下|做到|几点|几个方面|措施|打算)[：:]?$|[：:]$")


def _part_of(heading: str) -> str | None:
    """experiences / problems / plans from a heading's words; the earliest word wins."""
    best: tuple[int, str] | None = None
    for part, words in _PART_WORDS.items():
        for word in words:
            index = heading.find(word)
            if index >= 0 and (best is None or index < best[0]):
                best = (index, part)
    return best[1] if best else None


_INLINE_MARK = "一二三四五六七八九十"


def _inline_list(text: str) -> tuple[str, list[str]] | None:
    """“（引语：）一是……。二是……。三是……。” → (lead, [item, item, item]); None for anything else."""
    lead = ""
    start = text.find("一是")
    if start < 0:
        return None
    if start > 0:
        lead = text[:start]
        if not lead.endswith(("：", ":")) or len(lead) > 60:
            return None
    body = text[start:]
    cuts = [0]
    for n in range(2, 11):
        mark = f"{_INLINE_MARK[n - 1] if n < 10 else '十'}是"
        index = body.find(mark, cuts[-1] + 2)
        if index < 0:
            break
        if body[index - 1] not in "。；;，,！？":
            return None
        cuts.append(index)
    if len(cuts) < 2:
        return None
    items = []
    for begin, end in zip(cuts, [*cuts[1:], len(body)], strict=True):
        items.append(body[begin + 2:end].rstrip("。；;，, "))
    if any(not i for i in items):
        return None
    return lead, items


# --------------------------------------------------------------------------- metrics

_UNITS = sorted(
    "张 台 个 间 辆 套 件 把 部 块 座 栋 幢 所 名 人 位 户 次 场 项 条 本 册 棵 株 盆 只 头 吨 公斤 千克 斤 "
    "平方米 平米 立方米 千米 公里 米 亩 万元 亿元 千元 元 箱 袋 桶 车 批 扇 盏 组 份 篇 节 课时 小时 台套 处 "
    "期 门 口 根 支 顶 双".split(),
    key=len, reverse=True,
)
_METRIC = re.compile(f"(?<![\\d.．\\-～~至到第])(\\d+(?:\\.\\d+)?)({'|'.join(_UNITS)})")
_VERBS = (
    "添置 购置 购买 采购 购进 新建 建设 建成 修建 改造 改建 维修 修缮 维护 更换 安装 配备 配置 制作 增加 新增 "
    "举办 开展 组织 签订 签定 培训 接待 发放 投入 筹集 节约 种植 栽种 铺设 引进 招聘 聘用 录用 检查 处理 召开 "
    "更新 清运 清除 消除 完成 共有 现有 拥有 其中 共计 合计 总计 累计 达到 建起 办起 设立 成立"
).split()
_NAME_BAD = set("的了是对把被和与及或等")


def metrics_in(text: str) -> list[dict[str, Any]]:
    """Quantities such as 办公桌7张 → {name: 办公桌, value: 7, unit: 张}, only where unambiguous.

    A quantity is taken when the words just before the number (after the verb that introduces
    it: 添置、建设、改造……) are a plain noun of 2–10 characters and nothing follows the unit but
    the end of the clause.  Anything else (30252人口, 90多车, 占总数的10%) stays text only.
    """
    found: list[dict[str, Any]] = []
    for clause in re.split(r"[，,。；;：:！？、]", text):
        for match in _METRIC.finditer(clause):
            after = clause[match.end():]
            if after and (after[0] in "多余左右以" or _has_cjk(after[:1])):
                continue
            before = clause[:match.start()]
            if re.search(r"[\d]", before):
                continue
            # The verb nearest the number introduces it: 为办公室添置|办公桌7张.
            ends = [before.rfind(verb) + len(verb) for verb in _VERBS if verb in before]
            name = before[max(ends):] if ends else before
            name = name.lstrip("了")
            for prefix in ("共", "另", "计", "有"):
                name = name.removeprefix(prefix)
            if not (2 <= len(name) <= 10) or not all(_CJK_RE.match(c) for c in name):
                continue
            if any(c in _NAME_BAD for c in name):
                continue
            raw = match.group(1)
            value: int | float = float(raw) if "." in raw else int(raw)
            found.append({"name": name, "value": value, "unit": match.group(2)})
    return found


# --------------------------------------------------------------------------- template profiles


@dataclass(frozen=True)
class _Profile:
    """What a built-in template prints, as far as sorting the outline is concerned."""

    slot: str = "sections"  # where ordinary level-1 headings go: achievements or sections
    part_headings: bool = True  # experiences/problems/plans get their own numbered heading
    inline_parts: frozenset[str] = frozenset()  # parts printed as 一是……二是…… in one paragraph
    intro_phrase: bool = False  # the template adds “现将……总结如下：” after the opening


PROFILES: dict[str, _Profile] = {
    "school_term": _Profile(slot="achievements", intro_phrase=True),
    "agency_logistics": _Profile(),
    "reform_review": _Profile(inline_parts=frozenset({"problems", "plans"})),
    "university_logistics": _Profile(),
    "survey_report": _Profile(intro_phrase=True),
    "personal_summary": _Profile(part_headings=False, inline_parts=frozenset({"experiences", "problems", "plans"})),
    "library_reflection": _Profile(part_headings=False, inline_parts=frozenset({"experiences", "problems"})),
    "annual_general": _Profile(slot="achievements", intro_phrase=True),
}
GENERIC_PROFILE = _Profile()

_SCHOOL_WORDS = ("学校", "学期", "学年", "师生", "教学", "校园", "教师", "学生", "总务处", "后勤处")
_AGENCY_WORDS = ("机关", "社院", "社会主义学院", "党外", "政务", "执政")
_FIRST_PERSON = re.compile("[我](?![们国校院馆局省市区县处部])|本人")


@dataclass
class _Features:
    """What the document looks like, for choosing a template."""

    n_l1: int = 0
    has_l2: bool = False
    has_l3: bool = False
    run_in: bool = False
    l3_items_under_l1: int = 0
    l3_kind: str | None = None
    top_list: bool = False
    keywords: bool = False
    references: bool = False
    first_person: float = 0.0
    school_words: int = 0
    agency_words: int = 0
    title: str = ""
    text: str = ""
    inline_problems: bool = False
    organization: str = ""  # the signature's unit and the title: what kind of body wrote it


_SCHOOL_ORG = re.compile(r"学校|中学|小学|大学|学院|幼儿园|校")
_AGENCY_ORG = re.compile(r"局|厅|委员会|政府|机关|办公室|管理处|中心|党委|人大|政协")


def _template_scores(f: _Features, numbering: dict[str, str | None]) -> dict[str, tuple[int, list[str]]]:
    """A score and its reasons (Chinese, for the records file's comment) per known template."""
    scores: dict[str, tuple[int, list[str]]] = {}
    text = f.title + f.text

    def add(name: str, points: int, why: str, cond: bool = True) -> None:
        if cond:
            total, reasons = scores.get(name, (0, []))
            scores[name] = (total + points, [*reasons, why] if points > 0 else reasons)

    for name in PROFILES:
        scores[name] = (0, [])
    add("school_term", 3, "第三级编号用“1、”，与学校模板一致", f.l3_kind == "n-dun")
    add("school_term", 2, f"一级标题下列有 {f.l3_items_under_l1} 条编号条目，是“类别＋条目”的写法",
        f.n_l1 >= 2 and f.l3_items_under_l1 >= 2)
    add("school_term", min(f.school_words, 3), "正文多处出现“学校、学期、师生”等词", f.school_words >= 2 and f.n_l1 > 0)
    add("school_term", -3, "", f.run_in or f.keywords or f.references)
    add("school_term", -1, "", f.has_l2)
    work_summary = f.title.endswith(("工作总结", "总结"))
    add("school_term", 2, "标题是“……工作总结”", work_summary and f.n_l1 > 0)
    add("annual_general", 3, "一级标题下列有编号条目，第三级编号用“1.”，是通用年度总结的写法",
        f.l3_kind == "n-dot" and f.l3_items_under_l1 >= 2 and not f.run_in and not f.keywords and not f.references)
    add("annual_general", 2, "标题是“……工作总结”", work_summary and f.n_l1 > 0)
    add("annual_general", -1, "", f.has_l2)
    school = orgtype.infer(f.title)
    add("school_term", 3, "标题中的单位是学校", school is not None and school.org_type == "学校" and f.n_l1 > 0)
    add("personal_summary", 2, "标题是个人总结", "个人" in f.title)
    for genre in ("reform_review", "university_logistics", "survey_report"):
        add(genre, -2, "", work_summary)
    add("personal_summary", 4, "通篇不分标题，以第一人称“我”叙述，是个人总结",
        f.n_l1 == 0 and not f.top_list and f.first_person >= 1.0)
    add("personal_summary", -5, "", f.n_l1 > 0)
    add("library_reflection", 4, "通篇不分标题，结尾列出编号的做法", f.n_l1 == 0 and f.top_list)
    add("library_reflection", 2, "标题是“体会”一类", any(w in f.title for w in ("体会", "心得")))
    add("library_reflection", -5, "", f.n_l1 > 0)
    add("agency_logistics", 3, "有关键词而没有参考文献", f.keywords and not f.references)
    add("agency_logistics", 2, "一级标题下都是成段的论述", f.n_l1 >= 2 and not f.has_l2 and not f.has_l3)
    add("agency_logistics", min(f.agency_words, 2), "正文是机关后勤的用语", f.agency_words >= 2)
    # Who wrote it, from the content (signature, title), not from the page around it.
    agency = bool(_AGENCY_ORG.search(f.organization)) and not _SCHOOL_ORG.search(f.organization)
    add("school_term", -3, "", agency and f.school_words == 0)
    add("agency_logistics", 3, "署名单位是机关（局、厅、委、办），正文没有学校的用语", agency and f.school_words == 0)
    add("reform_review", 3, "两级标题（一、与（一））、没有第三级编号", f.has_l2 and not f.has_l3 and not f.run_in)
    add("reform_review", 2, "存在问题写成段内的“一是……二是……”", f.inline_problems)
    add("reform_review", 1, "是回顾改革历程的文章", any(w in text for w in ("回顾", "历程")))
    add("university_logistics", 4, "文末有参考文献，是论文体", f.references)
    add("university_logistics", 2, "有关键词和三级标题", f.keywords and f.has_l2)
    add("university_logistics", 2, "一、（一）1. 三级编号", f.has_l2 and f.has_l3 and not f.run_in)
    add("survey_report", 4, "有“1.机构设置情况。……”这样与正文同段的小标题", f.run_in)
    add("survey_report", 3, "是调研报告", any(w in f.title or w in f.text[:400] for w in ("调研", "调查")))
    for name, scheme in numbering.items():
        if name not in scores:
            continue
        if f.l3_kind == "n-dun" and scheme != "school":
            add(name, -3, "")
        if f.l3_kind == "n-dot" and scheme == "school":
            add(name, -3, "")
    return scores


# --------------------------------------------------------------------------- reading the lines


@dataclass
class _Line:
    no: int
    text: str
    style_level: int | None = None
    title_style: bool = False
    table: dict[str, Any] | None = None
    space_after: bool = False  # the line ended in a space (a title broken where it had one)


def _text_lines(text: str) -> list[_Line]:
    """Lines of pasted text; tab-separated runs of lines become tables."""
    raw = re.split(r"\r\n|\r|\n", text)
    lines: list[_Line] = []
    index = 0
    while index < len(raw):
        cells = [_outer_strip(c) for c in raw[index].split("\t")]
        if len([c for c in cells if c]) >= 2:
            end = index
            rows = []
            while end < len(raw) and raw[end].count("\t") == raw[index].count("\t"):
                rows.append([_outer_strip(c) for c in raw[end].split("\t")])
                end += 1
            if len(rows) >= 2:
                lines.append(_Line(index + 1, "", table={"columns": rows[0], "rows": rows[1:]}))
                index = end
                continue
        cleaned, _ = remove_bad_chars(raw[index])
        lines.append(_Line(index + 1, _outer_strip(_INVISIBLE.sub("", cleaned)),
                           space_after=cleaned.endswith((" ", "\u3000"))))
        index += 1
    return _attach_captions(lines)


def _join_broken(lines: list[_Line]) -> list[_Line]:
    """A line broken in mid-sentence (it ends in ，or 、 and the next line follows directly) is rejoined.

    A label alone on its line (“一、”) ends in 、 too, but it is not a broken sentence: it is left
    for ``_merge_label_only``, and neither is joined onto one.
    """
    out: list[_Line] = []
    for line in lines:
        prev = out[-1] if out else None
        if (prev is not None and prev.text and line.text and prev.table is None and line.table is None
                and prev.text.endswith(("，", ",", "、")) and _label_of(line.text) is None
                and not _label_only(prev.text) and not _label_only(line.text)
                and prev.style_level is None and line.style_level is None):
            out[-1] = _Line(prev.no, prev.text + line.text)
            continue
        out.append(line)
    return out


def _label_only(text: str) -> bool:
    return _LABEL_ONLY.match(text.replace(" ", "")) is not None


def _merge_label_only(lines: list[_Line]) -> list[_Line]:
    """“一、” alone on a line (a Word habit) belongs to the next line.

    Two such labels in a row: the first is kept as a line of its own (it goes to the TODO list
    if nothing places it), never dropped.
    """
    out: list[_Line] = []
    pending: _Line | None = None
    for line in lines:
        if line.table is None and _label_only(line.text):
            if pending is not None:
                out.append(pending)
            pending = line
            continue
        if pending is not None and line.text:
            line = _Line(pending.no, pending.text.replace(" ", "") + line.text, line.style_level, line.title_style)
            pending = None
        elif pending is not None and line.table is not None:
            out.append(pending)
            pending = None
        out.append(line)
    if pending is not None:
        out.append(pending)
    return out


# --------------------------------------------------------------------------- the importer

_OFFICIAL_ORDER = ("copy_number", "secrecy", "urgency", "issuer", "number", "signers", "recipients", "note",
                   "copy_to", "printer", "printed")


class _Importer:
    """One import: lines in, an ImportResult out.  Holds the running notices and unplaced lines."""

    def __init__(self, lines: list[_Line], name: str, unit: str, template: str | None, *, rejoin: bool = True) -> None:
        self.name = name
        self.unit = unit
        self.notices: list[Notice] = []
        self.unplaced: list[tuple[int, str]] = []
        self.furniture: dict[int, str] = {}
        lines = self._without_furniture(lines)
        # Only plain text breaks sentences over lines; a Word paragraph ends where its author ended it.
        self.lines = _merge_label_only(_join_broken(lines) if rejoin else lines)
        self.forced_template = template
        self.clean = _Cleaner()
        self.removed: list[tuple[int, str]] = []
        self.where: dict[tuple[Any, ...], int] = {}
        self.meta: dict[str, Any] = {}
        self.keywords: list[str] = []
        self.references: list[str] = []
        self.attachments: list[str] = []
        self.signature: dict[str, Any] = {}
        self.hoisted_tables: list[dict[str, Any]] = []  # tables from places that cannot hold one
        self.official: dict[str, Any] = {}  # the 公文 parts (tools/officialparts.py)

    # ----------------------------------------------------------------- helpers

    def _without_furniture(self, lines: list[_Line]) -> list[_Line]:
        """Web-page furniture (navigation, site notices, file names, publication blocks) → TODO comments.

        Done first, before the title, the opening and the template are looked for, so that none of
        it can become the title, the intro or the body, nor sway the choice of template.
        """
        from .webfurniture import PUBLICATION, furniture, is_publication_key

        texts = [line.text if line.table is None else "" for line in lines]
        found = furniture(texts)
        for index, line in enumerate(lines):
            if line.table is not None:
                cells = [c for row in [line.table["columns"], *line.table["rows"]] for c in row]
                if sum(1 for c in cells if is_publication_key(c)) >= 2:
                    found[index] = PUBLICATION
        kept = []
        for index, line in enumerate(lines):
            kind = found.get(index)
            if kind is None:
                kept.append(line)
                continue
            rows = [line.text] if line.table is None else [
                "\t".join(row) for row in [line.table["columns"], *line.table["rows"]]]
            for offset, row in enumerate(rows):
                self.unplaced.append((line.no + offset, row))
                self.furniture[line.no + offset] = kind
            self.note("unplaced", f"{self.at(line.no)}像是{kind}，不属于总结正文", line.no)
        return kept

    def note(self, code: str, message: str, no: int | None = None) -> None:
        where = f"{self.name}:{no}" if no is not None else self.name
        notice = Notice(code, message, where)
        log.info("%s", notice)
        self.notices.append(notice)

    def at(self, no: int) -> str:
        return f"第 {no} {self.unit}"

    # ----------------------------------------------------------------- header and tail

    def _official_head(self, body: list[_Line]) -> list[_Line]:
        """份号, 密级, 紧急程度, 发文机关标志, 发文字号 and 签发人 before the title → ``official``."""
        from .officialparts import read_head

        kept = [line for line in body if line.table is not None or line.text]
        texts = []
        for line in kept:
            if line.table is not None:
                break
            texts.append(line.text)
        parts, taken = read_head(texts)
        if not taken:
            return body
        self.official.update(parts)
        self.where[("official",)] = kept[0].no
        last = kept[taken - 1]
        return body[body.index(last) + 1:]

    def _recipients(self, rest: list[_Line]) -> None:
        """主送机关: the first line under the title, when it names offices and ends with a colon."""
        from .officialparts import read_recipients

        first = next((i for i, line in enumerate(rest) if line.table is not None or line.text), None)
        if first is None or rest[first].table is not None:
            return
        name = read_recipients(rest[first].text, official=bool(self.official))
        if name is not None:
            self.official["recipients"] = self.clean(name)
            self.where.setdefault(("official",), rest[first].no)
            del rest[first]

    def _header(self, body: list[_Line]) -> list[_Line]:
        """Title, subtitle, keywords, audience and journal lines before the text proper."""
        rest = list(body)
        while rest and rest[0].table is None and not rest[0].text:  # blank lines a paste starts with
            rest.pop(0)
        keyword_re = re.compile(r"^[\[【［〔(（]?\s*(?:关\s*键\s*[词字]|key\s*words?)\s*[\]】］〕)）]?\s*[:：]?\s*(.+)$", re.I)
        journal_re = re.compile(r"中图分类号|文献标识码|文章编号|DOI\s*[:：]|收稿日期|作者简介|基金项目")
        position = 0
        scanned = 0
        while position < len(rest) and scanned < 8:
            line = rest[position]
            if line.table is not None or not line.text:
                position += 1
                continue
            scanned += 1
            text = line.text
            if keyword_re.match(text):
                words = keyword_re.match(text).group(1)  # type: ignore[union-attr]
                self.keywords = [self.clean(w) for w in re.split(r"[;；,，、\s]+", words) if w.strip()]
                self.where[("keywords",)] = line.no
                del rest[position]
                continue
            if journal_re.search(text):
                self.unplaced.append((line.no, text))
                self.note("unplaced", f"{self.at(line.no)}像是期刊信息（分类号、文献标识码），记录里没有对应的位置", line.no)
                del rest[position]
                continue
            if "title" not in self.meta and position == 0 and self._title_like(line, rest):
                self.where[("meta", "title")] = line.no
                del rest[position]
                # A long title is set on two or three lines (GB/T 9704 §7.3.1): Word keeps each in the
                # Title style; plain text puts the rest, ending in its genre word, right below.
                while rest and rest[0].table is None and rest[0].text and (
                        (line.title_style and rest[0].title_style)
                        or (not text.endswith(_GENRES) and rest[0].text.endswith(_GENRES)
                            and len(rest[0].text) <= 20 and _label_of(rest[0].text) is None
                            and not any(c in rest[0].text for c in _TERMINAL))):
                    text += (" " if line.space_after else "") + rest[0].text
                    line = rest.pop(0)
                self.meta["title"] = self.clean(text).rstrip("。")
                self._recipients(rest)
                continue
            if "title" in self.meta and "subtitle" not in self.meta and text.startswith(("——", "--", "─")):
                self.meta["subtitle"] = "——" + self.clean(text.lstrip("—-─ "))
                del rest[position]
                continue
            date = _date_of(text)
            if date is not None and "date" not in self.meta:
                self.meta["date"] = date
                del rest[position]
                continue
            if (text.endswith(("：", ":")) and len(text) <= 30
                    and re.search("领导|同志|各位|老师们|同事|代表", text)):
                self.meta["audience"] = self.clean(text).rstrip("：")
                del rest[position]
                continue
            break
        return rest

    @staticmethod
    def _title_like(line: _Line, rest: list[_Line]) -> bool:
        if line.title_style:
            return True
        text = line.text
        more = any(r.text or r.table for r in rest[1:])
        return (more and len(text) <= 40 and not text.endswith(tuple(_TERMINAL)) and "。" not in text
                and _label_of(text) is None and _date_of(text) is None and line.style_level is None)

    def _tail(self, body: list[_Line]) -> list[_Line]:
        """References, attachments, the signature and its date at the end."""
        rest = self._official_tail([line for line in body if line.text or line.table is not None])
        # 参考文献
        for index in range(len(rest) - 1, -1, -1):
            text = rest[index].text
            if re.match(r"^[\[【〔]?\s*参\s*考\s*文\s*献\s*[\]】〕]?\s*[:：]?$", text):
                for line in rest[index + 1:]:
                    if line.table is not None:  # a table among the references: report its rows as written
                        rows = [line.table["columns"], *line.table["rows"]]
                        self.unplaced.extend((line.no + i, "\t".join(row)) for i, row in enumerate(rows))
                        continue
                    ref = re.sub(r"^\s*(?:[\[［〔]\s*\d+\s*[\]］〕]|\d+\s*[.．、])\s*", "", line.text)
                    if ref:
                        self.references.append(ref)
                self.where[("references",)] = rest[index].no
                rest = rest[:index]
                break
        # the signature and the date
        if rest and rest[-1].table is None:
            last = rest[-1]
            date = _date_of(last.text)
            combined = _SIGN_AND_DATE.match(last.text) if date is None else None
            if combined:
                date = dates.date_from_groups(combined.groups()[1:])
            if date is not None:
                self.signature["date"] = date
                self.where[("signature",)] = last.no
                rest.pop()
                signers: list[str] = []
                if combined:
                    signers.append(combined.group(1).strip())
                else:
                    while rest and len(signers) < 2 and rest[-1].table is None and _signature_like(rest[-1].text):
                        signer = rest.pop()
                        signers.insert(0, signer.text)
                        self.where[("signature",)] = signer.no
                if signers:
                    self.signature["organization"] = self.clean(signers[0])
                if len(signers) > 1:
                    self.signature["name"] = self.clean(signers[1])
            elif _signature_like(last.text) and _ORG_SUFFIX.search(last.text) and len(rest) > 1:
                self.signature["organization"] = self.clean(last.text)
                self.where[("signature",)] = last.no
                rest.pop()
        self.signature = {k: self.signature[k] for k in ("organization", "name", "date") if k in self.signature}
        # 附件
        for index in range(len(rest) - 1, max(len(rest) - 15, -1), -1):
            match = re.match(r"^附\s*件\s*[:：]\s*(.*)$", rest[index].text)
            if not match:
                continue
            names = [match.group(1)] if match.group(1) else []
            end = index + 1
            while end < len(rest) and rest[end].table is None and (found := _label_of(rest[end].text)) \
                    and found[0] in {"n-dot", "n-dun", "paren-n", "n-paren"}:
                names.append(found[2])
                end += 1
            if end == len(rest) and names:
                self.attachments = [self.clean(re.sub(r"^\d+\s*[.．、]\s*", "", n)).rstrip("。") for n in names]
                self.where[("attachments",)] = rest[index].no
                rest = rest[:index]
            break
        return rest

    def _official_tail(self, rest: list[_Line]) -> list[_Line]:
        """The 版记 (抄送, 印发) at the very end, then the 附注 right under the date → ``official``.

        In a DOCX the 版记 is a one-column table (in a text box at the foot of the page): its rows
        are read like lines."""
        from .officialparts import read_note, read_record

        if rest and rest[-1].table is not None and _is_record_table(rest[-1].table):
            table = rest[-1].table
            parts, _ = read_record([row[0] for row in [table["columns"], *table["rows"]]])
            if parts:
                self.official.update(parts)
                self.where.setdefault(("official",), rest[-1].no)
                rest = rest[:-1]
        else:
            texts = [line.text for line in rest[-3:] if line.table is None]
            parts, taken = read_record(texts) if len(texts) == len(rest[-3:]) else ({}, 0)
            if taken:
                self.official.update(parts)
                self.where.setdefault(("official",), rest[-taken].no)
                rest = rest[:-taken]
        if len(rest) >= 2 and rest[-1].table is None and rest[-2].table is None and _date_of(rest[-2].text):
            note = read_note(rest[-1].text)
            if note is not None:
                self.official["note"] = self.clean(note)
                self.where.setdefault(("official",), rest[-1].no)
                rest = rest[:-1]
        return rest

    # ----------------------------------------------------------------- the tree

    def _tree(self, body: list[_Line]) -> _Node:
        bare: dict[int, tuple[int, str]] = {}
        candidates = [(i, c) for i, line in enumerate(body)
                      if line.table is None and _label_of(line.text) is None
                      and (c := _bare_candidate(line.text)) is not None]
        run: list[tuple[int, tuple[int, str]]] = []
        for index, cand in [*candidates, (-1, (0, ""))]:
            if run and cand[0] == run[-1][1][0] + 1:
                run.append((index, cand))
                continue
            if len(run) >= 2:
                bare.update(dict(run))
            run = [(index, cand)] if cand[0] == 1 else []
        root = _Node(0, 0, "root", 0, "", "")
        stack = [root]
        styled_counts: Counter[int] = Counter()
        for index, line in enumerate(body):
            if line.table is not None:
                stack[-1].content.append(_Tab(line.no, self._table(line.table)))
                continue
            found = _label_of(line.text)
            if index in bare:
                number, rest = bare[index]
                found = ("n-bare", number, rest)
            if found is None and line.style_level is not None:
                level = min(max(line.style_level, 1), 5)
                styled_counts[level] += 1
                for deeper in range(level + 1, 6):
                    styled_counts[deeper] = 0
                node = _Node(line.no, level, _KIND_OF_LEVEL[level], styled_counts[level], "", self.clean(line.text),
                             styled=True)
            elif found is not None:
                kind, number, rest = found
                label = line.text[: len(line.text) - len(rest)].strip() if line.text.endswith(rest) else ""
                node = _Node(line.no, _LEVELS[kind], kind, number, label, self.clean(_without_labels(rest)))
            else:
                stack[-1].content.append(_Para(line.no, self.clean(line.text)))
                continue
            while stack[-1].level >= node.level:
                stack.pop()
            stack[-1].content.append(node)
            stack.append(node)
        styled = sum(1 for n in root.walk() if n.styled)
        if styled:
            self.note("styled-headings", f"有 {styled} 个 Word 标题样式的段落没有写编号，按标题级别编入大纲")
        self._check_sequence(root)
        return root

    def _check_sequence(self, node: _Node) -> None:
        """Numbers that skip or repeat are worth a notice: the renderer numbers afresh."""
        expected: dict[str, int] = {}
        for child in node.children():
            want = expected.get(child.kind, 1)
            if not child.styled and child.number != want:
                self.note("numbering", f"{self.at(child.no)}的编号“{child.label}”不连续（应为第 {want} 个），"
                                       "生成时会按顺序重新编号", child.no)
            expected[child.kind] = child.number + 1
            self._check_sequence(child)

    def _table(self, raw: dict[str, Any]) -> dict[str, Any]:
        columns = [self.clean(c) or f"第{i + 1}列" for i, c in enumerate(raw["columns"])]
        rows = []
        for row in raw["rows"]:
            cells = [self.clean(c) for c in row][: len(columns)]
            cells += [""] * (len(columns) - len(cells))
            rows.append(cells)
        table: dict[str, Any] = {}
        if raw.get("caption"):
            table["caption"] = self.clean(raw["caption"])
        table |= {"columns": columns, "rows": rows}
        if raw.get("note"):
            table["note"] = self.clean(raw["note"])
        return table

    # ----------------------------------------------------------------- shape fixes

    def _normalize_levels(self, root: _Node) -> bool:
        """Make level 1 the top of the outline; return True when the top is a plain list (no headings).

        A document whose top labels are （一） or 1、 with headings under them is shifted up (the
        renderer's first level is 一、); a flat list of 1. / 1、 items without any heading stays a list.
        """
        nodes = list(root.walk())
        if not nodes or any(n.level == 1 for n in root.children()):
            return False
        top = min(n.level for n in root.children())
        if top >= 3 and not any(n.children() for n in root.children()):
            return True
        # Only the top kind moves up: （一）→ 一、 while the 1. under it stay items (level 3).
        for node in nodes:
            if node.level == top:
                node.level = 1
        first = root.children()[0]
        self.note("levels", f"原文最高一级编号是“{_KIND_NAMES.get(first.kind, first.label)}”，"
                            "按公文层次改为从“一、”开始编号", first.no)
        return False

    def _strays(self, root: _Node) -> None:
        """Labelled lines before the first level-1 heading cannot be placed in the outline: keep them as text."""
        kept: list[_Para | _Tab | _Node] = []
        seen_l1 = False
        for entry in root.content:
            if isinstance(entry, _Node) and entry.level != 1 and not seen_l1:
                for para in self._flatten(entry):
                    kept.append(para)
                self.note("stray-label", f"{self.at(entry.no)}的“{entry.label}”出现在第一个一级标题之前，"
                                         "作为开头段落保留（编号照原文写在文字里）", entry.no)
                continue
            if isinstance(entry, _Node):
                seen_l1 = True
            kept.append(entry)
        root.content = kept

    def _flatten(self, node: _Node) -> list[_Para]:
        """A node as plain paragraphs, its label kept in the text (for places items cannot nest)."""
        out = [_Para(node.no, f"{_canonical_label(node)}{node.text}")]
        for entry in node.content:
            if isinstance(entry, _Node):
                out.extend(self._flatten(entry))
            elif isinstance(entry, _Para):
                out.append(entry)
        return out

    def _take_closing(self, root: _Node, top_list: bool) -> list[_Para]:
        """Closing paragraphs (总之……) sit, in the tree, at the end of the last, deepest node."""
        chain = [root]
        while chain[-1].content and isinstance(chain[-1].content[-1], _Node):
            chain.append(chain[-1].content[-1])  # type: ignore[arg-type]
        leaf = chain[-1]
        trailing: list[_Para] = []
        for entry in reversed(leaf.content):
            if not isinstance(entry, _Para):
                break
            trailing.insert(0, entry)
        if not trailing:
            return []
        is_item = leaf is not root and (leaf.level >= 3 and (chain[-2].level == 1 or (chain[-2] is root and top_list)))
        keep = 0 if is_item else 1
        cut: int | None = None
        for index in range(keep, len(trailing)):
            if _CLOSING.match(trailing[index].text):
                cut = index
                break
        if cut is None and is_item:
            siblings = [c for c in chain[-2].children() if c is not leaf]
            if siblings and not any(s.paras() for s in siblings):
                cut = 0
        if cut is None:
            return []
        closing = trailing[cut:]
        leaf.content = leaf.content[: len(leaf.content) - len(closing)]
        return closing

    # ----------------------------------------------------------------- features and the template

    def _features(self, root: _Node, top_list: bool, full_text: str) -> _Features:
        nodes = list(root.walk())
        level3 = [n for n in nodes if n.level >= 3]
        kinds = Counter(n.kind for n in nodes if n.level == 3 and not n.styled)
        l1 = [n for n in root.children() if n.level == 1]
        inline_problems = any(
            _part_of(n.text) == "problems" and any(_inline_list(p.text) for p in n.paras()) for n in l1
        )
        chars = max(len(full_text), 1)
        return _Features(
            n_l1=len(l1),
            has_l2=any(n.level == 2 for n in nodes),
            has_l3=bool(level3),
            run_in=any(n.level >= 2 and _run_in(n.text) and not n.children() for n in nodes),
            l3_items_under_l1=sum(1 for n in l1 for c in n.children() if c.level >= 3),
            l3_kind=kinds.most_common(1)[0][0] if kinds else None,
            top_list=top_list,
            keywords=bool(self.keywords),
            references=bool(self.references),
            first_person=len(_FIRST_PERSON.findall(full_text)) * 1000 / chars,
            school_words=sum(1 for w in _SCHOOL_WORDS if w in full_text),
            agency_words=sum(1 for w in _AGENCY_WORDS if w in full_text),
            title=self.meta.get("title", ""),
            text=full_text,
            inline_problems=inline_problems,
            organization=" ".join(str(v) for v in (self.signature.get("organization"), self.meta.get("title")) if v),
        )

    def _choose_template(self, features: _Features) -> tuple[str, list[str]]:
        from ..drafting.templating import list_names, template_info

        available = [n for n in list_names() if n in PROFILES]
        if self.forced_template:
            template_info(self.forced_template)  # raises TemplateError when there is no such template
            return self.forced_template, ["命令行用 --template 指定"]
        numbering = {n: template_info(n).numbering for n in available}
        scores = _template_scores(features, numbering)
        ranked = sorted(available, key=lambda n: (-scores[n][0], list(PROFILES).index(n)))
        if not ranked:
            return "school_term", ["没有找到内置模板的说明，使用默认模板"]
        best = ranked[0]
        reasons = scores[best][1] or ["没有明显的特征，使用最通用的模板"]
        return best, reasons

    # ----------------------------------------------------------------- records

    def _item(self, node: _Node, path: tuple[Any, ...], hoisted: list[_Tab]) -> dict[str, Any]:
        self.where[path] = node.no
        details: list[str] = []
        for entry in node.content:
            if isinstance(entry, _Para):
                details.append(entry.text)
            elif isinstance(entry, _Tab):
                hoisted.append(entry)
            else:
                details.extend(p.text for p in self._flatten(entry))
                self.note("flattened", f"{self.at(entry.no)}的“{entry.label}”在条目之下，条目不能再分级，"
                                       "作为说明段落保留（编号写在文字里）", entry.no)
        item: dict[str, Any] = {"text": node.text}
        metrics = [m for text in [node.text, *details] for m in metrics_in(text)]
        if metrics:
            item["metrics"] = metrics
        if details:
            item["details"] = details
        return item

    def _items(self, nodes: list[_Node], path: tuple[Any, ...], hoisted: list[_Tab],
               expected_kind_level: int) -> list[dict[str, Any]]:
        out = []
        for index, node in enumerate(nodes):
            if node.level != expected_kind_level and not node.styled:
                self.note("levels", f"{self.at(node.no)}的“{node.label}”在这里只能作为第 {expected_kind_level} 级条目，"
                                    "生成时编号写法会变", node.no)
            out.append(self._item(node, (*path, "items", index), hoisted))
        return out

    def _tables(self, tabs: Iterable[_Tab]) -> list[dict[str, Any]]:
        return [t.table for t in tabs]

    def _warn_empty(self, node: _Node) -> None:
        if not _has_body(node):
            self.note("empty-heading", f"{self.at(node.no)}的标题“{node.text}”下面没有内容，"
                                       "生成文档时没有内容的标题会被略去，请补上内容或删去它", node.no)

    def _category(self, node: _Node, path: tuple[Any, ...]) -> dict[str, Any]:
        self.where[path] = node.no
        self._warn_empty(node)
        hoisted: list[_Tab] = []
        category: dict[str, Any] = {"heading": node.text}
        paragraphs = [p.text for p in node.own_paras()]
        if paragraphs:
            category["paragraphs"] = paragraphs
        items = self._items(node.children(), path, hoisted, 3)
        if items:
            category["items"] = items
        tables = self._tables([*node.tables(), *hoisted])
        if tables:
            category["tables"] = tables
        return category

    def _section(self, node: _Node, level: int, path: tuple[Any, ...]) -> dict[str, Any]:
        self.where[path] = node.no
        self._warn_empty(node)
        section: dict[str, Any] = {"heading": node.text}
        paragraphs = [p.text for p in node.own_paras()]
        run_in = _run_in(node.text) if not paragraphs else None
        if run_in and not node.styled:
            section["heading"], body = run_in
            section["run_in"] = True
            paragraphs.insert(0, body)
        hoisted: list[_Tab] = []
        kids = node.children()
        items_nodes: list[_Node] = []
        sub_nodes: list[_Node] = []
        if level == 1:
            items_nodes = [k for k in kids if k.level >= 3]
            sub_nodes = [k for k in kids if k.level == 2]
            if sub_nodes and not any(_has_body(k) for k in sub_nodes) and not items_nodes:
                # Bare （一）（二） lines would print as empty headings, which vanish: keep them as items.
                items_nodes, sub_nodes = sub_nodes, []
        elif kids:
            # Subsections only where items cannot do: a child with its own labelled children, or a
            # group of run-in / own-line headings that all have a body (an empty heading would vanish).
            as_sections = any(k.children() for k in kids) or (
                all(_has_body(k) for k in kids)
                and any(_run_in(k.text) or (_heading_like(k.text) and k.paras()) for k in kids))
            if as_sections:
                sub_nodes = kids
            else:
                items_nodes = kids
        inline = None
        if not items_nodes and paragraphs:
            inline = _inline_list(paragraphs[-1])
        if inline is not None:
            lead, texts = inline
            paragraphs = paragraphs[:-1] + ([lead] if lead else [])
            section["inline_items"] = True
            section["items"] = [{"text": t} for t in texts]
            for index, text in enumerate(texts):
                metrics = metrics_in(text)
                if metrics:
                    section["items"][index]["metrics"] = metrics
        if paragraphs:
            section["paragraphs"] = paragraphs
        if items_nodes:
            section["items"] = self._items(items_nodes, path, hoisted, max(level + 1, 3))
        tables = self._tables([*node.tables(), *hoisted])
        if tables:
            section["tables"] = tables
        if sub_nodes:
            subsections = []
            for index, kid in enumerate(sub_nodes):
                if kid.level != level + 1 and not kid.styled:
                    self.note("levels", f"{self.at(kid.no)}的“{kid.label}”在这里是第 {level + 1} 级标题，"
                                        "生成时编号写法会变", kid.no)
                subsections.append(self._section(kid, level + 1, (*path, "subsections", index)))
            section["subsections"] = subsections
        # keys in the order of the records reference
        order = ["heading", "run_in", "paragraphs", "items", "inline_items", "tables", "subsections"]
        return {k: section[k] for k in order if k in section}

    def _part(self, node: _Node, part: str, profile: _Profile, path: tuple[Any, ...]) -> dict[str, Any]:
        self.where[path] = node.no
        self._warn_empty(node)
        hoisted: list[_Tab] = []
        result: dict[str, Any] = {"heading": node.text}
        lead = [p.text for p in node.own_paras()]
        run_in = _run_in(node.text) if not lead else None
        if run_in:  # 三、存在问题。水电浪费…… → heading 存在问题, the rest its lead
            result["heading"] = run_in[0].rstrip("。：")
            lead = [run_in[1]]
        items: list[dict[str, Any]] = []
        if node.children():
            items = self._items(node.children(), path, hoisted, 3)
        elif part in profile.inline_parts and lead and (inline := _inline_list(lead[-1])) is not None:
            lead_text, texts = inline
            lead = lead[:-1] + ([lead_text] if lead_text else [])
            items = [{"text": t} for t in texts]
        if lead:
            result["lead"] = lead
        if items:
            result["items"] = items
        if hoisted or node.tables():
            # A part has no tables: keep them, at the report level.
            self.hoisted_tables.extend(self._tables([*node.tables(), *hoisted]))
            self.note("table-moved", f"{self.at(node.no)}一节中的表格放到了记录的 tables 里（“{part}”部分不能带表格）", node.no)
        return result

    def _part_fits(self, node: _Node) -> bool:
        return not any(k.level == 2 and _has_body(k) for k in node.children())

    def run(self) -> ImportResult:
        body = self._tail(self._header(self._official_head(self.lines)))
        root = self._tree(body)
        top_list = self._normalize_levels(root)
        if not top_list:
            self._strays(root)
        closing = self._take_closing(root, top_list)
        full_text = "\n".join(line.text for line in self.lines)
        features = self._features(root, top_list, full_text)
        template, reasons = self._choose_template(features)
        profile = PROFILES.get(template, GENERIC_PROFILE)
        self._scheme_notice(template, features)

        records: dict[str, Any] = {}
        meta: dict[str, Any] = {"template": template}
        if "title" in self.meta:
            meta["title"] = self.meta["title"]
            kind = re.search(r"(工作总结|调研报告|调查报告|述职报告|心得体会|学习体会|工作报告|总结|体会|综述|报告)$",
                             self.meta["title"])
            if kind:
                meta["kind"] = kind.group(1)
            period = re.search(r"\d{4}(?:[—\-–]\d{4})?(?:年度?|学年(?:度)?(?:第[一二]学期)?|学年|年上半年|年下半年)",
                               self.meta["title"])
            if period:
                meta["period"] = period.group(0)
        for key in ("subtitle", "audience", "date"):
            if key in self.meta:
                meta[key] = self.meta[key]
        records["meta"] = meta
        if self.official:
            records["official"] = {k: self.official[k] for k in _OFFICIAL_ORDER if k in self.official}
        if self.keywords:
            records["keywords"] = self.keywords

        # Whatever the root holds directly comes before the first heading: the opening.
        intro = root.paras()
        intro_tables = root.tables()
        for tab in intro_tables:
            self.note("table-moved", f"{self.at(tab.no)}的表格在第一个标题之前，放到了记录的 tables 里"
                                     "（生成时排在各章节之后）", tab.no)
        level1 = [n for n in root.children() if n.level == 1]

        parts: dict[str, dict[str, Any]] = {}
        if top_list:
            nodes = root.children()
            lead: list[str] = []
            if intro and _LIST_LEAD.search(intro[-1].text):
                lead = [intro[-1].text]
                intro = intro[:-1]
            clue = " ".join([*lead, *(p.text for p in intro[-1:])])
            part = _part_of(clue) or "plans"
            if _part_of(clue) is None:
                self.note("guess", f"{self.at(nodes[0].no)}起的编号条目前没有标题，放在了 {part}（下一步打算）里，请核对")
            hoisted: list[_Tab] = []
            value: dict[str, Any] = {}
            if lead:
                value["lead"] = lead
            value["items"] = self._items(nodes, (part,), hoisted, 3)
            self.where[(part,)] = nodes[0].no
            self.hoisted_tables.extend(self._tables(hoisted))
            parts[part] = value
            level1 = []

        # experiences / problems / plans: the trailing level-1 sections whose headings say so.
        tail: list[tuple[_Node, str]] = []
        if profile.part_headings:
            rank = 99
            for node in reversed(level1):
                part_name = _part_of(node.text)
                if part_name is None or _PART_ORDER[part_name] >= rank or not self._part_fits(node):
                    break
                rank = _PART_ORDER[part_name]
                tail.insert(0, (node, part_name))
        ordinary = level1[: len(level1) - len(tail)]

        if intro:
            texts = [p.text for p in intro]
            if profile.intro_phrase and ordinary:
                texts = self._strip_boilerplate(texts, intro[-1].no)
            if texts:
                records["intro"] = texts
        slot = profile.slot
        if slot == "achievements" and any(
                any(k.level == 2 and _has_body(k) for k in n.children()) or (_run_in(n.text) and not n.own_paras())
                for n in ordinary):
            slot = "sections"
        if ordinary:
            if slot == "achievements":
                records["achievements"] = [self._category(n, ("achievements", i)) for i, n in enumerate(ordinary)]
            else:
                records["sections"] = [self._section(n, 1, ("sections", i)) for i, n in enumerate(ordinary)]
        for node, part_name in tail:
            parts[part_name] = self._part(node, part_name, profile, (part_name,))
        for part_name in ("experiences", "problems", "plans"):
            if part_name in parts:
                records[part_name] = parts[part_name]
        tables = self._tables(intro_tables) + self.hoisted_tables
        if tables:
            records["tables"] = tables
        if closing:
            records["closing"] = [p.text for p in closing]
            self.where[("closing",)] = closing[0].no
        if self.signature:
            records["signature"] = self.signature
        if self.attachments:
            records["attachments"] = self.attachments
        if self.references:
            records["references"] = self.references
        if self.clean.changed:
            self.note("punctuation", f"把 {self.clean.changed} 处半角标点改成了全角")
        if not (records.get("intro") or ordinary or parts or closing):
            self.note("empty", "没有读到正文")
        self.unplaced.sort(key=lambda item: item[0])
        return ImportResult(records=records, template=template, unplaced=self.unplaced, notices=self.notices,
                            reasons=reasons, source=self.name, unit=self.unit, where=self.where,
                            removed=self.removed, furniture=self.furniture)

    def _scheme_notice(self, template: str, features: _Features) -> None:
        """Say so when the template prints the third level differently from the source (1. / 1、)."""
        from ..drafting.templating import template_info

        if features.l3_kind not in {"n-dot", "n-dun"}:
            return
        try:
            scheme = template_info(template).numbering
        except SummaryKitError:
            return
        printed = "1、" if scheme == "school" else "1."
        written = _KIND_NAMES[features.l3_kind]
        if printed != written:
            self.note("scheme", f"原文第三级编号写作“{written}”，模板 {template} 印成“{printed}”")

    def _strip_boilerplate(self, texts: list[str], no: int) -> list[str]:
        """“现将……总结如下：” ends the opening in the source; the template writes its own, so drop ours."""
        last = texts[-1]
        match = _BOILERPLATE.search(last)
        if not match or not _BOILERPLATE_WORDS.search(match.group(1)):
            return texts
        sentence = match.group(1)
        # Only the stock clause (现将……总结如下：) is the template's to write; the clauses before it in
        # the same sentence are the author's facts (在……领导下，圆满完成了全年任务，) and stay, ended with 。.
        clause = _TRANSITION_CLAUSE.search(sentence)
        if clause is None:
            return texts
        sentence = clause.group(1)
        kept = last[: match.start(1) + clause.start(1)].rstrip()
        if kept.endswith(("，", ",")):
            kept = kept[:-1] + "。"
        self.removed.append((no, sentence))
        self.note("boilerplate", f"开头末句“{sentence}”由模板的常用语生成，已从 intro 中去掉", no)
        return [*texts[:-1], kept] if kept else texts[:-1]


# --------------------------------------------------------------------------- public entry points


def import_text(text: str, name: str = "", *, template: str | None = None) -> ImportResult:
    """Plain text (pasted from a web page, a TXT file) → records.  Line numbers count text lines."""
    return _Importer(_text_lines(text), name or "<输入>", "行", template).run()


def import_file(path: str | os.PathLike[str], *, template: str | None = None) -> ImportResult:
    """A .docx or a text file (UTF-8, UTF-8 with BOM or GB18030) → records."""
    source = Path(path)
    if source.suffix.lower() == ".docx":
        return import_docx(source, template=template)
    from ..records.decoding import decode

    try:
        data = source.read_bytes()
    except OSError as exc:
        raise SourceError(f"无法读取“{source}”：{exc.strerror}") from None
    from ..records.decoding import sheet_kind

    if sheet_kind(data, str(source)):  # a workbook or CSV (an .xls, .et, .numbers... is explained there)
        raise SourceError(f"“{source}”是表格，不用导入：表格可以直接作为记录，运行 summarykit validate {source} "
                          f"检查，summarykit render（或 batch）{source} 生成；表格的写法见 docs/sheets.md")
    if data[:2] == b"PK":
        raise SourceError(f"“{source}”看起来是 Word 文档或压缩包，请把扩展名改为 .docx 再导入")
    decoded = decode(data, str(source))
    result = import_text(decoded.text, str(source), template=template)
    result.notices[:0] = list(decoded.notices)
    return result


def import_docx(path: str | os.PathLike[str], *, template: str | None = None) -> ImportResult:
    """A DOCX → records.  “Line” numbers count the document's paragraphs and tables, from 1."""
    try:
        lines = _docx_lines(path)
    except DocxTooLarge as exc:
        raise SourceError(f"“{path}”：{exc}") from None
    except UnreadableDocx as exc:
        if exc.os_error is not None:
            raise SourceError(f"无法读取“{path}”：{exc.os_error.strerror}") from None
        raise SourceError(f"“{path}”不是可以读取的 Word 文档（.docx）：{exc.reason}") from None
    return _Importer(lines, str(path), "段", template, rejoin=False).run()


# --------------------------------------------------------------------------- DOCX reading

def _docx_lines(path: str | os.PathLike[str]) -> list[_Line]:
    """Body paragraphs and tables in order (zh.docxtext); soft line breaks split a paragraph into lines."""
    lines: list[_Line] = []
    for block in read_docx(path):
        if block.table is not None:
            rows = [r for r in block.table if any(c.strip() for c in r)]
            if rows:
                lines.append(_Line(block.number, "", table={"columns": rows[0], "rows": rows[1:]}))
            continue
        for index, part in enumerate(block.text.split("\n")):
            cleaned, _ = remove_bad_chars(part)
            cleaned = _outer_strip(_INVISIBLE.sub("", cleaned))
            if index == 0 and block.label and cleaned and parse_label(cleaned) is None:
                cleaned = block.label + cleaned
            lines.append(_Line(block.number, cleaned, block.heading_level if index == 0 else None,
                               block.title and index == 0, space_after=part.endswith((" ", "\u3000"))))
        if not block.text:
            lines.append(_Line(block.number, ""))
    return _attach_captions(lines)


def _is_record_table(table: dict[str, Any]) -> bool:
    """A one-column table whose rows are 抄送 / 印发 lines: the 版记 of a 公文."""
    from .officialparts import read_record

    rows = [row[0] for row in [table["columns"], *table["rows"]] if len(row) == 1]
    return len(rows) == 1 + len(table["rows"]) and read_record(rows)[1] == len(rows)


def _attach_captions(lines: list[_Line]) -> list[_Line]:
    """A short line just above a table is its caption, a “注：” line just below it its note (not above a 版记,
    whose one-column table follows the 附注)."""
    out: list[_Line] = []
    for line in lines:
        previous = next((p for p in reversed(out) if p.text or p.table is not None), None)
        if line.table is not None and previous is not None and previous.table is None and previous.text \
                and not _is_record_table(line.table) \
                and len(previous.text) <= 30 and not previous.text.endswith(tuple(_TERMINAL)) \
                and _label_of(previous.text) is None and previous.style_level is None:
            line.table.setdefault("caption", previous.text)
            out = [p for p in out if p is not previous]
        elif previous is not None and previous.table is not None and re.match(r"^(注|说明|数据来源)\s*[:：]", line.text):
            previous.table["note"] = line.text
            continue
        out.append(line)
    return out


# --------------------------------------------------------------------------- YAML output

_YAML_ORDER = ["meta", "official", "keywords", "intro", "achievements", "sections", "experiences", "problems", "plans",
               "tables", "closing", "signature", "attachments", "references"]
_PLAIN_SAFE = re.compile(r"^[^\s\-?:,\[\]{}#&*!|>'\"%@`~]")
_FLOW_KEYS = {"columns", "keywords"}


def _scalar(value: Any, flow: bool = False) -> str:
    """One YAML scalar, plain when that reads back the same, double-quoted otherwise."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    import yaml

    plain_ok = (bool(_PLAIN_SAFE.match(text)) and ": " not in text and " #" not in text and not text.endswith(":")
                and text.strip() == text and "\n" not in text and not (flow and any(c in text for c in ",[]{}")))
    if plain_ok:
        try:
            if yaml.safe_load(text) == text:
                return text
        except yaml.YAMLError:
            pass
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _flow(values: Sequence[Any]) -> str:
    return "[" + ", ".join(_scalar(v, flow=True) for v in values) + "]"


class _YamlWriter:
    """A small block-style YAML emitter that puts the source line beside every heading."""

    def __init__(self, result: ImportResult) -> None:
        self.where = result.where
        self.unit = result.unit
        self.out: list[str] = []

    def _comment(self, path: tuple[Any, ...]) -> str:
        no = self.where.get(path)
        return f"  # 原文第 {no} {self.unit}" if no is not None else ""

    def mapping(self, value: dict[str, Any], indent: int, path: tuple[Any, ...], first: str | None = None) -> None:
        for index, (key, item) in enumerate(value.items()):
            prefix = first if index == 0 and first is not None else " " * indent
            if key == "heading":
                comment = self._comment(path)
            elif isinstance(item, dict) and "heading" in item:
                comment = ""
            else:
                comment = self._comment((*path, key))
            if isinstance(item, list) and item and key in _FLOW_KEYS and all(not isinstance(v, dict | list) for v in item):
                self.out.append(f"{prefix}{key}: {_flow(item)}{comment}")
            elif isinstance(item, dict) and item:
                self.out.append(f"{prefix}{key}:{comment}")
                self.mapping(item, indent + 2, (*path, key))
            elif isinstance(item, list) and item:
                self.out.append(f"{prefix}{key}:{comment}")
                self.sequence(item, indent + 2, (*path, key))
            elif isinstance(item, list | dict):
                self.out.append(f"{prefix}{key}: {'[]' if isinstance(item, list) else '{}'}")
            else:
                self.out.append(f"{prefix}{key}: {_scalar(item)}{comment}")

    def sequence(self, value: list[Any], indent: int, path: tuple[Any, ...]) -> None:
        pad = " " * indent
        for index, item in enumerate(value):
            if isinstance(item, dict) and set(item) == {"text"}:
                self.out.append(f"{pad}- {_scalar(item['text'])}")
            elif isinstance(item, dict) and item and set(item) <= {"name", "value", "unit"}:
                inner = ", ".join(f"{k}: {_scalar(v, flow=True)}" for k, v in item.items())
                self.out.append(f"{pad}- {{{inner}}}")
            elif isinstance(item, dict) and item:
                self.mapping(item, indent + 2, (*path, index), first=f"{pad}- ")
            elif isinstance(item, list):
                self.out.append(f"{pad}- {_flow(item)}")
            else:
                self.out.append(f"{pad}- {_scalar(item)}")


def to_yaml(result: ImportResult) -> str:
    """The records as a readable, commented YAML file that `summarykit.loads` reads back unchanged.

    The header says where the records came from, which template was chosen and why; each heading
    carries the source line it came from; what could not be placed is listed as TODO comments at
    the end (never dropped), so the user can move it by hand.
    """
    source = Path(result.source).name if result.source and not result.source.startswith("<") else "粘贴的文字"
    head = [
        f"# 由 summarykit import 从“{source}”导入。",
        "# 请核对后再生成：summarykit validate 本文件；summarykit render 本文件 -o 总结.docx",
        f"# 模板：{result.template}（{'；'.join(result.reasons)}）。",
        "#   换模板可改 meta.template；可用的模板见 summarykit templates。",
        "# 标题和条目里不写编号，编号由模板按层级加上；标题后的注释是它在原文中的位置。",
    ]
    for no, sentence in result.removed:
        head.append(f"# 原文第 {no} {result.unit}末尾的“{sentence}”由模板的常用语生成，没有写进记录。")
    if result.unplaced:
        head.append(f"# 有 {len(result.unplaced)} 处原文没能归类，列在文件末尾的 TODO 里，请手工处理。")
    writer = _YamlWriter(result)
    blocks: list[str] = []
    for key in _YAML_ORDER:
        if key in result.records:
            writer.out = []
            writer.mapping({key: result.records[key]}, 0, ())
            blocks.append("\n".join(writer.out))
    text = "\n".join(head) + "\n\n" + "\n\n".join(blocks) + "\n"
    if result.unplaced:
        todo = ["", "# TODO 以下原文没能放进记录，请决定放在哪里（放好后删去这几行注释）："]
        todo += [f"# TODO 第 {no} {result.unit}" + (f"（{result.furniture[no]}）" if no in result.furniture else "")
                 + f"：{line}" for no, line in result.unplaced]
        text += "\n".join(todo) + "\n"
    return text
