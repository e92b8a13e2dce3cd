"""`summarykit serve`: the HTTP service and the browser page, on Starlette (ASGI) served by uvicorn.

Starlette is small, well kept and typed; uvicorn is its usual server.  Both are the optional extra
``summarykit[serve]``: most users only run the command line.  The service is stateless: every request
carries its records, nothing is kept between requests and no file-system path is ever taken from a
request (templates are named from the built-in list, uploads go to a temporary folder engine.py
makes), so it scales out as several worker processes behind any load balancer.

Limits (``Limits``): request body size (413), render time (503 after the limit, queueing included),
PDF requests admitted per worker (LibreOffice; a request waits a little for a slot, then 503 with
Retry-After).
Errors are JSON in Chinese: 422 with located problems for bad records, 400 for a bad request, 415
for a body type the endpoint does not read, 503 when LibreOffice is missing or busy.

/render and /validate read records (YAML or JSON text) or a workbook: an .xlsx or .csv file uploaded
as the form field ``file`` (multipart/form-data, as a browser sends it) or sent as the whole body
with its media type; a workbook of several departments names one with ``department``.
"""

from __future__ import annotations

import asyncio
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from .. import __version__
from ..errors import DependencyError, RecordsError, SummaryKitError
from . import engine
from .openapi import openapi_spec

STATIC = Path(__file__).with_name("static")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
RECORDS_TYPES = ("application/json", "application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml",
                 "text/plain")


@dataclass(frozen=True)
class Limits:
    """What one worker accepts; `summarykit serve` options and SUMMARYKIT_SERVE_* variables set them."""

    max_body: int = 2 * 1024 * 1024  # records are text typed by a person
    max_upload: int = 20 * 1024 * 1024  # last year's DOCX may hold pictures
    render_seconds: float = 60.0
    # PDF requests admitted per worker (converting or queued): office/preview.py converts one at a time per
    # process (one LibreOffice profile), so 2 is one converting and one waiting; more workers convert more.
    pdf_slots: int = 2
    pdf_wait_seconds: float = 10.0

    @classmethod
    def from_environment(cls) -> Limits:
        def number(name: str, default: float) -> float:
            value = os.environ.get(f"SUMMARYKIT_SERVE_{name}")
            return float(value) if value else default

        base = cls()
        return cls(max_body=int(number("MAX_BODY", base.max_body)),
                   max_upload=int(number("MAX_UPLOAD", base.max_upload)),
                   render_seconds=number("RENDER_SECONDS", base.render_seconds),
                   pdf_slots=max(1, int(number("PDF_SLOTS", base.pdf_slots))),
                   pdf_wait_seconds=number("PDF_WAIT_SECONDS", base.pdf_wait_seconds))


