"""Dates, spans and moments as the operator reads them, in the interface language.

Formatted with Babel's CLDR patterns for the locale ("1–30 Nov" / "11月1日至30日",
"1 Dec 2026, 13:14" / "2026年12月1日 13:14"), so a Chinese screen shows no English
month names. Times are shown in the operator's local zone. Files, ``--json`` and
anything a script reads keep ISO 8601; only what is shown goes through here.

Babel is imported on first use (it loads its locale data lazily too).
"""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from appealdesk.i18n import current_language

# English with the day before the month, as the app has always written it.
LOCALES = {"en": "en_GB", "zh": "zh_Hans_CN"}


@lru_cache(maxsize=4)
def _locale(lang: str) -> Any:
    from babel import Locale

    return Locale.parse(LOCALES.get(lang, "en_GB"))


def _loc() -> Any:
    return _locale(current_language())


def _as_day(value: date | datetime, zone: ZoneInfo | None = None) -> date:
    if isinstance(value, datetime):
        return (value.astimezone(zone) if zone else value.astimezone()).date()
    return value


def day(value: date | datetime, *, year: bool = False, zone: ZoneInfo | None = None) -> str:
    """ "1 Nov" / "11月1日" (with ``year``: "1 Nov 2026" / "2026年11月1日")."""
    from babel.dates import format_skeleton

    return format_skeleton("yMMMd" if year else "MMMd", _as_day(value, zone), locale=_loc())


def span(start: date | datetime, end: date | datetime, *, zone: ZoneInfo | None = None) -> str:
    """ "1–30 Nov" / "11月1日至30日"; with the years when the span is not within one year."""
    from babel.dates import format_interval

    a, b = _as_day(start, zone), _as_day(end, zone)
    skeleton = "MMMd" if a.year == b.year else "yMMMd"
    return format_interval(a, b, skeleton, locale=_loc())


def moment(value: datetime, *, zone: ZoneInfo | None = None, year: bool = True) -> str:
    """ "1 Dec 2026, 13:14" / "2026年12月1日 13:14" in the local zone (or ``zone``)."""
    from babel.dates import format_skeleton

    local = value.astimezone(zone) if zone else value.astimezone()
    when = format_skeleton("yMMMd" if year else "MMMd", local.date(), locale=_loc())
    clock = f"{local:%H:%M}"
    return f"{when} {clock}" if current_language() == "zh" else f"{when}, {clock}"
