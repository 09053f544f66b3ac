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
stated limit, else ``ok`` / ``breach``. Clusters: days, reasons and SKUs. For a
breach of a rolling window, ``clears`` is the day the rate passes again if no new
return is dissatisfied (``metrics.message_recovery``).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, ClassVar

from appealdesk.i18n import _
from appealdesk.metrics.message_recovery import clears_on
from appealdesk.metrics.message_results import (
    NO_DATA,
    MessageCluster,
    MetricBase,
    RateResult,
    horizon_of,
    judge,
    span_text,
    window_days,
)
from appealdesk.policy.types import Policy, ReturnMetricDef
from appealdesk.reports.returns import ReturnRow, ReturnTable

_NEEDS = {"negative_feedback": ("negative_feedback",),
          "late_response": ("responded_at",),
          "invalid_rejection": ("invalid_rejection",)}


@dataclass
class ReturnMetricResult(RateResult):
    ROWS: ClassVar[str] = "returns"

    # numerator: dissatisfied; denominator: counted requests
    returns: list[str] = field(default_factory=list)  # ids of the dissatisfied ones
    components: dict[str, int] = field(default_factory=dict)

    @property
    def ids(self) -> list[str]:
        return self.returns

    def extra(self) -> dict[str, Any]:
        return {"components": dict(self.components), "pending": self.pending}


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
    horizon = horizon_of(as_of, zone)
    within = metric.respond_within.as_timedelta().total_seconds() \
        if metric.respond_within else 0.0
    components: Counter[str] = Counter()
    bad: list[tuple[ReturnRow, date]] = []
    counted, pending = 0, 0
    counted_days: list[int] = []
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
        counted_days.append(day.toordinal())
        if hits:
            bad.append((row, day))
            components.update(hits)
    status = judge(len(bad), counted, metric.min_returns, metric.limit, metric.comparator)
    result = ReturnMetricResult(
        numerator=len(bad), denominator=counted, value=len(bad) / counted if counted else None,
        status=status, returns=[row.id for row, _day in bad], components=dict(components),
        pending=pending, **base)
    result.clusters, result.sentences = _breakdown(bad)
    result.clears = clears_on(status, metric.window, metric.limit, metric.comparator, start,
                              counted_days, [d.toordinal() for _row, d in bad], as_of)
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
