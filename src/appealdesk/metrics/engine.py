"""The metric engine: a policy's metric definitions applied to an OrderTable.

Definitions (also in the README):

* **Order facts** (``policy.ORDER_FACTS``), per order:
  ordered = every order; shipped = has shipped_at; shipped_late = shipped_at
  after ship_by; shipped_on_time = both present and not late; cancelled = has
  cancelled_at or cancelled_by; seller_/buyer_/platform_cancelled = cancelled_by;
  valid_tracking = shipped and tracking_valid; delivered = has delivered_at;
  delivered_on_time / delivered_late = delivered_at on or before / after
  promised_delivery; negative_feedback, claim, chargeback = the flags; defect =
  any of the three; returned = has returned_at or a return_reason.
* **Late** compares calendar dates (in the policy's time zone) when either side
  is a bare date, and instants otherwise.
* **Time zones**: a date-time with an offset is converted to the policy's time
  zone before its date is taken; a naive one is taken as written (as local
  time in the policy's zone when it has to be compared with an instant).
* **Window**, as of day D with lag L: ``rolling`` N days covers D-L-N+1 ... D-L
  inclusive; ``calendar_month`` covers the last complete calendar month that
  ends on or before D-L (as of 3 Dec with lag 0: 1-30 Nov; as of 30 Nov: Nov).
  An order is in the window when its basis date is; an order without a basis
  date is in no window.
* numerator = orders in the window with the denominator fact **and** the
  numerator fact; value = numerator / denominator (None when the denominator
  is 0); status ``insufficient_data`` when the denominator is 0 or below
  min_orders, else ``ok`` / ``breach`` by the comparator and limit.
* The orders that **count against** a metric are the numerator's for a
  "lower is better" metric (< or <=) and the denominator's orders outside the
  numerator for a "higher is better" one (valid tracking: orders without it).
  Clusters are taken among those.
* **Recovery**: days after D are assumed to bring the current average daily
  number of denominator orders, all good; orders in the report dated after D
  are left out (they are not final). The recovery day is the first day after D
  whose window is no longer in breach; "good orders needed" is how many of the
  assumed orders that window holds. Searched up to ``RECOVERY_HORIZON`` days.

Speed: facts are Python ints used as bit sets (one byte per order, so
``int.from_bytes`` turns a 0/1 byte column — or a numpy bool array — into a
set); each date column is turned once into local day numbers and instants with
numpy (``local_days``), which windows and "late" compare as whole vectors; a
million orders cost a fraction of a second for a whole policy.
"""

from __future__ import annotations

import calendar
from array import array
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cached_property
from typing import Any
from zoneinfo import ZoneInfo

from appealdesk.i18n import _, current_language, pick
from appealdesk.policy.types import MetricDef, Policy, Window
from appealdesk.reports.local_days import ZoneClock
from appealdesk.reports.orders import EPOCH_ORDINAL, OrderTable

OK, BREACH, INSUFFICIENT = "ok", "breach", "insufficient_data"
RECOVERY_HORIZON = 400
QUOTE_TOLERANCE = 0.001  # 0.1 percentage point: notices round to one decimal


# --------------------------------------------------------------------------
# Results
# --------------------------------------------------------------------------


@dataclass
class MetricResult:
    id: str
    name: str
    numerator: int
    denominator: int
    value: float | None
    limit: float
    comparator: str
    status: str  # ok | breach | insufficient_data
    enforced: bool
    window_start: date
    window_end: date
    orders: list[str] = field(default_factory=list)  # the numerator's order ids
    name_zh: str = ""
    against: list[str] = field(default_factory=list)  # order ids counting against it

    @property
    def label(self) -> str:
        return pick(self.name, self.name_zh)

    @property
    def higher_is_better(self) -> bool:
        return self.comparator in (">", ">=")

    def to_dict(self) -> dict[str, Any]:
        """Exactly the documented JSON keys."""
        return {
            "id": self.id,
            "name": self.name,
            "numerator": self.numerator,
            "denominator": self.denominator,
            "value": self.value,
            "limit": self.limit,
            "comparator": self.comparator,
            "status": self.status,
            "enforced": self.enforced,
            "window_start": self.window_start.isoformat(),
            "window_end": self.window_end.isoformat(),
            "orders": list(self.orders),
        }


