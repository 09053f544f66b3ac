"""The app served in a browser: files out (downloads), files in (the drop folder), and no
terminal-only features. Pilot tests pretend to be served (``App.is_web``); the real browser
is in test_browser_real.py."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import DirectoryTree, Input

from appealdesk.cases.workspace import Workspace
from appealdesk.cli.serve import free_path, upload_name
from appealdesk.evidence.outputs import latest_bundle, letter_pdf
from appealdesk.operations import evidence, letters
from appealdesk.screens.dialogs.file_picker import FilePickerScreen
from appealdesk.widgets.download import download_name
from tests.conftest import settle
from tests.evidence_fixtures import make_png

LETTER_CASE = "amazon-5839201744"


@pytest.fixture
def served(monkeypatch):
    """Pretend the app runs under textual-serve; collect what it delivers."""
    from appealdesk.app import AppealDeskApp

    delivered: list[dict] = []

    def deliver_binary(self, path, **options):
        delivered.append({"path": Path(path), **options})
        return "key"

    monkeypatch.setattr(AppealDeskApp, "is_web", property(lambda self: True))
    monkeypatch.setattr(AppealDeskApp, "deliver_binary", deliver_binary)
    return delivered


async def in_picker(pilot, *keys: str) -> None:
    """Press keys in the picker. Not settle(): the DirectoryTree's loader worker never ends."""
    await pilot.press(*keys)
    for _ in range(3):
        await pilot.pause()


async def open_pane(pilot, key: str):
    await settle(pilot)
    pilot.app.select_case(LETTER_CASE)
    await pilot.press(key)
    await settle(pilot)


def shown_actions(app) -> set[str]:
    return {active.binding.action for active in app.screen.active_bindings.values()}


# -- the drop folder ------------------------------------------------------------------------


def test_drop_folder_is_per_operator_in_the_data_folder_unless_set(tmp_path, monkeypatch):
    ws = Workspace.open(tmp_path / "data", operator="li.wei")
    assert ws.drop_dir == tmp_path / "data" / "drop" / "li.wei"
    assert Workspace.open(tmp_path / "data", operator="../x y").drop_dir.name == "_x_y"
    monkeypatch.setenv("APPEALDESK_DROP_DIR", str(tmp_path / "sftp-in"))
    assert ws.drop_dir == tmp_path / "sftp-in"


def test_upload_names_stay_in_the_drop_folder_and_never_replace_a_file(tmp_path):
    assert upload_name("C:\\Users\\me\\proof 1.png") == "proof 1.png"
    assert upload_name("../../.bashrc") == "bashrc"
    assert upload_name("a\x00b\nc.pdf") == "abc.pdf"
    assert upload_name("...") == ""
    (tmp_path / "proof.png").write_bytes(b"1")
    assert free_path(tmp_path, "proof.png").name == "proof (2).png"
    assert free_path(tmp_path, "other.png").name == "other.png"


async def test_attach_picker_opens_the_drop_folder(demo_app, tmp_path):
    app = demo_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_pane(pilot, "3")
        await in_picker(pilot, "a")
        picker = app.screen
        assert isinstance(picker, FilePickerScreen)
        drop = app.workspace.drop_dir
        assert drop.is_dir() and Path(picker.query_one(DirectoryTree).path) == drop
        assert str(drop) in str(picker.query_one("#picker-drop").render())
        # In a terminal the path box and the rest of the disk are still there.
        assert picker.query_one("#picker-path", Input).display
        await in_picker(pilot, "backspace")
        assert Path(picker.query_one(DirectoryTree).path) == drop.parent


