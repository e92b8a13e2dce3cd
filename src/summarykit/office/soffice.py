"""LibreOffice itself: finding soffice, a private profile, running it with a time limit, one-off conversion.

The lowest layer of office/: converter.py (one resident LibreOffice over UNO) falls back to
``convert_once`` here, and preview.py (PDF and PNG for people) sits on top of both.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from ..errors import DependencyError
from .fontconfig import fontconfig_env

LIBREOFFICE_PACKAGE = "libreoffice-writer-nogui"
POPPLER_PACKAGE = "poppler-utils"
DEFAULT_TIMEOUT = 180.0

_CANDIDATES = (
    "/Applications/LibreOffice.app/Contents/MacOS/soffice",
    r"C:\Program Files\LibreOffice\program\soffice.exe",
    r"C:\Program Files (x86)\LibreOffice\program\soffice.exe",
)


class ConversionError(DependencyError):
    """LibreOffice or pdftoppm is there but failed (or took too long)."""


def find_soffice() -> str | None:
    """LibreOffice's ``soffice``: $SUMMARYKIT_SOFFICE, then the PATH, then the usual install folders."""
    configured = os.environ.get("SUMMARYKIT_SOFFICE", "").strip()
    if configured:
        return configured if Path(configured).is_file() else shutil.which(configured)
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found:
        return found
    return next((c for c in _CANDIDATES if Path(c).is_file()), None)


def require_soffice() -> str:
    found = find_soffice()
    if found is None:
        raise DependencyError(
            "生成 PDF 或预览图需要 LibreOffice，但没有找到它（soffice）。"
            f"Debian/Ubuntu 上请安装：sudo apt install {LIBREOFFICE_PACKAGE}；"
            "其他系统请从 https://www.libreoffice.org 下载安装，"
            "或用环境变量 SUMMARYKIT_SOFFICE 指明 soffice 的位置。"
        )
    return found


_PROFILE_LOCK = threading.Lock()
_PROFILE: Path | None = None


def _temporary_profile() -> Path:
    """A private LibreOffice user profile for this process, removed when it exits."""
    global _PROFILE
    if _PROFILE is None:
        _PROFILE = Path(tempfile.mkdtemp(prefix="summarykit-lo-"))
        atexit.register(shutil.rmtree, _PROFILE, True)
    return _PROFILE


@contextlib.contextmanager
def _profile() -> Iterator[Path]:
    """The LibreOffice user profile for one conversion.

    LibreOffice's first start in a new profile takes several seconds, so the
    profile is kept in the user's cache folder and reused by later runs; a lock
    file keeps two conversions from sharing it at once (the second one, and any
    system without ``fcntl``, uses a temporary profile instead).
    """
    try:
        import fcntl

        from ..usercache import cache_folder

        folder = cache_folder() / "libreoffice-profile"
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        handle = open(folder.with_suffix(".lock"), "a")  # held for the whole conversion
    except (ImportError, OSError):
        yield _temporary_profile()
        return
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            yield _temporary_profile()
            return
        try:
            yield folder
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def run_limited(command: Sequence[str], timeout: float, what: str,
         env: dict[str, str] | None = None) -> subprocess.CompletedProcess[bytes]:
    """Run a converter in its own process group; on timeout stop the group (soffice starts soffice.bin)."""
    kwargs: dict[str, Any] = {"start_new_session": True} if os.name == "posix" else {}
    if env:
        kwargs["env"] = {**os.environ, **env}
    try:
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, **kwargs)
    except OSError as exc:
        raise ConversionError(f"无法启动 {what}（{command[0]}）：{exc.strerror or exc}") from None
    try:
        out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        if os.name == "posix":
            with contextlib.suppress(OSError):
                os.killpg(process.pid, signal.SIGKILL)
        process.kill()
        process.communicate()
        raise ConversionError(f"{what} 在 {timeout:g} 秒内没有完成，已停止。文档很大时可以加大超时时间再试。") from None
    return subprocess.CompletedProcess(command, process.returncode, out, err)


# Keep the blank pages inserted before a section that starts on an odd page (汇编): without them a PDF
# printed on both sides would start reports on even pages.
PDF_FILTER = 'pdf:writer_pdf_Export:{"IsSkipEmptyPages":{"type":"boolean","value":"false"}}'


def convert_once(data: bytes, *, timeout: float = DEFAULT_TIMEOUT) -> bytes:
    """The PDF of a DOCX by a LibreOffice started for this one call (the fallback of office/converter.py)."""
    soffice = require_soffice()
    with _PROFILE_LOCK, _profile() as profile, tempfile.TemporaryDirectory(prefix="summarykit-pdf-") as work:
        folder = Path(work)
        source = folder / "document.docx"
        source.write_bytes(data)
        command = [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
                   "--nolockcheck", "--convert-to", PDF_FILTER, "--outdir", str(folder), str(source)]
        result = run_limited(command, timeout, "LibreOffice", fontconfig_env())
        pdf = folder / "document.pdf"
        if result.returncode != 0 or not pdf.is_file():
            detail = (result.stderr or result.stdout).decode("utf-8", "replace").strip().splitlines()[-3:]
            raise ConversionError("LibreOffice 没能把文档转换成 PDF" + (f"：{' '.join(detail)}" if detail else "。"))
        return pdf.read_bytes()


