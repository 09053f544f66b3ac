"""How deadlines are shown: urgency, time left, moments and spans, where a deadline came from.

Pure helpers over the datetimes that ``deadlines.windows`` computes; nothing here
does calendar arithmetic.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from appealdesk.i18n import _

if TYPE_CHECKING:
    from appealdesk.cases.model import Case
    from appealdesk.deadlines.windows import Deadline

DUE_SOON = timedelta(hours=24)


def deadline_source_label(deadline: Deadline, case: Case | None = None) -> str:
    """ "stated in the notice" / "policy default" — and when the received time is a guess."""
    if deadline.source == "notification":
        text = _("stated in the notice")
        if case is not None and case.notification.stated_text:
            text += f": \u201c{case.notification.stated_text}\u201d"
    elif deadline.source == "policy-shortest":
        text = _("policy default, shortest window: the notice type is not known")
    else:
        text = _("policy default")
    if case is not None and not case.notification.received_known:
        text += "; " + _("received time not in the text: counted from intake, give it to correct")
    return text


class Urgency(StrEnum):
    OVERDUE = "overdue"
    DUE_SOON = "due_soon"
    OK = "ok"
    NONE = "none"


URGENCY_ORDER = {Urgency.OVERDUE: 0, Urgency.DUE_SOON: 1, Urgency.OK: 2, Urgency.NONE: 3}


def between(start: datetime, end: datetime) -> timedelta:
    """Elapsed time from ``start`` to ``end``.

    Python subtracts two datetimes that share a tzinfo in *wall-clock* time
    (23 h look like 24 h across a DST change), so subtract in UTC.
    """
    return end.astimezone(UTC) - start.astimezone(UTC)


def urgency(due: datetime | None, now: datetime) -> Urgency:
    if due is None:
        return Urgency.NONE
    left = between(now, due)
    if left <= timedelta(0):
        return Urgency.OVERDUE
    if left < DUE_SOON:
        return Urgency.DUE_SOON
    return Urgency.OK


def format_span(delta: timedelta) -> str:
    """A positive span as the two largest units: "2d 3h", "5h 12m", "7m", "<1m"."""
    minutes = int(delta.total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return _("{d}d {h}h").format(d=days, h=hours)
    if hours:
        return _("{h}h {m}m").format(h=hours, m=mins)
    if mins:
        return _("{m}m").format(m=mins)
    return _("<1m")


def format_time_left(due: datetime | None, now: datetime) -> str:
    """ "5h 12m", "2d 3h", "overdue 4h" — or "" when there is no deadline."""
    if due is None:
        return ""
    left = between(now, due)
    if left <= timedelta(0):
        over = -left
        # an overdue figure is coarse on purpose: the minutes no longer matter
        if over >= timedelta(days=1):
            text = format_span(timedelta(days=over.days, hours=over.seconds // 3600))
        elif over >= timedelta(hours=1):
            text = _("{h}h").format(h=int(over.total_seconds() // 3600))
        else:
            text = format_span(over)
        return _("overdue {span}").format(span=text)
    return format_span(left)


_SPAN = re.compile(
    r"^\s*(\d+(?:\.\d+)?)\s*(m|min|mins|minutes?|h|hrs?|hours?|d|days?|w|weeks?)\s*$",
    re.IGNORECASE,
)


def parse_span(text: str) -> timedelta:
    """ "24h", "3d", "90m", "2w" -> timedelta; ValueError with a clear message otherwise."""
    match = _SPAN.match(text or "")
    if not match:
        raise ValueError(
            _("not a time span: {text!r} (use for example 90m, 24h, 3d)").format(text=text)
        )
    amount = float(match.group(1))
    unit = match.group(2).lower()[0]
    factor = {"m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}[unit]
    return timedelta(seconds=amount * factor)


def format_moment(moment: datetime | None, zone: ZoneInfo | None = None) -> str:
    """ "2026-11-25 14:00 +03" in ``zone`` (default: the operator's local zone)."""
    if moment is None:
        return ""
    local = moment.astimezone(zone) if zone else moment.astimezone()
    return local.strftime("%Y-%m-%d %H:%M %Z")
