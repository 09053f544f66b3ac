"""Snapshots of the evidence pane: checklist states and the coverage matrix."""

from __future__ import annotations

import asyncio

import pytest

from appealdesk.evidence import attach as ev
from appealdesk.policy.loading import PolicySet
from tests.conftest import SIZES, settle
from tests.evidence_fixtures import CITED, make_case, make_jpeg, make_pdf, make_png, make_workspace

CONTRIBUTING = "114-7777777-8888888"


def _workspace(tmp_path, *, filled: bool):
    ws = make_workspace(tmp_path)
    # Only the shipped Amazon policy: another policy being edited must not add a toast.
    ws.policies = PolicySet({"amazon": ws.policies.get("amazon")}, [])
    case = make_case(ws, type_="order_defect")
    if filled:
        files = tmp_path / "files"
        files.mkdir()
        ev.add_evidence(ws, case.id, [make_png(files / f"msg_{CITED[0]}.png")],
                        requirement="buyer_communication")
        ev.add_evidence(ws, case.id, [make_pdf(files / "tracking.pdf", CITED, pages=2)],
                        requirement="carrier_tracking")
        ev.add_evidence(ws, case.id, [make_jpeg(files / "sop.jpg")])
        ev.waive(ws, case.id, "process_change", "the process change is in the letter itself")
    return ws


def _app(ws):
    from appealdesk.app import AppealDeskApp

    return AppealDeskApp(ws, demo=True)  # "demo data" instead of the temporary path


async def _open_evidence(pilot) -> None:
    await settle(pilot)
    await pilot.press("3")
    await settle(pilot)


async def _open_matrix(pilot) -> None:
    await _open_evidence(pilot)
    await pilot.press("m")
    await pilot.press("n")  # the cursor on the first gap
    await settle(pilot)


@pytest.fixture
def contributing(monkeypatch):
    from appealdesk.widgets.evidence_pane import EvidencePane

    monkeypatch.setattr(EvidencePane, "contributing_orders_for", lambda case: [CONTRIBUTING])


class TestEvidencePane:
    @pytest.mark.parametrize("size", ["narrow", "wide"])
    def test_checklist_missing(self, snap_compare, tmp_path, size):
        ws = _workspace(tmp_path, filled=False)
        assert snap_compare(_app(ws), terminal_size=SIZES[size], run_before=_open_evidence)

    @pytest.mark.parametrize("size", ["narrow", "wide"])
    def test_checklist_partial_done_waived(self, snap_compare, tmp_path, size):
        ws = _workspace(tmp_path, filled=True)
        assert snap_compare(_app(ws), terminal_size=SIZES[size], run_before=_open_evidence)

    @pytest.mark.parametrize("size", ["narrow", "wide"])
    def test_coverage_matrix(self, snap_compare, tmp_path, size, contributing):
        ws = _workspace(tmp_path, filled=True)
        assert snap_compare(_app(ws), terminal_size=SIZES[size], run_before=_open_matrix)


