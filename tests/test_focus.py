"""The focus model of the main screen (screens/place.py) and the moving keys every list
has (widgets/nav_keys.py): Tab never edits the letter, Esc backs out to the inbox, the
same keys move in every table and list, L/T/a resize keep the place."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable, OptionList, TextArea

from appealdesk.operations.letters import save_letter
from appealdesk.screens import MainScreen
from appealdesk.screens.place import pane_of
from appealdesk.widgets.editor_pane import EditorPane
from appealdesk.widgets.nav_keys import Scroll
from tests.conftest import settle

LETTER_CASE = "amazon-5839201744"  # seven metrics, a letter with headings
SUBMITTED_CASE = "joom-jn-7729-8810"  # four evidence requirements, a timeline


async def go(pilot, *keys: str) -> None:
    for key in keys:
        await pilot.press(key)
        await settle(pilot, 1)


def editing(app) -> bool:
    return isinstance(app.focused, TextArea)


# -- Tab never edits ---------------------------------------------------------------------


@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
async def test_tab_and_shift_tab_never_start_editing(demo_app, size):
    app = demo_app()
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        app.select_case(LETTER_CASE)
        await go(pilot, "4")
        seen = set()
        for key in ["tab"] * 12 + ["shift+tab"] * 12:
            await pilot.press(key)
            await pilot.pause()
            assert not editing(app), f"{key} put the keys into the letter"
            seen.add(pane_of(app.focused))
        assert "letter" in seen  # Tab does walk the letter pane's read-only views
        await go(pilot, "4", "e")
        assert editing(app)  # e does edit


async def test_enter_on_a_heading_edits_and_tab_then_leaves_the_text(demo_app):
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.select_case(LETTER_CASE)
        await go(pilot, "4")
        assert app.focused.id == "editor-outline"
        await go(pilot, "enter")
        assert editing(app)
        assert app.screen.query_one("#detail").has_class("editing")  # the frame says so
        await go(pilot, "tab")
        assert not editing(app)
        assert not app.screen.query_one("#detail").has_class("editing")


# -- Esc backs out --------------------------------------------------------------------


@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
async def test_esc_reaches_the_inbox_from_editing_in_three_presses(demo_app, size):
    app = demo_app()
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        app.select_case(LETTER_CASE)
        await go(pilot, "4", "e")
        assert editing(app)
        presses = 0
        while pane_of(app.focused) != "inbox" and presses < 3:
            await go(pilot, "escape")
            presses += 1
        assert pane_of(app.focused) == "inbox"
        assert presses <= 3
        screen = app.screen
        assert isinstance(screen, MainScreen)
        if size[0] < 120:
            assert screen.has_class("show-inbox")
        assert app.case is not None and app.case.id == LETTER_CASE  # the same case


@pytest.mark.parametrize("key", ["2", "3"])
async def test_esc_on_metrics_or_evidence_goes_to_the_inbox(demo_app, key):
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await go(pilot, key)
        assert pane_of(app.focused) in ("metrics", "evidence")
        await go(pilot, "escape")
        assert pane_of(app.focused) == "inbox"


async def test_esc_leaves_the_preview_for_the_letter_then_the_inbox(demo_app):
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.select_case(LETTER_CASE)
        await go(pilot, "4", "p")
        pane = app.screen.query_one(EditorPane)
        assert pane._preview_shown() and app.focused.id == "editor-preview"
        await go(pilot, "escape")
        assert not pane._preview_shown() and pane_of(app.focused) == "letter"
        assert not editing(app)
        await go(pilot, "escape")
        assert pane_of(app.focused) == "inbox"


async def test_esc_leaves_the_coverage_matrix_before_the_pane(demo_app):
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.select_case(SUBMITTED_CASE)
        await go(pilot, "3", "m")
        assert app.focused.id == "evidence-matrix"
        await go(pilot, "escape")
        assert app.focused.id == "evidence-checklist"
        await go(pilot, "escape")
        assert pane_of(app.focused) == "inbox"


async def test_esc_closes_a_modal_back_to_its_pane(demo_app):
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.select_case(SUBMITTED_CASE)
        await go(pilot, "4", "t")
        assert not isinstance(app.screen, MainScreen)
        await go(pilot, "escape")
        assert isinstance(app.screen, MainScreen)
        assert pane_of(app.focused) == "letter"


# -- the same moving keys everywhere ----------------------------------------------------


def table_at(selector: str):
    def find(app):
        table = app.screen.query_one(selector, DataTable)
        return table, lambda: table.cursor_row, table.row_count

    return find


def list_at(selector: str):
    def find(app):
        options = app.screen.query_one(selector, OptionList)
        return options, lambda: options.highlighted, options.option_count

    return find


PLACES = {
    "inbox": (None, (), table_at("#inbox-table")),
    "metrics": (LETTER_CASE, ("2",), table_at("#metrics-table")),
    "evidence": (SUBMITTED_CASE, ("3",), table_at("#evidence-checklist")),
    "outline": (LETTER_CASE, ("4",), list_at("#editor-outline")),
    "findings": (SUBMITTED_CASE, ("4", "tab"), list_at("#editor-findings")),
    "drill-down": (LETTER_CASE, ("2", "enter"), table_at("#detail-orders")),
    "versions": (LETTER_CASE, ("4", "v"), list_at("#versions-list")),
}


@pytest.mark.parametrize("where", sorted(PLACES))
async def test_j_k_g_G_and_half_pages_move_in_every_list(demo_app, demo_workspace, where):
    case_id, keys, find = PLACES[where]
    if where == "versions":  # three versions to move between
        for text in ("# Plan\n\nA new carrier.\n", "# Plan\n\nTwo new carriers.\n"):
            save_letter(demo_workspace, LETTER_CASE, text, origin="imported")
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        if case_id:
            app.select_case(case_id)
            await settle(pilot)
        await go(pilot, *keys)
        widget, position, count = find(app)
        assert widget.has_focus, f"{where}: {app.focused} has the focus"
        assert count >= 2, f"{where}: too few rows to show a move"
        await go(pilot, "g")
        assert position() == 0
        await go(pilot, "j")
        assert position() == 1
        await go(pilot, "k")
        assert position() == 0
        await go(pilot, "G")
        assert position() == count - 1
        await go(pilot, "g", "ctrl+d")
        down = position()
        assert down >= 1
        await go(pilot, "ctrl+u")
        assert position() == 0


async def test_the_timeline_scrolls_with_the_same_keys(demo_app):
    app = demo_app()
    async with app.run_test(size=(80, 16)) as pilot:  # short: the timeline must scroll
        await settle(pilot)
        app.select_case(SUBMITTED_CASE)
        await go(pilot, "4", "t")
        scroll = app.screen.query_one("#timeline-scroll", Scroll)
        assert scroll.has_focus and scroll.max_scroll_y > 0
        await go(pilot, "G")
        assert scroll.scroll_y == scroll.max_scroll_y
        await go(pilot, "g")
        assert scroll.scroll_y == 0
        await go(pilot, "j")
        assert scroll.scroll_y == 1
        await go(pilot, "k", "ctrl+d")
        assert scroll.scroll_y >= 1


# -- L, T and resizing keep the place ---------------------------------------------------


def place_of(app) -> tuple[str, str | None, bool]:
    screen = app.screen
    return (screen.query_one("#detail-tabs").active, pane_of(app.focused),
            screen.has_class("show-detail"))


@pytest.mark.parametrize("key", ["L", "T", "resize"])
async def test_language_theme_and_resize_keep_the_tab_and_pane(demo_app, key):
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.select_case(SUBMITTED_CASE)
        await go(pilot, "3")  # the evidence pane, not the first tab
        table = app.screen.query_one("#evidence-checklist", DataTable)
        await go(pilot, "j", "j")
        before = place_of(app)
        assert before == ("tab-evidence", "evidence", True)
        if key == "resize":
            await pilot.resize_terminal(160, 48)
            await settle(pilot)
            assert place_of(app)[:2] == before[:2]
            await pilot.resize_terminal(80, 24)
        else:
            await pilot.press(key)
        await settle(pilot)
        assert place_of(app) == before
        table = app.screen.query_one("#evidence-checklist", DataTable)
        assert table.cursor_row == 2  # the cursor too
        assert app.case is not None and app.case.id == SUBMITTED_CASE


async def test_language_switch_keeps_the_letter_tab_and_the_metrics_cursor(demo_app):
    app = demo_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        app.select_case(LETTER_CASE)
        await go(pilot, "2", "g", "j", "j", "j")
        await go(pilot, "4")
        await go(pilot, "L")
        assert place_of(app)[:2] == ("tab-letter", "letter")
        assert not editing(app)  # back on the letter's read-only view, not in the text
        await go(pilot, "2")
        assert app.screen.query_one("#metrics-table", DataTable).cursor_row == 3
        assert app.screen.query_one(EditorPane).case.id == LETTER_CASE


async def test_the_file_picker_tree_moves_with_the_same_keys(demo_app, demo_workspace):
    # j/k did nothing in the attach and import pickers: only the arrows moved.
    from textual.widgets import DirectoryTree

    drop = demo_workspace.drop_dir
    drop.mkdir(parents=True, exist_ok=True)
    for name in ("a.png", "b.pdf", "c.csv", "d.jpg"):
        (drop / name).write_bytes(b"x")
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.select_case(SUBMITTED_CASE)
        await go(pilot, "3")

        async def press(*keys: str) -> None:  # no settle: the tree's loader never completes
            for key in keys:
                await pilot.press(key)
                await pilot.pause(0.05)

        await press("a")
        tree = app.screen.query_one(DirectoryTree)
        for _ in range(40):
            if tree.last_line == 4:  # the folder and its four files, loaded in a thread
                break
            await pilot.pause(0.05)
        assert tree.has_focus
        await press("G")
        assert tree.cursor_line == tree.last_line == 4
        await press("g")
        assert tree.cursor_line == 0
        await press("j", "j")
        assert tree.cursor_line == 2
        await press("k")
        assert tree.cursor_line == 1
        await press("g", "ctrl+d")
        assert tree.cursor_line >= 1
        await press("ctrl+u")
        assert tree.cursor_line == 0


async def test_help_scrolls_with_the_same_keys(demo_app):
    # ? listed g/G/ctrl+d/ctrl+u as the moving keys; in ? itself only j/k moved.
    from textual.containers import VerticalScroll

    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await go(pilot, "?")
        scroll = app.screen.query_one(VerticalScroll)
        assert scroll.max_scroll_y > 0
        await go(pilot, "G")
        assert scroll.scroll_y == scroll.max_scroll_y
        await go(pilot, "g")
        assert scroll.scroll_y == 0
        await go(pilot, "ctrl+d")
        assert scroll.scroll_y > 1
        await go(pilot, "ctrl+u")
        assert scroll.scroll_y == 0


async def test_a_modal_hides_the_keys_of_the_screen_under_it(demo_app):
    # With ? (or a picker, the timeline) open, the footer below still offered the inbox's
    # keys (/ Filter, n New case, …), which do nothing while the modal has the keys.
    from appealdesk.widgets.footer import Footer

    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        footer = app.screen.query_one(Footer)
        assert footer.visible
        await go(pilot, "?")
        assert not footer.visible
        await go(pilot, "escape")
        assert footer.visible
