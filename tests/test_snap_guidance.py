"""Snapshots of the guidance at 80x24: the focused field of the new-case modal shows,
the offer to import a report after Create, a duplicate that offers to open its case,
and the reviewer's reason above a rejected letter."""

from __future__ import annotations

import pytest

from appealdesk.cases.clock import frozen_clock
from appealdesk.cases.workspace import Workspace
from tests.conftest import FROZEN_NOW, SIZES, settle, still
from tests.test_guidance_intake import NOON_CANCEL
from tests.test_guidance_letter import _rejected_case


@pytest.fixture
def ws(tmp_path) -> Workspace:
    workspace = Workspace.open(tmp_path / "data", clock=frozen_clock(FROZEN_NOW),
                               operator="tester")
    workspace.store.ensure()
    return workspace


def _app(ws):
    from appealdesk.app import AppealDeskApp

    return AppealDeskApp(ws)


async def _detected(pilot) -> None:
    await settle(pilot)
    await pilot.press("1", "n")
    await settle(pilot)
    pilot.app.screen.query_one("#new-text").load_text(NOON_CANCEL)
    await pilot.press("ctrl+r")
    await settle(pilot)
    pilot.app.screen.query_one("#new-received").value = "2026-11-20T08:00+03:00"


async def _hold(pilot) -> None:
    await settle(pilot)
    pilot.app.sub_title = "test data"
    await still(pilot)


def test_the_focused_field_shows_at_80x24(snap_compare, ws):
    async def run(pilot):
        await _detected(pilot)
        pilot.app.screen.query_one("#new-store").focus()
        await _hold(pilot)

    assert snap_compare(_app(ws), terminal_size=SIZES["narrow"], run_before=run)


def test_after_create_the_report_to_import_is_offered(snap_compare, ws):
    async def run(pilot):
        await _detected(pilot)
        await pilot.press("ctrl+s")
        await _hold(pilot)

    assert snap_compare(_app(ws), terminal_size=SIZES["narrow"], run_before=run)


def test_a_duplicate_offers_to_open_its_case(snap_compare, ws):
    from appealdesk.intake.create import create_case_from_text

    create_case_from_text(ws, NOON_CANCEL)

    async def run(pilot):
        await _detected(pilot)
        await pilot.press("ctrl+s")
        await _hold(pilot)

    assert snap_compare(_app(ws), terminal_size=SIZES["narrow"], run_before=run)


def test_the_reviewers_reason_stands_above_the_letter(snap_compare, ws):
    case_id = _rejected_case(ws)

    async def run(pilot):
        await settle(pilot)
        pilot.app.select_case(case_id)
        await pilot.press("4")
        await _hold(pilot)

    assert snap_compare(_app(ws), terminal_size=SIZES["wide"], run_before=run)
