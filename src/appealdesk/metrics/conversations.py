"""Reply-time metrics over buyer messages: a policy's ``[[message_metrics]]`` on a MessageTable.

Definitions (also in policies/SCHEMA.md):

* **Window**, as of day D with lag L: ``rolling`` N days covers D-L-N+1 ... D-L
  inclusive; ``calendar_month`` the last complete month ending on or before
  D-L (the order metrics' rule). A message is in the window when the local
  day (policy time zone) it was **received** is.
* **Excluded** from the count: what the metric's ``exclude`` names —
  ``no_response_needed``, ``automatic`` (answered by a robot), ``spam``,
  ``outside_hours`` (received outside the metric's ``business_hours``: before
  ``start``, from ``end`` on, or on a day they do not count on).
* **Answered in time**: a human reply by the end of D at most ``reply_within``
  after the message. ``clock = "elapsed"`` counts wall-clock time (weekends and nights
  count); ``clock = "business"`` counts only the time on the calendar's
  business days (weekends and public holidays of the policy's calendar do not
  count) and, when the metric states ``business_hours``, only the time within
  them, on business days or (``days = "every"``) on every day
  (``deadlines.business_time``); a business day of ``reply_within`` is then
  that many hours long (09:00-18:00: 9 h). A message received outside the
  hours, when not excluded, waits for the next opening without using time.
* **Pending**: a message without a reply by the end of D whose time is not up
  then is not counted yet (neither answered nor late); one whose time is up
  is late (``unanswered``).
* value = answered in time / counted messages; status ``no_data`` when the
  file lacks a field the metric needs (``missing`` names it),
  ``insufficient_data`` when nothing (or fewer than ``min_messages``) is
  counted, ``no_limit`` when the policy states no limit, else ``ok``/``breach``.
* **Late**: counted messages not answered in time (late or never answered);
  the breakdown clusters them by received day, agent and channel.
* **Clears**: for a breach of a rolling window, the day it passes again if every
  new message is answered in time (``metrics.message_recovery``).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, ClassVar

from appealdesk.deadlines.business_time import business_seconds, counts_on
from appealdesk.i18n import _
from appealdesk.metrics.message_recovery import clears_on
from appealdesk.metrics.message_results import (
    BREACH,
    INSUFFICIENT,
    NO_DATA,
    NO_LIMIT,
    OK,
    MessageCluster,
    MetricBase,
    RateResult,
    day_text,
    horizon_of,
    judge,
    passes,
    span_text,
    window_days,
)
from appealdesk.policy.types import MESSAGE_EXCLUSIONS, MessageMetricDef, Policy
from appealdesk.reports.conversations import MessageTable
from appealdesk.reports.plain_messages import bucket_offsets

__all__ = ["BREACH", "INSUFFICIENT", "NO_DATA", "NO_LIMIT", "OK", "MessageCluster",
           "MessageEvaluation", "MessageMetricResult", "MetricBase", "compute_message_metrics",
           "day_text", "passes", "span_text", "window_days"]

_BUCKET = 900  # zones change offset on quarter hours
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
_NEEDS = {"no_response_needed": "response_needed", "automatic": "automatic", "spam": "spam",
          "outside_hours": "received_at"}


@dataclass
class MessageMetricResult(RateResult):
    ROWS: ClassVar[str] = "messages"

    # numerator: answered in time; denominator: counted
    messages: list[str] = field(default_factory=list)  # ids of the late ones
    excluded: dict[str, int] = field(default_factory=dict)
    unanswered: int = 0

    @property
    def ids(self) -> list[str]:
        return self.messages

    def extra(self) -> dict[str, Any]:
        return {"excluded": dict(self.excluded), "pending": self.pending,
                "unanswered": self.unanswered}


def _unit_seconds(metric: MessageMetricDef) -> float:
    """Seconds in one unit of ``reply_within`` (a business day: its business hours)."""
    unit, hours = metric.reply_within.unit, metric.business_hours
    if unit == "hours":
        return 3600
    if unit == "business_days" and hours is not None:
        return (hours.end - hours.start) * 60
    return 86400


class MessageEvaluation:
    """A MessageTable seen through one policy: local received days, computed once."""

    def __init__(self, table: MessageTable, policy: Policy):
        import numpy as np

        self.np = np
        self.table = table
        self.policy = policy
        self.zone = policy.calendar.zone
        self._days: Any = None
        self._reply_days: set[int] | None = None
        self._varies: dict[str, bool] = {}

    def local_seconds(self, seconds: Any) -> Any:
        """Local wall-clock seconds (as POSIX seconds) of each instant; offsets asked
        once per quarter hour."""
        zone = self.zone

        def offset_at(bucket: int) -> float:
            offset = datetime.fromtimestamp(bucket * _BUCKET, zone).utcoffset()
            assert offset is not None  # an aware datetime: it has an offset
            return offset.total_seconds()

        return seconds + bucket_offsets(self.np, seconds, offset_at)

    def local_days(self, seconds: Any) -> Any:
        """Local day (proleptic ordinal) of each instant."""
        np = self.np
        return np.floor_divide(self.local_seconds(seconds), 86400).astype(np.int64) \
            + _EPOCH_ORDINAL

    def varies(self, dimension: str) -> bool:
        """Whether the file has more than one value of ``agent`` or ``channel``."""
        if dimension not in self._varies:
            self._varies[dimension] = len(set(getattr(self.table, dimension))) > 1
        return self._varies[dimension]

    @property
    def reply_days(self) -> set[int]:
        """The local days on which any human reply was sent."""
        if self._reply_days is None:
            replies = self.table.replied[~self.np.isnan(self.table.replied)]
            self._reply_days = set(self.np.unique(self.local_days(replies)).tolist())
        return self._reply_days

    @property
    def days(self) -> Any:
        """Local received day of each message."""
        if self._days is None:
            self._days = self.local_days(self.table.received)
        return self._days

    def outside_hours(self, metric: MessageMetricDef) -> Any:
        """Which messages were received outside the metric's business hours (on a day
        they do not count on, or before ``start`` / from ``end`` on)."""
        np, hours, cal = self.np, metric.business_hours, self.policy.calendar
        if hours is None:
            return np.zeros(len(self.table), dtype=bool)
        minute = np.floor_divide(np.mod(self.local_seconds(self.table.received), 86400), 60)
        inside = (minute >= hours.start) & (minute < hours.end)
        if hours.days != "every":
            unique = np.unique(self.days).tolist()
            counted = [d for d in unique if counts_on(date.fromordinal(d), cal, hours)]
            inside &= np.isin(self.days, np.array(counted, dtype=np.int64))
        return ~inside

    def evaluate(self, metric: MessageMetricDef, as_of: date) -> MessageMetricResult:
        np = self.np
        start, end = window_days(metric.window, as_of)
        base = MetricBase(id=metric.id, name=metric.name, name_zh=metric.name_zh,
                          limit=metric.limit, comparator=metric.comparator,
                          enforced=metric.enforced, window_start=start, window_end=end)
        t = self.table
        needs = ["received_at", "replied_at", *(_NEEDS[e] for e in metric.exclude)]
        missing = [f for f in dict.fromkeys(needs) if f not in t.present]
        if missing:
            return MessageMetricResult(numerator=0, denominator=0, value=None, status=NO_DATA,
                                       missing=missing, **base)
        horizon = horizon_of(as_of, self.zone)
        within = round(metric.reply_within.amount * _unit_seconds(metric), 6)
        business = metric.clock == "business" or metric.reply_within.unit == "business_days"
        keep = (self.days >= start.toordinal()) & (self.days <= end.toordinal())
        excluded: dict[str, int] = {}
        for name in (e for e in MESSAGE_EXCLUSIONS if e in metric.exclude):  # the doc's order
            hit = keep & self._excluded_by(name, metric)
            if count := int(hit.sum()):
                excluded[name] = count
            keep &= ~hit
        index = np.flatnonzero(keep)
        received, replied = t.received[index], t.replied[index]
        answered = replied <= horizon  # False where there is no reply (NaN)
        cut = np.where(answered, replied, horizon)
        taken = cut - received
        if business:  # business time is never longer than elapsed time: count the rest only
            over = np.flatnonzero(taken > within)
            taken[over] = self.business_taken(metric, received[over], cut[over])
        in_time = taken <= within
        on_time = int((answered & in_time).sum())
        late = index[~in_time]
        counted = on_time + len(late)
        status = judge(on_time, counted, metric.min_messages, metric.limit, metric.comparator)
        late_list = late.tolist()
        result = MessageMetricResult(
            numerator=on_time, denominator=counted, value=on_time / counted if counted else None,
            status=status, messages=[t.ids[i] for i in late_list], excluded=excluded,
            pending=int((~answered & in_time).sum()),
            unanswered=int((~answered & ~in_time).sum()), **base)
        result.clusters, result.sentences = breakdown(self, late, horizon)
        good = index[answered & in_time]
        result.clears = clears_on(status, metric.window, metric.limit, metric.comparator,
                                  start, self.days[np.concatenate([good, late])],
                                  self.days[good], as_of)
        return result

    def business_taken(self, metric: MessageMetricDef, start: Any, end: Any) -> Any:
        """Business seconds between each pair of instants (``deadlines.business_time``).

        Hours on every day are counted as whole vectors where both instants have the
        same UTC offset: with H open seconds a day, the business time up to local
        wall-clock x is F(x) = day(x) * H + clip(second_of_day(x) - open, 0, H), and
        the span's is F(end) - F(start). The rest (a clock change between them, or
        hours on business days only) is counted pair by pair."""
        np, cal, hours = self.np, self.policy.calendar, metric.business_hours
        out = np.zeros(len(start), dtype=np.float64)
        slow = np.ones(len(start), dtype=bool)
        if hours is not None and hours.days == "every" and len(start):
            local_start, local_end = self.local_seconds(start), self.local_seconds(end)
            slow = (local_start - start) != (local_end - end)
            opens, span = hours.start * 60.0, (hours.end - hours.start) * 60.0

            def upto(x: Any) -> Any:
                day = np.floor_divide(x, 86400)
                return day * span + np.clip(x - day * 86400 - opens, 0.0, span)

            out = upto(local_end) - upto(local_start)
        where = np.flatnonzero(slow)
        out[where] = [business_seconds(r, c, cal, hours)
                      for r, c in zip(start[where].tolist(), end[where].tolist(), strict=True)]
        return out

    def _excluded_by(self, name: str, metric: MessageMetricDef) -> Any:
        t = self.table
        if name == "outside_hours":
            return self.outside_hours(metric)
        return {"no_response_needed": ~t.needed, "automatic": t.automatic,
                "spam": t.spam}[name]


def compute_message_metrics(
    table: MessageTable, policy: Policy, as_of: date
) -> list[MessageMetricResult]:
    ev = MessageEvaluation(table, policy)
    return [ev.evaluate(m, as_of) for m in policy.message_metrics]


# --------------------------------------------------------------------------
# Where the late replies cluster
# --------------------------------------------------------------------------


def breakdown(
    ev: MessageEvaluation, late: Any, horizon: float
) -> tuple[list[MessageCluster], list[str]]:
    """Top days, agents and channels of the late messages, and sentences for the letter."""
    total = len(late)
    if not total:
        return [], []
    np, t = ev.np, ev.table
    late_list = late.tolist()
    days = Counter(ev.days[late].tolist())
    out = [MessageCluster("day", date.fromordinal(d).isoformat(), c, c / total)
           for d, c in sorted(days.items(), key=lambda kv: (-kv[1], kv[0]))[:3]]
    sentences = []
    first, last = min(days), max(days)
    if total >= 2 and last - first <= 6:
        if first == last:
            sentences.append(_("all {n} late replies fell on {day}").format(
                n=total, day=day_text(date.fromordinal(first))))
        else:
            sentences.append(_("all {n} late replies fell between {span}").format(
                n=total, span=span_text(date.fromordinal(first), date.fromordinal(last))))
    for dimension, values, label in (("agent", t.agent, _("agent")),
                                     ("channel", t.channel, _("channel"))):
        counts = Counter(map(values.__getitem__, late_list))
        counts.pop("", None)
        top = [MessageCluster(dimension, v, c, c / total) for v, c in counts.most_common(3)]
        out.extend(top)
        clear = top and (len(top) == 1 or top[0].count > top[1].count)
        if clear and total >= 2 and top[0].share >= 0.5 and ev.varies(dimension):
            sentences.append(_("{share} of late replies ({k} of {n}): {label} {value}").format(
                share=f"{top[0].share:.0%}", k=top[0].count, n=total, label=label,
                value=top[0].value))
    replied = t.replied[late]
    waits = (np.where(np.isnan(replied), horizon, replied) - t.received[late]) / 3600
    low, high = float(waits.min()), float(waits.max())
    if high < 2:
        sentences.append(_("the late messages waited {low:.0f} to {high:.0f} minutes").format(
            low=low * 60, high=high * 60))
    else:
        sentences.append(_("the late messages waited {low:.0f} to {high:.0f} hours").format(
            low=low, high=high))
    silent = _silent_days(ev, late, horizon)
    if silent:
        sentences.append(_("no reply was sent between {span}").format(
            span=span_text(silent[0], silent[1])) if silent[0] != silent[1]
            else _("no reply was sent on {day}").format(day=day_text(silent[0])))
    return out, sentences


def _silent_days(
    ev: MessageEvaluation, late: Any, horizon: float
) -> tuple[date, date] | None:
    """The longest run of days on which late messages waited and no human reply was sent."""
    np, t = ev.np, ev.table
    reply_days = ev.reply_days
    first = ev.days[late]
    replied = t.replied[late]
    end_day = int(ev.local_days(np.array([horizon - 1.0]))[0])
    has_reply = ~np.isnan(replied)
    last = np.full(len(late), end_day, dtype=np.int64)
    if has_reply.any():
        last[has_reply] = ev.local_days(replied[has_reply]) - 1
    low = int(first.min())
    size = int(max(last.max(), first.max())) - low + 2
    change = np.zeros(size, dtype=np.int64)
    valid = last >= first
    np.add.at(change, first[valid] - low, 1)
    np.add.at(change, last[valid] - low + 1, -1)
    waiting = np.flatnonzero(np.cumsum(change) > 0) + low
    silent = [d for d in waiting.tolist() if d not in reply_days]
    best: tuple[int, int] | None = None
    run_start = 0
    for k, d in enumerate(silent):
        if k == 0 or d != silent[k - 1] + 1:
            run_start = d
        if best is None or d - run_start > best[1] - best[0]:
            best = (run_start, d)
    return (date.fromordinal(best[0]), date.fromordinal(best[1])) if best else None
