"""The facts a letter is written from, gathered from the case and its neighbours.

``LetterFacts`` is plain data so drafting and checks can be tested without the
metrics, evidence or deadline modules. ``facts_for_case`` fills it from those
modules when they are present (they are optional at import time: each adapter
falls back to what the case itself records).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from appealdesk.cases.model import Case
from appealdesk.deadlines.windows import rejected_submissions, response_deadline
from appealdesk.policy.types import Policy


@dataclass
class MetricFact:
    """One metric as the letter states it."""

    id: str
    name: str
    value: float | None  # a rate between 0 and 1
    limit: float | None = None
    comparator: str = ""
    window: str = ""  # e.g. "30 days ending 2026-11-10"
    numerator: int | None = None  # orders behind the figure
    denominator: int | None = None
    breached: bool | None = None
    clusters: list[str] = field(default_factory=list)  # "carrier YunExpress: 9 of 12 late orders"
    # Placeholders the orders behind it can fill: {carrier} and {sku} when one
    # holds at least half of them, {start}/{end}: their first and last day.
    placeholders: dict[str, str] = field(default_factory=dict)
    # The figure the notice itself states (a rate 0..1), when it quotes this metric; the
    # letter shows both when it differs from the recomputed ``value``.
    quoted: float | None = None
    # What the counts count: "orders", or "messages" / "returns" for the buyer-message
    # and return metrics (their numerator counts the good or the bad ones, as defined).
    unit: str = "orders"
    # A breach of a rolling window: the day it is back within the limit if nothing new
    # goes wrong (the metrics pane's "Clears on ..."); None when not known.
    clears: date | None = None

    @property
    def against(self) -> int | None:
        """The orders counting against the metric: the numerator of a rate that must stay
        low (late shipments), the rest of the denominator for one that must stay high
        (shipped in time: 40 of 47 leaves 7 late)."""
        if self.numerator is None:
            return None
        if self.comparator.startswith(">") and self.denominator is not None:
            return self.denominator - self.numerator
        return self.numerator


@dataclass
class LetterFacts:
    case_id: str = ""
    store: str = ""
    marketplace: str = ""  # display name of the marketplace
    site: str = ""
    notification_id: str = ""
    notification_type: str = ""  # display name
    notification_type_id: str = ""
    received: datetime | None = None
    date: datetime | None = None  # the day the letter is written
    orders: list[str] = field(default_factory=list)  # cited order ids
    metrics: list[MetricFact] = field(default_factory=list)
    clusters: list[str] = field(default_factory=list)
    evidence: list[tuple[str, str]] = field(default_factory=list)  # (file name, what it proves)
    deadline: datetime | None = None
    rejection: str = ""  # reason of the last rejection, when any
    extra: dict[str, str] = field(default_factory=dict)  # more placeholders (carrier, sku, ...)
    language: str = "en"  # the letter's (the policy's), for the notes the draft adds

    @property
    def computed_count(self) -> int | None:
        """Orders counting against the (breached) metric, recomputed from the reports."""
        ranked = sorted((m for m in self.metrics if m.unit == "orders"),
                        key=lambda m: not m.breached)
        return next((m.against for m in ranked if m.against is not None), None)

    @property
    def cited_count(self) -> int:
        return len(self.orders)

    @property
    def orders_count(self) -> int:
        """The one count every sentence uses: recomputed when the reports allow, else cited."""
        computed = self.computed_count
        return computed if computed is not None else len(self.orders)


# --------------------------------------------------------------------------
# Adapters to the neighbouring modules. Each tolerates the module's absence.
# --------------------------------------------------------------------------


def _metric_facts_from_module(case: Case, policy: Policy,
                              workspace: Any) -> list[MetricFact] | None:
    """Metrics computed from the case's imported reports (reports.py + metrics.py).

    None when there are no reports or those modules cannot compute them; the
    notification's quoted figures serve then.
    """
    if workspace is None or not case.reports:
        return None
    from appealdesk.i18n import in_language
    from appealdesk.metrics.case_metrics import evaluate_case

    try:
        # The breakdown's sentences go into the letter: the letter's language, not the
        # operator's (Chinese in an English appeal gets it rejected).
        with in_language(policy.letter.language or "en"):
            result = evaluate_case(workspace, case)
    except Exception:  # an unreadable report must not stop drafting; quoted figures remain
        return None
    ntype = policy.notification_type(case.notification.type)
    wanted = set(ntype.metrics) if ntype and ntype.metrics else None
    out = []
    quoted = {m.id: m for m in _metric_facts_from_case(case, policy)}
    for analysis in result.analyses:
        r = analysis.metric
        mdef = policy.metric(r.id)
        if mdef is None or (wanted is not None and r.id not in wanted):
            continue
        if r.status == "no_data" or r.value is None:  # no figure from data that is not there
            if r.id in quoted:  # the notice's own figure may still be stated
                out.append(quoted[r.id])
            continue
        out.append(MetricFact(
            id=mdef.id, name=_in_language(mdef.name, mdef.name_zh, policy), value=r.value,
            limit=mdef.limit, comparator=mdef.comparator,
            window=f"{r.window_start:%Y-%m-%d} – {r.window_end:%Y-%m-%d}",
            numerator=r.numerator, denominator=r.denominator,
            breached=_breached(r.status, mdef.limit),
            clusters=list(analysis.sentences),
            placeholders=_placeholders_from(analysis),
            clears=analysis.recovery.day if r.status == "breach" and analysis.recovery
            else None))
    out.extend(_message_facts(result.messages.results, policy, wanted))
    return out


def _breached(status: str, limit: float | None) -> bool | None:
    """Whether the letter may call the metric breached (True) or within its limit (False);
    None when the figure cannot tell: no limit is stated, or too few orders or messages
    were counted for the marketplace to judge (``insufficient_data``)."""
    if limit is None or status == "insufficient_data":
        return None
    return status == "breach"


def _message_facts(results: list[Any], policy: Policy, wanted: set[str] | None,
                   ) -> list[MetricFact]:
    """Buyer-message and return metrics the notice is about, from the case's exports.

    A metric the exports cannot tell (``no_data``) or with nothing counted gives
    no figure; the breakdown's sentences (which days went uncovered, how long the
    late messages waited) become clusters the draft lists.
    """
    from appealdesk.metrics.case_messages import kind_of

    out = []
    for r in results:
        if (wanted is not None and r.id not in wanted) or r.status == "no_data" \
                or r.value is None:
            continue
        out.append(MetricFact(
            id=r.id, name=_in_language(r.name, r.name_zh, policy), value=r.value,
            limit=r.limit, comparator=r.comparator if r.limit is not None else "",
            window=f"{r.window_start:%Y-%m-%d} – {r.window_end:%Y-%m-%d}",
            numerator=r.numerator, denominator=r.denominator,
            breached=_breached(r.status, r.limit),
            clusters=list(r.sentences), unit=kind_of(r),
            clears=r.clears.day if r.clears is not None else None))
    return out


def computed_metric_facts(case: Case, policy: Policy, workspace: Any) -> list[MetricFact]:
    """The case's figures recomputed from its imported reports ([] when there are none)."""
    return _metric_facts_from_module(case, policy, workspace) or []


