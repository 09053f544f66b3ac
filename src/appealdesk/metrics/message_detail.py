"""The messages or returns behind one message/return metric, for a drill-down.

``detail_rows`` gives one row per late message (or dissatisfied return) with the
fields that made it count, in the policy's time zone; ``detail_clusters`` where
they gather: received day, hour of day, agent and channel for messages
(the metric's own breakdown plus hours), day, reason and SKU for returns.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from appealdesk.metrics.case_messages import AnyResult, CaseMessages
from appealdesk.metrics.conversations import MessageCluster, MessageMetricResult


@dataclass
class DetailRow:
    id: str
    order_id: str
    start: datetime  # received / requested, local
    end: datetime | None  # first human reply / seller response, local; None: none yet
    waited_hours: float  # until the reply, or until the end of the evaluation day
    fields: dict[str, str]  # agent, channel / reason, sku, outcome, components


def _local(seconds: float, zone: ZoneInfo) -> datetime:
    return datetime.fromtimestamp(seconds, zone)


def detail_rows(data: CaseMessages, result: AnyResult, zone: ZoneInfo,
                as_of: date) -> list[DetailRow]:
    """The rows counting against ``result`` (late messages / dissatisfied returns)."""
    horizon = datetime.combine(as_of + timedelta(days=1), time(0), tzinfo=zone).timestamp()
    out = []
    if isinstance(result, MessageMetricResult):
        table = data.messages
        if table is None:
            return []
        wanted = set(result.messages)
        for i, mid in enumerate(table.ids):
            if mid not in wanted:
                continue
            received, replied = float(table.received[i]), float(table.replied[i])
            answered = not math.isnan(replied) and replied <= horizon
            end = replied if answered else horizon
            out.append(DetailRow(
                mid, table.order_id[i], _local(received, zone),
                _local(replied, zone) if answered else None, (end - received) / 3600,
                {"agent": table.agent[i], "channel": table.channel[i]}))
        return out
    returns = data.returns
    if returns is None:
        return []
    wanted = set(result.returns)
    for row in returns.rows:
        if row.id not in wanted:
            continue
        answered = row.responded is not None and row.responded <= horizon
        end = row.responded if answered and row.responded is not None else horizon
        out.append(DetailRow(
            row.id, row.order_id, _local(row.requested, zone),
            _local(end, zone) if answered else None, (end - row.requested) / 3600,
            {"reason": row.reason, "sku": row.sku, "outcome": row.outcome,
             "negative_feedback": "yes" if row.negative_feedback else "",
             "invalid_rejection": "yes" if row.invalid_rejection else ""}))
    return out


def detail_clusters(result: AnyResult, rows: list[DetailRow]) -> list[MessageCluster]:
    """The metric's own clusters, with the hour of day the late messages arrived added."""
    clusters = list(result.clusters)
    total = len(rows)
    if total and isinstance(result, MessageMetricResult):
        hours = Counter(f"{r.start.hour:02d}:00" for r in rows)
        clusters.extend(MessageCluster("hour", h, c, c / total) for h, c in hours.most_common(3))
    return clusters
