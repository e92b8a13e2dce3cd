"""The OpenAPI 3.1 description of the service (served at /openapi.json, shown at /docs).

Written out rather than generated: the endpoints are few, and each description here is the
Chinese text an integrator reads.  tests/test_service.py checks that every route is described and
every described path answers.
"""

from __future__ import annotations

from typing import Any

_RECORDS_BODY = {
    "required": True,
    "description": "记录：YAML 或 JSON 文本（与记录文件相同），或 JSON 对象 {\"records\": 记录文本或对象, "
                   "\"format\", \"template\", \"seed\", \"fonts\"}",
    "content": {
        "application/yaml": {"schema": {"type": "string"}},
        "application/json": {"schema": {"oneOf": [
            {"$ref": "/schema"},
            {"type": "object", "properties": {"records": {}, "format": {"type": "string"},
                                              "template": {"type": "string"}, "seed": {"type": "integer"},
                                              "fonts": {"type": "string"}}, "required": ["records"]}]}},
    },
}
_PROBLEMS = {
    "description": "记录有误：逐条列出问题（位置、字段、怎么改）",
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Problems"}}},
}
_PARAMS = [
    {"name": "template", "in": "query", "schema": {"type": "string"}, "description": "内置模板名（默认取记录的 meta.template）"},
    {"name": "seed", "in": "query", "schema": {"type": "integer"}, "description": "常用语变化的随机种子"},
    {"name": "fonts", "in": "query", "schema": {"enum": ["gov", "windows", "open"]}, "description": "字体方案"},
]


def _get(summary: str, media: str = "application/json") -> dict[str, Any]:
    return {"get": {"summary": summary, "responses": {"200": {"description": "成功", "content": {media: {}}}}}}


def openapi_spec(version: str) -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {"title": "summarykit 服务", "version": version,
                 "description": "从结构化记录生成中文工作总结（DOCX、PDF、Markdown、文本）。无状态：每个请求自带记录；"
                                "不接受任何文件路径。"},
        "paths": {
            "/render": {"post": {
                "summary": "生成一份工作总结，返回文件（下载名为中文，见 Content-Disposition 的 filename*）",
                "parameters": [{"name": "format", "in": "query",
                                "schema": {"enum": ["docx", "pdf", "md", "txt", "html"], "default": "docx"},
                                "description": "输出格式；pdf 需要服务器装有 LibreOffice；html 是网页预览片段"},
                               *_PARAMS],
                "requestBody": _RECORDS_BODY,
                "responses": {"200": {"description": "生成的文档"}, "400": {"description": "请求参数不对"},
                              "413": {"description": "请求内容太大"}, "415": {"description": "不支持的内容类型"},
                              "422": _PROBLEMS, "503": {"description": "超时、PDF 转换繁忙或未安装 LibreOffice"}}}},
            "/validate": {"post": {
                "summary": "检查记录，列出全部问题（与 summarykit validate 相同）",
                "parameters": _PARAMS[:1], "requestBody": _RECORDS_BODY,
                "responses": {"200": {"description": "格式正确"}, "422": _PROBLEMS}}},
            "/import": {"post": {
                "summary": "把去年的总结（.docx 或文本）转成记录（YAML 文本）",
                "requestBody": {"content": {"multipart/form-data": {"schema": {
                    "type": "object", "properties": {"file": {"type": "string", "format": "binary"}}}},
                    "application/octet-stream": {}}},
                "responses": {"200": {"description": "{\"records\": YAML 文本, \"template\": 推荐的模板}"},
                              "422": _PROBLEMS, "413": {"description": "文件太大"}}}},
            "/templates": _get("内置模板列表和单位类型"),
            "/templates/{name}/starter": {"get": {
                "summary": "某个模板的记录文件样例（YAML）",
                "parameters": [{"name": "name", "in": "path", "required": True, "schema": {"type": "string"}}],
                "responses": {"200": {"description": "YAML 文本"}, "422": {"description": "没有这个模板"}}}},
            "/schema": _get("记录文件的 JSON Schema", "application/schema+json"),
            "/phrases": {"get": {
                "summary": "常用语库（可按类别）",
                "parameters": [{"name": "category", "in": "query", "schema": {"type": "string"}}],
                "responses": {"200": {"description": "成功"}, "422": {"description": "没有这个类别"}}}},
            "/health": _get("健康检查（负载均衡用）"),
        },
        "components": {"schemas": {"Problems": {
            "type": "object",
            "properties": {
                "ok": {"type": "boolean"}, "message": {"type": "string"},
                "problems": {"type": "array", "items": {"type": "object", "properties": {
                    "message": {"type": "string"}, "file": {"type": "string"},
                    "line": {"type": ["integer", "null"]}, "column": {"type": ["integer", "null"]},
                    "path": {"type": "string", "description": "字段路径，如 achievements[0].items[2].text"},
                    "hint": {"type": "string"}}}}}}}},
    }
