"""Inputs of a chosen size, for the scaling benchmark and the doubling tests (tests/test_scaling.py).

Each shape is one way a large input once took quadratic time:

- ``wrapped``: a records file whose item texts each wrap over two lines (a plain
  YAML scalar continued on the next line);
- ``slips``: a records file where every item has a “key: value” slip (``- 时间: 九月``),
  so that validation reports one located problem per item;
- ``bank``: a user phrase-bank file with that many phrases in one new category.

All are deterministic (a fixed seed), so two runs time the same text.
"""

from __future__ import annotations

import random

_HEAD = [
    "meta:", "  template: school_term", "  organization: 某某中学", "  period: 2025年", "  subject: 后勤",
    "  kind: 工作总结", "intro:", "  - 本学期后勤工作有序推进。", "achievements:", "  - heading: 日常工作", "    items:",
]
_CHARS = ("的一是在了有和人这中大为上个国以要时来用们生到作地于出就分对成会可主发年动同工能下过子说产种面而方后多定"
          "行学法所民得经三之进着等部度家电力里如水化高自理起小物现实加量都两体制机当使点从业本去把性好应开它合还"
          "因由其些然前外天政日那社义事平形相全表间样与关各重新线内数正心反明看原又么利比或但质气第向道命此变条")


def wrapped(n: int) -> str:
    """A records file with ``n`` items, each wrapping over two lines."""
    lines = list(_HEAD)
    for i in range(n):
        lines.append(f"      - 第{i}项：完成了教学楼的校舍维修和多媒体设备更新，")
        lines.append(f"        并于月底前按期验收合格，共计{i}间。")
    return "\n".join(lines) + "\n"


def slips(n: int) -> str:
    """A records file with ``n`` items, each read by YAML as a “key: value” pair (one problem each)."""
    lines = list(_HEAD)
    lines.extend(f"      - 时间{i}: 完成了校舍维修" for i in range(n))
    return "\n".join(lines) + "\n"


def bank(n: int, seed: int = 1) -> str:
    """A phrase-bank file with ``n`` distinct sentences in a new category ``custom``."""
    rng = random.Random(seed)
    lines = ["category: custom", "description: 自定义的句子", "form: sentence", "phrases:"]
    for i in range(n):
        text = "".join(rng.choice(_CHARS) for _ in range(rng.randint(14, 30)))
        lines.append(f"  - id: custom.p-{i}")
        lines.append(f"    text: {text}{i}。")
    return "\n".join(lines) + "\n"
