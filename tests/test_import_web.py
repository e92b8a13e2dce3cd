"""`summarykit import` of a summary copied from a web page: the page's furniture is no part of it.

A navigation crumb, a site's notices, the uploaded file's name and a portal's publication block
must never become the title, the opening or the body; each is kept as a TODO comment naming what
it is.  Every sentence of the source survives in the records or in the comments (a property test
over generated pages), the opening's own facts are not dropped with its stock transition, and no
transition is printed twice.
"""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from summarykit.kit import render
from summarykit.records.loading import loads
from summarykit.tools.importer import import_text, to_yaml
from summarykit.tools.webfurniture import FILE_NAME, NAVIGATION, NOTICE, PUBLICATION, furniture_kind

BODY = """2025年后勤工作总结
本年度，我局后勤工作在市委市政府的正确领导下，圆满完成了全年任务，现将有关情况总结如下：
一、主要工作
（一）加强食堂管理
全年供餐12万人次，满意度达到95%。
（二）推进节能改造
更换节能灯具300套。
二、存在问题
部分设施老化。
三、下一步打算
继续推进设施更新改造。
某某市机关事务管理局
2026年1月10日
"""

FURNITURE = {
    NAVIGATION: ["• 设为首页|", "• 加入收藏|", "首页 > 工作总结 > 年终总结", "当前位置：首页 > 通知公告",
                 "上一篇：2024年后勤工作总结", "【打印】【关闭】", "网站地图 | 联系我们 | 无障碍浏览",
                 "版权所有：某某市人民政府  ICP备12345678号"],
    NOTICE: ["2025年后勤工作总结.docx由会员分享，可在线阅读，更多相关《2025年后勤工作总结》请在文库网上搜索。",
             "（阅读全部图文内容，您需要先登录！）", "本文由网友上传分享，如有侵权请联系删除。", "展开全文",
             "剩余3页未读，继续阅读", "下载本文档需要2个下载券"],
    FILE_NAME: ["2025年后勤工作总结.docx", "某某局2025年工作总结.doc（25KB）", "年终总结范文.pdf"],
    PUBLICATION: ["索引号：11220000/2026-00012", "发布机构：某某市机关事务管理局", "浏览次数：1024",
                  "发布时间:2026-01-15  来源:本站  浏览次数:1024", "【发布日期：2026-01-15】【字号：大 中 小】"],
}
ALL_FURNITURE = [(kind, line) for kind, lines in FURNITURE.items() for line in lines]


@pytest.mark.parametrize(("kind", "line"), ALL_FURNITURE)
def test_each_kind_of_furniture_is_recognised(kind: str, line: str) -> None:
    assert furniture_kind(line) == kind


@pytest.mark.parametrize("line", [
    "时间：2025年3月，完成了食堂改造。", "来源于群众的意见，我们逐条整改。", "1.完成登录系统的改造。",
    "上一年度遗留的问题全部解决。", "全年完成维修工单1234件，满意度95%。", "附件：1.2025年统计表.xlsx",
    "某某市机关事务管理局", "一、主要工作", "（一）加强食堂管理", "总之，我们将再接再厉，把后勤工作做得更好！",
    "我们下载并学习了本年度的文件汇编。", "通过首页公告栏公开服务承诺。", "推行扫一扫报修，方便师生。",
    "（三）推行扫一扫报修", "上线手机版报修系统。", "2.相关文章已汇编成册", "一、版权所有与信息公开",
])
def test_the_summary_own_lines_are_not_furniture(line: str) -> None:
    assert furniture_kind(line) is None


@pytest.mark.parametrize(("kind", "line"), ALL_FURNITURE)
@pytest.mark.parametrize("where", ["top", "after-title", "after-intro", "bottom"])
def test_furniture_never_becomes_title_intro_or_body(kind: str, line: str, where: str) -> None:
    lines = BODY.splitlines()
    at = {"top": 0, "after-title": 1, "after-intro": 2, "bottom": len(lines)}[where]
    text = "\n".join([*lines[:at], line, *lines[at:]]) + "\n"
    result = import_text(text, "网页.txt")
    records = result.records
    assert records["meta"]["title"] == "2025年后勤工作总结"
    [intro] = records["intro"]  # the opening alone: nothing of the page went into it
    assert intro.startswith("本年度，我局后勤工作在市委市政府的正确领导下，圆满完成了全年任务")
    assert (at + 1, line) in result.unplaced
    assert result.furniture[at + 1] == kind
    body = repr({k: v for k, v in records.items() if k != "meta"})
    assert _normal(line) not in _normal(body)
    assert f"# TODO 第 {at + 1} 行（{kind}）：{line}" in to_yaml(result)


def test_a_whole_web_page_with_every_kind_of_furniture() -> None:
    lines = BODY.splitlines()
    page = ["• 设为首页|", "• 加入收藏|", "首页 > 工作总结 > 年终总结", "2025年后勤工作总结.docx", lines[0],
            "索引号：", "11220000/2026-00012", "发布机构：某某市机关事务管理局", "来源：本站", "发布日期：2026-01-15",
            "浏览次数：1024", lines[1], "（阅读全部图文内容，您需要先登录！）", *lines[2:],
            "2025年后勤工作总结.docx由会员分享，可在线阅读，更多相关《2025年后勤工作总结》请在文库网上搜索。",
            "上一篇：2024年后勤工作总结"]
    result = import_text("\n".join(page) + "\n", "网页.txt")
    assert result.records["meta"]["title"] == "2025年后勤工作总结"
    assert [no for no, _ in result.unplaced] == [1, 2, 3, 4, 6, 7, 8, 9, 10, 11, 13, 25, 26]
    assert result.template == "agency_logistics"  # chosen from the content: a 局 signs it, no school words
    report = loads(to_yaml(result), "导入.yaml")
    text = render(report, format="txt").decode("utf-8")
    for line in page:
        if result.furniture.get(page.index(line) + 1):
            assert line not in text


