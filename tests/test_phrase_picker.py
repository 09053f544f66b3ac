"""The phrase picker: find a vetted sentence by its Chinese meaning, insert it into the letter
with the case's facts filled in, and have it saved and checked like typing."""

from __future__ import annotations

import pytest
from textual.widgets import OptionList

from appealdesk.i18n import set_language
from appealdesk.letter.phrasebook import Phrase, load_phrasebook
from appealdesk.screens.dialogs.phrase_picker import (
    PhrasePickerScreen,
    build_entries,
    matching,
    option_prompt,
)
from appealdesk.widgets.editor_pane import EditorPane
from tests.conftest import settle, wait_until
from tests.test_editor import open_letter, stored_draft

LETTER_CASE = "amazon-5839201744"  # late shipment, Sunrise Home Goods, 5 cited orders
JD_CASE_MARKETPLACE = "jd"
# {carrier}, {start} and {end} come from the late orders in the demo report (all UPS).
CARRIER_PICKUP = ("The late shipments were caused by our carrier UPS missing its scheduled "
                  "pick-ups between 2026-11-10 and 2026-11-16; 12 orders reached the carrier after the "
                  "expected ship date.")
VALUES = {"store": "Sunrise Home Goods", "orders_count": "5", "date": "2026-11-20"}


async def open_picker(pilot, case_id: str = LETTER_CASE) -> EditorPane:
    pane = await open_letter(pilot, case_id)
    await pilot.press("i")
    await settle(pilot)
    assert isinstance(pilot.app.screen, PhrasePickerScreen)
    return pane


def phrase_rows(screen: PhrasePickerScreen) -> list[str]:
    widget = screen.query_one("#phrases-list", OptionList)
    return [str(widget.get_option_at_index(i).id) for i in range(widget.option_count)]


# -- in the app ------------------------------------------------------------------------


async def test_pick_by_chinese_meaning_inserts_english_and_saves(demo_app, demo_workspace,
                                                                  fast_timers):
    app = demo_app()
    async with app.run_test(size=(100, 30)) as pilot:
        pane = await open_picker(pilot)
        # The cursor is on the "## Root cause" heading: the sentence goes below it.
        heading = pane.text.splitlines().index("## Root cause")
        pane.text_area.move_cursor((heading, 0))
        before = pane.text
        await pilot.press(*"承运商未按时")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, PhrasePickerScreen)
        assert [e.phrase.id for e in screen.shown] == ["ls_rc_carrier_pickup"]
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, PhrasePickerScreen)
        lines = pane.text.splitlines()
        # Filled from the case: the 12 late orders its report counts (the notice cites 5;
        # every sentence uses the one recomputed count), the carrier and their days.
        assert lines[heading + 1] == CARRIER_PICKUP
        assert pane.text.replace(CARRIER_PICKUP + "\n", "", 1) == before
        assert pane.text_area.has_focus and pane.text_area.selected_text == ""
        await wait_until(pilot, lambda: CARRIER_PICKUP in stored_draft(demo_workspace))
        assert CARRIER_PICKUP in demo_workspace.store.load(LETTER_CASE).letter.draft


async def test_the_first_placeholder_the_case_cannot_fill_is_selected(demo_app, demo_workspace,
                                                                       fast_timers):
    app = demo_app()
    async with app.run_test(size=(100, 30)) as pilot:
        pane = await open_picker(pilot)
        pane.text_area.move_cursor(pane.text_area.document.end)
        await pilot.press(*"第二家承运商")
        await settle(pilot)
        assert [e.phrase.id for e in app.screen.shown][0] == "ls_act_second_carrier"
        await pilot.press("enter")
        await settle(pilot)
        # Editing at the first unfilled placeholder, selected so typing replaces it.
        area = pane.text_area
        assert area.has_focus
        assert area.selected_text == "{new_carrier}"
        await pilot.press(*"YunExpress")
        await wait_until(pilot, lambda: "YunExpress" in stored_draft(demo_workspace)
                         and not pane.dirty)
        stored = demo_workspace.store.load(LETTER_CASE).letter.draft
        assert "with a second carrier, YunExpress, which collects daily at {time}" in stored
        assert not pane.dirty
        # The checks ran on the new text: {time} is still open.
        assert any(f.code == "placeholder_left" for f in pane.findings)


