"""The store a notice is about.

The first of: a "Store: X" / "Shop name: X" / "Merchant Name: X" / "Display
name: X" / "店铺：X" line; a store quoted as
the subject of a Chinese sentence ("您的店铺【X】", "店铺“X”存在…", not a menu path
like "店铺【商家后台】-【…】"); "Dear X," (not a generic "Dear Seller"); one set
off by spaces ("您的店铺 X 在…", not a period or an id). A redaction mask
("XXXX", "****", "[redacted]") is never a store.
"""

from __future__ import annotations

import re

_STORE_LINE = re.compile(
    r"^(?:store|store name|shop|shop name|seller|seller name|merchant|merchant name|partner|"
    r"partner name|display name|seller display name|store display name|storefront name|"
    r"店铺|店铺名称|店铺名|商家名称|商家|卖家|卖家名称|卖家显示名称)[ ]?:[ ]?([^\n]{1,80})$",
    re.IGNORECASE | re.MULTILINE,
)
# A store named inside a Chinese sentence. Quoted or bracketed after 店铺, when
# the store is the subject ("您的店铺【X】", "店铺“X”存在…"), not a menu path
# ("店铺【商家后台】-【违规管理】", "店铺“设置”中"); or set off by spaces after
# 您的店铺 / 贵店铺 before the verb ("您的店铺 X 在…"), unless that is a period or id.
_OPEN, _CLOSE = "「『“\"【\\[", "」』”\"】\\]"
_VERB_ZH = "(?:在|于|因|已|被|存在|近期|过去|最近|本月|上月)"
_QUOTED = rf"[ ]?[{_OPEN}]([^{_CLOSE}\n]{{1,80}})[{_CLOSE}]"
_STORE_QUOTED_ZH = re.compile(
    rf"(?:(?:您的|贵)店铺(?:名称|名)?|店铺(?:名称|名)[ ]?[:：]?){_QUOTED}"
    rf"|店铺{_QUOTED}[ ]?{_VERB_ZH}")
_STORE_SPACED_ZH = re.compile(
    rf"(?:您的|贵)店铺[ ]+([^\n，。,；;：:]{{1,80}}?)[ ]+(?:{_VERB_ZH}|的)")
_NOT_A_STORE = re.compile(
    r"\d\s*(?:年|月|日|天|周|小时)|^(?:id|no\.?|编号|最近|过去|近期|本月|上月|本周)", re.IGNORECASE)
_DEAR = re.compile(r"^(?:> ?)*(?:dear|hello|hi|尊敬的)[ ]?([^\n,:!]{1,60})[,:!]"
                   # "您好，青木家纺：" on a line of its own (not "您好，您的店铺…，")
                   r"|^(?:> ?)*您好[ ]?,[ ]?([^\n,:!。]{1,40}):[ ]?$"
                   # "ひかり雑貨 様" (Japanese: the name, then 様, on a line of its own)
                   r"|^(?:> ?)*([^\n,:!、。様]{1,40}?)[ ]?様[ ]?$",
                   re.IGNORECASE | re.MULTILINE)
_GENERIC_NAMES = frozenset(
    """seller sellers partner partners merchant merchants customer customers valued seller
    valued partner sir madam sir/madam team store owner user 商家 卖家 用户 客户 店主 合作伙伴
    valued merchant amazon seller noon partner joom merchant""".split()
)
_GENERIC_PHRASES = ("valued ", "seller", "partner", "merchant", "customer", "sir", "madam",
                    "商家", "卖家", "用户", "客户", "出品者", "お客", "セラー")
_MASK = re.compile(
    r"^[\W_]*(?:[x*#•●_]{2,}|\[?(?:redacted|removed|hidden|name|store name|seller name)\]?|"
    r"<[^<>]{1,30}>|\{[^{}]{1,30}\}|…+|\.{3,}|已隐藏|隐藏|打码|某某|xx店铺?)[\W_]*$",
    re.IGNORECASE)


def is_mask(name: str) -> bool:
    """ "XXXX", "****", "[redacted]", "<store>": a placeholder, not a store."""
    return bool(_MASK.match(name.strip())) or not any(ch.isalnum() for ch in name)


def detect_store(text: str) -> str:
    """The first store named (see the module docstring); "" when none is."""
    for match in _STORE_LINE.finditer(text):
        name = match.group(1).strip()[:80]
        if not is_mask(name):
            return name
    name = _store_in_sentence(_STORE_QUOTED_ZH, text)
    if name:
        return name
    for match in _DEAR.finditer(text):
        name = next(g for g in match.groups() if g).strip()
        lowered = name.lower()
        if lowered in _GENERIC_NAMES or any(w in lowered for w in _GENERIC_PHRASES):
            continue
        if not is_mask(name):
            return name[:80]
    return _store_in_sentence(_STORE_SPACED_ZH, text)


def _store_in_sentence(pattern: re.Pattern, text: str) -> str:
    for match in pattern.finditer(text):
        name = next((g for g in match.groups() if g), "").strip()
        if name and not _NOT_A_STORE.search(name) and not is_mask(name):
            return name[:80]
    return ""


def without_site(store: str, site: str) -> str:
    """ "Desert Bloom (noon.sa)" -> "Desert Bloom": the site is kept in its own field."""
    if site and store.lower().endswith(f"({site.lower()})"):
        return store[: -len(site) - 2].strip()
    return store
