r"""The records model → the JSON Schema editors use, saying exactly what the loader accepts.

The schema is generated from the pydantic model (records/model.py), so a field added there appears
here with its Chinese description.  Pydantic describes its *strict* shape, while the loader is
deliberately lenient where office staff write things naturally; the patches below, each one line
of the loader's behaviour, bring the schema back to what loading really accepts:

1. titles: every definition and property has a Chinese title (a model's ``title``; a field's
   first phrase of its description when it has no title of its own);
2. text: where text is expected a number is accepted (``_text`` in the model: a bare year), and so is
   a word YAML editors read as a boolean (true, yes): the loader keeps such words as the text typed
   (records/yamlmarks.py), so ``- true`` in a list of problems is the text "true" for both;
3. dates: the forms zh/dates.py reads for records (ARABIC 2026年1月20日, ISO 2026-01-20, 2026/1/20,
   2026.1.20; ASCII or full-width digits) and the number 20260120; the day must exist (2026/13/01
   and 2026-02-29 are refused, 2028-02-29 is not);
4. short forms: an item may be a plain text (``Item._from_string``), a part a plain list of items
   (``Part._from_list``), keywords one line of text (``Report._split_keywords``);
5. empty keys: a key left empty (``intro:`` with nothing after it) means "not given"
   (``loading.drop_empty``), so every optional property also accepts null, and so does an
   unknown key (it is dropped before anything checks its name; any other value is refused);
6. switches: pydantic reads true/false, yes/no, on/off, t/f, y/n, 1/0 (any case) as booleans,
   and true/false where a number is expected as 1/0;
7. tables: each row has as many cells as the header has columns (``Table._rows_match_columns``),
   at most ``MAX_COLUMNS`` columns;
8. meta.template is a name, never a path (``loading._template_problem``);
9. spreadsheets (sources/): a top-level ``workbook`` and a table's ``sheet``/``range``/``workbook`` are
   read from the workbook before validation, so they are not model fields; a table taken from a
   sheet needs no ``columns``;
10. pictures and 公文 parts: an image may be just its file (``Image._from_string``), its width a bare
   number of millimetres (``model._width``), signers and copy_to one line of names (``model._names``);
   a chart is either ``from`` (one name or a list) or ``categories`` and ``series``, never both
   (``Chart._values_match_categories``);
11. organization types: ``meta.org_type`` is one of the known types (the enum, what a form offers) or
   another spelling ``zh/orgtype.canonical`` reads (an alias such as hospital or 卫生院, any case for
   the English ones, spaces around), and may be written under its Chinese key ``单位类型`` (not both).

What no JSON Schema can say, and only ``summarykit validate`` checks: a number date whose month
or day does not exist (20261301), a key written twice, files too large or nested too deeply, a picture
file that is missing and a chart's ``from`` naming no metric of the records (or one without parts).  The
schema also spells digits as ASCII or full-width only, while the loader's ``\d`` reads any Unicode
digit (٢٠٢٦): no one types those in a records file.
tests/test_records_schema.py compares this schema with the loader on every sample and starter file and on
generated records, both ways.
"""

from __future__ import annotations

import copy
import re
from typing import Any

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_FILE = "records.schema.json"  # the name `summarykit init` and the docs use beside a records file
_CJK = re.compile(r"[\u4e00-\u9fff]")

TEXT: dict[str, Any] = {"type": ["string", "number", "boolean"]}
_BOOL_WORDS = ("true", "false", "yes", "no", "on", "off", "t", "f", "y", "n")


def _any_case(word: str) -> str:
    return "".join(f"[{c.lower()}{c.upper()}]" for c in word)


def _digits(chars: str) -> str:
    """A class of ASCII digits and their full-width forms (the model reads both)."""
    return "[" + chars + "".join(chr(ord(c) + 0xFEE0) for c in chars) + "]"


def date_pattern() -> str:
    """A regular expression for the date texts ``model.parse_date`` accepts, valid days only."""
    d = _digits("0123456789")
    zero = _digits("0") + "?"
    year = f"(?!{_digits('0')}{{4}}){d}{{4}}"
    leap = (f"(?:{d}{d}(?:{_digits('0')}{_digits('48')}|{_digits('2468')}{_digits('048')}|{_digits('13579')}{_digits('26')})"
            f"|(?:{_digits('02468')}{_digits('048')}|{_digits('13579')}{_digits('26')}){_digits('0')}{{2}})")
    day28 = f"(?:{zero}{_digits('123456789')}|{_digits('1')}{d}|{_digits('2')}{_digits('012345678')})"
    any_month = f"(?:{zero}{_digits('123456789')}|{_digits('1')}{_digits('012')})"
    not_feb = f"(?:{zero}{_digits('13456789')}|{_digits('1')}{_digits('012')})"
    long_month = f"(?:{zero}{_digits('13578')}|{_digits('1')}{_digits('02')})"
    feb = f"{zero}{_digits('2')}"
    d29, d30, d31 = _digits("2") + _digits("9"), _digits("3") + _digits("0"), _digits("3") + _digits("1")

    def body(s1: str, s2: str, end: str) -> str:
        return (f"(?:{year}{s1}(?:{any_month}{s2}{day28}|{not_feb}{s2}(?:{d29}|{d30})|{long_month}{s2}{d31})"
                f"|{leap}{s1}{feb}{s2}{d29}){end}")

    iso = r"\s*[-/.．]\s*"  # zh/dates.ISO's separators
    cn = body(r"\s*年\s*", r"\s*月\s*", r"\s*日")
    return rf"^\s*(?:{body(iso, iso, '')}|{cn})\s*$"


