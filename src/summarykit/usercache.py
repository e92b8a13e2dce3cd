"""The user's cache folder, and jieba started once with its dictionary cache kept there.

jieba builds its dictionary (1–2 s) on first use and caches the result as a
pickle; left to itself it writes that file to the shared temporary folder.
Keywords, checks and title line breaks all segment with jieba, so they start
it here, the same way: quiet, with the cache in a per-user folder that
survives reboots and that other users cannot write.
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
    """The jieba module, its default dictionary loaded (imported on first call, never at import time)."""
    with _JIEBA_LOCK:
        import jieba

        if not jieba.dt.initialized:
            jieba.setLogLevel(logging.WARNING)
            folder = cache_folder()
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as exc:  # a read-only home: jieba falls back to the temporary folder
                log.debug("无法创建缓存文件夹 %s：%s", folder, exc)
            else:
                jieba.dt.tmp_dir = str(folder)
                jieba.dt.cache_file = f"jieba-{jieba.__version__}.cache"
            jieba.dt.initialize()
        return jieba
