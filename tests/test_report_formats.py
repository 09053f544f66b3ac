"""Reports as a seller downloads them (tests/fixtures/reports/amazon: published headers,
invented rows), what each yields and what it cannot tell; the account health report."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from appealdesk.cli import main
from appealdesk.metrics.case_metrics import read_inputs
from appealdesk.metrics.engine import (
    BREACH,
    NO_DATA,
    compute_metrics,
    cross_check,
    drill_down,
)
from appealdesk.policy.loading import load_policies
from appealdesk.reports.account_health import read_health_report
from appealdesk.reports.orders import ReportError, import_report, mappings_for

FIX = Path(__file__).parent / "fixtures" / "reports" / "amazon"
POLICIES = load_policies()
AMAZON = POLICIES.get("amazon")
AS_OF = date(2026, 11, 30)
ALL = ["all_orders.txt", "order_report.txt", "ship_confirmation.txt", "fba_shipments.txt"]


def _metrics(*names: str):
    imported, health = read_inputs([FIX / n for n in names], mappings_for(AMAZON), AMAZON)
    results = compute_metrics(imported.orders, AMAZON, AS_OF, known=imported.known)
    return imported, health, {r.id: r for r in results}


@pytest.mark.parametrize("name, fmt, fields", [
    ("all_orders.txt", "amazon:all_orders", {"order_id", "order_date", "order_status",
                                             "item_status", "fulfillment_channel", "sku",
                                             "listing"}),
    ("order_report.txt", "amazon:order_report", {"order_id", "order_date", "ship_by",
                                                 "promised_delivery", "sku"}),
    ("unshipped.txt", "amazon:unshipped", {"order_id", "order_date", "ship_by", "sku"}),
    ("ship_confirmation.txt", "amazon:ship_confirmation", {"order_id", "shipped_at", "carrier",
                                                           "tracking_number"}),
    ("fba_shipments.txt", "amazon:fba_shipments", {"order_id", "order_date", "shipped_at",
                                                   "promised_delivery", "carrier",
                                                   "tracking_number", "fulfillment_channel",
                                                   "sku"}),
])
def test_each_published_report_is_recognised_not_guessed(name, fmt, fields):
    result = import_report(FIX / name, mappings_for(AMAZON, {}, POLICIES))
    assert result.format == fmt and not result.guessed and not result.bad_rows
    assert set(result.columns) == fields


def test_the_shipping_confirmation_preamble_is_skipped_and_lines_still_count():
    result = import_report(FIX / "ship_confirmation.txt", mappings_for(AMAZON))
    assert result.skipped_lines == 1 and len(result.orders) == 6
    assert result.columns["shipped_at"] == "ship-date"
    path = FIX.parent / "bad_ship_confirmation.tmp"
    text = (FIX / "ship_confirmation.txt").read_text(encoding="utf-8").replace(
        "2026-11-26\tUPS\tUPS\t1Z999AA10000000005", "2026-13-45\tUPS\tUPS\t1Z9", 1)
    path.write_text(text, encoding="utf-8")
    try:
        bad = import_report(path, mappings_for(AMAZON)).bad_rows
    finally:
        path.unlink()
    assert [line for line, _ in bad] == [7]  # preamble 1, header 2, rows from 3


def test_merged_reports_give_the_three_breaches_and_exclude_fba():
    imported, _h, by_id = _metrics(*ALL)
    assert len(imported.orders) == 8
    late10, late30 = by_id["late_shipment_rate_10d"], by_id["late_shipment_rate_30d"]
    assert (late10.status, late10.numerator, late10.denominator) == (BREACH, 1, 3)
    assert (late30.status, late30.numerator, late30.denominator) == (BREACH, 1, 6)
    assert late10.orders == ["111-0000004-0000004"]
    tracking = by_id["valid_tracking_rate"]
    assert (tracking.status, tracking.numerator, tracking.denominator) == (BREACH, 2, 3)
    cancel = by_id["pre_fulfillment_cancel_rate"]  # a status-only cancellation; FBA left out
    assert (cancel.status, cancel.numerator, cancel.denominator) == (BREACH, 1, 4)
    assert cancel.orders == ["111-0000007-0000007"]
    assert "111-0000008-0000008" not in {o for r in by_id.values() for o in r.against}


def _drill(by_id, imported, metric_id):
    metric = next(m for m in AMAZON.metrics if m.id == metric_id)
    return drill_down(imported.orders, by_id[metric_id].against, metric)


def test_the_all_orders_asin_is_the_listing_beside_the_sku_in_the_drill_down():
    imported, _h, by_id = _metrics(*ALL)
    assert imported.columns["listing"].endswith("asin")
    columns, rows = _drill(by_id, imported, "late_shipment_rate_10d")
    assert columns == ["sku", "listing", "ship_by", "shipped_at", "carrier"]
    assert [(oid, v["sku"], v["listing"]) for oid, v in rows] == [
        ("111-0000004-0000004", "SKU-C", "B0TEST0001")]
    columns, rows = _drill(by_id, imported, "pre_fulfillment_cancel_rate")
    assert columns[:2] == ["sku", "listing"] and rows[0][1]["listing"] == "B0TEST0001"


def test_reports_without_a_listing_column_show_no_listing():
    imported, _h, by_id = _metrics("order_report.txt", "ship_confirmation.txt")
    assert "listing" not in imported.known
    columns, rows = _drill(by_id, imported, "late_shipment_rate_10d")
    assert columns[0] == "sku" and "listing" not in columns
    assert rows and all("listing" not in values for _oid, values in rows)


def test_a_generic_csv_may_carry_a_listing_and_an_empty_one_shows_as_none(tmp_path):
    path = tmp_path / "orders.csv"
    path.write_text("order_id,order_date,ship_by,shipped_at,listing\n"
                    "A1,2026-11-20,2026-11-21,2026-11-25,B0LISTING1\n"
                    "A2,2026-11-20,2026-11-21,2026-11-26,\n", encoding="utf-8")
    result = import_report(path)
    assert result.format == "generic" and result.columns["listing"] == "listing"
    metric = next(m for m in AMAZON.metrics if m.id == "late_shipment_rate_30d")
    late = {r.id: r for r in compute_metrics(result.orders, AMAZON, AS_OF,
                                             known=result.known)}[metric.id]
    columns, rows = drill_down(result.orders, late.against, metric)
    assert columns[0] == "listing" and "sku" not in columns  # no SKU column in the file
    assert {oid: v["listing"] for oid, v in rows} == {"A1": "B0LISTING1", "A2": None}


def test_fba_orders_would_count_without_the_channel_rule():
    values = {k: v for k, v in AMAZON.raw["report_values"].items()
              if k != "marketplace_fulfilled"}
    policy = AMAZON.__class__(**{**AMAZON.__dict__, "raw": {**AMAZON.raw,
                                                           "report_values": values}})
    imported, _h, _ = _metrics(*ALL)
    results = {r.id: r for r in compute_metrics(imported.orders, policy, AS_OF,
                                                known=imported.known)}
    assert results["pre_fulfillment_cancel_rate"].denominator == 5  # the FBA order too
    assert results["pre_fulfillment_cancel_rate"].numerator == 1


def test_a_cancellation_the_buyer_asked_for_is_not_the_sellers_and_an_item_one_is():
    """Amazon's cancel rate counts the seller's "order and item cancellations" and
    leaves out those the buyer requested (help 200285210); the All Orders report says
    so per line (item-status, is-buyer-requested-cancellation)."""
    imported, _h, by_id = _metrics("all_orders_cancellations.txt")
    assert imported.format == "amazon:all_orders" and not imported.bad_rows
    assert imported.columns["buyer_cancel_request"] == "is-buyer-requested-cancellation"
    assert imported.columns["item_status"] == "item-status"
    cancel = by_id["pre_fulfillment_cancel_rate"]
    assert (cancel.status, cancel.numerator, cancel.denominator) == (BREACH, 2, 7)
    # 2: cancelled, not at the buyer's request; 7: shipped, one of its two items cancelled
    assert cancel.orders == ["112-0000002-0000002", "112-0000007-0000007"]
    seven = next(o for o in imported.orders if o.order_id == "112-0000007-0000007")
    assert (seven.order_status, seven.item_status) == ("Shipped", "Shipped | Cancelled")


def test_without_the_buyer_request_rule_every_cancellation_would_count():
    values = {k: v for k, v in AMAZON.raw["report_values"].items() if k != "buyer_requested"}
    policy = AMAZON.__class__(**{**AMAZON.__dict__, "raw": {**AMAZON.raw,
                                                           "report_values": values}})
    imported, _h, _ = _metrics("all_orders_cancellations.txt")
    results = {r.id: r for r in compute_metrics(imported.orders, policy, AS_OF,
                                                known=imported.known)}
    assert results["pre_fulfillment_cancel_rate"].numerator == 3


def test_a_cancellation_column_that_says_who_wins_over_the_buyer_request_flag(tmp_path):
    path = tmp_path / "orders.csv"
    path.write_text("order_id,order_date,order_status,cancelled_by,buyer_cancel_request\n"
                    "A1,2026-11-26,Cancelled,seller,true\n"
                    "A2,2026-11-26,Cancelled,,true\n"
                    "A3,2026-11-26,Shipped,,\n", encoding="utf-8")
    result = import_report(path)
    by_id = {r.id: r for r in compute_metrics(result.orders, AMAZON, AS_OF,
                                              known=result.known)}
    assert by_id["pre_fulfillment_cancel_rate"].orders == ["A1"]


def test_what_the_files_cannot_tell_is_no_data_not_ok():
    _i, _h, by_id = _metrics(*ALL)
    odr, otd = by_id["order_defect_rate"], by_id["on_time_delivery_rate"]
    assert odr.status == NO_DATA and odr.value is None and odr.numerator == 0
    assert odr.needs == "needs: a negative-feedback, claim or chargeback column"
    assert otd.status == NO_DATA and "delivery date" in otd.needs
    _i, _h, alone = _metrics("all_orders.txt")  # no ship-by, ship-date or tracking
    assert alone["late_shipment_rate_10d"].status == NO_DATA
    assert alone["late_shipment_rate_10d"].lacks == [("ship_by",), ("shipped_at",)]
    assert alone["valid_tracking_rate"].status == NO_DATA
    assert alone["pre_fulfillment_cancel_rate"].status == BREACH  # the status tells it


def test_unshipped_alone_yields_no_late_shipment_figure():
    _i, _h, by_id = _metrics("unshipped.txt")
    assert by_id["late_shipment_rate_10d"].status == NO_DATA
    assert "ship-date" in by_id["late_shipment_rate_10d"].needs
    assert by_id["pre_fulfillment_cancel_rate"].status == NO_DATA  # no status, no canceller


def test_a_defect_breach_from_part_of_the_columns_stands_but_an_ok_does_not(tmp_path):
    head = "order_id,order_date,claim\n"
    ok = tmp_path / "ok.csv"
    ok.write_text(head + "".join(f"O{i},2026-10-01,no\n" for i in range(10)), encoding="utf-8")
    bad = tmp_path / "bad.csv"
    bad.write_text(head + "O1,2026-10-01,yes\nO2,2026-10-01,no\n", encoding="utf-8")
    for path, status in ((ok, NO_DATA), (bad, BREACH)):
        result = import_report(path)
        odr = compute_metrics(result.orders, AMAZON, AS_OF, known=result.known)[0]
        assert odr.id == "order_defect_rate" and odr.status == status
        assert odr.lacks == [("negative_feedback",), ("chargeback",)]


def test_a_chinese_erp_export_is_a_named_guess_with_its_gaps(tmp_path):
    path = tmp_path / "erp.csv"
    path.write_text("订单号,下单时间,快递公司,物流单号,订单状态\nA1,2026-11-25 10:00,顺丰,SF1,已取消\n",
                    encoding="gb18030")
    result = import_report(path, mappings_for(AMAZON, {}, POLICIES))
    assert result.guessed and result.guessed[0].startswith("erp.csv: ")
    assert "ship_by" not in result.columns and "shipped_at" not in result.columns


def test_account_health_report_keeps_every_metric_and_unknown_fields():
    report = read_health_report(FIX / "account_health.json", AMAZON)
    keys = {m.key for m in report.metrics}
    assert {"lateShipmentRate", "orderDefectRate.mfn", "accountHealthRating",
            "listingPolicyViolations"} <= keys
    odr = report.for_metric("order_defect_rate")
    assert (odr.value, odr.numerator, odr.denominator, odr.status) == (0.025, 1, 40, "BAD")
    assert odr.window_start == date(2026, 9, 18) and odr.window_end == date(2026, 11, 16)
    assert report.for_metric("late_shipment_rate_30d").days == 30
    assert report.for_metric("late_shipment_rate_10d") is None  # a 30-day figure is not it
    assert report.raw["performanceMetrics"][0]["someFieldAddedLater"]["note"]
    assert report.accounts == [("ATVPDKIKX0DER", "AT_RISK")]


def test_account_health_figures_replace_the_notice_in_the_cross_check():
    imported, health, by_id = _metrics(*ALL, "account_health.json")

    class Quoted:
        metric, value = "late_shipment_rate_30d", 9.0  # the notice says 9%

    class Notice:
        cited_orders: list = []
        quoted_metrics = [Quoted()]

    found = cross_check(Notice(), imported.orders, list(by_id.values()), health=health)
    assert found == []  # Amazon's 16.67% agrees with the files; the notice's 9% is not used
    health.for_metric("late_shipment_rate_30d").value = 0.3
    found = cross_check(Notice(), imported.orders, list(by_id.values()), health=health)
    assert [d.kind for d in found] == ["figure_differs"] and "account health" in found[0].message


def test_json_that_is_not_a_health_report_is_one_line(tmp_path):
    path = tmp_path / "x.json"
    path.write_text('{"hello": 1}', encoding="utf-8")
    with pytest.raises(ReportError, match="not an account health report"):
        read_health_report(path)
    path.write_text('{"performanceMetrics": [', encoding="utf-8")
    with pytest.raises(ReportError, match="not valid JSON"):
        read_health_report(path)


def test_cli_metrics_json_and_exit_codes(tmp_path, capsys):
    args = ["--data-dir", str(tmp_path), "metrics", "--policy", "amazon", "--as-of",
            "2026-11-30", "--json"]
    code = main([*args, *[a for n in [*ALL, "account_health.json"]
                          for a in ("--report", str(FIX / n))]])
    data = json.loads(capsys.readouterr().out)
    assert code == 1
    by_id = {m["id"]: m for m in data["metrics"]}
    assert by_id["order_defect_rate"]["status"] == "no_data"
    assert by_id["order_defect_rate"]["needs"] == [["negative_feedback", "claim", "chargeback"]]
    assert data["columns"]["shipped_at"].startswith("ship_confirmation.txt: ship-date")
    assert {m["metric"] for m in data["account_health"]["metrics"]} >= {"order_defect_rate"}
    code = main([*args, "--report", str(FIX / "unshipped.txt")])
    capsys.readouterr()
    assert code == 4  # nothing in breach, but not an all-clear


def test_import_report_says_what_it_mapped_and_what_is_missing(demo_workspace, capsys):
    ws = demo_workspace
    case_id = next(c for c in ws.store.case_ids() if c.startswith("amazon"))
    data = str(ws.store.root)
    assert main(["--data-dir", data, "import-report", case_id,
                 str(FIX / "ship_confirmation.txt"), "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["format"] == "amazon:ship_confirmation" and info["guessed"] is False
    assert info["skipped_lines"] == 1 and info["columns"]["shipped_at"] == "ship-date"
    assert "ship_by" in info["not_found"]
    assert {d["metric"] for d in info["no_data"]} >= {"late_shipment_rate_10d"}
    assert main(["--data-dir", data, "import-report", case_id,
                 str(FIX / "account_health.json")]) == 0
    out = capsys.readouterr().out
    assert "account health report" in out and "order_defect_rate" in out


def test_the_letter_quotes_no_figure_the_reports_cannot_tell(demo_workspace):
    from appealdesk.letter.facts import facts_for_case
    from appealdesk.metrics.case_metrics import import_into_case

    ws = demo_workspace
    case_id = next(c for c in ws.store.case_ids() if c.startswith("amazon"))
    with ws.store.editing(case_id, "tester") as case:
        case.reports.clear()
    import_into_case(ws, case_id, FIX / "all_orders.txt")  # no ship-by, no ship-date
    case = ws.store.load(case_id)
    facts = facts_for_case(case, ws.policy_for(case), now=ws.now(), workspace=ws)
    quoted = {q.metric for q in case.notification.quoted_metrics}
    for m in facts.metrics:  # only the notice's own figures remain
        assert m.id in quoted and m.numerator is None and m.denominator is None


def test_policies_check_validates_the_report_sections(tmp_path, capsys):
    text = (Path(__file__).parents[1] / "policies" / "amazon.toml").read_text(encoding="utf-8")
    bad = tmp_path / "amazon.toml"
    bad.write_text(text.replace('status_cancelled_by = "seller"', 'status_cancelled_by = "me"'),
                   encoding="utf-8")
    assert main(["--data-dir", str(tmp_path / "d"), "policies", "check", str(bad)]) == 1
    assert "report_values.status_cancelled_by" in capsys.readouterr().out


def test_late_shipment_from_the_ship_date_entered_stands_as_a_breach_never_as_ok():
    """Amazon times the confirmation, 'not the date that is entered for said shipment'
    (help 200197960): the confirmation file's ship-date can only make lateness look
    smaller, so a breach stands and an ok is not stated."""
    imported, _h, by_id = _metrics("order_report.txt", "ship_confirmation.txt")
    assert imported.known.entered == {"shipped_at"}
    late10, late30 = by_id["late_shipment_rate_10d"], by_id["late_shipment_rate_30d"]
    assert late10.status == BREACH and late30.status == BREACH
    _jp, _h2, jp_by_id = _metrics("order_report_jp.txt", "ship_confirmation_jp.txt")
    ten = jp_by_id["late_shipment_rate_10d"]  # one order in the window, confirmed on time
    assert ten.status == NO_DATA and ten.lacks == [("shipped_at:recorded",)]
    assert jp_by_id["late_shipment_rate_30d"].status == BREACH
    assert jp_by_id["valid_tracking_rate"].status != NO_DATA  # a ship-date still says shipped


def test_the_same_dates_from_an_export_that_records_them_give_an_ok(tmp_path):
    path = tmp_path / "orders.csv"
    path.write_text("order_id,order_date,ship_by,shipped_at\n"
                    "A1,2026-11-24,2026-11-26,2026-11-25\n", encoding="utf-8")
    result = import_report(path)
    assert result.known.entered == frozenset()
    by_id = {r.id: r for r in compute_metrics(result.orders, AMAZON, AS_OF,
                                              known=result.known)}
    assert by_id["late_shipment_rate_10d"].status == "ok"
