"""Snapshots of the metrics pane: breached, healthy, insufficient data, drill-down."""

from __future__ import annotations

import asyncio

import pytest

from tests.conftest import SIZES, settle

BREACHED = "amazon-5839201744"  # late shipment rate (10 days) over 4%
HEALTHY = "noon-perf-483920"  # every metric within its limit
INSUFFICIENT = "joom-jn-7729-8810"  # quality refund rate: no orders in its window


@pytest.fixture
def app_factory(demo_workspace):
    from appealdesk.app import AppealDeskApp

    return lambda: AppealDeskApp(demo_workspace, demo=True)  # "demo data", not the tmp path


def _showing(case_id: str, *keys: str):
    async def run_before(pilot) -> None:
        await settle(pilot)
        pilot.app.select_case(case_id)
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)

    return run_before


class TestMetricsPane:
    @pytest.mark.parametrize("size", ["narrow", "wide"])
    @pytest.mark.parametrize("case_id", [BREACHED, HEALTHY, INSUFFICIENT])
    def test_pane(self, snap_compare, app_factory, size, case_id):
        assert snap_compare(app_factory(), terminal_size=SIZES[size], run_before=_showing(case_id))

    @pytest.mark.parametrize("size", ["narrow", "wide"])
    def test_drill_down(self, snap_compare, app_factory, size):
        assert snap_compare(app_factory(), terminal_size=SIZES[size],
                            run_before=_showing(BREACHED, "enter"))


def test_pane_shows_the_breach_and_recovery(app_factory):
    asyncio.run(_breach_and_recovery(app_factory()))


async def _breach_and_recovery(app):
    async with app.run_test(size=(160, 48)) as pilot:
        await _showing(BREACHED)(pilot)
        pane = app.screen.query_one("MetricsPane")
        by_id = {a.metric.id: a for a in pane.results.analyses}
        late = by_id["late_shipment_rate_10d"]
        assert late.metric.status == "breach"
        assert late.recovery is not None and late.recovery.day is not None
        assert any("late shipments" in s for s in late.sentences)
        await pilot.press("enter")
        await settle(pilot)
        from appealdesk.screens.metric_detail import MetricDetailScreen

        assert isinstance(app.screen, MetricDetailScreen)
        table = app.screen.query_one("#detail-orders")
        assert table.row_count == late.metric.numerator
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, MetricDetailScreen)


def test_import_from_the_pane_runs_in_a_worker(app_factory, tmp_path):
    asyncio.run(_import_from_pane(app_factory(), tmp_path))


async def _import_from_pane(app, tmp_path):
    from appealdesk.reports.orders import GENERIC_COLUMNS

    report = tmp_path / "more.csv"
    report.write_text(",".join(GENERIC_COLUMNS) + "\nX1,2026-11-10,,,,,,,,,,,,,,,\n"
                      "X2,bad,,,,,,,,,,,,,,,\n", encoding="utf-8")
    async with app.run_test(size=(160, 48)) as pilot:
        await _showing(BREACHED)(pilot)
        pane = app.screen.query_one("MetricsPane")
        pane._import(BREACHED, report)
        await settle(pilot)
        case = app.workspace.store.load(BREACHED)
        assert case.reports[-1].name == "more.csv" and case.reports[-1].bad_rows == 1
        await settle(pilot)
        assert "more.csv" in pane.results.files


def _amazon_reports_with_health(ws) -> None:
    """The breached Amazon case with real-format reports instead of the generic CSV:
    no defect or delivery columns (no_data), and Amazon's account health report."""
    from datetime import UTC, datetime
    from pathlib import Path

    from appealdesk.metrics.case_metrics import import_into_case

    fixtures = Path(__file__).parent / "fixtures" / "reports" / "amazon"
    with ws.store.editing(BREACHED, "tester") as case:
        case.reports.clear()
        case.notification.received = datetime(2026, 11, 30, 18, 0, tzinfo=UTC)
    for name in ("all_orders.txt", "order_report.txt", "ship_confirmation.txt",
                 "fba_shipments.txt", "account_health.json"):
        import_into_case(ws, BREACHED, fixtures / name)


class TestRealReports:
    @pytest.mark.parametrize("size", ["narrow", "wide"])
    def test_no_data_and_account_health(self, snap_compare, demo_workspace, size):
        from appealdesk.app import AppealDeskApp

        _amazon_reports_with_health(demo_workspace)
        app = AppealDeskApp(demo_workspace, demo=True)
        keys = ("up",) if size == "narrow" else ()  # narrow: the no_data row's detail
        assert snap_compare(app, terminal_size=SIZES[size], run_before=_showing(BREACHED, *keys))


def test_pane_shows_no_data_and_amazons_figures(demo_workspace):
    from appealdesk.app import AppealDeskApp

    _amazon_reports_with_health(demo_workspace)
    asyncio.run(_no_data_and_health(AppealDeskApp(demo_workspace, demo=True)))


async def _no_data_and_health(app):
    from appealdesk.widgets.metrics_pane import detail_text

    async with app.run_test(size=(160, 48)) as pilot:
        await _showing(BREACHED)(pilot)
        pane = app.screen.query_one("MetricsPane")
        by_id = {a.metric.id: a for a in pane.results.analyses}
        odr = by_id["order_defect_rate"]
        assert odr.metric.status == "no_data"
        text = detail_text(odr, [], pane.results.health.for_metric("order_defect_rate")).plain
        assert "needs: a negative-feedback, claim or chargeback column" in text
        assert "2.50% BAD (1/40)" in text
        table = app.screen.query_one("#metrics-table")
        assert "Amazon says" in [str(c.label) for c in table.columns.values()]


