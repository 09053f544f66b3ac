"""The deadline engine: windows from a policy, counted in the marketplace's own calendar.

Rules (also in the README):

* **hours** and **calendar_days** are *elapsed* time. 17 calendar days are
  17 x 24 h after the received instant, whatever the clocks do in between
  (a DST change in America/Los_Angeles moves the local wall time of the
  deadline by one hour, never its instant). Arithmetic is done in UTC
  because Python adds a timedelta to a zoned datetime in wall-clock time.
* **business_days** are counted in the calendar's zone. A business day is a
  local date that is neither a weekend day of the calendar nor one of its
  public holidays (the ``holidays`` library, country + optional subdivision).
  Received on a business day: the deadline is the same local time of day N
  business days later. Received on a weekend day or holiday: counting starts
  at 00:00 of the next business day, so the deadline is 00:00 local of the
  Nth business day after that one. Either way the due date is a business day.
  A fractional part (2.5 business days) is added as elapsed hours (x 24 h)
  after the whole days.
* ``holidays_extend``: for hours / calendar days, ``false`` means nothing
  extends the window (noon, seed 001: "holidays do not extend it").
  ``true`` means each *public holiday* whose local day overlaps the window
  pushes the deadline 24 h later (repeated, since the longer window may reach
  another holiday). Weekends never extend an hours or calendar-days window:
  they are part of the calendar the window was stated in. Business-day
  windows always skip weekends and holidays; the flag does not change them.
* A deadline stated in the notification text wins when it is earlier than
  the policy's window (the marketplace's own words are the contract).

How a deadline is shown (urgency, time left, spans, moments) is in ``deadlines.display``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from appealdesk.cases.model import Case, Status, Submission
from appealdesk.i18n import _
from appealdesk.policy.types import Calendar, Duration, Policy, ResponseRule

_MAX_EXTENSIONS = 400  # more holidays than any year has; guards the extension loop


# --------------------------------------------------------------------------
# The calendar
# --------------------------------------------------------------------------


@lru_cache(maxsize=256)
def holiday_dates(country: str | None, subdiv: str | None, year: int) -> frozenset[date]:
    """Public holidays of one country (and subdivision) in one year, cached."""
    if not country:
        return frozenset()
    import holidays  # imported lazily: it loads every country's module list

    try:
        found = holidays.country_holidays(country, subdiv=subdiv, years=year)
    except (NotImplementedError, KeyError, ValueError):
        return frozenset()
    return frozenset(found.keys())


def is_holiday(day: date, calendar: Calendar) -> bool:
    return day in holiday_dates(calendar.holiday_country, calendar.holiday_subdiv, day.year)


def is_business_day(day: date, calendar: Calendar) -> bool:
    return day.weekday() not in calendar.weekend_numbers and not is_holiday(day, calendar)


def next_business_day(day: date, calendar: Calendar) -> date:
    """The first business day strictly after ``day``."""
    day += timedelta(days=1)
    for _i in range(3700):  # a calendar with no business day for 10 years is broken
        if is_business_day(day, calendar):
            return day
        day += timedelta(days=1)
    raise ValueError("the calendar has no business days")


def _require_aware(moment: datetime) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("deadline arithmetic needs an aware datetime")


def _local_midnight(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=zone)


def add_business_days(start: datetime, amount: float, calendar: Calendar) -> datetime:
    """``amount`` business days after ``start``; see the module docstring for the rule."""
    _require_aware(start)
    zone = calendar.zone
    local = start.astimezone(zone)
    whole = int(math.floor(amount))
    fraction = amount - whole
    day = local.date()
    if is_business_day(day, calendar):
        clock_time = local.timetz().replace(tzinfo=None)
    else:
        day = next_business_day(day, calendar)
        clock_time = time(0, 0)
    for _i in range(whole):
        day = next_business_day(day, calendar)
    # fold=0 picks the first of two repeated wall times; a skipped wall time is
    # normalised by the UTC round trip below.
    due = datetime.combine(day, clock_time, tzinfo=zone)
    due = due.astimezone(UTC).astimezone(zone)
    if fraction:
        due = add_elapsed(due, timedelta(hours=24 * fraction), zone)
    return due


def add_elapsed(start: datetime, delta: timedelta, zone: ZoneInfo | None = None) -> datetime:
    """Elapsed-time addition (UTC arithmetic), returned in ``zone`` or the start's zone."""
    _require_aware(start)
    result = start.astimezone(UTC) + delta
    return result.astimezone(zone or start.tzinfo)


