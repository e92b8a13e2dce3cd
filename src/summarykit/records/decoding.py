"""Records file bytes → text: the file type sniffed, the encoding found, what YAML refuses removed.

Office staff save records files from whatever editor is at hand, so the bytes
may be UTF-8 with or without a BOM, GBK, UTF-16 from Notepad's "Unicode", or
not text at all.  Sniffing before decoding means a Word document, a PDF or a
picture gets a message naming what it is, a UTF-16 file is simply read, and a
UTF-8 file with a few damaged bytes is an error naming the line instead of a
silent re-reading of the whole file as GBK (a wall of mojibake).  Pasted
control characters YAML would refuse are removed here, each with a notice, so
that the YAML stage only ever sees text it can read.

This is the lowest stage of loading: it knows nothing of YAML or the records
model, and ``_fail`` (one located problem as a RecordsError) is shared upward.
"""

from __future__ import annotations

import io
import logging
import os
import re
import stat
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import Notice, Problem, RecordsError
from ..zh.suggest import closest

log = logging.getLogger(__name__)

MAX_BYTES = 5 * 1024 * 1024  # a records file is text typed by a person: 5 MiB is far beyond any real one


@dataclass
class Source:
    """Decoded text of a records file, with where it came from."""

    text: str
    name: str
    notices: list[Notice] = field(default_factory=list)


def _fail(name: str, message: str, *, line: int | None = None, column: int | None = None,
          hint: str = "") -> RecordsError:
    return RecordsError.collect(name, [Problem(message, file=name, line=line, column=column, hint=hint)])


# --------------------------------------------------------------------------- bytes → text

_NOT_TEXT = [
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "旧版 Word/Excel/WPS 文件（.doc/.xls/.wps）"),
    (b"%PDF", " PDF 文件"),
    (b"{\\rtf", " RTF 格式的文档"),
    (b"\x89PNG", "图片（PNG）"),
    (b"\xff\xd8\xff", "图片（JPEG）"),
    (b"GIF8", "图片（GIF）"),
    (b"Rar!", "压缩文件（RAR）"),
    (b"7z\xbc\xaf", "压缩文件（7z）"),
]
_TEXT_HINT = "记录文件是用记事本等文本编辑器写的 .yaml 文件；请确认选对了文件"


def _zip_kind(data: bytes) -> str:
    """What a zip file most likely is, from the names inside it (a DOCX is a zip)."""
    import zipfile  # here: only a file that is a zip needs it (a cold `validate` does not import it)

    try:
        names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        return "压缩文件"
    if any(n.startswith("word/") for n in names):
        return " Word 文档（.docx）"
    if any(n.startswith("xl/") for n in names):
        return " Excel 表格（.xlsx）"
    if any(n.startswith("ppt/") for n in names):
        return " PowerPoint 演示文稿（.pptx）"
    return "压缩文件（.zip）"


# --------------------------------------------------------------------------- spreadsheets

#: File name endings read as spreadsheets (sources/), not as YAML text.
SHEET_SUFFIXES = (".xlsx", ".xlsm", ".csv")
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED = "EncryptionInfo".encode("utf-16-le")
_SAVE_AS_XLSX = "请用 Excel 或 WPS 打开它，“另存为”Excel 工作簿（.xlsx）后再试"


