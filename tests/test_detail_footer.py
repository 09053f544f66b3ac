"""A modal over a drill-down screen (``?``) hides that screen's footer keys, as over the
main screen: the modal has the keys, the ones below would do nothing."""

from __future__ import annotations

import asyncio

from tests.conftest import settle
from tests.test_snap_metrics import _on_metric, _seed_002_messages


async def _help_over_detail(app, metric_id: str, screen_name: str) -> None:
    from appealdesk.widgets.footer import Footer

    async with app.run_test(size=(80, 24)) as pilot:
        await _on_metric(metric_id, "enter")(pilot)
        detail = app.screen
        assert type(detail).__name__ == screen_name
        footer = detail.query_one(Footer)
        assert footer.visible
        await pilot.press("question_mark")
        await settle(pilot)
        assert app.screen is not detail and app.screen.is_modal
        assert not footer.visible  # hidden (its line kept: visibility, not display)
        assert footer.display
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is detail and footer.visible and footer.region.height == 1


def test_help_over_the_metric_drill_down_hides_its_footer(demo_workspace):
    from appealdesk.app import AppealDeskApp

    asyncio.run(_help_over_detail(AppealDeskApp(demo_workspace, demo=True),
                                  "late_shipment_rate_10d", "MetricDetailScreen"))


def test_help_over_the_message_drill_down_hides_its_footer(demo_workspace):
    from appealdesk.app import AppealDeskApp

    _seed_002_messages(demo_workspace)
    asyncio.run(_help_over_detail(AppealDeskApp(demo_workspace, demo=True),
                                  "contact_response_24h_30d", "MessageDetailScreen"))
