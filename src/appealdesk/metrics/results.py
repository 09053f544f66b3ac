"""Metric results, statuses and windows."""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from appealdesk.i18n import pick
from appealdesk.policy.types import MetricDef, Window
from appealdesk.reports.dates import EPOCH_ORDINAL

OK, BREACH, INSUFFICIENT = "ok", "breach", "insufficient_data"
NO_DATA = "no_data"  # the report(s) lack a field the metric needs
NO_LIMIT = "no_limit"  # no published number: the rate is shown, never judged
RECOVERY_HORIZON = 400
QUOTE_TOLERANCE = 0.001  # 0.1 percentage point: notices round to one decimal


# --------------------------------------------------------------------------
# Results
# --------------------------------------------------------------------------


@dataclass
class MetricResult:
    id: str
    name: str
    numerator: int
    denominator: int
    value: float | None
    limit: float | None  # None: judged against something else (status no_limit)
    comparator: str
    status: str  # ok | breach | insufficient_data | no_data | no_limit
    enforced: bool
    window_start: date
    window_end: date
    orders: list[str] = field(default_factory=list)  # the numerator's order ids
    name_zh: str = ""
    against: list[str] = field(default_factory=list)  # order ids counting against it
    # Fields the report(s) lack, in groups of which one would do; with status
    # no_data, or with a breach found from part of the inputs (a lower bound).
    lacks: list[tuple[str, ...]] = field(default_factory=list)

    @property
    def needs(self) -> str:
        """"needs: a ship-date column" (empty when nothing is lacking)."""
        from appealdesk.metrics.needs import needs_text

        return needs_text(self.lacks)

    @property
    def label(self) -> str:
        return pick(self.name, self.name_zh)

    @property
    def higher_is_better(self) -> bool:
        return self.comparator in (">", ">=")

    def to_dict(self) -> dict[str, Any]:
        """Exactly the documented JSON keys."""
        return {
            "id": self.id,
            "name": self.name,
            "numerator": self.numerator,
            "denominator": self.denominator,
            "value": self.value,
            "limit": self.limit,
            "comparator": self.comparator,
            "status": self.status,
            "enforced": self.enforced,
            "window_start": self.window_start.isoformat(),
            "window_end": self.window_end.isoformat(),
            "orders": list(self.orders),
            "needs": [list(group) for group in self.lacks],
        }


def within(value: float, comparator: str, limit: float) -> bool:
    if comparator == "<":
        return value < limit
    if comparator == "<=":
        return value <= limit
    if comparator == ">":
        return value > limit
    return value >= limit


def status_of(num: int, den: int, metric: MetricDef) -> tuple[float | None, str]:
    if den == 0:
        return None, INSUFFICIENT
    value = num / den
    if den < metric.min_orders:
        return value, INSUFFICIENT
    if metric.limit is None:  # never an all-clear without a number to pass
        return value, NO_LIMIT
    return value, OK if within(value, metric.comparator, metric.limit) else BREACH


def window_for(window: Window, as_of: date) -> tuple[date, date]:
    """The first and last basis day (inclusive) of a window as of ``as_of``."""
    end = as_of - timedelta(days=window.lag)
    if window.kind == "calendar_month":
        last = calendar.monthrange(end.year, end.month)[1]
        if end.day != last:  # the month is not complete yet: take the one before
            end = end.replace(day=1) - timedelta(days=1)
        return end.replace(day=1), end
    return end - timedelta(days=window.days - 1), end


def _day(d: date) -> int:
    """Days since 1970-01-01, the engine's day number."""
    return d.toordinal() - EPOCH_ORDINAL


def _date(day: int) -> date:
    return date.fromordinal(int(day) + EPOCH_ORDINAL)

