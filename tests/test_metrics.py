"""The metric engine: facts, windows, time zones, Amazon definitions, analysis."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from appealdesk.cases.model import Notification, QuotedMetric
from appealdesk.metrics.engine import (
    BREACH,
    INSUFFICIENT,
    OK,
    Evaluation,
    analyse,
    compute_metrics,
    cross_check,
    recovery_of,
    window_for,
)
from appealdesk.policy.loading import load_policies
from appealdesk.policy.types import MetricDef, Window
from appealdesk.reports.orders import Order, OrderTable

AMAZON = load_policies().get("amazon")
D = date(2026, 11, 20)


def _metric(**changes) -> MetricDef:
    base = MetricDef("m", "M", "", "shipped_late", "shipped", "ship_by", Window("rolling", 10, 0),
                     0.04, "<", 0, True, "test")
    return dataclasses.replace(base, **changes)


def _policy(*metrics, tz="UTC"):
    cal = dataclasses.replace(AMAZON.calendar, timezone=tz)
    return dataclasses.replace(AMAZON, metrics=tuple(metrics), calendar=cal)


def _run(orders, metric, as_of=D, tz="UTC"):
    return compute_metrics(OrderTable.from_orders(orders), _policy(metric, tz=tz), as_of)[0]


FACT_CASES = [
    ("ordered", Order("a"), True),
    ("shipped", Order("a", shipped_at=date(2026, 11, 1)), True),
    ("shipped", Order("a"), False),
    ("shipped_late", Order("a", ship_by=date(2026, 11, 1), shipped_at=date(2026, 11, 2)), True),
    ("shipped_late", Order("a", ship_by=date(2026, 11, 1),
                           shipped_at=datetime(2026, 11, 1, 23, 59)), False),
    ("shipped_on_time", Order("a", ship_by=date(2026, 11, 1), shipped_at=date(2026, 11, 1)), True),
    ("shipped_on_time", Order("a", shipped_at=date(2026, 11, 1)), False),
    ("cancelled", Order("a", cancelled_at=date(2026, 11, 1)), True),
    ("seller_cancelled", Order("a", cancelled_by="seller"), True),
    ("seller_cancelled", Order("a", cancelled_by="buyer"), False),
    ("buyer_cancelled", Order("a", cancelled_by="buyer"), True),
    ("platform_cancelled", Order("a", cancelled_by="platform"), True),
    ("valid_tracking", Order("a", shipped_at=date(2026, 11, 1), tracking_valid=True), True),
    ("valid_tracking", Order("a", tracking_valid=True), False),
    ("delivered", Order("a", delivered_at=date(2026, 11, 1)), True),
    ("delivered_on_time", Order("a", promised_delivery=date(2026, 11, 5),
                                delivered_at=datetime(2026, 11, 5, 22, 0)), True),
    ("delivered_late", Order("a", promised_delivery=date(2026, 11, 5),
                             delivered_at=date(2026, 11, 6)), True),
    ("delivered_on_time", Order("a", promised_delivery=date(2026, 11, 5)), False),
    ("negative_feedback", Order("a", negative_feedback=True), True),
    ("claim", Order("a", claim=True), True),
    ("chargeback", Order("a", chargeback=True), True),
    ("defect", Order("a", chargeback=True), True),
    ("defect", Order("a"), False),
    ("returned", Order("a", returned_at=date(2026, 11, 1)), True),
    ("returned", Order("a", return_reason="broken"), True),
    ("returned", Order("a"), False),
]


@pytest.mark.parametrize("fact, order, expected", FACT_CASES)
def test_each_order_fact(fact, order, expected):
    ev = Evaluation(OrderTable.from_orders([order, Order("z")]), _policy(_metric()))
    assert bool(ev.fact(fact) & 1) is expected


def test_late_compares_instants_when_both_are_date_times():
    order = Order("a", ship_by=datetime(2026, 11, 1, 10, tzinfo=UTC),
                  shipped_at=datetime(2026, 11, 1, 11, tzinfo=UTC))
    ev = Evaluation(OrderTable.from_orders([order]), _policy(_metric()))
    assert ev.fact("shipped_late") == 1
    # the same instant written in another offset is not late
    order = dataclasses.replace(order, shipped_at=datetime(2026, 11, 1, 18, tzinfo=timezone(
        timedelta(hours=8))))
    ev = Evaluation(OrderTable.from_orders([order]), _policy(_metric()))
    assert ev.fact("shipped_late") == 0


def test_late_with_a_bare_date_compares_local_dates():
    # shipped 2 Nov 02:00 UTC = 1 Nov 18:00 in Los Angeles: on time there, late in UTC
    order = Order("a", ship_by=date(2026, 11, 1), shipped_at=datetime(2026, 11, 2, 2, tzinfo=UTC))
    for tz, late in (("UTC", 1), ("America/Los_Angeles", 0)):
        ev = Evaluation(OrderTable.from_orders([order]), _policy(_metric(), tz=tz))
        assert ev.fact("shipped_late") == late


def test_naive_instant_is_read_in_the_policy_zone():
    order = Order("a", ship_by=datetime(2026, 11, 1, 10, 0),  # 10:00 Shanghai = 02:00 UTC
                  shipped_at=datetime(2026, 11, 1, 3, 0, tzinfo=UTC))
    assert Evaluation(OrderTable.from_orders([order]), _policy(_metric(), tz="Asia/Shanghai")
                      ).fact("shipped_late") == 1
    assert Evaluation(OrderTable.from_orders([order]), _policy(_metric(), tz="UTC")
                      ).fact("shipped_late") == 0


def test_rolling_window_edges_and_lag():
    assert window_for(Window("rolling", 10, 0), D) == (date(2026, 11, 11), D)
    assert window_for(Window("rolling", 60, 14), D) == (date(2026, 9, 8), date(2026, 11, 6))
    metric = _metric(numerator="claim", denominator="ordered", basis="order_date",
                     window=Window("rolling", 10, 2))
    orders = [Order(f"o{d}", order_date=D - timedelta(days=d), claim=True) for d in range(0, 14)]
    result = _run(orders, metric)
    assert (result.window_start, result.window_end) == (date(2026, 11, 9), date(2026, 11, 18))
    assert sorted(result.orders) == sorted(f"o{d}" for d in range(2, 12))
    assert result.denominator == 10


def test_calendar_month_is_the_last_complete_month():
    w = Window("calendar_month", 0, 0)
    assert window_for(w, date(2026, 12, 3)) == (date(2026, 11, 1), date(2026, 11, 30))
    assert window_for(w, date(2026, 11, 30)) == (date(2026, 11, 1), date(2026, 11, 30))
    assert window_for(w, date(2026, 3, 1)) == (date(2026, 2, 1), date(2026, 2, 28))
    metric = _metric(numerator="claim", denominator="ordered", basis="order_date", window=w)
    orders = [Order("last-oct", order_date=date(2026, 10, 31), claim=True),
              Order("first-nov", order_date=date(2026, 11, 1), claim=True),
              Order("last-nov", order_date=date(2026, 11, 30)),
              Order("first-dec", order_date=date(2026, 12, 1), claim=True)]
    result = _run(orders, metric, as_of=date(2026, 12, 5))
    assert result.orders == ["first-nov"] and result.denominator == 2


def test_offset_date_times_take_the_date_in_the_policy_zone():
    metric = _metric(numerator="ordered", denominator="ordered", basis="order_date",
                     window=Window("rolling", 1, 0), comparator=">=", limit=0)
    # 20 Nov 01:00 UTC is 19 Nov in Los Angeles
    order = Order("a", order_date=datetime(2026, 11, 20, 1, tzinfo=UTC))
    assert _run([order], metric, tz="UTC").denominator == 1
    assert _run([order], metric, tz="America/Los_Angeles").denominator == 0
    assert _run([order], metric, as_of=date(2026, 11, 19), tz="America/Los_Angeles"
                ).denominator == 1
    naive = Order("b", order_date=datetime(2026, 11, 20, 1))
    assert _run([naive], metric, tz="America/Los_Angeles").denominator == 1


def test_status_limit_min_orders_and_advisory():
    metric = _metric(numerator="claim", denominator="ordered", basis="order_date", limit=0.1)
    good = [Order(f"g{i}", order_date=D) for i in range(9)]
    assert _run(good + [Order("c", order_date=D, claim=True)], metric).status == BREACH
    assert _run(good + [Order("c", order_date=D, claim=True), Order("x", order_date=D)],
                metric).status == OK
    assert _run([], metric).status == INSUFFICIENT and _run([], metric).value is None
    few = _run(good, dataclasses.replace(metric, min_orders=10))
    assert few.status == INSUFFICIENT and few.value == 0
    assert _run(good, dataclasses.replace(metric, enforced=False)).enforced is False


def test_amazon_policy_defines_exactly_the_issue_metrics():
    got = {m.id: (m.numerator, m.denominator, m.basis, m.window.kind, m.window.days,
                  m.window.lag, m.comparator, m.limit, m.enforced) for m in AMAZON.metrics}
    assert got == {
        "order_defect_rate": ("defect", "ordered", "order_date", "rolling", 60, 14, "<", 0.01,
                              True),
        "pre_fulfillment_cancel_rate": ("seller_cancelled", "ordered", "order_date", "rolling",
                                        7, 0, "<", 0.025, True),
        "late_shipment_rate_10d": ("shipped_late", "shipped", "ship_by", "rolling", 10, 0, "<",
                                   0.04, True),
        "late_shipment_rate_30d": ("shipped_late", "shipped", "ship_by", "rolling", 30, 0, "<",
                                   0.04, True),
        "valid_tracking_rate": ("valid_tracking", "shipped", "promised_delivery", "rolling", 30,
                                10, ">=", 0.95, True),
        "on_time_delivery_rate": ("delivered_on_time", "valid_tracking", "promised_delivery",
                                  "rolling", 30, 10, ">=", 0.97, False),
    }


def test_amazon_metrics_on_a_small_store():
    day = date(2026, 11, 15)
    orders = []
    for i in range(100):
        late = i < 5
        orders.append(Order(
            f"o{i}", order_date=day, ship_by=day,
            shipped_at=day + timedelta(days=1 if late else 0), carrier="DHL" if late else "UPS",
            promised_delivery=date(2026, 11, 5), delivered_at=date(2026, 11, 4),
            tracking_valid=i != 7, claim=i == 3, cancelled_by="seller" if i == 99 else ""))
    results = {r.id: r for r in compute_metrics(OrderTable.from_orders(orders), AMAZON, D)}
    assert results["late_shipment_rate_10d"].numerator == 5
    assert results["late_shipment_rate_10d"].status == BREACH
    assert results["pre_fulfillment_cancel_rate"].value == 0.01
    assert results["valid_tracking_rate"].value == 0.99
    assert results["on_time_delivery_rate"].value == 1.0
    assert results["order_defect_rate"].denominator == 0  # 60 days ending 6 Nov


def _orders_strategy():
    day = st.integers(min_value=0, max_value=20).map(lambda n: D - timedelta(days=n))
    return st.lists(st.builds(
        Order, order_id=st.uuids().map(str), order_date=day, ship_by=day,
        shipped_at=st.one_of(st.none(), day), promised_delivery=day,
        delivered_at=st.one_of(st.none(), day), tracking_valid=st.booleans(),
        claim=st.booleans(), cancelled_by=st.sampled_from(["", "seller", "buyer"])),
        max_size=30)


@settings(max_examples=100, deadline=None)
@given(_orders_strategy())
def test_every_value_is_between_0_and_1(orders):
    for result in compute_metrics(OrderTable.from_orders(orders), AMAZON, D):
        assert result.numerator <= result.denominator
        assert result.value is None or 0 <= result.value <= 1


@settings(max_examples=100, deadline=None)
@given(_orders_strategy(), st.integers(min_value=0, max_value=20))
def test_a_good_order_never_raises_a_defect_type_rate(orders, back):
    when = D - timedelta(days=back)
    good = Order("good", order_date=when, ship_by=when, shipped_at=when, promised_delivery=when,
                 delivered_at=when, tracking_valid=True)
    before = compute_metrics(OrderTable.from_orders(orders), AMAZON, D)
    after = compute_metrics(OrderTable.from_orders([*orders, good]), AMAZON, D)
    for b, a in zip(before, after, strict=True):
        if b.comparator in ("<", "<=") and b.value is not None:
            assert a.value <= b.value + 1e-12
        if b.comparator in (">", ">=") and b.value is not None:
            assert a.value >= b.value - 1e-12


def _late_store():
    orders = []
    for d in range(30):
        day = D - timedelta(days=d)
        for i in range(10):
            late = d in (3, 4, 5) and i < 4
            orders.append(Order(f"{d}-{i}", ship_by=day, shipped_at=day + timedelta(
                days=1 if late else 0), carrier="YunExpress" if late or i == 9 else "UPS",
                sku="LAMP" if late else f"S{i}"))
    return orders


def test_clusters_and_sentences():
    table = OrderTable.from_orders(_late_store())
    metric = AMAZON.metric("late_shipment_rate_30d")
    analysis = analyse(Evaluation(table, AMAZON), metric, D)
    assert analysis.metric.numerator == 12
    top = {c.dimension: c for c in reversed(analysis.clusters)}
    assert analysis.clusters[0].dimension == "carrier"
    assert analysis.clusters[0].value == "YunExpress"
    assert top["sku"].value == "LAMP" and top["sku"].share == 1
    assert "all 12 late shipments: carrier YunExpress" in analysis.sentences
    assert "all 12 late shipments between 15 and 17 Nov" in analysis.sentences
    assert len(analysis.trend) == 30 and sum(n for _, n, _ in analysis.trend) == 12


def test_recovery_day_and_good_orders_needed():
    table = OrderTable.from_orders(_late_store())
    metric = AMAZON.metric("late_shipment_rate_10d")
    recovery = recovery_of(Evaluation(table, AMAZON), metric, D)
    # 12 late among 100; late days 15-17 Nov leave a 10-day window ending on 27 Nov at the
    # latest; before that, 12 / den < 4% needs den > 300, impossible with 10 a day.
    assert recovery.daily_rate == 10
    assert recovery.day == date(2026, 11, 27)
    assert recovery.good_orders == 70
    healthy = recovery_of(Evaluation(table, AMAZON), AMAZON.metric("valid_tracking_rate"), D)
    assert healthy.already_ok or healthy.day is None


def test_cross_check_with_the_notification():
    table = OrderTable.from_orders(_late_store())
    results = compute_metrics(table, AMAZON, D)
    notice = Notification(cited_orders=["3-0", "0-0", "missing-1"],
                          quoted_metrics=[QuotedMetric("late_shipment_rate_30d", 0.068)])
    found = {d.kind: d for d in cross_check(notice, table, results)}
    assert found["missing_order"].orders == ["missing-1"]
    assert found["not_counted"].orders == ["0-0"]
    assert found["figure_differs"].computed == pytest.approx(0.04)
    same = Notification(quoted_metrics=[QuotedMetric("late_shipment_rate_30d", 0.0405)])
    assert cross_check(same, table, results) == []