def within(value: float, comparator: str, limit: float) -> bool:
    if comparator == "<":
        return value < limit
    if comparator == "<=":
        return value <= limit
    if comparator == ">":
        return value > limit
    return value >= limit


def status_of(num: int, den: int, metric: MetricDef) -> tuple[float | None, str]:
    if den == 0:
        return None, INSUFFICIENT
    value = num / den
    if den < metric.min_orders:
        return value, INSUFFICIENT
    return value, OK if within(value, metric.comparator, metric.limit) else BREACH


def window_for(window: Window, as_of: date) -> tuple[date, date]:
    """The first and last basis day (inclusive) of a window as of ``as_of``."""
    end = as_of - timedelta(days=window.lag)
    if window.kind == "calendar_month":
        last = calendar.monthrange(end.year, end.month)[1]
        if end.day != last:  # the month is not complete yet: take the one before
            end = end.replace(day=1) - timedelta(days=1)
        return end.replace(day=1), end
    return end - timedelta(days=window.days - 1), end


def _day(d: date) -> int:
    """Days since 1970-01-01, the engine's day number."""
    return d.toordinal() - EPOCH_ORDINAL


def _date(day: int) -> date:
    return date.fromordinal(int(day) + EPOCH_ORDINAL)


# --------------------------------------------------------------------------
# Facts
# --------------------------------------------------------------------------

_PRESENT = bytes([0]) + bytes([1]) * 255
_IS_DATE = bytes([0, 1]) + bytes(254)


def _code_table(code: int) -> bytes:
    table = bytearray(256)
    table[code] = 1
    return bytes(table)


