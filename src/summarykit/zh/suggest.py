"""Did-you-mean: the one place that decides which known word a mistyped one was meant to be.

Office staff mistype keys, template names, phrase categories and file names; every
message that offers a correction asks this module, so "close enough" means the same
everywhere.  Matching ignores case and full-width/half-width differences (NFKC), which
is what a Chinese input method most often gets wrong; the wording of each suggestion
stays with the message that makes it.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

#: How alike two words must be (difflib's ratio) to be offered as a correction.
CUTOFF = 0.6


def normalize(word: str) -> str:
    """The form words are compared in: NFKC (full-width letters → ASCII), stripped, lower case."""
    return unicodedata.normalize("NFKC", word).strip().lower()


def closest(word: str, choices: Iterable[str], *, n: int = 1, cutoff: float = CUTOFF) -> list[str]:
    """The ``n`` known words closest to ``word``, best first (an exact match after normalizing first of all)."""
    import difflib  # loaded by the first did-you-mean, not by every start

    options = list(dict.fromkeys(choices))
    if not options:
        return []
    wanted = normalize(word)
    by_normal: dict[str, str] = {}
    for option in options:
        by_normal.setdefault(normalize(option), option)
    if wanted in by_normal:
        exact = by_normal[wanted]
        rest = [o for o in difflib.get_close_matches(wanted, list(by_normal), n=n, cutoff=cutoff) if o != wanted]
        return [exact, *(by_normal[o] for o in rest)][:n]
    return [by_normal[o] for o in difflib.get_close_matches(wanted, list(by_normal), n=n, cutoff=cutoff)]


def did_you_mean(word: str, choices: Iterable[str], *, cutoff: float = CUTOFF) -> str | None:
    """The one known word ``word`` was most likely meant to be, or None."""
    found = closest(word, choices, n=1, cutoff=cutoff)
    return found[0] if found else None
