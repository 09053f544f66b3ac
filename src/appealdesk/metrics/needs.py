"""What a metric needs from the report, and what values mean (a policy's ``[report_values]``).

A metric can only be stated when the report(s) hold the fields its facts are
computed from: late shipment needs a ship-date and a ship-by column; the
order defect rate needs negative-feedback, claim and chargeback columns. When
they are missing the metric is ``no_data`` and says what it needs — never
"ok 0.00%". ``FACT_NEEDS`` lists, per order fact, groups of fields: every
group must have at least one field present.

The order defect rate is the one metric whose inputs can be partly there:
with only some of its three columns the figure is a lower bound, so a breach
stands (the true rate is at least that) and anything else is ``no_data``.

``[report_values]`` (all optional, each list compared without case):

* ``cancelled_status``: ``order_status`` or ``item_status`` values that are a
  cancellation (an order with one cancelled item counts as cancelled);
* ``status_cancelled_by``: who such a cancellation is counted against when no
  column says who cancelled (seller, buyer, platform; empty: nobody);
* ``marketplace_fulfilled``: ``fulfillment_channel`` values of orders the
  marketplace fulfilled; they are left out of every metric;
* ``buyer_requested``: ``buyer_cancel_request`` values saying the buyer asked
  for the cancellation (Amazon's ``is-buyer-requested-cancellation`` = true): a
  status-only cancellation of such an order is the buyer's, not
  ``status_cancelled_by``'s.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from appealdesk.i18n import N_, _
from appealdesk.policy.types import MetricDef

FACT_NEEDS: dict[str, tuple[tuple[str, ...], ...]] = {
    "ordered": (),
    "shipped": (("shipped_at",),),
    "shipped_late": (("shipped_at",), ("ship_by",)),
    "shipped_on_time": (("shipped_at",), ("ship_by",)),
    "cancelled": (("cancelled_at", "cancelled_by", "order_status", "item_status"),),
    "seller_cancelled": (("cancelled_by", "order_status", "item_status"),),
    "buyer_cancelled": (("cancelled_by", "order_status", "item_status"),),
    "platform_cancelled": (("cancelled_by", "order_status", "item_status"),),
    "valid_tracking": (("shipped_at",), ("tracking_valid", "tracking_number")),
    "delivered": (("delivered_at",),),
    "delivered_on_time": (("delivered_at",), ("promised_delivery",)),
    "delivered_late": (("delivered_at",), ("promised_delivery",)),
    "negative_feedback": (("negative_feedback",),),
    "claim": (("claim",),),
    "chargeback": (("chargeback",),),
    "defect": (("negative_feedback",), ("claim",), ("chargeback",)),
    "returned": (("returned_at", "return_reason"),),
    "shipped_within": (("shipped_at",), ("order_date",)),
}
# The status columns ``cancelled_status`` reads: the order's and the line's (an order
# counts as cancelled when any of its items is; Amazon counts item cancellations).
STATUS_FIELDS = ("order_status", "item_status")
# Facts whose figure from some of their inputs is a lower bound.
PARTIAL_FACTS = {"defect"}
# Facts that time an event by a date field. When the report's column for it is the
# date the seller typed (``KnownFields.entered``: Amazon's shipping-confirmation
# ship-date) while the marketplace times the moment it recorded the event (the
# confirmation, never earlier), lateness from it is a lower bound and "within n
# days" an upper one: a breach stands, anything else is no_data, needing the
# recorded time ("<field>:recorded").
TIMED_FACTS = {"shipped_late": "shipped_at", "shipped_on_time": "shipped_at",
               "shipped_within": "shipped_at", "delivered_late": "delivered_at",
               "delivered_on_time": "delivered_at"}

# What a column is called when one is missing ("needs: a ship-date column").
FIELD_NOUNS = {
    "order_id": N_("order id"),
    "order_date": N_("order date"),
    "ship_by": N_("ship-by (latest ship date)"),
    "shipped_at": N_("ship-date"),
    "promised_delivery": N_("promised delivery date"),
    "delivered_at": N_("delivery date"),
    "cancelled_at": N_("cancellation date"),
    "cancelled_by": N_("cancelled-by"),
    "shipped_at:recorded": N_("ship-confirmation time"),
    "delivered_at:recorded": N_("recorded delivery time"),
    "order_status": N_("order status"),
    "item_status": N_("item status"),
    "tracking_number": N_("tracking number"),
    "tracking_valid": N_("valid-tracking"),
    "negative_feedback": N_("negative-feedback"),
    "claim": N_("claim"),
    "chargeback": N_("chargeback"),
    "returned_at": N_("return date"),
    "return_reason": N_("return reason"),
    "fulfillment_channel": N_("fulfilment channel"),
    "carrier": N_("carrier"),
    "sku": N_("SKU"),
    "listing": N_("listing"),
}


@dataclass(frozen=True)
class ValueRules:
    cancelled_status: frozenset[str] = frozenset()
    status_cancelled_by: str = ""
    marketplace_fulfilled: frozenset[str] = frozenset()
    buyer_requested: frozenset[str] = frozenset()

    @classmethod
    def of(cls, policy: Any) -> ValueRules:
        raw = (getattr(policy, "raw", {}) or {}).get("report_values", {}) or {}

        def words(key: str) -> frozenset[str]:
            value = raw.get(key, [])
            return frozenset(str(v).strip().lower() for v in value) if isinstance(
                value, list) else frozenset()

        by = str(raw.get("status_cancelled_by", "")).strip().lower()
        return cls(words("cancelled_status"), by if by in ("seller", "buyer", "platform") else "",
                   words("marketplace_fulfilled"), words("buyer_requested"))

    def status_gives(self, fact: str) -> bool:
        """Whether an order-status column can tell ``fact``."""
        if not self.cancelled_status:
            return False
        if fact == "cancelled":
            return True
        return fact.endswith("_cancelled") and fact.split("_")[0] == self.status_cancelled_by


def check_report_values(raw: dict[str, Any]) -> list[str]:
    """Problems in a policy's ``[report_values]`` (for ``policies check``)."""
    table = raw.get("report_values")
    if table is None:
        return []
    if not isinstance(table, dict):
        return ["report_values: must be a table"]
    problems = []
    for key in ("cancelled_status", "marketplace_fulfilled", "buyer_requested"):
        if key in table and not (isinstance(table[key], list)
                                 and all(isinstance(v, str) for v in table[key])):
            problems.append(f"report_values.{key}: must be a list of strings")
    by = table.get("status_cancelled_by", "")
    if by not in ("", "seller", "buyer", "platform"):
        problems.append("report_values.status_cancelled_by: seller, buyer, platform or empty")
    if not table.get("source"):
        problems.append("report_values.source: say where the meanings come from")
    return problems