class HTTPProblem(Exception):
    """An error response: status, Chinese message, optional problems and headers."""

    def __init__(self, status: int, message: str, problems: list[dict[str, Any]] | None = None,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status, self.message, self.problems, self.headers = status, message, problems or [], headers or {}


def _json(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(data, status_code=status, headers=headers)


def content_disposition(filename: str) -> str:
    """RFC 6266/5987: an ASCII fallback name and the Chinese name as ``filename*``."""
    ext = filename.rsplit(".", 1)[-1] if "." in filename else "bin"
    return f"attachment; filename=\"summary.{ext}\"; filename*=UTF-8''{quote(filename, safe='')}"


async def read_body(request: Request, limit: int, upload: bool = False) -> bytes:
    """The body, refused with 413 as soon as it passes ``limit`` (a false Content-Length does not help).

    ``upload``: the body is a file (a workbook, a DOCX), whose limit is the upload limit, said in MB.
    """
    message = (f"上传的文件太大（超过 {limit // 1024 // 1024} MB）" if upload
               else f"请求内容太大（超过 {limit // 1024} KB）：记录应是手写的文本，请拆成几份")
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise HTTPProblem(413, message)
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise HTTPProblem(413, message)
        chunks.append(chunk)
    return b"".join(chunks)


def _media(request: Request) -> str:
    return request.headers.get("content-type", "application/yaml").split(";")[0].strip().lower()


def _records_type(request: Request) -> str:
    media = _media(request)
    if media == "multipart/form-data" or media in engine.WORKBOOK_TYPES:
        return media
    if media not in RECORDS_TYPES:
        raise HTTPProblem(415, f"不支持的内容类型“{media}”：请提交 application/json 或 application/yaml（text/yaml），"
                               "或上传表格（multipart/form-data 的 file 字段）")
    return media


#: What a multipart body may hold besides the file itself (its boundaries and the small fields below).
FORM_OVERHEAD = 64 * 1024
#: Form fields a workbook upload may carry besides ``file`` (the query's parameters, for a browser form).
FORM_FIELDS = ("format", "template", "seed", "fonts", "department")


def _options(request: Request, body: bytes, media: str, form: dict[str, str] | None = None) -> dict[str, Any]:
    """format/template/seed/fonts from the query, or from a JSON body {"records": ..., "format": ...},
    or from an upload's form fields (the query wins)."""
    options: dict[str, Any] = {**(form or {}), **dict(request.query_params)}
    if media == "application/json":
        try:
            data = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError):  # bad, too deep or too long a number:
            data = None  # the records reader below says what is wrong, located
        if isinstance(data, dict) and "records" in data:
            options.update({k: v for k, v in data.items() if k in {"format", "template", "seed", "fonts"} and v})
    seed = options.get("seed")
    if seed not in (None, ""):
        try:
            options["seed"] = int(seed)
        except (TypeError, ValueError):
            raise HTTPProblem(400, f"seed 应是整数，实际是 {seed!r}") from None
    else:
        options["seed"] = None
    if options.get("fonts") not in (None, "", "gov", "windows", "open"):
        raise HTTPProblem(400, f"fonts 只能是 gov、windows 或 open，实际是 {options['fonts']!r}")
    return options


class Service:
    """The endpoints, holding only the limits and the LibreOffice slots (no request state)."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self._pdf_slots: asyncio.Semaphore | None = None

    @property
    def pdf_slots(self) -> asyncio.Semaphore:
        if self._pdf_slots is None:  # created inside the running event loop
            self._pdf_slots = asyncio.Semaphore(self.limits.pdf_slots)
        return self._pdf_slots

    async def _timed(self, func: Any, *args: Any) -> Any:
        try:
            return await asyncio.wait_for(run_in_threadpool(func, *args), self.limits.render_seconds)
        except asyncio.TimeoutError:
            raise HTTPProblem(503, f"生成超时（超过 {self.limits.render_seconds:g} 秒），请稍后再试或精简记录",
                              headers={"Retry-After": "30"}) from None

    async def index(self, request: Request) -> Response:
        return FileResponse(STATIC / "index.html", media_type="text/html; charset=utf-8")

    async def health(self, request: Request) -> Response:
        from ..office.soffice import find_soffice

        return _json({"status": "ok", "version": __version__, "pdf": find_soffice() is not None})

    async def templates(self, request: Request) -> Response:
        return _json({"templates": engine.templates(), "org_types": engine.org_types()})

    async def starter(self, request: Request) -> Response:
        text = await run_in_threadpool(engine.starter, request.path_params["name"])
        return Response(text, media_type="application/yaml; charset=utf-8")

    async def schema(self, request: Request) -> Response:
        return Response(engine.schema_text(), media_type="application/schema+json")

    async def phrases(self, request: Request) -> Response:
        return _json(await run_in_threadpool(engine.phrases, request.query_params.get("category") or None))

    async def _upload(self, request: Request, missing: str) -> tuple[bytes, str, dict[str, str]]:
        """The ``file`` of a multipart form (its bytes, its base name for messages, the other fields).

        The body is read under the upload limit first (a chunked upload has no Content-Length to
        trust), then parsed from memory by python-multipart through Starlette's ``form()``.
        """
        body = await read_body(request, self.limits.max_upload + FORM_OVERHEAD, upload=True)

        async def replay() -> dict[str, Any]:
            return {"type": "http.request", "body": body, "more_body": False}

        try:
            form = await Request(request.scope, replay).form(max_files=1, max_fields=len(FORM_FIELDS) + 2,
                                                              max_part_size=FORM_OVERHEAD)
        except HTTPException:  # python-multipart's refusals (no boundary, broken parts, too many fields)
            raise HTTPProblem(400, "上传的表单无法读取：请用 multipart/form-data，文件放在字段 file 里") from None
        upload = form.get("file")
        if upload is None or isinstance(upload, str):
            raise HTTPProblem(400, missing)
        filename = os.path.basename(str(upload.filename or "").replace("\\", "/"))  # shown only, never opened
        data = await upload.read(self.limits.max_upload + 1)
        await upload.close()
        if len(data) > self.limits.max_upload:
            raise HTTPProblem(413, f"上传的文件太大（超过 {self.limits.max_upload // 1024 // 1024} MB）")
        if not data:
            raise HTTPProblem(400, "上传的文件是空的")
        fields = {k: v for k, v in form.items() if k in FORM_FIELDS and isinstance(v, str) and v.strip()}
        return data, filename, fields

    async def _records(self, request: Request) -> tuple[bytes | engine.Upload, str, dict[str, Any]]:
        """The records of a /render or /validate request: text, or an uploaded workbook; and the options."""
        media = _records_type(request)
        if media == "multipart/form-data":
            data, filename, fields = await self._upload(request, "请用表单字段 file 上传表格（.xlsx 或 .csv）")
            options = _options(request, b"", media, fields)
            return engine.Upload(data, engine.upload_name(filename), options.get("department") or None), media, options
        if media in engine.WORKBOOK_TYPES:
            data = await read_body(request, self.limits.max_upload, upload=True)
            if not data:
                raise HTTPProblem(400, "上传的文件是空的")
            options = _options(request, b"", media)
            return engine.Upload(data, engine.upload_name("", media), options.get("department") or None), media, options
        body = await read_body(request, self.limits.max_body)
        return body, media, _options(request, body, media)

    async def validate(self, request: Request) -> Response:
        body, media, options = await self._records(request)
        result = await self._timed(engine.validate, body, media, options.get("template") or None)
        return _json(result)

    async def render(self, request: Request) -> Response:
        body, media, options = await self._records(request)
        fmt = str(options.get("format") or "docx").lower()
        if fmt not in engine.FORMATS:
            raise HTTPProblem(400, f"不支持的格式“{fmt}”，可用：{'、'.join(engine.FORMATS)}")
        args = (body, media, fmt, options.get("template") or None, options["seed"], options.get("fonts") or None)
        if fmt == "pdf":
            rendered = await self._render_pdf(args)
        elif fmt == "docx":  # a 公文 with a 版记 is laid out by LibreOffice first, under a PDF slot
            rendered = await self._timed(engine.render, *args, self._layout)
        else:
            rendered = await self._timed(engine.render, *args)
        headers = {"Content-Disposition": content_disposition(rendered.filename)}
        if rendered.notices:
            headers["X-Summarykit-Notices"] = quote(json.dumps(rendered.notices, ensure_ascii=False))
        if fmt == "html":
            headers.pop("Content-Disposition")
        return Response(rendered.data, media_type=rendered.media_type, headers=headers)

    async def _acquire_pdf_slot(self, busy: str) -> None:
        try:
            await asyncio.wait_for(self.pdf_slots.acquire(), self.limits.pdf_wait_seconds)
        except asyncio.TimeoutError:
            raise HTTPProblem(503, busy, headers={"Retry-After": "10"}) from None

    async def _release_pdf_slot(self) -> None:
        self.pdf_slots.release()

    def _convert(self, data: bytes) -> bytes:
        from ..office.preview import docx_to_pdf

        return docx_to_pdf(data, timeout=self.limits.render_seconds)

    async def _render_pdf(self, args: tuple[Any, ...]) -> Any:
        await self._acquire_pdf_slot("PDF 转换繁忙，请稍后再试（或先下载 Word 文档）")
        try:
            return await self._timed(engine.render, *args, self._convert)
        finally:
            self.pdf_slots.release()

    def _layout(self, data: bytes) -> bytes:
        """The 版记's page check of a DOCX (run in the render's thread): a conversion under a PDF slot.

        Only a 公文 with a 版记 gets here, after it is composed, so the slot is taken from the
        thread, from the event loop's semaphore, for this one conversion.
        """
        from anyio.from_thread import run

        run(self._acquire_pdf_slot, "排版检查繁忙（公文的版记需要 LibreOffice 排一次版），请稍后再试")
        try:
            return self._convert(data)
        finally:
            run(self._release_pdf_slot)

    async def import_(self, request: Request) -> Response:
        """Last year's summary (.docx, .txt) or a workbook (.xlsx, .csv) → records the page starts from."""
        media = _media(request)
        filename = ""
        department = request.query_params.get("department") or None
        if media.startswith("multipart/form-data"):
            data, filename, fields = await self._upload(
                request, "请用表单字段 file 上传去年的总结（.docx 或 .txt）或表格（.xlsx 或 .csv）")
            department = department or fields.get("department")
        else:
            data = await read_body(request, self.limits.max_upload, upload=True)
            filename = engine.UPLOAD_NAME + engine.WORKBOOK_TYPES[media] if media in engine.WORKBOOK_TYPES else ""
        if not data:
            raise HTTPProblem(400, "上传的文件是空的")
        return _json(await self._timed(engine.import_upload, data, filename, department))

    async def starter_workbook(self, request: Request) -> Response:
        """The starter workbook (`summarykit init --xlsx`): a sheet to fill, then upload."""
        data = await run_in_threadpool(engine.starter_workbook)
        return Response(data, media_type=XLSX, headers={"Content-Disposition": content_disposition("表格样例.xlsx")})

    async def openapi(self, request: Request) -> Response:
        return _json(openapi_spec(__version__))

    async def docs(self, request: Request) -> Response:
        return FileResponse(STATIC / "docs.html", media_type="text/html; charset=utf-8")


