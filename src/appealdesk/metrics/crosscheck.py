"""The recomputed metrics against the notification: cited orders and quoted figures;
an order's deciding fields and the drill-down's rows; the day a case is computed for."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from appealdesk.i18n import _
from appealdesk.metrics.report_fit import cited_absent
from appealdesk.metrics.results import QUOTE_TOLERANCE, MetricResult
from appealdesk.policy.types import MetricDef, Policy
from appealdesk.reports.table import OrderTable


@dataclass
class Discrepancy:
    kind: str  # missing_order | figure_differs | not_counted
    message: str
    metric: str = ""
    orders: list[str] = field(default_factory=list)
    quoted: float | None = None
    computed: float | None = None


def cross_check(
    notification: Any, table: OrderTable, results: Sequence[MetricResult],
    tolerance: float = QUOTE_TOLERANCE, health: Any = None,
) -> list[Discrepancy]:
    """Cited orders missing from the report or counted by no metric; figures
    that differ from the computed ones by more than ``tolerance``: Amazon's own
    account health report's (``health``) where it states the metric, else the
    notice's quoted ones."""
    out: list[Discrepancy] = []
    cited = list(dict.fromkeys(getattr(notification, "cited_orders", []) or []))
    known = set(table.order_id)
    missing = [o for o in cited if o not in known] if known else []
    absent = cited_absent(cited, known)
    if absent:  # none of them: likely another store's file, no all-clear
        out.append(Discrepancy("no_cited_order", absent, orders=missing))
    elif missing:
        out.append(Discrepancy("missing_order", _(
            "{n} cited order(s) are not in the report: {orders}").format(
            n=len(missing), orders=", ".join(missing[:10]) + (" …" if len(missing) > 10 else "")),
            orders=missing))
    computed = [r for r in results if r.status != "no_data"]
    against = set().union(*(r.against for r in computed)) if computed else set()
    innocent = [o for o in cited if o in known and o not in against]
    if innocent and computed:
        out.append(Discrepancy("not_counted", _(
            "{n} cited order(s) count against none of the recomputed metrics: {orders}").format(
            n=len(innocent),
            orders=", ".join(innocent[:10]) + (" …" if len(innocent) > 10 else "")),
            orders=innocent))
    by_id = {r.id: r for r in results}
    stated: set[str] = set()
    for result in results:
        entry = health.for_metric(result.id) if health is not None else None
        if entry is None or entry.value is None:
            continue
        stated.add(result.id)
        if result.value is not None and abs(entry.value - result.value) > tolerance:
            out.append(Discrepancy("figure_differs", _(
                "the account health report says {name} is {stated:.2%} ({num}/{den}, {window}); "
                "the order report gives {computed:.2%} ({cnum}/{cden})").format(
                name=result.label, stated=entry.value, num=_count(entry.numerator),
                den=_count(entry.denominator), window=_window(entry), computed=result.value,
                cnum=result.numerator, cden=result.denominator),
                metric=result.id, quoted=entry.value, computed=result.value))
    for quoted in getattr(notification, "quoted_metrics", []) or []:
        found = by_id.get(quoted.metric)
        if found is None or found.value is None or found.id in stated:
            continue
        value = quoted.value / 100 if quoted.value > 1 else quoted.value
        if abs(value - found.value) > tolerance:
            out.append(Discrepancy("figure_differs", _(
                "the notice says {name} is {quoted:.2%}; the report gives {computed:.2%} "
                "({num}/{den})").format(name=found.label, quoted=value, computed=found.value,
                                        num=found.numerator, den=found.denominator),
                metric=found.id, quoted=value, computed=found.value))
    return out


def _count(n: int | None) -> str:
    return "?" if n is None else str(n)


def _window(entry: Any) -> str:
    if entry.window_start and entry.window_end:
        return f"{entry.window_start.isoformat()}…{entry.window_end.isoformat()}"
    return _("window not stated")


def order_fields(
    table: OrderTable, order_id: str, metric: MetricDef, index: dict[str, int] | None = None,
) -> dict[str, Any]:
    """The fields of one order that decide whether it counts for a metric (drill-down).

    Pass ``index`` (``table.index_of()``) when asking for many orders."""
    idx = index[order_id] if index is not None else table.order_id.index(order_id)
    wanted = _FIELDS_FOR.get(metric.numerator, ()) + _FIELDS_FOR.get(metric.denominator, ())
    names = list(dict.fromkeys((metric.basis, *wanted)))
    order = table[idx]
    return {name: getattr(order, name) for name in names}


# What names an order's product, shown first in the drill-down when the report has it.
IDENTITY_FIELDS = ("sku", "listing")


def drill_down(
    table: OrderTable, ids: Sequence[str], metric: MetricDef,
) -> tuple[list[str], list[tuple[str, dict[str, Any]]]]:
    """The drill-down of ``ids``: its columns after the order id (the SKU and the
    listing when some of these orders have one, then the fields that decide the
    metric) and, per order, its values (an empty SKU or listing is ``None``)."""
    if not ids:
        return [], []
    index = table.index_of()
    rows_at = [index[o] for o in ids]
    shown = [f for f in IDENTITY_FIELDS if any(table.text[f][i] for i in rows_at)]
    deciding = [c for c in order_fields(table, ids[0], metric, index)
                if c not in IDENTITY_FIELDS]
    columns = [*shown, *deciding]
    rows = []
    for order_id, i in zip(ids, rows_at, strict=True):
        values = order_fields(table, order_id, metric, index)
        values.update({f: table.text[f][i] or None for f in shown})
        rows.append((order_id, {c: values[c] for c in columns}))
    return columns, rows


_FIELDS_FOR: dict[str, tuple[str, ...]] = {
    "shipped": ("shipped_at",),
    "shipped_late": ("ship_by", "shipped_at", "carrier"),
    "shipped_on_time": ("ship_by", "shipped_at", "carrier"),
    "cancelled": ("cancelled_at", "cancelled_by"),
    "seller_cancelled": ("cancelled_at", "cancelled_by", "sku"),
    "buyer_cancelled": ("cancelled_at", "cancelled_by"),
    "platform_cancelled": ("cancelled_at", "cancelled_by"),
    "valid_tracking": ("carrier", "tracking_number", "tracking_valid"),
    "delivered": ("delivered_at",),
    "delivered_on_time": ("promised_delivery", "delivered_at", "carrier"),
    "delivered_late": ("promised_delivery", "delivered_at", "carrier"),
    "negative_feedback": ("negative_feedback", "sku"),
    "claim": ("claim", "sku"),
    "chargeback": ("chargeback", "sku"),
    "defect": ("negative_feedback", "claim", "chargeback", "sku"),
    "returned": ("returned_at", "return_reason", "sku"),
    "shipped_within": ("order_date", "shipped_at", "carrier"),
}


def as_of_for(received: datetime | None, policy: Policy, fallback: date) -> date:
    """The day a case's metrics are computed for: the notice's date in the policy zone."""
    if received is None:
        return fallback
    if received.tzinfo is None:
        return received.date()
    return received.astimezone(ZoneInfo(policy.calendar.timezone)).date()

