"""What the buyer-message and return metrics share: statuses, windows, the result.

``metrics.conversations`` (reply-time rates) and ``metrics.returns`` (return
dissatisfaction rates) count different rows but judge them alike: the window as
of a day, the status from the counts and the limit, clusters of the rows that
count against the metric, sentences for the letter, and the day a breach clears
(``clears``: as the order metrics' ``analysis.Recovery``). Windows and the
comparison are the order metrics' own (``results.window_for``, ``results.within``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any, ClassVar, TypedDict
from zoneinfo import ZoneInfo

from appealdesk.i18n import _, current_language, pick
from appealdesk.metrics.analysis import Recovery
from appealdesk.metrics.results import window_for as window_days
from appealdesk.metrics.results import within as passes

__all__ = ["BREACH", "INSUFFICIENT", "NO_DATA", "NO_LIMIT", "OK", "MessageCluster", "MetricBase",
           "RateResult", "day_text", "horizon_of", "judge", "passes", "span_text",
           "window_days"]

OK, BREACH, INSUFFICIENT, NO_DATA, NO_LIMIT = (
    "ok", "breach", "insufficient_data", "no_data", "no_limit")


class MetricBase(TypedDict):
    """The fields every reply-time or return metric result takes from its definition."""

    id: str
    name: str
    name_zh: str
    limit: float | None
    comparator: str
    enforced: bool
    window_start: date
    window_end: date


@dataclass
class MessageCluster:
    dimension: str  # day | agent | channel | hour | reason | sku
    value: str
    count: int
    share: float


@dataclass
class RateResult:
    """A message or return metric as of a day; ``ids`` are the rows counting against it."""

    ROWS: ClassVar[str] = ""  # the JSON key of those rows: "messages" | "returns"

    id: str
    name: str
    numerator: int
    denominator: int
    value: float | None
    limit: float | None
    comparator: str
    status: str
    enforced: bool
    window_start: date
    window_end: date
    name_zh: str = ""
    missing: list[str] = field(default_factory=list)
    pending: int = 0
    clusters: list[MessageCluster] = field(default_factory=list)
    sentences: list[str] = field(default_factory=list)
    # A breach of a rolling window: when it clears if nothing new goes wrong (else None).
    clears: Recovery | None = None

    @property
    def label(self) -> str:
        return pick(self.name, self.name_zh)

    @property
    def ids(self) -> list[str]:
        raise NotImplementedError

    def clears_text(self) -> str:
        """When a breach clears if nothing new goes wrong (as for an order metric); ""
        when the metric is not in breach or its window is not projected."""
        clears = self.clears
        if clears is None:
            return ""
        if clears.day is None:
            return _("Does not clear within the window's length even if nothing new goes "
                     "wrong.")
        words = (_("Clears on {day} if every new message is answered in time: {good} "
                   "messages at {rate:.1f} a day.") if self.ROWS == "messages"
                 else _("Clears on {day} if no new return is dissatisfied: {good} returns at "
                        "{rate:.1f} a day."))
        return words.format(day=clears.day.isoformat(), good=clears.good_orders,
                            rate=clears.daily_rate)

    def extra(self) -> dict[str, Any]:
        """The family's own counts, between ``missing`` and ``clusters`` in the JSON."""
        return {}

    def to_dict(self) -> dict[str, Any]:
        """The order metrics' JSON keys (the rows under ``ROWS`` for ``orders``), the
        breakdown and ``clears``."""
        return {
            "id": self.id, "name": self.name, "numerator": self.numerator,
            "denominator": self.denominator, "value": self.value, "limit": self.limit,
            "comparator": self.comparator, "status": self.status, "enforced": self.enforced,
            "window_start": self.window_start.isoformat(),
            "window_end": self.window_end.isoformat(),
            self.ROWS: list(self.ids), "missing": list(self.missing),
            **self.extra(),
            "clusters": [{"dimension": c.dimension, "value": c.value, "count": c.count,
                          "share": c.share} for c in self.clusters],
            "sentences": list(self.sentences),
            "clears": None if self.clears is None else {
                "day": self.clears.day.isoformat() if self.clears.day else None,
                "good": self.clears.good_orders, "daily_rate": self.clears.daily_rate},
        }


def horizon_of(as_of: date, zone: ZoneInfo) -> float:
    """POSIX seconds of the end of the evaluation day (what is later is not known yet)."""
    return datetime.combine(as_of + timedelta(days=1), time(0), tzinfo=zone).timestamp()


def judge(numerator: int, counted: int, minimum: int, limit: float | None,
           comparator: str) -> str:
    """The status of the rate numerator / counted."""
    if not counted or counted < minimum:
        return INSUFFICIENT
    if limit is None:
        return NO_LIMIT
    return OK if passes(numerator / counted, comparator, limit) else BREACH


def day_text(d: date) -> str:
    return f"{d.month}月{d.day}日" if current_language() == "zh" else f"{d.day} {d:%B}"


def span_text(a: date, b: date) -> str:
    if current_language() == "zh":
        return f"{day_text(a)}至{day_text(b)}"
    if (a.year, a.month) == (b.year, b.month):
        return f"{a.day} and {b.day} {b:%B}"
    return f"{day_text(a)} and {day_text(b)}"
