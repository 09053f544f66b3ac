"""Behaviour of the letter editor: autosave, crash recovery, live findings, keys, $EDITOR,
drafting beside an edited letter, rendering, versions and the timeline."""

from __future__ import annotations

import contextlib
import os
import signal
import stat
import sys
from datetime import timedelta

import pytest
from textual import events
from textual.widgets import OptionList

from appealdesk.app import AppealDeskApp
from appealdesk.cases.clock import frozen_clock
from appealdesk.cases.workspace import Workspace
from appealdesk.operations.letters import save_letter as save_text
from appealdesk.screens.dialogs.letter_versions import (
    LetterVersionsScreen,
    NewVersionScreen,
    Side,
    diff_rows,
    stacked,
)
from appealdesk.screens.dialogs.submissions import SubmissionsScreen, timeline_events
from appealdesk.widgets import editor_pane
from appealdesk.widgets.editor_pane import (
    EditorPane,
    autosave_delay,
    edit_externally,
    editor_command,
    finding_line,
    preview_text,
)
from tests.conftest import FROZEN_NOW, settle, wait_until

LETTER_CASE = "amazon-5839201744"
SUBMITTED_CASE = "joom-jn-7729-8810"
APPROVED_CASE = "amazon-5790114420"


async def open_letter(pilot, case_id: str = LETTER_CASE) -> EditorPane:
    await settle(pilot)
    pilot.app.select_case(case_id)
    await pilot.press("4")
    await settle(pilot)
    pane = pilot.app.screen.query_one(EditorPane)
    assert pane.case is not None and pane.case.id == case_id
    return pane


async def type_at_end(pilot, pane: EditorPane, text: str) -> None:
    await pilot.press("e")
    area = pane.text_area
    assert area.has_focus
    area.move_cursor(area.document.end)
    await pilot.press(*text)


def stored_draft(ws: Workspace, case_id: str = LETTER_CASE) -> str:
    return ws.store.load(case_id).letter.draft


# -- autosave -------------------------------------------------------------------------


@pytest.mark.serial  # typing must fit in a real 2 s interval: not on a busy machine
async def test_typing_is_saved_a_moment_after_the_first_keystroke(demo_app, demo_workspace,
                                                                  monkeypatch):
    # Long enough that the pilot's typing fits inside it, even on a loaded machine.
    monkeypatch.setattr(editor_pane, "AUTOSAVE_INTERVAL", 2.0)
    app = demo_app()
    async with app.run_test(size=(100, 30)) as pilot:
        pane = await open_letter(pilot)
        before = stored_draft(demo_workspace)
        await type_at_end(pilot, pane, "\nSaved.")
        assert pane.dirty
        assert stored_draft(demo_workspace) == before  # not on every keystroke
        await wait_until(pilot, lambda: stored_draft(demo_workspace).endswith("Saved.")
                         and not pane.dirty)
        assert stored_draft(demo_workspace).endswith("Saved.")
        assert not pane.dirty
        assert "saved 09:00:00" in str(pane.query_one("#editor-status").render())
        # Continuous typing by one operator updates the current version in place.
        case = demo_workspace.store.load(LETTER_CASE)
        assert case.letter.versions[-1].text == case.letter.draft


def test_autosave_comes_within_two_seconds_however_fast_one_types():
    """A throttle: the save is due AUTOSAVE_INTERVAL after the first unsaved keystroke,
    and no later keystroke moves it (a debounce would wait for a pause)."""
    assert editor_pane.MAX_LOSS == 2.0
    assert editor_pane.AUTOSAVE_INTERVAL < editor_pane.MAX_LOSS
    first = 0.0
    for step in range(10):  # a keystroke every 0.1 s
        now = step * 0.1
        assert now + autosave_delay(first, now) == pytest.approx(
            first + editor_pane.AUTOSAVE_INTERVAL)
    # A key handled after the deadline (a busy loop): save at once.
    assert autosave_delay(first, editor_pane.AUTOSAVE_INTERVAL + 0.3) == 0.0
    # A single keystroke waits the interval, not less.
    assert autosave_delay(5.0, 5.0) == editor_pane.AUTOSAVE_INTERVAL


