"""Each case pane with the case line on its frame, at 80x24 and 160x48, in English and
Chinese; and the letter while it is edited (the frame says so)."""

from __future__ import annotations

import pytest

from appealdesk.i18n import set_language
from tests.conftest import SIZES, settle, still

LETTER_CASE = "amazon-5839201744"  # seven metrics, a breach, a drafted letter


@pytest.fixture(params=["en", "zh"])
def lang(request) -> str:
    set_language(request.param)  # before the app is built; conftest resets to en
    return request.param


def _open(*keys: str, case: str = LETTER_CASE):
    async def run_before(pilot) -> None:
        await settle(pilot)
        pilot.app.select_case(case)
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)
        await still(pilot, times=4)

    return run_before


@pytest.mark.parametrize("size", ["narrow", "wide"])
@pytest.mark.parametrize("pane", ["2", "3", "4"])
def test_case_pane(snap_compare, demo_app, lang, pane, size):
    assert snap_compare(demo_app(), terminal_size=SIZES[size], run_before=_open(pane))


@pytest.mark.parametrize("size", ["narrow", "wide"])
def test_inbox(snap_compare, demo_app, lang, size):
    assert snap_compare(demo_app(), terminal_size=SIZES[size], run_before=_open("1"))


def test_editing_the_letter(snap_compare, demo_app):
    assert snap_compare(demo_app(), terminal_size=SIZES["narrow"], run_before=_open("4", "e"))


def test_preview(snap_compare, demo_app, lang):
    assert snap_compare(demo_app(), terminal_size=SIZES["narrow"], run_before=_open("4", "p"))
