"""Report + template + phrase bank → numbered document tree.

The only stage that knows about Jinja: it renders the template with the
report's (escaped) values, parses the light markup into the document tree,
drops sections that came out empty and runs the numbering pass.
"""

from __future__ import annotations

import logging
import zlib
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ..errors import Notice, TemplateError
from ..records.model import Report
from ..style import DEFAULT_STYLE, Style
from ..tree.document import Block, Document, DocumentInfo, Heading, Image, Official, PageBreak
from ..tree.numbering import number_document, number_figures, resolve_scheme
from ..zh.dates import cn_date
from .markup import MarkupError, escape, parse, record_emphasis
from .templating import MarkupText, Templates, located_template_error, template_error, templates_for

if TYPE_CHECKING:
    from .phrases import PhraseBank

log = logging.getLogger(__name__)

DEFAULT_TEMPLATE = "school_term"


def default_seed(report: Report) -> int:
    """A seed derived from the report itself: stable across runs, different between units."""
    key = f"{report.title}|{report.meta.organization or ''}|{report.meta.department or ''}"
    return zlib.crc32(key.encode("utf-8")) % 100_000


def report_text(report: Report) -> str:
    """All prose of a report, one paragraph per line (for keywords and checks)."""
    lines: list[str] = []

    def walk(value: Any) -> None:
        if isinstance(value, str):
            lines.append(value)
        elif isinstance(value, dict):
            for key, item in value.items():
                if key not in {"template", "date", "unit", "value"}:
                    walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(report.model_dump(exclude={"meta", "signature", "keywords", "references"}))
    return "\n".join(lines)


def resolve_keywords(report: Report) -> list[str]:
    if report.keywords == "auto":
        from ..tools.textcheck import extract_keywords  # jieba is loaded only when asked for

        return extract_keywords(report_text(report), top=5)
    return list(report.keywords or [])


def _with_new_pages(data: dict[str, Any], parts: Sequence[str]) -> dict[str, Any]:
    """The style's ``new_page`` parts as ``page_break`` on the records, so templates honour one field."""
    for name in parts:
        if name in {"achievements", "sections"}:
            if data.get(name):
                data[name][0]["page_break"] = True
        elif isinstance(data.get(name), dict):
            data[name]["page_break"] = True
    return data


def template_context(report: Report, keywords: list[str], style: Style) -> dict[str, Any]:
    """What a template sees: the records as plain data (escaping happens as values are printed)."""
    data = _with_new_pages(report.model_dump(mode="python"), style.new_page)
    data["title"] = report.title
    data["keywords"] = list(keywords)
    data["signature"] = {
        "organization": report.signature_organization,
        "name": report.signature.name or "",
        "date": cn_date(report.signature_date, style.date_style),
    }
    return {"report": data, "meta": data["meta"], "date_style": style.date_style}


def drop_empty_sections(blocks: Sequence[Block]) -> list[Block]:
    """A heading with nothing under it (before the next heading of its level or above) disappears."""
    kept: list[Block] = []
    for index, block in enumerate(blocks):
        if isinstance(block, Heading) and not (block.run_in and block.body):
            has_content = False
            for following in blocks[index + 1:]:
                if isinstance(following, PageBreak):
                    continue  # a page break is not content: it belongs to what follows
                if isinstance(following, Heading):
                    if following.level <= block.level:
                        break
                    if following.run_in and following.body:
                        has_content = True
                        break
                    continue
                has_content = True
                break
            if not has_content:
                continue
        kept.append(block)
    return _tidy_page_breaks(kept)


def _tidy_page_breaks(blocks: list[Block]) -> list[Block]:
    """No page break at the start or the end, and never two in a row (no blank pages)."""
    tidy: list[Block] = []
    for block in blocks:
        if isinstance(block, PageBreak) and (not tidy or isinstance(tidy[-1], PageBreak)):
            continue
        tidy.append(block)
    while tidy and isinstance(tidy[-1], PageBreak):
        tidy.pop()
    return tidy


def _with_sources(blocks: Sequence[Block], report: Report) -> list[Block]:
    """Pictures carry the file loading checked (records/assets.py); the writers read only that."""
    import dataclasses

    return [dataclasses.replace(b, source=report.assets.get(b.path, "")) if isinstance(b, Image) else b
            for b in blocks]


