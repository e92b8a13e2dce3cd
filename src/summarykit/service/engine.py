"""The service's only door into the library: records text in, bytes or problems out.

Everything the HTTP layer (app.py) needs from summarykit goes through these few synchronous, pure-ish
functions, so the HTTP code never touches loading, composing or writing directly and switching to the
library's ``Kit`` object changes this module only.  Nothing here takes a file-system path from a
request: records arrive as text, templates are named (and the name is checked against the list),
uploads are written to a temporary folder this module makes and removes, or read from memory
(workbooks), and records text that names a file on the server (``workbook:``, a table's ``sheet:``,
``previous:``) is refused, located, before the loader could open it.
"""

from __future__ import annotations

import functools
import json
import re
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from ..errors import Problem, RecordsError, SummaryKitError

SERVED = ("docx", "pdf", "md", "txt", "html")  # the registry's formats the service offers


def _formats() -> dict[str, tuple[str, str]]:
    """format → (media type, file extension), from the writer registry (summarykit.writers)."""
    from ..writers import WRITERS

    return {name: (WRITERS[name].media_type, WRITERS[name].extension) for name in SERVED if name in WRITERS}


FORMATS = _formats()
INPUT_NAME = "记录"  # the name problems carry instead of a file name

@dataclass(frozen=True)
class Rendered:
    data: bytes
    media_type: str
    filename: str  # a suggested download name (Chinese), never used as a path here
    notices: tuple[str, ...]


@dataclass(frozen=True)
class Upload:
    """An uploaded workbook (.xlsx) or CSV file: its bytes, the name shown in messages, the department chosen.

    ``name`` is the upload's own base name (or 上传的表格.xlsx): it says which file a problem is in
    and its extension helps tell an .xls or .et file apart; it is never opened.
    """

    data: bytes
    name: str
    department: str | None = None


#: Media types of a workbook sent as the whole request body, and the extension its shown name gets.
WORKBOOK_TYPES: dict[str, str] = {
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
    "application/vnd.ms-excel.sheet.macroenabled.12": ".xlsm",
    "application/vnd.ms-excel": ".xls",
    "application/vnd.apple.numbers": ".numbers",
    "text/csv": ".csv",
}
UPLOAD_NAME = "上传的表格"


def upload_name(filename: str, media: str = "") -> str:
    """The name an uploaded workbook is shown by: its base name without folders or control characters."""
    base = re.sub(r"[\x00-\x1f\x7f]+", "", filename or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    if base in {"", ".", ".."}:
        base = UPLOAD_NAME + WORKBOOK_TYPES.get(media, ".xlsx")
    return base[-120:]


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


def parse_records(body: bytes | Upload, content_type: str) -> Any:
    """A request body (YAML or JSON text, UTF-8/GBK/UTF-16 like a file) → a Report, or RecordsError.

    A JSON body may also be {"records": text or object, ...} (what the page sends): an object is
    loaded as a mapping, its problems located by field path.  An ``Upload`` is a workbook: the
    report of its one department, or of the department it names.
    """
    if isinstance(body, Upload):
        return workbook_report(body)
    if "json" in content_type:
        try:
            data = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError):  # bad, too deep or too long a number:
            data = None  # the records reader below says what is wrong, located
        if isinstance(data, dict) and isinstance(data.get("records"), str):
            text = data["records"].encode("utf-8")
            refuse_server_files(text)
            return kit().load(text, name=INPUT_NAME)
        if isinstance(data, dict) and isinstance(data.get("records"), dict):
            refuse_server_files(data["records"])
            return kit().load(data["records"], name=INPUT_NAME)
    refuse_server_files(body)
    return kit().load(body, name=INPUT_NAME)


