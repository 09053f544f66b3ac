"""Buyer messages and returns inside a case: import (family told from the header),
``appealdesk metrics CASE``, and the letter draft's facts (seed 002's week away)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from appealdesk.cli import main
from appealdesk.letter.draft import draft_for_case
from appealdesk.letter.facts import facts_for_case
from appealdesk.metrics.case_metrics import evaluate_case
from appealdesk.operations import reports
from appealdesk.policy.loading import load_policies
from appealdesk.reports.families import HEALTH, MESSAGES, ORDERS, RETURNS, family_of

FIXTURES = Path(__file__).parent / "messages_fixtures"
HOLIDAY_GAP = FIXTURES / "amazon_holiday_gap.csv"
RETURNS_HELPDESK = FIXTURES / "amazon_returns_helpdesk.csv"
RETURNS_REPORT = FIXTURES / "amazon_returns_report.txt"
SEED_002_RECEIVED = datetime(2026, 10, 15, 17, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def policies():
    return load_policies()


def test_the_family_is_told_from_the_header(policies, tmp_path):
    amazon = policies.get("amazon")
    assert family_of(HOLIDAY_GAP, amazon) == MESSAGES
    assert family_of(RETURNS_HELPDESK, amazon) == RETURNS
    assert family_of(RETURNS_REPORT, amazon) == RETURNS  # has an Order ID column too
    assert family_of(FIXTURES / "jd_dongdong.csv", policies.get("jd")) == MESSAGES
    orders = tmp_path / "orders.txt"
    orders.write_text("amazon-order-id\tpurchase-date\torder-status\n1\t2026-10-01\tShipped\n")
    assert family_of(orders, amazon) == ORDERS
    health = tmp_path / "health.json"
    health.write_text('{"performanceMetrics": []}')
    assert family_of(health, amazon) == HEALTH


def _seed_002_case(ws):
    """The demo Amazon case as seed 002's: a deactivation received on 15 October."""
    case_id = next(c for c in ws.store.case_ids() if c.startswith("amazon"))
    with ws.store.editing(case_id, "tester") as case:
        case.notification.type = "deactivation"
        case.notification.received = SEED_002_RECEIVED
        case.notification.quoted_metrics = []
    return case_id


def test_messages_and_returns_import_into_a_case_and_count(demo_workspace):
    ws = demo_workspace
    case_id = _seed_002_case(ws)
    record, table = reports.import_report(ws, case_id, HOLIDAY_GAP)
    assert record.format == "messages" and record.rows == len(table) + len(table.bad_rows)
    record, _table = reports.import_report(ws, case_id, RETURNS_HELPDESK)
    assert record.format == "returns"
    assert (ws.store.file_path(case_id, "reports", HOLIDAY_GAP.name)).exists()
    result = evaluate_case(ws, ws.store.load(case_id))
    by_id = {r.id: r for r in result.messages.results}
    r = by_id["contact_response_24h_30d"]
    assert (r.numerator, r.denominator, r.status) == (16, 22, "breach")
    assert "all 6 late replies fell between 1 and 7 October" in r.sentences
    assert by_id["return_dissatisfaction_rate"].status in ("breach", "ok")
    assert HOLIDAY_GAP.name in result.files
    # the order metrics still come from the order report alone
    assert result.orders == result.imported.orders.__len__()


def test_cli_metrics_case_includes_the_imported_exports(demo_workspace, capsys):
    ws = demo_workspace
    case_id = _seed_002_case(ws)
    reports.import_report(ws, case_id, HOLIDAY_GAP)
    code = main(["--data-dir", str(ws.store.root), "metrics", case_id, "--json"])
    data = json.loads(capsys.readouterr().out)
    assert data["message_files"] == [HOLIDAY_GAP.name]
    assert HOLIDAY_GAP.name not in data["files"]  # not read as an order report
    statuses = {m["id"]: m["status"] for m in data["message_metrics"]}
    assert statuses["contact_response_24h_30d"] == "breach"
    assert code == 1