def official_parts(report: Report, style: Style) -> Official | None:
    """The 公文 parts: the records' ``official:`` over the style's fixed ones; None when neither gives any."""
    given = report.official.model_dump() if report.official else {}
    defaults = style.official.model_dump()
    merged = {k: given.get(k) or defaults.get(k) for k in Official.__dataclass_fields__}
    printed = merged.get("printed")
    parts = Official(
        copy_number=merged.get("copy_number") or "",
        secrecy=merged.get("secrecy") or "",
        urgency=merged.get("urgency") or "",
        issuer=merged.get("issuer") or "",
        number=merged.get("number") or "",
        signers=tuple(merged.get("signers") or ()),
        recipients=merged.get("recipients") or "",
        note=merged.get("note") or "",
        copy_to=tuple(merged.get("copy_to") or ()),
        printer=merged.get("printer") or "",
        printed=cn_date(printed, style.date_style) if printed else "",
    )
    return parts if parts != Official() else None


def compose(
    report: Report,
    template: str | None = None,
    *,
    seed: int | None = None,
    templates: Templates | Sequence[str] = (),
    phrases: PhraseBank | Sequence[str] = (),
    style: Style | None = None,
) -> Document:
    """Render ``report`` with a template into a numbered Document.

    ``template`` defaults to the records' ``meta.template``, then school_term.
    ``templates`` is where templates come from (a Templates, or the user's template
    folders, searched before the built-ins); ``phrases`` the phrase bank (a
    PhraseBank, or extra bank files).  The same report, template and seed always
    give the same document.  Kit.compose is the usual way in; this is the stage itself.
    """
    from .phrases import PhraseBank, PhraseChooser, load_bank

    style = style or DEFAULT_STYLE
    name = template or report.meta.template or DEFAULT_TEMPLATE
    source = templates if isinstance(templates, Templates) else templates_for(tuple(str(d) for d in templates))
    bank = phrases if isinstance(phrases, PhraseBank) else load_bank(tuple(phrases))
    info = source.info(name)
    compiled = source.get(name)
    seed = default_seed(report) if seed is None else seed
    chooser = PhraseChooser(bank, seed, tags=info.tags)
    keywords = resolve_keywords(report)

    def phrase(category: str, **slots: Any) -> MarkupText:
        # A stock sentence is markup-safe text: escaped once, as a whole, and marked so it is not escaped again.
        return MarkupText(escape(chooser.choose(category, **slots)))

    context = template_context(report, keywords, style)
    context["phrase"] = phrase
    context["seed"] = seed
    try:
        with record_emphasis(report.meta.emphasis or style.emphasis):  # **重点** stays markup when opted in
            markup = compiled.render(context)
    except TemplateError:
        raise
    except Exception as exc:  # a template bug: name the file and line, never a traceback
        raise template_error(exc, name) from None
    try:
        parsed = parse(markup, name)
    except MarkupError as exc:
        where = source.locate(name, {**context, "phrase": phrase}, exc.line)
        if where is None:
            raise
        raise located_template_error(exc.what, where[0], where[1], exc.hint) from None
    try:
        scheme = resolve_scheme(parsed.scheme or info.numbering or "default", style.schemes)
    except KeyError as exc:
        raise TemplateError(f"模板“{name}”使用了不存在的编号方案“{exc.args[0]}”") from None
    notices: list[Notice] = list(report.notices)
    doc = Document(
        title=parsed.title or report.title,
        title_pieces=tuple(report.meta.title_pieces()) if not parsed.title or parsed.title == report.title else (),
        subtitle=parsed.subtitle,
        front=tuple(parsed.front),
        blocks=tuple(_with_sources(drop_empty_sections(parsed.blocks), report)),
        signature=parsed.signature,
        attachments=tuple(parsed.attachments),
        scheme=scheme,
        info=DocumentInfo(
            author=report.meta.author or report.signature_organization,
            date=report.signature_date or report.meta.date,
            seed=seed,
            template=name,
            keywords=tuple(keywords),
        ),
        notices=tuple(notices),
        official=official_parts(report, style),
    )
    return number_figures(number_document(doc))