async def test_crash_after_autosave_keeps_the_typed_text(demo_app, demo_workspace, fast_timers,
                                                         monkeypatch):
    # A crash: nothing runs at exit, so only the autosave can have kept the text.
    monkeypatch.setattr(EditorPane, "save_now", lambda self: None)
    app = demo_app()
    async with app.run_test(size=(100, 30)) as pilot:
        pane = await open_letter(pilot)
        await type_at_end(pilot, pane, "\nCrash.")
        await wait_until(pilot, lambda: stored_draft(demo_workspace).endswith("Crash."))
    monkeypatch.undo()
    again = AppealDeskApp(Workspace.open(demo_workspace.store.root,
                                         clock=frozen_clock(FROZEN_NOW), operator="tester"))
    async with again.run_test(size=(100, 30)) as pilot:
        pane = await open_letter(pilot)
        assert pane.text.endswith("Crash.")
        assert not pane.dirty


async def test_keys_typed_right_after_e_go_to_the_letter(demo_app, demo_workspace):
    """On a busy app the keys typed right after ``e`` reach the list that had the focus
    (Textual routes each key when it arrives); they used to be lost."""
    app = demo_app()
    async with app.run_test(size=(100, 30)) as pilot:
        pane = await open_letter(pilot)
        findings = pane.query_one("#editor-findings", OptionList)
        findings.focus()
        await pilot.pause()
        before = pane.text
        for key in "eOk":  # all three queued on the list before "e" is acted on
            findings._forward_event(events.Key(key, key))  # as the app routes a key
        await settle(pilot)
        assert pane.text_area.has_focus
        assert pane.text == "Ok" + before


@pytest.mark.serial  # typing must fit in the real 1 s autosave interval: not on a busy machine
async def test_leaving_the_app_saves_what_the_autosave_has_not(demo_app, demo_workspace):
    app = demo_app()  # the real 1 s autosave interval: the test exits well before it
    async with app.run_test(size=(100, 30)) as pilot:
        pane = await open_letter(pilot)
        await type_at_end(pilot, pane, "\nLast.")
        assert pane.dirty
    assert stored_draft(demo_workspace).endswith("Last.")


async def test_saves_keep_coming_after_a_key_handled_past_the_deadline(demo_app, demo_workspace,
                                                                       monkeypatch):
    """A key handled after the deadline (a busy loop) must save at once. It used to
    set a zero-length timer, which never fires: autosave stopped for the session and
    quitting raised ZeroDivisionError."""
    now = [100.0]
    monkeypatch.setattr(editor_pane, "monotonic", lambda: now[0])
    # Long in real time: only the keys handled past the (moved) clock's deadline save here.
    monkeypatch.setattr(editor_pane, "AUTOSAVE_INTERVAL", 30.0)
    app = demo_app()
    async with app.run_test(size=(100, 30)) as pilot:
        pane = await open_letter(pilot)
        await type_at_end(pilot, pane, "\nLate")
        assert pane.dirty and not stored_draft(demo_workspace).endswith("Late")
        now[0] += editor_pane.AUTOSAVE_INTERVAL + 0.5  # the next key comes after the deadline
        await pilot.press("r")
        await settle(pilot)
        assert stored_draft(demo_workspace).endswith("Later")
        assert not pane.dirty
        for word in (" and", " later"):  # and the saves keep coming
            await pilot.press(*word)
            now[0] += editor_pane.AUTOSAVE_INTERVAL + 0.5
            await pilot.press(".")
            await settle(pilot)
        assert stored_draft(demo_workspace).endswith("Later and. later.")
        assert not pane.dirty
    assert app.return_code in (0, None)  # and quitting works


async def test_a_letter_changed_elsewhere_is_never_overwritten(demo_app, demo_workspace,
                                                               fast_timers):
    app = demo_app()
    async with app.run_test(size=(100, 30)) as pilot:
        pane = await open_letter(pilot)
        await pilot.press("e")
        # Another operator saves a different letter while we type.
        other = Workspace.open(demo_workspace.store.root, clock=frozen_clock(FROZEN_NOW),
                               operator="colleague")
        save_text(other, LETTER_CASE, "# Their letter\n")
        pane.text_area.move_cursor(pane.text_area.document.end)
        await pilot.press(*"Mine.")
        await wait_until(pilot, lambda: stored_draft(demo_workspace).endswith("Mine."))
        case = demo_workspace.store.load(LETTER_CASE)
        texts = [v.text for v in case.letter.versions]
        assert "# Their letter\n" in texts
        assert case.letter.draft.endswith("Mine.") and case.letter.draft in texts
        assert pane.text.endswith("Mine.")
        assert any("changed elsewhere" in n.message for n in app._notifications)


