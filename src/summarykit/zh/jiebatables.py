"""jieba's three dictionaries read piecewise: only the words that begin with a character the text uses.

jieba holds its dictionary as one Python dict (about 580,000 entries: every word with
its frequency, and every prefix of a word with 0), its part-of-speech tagger a second
one built by parsing dict.txt again (about 350,000 word → tag), and its keyword
extractor a third (about 350,000 word → IDF).  Filling them costs 2–3 s and 150 MB
in every process — jieba's own marshal cache saves little, because the time is
spent creating hundreds of thousands of Python strings, not in parsing.

Yet every lookup jieba makes while segmenting a text is of a substring of that text
(the DAG tries ``sentence[k:i]``, the route scores the same pieces, the tagger and the
IDF look up the words found), so every key it asks for begins with a character of
the text.  The tables here are split by first character into one cache file, and a
table fills the part for a character the first time a key beginning with it is
looked up.  jieba therefore sees exactly the values the whole tables hold (the
agreement test in tests/test_jiebatables.py compares every token and tag of the six
sample summaries with a plainly initialized jieba), while a report with 1,500
distinct characters loads a few percent of the entries.

Writes keep jieba's meaning: every write (``add_word``'s assignments, the POS tagger's
``word_tag_tab.update(user tags)``) fills the part of its key first and then overrides
it, so a user word wins over dict.txt as it does in jieba.

The cache file is built once per jieba installation (from jieba's own loaders:
``Tokenizer.gen_pfdict``, ``POSTokenizer.load_word_tag`` and ``IDFLoader``) into the
user cache folder, keyed by jieba's version, its data files' sizes and times, this
format's version and marshal's; a folder that cannot be written falls back to
jieba's ordinary start (see usercache.start_jieba).
"""

from __future__ import annotations

import array
import hashlib
import marshal
import os
import tempfile
import threading
import types
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

FORMAT_VERSION = 4
_MAGIC = b"SKJIEBA4"
FREQ, TAGS, IDF = 0, 1, 2  # the three tables, in the order each part lists them
_LOCK = threading.Lock()
_NONE: tuple[dict[str, Any], ...] = ({}, {}, {})


class PieceTable(dict):  # type: ignore[type-arg]
    """A dict that loads the entries beginning with two characters on the first lookup of such a key.

    Only the operations jieba and summarykit use are intercepted (``in``, ``[]``, ``get``,
    assignment, ``setdefault``, ``update``); iterating gives only the parts loaded so far.
    """

    __slots__ = ("_load", "_lock", "_seen")

    def __init__(self, load: Callable[[str], dict[str, Any]]) -> None:
        super().__init__()
        self._load = load
        self._lock = threading.Lock()
        self._seen: set[str] = set()

    def _fill(self, part: str) -> None:
        # Every write below fills its part first, so no key of this part is present yet.  Marked as seen only
        # once its entries are in, under a lock, so that a thread never looks up a half-filled part and a
        # part is never filled twice (a second fill would undo a write made in between).
        with self._lock:
            if part not in self._seen:
                dict.update(self, self._load(part))
                self._seen.add(part)

    # A key's part is its first two characters (a one-character key is its own part), written out in each
    # method as ``key[:2]``: these run for every lookup jieba makes (a hundred thousand for a long text),
    # where a helper function call was a third of the cost.
    def __contains__(self, key: object) -> bool:
        part = key[:2] if isinstance(key, str) else ""
        if part not in self._seen:
            self._fill(part)
        return dict.__contains__(self, key)

    def __getitem__(self, key: str) -> Any:
        part = key[:2]
        if part not in self._seen:
            self._fill(part)
        return dict.__getitem__(self, key)

    def get(self, key: str, default: Any = None) -> Any:
        part = key[:2]
        if part not in self._seen:
            self._fill(part)
        return dict.get(self, key, default)

    def __setitem__(self, key: str, value: Any) -> None:
        part = key[:2]
        if part not in self._seen:
            self._fill(part)
        dict.__setitem__(self, key, value)

    def setdefault(self, key: str, default: Any = None) -> Any:
        part = key[:2]
        if part not in self._seen:
            self._fill(part)
        return dict.setdefault(self, key, default)

    def update(self, *args: Any, **kwargs: Any) -> None:  # type: ignore[override]
        for key, value in dict(*args, **kwargs).items():
            self[key] = value

    def loaded(self) -> int:
        """How many parts have been loaded (for tests and benchmarks)."""
        return len(self._seen)


