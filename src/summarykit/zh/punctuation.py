"""Punctuation rules of Chinese official writing that concern a whole piece of text.

A heading that stands on its own line takes no end punctuation (GB/T 9704
practice: “（一）加强制度建设”, not “（一）加强制度建设。”); a run-in heading —
the heading sentence that starts a paragraph, “1.机构设置情况。省局……” — keeps
its full stop, since the paragraph runs on after it.  Question and exclamation
marks are part of the wording and stay.
"""

from __future__ import annotations

# What a standalone heading may not end with: full stops, commas, semicolons, enumeration commas, colons.
HEADING_END_PUNCTUATION = "。．.，,；;、：:"


def standalone_heading(text: str) -> str:
    """``text`` as a heading on its own line: without end punctuation (nothing is left empty)."""
    stripped = text.rstrip().rstrip(HEADING_END_PUNCTUATION).rstrip()
    return stripped or text
