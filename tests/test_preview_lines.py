"""The letter's preview keeps a pasted Plan of Action's lines, as the PDF does: "•" lines
are list items and "Label:" lines stand alone (both go through ``render.pdf.pasted_lines``)."""

from __future__ import annotations

from textual.widgets import Static

from appealdesk.operations.letters import save_letter
from appealdesk.render.pdf import markdown_to_html
from appealdesk.widgets.editor_pane import EditorPane
from appealdesk.widgets.editor_preview import preview_text
from tests.conftest import settle

LETTER_CASE = "amazon-5839201744"
POA = ("Dear Seller Performance team,\nThank you for reviewing our account.\n\n"
       "What went wrong:\n• One courier collected once a day at 11:00.\n"
       "• Confirmations were uploaded by hand.\n"
       "What we have done:\nA second pick-up at 17:00 and hourly uploads.\n\n"
       "Kind regards,\nSunrise Home Goods\n")
OWN_LINES = ("Dear Seller Performance team,", "What went wrong:", "What we have done:",
             "Kind regards,", "Sunrise Home Goods")


def _lines(text: str) -> list[str]:
    return [ln.strip() for ln in text.splitlines() if ln.strip()]


def test_the_preview_shows_a_pasted_plan_line_by_line():
    lines = _lines(preview_text(POA, 100).plain)
    for own in OWN_LINES:
        assert own in lines, lines
    assert "• One courier collected once a day at 11:00." in lines, lines
    assert "• Confirmations were uploaded by hand." in lines, lines


def test_a_label_under_a_list_item_is_not_part_of_the_item_in_the_pdf_either():
    html = markdown_to_html(POA)
    assert "<li>Confirmations were uploaded by hand.</li>" in html, html
    assert "<p>What we have done:<br />" in html, html


async def _open_the_letter(app, pilot) -> None:
    """The demo case's letter (the pasted plan) open in the letter pane."""
    await settle(pilot)
    app.select_case(LETTER_CASE)
    await pilot.press("4")
    await settle(pilot)


async def test_the_app_previews_a_pasted_plan_line_by_line(demo_app, demo_workspace):
    save_letter(demo_workspace, LETTER_CASE, POA, origin="imported")
    app = demo_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await _open_the_letter(app, pilot)
        await pilot.press("p")
        await settle(pilot)
        body = app.screen.query_one(EditorPane).query_one("#editor-preview-body", Static)
        lines = _lines(body.content.plain)
        for own in OWN_LINES:
            assert own in lines, lines
        assert sum(ln.startswith("• ") for ln in lines) == 2, lines


def test_a_signature_under_the_closing_keeps_its_lines():
    """ "Sincerely," over a name, a store and a title: each on its own line, as typed."""
    html = markdown_to_html("We ask you to reinstate our account.\n\nSincerely,\nLi Wei\n"
                            "Operations Manager\nSunrise Home Goods\n")
    assert "Sincerely,<br />\nLi Wei<br />\nOperations Manager<br />\nSunrise Home Goods" in html
    lines = _lines(preview_text("Sincerely,\nLi Wei\nSunrise Home Goods\n", 100).plain)
    assert lines == ["Sincerely,", "Li Wei", "Sunrise Home Goods"]


def test_a_hard_wrapped_paragraph_is_still_one_paragraph():
    html = markdown_to_html("We shipped every pending order and uploaded valid\n"
                            "tracking numbers for each of them on the same day.\n")
    assert "valid\ntracking" in html and "<br" not in html


def test_the_paragraph_under_the_salutation_is_not_a_signature():
    html = markdown_to_html("Dear Seller Performance Team,\nThank you for your\n"
                            "message about our account.\n")
    assert "Thank you for your\nmessage" in html, html


async def test_the_outline_lists_a_pasted_plans_label_headings(demo_app, demo_workspace):
    from textual.widgets import OptionList

    save_letter(demo_workspace, LETTER_CASE, POA, origin="imported")
    app = demo_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await _open_the_letter(app, pilot)
        outline = app.screen.query_one(EditorPane).query_one("#editor-outline", OptionList)
        titles = [str(outline.get_option_at_index(i).prompt).strip()
                  for i in range(outline.option_count)]
        assert any("What went wrong" in t for t in titles), titles