# The columns of an order report that hold names the seller's own data gives: the
# letter may quote them as written (a check asks for their English beside them).
_NAME_FIELDS = ("sku", "carrier", "listing")


def case_names(case: Case, policy: Policy | None, workspace: Any = None) -> set[str]:
    """Identifiers the case's own data holds: its store, notice id, cited orders and
    listings, and the order ids, SKUs, carriers and listing ids of its order reports
    (only those not in plain ASCII, the ones a language check would stop at).

    An unreadable report gives nothing more; the case's own fields remain.
    """
    names = {case.store, case.notification.external_id or "",
             *case.notification.cited_orders, *case.notification.cited_listings}
    if workspace is not None and case.reports and policy is not None:
        from appealdesk.metrics.case_metrics import read_inputs, report_mappings, report_paths

        try:
            imported, _health = read_inputs(report_paths(workspace, case),
                                            report_mappings(workspace, policy), policy)
            orders = imported.orders
            names.update(orders.order_id)
            for name in _NAME_FIELDS:
                try:
                    names.update(orders.text[name])
                except KeyError:  # a report without the column
                    continue
        except Exception:  # an unreadable report only loses its names
            pass
    return {n.strip() for n in names if n and not n.isascii()}


def _placeholders_from(analysis: Any) -> dict[str, str]:
    """{carrier}, {sku}, {start}, {end} from the orders counting against a metric."""
    values = {}
    for cluster in analysis.clusters:
        if cluster.dimension in ("carrier", "sku") and cluster.dimension not in values \
                and cluster.share >= 0.5:
            values[cluster.dimension] = cluster.value
    bad_days = [day for day, against, _den in analysis.trend if against]
    if bad_days:
        values["start"], values["end"] = bad_days[0].isoformat(), bad_days[-1].isoformat()
    return values


