"""`summarykit import` of a 公文 gives its parts back as ``official:`` (tools/officialparts.py).

A summary submitted as a 报告 — its 版头, 主送机关, 附注 and 版记 — imported from the DOCX or the
text summarykit printed comes back with the same ``official:`` keys; the lines the standard's
layout makes unmistakable are recognised, and nothing else is taken for them.
"""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

import summarykit as sk
from summarykit.cli.main import main
from summarykit.records.loading import loads
from summarykit.tools.importer import import_docx, import_text, to_yaml
from summarykit.tools.officialparts import read_head, read_note, read_recipients, read_record
from summarykit.zh.docxtext import read_docx

RECORDS = """\
meta: {organization: 某某市机关事务管理局, period: 2025年, subject: 后勤, kind: 工作情况的报告, date: 2026-01-20}
official:
  issuer: 某某市机关事务管理局文件
  number: 某机管〔2026〕3号
  signers: [王某某, 李某, 张某某]
  recipients: 市人民政府
  copy_to: [市财政局]
  printer: 某某市机关事务管理局办公室
  printed: 2026-01-21
achievements:
  - heading: 完成食堂改造
    paragraphs: [投入资金86万元，改造售餐区和就餐区。]
plans: [推行错峰就餐。]
"""


@pytest.mark.parametrize("fmt", ["docx", "txt"])
def test_several_signers_and_the_record_come_back(tmp_path: Path, fmt: str) -> None:
    records = tmp_path / "r.yaml"
    records.write_text(RECORDS, encoding="utf-8")
    out = tmp_path / f"out.{fmt}"
    sk.render(records, out, seed=1)
    result = import_docx(out) if fmt == "docx" else import_text(out.read_text(encoding="utf-8"), "out.txt")
    again = loads(to_yaml(result))
    assert again.official == sk.load(records).official
    assert again.title == "某某市机关事务管理局2025年后勤工作情况的报告"
    assert result.unplaced == []


def test_the_cli_writes_the_official_keys(tmp_path: Path) -> None:
    records = tmp_path / "r.yaml"
    records.write_text(RECORDS, encoding="utf-8")
    sk.render(records, tmp_path / "out.docx", seed=1)
    assert main(["import", str(tmp_path / "out.docx"), "-o", str(tmp_path / "back.yaml")]) == 0
    text = (tmp_path / "back.yaml").read_text(encoding="utf-8")
    assert "official:" in text and "number: 某机管〔2026〕3号" in text
    assert main(["validate", str(tmp_path / "back.yaml")]) == 0


def test_head_lines_are_read_only_before_a_document_number() -> None:
    head = ["000012", "秘密★1年", "加急", "某局文件", "某〔2026〕1号", "标题"]
    assert read_head(head) == ({"copy_number": "000012", "secrecy": "秘密★1年", "urgency": "加急",
                                "issuer": "某局文件", "number": "某〔2026〕1号"}, 5)
    assert read_head(["签发人：甲　乙", "某〔2026〕1号\t丙", "标题"]) == (
        {"number": "某〔2026〕1号", "signers": ["甲", "乙", "丙"]}, 2)
    # No 发文字号: an ordinary summary whose first line is a number stays as it is.
    assert read_head(["2025", "某中学工作总结", "本学期……"]) == ({}, 0)
    # A sentence before the number is not a 版头.
    assert read_head(["本学期，我校工作顺利。", "某〔2026〕1号"]) == ({}, 0)


def test_recipients_notes_and_records_are_recognised_narrowly() -> None:
    assert read_recipients("市人民政府：", official=False) == "市人民政府"
    assert read_recipients("各位领导、同志们：", official=True) is None  # a speech's audience
    assert read_recipients("现将有关情况报告如下：", official=False) is None
    assert read_recipients("主要做法：", official=False) is None  # not an office
    assert read_note("（联系人：李某，电话：12345678）") == "联系人：李某，电话：12345678"
    assert read_note("联系人：李某") is None
    import datetime as dt

    assert read_record(["正文。", "抄送：市财政局、市审计局。", "某办公室　　2026年1月21日印发"]) == (
        {"copy_to": ["市财政局", "市审计局"], "printer": "某办公室", "printed": dt.date(2026, 1, 21)}, 2)
    assert read_record(["本报告已印发各单位。"]) == ({}, 0)


def test_a_report_without_a_head_keeps_its_recipients(tmp_path: Path) -> None:
    text = ("某某局关于2025年后勤工作情况的报告\n\n市人民政府：\n　　2025年，我局……现报告如下：\n"
            "　　一、主要工作\n　　完成了食堂改造。\n\n某某局\n2026年1月20日\n")
    records = import_text(text, "报告.txt").records
    assert records["official"] == {"recipients": "市人民政府"}
    assert "intro" in records and not any("市人民政府" in p for p in records["intro"])


def test_a_text_box_is_read_once_even_with_a_vml_fallback(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("正文")
    anchor = document.add_paragraph()
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    mc = "http://schemas.openxmlformats.org/markup-compatibility/2006"
    box = f'<w:txbxContent xmlns:w="{w}"><w:p><w:r><w:t>框里的字</w:t></w:r></w:p></w:txbxContent>'
    from lxml import etree

    run = etree.fromstring(
        f'<w:r xmlns:w="{w}" xmlns:mc="{mc}"><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>'
        f'<x xmlns="urn:x">{box}</x></w:drawing></mc:Choice><mc:Fallback><w:pict><y xmlns="urn:y">{box}</y>'
        "</w:pict></mc:Fallback></mc:AlternateContent></w:r>")
    anchor._p.append(run)
    path = tmp_path / "box.docx"
    document.save(str(path))
    assert [b.text for b in read_docx(path)] == ["正文", "", "框里的字"]
