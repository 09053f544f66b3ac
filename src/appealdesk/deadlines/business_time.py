"""Business time between two instants: the part that falls within the hours and on
the days the policy counts.

Used for reply windows counted "in business time" (a message metric with
``clock = "business"``). Without ``business_hours`` the calendar's business days
count whole (weekends and public holidays do not). With ``business_hours`` (say
09:00-18:00) only those hours count, on the calendar's business days
(``days = "business"``) or on every day, weekends and holidays included
(``days = "every"``: a marketplace's service hours, JD's 09:00-23:00). Days are
local days in the calendar's zone; an hour span is wall-clock time on that day
(``end`` 24:00 = midnight at the day's end), so a day a clock change shortens or
lengthens counts what it really has.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from appealdesk.deadlines.windows import is_business_day
from appealdesk.policy.types import BusinessHours, Calendar


def _at(day: date, minutes: int, cal: Calendar) -> float:
    """POSIX seconds of ``minutes`` after local midnight of ``day`` (1440 = next midnight)."""
    if minutes >= 1440:
        return datetime.combine(day + timedelta(days=1), time(0), tzinfo=cal.zone).timestamp()
    return datetime.combine(day, time(minutes // 60, minutes % 60),
                            tzinfo=cal.zone).timestamp()


def counts_on(day: date, cal: Calendar, hours: BusinessHours | None) -> bool:
    """Whether any time of ``day`` is business time."""
    return (hours is not None and hours.days == "every") or is_business_day(day, cal)


def business_seconds(start: float, end: float, cal: Calendar,
                     hours: BusinessHours | None = None) -> float:
    """Seconds between two instants (POSIX seconds) that are business time."""
    if end <= start:
        return 0.0
    zone = cal.zone
    day = datetime.fromtimestamp(start, zone).date()
    last = datetime.fromtimestamp(end, zone).date()
    open_, close = (hours.start, hours.end) if hours is not None else (0, 1440)
    total = 0.0
    while day <= last:
        if counts_on(day, cal, hours):
            lo, hi = _at(day, open_, cal), _at(day, close, cal)
            total += max(0.0, min(end, hi) - max(start, lo))
        day += timedelta(days=1)
    return total


def in_hours(instant: float, cal: Calendar, hours: BusinessHours) -> bool:
    """Whether an instant (POSIX seconds) falls within the business hours of a day they
    count on (``start`` inclusive, ``end`` exclusive)."""
    day = datetime.fromtimestamp(instant, cal.zone).date()
    return counts_on(day, cal, hours) and \
        _at(day, hours.start, cal) <= instant < _at(day, hours.end, cal)