# -- findings ------------------------------------------------------------------------------


async def test_findings_appear_after_typing_and_lead_to_their_line(demo_app, fast_timers):
    app = demo_app()
    async with app.run_test(size=(100, 30)) as pilot:
        pane = await open_letter(pilot)
        assert not any(f.code == "emotional_language" for f in pane.findings)
        await type_at_end(pilot, pane, "\nUnfair.")
        line = pane.text_area.document.line_count
        await wait_until(pilot, lambda: any(f.code == "emotional_language"
                                            for f in pane.findings))
        found = [f for f in pane.findings if f.code == "emotional_language"]
        assert found and finding_line(found[0]) == line
        findings = pane.query_one("#editor-findings", OptionList)
        index = (pane.render_findings + pane.findings).index(found[0])
        prompt = str(findings.get_option_at_index(index).prompt)
        assert f"line {line} Emotional wording" in prompt  # its title, not its code
        assert "emotional_language" not in prompt
        # Select the finding: the cursor goes to its line, ready to type.
        pane.text_area.move_cursor((0, 0))
        await pilot.press("escape")
        findings.focus()
        findings.highlighted = index
        await pilot.press("enter")
        await pilot.pause()
        assert pane.text_area.has_focus
        assert pane.text_area.cursor_location == (line - 1, 0)


async def test_case_level_findings_are_listed(demo_app):
    app = demo_app()
    async with app.run_test(size=(100, 30)) as pilot:
        pane = await open_letter(pilot, SUBMITTED_CASE)
        assert "already_submitted" in {f.code for f in pane.findings}


async def test_outline_enter_jumps_to_the_heading(demo_app):
    app = demo_app()
    async with app.run_test(size=(100, 30)) as pilot:
        pane = await open_letter(pilot)
        outline = pane.query_one("#editor-outline", OptionList)
        assert outline.has_focus and outline.option_count >= 4
        await pilot.press("down", "enter")
        await pilot.pause()
        row = pane.text_area.cursor_location[0]
        assert pane.text_area.has_focus
        assert pane.text.splitlines()[row].startswith("## Root cause")


# -- keys ------------------------------------------------------------------------------------


async def test_letters_are_text_while_editing_and_commands_after_esc(demo_app):
    app = demo_app()
    async with app.run_test(size=(100, 30)) as pilot:
        pane = await open_letter(pilot)
        shown = {b.binding.action for b in app.screen.active_bindings.values()}
        assert {"draft", "render", "versions", "timeline", "toggle_preview"} <= shown
        await type_at_end(pilot, pane, "dvt4q")
        assert pane.text.endswith("dvt4q")
        assert not app.screen.query(NewVersionScreen) and app.screen.query_one(EditorPane)
        active = {b.binding.action for b in app.screen.active_bindings.values()
                  if pane.check_action(b.binding.action, ()) is not False}
        assert "draft" not in active and "stop_editing" in active
        await pilot.press("escape")
        assert not pane.text_area.has_focus
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, SubmissionsScreen)


@pytest.mark.skipif(not hasattr(signal, "SIGHUP"), reason="no hang-up signal on Windows")
async def test_a_dropped_connection_saves_what_was_typed_and_leaves(demo_app, demo_workspace):
    """SIGHUP (the SSH connection dropped) leaves as q does: the editor saves on the way out,
    before the 1 s autosave would have."""
    app = demo_app()
    async with app.run_test(size=(100, 30)) as pilot:
        pane = await open_letter(pilot)
        await type_at_end(pilot, pane, " lost-connection")
        # Only send the signal if the app took it over: the default would end the tests.
        assert signal.getsignal(signal.SIGHUP) not in (signal.SIG_DFL, signal.SIG_IGN, None)
        os.kill(os.getpid(), signal.SIGHUP)
        await wait_until(pilot, lambda: app.return_code is not None)
        assert app.return_code == 0  # on its way out, as after q
    assert demo_workspace.store.load(LETTER_CASE).letter.draft.endswith(" lost-connection")