def check_report_sections(raw: dict[str, Any]) -> list[str]:
    """Problems in a policy's report sections: ``[[report_formats]]``,
    ``[report_values]`` and ``[account_health]`` (the policy loader leaves them
    to the stages that read them)."""
    from appealdesk.reports.account_health import check_account_health
    from appealdesk.reports.formats import check_report_formats

    return check_report_formats(raw) + check_report_values(raw) + check_account_health(raw)


def lacking(fact: str, known: frozenset[str], rules: ValueRules) -> list[tuple[str, ...]]:
    """The groups of fields ``fact`` needs of which the report has none."""
    out = []
    for group in FACT_NEEDS.get(fact, ()):
        usable = [f for f in group if f not in STATUS_FIELDS or rules.status_gives(fact)]
        if not any(f in known for f in usable):
            out.append(tuple(usable))
    return out


def metric_lacks(metric: MetricDef, known: frozenset[str] | None,
                 rules: ValueRules) -> tuple[list[tuple[str, ...]], bool]:
    """(groups of fields missing, whether the numerator is only partly known).

    ``known`` None: every field is known (a table built in code)."""
    if known is None:
        return [], False
    missing: list[tuple[str, ...]] = []
    if metric.basis not in known:
        missing.append((metric.basis,))
    for fact in (metric.denominator, metric.numerator):
        for group in lacking(fact, known, rules):
            if group not in missing:
                missing.append(group)
    partial = False
    if metric.numerator in PARTIAL_FACTS and missing:
        parts = [f for g in FACT_NEEDS[metric.numerator] for f in g]
        have = any(f in known for f in parts)
        other = [g for g in missing if not set(g) <= set(parts)]
        if have and not other:
            partial = True
        elif not have:  # none of them: any one would give a lower bound
            missing = [g for g in missing if not set(g) <= set(parts)] + [tuple(parts)]
    timed = TIMED_FACTS.get(metric.numerator.split(":", 1)[0])
    if timed and not missing and timed in getattr(known, "entered", ()):
        missing, partial = [(timed + ":recorded",)], True
    return missing, partial


def describe(groups: Iterable[tuple[str, ...]]) -> str:
    """"a ship-date column and a ship-by (latest ship date) column"."""
    parts = []
    for group in groups:
        nouns = [_(FIELD_NOUNS.get(f, f)) for f in group]
        text = nouns[0] if len(nouns) == 1 else _("{some} or {last}").format(
            some=_(", ").join(nouns[:-1]), last=nouns[-1])
        english = FIELD_NOUNS.get(group[0], group[0])
        article = _("an {name} column") if english[:1] in "aeiou" else _("a {name} column")
        parts.append(article.format(name=text))
    return _(" and ").join(parts)


def needs_text(groups: list[tuple[str, ...]]) -> str:
    return _("needs: {what}").format(what=describe(groups)) if groups else ""


def fields_used(policy: Any) -> list[str]:
    """Every field the policy's metrics and value rules read, in a stable order."""
    rules = ValueRules.of(policy)
    out: list[str] = []
    for metric in policy.metrics:
        for name in (metric.basis,) + tuple(
                f for fact in (metric.denominator, metric.numerator)
                for g in FACT_NEEDS.get(fact, ()) for f in g
                if f not in STATUS_FIELDS or rules.status_gives(fact)):
            if name not in out:
                out.append(name)
    if rules.marketplace_fulfilled and "fulfillment_channel" not in out:
        out.append("fulfillment_channel")
    return out


def coverage(policy: Any, known: frozenset[str]) -> dict[str, Any]:
    """What a report gives a policy: fields it uses that were not found, and
    the metrics left without data (id -> "needs: ...")."""
    rules = ValueRules.of(policy)
    not_found = [f for f in fields_used(policy) if f not in known]
    no_data = {}
    for metric in policy.metrics:
        groups, partial = metric_lacks(metric, known, rules)
        if groups:
            no_data[metric.id] = (needs_text(groups), groups, partial)
    return {"not_found": not_found, "no_data": no_data}


__all__ = ["FACT_NEEDS", "FIELD_NOUNS", "STATUS_FIELDS", "ValueRules", "check_report_sections",
           "check_report_values", "coverage", "describe", "fields_used", "lacking",
           "metric_lacks", "needs_text"]
