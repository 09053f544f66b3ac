"""The main screen, the help screen and one modal of each area, in Chinese and in
English at 80x24: double-width text must line up (tables, countdowns, the footer)."""

from __future__ import annotations

import pytest

from appealdesk.i18n import set_language
from appealdesk.operations.letters import save_letter as save_text
from tests.conftest import SIZES, settle, still

LETTER_CASE = "amazon-5839201744"  # a drafted letter; late shipment rate in breach
APPROVED_CASE = "amazon-5790114420"
PASTE = """From: seller-performance@amazon.com
Subject: Your Amazon.com selling privileges have been removed
Date: Thu, 19 Nov 2026 08:15:00 -0800

Store: Lotus Garden Home
Notification ID: 5847362910
Your Late Shipment Rate is 6.1%, above 4%. Orders: 113-2233445-5667788
Please submit a plan of action within 17 days.
"""


@pytest.fixture(params=["zh", "en"])
def lang(request) -> str:
    set_language(request.param)  # before the app is built; conftest resets to en
    return request.param


def _keys(*keys: str, case: str | None = None, before=None):
    async def run_before(pilot) -> None:
        await settle(pilot)
        if case:
            pilot.app.select_case(case)
            await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)
        if before:
            before(pilot)
        await still(pilot, times=4)

    return run_before


def _paste(pilot) -> None:
    pilot.app.screen.query_one("#new-text").load_text(PASTE)


def test_main(snap_compare, demo_app, lang):
    assert snap_compare(demo_app(), terminal_size=SIZES["narrow"], run_before=_keys())


def test_help(snap_compare, demo_app, lang):
    assert snap_compare(demo_app(), terminal_size=SIZES["narrow"],
                        run_before=_keys("question_mark"))


def test_new_case_modal(snap_compare, demo_app, lang):
    async def run_before(pilot) -> None:
        await _keys("1", "n", before=_paste)(pilot)
        await pilot.press("ctrl+r")
        await still(pilot, times=4)

    assert snap_compare(demo_app(), terminal_size=SIZES["narrow"], run_before=run_before)


def test_metric_drill_down(snap_compare, demo_app, lang):
    assert snap_compare(demo_app(), terminal_size=SIZES["narrow"],
                        run_before=_keys("2", "enter", case=LETTER_CASE))


def test_evidence_pane(snap_compare, demo_app, lang):
    assert snap_compare(demo_app(), terminal_size=SIZES["narrow"],
                        run_before=_keys("3", case=LETTER_CASE))


def test_waive_modal(snap_compare, demo_app, lang):
    assert snap_compare(demo_app(), terminal_size=SIZES["narrow"],
                        run_before=_keys("3", "w", case=LETTER_CASE))


def test_letter_versions(snap_compare, demo_app, demo_workspace, lang):
    first = demo_workspace.store.load(LETTER_CASE).letter.draft
    save_text(demo_workspace, LETTER_CASE, first.replace("three days", "four days"),
              origin="imported")
    assert snap_compare(demo_app(), terminal_size=SIZES["narrow"],
                        run_before=_keys("4", "v", case=LETTER_CASE))


def test_submission_timeline(snap_compare, demo_app, lang):
    assert snap_compare(demo_app(), terminal_size=SIZES["narrow"],
                        run_before=_keys("4", "t", case=APPROVED_CASE))


def test_palette(snap_compare, demo_app, lang):
    """The command palette over the inbox: the operator's actions, one line each."""
    assert snap_compare(demo_app(), terminal_size=SIZES["narrow"],
                        run_before=_keys("1", "ctrl+p"))
