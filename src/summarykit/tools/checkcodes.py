"""The codes `summarykit check` reports, and its default sentence limit.

Kept apart from textcheck.py so that the command line can build its help text
without importing the checker (and through it jieba's wrappers, the zh tables
and the records model): every other command starts faster for it.
"""

from __future__ import annotations

CODES: dict[str, str] = {
    "punctuation": "标点",
    "repetition": "重复",
    "number-range": "数值范围",
    "long-sentence": "长句",
    "numerals": "数字用法",
    "date": "日期",
    "wording": "用词",
    "empty-section": "缺少内容",
    "metric": "数字与指标不符",
}

DEFAULT_MAX_SENTENCE = 120
