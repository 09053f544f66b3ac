"""The metric engine: a policy's metric definitions applied to an OrderTable.

Definitions (also in the README):

* **Order facts** (``policy.ORDER_FACTS``), per order:
  ordered = every order; shipped = has shipped_at; shipped_late = shipped_at
  after ship_by; shipped_on_time = both present and not late; cancelled = has
  cancelled_at or cancelled_by; seller_/buyer_/platform_cancelled = cancelled_by;
  valid_tracking = shipped and tracking_valid; delivered = has delivered_at;
  delivered_on_time / delivered_late = delivered_at on or before / after
  promised_delivery; negative_feedback, claim, chargeback = the flags; defect =
  any of the three; returned = has returned_at or a return_reason;
  shipped_within = shipped at most the metric's ``within`` after the order
  date (calendar days compared when either side is a bare date).
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

from array import array
from collections import Counter
from collections.abc import Sequence
from datetime import date
from functools import cached_property
from itertools import compress
from typing import Any
from zoneinfo import ZoneInfo

from appealdesk.metrics.needs import STATUS_FIELDS, ValueRules, metric_lacks
from appealdesk.metrics.results import (
    BREACH,
    NO_DATA,
    MetricResult,
    _day,
    status_of,
    window_for,
)
from appealdesk.policy.types import MetricDef, Policy
from appealdesk.reports.local_days import ZoneClock
from appealdesk.reports.table import VALUE_SEP, OrderTable

_PRESENT = bytes([0]) + bytes([1]) * 255
_IS_DATE = bytes([0, 1]) + bytes(254)
_FEW = 20  # fewer than 1 in this many orders: picked by index (measured crossing ~1 in 30)


def _code_table(code: int) -> bytes:
    table = bytearray(256)
    table[code] = 1
    return bytes(table)


class Evaluation:
    """One table seen from one policy: local days, instants and facts, cached."""

    def __init__(self, table: OrderTable, policy: Policy,
                 known: frozenset[str] | None = None):
        """``known``: the fields the report(s) had (``ImportResult.known``); None
        for a table built in code, where every field counts as known."""
        self.table = table
        self.policy = policy
        self.known = known
        self.rules = ValueRules.of(policy)
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
        if bits.bit_count() * _FEW < self.n:  # a few: found, then picked
            import numpy as np

            where = np.flatnonzero(np.frombuffer(self.mask(bits), dtype=np.uint8))
            return list(map(values.__getitem__, where.tolist()))
        # many: kept in one pass in C (a million ids, 97% kept: 17 ms, was 32 picked by index)
        return list(compress(values, self.mask(bits)))

    def order_ids(self, bits: int) -> list[str]:
        """The ids of the orders in ``bits``, in order."""
        return self.select(self.table.order_id, bits)

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

    def within(self, a: str, b: str, seconds: float) -> int:
        """Orders whose ``b`` is at most ``seconds`` after their ``a`` (whole days
        compared if either is a bare date)."""
        ka, kb = self.table.dates[a].kinds, self.table.dates[b].kinds
        both = self.present(a) & self.present(b)
        if not both:
            return 0
        either_date = (self.bits(ka.translate(_IS_DATE)) | self.bits(kb.translate(_IS_DATE))) & both
        result = 0
        if either_date:
            soon = (self.local_days(b) - self.local_days(a)) <= seconds // 86400
            result |= self.bits(soon.tobytes()) & either_date
        instants = both & ~either_date
        if instants:
            soon = (self.instants(b) - self.instants(a)) <= seconds
            result |= self.bits(soon.tobytes()) & instants
        return result

    # -- facts ---------------------------------------------------------------
    @cached_property
    def scope(self) -> int:
        """The orders metrics count: all but the marketplace-fulfilled ones."""
        if not self.rules.marketplace_fulfilled:
            return self.all
        return self.all & ~self.matching("fulfillment_channel", self.rules.marketplace_fulfilled)

    def matching(self, name: str, words: frozenset[str]) -> int:
        """Orders whose text field ``name`` is one of ``words`` (any case)."""
        if self.known is not None and name not in self.known and "" not in words:
            return 0  # no column: every value is "" (and reading it would cost a pass)
        col = self.table.text[name]
        hits = {v for v in set(col)
                if any(part.strip().lower() in words for part in v.split(VALUE_SEP))}
        if not hits:
            return 0
        return self.bits(bytes(map(hits.__contains__, col)))

    def fact(self, name: str) -> int:
        if name not in self._facts:
            self._facts[name] = self._compute_fact(name) & self.scope
        return self._facts[name]

    def _status_cancelled(self) -> int:
        """Cancelled by status, where no column says who cancelled."""
        if not self.rules.cancelled_status:
            return 0
        by_status = 0
        for name in STATUS_FIELDS:
            by_status |= self.matching(name, self.rules.cancelled_status)
        return by_status & ~self.bits(self.table.cancelled_by.translate(_PRESENT))

    @cached_property
    def _buyer_requested(self) -> int:
        """Status-only cancellations the buyer asked for (``[report_values] buyer_requested``)."""
        if not self.rules.buyer_requested:
            return 0
        return self._status_cancelled() & self.matching("buyer_cancel_request",
                                                        self.rules.buyer_requested)

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
            who = name.split("_")[0]
            code = ("", "seller", "buyer", "platform").index(who)
            found = self.bits(t.cancelled_by.translate(_code_table(code)))
            if who == "buyer":
                found |= self._buyer_requested
            if who == self.rules.status_cancelled_by:
                found |= self._status_cancelled() & ~self._buyer_requested
            return found
        if name == "cancelled":
            return (self.present("cancelled_at") | self.bits(t.cancelled_by.translate(_PRESENT))
                    | self._status_cancelled())
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
        if name.startswith("shipped_within:"):
            return self.within("order_date", "shipped_at", float(name.split(":", 1)[1]))
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
        den = self.in_window(metric.basis, start, end) & self.fact(
            metric.fact_key(metric.denominator))
        num = den & self.fact(metric.fact_key(metric.numerator))
        return num, den, start, end

    def against(self, metric: MetricDef, num: int, den: int) -> int:
        return den & ~num if metric.comparator in (">", ">=") else num

    def evaluate(
        self, metric: MetricDef, as_of: date, *, with_against: bool = True
    ) -> MetricResult:
        lacks, partial = metric_lacks(metric, self.known, self.rules)
        num, den, start, end = self.sets(metric, as_of)
        n_num, n_den = num.bit_count(), den.bit_count()
        value, status = status_of(n_num, n_den, metric)
        if lacks and not (partial and status == BREACH):
            # The file cannot tell: no figure, no orders (a default is not a result).
            return MetricResult(
                id=metric.id, name=metric.name, name_zh=metric.name_zh, numerator=0,
                denominator=0, value=None, limit=metric.limit, comparator=metric.comparator,
                status=NO_DATA, enforced=metric.enforced, window_start=start, window_end=end,
                lacks=lacks)
        orders = self.order_ids(num)
        against = self.against(metric, num, den) if with_against else 0
        return MetricResult(
            id=metric.id, name=metric.name, name_zh=metric.name_zh,
            numerator=n_num, denominator=n_den, value=value, limit=metric.limit,
            comparator=metric.comparator, status=status, enforced=metric.enforced,
            window_start=start, window_end=end, orders=orders,
            against=list(orders) if against == num else self.order_ids(against),
            lacks=lacks,
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
    known: frozenset[str] | None = None,
) -> list[MetricResult]:
    """Every metric of the policy (or those named in ``only``) as of ``as_of``."""
    ev = evaluation or Evaluation(table, policy, known)
    return [ev.evaluate(m, as_of) for m in policy.metrics if only is None or m.id in only]

