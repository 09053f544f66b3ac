"""Variants of the reports sellers download (tests/fixtures/reports: published headers,
invented rows): Amazon's All Orders report as the EU and JP sites deliver it, with
replacement orders, the Seller Central order report as the EU help page lists it, the
date layouts help pages show, and noon's consolidated report. What each yields, and
what it cannot tell."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from appealdesk.metrics.case_metrics import read_inputs
from appealdesk.metrics.engine import BREACH, NO_DATA, compute_metrics
from appealdesk.policy.loading import load_policies
from appealdesk.reports.orders import ReportError, import_report, mappings_for

FIX = Path(__file__).parent / "fixtures" / "reports"
POLICIES = load_policies()
AMAZON = POLICIES.get("amazon")
AS_OF = date(2026, 11, 30)
NOT_IN_ALL_ORDERS = ("late_shipment_rate_10d", "late_shipment_rate_30d", "valid_tracking_rate",
                     "on_time_delivery_rate", "order_defect_rate")


def _metrics(path: Path, policy=AMAZON):
    imported, _health = read_inputs([path], mappings_for(policy, {}, POLICIES), policy)
    results = compute_metrics(imported.orders, policy, AS_OF, known=imported.known)
    return imported, {r.id: r for r in results}


def _without(key: str):
    values = {k: v for k, v in AMAZON.raw["report_values"].items() if k != key}
    return AMAZON.__class__(**{**AMAZON.__dict__, "raw": {**AMAZON.raw, "report_values": values}})


def test_the_eu_all_orders_report_is_recognised_and_leaves_amazon_fulfilled_orders_out():
    """amazon.de: quantity-purchased for quantity, fulfillment-channel Amazon/Merchant,
    sales-channel Amazon.de (and Amazon.fr for a Pan-EU order): one seller cancellation
    among three seller-fulfilled orders; the two Amazon-fulfilled ones are not counted."""
    imported, by_id = _metrics(FIX / "amazon" / "all_orders_de.txt")
    assert imported.format == "amazon:all_orders" and not imported.guessed
    assert not imported.bad_rows and len(imported.orders) == 5
    cancel = by_id["pre_fulfillment_cancel_rate"]
    assert (cancel.status, cancel.numerator, cancel.denominator) == (BREACH, 1, 3)
    assert cancel.orders == ["302-0000002-0000002"]
    for metric_id in NOT_IN_ALL_ORDERS:
        assert by_id[metric_id].status == NO_DATA, metric_id
    assert by_id["late_shipment_rate_10d"].lacks == [("ship_by",), ("shipped_at",)]
    counted = compute_metrics(imported.orders, _without("marketplace_fulfilled"), AS_OF,
                              known=imported.known)
    cancel = next(r for r in counted if r.id == "pre_fulfillment_cancel_rate")
    assert (cancel.numerator, cancel.denominator) == (2, 5)  # the rule is what leaves them out


def test_the_jp_all_orders_report_reads_shift_jis_and_plus_nine_offsets():
    imported, by_id = _metrics(FIX / "amazon" / "all_orders_jp.txt")
    assert imported.format == "amazon:all_orders" and imported.encoding == "cp932"
    assert not imported.bad_rows
    first = next(o for o in imported.orders if o.order_id == "503-0000001-0000001")
    assert first.order_date == datetime(2026, 11, 25, 5, 0, tzinfo=UTC)  # 14:00 in Tokyo
    cancel = by_id["pre_fulfillment_cancel_rate"]
    # 2: cancelled at the buyer's request (not the seller's); 3: the seller's; 4: Amazon's
    assert (cancel.status, cancel.numerator, cancel.denominator) == (BREACH, 1, 4)
    assert cancel.orders == ["503-0000003-0000003"]
    for metric_id in NOT_IN_ALL_ORDERS:
        assert by_id[metric_id].status == NO_DATA, metric_id


def test_a_replacement_order_is_an_order_of_its_own_and_its_cancellation_counts():
    """Amazon: "cancelling replacement orders will affect their cancellation rate"
    (selling-partner-api-docs issue #765). The replacement has its own order id, so it
    is neither merged into the order it replaces nor left out."""
    imported, by_id = _metrics(FIX / "amazon" / "all_orders_replacement.txt")
    assert imported.format == "amazon:all_orders" and imported.merged == 0
    assert sorted(o.order_id for o in imported.orders) == [
        "113-0000001-0000001", "113-0000002-0000002", "113-0000003-0000003",
        "113-0000004-0000004"]
    cancel = by_id["pre_fulfillment_cancel_rate"]
    assert (cancel.status, cancel.numerator, cancel.denominator) == (BREACH, 1, 3)
    assert cancel.orders == ["113-0000002-0000002"]  # the original (20 Nov) is out of window


@pytest.mark.parametrize("layout, reason", [
    (r"\1/\2/\3 \4 JST", "(JST)"),        # a zone written as a name
    (r"\3-\2-\1T\4+ 00:00", "cannot read the date"),  # help 200547170 on amazon.es
    (r"\1-\2-\3T\4+ 00 :00", "cannot read the date"),  # help 200547170 on amazon.com
])
def test_date_layouts_help_pages_show_are_bad_rows_never_a_result(tmp_path, layout, reason):
    import re

    text = (FIX / "amazon" / "all_orders_jp.txt").read_bytes().decode("cp932")
    changed = re.sub(r"(2026)-(\d\d)-(\d\d)T(\d\d:\d\d:\d\d)\+09:00", layout, text)
    assert changed != text
    path = tmp_path / "all_orders.txt"
    path.write_text(changed, encoding="utf-8")
    imported, by_id = _metrics(path)
    assert len(imported.bad_rows) == 5 and not imported.orders
    assert all(reason in why for _line, why in imported.bad_rows)
    assert all(r.status not in ("ok", BREACH) for r in by_id.values())


def test_the_au_spelling_of_the_channel_column_still_leaves_amazon_orders_out(tmp_path):
    """help 200547170 for amazon.com.au names the field fulfilment-channel: read as the
    channel (a named guess), so the Amazon-fulfilled order is not counted."""
    text = (FIX / "amazon" / "all_orders_jp.txt").read_bytes().decode("cp932")
    path = tmp_path / "all_orders_au.txt"
    path.write_text(text.replace("fulfillment-channel", "fulfilment-channel", 1),
                    encoding="utf-8")
    imported, by_id = _metrics(path)
    assert imported.guessed == ["all_orders_au.txt: amazon"]
    assert imported.columns["fulfillment_channel"] == "fulfilment-channel"
    cancel = by_id["pre_fulfillment_cancel_rate"]
    assert (cancel.numerator, cancel.denominator) == (1, 4)


def test_the_eu_order_report_as_the_help_page_lists_it_tells_only_order_dates():
    """help 201648780 (sellercentral-europe): order-id ... item-name, sales-channel, no
    ship-by column among the fields it lists, dates written as in its example (05-17-2011,
    month first). A named guess; every metric is no_data."""
    imported, by_id = _metrics(FIX / "amazon" / "order_report_eu_help.txt")
    assert imported.guessed == ["order_report_eu_help.txt: amazon"] and not imported.bad_rows
    assert set(imported.columns) == {"order_id", "order_date", "sku"}
    dates = {o.order_id: o.order_date for o in imported.orders}
    assert dates["202-0000002-0000002"] == date(2026, 11, 5)  # 11-05: the column says month first
    assert all(r.status == NO_DATA for r in by_id.values())
    assert "order status" in by_id["pre_fulfillment_cancel_rate"].needs


def test_noons_consolidated_report_is_refused_not_read_as_orders():
    """help.noon.partners 360010417333: one line per item (item_nr), only once noon has
    dispatched it, on the stock-request flow: no order id, no ESD, no DirectShip
    handover. It must not stand in for an orders export."""
    noon = POLICIES.get("noon")
    with pytest.raises(ReportError, match="no order id column"):
        import_report(FIX / "noon" / "consolidated.csv", mappings_for(noon, {}, POLICIES))


def test_a_jd_merchant_back_office_export_gives_order_dates_and_status_only():
    """The 30 headers a 商家后台 order export has (public importers of it): order id,
    商品ID, 下单时间, 订单状态, 付款确认时间, 订单完成时间 ... but no ship-by and no ship
    time. A named guess (JD publishes no format); the monthly late-shipment rate is
    no_data, never 0%. A split order's parent ("(删除)等待出库") is read as written."""
    jd = POLICIES.get("jd")
    imported, by_id = _metrics(FIX / "jd" / "order_export.csv", jd)
    assert imported.guessed == ["order_export.csv: jd"] and imported.encoding == "gb18030"
    assert imported.columns == {"order_id": "订单号", "order_date": "下单时间",
                                "sku": "商品ID", "order_status": "订单状态"}
    assert not imported.bad_rows and len(imported.orders) == 4
    late = by_id["late_shipment_rate_month"]
    assert late.status == NO_DATA and late.lacks == [("ship_by",), ("shipped_at",)]


def _jp_edge(tmp_path: Path) -> Path:
    """An amazon.co.jp order cancelled at 08:00 on 24 Nov in Tokyo (23 Nov in Los
    Angeles, the policy's default zone), and one shipped order."""
    head = (FIX / "amazon" / "all_orders_replacement.txt").read_text(
        encoding="utf-8").splitlines()[0].split("\t")

    def line(oid: str, when: str, status: str) -> str:
        values = {"amazon-order-id": oid, "purchase-date": when, "last-updated-date": when,
                  "order-status": status, "item-status": status,
                  "fulfillment-channel": "Merchant", "sales-channel": "Amazon.co.jp"}
        return "\t".join(values.get(h, "") for h in head)

    path = tmp_path / "all_orders_jp_edge.txt"
    path.write_text("\n".join(["\t".join(head),
                               line("503-0000011-0000011", "2026-11-24T08:00:00+09:00",
                                    "Cancelled"),
                               line("503-0000012-0000012", "2026-11-26T12:00:00+09:00",
                                    "Shipped")]) + "\n", encoding="utf-8")
    return path


def _jp_case(ws, path: Path) -> str:
    """The demo Amazon case moved to amazon.co.jp, with ``path`` its only report."""
    from appealdesk.metrics.case_metrics import import_into_case

    case_id = next(c for c in ws.store.case_ids() if c.startswith("amazon"))
    with ws.store.editing(case_id, "tester") as case:
        case.reports.clear()
        case.site = "amazon.co.jp"
    import_into_case(ws, case_id, path)
    return case_id


def test_a_jp_case_places_orders_on_tokyo_days(demo_workspace, tmp_path):
    """The cancellation of 24 Nov in Tokyo is inside the 7-day window 24-30 Nov: the
    case's site decides the day. In Pacific days it would fall out and the rate read "ok"."""
    from appealdesk.metrics.case_metrics import evaluate_case

    path = _jp_edge(tmp_path)
    ws = demo_workspace
    case_id = _jp_case(ws, path)
    result = evaluate_case(ws, ws.store.load(case_id), as_of=AS_OF)
    cancel = next(a.metric for a in result.analyses if a.metric.id == "pre_fulfillment_cancel_rate")
    assert (cancel.status, cancel.numerator, cancel.denominator) == (BREACH, 1, 2)
    pacific = compute_metrics(result.imported.orders, AMAZON, AS_OF,
                              known=result.imported.known)
    assert next(r for r in pacific if r.id == cancel.id).numerator == 0


def test_the_command_line_counts_in_the_site_zone_too(demo_workspace, tmp_path, capsys):
    """``appealdesk metrics`` gives the app's answer: a case's site, or ``--site``."""
    import json

    from appealdesk.cli import main

    path = _jp_edge(tmp_path)

    def cancelled(*argv: str) -> int:
        main(["--data-dir", str(demo_workspace.store.root), "metrics", *argv,
              "--as-of", AS_OF.isoformat(), "--json"])
        data = json.loads(capsys.readouterr().out)
        return next(m for m in data["metrics"]
                    if m["id"] == "pre_fulfillment_cancel_rate")["numerator"]

    standalone = ("--policy", "amazon", "--report", str(path))
    assert cancelled(*standalone, "--site", "amazon.co.jp") == 1
    assert cancelled(*standalone) == 0  # no site named: the policy's own zone
    ws = demo_workspace
    case_id = _jp_case(ws, path)
    assert cancelled(case_id) == 1
    assert main(["--data-dir", str(ws.store.root), "metrics", *standalone, "--site",
                 "amazon.fr"]) == 2
    assert "unknown site amazon.fr" in capsys.readouterr().err
