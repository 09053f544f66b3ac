"""Return metrics: a policy's ``[[return_metrics]]`` applied to a ReturnTable.

A return request is in the window when the local day (policy time zone) it was
**requested** is (windows as for the order metrics). It is **dissatisfied** when
any of the metric's components holds: ``negative_feedback`` (the buyer rated
the return negatively), ``late_response`` (the seller's response came more than
``respond_within`` after the request, or none came and that time is up at the
end of the evaluation day), ``invalid_rejection`` (the marketplace judged the
seller's rejection invalid). A request with no response whose time is not up
and no other component is **pending** (not counted yet).

value = dissatisfied / counted requests; status ``no_data`` when the export
lacks a field a component needs (``missing`` names it), ``insufficient_data``
when nothing (or fewer than ``min_returns``) is counted, ``no_limit`` without a
stated limit, else ``ok`` / ``breach``. Clusters: days, reasons and SKUs.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from appealdesk.i18n import _
from appealdesk.metrics.conversations import (
    BREACH,
    INSUFFICIENT,
    NO_DATA,
    NO_LIMIT,
    OK,
    MessageCluster,
    MetricBase,
    passes,
    span_text,
    window_days,
)
from appealdesk.policy.types import Policy, ReturnMetricDef
from appealdesk.reports.returns import ReturnRow, ReturnTable

_NEEDS = {"negative_feedback": ("negative_feedback",),
          "late_response": ("responded_at",),
          "invalid_rejection": ("invalid_rejection",)}


@dataclass
class ReturnMetricResult:
    id: str
    name: str
    numerator: int  # dissatisfied
    denominator: int  # counted requests
    value: float | None
    limit: float | None
    comparator: str
    status: str
    enforced: bool
    window_start: date
    window_end: date
    returns: list[str] = field(default_factory=list)  # ids of the dissatisfied ones
    name_zh: str = ""
    missing: list[str] = field(default_factory=list)
    components: dict[str, int] = field(default_factory=dict)
    pending: int = 0
    clusters: list[MessageCluster] = field(default_factory=list)
    sentences: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The order metrics' JSON keys (``returns`` for ``orders``) plus the breakdown."""
        return {
            "id": self.id, "name": self.name, "numerator": self.numerator,
            "denominator": self.denominator, "value": self.value, "limit": self.limit,
            "comparator": self.comparator, "status": self.status, "enforced": self.enforced,
            "window_start": self.window_start.isoformat(),
            "window_end": self.window_end.isoformat(),
            "returns": list(self.returns), "missing": list(self.missing),
            "components": dict(self.components), "pending": self.pending,
            "clusters": [{"dimension": c.dimension, "value": c.value, "count": c.count,
                          "share": c.share} for c in self.clusters],
            "sentences": list(self.sentences),
        }


def evaluate_return_metric(
    table: ReturnTable, policy: Policy, metric: ReturnMetricDef, as_of: date
) -> ReturnMetricResult:
    start, end = window_days(metric.window, as_of)
    base = MetricBase(id=metric.id, name=metric.name, name_zh=metric.name_zh, limit=metric.limit,
                      comparator=metric.comparator, enforced=metric.enforced,
                      window_start=start, window_end=end)
    needs = ["requested_at", *(f for c in metric.components for f in _NEEDS[c])]
    missing = [f for f in dict.fromkeys(needs) if f not in table.present]
    if missing:
        return ReturnMetricResult(numerator=0, denominator=0, value=None, status=NO_DATA,
                                  missing=missing, **base)
    zone = policy.calendar.zone
    horizon = datetime.combine(as_of + timedelta(days=1), time(0), tzinfo=zone).timestamp()
    within = metric.respond_within.as_timedelta().total_seconds() \
        if metric.respond_within else 0.0
    components: Counter[str] = Counter()
    bad: list[tuple[ReturnRow, date]] = []
    counted, pending = 0, 0
    for row in table.rows:
        day = datetime.fromtimestamp(row.requested, zone).date()
        if not start <= day <= end:
            continue
        hits = []
        if "negative_feedback" in metric.components and row.negative_feedback:
            hits.append("negative_feedback")
        if "invalid_rejection" in metric.components and row.invalid_rejection:
            hits.append("invalid_rejection")
        waiting = False
        if "late_response" in metric.components:
            responded = row.responded
            answered = responded is not None and responded <= horizon
            taken = (responded if responded is not None and answered else horizon) \
                - row.requested
            if taken > within:
                hits.append("late_response")
            waiting = not answered and taken <= within
        if not hits and waiting:
            pending += 1
            continue
        counted += 1
        if hits:
            bad.append((row, day))
            components.update(hits)
    value = len(bad) / counted if counted else None
    if not counted or counted < metric.min_returns:
        status = INSUFFICIENT
    elif metric.limit is None:
        status = NO_LIMIT
    else:
        status = OK if passes(len(bad) / counted, metric.comparator, metric.limit) else BREACH
    result = ReturnMetricResult(
        numerator=len(bad), denominator=counted, value=value, status=status,
        returns=[row.id for row, _day in bad], components=dict(components), pending=pending,
        **base)
    result.clusters, result.sentences = _breakdown(bad)
    return result


def _breakdown(bad: list[tuple[ReturnRow, date]]) -> tuple[list[MessageCluster], list[str]]:
    total = len(bad)
    if not total:
        return [], []
    out: list[MessageCluster] = []
    for dimension, values in (("day", [d.isoformat() for _row, d in bad]),
                              ("reason", [row.reason for row, _d in bad]),
                              ("sku", [row.sku for row, _d in bad])):
        counts = Counter(v for v in values if v)
        out.extend(MessageCluster(dimension, v, c, c / total) for v, c in counts.most_common(3))
    sentences = []
    days = sorted(d for _row, d in bad)
    if total >= 2 and (days[-1] - days[0]).days <= 6:
        sentences.append(_("all {n} dissatisfied returns were requested between {span}")
                         .format(n=total, span=span_text(days[0], days[-1])))
    return out, sentences


def compute_return_metrics(
    table: ReturnTable, policy: Policy, as_of: date
) -> list[ReturnMetricResult]:
    return [evaluate_return_metric(table, policy, m, as_of) for m in policy.return_metrics]