class Tables:
    """The open cache file: totals, the index, and the parts read from it on demand.

    The file holds, per first character, a directory — the entries of that one-character key,
    the second characters that follow it in some key (a string), and where each of their parts
    lies (an array of offsets and lengths, so that reading a directory creates few objects).
    """

    def __init__(self, path: Path) -> None:
        # Parts are read with pread, not a memory map: mapped pages would count in every process's resident
        # memory (16 MB for a 1,300-character report), read ones are only the parts decoded.
        self._file = open(path, "rb")
        self._lock = threading.Lock()
        try:
            head = self._pread(16, 0)
            if head[:8] != _MAGIC:
                raise ValueError(f"not a jieba table file: {path}")
            size = int.from_bytes(head[8:16], "little")
            self.total, self.median_idf, self._index = marshal.loads(self._pread(size, 16))
        except BaseException:
            self._file.close()
            raise
        self._base = 16 + size
        self._idf: PieceTable | None = None
        # Decoded parts are kept: the tables of a tokenizer, its tagger and the IDF share them, and
        # a private tokenizer (phrases) reads the same parts again.  Only parts used are here.
        self._parts: dict[str, tuple[dict[str, Any], ...]] = {}
        self._dirs: dict[str, tuple[str, array.array[int]]] = {}

    def _pread(self, length: int, offset: int) -> bytes:
        if hasattr(os, "pread"):
            return os.pread(self._file.fileno(), length, offset)
        with self._lock:  # pragma: no cover - Windows has no pread
            self._file.seek(offset)
            return self._file.read(length)

    def _read(self, offset: int, length: int) -> Any:
        return marshal.loads(self._pread(length, self._base + offset))

    def _parts_of(self, part: str) -> tuple[dict[str, Any], ...]:
        found = self._parts.get(part)
        if found is not None:
            return found
        first = part[:1]
        directory = self._dirs.get(first)
        if directory is None:
            entry = self._index.get(first)
            if entry is None:
                self._parts[first] = _NONE
                directory = self._dirs[first] = ("", array.array("I"))
            else:
                one, seconds, where = self._read(*entry)
                self._parts[first] = one
                locations = array.array("I")
                locations.frombytes(where)
                directory = self._dirs[first] = (seconds, locations)
        if len(part) == 2:
            seconds, locations = directory
            at = seconds.find(part[1])
            self._parts[part] = _NONE if at < 0 else self._read(locations[2 * at], locations[2 * at + 1])
        return self._parts.get(part, _NONE)

    def part(self, table: int, part: str) -> dict[str, Any]:
        if not part or not isinstance(part, str):
            return {}
        found: dict[str, Any] = self._parts_of(part)[table]
        return found

    def table(self, which: int) -> PieceTable:
        return PieceTable(lambda part: self.part(which, part))

    def idf(self) -> tuple[PieceTable, float]:
        """jieba.analyse's IDF table and median, piecewise (read-only, so one per process)."""
        if self._idf is None:
            self._idf = self.table(IDF)
        return self._idf, self.median_idf


# --------------------------------------------------------------------------- the cache file


def _data_files(jieba: types.ModuleType) -> tuple[Path, Path]:
    folder = Path(jieba.__file__).parent
    return folder / "dict.txt", folder / "analyse" / "idf.txt"


def cache_name(jieba: types.ModuleType) -> str:
    """jieba-VERSION-tables-DIGEST.cache: a new jieba, new data files or a new format make a new file."""
    parts = [str(FORMAT_VERSION), str(marshal.version), str(jieba.__version__)]
    for path in _data_files(jieba):
        found = path.stat()
        parts += [path.name, str(found.st_size), str(found.st_mtime_ns)]
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]
    return f"jieba-{jieba.__version__}-tables-{digest}.cache"


def _grouped(tables: Iterable[dict[str, Any]]) -> dict[str, dict[str, list[dict[str, Any]]]]:
    """first character → part (one or two characters) → the three tables' entries of that part.

    One string object per word, so that marshal writes a word shared by the tables once.
    """
    groups: dict[str, dict[str, list[dict[str, Any]]]] = {}
    same: dict[str, str] = {}
    for which, table in enumerate(tables):
        for key, value in table.items():
            key = same.setdefault(key, key)
            part = key[:2]
            parts = groups.setdefault(key[:1], {}).get(part)
            if parts is None:
                parts = groups[key[:1]][part] = [{}, {}, {}]
            parts[which][key] = value
    return groups


def _whole_tables(jieba: types.ModuleType) -> tuple[dict[str, int], int, dict[str, str], dict[str, float], float]:
    """jieba's tables as jieba itself builds them (its own loaders, so the parsing rules stay its own)."""
    dict_txt, idf_txt = _data_files(jieba)
    posseg = import_posseg(jieba)
    freq, total = jieba.Tokenizer.gen_pfdict(open(dict_txt, "rb"))  # gen_pfdict closes it
    holder = types.SimpleNamespace()
    posseg.POSTokenizer.load_word_tag(holder, open(dict_txt, "rb"))  # load_word_tag closes it
    import jieba.analyse  # its default TF-IDF extractor loads idf.txt with jieba's IDFLoader

    loader = jieba.analyse.default_tfidf.idf_loader
    if Path(loader.path) != idf_txt:  # pragma: no cover - someone called jieba.analyse.set_idf_path
        loader = type(loader)(str(idf_txt))
    return freq, total, holder.word_tag_tab, loader.idf_freq, loader.median_idf


