"""The new-case modal (Pilot): a rejection reply joins its case after a confirmation;
a text without a date asks for the received time; fields are asked for by their labels."""

from __future__ import annotations

import asyncio
from pathlib import Path

from appealdesk.cases.clock import frozen_clock
from appealdesk.cases.model import Status, Submission
from appealdesk.cases.workspace import Workspace
from appealdesk.intake.create import create_case_from_text
from tests.conftest import FROZEN_NOW, SIZES, settle

NOTICES = Path(__file__).parent / "notices"


def _workspace(tmp_path) -> tuple[Workspace, str]:
    ws = Workspace.open(tmp_path / "data", clock=frozen_clock(FROZEN_NOW), operator="tester")
    ws.store.ensure()
    text = (NOTICES / "amazon_uk_deactivation.txt").read_text("utf-8")
    case = create_case_from_text(ws, text)
    with ws.store.editing(case.id, "tester") as editable:
        editable.change_status(Status.READY, operator="tester", at=FROZEN_NOW)
        editable.change_status(Status.SUBMITTED, operator="tester", at=FROZEN_NOW)
        editable.submissions.append(Submission(at=FROZEN_NOW, operator="tester", pdf="a.pdf"))
    return ws, case.id


def _app(ws):
    from appealdesk.app import AppealDeskApp

    return AppealDeskApp(ws)


async def _open_and_detect(pilot, text: str) -> None:
    await settle(pilot)
    await pilot.press("1", "n")
    await settle(pilot)
    pilot.app.screen.query_one("#new-text").load_text(text)
    await pilot.press("ctrl+r")
    await settle(pilot)


def _message(app) -> str:
    return str(app.screen.query_one("#new-message").render())


def test_a_pasted_rejection_reply_is_recorded_on_its_case_after_confirming(tmp_path):
    asyncio.run(_rejection_joins(tmp_path))


async def _rejection_joins(tmp_path):
    ws, case_id = _workspace(tmp_path)
    reply = (NOTICES / "amazon_rejection_en.txt").read_text("utf-8")
    app = _app(ws)
    async with app.run_test(size=SIZES["wide"]) as pilot:
        await _open_and_detect(pilot, reply)
        assert app.screen.query_one("#new-join").value == case_id
        assert case_id in _message(app)
        await pilot.press("ctrl+s")  # asks first
        await settle(pilot)
        assert type(app.screen).__name__ == "NewCaseScreen"
        assert "confirm" in _message(app)
        assert ws.store.load(case_id).status is Status.SUBMITTED
        await pilot.press("ctrl+s")  # confirmed
        await settle(pilot)
        assert type(app.screen).__name__ == "MainScreen"
        assert app.case is not None and app.case.id == case_id
    case = ws.store.load(case_id)
    assert case.status is Status.REJECTED
    assert case.submissions[-1].outcome == "rejected"
    assert "unable to reinstate" in case.submissions[-1].reason
    assert len(ws.store.load_all().cases) == 1  # no new case was made


def test_a_text_without_a_date_asks_for_the_received_time(tmp_path):
    asyncio.run(_asks_received(tmp_path))


async def _asks_received(tmp_path):
    ws = Workspace.open(tmp_path / "data", clock=frozen_clock(FROZEN_NOW), operator="tester")
    ws.store.ensure()
    text = (NOTICES / "amazon_zh_deactivation.txt").read_text("utf-8")
    app = _app(ws)
    async with app.run_test(size=SIZES["wide"]) as pilot:
        await _open_and_detect(pilot, text)
        assert app.screen.query_one("#new-received").value == ""
        assert "Received" in _message(app) and "external_id" not in _message(app)
        assert "B09QK4HQZ2" in app.screen.query_one("#new-listings").value
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert type(app.screen).__name__ == "NewCaseScreen"
        assert "Received is empty" in _message(app)
        await pilot.press("ctrl+s")  # the operator accepts counting from now
        await settle(pilot)
        await pilot.press("escape")  # the offer to import a report: later
        await settle(pilot)
        assert type(app.screen).__name__ == "MainScreen"
    (case,) = ws.store.load_all().cases
    assert case.notification.received_source == "intake"
    assert case.notification.cited_listings == ["B09QK4HQZ2"]


def test_unknown_fields_are_asked_for_by_their_labels(tmp_path):
    asyncio.run(_labels(tmp_path))


async def _labels(tmp_path):
    ws = Workspace.open(tmp_path / "data", clock=frozen_clock(FROZEN_NOW), operator="tester")
    ws.store.ensure()
    app = _app(ws)
    async with app.run_test(size=SIZES["wide"]) as pilot:
        await _open_and_detect(pilot, "Joom\nDear partner, your shop was flagged.\n")
        message = _message(app)
        assert "Notification id" in message and "external_id" not in message


def test_after_detect_the_keys_go_to_the_first_field_to_fill_in(tmp_path):
    asyncio.run(_first_missing(tmp_path))


async def _first_missing(tmp_path):
    # "Not detected, please fill in: Store": the operator types the store name, and the
    # keys went to the Marketplace select, which dropped them.
    ws = Workspace.open(tmp_path / "data", clock=frozen_clock(FROZEN_NOW), operator="tester")
    ws.store.ensure()
    text = ("From: Amazon Seller Performance <seller-performance@amazon.com>\n"
            "Date: Sun, 29 Nov 2026 18:02:00 -0800\n"
            "Subject: Your Amazon.com selling privileges have been deactivated\n\n"
            "Hello,\n\nYour Amazon.com selling privileges have been deactivated because your "
            "Late Shipment Rate is 6.8%.\n")
    app = _app(ws)
    async with app.run_test(size=SIZES["narrow"]) as pilot:
        await _open_and_detect(pilot, text)
        assert "Store" in _message(app)
        await pilot.press(*"Sunrise")
        assert app.screen.query_one("#new-store").value == "Sunrise"
    app = _app(ws)
    async with app.run_test(size=SIZES["narrow"]) as pilot:  # nothing missing: the first
        await _open_and_detect(pilot, text.replace("Hello,", "Dear Sunrise Home,"))
        assert app.focused.id == "new-marketplace"
