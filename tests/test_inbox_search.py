"""ctrl+f in the inbox: search every case through the index, show the hits, Esc clears."""

from __future__ import annotations

from appealdesk.app import AppealDeskApp
from tests.conftest import settle


def _ids(app) -> list[str]:
    from textual.widgets import DataTable

    table = app.screen.query_one("#inbox-table", DataTable)
    return [str(table.get_row_at(i)[2]).lstrip("↻ ") for i in range(table.row_count)]


async def test_ctrl_f_finds_chinese_text_and_shows_where(demo_workspace):
    app = AppealDeskApp(demo_workspace)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        before = _ids(app)
        assert len(before) == 5  # the closed demo case is hidden
        await pilot.press("1", "ctrl+f")
        await pilot.press(*"延迟发货", "enter")
        await settle(pilot)
        assert _ids(app) == ["jd-jdv-2026-118845"]
        inbox = app.screen.query_one("InboxPane")
        assert "延迟发货" in str(inbox.query_one("#inbox-detail").render())
        assert "1" in inbox.border_subtitle
        await pilot.press("escape")
        await settle(pilot)
        assert _ids(app) == before


async def test_a_search_finds_closed_cases_by_notification_id(demo_workspace):
    app = AppealDeskApp(demo_workspace)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        await pilot.press("1", "ctrl+f", *"5790114420", "enter")
        await settle(pilot)
        assert _ids(app) == ["amazon-5790114420"]  # closed, found all the same
        assert app.case is not None and app.case.id == "amazon-5790114420"
