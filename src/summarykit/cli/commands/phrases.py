"""`summarykit phrases`: browse the stock phrase bank, or mine a text for candidate phrases.

Browsing lets a person see what a template can say before writing records, and
check a user bank file (``--phrases FILE``) the same way the renderer reads it.
Mining (``--mine TEXT_FILE``) lists frequent openers, connectives and fixed
word sequences of a real summary, for a person to review and copy into a bank:
nothing is added automatically, because a bank must not carry facts.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ...drafting.phrases import Phrase, PhraseBank

# summarykit.drafting.phrases loads the YAML and pydantic stack: imported only when the command runs (or its help is
# printed), so that building the CLI parser for any other command stays cheap.


class _TagNames:
    """The tag names for the --tag help, looked up only when argparse formats the help text."""

    def __str__(self) -> str:
        from ...drafting.phrases import TAG_NAMES

        return "、".join(TAG_NAMES)


def register(subparsers: Any) -> None:
    """Add the ``phrases`` sub-command to the main parser."""
    parser = subparsers.add_parser(
        "phrases",
        help="浏览常用语库，或从范文中挖掘候选常用语",
        description="浏览常用语库：不带参数列出全部类别，带类别名列出该类的短语。"
                    "用 --mine 从一篇文字中找出常见开头、关联词和固定搭配，供人工挑选后加入词库。",
    )
    parser.add_argument("category", nargs="?", metavar="CATEGORY", help="类别名，如 opening、pledge")
    parser.add_argument("--json", action="store_true", help="以 JSON 输出（列表，每项含 id、category、text、slots、tags）")
    parser.add_argument("--phrases", action="append", default=[], metavar="FILE",
                        help="追加的常用语库文件（可重复），按顺序叠加在内置词库之上")
    tag = parser.add_argument("--tag", action="append", default=[], metavar="TAG",
                              help="只列出带这个标签的短语（可重复）：%(tag_names)s")
    tag.tag_names = _TagNames()  # type: ignore[attr-defined]  # argparse fills %(name)s from the action's attributes
    parser.add_argument("--mine", metavar="TEXT_FILE", help="从这篇文字中挖掘候选常用语（UTF-8 或 GBK 文本）")
    parser.add_argument("--min-count", type=int, default=2, metavar="N", help="挖掘时至少出现的次数（默认 2）")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Print the bank (or mined candidates) to stdout; bad bank files raise PhraseBankError for the caller."""
    from ...drafting.phrases import TAG_NAMES, load_bank

    bank = load_bank(tuple(args.phrases))
    if args.mine:
        if args.category:
            print("--mine 与类别名不能同时使用", file=sys.stderr)
            return 2
        return _mine(args, bank)
    if args.category:
        bank.category_info(args.category)  # unknown category: PhraseBankError with a suggestion
        phrases = bank.in_category(args.category)
    else:
        phrases = list(bank.phrases)
    if args.tag:
        unknown = [t for t in args.tag if t not in TAG_NAMES]
        if unknown:
            print(f"不认识的标签：{'、'.join(unknown)}（可用：{'、'.join(TAG_NAMES)}）", file=sys.stderr)
            return 2
        phrases = [p for p in phrases if set(args.tag) <= set(p.tags)]
    if args.json:
        print(json.dumps([_as_json(p) for p in phrases], ensure_ascii=False, indent=2))
    elif args.category or args.tag:
        _print_phrases(bank, phrases)
    else:
        _print_categories(bank)
    return 0


def _as_json(phrase: Phrase) -> dict[str, Any]:
    return {"id": phrase.id, "category": phrase.category, "text": phrase.text,
            "slots": list(phrase.slots), "tags": list(phrase.tags)}


def _print_categories(bank: PhraseBank) -> None:
    width = max(len(c) for c in bank.categories())
    for category in bank.categories():
        info = bank.category_info(category)
        count = len(bank.in_category(category))
        print(f"{category:<{width}}  {info.description}（{count} 条）")
    print(f"\n共 {len(bank.categories())} 类、{len(bank.phrases)} 条。"
          "用 `summarykit phrases 类别名` 查看一类短语，`--json` 输出全部。")


def _print_phrases(bank: PhraseBank, phrases: list[Phrase]) -> None:
    from ...drafting.phrases import FORMS, SAMPLE_SLOTS, TAG_NAMES

    shown = ""
    for phrase in phrases:
        if phrase.category != shown:
            shown = phrase.category
            info = bank.category_info(shown)
            print(f"{shown}：{info.description}")
            print(f"  形式：{FORMS.get(info.form, info.form)}\n")
        tags = f"〔{'、'.join(TAG_NAMES.get(t, t) for t in phrase.tags)}〕" if phrase.tags else ""
        print(f"{phrase.id} {tags}".rstrip())
        print(f"  {phrase.text}")
        if phrase.slots:
            print(f"  示例：{phrase.fill(SAMPLE_SLOTS)}")
        if phrase.series:
            print(f"  示例：{'……'.join(phrase.markers(min(3, phrase.capacity)))}……")
        print(f"  来源：{phrase.source}")
    if not phrases:
        print("没有符合条件的短语。")


def _mine(args: argparse.Namespace, bank: PhraseBank) -> int:
    from ...drafting.phrases import KIND_NAMES, mine_phrases
    from ...records.decoding import read_source

    source = read_source(args.mine)
    found = mine_phrases(source.text, bank, min_count=max(1, args.min_count))
    if args.json:
        print(json.dumps([{"kind": m.kind, "text": m.text, "count": m.count, "in_bank": m.in_bank,
                           "example": m.example} for m in found], ensure_ascii=False, indent=2))
        return 0
    kind = ""
    for item in found:
        if item.kind != kind:
            kind = item.kind
            print(f"\n{KIND_NAMES.get(kind, kind)}（次数  候选  例句）")
        mark = "（词库已有）" if item.in_bank else ""
        print(f"  {item.count:>3}  {item.text}{mark}    例：{item.example}")
    if not found:
        print(f"没有找到出现 {args.min_count} 次以上的候选。")
    else:
        print("\n以上只是候选：请挑选合适的，按 docs/phrases.md 的格式写入自己的词库文件。")
    return 0