def _quoted_rate(value: float) -> float:
    return value / 100 if value > 1 else value  # "6.8" and "0.068" both mean 6.8 %


def _metric_facts_from_case(case: Case, policy: Policy) -> list[MetricFact]:
    """The figures the notification itself quotes."""
    out = []
    for q in case.notification.quoted_metrics:
        mdef = policy.metric(q.metric)
        value = _quoted_rate(q.value)
        out.append(
            MetricFact(
                id=q.metric,
                name=_in_language(mdef.name, mdef.name_zh, policy) if mdef
                else q.metric.replace("_", " "),
                value=value,
                limit=mdef.limit if mdef else None,
                comparator=mdef.comparator if mdef else "",
                window=f"{mdef.window.days} days" if mdef and mdef.window.days else "",
                quoted=value,
            )
        )
    return out


def _in_language(en: str, zh: str, policy: Policy) -> str:
    """Names in the letter follow the letter's language, not the interface's."""
    return zh if policy.letter.language == "zh" and zh else en


def _response_due(case: Case, policy: Policy | None) -> datetime | None:
    """When the response is due: the deadlines stage's one answer."""
    deadline = response_deadline(case, policy)
    return deadline.due if deadline is not None else None




def facts_for_case(
    case: Case, policy: Policy, *, now: datetime, workspace: Any = None
) -> LetterFacts:
    """Everything a draft needs, from the case and (when present) metrics/evidence/deadlines."""
    ntype = policy.notification_type(case.notification.type)
    # One place for every figure: the recomputed metrics, each with the notice's own
    # figure beside it; metrics the notice quotes but the reports do not cover follow.
    quoted = _metric_facts_from_case(case, policy)
    metrics = _metric_facts_from_module(case, policy, workspace) or []
    by_id = {m.id: m for m in metrics}
    for q in quoted:
        if q.id in by_id:
            by_id[q.id].quoted = q.quoted
        else:
            metrics.append(q)
    clusters: list[str] = []
    for m in metrics:
        clusters.extend(c for c in m.clusters if c not in clusters)
    evidence = []
    for item in case.evidence:
        req = policy.requirement(item.requirement) if item.requirement else None
        what = (_in_language(req.name, req.name_zh, policy) if req
                else (item.original_name or item.kind))
        evidence.append((item.name, what))
    rejected = rejected_submissions(case)
    rejection = ""
    if rejected:
        last = rejected[-1]
        parts = (last.reason or "", f"({last.code})" if last.code else "")
        rejection = " ".join(x for x in parts if x)
    site = policy.site(case.site) if case.site else None
    return LetterFacts(
        case_id=case.id,
        store=case.store,
        marketplace=site.name if site else policy.name,
        site=case.site,
        notification_id=case.notification.external_id or "",
        notification_type=(_in_language(ntype.name, ntype.name_zh, policy) if ntype
                           else case.notification.type.replace("_", " ")),
        notification_type_id=case.notification.type,
        received=case.notification.received,
        date=now,
        orders=list(case.notification.cited_orders),
        metrics=metrics,
        clusters=clusters,
        evidence=evidence,
        deadline=_response_due(case, policy),
        rejection=rejection,
        # the breached metric's root-cause placeholders (else the first metric's)
        language=policy.letter.language or "en",
        extra=next((m.placeholders for m in sorted(metrics, key=lambda m: not m.breached)
                    if m.placeholders), {}),
    )


def days_between(a: datetime, b: datetime) -> float:
    return (b - a) / timedelta(days=1)