# Keys of records text that name a file beside the records file: a service has no such folder, and a
# path from a request must never be opened (the loader would read it relative to the server's folder).
_FILE_KEYS = {
    "workbook": ("工作簿的路径", "请把工作簿作为文件上传（表单字段 file），或在本机用命令行 summarykit render"),
    "previous": ("上一期记录文件的路径",
                 "请把上一期的数字写在各指标的 previous 里，或在本机用命令行 summarykit render --previous"),
    "sheet": ("从工作簿里取统计表", "请上传工作簿（在它的说明表里写“统计表”），或把表格的 columns 和 rows 写在记录里"),
}


def _report_level(path: tuple[Any, ...]) -> bool:
    """Whether ``path`` is a report's own mapping (the file, a ``reports:`` entry, ``defaults``), not a metric."""
    return path == () or path == ("defaults",) or (len(path) == 2 and path[0] == "reports")


def refuse_server_files(records: bytes | dict[str, Any]) -> None:
    """Refuse records that name a server file (``workbook:``, a table's ``sheet:``, ``previous:``), located.

    Records text is parsed here once more (cheap next to composing) so that the problem carries
    the line of the key; a mapping's problem carries its field path.
    """
    from ..records.loading import decode, marked_from_data, parse_source

    try:
        marked = (marked_from_data(records, INPUT_NAME) if isinstance(records, dict)
                  else parse_source(decode(records, INPUT_NAME)))
    except SummaryKitError:
        return  # not records at all: the loader says what is wrong, with its own message
    found: list[tuple[tuple[Any, ...], str]] = []

    def walk(value: Any, path: tuple[Any, ...]) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                here = (*path, key)
                if key == "workbook" and item is not None:
                    found.append((here, key))
                elif key == "sheet" and item is not None and len(path) >= 2 and path[-2] == "tables":
                    found.append((here, key))
                elif key == "previous" and isinstance(item, str) and _report_level(path):
                    found.append((here, key))
                walk(item, here)
        elif isinstance(value, list):
            for index, item in enumerate(value):
                walk(item, (*path, index))

    walk(marked.data, ())
    if not found:
        return
    from ..records.yamlmarks import format_path

    problems = []
    for path, key in found:
        what, hint = _FILE_KEYS[key]
        line, column = marked.marks.get(path, (None, None))
        problems.append(Problem(f"网页服务不读服务器上的文件：记录里不能写 {key}（{what}）", file=INPUT_NAME,
                                line=line, column=column, path=format_path(path), hint=hint))
    raise RecordsError.collect(INPUT_NAME, problems)


# --------------------------------------------------------------------------- uploaded workbooks


def sheet_reports(upload: Upload) -> list[Any]:
    """Every report of an uploaded workbook or CSV file, as data with cells (sources.SheetReport).

    The same reading as ``summarykit render 数据.xlsx`` (records/decoding.sheet_kind refuses .xls,
    .et, .numbers, password-protected and damaged files with the CLI's messages), from memory: no
    file is written, and tables come only from the workbook's own sheets.
    """
    from ..records.decoding import sheet_kind
    from ..sources.assemble import read_sheets, workbook_reports

    kind = sheet_kind(upload.data, upload.name)
    if kind is None:
        raise RecordsError.collect(upload.name, [Problem(
            "上传的文件不是 Excel 工作簿（.xlsx）或 CSV 文件", file=upload.name,
            hint="请上传 .xlsx 或 .csv 文件；`summarykit init --xlsx` 或网页上的“下载表格样例”给出一个样例工作簿")])
    sheets, notices = read_sheets(upload.data, upload.name, kind)
    return workbook_reports(sheets, upload.name, notices=notices, where_dir=None)


def departments(reports: list[Any]) -> list[str]:
    """The departments (rows of the 部门 sheet) a workbook's reports are for; [] for a single report."""
    return [r.key for r in reports if r.key]


