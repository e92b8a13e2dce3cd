"""The files a records file names (pictures): found, confined and checked while loading.

Loading is where every mistake is located, so a missing, unreadable, unsupported
or huge picture is reported there, with the line of its ``path:``, before any
output is written.  Paths are relative to the records file's folder; no path
may lead outside the folders the user allows — the records file's folder (and
below) plus any ``--assets DIR`` — so a records file sent by someone else cannot
pull other files of the machine into the document (symbolic links are followed
before the check).

Pillow reads the picture's format and size; it is an optional dependency
(``pip install 'summarykit[rich]'``) needed only when a records file has
pictures.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from stat import S_ISREG
from typing import Any

from ..errors import DependencyError, Problem, RecordsError
from .model import Category, Image, Item, Report, Section
from .yamlmarks import format_path, nearest_mark

MAX_IMAGE_BYTES = 20 * 1024 * 1024  # a photo from a phone is 2–8 MB; 20 MB keeps the DOCX mailable
MAX_IMAGE_PIXELS = 40_000_000  # 40 megapixels (8000 × 5000): far beyond print quality at 156 mm

# What Word, WPS and LibreOffice all display (WebP only in recent Word, HEIC nowhere).
SUPPORTED = {"PNG": "png", "JPEG": "jpeg", "GIF": "gif", "BMP": "bmp", "TIFF": "tiff"}
_CONVERT_HINT = "请在手机或电脑上把图片另存为 JPEG 或 PNG 后再用"
_MISSING_PILLOW = "处理图片需要 Pillow：请运行 pip install 'summarykit[rich]'"


@dataclass(frozen=True)
class ImageInfo:
    """What the writer needs of a checked picture."""

    path: str
    format: str  # the file extension Word expects: png, jpeg, gif, bmp, tiff
    width_px: int
    height_px: int
    dpi: tuple[float, float]
    data: bytes

    @property
    def natural_size_mm(self) -> tuple[float, float]:
        """The printed size the picture asks for (its DPI, 96 when it names none)."""
        dx, dy = self.dpi
        return self.width_px / dx * 25.4, self.height_px / dy * 25.4


class ImageProblem(ValueError):
    """A picture that cannot go into the document: ``args[0]`` the message, ``hint`` how to fix it."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.hint = hint


def _sniff(head: bytes) -> str:
    """Formats Pillow may not read but people have: named in the message."""
    if head[4:8] == b"ftyp" and head[8:12] in {b"heic", b"heix", b"mif1", b"msf1", b"hevc", b"avif"}:
        return "AVIF" if head[8:12] == b"avif" else "HEIC"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WEBP"
    if head.startswith(b"%PDF"):
        return "PDF"
    if head.lstrip().startswith((b"<svg", b"<?xml")):
        return "SVG"
    return ""


@functools.lru_cache(maxsize=64)
def _inspect_cached(path: str, size: int, mtime_ns: int) -> ImageInfo:
    try:
        from PIL import Image as PILImage
        from PIL import UnidentifiedImageError
    except ImportError:  # pragma: no cover - the test environment has Pillow
        raise DependencyError(_MISSING_PILLOW) from None
    if size > MAX_IMAGE_BYTES:
        raise ImageProblem(f"图片太大（{size / 1024 / 1024:.1f} MB，上限 {MAX_IMAGE_BYTES // 1024 // 1024} MB）",
                           "请把图片缩小（例如长边 2000 像素以内）或压缩为 JPEG 后再用")
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise ImageProblem(f"图片无法读取（{exc.strerror or exc}）", "请检查文件权限，或把图片复制到记录文件旁边") from None
    sniffed = _sniff(data[:16])
    if sniffed in {"HEIC", "AVIF", "WEBP"}:
        raise ImageProblem(f"图片格式 {sniffed} 不受支持（Word 和 WPS 不能都显示）", _CONVERT_HINT)
    if sniffed in {"PDF", "SVG"}:
        raise ImageProblem(f"这是 {sniffed} 文件，不是可插入的图片", "请导出为 PNG 或 JPEG 图片后再用")
    import io
    import warnings

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", PILImage.DecompressionBombWarning)
            with PILImage.open(io.BytesIO(data)) as picture:
                kind = picture.format or ""
                width, height = picture.size
                if width * height > MAX_IMAGE_PIXELS:
                    raise ImageProblem(
                        f"图片像素太多（{width}×{height}，上限 {MAX_IMAGE_PIXELS // 1_000_000} 百万像素）",
                        "请把图片缩小（例如长边 2000 像素以内）后再用")
                if kind not in SUPPORTED:
                    raise ImageProblem(f"图片格式 {kind or '未知'} 不受支持（可用 PNG、JPEG、GIF、BMP、TIFF）",
                                       _CONVERT_HINT)
                picture.load()  # a truncated or damaged file fails here, not in Word
                dpi = picture.info.get("dpi") or (96, 96)
    except ImageProblem:
        raise
    except UnidentifiedImageError:
        raise ImageProblem("这个文件不是图片（或图片已损坏）", "请确认路径指向 PNG 或 JPEG 图片") from None
    except (PILImage.DecompressionBombError, PILImage.DecompressionBombWarning):
        raise ImageProblem(f"图片像素太多（上限 {MAX_IMAGE_PIXELS // 1_000_000} 百万像素）",
                           "请把图片缩小（例如长边 2000 像素以内）后再用") from None
    except (OSError, SyntaxError, ValueError) as exc:
        raise ImageProblem(f"图片已损坏，无法读取（{exc}）", "请重新导出或重新拍摄这张图片") from None
    try:
        dx, dy = (float(dpi[0]), float(dpi[1]))
    except (TypeError, ValueError, IndexError):
        dx = dy = 96.0
    if not (30 <= dx <= 3000 and 30 <= dy <= 3000):
        dx = dy = 96.0  # a missing or absurd DPI: treat as a screen picture
    return ImageInfo(path, SUPPORTED[kind], width, height, (dx, dy), data)