class Evaluation:
    """One table seen from one policy: local days, instants and facts, cached."""

    def __init__(self, table: OrderTable, policy: Policy):
        self.table = table
        self.policy = policy
        self.zone = ZoneInfo(policy.calendar.timezone)
        self.clock = ZoneClock(self.zone)
        self.n = len(table)
        self._local_days: dict[str, Any] = {}  # numpy int64 arrays
        self._instants: dict[str, Any] = {}  # numpy float64 arrays
        self._facts: dict[str, int] = {}
        self._daily: dict[tuple[str, str], Counter] = {}
        self._present: dict[str, int] = {}

    # -- bit sets ----------------------------------------------------------
    @cached_property
    def all(self) -> int:
        return int.from_bytes(b"\x01" * self.n, "little")

    @staticmethod
    def bits(column: bytes | bytearray) -> int:
        return int.from_bytes(column, "little")

    def mask(self, bits: int) -> bytes:
        return bits.to_bytes(self.n, "little")

    def select(self, values: Sequence[Any], bits: int) -> list[Any]:
        """``values`` of the orders in ``bits``, in order."""
        if not bits:
            return []
        import numpy as np

        where = np.flatnonzero(np.frombuffer(self.mask(bits), dtype=np.uint8))
        return list(map(values.__getitem__, where.tolist()))

    def present(self, name: str) -> int:
        if name not in self._present:
            self._present[name] = self.bits(self.table.dates[name].kinds.translate(_PRESENT))
        return self._present[name]

    # -- dates ---------------------------------------------------------------
    def local_days(self, name: str) -> Any:
        """Each order's ``name`` as a local day number (numpy int64; 0 when absent)."""
        if name not in self._local_days:
            self._local_days[name] = self.clock.days(self.table.dates[name])
        return self._local_days[name]

    def days(self, name: str) -> array:
        """``local_days`` as plain Python numbers (for Counters and lists)."""
        return array("q", self.local_days(name).tobytes())

    def instants(self, name: str) -> Any:
        """Each order's ``name`` as UTC seconds (numpy float64); naive values and
        bare dates read as wall-clock time in the policy zone."""
        if name not in self._instants:
            self._instants[name] = self.clock.instants(self.table.dates[name])
        return self._instants[name]

    def after(self, a: str, b: str) -> int:
        """Orders whose ``a`` is later than their ``b`` (dates if either is a bare date)."""
        ka, kb = self.table.dates[a].kinds, self.table.dates[b].kinds
        both = self.present(a) & self.present(b)
        if not both:
            return 0
        either_date = (self.bits(ka.translate(_IS_DATE)) | self.bits(kb.translate(_IS_DATE))) & both
        result = 0
        if either_date:
            later = self.local_days(a) > self.local_days(b)
            result |= self.bits(later.tobytes()) & either_date
        instants = both & ~either_date
        if instants:
            later = self.instants(a) > self.instants(b)
            result |= self.bits(later.tobytes()) & instants
        return result

    # -- facts ---------------------------------------------------------------
    def fact(self, name: str) -> int:
        if name not in self._facts:
            self._facts[name] = self._compute_fact(name)
        return self._facts[name]

    def _compute_fact(self, name: str) -> int:
        t = self.table
        if name == "ordered":
            return self.all
        if name == "shipped":
            return self.present("shipped_at")
        if name == "shipped_late":
            return self.after("shipped_at", "ship_by")
        if name == "shipped_on_time":
            return self.present("shipped_at") & self.present("ship_by") & ~self.fact("shipped_late")
        if name in ("seller_cancelled", "buyer_cancelled", "platform_cancelled"):
            code = ("", "seller", "buyer", "platform").index(name.split("_")[0])
            return self.bits(t.cancelled_by.translate(_code_table(code)))
        if name == "cancelled":
            return self.present("cancelled_at") | self.bits(t.cancelled_by.translate(_PRESENT))
        if name == "valid_tracking":
            return self.fact("shipped") & self.bits(t.flags["tracking_valid"])
        if name == "delivered":
            return self.present("delivered_at")
        if name == "delivered_late":
            return self.after("delivered_at", "promised_delivery")
        if name == "delivered_on_time":
            return (self.present("delivered_at") & self.present("promised_delivery")
                    & ~self.fact("delivered_late"))
        if name in ("negative_feedback", "claim", "chargeback"):
            return self.bits(t.flags[name])
        if name == "defect":
            return self.fact("negative_feedback") | self.fact("claim") | self.fact("chargeback")
        if name == "returned":
            reasons = bytes(map(bool, t.text["return_reason"]))
            return self.present("returned_at") | self.bits(reasons)
        raise ValueError(f"unknown order fact {name!r}")

    def in_window(self, basis: str, start: date, end: date) -> int:
        days = self.local_days(basis)
        inside = (days >= _day(start)) & (days <= _day(end))
        return self.bits(inside.tobytes()) & self.present(basis)

    # -- metrics ---------------------------------------------------------------
    def sets(self, metric: MetricDef, as_of: date) -> tuple[int, int, date, date]:
        start, end = window_for(metric.window, as_of)
        den = self.in_window(metric.basis, start, end) & self.fact(metric.denominator)
        num = den & self.fact(metric.numerator)
        return num, den, start, end

    def against(self, metric: MetricDef, num: int, den: int) -> int:
        return den & ~num if metric.comparator in (">", ">=") else num

    def evaluate(
        self, metric: MetricDef, as_of: date, *, with_against: bool = True
    ) -> MetricResult:
        num, den, start, end = self.sets(metric, as_of)
        n_num, n_den = num.bit_count(), den.bit_count()
        value, status = status_of(n_num, n_den, metric)
        ids = self.table.order_id
        return MetricResult(
            id=metric.id, name=metric.name, name_zh=metric.name_zh,
            numerator=n_num, denominator=n_den, value=value, limit=metric.limit,
            comparator=metric.comparator, status=status, enforced=metric.enforced,
            window_start=start, window_end=end, orders=self.select(ids, num),
            against=self.select(ids, self.against(metric, num, den)) if with_against else [],
        )

    def daily(self, basis: str, fact: str) -> Counter:
        """Orders with ``fact`` per basis day, over the whole report."""
        key = (basis, fact)
        if key not in self._daily:
            chosen = self.fact(fact) & self.present(basis)
            self._daily[key] = Counter(self.select(self.days(basis), chosen))
        return self._daily[key]


def compute_metrics(
    table: OrderTable, policy: Policy, as_of: date, *,
    only: Sequence[str] | None = None, evaluation: Evaluation | None = None,
) -> list[MetricResult]:
    """Every metric of the policy (or those named in ``only``) as of ``as_of``."""
    ev = evaluation or Evaluation(table, policy)
    return [ev.evaluate(m, as_of) for m in policy.metrics if only is None or m.id in only]


# --------------------------------------------------------------------------
# Where it clusters, trend, recovery
# --------------------------------------------------------------------------

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
}


