"""Seeing the result without Word: DOCX → PDF through LibreOffice, PDF → one PNG per page.

LibreOffice runs headless as a child process with a private user profile (a
temporary folder, reused within the process), so it neither disturbs nor waits
for a LibreOffice the user has open, and it is stopped — with everything it
started — when it takes longer than the timeout.  When LibreOffice or
pdftoppm is missing the error names the package to install.

Fonts the document names that are not installed (the Windows fonts 仿宋, 黑体,
楷体 on Linux) are replaced, by role, with free fonts that look the part
(office.fonts), with a warning naming each; the DOCX itself is not changed.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import DependencyError
from .fonts import printable, warn_substitutions
from .soffice import DEFAULT_TIMEOUT, POPPLER_PACKAGE, ConversionError, run_limited

if TYPE_CHECKING:
    from ..style import Style
    from ..tree.document import Document


from .soffice import PDF_FILTER  # noqa: F401  (re-exported for the tests)


def docx_to_pdf(data: bytes, *, timeout: float = DEFAULT_TIMEOUT) -> bytes:
    """The PDF LibreOffice makes of a DOCX (bytes in, bytes out), by this process's resident LibreOffice."""
    from .converter import docx_to_pdf as convert

    return convert(data, timeout=timeout)


def document_pdf(doc: Document, style: Style, *, timeout: float = DEFAULT_TIMEOUT,
                 convert: Callable[[bytes], bytes] | None = None) -> bytes:
    """A composed document as LibreOffice prints it, fonts that are not installed replaced (office.fonts).

    One conversion, or two for a 公文 whose 版记 must move to an even page (writers/pagination.py).
    ``convert`` (DOCX → PDF) defaults to this process's resident LibreOffice with ``timeout``.
    """
    from ..writers.pagination import place_record

    shown, missing = printable(style)
    warn_substitutions(missing)
    _, pdf = place_record(doc, shown, convert or (lambda data: docx_to_pdf(data, timeout=timeout)))
    return pdf


def require_pdftoppm() -> str:
    found = shutil.which("pdftoppm")
    if found is None:
        raise DependencyError(
            f"生成预览图需要 pdftoppm，但没有找到它。Debian/Ubuntu 上请安装：sudo apt install {POPPLER_PACKAGE}"
        )
    return found


def pdf_to_pngs(pdf: bytes, *, dpi: int = 96, timeout: float = DEFAULT_TIMEOUT) -> list[bytes]:
    """One PNG per page of a PDF, in page order."""
    pdftoppm = require_pdftoppm()
    with tempfile.TemporaryDirectory(prefix="summarykit-png-") as work:
        folder = Path(work)
        (folder / "document.pdf").write_bytes(pdf)
        result = run_limited([pdftoppm, "-r", str(dpi), "-png", str(folder / "document.pdf"), str(folder / "page")],
                      timeout, "pdftoppm")
        pages = sorted(folder.glob("page-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
        if result.returncode != 0 or not pages:
            detail = result.stderr.decode("utf-8", "replace").strip()
            raise ConversionError(f"pdftoppm 没能把 PDF 转成图片{('：' + detail) if detail else '。'}")
        return [p.read_bytes() for p in pages]


def check_folder(folder: str | os.PathLike[str]) -> Path:
    from ..errors import OutputError

    target = Path(folder)
    if not target.is_dir():
        if os.path.lexists(target):  # a file (or a device...) named like the folder: say what it is
            raise OutputError(f"输出路径“{target}”不是文件夹：preview 把每一页写成 PNG 图片，-o 要给出一个文件夹，"
                              f"例如 -o {target.stem or '预览'}-预览")
        raise OutputError(f"输出文件夹“{target}”不存在，请先创建它，或换一个输出路径（summarykit 不会自动创建文件夹）")
    return target


def write_pages(pngs: Sequence[bytes], folder: str | os.PathLike[str], stem: str) -> list[Path]:
    """Write ``stem-1.png``, ``stem-2.png``… into an existing folder (atomically, like every output)."""
    from ..output import write_atomic

    target = check_folder(folder)
    written = [write_atomic(target / f"{stem}-{number}.png", png) for number, png in enumerate(pngs, start=1)]
    _remove_later_pages(target, stem, len(written))
    return written


def _remove_later_pages(folder: Path, stem: str, pages: int) -> None:
    """Pages beyond the new last page, left by an earlier, longer preview, would read as part of this one.

    Only regular files named exactly ``stem-N.png`` with N > pages go: the names this function writes.
    """
    pattern = re.compile(re.escape(stem) + r"-([1-9][0-9]*)\.png")
    for path in folder.iterdir():
        match = pattern.fullmatch(path.name)
        if match and int(match.group(1)) > pages and path.is_file() and not path.is_symlink():
            path.unlink(missing_ok=True)

