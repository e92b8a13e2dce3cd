"""Workbooks through `summarykit serve`: /render, /validate and /import read an uploaded .xlsx or .csv.

The server is the real console script on a localhost port (tests/served.py).  A workbook arrives as
a browser sends it (multipart form field ``file``) or as the whole body with its media type; the
answers must be what `summarykit render 数据.xlsx` makes of the same file, problems located at
sheet and cell in Chinese, and no request may make the server open a file of its own.
"""

from __future__ import annotations

import io
import json
import random
import re
import shutil
import subprocess
import sys
import urllib.parse
import uuid
import zipfile
from pathlib import Path

import pytest

pytest.importorskip("starlette")
pytest.importorskip("uvicorn")

from tests.served import Served, serve
from tests.sheets import FIGURES_HEADER, workbook

CLI = shutil.which("summarykit", path=str(Path(sys.executable).parent)) or "summarykit"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
NOTES = [["项目", "内容"], ["单位", "某某中学"], ["时期", "2025年"], ["主题", "后勤"]]
TWO_DEPARTMENTS = workbook({
    "说明": NOTES,
    "部门": [["部门", "开头", "维修工单（件）"], ["总务处", "本年度，总务处服务师生。", 1234],
             ["保卫处", "本年度，保卫处守护校园。", 87]],
})
ONE_REPORT = workbook({
    "说明": NOTES,
    "指标": [FIGURES_HEADER, ["日常维修", "维修工单", 1234, 1097, 1200, "件", "全年完成维修工单1234件。"]],
})


def form(fields: dict[str, str], name: str, data: bytes, field: str = "file") -> tuple[bytes, str]:
    """A multipart/form-data body as a browser's FormData makes it."""
    boundary = uuid.uuid4().hex
    parts = [f"--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n".encode()
             for k, v in fields.items()]
    parts.append(f"--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{name}\"\r\n"
                 f"Content-Type: application/octet-stream\r\n\r\n".encode() + data + b"\r\n")
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def upload(service: Served, path: str, name: str, data: bytes, **fields: str) -> object:
    body, content_type = form(fields, name, data)
    return service.post(path, body, content_type)


def q(text: str) -> str:
    return urllib.parse.quote(text)