def sheet_kind(data: bytes, name: str) -> str | None:
    """What a file handed to summarykit is, as far as spreadsheets go: "xlsx", "csv" or None (YAML text).

    One home for sniffing: a workbook is recognised by its content (a zip with
    ``xl/`` inside) whatever its name; a CSV by its name (CSV is text and looks
    like anything).  Spreadsheet files summarykit cannot read — old Excel .xls,
    WPS .et, Apple .numbers, a password-protected workbook, a damaged zip named
    .xlsx — raise a RecordsError saying what they are and what to do.
    """
    suffix = Path(name).suffix.lower()
    if data.startswith(_OLE2):
        if _ENCRYPTED in data[:1 << 20]:
            raise _fail(name, "这个工作簿设置了打开密码，无法读取",
                        hint="请用 Excel 或 WPS 打开，在“文件 → 信息 → 保护工作簿”（WPS：“文件 → 文档加密”）"
                             "里去掉密码，保存后再试")
        if suffix == ".et":
            raise _fail(name, "这是 WPS 表格文件（.et），不能直接读取", hint=_SAVE_AS_XLSX)
        if suffix in {".xls", ".xlsx", ".xlsm"}:
            raise _fail(name, "这是旧版 Excel 文件（.xls），不能直接读取", hint=_SAVE_AS_XLSX)
        return None  # an old Word file or the like: decode() names it
    if suffix == ".numbers":
        raise _fail(name, "这是苹果 Numbers 表格（.numbers），不能直接读取",
                    hint="请在 Numbers 里“文件 → 导出为 → Excel”，得到 .xlsx 文件后再试")
    if suffix == ".et":
        raise _fail(name, "这是 WPS 表格文件（.et），不能直接读取", hint=_SAVE_AS_XLSX)
    if suffix == ".xls":
        raise _fail(name, "这是旧版 Excel 文件（.xls），不能直接读取", hint=_SAVE_AS_XLSX)
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        import zipfile

        try:
            names = zipfile.ZipFile(io.BytesIO(data)).namelist()
        except (zipfile.BadZipFile, ValueError, OSError, EOFError):
            if suffix in {".xlsx", ".xlsm"}:
                raise _fail(name, "这个 Excel 文件已损坏（压缩包不完整），无法读取",
                            hint="可能是没有下载或复制完整；请重新下载或复制一份，或用 Excel/WPS 打开修复后另存") from None
            return None
        if any(n.startswith("xl/") for n in names):
            return "xlsx"
        if any(n.startswith("Index/") and n.endswith(".iwa") for n in names):
            raise _fail(name, "这是苹果 Numbers 表格（.numbers），不能直接读取",
                        hint="请在 Numbers 里“文件 → 导出为 → Excel”，得到 .xlsx 文件后再试")
        if suffix in {".xlsx", ".xlsm"}:
            raise _fail(name, "这个文件的扩展名是 .xlsx，但里面不是 Excel 工作簿",
                        hint="请确认选对了文件；用 Excel/WPS 打开后另存为 .xlsx 再试")
        return None
    if suffix in {".xlsx", ".xlsm"}:
        raise _fail(name, "这个文件的扩展名是 .xlsx，但里面不是 Excel 工作簿",
                    hint="请确认选对了文件；用 Excel/WPS 打开后另存为 .xlsx 再试")
    if suffix == ".csv":
        return "csv"
    return None


