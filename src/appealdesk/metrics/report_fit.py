"""Does a report belong to the case? Two warnings the import and the metrics
share (the CLI and the app call these, never their own wording):

* the file was read with another marketplace's column names (a Joom export in
  an Amazon case read as JD's, say): the format's policy is not the case's;
* none of the orders the notice cites is in the reports: likely another
  store's file, so the metrics it gives are no all-clear.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from typing import Any

from appealdesk.i18n import _, ngettext, pick
from appealdesk.reports.table import ImportResult


def foreign_formats(format_ids: str, policy: Any, policies: Iterable[Any]) -> list[str]:
    """One line per format of ``format_ids`` (``ImportResult.format``: ids joined
    by "+", each ``generic``, ``mapped:<name>``, ``<policy>`` or ``<policy>:<fmt>``)
    that belongs to another marketplace's policy than ``policy``."""
    if policy is None:
        return []
    by_id = {p.id: p for p in policies}
    out = []
    for fmt in dict.fromkeys(f for f in format_ids.split("+") if f):
        owner = by_id.get(fmt.split(":", 1)[0])
        if owner is not None and owner.id != policy.id:
            out.append(_("read with {other}'s column names; this case is {this}").format(
                other=pick(owner.name, owner.name_zh), this=pick(policy.name, policy.name_zh)))
    return out


def cited_absent(cited: Sequence[str], order_ids: Collection[str]) -> str:
    """A warning when the notice cites orders and none is among ``order_ids``
    (the reports have orders), else ""."""
    cited = list(dict.fromkeys(o for o in cited if o))
    if not cited or not order_ids or any(o in order_ids for o in cited):
        return ""
    return ngettext(
        "none of the {n} order the notice cites is in the reports: is this the right "
        "store's file?",
        "none of the {n} orders the notice cites is in the reports: is this the right "
        "store's file?", len(cited)).format(n=len(cited))


def fit_warnings(format_ids: str, order_ids: Collection[str], notification: Any,
                 policy: Any, policies: Iterable[Any]) -> list[str]:
    """Both checks for one import (or the case's merged reports)."""
    out = foreign_formats(format_ids, policy, policies)
    absent = cited_absent(getattr(notification, "cited_orders", []) or [], order_ids)
    return out + ([absent] if absent else [])


def import_warnings(ws: Any, case_id: str, result: Any) -> list[str]:
    """``fit_warnings`` for an order report just imported into a case (other
    results: none)."""
    if not isinstance(result, ImportResult):
        return []
    case = ws.store.load(case_id)
    return fit_warnings(result.format, set(result.orders.order_id), case.notification,
                        ws.policy_for(case), ws.policies)
