"""Snapshots of the phrase picker on the demo late-shipment case, at 80x24 and 160x48, in
English and Chinese, and of the letter after a phrase is inserted."""

from __future__ import annotations

import pytest

from appealdesk.i18n import set_language
from appealdesk.widgets.editor_pane import EditorPane
from tests.conftest import SIZES, settle, still

LETTER_CASE = "amazon-5839201744"


def open_picker(*keys: str, insert: bool = False):
    async def run_before(pilot) -> None:
        await settle(pilot)
        pilot.app.select_case(LETTER_CASE)
        await pilot.press("4")
        await settle(pilot)
        pane = pilot.app.screen.query_one(EditorPane)
        heading = pane.text.splitlines().index("## Root cause")
        pane.text_area.move_cursor((heading, 0))
        await pilot.press("i")
        await settle(pilot)
        if keys:
            await pilot.press(*keys)
        if insert:
            await pilot.press("enter")
            await settle(pilot)
            # Save and check now rather than after the debounces: the picture must not
            # depend on how fast the machine is.
            if pane._save_timer is not None:
                pane._save_timer.stop()
            pane._start_save()
            pane._lint_now()
        await still(pilot, times=6)

    return run_before


class TestPhrasePicker:
    @pytest.mark.parametrize("size", ["narrow", "wide"])
    def test_open(self, snap_compare, demo_app, size):
        assert snap_compare(demo_app(), terminal_size=SIZES[size], run_before=open_picker())

    @pytest.mark.parametrize("size", ["narrow", "wide"])
    def test_filtered(self, snap_compare, demo_app, size):
        assert snap_compare(demo_app(), terminal_size=SIZES[size],
                            run_before=open_picker(*"carrier"))

    def test_no_match(self, snap_compare, demo_app):
        assert snap_compare(demo_app(), terminal_size=SIZES["narrow"],
                            run_before=open_picker(*"zzqx"))

    def test_inserted(self, snap_compare, demo_app):
        assert snap_compare(demo_app(), terminal_size=SIZES["narrow"],
                            run_before=open_picker(*"承运商未按时", insert=True))


class TestPhrasePickerChinese:
    @pytest.mark.parametrize("size", ["narrow", "wide"])
    def test_open_zh(self, snap_compare, demo_app, size):
        set_language("zh")  # before the app is built; conftest sets English back
        assert snap_compare(demo_app(), terminal_size=SIZES[size],
                            run_before=open_picker(*"承运商"))
