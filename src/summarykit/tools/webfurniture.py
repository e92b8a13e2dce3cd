"""Lines a web page adds around a summary: navigation, site notices, file names, publication blocks.

Text copied from a government or document-sharing site carries the site along with it: a
navigation crumb (“• 设为首页|加入收藏”, “首页 > 工作总结”), notices of the site (“……由会员分享……
请在……上搜索”, “（阅读全部图文内容，您需要先登录！）”), the name of the uploaded file
(“2025年工作总结.docx”), and the publication-information block of a government portal (索引号、
发布机构、发布日期、浏览次数…, one per line, several on a line, or as a table).  None of it is
part of the summary, so none of it may become the title, the opening or the body; and nothing of
the source may be lost, so the importer lists each such line as a TODO comment.

The rules are written for classes of furniture rather than for sample pages: words only sites use
(设为首页, 上一篇, ICP备), notice phrases (会员分享, 请先登录, 下载本文), menu-shaped lines (short
items between | » >), file names, and ``key：value`` lines whose keys are publication fields — a
weak key (来源, 作者, 日期) only counts next to a strong one (索引号, 浏览次数), so that a summary's own
“时间：” sentence is left alone.  Pure functions over lines; no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

NAVIGATION = "网页的导航或栏目"
NOTICE = "网站的提示"
FILE_NAME = "网页上的文件名"
PUBLICATION = "网页上的发布信息"

_CHROME = re.compile(
    r"设为首页|加入收藏|收藏本站|收藏本页|网站首页|返回首页|网站地图|网站导航|返回顶部|回到顶部|"
    r"(?:当前|您的|你的|所在)(?:位置|的位置)\s*[:：]|上一篇\s*[:：]?|下一篇\s*[:：]?|上一条\s*[:：]|下一条\s*[:：]|"
    r"打印本页|打印此页|关闭窗口|关闭本页|[【\[](?:打印|关闭|收藏|返回|顶部|大|中|小|纠错)[】\]]|分享到\s*[:：]?|"
    r"扫一扫|用手机看|手机版|无障碍(?:浏览|阅读)?|智能问答|(?:相关|热门|推荐|延伸)(?:阅读|文章|推荐|链接)|"
    r"猜你喜欢|友情链接|版权所有|Copyright|©|ICP备|公网安备|技术支持\s*[:：]|(?:主办|承办)单位\s*[:：]|"
    r"登录\s*[|｜/]\s*注册|(?:^|\s)(?:登录|注册)(?:\s|$)|字号\s*[:：]|【\s*字体|繁體|简体中文",
    re.I)

_NOTICE = re.compile(
    r"由.{0,12}会员.{0,8}分享|会员.{0,4}(?:分享|上传)|上传(?:者|人)?分享|请在.{0,30}(?:上|中|里)搜索|"
    r"阅读(?:全部|全文|原文)|(?:查看|展开|显示)(?:全文|全部|更多)|(?:您|你)?需要先?登录|请先?登录|登录后(?:查看|阅读|下载|复制)|"
    r"(?:免费|立即|点击)?下载(?:本文|文档|全文|此文|该文档)|文档下载|下载(?:券|积分)|VIP|开通会员|"
    r"本(?:文|文档|篇)(?:档)?(?:由|来自|系).{0,20}(?:提供|分享|上传|整理|网友)|版权归.{0,12}所有|如有侵权|侵权.{0,6}(?:删除|联系)|"
    r"转载请注明|原文(?:链接|地址)|来源于网络|本站(?:所有|部分|资源)|点击(?:查看|下载|进入|这里|关注)|全文共.{0,6}字|"
    r"更多(?:精彩|相关|内容|范文|资料)|(?:范文|文档|资料|文库)(?:网|频道)|(?:word|WORD|Word)版|可(?:编辑|复制)(?:修改)?|"
    r"(?:预览|浏览)(?:结束|已结束)|(?:剩余|还剩).{0,6}(?:页|字)未读|付费(?:阅读|下载)")

_FILE = re.compile(r"^\S.{0,100}\.(?:docx?|wps|pdf|txt|xlsx?|et|pptx?|rtf|zip|rar)\s*"
                   r"(?:[（(]\s*\d+(?:\.\d+)?\s*[KkMm]?B?\s*[)）])?$", re.I)

_STRONG_KEYS = ("索引号", "发布机构", "发文机关", "发布单位", "主题分类", "组配分类", "体裁分类", "服务对象分类",
                "浏览次数", "访问次数", "点击次数", "点击数", "点击量", "阅读次数", "阅读量", "浏览量", "访问量",
                "发布日期", "发布时间", "发表时间", "更新时间", "更新日期", "发文字号", "文号", "信息来源",
                "公开方式", "公开范围", "公开时限", "有效性", "责任编辑", "信息分类", "主题词", "生成日期", "发文日期")
_WEAK_KEYS = ("来源", "作者", "编辑", "审核", "审稿", "校对", "成文日期", "日期", "时间", "字号", "分类", "名称", "标题")
_KEY = re.compile(r"(?:^|(?<=[\s|｜丨/【\[（(]))(" + "|".join(sorted(_STRONG_KEYS + _WEAK_KEYS, key=len, reverse=True))
                  + r")\s*[:：]")
_SENTENCE = re.compile("[。；！？]")
_OUTLINE_LABEL = re.compile(r"^(?:[一二三四五六七八九十]{1,3}\s*[、.．]|[（(]\s*[一二三四五六七八九十\d]{1,3}\s*[)）]|"
                            r"\d{1,2}\s*[.．、)）](?!\d)|[①-⑳])")
_MENU_SEPARATORS = re.compile(r"\s*[|｜丨•»>＞›]\s*")


_ATTACHMENTS = re.compile(r"^附\s*件\s*\d*\s*[:：]?")
_NUMBERED = re.compile(r"^\d{1,2}\s*[.．、]")


def is_publication_key(cell: str) -> bool:
    """A table cell that is a publication field's name (索引号, 发布机构…): a portal's block set as a table."""
    return cell.strip().rstrip(":：").strip() in _STRONG_KEYS


def _publication_keys(text: str) -> tuple[int, int]:
    """(strong, weak) publication keys written as ``key：`` on the line."""
    keys = [m.group(1) for m in _KEY.finditer(text)]
    strong = sum(1 for k in keys if k in _STRONG_KEYS)
    return strong, len(keys) - strong


def _menu_like(text: str) -> bool:
    """Short items between menu separators (首页 > 工作总结 > 正文; 新闻|通知|公告), no sentence in them."""
    if _SENTENCE.search(text) or len(text) > 80:
        return False
    parts = [p for p in _MENU_SEPARATORS.split(text) if p]
    if not _MENU_SEPARATORS.search(text):
        return False
    if len(parts) == 1:  # “• 设为首页|”: one item with the menu's marks around it
        return bool(re.search(r"[|｜丨»>＞›]", text)) and len(parts[0]) <= 8
    return len(parts) >= 2 and all(len(p) <= 10 and "，" not in p for p in parts)


def furniture_kind(text: str) -> str | None:
    """The kind of web furniture a single line is, or None when it may be the summary's own text."""
    line = text.strip()
    if not line or _OUTLINE_LABEL.match(line):  # a numbered heading or item is the summary's own
        return None
    notices = _NOTICE.findall(line)
    if notices and (len(line) <= 120 or len(notices) >= 2 or re.match(r"^[（(【\[].*[)）】\]]$", line)):
        return NOTICE
    if _FILE.match(line) and not _ATTACHMENTS.match(line):
        return FILE_NAME
    strong, weak = _publication_keys(line)
    if strong and (len(line) <= 120 or strong + weak >= 2) and not line.endswith("。"):
        return PUBLICATION
    if strong + weak >= 2 and len(line) <= 120 and not _SENTENCE.search(line.rstrip("。")):
        return PUBLICATION
    if _CHROME.search(line) and len(line) <= 60 and not _SENTENCE.search(line):
        return NAVIGATION
    if _menu_like(line):
        return NAVIGATION
    return None


