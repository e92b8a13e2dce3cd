"""Writing files safely: the I/O edge of the pipeline.

A report is written to a temporary file in the target folder and renamed over
the target in one step, so a failure (a full disk, a crash, Ctrl-C) leaves
either the old file or the new one, never half of one.  Before anything is
written the target is checked, so that nothing a person had is lost: the
output may never be the records file it was made from (nor any other records
file), a read-only file is not replaced, and a missing output folder is an
error with a message rather than created (a typo in a folder name should not
silently scatter files; docs/errors.md says so).
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path

from .errors import OutputError

# Suffixes of files people write by hand: rendering over one of them would destroy their work.
_RECORDS_SUFFIXES = {".yaml", ".yml"}


def check_output(output: str | os.PathLike[str], inputs: tuple[str | os.PathLike[str], ...] = ()) -> Path:
    """Refuse outputs that would overwrite an input, a records file, a read-only file, or need a missing folder.

    ``inputs`` are the files the output is made from; when there are any, a
    target ending in .yaml/.yml is refused too (a report rendered over another
    records file would destroy it).
    """
    target = Path(output)
    if not str(output).strip():
        raise OutputError("没有给出输出文件名", [])
    if target.is_dir():
        raise OutputError(f"输出路径“{target}”是一个文件夹，请给出文件名，例如 {target / '总结.docx'}")
    folder = target.parent if str(target.parent) else Path(".")
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"“{folder}”是一个文件，不是文件夹，不能在里面创建“{target.name}”；请换一个输出路径")
    if not folder.is_dir():
        raise OutputError(f"输出文件夹“{folder}”不存在，请先创建它，或换一个输出路径（summarykit 不会自动创建文件夹）")
    for source in inputs:
        src = Path(source)
        try:
            same = src.exists() and target.exists() and os.path.samefile(src, target)
        except OSError:
            same = False
        if same or src.resolve() == target.resolve():
            raise OutputError(f"输出文件“{target}”就是输入文件，不能覆盖记录文件；请换一个输出文件名，例如 {target.with_suffix('.docx').name}")
    if inputs and target.suffix.lower() in _RECORDS_SUFFIXES:
        raise OutputError(f"输出文件“{target}”的扩展名是 {target.suffix}，会覆盖记录文件；请用 .docx、.md 或 .txt")
    if target.exists() and not os.access(target, os.W_OK):
        raise OutputError(f"输出文件“{target}”是只读的，不能覆盖；请换一个输出文件名，或先取消它的只读属性")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OutputError(f"没有权限在文件夹“{folder}”里写文件；请换一个输出路径")
    return target


def _mode_for(target: Path) -> int:
    """Keep an existing file's permissions; a new file gets the usual ones (0666 less the umask)."""
    with contextlib.suppress(OSError):
        return stat.S_IMODE(target.stat().st_mode)
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def write_atomic(output: str | os.PathLike[str], data: bytes,
                 inputs: tuple[str | os.PathLike[str], ...] = (), *, durable: bool = True) -> Path:
    """Write ``data`` to ``output`` atomically (temporary file in the same folder, then rename).

    On any failure the temporary file is removed and an existing ``output``
    is left exactly as it was.  With ``durable`` (the default) the data and the
    rename are also flushed to disk (fsync of the file and of its folder) before
    returning, so a power cut right after cannot lose the new file.  A batch of
    many files passes ``durable=False`` and calls ``sync_folder`` once at the end:
    the rename stays atomic either way (a crash leaves the old file or the new
    one), only the moment the files reach the disk moves to the end of the batch,
    and two fsyncs per file would otherwise be a large share of its time.
    """
    target = check_output(output, inputs)
    folder = target.parent if str(target.parent) else Path(".")
    try:
        fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise OutputError(f"无法在“{folder}”里创建文件：{exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        os.chmod(temp, _mode_for(target))
        os.replace(temp, target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        if isinstance(exc, OSError):
            raise OutputError(f"无法写入“{target}”：{exc.strerror or exc}；原有文件没有改动") from None
        raise
    if durable:
        sync_folder(folder)
    return target


def sync_folder(folder: str | os.PathLike[str]) -> None:
    """Make renames into ``folder`` durable where the platform allows it (POSIX); best effort."""
    if os.name != "posix":  # pragma: no cover - Windows has no directory handles to sync
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