async def test_external_editor_is_not_offered_on_the_web(demo_app, monkeypatch):
    app = demo_app()
    async with app.run_test(size=(100, 30)) as pilot:
        pane = await open_letter(pilot)
        assert pane.check_action("external_editor", ()) is True
        monkeypatch.setattr(type(app), "is_web", property(lambda self: True))
        assert pane.check_action("external_editor", ()) is False


# -- $EDITOR ------------------------------------------------------------------------------------


@pytest.fixture
def appending_editor(tmp_path):
    script = tmp_path / "fake-editor"
    script.write_text(f"#!{sys.executable}\nimport sys\n"
                      "with open(sys.argv[1], 'a', encoding='utf-8') as f:\n"
                      "    f.write('Added in the editor.\\n')\n")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return script


def test_edit_externally_round_trip(appending_editor, tmp_path):
    assert edit_externally("# Letter\n", [str(appending_editor)]) == (
        "# Letter\nAdded in the editor.\n")
    failing = tmp_path / "failing"
    failing.write_text("#!/bin/sh\nexit 3\n")
    failing.chmod(0o755)
    with pytest.raises(editor_pane.ExternalEditorError, match="code 3"):
        edit_externally("x", [str(failing)])
    with pytest.raises(editor_pane.ExternalEditorError, match="could not start"):
        edit_externally("x", [str(tmp_path / "missing")])


def test_editor_command_prefers_visual_and_splits_arguments():
    assert editor_command({"VISUAL": "code --wait", "EDITOR": "vi"}) == ["code", "--wait"]
    assert editor_command({"EDITOR": "nano"}) == ["nano"]
    assert editor_command({"EDITOR": "  "}) is None
    assert editor_command({}) is None


async def test_editor_key_round_trip_saves(demo_app, demo_workspace, appending_editor,
                                           monkeypatch):
    monkeypatch.setenv("EDITOR", str(appending_editor))
    app = demo_app()
    # The headless driver cannot hand the terminal over; the real one does the same thing.
    monkeypatch.setattr(app, "suspend", contextlib.nullcontext)
    async with app.run_test(size=(100, 30)) as pilot:
        pane = await open_letter(pilot)
        await pilot.press("E")
        await settle(pilot)
        assert pane.text.endswith("Added in the editor.\n")
    assert stored_draft(demo_workspace).endswith("Added in the editor.\n")


async def test_no_editor_set_says_so(demo_app):
    app = demo_app()
    async with app.run_test(size=(100, 30)) as pilot:
        pane = await open_letter(pilot)
        before = pane.text
        await pilot.press("E")
        await pilot.pause()
        assert pane.text == before
        assert any("$EDITOR" in n.message for n in app._notifications)


# -- draft, render, versions, timeline -------------------------------------------------------------


async def test_draft_on_an_edited_letter_offers_a_new_version(demo_app, demo_workspace):
    app = demo_app()
    async with app.run_test(size=(100, 30)) as pilot:
        pane = await open_letter(pilot)
        edited = pane.text
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, NewVersionScreen)
        await pilot.press("y")
        await settle(pilot)
        case = demo_workspace.store.load(LETTER_CASE)
        assert [v.origin for v in case.letter.versions] == ["edited", "drafted"]
        assert case.letter.versions[0].text == edited
        assert pane.text == case.letter.draft != edited


async def test_draft_cancelled_changes_nothing(demo_app, demo_workspace):
    app = demo_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await open_letter(pilot)
        await pilot.press("d")
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
    assert len(demo_workspace.store.load(LETTER_CASE).letter.versions) == 1


async def test_render_key_asks_then_writes_a_draft(demo_app, demo_workspace):
    from appealdesk.screens.dialogs.render_draft import RenderDraftScreen

    app = demo_app()
    async with app.run_test(size=(100, 30)) as pilot:
        pane = await open_letter(pilot)
        await settle(pilot, times=3)
        # the pane lists the case's blocking findings of every area, not only the letter's
        assert any(f.severity == "blocking" and not f.where.startswith("letter")
                   for f in pane.findings)
        states = []
        original = pane._busy
        pane._busy = lambda on: (states.append(on), original(on))
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(app.screen, RenderDraftScreen)
        await pilot.press("y")
        await settle(pilot, times=5)
        assert states == [True, False]  # the progress bar came and went
        assert not pane.has_class("busy")
        pdfs = demo_workspace.store.list_files(LETTER_CASE, "out")
        assert [p.suffix for p in pdfs] == [".pdf"] and pdfs[0].name.startswith("DRAFT_")
        assert any(pdfs[0].name in n.message for n in app._notifications)
        history = demo_workspace.store.load(LETTER_CASE).history
        assert history[-1].event == "rendered"