def _utf32_without_bom(data: bytes) -> str | None:
    """UTF-32 saved without a byte-order mark, or None: the same reasoning as _utf16_without_bom,
    with YAML's ASCII structure characters as one byte and three zeros (little-endian) or the reverse."""
    if len(data) % 4:
        return None
    structure = b"\n\r :-#"
    units = [data[i:i + 4] for i in range(0, len(data), 4)]
    little = sum(1 for u in units if u[0] in structure and u[1:] == b"\0\0\0")
    big = sum(1 for u in units if u[:3] == b"\0\0\0" and u[3] in structure)
    if max(little, big) < 2 or min(little, big) * 3 > max(little, big):
        return None
    try:
        text = data.decode("utf-32-le" if little > big else "utf-32-be")
    except UnicodeDecodeError:
        return None
    controls = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\t\r\n")
    return None if controls else text


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 saved without a byte-order mark, or None.

    What every records file has, whatever its language, is YAML's own ASCII:
    line breaks, spaces, colons and dashes.  In UTF-16 each is a pair of bytes
    with a zero on one side — (0x0A, 0) in little-endian, (0, 0x0A) in
    big-endian.  Counting those pairs at even offsets tells the byte order
    (Chinese characters such as 一, U+4E00, also leave zeros, but on no fixed
    side and not next to these bytes); the whole file must then decode to text
    without control characters.
    """
    if len(data) % 2:
        return None
    structure = b"\n\r :-#"
    first, second = data[0::2], data[1::2]
    little = sum(1 for x, y in zip(first, second, strict=True) if y == 0 and x in structure)
    big = sum(1 for x, y in zip(first, second, strict=True) if x == 0 and y in structure)
    if max(little, big) < 2 or min(little, big) * 3 > max(little, big):
        return None
    codec = "utf-16-le" if little > big else "utf-16-be"
    try:
        text = data.decode(codec)
    except UnicodeDecodeError:
        return None
    controls = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\t\r\n")
    return None if controls else text


_BYTE_BREAK = re.compile(rb"\r\n|\r|\n")


def _line_column(data: bytes, offset: int) -> tuple[int, int]:
    """1-based line and column (in characters) of a byte offset of mostly-UTF-8 data.

    Lines end with \\n, \\r\\n or a lone \\r (old Mac files), as YAML counts them.
    """
    line, start = 1, 0
    for match in _BYTE_BREAK.finditer(data, 0, offset):
        line, start = line + 1, match.end()
    return line, len(data[start:offset].decode("utf-8", "replace")) + 1


def normalize_newlines(text: str) -> str:
    """\\r\\n and lone \\r become \\n: every later stage counts lines the same way (YAML reads them alike)."""
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def _nul_problem(data: bytes, name: str) -> RecordsError:
    """A NUL byte in a text file is an error wherever it is: binary content, or one stray character."""
    first = data.index(b"\x00")
    line, column = _line_column(data, first)
    count = data.count(b"\x00")
    controls = sum(data.count(bytes([b])) for b in (*range(1, 9), *range(14, 32)))
    if count > 8 or controls > 8:
        return _fail(name, "这不是文本文件（含有二进制内容，第一处在这里）", line=line,
                     column=column, hint=_TEXT_HINT)
    return _fail(name, "这一行有空字符（U+0000 NULL），文本文件里不应有这个字符", line=line, column=column,
                 hint="可能是从别的程序复制来的；请在编辑器中删掉这个看不见的字符，再另存为 UTF-8")


def _also_gbk(line: bytes, text: str) -> bool:
    """Whether a line that is valid UTF-8 reads as well as GB18030 (only two-byte UTF-8 characters)."""
    if max(text) >= "\u0800":
        return False
    try:
        line.decode("gb18030")
    except UnicodeDecodeError:
        return False
    return True


def _utf8_lines(data: bytes) -> tuple[int, int, int | None]:
    """Lines that are non-ASCII UTF-8, lines that are not UTF-8, and the offset of the first bad byte.

    A line is counted as UTF-8 only when it could not as well be GBK: GBK pairs with a lead byte
    C2–DF and a trail byte 80–BF are also two-byte UTF-8 (“莳” in GBK is DD AA, an Arabic letter in
    UTF-8), so a line of such characters says nothing; a Chinese UTF-8 line has three-byte characters.
    """
    good = bad = 0
    first_bad: int | None = None
    start = 0
    for line in re.split(rb"(?<=\n)|(?<=\r)(?!\n)", data):
        if line.isascii():
            start += len(line)
            continue
        try:
            if not _also_gbk(line, line.decode("utf-8")):
                good += 1
        except UnicodeDecodeError as exc:
            bad += 1
            if first_bad is None:
                first_bad = start + exc.start
        start += len(line)
    return good, bad, first_bad


def decode(data: bytes, name: str) -> Source:
    """Bytes → text.  UTF-8 (with or without BOM) first, then UTF-16/32 with a BOM, then GB18030 (covers GBK).

    Files that are not text at all (a Word document, a PDF, a picture) get a
    message naming what they are.  A file mixing UTF-8 lines and lines that are
    not UTF-8 (one line pasted from a GBK file) is an error at the first bad
    line, not a silent re-reading of the whole file as GBK; the file is read as
    GBK only when most of its non-ASCII lines are not UTF-8.  Line endings
    (\\r\\n, old Mac \\r) are normalised to \\n.  A NUL byte is an error wherever it is.
    """
    if len(data) > MAX_BYTES:
        raise _fail(name, f"文件太大（{len(data) // 1024} KB），记录文件的上限是 {MAX_BYTES // 1024 // 1024} MB",
                    hint="记录文件应是手写的文本；请检查是否选错了文件，或把内容拆成几份")
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        kind = _zip_kind(data)
        hint = _TEXT_HINT
        if "Word" in kind:
            hint = ("记录文件是用记事本等文本编辑器写的 .yaml 文件，不是 Word 文档；"
                    "要检查一份已生成的 Word 文档，请用 `summarykit check 文件.docx`")
        raise _fail(name, f"这是{kind}，不是记录文件", hint=hint)
    for magic, kind in _NOT_TEXT:
        if data.startswith(magic):
            raise _fail(name, f"这是{kind}，不是记录文件", hint=_TEXT_HINT)
    for bom, codec, label in ((b"\xff\xfe\x00\x00", "utf-32", "UTF-32"), (b"\x00\x00\xfe\xff", "utf-32", "UTF-32"),
                              (b"\xff\xfe", "utf-16", "UTF-16"), (b"\xfe\xff", "utf-16", "UTF-16")):
        if data.startswith(bom):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError as exc:
                raise _fail(name, f"文件标明是 {label} 编码，但第 {exc.start} 个字节处内容损坏",
                            hint="请在编辑器中打开后“另存为 UTF-8”") from None
            return _with_notice(text, name, f"文件是 {label} 编码（记事本的“Unicode”），已按 {label} 读取；建议另存为 UTF-8")
    if b"\x00" in data:
        text32 = _utf32_without_bom(data) if b"\x00\x00\x00" in data else None
        if text32 is not None:
            return _with_notice(text32, name, "文件是 UTF-32 编码（没有 BOM），已按 UTF-32 读取；建议另存为 UTF-8")
        text16 = _utf16_without_bom(data)
        if text16 is not None:
            return _with_notice(text16, name, "文件是 UTF-16 编码（没有 BOM），已按 UTF-16 读取；建议另存为 UTF-8")
        raise _nul_problem(data, name)
    try:
        return Source(normalize_newlines(data.decode("utf-8-sig")), name)
    except UnicodeDecodeError:
        pass
    good, bad, first_bad = _utf8_lines(data)
    if good >= bad and first_bad is not None:
        line, column = _line_column(data, first_bad)
        start = max(data.rfind(b"\n", 0, first_bad), data.rfind(b"\r", 0, first_bad)) + 1
        after = _BYTE_BREAK.search(data, first_bad)
        piece = data[start: after.start() if after else len(data)]
        try:
            piece.decode("gb18030")
            looks = "这一行不是 UTF-8 编码（看起来是 GBK，可能是从别的文件粘贴来的），其他行是 UTF-8"
        except UnicodeDecodeError:
            looks = "这一行有损坏的字符（文件是 UTF-8 编码，但这里有几个字节无法识别）"
        raise _fail(name, looks, line=line, column=column,
                    hint="请在编辑器中删掉这一行的这几个字重新输入，再另存为 UTF-8")
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError as exc:
        line, _ = _line_column(data, exc.start)
        raise _fail(name, "文件编码无法识别（既不是 UTF-8，也不是 GBK/GB18030）", line=line,
                    hint="请在编辑器中“另存为 UTF-8”") from None
    private = re.search(_PRIVATE_USE, text)
    if private:  # GBK text never lands there: this is another encoding (Big5, Shift-JIS...) read wrongly
        line = normalize_newlines(text[:private.start()]).count("\n") + 1
        raise _fail(name, "文件编码无法识别（不是 UTF-8，按 GBK 读出来是乱码；可能是繁体 Big5 等编码）", line=line,
                    hint="请在编辑器中打开后“另存为 UTF-8”")
    return _with_notice(text, name, "文件按 GBK/GB18030 编码读取；建议另存为 UTF-8")


# A pattern, compiled by re on first use (its cache): only a file read as GBK is searched, and this
# class of 6,400 characters costs milliseconds to compile at every start otherwise.
_PRIVATE_USE = "[\ue000-\uf8ff]"


def _with_notice(text: str, name: str, message: str) -> Source:
    notice = Notice("encoding", message, name)
    log.info("%s", notice)
    return Source(normalize_newlines(text.removeprefix("\ufeff")), name, [notice])


def read_source(path: str | os.PathLike[str]) -> Source:
    """Read a records file from disk, with a clear message when it is not there or not readable.

    At most MAX_BYTES + 1 bytes are read, so pointing at a huge file (or a
    device) costs neither the memory nor the time of reading it all.
    """
    return decode(read_bytes(path), str(path))


def read_bytes(path: str | os.PathLike[str], limit: int = MAX_BYTES + 1) -> bytes:
    """A file's bytes (at most ``limit``), with the located message when it is missing or unreadable."""
    p = Path(path)
    name = str(path)
    try:
        with _open_for_reading(p) as handle:
            data = handle.read(limit)
        if not data and _is_fifo(p):
            raise _fail(name, "这是一个管道（FIFO），没有程序往里写内容，读不到任何内容",
                        hint="请给出文件本身（普通文件，如 记录.yaml）")
    except FileNotFoundError:
        raise _fail(name, "找不到这个文件", hint=_missing_hint(p)) from None
    except IsADirectoryError:
        raise _fail(name, "这是一个文件夹，不是记录文件", hint="请给出文件夹里的 .yaml 文件，例如 记录/总结.yaml") from None
    except PermissionError:
        raise _fail(name, "没有权限读取这个文件", hint="请检查文件权限，或把文件复制到自己的文件夹再试") from None
    except OSError as exc:
        if p.is_dir():  # Windows reports a folder as "permission denied"
            raise _fail(name, "这是一个文件夹，不是记录文件", hint="请给出文件夹里的 .yaml 文件") from None
        raise _fail(name, f"无法读取：{exc.strerror or exc}", hint="请检查路径和文件名") from None
    return data


