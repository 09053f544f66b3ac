"""Snapshots of the inbox (overdue, due soon, filtered, empty, archive) and the new-case modal.

The cases are made with intake itself, at fixed times around the frozen clock, so the
time left in every row is known: overdue 4h, 5h 0m, 2d 3h, a submitted case with a
follow-up, a recurrence and an archived case.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from appealdesk.cases.clock import frozen_clock
from appealdesk.cases.model import Status
from appealdesk.cases.workspace import Workspace
from appealdesk.intake.create import create_case_from_text
from tests.conftest import FROZEN_NOW, SIZES, settle, still

NOON = """\
Subject: [noon Partners] Performance alert - Late Shipment Rate
Case ID: PERF-{n}
Store: {store} (noon.sa)
Your Late Shipment Rate for the last 7 days is 5.1%.
Orders: NSA10293847{n2}, NSA56473829{n2}
Please respond within 72 hours.
"""

JOOM = """\
Joom Seller Center - Performance notification
Notification ID: JN-{n}
Store: Maple Craft Store
Your store's cancellation rate is 3.4%. Orders: 5f1a2b3c4d5e6f7a8b9c0d{n2}
Please respond within 72 hours.
"""

AMAZON = """\
Subject: Your Amazon.com selling privileges are at risk: Late Shipment Rate
Hello Sunrise Home Goods,
Notification ID: {n}
Your Late Shipment Rate is 6.8%. Orders: 114-3941689-87722{n2}
Please submit a Plan of Action within 17 days.
"""

PASTE = """\
Subject: [noon Partners] Performance alert - Cancellation rate
Case ID: PERF-990011
Store: Oasis Home (noon.sa)
Your cancellation rate is 3.2%, above 2.5%. Orders: NSA1111222233, NSA4444555566
Please respond within 72 hours.
"""


async def ready(pilot) -> None:
    """Hide the temporary folder's name (the header shows the data folder) and hold still."""
    await settle(pilot)
    pilot.app.sub_title = "test data"
    await still(pilot)


def _make(ws: Workspace, text: str, received_hours_ago: float, **fmt) -> str:
    case = create_case_from_text(ws, text.format(**fmt),
                                 received=FROZEN_NOW - timedelta(hours=received_hours_ago))
    return case.id


@pytest.fixture
def inbox_workspace(tmp_path) -> Workspace:
    ws = Workspace.open(tmp_path / "data", clock=frozen_clock(FROZEN_NOW), operator="tester")
    ws.store.ensure()
    _make(ws, NOON, 76, n="100001", n2="01", store="Desert Bloom Trading")  # overdue 4h
    _make(ws, NOON, 67, n="100002", n2="02", store="Oasis Home")  # 5h 0m left
    _make(ws, JOOM, 21, n="2001-0001", n2="01")  # 2d 3h left
    amazon_old = _make(ws, AMAZON, 24 * 60, n="5839200001", n2="01")
    _make(ws, AMAZON, 24 * 3, n="5839201744", n2="44")  # a recurrence of the old one
    submitted = _make(ws, JOOM, 30, n="2001-0002", n2="02")
    for case_id, states in ((amazon_old, ["closed", "archived"]),
                            (submitted, ["ready", "submitted"])):
        with ws.store.editing(case_id, "tester") as case:
            for state in states:
                case.change_status(Status(state), operator="tester",
                                   at=FROZEN_NOW - timedelta(hours=2))
    return ws


def _app(ws):
    from appealdesk.app import AppealDeskApp

    return AppealDeskApp(ws)


class TestInbox:
    @pytest.mark.parametrize("size", ["narrow", "wide"])
    def test_overdue_and_due_soon(self, snap_compare, inbox_workspace, size):
        assert snap_compare(_app(inbox_workspace), terminal_size=SIZES[size], run_before=ready)

    @pytest.mark.parametrize("size", ["narrow", "wide"])
    def test_filtered_by_order_id(self, snap_compare, inbox_workspace, size):
        async def run(pilot):
            await settle(pilot)
            await pilot.press("1", "slash", *"nsa5647382902")
            await ready(pilot)

        assert snap_compare(_app(inbox_workspace), terminal_size=SIZES[size], run_before=run)

    @pytest.mark.parametrize("size", ["narrow", "wide"])
    def test_archive_shown(self, snap_compare, inbox_workspace, size):
        async def run(pilot):
            await settle(pilot)
            await pilot.press("1", "a")
            await ready(pilot)

        assert snap_compare(_app(inbox_workspace), terminal_size=SIZES[size], run_before=run)

    @pytest.mark.parametrize("size", ["narrow", "wide"])
    def test_empty(self, snap_compare, empty_workspace, size):
        assert snap_compare(_app(empty_workspace), terminal_size=SIZES[size], run_before=ready)


class TestNewCase:
    @pytest.mark.parametrize("size", ["narrow", "wide"])
    def test_before_detection(self, snap_compare, inbox_workspace, size):
        async def run(pilot):
            await settle(pilot)
            await pilot.press("1", "n")
            await settle(pilot)
            pilot.app.screen.query_one("#new-text").load_text(PASTE)
            await ready(pilot)

        assert snap_compare(_app(inbox_workspace), terminal_size=SIZES[size], run_before=run)

    @pytest.mark.parametrize("size", ["narrow", "wide"])
    def test_after_detection(self, snap_compare, inbox_workspace, size):
        async def run(pilot):
            await settle(pilot)
            await pilot.press("1", "n")
            await settle(pilot)
            pilot.app.screen.query_one("#new-text").load_text(PASTE)
            await pilot.press("ctrl+r")
            await ready(pilot)

        assert snap_compare(_app(inbox_workspace), terminal_size=SIZES[size], run_before=run)


