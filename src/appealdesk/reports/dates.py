"""Date values in order reports: every layout sellers' exports use, read once per
distinct text (caches), whole ISO columns at once (numpy, ``iso_columns``).

Kinds: NONE, DATE (a bare date), NAIVE (a wall-clock date-time), AWARE (with an
offset); ``seconds`` is the UTC epoch for AWARE and the wall-clock epoch for
the others. The reading rules are in ``orders``' module doc."""

from __future__ import annotations

import re
from array import array
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta, timezone
from itertools import compress, repeat
from operator import attrgetter, sub

from appealdesk.cases.clock import SANE_FIRST_YEAR, SANE_LAST_YEAR, sane_year
from appealdesk.i18n import _
from appealdesk.reports.iso_columns import parse_iso_column

# Kinds of a date value in a DateColumn.
NONE, DATE, NAIVE, AWARE = 0, 1, 2, 3
_BAD, _AMBIGUOUS = 255, 254

EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
_EPOCH_NAIVE = datetime(1970, 1, 1)
_EPOCH_AWARE = datetime(1970, 1, 1, tzinfo=UTC)

When = date | datetime | None


# A 12-hour clock: "上午/下午" before the hour (Chinese Excel) or "AM/PM" after it.
_TIME = (r"(?:[ T]+(上午|下午)?(\d{1,2})[:时](\d{2})(?:[:分](\d{2})(?:[.,](\d{1,6}))?)?秒?"
         r"(?:\s*([AaPp][Mm]))?)?")
_ZONE = r"\s*(Z|UTC|GMT|[+-]\d{2}:?\d{2})?"
_YEAR_FIRST = re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?" + _TIME + _ZONE)
# Excel's US short date writes a two-digit year ("11/3/26 10:04"): read as Excel reads it
# back ("the 2029 rule", Microsoft KB Q214391: 00-29 are 20yy, 30-99 19yy, which the
# sane-year rule refuses), but only 20-29: a two-digit "year" could be the day of a
# yy/mm/dd date ("26/11/03" is 3 Nov 2026 there, 26 Nov 2003 here), so 00-19 are refused
# and a column whose two-digit years are more than two (days, then) is too (``reader``).
SHORT_YEARS = range(2020, 2030)
_YEAR_LAST = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})" + _TIME + _ZONE)
# A date-time that ends in a zone written as letters ("PST", "JST", "CET"): not read,
# because one name can mean several zones (CST: US Central or China; PST: US Pacific or
# the Philippines; IST: India, Ireland or Israel); the row's reason says so.
_NAMED_ZONE = re.compile(r"(.*\d)\s*([A-Za-z]{2,5})")


def _zone(text: str | None) -> timezone | None:
    if not text:
        return None
    if text in ("Z", "UTC", "GMT"):
        return UTC
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    return timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))


def _insane_year(year: int) -> str | None:
    """Why a year is refused, or None: outside the program's one sane range
    (``cases.clock``), a 9999 or 0001 in a report is a placeholder or a typo and would
    overflow the windows counted from it; its row is a bad row with this reason."""
    if sane_year(year):
        return None
    return _("year {year} is outside {first}-{last}").format(
        year=year, first=SANE_FIRST_YEAR, last=SANE_LAST_YEAR)


def _build(y: int, mo: int, d: int, groups: Sequence[str | None]) -> tuple[int, float]:
    insane = _insane_year(y)
    if insane:
        raise ValueError(insane)
    half_zh, hh, mm, ss, frac, half, zone_text = groups
    if hh is None:
        day = date(y, mo, d)
        return DATE, float((day.toordinal() - EPOCH_ORDINAL) * 86400)
    assert mm is not None  # _TIME captures the minutes whenever it captures the hour
    hour = int(hh)
    if half_zh or half:
        if not 1 <= hour <= 12:
            raise ValueError(f"hour {hour} on a 12-hour clock")
        hour %= 12
        if half_zh == "下午" or (half or "").lower() == "pm":
            hour += 12
    micro = int((frac or "0").ljust(6, "0")[:6])
    moment = datetime(y, mo, d, hour, int(mm), int(ss or 0), micro, tzinfo=_zone(zone_text))
    return _encode(moment)