def chosen_reports(upload: Upload, reports: list[Any]) -> list[Any]:
    """The report of ``upload.department``, or all of them when none is named (a located 422 when unknown)."""
    wanted = (upload.department or "").strip()
    if not wanted:
        return reports
    names = departments(reports)
    if not names:
        raise RecordsError.collect(upload.name, [Problem(
            f"工作簿里没有部门表，不能选择部门“{wanted}”", file=upload.name,
            hint="这个工作簿只有一份总结：去掉 department 参数即可")])
    for report in reports:
        if report.key.strip().casefold() == wanted.casefold():
            return [report]
    from ..sources.grid import suggest

    guess = suggest(wanted, names)
    raise RecordsError.collect(upload.name, [Problem(
        f"工作簿的部门表里没有“{wanted}”", file=upload.name,
        hint=(f"是不是想写“{guess}”？" if guess else "") + "工作簿里的部门：" + "、".join(names))])


def workbook_report(upload: Upload) -> Any:
    """The one Report to render from a workbook: its only report, or the department named.

    A workbook of several departments and no department named is a 422 listing the names: rendering
    the first row silently would hand the user someone else's summary.
    """
    from ..records.loading import validate_sheet_report

    reports = chosen_reports(upload, sheet_reports(upload))
    if len(reports) > 1:
        names = departments(reports)
        raise RecordsError.collect(upload.name, [Problem(
            f"工作簿的部门表有 {len(names)} 行（{'、'.join(names)}），每行是一份总结，请选择一个部门",
            file=upload.name, path="department",
            hint="在 department 参数（或表单字段）里写部门名称，如 department=" + names[0]
                 + "；要一次生成全部，请在本机用 summarykit batch")])
    report = validate_sheet_report(reports[0])
    _check_sheet_template(reports[0], report, None)
    return report


def _check_sheet_template(sheet_report: Any, report: Any, template: str | None) -> None:
    """The template a workbook's 模板 row names must exist: the problem located at that cell."""
    from ..sources.assemble import relocate

    try:
        _check_named_template(report, template)
    except RecordsError as exc:
        raise RecordsError.collect(sheet_report.name, relocate(exc.problems, sheet_report.places)) from None


def check_template(name: str | None) -> None:
    """Only built-in template names: a request can never name a folder or a file."""
    if name:
        kit().check(name)


def templates() -> list[dict[str, Any]]:
    """The built-in templates, each with the organization type it is written for (通用: any unit)."""
    from ..zh import orgtype

    return [{"name": i.name, "title": i.title, "description": i.description, "sample": i.sample,
             "tags": list(i.tags), "org_type": orgtype.template_type(i.tags)} for i in kit().templates.list()]


def org_types() -> list[dict[str, Any]]:
    """The organization types (zh/orgtype.py, the loader's list): name (the tag), Chinese title, offered template.

    The page filters templates by these and writes the title into meta.org_type, so the page, the
    loader and `summarykit init --type` offer the same types.
    """
    from ..zh import orgtype

    return [{"name": tag or "general", "title": title, "tags": [tag] if tag else [],
             "template": orgtype.TEMPLATE_FOR[title]} for title, tag in orgtype.ORG_TYPES.items()]


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


def validate(body: bytes | Upload, content_type: str, template: str | None) -> dict[str, Any]:
    """Problems as data: what `summarykit validate --json` says about one records text."""
    if isinstance(body, Upload):
        return validate_workbook(body, template)
    report = parse_records(body, content_type)
    _check_named_template(report, template)
    return {"ok": True, "message": "格式正确", "problems": [], "notices": [str(n) for n in report.notices],
            "data": report.model_dump(mode="json", exclude_defaults=True, by_alias=True)}


