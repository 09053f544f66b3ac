"""Deadlines a notice states: "within 17 days", "You have 90 days to provide a valid
appeal", "48小时内", "by 2026-11-25", "截止日期：2026年11月25日".

Each stated window keeps the words around it:

* ``action``: it is stated for the response itself (appeal, plan of action,
  respond, submit, 申诉, 提交 …). Such a window is the marketplace's own
  contract: it is used even when it is longer than the policy's default.
* ``anchor``: what it counts from. ``""`` the notice itself (its received
  time); ``"original"`` another notification ("within 14 days of the original
  notification" in a rejection reply: counted from the notice it answers);
  ``"other"`` an event that is not a notice ("shipped within 2 days of the
  order"): a rule quoted, not a deadline, and left out.

The earliest resolved moment wins; a date already a day past when the notice
arrived is a quoted date, not a deadline.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo

from appealdesk.cases.clock import sane_year
from appealdesk.deadlines.windows import add_duration
from appealdesk.intake.stated_zh import (
    ABS_ZH,
    STATED_ZH,
    MonthDay,
    end_of_day,
    zh_date,
    zh_groups,
)
from appealdesk.intake.zone_names import ZONE_ALTERNATIVES, zones_named
from appealdesk.policy.types import Calendar, Duration

_NUMBER = r"(\d{1,4}(?:\.\d+)?)"
_UNIT_EN = (r"(business days?|working days?|calendar days?|days?|hours?|hrs?)")
# a line break may fall anywhere in a notice pasted from a phone ("within 72\nhours")
_STATED_EN = re.compile(
    r"(?:within|in the next|no later than|you have|you've got)[ \n]?(?:the next[ \n])?"
    + _NUMBER + r"[ \n-]?" + _UNIT_EN + r"\b",
    re.IGNORECASE,
)
# "Beginning 7 days from today, your account may be deactivated", "before the 7-day period
# ends" (the Account Health Rating notice, H: seller-union.com repost; policies/amazon.toml)
_FROM_NOW_EN = re.compile(
    r"\b" + _NUMBER + r"[ -]?" + _UNIT_EN + r" from (?:today|now|(?:the date of )?this "
    r"(?:notice|notification|e-?mail|message))\b"
    r"|\bbefore the " + _NUMBER + r"[ -]?" + _UNIT_EN + r" period (?:ends|is over|expires)",
    re.IGNORECASE,
)
_ONES = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
         "fifteen sixteen seventeen eighteen nineteen").split()
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
         "eighty": 80, "ninety": 90}
# "within seventeen (17) days", "within seventy-two hours": the number as digits
_SPELLED = re.compile(
    r"\b((?:within|in the next|no later than|you have|you've got)[ ]?(?:the next )?)"
    r"((?:" + "|".join(_TENS) + r")(?:[ -](?:" + "|".join(_ONES[1:10]) + r"))?|"
    + "|".join(reversed(_ONES[1:])) + r")(?:[ ]?\((\d{1,4})\))?"
    r"(?=[ -]?(?:business|working|calendar|days?|hours?|hrs?)\b)",
    re.IGNORECASE)


def _spelled_value(words: str) -> int:
    parts = re.split(r"[ -]", words.lower())
    return sum(_TENS.get(p, 0) or (_ONES.index(p) if p in _ONES else 0) for p in parts)


def _digits(match: re.Match) -> str:
    return f"{match.group(1)}{match.group(3) or _spelled_value(match.group(2))}"


_MONTHS = "jan feb mar apr may jun jul aug sep oct nov dec".split()
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]{0,6}\.?"
_ORDINAL = r"(?:st|nd|rd|th)?"
_ABS_LEAD = (r"(?:(?:by|before)(?: the)? (?:end of(?: the)?(?: business)? day|close of business)"
             r"(?: on)?,?|by|before|no later than|due(?: date)?|respond by|you have until"
             # "deadline: Dec 3", "the deadline to appeal is December 3, 2026"
             r"|deadline(?: (?:to|for) [a-z]{1,20}(?: [a-z]{1,20})?)?(?: is| was)?)[ ]?:?[ ]?")
_WEEKDAY = r"(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]{0,6}\.?,? )?"
_DATE_EN = (r"(?P<date>\d{4}-\d{1,2}-\d{1,2}(?:[ T]\d{1,2}:\d{2})?"
            r"|\d{4}[/.]\d{1,2}[/.]\d{1,2}|\d{1,2}/\d{1,2}/\d{4}|\d{1,2}\.\d{1,2}\.\d{4}"
            r"|\d{1,2}-" + _MONTH + r"-\d{4}"  # "24-Nov-2026"
            r"|" + _MONTH + r" \d{1,2}" + _ORDINAL + r"(?:,? \d{4})?"
            r"|\d{1,2}" + _ORDINAL + r" (?:of )?" + _MONTH + r"(?:,? \d{4})?)")
# "5:00 PM PST", ", 10:00 CET", " 23:59 (UTC+3)": the moment, not the day's end
# "midnight on December 3": the day's start, the earlier of its two readings
_CLOCK = r"(?P<clock>\d{1,2}(?:[:.]\d{2})?[ ]?[ap]\.?m\.?|\d{1,2}:\d{2}|midnight|noon)"
_ZONE_EN = r"(?:[ ]?\(?[ ]?(?P<zone>" + ZONE_ALTERNATIVES + r")[ ]?\)?(?![\w+-]))"
# "by 2026-11-25", "by November 25, 2026", "by Dec 5" (no year: the next Dec 5 after the
# notice), "by 5 December 2026", "before Friday, 5th December", "by Dec 5, 2026 5:00 PM PST"
_ABS_EN = re.compile(
    _ABS_LEAD + r"(?:on[ ]?)?(?:the )?" + _WEEKDAY + _DATE_EN
    + r"(?:,?[ ]?(?:at[ ])?" + _CLOCK + r")?" + _ZONE_EN + r"?(?![\w])",
    re.IGNORECASE,
)
# the time first: "by 11:59 PM PST on December 3, 2026", "before 5 PM (Pacific Time) on Dec 3"
_ABS_EN_CLOCK_FIRST = re.compile(
    _ABS_LEAD + _CLOCK + _ZONE_EN + r"?,?[ ]?(?:on[ ]?)?(?:the )?" + _WEEKDAY + _DATE_EN
    + r"(?![\w])",
    re.IGNORECASE,
)
_UNIT_MAP = {
    "business": "business_days", "working": "business_days", "calendar": "calendar_days",
    "day": "calendar_days", "days": "calendar_days", "hour": "hours", "hours": "hours",
    "hr": "hours", "hrs": "hours", "个工作日": "business_days", "工作日": "business_days",
    "个小时": "hours", "小时": "hours", "天": "calendar_days", "日": "calendar_days",
    # Japanese, as intake reads it through simplified script: 営業日 -> 営业日, 時間 -> 时间
    "営业日": "business_days", "时间": "hours",
}
_SENTENCE_END = re.compile(r"[.!?。！？](?:\s|$)|\n\n")
_CONTEXT = 90  # characters either side read for action and anchor words
_ACTION = re.compile(
    r"appeal|plan of action|\bpoa\b|respond|response|reply|submit|provide|reinstat|dispute|"
    r"\bsend (?:us|the|your|it|them)\b|"
    r"申诉|提交|回复|答复|整改|申辩|说明|行动计划|改善计划|提出|申し立て", re.IGNORECASE)
_ANCHOR_ORIGINAL = re.compile(
    r"^[ ,]*(?:of|from|after)[ ]?(?:the|your)?[ ]?(?:date of )?(?:the )?"
    r"(?:original|first|initial|previous|earlier|prior)[ ]?(?:notification|notice|message|e-?mail)"
    r"|^[ ,]*(?:of|from|after) (?:the date )?(?:we|amazon) (?:first )?"
    r"(?:notified|informed|contacted)"
    r"|(?:(?:自|从|距)(?:原|首次|初次|第一次|最初)?|原|首次|初次|第一次|最初)(?:通知|邮件)"
    r"(?:发出|发送)?(?:之日|日期)?(?:起|后)?[^\n]{0,6}$",
    re.IGNORECASE)
_ANCHOR_OTHER = re.compile(
    r"^[ ,]*(?:of|from|after)[ ]?(?:the|an|each|a)?[ ]?(?:order|purchase|delivery|shipment|"
    r"ship date|dispatch|confirmation)"
    r"|(?:下单|付款|发货|订单)(?:后|之后|起)[^\n]{0,4}$", re.IGNORECASE)


@dataclass
class StatedWindow:
    """A deadline the text states: relative (amount + unit) or absolute (at)."""

    text: str
    amount: float = 0
    unit: str = ""  # hours | calendar_days | business_days
    at: datetime | None = None
    # a date without a year ("by Dec 5", "11月25日18:00前"): (month, day, hour, minute), the
    # first such moment from the notice on
    month_day: tuple[int, int, int, int] | None = None
    zone: tzinfo | None = None  # the zone the text names for month_day ("Dec 5 5:00 PM PST")
    action: bool = False  # stated for the response itself
    anchor: str = ""  # "" the notice | "original" another notification | "other"

    def resolve(self, received: datetime, calendar: Calendar) -> datetime:
        if self.at is not None:
            return self.at
        if self.month_day is not None:
            return _next_day(self.month_day, received, self.zone or calendar.zone)
        return add_duration(received, Duration(self.amount, self.unit), calendar)


def _context(text: str, match: re.Match, stated: StatedWindow) -> StatedWindow:
    start, end = match.start(), match.end()
    stated.text = " ".join(stated.text.split())  # "within 72\nhours" shown on one line
    before = _SENTENCE_END.split(text[max(0, start - _CONTEXT):start])[-1]
    after = _SENTENCE_END.split(text[end:end + _CONTEXT])[0]
    stated.action = bool(_ACTION.search(before) or _ACTION.search(after))
    if _ANCHOR_ORIGINAL.search(after) or _ANCHOR_ORIGINAL.search(before):
        stated.anchor = "original"
    elif stated.at is None and stated.month_day is None and (
            _ANCHOR_OTHER.search(after) or _ANCHOR_OTHER.search(before)):
        stated.anchor = "other"
    return stated


_STATED_EN_HINTS = ("within", "in the next", "no later", "you have", "you've got")
_ABS_EN_HINTS = ("by", "before", "no later", "deadline", "due", "until")
_MAX_STATED = 50  # a notice states one or two; a page of them is not a notice


def detect_stated(text: str, zone: ZoneInfo) -> list[StatedWindow]:
    found: list[StatedWindow] = []
    text = _SPELLED.sub(_digits, text)
    lower = text.lower()
    # each pattern runs only when its leading words occur: most texts skip most scans
    english = any(h in lower for h in _STATED_EN_HINTS)
    absolute = any(h in lower for h in _ABS_EN_HINTS)
    chinese = "内" in text or "时效" in text or "期限" in text
    from_now = " from " in lower or " period " in lower
    chinese_date = any(h in text for h in ("截止", "截至", "前", "まで", "期限", "最晚", "最迟"))
    relative = [*(_STATED_EN.finditer(text) if english else ()),
                *(_FROM_NOW_EN.finditer(text) if from_now else ())]
    for match in relative:
        if len(found) >= _MAX_STATED:
            break
        number, unit_word = [g for g in match.groups() if g][:2]
        word = unit_word.lower().split()[0]
        unit = _UNIT_MAP.get(word, _UNIT_MAP.get(word.rstrip("s"), "calendar_days"))
        amount = float(number)
        if amount > 0:
            found.append(_context(text, match, StatedWindow(match.group(0), amount, unit)))
    for match in STATED_ZH.finditer(text) if chinese else ():
        if len(found) >= _MAX_STATED:
            break
        amount = float(match.group("n") or match.group("n2"))
        if amount > 0:
            found.append(_context(text, match, StatedWindow(
                match.group(0), amount, _UNIT_MAP[match.group("u") or match.group("u2")])))
    english_dates = (*_ABS_EN.finditer(text), *_ABS_EN_CLOCK_FIRST.finditer(text)) \
        if absolute else ()
    for match in english_dates:
        if len(found) >= _MAX_STATED:
            break
        clock, value = _clock_en(match.group("clock")), match.group("date")
        # a zone is read after a time only ("by Dec 5 et al." names none)
        zone_name = match.group("zone") if clock or ":" in value else None
        # "5:00 PM CST" (China or US Central): each reading; the earliest still ahead wins
        for named in zones_named(zone_name) or (None,):
            where = named or zone
            if re.fullmatch(r"\d{1,2}/\d{1,2}/\d{4}", value):
                # both readings of 12/03/2026, likewise
                for moment in _numeric(value, where):
                    found.append(_context(text, match, StatedWindow(
                        match.group(0), at=_at_clock(moment, clock))))
                continue
            at = _parse_en_date(value, where)
            if isinstance(at, tuple):
                month_day = (*at[:2], *clock) if clock else at
                found.append(_context(text, match, StatedWindow(
                    match.group(0), month_day=month_day, zone=named)))
            elif at:
                found.append(_context(text, match, StatedWindow(
                    match.group(0), at=_at_clock(at, clock))))
    for pattern in (ABS_ZH,) if chinese_date else ():
        for match in pattern.finditer(text):
            if len(found) >= _MAX_STATED:
                break
            parts = zh_groups(match)
            for named in zones_named(parts.get("z1") or parts.get("z2")) or (None,):
                at = zh_date(match, named or zone)
                if isinstance(at, tuple):
                    found.append(_context(text, match, StatedWindow(
                        match.group(0), month_day=at, zone=named)))
                elif at:
                    found.append(_context(text, match, StatedWindow(match.group(0), at=at)))
    return found


def _next_day(month_day: tuple[int, int, int, int], received: datetime,
              zone: tzinfo) -> datetime:
    """The first ``month_day`` moment on or after the day the notice arrived."""
    base = received.astimezone(zone)
    month, day, hour, minute = month_day
    for year in range(base.year, base.year + 5):  # 29 February: the next leap year's
        try:
            at = datetime(year, month, day, hour, minute, tzinfo=zone)
        except ValueError:
            continue
        if at.date() >= base.date():  # "by Jan 5" in a notice of December: next year's
            return at
    raise ValueError(f"no {month}-{day} after {base.date()}")


def _clock_en(value: str | None) -> tuple[int, int] | None:
    """ "5:00 PM" -> (17, 0), "10:00" -> (10, 0), "12 a.m." -> (0, 0); None: no time given."""
    if not value:
        return None
    named = {"midnight": (0, 0), "noon": (12, 0)}.get(value.lower())
    if named:
        return named
    match = re.match(r"(\d{1,2})(?:[:.](\d{2}))?[ ]?([ap])?", value.lower())
    if match is None:
        return None
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    if match.group(3):
        hour = hour % 12 + (12 if match.group(3) == "p" else 0)
    return (hour, minute) if hour < 24 and minute < 60 else None


def _at_clock(at: datetime, clock: tuple[int, int] | None) -> datetime:
    return at.replace(hour=clock[0], minute=clock[1]) if clock else at


def _numeric(value: str, zone: tzinfo) -> list[datetime]:
    """ "11/25/2026" (US) or "25/11/2026": the order a part over 12 shows; when both read,
    both (``resolve`` keeps the earliest not already past: a deadline read too late is
    worse than one read too early)."""
    a, b, year = (int(p) for p in value.split("/"))
    found = []
    for month, day in dict.fromkeys(((a, b), (b, a))):
        try:
            found.append(end_of_day(year, month, day, zone))
        except ValueError:
            continue
    return found


def _parse_en_date(value: str, zone: tzinfo) -> datetime | MonthDay | None:
    """A moment, or (month, day) when the text gives no year."""
    value = value.strip()
    try:
        if value[:4].isdigit() and value[4] in "/.":  # "2026/12/03", "2026.12.03"
            year, month, day = (int(p) for p in re.split(r"[/.]", value))
            return end_of_day(year, month, day, zone)
        if "." in value[:3] and value[:1].isdigit():  # "03.12.2026": day, month, year
            day, month, year = (int(p) for p in value.split("."))
            return end_of_day(year, month, day, zone)
        if value[:4].isdigit():
            if len(value) > 10:
                parsed = datetime.fromisoformat(value.replace(" ", "T").rjust(16, "0"))
                return parsed.replace(tzinfo=zone)
            parts = [int(p) for p in value.split("-")]
            return end_of_day(parts[0], parts[1], parts[2], zone)
        words = [w for w in re.split(r"[\s,.-]+", value.lower()) if w and w != "of"]
        if words[0][:1].isdigit():  # "5 December 2026": day first
            words[0], words[1] = words[1], words[0]
        month = _MONTHS.index(words[0][:3]) + 1
        day = int(re.sub(r"\D", "", words[1]))
        if len(words) < 3:
            datetime(2000, month, day)  # a day that exists in some year (2000 is a leap year)
            return month, day, 23, 59
        return end_of_day(int(words[2]), month, day, zone)
    except (ValueError, IndexError):
        return None


@dataclass(frozen=True)
class Resolved:
    """The stated deadline that wins, and what it was."""

    at: datetime
    window: StatedWindow


def resolve(stated: list[StatedWindow], received: datetime | None, calendar: Calendar | None,
            original: datetime | None = None) -> Resolved | None:
    """The earliest stated deadline: relative windows count from ``received`` (or from
    ``original``, the notice a reply answers, for windows anchored to it)."""
    calendar = calendar or Calendar("UTC", ("sat", "sun"), None)
    found: list[Resolved] = []
    for window in stated:
        if window.anchor == "other":
            continue
        start = original if window.anchor == "original" and original else received
        if window.at is None and start is None:
            continue
        try:
            moment = window.resolve(start, calendar)  # type: ignore[arg-type]
        except (ValueError, OverflowError):
            continue
        if sane_year(moment.year):  # "by 9999-12-31" is a placeholder, not a deadline
            found.append(Resolved(moment, window))
    if received is not None:
        # "by 2020-01-01" in a notice received in 2026 is a quoted date, not a deadline
        floor = received - timedelta(days=1)
        found = [r for r in found if r.window.at is None or r.at >= floor]
    return min(found, key=lambda r: r.at) if found else None