def _is_fifo(path: Path) -> bool:
    try:
        return stat.S_ISFIFO(path.stat().st_mode)
    except OSError:
        return False


def _open_for_reading(path: Path) -> Any:
    """A binary file object; a FIFO is opened without waiting for a writer.

    Opening a FIFO (a named pipe called ``记录.yaml``) blocks until some program opens it for
    writing, which may be never.  Opened non-blocking, then switched back to blocking reads, it
    reads what a writer sends (``<(…)`` in a shell) or, with no writer, ends at once (empty).
    """
    if not _is_fifo(path) or not hasattr(os, "O_NONBLOCK"):
        return path.open("rb")
    import fcntl

    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    fcntl.fcntl(fd, fcntl.F_SETFL, fcntl.fcntl(fd, fcntl.F_GETFL) & ~os.O_NONBLOCK)
    return os.fdopen(fd, "rb")


def read_head(path: str | os.PathLike[str], limit: int) -> bytes:
    """At most ``limit`` bytes of a file, never blocking on a FIFO; b"" when it cannot be read."""
    try:
        with _open_for_reading(Path(path)) as handle:
            return handle.read(limit)
    except OSError:
        return b""


def _missing_hint(path: Path) -> str:
    """Did-you-mean for a file name: the closest names in the same folder, else what to check."""
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        return f"文件夹“{folder}”也不存在；请检查路径"
    try:
        names = [p.name for p in folder.iterdir() if p.suffix.lower() in {".yaml", ".yml", *SHEET_SUFFIXES}]
    except OSError:
        names = []
    close = closest(path.name, names, n=3, cutoff=0.5)
    if close:
        return "是不是想用：" + "、".join(close)
    return "请检查路径和文件名（扩展名通常是 .yaml）"