class TestEvidencePaneKeys:
    """Pilot tests: the keys change the case through the core, in workers."""

    def test_waive_with_reason_then_withdraw(self, tmp_path):
        asyncio.run(self._test_waive_with_reason_then_withdraw(tmp_path))

    async def _test_waive_with_reason_then_withdraw(self, tmp_path):
        ws = _workspace(tmp_path, filled=False)
        app = _app(ws)
        async with app.run_test(size=SIZES["wide"]) as pilot:
            await _open_evidence(pilot)
            await pilot.press("w")
            await pilot.pause()
            await pilot.press("enter")  # an empty reason is refused
            await pilot.pause()
            assert type(app.screen).__name__ == "WaiveScreen"
            await pilot.press(*"buyer never wrote")
            await pilot.press("enter")
            await settle(pilot)
            [waiver] = ws.store.load("amazon-123456789").waivers
            assert (waiver.requirement, waiver.reason) == ("buyer_communication",
                                                           "buyer never wrote")
            # The requirement by its name, not its id ("Waived buyer_communication")
            said = [n.message for n in app._notifications]
            assert "Waived Buyer messages for each cited order" in said
            await pilot.press("w")  # on a waived requirement: withdraw
            await settle(pilot)
            assert ws.store.load("amazon-123456789").waivers == []
            said = [n.message for n in app._notifications]
            assert "Waiver withdrawn for Buyer messages for each cited order" in said

    def test_paste_a_path_attaches_to_highlighted_requirement(self, tmp_path):
        asyncio.run(self._test_paste_a_path_attaches_to_highlighted_requirement(tmp_path))

    async def _test_paste_a_path_attaches_to_highlighted_requirement(self, tmp_path):
        ws = _workspace(tmp_path, filled=False)
        src = make_png(tmp_path / f"msg {CITED[2]}.png")
        app = _app(ws)
        async with app.run_test(size=SIZES["wide"]) as pilot:
            await _open_evidence(pilot)
            await pilot.press("p")
            await pilot.pause()
            app.screen.query_one("#picker-path").value = f"'{src}'"
            await pilot.press("enter")
            await settle(pilot)
            [item] = ws.store.load("amazon-123456789").evidence
            assert item.requirement == "buyer_communication" and item.orders == [CITED[2]]
            assert src.exists()
            pane = app.screen.query_one("#evidence-pane")
            assert pane.result.item("buyer_communication").covered == 1
            await pilot.press("down", "o")  # the file row: correct its orders
            await pilot.pause()
            app.screen.query_one("#prompt-input").value = f"{CITED[0]}, {CITED[1]}"
            await pilot.press("enter")
            await settle(pilot)
            assert ws.store.load("amazon-123456789").evidence[0].orders == CITED[:2]
            await pilot.press("x")  # then remove it: x asks first, y removes
            await pilot.pause()
            await pilot.press("y")
            await settle(pilot)
            assert ws.store.load("amazon-123456789").evidence == []

    def test_attach_from_matrix_gap_covers_that_order(self, tmp_path):
        asyncio.run(self._test_attach_from_matrix_gap_covers_that_order(tmp_path))

    async def _test_attach_from_matrix_gap_covers_that_order(self, tmp_path):
        ws = _workspace(tmp_path, filled=True)
        src = make_png(tmp_path / "no-order-in-name.png", 10, 10)
        app = _app(ws)
        async with app.run_test(size=SIZES["wide"]) as pilot:
            await _open_matrix(pilot)  # cursor on the first gap: CITED[1] x buyer messages
            await pilot.press("p")
            await pilot.pause()
            app.screen.query_one("#picker-path").value = str(src)
            await pilot.press("enter")
            await settle(pilot)
            added = ws.store.load("amazon-123456789").evidence[-1]
            assert added.requirement == "buyer_communication" and added.orders == [CITED[1]]

    def test_bundle_key_writes_the_pdf(self, tmp_path):
        asyncio.run(self._test_bundle_key_writes_the_pdf(tmp_path))

    async def _test_bundle_key_writes_the_pdf(self, tmp_path):
        ws = _workspace(tmp_path, filled=True)
        app = _app(ws)
        async with app.run_test(size=SIZES["wide"]) as pilot:
            await _open_evidence(pilot)
            await pilot.press("b")
            await settle(pilot)
            await app.workers.wait_for_complete()
            [out] = ws.store.list_files("amazon-123456789", "out")
            assert out.suffix == ".pdf"
            assert not app.screen.query_one("#evidence-pane").has_class("bundling")

    def test_next_gap_goes_on_to_a_requirement_without_a_file(self, tmp_path):
        asyncio.run(self._test_next_gap_goes_on_to_a_requirement_without_a_file(tmp_path))

    async def _test_next_gap_goes_on_to_a_requirement_without_a_file(self, tmp_path):
        # Every cited order covered, "Proof of the process change" still without a file:
        # n said "Every order is covered." and stayed put, which read as nothing left.
        ws = _workspace(tmp_path, filled=False)
        files = tmp_path / "files"
        files.mkdir()
        case_id = "amazon-123456789"
        ev.add_evidence(ws, case_id, [make_pdf(files / "msgs.pdf", CITED)],
                        requirement="buyer_communication")
        ev.add_evidence(ws, case_id, [make_pdf(files / "tracking.pdf", CITED, pages=2)],
                        requirement="carrier_tracking")
        app = _app(ws)
        async with app.run_test(size=SIZES["narrow"]) as pilot:
            await _open_evidence(pilot)
            pane = app.screen.query_one("#evidence-pane")
            assert pane.result.coverage.gaps() == []
            await pilot.press("n")
            await settle(pilot)
            assert not pane._matrix_shown()
            assert pane._selected() == ("req", "process_change")
            said = [n.message for n in app._notifications]
            assert "Every order is covered." not in said
            ev.waive(ws, case_id, "process_change", "in the letter")
            pane.show_case(ws.store.load(case_id))
            await pilot.press("n")
            await settle(pilot)
            assert pane._selected() == ("req", "process_change")  # stays: nothing left
            assert any("every requirement has a file" in n.message for n in app._notifications)
