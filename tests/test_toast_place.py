"""At 80x24 a message (toast) sits over the footer line and the box's bottom border,
not over the pane being read."""

from __future__ import annotations

import asyncio

import pytest

from tests.conftest import SIZES, settle

CASE = "amazon-5839201744"


async def _toast_over(app, key: str, pane_name: str):
    from textual.widgets._toast import Toast

    async with app.run_test(size=SIZES["narrow"], notifications=True) as pilot:
        await settle(pilot)
        app.select_case(CASE)
        await settle(pilot)
        await pilot.press(key)
        await settle(pilot)
        pane = app.screen.query_one(pane_name)
        content = pane.content_region
        assert content.height > 5  # the pane is showing
        app.notify("Imported orders.csv: 630 orders, 2 rows skipped because their dates "
                   "could not be read", title="Report imported")
        await settle(pilot)
        await pilot.pause(0.1)
        toasts = list(app.screen.query(Toast))
        assert len(toasts) == 1
        toast = toasts[0].region
        assert toast.height == 2  # its title and one line of text
        assert toast.bottom == app.screen.size.height  # over the footer line
        assert not toast.overlaps(content), (toast, content)
        # what is drawn at the pane's last content line is the pane, not the toast
        for x in range(content.x, content.right):
            widget, _region = app.screen.get_widget_at(x, content.bottom - 1)
            assert not isinstance(widget, Toast)
        widget, _region = app.screen.get_widget_at(toast.right - 2, toast.y)
        assert isinstance(widget, Toast)


@pytest.mark.parametrize("key, pane", [("2", "MetricsPane"), ("3", "EvidencePane")])
def test_a_message_leaves_the_pane_content_visible_at_80x24(demo_workspace, key, pane):
    from appealdesk.app import AppealDeskApp

    asyncio.run(_toast_over(AppealDeskApp(demo_workspace, demo=True), key, pane))
