"""Report + template + phrase bank → numbered document tree.

The only stage that knows about Jinja: it renders the template with the
report's (escaped) values, parses the light markup into the document tree,
drops sections that came out empty and runs the numbering pass.
"""

from __future__ import annotations

import logging
import zlib
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from ..errors import Notice, TemplateError
from ..nogc import without_gc
from ..records.model import Report
from ..style import DEFAULT_STYLE, Style
from ..tree.document import Block, Document, DocumentInfo, Heading, Image, Official, PageBreak
from ..tree.numbering import number_in_place, resolve_scheme
from ..zh import orgtype
from ..zh.dates import cn_date
from .markup import MarkupError, escape, parse, record_emphasis
from .templating import (
    MarkupText,
    Templates,
    located_template_error,
    render_bounded,
    render_trusted,
    template_error,
    templates_for,
)

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


def document_org_type(report: Report, template_tags: Sequence[str] = ()) -> tuple[str, Notice | None]:
    """The organization type a document is written for, and the notice saying so when it was inferred.

    The records' meta.org_type first; then what the organization's (or department's) name implies;
    then the type the template was written for; else 通用 (general: neutral phrases only).
    """
    if report.meta.org_type:
        return report.meta.org_type, None
    for name in (report.meta.organization, report.meta.department):
        found = orgtype.infer(name)
        if found:
            message = (f"单位类型按“{found.org_type}”处理（由单位名称“{found.name}”中的“{found.word}”推断）；"
                       f"不对时请在 meta 里写 org_type（单位类型），可用：{'、'.join(orgtype.ORG_TYPES)}")
            return found.org_type, Notice("org_type", message, report.source)
    for tag in template_tags:
        if tag in orgtype.TAG_TO_TYPE:
            return orgtype.TAG_TO_TYPE[tag], None
    return orgtype.GENERAL, None


def document_tags(template_tags: Sequence[str], org_type: str) -> tuple[str, ...]:
    """The phrase tags of a document: the template's register and genre, the records' organization type."""
    from .phrases import ORG_TAGS

    kept = [t for t in template_tags if t not in ORG_TAGS]
    tag = orgtype.tag_of(org_type)
    return (*kept, tag) if tag else tuple(kept)


_LEADS_IN = ("：", ":")


def intro_leads_in(report: Report) -> bool:
    """The intro's last paragraph already announces the body (……总结如下：): no stock lead-in after it."""
    return bool(report.intro) and report.intro[-1].rstrip().endswith(_LEADS_IN)


def template_context(report: Report, keywords: list[str], style: Style, org_type: str = orgtype.GENERAL,
                     choose: Callable[..., str] | None = None) -> dict[str, Any]:
    """What a template sees: the records as plain data (escaping happens as values are printed).

    With ``choose`` (the document's phrase chooser), figures are drafted into it: metric-only
    items get their text, groups with metrics their paragraph or table (drafting/figures.py).
    """
    data = report.model_dump(mode="python")
    if choose is not None:
        from .figures import annotate

        annotate(data, report, choose)
    data = _with_new_pages(data, style.new_page)
    data["title"] = report.title
    data["keywords"] = list(keywords)
    data["signature"] = {
        "organization": report.signature_organization,
        "name": report.signature_name,
        "date": cn_date(report.signature_date, style.date_style),
    }
    data["meta"]["org_type"] = org_type
    mode = report.opening if report.opening in {"auto", "none"} else "text"
    opening = {"mode": mode, "text": report.opening if mode == "text" else "",
               "led_in": intro_leads_in(report)}
    return {"report": data, "meta": data["meta"], "date_style": style.date_style, "opening": opening,
            "org_type": org_type}


def _is_content_heading(block: Heading) -> bool:
    """A run-in heading with a body is content; an unnumbered run-in one (a bold-lead 一是 point) is
    content even without a body."""
    return block.run_in and (bool(block.body) or not block.numbered)


