"""The fontconfig file that lets LibreOffice and fc-list see TeX Live's Fandol fonts (office.fonts).

Kept apart from office/fonts.py, which needs the Style model (pydantic), so that starting
LibreOffice — soffice.py and converter.py use only this — imports nothing heavy: the resident
LibreOffice is started in advance while the rest of summarykit is still being imported.
"""

from __future__ import annotations

import functools
import shutil
import subprocess
from pathlib import Path

# Where TeX Live keeps the Fandol fonts (Debian's texlive-lang-chinese, a TeX Live install from tug.org).
_FANDOL_FOLDERS = ("/usr/share/texlive/texmf-dist/fonts/opentype/public/fandol",
                   "/usr/share/texmf/fonts/opentype/public/fandol",
                   "/usr/local/texlive/texmf-dist/fonts/opentype/public/fandol")


def _fandol_folder() -> Path | None:
    for folder in _FANDOL_FOLDERS:
        if (Path(folder) / "FandolFang-Regular.otf").is_file():
            return Path(folder)
    kpsewhich = shutil.which("kpsewhich")
    if kpsewhich:
        try:
            found = subprocess.run([kpsewhich, "FandolFang-Regular.otf"], capture_output=True, text=True,
                                   timeout=20).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            found = ""
        if found:
            return Path(found).parent
    return None


@functools.lru_cache(maxsize=1)
def fontconfig_env() -> dict[str, str]:
    """Environment for LibreOffice and fc-list: a fontconfig file adding TeX Live's Fandol folder, if any."""
    folder = _fandol_folder()
    if folder is None or not Path("/etc/fonts/fonts.conf").is_file():
        return {}
    from ..usercache import cache_folder

    home = cache_folder() / "fontconfig"
    config = home / "fonts.conf"
    text = ('<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
            '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n'
            f"  <dir>{folder}</dir>\n  <cachedir>{home / 'cache'}</cachedir>\n</fontconfig>\n")
    try:
        home.mkdir(parents=True, exist_ok=True)
        if not config.is_file() or config.read_text(encoding="utf-8") != text:
            config.write_text(text, encoding="utf-8")
    except OSError:
        return {}
    return {"FONTCONFIG_FILE": str(config)}
