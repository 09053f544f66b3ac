"""Deadlines as Chinese (and Japanese) notices write them, read by intake.stated.

Relative: "17天内", "请于3个工作日内", "72小时内", "72時間以内", "申诉时效：7天".
Absolute: "请于2026年11月25日前", "在11月25日以前", "请在2026年12月3日（含）前",
"截止日期：2026年11月25日", "截止到2026年12月3日", "整改期限：2026年12月3日",
"请最晚于2026年12月3日提交", "2026年12月4日までに";
a time "18:00", "下午6点", "6点30分"; a zone "北京时间…", "…(北京时间)", "(GMT+8)" (zone_names).
The text is read through simplified script (時間 -> 时间, 営業日 -> 営业日).
"""

from __future__ import annotations

import re
from datetime import datetime, tzinfo

from appealdesk.intake.zone_names import ZONE_ALTERNATIVES

STATED_ZH = re.compile(
    r"(?<!过去)(?<![过近\d.])(?:请于|请在|须在|需在|在)?(?P<n>\d{1,4}(?:\.\d+)?)[ ]?"
    r"(?P<u>个工作日|工作日|営业日|个小时|小时|时间|天|日)(?:以|之)?内"
    # "申诉时效：7天", "整改期限：3个工作日"
    # (not a shipping or return rule: "发货时效：48小时", "退货期限：7天")
    r"|(?<!发货)(?<!物流)(?<!配送)(?<!揽收)(?<!退货)(?<!退款)(?<!售后)(?<!保修)(?<!有效)"
    r"(?:时效|期限)[ ]?:?[ ]?(?:为)?[ ]?(?P<n2>\d{1,4}(?:\.\d+)?)[ ]?"
    r"(?P<u2>个工作日|工作日|営业日|个小时|小时|时间|天|日)(?![\d年月])")

_CLOCK_ZH = (r"(?:[ ]?(?P<ap>上午|下午|晚上|中午|凌晨)?[ ]?(?P<hh>\d{1,2})"
             r"(?:[:：](?P<mm>\d{2})|[点时](?:(?P<mm2>\d{1,2})分)?))?")
# "北京时间2026年12月3日 18:00", "2026年12月3日18:00(北京时间)", "12月3日 18:00 PST"
_DATE = (r"(?:(?P<z1>" + ZONE_ALTERNATIVES + r")[ ]?)?"
         r"(?:(?P<y>\d{4})(?:[-/.]|[ ]?年[ ]?)(?P<m>\d{1,2})(?:[-/.]|[ ]?月[ ]?)"
         r"(?P<d>\d{1,2})(?:[ ]?日)?"
         r"|(?P<m2>\d{1,2})[ ]?月[ ]?(?P<d2>\d{1,2})[ ]?[日号])"
         + _CLOCK_ZH +
         r"(?:[ ]?\(?[ ]?(?P<z2>" + ZONE_ALTERNATIVES + r")[ ]?\)?)?")


_DATE_GROUPS = tuple(re.compile(_DATE).groupindex)


def _alt(prefix: str) -> str:
    """The date pattern again under its own group names (one pattern holds them all)."""
    return _DATE.replace("(?P<", "(?P<" + prefix)


ABS_ZH = re.compile(
    # "截止日期：2026年11月25日", "截止到2026年12月3日", "整改期限：2026年12月3日"
    r"(?:截止|截至|之前|前|(?<!保修)(?<!质保)(?<!有效)(?<!退货)(?<!发货)期限)"
    r"(?:日期|时间)?(?:到|至)?[ ]?:?[ ]?" + _DATE
    # "请于2026年11月25日前", "在11月25日以前", "请在2026年12月3日(含)前"
    + r"|(?:请于|须于|需于|请在|须在|需在|于|在)[ ]?" + _alt("b")
    + r"[ ]?(?:\(含\)[ ]?)?(?:前|之前|以前)"
    # "请最晚于2026年12月3日提交"
    + r"|(?:最晚|最迟)(?:于|在)?[ ]?" + _alt("l")
    # Japanese: "2026年12月4日までに"
    + r"|" + _alt("j") + r"[ ]?まで",
    re.IGNORECASE)

MonthDay = tuple[int, int, int, int]


def end_of_day(year: int, month: int, day: int, zone: tzinfo) -> datetime:
    # "by 25 November": the whole of that day, in the marketplace's zone
    return datetime(year, month, day, 23, 59, tzinfo=zone)


def zh_groups(match: re.Match) -> dict[str, str | None]:
    """The date's parts, from whichever alternative matched."""
    found = match.groupdict()
    parts: dict[str, str | None] = {}
    for key in _DATE_GROUPS:
        values = [found.get(p + key) for p in ("", "b", "l", "j")]
        parts[key] = next((v for v in values if v is not None), None)
    return parts


def _clock(parts: dict[str, str | None]) -> tuple[int, int] | None:
    if not parts.get("hh"):
        return None
    hour, minute = int(parts["hh"] or 0), int(parts.get("mm") or parts.get("mm2") or 0)
    if parts.get("ap") in ("下午", "晚上") and hour < 12:
        hour += 12
    if parts.get("ap") == "中午" and hour < 11:
        hour += 12
    return hour, minute


def zh_date(match: re.Match, zone: tzinfo) -> datetime | MonthDay | None:
    parts = zh_groups(match)
    clock = _clock(parts)
    try:
        if parts.get("y") is None:
            month, day = int(parts["m2"] or 0), int(parts["d2"] or 0)
            hour, minute = clock or (23, 59)
            datetime(2000, month, day, hour, minute)
            return month, day, hour, minute
        year, month, day = (int(parts[k] or 0) for k in ("y", "m", "d"))
        if clock:
            return datetime(year, month, day, *clock, tzinfo=zone)
        return end_of_day(year, month, day, zone)
    except ValueError:
        return None
