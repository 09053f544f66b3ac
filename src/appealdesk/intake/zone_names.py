"""Time zones as notices write them after a time: "5:00 PM PST", "10:00 GMT",
"23:59 (UTC+3)", "(GMT+08:00)", "北京时间", "太平洋时间".

A name that means two zones ("CST": China or US Central; "IST": India or Ireland) gives
both readings, and the caller keeps the earlier moment: a deadline read too early costs a
few hours, one read too late costs the account. A "standard" name is its fixed offset
(the notice said "PST"); a zone's plain name ("Pacific Time", "PT") follows that zone's
daylight saving time.
"""

from __future__ import annotations

import re
from datetime import timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo


def _fixed(hours: float) -> timezone:
    return timezone(timedelta(hours=hours))


# name (lower case) -> zone
ZONE_NAMES: dict[str, tzinfo] = {
    "utc": _fixed(0), "gmt": _fixed(0), "wet": _fixed(0),
    "bst": _fixed(1), "cet": _fixed(1), "cest": _fixed(2), "eet": _fixed(2),
    "eest": _fixed(3), "msk": _fixed(3), "gst": _fixed(4), "jst": _fixed(9),
    "kst": _fixed(9), "sgt": _fixed(8), "hkt": _fixed(8), "aest": _fixed(10),
    "aedt": _fixed(11), "pst": _fixed(-8), "pdt": _fixed(-7), "mst": _fixed(-7),
    "mdt": _fixed(-6), "cdt": _fixed(-5), "est": _fixed(-5), "edt": _fixed(-4),
    "pt": ZoneInfo("America/Los_Angeles"), "pacific time": ZoneInfo("America/Los_Angeles"),
    "pacific standard time": _fixed(-8), "pacific daylight time": _fixed(-7),
    "et": ZoneInfo("America/New_York"), "eastern time": ZoneInfo("America/New_York"),
    "beijing time": ZoneInfo("Asia/Shanghai"), "china standard time": _fixed(8),
    "北京时间": ZoneInfo("Asia/Shanghai"), "中国时间": ZoneInfo("Asia/Shanghai"),
    "太平洋时间": ZoneInfo("America/Los_Angeles"), "太平洋标准时间": _fixed(-8),
    "太平洋夏令时间": _fixed(-7), "格林尼治时间": _fixed(0), "日本时间": ZoneInfo("Asia/Tokyo"),
}
# names that mean more than one zone: every reading
AMBIGUOUS: dict[str, tuple[tzinfo, ...]] = {
    "cst": (_fixed(8), _fixed(-6)), "ist": (_fixed(5.5), _fixed(1)),
    "ast": (_fixed(3), _fixed(-4)),
}
_NAMES = "|".join(sorted((re.escape(n).replace(r"\ ", " ") for n in [*ZONE_NAMES, *AMBIGUOUS]),
                         key=len, reverse=True))
_OFFSET = r"(?:utc|gmt)[ ]?[+-][ ]?\d{1,2}(?::?\d{2})?"
# a zone as the text writes it: "PST", "UTC+3", "GMT+08:00", "北京时间" (regex alternatives)
ZONE_ALTERNATIVES = _OFFSET + "|" + _NAMES
_OFFSET_PARTS = re.compile(r"(?:utc|gmt)[ ]?([+-])[ ]?(\d{1,2})(?::?(\d{2}))?$")


def zones_named(name: str | None) -> tuple[tzinfo, ...]:
    """Every zone ``name`` may mean (one but for AMBIGUOUS); () when unknown or none."""
    if name and " ".join(name.lower().split()) in AMBIGUOUS:
        return AMBIGUOUS[" ".join(name.lower().split())]
    zone = zone_named(name)
    return (zone,) if zone else ()


def zone_named(name: str | None) -> tzinfo | None:
    """The zone ``name`` means (see ZONE_NAMES; "UTC+3", "GMT+08:00"); None when unknown
    or when it means more than one (see zones_named)."""
    if not name:
        return None
    name = " ".join(name.lower().split())
    if name in ZONE_NAMES:
        return ZONE_NAMES[name]
    match = _OFFSET_PARTS.match(name)
    if not match:
        return None
    hours, minutes = int(match.group(2)), int(match.group(3) or 0)
    if hours > 14 or minutes > 59:
        return None
    sign = -1 if match.group(1) == "-" else 1
    return timezone(sign * timedelta(hours=hours, minutes=minutes))