def _holidays_overlapping(start: datetime, end: datetime, calendar: Calendar) -> int:
    """How many holiday dates have a local day that overlaps (start, end]."""
    zone = calendar.zone
    first = start.astimezone(zone).date()
    last = end.astimezone(zone).date()
    count = 0
    for year in range(first.year, last.year + 1):
        for day in holiday_dates(calendar.holiday_country, calendar.holiday_subdiv, year):
            if not first <= day <= last:
                continue
            day_start = _local_midnight(day, zone)
            day_end = _local_midnight(day + timedelta(days=1), zone)
            if day_end > start and day_start < end:
                count += 1
    return count


def add_duration(
    start: datetime, duration: Duration, calendar: Calendar, *, holidays_extend: bool = False
) -> datetime:
    """``start`` + ``duration`` in ``calendar``; the result is in the calendar's zone."""
    _require_aware(start)
    if duration.unit == "business_days":
        return add_business_days(start, duration.amount, calendar)
    window = duration.as_timedelta()
    due = add_elapsed(start, window, calendar.zone)
    if not holidays_extend or not calendar.holiday_country:
        return due
    extra = 0
    for _i in range(_MAX_EXTENSIONS):
        overlapping = _holidays_overlapping(start, due, calendar)
        if overlapping == extra:
            break
        extra = overlapping
        due = add_elapsed(start, window + timedelta(days=extra), calendar.zone)
    return due


def apply_rule(
    start: datetime, rule: ResponseRule, calendar: Calendar
) -> tuple[datetime, datetime | None]:
    """(deadline, internal target or None) for a response rule."""
    due = add_duration(start, rule.window, calendar, holidays_extend=rule.holidays_extend)
    target = None
    if rule.target is not None:
        target = add_duration(start, rule.target, calendar, holidays_extend=rule.holidays_extend)
        if target >= due:
            target = None  # a "target" later than the deadline is no aim at all
    return due, target


# --------------------------------------------------------------------------
# Deadlines of a case
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Deadline:
    """When a response is due.

    ``source`` says where ``due`` came from: ``"policy"`` (the type's window),
    ``"policy-shortest"`` (type unknown: the shortest window the policy has,
    so we never promise more time than there is), or ``"notification"`` (a
    deadline stated in the text). A stated deadline wins when it is earlier
    than the policy's; it also wins when it is later but the text states it for
    the response itself ("You have 90 days to provide a valid appeal": the
    marketplace's own contract) or the type is unknown (the policy's shortest
    window is a guess; the text is not). ``stated`` is the text's own deadline
    whether or not it won; ``policy_due`` the policy's.
    """

    due: datetime
    target: datetime | None
    source: str
    stated: datetime | None = None
    policy_due: datetime | None = None
    rule_source: str = ""  # the policy's `source` note for the window


def case_calendar(case: Case, policy: Policy | None) -> Calendar | None:
    return policy.calendar_for(case.site or None) if policy else None


def case_received(case: Case) -> datetime | None:
    return case.notification.received or case.created


def response_deadline(
    case: Case, policy: Policy | None, received: datetime | None = None
) -> Deadline | None:
    """The response deadline of ``case``, or None when nothing says when it is due."""
    received = received or case_received(case)
    stated = case.notification.stated_deadline
    if received is None:
        return Deadline(stated, None, "notification", stated) if stated else None
    _require_aware(received)
    policy_due = target = None
    source = "policy"
    rule_source = ""
    calendar = case_calendar(case, policy)
    if policy is not None and calendar is not None:
        ntype = policy.notification_type(case.notification.type)
        candidates = [ntype] if ntype else list(policy.notification_types)
        if not ntype:
            source = "policy-shortest"
        best = None
        for candidate in candidates:
            due, aim = apply_rule(received, candidate.response, calendar)
            if best is None or due < best[0]:
                best = (due, aim, candidate.response.window.source)
        if best:
            policy_due, target, rule_source = best
    binding = case.notification.stated_for_action or source == "policy-shortest"
    # the same moment as the policy's: still the notice's word ("within 17 days" is what
    # Amazon's notices say and what the policy holds), never shown as a default
    if stated is not None and (policy_due is None or stated <= policy_due or binding):
        if target is not None and target >= stated:
            target = None
        return Deadline(stated, target, "notification", stated, policy_due, rule_source)
    if policy_due is None:
        return None
    return Deadline(policy_due, target, source, stated, policy_due, rule_source)


