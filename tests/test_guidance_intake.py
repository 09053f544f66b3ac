"""The next step after intake: the report the notice's metrics need, named as the
marketplace names it (CLI and the new-case modal), and a duplicate notice that
opens the case that already holds it."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from appealdesk.cases.clock import frozen_clock
from appealdesk.cases.workspace import Workspace
from appealdesk.metrics.report_advice import report_advice
from tests.conftest import FROZEN_NOW, SIZES, settle
from tests.test_cli_intake import cli, write  # noqa: F401  (the fixture)

NOTICES = Path(__file__).parent / "notices"

NOON_CANCEL = """\
Subject: [noon Partners] Performance alert - Cancellation rate
Case ID: PERF-990011
Store: Oasis Home (noon.sa)
Your cancellation rate is 3.2%, above 2.5%. Orders: NSA1111222233, NSA4444555566
Please respond within 72 hours.
"""


@pytest.fixture
def ws(tmp_path) -> Workspace:
    workspace = Workspace.open(tmp_path / "data", clock=frozen_clock(FROZEN_NOW),
                               operator="tester")
    workspace.store.ensure()
    return workspace


# -- which report (core) --------------------------------------------------------------


def test_amazon_cancel_rate_asks_for_the_all_orders_report(ws):
    advice = report_advice(ws.policies.get("amazon"), "cancellation")
    assert advice is not None and advice.recomputable
    assert advice.reports == ("All Orders report",)
    assert "All Orders report" in advice.message and not advice.missing


def test_late_shipment_needs_the_ship_by_and_the_ship_date_reports(ws):
    advice = report_advice(ws.policies.get("amazon"), "late_shipment")
    assert set(advice.reports) == {"Order report (new orders, with latest ship date)",
                                   "Shipping confirmation file"}


def test_a_report_of_marketplace_fulfilled_orders_is_never_asked_for(ws):
    policy = ws.policies.get("amazon")
    for kind in policy.notification_types:
        advice = report_advice(policy, kind.id)
        assert "FBA Fulfilled Shipments report" not in advice.reports


def test_what_no_report_holds_is_said(ws):
    advice = report_advice(ws.policies.get("amazon"), "order_defect")
    assert "chargeback" in advice.missing and "chargeback" in advice.message


def test_a_policy_without_published_reports_names_its_order_export(ws):
    advice = report_advice(ws.policies.get("joom"), "quality_refund")
    assert advice.reports == ("Orders export (Joom Seller Center → Orders)",)


def test_a_type_without_a_recomputable_metric_says_so(ws):
    advice = report_advice(ws.policies.get("joom"), "policy_violation")
    assert advice is not None and not advice.recomputable and not advice.reports
    assert "names no metric" in advice.message
    assert report_advice(ws.policies.get("joom"), "no_such_type") is None


# -- the command line ---------------------------------------------------------------------


def test_cli_intake_prints_the_next_step_with_its_command(cli):  # noqa: F811
    text = (NOTICES / "amazon_uk_late_dispatch.txt").read_text("utf-8")
    code, out, err = cli("intake", write(cli, "n.txt", text))
    assert code == 0
    case_id = out.strip()
    assert "next:" in err and "Shipping confirmation file" in err
    assert f"appealdesk import-report {case_id} FILE" in err
    assert out.strip() == case_id  # stdout stays the id alone


# -- the new-case modal (Pilot) -------------------------------------------------------


def _app(ws):
    from appealdesk.app import AppealDeskApp

    return AppealDeskApp(ws)


async def _create(pilot, text: str) -> None:
    app = pilot.app
    await settle(pilot)
    await pilot.press("1", "n")
    await settle(pilot)
    app.screen.query_one("#new-text").load_text(text)
    await pilot.press("ctrl+r")
    await settle(pilot)
    app.screen.query_one("#new-received").value = "2026-11-20T08:00+03:00"
    await pilot.press("ctrl+s")
    await settle(pilot)


def test_after_create_the_modal_offers_the_report_and_i_opens_the_picker(ws):
    asyncio.run(_offer(ws))


async def _offer(ws):
    app = _app(ws)
    async with app.run_test(size=SIZES["narrow"]) as pilot:
        await _create(pilot, NOON_CANCEL)
        assert type(app.screen).__name__ == "NewCaseScreen"
        offer = str(app.screen.query_one("#new-next").render())
        assert "noon-perf-990011" in offer and "Orders export" in offer
        await pilot.press("i")
        # no settle(): the picker's directory tree keeps a loader worker waiting
        for _ in range(5):
            await pilot.pause()
        assert type(app.screen).__name__ == "FilePickerScreen"
        assert app.case is not None and app.case.id == "noon-perf-990011"
        pane = app.screen_stack[0].query_one("#metrics-pane")
        assert pane.case is not None and pane.case.id == "noon-perf-990011"
        await pilot.press("escape")


def test_a_duplicate_notice_offers_to_open_the_case_that_holds_it(ws):
    asyncio.run(_duplicate(ws))


async def _duplicate(ws):
    from appealdesk.intake.create import create_case_from_text

    existing = create_case_from_text(ws, NOON_CANCEL).id
    other = create_case_from_text(ws, NOON_CANCEL.replace("990011", "990012")).id
    app = _app(ws)
    async with app.run_test(size=SIZES["narrow"]) as pilot:
        await settle(pilot)
        app.select_case(other)
        await _create(pilot, NOON_CANCEL)
        message = str(app.screen.query_one("#new-message").render())
        assert existing in message and "ctrl+o" in message
        assert app.screen.query_one("#new-open").display
        await pilot.press("ctrl+o")
        await settle(pilot)
        assert type(app.screen).__name__ == "MainScreen"
        assert app.case is not None and app.case.id == existing
    assert len(ws.store.load_all().cases) == 2  # nothing new was made


def test_a_deactivation_quoting_one_metric_is_about_that_metric(ws):
    from types import SimpleNamespace

    from appealdesk.cases.model import QuotedMetric
    from appealdesk.metrics.report_advice import case_report_advice

    policy = ws.policies.get("amazon")
    notice = SimpleNamespace(type="deactivation", stated_thresholds=[],
                             quoted_metrics=[QuotedMetric("late_shipment_rate_30d", 0.068, "")])
    advice = case_report_advice(policy, notice)
    assert advice is not None
    assert advice.metrics == (policy.metric("late_shipment_rate_30d").name,)
    # nothing quoted: every metric the type watches
    notice.quoted_metrics = []
    assert len(case_report_advice(policy, notice).metrics) > 1


def test_chinese_advice_runs_its_sentences_together_without_a_space(ws):
    from appealdesk.i18n import in_language

    with in_language("zh"):
        message = report_advice(ws.policies.get("amazon"), "late_shipment").message
    assert "。 " not in message and "。" in message
