"""The browser page in a real headless Chromium (the system's, driven by Playwright), as an office worker uses it.

Fill the form, see a problem next to the field as you type, see the preview, download a DOCX; paste
YAML; start from last year's DOCX.  Screenshots go to SUMMARYKIT_SCREENSHOTS (or the test's tmp
folder) to be looked at.  Skipped when Chromium or Playwright is missing, unless
SUMMARYKIT_REQUIRE_BROWSER=1 (CI sets it), which turns the skip into a failure.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.served import Served

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
REPO = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.browser


def _unavailable(reason: str) -> None:
    if os.environ.get("SUMMARYKIT_REQUIRE_BROWSER"):
        pytest.fail(f"SUMMARYKIT_REQUIRE_BROWSER=1 but {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright package is not installed")
    path = CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium")
    if not path:
        _unavailable("Chromium is not installed (apt install chromium)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=path, args=ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Any, service: Served) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True, locale="zh-CN")
    opened = context.new_page()
    errors: list[str] = []
    opened.on("pageerror", lambda exc: errors.append(str(exc)))
    # Nothing may come from the network: every request goes to the service itself.
    outside: list[str] = []
    opened.on("request", lambda r: None if r.url.startswith((service.url, "data:", "blob:")) else outside.append(r.url))
    opened.goto(service.url + "/")
    opened.wait_for_selector("body[data-ready=true]")
    yield opened
    context.close()
    assert errors == [], errors
    assert outside == [], outside


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("SUMMARYKIT_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def meta(page: Any, key: str) -> Any:
    return page.locator(f'fieldset[data-key="meta"] [data-key="{key}"] input').first


def docx_text(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        xml = package.read("word/document.xml").decode("utf-8")
    return "".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", xml))


def test_fill_the_form_see_a_problem_fix_it_and_download_a_docx(page: Any, shots: Path) -> None:
    page.select_option("#org-type", "school")
    page.select_option("#template", "school_term")
    meta(page, "organization").fill("第一实验小学")
    meta(page, "period").fill("2025—2026学年第一学期")
    meta(page, "subject").fill("后勤")
    meta(page, "date").fill("2026-02-30")  # a day that does not exist

    achievements = page.locator('#records-form > [data-key="achievements"]')
    achievements.locator(":scope > button.add").click()
    category = achievements.locator(".entry").first
    category.locator('[data-key="heading"] input').first.fill("食堂管理")
    category.locator('[data-key="items"] > button.add').click()
    category.locator(".sk-item-entry textarea").first.fill("落实了住宿生配餐制，全学期未发生食品安全事故。")
    problems = page.locator('#records-form > [data-key="problems"]')
    problems.locator('[data-key="items"] > button.add').click()
    problems.locator(".sk-item-entry textarea").first.fill("水、电浪费现象仍然存在。")

    # The problem appears next to the date field, in Chinese, while typing.
    field_problem = page.locator('[data-path="meta.date"].has-problem .field-problem')
    field_problem.wait_for(timeout=10_000)
    assert "日期" in field_problem.inner_text()
    assert "问题" in page.locator("#status").inner_text()
    page.screenshot(path=str(shots / "form-problem.png"), full_page=True)

    meta(page, "date").fill("2026-01-20")
    page.wait_for_selector("#status.ok", timeout=10_000)
    assert page.locator(".field-problem").count() == 0
    page.wait_for_function("document.querySelector('#preview .sk-title') !== null", timeout=10_000)
    preview = page.locator("#preview").inner_text()
    assert "第一实验小学2025—2026学年第一学期后勤工作总结" in preview
    assert "食堂管理" in preview and "落实了住宿生配餐制" in preview
    page.screenshot(path=str(shots / "form-preview.png"), full_page=True)

    with page.expect_download(timeout=30_000) as caught:
        page.click("#download-docx")
    download = caught.value
    assert download.suggested_filename == "第一实验小学2025—2026学年第一学期后勤工作总结.docx"
    saved = shots / "download.docx"
    download.save_as(str(saved))
    text = docx_text(saved.read_bytes())
    assert "食堂管理" in text and "水、电浪费现象仍然存在" in text and "2026年1月20日" in text


def test_metrics_are_repeatable_in_an_item(page: Any) -> None:
    page.select_option("#template", "school_term")
    meta(page, "organization").fill("某某中学")
    achievements = page.locator('#records-form > [data-key="achievements"]')
    achievements.locator(":scope > button.add").click()
    category = achievements.locator(".entry").first
    category.locator('[data-key="heading"] input').first.fill("财产管理")
    category.locator('[data-key="items"] > button.add').click()
    item = category.locator(".sk-item-entry").first
    item.locator("textarea").first.fill("添置办公桌7张、办公电脑5台。")
    item.locator("details.more > summary").first.click()
    metrics = item.locator('[data-key="metrics"]')
    for name, value, unit in [("办公桌", "7", "张"), ("办公电脑", "5", "台")]:
        metrics.locator(":scope > button.add").click()
        entry = metrics.locator(":scope > .entries > .entry").last
        entry.locator('[data-key="name"] input').fill(name)
        entry.locator('[data-key="value"] input').fill(value)
        entry.locator('[data-key="unit"] input').fill(unit)
    page.wait_for_selector("#status.ok", timeout=10_000)
    data = page.evaluate("currentRecords().records")
    assert data["achievements"][0]["items"][0]["metrics"] == [
        {"name": "办公桌", "value": 7, "unit": "张"}, {"name": "办公电脑", "value": 5, "unit": "台"}]


def test_pasted_yaml_shows_problems_with_their_lines(page: Any, shots: Path) -> None:
    page.click("#tab-yaml")
    page.fill("#yaml-text", "meta:\n  organization: 某某中学\n  date: 2026/13/01\nachievements:\n  - items: [一条]\n")
    page.wait_for_selector("#problems li", timeout=10_000)
    problems = page.locator("#problems").inner_text()
    assert "第 3 行" in problems and "第 5 行" in problems
    page.screenshot(path=str(shots / "yaml-problems.png"), full_page=True)
    page.fill("#yaml-text", (REPO / "sample_data" / "school_term.yaml").read_text(encoding="utf-8"))
    page.wait_for_selector("#status.ok", timeout=10_000)
    page.wait_for_function("document.querySelector('#preview').innerText.includes('学生食堂改革')", timeout=10_000)


def test_start_from_last_years_docx(page: Any, service: Served, shots: Path, tmp_path: Path) -> None:
    docx = service.post("/render?format=docx&seed=7",
                        (REPO / "sample_data" / "school_term.yaml").read_text(encoding="utf-8")).body
    upload = tmp_path / "去年的总结.docx"
    upload.write_bytes(docx)
    page.set_input_files("#import-file", str(upload))
    page.wait_for_function("document.querySelector('#import-status').innerText.startsWith('已导入')",
                           timeout=30_000)
    page.wait_for_function(
        "document.querySelector('fieldset[data-key=meta] [data-key=period] input').value === '2010—2011学年第一学期'",
        timeout=10_000)
    page.wait_for_selector("#status.ok", timeout=10_000)
    page.screenshot(path=str(shots / "imported.png"), full_page=True)
    assert "学生食堂改革" in page.locator("#preview").inner_text()


def test_starter_fills_the_form_for_the_chosen_template(page: Any, shots: Path) -> None:
    page.select_option("#org-type", "school")
    offered = set(page.eval_on_selector_all("#template option", "os => os.map(o => o.value)"))
    assert "school_term" in offered and not offered & {"hospital_department", "company_department", "gov_annual"}
    page.select_option("#template", "school_term")
    page.click("#use-starter")
    page.wait_for_selector("#status.ok", timeout=10_000)
    assert meta(page, "organization").input_value() == "某某中学"
    page.wait_for_function("document.querySelector('#preview .sk-title') !== null", timeout=10_000)
    page.screenshot(path=str(shots / "starter.png"))


# ---------------------------------------------------------------- starting from a workbook

def _department_workbook() -> bytes:
    from tests.sheets import FIGURES_HEADER, workbook

    return workbook({
        "说明": [["项目", "内容"], ["单位", "某某中学"], ["时期", "2025年"], ["主题", "后勤"], ["日期", "2026-01-20"]],
        "部门": [["部门", "开头", "问题", "打算"],
                 ["总务处", "本年度，总务处围绕服务师生开展工作。", "人手紧张。", "加强队伍建设。"],
                 ["保卫处", "本年度，保卫处守护校园平安。", "设备老化。", "更新监控设备。"]],
        "指标": [["部门", *FIGURES_HEADER],
                 ["总务处", "日常维修", "维修工单", 1234, 1097, 1200, "件", "全年完成维修工单1234件。"],
                 ["保卫处", "安全保卫", "夜间巡逻", 365, 360, None, "次", "坚持每晚巡逻。"]],
    })


def test_start_from_a_workbook_choose_a_department_and_download(page: Any, shots: Path, tmp_path: Path) -> None:
    upload = tmp_path / "各部门数据.xlsx"
    upload.write_bytes(_department_workbook())
    page.screenshot(path=str(shots / "sheet-before.png"))
    page.set_input_files("#sheet-file", str(upload))
    page.wait_for_function("document.querySelector('#sheet-status').innerText.startsWith('已从表格')", timeout=30_000)
    assert "部门：总务处" in page.locator("#sheet-status").inner_text()
    assert page.locator("#sheet-department-row").is_visible()
    assert page.eval_on_selector_all("#sheet-department option", "os => os.map(o => o.value)") == ["总务处", "保卫处"]
    page.wait_for_function(
        "document.querySelector('fieldset[data-key=meta] [data-key=department] input').value === '总务处'",
        timeout=10_000)
    assert meta(page, "organization").input_value() == "某某中学"
    assert meta(page, "period").input_value() == "2025年"
    page.wait_for_selector("#status.ok", timeout=10_000)
    page.wait_for_function("document.querySelector('#preview').innerText.includes('某某中学总务处2025年后勤工作总结')",
                           timeout=10_000)
    preview = page.locator("#preview").inner_text()
    assert "维修工单" in preview and "人手紧张" in preview
    page.screenshot(path=str(shots / "sheet-filled.png"), full_page=True)

    page.select_option("#sheet-department", "保卫处")
    page.wait_for_function("document.querySelector('#sheet-status').innerText.includes('部门：保卫处')", timeout=30_000)
    page.wait_for_function("document.querySelector('#preview').innerText.includes('某某中学保卫处2025年后勤工作总结')",
                           timeout=10_000)
    assert "夜间巡逻" in page.locator("#preview").inner_text()
    assert "维修工单" not in page.locator("#preview").inner_text()
    with page.expect_download(timeout=30_000) as caught:
        page.click("#download-docx")
    download = caught.value
    assert download.suggested_filename == "某某中学保卫处2025年后勤工作总结.docx"
    saved = shots / "sheet-download.docx"
    download.save_as(str(saved))
    text = docx_text(saved.read_bytes())
    assert "夜间巡逻" in text and "365" in text and "更新监控设备" in text


def test_a_bad_workbook_shows_its_cells_next_to_the_upload(page: Any, shots: Path, tmp_path: Path) -> None:
    from tests.sheets import FIGURES_HEADER, workbook

    bad = tmp_path / "数据.xlsx"
    bad.write_bytes(workbook({"指标": [FIGURES_HEADER, ["日常维修", "维修工单", "一千二百", None, None, "件", None]]}))
    page.set_input_files("#sheet-file", str(bad))
    page.wait_for_selector("#sheet-problems li", timeout=30_000)
    listed = page.locator("#sheet-problems").inner_text()
    assert "数据.xlsx 工作表“指标” C2" in listed
    assert re.search(r"[\u4e00-\u9fff]", listed) and "Traceback" not in listed
    assert "1 处问题" in page.locator("#sheet-status").inner_text()
    page.screenshot(path=str(shots / "sheet-problem.png"))

    old = tmp_path / "旧表.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))
    page.set_input_files("#sheet-file", str(old))
    page.wait_for_function("document.querySelector('#sheet-problems').innerText.includes('旧版 Excel')",
                           timeout=30_000)
    assert "另存为" in page.locator("#sheet-problems").inner_text()


def test_the_starter_workbook_downloads_and_fills_the_form(page: Any, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    with page.expect_download(timeout=30_000) as caught:
        page.click("#starter-xlsx")
    download = caught.value
    assert download.suggested_filename == "表格样例.xlsx"
    saved = tmp_path / "表格样例.xlsx"
    download.save_as(str(saved))
    assert load_workbook(saved).sheetnames == ["说明", "指标", "部门", "人员结构"]
    page.set_input_files("#sheet-file", str(saved))
    page.wait_for_selector("#status.ok", timeout=30_000)
    assert meta(page, "organization").input_value() == "某某中学"
    page.wait_for_function("document.querySelector('#preview').innerText.includes('日常维修')", timeout=10_000)


def test_organization_type_is_a_choice_of_the_known_types(page: Any, shots: Path) -> None:
    org_type = page.locator('fieldset[data-key="meta"] > [data-key="org_type"] select')
    options = org_type.evaluate("s => [...s.options].map(o => o.value)")
    assert options == ["", "学校", "高校", "医院", "机关", "企业", "物业", "社区", "党组织", "通用"]
    assert page.locator('fieldset[data-key="meta"] [data-key="单位类型"]').count() == 0  # the same field

    page.select_option("#org-type", "hospital")  # choosing the type above offers its template and fills the field
    assert page.locator("#template").input_value() == "hospital_department"
    assert org_type.input_value() == "医院"
    meta(page, "organization").fill("某某县人民医院")
    page.wait_for_selector("#status.ok", timeout=10_000)
    assert page.evaluate("currentRecords().records.meta.org_type") == "医院"
    org_type.select_option("通用")
    assert page.evaluate("currentRecords().records.meta.org_type") == "通用"
    page.locator('fieldset[data-key="meta"]').screenshot(path=str(shots / "org-type.png"))

    page.click("#tab-yaml")  # a pasted alias is read as its type, and the form shows the type
    page.fill("#yaml-text", "meta:\n  organization: 某某社区\n  单位类型: 居委会\nintro: [本年度工作顺利。]\n")
    page.wait_for_function("state.lastData && state.lastData.meta.org_type === '社区'", timeout=10_000)
    page.click("#tab-form")
    page.wait_for_function(
        "document.querySelector('fieldset[data-key=meta] > [data-key=org_type] select').value === '社区'",
        timeout=10_000)