def date_schema() -> dict[str, Any]:
    from .model import INT_DATE_MAX, INT_DATE_MIN

    return {"anyOf": [{"type": "string", "pattern": date_pattern()},
                      {"type": "integer", "minimum": INT_DATE_MIN, "maximum": INT_DATE_MAX}],
            "examples": ["2026-01-20", "2026年1月20日"]}


def _lax_bool() -> dict[str, Any]:
    words = "|".join(_any_case(w) for w in _BOOL_WORDS)
    return {"anyOf": [{"type": "boolean"}, {"type": "string", "pattern": f"^(?:{words}|1|0)$"},
                      {"enum": [0, 1]}]}


def _walk(node: Any) -> Any:
    """Patches 2, 3, 5 and 6 wherever they apply, bottom-up."""
    if isinstance(node, list):
        return [_walk(n) for n in node]
    if not isinstance(node, dict):
        return node
    node = {k: _walk(v) for k, v in node.items()}
    if node.get("format") == "date" and node.get("type") == "string":
        return date_schema()
    if node.get("type") == "string" and not set(node) - {"type", "title", "description", "default"}:
        node = {**{k: v for k, v in node.items() if k != "type"}, **TEXT}
    if node.get("type") == "boolean":
        return {**{k: v for k, v in node.items() if k != "type"}, **_lax_bool()}
    if node.get("type") == "number":  # pydantic's float (not Text's number): true/false read as 1/0
        node = {**node, "type": ["number", "boolean"]}
    return node


def _nullable(prop: dict[str, Any]) -> dict[str, Any]:
    branches = prop.get("anyOf")
    if branches is not None and any(b.get("type") == "null" for b in branches):
        return prop
    meta = {k: prop.pop(k) for k in ("title", "description", "default", "examples") if k in prop}
    return {**meta, "anyOf": [prop, {"type": "null"}]}


def _title_from(description: str) -> str:
    return re.split(r"[，；（(：,]", description, maxsplit=1)[0].strip()


def _titles_and_nulls(definition: dict[str, Any]) -> None:
    """Patches 1 and 5 on one object definition."""
    required = set(definition.get("required", ()))
    for name, prop in list(definition.get("properties", {}).items()):
        description = prop.get("description", "")
        if not _CJK.search(str(prop.get("title", ""))) and description:
            prop["title"] = _title_from(description)
        definition["properties"][name] = prop if name in required else _nullable(prop)
    if definition.get("additionalProperties") is False:  # an unknown key left empty is dropped too
        definition["additionalProperties"] = {"type": "null"}


def _short_form(definition: dict[str, Any], short: dict[str, Any]) -> dict[str, Any]:
    """A definition that is an object or a shorter spelling of it (patch 4)."""
    meta = {k: definition.pop(k) for k in ("title", "description") if k in definition}
    return {**meta, "anyOf": [definition, short]}


def _table_widths(table: dict[str, Any]) -> None:
    """Patch 7: with n columns every row has n cells, for each n the model allows."""
    from .model import MAX_COLUMNS

    table["properties"]["columns"]["maxItems"] = MAX_COLUMNS
    table["allOf"] = [
        {"if": {"required": ["columns"], "properties": {"columns": {"minItems": n, "maxItems": n}}},
         "then": {"properties": {"rows": {"anyOf": [
             {"type": "array", "items": {"minItems": n, "maxItems": n}}, {"type": "null"}]}}}}
        for n in range(1, MAX_COLUMNS + 1)
    ]


def _spreadsheets(schema: dict[str, Any]) -> None:
    """Patch 9: the keys sources/ reads before validation (a workbook for the file, a sheet for a table)."""
    schema["properties"]["workbook"] = {
        "type": "string", "title": "工作簿",
        "description": "Excel（.xlsx）或 CSV 文件的路径：表里的指标、部门和说明并入本文件"}
    table = schema["$defs"]["Table"]
    table["properties"].update({
        "sheet": {"type": "string", "title": "工作表", "description": "把这张工作表作为统计表（第一行是表头）"},
        "range": {"type": "string", "title": "单元格区域", "description": "工作表里的单元格区域，如 A1:D8"},
        "workbook": {"type": "string", "title": "工作簿", "description": "工作簿路径（不写时用文件顶层的 workbook）"},
    })
    required = table.pop("required", [])
    table["anyOf"] = [{"required": required}, {"required": ["sheet"]}] if required else [{"required": ["sheet"]}]


