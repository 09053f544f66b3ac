"""``x`` in the evidence pane asks before it takes a file out of the case: the copy in the
case folder is deleted, so a stray key must not do it."""

from __future__ import annotations

from appealdesk.screens.dialogs.remove_evidence import RemoveEvidenceScreen
from tests.conftest import settle

LETTER_CASE = "amazon-5839201744"


async def test_x_asks_n_keeps_y_removes(demo_app, demo_workspace):
    store = demo_workspace.store
    before = [e.name for e in store.load(LETTER_CASE).evidence]
    app = demo_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.select_case(LETTER_CASE)
        await pilot.press("3")
        await settle(pilot)
        await pilot.press("j")  # the first requirement's first file
        await pilot.press("x")
        await settle(pilot)
        assert isinstance(app.screen, RemoveEvidenceScreen)
        name = app.screen.file_name
        assert name in before
        await pilot.press("n")
        await settle(pilot)
        assert not isinstance(app.screen, RemoveEvidenceScreen)
        assert [e.name for e in store.load(LETTER_CASE).evidence] == before
        assert (store.case_dir(LETTER_CASE) / "evidence" / name).exists()

        await pilot.press("x")
        await settle(pilot)
        assert isinstance(app.screen, RemoveEvidenceScreen)
        await pilot.press("y")
        await settle(pilot)
        await app.workers.wait_for_complete()
        await settle(pilot)
    assert [e.name for e in store.load(LETTER_CASE).evidence] == [n for n in before if n != name]
    assert not (store.case_dir(LETTER_CASE) / "evidence" / name).exists()
