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
