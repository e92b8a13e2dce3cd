"""Where templates live, without loading Jinja: the CLI's quick checks (validate) only need file names."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from pathlib import Path

TEMPLATE_SUFFIX = ".j2"


@functools.lru_cache(maxsize=1)
def builtin_dir() -> Path:
    """templates/ inside the installed wheel, or the repository's top-level templates/ in a checkout.

    Cached: the answer cannot change while the process runs, and every report asks.  The package's
    own folder is looked at directly, as ``importlib.resources.files("summarykit")`` would give it for
    an installation on disk (the only kind whose templates are a folder): asking importlib.resources
    imports its readers and ``zipfile``, a few ms of every cold `validate`.
    """
    packaged = Path(__file__).parent.parent / "templates"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[3] / "templates"


def template_file_exists(name: str, folders: Sequence[str] = ()) -> bool:
    """Whether a template file of that name is in the user's folders or the built-ins (no parsing)."""
    if not name or "/" in name or "\\" in name or name.startswith("."):
        return False
    return any((Path(folder) / f"{name}{TEMPLATE_SUFFIX}").is_file() for folder in [*folders, str(builtin_dir())])