def validate_workbook(upload: Upload, template: str | None) -> dict[str, Any]:
    """A workbook checked as `summarykit validate 数据.xlsx` checks it: every department's report at once.

    ``data`` is the records of the one report (or the department named); ``reports`` lists each
    department's records, so a caller can see what every row became.
    """
    from ..records.loading import validate_sheet_reports

    found = chosen_reports(upload, sheet_reports(upload))
    reports = validate_sheet_reports(found)
    for sheet_report, report in zip(found, reports, strict=True):
        _check_sheet_template(sheet_report, report, template)
    names = departments(found)
    datas = [r.model_dump(mode="json", exclude_defaults=True) for r in reports]
    message = f"格式正确：{len(names)} 份总结（{'、'.join(names)}）" if len(names) > 1 else "格式正确"
    payload: dict[str, Any] = {
        "ok": True, "message": message, "problems": [], "departments": names,
        "notices": [str(n) for r in reports for n in r.notices],
        "reports": [{"department": r.key, "data": d} for r, d in zip(found, datas, strict=True)]}
    if len(reports) == 1:
        payload["data"] = datas[0]
    return payload


def import_workbook(upload: Upload) -> dict[str, Any]:
    """A workbook → the records of one department as YAML text, for the page to start from.

    With several departments and none named, the first is given, with the list, so the page can
    offer the others (the same file is sent again with ``department``).
    """
    import yaml

    from ..records.loading import validate_sheet_report

    every = sheet_reports(upload)
    names = departments(every)
    chosen = chosen_reports(upload, every)[0]
    report = validate_sheet_report(chosen)
    _check_sheet_template(chosen, report, None)
    data = report.model_dump(mode="json", exclude_defaults=True)
    text = f"# 由表格“{upload.name}”转成的记录" + (f"（部门：{chosen.key}）" if chosen.key else "") + "\n"
    text += yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)
    return {"ok": True, "records": text, "data": data, "template": report.meta.template,
            "departments": names, "department": chosen.key or None, "notices": [str(n) for n in report.notices]}


def starter_workbook() -> bytes:
    """The starter workbook of ``summarykit init --xlsx`` (sources/starter.py), for the page's download."""
    from ..sources.starter import starter_workbook as build

    return build()


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


def render(body: bytes | Upload, content_type: str, fmt: str, template: str | None, seed: int | None,
           fonts: str | None = None, pdf: Any = None) -> Rendered:
    """Records text → one document in ``fmt``; ``pdf`` converts DOCX bytes (the app limits it).

    LibreOffice runs only through ``pdf`` (when given): for a PDF — once, or twice for a 公文 whose
    版记 must move to an even page, as the command line's PDF — and for the 版记's page check of
    a 公文's DOCX, so that the app's PDF slots count every conversion.
    """
    from ..writers import get_writer
    from ..writers.docx import to_docx
    from ..writers.pagination import for_docx

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
        from ..office.preview import document_pdf

        data = document_pdf(doc, chosen.style, convert=pdf)
    elif fmt == "docx":
        data = to_docx(for_docx(doc, chosen.style, pdf), chosen.style)  # what get_writer("docx") writes
    else:
        data = get_writer(fmt).write(doc, chosen.style)
    notices = tuple(str(n) for n in [*report.notices, *doc.notices])
    return Rendered(data, media, _download_name(report, ext), notices)


SHEET_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".et", ".numbers", ".csv"}


def is_workbook(data: bytes, name: str) -> bool:
    """Whether an upload to /import is a spreadsheet (by its extension, or a zip holding ``xl/``)."""
    import io
    import zipfile

    if Path(name).suffix.lower() in SHEET_SUFFIXES:
        return True
    if data[:2] != b"PK":
        return False
    try:
        return any(n.startswith("xl/") for n in zipfile.ZipFile(io.BytesIO(data)).namelist())
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        return False


def import_upload(data: bytes, filename: str, department: str | None = None) -> dict[str, Any]:
    """What /import starts the page from: last year's summary (DOCX, text) or a workbook."""
    name = upload_name(filename) if filename else ""  # a bare body is told by its content alone
    if is_workbook(data, name):
        return import_workbook(Upload(data, name or upload_name(""), department))
    return import_document(data, filename)


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