@dataclass(frozen=True)
class AppealLimits:
    """The policy's limits on appeals: a final deadline and a number of failures."""

    final_due: datetime | None
    max_unsuccessful: int | None
    unsuccessful: int
    attempts_left: int | None  # None: the policy sets no limit

    @property
    def exhausted(self) -> bool:
        return self.attempts_left is not None and self.attempts_left <= 0


def rejected_submissions(case: Case) -> list[Submission]:
    """The submissions the marketplace rejected, oldest first."""
    return [s for s in case.submissions if s.outcome == "rejected"]


def count_unsuccessful(case: Case) -> int:
    """Rejected submissions; a rejection only in the history (no Submission) counts too."""
    rejected = len(rejected_submissions(case))
    if rejected:
        return rejected
    return sum(1 for h in case.history if h.event == "status" and h.to_status == "rejected")


def appeal_limits(case: Case, policy: Policy | None) -> AppealLimits:
    unsuccessful = count_unsuccessful(case)
    if policy is None:
        return AppealLimits(None, None, unsuccessful, None)
    final_due = None
    received = case_received(case)
    calendar = case_calendar(case, policy)
    if policy.appeals.final_deadline and received and calendar:
        final_due = add_duration(received, policy.appeals.final_deadline, calendar)
    # a rejection reply that states a new deadline ("within 14 days of the original
    # notification") is the marketplace's word for the next attempt
    stated = [s.deadline for s in case.submissions if s.outcome == "rejected" and s.deadline]
    if stated:
        final_due = stated[-1] if final_due is None else min(final_due, stated[-1])
    limit = policy.appeals.max_unsuccessful
    left = None if limit is None else max(0, limit - unsuccessful)
    return AppealLimits(final_due, limit, unsuccessful, left)


# Statuses in which the response deadline is still the thing to beat.
_ANSWERING = frozenset({Status.NEW, Status.IN_PROGRESS, Status.READY})


@dataclass(frozen=True)
class CaseDue:
    """What the inbox shows for a case: the next time that matters, and why."""

    due: datetime | None
    kind: str  # "response" | "target" | "final" | "followup" | ""
    label: str  # what is due, for a person


def case_due(case: Case, policy: Policy | None, now: datetime) -> CaseDue:
    """The next time that matters for ``case``.

    New / in progress / ready: the response deadline. Rejected: the earlier of
    the policy's final deadline and the next follow-up (a resubmission timer).
    Submitted: the next follow-up timer. Approved, closed, archived: nothing.
    """
    if case.status in _ANSWERING:
        deadline = response_deadline(case, policy)
        if deadline is None:
            return CaseDue(None, "", "")
        return CaseDue(deadline.due, "response", _("respond"))
    if case.status not in (Status.SUBMITTED, Status.REJECTED):
        return CaseDue(None, "", "")
    from appealdesk.deadlines.followups import case_timers  # followups builds on this module

    options: list[CaseDue] = []
    for timer in case_timers(case, policy, now):
        if timer.state in ("due", "overdue"):
            options.append(CaseDue(timer.due, "followup", timer.action))
    if case.status is Status.REJECTED:
        limits = appeal_limits(case, policy)
        if limits.final_due and not limits.exhausted:
            options.append(CaseDue(limits.final_due, "final", _("final appeal deadline")))
    if not options:
        return CaseDue(None, "", "")
    return min(options, key=lambda o: o.due)  # type: ignore[arg-type,return-value]
