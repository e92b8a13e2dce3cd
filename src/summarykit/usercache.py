"""The user's cache folder, and jieba started once with its dictionary tables kept there.

jieba builds its dictionary (1–2 s, and another second for the POS tags) on first
use; left to itself it caches the word table in the shared temporary folder, and
reading that back still takes a second.  Keywords, checks and title line breaks
all segment with jieba, so they start it here, the same way: quiet, with jieba's
tables split by first character in a per-user folder that survives reboots and
that other users cannot write, and read piecewise (zh/jiebatables.py).  Where
that folder cannot be written, jieba starts the ordinary way.
"""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)
_JIEBA_LOCK = threading.Lock()


def cache_folder() -> Path:
    """%LOCALAPPDATA%\\summarykit\\cache on Windows, else $XDG_CACHE_HOME/summarykit or ~/.cache/summarykit."""
    if os.name == "nt" and os.environ.get("LOCALAPPDATA"):
        return Path(os.environ["LOCALAPPDATA"]) / "summarykit" / "cache"
    base = os.environ.get("XDG_CACHE_HOME")
    return (Path(base) if base else Path.home() / ".cache") / "summarykit"


def installed_version(module: str) -> str:
    """A package's version without importing it or reading package metadata (a scan of sys.path).

    Read from the ``__version__`` line of its ``__init__.py`` (jieba, python-docx), which is what
    ``module.__version__`` is; "?" when there is none.
    """
    import importlib.util
    import re

    try:
        spec = importlib.util.find_spec(module)
        origin = spec.origin if spec is not None else None
        text = Path(origin).read_text(encoding="utf-8", errors="replace") if origin else ""
    except (ImportError, OSError, ValueError):  # pragma: no cover - installed some unusual way
        return "?"
    match = re.search(r"""^__version__\s*=\s*['"]([^'"]+)['"]""", text, re.M)
    return match.group(1) if match else "?"


def read_cached(name: str) -> bytes | None:
    """A file of the cache folder, or None when it is missing or unreadable (a cache only saves time)."""
    try:
        return (cache_folder() / name).read_bytes()
    except OSError:
        return None


def write_cached(name: str, data: bytes) -> None:
    """Write a cache file atomically (temporary file, then rename: readers see all of it or nothing).

    Failing to write (a read-only home, a full disk) only costs time next run, so it is logged, not raised.
    """
    write_cache_file(cache_folder() / name, data)


def write_cache_file(path: Path, data: bytes) -> None:
    """``write_cached`` for a file anywhere in the cache folder (e.g. beside compiled templates)."""
    import tempfile

    folder = path.parent
    tmp = ""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.")
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except OSError as exc:
        log.debug("缓存文件 %s 没有写入：%s", path.name, exc)
        if tmp:
            Path(tmp).unlink(missing_ok=True)


_TERMS_ADDED = False


def start_jieba_with_terms() -> Any:
    """jieba with summarykit's dictionary of logistics terms (后勤服务, 工作总结…) added once per process.

    The title breaker and the text checker both need 后勤服务 to stay one word.
    """
    global _TERMS_ADDED
    jieba = start_jieba()
    with _JIEBA_LOCK:
        if not _TERMS_ADDED:
            from importlib import resources

            text = resources.files("summarykit").joinpath("data", "logistics_dict.txt").read_text(encoding="utf-8")
            for line in text.splitlines():
                parts = line.split()
                if not parts or parts[0].startswith("#"):
                    continue
                freq = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None
                jieba.add_word(parts[0], freq, parts[2] if len(parts) > 2 else None)
            _TERMS_ADDED = True
    return jieba


def start_jieba() -> Any:
    """The jieba module, its default dictionary ready (imported on first call, never at import time)."""
    with _JIEBA_LOCK:
        from .zh.jiebatables import import_jieba

        jieba = import_jieba()
        if not jieba.dt.initialized:
            jieba.setLogLevel(logging.WARNING)
            found = jieba_tables()
            if found is not None:
                from .zh import jiebatables

                jiebatables.use(jieba.dt, found)
            else:  # jieba's own start, its cache where it can write
                folder = cache_folder()
                if folder.is_dir():
                    jieba.dt.tmp_dir = str(folder)
                    jieba.dt.cache_file = f"jieba-{jieba.__version__}.cache"
                jieba.dt.initialize()
        return jieba


def start_tagger() -> Any:
    """jieba's POS tagger (``jieba.posseg.dt``) over the started jieba, its tag table read piecewise."""
    jieba = start_jieba()
    found = jieba_tables()
    with _JIEBA_LOCK:
        if found is None:
            import jieba.posseg

            return jieba.posseg.dt
        from .zh import jiebatables

        return jiebatables.tagger(jieba, found)


def private_tagger() -> Any:
    """A POS tagger over a Tokenizer of its own (words added to jieba.dt do not reach it), tables piecewise."""
    jieba = start_jieba()
    found = jieba_tables()
    with _JIEBA_LOCK:
        if found is None:
            import jieba.posseg

            return jieba.posseg.POSTokenizer(jieba.Tokenizer())
        from .zh import jiebatables

        tokenizer = jieba.Tokenizer()
        jiebatables.use(tokenizer, found)
        return jiebatables.tagger(jieba, found, tokenizer)


def jieba_idf() -> tuple[Any, float]:
    """jieba.analyse's IDF table and its median (piecewise when the tables could be cached)."""
    found = jieba_tables()
    if found is not None:
        return found.idf()
    start_jieba()
    import jieba.analyse

    tfidf = jieba.analyse.default_tfidf
    return tfidf.idf_freq, tfidf.median_idf


_TABLES: list[Any] = []  # [Tables] once opened, [None] when the cache folder cannot hold them


def jieba_tables() -> Any:
    """jieba's tables in the user cache folder (built there on first use), or None when it cannot be written."""
    if not _TABLES:
        from .zh import jiebatables

        jieba = jiebatables.import_jieba()
        folder = cache_folder()
        try:
            folder.mkdir(parents=True, exist_ok=True)
            _TABLES.append(jiebatables.open_tables(jieba, folder))
        except OSError as exc:  # a read-only home: jieba's ordinary start (its cache in the temporary folder)
            log.debug("无法在缓存文件夹 %s 里保存 jieba 的词典表：%s", folder, exc)
            _TABLES.append(None)
    return _TABLES[0]
