"""The service's only door into the library: records text in, bytes or problems out.

Everything the HTTP layer (app.py) needs from summarykit goes through these few synchronous, pure-ish
functions, so the HTTP code never touches loading, composing or writing directly and switching to the
library's ``Kit`` object changes this module only.  Nothing here takes a file-system path from a
request: records arrive as text, templates are named (and the name is checked against the list),
uploads are written to a temporary folder this module makes and removes.
"""

from __future__ import annotations

import functools
import json
import re
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from ..errors import Problem, SummaryKitError

SERVED = ("docx", "pdf", "md", "txt", "html")  # the registry's formats the service offers


def _formats() -> dict[str, tuple[str, str]]:
    """format → (media type, file extension), from the writer registry (summarykit.writers)."""
    from ..writers import WRITERS

    return {name: (WRITERS[name].media_type, WRITERS[name].extension) for name in SERVED if name in WRITERS}


FORMATS = _formats()
INPUT_NAME = "记录"  # the name problems carry instead of a file name

# Organization types the page offers, each the template tags it selects (templates carry tags in their header).
ORG_TYPES: dict[str, tuple[str, tuple[str, ...]]] = {
    "school": ("学校（中小学、高校）", ("school",)),
    "agency": ("机关、事业单位", ("agency",)),
    "personal": ("个人", ("personal",)),
    "survey": ("调研", ("survey",)),
}


@dataclass(frozen=True)
class Rendered:
    data: bytes
    media_type: str
    filename: str  # a suggested download name (Chinese), never used as a path here
    notices: tuple[str, ...]


class BadRequest(SummaryKitError):
    """The request itself is wrong (unknown format, body not records): HTTP 400/422 with problems."""


def problem_dict(problem: Problem) -> dict[str, Any]:
    return asdict(problem)


def error_payload(exc: SummaryKitError) -> dict[str, Any]:
    problems = list(exc.problems) or [Problem(str(exc.args[0]), file=INPUT_NAME)]
    return {"ok": False, "message": str(exc.args[0]), "problems": [problem_dict(p) for p in problems]}


@functools.lru_cache(maxsize=8)
def kit(fonts: str | None = None) -> Any:
    """The service's Kit: built-in templates and phrase bank only (a request never names a folder)."""
    from ..kit import Kit

    return Kit(fonts=fonts)


def parse_records(body: bytes, content_type: str) -> Any:
    """A request body (YAML or JSON text, UTF-8/GBK/UTF-16 like a file) → a Report, or RecordsError.

    A JSON body may also be {"records": text or object, ...} (what the page sends): an object is
    loaded as a mapping, its problems located by field path.
    """
    if "json" in content_type:
        try:
            data = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            data = None
        if isinstance(data, dict) and isinstance(data.get("records"), str):
            return kit().load(data["records"].encode("utf-8"), name=INPUT_NAME)
        if isinstance(data, dict) and isinstance(data.get("records"), dict):
            return kit().load(data["records"], name=INPUT_NAME)
    return kit().load(body, name=INPUT_NAME)


def check_template(name: str | None) -> None:
    """Only built-in template names: a request can never name a folder or a file."""
    if name:
        kit().check(name)


def templates() -> list[dict[str, Any]]:
    return [{"name": i.name, "title": i.title, "description": i.description, "sample": i.sample,
             "tags": list(i.tags)} for i in kit().templates.list()]


def org_types() -> list[dict[str, Any]]:
    return [{"name": k, "title": t, "tags": list(tags)} for k, (t, tags) in ORG_TYPES.items()]


@functools.lru_cache(maxsize=1)
def schema_text() -> str:
    from ..records.schema import json_schema

    return json.dumps(json_schema(), ensure_ascii=False)


def phrases(category: str | None = None) -> dict[str, Any]:
    bank = kit().bank
    if category:
        bank.category_info(category)  # unknown category: PhraseBankError with a suggestion
    categories = [category] if category else bank.categories()
    return {"categories": [
        {"name": c, "description": bank.category_info(c).description,
         "phrases": [{"id": p.id, "text": p.text, "slots": list(p.slots), "tags": list(p.tags)}
                     for p in bank.in_category(c)]}
        for c in categories]}


def starter(name: str) -> str:
    from ..cli.commands.init import starter_text

    check_template(name)
    return starter_text(name)  # no editor modeline: pasted into the page, it would mean nothing there


def validate(body: bytes, content_type: str, template: str | None) -> dict[str, Any]:
    """Problems as data: what `summarykit validate --json` says about one records text."""
    report = parse_records(body, content_type)
    _check_named_template(report, template)
    return {"ok": True, "message": "格式正确", "problems": [], "notices": [str(n) for n in report.notices],
            "data": report.model_dump(mode="json", exclude_defaults=True, by_alias=True)}


def _check_named_template(report: Any, template: str | None) -> None:
    """The template the records name must exist: a located problem on meta.template (did-you-mean)."""
    from ..errors import RecordsError, TemplateError

    try:
        check_template(template or report.meta.template)
    except TemplateError as exc:
        if template or any(p.line for p in exc.problems):
            raise
        problem = Problem(str(exc.args[0]), file=INPUT_NAME, path="meta.template",
                          hint="在上面的模板列表中选择，或改正 meta.template")
        raise RecordsError.collect(INPUT_NAME, [problem]) from None


def _download_name(report: Any, ext: str) -> str:
    title = re.sub(r'[\\/:*?"<>|\r\n\t]+', "", report.title or "")[:60].strip() or "工作总结"
    return f"{title}.{ext}"


def render(body: bytes, content_type: str, fmt: str, template: str | None, seed: int | None,
           fonts: str | None = None, pdf: Any = None) -> Rendered:
    """Records text → one document in ``fmt``; ``pdf`` converts DOCX bytes (the app limits it)."""
    from ..writers import get_writer

    if fmt not in FORMATS:
        raise BadRequest(f"不支持的格式“{fmt}”，可用：{'、'.join(FORMATS)}")
    report = parse_records(body, content_type)
    _check_named_template(report, template)
    chosen = kit(fonts)
    doc = chosen.compose(report, template=template, seed=seed)
    media, ext = FORMATS[fmt]
    if fmt == "html":  # the page's live preview: a fragment styled by the page
        from ..writers.html import to_html

        data = to_html(doc).encode("utf-8")
    elif fmt == "pdf":
        data = (pdf or _docx_to_pdf)(get_writer("docx").write(doc, chosen.style))
    else:
        data = get_writer(fmt).write(doc, chosen.style)
    notices = tuple(str(n) for n in [*report.notices, *doc.notices])
    return Rendered(data, media, _download_name(report, ext), notices)


def _docx_to_pdf(data: bytes) -> bytes:
    from ..office.preview import docx_to_pdf

    return docx_to_pdf(data)


def import_document(data: bytes, filename: str) -> dict[str, Any]:
    """Last year's summary (DOCX or text) → records YAML text the page can start from."""
    from ..tools.importer import import_file, import_text, to_yaml

    if data[:2] == b"PK":
        with tempfile.TemporaryDirectory(prefix="summarykit-") as folder:
            path = Path(folder) / "upload.docx"  # our own name: the upload's name is only shown, never used
            path.write_bytes(data)
            result = import_file(path)
    else:
        from ..records.decoding import decode

        result = import_text(decode(data, filename or "上传的文件").text, filename or "上传的文件")
    return {"ok": True, "records": to_yaml(result), "template": result.template,
            "notices": [str(n) for n in result.notices]}