async def test_render_cancelled_writes_nothing(demo_app, demo_workspace):
    app = demo_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await open_letter(pilot)
        await settle(pilot, times=3)
        await pilot.press("r")
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot, times=3)
    assert demo_workspace.store.list_files(LETTER_CASE, "out") == []


async def test_versions_screen_compares_the_two_latest(demo_app, demo_workspace):
    save_text(demo_workspace, LETTER_CASE, "# Plan\n\nA new carrier.\n", origin="imported")
    app = demo_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await open_letter(pilot)
        await pilot.press("v")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, LetterVersionsScreen)
        assert screen.picked == [1, 2]
        await pilot.press("escape")
        assert not isinstance(app.screen, LetterVersionsScreen)


def test_diff_rows_align_and_fold():
    old = "\n".join(f"line {i}" for i in range(20)) + "\nold end"
    new = "\n".join(f"line {i}" for i in range(20)) + "\nnew end\nextra"
    rows = diff_rows(old, new)
    assert any("unchanged" in (left.plain if left else "") for left, _r in rows)
    changed = [(a.plain if a else None, b.plain if b else None) for a, b in rows[-2:]]
    assert changed == [("old end", "new end"), (None, "extra")]
    from rich.console import Console

    console = Console(width=60, record=True, file=__import__("io").StringIO())
    console.print(stacked(Side("v1", old), Side("v2", new)))
    text = console.export_text()
    assert "- old end" in text and "+ new end" in text and "+ extra" in text


def test_timeline_of_an_approved_submission(demo_workspace):
    case = demo_workspace.store.load(APPROVED_CASE)
    kinds = [e.kind for e in timeline_events(case, FROZEN_NOW)]
    assert kinds == ["received", "submitted", "approved"]
    waiting = demo_workspace.store.load(SUBMITTED_CASE)
    events = timeline_events(waiting, FROZEN_NOW)
    assert events[-1].kind == "waiting" and "20 h" in events[-1].details[0]
    assert events[1].at == FROZEN_NOW - timedelta(hours=20)


async def open_timeline(pilot) -> SubmissionsScreen:
    await pilot.press("t")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, SubmissionsScreen)
    return screen


async def test_d_in_the_timeline_marks_the_follow_up_due_first_done(demo_app, demo_workspace):
    app = demo_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await open_letter(pilot, SUBMITTED_CASE)
        screen = await open_timeline(pilot)
        assert screen.next_followup.id == "urgent_ticket"  # Joom: a ticket within 24 h
        assert "URGENT: Appeal Submitted for JN-7729-8810" in str(
            screen.query_one("#timeline-hint").render())
        await pilot.press("d")
        await settle(pilot)
        assert not isinstance(app.screen, SubmissionsScreen)
        case = demo_workspace.store.load(SUBMITTED_CASE)
        assert [h.note for h in case.history if h.event == "followup_done"] == ["urgent_ticket"]
        screen = await open_timeline(pilot)
        assert screen.next_followup.id == "chase_ticket"  # the next one is offered now


async def test_the_timeline_offers_no_d_without_an_open_follow_up(demo_app):
    app = demo_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await open_letter(pilot, APPROVED_CASE)
        screen = await open_timeline(pilot)
        assert screen.next_followup is None
        assert screen.check_action("followup_done", ()) is False
        await pilot.press("d")
        assert app.screen is screen  # nothing happens


def test_preview_is_styled_lines_of_the_given_width():
    text = preview_text("# Title\n\nSome **bold** words in a paragraph that wraps. " * 3, 40)
    assert "Title" in text.plain
    assert max(len(line) for line in text.plain.splitlines()) <= 40
    assert any(span.style for span in text.spans)
