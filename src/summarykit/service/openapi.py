"""The OpenAPI 3.1 description of the service (served at /openapi.json, shown at /docs).

Written out rather than generated: the endpoints are few, and each description here is the
Chinese text an integrator reads.  tests/test_service.py checks that every route is described and
every described path answers.
"""

from __future__ import annotations

from typing import Any

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_UPLOAD_FORM = {"schema": {
    "type": "object", "required": ["file"],
    "properties": {"file": {"type": "string", "format": "binary", "description": "Excel 工作簿（.xlsx）或 CSV 文件"},
                   "department": {"type": "string", "description": "部门表有多行时，选哪个部门"},
                   "format": {"type": "string"}, "template": {"type": "string"}, "seed": {"type": "integer"},
                   "fonts": {"type": "string"}}}}
_RECORDS_BODY = {
    "required": True,
    "description": "记录：YAML 或 JSON 文本（与记录文件相同），或 JSON 对象 {\"records\": 记录文本或对象, "
                   "\"format\", \"template\", \"seed\", \"fonts\"}；或上传表格：表单字段 file（multipart/form-data），"
                   "或整个请求体就是 .xlsx（或 text/csv）文件。表格的读法与 summarykit render 数据.xlsx 相同",
    "content": {
        "multipart/form-data": _UPLOAD_FORM,
        XLSX: {"schema": {"type": "string", "format": "binary"}},
        "text/csv": {"schema": {"type": "string"}},
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
_DEPARTMENT = {"name": "department", "in": "query", "schema": {"type": "string"},
               "description": "上传的工作簿有部门表且有多行时，选哪个部门（不写时 /render 答 422 并列出各部门）"}


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
                               *_PARAMS, _DEPARTMENT],
                "requestBody": _RECORDS_BODY,
                "responses": {"200": {"description": "生成的文档"}, "400": {"description": "请求参数不对"},
                              "413": {"description": "请求内容太大"}, "415": {"description": "不支持的内容类型"},
                              "422": _PROBLEMS, "503": {"description": "超时、PDF 转换繁忙或未安装 LibreOffice"}}}},
            "/validate": {"post": {
                "summary": "检查记录或表格，列出全部问题（与 summarykit validate 相同；工作簿检查部门表的每一行）",
                "parameters": [_PARAMS[0], _DEPARTMENT], "requestBody": _RECORDS_BODY,
                "responses": {"200": {"description": "格式正确：data 是整理后的记录；工作簿另有 departments（部门名称）"
                                                     "和 reports（每个部门的记录）"},
                              "413": {"description": "请求内容太大"}, "415": {"description": "不支持的内容类型"},
                              "422": _PROBLEMS}}},
            "/import": {"post": {
                "summary": "把去年的总结（.docx 或文本）或表格（.xlsx、.csv）转成记录（YAML 文本），网页从它开始填",
                "parameters": [{**_DEPARTMENT, "description": "表格有多个部门时转哪一个（不写时转第一个）"}],
                "requestBody": {"content": {"multipart/form-data": {"schema": {
                    "type": "object", "properties": {"file": {"type": "string", "format": "binary"},
                                                     "department": {"type": "string"}}}},
                    "application/octet-stream": {}, XLSX: {}, "text/csv": {}}},
                "responses": {"200": {"description": "{\"records\": YAML 文本, \"template\": 推荐的模板}；"
                                                     "表格另有 departments（全部部门）和 department（转的是哪个）"},
                              "422": _PROBLEMS, "413": {"description": "文件太大"}}}},
            "/starter.xlsx": _get("表格样例（与 summarykit init --xlsx 相同）：填好后上传", XLSX),
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