# --------------------------------------------------------------------------- text → YAML-safe text

# Characters YAML refuses to read (C0/C1 controls, surrogates, non-characters).  NEL (\x85) and the
# Unicode line/paragraph separators are line breaks to YAML: pasted into a value they would break the
# file's structure, so they are treated like control characters too.
_YAML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]")
_LINE_SEPARATORS = "\x85\u2028\u2029"


#: Characters nobody sees that have no business in a work summary: zero-width spaces and joiners' cousins
#: (not ZWJ/ZWNJ, which build emoji and some scripts), invisible operators, the soft hyphen, the
#: Mongolian vowel separator, the bidirectional controls (they make text look ordered otherwise than
#: it is: "Trojan source"), Unicode tag characters, and U+FEFF after the start.  Removed, each named
#: at its line and column.  Variation selectors stay: after an ideograph or an emoji they are text.
_INVISIBLE = re.compile("[\u00ad\u061c\u180e\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069"
                        "\ufeff\U000e0000-\U000e007f]")
_BIDI = "[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"  # compiled on first use: only a notice needs it
# Either of the two classes in one pass: nearly every text has neither, and one search of a long text
# costs a third of the two (a test checks the class is exactly their union).
_INVISIBLE_OR_FORBIDDEN = re.compile(f"[{_INVISIBLE.pattern[1:-1]}{_YAML_FORBIDDEN.pattern[1:-1]}]")


