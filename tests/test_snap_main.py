"""Snapshots of the main screen and the help screen on the demo cases."""

from __future__ import annotations

import pytest

from tests.conftest import SIZES, settle


async def _loaded(pilot) -> None:
    await settle(pilot)


class TestMainScreen:
    @pytest.mark.parametrize("size", ["narrow", "wide"])
    def test_main(self, snap_compare, demo_app, size):
        assert snap_compare(demo_app(), terminal_size=SIZES[size], run_before=_loaded)

    def test_case_opened_narrow(self, snap_compare, demo_app):
        async def open_case(pilot):
            await settle(pilot)
            await pilot.press("enter")
            await settle(pilot)

        assert snap_compare(demo_app(), terminal_size=SIZES["narrow"], run_before=open_case)

    def test_empty_inbox(self, snap_compare, empty_workspace):
        from appealdesk.app import AppealDeskApp

        assert snap_compare(AppealDeskApp(empty_workspace), terminal_size=SIZES["narrow"],
                            run_before=_loaded)


class TestHelpScreen:
    @pytest.mark.parametrize("size", ["narrow", "wide"])
    def test_help(self, snap_compare, demo_app, size):
        async def open_help(pilot):
            await settle(pilot)
            await pilot.press("question_mark")
            await pilot.pause()

        assert snap_compare(demo_app(), terminal_size=SIZES[size], run_before=open_help)
