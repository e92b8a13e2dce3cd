"""`summarykit serve` over real HTTP: every endpoint, bad and oversized bodies, limits, concurrency.

The server is the installed console script on a free localhost port (tests/served.py); requests go
through urllib, so these are the answers any client gets.
"""

from __future__ import annotations

import io
import json
import re
import urllib.parse
import uuid
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

pytest.importorskip("starlette")
pytest.importorskip("uvicorn")

from summarykit.records.schema import json_schema
from tests.conftest import require_soffice
from tests.served import Served, serve

REPO = Path(__file__).resolve().parents[1]
SCHOOL = (REPO / "sample_data" / "school_term.yaml").read_text(encoding="utf-8")
TITLE = "某某中学2010—2011学年第一学期后勤工作总结"
BAD = "meta:\n  organization: 某某中学\n  date: 2026-02-30\nachievements:\n  - items: [一条]\n"


def docx_text(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        xml = package.read("word/document.xml").decode("utf-8")
    return "".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", xml))


def download_name(reply_headers: dict[str, str]) -> str:
    match = re.search(r"filename\*=UTF-8''([^;]+)", reply_headers["content-disposition"])
    assert match, reply_headers["content-disposition"]
    return urllib.parse.unquote(match.group(1))


# ---------------------------------------------------------------- GET endpoints


def test_health(service: Served) -> None:
    reply = service.get("/health")
    assert reply.status == 200
    assert reply.json()["status"] == "ok"


def test_templates_list_the_built_ins_and_organization_types(service: Served) -> None:
    data = service.get("/templates").json()
    names = {t["name"] for t in data["templates"]}
    assert {"school_term", "survey_report", "agency_logistics"} <= names
    assert all(t["title"] for t in data["templates"])
    assert {o["name"] for o in data["org_types"]} >= {"school", "agency"}


def test_schema_is_the_records_schema(service: Served) -> None:
    reply = service.get("/schema")
    assert reply.status == 200 and reply.headers["content-type"].startswith("application/schema+json")
    assert reply.json() == json.loads(json.dumps(json_schema()))


def test_phrases_and_an_unknown_category(service: Served) -> None:
    data = service.get("/phrases").json()
    assert data["categories"] and all(c["phrases"] for c in data["categories"])
    one = data["categories"][0]["name"]
    assert [c["name"] for c in service.get("/phrases?category=" + urllib.parse.quote(one)).json()["categories"]] == [one]
    reply = service.get("/phrases?category=" + urllib.parse.quote("不存在的类别"))
    assert reply.status == 422 and reply.json()["message"]


def test_starter_of_a_template_and_names_that_are_not_templates(service: Served) -> None:
    reply = service.get("/templates/school_term/starter")
    assert reply.status == 200 and "meta:" in reply.body.decode("utf-8")
    for name in ("school_trem", "..%2F..%2Fetc%2Fpasswd", "%2Fetc%2Fpasswd"):
        bad = service.get(f"/templates/{name}/starter")
        assert bad.status in {404, 422}, name
        assert b"root:" not in bad.body


def test_openapi_describes_every_endpoint_and_docs_page_is_local(service: Served) -> None:
    spec = service.get("/openapi.json").json()
    assert spec["openapi"].startswith("3.")
    assert set(spec["paths"]) == {"/render", "/validate", "/import", "/templates", "/templates/{name}/starter",
                                  "/schema", "/phrases", "/health", "/starter.xlsx"}
    from summarykit.service.app import create_app

    routes = {(r.path, m.lower()) for r in create_app().routes if getattr(r, "methods", None)
              for m in r.methods if m != "HEAD" and r.path not in {"/", "/openapi.json", "/docs"}}
    assert routes == {(path, method) for path, item in spec["paths"].items() for method in item}
    for path, item in spec["paths"].items():  # every described address answers (not 404/405)
        for method in item:
            reply = service.request(method.upper(), path.replace("{name}", "school_term"),
                                    b"" if method == "post" else None, "application/yaml" if method == "post" else None)
            assert reply.status not in {404, 405}, (method, path)
    docs = service.get("/docs").body.decode("utf-8")
    assert "/openapi.json" in docs and "http" not in re.sub(r"http://127\.0\.0\.1:8000", "", docs).replace(
        "http-equiv", "")


def test_page_and_its_files_need_no_network(service: Served) -> None:
    page = service.get("/").body.decode("utf-8")
    assert "工作总结" in page
    for asset in re.findall(r'(?:src|href)="(/static/[^"]+)"', page):
        reply = service.get(asset)
        assert reply.status == 200, asset
        assert not re.search(rb"https?://", reply.body), f"{asset} loads something from the network"
    assert not re.search(r'(?:src|href)="https?://', page)


def test_unknown_addresses_and_methods_answer_in_chinese(service: Served) -> None:
    missing = service.get("/nope")
    assert missing.status == 404 and "没有这个地址" in missing.json()["message"]
    wrong = service.get("/render")
    assert wrong.status == 405 and "不接受 GET" in wrong.json()["message"]


def test_static_files_cannot_escape_their_folder(service: Served) -> None:
    for path in ("/static/../app.py", "/static/..%2Fapp.py", "/static/%2e%2e/%2e%2e/errors.py"):
        reply = service.get(path)
        assert reply.status == 404, path


# ---------------------------------------------------------------- POST /render


@pytest.mark.parametrize("fmt", ["docx", "md", "txt", "html"])
def test_render_each_format_with_a_chinese_download_name(service: Served, fmt: str) -> None:
    reply = service.post(f"/render?format={fmt}&seed=7", SCHOOL)
    assert reply.status == 200, reply.body[:300]
    text = docx_text(reply.body) if fmt == "docx" else reply.body.decode("utf-8")
    assert TITLE in text
    assert "一、学生食堂改革" in text
    if fmt != "html":
        assert download_name(reply.headers) == f"{TITLE}.{fmt}"
        assert f'filename="summary.{fmt}"' in reply.headers["content-disposition"]


def test_render_json_body_with_options_matches_the_yaml_body(service: Served) -> None:
    from_yaml = service.post("/render?format=md&seed=3", SCHOOL).body
    from_json = service.post_json("/render", {"records": SCHOOL, "format": "md", "seed": 3}).body
    assert from_json == from_yaml
    data = service.post_json("/validate", {"records": SCHOOL}).json()["data"]
    from_object = service.post_json("/render?format=md&seed=3", {"records": data}).body
    assert from_object == from_yaml


def test_render_reads_a_gbk_body_like_a_file(service: Served) -> None:
    reply = service.post("/render?format=txt&seed=1", SCHOOL.encode("gbk"))
    assert reply.status == 200
    assert TITLE in reply.body.decode("utf-8")


def test_render_pdf(service: Served) -> None:
    require_soffice()
    reply = service.post("/render?format=pdf", SCHOOL)
    assert reply.status == 200, reply.body[:300]
    assert reply.body.startswith(b"%PDF")
    assert download_name(reply.headers) == f"{TITLE}.pdf"


def test_render_bad_records_is_422_with_located_problems(service: Served) -> None:
    reply = service.post("/render?format=docx", BAD)
    assert reply.status == 422
    problems = reply.json()["problems"]
    assert {p["path"] for p in problems} >= {"meta.date", "achievements[0].heading"}
    assert all(p["line"] for p in problems)
    assert any("日期" in p["message"] for p in problems)


@pytest.mark.parametrize(("path", "body", "content_type", "status"), [
    ("/render?format=odt", SCHOOL, "application/yaml", 400),
    ("/render?seed=abc", SCHOOL, "application/yaml", 400),
    ("/render?fonts=comic", SCHOOL, "application/yaml", 400),
    ("/render", SCHOOL, "image/png", 415),
    ("/render", SCHOOL, "multipart/form-data; boundary=x", 400),
    ("/render", "", "application/yaml", 422),
    ("/render", "meta: [unclosed", "application/yaml", 422),
    ("/render", "{not json", "application/json", 422),
    ("/render", "[" * 100_000 + "]" * 100_000, "application/json", 422),  # deeper than json can parse
    ("/render", '{"records": {"meta": {"n": ' + "9" * 5000 + "}}}", "application/json", 422),  # a 5000-digit number
    ("/render", "\x00\x01\x02binary", "application/yaml", 422),
    ("/render", "- 只是一个列表\n", "application/yaml", 422),
    ("/render?template=../../etc/passwd", SCHOOL, "application/yaml", 422),
    ("/render?template=%2Fetc%2Fpasswd", SCHOOL, "application/yaml", 422),
    ("/render?template=school_trem", SCHOOL, "application/yaml", 422),
    ("/validate", "meta:\n\torganization: x\n", "application/yaml", 422),
])
def test_bad_requests_get_a_chinese_message_never_a_traceback(service: Served, path: str, body: str,
                                                               content_type: str, status: int) -> None:
    reply = service.post(path, body, content_type)
    assert reply.status == status, reply.body[:300]
    payload = reply.json()
    assert re.search(r"[\u4e00-\u9fff]", payload["message"])
    assert "Traceback" not in reply.body.decode("utf-8")


def test_a_misspelt_template_name_gets_a_did_you_mean_on_meta_template(service: Served) -> None:
    reply = service.post("/validate", SCHOOL.replace("template: school_term", "template: school_trem"))
    assert reply.status == 422
    problem = reply.json()["problems"][0]
    assert problem["path"] == "meta.template"
    assert "school_term" in problem["message"]


# ---------------------------------------------------------------- POST /validate


def test_validate_ok_returns_the_records_as_data(service: Served) -> None:
    reply = service.post("/validate", SCHOOL)
    assert reply.status == 200
    payload = reply.json()
    assert payload["ok"] and payload["problems"] == []
    assert payload["data"]["meta"]["organization"] == "某某中学"


def test_validate_bad_is_422_listing_every_problem(service: Served) -> None:
    payload = service.post("/validate", BAD).json()
    assert payload["ok"] is False
    assert len(payload["problems"]) == 2
    assert all({"message", "line", "column", "path", "hint"} <= set(p) for p in payload["problems"])


# ---------------------------------------------------------------- POST /import


def multipart(name: str, data: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n"
            f"Content-Type: application/octet-stream\r\n\r\n").encode() + data + f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


def test_import_last_years_docx_gives_records_that_render(service: Served) -> None:
    docx = service.post("/render?format=docx&seed=7", SCHOOL).body
    body, content_type = multipart("../../去年的总结.docx", docx)
    reply = service.post("/import", body, content_type)
    assert reply.status == 200, reply.body[:300]
    records = reply.json()["records"]
    assert "学生食堂改革" in records
    again = service.post("/render?format=md", records)
    assert again.status == 200 and "学生食堂改革" in again.body.decode("utf-8")


def test_import_of_something_that_is_not_a_summary(service: Served) -> None:
    body, content_type = multipart("x.docx", b"PK\x03\x04 not really a zip")
    reply = service.post("/import", body, content_type)
    assert reply.status == 422
    assert re.search(r"[\u4e00-\u9fff]", reply.json()["message"])
    empty, content_type = multipart("x.docx", b"")
    assert service.post("/import", empty, content_type).status == 400


# ---------------------------------------------------------------- limits


def test_oversized_bodies_are_refused_with_413() -> None:
    with serve(max_body=str(64 * 1024)) as small:
        big = SCHOOL + "\nclosing:\n" + "".join(f"  - 第{i}段结尾文字，内容较长。\n" for i in range(4000))
        assert len(big.encode("utf-8")) > 64 * 1024
        reply = small.post("/render", big)
        assert reply.status == 413 and "太大" in reply.json()["message"]
        # Without a Content-Length (chunked upload) the limit holds while reading.
        chunks = (big.encode("utf-8")[i:i + 8192] for i in range(0, len(big.encode("utf-8")), 8192))
        import http.client

        host, port = small.url.removeprefix("http://").split(":")
        connection = http.client.HTTPConnection(host, int(port), timeout=30)
        connection.request("POST", "/validate", body=chunks, headers={"Content-Type": "application/yaml"},
                           encode_chunked=True)
        response = connection.getresponse()
        assert response.status == 413
        connection.close()
        assert small.post("/render?format=md", SCHOOL).status == 200  # still serving


def test_render_time_limit_answers_503() -> None:
    with serve(render_seconds="0.0001") as hurried:
        reply = hurried.post("/render", SCHOOL)
        assert reply.status == 503
        assert "超时" in reply.json()["message"] and reply.headers.get("retry-after")


def test_concurrent_pdf_conversions_are_limited() -> None:
    require_soffice()
    with serve(pdf_slots="1", pdf_wait_seconds="0.05") as one_slot, ThreadPoolExecutor(3) as pool:
        replies = list(pool.map(lambda _: one_slot.post("/render?format=pdf", SCHOOL), range(3)))
    statuses = sorted(r.status for r in replies)
    assert statuses.count(200) >= 1 and 503 in statuses, statuses
    busy = next(r for r in replies if r.status == 503)
    assert "繁忙" in busy.json()["message"] and busy.headers.get("retry-after")
    assert all(r.body.startswith(b"%PDF") for r in replies if r.status == 200)


def test_the_layout_of_an_official_docx_takes_a_pdf_slot() -> None:
    """A 公文's DOCX is laid out by LibreOffice (its 版记's page): that conversion is counted by the
    PDF slots like a PDF, so DOCX downloads cannot run more LibreOffice conversions than allowed."""
    require_soffice()
    official = (REPO / "sample_data" / "agency_logistics_2.yaml").read_text(encoding="utf-8").replace(
        "    images:\n      - path: images/canteen.png\n        caption: 机关食堂改造后平面布局示意\n        width: 70%\n", "")
    with serve(pdf_slots="1", pdf_wait_seconds="0.05") as one_slot, ThreadPoolExecutor(3) as pool:
        # Different seeds: different documents, so none is answered from the layout cache.
        replies = list(pool.map(lambda i: one_slot.post(f"/render?format=docx&seed={i}", official), range(3)))
    statuses = sorted(r.status for r in replies)
    assert statuses.count(200) >= 1 and 503 in statuses, statuses
    busy = [r for r in replies if r.status == 503 and "排版检查繁忙" in r.json()["message"]]
    assert busy and all(r.headers.get("retry-after") for r in busy), [r.body[:200] for r in replies]
    assert all(r.body[:2] == b"PK" for r in replies if r.status == 200)


# ---------------------------------------------------------------- concurrency


def test_200_requests_from_20_clients_all_answer_correctly(service: Served) -> None:
    """Stateless: mixed renders and checks at once give exactly what each gives alone."""
    bad = SCHOOL.replace("date: 2011-01-20", "date: 2011-02-30") if "date: 2011-01-20" in SCHOOL else BAD
    jobs = []
    for i in range(200):
        kind = i % 4
        if kind == 0:
            jobs.append(("POST", f"/render?format=md&seed={i % 5}", SCHOOL))
        elif kind == 1:
            jobs.append(("POST", "/render?format=docx&seed=1", SCHOOL))
        elif kind == 2:
            jobs.append(("POST", "/validate", bad))
        else:
            jobs.append(("POST", f"/render?format=txt&seed={i % 3}", SCHOOL))
    expected = {}
    for job in set(jobs):
        reply = service.post(job[1], job[2])
        expected[job] = (reply.status, docx_text(reply.body) if "docx" in job[1] else reply.body)
    with ThreadPoolExecutor(20) as pool:
        replies = list(pool.map(lambda job: service.post(job[1], job[2]), jobs))
    assert len(replies) == 200
    for job, reply in zip(jobs, replies, strict=True):
        body = docx_text(reply.body) if "docx" in job[1] else reply.body
        assert (reply.status, body) == expected[job], job