async def _problem_handler(request: Request, exc: Exception) -> Response:
    if isinstance(exc, HTTPProblem):
        return _json({"ok": False, "message": exc.message, "problems": exc.problems}, exc.status, exc.headers)
    if isinstance(exc, engine.BadRequest):
        return _json(engine.error_payload(exc), 400)
    if isinstance(exc, DependencyError):
        return _json(engine.error_payload(exc), 503)
    if isinstance(exc, RecordsError | SummaryKitError):
        return _json(engine.error_payload(exc), 422)
    return _json({"ok": False, "message": "内部错误：这是 summarykit 的缺陷，请把记录和这条信息报告给维护者",
                  "problems": []}, 500)


async def _http_handler(request: Request, exc: Exception) -> Response:
    """Starlette's own 404/405 (no such address, wrong method), in Chinese like every other answer."""
    status = getattr(exc, "status_code", 500)
    messages = {404: f"没有这个地址：{request.url.path}（接口说明见 /docs）",
                405: f"{request.url.path} 不接受 {request.method} 请求（接口说明见 /docs）"}
    return _json({"ok": False, "message": messages.get(status, "请求有误"), "problems": []}, status,
                 dict(getattr(exc, "headers", None) or {}))


def create_app(limits: Limits | None = None) -> Starlette:
    """The ASGI application (``uvicorn 'summarykit.service.app:create_app' --factory``)."""
    service = Service(limits or Limits.from_environment())
    routes = [
        Route("/", service.index, methods=["GET"]),
        Route("/health", service.health, methods=["GET"]),
        Route("/templates", service.templates, methods=["GET"]),
        Route("/templates/{name}/starter", service.starter, methods=["GET"]),
        Route("/schema", service.schema, methods=["GET"]),
        Route("/phrases", service.phrases, methods=["GET"]),
        Route("/validate", service.validate, methods=["POST"]),
        Route("/render", service.render, methods=["POST"]),
        Route("/import", service.import_, methods=["POST"]),
        Route("/starter.xlsx", service.starter_workbook, methods=["GET"]),
        Route("/openapi.json", service.openapi, methods=["GET"]),
        Route("/docs", service.docs, methods=["GET"]),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]
    handlers: dict[Any, Any] = {Exception: _problem_handler, HTTPProblem: _problem_handler,
                                SummaryKitError: _problem_handler, 404: _http_handler, 405: _http_handler}
    app = Starlette(routes=routes, exception_handlers=handlers)
    app.state.limits = service.limits
    return app