async def test_down_arrow_and_list_keys_choose_another_phrase(demo_app, demo_workspace,
                                                              fast_timers):
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await open_picker(pilot)
        pane.text_area.move_cursor(pane.text_area.document.end)
        await pilot.press(*"承运商")
        screen = app.screen
        ids = [e.phrase.id for e in screen.shown]
        assert len(ids) >= 3 and ids[0] == "ls_rc_carrier_pickup"
        await pilot.press("down")  # from the filter box
        await pilot.press("tab", "j", "k", "j")  # in the list: down, up, down
        chosen = screen._highlighted_entry()
        assert chosen is not None and chosen.phrase.id == ids[2]
        await pilot.press("enter")
        await wait_until(pilot, lambda: chosen.sentence in stored_draft(demo_workspace))
        assert chosen.sentence in pane.text
        assert chosen.sentence in demo_workspace.store.load(LETTER_CASE).letter.draft


async def test_a_filter_that_matches_nothing_inserts_nothing(demo_app, demo_workspace,
                                                             fast_timers):
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await open_picker(pilot)
        before = pane.text
        await pilot.press(*"zzqx")
        await settle(pilot)
        screen = app.screen
        assert screen.shown == []
        assert screen.query_one("#phrases-list", OptionList).option_count == 0
        assert "zzqx" in str(screen.query_one("#phrases-detail").render())
        await pilot.press("enter")  # nothing to pick: the picker stays open
        await settle(pilot)
        assert app.screen is screen
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, PhrasePickerScreen)
        assert pane.text == before and not pane.dirty


async def test_escape_cancels_and_the_key_is_text_while_editing(demo_app, fast_timers):
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await open_picker(pilot)
        before = pane.text
        await pilot.press(*"承运商", "escape")
        await settle(pilot)
        assert not isinstance(app.screen, PhrasePickerScreen)
        assert pane.text == before
        # While editing, i is a letter like any other.
        await pilot.press("e", "i")
        await settle(pilot)
        assert not isinstance(app.screen, PhrasePickerScreen)
        assert pane.text != before and pane.text.replace("i", "", 1) == before


async def test_chinese_letter_gets_the_chinese_sentence(demo_app, demo_workspace, fast_timers):
    jd = [c for c in demo_workspace.store.load_all().cases if c.marketplace == JD_CASE_MARKETPLACE]
    if not jd:
        pytest.skip("the demo data has no JD case")
    app = demo_app()
    async with app.run_test(size=(100, 30)) as pilot:
        pane = await open_picker(pilot, jd[0].id)
        screen = app.screen
        first = screen._highlighted_entry()
        assert first is not None and first.phrase.zh
        await pilot.press("enter")
        await settle(pilot)
        assert first.sentence in pane.text
        assert first.sentence.startswith(first.phrase.zh[:4])


# -- the pure parts ------------------------------------------------------------------------


def test_entries_are_grouped_by_category_with_the_cases_type_first():
    phrases = load_phrasebook()
    entries = build_entries(phrases, VALUES, language="en", topic="late_shipment")
    categories = [e.phrase.category for e in entries]
    assert categories == sorted(categories, key=["root_cause", "action", "prevention", "metrics",
                                                 "opening", "closing"].index)
    root = [e for e in entries if e.phrase.category == "root_cause"]
    assert root[0].relevance == 0 and "late_shipment" in root[0].phrase.topics
    assert [e.relevance for e in root] == sorted(e.relevance for e in root)
    assert len(entries) == len(phrases)


def test_filter_matches_label_text_category_and_id_with_every_word():
    phrases = [
        Phrase("a_one", "root_cause", ("late_shipment",), "承运商未按时揽收",
               "Our carrier {carrier} missed pick-ups for {orders_count} orders."),
        Phrase("b_two", "action", (), "已增加第二家承运商", "We signed a second carrier."),
        Phrase("c_three", "prevention", (), "员工培训", "We trained the team."),
    ]
    entries = build_entries(phrases, VALUES, language="en", topic="late_shipment")

    def ids(query: str) -> list[str]:
        return [e.phrase.id for e in matching(entries, query)]

    assert ids("承运商") == ["a_one", "b_two"]
    assert ids("CARRIER second") == ["b_two"]
    assert ids("prevention") == ["c_three"]
    assert ids("a_one") == ["a_one"]
    assert ids("5 orders") == ["a_one"]  # the filled sentence counts too
    assert ids("") == ["a_one", "b_two", "c_three"]
    assert ids("nothing-like-this") == []
    assert entries[0].sentence == "Our carrier {carrier} missed pick-ups for 5 orders."


def test_label_follows_the_interface_language():
    phrase = Phrase("x", "action", (), "已调整处理时间",
                    "We increased the handling time of the affected SKUs to {days} days.")
    (entry,) = build_entries([phrase], {}, language="en", topic=None)
    assert entry.label.startswith("We increased the handling time")
    assert "已调整处理时间" not in option_prompt(entry).plain
    set_language("zh")
    assert entry.label == "已调整处理时间"
    assert option_prompt(entry).plain.strip().startswith("已调整处理时间")
    assert "We increased" in option_prompt(entry).plain  # the sentence to be inserted
