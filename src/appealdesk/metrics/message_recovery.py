"""The day a breached reply-time metric clears, if every new message is answered in time.

As for the order metrics (``metrics.analysis``): the days after D are assumed
to bring the window's average daily number of counted messages, all answered
in time; messages received after D are left out (they are not final). The
late messages drop out as the window moves on; the clear day is the first day
after D whose window passes the limit. Only rolling windows without a lag are
projected (a calendar month is judged once, when it is over; with a lag, days
already in the file would enter the window).

The counted messages are rebuilt from the table with the engine's rules
(window, exclusions, pending = unanswered and time not up) and checked against
the engine's own counts: when they differ, no day is claimed.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from appealdesk.metrics.conversations import (
    BREACH,
    MessageEvaluation,
    MessageMetricResult,
    passes,
)
from appealdesk.policy.types import MessageMetricDef


def clears_on(ev: MessageEvaluation, metric: MessageMetricDef, result: MessageMetricResult,
              as_of: date) -> date | None:
    """The first day the metric passes again, or None (not breached, not a rolling
    window, no limit, or not within the window's length plus one day)."""
    if result.status != BREACH or metric.limit is None or metric.window.kind != "rolling" \
            or metric.window.lag:
        return None  # with a lag, days already in the file would enter the window
    np, t = ev.np, ev.table
    start, end = result.window_start, result.window_end
    days = ev.days
    keep = (days >= start.toordinal()) & (days <= end.toordinal())
    for name, hit in (("no_response_needed", ~t.needed), ("automatic", t.automatic),
                      ("spam", t.spam)):
        if name in metric.exclude:
            keep &= ~hit
    horizon = datetime.combine(as_of + timedelta(days=1), time(0), tzinfo=ev.zone).timestamp()
    unanswered = np.isnan(t.replied) | (t.replied > horizon)
    late = np.zeros(len(t), dtype=bool)
    late_ids = set(result.messages)
    late[[i for i, mid in enumerate(t.ids) if mid in late_ids]] = True
    counted = keep & ~(unanswered & ~late)
    if int(counted.sum()) != result.denominator or int((counted & late).sum()) != len(late_ids):
        return None  # the rebuild disagrees with the engine: claim nothing
    span = metric.window.days
    first = start.toordinal()
    per_day = np.bincount(days[counted] - first, minlength=span)[:span]
    good_per_day = np.bincount(days[counted & ~late] - first, minlength=span)[:span]
    rate = float(per_day.sum()) / span
    for ahead in range(1, span + 2):
        den = float(per_day[ahead:].sum()) + rate * ahead
        num = float(good_per_day[ahead:].sum()) + rate * ahead
        if den and passes(num / den, metric.comparator, metric.limit):
            return as_of + timedelta(days=ahead)
    return None