def cli_messages(tmp_path: Path, name: str, data: bytes) -> list[str]:
    """What `summarykit validate --json` says about the same file (the messages the service must repeat)."""
    target = tmp_path / name
    target.write_bytes(data)
    done = subprocess.run([CLI, "validate", "--json", name],
                          cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2, done.stdout + done.stderr
    return [p["message"] for entry in json.loads(done.stdout) for p in entry["problems"]]


# ---------------------------------------------------------------- rendering a workbook


def test_a_workbook_renders_as_the_cli_renders_it(service: Served, tmp_path: Path) -> None:
    (tmp_path / "数据.xlsx").write_bytes(ONE_REPORT)
    subprocess.run([CLI, "-q", "render", "数据.xlsx", "-o", "总结.md",
                    "--seed", "4"], cwd=tmp_path, check=True, timeout=120)
    expected = (tmp_path / "总结.md").read_text(encoding="utf-8")
    as_form = upload(service, "/render?format=md&seed=4", "数据.xlsx", ONE_REPORT)
    assert as_form.status == 200, as_form.body[:400]
    assert as_form.body.decode("utf-8") == expected
    as_body = service.post("/render?format=md&seed=4", ONE_REPORT, XLSX)
    assert as_body.body == as_form.body
    assert "维修工单" in expected and "某某中学2025年后勤工作总结" in expected


def test_a_workbook_renders_a_docx_named_by_its_title(service: Served) -> None:
    as_field = upload(service, "/render", "数据.xlsx", ONE_REPORT, format="md", seed="4")
    assert as_field.headers["content-type"].startswith("text/markdown")
    assert as_field.body == upload(service, "/render?format=md&seed=4", "数据.xlsx", ONE_REPORT).body
    assert upload(service, "/render?format=txt", "数据.xlsx", ONE_REPORT, format="md").headers[
        "content-type"].startswith("text/plain")  # the address wins over a form field
    reply = upload(service, "/render", "数据.xlsx", ONE_REPORT)
    assert reply.status == 200, reply.body[:400]
    assert reply.headers["content-type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    name = re.search(r"filename\*=UTF-8''([^;]+)", reply.headers["content-disposition"])
    assert name and urllib.parse.unquote(name.group(1)) == "某某中学2025年后勤工作总结.docx"
    with zipfile.ZipFile(io.BytesIO(reply.body)) as package:
        assert "维修工单" in package.read("word/document.xml").decode("utf-8")


def test_several_departments_need_one_chosen(service: Served) -> None:
    reply = service.post("/render?format=md", TWO_DEPARTMENTS, XLSX)
    assert reply.status == 422
    problem = reply.json()["problems"][0]
    assert "总务处、保卫处" in problem["message"] and "请选择一个部门" in problem["message"]
    assert problem["path"] == "department" and "department=总务处" in problem["hint"]

    chosen = service.post(f"/render?format=md&department={q('保卫处')}", TWO_DEPARTMENTS, XLSX)
    assert chosen.status == 200, chosen.body[:400]
    text = chosen.body.decode("utf-8")
    assert "某某中学保卫处2025年后勤工作总结" in text and "87" in text and "总务处" not in text
    as_field = upload(service, "/render?format=md", "数据.xlsx", TWO_DEPARTMENTS, department="保卫处")
    assert as_field.body == chosen.body


def test_an_unknown_department_gets_a_did_you_mean(service: Served) -> None:
    reply = service.post(f"/render?department={q('保安处')}", TWO_DEPARTMENTS, XLSX)
    assert reply.status == 422
    problem = reply.json()["problems"][0]
    assert problem["message"] == "工作簿的部门表里没有“保安处”"
    assert "是不是想写“保卫处”？" in problem["hint"] and "总务处、保卫处" in problem["hint"]
    single = service.post(f"/render?department={q('总务处')}", ONE_REPORT, XLSX)
    assert single.status == 422 and "没有部门表" in single.json()["problems"][0]["message"]


def test_a_csv_file_as_a_body_or_an_upload(service: Served) -> None:
    csv = "项目,内容\n单位,某某中学\n时期,2025年\n开头,本年度工作顺利。\n".encode("gbk")
    as_body = service.post("/render?format=txt", csv, "text/csv")
    assert as_body.status == 200, as_body.body[:300]
    assert "本年度工作顺利" in as_body.body.decode("utf-8")
    assert upload(service, "/render?format=txt", "说明.csv", csv).body == as_body.body
    notices = json.loads(urllib.parse.unquote(as_body.headers["x-summarykit-notices"]))
    assert any("GBK" in n for n in notices)


# ---------------------------------------------------------------- checking a workbook


def test_validate_lists_every_department_as_data(service: Served) -> None:
    reply = service.post("/validate", TWO_DEPARTMENTS, XLSX)
    assert reply.status == 200, reply.body[:400]
    payload = reply.json()
    assert payload["ok"] and payload["departments"] == ["总务处", "保卫处"]
    assert "2 份总结" in payload["message"] and "data" not in payload
    assert [r["data"]["meta"]["department"] for r in payload["reports"]] == ["总务处", "保卫处"]
    one = service.post(f"/validate?department={q('总务处')}", TWO_DEPARTMENTS, XLSX).json()
    assert one["data"]["meta"]["department"] == "总务处" and one["departments"] == ["总务处"]


def test_problems_are_located_at_sheet_and_cell_in_chinese(service: Served) -> None:
    bad = workbook({"指标": [FIGURES_HEADER, ["日常维修", "维修工单", "一千二百", None, None, "件", None],
                             [None, "满意度", 95, None, None, "%", None]],
                    "部门": [["部门", "开头"], ["总务处", "x"], ["总务处", "y"]]})
    for reply in (service.post("/validate", bad, XLSX), upload(service, "/render", "各部门.xlsx", bad)):
        assert reply.status == 422
        payload = reply.json()
        text = json.dumps(payload, ensure_ascii=False)
        assert "Traceback" not in text
        cells = {p["file"] for p in payload["problems"]}
        assert any(re.search(r"工作表“指标” C2$", c) for c in cells), cells
        assert any("工作表“部门” A3" in c for c in cells), cells
        assert all(re.search(r"[\u4e00-\u9fff]", p["message"]) for p in payload["problems"])
    named = upload(service, "/validate", "各部门.xlsx", bad).json()
    assert all(p["file"].startswith("各部门.xlsx 工作表") for p in named["problems"])


def test_a_misspelt_template_in_the_workbook_is_located_at_its_cell(service: Served) -> None:
    misspelt = workbook({"说明": [*NOTES, ["模板", "school_trem"]]})
    for path in ("/render", "/validate", "/import"):
        reply = upload(service, path, "数据.xlsx", misspelt)
        assert reply.status == 422, path
        problem = reply.json()["problems"][0]
        assert problem["file"] == "数据.xlsx 工作表“说明” B5" and "school_term" in problem["message"], path


# The files summarykit cannot read, each refused with the message the command line gives.
UNREADABLE = [
    ("旧.xls", OLE2 + bytes(600)),
    ("表.et", OLE2 + bytes(600)),
    ("加密.xlsx", OLE2 + bytes(100) + "EncryptionInfo".encode("utf-16-le") + bytes(100)),
    ("坏.xlsx", b"PK\x03\x04" + bytes(40)),
    ("不是表格.xlsx", b"meta:\n  organization: x\n"),
]


def _numbers() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("Index/Document.iwa", b"\x00")
    return buffer.getvalue()


@pytest.mark.parametrize(("name", "data"), [*UNREADABLE, ("表.numbers", _numbers())])
def test_unreadable_files_get_the_command_lines_messages(service: Served, tmp_path: Path, name: str,
                                                         data: bytes) -> None:
    expected = cli_messages(tmp_path, name, data)
    for path in ("/render", "/validate", "/import"):
        reply = upload(service, path, name, data)
        assert reply.status == 422, (path, reply.body[:300])
        payload = reply.json()
        assert [p["message"] for p in payload["problems"]] == expected, path
        assert payload["problems"][0]["hint"]


def test_something_that_is_no_spreadsheet_at_all(service: Served) -> None:
    reply = upload(service, "/render", "照片.png", b"\x89PNG\r\n\x1a\n" + bytes(64))
    assert reply.status == 422
    assert reply.json()["problems"][0]["message"] == "上传的文件不是 Excel 工作簿（.xlsx）或 CSV 文件"


def test_bad_uploads_get_a_chinese_400(service: Served) -> None:
    body, content_type = form({"department": "总务处"}, "数据.xlsx", ONE_REPORT, field="workbook")
    reply = service.post("/render", body, content_type)
    assert reply.status == 400 and "字段 file" in reply.json()["message"]
    assert upload(service, "/validate", "数据.xlsx", b"").status == 400
    broken = service.post("/render", b"--x\r\nnot a form", "multipart/form-data; boundary=x")
    assert broken.status == 400 and "表单无法读取" in broken.json()["message"]
    assert service.post("/render", b"", XLSX).json()["message"] == "上传的文件是空的"


# ---------------------------------------------------------------- no path from a request


def test_an_uploads_name_is_shown_never_opened(service: Served) -> None:
    bad = workbook({"指标": [FIGURES_HEADER, ["日常维修", "维修工单", "暂无", None, None, "件", None]]})
    reply = upload(service, "/validate", "../../etc/passwd.xlsx", bad)
    assert reply.status == 422
    assert {p["file"].split()[0] for p in reply.json()["problems"]} == {"passwd.xlsx"}
    windows = upload(service, "/validate", "C:\\\\Users\\\\张三\\\\数据.xlsx", bad).json()
    assert {p["file"].split()[0] for p in windows["problems"]} == {"数据.xlsx"}


@pytest.mark.parametrize(("records", "path", "line"), [
    ("workbook: /etc/passwd\nmeta:\n  organization: 某某中学\n", "workbook", 1),
    ("meta:\n  organization: 某某中学\nprevious: /etc/passwd\n", "previous", 3),
    ("meta:\n  organization: 某某中学\ntables:\n  - sheet: 人员结构\n    workbook: /etc/passwd\n",
     "tables[0].sheet", 4),
])
def test_records_naming_a_server_file_are_refused_before_it_is_read(service: Served, records: str, path: str,
                                                                     line: int) -> None:
    for reply in (service.post("/render", records), service.post("/validate", records),
                  service.post_json("/validate", {"records": records})):
        assert reply.status == 422, reply.body[:300]
        payload = reply.json()
        problem = next(p for p in payload["problems"] if p["path"] == path)
        assert problem["message"].startswith("网页服务不读服务器上的文件")
        assert problem["line"] == line
        assert "root:" not in reply.body.decode("utf-8")
    data = {"meta": {"organization": "某某中学"}, "previous": "/etc/passwd"}
    as_object = service.post_json("/render", {"records": data})
    assert as_object.status == 422 and as_object.json()["problems"][0]["path"] == "previous"


# ---------------------------------------------------------------- starting the page from a workbook


def test_import_a_workbook_gives_records_that_render_the_same(service: Served) -> None:
    reply = upload(service, "/import", "数据.xlsx", TWO_DEPARTMENTS)
    assert reply.status == 200, reply.body[:400]
    payload = reply.json()
    assert payload["departments"] == ["总务处", "保卫处"] and payload["department"] == "总务处"
    assert payload["records"].startswith("# 由表格“数据.xlsx”转成的记录（部门：总务处）")
    other = upload(service, "/import", "数据.xlsx", TWO_DEPARTMENTS, department="保卫处").json()
    assert other["department"] == "保卫处" and other["data"]["meta"]["department"] == "保卫处"
    from_records = service.post("/render?format=md&seed=2", other["records"])
    from_workbook = service.post(f"/render?format=md&seed=2&department={q('保卫处')}", TWO_DEPARTMENTS, XLSX)
    assert from_records.status == from_workbook.status == 200
    assert from_records.body == from_workbook.body


def test_import_tells_a_workbook_from_a_docx_by_content_when_the_body_has_no_name(service: Served) -> None:
    school = (Path(__file__).resolve().parents[1] / "sample_data" / "school_term.yaml").read_text(encoding="utf-8")
    docx = service.post("/render?format=docx&seed=7", school).body
    as_docx = service.post("/import", docx, "application/octet-stream")
    assert as_docx.status == 200 and "学生食堂改革" in as_docx.json()["records"]
    as_sheet = service.post("/import", ONE_REPORT, "application/octet-stream")
    assert as_sheet.status == 200 and as_sheet.json()["records"].startswith("# 由表格“上传的表格.xlsx”")
    assert service.post("/import", ONE_REPORT, XLSX).json()["data"]["meta"]["organization"] == "某某中学"


def test_metric_previous_values_are_not_mistaken_for_files(service: Served) -> None:
    records = ("reports:\n  - meta: {organization: 某某中学}\n    achievements:\n      - heading: 维修\n"
               "        metrics: [{name: 维修工单, value: 12, previous: '10', unit: 件}]\n")
    reply = service.post("/validate", records)
    assert all(not p["message"].startswith("网页服务不读") for p in reply.json().get("problems", []))


def test_the_starter_workbook_can_be_downloaded_and_uploaded_back(service: Served) -> None:
    from openpyxl import load_workbook

    reply = service.get("/starter.xlsx")
    assert reply.status == 200 and reply.headers["content-type"] == XLSX
    assert "filename*=UTF-8''" + q("表格样例.xlsx") in reply.headers["content-disposition"]
    assert load_workbook(io.BytesIO(reply.body)).sheetnames == ["说明", "指标", "部门", "人员结构"]
    back = upload(service, "/render?format=txt", "表格样例.xlsx", reply.body)
    assert back.status == 200, back.body[:300]
    assert "某某中学总务处2025年后勤工作总结" in back.body.decode("utf-8")


# ---------------------------------------------------------------- limits


def test_an_oversized_workbook_is_refused_with_413() -> None:
    noise = random.Random(7)  # text that does not compress, so that the workbook is really large
    big = workbook({"说明": NOTES, "草稿": [["".join(chr(noise.randint(0x4E00, 0x9FA5)) for _ in range(20000))
                                          for _ in range(4)]]})
    assert len(big) > 40 * 1024
    with serve(max_upload=str(40 * 1024)) as small:
        for reply in (upload(small, "/render", "大.xlsx", big), small.post("/validate", big, XLSX),
                      upload(small, "/import", "大.xlsx", big)):
            assert reply.status == 413 and "上传的文件太大" in reply.json()["message"]
        import http.client

        host, port = small.url.removeprefix("http://").split(":")
        body, content_type = form({}, "大.xlsx", big)
        connection = http.client.HTTPConnection(host, int(port), timeout=30)
        connection.request("POST", "/render", body=(body[i:i + 8192] for i in range(0, len(body), 8192)),
                           headers={"Content-Type": content_type}, encode_chunked=True)
        assert connection.getresponse().status == 413  # no Content-Length to trust: counted while reading
        connection.close()
        assert upload(small, "/render?format=md", "数据.xlsx", ONE_REPORT).status == 200


def test_workbook_requests_from_many_clients_each_get_their_own_answer(service: Served) -> None:
    """Stateless with uploads too: 60 mixed workbook requests from 12 clients answer as each does alone."""
    from concurrent.futures import ThreadPoolExecutor

    bad = workbook({"指标": [FIGURES_HEADER, ["日常维修", "维修工单", "暂无", None, None, "件", None]]})
    jobs = [("/render?format=md&department=" + q("总务处"), TWO_DEPARTMENTS),
            ("/render?format=md&department=" + q("保卫处"), TWO_DEPARTMENTS),
            ("/render?format=txt&seed=3", ONE_REPORT), ("/validate", bad), ("/render", TWO_DEPARTMENTS)]
    expected = {path: service.post(path, data, XLSX) for path, data in jobs}
    with ThreadPoolExecutor(12) as pool:
        replies = list(pool.map(lambda job: (job[0], service.post(job[0], job[1], XLSX)), jobs * 12))
    assert {expected[path].status for path, _ in jobs} == {200, 422}
    for path, reply in replies:
        assert (reply.status, reply.body) == (expected[path].status, expected[path].body), path
