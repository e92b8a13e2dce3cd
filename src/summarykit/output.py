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
import re
import stat
import tempfile
import time
from pathlib import Path

from .errors import OutputError

# Suffixes of files people write by hand: rendering over one of them would destroy their work.
_RECORDS_SUFFIXES = {".yaml", ".yml"}

#: Temporary files are ``.sk-XXXXXXXX.tmp`` in the target folder: short whatever the target's name
#: (a legal 255-byte name must not fail because its temporary name is longer), and recognisable, so
#: that the leftovers of a killed run can be removed by a later one.
TEMP_PREFIX = ".sk-"
TEMP_SUFFIX = ".tmp"
_TEMP_NAME = re.compile(r"^\.sk-[A-Za-z0-9_]{8}\.tmp$")
#: A temporary file older than this was left by a run that was killed (no write takes an hour).
STALE_SECONDS = 3600
#: Longest file name (in bytes) where the file system does not say: ext4, NTFS, APFS all allow 255.
NAME_MAX = 255

_cleaned: set[str] = set()  # folders already swept in this process


def _kind(mode: int) -> str | None:
    """What a non-regular file is, in the words of the messages; None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "文件夹"
    if stat.S_ISLNK(mode):
        return "符号链接"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "设备文件"
    if stat.S_ISFIFO(mode):
        return "管道（FIFO）"
    if stat.S_ISSOCK(mode):
        return "套接字（socket）"
    return "特殊文件"


def _name_max(folder: Path) -> int:
    with contextlib.suppress(OSError, ValueError, AttributeError):
        return int(os.pathconf(folder, "PC_NAME_MAX"))
    return NAME_MAX


def _suggest(target: Path, source: Path) -> str:
    """A name to write to instead of ``target``: never ``target`` itself, never the input."""
    suffix = target.suffix.lower() if target.suffix.lower() not in _RECORDS_SUFFIXES | {""} else ".docx"
    for name in (f"{source.stem}{suffix}", f"{source.stem}-总结{suffix}"):
        if name != target.name and name != source.name:
            return name
    return f"{source.stem}-输出{suffix}"  # pragma: no cover - both above clash only with odd names


def check_output(output: str | os.PathLike[str], inputs: tuple[str | os.PathLike[str], ...] = ()) -> Path:
    """Refuse outputs that are not (or would not be) a regular file of their own.

    The policy (docs/errors.md, 输出文件): summarykit writes only regular files.
    An existing target that is a folder, a symbolic link, a device, a FIFO or a
    socket is refused, never replaced or written through; a path ending in a
    slash names a folder; an empty name is an error.  It may not be one of the
    inputs, by name or by identity (the same device and inode: a hard link);
    with inputs, a .yaml/.yml target is refused (it would destroy a records
    file).  A read-only file is not replaced, and a missing folder is an error,
    not created (a typo in a folder name should not silently scatter files).
    """
    text = os.fspath(output)
    if not text.strip():
        raise OutputError("没有给出输出文件名（-o 后面是空的）；请给出文件名，例如 -o 总结.docx")
    target = Path(text)
    if text.endswith(("/", os.sep)):
        if target.is_dir():
            raise OutputError(f"输出路径“{text}”是一个文件夹，请给出文件名，例如 {target / '总结.docx'}")
        raise OutputError(f"输出路径“{text}”以斜杠结尾，是一个文件夹的名字，而这个文件夹不存在；"
                          f"请先创建它，或给出文件名，例如 {target / '总结.docx'}")
    try:
        found: os.stat_result | None = os.lstat(target)
    except OSError:
        found = None
    kind = _kind(found.st_mode) if found is not None else None
    folder = target.parent if str(target.parent) else Path(".")
    try:  # identity through a link too: a link to the input is the input
        followed: os.stat_result | None = os.stat(target)
    except OSError:
        followed = None
    for source in inputs:
        src = Path(source)
        try:
            known = os.stat(src)
            same = followed is not None and (known.st_dev, known.st_ino) == (followed.st_dev, followed.st_ino)
        except OSError:
            same = False
        if same and kind is None and src.resolve() != target.resolve():
            raise OutputError(f"输出文件“{target}”与输入文件“{src}”是同一个文件（硬链接），写入会改掉输入；"
                              f"请换一个输出文件名，例如 {folder / _suggest(target, src)}")
        if same or src.resolve() == target.resolve():
            raise OutputError(f"输出文件“{target}”就是输入文件，不能覆盖记录文件；"
                              f"请换一个输出文件名，例如 {folder / _suggest(target, src)}")
    if kind == "文件夹":
        raise OutputError(f"输出路径“{target}”是一个文件夹，请给出文件名，例如 {target / '总结.docx'}")
    if kind is not None:
        raise OutputError(f"输出路径“{target}”是一个{kind}，不是普通文件：summarykit 只写普通文件，"
                          f"不会替换它或通过它写入；请换一个输出文件名")
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"“{folder}”是一个文件，不是文件夹，不能在里面创建“{target.name}”；请换一个输出路径")
    if not folder.is_dir():
        raise OutputError(f"输出文件夹“{folder}”不存在，请先创建它，或换一个输出路径（summarykit 不会自动创建文件夹）")
    limit = _name_max(folder)
    if len(os.fsencode(target.name)) > limit:
        raise OutputError(f"输出文件名“{target.name}”太长（{len(os.fsencode(target.name))} 字节），"
                          f"这个文件系统允许的上限是 {limit} 字节；请换一个短一些的文件名")
    if inputs and target.suffix.lower() in _RECORDS_SUFFIXES:
        raise OutputError(f"输出文件“{target}”的扩展名是 {target.suffix}，会覆盖记录文件；请用 .docx、.md 或 .txt")
    if found is not None and not os.access(target, os.W_OK):
        raise OutputError(f"输出文件“{target}”是只读的，不能覆盖；请换一个输出文件名，或先取消它的只读属性")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OutputError(f"没有权限在文件夹“{folder}”里写文件；请换一个输出路径")
    return target


def refuse_existing(output: str | os.PathLike[str], force: bool) -> Path:
    """For commands that keep an existing file unless --force: check the target, then say it exists.

    The target is checked first, so a folder (or a device...) is called what it
    is instead of "already exists, add --force" — which --force could not fix.
    """
    target = check_output(output)
    if not force and os.path.lexists(target):
        raise OutputError(f"文件“{target}”已经存在，没有改动它。要覆盖请加 --force，或用 -o 换一个文件名")
    return target


def clean_stale(folder: str | os.PathLike[str], *, now: float | None = None) -> list[Path]:
    """Remove temporary files a killed run left in ``folder`` (our prefix, older than STALE_SECONDS).

    Only names summarykit itself makes (``.sk-XXXXXXXX.tmp``) and only regular
    files are touched, so nothing a person made can go.  Done once per folder
    per process: a batch of thousands of files lists its folder once.
    """
    key = os.path.abspath(folder)
    if key in _cleaned and now is None:
        return []
    _cleaned.add(key)
    limit = (time.time() if now is None else now) - STALE_SECONDS
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        if not _TEMP_NAME.match(entry.name):
            continue
        with contextlib.suppress(OSError):
            info = entry.stat(follow_symlinks=False)
            if stat.S_ISREG(info.st_mode) and info.st_mtime < limit:
                os.unlink(entry.path)
                removed.append(Path(entry.path))
    return removed


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
    clean_stale(folder)
    try:
        fd, temp = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=TEMP_SUFFIX, dir=folder)
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
