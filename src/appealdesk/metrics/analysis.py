"""Where a metric's bad orders cluster, its trend per day, and when it recovers."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from appealdesk.i18n import _, current_language, pick
from appealdesk.metrics.evaluation import Evaluation
from appealdesk.metrics.results import (
    BREACH,
    NO_DATA,
    RECOVERY_HORIZON,
    MetricResult,
    _date,
    _day,
    status_of,
    window_for,
)
from appealdesk.policy.types import MetricDef

_NOUNS = {
    "shipped_late": ("late shipments", "迟发订单"),
    "seller_cancelled": ("seller cancellations", "卖家取消订单"),
    "buyer_cancelled": ("buyer cancellations", "买家取消订单"),
    "platform_cancelled": ("platform cancellations", "平台取消订单"),
    "cancelled": ("cancellations", "取消订单"),
    "defect": ("defects", "缺陷订单"),
    "negative_feedback": ("negative feedbacks", "差评订单"),
    "claim": ("claims", "索赔订单"),
    "chargeback": ("chargebacks", "拒付订单"),
    "returned": ("returns", "退货订单"),
    "delivered_late": ("late deliveries", "延迟送达订单"),
}
_NOT_NOUNS = {
    "valid_tracking": ("orders without valid tracking", "无有效追踪的订单"),
    "delivered_on_time": ("orders not delivered on time", "未准时送达的订单"),
    "shipped_on_time": ("orders not shipped on time", "未准时发货的订单"),
    "delivered": ("undelivered orders", "未送达订单"),
    "shipped": ("unshipped orders", "未发货订单"),
    "shipped_within": ("orders not shipped in time", "未及时发货的订单"),
}


def bad_noun(metric: MetricDef) -> str:
    """What the orders counting against a metric are called ("late shipments")."""
    table = _NOT_NOUNS if metric.comparator in (">", ">=") else _NOUNS
    en, zh = table.get(metric.numerator, (_("orders counting against it"), "不利订单"))
    return pick(en, zh)


def _short(d: date) -> str:
    from appealdesk.i18n_dates import day

    return day(d)


def _span(a: date, b: date) -> str:
    if current_language() == "zh":
        return f"{_short(a)}至{_short(b)}"
    if (a.year, a.month) == (b.year, b.month):
        return f"{a.day} and {b.day} {b:%b}"
    return f"{_short(a)} and {_short(b)}"


@dataclass
class Cluster:
    dimension: str  # sku | carrier | day
    value: str
    count: int
    share: float


@dataclass
class Recovery:
    day: date | None  # first day no longer in breach; None: not within the horizon
    good_orders: int  # assumed good orders that day's window holds
    daily_rate: float  # denominator orders per day now
    already_ok: bool = False


@dataclass
class Analysis:
    metric: MetricResult
    clusters: list[Cluster]
    sentences: list[str]
    trend: list[tuple[date, int, int]]  # (day, counting against, denominator)
    recovery: Recovery | None
    # A metric without a limit: what the marketplace compares it with (policy words).
    compared_with: str = ""


def _top(counter: Counter, dimension: str, total: int, k: int = 3) -> list[Cluster]:
    return [Cluster(dimension, str(v), c, c / total) for v, c in counter.most_common(k) if v != ""]


def clusters_of(ev: Evaluation, metric: MetricDef, bad: int) -> tuple[list[Cluster], list[str]]:
    """Top SKUs, carriers and days among the orders counting against a metric,
    and plain sentences about the strong ones (root-cause candidates)."""
    total = bad.bit_count()
    if not total:
        return [], []
    noun = bad_noun(metric)
    t = ev.table
    out: list[Cluster] = []
    sentences: list[str] = []
    for dimension, values, label in (("carrier", t.text["carrier"], _("carrier")),
                                     ("sku", t.text["sku"], _("SKU"))):
        top = _top(Counter(ev.select(values, bad)), dimension, total)
        out.extend(top)
        if top and total >= 2 and top[0].share >= 0.5:
            first = top[0]
            if first.count == total:
                sentences.append(_("all {n} {noun}: {label} {value}").format(
                    n=total, noun=noun, label=label, value=first.value))
            else:
                sentences.append(_("{share} of {noun} ({k} of {n}): {label} {value}").format(
                    share=f"{first.share:.0%}", noun=noun, k=first.count, n=total, label=label,
                    value=first.value))
    days = Counter(ev.select(ev.days(metric.basis), bad))
    out.extend(Cluster("day", _date(d).isoformat(), c, c / total) for d, c in days.most_common(3))
    if total >= 2:
        sentences.extend(_day_sentences(days, total, noun, metric.window.days or 30))
    return out, sentences


def _day_sentences(days: Counter, total: int, noun: str, window_days: int) -> list[str]:
    ordered = sorted(days)
    first, last = ordered[0], ordered[-1]
    if last - first + 1 <= max(3, window_days // 4):
        if first == last:
            return [_("all {n} {noun} on {day}").format(
                n=total, noun=noun, day=_short(_date(first)))]
        return [_("all {n} {noun} between {span}").format(
            n=total, noun=noun, span=_span(_date(first), _date(last)))]
    best, best_start = 0, first  # the densest 7 days
    for start in ordered:
        count = sum(c for d, c in days.items() if start <= d < start + 7)
        if count > best:
            best, best_start = count, start
    inside = [d for d in ordered if best_start <= d < best_start + 7]
    if best == total:
        return [_("all {n} {noun} between {span}").format(
            n=total, noun=noun, span=_span(_date(inside[0]), _date(inside[-1])))]
    if best / total >= 0.5:
        return [_("{share} of {noun} ({k} of {n}) between {span}").format(
            share=f"{best / total:.0%}", noun=noun, k=best, n=total,
            span=_span(_date(inside[0]), _date(inside[-1])))]
    return []


def trend_of(
    ev: Evaluation, metric: MetricDef, start: date, end: date
) -> list[tuple[date, int, int]]:
    """Per basis day of the window: orders counting against the metric, and the denominator."""
    den = ev.daily(metric.basis, metric.fact_key(metric.denominator))
    both = _daily_both(ev, metric)
    out = []
    for day in range(_day(start), _day(end) + 1):
        d = den.get(day, 0)
        n = both.get(day, 0)
        out.append((_date(day), d - n if metric.comparator in (">", ">=") else n, d))
    return out


def _daily_both(ev: Evaluation, metric: MetricDef) -> Counter:
    num_fact, den_fact = metric.fact_key(metric.numerator), metric.fact_key(metric.denominator)
    key = (metric.basis, f"{den_fact}&{num_fact}")
    if key not in ev._daily:
        chosen = ev.fact(den_fact) & ev.fact(num_fact) & ev.present(metric.basis)
        ev._daily[key] = Counter(ev.select(ev.days(metric.basis), chosen))
    return ev._daily[key]


def recovery_of(ev: Evaluation, metric: MetricDef, as_of: date) -> Recovery:
    """When the metric is back within its limit if only good orders come (see module doc)."""
    den_daily = ev.daily(metric.basis, metric.fact_key(metric.denominator))
    num_daily = _daily_both(ev, metric)
    start, end = window_for(metric.window, as_of)
    span = (end - start).days + 1
    rate = sum(den_daily.get(d, 0) for d in range(_day(start), _day(end) + 1)) / span
    now = _day(as_of)
    good_is_num = metric.comparator in (">", ">=")
    current = status_of(sum(num_daily.get(d, 0) for d in range(_day(start), _day(end) + 1)),
                        sum(den_daily.get(d, 0) for d in range(_day(start), _day(end) + 1)), metric)
    if current[1] != BREACH:
        return Recovery(None, 0, rate, already_ok=True)
    for ahead in range(1, RECOVERY_HORIZON + 1):
        s, e = window_for(metric.window, as_of + timedelta(days=ahead))
        num = den = 0
        future_days = 0
        for d in range(_day(s), _day(e) + 1):
            if d > now:
                future_days += 1
            else:
                num += num_daily.get(d, 0)
                den += den_daily.get(d, 0)
        good = round(rate * future_days)
        den += good
        if good_is_num:
            num += good
        if status_of(num, den, metric)[1] != BREACH:
            return Recovery(as_of + timedelta(days=ahead), good, rate)
    return Recovery(None, 0, rate)


def analyse(ev: Evaluation, metric: MetricDef, as_of: date) -> Analysis:
    result = ev.evaluate(metric, as_of)
    compared_with = pick(metric.compared_with, metric.compared_with_zh)
    if result.status == NO_DATA:  # nothing to explain from data that is not there
        return Analysis(result, [], [], [], None, compared_with)
    num, den, start, end = ev.sets(metric, as_of)
    clusters, sentences = clusters_of(ev, metric, ev.against(metric, num, den))
    return Analysis(result, clusters, sentences, trend_of(ev, metric, start, end),
                    recovery_of(ev, metric, as_of), compared_with)