def inspect_image(path: str | os.PathLike[str]) -> ImageInfo:
    """Read and check one picture (cached per file version): raises ImageProblem saying what is wrong."""
    location = Path(path)
    try:
        stat = location.stat()
    except FileNotFoundError:
        raise ImageProblem("找不到图片文件", "路径相对于记录文件所在的文件夹；请检查文件名和文件夹") from None
    except OSError as exc:
        raise ImageProblem(f"图片无法读取（{exc.strerror or exc}）", "请检查文件权限") from None
    if location.is_dir():
        raise ImageProblem("这是一个文件夹，不是图片文件", "请写出图片文件名，例如 images/食堂.png")
    if not S_ISREG(stat.st_mode):  # a FIFO would block the read, /dev/zero never end it
        raise ImageProblem("这不是普通文件（可能是管道或设备），不能作为图片", "请写出图片文件本身，例如 images/食堂.png")
    return _inspect_cached(str(location), stat.st_size, stat.st_mtime_ns)


def allowed_roots(base_dir: str | os.PathLike[str] | None, assets: Sequence[str | os.PathLike[str]] = ()) -> list[Path]:
    """The folders pictures may come from: the records file's folder and the ``--assets`` folders."""
    roots = [Path(base_dir)] if base_dir is not None else []
    roots += [Path(a) for a in assets]
    return [r.resolve() for r in roots]


def resolve_image(path: str, base_dir: Path | None, roots: Sequence[Path]) -> Path:
    """The file a records path names, or ImageProblem when it lies outside the allowed folders."""
    if not roots:
        raise ImageProblem("记录不是从文件读入的，图片路径无从解析",
                           "从文件读入记录，或指定允许使用图片的文件夹（--assets 文件夹 / assets=[...]）")
    candidate = Path(os.path.expanduser(path)) if path.startswith("~") else Path(path)
    if not candidate.is_absolute():
        candidate = (base_dir or roots[0]) / candidate
    resolved = candidate.resolve()
    if not any(resolved == root or resolved.is_relative_to(root) for root in roots):
        raise ImageProblem("图片不在允许的文件夹里（只能用记录文件所在文件夹及其下级文件夹里的图片）",
                           "把图片复制到记录文件旁边，或用 --assets 文件夹 允许图片所在的文件夹")
    return resolved


def _images(report: Report) -> Iterator[tuple[tuple[Any, ...], Image]]:
    """Every picture of a report with its path in the data."""

    def items(items: Sequence[Item], path: tuple[Any, ...]) -> Iterator[tuple[tuple[Any, ...], Image]]:
        for i, item in enumerate(items):
            if item.images:  # nearly no item has a picture: skip the inner loop's set-up
                for j, image in enumerate(item.images):
                    yield (*path, i, "images", j), image

    def section(s: Section | Category, path: tuple[Any, ...]) -> Iterator[tuple[tuple[Any, ...], Image]]:
        yield from items(s.items, (*path, "items"))
        for j, image in enumerate(s.images):
            yield (*path, "images", j), image
        if isinstance(s, Section):
            for k, sub in enumerate(s.subsections):
                yield from section(sub, (*path, "subsections", k))

    for i, category in enumerate(report.achievements):
        yield from section(category, ("achievements", i))
    for i, free in enumerate(report.sections):
        yield from section(free, ("sections", i))
    for name in ("experiences", "problems", "plans"):
        yield from items(getattr(report, name).items, (name, "items"))


def check_assets(report: Report, marks: Mapping[tuple[Any, ...], tuple[int, int]], name: str, *,
                 base_dir: str | os.PathLike[str] | None, assets: Sequence[str | os.PathLike[str]] = (),
                 prefix: tuple[Any, ...] = ()) -> None:
    """Check every picture of ``report``; record the checked files on ``report.assets``, or raise
    RecordsError listing every bad picture with its line."""
    pictures = list(_images(report))
    if not pictures:
        return
    roots = allowed_roots(base_dir, assets)
    base = Path(base_dir).resolve() if base_dir is not None else None
    problems: list[Problem] = []
    for path, image in pictures:
        try:
            resolved = resolve_image(image.path, base, roots)
            inspect_image(resolved)
        except ImageProblem as exc:
            where = (*prefix, *path, "path")
            line, column = nearest_mark(marks, where) or (None, None)  # only here: marks are worked out on demand
            problems.append(Problem(f"图片“{image.path}”：{exc.args[0]}", file=name, line=line, column=column,
                                    path=format_path(where), hint=exc.hint))
            continue
        report._assets[image.path] = str(resolved)
    if problems:
        raise RecordsError.collect(name, problems)
