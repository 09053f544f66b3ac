"""80x24 first: the case line, cut columns with an ellipsis, the footer's keys, the
preview wrapped once; and the pure helpers behind them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from rich.cells import cell_len
from rich.text import Text
from textual.widgets import DataTable, Static

from appealdesk.i18n import set_language
from appealdesk.operations.letters import save_letter
from appealdesk.widgets.case_line import case_line, summary_of, time_left_text
from appealdesk.widgets.editor_pane import EditorPane
from appealdesk.widgets.footer import Footer
from appealdesk.widgets.table import share_cut
from tests.conftest import FROZEN_NOW, settle

LETTER_CASE = "amazon-5839201744"


# -- pure helpers -----------------------------------------------------------------------


def test_share_cut_takes_the_shortage_in_proportion_and_keeps_a_minimum():
    assert share_cut([10, 20], 0) == [10, 20]
    widths = share_cut([10, 20], 9)
    assert sum(widths) == 21 and widths[1] < 20 and widths[0] < 10
    assert share_cut([10, 20], 100) == [6, 6]  # never below the minimum
    assert share_cut([4, 20], 10) == [4, 10]  # a column already narrower stays as it is


def test_case_line_fits_and_cuts_the_store_first(demo_workspace):
    from appealdesk.index import attach

    case = demo_workspace.store.load(LETTER_CASE)
    summary = summary_of(attach(demo_workspace).summaries(), LETTER_CASE)
    assert summary is not None and summary.due is not None
    whole = case_line(case, summary, FROZEN_NOW, 200).plain
    assert whole.startswith(f"{LETTER_CASE} · {case.store} · ")
    assert "reply in " in whole
    short = case_line(case, summary, FROZEN_NOW, 60).plain
    assert cell_len(short) <= 60
    assert short.startswith(LETTER_CASE) and "…" in short and "reply in" in short
    assert case_line(None, None, FROZEN_NOW, 80).plain == ""


def test_time_left_says_what_is_due_and_when_it_is_overdue(demo_workspace):
    from appealdesk.index import attach

    summary = summary_of(attach(demo_workspace).summaries(), LETTER_CASE)
    assert summary is not None and summary.due is not None
    later = summary.due + timedelta(hours=5)
    assert time_left_text(summary, later).plain == "reply: overdue 5h"
    assert time_left_text(None, FROZEN_NOW).plain == "no deadline"


# -- on screen --------------------------------------------------------------------------


@pytest.mark.parametrize("key", ["2", "3", "4"])
async def test_the_case_line_stands_on_every_case_pane_at_80x24(demo_app, key):
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.select_case(LETTER_CASE)
        await pilot.press(key)
        await settle(pilot)
        detail = app.screen.query_one("#detail")
        assert detail.display and detail.region.width == 80
        title = Text.from_markup(str(detail.border_title)).plain
        case = app.case
        assert title.startswith(LETTER_CASE)
        assert case.store in title and "in progress" in title and "reply in" in title


@pytest.mark.parametrize("language", ["en", "zh"])
@pytest.mark.parametrize("key", ["1", "2", "3", "4"])
async def test_the_footer_keeps_panes_help_and_quit_at_80_columns(demo_app, language, key):
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        if language == "zh":
            await app.action_switch_language()
            await settle(pilot)
        await pilot.press(key)
        await settle(pilot)
        footer = app.screen.query_one(Footer)
        keys = [k for k in footer.children if hasattr(k, "key_display")]
        shown = [k.key_display for k in keys]
        assert {"?", "q"} <= set(shown), shown
        assert "1–4" in shown or {"1", "2", "3", "4"} <= set(shown), shown
        assert sum(k.region.width + 1 for k in keys) <= 80 + 1  # nothing runs off the edge
        assert all(k.region.right <= 80 for k in keys)
    set_language("en")


async def test_narrow_inbox_cuts_long_columns_with_an_ellipsis(demo_app):
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#inbox-table", DataTable)
        widths = sum(c.get_render_width(table) for c in table.columns.values())
        assert widths <= table.scrollable_content_region.width
        type_column = next(c for k, c in table.columns.items() if k.value == "type")
        assert not type_column.auto_width and type_column.width < type_column.content_width
        drawn = "".join(s.text for s in table.render_line(1))  # the first row
        assert "…" in drawn
        # The detail line shows the cursor row's type whole.
        detail = str(app.screen.query_one("#inbox-detail", Static).render())
        assert app.summaries and any(s.type_name in detail for s in app.summaries)


async def test_metric_names_are_cut_at_80_columns_and_whole_in_the_detail(demo_app):
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.select_case(LETTER_CASE)
        await pilot.press("2")
        await settle(pilot)
        table = app.screen.query_one("#metrics-table", DataTable)
        assert "kind" not in {k.value for k in table.columns}
        assert sum(c.get_render_width(table) for c in table.columns.values()) <= (
            table.scrollable_content_region.width)
        await pilot.resize_terminal(200, 50)
        await settle(pilot)
        assert "kind" in {k.value for k in table.columns}  # room for it again


CJK_LETTER = (
    "# 申诉信\n\n"
    + "我们已于2026-12-01完成整改，所有被点名的订单均已在承运商系统中补录物流轨迹。" * 4
    + "\n\n## Action plan\n\n"
    + "Every flagged order was re-shipped on 2026-12-01 with tracking from the carrier. " * 3
    + "\n"
)


@pytest.mark.parametrize("size", [(80, 24), (100, 30), (160, 48)])
async def test_the_preview_wraps_once_at_its_width(demo_app, demo_workspace, size):
    save_letter(demo_workspace, LETTER_CASE, CJK_LETTER, origin="imported")
    app = demo_app()
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        app.select_case(LETTER_CASE)
        await pilot.press("4")
        await settle(pilot)
        await pilot.press("p")
        await settle(pilot)
        pane = app.screen.query_one(EditorPane)
        body = pane.query_one("#editor-preview-body", Static)
        text = body.content
        assert isinstance(text, Text) and "申诉信" in text.plain
        lines = text.plain.split("\n")
        assert max(cell_len(line) for line in lines) <= body.content_region.width
        assert body.size.height == len(lines)  # not wrapped a second time
        assert "2026-12-01" in text.plain.replace("\n", "") and not any(
            line.strip() in ("1", "。", "01") for line in lines)
        # A narrower pane: wrapped again, once, at the new width.
        await pilot.resize_terminal(size[0] - 7, size[1])
        await settle(pilot)
        text = body.content
        lines = text.plain.split("\n")
        assert max(cell_len(line) for line in lines) <= body.content_region.width
        assert body.size.height == len(lines)
