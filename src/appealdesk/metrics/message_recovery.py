"""The day a breached message or return metric clears, if nothing new goes wrong.

As for the order metrics (``metrics.analysis.recovery_of``): the days after D
are assumed to bring the window's average daily number of counted rows (buyer
messages, return requests), all good — answered in time, not dissatisfied; rows
dated after D are left out (they are not final). The rows counting against the
metric drop out as the window moves on; the clear day is the first day after D
whose window passes the limit, and ``good_orders`` of the ``Recovery`` is how many
assumed good rows that window holds. Only rolling windows without a lag are
projected (a calendar month is judged once, when it is over; with a lag, days
already in the file would enter the window); searched up to the window's length
plus one day, by which time every row of today's window has left it.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from appealdesk.metrics.analysis import Recovery
from appealdesk.metrics.message_results import BREACH, passes
from appealdesk.policy.types import Window


def clears_on(status: str, window: Window, limit: float | None, comparator: str,
              start: date, counted_days: Any, numerator_days: Any,
              as_of: date) -> Recovery | None:
    """When the metric passes again; None when it is not in breach or its window is
    not projected. ``counted_days``/``numerator_days``: the local day ordinals of the
    counted rows and of those in the numerator (numpy arrays)."""
    if status != BREACH or limit is None or window.kind != "rolling" or window.lag:
        return None
    import numpy as np

    span = window.days
    first = start.toordinal()
    per_day = np.bincount(np.asarray(counted_days, dtype=np.int64) - first,
                          minlength=span)[:span]
    num_per_day = np.bincount(np.asarray(numerator_days, dtype=np.int64) - first,
                              minlength=span)[:span]
    rate = float(per_day.sum()) / span
    good_is_numerator = comparator in (">", ">=")
    for ahead in range(1, span + 2):
        assumed = rate * ahead
        den = float(per_day[ahead:].sum()) + assumed
        num = float(num_per_day[ahead:].sum()) + (assumed if good_is_numerator else 0.0)
        if den and passes(num / den, comparator, limit):
            return Recovery(as_of + timedelta(days=ahead), round(assumed), rate)
    return Recovery(None, 0, rate)
