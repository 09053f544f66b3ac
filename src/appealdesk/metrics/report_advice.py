"""Which report to import for the metrics a notice names, in the marketplace's words.

A notification type lists the metrics it is about (``[[notification_types]]``
``metrics``). Each metric needs some order fields (``needs.FACT_NEEDS`` for its
numerator and denominator, and its date basis). A policy's published reports
(``[[report_formats]]``) say which fields each one holds, so the reports to ask
for are the fewest that hold them: the one that holds the most of what is still
needed first, then the next. A policy without published reports names the export
its ``[report_columns]`` reads (``[order_export]``). What no named report holds
is said, never left out.

A type that names no metric AppealDesk can recompute from reports (a policy
notice, an authenticity complaint) gets ``recomputable == False``: the front ends
say so instead of asking for a report.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from appealdesk.i18n import _, pick, sentences
from appealdesk.metrics.needs import FACT_NEEDS, FIELD_NOUNS, STATUS_FIELDS, ValueRules
from appealdesk.policy.types import MetricDef


@dataclass(frozen=True)
class ReportAdvice:
    metrics: tuple[str, ...]  # the named metrics AppealDesk recomputes, by display name
    reports: tuple[str, ...]  # what the marketplace calls the reports to import
    missing: tuple[str, ...]  # fields (as nouns) none of those reports holds
    recomputable: bool  # False: the notice names no metric recomputed from order reports

    @property
    def message(self) -> str:
        """One sentence for the operator (the front ends add their key or command)."""
        if not self.recomputable:
            return _("This notice names no metric AppealDesk can recompute from reports.")
        about = _("This notice is about {metrics}.").format(metrics=", ".join(self.metrics))
        if self.reports:
            reports = _("To recompute the figures, import the marketplace's {reports}."
                        ).format(reports=" + ".join(f"\u201c{r}\u201d" for r in self.reports))
        else:
            reports = _("To recompute the figures, import an order report.")
        missing = _("No report the policy knows holds {fields}: add them as columns of a "
                    "generic CSV.").format(fields=", ".join(self.missing)) if self.missing else ""
        return sentences(about, reports, missing)


def _groups(metric: MetricDef, rules: ValueRules) -> list[tuple[str, ...]]:
    """The groups of fields ``metric`` needs (one field of each group)."""
    out: list[tuple[str, ...]] = []
    for fact in (metric.numerator, metric.denominator):
        for group in FACT_NEEDS.get(fact, ()):
            usable = tuple(f for f in group
                           if f not in STATUS_FIELDS or rules.status_gives(fact))
            if usable and usable not in out:
                out.append(usable)
    basis = (metric.basis,)
    if metric.basis and basis not in out and not any(metric.basis in g for g in out):
        out.append(basis)
    return out


def _named_reports(policy: Any) -> list[tuple[str, frozenset[str]]]:
    """(name, fields it holds) of each report the policy can name."""
    from appealdesk.reports.formats import policy_formats

    out = []
    for fmt in policy_formats(policy):
        if fmt.id == policy.id or not fmt.suggest:  # [report_columns]: see [order_export]
            continue
        out.append((fmt.name, frozenset(fmt.columns)))
    export = (getattr(policy, "raw", {}) or {}).get("order_export")
    if isinstance(export, dict) and export.get("name") and policy.report_columns:
        name = pick(str(export["name"]), str(export.get("name_zh", "")))
        out.append((name, frozenset(policy.report_columns)))
    return out


def report_advice(policy: Any, type_id: str, quoted: Sequence[str] = ()) -> ReportAdvice | None:
    """What to import for a notice of ``type_id``; None when the type is not the policy's.
    ``quoted``: the metrics the notice quotes a figure or a target for. A type that
    watches several (a deactivation) is then about those the notice names."""
    if policy is None:
        return None
    kind = policy.notification_type(type_id)
    if kind is None:
        return None
    ids = [i for i in kind.metrics if i in quoted] or kind.metrics
    metrics = [m for m in (policy.metric(i) for i in ids) if m is not None]
    if not metrics:
        return ReportAdvice((), (), (), recomputable=False)
    rules = ValueRules.of(policy)
    needed: list[tuple[str, ...]] = []
    for metric in metrics:
        needed += [g for g in _groups(metric, rules) if g not in needed]
    reports = _named_reports(policy)
    chosen: list[str] = []
    while needed:
        best = max(reports, key=lambda r: sum(any(f in r[1] for f in g) for g in needed),
                   default=None)
        if best is None or not any(any(f in best[1] for f in g) for g in needed):
            break
        chosen.append(best[0])
        needed = [g for g in needed if not any(f in best[1] for f in g)]
        reports.remove(best)
    missing = tuple(dict.fromkeys(_(FIELD_NOUNS.get(g[0], g[0])) for g in needed))
    names = tuple(pick(m.name, m.name_zh) for m in metrics)
    return ReportAdvice(names, tuple(chosen), missing, recomputable=True)


def case_report_advice(policy: Any, notification: Any) -> ReportAdvice | None:
    """``report_advice`` for a case's notification and the figures it quotes."""
    quoted = [q.metric for q in (*notification.quoted_metrics, *notification.stated_thresholds)]
    return report_advice(policy, notification.type, quoted)


__all__ = ["ReportAdvice", "case_report_advice", "report_advice"]
