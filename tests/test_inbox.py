"""The inbox's rows without Textual: order, filters, recurrences, counts, 1,000 cases."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from appealdesk.cases.model import Case, Notification, QuotedMetric, Status
from appealdesk.inbox import InboxFilter, apply_filter, build_rows, cycle, status_counts
from appealdesk.policy.rules import load_policies

POLICIES = load_policies()
NOW = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
NOON_TYPE = POLICIES.get("noon").notification_types[0]


def noon(case_id: str, hours_ago: float, store="Oasis", status=Status.NEW, orders=(), **kw):
    return Case(
        id=case_id, marketplace="noon", store=store, status=status,
        notification=Notification(type=NOON_TYPE.id, received=NOW - timedelta(hours=hours_ago),
                                  cited_orders=list(orders), **kw),
    )


def test_overdue_first_then_least_time_left_then_no_deadline():
    cases = [
        noon("noon-ok", 1),
        noon("noon-overdue", 100),
        noon("noon-soon", 60),
        noon("noon-closed", 200, status=Status.CLOSED),
        Case(id="unknown-x", marketplace="unknown"),
    ]
    rows = build_rows(cases, POLICIES, NOW)
    assert [r.id for r in rows] == ["noon-overdue", "noon-soon", "noon-ok", "noon-closed",
                                    "unknown-x"]
    assert rows[0].time_left(NOW).startswith("overdue")
    assert rows[-1].time_left(NOW) == ""


def test_filters_by_text_marketplace_status_store_and_archive():
    cases = [
        noon("noon-a", 1, orders=["NSA1029384756"]),
        noon("noon-b", 2, store="Desert Bloom"),
        noon("noon-c", 3, status=Status.ARCHIVED),
    ]
    rows = build_rows(cases, POLICIES, NOW)
    # noon-b came in earlier, so it is due earlier and listed first
    assert [r.id for r in apply_filter(rows, InboxFilter())] == ["noon-b", "noon-a"]
    assert [r.id for r in apply_filter(rows, InboxFilter(show_inactive=True))] == [
        "noon-b", "noon-a", "noon-c"]
    assert [r.id for r in apply_filter(rows, InboxFilter(text="nsa1029"))] == ["noon-a"]
    assert [r.id for r in apply_filter(rows, InboxFilter(text="desert bloom"))] == ["noon-b"]
    type_word = NOON_TYPE.name.split()[0].lower()
    assert len(apply_filter(rows, InboxFilter(text=type_word))) == 2
    assert apply_filter(rows, InboxFilter(marketplace="amazon")) == []
    assert [r.id for r in apply_filter(rows, InboxFilter(store="Desert Bloom"))] == ["noon-b"]
    archived = InboxFilter(status="archived", show_inactive=True)
    assert [r.id for r in apply_filter(rows, archived)] == ["noon-c"]


def test_recurrence_links_to_the_latest_earlier_case_of_the_same_store():
    q = [QuotedMetric("late_shipment_rate", 0.05)]
    cases = [
        noon("noon-first", 24 * 90, store="Oasis", status=Status.ARCHIVED),
        noon("noon-second", 24 * 30, store="oasis "),
        noon("noon-third", 1, store="Oasis"),
        noon("noon-other-store", 2, store="Desert"),
        Case(id="noon-by-metric", marketplace="noon", store="Desert",
             notification=Notification(type="unknown", received=NOW, quoted_metrics=q)),
        Case(id="noon-metric-again", marketplace="noon", store="Desert",
             notification=Notification(type="unknown", received=NOW + timedelta(hours=1),
                                       quoted_metrics=q)),
    ]
    rows = {r.id: r for r in build_rows(cases, POLICIES, NOW)}
    assert rows["noon-first"].recurrence_of is None
    assert rows["noon-second"].recurrence_of == "noon-first"
    assert rows["noon-third"].recurrence_of == "noon-second"
    assert rows["noon-other-store"].recurrence_of is None
    assert rows["noon-metric-again"].recurrence_of == "noon-by-metric"


def test_status_counts_and_cycle():
    rows = build_rows([noon("a", 1), noon("b", 1), noon("c", 1, status=Status.SUBMITTED)],
                      POLICIES, NOW)
    assert status_counts(rows) == [(Status.NEW, 2), (Status.SUBMITTED, 1)]
    assert cycle(["amazon", "noon"], None) == "amazon"
    assert cycle(["amazon", "noon"], "amazon") == "noon"
    assert cycle(["amazon", "noon"], "noon") is None
    assert cycle([], None) is None


def test_a_thousand_cases_build_and_filter():
    # Size, not wall clock: every case gets a row, and a filter over all of them is exact.
    cases = [noon(f"noon-perf-{i:06d}", i % 100, store=f"Store {i % 37}",
                  orders=[f"NSA{i:010d}"]) for i in range(1000)]
    rows = build_rows(cases, POLICIES, NOW)
    assert len(rows) == 1000
    assert [r.id for r in apply_filter(rows, InboxFilter(text="nsa0000000777"))] == [
        "noon-perf-000777"]
    dues = [r.due.due for r in rows]
    assert dues == sorted(dues)