def test_a_publication_block_set_as_a_table_is_furniture() -> None:
    text = BODY.replace("2025年后勤工作总结\n", "2025年后勤工作总结\n索引号\t11220000/2026-00012\n发布机构\t某某局\n", 1)
    result = import_text(text, "网页.txt")
    assert result.unplaced == [(2, "索引号\t11220000/2026-00012"), (3, "发布机构\t某某局")]
    assert "tables" not in result.records


# --------------------------------------------------------------------------- transitions


def test_the_opening_keeps_its_facts_and_the_template_writes_one_transition() -> None:
    result = import_text(BODY, "网页.txt", template="school_term")
    assert result.removed == [(2, "现将有关情况总结如下：")]
    yaml_text = to_yaml(result)
    assert "“现将有关情况总结如下：”由模板的常用语生成" in yaml_text
    text = render(loads(yaml_text), format="txt", seed=3).decode("utf-8")
    opening = next(line for line in text.splitlines() if "圆满完成了全年任务" in line)
    assert opening.count("：") == 1 and opening.endswith("：")  # one stock transition (its wording is the bank's)


@pytest.mark.parametrize("transition", ["现总结如下：", "我们把一年的工作梳理如下：", "具体情况汇报如下："])
def test_no_transition_is_doubled(transition: str) -> None:
    body = BODY.replace("现将有关情况总结如下：", transition)
    for template in ("school_term", "survey_report"):
        result = import_text(body, "网页.txt", template=template)
        text = render(loads(to_yaml(result)), format="txt", seed=1).decode("utf-8")
        opening = next(line for line in text.splitlines() if "圆满完成了全年任务" in line)
        assert opening.count("：") == 1 and opening.endswith("："), opening


# --------------------------------------------------------------------------- nothing is lost


_LABEL = re.compile(r"^\s*(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十]+[)）]|\d{1,2}\s*[.．、]|[（(]\d{1,2}[)）]|[①-⑩])")


def _normal(text: str) -> str:
    """Text as compared: NFKC, no punctuation, symbols, spaces or quotes (the importer fixes those)."""
    text = unicodedata.normalize("NFKC", text)
    return "".join(ch for ch in text if unicodedata.category(ch)[0] not in "PSZC")


def _sentences(source: str) -> list[str]:
    """Each clause of the source (a stock transition is moved whole into a comment, its sentence's facts stay)."""
    out = []
    for line in source.splitlines():
        line = _LABEL.sub("", line)
        for piece in re.split(r"[。！？；：:!?;，,]", line):
            if _normal(piece):
                out.append(_normal(piece))
    return out


_FACTS = ["完成了食堂改造", "全年供餐12万人次", "维修门窗40余扇", "更换节能灯具300套", "建立了报修平台",
          "组织安全培训3次", "节约用电8%", "绿化面积增加2000平方米", "消除安全隐患17处", "职工满意度明显提高"]
_HEADINGS = ["加强食堂管理", "推进节能改造", "做好安全保卫", "改善办公条件", "提升服务质量"]
_OPENINGS = ["现将有关情况总结如下：", "现总结如下：", "具体情况汇报如下：", ""]

fact = st.lists(st.sampled_from(_FACTS), min_size=1, max_size=3).map(lambda fs: "，".join(fs) + "。")
web_line = st.sampled_from([line for _, line in ALL_FURNITURE])


@st.composite
def pages(draw: st.DrawFn) -> str:
    lines: list[str] = []
    lines += draw(st.lists(web_line, max_size=3))
    lines.append(draw(st.sampled_from(["2025年后勤工作总结", "某某局2025年度工作总结", "后勤服务中心工作总结"])))
    lines += draw(st.lists(web_line, max_size=3))
    lines.append("本年度，" + draw(fact).rstrip("。") + "，" + draw(st.sampled_from(_OPENINGS)))
    if draw(st.booleans()):
        lines.append(draw(web_line))
    headings = draw(st.lists(st.sampled_from(_HEADINGS), min_size=1, max_size=3, unique=True))
    for number, heading in enumerate(headings):
        lines.append(f"{'一二三'[number]}、{heading}")
        for item in range(draw(st.integers(0, 3))):
            lines.append(f"{item + 1}.{draw(fact)}")
        if draw(st.booleans()):
            lines.append(draw(fact))
        if draw(st.booleans()):
            lines.append(draw(web_line))
    lines += draw(st.lists(web_line, max_size=2))
    return "\n".join(lines) + "\n"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pages())
def test_every_source_sentence_is_in_the_records_or_the_comments(page: str) -> None:
    result = import_text(page, "网页.txt")
    found = _normal(to_yaml(result))
    missing = [s for s in _sentences(page) if s not in found]
    assert not missing, (missing, to_yaml(result))
    title = result.records["meta"].get("title", "")
    assert not any(_normal(line) == _normal(title) for _, line in ALL_FURNITURE)
    intro = "".join(result.records.get("intro", []))
    assert not any(_normal(line) in _normal(intro) for _, line in ALL_FURNITURE)
