"""The noon and Joom metrics added as policy data: Joom's quick fulfilment rate
(the ``shipped_within`` fact with its ``within`` time) and late shipment, noon's
order defect, return and valid tracking rates (advisory), each with its window,
basis, limit and source."""

from __future__ import annotations

import json

import pytest

from appealdesk.cli import main
from appealdesk.policy.loading import load_policies, parse_policy_text, shipped_policy_texts
from appealdesk.policy.types import PolicyError

HEADER = ("order_id,order_date,shipped_at,tracking_number,tracking_valid,delivered_at,"
          "returned_at")


@pytest.fixture(scope="module")
def policies():
    return load_policies()


def _metrics(tmp_path, capsys, policy: str, rows: list[str], as_of: str, header=HEADER):
    path = tmp_path / "orders.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    code = main(["metrics", "--policy", policy, "--report", str(path), "--as-of", as_of,
                 "--json"])
    data = json.loads(capsys.readouterr().out)
    return code, {m["id"]: m for m in data["metrics"]}


def _joom_rows(within: int, late: int, unshipped: int) -> list[str]:
    rows = []
    for i in range(within):  # 10 Nov 09:00 -> 12 Nov 18:00: 57 h
        rows.append(f"W{i},2026-11-10 09:00,2026-11-12 18:00,T{i},yes,,")
    for i in range(late):  # 10 Nov 09:00 -> 14 Nov 10:00: 97 h
        rows.append(f"L{i},2026-11-10 09:00,2026-11-14 10:00,T{i},yes,,")
    rows += [f"U{i},2026-11-10 09:00,,,,," for i in range(unshipped)]
    return rows


def test_joom_quick_fulfilment_counts_orders_shipped_within_3_days(tmp_path, capsys, policies):
    metric = policies.get("joom").metric("quick_fulfillment_rate")
    assert (metric.numerator, metric.within.amount, metric.within.unit) == (
        "shipped_within", 3, "calendar_days")
    assert (metric.window.days, metric.window.lag, metric.limit) == (15, 7, 0.45)
    # day -21 to day -7 as of 30 November: 9 to 23 November
    code, by_id = _metrics(tmp_path, capsys, "joom", _joom_rows(55, 10, 55), "2026-11-30")
    m = by_id["quick_fulfillment_rate"]
    assert (m["numerator"], m["denominator"], m["status"]) == (55, 120, "ok")  # 45.8%
    assert (m["window_start"], m["window_end"]) == ("2026-11-09", "2026-11-23")
    code, by_id = _metrics(tmp_path, capsys, "joom", _joom_rows(50, 15, 55), "2026-11-30")
    m = by_id["quick_fulfillment_rate"]
    assert (m["numerator"], m["status"]) == (50, "breach")  # 41.7% < 45%: Critical
    assert "W0" in m["orders"] and "L0" not in m["orders"] and "U0" not in m["orders"]
    assert code == 1
    # advisory: shipped within 5 days / shipped with valid tracking, the last 7 days
    _code, by_id = _metrics(tmp_path, capsys, "joom",
                            [*_joom_rows(50, 15, 55), "X1,2026-11-10 09:00,2026-11-16 09:00,"
                             "TX,yes,,"], "2026-11-15")
    late = by_id["late_shipment_rate"]
    assert (late["numerator"], late["denominator"], late["enforced"]) == (65, 66, False)  # X1: 6 days


def test_bare_dates_compare_whole_days(tmp_path, capsys):
    rows = [f"D{i},2026-11-10,2026-11-13,T{i},yes,," for i in range(60)]  # 3 days: in time
    rows += [f"E{i},2026-11-10,2026-11-14,T{i},yes,," for i in range(40)]  # 4 days: not
    _code, by_id = _metrics(tmp_path, capsys, "joom", rows, "2026-11-30")
    m = by_id["quick_fulfillment_rate"]
    assert (m["numerator"], m["denominator"]) == (60, 100)