def _invisible_notice(ch: str) -> str:
    if ch == "\ufeff":
        return "删除了看不见的字符 U+FEFF（ZERO WIDTH NO-BREAK SPACE，字节顺序标记）"
    what = "，文字方向控制符：会让文字显示的顺序和实际不同" if re.match(_BIDI, ch) else ""
    return f"删除了看不见的字符 U+{ord(ch):04X}（{unicodedata.name(ch, '未命名字符')}{what}）"


def _strip_invisible(source: Source) -> Source:
    """Invisible characters (_INVISIBLE) are removed, each named at its line and column.

    Nobody can see them to delete them; in a key they make the key unknown, at the start of a line
    (U+FEFF) they make YAML see the line as indented, in a value they would go into the document.
    """
    notices = list(source.notices)
    for number, line in enumerate(source.text.split("\n"), start=1):
        for match in _INVISIBLE.finditer(line):
            notices.append(Notice("control-chars", _invisible_notice(match.group()),
                                  f"{source.name}:{number}:{match.start() + 1}"))
    return Source(_INVISIBLE.sub("", source.text), source.name, notices)


INVISIBLE_HINT = "这个字符看不见：在编辑器里删去它前后各一个字，再重新输入这两个字即可"


def refuse_invisible(source: Source, hint: str = INVISIBLE_HINT) -> Source:
    """Files that are written once and used for every report (phrase banks, style files): invisible
    characters are refused, each at its line and column, rather than removed.

    Records are pasted anew every term, so their invisible characters are removed with a notice;
    these files have no notice channel, and what a bank holds goes into every report unseen.
    """
    if not _INVISIBLE.search(source.text):
        return source
    problems = [
        Problem(_invisible_notice(match.group()).replace("删除了看不见的字符", "有看不见的字符", 1),
                file=source.name, line=number, column=match.start() + 1, hint=hint)
        for number, line in enumerate(source.text.split("\n"), start=1)
        for match in _INVISIBLE.finditer(line)
    ]
    raise RecordsError.collect(source.name, problems)


def strip_forbidden(source: Source) -> Source:
    """Remove characters YAML refuses to read (pasted control characters), noting the line of each.

    A pasted line separator between two Latin words becomes a space, anywhere
    else it disappears (Chinese text has no spaces between words).
    """
    if not _INVISIBLE_OR_FORBIDDEN.search(source.text):
        return source
    if _INVISIBLE.search(source.text):
        source = _strip_invisible(source)
    if not _YAML_FORBIDDEN.search(source.text):
        return source
    if "\x00" in source.text:  # text given directly: the same rule as for a file's bytes
        raise _nul_problem(source.text.encode("utf-8", "surrogatepass"), source.name)
    notices = list(source.notices)
    for number, line in enumerate(re.split(r"\r\n|\r|\n", source.text), start=1):
        found = _YAML_FORBIDDEN.findall(line)
        if found:
            notices.append(Notice("control-chars", f"删除了 {len(found)} 个不能写入 Word 的控制字符", f"{source.name}:{number}"))

    def replace(match: re.Match[str]) -> str:
        if match.group() in _LINE_SEPARATORS:
            text, at = match.string, match.start()
            before = text[at - 1] if at else ""
            after = text[at + 1] if at + 1 < len(text) else ""
            if before.isascii() and before.isalnum() and after.isascii() and after.isalnum():
                return " "
        return ""

    return Source(_YAML_FORBIDDEN.sub(replace, source.text), source.name, notices)