def json_schema() -> dict[str, Any]:
    """The JSON Schema of a records file, for editors (YAML language servers) to validate and complete."""
    from .model import Report  # pydantic: only when a schema is made (`import records.schema` stays cheap)

    schema = _walk(copy.deepcopy(Report.model_json_schema()))
    defs: dict[str, Any] = schema["$defs"]
    _spreadsheets(schema)
    for definition in [schema, *defs.values()]:
        _titles_and_nulls(definition)
    _table_widths(defs["Table"])
    meta = defs["Meta"]["properties"]
    template = meta["template"]["anyOf"][0]
    template["anyOf"] = [{"type": "string", "pattern": r"^[A-Za-z0-9][A-Za-z0-9_\-]{0,63}$"}, {"type": "number"}]
    template.pop("type", None)
    keywords = schema["properties"]["keywords"]
    keywords["anyOf"] = [{"type": "array", "items": TEXT}, {"type": "string"}, {"type": "null"}]
    defs["Item"] = _short_form(defs["Item"], {**TEXT, "title": "简写：只写正文"})
    defs["Part"] = _short_form(defs["Part"], {"type": "array", "items": {"$ref": "#/$defs/Item"},
                                              "title": "简写：只写条目列表"})
    _rich_content(defs)
    _org_type(defs["Meta"])
    return {"$schema": SCHEMA_DIALECT, **schema}


def org_type_pattern() -> str:
    """Every spelling ``zh/orgtype.canonical`` reads: a type or an alias, English in any case, spaces around."""
    from ..zh import orgtype

    names = sorted({*orgtype.ORG_TYPES, *orgtype.ALIASES}, key=lambda n: (-len(n), n))
    return r"^\s*(?:" + "|".join(_any_case(n) if n.isascii() else re.escape(n) for n in names) + r")\s*$"


def _org_type(meta: dict[str, Any]) -> None:
    """Patch 11 on the Meta definition (the loader's ``model._org_type`` and the ``单位类型`` alias key)."""
    prop = meta["properties"]["org_type"]
    known = next(b for b in prop["anyOf"] if "enum" in b)
    known["title"] = "单位类型"
    other = {"type": "string", "pattern": org_type_pattern(),
             "title": "其他写法：别名（如 hospital、卫生院、事业单位）或前后带空格，读作对应的类型"}
    prop["anyOf"] = [known, other, {"type": "null"}]
    prop["examples"] = list(known["enum"])
    meta["properties"]["单位类型"] = {**{k: v for k, v in prop.items() if k != "default"},
                                   "title": "单位类型（中文键名）", "description": "与 org_type 相同，用中文键名写"}
    # Both keys given: the loader reads org_type and refuses 单位类型 as an unknown key.
    both = {"required": ["org_type", "单位类型"],
            "properties": {"org_type": {"not": {"type": "null"}}, "单位类型": {"not": {"type": "null"}}}}
    meta["not"] = both


def _rich_content(defs: dict[str, Any]) -> None:
    """Pictures and 公文 parts as the loader reads them (records/model.py ``Image``, ``Official``)."""
    defs["Image"] = _short_form(defs["Image"], {"type": "string", "minLength": 1, "title": "简写：只写图片文件"})
    width = defs["Image"]["anyOf"][0]["properties"]["width"]
    width["anyOf"] = [{k: width.pop(k) for k in list(width) if k not in {"title", "description", "default"}},
                      {"type": "number", "minimum": 0, "maximum": 999999, "title": "毫米数"}]
    _chart_from(defs["Chart"])
    for name in ("signers", "copy_to"):  # one line of names: 市财政局、市审计局 (``model._names``)
        prop = defs["Official"]["properties"][name]
        prop["anyOf"] = [{"type": "array", "items": TEXT}, {"type": "string"}, {"type": "null"}]


def _given(key: str) -> dict[str, Any]:
    """``key`` written with something in it: null is dropped and an empty list means "not given"."""
    return {"required": [key], "properties": {key: {"type": ["array", "string", "number", "boolean"],
                                                    "not": {"type": "array", "maxItems": 0}}}}


def _chart_from(chart: dict[str, Any]) -> None:
    """A chart is ``from`` (one name or a list, ``model._chart_source``) or categories and series, never both."""
    prop = chart["properties"]["from"]
    prop["anyOf"] = [TEXT, {"type": "array", "items": TEXT}, {"type": "null"}]
    chart["anyOf"] = [
        {**_given("from"), "not": {"anyOf": [_given("categories"), _given("series")]}},
        {"allOf": [_given("categories"), _given("series")], "not": _given("from")},
    ]


def modeline(target: str = SCHEMA_FILE) -> str:
    """The first line VS Code's YAML extension (yaml-language-server) reads to find the schema."""
    return f"# yaml-language-server: $schema={target}"
