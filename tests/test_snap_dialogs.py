"""Snapshots of the modal dialogs, opened with the keys an operator presses, at 80x24 and
160x48 (and the ones whose words are long in Chinese, in Chinese at 80x24): set status,
the file picker (attach evidence, import a report), render a DRAFT, draft a new version,
record a submission and the marketplace's answer, the one-line prompt, remove a file, and the help
screen, the command palette and the waiver at the wide size (tests/test_snap_i18n.py
has them at 80x24)."""

from __future__ import annotations

import os

import pytest

from appealdesk.i18n import set_language
from tests.conftest import SIZES, settle, still

# The file picker's DirectoryTree keeps a loader worker running for as long as it is shown:
# waiting for every worker (conftest.settle) would wait for ever. Its folder is listed
# once the loader has filled the root; the other workers are waited for as settle does.
LOADER = "_loader"

LETTER_CASE = "amazon-5839201744"  # in progress, a drafted letter, blocking findings
SUBMITTED_CASE = "joom-jn-7729-8810"  # submitted, waiting for the marketplace's answer

# What an operator's drop folder holds: a PDF, a screenshot named in Chinese, an export
# with a long name and a folder (the picker lists folders first).
DROP_FILES = (
    "tracking-113-5134381-2600345.pdf",
    "买家消息截图.png",
    "amazon-seller-central-late-shipment-report-2026-11-19-export-with-all-columns-and-"
    "the-order-lines-of-every-store.csv",
)


def _keys(*keys: str, case: str = LETTER_CASE):
    """Open ``case``, press ``keys`` and wait for the dialog to settle."""
    async def run_before(pilot) -> None:
        await settle(pilot)
        pilot.app.select_case(case)
        await settle(pilot)
        # The pane under a modal shows at its edges: let it take its final shape first.
        await still(pilot)
        for key in keys:
            await pilot.press(key)
            await _settle(pilot)  # a form may open after a worker (submit reads out/)
        await _settle(pilot, times=6)
        for screen in pilot.app.screen_stack:  # as conftest.still does
            for widget in screen.query("Input, TextArea"):
                widget.cursor_blink = False
                widget.refresh()
        await pilot.pause()

    return run_before


async def _settle(pilot, times: int = 3) -> None:
    """conftest.settle, except for the file picker's loader (see LOADER)."""
    from textual.widgets import DirectoryTree
    from textual.worker import WorkerCancelled, WorkerFailed

    app = pilot.app
    for _ in range(times):
        # an empty list would mean every worker, the loader included
        waiting = [w for w in app.workers if w.group != LOADER]
        if waiting:
            try:
                await app.workers.wait_for_complete(waiting)
            except (WorkerFailed, WorkerCancelled):
                pass  # as in conftest.settle
        for tree in app.screen.query(DirectoryTree):
            for _wait in range(200):
                if tree.root.children and not tree._load_queue._unfinished_tasks:
                    break
                await pilot.pause(0.02)
        await pilot.pause()


@pytest.fixture
def drop_folder(tmp_path, monkeypatch):
    """The drop folder under the (temporary) home: the picker shows it as ~/drop."""
    home = tmp_path / "home"
    drop = home / "drop"
    (drop / "invoices").mkdir(parents=True)
    for name in DROP_FILES:
        (drop / name).write_bytes(b"x")
    (drop / ".hidden").write_bytes(b"x")  # dot files are not offered
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("APPEALDESK_DROP_DIR", "~/drop")
    return drop


@pytest.fixture
def rendered(demo_workspace):
    """Two PDFs in the letter case's out/: a letter, and a newer DRAFT (cannot be submitted)."""
    store = demo_workspace.store
    names = ("POA_Sunrise Home Goods_5839201744_2026-11-19.pdf",
             "DRAFT_POA_Sunrise Home Goods_5839201744_2026-11-20.pdf")
    for seconds, name in enumerate(names):
        path = store.write_file(LETTER_CASE, "out", name, b"%PDF-1.4\n")
        os.utime(path, (1_790_000_000 + seconds, 1_790_000_000 + seconds))
    return names


# name -> (keys, case, fixtures it needs)
DIALOGS = {
    "status": (("1", "c"), LETTER_CASE, ()),
    "attach": (("3", "a"), LETTER_CASE, ("drop_folder",)),
    "import_report": (("2", "i"), LETTER_CASE, ("drop_folder",)),
    "render_draft": (("4", "r"), LETTER_CASE, ()),
    "new_version": (("4", "d"), LETTER_CASE, ()),
    "submit": (("4", "s"), LETTER_CASE, ("rendered",)),
    "submit_nothing_rendered": (("4", "s"), LETTER_CASE, ()),
    "outcome": (("4", "o"), SUBMITTED_CASE, ()),
    "rejected_from_timeline": (("4", "t", "x"), SUBMITTED_CASE, ()),
    "orders_prompt": (("3", "j", "o"), LETTER_CASE, ()),
    "remove_evidence": (("3", "j", "x"), LETTER_CASE, ()),
}
# Already at 80x24 in tests/test_snap_i18n.py (English and Chinese): here at the wide size.
WIDE_ONLY = {
    "help": (("question_mark",), LETTER_CASE, ()),
    "palette": (("1", "ctrl+p"), LETTER_CASE, ()),
    "waive": (("3", "w"), LETTER_CASE, ()),
}
# Chinese at 80x24: the forms with the longest words and hints.
CHINESE = ("status", "attach", "render_draft", "new_version", "submit", "outcome",
           "orders_prompt", "remove_evidence")


def _snap(snap_compare, request, demo_app, spec, size: str) -> bool:
    keys, case, fixtures = spec
    for name in fixtures:
        request.getfixturevalue(name)
    return snap_compare(demo_app(), terminal_size=SIZES[size],
                        run_before=_keys(*keys, case=case))


class TestDialogs:
    @pytest.mark.parametrize("size", ["narrow", "wide"])
    @pytest.mark.parametrize("dialog", list(DIALOGS))
    def test_dialog(self, snap_compare, request, demo_app, dialog, size):
        assert _snap(snap_compare, request, demo_app, DIALOGS[dialog], size)

    @pytest.mark.parametrize("dialog", list(WIDE_ONLY))
    def test_wide(self, snap_compare, request, demo_app, dialog):
        assert _snap(snap_compare, request, demo_app, WIDE_ONLY[dialog], "wide")


class TestChinese:
    @pytest.mark.parametrize("dialog", CHINESE)
    def test_dialog_zh(self, snap_compare, request, demo_app, dialog):
        set_language("zh")  # before the app is built; conftest resets to en
        assert _snap(snap_compare, request, demo_app, DIALOGS[dialog], "narrow")

    def test_help_zh_wide(self, snap_compare, request, demo_app):
        set_language("zh")
        assert _snap(snap_compare, request, demo_app, WIDE_ONLY["help"], "wide")
