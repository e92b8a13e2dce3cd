"""Writing files safely: the I/O edge of the pipeline.

A report is written to a temporary file in the target folder and renamed over
the target in one step, so a failure (a full disk, a crash, Ctrl-C) leaves
either the old file or the new one, never half of one; and the output may
never be the records file it was made from.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from .errors import OutputError


def check_output(output: str | os.PathLike[str], inputs: tuple[str | os.PathLike[str], ...] = ()) -> Path:
    """Refuse outputs that would overwrite an input or that point into a missing folder."""
    target = Path(output)
    if target.is_dir():
        raise OutputError(f"输出路径“{target}”是一个文件夹，请给出文件名，例如 {target / '总结.docx'}")
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise OutputError(f"输出文件夹“{folder}”不存在，请先创建它，或换一个输出路径")
    for source in inputs:
        src = Path(source)
        same = src.exists() and target.exists() and os.path.samefile(src, target)
        if same or src.resolve() == target.resolve():
            raise OutputError(f"输出文件“{target}”就是输入文件，不能覆盖记录文件；请换一个输出文件名")
    return target


def write_atomic(output: str | os.PathLike[str], data: bytes,
                 inputs: tuple[str | os.PathLike[str], ...] = ()) -> Path:
    """Write ``data`` to ``output`` atomically (temporary file in the same folder, then rename)."""
    target = check_output(output, inputs)
    fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent or ".")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, 0o644)
        os.replace(temp, target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        if isinstance(exc, OSError):
            raise OutputError(f"无法写入“{target}”：{exc.strerror}") from None
        raise
    return target