def bad_noun(metric: MetricDef) -> str:
    """What the orders counting against a metric are called ("late shipments")."""
    table = _NOT_NOUNS if metric.comparator in (">", ">=") else _NOUNS
    en, zh = table.get(metric.numerator, (_("orders counting against it"), "不利订单"))
    return pick(en, zh)


def _short(d: date) -> str:
    return f"{d.month}月{d.day}日" if current_language() == "zh" else f"{d.day} {d:%b}"


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
    den = ev.daily(metric.basis, metric.denominator)
    both = _daily_both(ev, metric)
    out = []
    for day in range(_day(start), _day(end) + 1):
        d = den.get(day, 0)
        n = both.get(day, 0)
        out.append((_date(day), d - n if metric.comparator in (">", ">=") else n, d))
    return out


def _daily_both(ev: Evaluation, metric: MetricDef) -> Counter:
    key = (metric.basis, f"{metric.denominator}&{metric.numerator}")
    if key not in ev._daily:
        chosen = ev.fact(metric.denominator) & ev.fact(metric.numerator) & ev.present(metric.basis)
        ev._daily[key] = Counter(ev.select(ev.days(metric.basis), chosen))
    return ev._daily[key]


def recovery_of(ev: Evaluation, metric: MetricDef, as_of: date) -> Recovery:
    """When the metric is back within its limit if only good orders come (see module doc)."""
    den_daily = ev.daily(metric.basis, metric.denominator)
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
    num, den, start, end = ev.sets(metric, as_of)
    clusters, sentences = clusters_of(ev, metric, ev.against(metric, num, den))
    return Analysis(result, clusters, sentences, trend_of(ev, metric, start, end),
                    recovery_of(ev, metric, as_of))


# --------------------------------------------------------------------------
# Cross-check with the notification
# --------------------------------------------------------------------------


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
    tolerance: float = QUOTE_TOLERANCE,
) -> list[Discrepancy]:
    """Cited orders missing from the report or counted by no metric; quoted
    figures that differ from the computed ones by more than ``tolerance``."""
    out: list[Discrepancy] = []
    cited = list(dict.fromkeys(getattr(notification, "cited_orders", []) or []))
    known = set(table.order_id)
    missing = [o for o in cited if o not in known]
    if missing:
        out.append(Discrepancy("missing_order", _(
            "{n} cited order(s) are not in the report: {orders}").format(
            n=len(missing), orders=", ".join(missing[:10]) + (" …" if len(missing) > 10 else "")),
            orders=missing))
    against = set().union(*(r.against for r in results)) if results else set()
    innocent = [o for o in cited if o in known and o not in against]
    if innocent and results:
        out.append(Discrepancy("not_counted", _(
            "{n} cited order(s) count against none of the recomputed metrics: {orders}").format(
            n=len(innocent),
            orders=", ".join(innocent[:10]) + (" …" if len(innocent) > 10 else "")),
            orders=innocent))
    by_id = {r.id: r for r in results}
    for quoted in getattr(notification, "quoted_metrics", []) or []:
        result = by_id.get(quoted.metric)
        if result is None or result.value is None:
            continue
        value = quoted.value / 100 if quoted.value > 1 else quoted.value
        if abs(value - result.value) > tolerance:
            out.append(Discrepancy("figure_differs", _(
                "the notice says {name} is {quoted:.2%}; the report gives {computed:.2%} "
                "({num}/{den})").format(name=result.label, quoted=value, computed=result.value,
                                        num=result.numerator, den=result.denominator),
                metric=result.id, quoted=value, computed=result.value))
    return out


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
}


def as_of_for(received: datetime | None, policy: Policy, fallback: date) -> date:
    """The day a case's metrics are computed for: the notice's date in the policy zone."""
    if received is None:
        return fallback
    if received.tzinfo is None:
        return received.date()
    return received.astimezone(ZoneInfo(policy.calendar.timezone)).date()


__all__ = [
    "BREACH", "INSUFFICIENT", "OK", "Analysis", "Cluster", "Discrepancy", "Evaluation",
    "MetricResult", "Recovery", "analyse", "as_of_for", "compute_metrics", "cross_check",
    "order_fields", "recovery_of", "status_of", "trend_of", "window_for",
]