def build(jieba: types.ModuleType, path: Path) -> None:
    """Write the cache file atomically (a temporary file renamed), so a reader never sees half of one."""
    freq, total, tags, idf, median = _whole_tables(jieba)
    blobs: list[bytes] = []
    index: dict[str, tuple[int, int]] = {}
    offset = 0

    def put(blob: bytes) -> tuple[int, int]:
        nonlocal offset
        blobs.append(blob)
        offset += len(blob)
        return offset - len(blob), len(blob)

    for first, parts in _grouped((freq, tags, idf)).items():
        seconds, locations = [], array.array("I")
        for part, tables in parts.items():
            if len(part) == 2:
                seconds.append(part[1])
                locations.extend(put(marshal.dumps(tuple(tables))))
        one = tuple(parts.get(first, _NONE))
        index[first] = put(marshal.dumps((one, "".join(seconds), locations.tobytes())))
    header = marshal.dumps((total, median, index))
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".jieba-tables-")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(_MAGIC + len(header).to_bytes(8, "little") + header)
            for blob in blobs:
                handle.write(blob)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


_OPEN: dict[Path, Tables] = {}


def open_tables(jieba: types.ModuleType, folder: Path) -> Tables:
    """The tables of this jieba from ``folder``, built there first if missing (raises OSError if it cannot)."""
    path = folder / cache_name(jieba)
    with _LOCK:
        tables = _OPEN.get(path)
        if tables is None:
            try:
                tables = Tables(path)
            except (OSError, ValueError, EOFError, TypeError):
                build(jieba, path)
                tables = Tables(path)
            _OPEN[path] = tables
        return tables


# --------------------------------------------------------------------------- jieba with these tables


def import_jieba() -> types.ModuleType:
    """``import jieba`` without pkg_resources (85 ms of its 110 ms import), through jieba's own fallback.

    jieba's _compat uses pkg_resources only to open its data files, and opens them by path
    when pkg_resources cannot be imported (as with setuptools versions that no longer have it).
    """
    import sys

    if "jieba" in sys.modules:
        return sys.modules["jieba"]
    blocked = "pkg_resources" not in sys.modules
    if blocked:
        sys.modules["pkg_resources"] = None  # type: ignore[assignment]  # makes `import pkg_resources` fail
    try:
        import jieba
    finally:
        if blocked and sys.modules.get("pkg_resources", False) is None:
            del sys.modules["pkg_resources"]
    return jieba


def import_posseg(jieba: types.ModuleType) -> types.ModuleType:
    """``jieba.posseg`` without its import-time parse of dict.txt (1 s): its default tagger reads an empty file.

    The module builds ``POSTokenizer(jieba.dt)`` when imported, which reads every POS tag;
    pointed at the null device it reads none, and ``use`` then gives it the piecewise table.
    """
    import sys

    if "jieba.posseg" in sys.modules:
        return sys.modules["jieba.posseg"]
    saved = jieba.dt.dictionary
    jieba.dt.dictionary = os.devnull
    try:
        import jieba.posseg as posseg
    finally:
        jieba.dt.dictionary = saved
    return posseg


def use(tokenizer: Any, tables: Tables) -> None:
    """Give a jieba ``Tokenizer`` (jieba.dt, or a private one) the piecewise word table instead of initializing it."""
    with tokenizer.lock:
        tokenizer.FREQ = tables.table(FREQ)
        tokenizer.total = tables.total
        tokenizer.initialized = True


def tagger(jieba: types.ModuleType, tables: Tables, tokenizer: Any = None) -> Any:
    """The POS tagger over ``tokenizer`` (default jieba.dt: posseg.dt itself) with the piecewise tag table."""
    posseg = import_posseg(jieba)
    if tokenizer is None:
        found = posseg.dt
    else:
        saved = tokenizer.dictionary
        tokenizer.dictionary = os.devnull  # POSTokenizer() reads the tags from the tokenizer's file: none here
        try:
            found = posseg.POSTokenizer(tokenizer)
        finally:
            tokenizer.dictionary = saved
    if not isinstance(found.word_tag_tab, PieceTable):
        table = tables.table(TAGS)
        for word, tag in found.word_tag_tab.items():  # tags added before (none when imported as above)
            table[word] = tag
        found.word_tag_tab = table
    return found
