"""Live team view: what the CLI or another operator writes appears in the app within 2 s,
without a reload key, and without losing the inbox cursor, the case tab or unsaved text;
a change to the letter being edited is resolved by the version rule and said once."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest
from textual.widgets import DataTable, Static, TabbedContent

from appealdesk.cases.clock import frozen_clock
from appealdesk.cases.workspace import Workspace
from appealdesk.operations import letters
from appealdesk.screens.dialogs.submissions import SubmissionsScreen
from appealdesk.widgets import editor_pane
from appealdesk.widgets.case_watch import CaseWatch
from tests.conftest import FROZEN_NOW, settle
from tests.test_editor import open_letter, type_at_end

SUBMITTED_CASE = "joom-jn-7729-8810"
UNSAVED = " Words not saved yet."
# The promise is 2 s; counted in pauses of 0.1 s (a busy machine makes them longer, never
# shorter), so the test fails when the app does not look by itself, not when it is slow.
PAUSES = 20


def cursor_case(app) -> str:
    table = app.screen_stack[0].query_one("#inbox-table", DataTable)
    return str(table.coordinate_to_cell_key((table.cursor_row, 0)).row_key.value)


def inbox_status(app, case_id: str) -> str:
    inbox = app.screen_stack[0].query_one("InboxPane")
    return next(r.summary.status.value for r in inbox.all_rows if r.id == case_id)


def other_operator(ws: Workspace) -> Workspace:
    return Workspace.open(ws.store.root, clock=frozen_clock(FROZEN_NOW), operator="lee")


async def until(pilot, condition) -> bool:
    for _ in range(PAUSES):
        if condition():
            return True
        await pilot.pause(0.1)
    return condition()


@pytest.fixture
def slow_autosave(monkeypatch):
    """The typed text stays unsaved for the whole test."""
    monkeypatch.setattr(editor_pane, "AUTOSAVE_INTERVAL", 60.0)


@pytest.mark.serial  # the watch's real 1 s timer, and a CLI process
async def test_an_outcome_recorded_by_the_cli_appears_while_the_letter_has_unsaved_text(
        demo_app, demo_workspace, slow_autosave):
    ws = demo_workspace
    app = demo_app()
    async with app.run_test(size=(160, 48)) as pilot:
        pane = await open_letter(pilot, SUBMITTED_CASE)
        await type_at_end(pilot, pane, UNSAVED)
        await pilot.press("escape")
        typed = pane.text
        assert pane.dirty
        row = app.screen.query_one("#inbox-table", DataTable).cursor_row
        assert cursor_case(app) == SUBMITTED_CASE
        await pilot.press("t")
        await pilot.pause()
        timeline = app.screen
        assert isinstance(timeline, SubmissionsScreen) and timeline.waiting

        done = subprocess.run(
            [sys.executable, "-m", "appealdesk", "--data-dir", str(ws.store.root), "outcome",
             SUBMITTED_CASE, "rejected", "--reason", "tracking not valid", "--code", "E-12"],
            capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr

        def shown() -> bool:
            return inbox_status(app, SUBMITTED_CASE) == "rejected" and "E-12" in timeline_text()

        def timeline_text() -> str:
            from rich.console import Console

            console = Console(width=100, record=True, file=__import__("io").StringIO())
            console.print(timeline.query_one("#timeline-body", Static).content)
            return console.export_text()

        assert await until(pilot, shown)
        assert not timeline.waiting and timeline.check_action("outcome", ()) is False
        assert pane.text == typed and pane.dirty  # the unsaved text is still there
        assert UNSAVED.strip() not in ws.store.load(SUBMITTED_CASE).letter.draft
        assert cursor_case(app) == SUBMITTED_CASE
        assert app.screen_stack[0].query_one("#inbox-table", DataTable).cursor_row == row
        assert app.screen_stack[0].query_one(TabbedContent).active == "tab-letter"
        assert app.case.submissions[-1].outcome == "rejected"
        assert not [n for n in app._notifications if "changed" in (n.title or "")]


@pytest.mark.serial  # the watch's real 1 s timer
async def test_a_letter_changed_by_another_operator_keeps_both_texts_and_says_so_once(
        demo_app, demo_workspace, slow_autosave):
    ws = demo_workspace
    app = demo_app()
    async with app.run_test(size=(160, 48)) as pilot:
        pane = await open_letter(pilot, SUBMITTED_CASE)
        await type_at_end(pilot, pane, UNSAVED)
        await pilot.press("escape")
        ours = pane.text
        theirs = "# Plan of Action\n\nLee's version.\n"
        letters.save_letter(other_operator(ws), SUBMITTED_CASE, theirs)

        def resolved() -> bool:
            return ws.store.load(SUBMITTED_CASE).letter.draft == ours and not pane.dirty

        assert await until(pilot, resolved)
        case = ws.store.load(SUBMITTED_CASE)
        texts = [v.text for v in case.letter.versions]
        assert theirs in texts and texts[-1] == ours  # theirs kept, ours beside it
        assert pane.text == ours
        for _ in range(15):  # more looks: nothing more to say
            await pilot.pause(0.1)
        await settle(pilot)
        said = [n for n in app._notifications if n.title == "Letter changed"]
        assert len(said) == 1


async def test_a_look_shows_new_and_broken_cases_and_says_a_broken_one_once(
        demo_app, demo_workspace):
    """The look itself, called directly (no timer): a new case made elsewhere appears in
    the inbox with the cursor where it was; a file broken elsewhere is said once."""
    ws = demo_workspace
    app = demo_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        app.select_case(SUBMITTED_CASE)
        await settle(pilot)
        watch = app.screen.query_one(CaseWatch)
        before = {r.id for r in app.screen.query_one("InboxPane").all_rows}
        copy = ws.store.case_dir("joom-jn-7729-9999")  # made by another operator
        shutil.copytree(ws.store.case_dir(SUBMITTED_CASE), copy)
        source = (copy / "case.toml").read_text("utf-8")
        (copy / "case.toml").write_text(
            source.replace("joom-jn-7729-8810", "joom-jn-7729-9999"), "utf-8")
        broken = ws.store.case_dir("noon-perf-483920") / "case.toml"
        broken.write_text("this is [not toml", "utf-8")
        for _ in range(2):
            watch.look(paced=False)
            await settle(pilot)
        after = {r.id for r in app.screen.query_one("InboxPane").all_rows}
        assert after == (before | {"joom-jn-7729-9999"}) - {"noon-perf-483920"}
        assert cursor_case(app) == SUBMITTED_CASE
        skipped = [n for n in app._notifications if n.title == "Case file skipped"]
        assert len(skipped) == 1 and "noon-perf-483920" in skipped[0].message


async def test_time_left_follows_a_submission_made_in_the_app(demo_app, demo_workspace):
    # The inbox kept "11h 59m" (the response deadline, as text cached per case) after the
    # submission, while the case line and `appealdesk list` said the follow-up is next.
    from appealdesk.operations import submissions
    from tests.evidence_fixtures import make_pdf

    case_id = "noon-perf-483920"
    out = demo_workspace.store.root / "cases" / case_id / "out"
    out.mkdir(parents=True, exist_ok=True)
    make_pdf(out / "Letter.pdf", ["Plan of action"])
    app = demo_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        inbox = app.screen.query_one("InboxPane")

        def left() -> str:
            return inbox._left_plain(inbox._row_for(case_id), inbox.now)

        assert not left().endswith("*")  # the response deadline
        submissions.submit(app.workspace, case_id, pdf="Letter.pdf")
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert inbox_status(app, case_id) == "submitted"
        assert left().endswith("*")  # the follow-up, as a new app would show it
