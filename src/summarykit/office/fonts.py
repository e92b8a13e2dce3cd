"""Fonts for PDFs and previews made where the document's fonts are not installed.

A DOCX names 宋体, 黑体, 楷体 and 仿宋 (or 方正小标宋, 仿宋_GB2312…); on Linux none
of them is there, and LibreOffice then prints all four in one fallback face:
the hierarchy the fonts carry — title, 一级 in 黑体, 二级 in 楷体, body in
仿宋 — disappears from the page without a word.  So before LibreOffice
converts a document, every font it names that fontconfig cannot find is
replaced, by role, with a free font from a Debian package that looks the part
(the ``preview`` profile, below), and a warning names each substitution.

The preview profile, and why:

* 小标宋 (title): AR PL SungtiL GB — 文鼎 报宋, a heavy Song face like 小标宋 (fonts-arphic-gbsn00lp);
* 黑体 (level 1, captions, labels): Noto Sans CJK SC (fonts-noto-cjk), the best-covered free 黑体;
* 楷体 (level 2, subtitle): AR PL UKai CN (fonts-arphic-ukai), a 楷体 with full CJK coverage;
* 仿宋 (body, levels 3–5, tables): FandolFang (texlive-lang-chinese's Fandol fonts) — the only free
  仿宋 in Debian;
* Times New Roman (digits, Latin): Liberation Serif (fonts-liberation2), metrically the same;
* 宋体 (page numbers): Noto Serif CJK SC (fonts-noto-cjk), whose em dash is a full em (“— 1 —”).

TeX Live installs the Fandol fonts outside fontconfig's folders, so when they
are found there the conversion runs with a fontconfig file that adds their
folder (``fontconfig_env``); nothing is installed or changed for the user.
Where fontconfig itself is missing (Windows, macOS) nothing is substituted.
"""

from __future__ import annotations

import functools
import logging
import os
import shutil
import subprocess

from ..style import Fonts, Style
from .fontconfig import fontconfig_env

log = logging.getLogger(__name__)

PREVIEW_FONTS = Fonts(
    title="AR PL SungtiL GB", subtitle="AR PL UKai CN", heading1="Noto Sans CJK SC", heading2="AR PL UKai CN",
    heading3="FandolFang", heading4="FandolFang", heading5="FandolFang", body="FandolFang",
    latin="Liberation Serif", page_number="Noto Serif CJK SC", table="FandolFang", caption="Noto Sans CJK SC",
)
# The Debian packages that hold the preview fonts (docs/style.md, .ci/run).
PREVIEW_PACKAGES = ("fonts-arphic-gbsn00lp", "fonts-noto-cjk", "fonts-arphic-ukai", "texlive-lang-chinese",
                    "fonts-liberation2")
@functools.lru_cache(maxsize=1)
def installed_families() -> frozenset[str] | None:
    """Every font family fontconfig knows (localised names too), or None without fontconfig."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return None
    try:
        result = subprocess.run([fc_list, ":", "family"], capture_output=True, text=True, timeout=60,
                                env={**os.environ, **fontconfig_env()})
    except (OSError, subprocess.SubprocessError):
        return None
    names = {name.strip() for line in result.stdout.splitlines() for name in line.split(",") if name.strip()}
    return frozenset(names)


def substitutions(fonts: Fonts, installed: frozenset[str] | None = None) -> dict[str, str]:
    """Missing font → its preview substitute, for every font ``fonts`` names (only where the substitute exists)."""
    known = installed_families() if installed is None else installed
    if known is None:
        return {}
    out: dict[str, str] = {}
    for role, name in fonts.model_dump().items():
        substitute = getattr(PREVIEW_FONTS, role)
        if name not in known and name not in out and substitute in known:
            out[name] = substitute
    return out


def printable(style: Style, installed: frozenset[str] | None = None) -> tuple[Style, dict[str, str]]:
    """``style`` with each font that is not installed replaced by its preview substitute, and the replacements.

    Roles are substituted one by one, so a document whose 黑体 is installed but
    仿宋 is not keeps its 黑体.
    """
    known = installed_families() if installed is None else installed
    missing = substitutions(style.fonts, known)
    if not missing:
        return style, {}
    replaced = {role: (getattr(PREVIEW_FONTS, role) if name in missing else name)
                for role, name in style.fonts.model_dump().items()}
    return style.model_copy(update={"fonts": Fonts(**replaced)}), missing


def substitution_message(missing: dict[str, str]) -> str:
    pairs = "、".join(f"{name} → {substitute}" for name, substitute in missing.items())
    return f"本机没有安装文档所用的字体，PDF 和预览图中用替代字体显示：{pairs}（Word 文档本身仍使用原字体）"


def warn_substitutions(missing: dict[str, str]) -> None:
    if missing:
        log.warning(substitution_message(missing))