async def test_served_picker_stays_in_the_drop_folder_and_attaches_from_it(demo_app, served):
    app = demo_app()
    drop = app.workspace.drop_dir
    drop.mkdir(parents=True)
    make_png(drop / "tracking.png")
    before = len(app.workspace.store.load(LETTER_CASE).evidence)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_pane(pilot, "3")
        assert "paste_path" not in shown_actions(app)  # no server path to paste
        await in_picker(pilot, "a")
        picker = app.screen
        assert isinstance(picker, FilePickerScreen)
        assert not picker.query_one("#picker-path", Input).display
        assert "focus_path" not in shown_actions(app)
        await in_picker(pilot, "backspace")
        assert Path(picker.query_one(DirectoryTree).path) == drop  # not up to the server's disk
        assert "drop folder" in str(picker.query_one("#picker-status").render())
        tree = picker.query_one(DirectoryTree)
        for _ in range(100):  # the tree reads the folder in a worker
            if tree.root.children:
                break
            await pilot.pause(0.05)
        await in_picker(pilot, "down", "enter")  # the file under the root
        await settle(pilot)
        after = len(app.workspace.store.load(LETTER_CASE).evidence)
        assert after == before + 1
        assert any("Attached tracking.png" in str(n.message) for n in app._notifications)


# -- downloads --------------------------------------------------------------------------------


def test_download_names_survive_an_unquoted_header():
    assert download_name("POA_Sunrise Home_5839201744_2026-11-20.pdf") == (
        "POA_Sunrise_Home_5839201744_2026-11-20.pdf")
    assert download_name("深圳优品.pdf") == "pdf"
    assert download_name("Evidence;x=1.zip") == "Evidence_x_1.zip"


async def test_download_keys_are_offered_only_when_served(demo_app, monkeypatch):
    app = demo_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_pane(pilot, "4")
        assert "download_pdf" not in shown_actions(app)  # a terminal shows the path
        monkeypatch.setattr(type(app), "is_web", property(lambda self: True))
        app.screen.refresh_bindings()
        assert "download_pdf" in shown_actions(app)
        assert "external_editor" not in shown_actions(app)
        await pilot.press("3")
        await settle(pilot)
        assert "download_bundle" in shown_actions(app)


async def test_served_letter_pane_downloads_the_rendered_pdf(demo_app, demo_workspace, served):
    app = demo_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_pane(pilot, "4")
        await pilot.press("D")
        await settle(pilot)
        assert served == []  # nothing rendered yet: said, not delivered
        assert any("No rendered letter" in str(n.message) for n in app._notifications)
        rendered = letters.render(demo_workspace, LETTER_CASE)  # the saved draft, in out/
        await pilot.press("D")
        await settle(pilot)
        [sent] = served
        case = demo_workspace.store.load(LETTER_CASE)
        assert sent["path"] == rendered.path == letter_pdf(
            demo_workspace.store, case, demo_workspace.policy_for(case))
        assert sent["mime_type"] == "application/pdf" and sent["open_method"] == "download"
        assert sent["save_filename"] == download_name(rendered.path.name)


async def test_served_evidence_pane_downloads_the_bundle(demo_app, demo_workspace, served):
    letters.render(demo_workspace, LETTER_CASE)
    bundle = evidence.bundle(demo_workspace, LETTER_CASE)
    assert latest_bundle(demo_workspace.store, demo_workspace.store.load(LETTER_CASE)) == bundle
    app = demo_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_pane(pilot, "3")
        await pilot.press("D")
        await settle(pilot)
        assert [s["path"] for s in served] == [bundle]


async def test_served_picker_without_a_drop_folder_says_why_and_offers_no_disk(
        demo_app, served, tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    monkeypatch.setenv("APPEALDESK_DROP_DIR", str(blocker / "drop"))  # cannot be made
    app = demo_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_pane(pilot, "3")
        await in_picker(pilot, "a")
        picker = app.screen
        assert isinstance(picker, FilePickerScreen)
        assert "cannot be made" in str(picker.query_one("#picker-drop").render())
        assert not picker.query_one(DirectoryTree).display
        await in_picker(pilot, "escape")
        assert not isinstance(app.screen, FilePickerScreen)