# -- behaviour (Pilot, no snapshot) --------------------------------------------------


def _rows(app):
    from textual.widgets import DataTable

    table = app.screen.query_one("#inbox-table", DataTable)
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


def test_rows_are_in_urgency_order_with_a_recurrence_marker(inbox_workspace):
    asyncio.run(_test_rows_are_in_urgency_order_with_a_recurrence_marker(inbox_workspace))


async def _test_rows_are_in_urgency_order_with_a_recurrence_marker(inbox_workspace):
    app = _app(inbox_workspace)
    async with app.run_test(size=SIZES["wide"]) as pilot:
        await settle(pilot)
        rows = _rows(app)
        assert [r[0] for r in rows] == ["overdue 4h", "5h 0m", "22h 0m*", "2d 3h", "14d 0h"]
        assert rows[-1][2] == "↻ amazon-5839201744"
        inbox = app.screen.query_one("InboxPane")
        assert "new 4" in inbox.border_title and "submitted 1" in inbox.border_title


def test_quick_filters_and_the_clock_tick(inbox_workspace):
    asyncio.run(_test_quick_filters_and_the_clock_tick(inbox_workspace))


async def _test_quick_filters_and_the_clock_tick(inbox_workspace):
    clock = {"now": FROZEN_NOW}
    inbox_workspace.clock = lambda: clock["now"]
    app = _app(inbox_workspace)
    async with app.run_test(size=SIZES["wide"]) as pilot:
        await settle(pilot)
        await pilot.press("1", "m")  # first marketplace: amazon
        await settle(pilot)
        assert {r[1] for r in _rows(app)} == {"amazon"}
        await pilot.press("m", "m", "m")  # joom, noon, then all again
        await settle(pilot)
        assert len(_rows(app)) == 5
        await pilot.press("s")  # first status in use: new
        await settle(pilot)
        assert {r[3] for r in _rows(app)} == {"new"}
        await pilot.press("escape")
        clock["now"] = FROZEN_NOW + timedelta(hours=5, minutes=30)
        app.screen.query_one("InboxPane").refresh_time_left()
        await settle(pilot)
        assert _rows(app)[1][0] == "overdue 30m"


def test_new_case_modal_creates_and_selects_the_case(inbox_workspace):
    asyncio.run(_test_new_case_modal_creates_and_selects_the_case(inbox_workspace))


async def _test_new_case_modal_creates_and_selects_the_case(inbox_workspace):
    app = _app(inbox_workspace)
    async with app.run_test(size=SIZES["wide"]) as pilot:
        await settle(pilot)
        await pilot.press("1", "n")
        await settle(pilot)
        app.screen.query_one("#new-text").load_text(PASTE)
        await pilot.press("ctrl+r")
        await settle(pilot)
        app.screen.query_one("#new-store").value = "Oasis Home KSA"
        app.screen.query_one("#new-received").value = "2026-11-20T08:00+03:00"
        await pilot.press("ctrl+s")
        await settle(pilot)
        # created: the modal offers the report to import; esc leaves it for later
        assert "noon-perf-990011" in str(app.screen.query_one("#new-next").render())
        await pilot.press("escape")
        await settle(pilot)
        assert app.case is not None and app.case.id == "noon-perf-990011"
        assert inbox_workspace.store.load("noon-perf-990011").store == "Oasis Home KSA"
        # the same paste again is refused, naming the case
        await pilot.press("n")
        await settle(pilot)
        app.screen.query_one("#new-text").load_text(PASTE)
        await pilot.press("ctrl+r")
        await settle(pilot)
        app.screen.query_one("#new-received").value = "2026-11-20T08:00+03:00"
        await pilot.press("ctrl+s")
        await settle(pilot)
        message = str(app.screen.query_one("#new-message").render())
        assert "noon-perf-990011" in message


def test_empty_and_binary_paste_give_one_line(inbox_workspace):
    asyncio.run(_test_empty_and_binary_paste_give_one_line(inbox_workspace))


async def _test_empty_and_binary_paste_give_one_line(inbox_workspace):
    app = _app(inbox_workspace)
    async with app.run_test(size=SIZES["narrow"]) as pilot:
        await settle(pilot)
        await pilot.press("1", "n")
        await settle(pilot)
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert "empty" in str(app.screen.query_one("#new-message").render())
        await pilot.press("escape")
        await settle(pilot)
        assert type(app.screen).__name__ == "MainScreen"


def test_n_works_on_an_empty_inbox(empty_workspace):
    asyncio.run(_test_n_works_on_an_empty_inbox(empty_workspace))


async def _test_n_works_on_an_empty_inbox(empty_workspace):
    app = _app(empty_workspace)
    async with app.run_test(size=SIZES["narrow"]) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert type(app.screen).__name__ == "NewCaseScreen"


def test_the_filter_count_counts_the_cases_the_archive_toggle_shows(inbox_workspace):
    asyncio.run(_filter_count(inbox_workspace))


async def _filter_count(inbox_workspace):
    # "/joom · 2 of 6" with five open cases in the inbox: the archived one was counted.
    app = _app(inbox_workspace)
    async with app.run_test(size=SIZES["wide"]) as pilot:
        await settle(pilot)
        inbox = app.screen.query_one("InboxPane")
        await pilot.press("1", "m")  # amazon: the open case, not the archived one
        await settle(pilot)
        assert inbox.border_subtitle.endswith("1 of 5")
        await pilot.press("a")  # with the archive: both
        await settle(pilot)
        assert inbox.border_subtitle.endswith("2 of 6")
