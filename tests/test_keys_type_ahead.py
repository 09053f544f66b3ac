"""Type-ahead: keys that arrive in one burst (an operator typing ahead over SSH, "3a")
each act where the key before them left the focus — the pane key moves the focus before
the next key is routed, even in the first moments, before the case's panes are mounted.

The keys are posted to the app back to back without awaiting a frame, as the terminal
driver does for one read of input (``Pilot.press`` waits for the app between keys)."""

from __future__ import annotations

from textual import events
from textual.widgets import DataTable, Input, TextArea

from appealdesk.screens import MainScreen
from appealdesk.screens.dialogs.file_picker import FilePickerScreen
from appealdesk.screens.place import pane_of
from appealdesk.widgets.editor_pane import EditorPane
from appealdesk.widgets.inbox_pane import InboxPane
from tests.conftest import settle

LETTER_CASE = "amazon-5839201744"  # seven metrics, a letter with headings
SUBMITTED_CASE = "joom-jn-7729-8810"  # four evidence requirements

CHARACTERS = {"escape": "\x1b", "enter": "\r", "slash": "/", "question_mark": "?"}


def burst(app, *keys: str) -> None:
    """Queue ``keys`` on the app at once, as one read of the terminal does."""
    for key in keys:
        event = events.Key(key, CHARACTERS.get(key, key if len(key) == 1 else None))
        event.set_sender(app)
        app.post_message(event)


async def routed(pilot) -> None:
    """Let the app route the burst (message handling only: no worker, no timer). Not
    ``settle``: the file picker's directory loader is a worker that never ends."""
    for _ in range(3):
        await pilot.pause()
    for _ in range(20):  # the panes mounting first, on a loaded machine
        if not pilot.app._held_keys:
            break
        await pilot.pause()


async def go(pilot, *keys: str) -> None:
    for key in keys:
        await pilot.press(key)
        await settle(pilot, 1)


def letter_text(app) -> str:
    return app.screen.query_one(EditorPane).text_area.text


async def test_a_pane_key_and_its_command_in_one_burst(demo_app):
    app = demo_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        app.select_case(SUBMITTED_CASE)
        await go(pilot, "4")
        assert pane_of(app.focused) == "letter"
        before = letter_text(app)
        burst(app, "3", "a")
        await routed(pilot)
        assert isinstance(app.screen, FilePickerScreen)  # the evidence pane's a: attach
        app.screen.dismiss(None)
        await settle(pilot)
        assert letter_text(app) == before


async def test_esc_out_of_the_letter_then_a_pane_key_and_a_command(demo_app):
    app = demo_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        app.select_case(SUBMITTED_CASE)
        await go(pilot, "4", "e")
        assert isinstance(app.focused, TextArea)
        before = letter_text(app)
        burst(app, "escape", "3", "a")
        await routed(pilot)
        assert isinstance(app.screen, FilePickerScreen)
        app.screen.dismiss(None)
        await settle(pilot)
        assert letter_text(app) == before  # no "3", no "a" typed into the letter


async def test_metrics_key_then_down(demo_app):
    app = demo_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        app.select_case(LETTER_CASE)
        await go(pilot, "1")
        inbox_row = app.screen.query_one("#inbox-pane DataTable", DataTable).cursor_row
        table = app.screen.query_one("#metrics-table", DataTable)
        row = table.cursor_row
        assert row + 1 < table.row_count
        burst(app, "2", "j")
        await settle(pilot)
        assert app.focused is table
        assert table.cursor_row == row + 1
        assert app.screen.query_one("#inbox-pane DataTable", DataTable).cursor_row == inbox_row


async def test_evidence_key_coverage_and_a_move(demo_app):
    app = demo_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        app.select_case(SUBMITTED_CASE)
        await go(pilot, "1")
        matrix = app.screen.query_one("#evidence-matrix", DataTable)
        checklist = app.screen.query_one("#evidence-checklist", DataTable)
        row = checklist.cursor_row
        assert row + 1 < checklist.row_count
        burst(app, "3", "m", "j")
        await settle(pilot)
        assert app.focused is matrix
        assert checklist.cursor_row == row  # the j was the matrix's


async def test_letter_key_edit_and_text_in_one_burst(demo_app):
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.select_case(LETTER_CASE)
        await go(pilot, "1")
        before = letter_text(app)
        burst(app, "4", "e", "x", "y", "z")
        await settle(pilot)
        assert isinstance(app.focused, TextArea)
        assert letter_text(app) != before
        assert "xyz" in letter_text(app)


async def test_filter_key_then_the_filter_text(demo_app):
    app = demo_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await go(pilot, "1")
        inbox = app.screen.query_one(InboxPane)
        burst(app, "slash", "a", "m", "a", "z")
        await settle(pilot)
        assert app.screen.query_one("#inbox-filter", Input).value == "amaz"
        assert not inbox.inbox_filter.show_inactive  # the a was text, not "closed cases"


async def test_help_key_then_esc_closes_it(demo_app):
    app = demo_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        burst(app, "question_mark", "escape", "3")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert pane_of(app.focused) == "evidence"


async def test_a_pane_key_before_the_panes_are_mounted(demo_app):
    app = demo_app()
    async with app.run_test(size=(160, 48)) as pilot:
        # The case's panes mount only once the inbox has shown its cases.
        assert not app.screen.query("#detail")
        burst(app, "3", "a")
        await routed(pilot)
        if isinstance(app.screen, FilePickerScreen):  # a case was shown by then: attach
            app.screen.dismiss(None)
            await routed(pilot)
        assert pane_of(app.focused) == "evidence"
        inbox = app.screen.query_one(InboxPane)
        assert not inbox.inbox_filter.show_inactive  # the inbox's a never ran


async def test_keys_typed_into_the_letter_keep_their_order(demo_app):
    app = demo_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        app.select_case(LETTER_CASE)
        await go(pilot, "4", "e")
        area = app.focused
        assert isinstance(area, TextArea)
        area.move_cursor((0, 0))
        burst(app, *"hello world")
        await settle(pilot)
        assert letter_text(app).startswith("hello world")