def test_cli_import_report_names_the_family(demo_workspace, capsys):
    ws = demo_workspace
    case_id = _seed_002_case(ws)
    code = main(["--data-dir", str(ws.store.root), "import-report", case_id,
                 str(RETURNS_REPORT), "--json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 0 and data["format"] == "returns"
    assert "responded_at" not in data["fields"]  # Amazon's report has no response time
    main(["--data-dir", str(ws.store.root), "metrics", case_id, "--json"])
    data = json.loads(capsys.readouterr().out)
    (ret,) = data["return_metrics"]
    assert ret["status"] == "no_data" and "responded_at" in ret["missing"]


def test_the_seed_002_draft_says_which_days_went_uncovered(demo_workspace):
    ws = demo_workspace
    case_id = _seed_002_case(ws)
    reports.import_report(ws, case_id, HOLIDAY_GAP)
    reports.import_report(ws, case_id, RETURNS_REPORT)  # no response times: no_data
    case = ws.store.load(case_id)
    policy = ws.policy_for(case)
    facts = facts_for_case(case, policy, now=SEED_002_RECEIVED, workspace=ws)
    ids = {m.id for m in facts.metrics}
    assert "contact_response_24h_30d" in ids
    assert "return_dissatisfaction_rate" not in ids  # no figure from missing data
    text = draft_for_case(case, policy, now=SEED_002_RECEIVED, workspace=ws)
    assert "no reply was sent between 1 and 7 October" in text
    assert "all 6 late replies fell between 1 and 7 October" in text
    assert "the late messages waited 28 to 167 hours" in text
    assert "(16 / 22 messages, 2026-09-16 – 2026-10-15)" in text
    assert "Return dissatisfaction" not in text
    # the order metrics with nothing in their window give no figure either
    assert " is ;" not in text and "|  |" not in text


def test_the_drill_down_rows_say_what_made_each_count(demo_workspace):
    from appealdesk.metrics.message_detail import detail_clusters, detail_rows

    ws = demo_workspace
    case_id = _seed_002_case(ws)
    reports.import_report(ws, case_id, HOLIDAY_GAP)
    reports.import_report(ws, case_id, RETURNS_HELPDESK)
    result = evaluate_case(ws, ws.store.load(case_id))
    zone = result.evaluation.zone
    by_id = {r.id: r for r in result.messages.results}
    late = by_id["contact_response_24h_30d"]
    rows = detail_rows(result.messages, late, zone, result.as_of)
    assert [r.id for r in rows] == late.messages
    first = rows[0]
    assert (first.start.isoformat(), first.end.isoformat()) == (
        "2026-10-01T10:00:00-07:00", "2026-10-08T09:00:00-07:00")
    assert round(first.waited_hours) == 167 and first.fields["agent"] == "lily"
    hours = [c for c in detail_clusters(late, rows) if c.dimension == "hour"]
    assert sum(c.count for c in hours) <= 6 and hours[0].count >= 1
    returns = by_id["return_dissatisfaction_rate"]
    rows = detail_rows(result.messages, returns, zone, result.as_of)
    assert [r.id for r in rows] == returns.returns and rows
    assert {"reason", "sku"} <= set(rows[0].fields)
    dimensions = {c.dimension for c in detail_clusters(returns, rows)}
    assert {"day", "reason", "sku"} <= dimensions


def test_a_breached_reply_rate_says_the_day_it_clears(demo_workspace):
    """Seed 002 as of 15 October: the six late replies of 1-7 October leave the 30-day
    window on 31 October-6 November; with every new message answered in time (the
    window's 22 counted messages / 30 days a day) it passes > 90% once enough are gone."""
    ws = demo_workspace
    case_id = _seed_002_case(ws)
    reports.import_report(ws, case_id, HOLIDAY_GAP)
    result = evaluate_case(ws, ws.store.load(case_id))
    clears = result.messages.clears
    day = clears["contact_response_24h_30d"]
    assert day is not None and date(2026, 10, 16) <= day <= date(2026, 11, 15)
    # the independent count: late messages still in the window [day-29, day] plus the
    # assumed good ones must pass, and the day before must not
    late_days = [date(2026, 10, d) for d in (1, 2, 3, 4, 5, 7)]
    counted_days = _counted_days()
    assert len(counted_days) == 22

    def rate_on(d: date) -> float:
        ahead = (d - date(2026, 10, 15)).days
        start = d - timedelta(days=29)
        den = sum(1 for x in counted_days if x >= start) + 22 / 30 * ahead
        bad = sum(1 for x in late_days if x >= start)
        return (den - bad) / den

    assert rate_on(day) > 0.9 >= rate_on(day - timedelta(days=1))
    assert "contact_response_24h_7d" not in clears  # not breached
    r = next(r for r in result.messages.results if r.id == "contact_response_24h_30d")
    assert r.clears is not None and r.clears.daily_rate == pytest.approx(22 / 30)
    assert r.clears.good_orders == round(22 / 30 * (day - date(2026, 10, 15)).days)


def test_the_clear_day_reaches_the_json_the_pane_and_the_letter_facts(demo_workspace, capsys):
    from appealdesk.widgets.metrics_messages import detail_text

    ws = demo_workspace
    case_id = _seed_002_case(ws)
    reports.import_report(ws, case_id, HOLIDAY_GAP)
    result = evaluate_case(ws, ws.store.load(case_id))
    day = result.messages.clears["contact_response_24h_30d"]
    assert day is not None
    main(["--data-dir", str(ws.store.root), "metrics", case_id, "--json"])
    data = json.loads(capsys.readouterr().out)
    by_id = {m["id"]: m for m in data["message_metrics"]}
    assert by_id["contact_response_24h_30d"]["clears"]["day"] == day.isoformat()
    assert by_id["contact_response_24h_7d"]["clears"] is None  # within its limit
    r = next(r for r in result.messages.results if r.id == "contact_response_24h_30d")
    text = detail_text(r).plain
    assert f"Clears on {day.isoformat()} if every new message is answered in time" in text
    case = ws.store.load(case_id)
    facts = facts_for_case(case, ws.policy_for(case), now=SEED_002_RECEIVED, workspace=ws)
    fact = next(m for m in facts.metrics if m.id == "contact_response_24h_30d")
    assert fact.breached and fact.clears == day
    # the order metrics' facts carry their recovery day the same way
    for m in facts.metrics:
        if m.unit == "orders" and not m.breached:
            assert m.clears is None


def _counted_days() -> list[date]:
    """Received days of the 22 messages the 30-day metric counts (M13 is excluded)."""
    import csv

    out = []
    with HOLIDAY_GAP.open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            day = datetime.fromisoformat(row["received-date"]).date()
            needed = row["response-needed"] not in ("no", "no response needed")
            if needed and date(2026, 9, 16) <= day <= date(2026, 10, 15):
                out.append(day)
    return out


def test_an_export_the_policy_has_no_metric_for_is_named_not_dropped(tmp_path, capsys):
    path = tmp_path / "m.csv"
    path.write_text("received_at,replied_at\n2026-11-01 10:00,2026-11-01 11:00\n")
    code = main(["metrics", "--policy", "noon", "--report", str(path), "--as-of",
                 "2026-11-05"])
    err = capsys.readouterr().err
    assert "m.csv: policy noon defines no metric for this data; not counted" in err
    assert code == 4  # nothing was computed: not an all-clear