def test_without_a_ship_date_column_quick_fulfilment_is_no_data(tmp_path, capsys):
    rows = [f"N{i},2026-11-10 09:00" for i in range(120)]
    _code, by_id = _metrics(tmp_path, capsys, "joom", rows, "2026-11-30",
                            header="order_id,order_date")
    assert by_id["quick_fulfillment_rate"]["status"] == "no_data"


def test_shipped_within_needs_its_time():
    _origin, text = shipped_policy_texts()["joom"]
    start = text.index("within = { calendar_days = 3")
    end = text.index("\n", start)
    with pytest.raises(PolicyError) as err:
        parse_policy_text(text[:start] + text[end + 1:], "test", check_holidays=False)
    assert any("within" in p and "shipped_within" in p for p in err.value.problems)


def test_noon_kpis_of_seed_001_are_advisory_with_sources(tmp_path, capsys, policies):
    noon = policies.get("noon")
    for mid in ("order_defect_rate", "return_rate", "valid_tracking_rate"):
        m = noon.metric(mid)
        assert m is not None and not m.enforced and m.source and m.limit is not None
    rows = [f"R{i},2026-11-01 10:00,2026-11-02 10:00,T{i},{'yes' if i % 10 else 'no'},"
            f"2026-11-05 10:00,{'2026-11-09 10:00' if i < 3 else ''}" for i in range(20)]
    code, by_id = _metrics(tmp_path, capsys, "noon", rows, "2026-11-20")
    assert (by_id["return_rate"]["numerator"], by_id["return_rate"]["denominator"]) == (3, 20)
    assert by_id["return_rate"]["status"] == "breach"  # 15% over the 10% warning line
    assert (by_id["valid_tracking_rate"]["numerator"],
            by_id["valid_tracking_rate"]["denominator"]) == (18, 20)
    assert by_id["order_defect_rate"]["status"] == "no_data"  # no feedback/claim columns
    assert code != 1  # advisory breaches are not a breach of the account


@pytest.mark.parametrize("policy,status,channel", [
    ("joom", "Cancelled", "FBJ"), ("noon", "Cancelled", "FBN"), ("jd", "已取消", None)])
def test_report_values_map_statuses_and_marketplace_fulfilment(tmp_path, capsys, policy,
                                                                status, channel):
    """[report_values]: a status cancels; marketplace-fulfilled orders count nowhere."""
    from appealdesk.metrics.evaluation import Evaluation
    from appealdesk.metrics.needs import ValueRules
    from appealdesk.reports.orders import import_report, mappings_for

    policies = load_policies()
    chosen = policies.get(policy)
    rules = ValueRules.of(chosen)
    assert status.lower() in rules.cancelled_status
    assert chosen.raw["report_values"]["source"]
    assert rules.status_gives("cancelled") and not rules.status_gives("seller_cancelled")
    cols = {"joom": ("Order ID", "Order Date", "Status", "Fulfillment Type"),
            "noon": ("order_nr", "order_created_at", "status", "fulfillment_model"),
            "jd": ("订单号", "下单时间", "订单状态", None)}[policy]
    header = ",".join(c for c in cols if c)
    rows = [f"A1,2026-11-10 09:00,{status}" + (",MFN" if channel else ""),
            "A2,2026-11-10 09:00,Shipped" + (",MFN" if channel else "")]
    if channel:
        rows.append(f"A3,2026-11-10 09:00,Shipped,{channel}")
    path = tmp_path / "orders.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    result = import_report(path, mappings_for(chosen, {}, list(policies)))
    ev = Evaluation(result.orders, chosen, result.known)
    ids = result.orders.order_id
    assert ev.select(ids, ev.fact("cancelled")) == ["A1"]
    assert ev.select(ids, ev.fact("ordered")) == ["A1", "A2"]  # A3: the marketplace's