def _encode(value: date | datetime) -> tuple[int, float]:
    """(kind, seconds): aware -> UTC epoch; naive and dates -> wall-clock epoch."""
    if isinstance(value, datetime):
        if value.tzinfo is not None and value.utcoffset() is not None:
            return AWARE, value.timestamp()
        return NAIVE, (value - _EPOCH_NAIVE).total_seconds()
    return DATE, float((value.toordinal() - EPOCH_ORDINAL) * 86400)


def decode_when(kind: int, seconds: float) -> When:
    if kind == DATE:
        return date.fromordinal(int(seconds // 86400) + EPOCH_ORDINAL)
    if kind == NAIVE:
        return _EPOCH_NAIVE + timedelta(seconds=seconds)
    if kind == AWARE:
        return _EPOCH_AWARE + timedelta(seconds=seconds)
    return None


class _Kinds(dict):
    """raw text -> kind, filled by the _DateCache that owns it."""

    def __init__(self, owner: _DateCache):
        super().__init__()
        self.owner = owner

    def __missing__(self, raw: str) -> int:
        return self.owner.learn(raw)[0]


class _DateCache(dict):
    """raw text -> seconds, and ``kinds``: raw text -> kind; misses are parsed
    once. Two plain dicts so a column converts with two C-level ``map``s.
    Records which order year-last dates showed, for the ambiguity rule."""

    def __init__(self) -> None:
        super().__init__()
        self.kinds = _Kinds(self)
        self[""] = 0.0
        self.kinds[""] = NONE
        self.day_first = False
        self.month_first = False
        self.reasons: dict[str, str] = {}
        self.short: dict[str, int] = {}  # raw text read with a two-digit year -> its year

    def learn(self, raw: str) -> tuple[int, float]:
        value = self.parse(raw)
        if len(self) < 500_000:  # unique time stamps would only fill memory
            self.kinds[raw], self[raw] = value
        return value

    def __missing__(self, raw: str) -> float:
        return self.learn(raw)[1]

    def parse(self, raw: str, day_first: bool | None = None) -> tuple[int, float]:
        text = raw.strip()
        if not text:
            return NONE, 0.0
        try:
            if len(text) <= 10 and (text[4:5] == "-" or text.isdigit()):
                value: date = date.fromisoformat(text)  # 2026-11-03, 20261103
            else:
                value = datetime.fromisoformat(text)
        except ValueError:
            pass
        else:
            insane = _insane_year(value.year)
            if insane is None:
                return _encode(value)
            self.reasons[raw] = insane
            return _BAD, 0.0
        try:
            match = _YEAR_FIRST.fullmatch(text)
            if match:
                y, mo, d = (int(g) for g in match.groups()[:3])
                return _build(y, mo, d, match.groups()[3:])
            match = _YEAR_LAST.fullmatch(text)
            if match:
                a, b, y = (int(g) for g in match.groups()[:3])
                short = len(match.group(3)) == 2
                if short:
                    y += 2000 if y < 30 else 1900
                    if sane_year(y) and y not in SHORT_YEARS:
                        raise ValueError(_(
                            "the two-digit year {yy:02d} could be a day (yy/mm/dd); write the "
                            "year in full").format(yy=y % 100))
                if day_first is None:
                    if a > 12 >= b:
                        self.day_first = True
                        day_first = True
                    elif b > 12 >= a:
                        self.month_first = True
                        day_first = False
                    elif a == b:
                        day_first = True
                    else:
                        return _AMBIGUOUS, 0.0
                d, mo = (a, b) if day_first else (b, a)
                built = _build(y, mo, d, match.groups()[3:])
                if short:
                    self.short[raw] = y
                return built
        except ValueError as exc:
            self.reasons[raw] = str(exc)
            return _BAD, 0.0
        named = _NAMED_ZONE.fullmatch(text)
        if named and named.group(2).upper() not in ("AM", "PM") \
                and _DateCache().parse(named.group(1))[0] in (NAIVE, _AMBIGUOUS):
            self.reasons[raw] = _(
                "the time zone is written as a name ({zone}), which is not read: one name can "
                "mean several zones (CST: US Central or China); write the offset instead, "
                "e.g. 2026-11-03T10:00:00-08:00").format(
                zone=named.group(2))
        return _BAD, 0.0


class _Numbering(dict):
    """value -> 0, 1, 2 ... in order of first sight."""

    def __missing__(self, value: str) -> int:
        self[value] = number = len(self)
        return number


def _few_dates(col: Sequence[str], cache: _DateCache) -> tuple[bytes, bytes] | None:
    """(kinds, seconds as native doubles) for a column of at most 256 distinct
    values (bare dates: order days repeat), with one C-level ``map``: each row
    gets a one-byte number, and ``translate`` turns the numbers into kinds and
    into each of the 8 bytes of the seconds. None for more distinct values."""
    numbering = _Numbering()
    try:
        numbers = bytes(map(numbering.__getitem__, col))
    except ValueError:  # a 257th distinct value
        return None
    distinct = list(numbering)
    pad = bytes(256 - len(distinct))
    kinds = numbers.translate(bytes(map(cache.kinds.__getitem__, distinct)) + pad)
    doubles = array("d", map(cache.__getitem__, distinct)).tobytes()
    seconds = bytearray(8 * len(numbers))
    for k in range(8):
        seconds[k::8] = numbers.translate(doubles[k::8] + pad)
    return kinds, bytes(seconds)


def _fast_iso(col: Sequence[str], datetimes: bool = True) -> tuple[bytes, array] | None:
    """The whole column at once when it holds only ISO values (and blanks).

    Values all written alike are read with numpy (``iso_columns``); otherwise,
    if ``datetimes``, with one C-level ``map`` of ``datetime.fromisoformat``.
    Returns None when any value is not a plain ISO value of one kind; the
    caller then uses the per-value parser, which also explains bad values.
    Empty cells get kind NONE and 0.0 seconds.
    """
    n = len(col)
    blanks = col.count("")
    if blanks == n:
        return None
    holes: list[int] = []
    present = b""
    if blanks * 4 <= n:
        # Mostly filled: the blanks borrow a value so the column parses in one
        # go, and are zeroed after (found with list.index: no pass per cell).
        values: Sequence[str] = col
        at = -1
        for _ in range(blanks):
            at = col.index("", at + 1)
            holes.append(at)
        if holes:
            filled = list(col)
            filler = next(filter(None, col))
            for at in holes:
                filled[at] = filler
            values = filled
    else:  # mostly empty: parse only the values, then place them
        present = bytes(map(bool, col))
        values = list(compress(col, present))
    parsed = parse_iso_column(values) or (_parse_datetimes(values) if datetimes else None)
    if parsed is None:
        return None
    kind, seconds = parsed
    if present:
        spread = array("d", bytes(8 * n))
        for i, value in zip(compress(range(n), present), seconds, strict=True):
            spread[i] = value
        return present.translate(bytes([0, kind]) + bytes(254)), spread
    kinds = bytearray([kind]) * n
    for at in holes:
        kinds[at] = NONE
        seconds[at] = 0.0
    return bytes(kinds), seconds


def _parse_datetimes(values: Sequence[str]) -> tuple[int, array] | None:
    """(kind, seconds) of ISO date-times of one kind, written in any way Python reads."""
    try:
        moments = list(map(datetime.fromisoformat, values))
    except ValueError:
        return None
    years = set(map(attrgetter("year"), moments))
    if not (sane_year(min(years)) and sane_year(max(years))):
        return None  # the per-value parser says which rows and why
    if moments[0].utcoffset() is not None:
        kind, epoch = AWARE, _EPOCH_AWARE
    elif min(map(len, values)) > 10:
        kind, epoch = NAIVE, _EPOCH_NAIVE
    else:  # the general parser reads 10 characters or fewer as a bare date
        return None
    try:
        # Subtracting the epoch refuses a column that mixes naive and aware values.
        return kind, array("d", map(timedelta.total_seconds, map(sub, moments, repeat(epoch))))
    except TypeError:
        return None  # the per-value parser sorts the mix out