def _kept_headings(blocks: Sequence[Block]) -> list[bool]:
    """Per block, False for a heading with nothing under it (before the next heading of its level or
    above, page breaks not counting), else True: the rule of ``drop_empty_sections``, in one pass
    from the end.

    Going backwards, ``below`` is the level a heading must be shallower than (a smaller number)
    to have content before the next heading of its level or above: content makes every heading
    before it keep (infinite), a heading of level L makes those of level L and deeper lose it
    (at most L), and a content heading of level L gives it back to the shallower ones (exactly L).
    """
    keep = [True] * len(blocks)
    below = float("-inf")  # nothing after the last block
    for index in range(len(blocks) - 1, -1, -1):
        block = blocks[index]
        if isinstance(block, Heading):
            if _is_content_heading(block):
                below = block.level
            else:
                if not block.level < below:
                    keep[index] = False
                below = min(below, block.level)
        elif not isinstance(block, PageBreak):
            below = float("inf")
    return keep


def drop_empty_sections(blocks: Sequence[Block]) -> list[Block]:
    """A heading with nothing under it (before the next heading of its level or above) disappears."""
    keep = _kept_headings(blocks)
    return _tidy_page_breaks([block for block, kept in zip(blocks, keep, strict=True) if kept])


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


def _final_blocks(blocks: Sequence[Block], report: Report, scheme: Sequence[str]) -> tuple[Block, ...]:
    """``number_figures(number_blocks(_with_sources(drop_empty_sections(blocks))))`` in two passes,
    for the blocks the markup parser has just made (labels and numbers are set in place, see
    ``number_in_place``): five passes, each building a list or a copy of every block, were a
    sixth of composing a long report.  A property test checks the two give equal blocks."""
    keep = _kept_headings(blocks)
    assets = report.assets
    final: list[Block] = []
    for block, kept in zip(blocks, keep, strict=True):
        if not kept:
            continue
        kind = type(block)
        if kind is PageBreak:
            if not final or type(final[-1]) is PageBreak:
                continue  # no page break at the start, never two in a row
        elif kind is Image:
            block.__dict__["source"] = assets.get(block.path, "")  # type: ignore[union-attr]
        final.append(block)
    while final and type(final[-1]) is PageBreak:
        final.pop()
    number_in_place(final, scheme)
    return tuple(final)


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


@without_gc
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
    compiled, trusted = source.for_render(name)
    seed = default_seed(report) if seed is None else seed
    org_type, inferred = document_org_type(report, info.tags)
    chooser = PhraseChooser(bank, seed, tags=document_tags(info.tags, org_type))
    keywords = resolve_keywords(report)
    notices: list[Notice] = list(report.notices) + ([inferred] if inferred else [])

    def phrase(category: str, **slots: Any) -> MarkupText:
        # A stock sentence is markup-safe text: escaped once, as a whole, and marked so it is not escaped again.
        return MarkupText(escape(chooser.choose(category, **slots)))

    def note(code: str) -> str:
        """Templates call note("lead_in") where they leave a stock sentence out, so the user is told."""
        if code == "lead_in" and not any(n.code == "lead_in" for n in notices):
            notices.append(Notice("lead_in", "开头最后一段已经以“……：”引出正文，不再另加“现将……总结如下：”一类的引语",
                                  report.source))
        return ""

    context = template_context(report, keywords, style, org_type, chooser.choose)
    context["phrase"] = phrase
    context["note"] = note
    context["seed"] = seed
    try:
        with record_emphasis(report.meta.emphasis or style.emphasis):  # **重点** stays markup when opted in
            markup = (render_trusted if trusted else render_bounded)(compiled, context)
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
    for notice in notices[len(report.notices):]:
        log.info("%s", notice)
    title = report.title  # composed from meta when the records give none: once, not twice
    doc = Document(
        title=parsed.title or title,
        title_pieces=tuple(report.meta.title_pieces()) if not parsed.title or parsed.title == title else (),
        subtitle=parsed.subtitle,
        front=tuple(parsed.front),
        blocks=_final_blocks(parsed.blocks, report, scheme),
        signature=parsed.signature if report.has_signature else None,
        attachments=tuple(parsed.attachments),
        scheme=scheme,
        info=DocumentInfo(
            author=report.meta.author or report.signature_organization or report.meta.organization or "",
            date=report.signature_date or report.meta.date,
            seed=seed,
            template=name,
            keywords=tuple(keywords),
        ),
        notices=tuple(notices),
        official=official_parts(report, style),
    )
    return doc