def test_the_drill_down_shows_the_listing_only_when_the_report_has_one(demo_workspace):
    from appealdesk.app import AppealDeskApp

    demo = AppealDeskApp(demo_workspace, demo=True)  # the generic demo CSV: SKU, no listing
    assert asyncio.run(_drill_down_cells(demo, "late_shipment_rate_10d"))[0][:2] == [
        "Order", "SKU"]
    _amazon_reports_with_health(demo_workspace)  # the All Orders report has the ASIN
    labels, rows = asyncio.run(_drill_down_cells(AppealDeskApp(demo_workspace, demo=True),
                                                 "late_shipment_rate_10d"))
    assert labels[:3] == ["Order", "SKU", "listing"]
    assert rows == [["111-0000004-0000004", "SKU-C", "B0TEST0001"]]


async def _drill_down_cells(app, metric_id):
    from appealdesk.screens.metric_detail import MetricDetailScreen

    async with app.run_test(size=(160, 48)) as pilot:
        await _on_metric(metric_id, "enter")(pilot)
        assert isinstance(app.screen, MetricDetailScreen)
        table = app.screen.query_one("#detail-orders")
        labels = [str(c.label) for c in table.columns.values()]
        rows = [[str(cell) for cell in table.get_row_at(i)[:3]] for i in range(table.row_count)]
        return labels, rows


SEED_002_GAP = "amazon_holiday_gap.csv"


def _seed_002_messages(ws) -> None:
    """The breached Amazon case as seed 002's: received 15 October, the week-away
    messages export imported (six late replies between 1 and 7 October)."""
    from datetime import UTC, datetime
    from pathlib import Path

    from appealdesk.operations.reports import import_report

    with ws.store.editing(BREACHED, "tester") as case:
        case.notification.received = datetime(2026, 10, 15, 17, 0, tzinfo=UTC)
    import_report(ws, BREACHED, Path(__file__).parent / "messages_fixtures" / SEED_002_GAP)


def _on_metric(metric_id: str, *keys: str):
    """Show the metrics pane with the cursor on ``metric_id``'s row, then press ``keys``."""
    async def run_before(pilot) -> None:
        await _showing(BREACHED)(pilot)
        pane = pilot.app.screen.query_one("MetricsPane")
        ids = [getattr(e, "metric", e).id for e in pane._entries()]
        pane.query_one("#metrics-table").move_cursor(row=ids.index(metric_id))
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)

    return run_before


class TestMessages:
    @pytest.mark.parametrize("size", ["narrow", "wide"])
    def test_message_rows(self, snap_compare, demo_workspace, size):
        from appealdesk.app import AppealDeskApp

        _seed_002_messages(demo_workspace)
        app = AppealDeskApp(demo_workspace, demo=True)
        assert snap_compare(app, terminal_size=SIZES[size],
                            run_before=_on_metric("contact_response_24h_30d"))

    @pytest.mark.parametrize("size", ["narrow", "wide"])
    def test_message_drill_down(self, snap_compare, demo_workspace, size):
        from appealdesk.app import AppealDeskApp

        _seed_002_messages(demo_workspace)
        app = AppealDeskApp(demo_workspace, demo=True)
        assert snap_compare(app, terminal_size=SIZES[size],
                            run_before=_on_metric("contact_response_24h_30d", "enter"))


def test_pane_lists_message_and_return_metrics_and_drills_down(demo_workspace):
    from appealdesk.app import AppealDeskApp

    _seed_002_messages(demo_workspace)
    asyncio.run(_messages_in_pane(AppealDeskApp(demo_workspace, demo=True)))


async def _messages_in_pane(app):
    from appealdesk.screens.message_detail import MessageDetailScreen

    async with app.run_test(size=(160, 48)) as pilot:
        await _on_metric("contact_response_24h_30d")(pilot)
        pane = app.screen.query_one("MetricsPane")
        table = app.screen.query_one("#metrics-table")
        assert table.row_count == len(pane.results.analyses) + 4  # 3 message + 1 return
        detail = str(pane.query_one("#metrics-detail").render())
        assert "16 of 22 messages answered in time" in detail
        assert "all 6 late replies fell between 1 and 7 October" in detail
        returns = pane._entries()[-1]
        assert returns.id == "return_dissatisfaction_rate" and returns.status == "no_data"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, MessageDetailScreen)
        assert app.screen.query_one("#message-detail-rows").row_count == 6
        head = str(app.screen.query_one("#message-detail-head").render())
        assert "all 6 late replies fell between 1 and 7 October" in head
        assert "hours of day" in head and "2026-10-01" in head
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, MessageDetailScreen)


def test_a_messages_export_imports_from_the_pane(app_factory):
    asyncio.run(_import_messages_from_pane(app_factory()))


async def _import_messages_from_pane(app):
    from pathlib import Path

    export = Path(__file__).parent / "messages_fixtures" / SEED_002_GAP
    async with app.run_test(size=(160, 48)) as pilot:
        await _showing(BREACHED)(pilot)
        pane = app.screen.query_one("MetricsPane")
        pane._import(BREACHED, export)
        await settle(pilot)
        case = app.workspace.store.load(BREACHED)
        assert (case.reports[-1].name, case.reports[-1].format) == (SEED_002_GAP, "messages")
        assert any("buyer messages" in str(n.message) for n in app._notifications)
        await settle(pilot)
        assert pane.results.messages.messages is not None
        assert {r.id for r in pane.results.messages.message_results} >= {
            "contact_response_24h_30d"}