def _value_only(text: str) -> bool:
    """A publication value on its own line (11220000/2026-00012, 2026-01-20, 1024): short, no sentence."""
    return len(text) <= 40 and not _SENTENCE.search(text) and not text.endswith(("，", ","))


def furniture(lines: Sequence[str]) -> dict[int, str]:
    """Index → kind for every furniture line of a document (its lines in order; tables as "" are skipped).

    A publication block spreads over lines: a weak key (来源：, 作者：) or a lone value right after a
    publication line is part of the block, and a key ending in a colon takes the value on the next line.
    """
    found: dict[int, str] = {}
    attachments = False  # 附件：1.统计表.xlsx — the summary's own attachment list, not a page's file name
    for index, text in enumerate(lines):
        stripped = text.strip()
        if _ATTACHMENTS.match(stripped):
            attachments = True
            continue
        if attachments and _NUMBERED.match(stripped):
            continue
        attachments = False
        kind = furniture_kind(text)
        if kind:
            found[index] = kind
    changed = True
    while changed:
        changed = False
        for index in sorted(found):
            if found[index] != PUBLICATION:
                continue
            for near in (index - 1, index + 1):
                if near < 0 or near >= len(lines) or near in found:
                    continue
                text = lines[near].strip()
                if not text:
                    continue
                _, weak = _publication_keys(text)
                after_key = near == index + 1 and re.search(r"[:：]\s*$", lines[index].strip())
                if (weak and len(text) <= 60 and not _SENTENCE.search(text)) or (after_key and _value_only(text)):
                    found[near] = PUBLICATION
                    changed = True
    return found
