"""The Kit: one object that owns the configuration, the way Jinja's ``Environment`` does.

Templates (folders and in-memory sources), phrase banks, the typesetting style
(style file, font profile, numbering mode) and the seed policy are decided once,
here, and every entry point — the package functions, ``render``, ``batch``,
``preview`` and the HTTP service — goes through a Kit.  An option added to the
Kit therefore works everywhere at once, and ``batch --numbering word`` cannot
drift from ``render --numbering word`` again.

A Kit is cheap to build (the compiled templates, the styled base package and
the phrase bank are cached per configuration, not per Kit) and picklable (the
caches are dropped and rebuilt), so a pool worker — a local process, a thread or
a cluster's executor — holds the same configuration as the caller.

    import summarykit as sk
    kit = sk.Kit(templates=["我的模板"], style="本单位.yaml", numbering="word", seed=7)
    report = kit.load("records.yaml")          # also YAML/JSON text, bytes or a mapping
    doc = kit.compose(report)                  # the numbered document tree
    data = kit.write(doc, "docx")              # bytes in any registered format
    kit.render("records.yaml", "总结.docx")     # all of it, written atomically
    kit.render_many(["a.yaml", "b.yaml"], "输出", jobs=2)
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from .errors import SummaryKitError

if TYPE_CHECKING:
    import concurrent.futures

    from .batch import BatchResult, Outcome
    from .drafting.phrases import PhraseBank
    from .drafting.templating import Templates
    from .records.model import Report
    from .records.multi import Entry
    from .style import Style
    from .tree.document import Document

#: What ``load`` accepts: a path, YAML or JSON text, bytes, a mapping, a binary file object, or a Report.
Source = Any
#: Where ``render`` may write: a path, or any binary file-like object (anything with ``write``).
Output = str | os.PathLike[str] | IO[bytes]


def _is_text(value: str) -> bool:
    """A string holding records rather than naming a file: several lines, or JSON/YAML document syntax."""
    stripped = value.lstrip()
    return "\n" in value or stripped.startswith(("{", "---"))


class Kit:
    """Configuration and caches for the whole pipeline: load → compose → write."""

    def __init__(
        self,
        *,
        template: str | None = None,
        templates: Iterable[str | os.PathLike[str]] = (),
        template_sources: Mapping[str, str] | None = None,
        phrases: Iterable[str | os.PathLike[str]] = (),
        phrase_sources: Mapping[str, str] | None = None,
        style: Style | str | os.PathLike[str] | None = None,
        fonts: str | None = None,
        numbering: str | None = None,
        seed: int | None = None,
        assets: Iterable[str | os.PathLike[str]] = (),
    ) -> None:
        """``template``: the default template name (else each report's meta.template, then school_term).
        ``templates`` / ``template_sources``: the user's template folders, and templates held in
        memory (name → Jinja source), both searched before the built-ins.  ``phrases`` /
        ``phrase_sources``: extra phrase-bank files, and banks held in memory (name → YAML text).
        ``style``: a Style or a style-file path; ``fonts`` a font profile (gov, windows, open);
        ``numbering`` literal or word.  ``seed``: fixed for every report, or None to derive one
        from each report (stable across runs, different between units).
        ``assets``: folders pictures may also come from (besides the records file's folder and below).
        Raises StyleError, TemplateError for what is wrong with the configuration itself.
        """
        from .drafting.templating import Templates, check_name

        self.template = check_name(template) if template else None
        self.templates: Templates = Templates(templates, template_sources)
        self.phrase_files = tuple(str(p) for p in phrases)
        self.phrase_sources = dict(phrase_sources or {})
        self.style: Style = resolve_style(style, fonts, numbering)
        self.seed = seed
        self.assets = tuple(str(a) for a in assets)

    def __repr__(self) -> str:
        return (f"Kit(template={self.template!r}, templates={self.templates.folders!r}, "
                f"phrases={self.phrase_files!r}, seed={self.seed!r})")

    def replace(self, **changes: Any) -> Kit:
        """A copy with some options changed (style options apply over this Kit's style)."""
        options: dict[str, Any] = {
            "template": self.template, "templates": self.templates.folders,
            "template_sources": self.templates.sources, "phrases": self.phrase_files,
            "phrase_sources": self.phrase_sources, "style": self.style, "seed": self.seed,
            "assets": self.assets,
        }
        options.update(changes)
        return Kit(**options)

    # ------------------------------------------------------------------ configuration checks

    @property
    def bank(self) -> PhraseBank:
        """The phrase bank: built-ins plus this Kit's banks; a bank file edited on disk is re-read."""
        return _bank(_file_versions(self.phrase_files), tuple(self.phrase_sources.items()))

    def check(self, template: str | None = None) -> None:
        """Fail once, before any work, on what spoils every report: an unknown template, a bad bank."""
        name = template or self.template
        if name:
            self.templates.info(name)
            self.templates.for_render(name)  # compiled as compose will use it: built-ins need no sandbox here
        _ = self.bank

    # ------------------------------------------------------------------ the stages

    def load(self, source: Source, *, name: str | None = None,
             previous: str | os.PathLike[str] | None = None) -> Report:
        """Records → a validated Report; raises RecordsError listing every problem, located.

        ``source`` is a path (str or PathLike), YAML or JSON text (a str of several lines or
        starting with ``{``), bytes, a binary file object, a mapping (problems are then located
        by field path), or a Report (returned as it is).  ``previous``: last period's records
        file, whose metrics fill this report's previous values by place and name (else the
        records' own ``previous:`` key; see records/previous.py).
        """
        from .records import loading
        from .records.model import Report

        if isinstance(source, Report):
            if previous is None:
                return source
            from .records.previous import load_previous

            filled, notices = load_previous(source, previous, source.source, read=loading.load)
            filled._notices.extend(notices)
            return filled
        if isinstance(source, Mapping):
            return loading.load_data(source, name or loading.DATA_NAME, previous=previous)
        if isinstance(source, bytes | bytearray):
            return loading.loads(bytes(source), name or "<输入>", previous=previous, assets=self.assets)
        if hasattr(source, "read"):
            return loading.loads(_read_stream(source), name or str(getattr(source, "name", "<输入>")),
                                 previous=previous, assets=self.assets)
        if isinstance(source, str) and _is_text(source):
            return loading.loads(source, name or "<输入>", previous=previous, assets=self.assets)
        if isinstance(source, str | os.PathLike):
            return loading.load(source, previous=previous, assets=self.assets)
        raise SummaryKitError(f"不支持的记录来源：{type(source).__name__}（可以是文件路径、YAML/JSON 文本、"
                              "字节、字典或文件对象）")

    def load_all(self, source: Source, *, name: str | None = None,
                 select: Callable[[int], bool] | None = None) -> list[Entry]:
        """Every report of a source — one, or one per ``reports:`` entry of a multi-report file.

        A report that does not validate is an Entry with ``error`` set, so the others can
        still be used; what spoils the whole source raises RecordsError.
        """
        from .records import loading, multi

        if isinstance(source, str | os.PathLike) and not (isinstance(source, str) and _is_text(source)):
            return multi.read_entries(source, select)
        if isinstance(source, Mapping):
            label = name or loading.DATA_NAME
            return multi.entries_from_marked(loading.marked_from_data(source, label), label, "report", (), select)
        raw = _read_stream(source) if hasattr(source, "read") else source
        decoded = (loading.decode(bytes(raw), name or "<输入>") if isinstance(raw, bytes | bytearray)
                   else loading.Source(str(raw), name or "<输入>"))
        marked = loading.parse_source(decoded)
        return multi.entries_from_marked(marked, decoded.name, "report", (), select)

    def compose(self, report: Report, *, template: str | None = None, seed: int | None = None) -> Document:
        """A Report → the numbered document tree, with this Kit's templates, bank and style."""
        from .drafting.composer import compose

        return compose(report, template or self.template, seed=self.seed if seed is None else seed,
                       templates=self.templates, phrases=self.bank, style=self.style)

    def write(self, doc: Document, format: str = "docx") -> bytes:
        """The document tree → bytes in a registered format (see summarykit.writers.WRITERS)."""
        from .writers import get_writer

        return get_writer(format).write(doc, self.style)

    def render(self, source: Source, output: Output | None = None, *, format: str | None = None,
               template: str | None = None, seed: int | None = None,
               previous: str | os.PathLike[str] | None = None) -> bytes:
        """Load, compose and write one report; return the bytes, and write them to ``output`` if given.

        ``output`` is a path (written atomically; never the records file itself) or a binary
        file-like object.  ``format`` defaults to the output path's extension, then docx.
        """
        from .output import check_output, write_atomic
        from .writers import format_for_path, get_writer

        target = output if isinstance(output, str | os.PathLike) else None
        writer = get_writer(format or format_for_path(target) or "docx")
        inputs = (source,) if _is_path(source) else ()
        if target is not None:
            check_output(target, inputs)  # before the work: a bad path fails at once
        if writer.needs_libreoffice:  # LibreOffice starts while the records are loaded and composed
            from .office.converter import prestart

            prestart()
        report = self.load(source, previous=previous)
        data = writer.write(self.compose(report, template=template, seed=seed), self.style)
        if target is not None:
            write_atomic(Path(target), data, inputs)
        elif output is not None:
            output.write(data)  # type: ignore[union-attr]
        return data

    def render_many(self, inputs: Iterable[str | os.PathLike[str]], out_dir: str | os.PathLike[str], *,
                    jobs: int | None = None, executor: concurrent.futures.Executor | None = None,
                    format: str = "docx", progress: Callable[[Outcome], None] | None = None) -> BatchResult:
        """Render many records files into ``out_dir`` (one output per report); see summarykit.batch."""
        from .batch import run_batch

        return run_batch(self, inputs, out_dir, jobs=jobs, executor=executor, format=format, progress=progress)

    def preview(self, source: Source, folder: str | os.PathLike[str], *, dpi: int = 96,
                stem: str | None = None, template: str | None = None, seed: int | None = None) -> list[Path]:
        """One PNG per page (through LibreOffice): ``folder/stem-1.png``…; returns their paths."""
        from .office.fonts import printable, warn_substitutions
        from .office.preview import check_folder, pdf_to_pngs, write_pages

        check_folder(folder)  # before the slow part
        shown, missing = printable(self.style)  # fonts LibreOffice can print here, with a warning naming them
        warn_substitutions(missing)
        kit = self.replace(style=shown) if missing else self
        # The PDF writer: one conversion, or two for a 公文 whose 版记 must move (writers/pagination.py).
        pngs = pdf_to_pngs(kit.render(source, format="pdf", template=template, seed=seed), dpi=dpi)
        if stem is None:
            stem = Path(source).stem if _is_path(source) else "preview"
        return write_pages(pngs, folder, stem)


def _is_path(source: Any) -> bool:
    return isinstance(source, os.PathLike) or (isinstance(source, str) and not _is_text(source))


def _read_stream(stream: Any) -> bytes:
    data = stream.read()
    return data.encode("utf-8") if isinstance(data, str) else bytes(data)


def resolve_style(style: Style | str | os.PathLike[str] | None, fonts: str | None, numbering: str | None) -> Style:
    """A Style from what the caller holds: a Style, a style-file path or nothing, plus the two overrides."""
    from .style import Style, load_style

    if not isinstance(style, Style):
        return load_style(style, fonts, numbering)
    resolved = style.with_fonts(fonts) if fonts else style
    return resolved.with_numbering(numbering) if numbering else resolved


def _file_versions(paths: Sequence[str]) -> tuple[tuple[str, int, int], ...]:
    """(path, mtime, size) per bank file: the cache key that makes an edited file count as new."""
    versions = []
    for path in paths:
        try:
            found = os.stat(path)
            versions.append((path, found.st_mtime_ns, found.st_size))
        except OSError:
            versions.append((path, 0, -1))  # reported by the bank loader, with its message
    return tuple(versions)


@functools.lru_cache(maxsize=16)
def _bank(files: tuple[tuple[str, int, int], ...], sources: tuple[tuple[str, str], ...]) -> PhraseBank:
    from .drafting.phrases import load_bank

    return load_bank(tuple(path for path, _, _ in files), sources=sources)


# --------------------------------------------------------------------------- package-level shortcuts


@functools.lru_cache(maxsize=1)
def default_kit() -> Kit:
    """The Kit behind ``sk.load`` and friends when no option is given: built-ins and the default style."""
    return Kit()


def _kit(options: Mapping[str, Any]) -> Kit:
    given = {k: v for k, v in options.items() if v not in (None, (), [], {})}
    return Kit(**given) if given else default_kit()


def load(source: Source, *, name: str | None = None, previous: str | os.PathLike[str] | None = None,
         assets: Sequence[str | os.PathLike[str]] = ()) -> Report:
    """Records (path, text, bytes, mapping, file object) → Report; raises RecordsError listing every problem.

    ``previous``: last period's records file (metrics compared by place and name).
    Pictures may come from the records file's folder (and below) and the ``assets`` folders.
    """
    return _kit({"assets": assets}).load(source, name=name, previous=previous)


def loads(text: str | bytes, name: str = "<输入>", *, previous: str | os.PathLike[str] | None = None,
          base_dir: str | os.PathLike[str] | None = None, assets: Sequence[str | os.PathLike[str]] = ()) -> Report:
    """Records from YAML or JSON text (or bytes); pictures relative to ``base_dir``, confined to it and ``assets``."""
    from .records.loading import loads as _loads

    return _loads(text, name, previous=previous, base_dir=base_dir, assets=assets)


def compose(report: Report, template: str | None = None, *, seed: int | None = None,
            templates: Sequence[str | os.PathLike[str]] = (), phrases: Sequence[str | os.PathLike[str]] = (),
            style: Style | None = None) -> Document:
    """A Report → numbered Document (a shortcut for ``Kit(...).compose``)."""
    return _kit({"templates": templates, "phrases": phrases, "style": style}).compose(
        report, template=template, seed=seed)


def render(source: Source, output: Output | None = None, *, template: str | None = None,
           format: str | None = None, seed: int | None = None,
           templates: Sequence[str | os.PathLike[str]] = (), phrases: Sequence[str | os.PathLike[str]] = (),
           style: Style | str | os.PathLike[str] | None = None, fonts: str | None = None,
           numbering: str | None = None, previous: str | os.PathLike[str] | None = None,
           assets: Sequence[str | os.PathLike[str]] = ()) -> bytes:
    """Load, compose and write one report (a shortcut for ``Kit(...).render``); returns the bytes."""
    kit = _kit({"templates": templates, "phrases": phrases, "style": style, "fonts": fonts, "numbering": numbering,
                "assets": assets})
    return kit.render(source, output, format=format, template=template, seed=seed, previous=previous)


def render_many(inputs: Iterable[str | os.PathLike[str]], out_dir: str | os.PathLike[str], *,
                jobs: int | None = None, executor: concurrent.futures.Executor | None = None,
                format: str = "docx", template: str | None = None, seed: int | None = None,
                templates: Sequence[str | os.PathLike[str]] = (), phrases: Sequence[str | os.PathLike[str]] = (),
                style: Style | str | os.PathLike[str] | None = None, fonts: str | None = None,
                numbering: str | None = None, progress: Callable[[Outcome], None] | None = None) -> BatchResult:
    """Many reports at once (a shortcut for ``Kit(...).render_many``); see summarykit.batch."""
    kit = _kit({"template": template, "seed": seed, "templates": templates, "phrases": phrases, "style": style,
                "fonts": fonts, "numbering": numbering})
    return kit.render_many(inputs, out_dir, jobs=jobs, executor=executor, format=format, progress=progress)


def to_docx(doc: Document, style: Style | None = None) -> bytes:
    """A numbered Document → DOCX bytes (GB/T 9704 typesetting by default)."""
    from .style import DEFAULT_STYLE
    from .writers.docx import to_docx as _to_docx

    return _to_docx(doc, style or DEFAULT_STYLE)


def to_markdown(doc: Document) -> str:
    from .writers.text import to_markdown as _to_markdown

    return _to_markdown(doc)


def to_text(doc: Document) -> str:
    from .writers.text import to_text as _to_text

    return _to_text(doc)


__all__ = ["Kit", "compose", "default_kit", "load", "loads", "render", "render_many", "resolve_style",
           "to_docx", "to_markdown", "to_text"]

