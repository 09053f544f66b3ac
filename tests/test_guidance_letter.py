"""Guidance in the letter: after a rejection the reviewer's reason stands above the text
and the checks point at the sections that did not change; Enter on a placeholder
finding and ``n`` select the gap; Home/End act on the line as written."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import OptionList

from appealdesk.cases.clock import frozen_clock
from appealdesk.cases.model import Submission
from appealdesk.cases.workspace import Workspace
from appealdesk.checks.letter import LintInput, lint_letter
from appealdesk.checks.placeholders import gaps, next_gap
from appealdesk.intake.create import create_case_from_text
from appealdesk.operations.letters import save_letter
from appealdesk.widgets.editor_pane import EditorPane
from tests.conftest import FROZEN_NOW
from tests.test_editor import open_letter

NOTICES = Path(__file__).parent / "notices"
LETTER_CASE = "amazon-5839201744"
REASON = "Please provide greater detail on the root cause of the late shipments."

REJECTED = """\
# Plan of Action

## Root cause

Our regional carrier did not collect parcels for three days in November, and our
warehouse team waited for it instead of booking another carrier for the orders.

## Actions already taken

- We shipped every delayed order and sent each buyer the tracking number.
- We signed a second carrier agreement so a missed pick-up is covered the same day.

## Steps to prevent recurrence

- The dispatch lead checks at 15:00 every day that every order due has a carrier scan.
- Orders without a scan by 15:00 are booked with the second carrier at once.
"""

REWRITTEN_ACTIONS = REJECTED.replace(
    "- We shipped every delayed order and sent each buyer the tracking number.\n"
    "- We signed a second carrier agreement so a missed pick-up is covered the same day.",
    "- On 14 November we moved 212 open orders to DHL Express under contract DX-2291.\n"
    "- Our ERP now blocks a pick list whose carrier has not confirmed the day's collection.")


def _rejected_case(ws: Workspace) -> str:
    text = (NOTICES / "amazon_uk_late_dispatch.txt").read_text("utf-8")
    case_id = create_case_from_text(ws, text).id
    saved = save_letter(ws, case_id, REJECTED)
    with ws.store.editing(case_id, "tester") as case:
        case.submissions.append(Submission(
            at=FROZEN_NOW, operator="tester", pdf="a.pdf", outcome="rejected",
            outcome_at=FROZEN_NOW, reason=REASON, letter_version=saved.version.version))
    return case_id


@pytest.fixture
def ws(tmp_path) -> Workspace:
    workspace = Workspace.open(tmp_path / "data", clock=frozen_clock(FROZEN_NOW),
                               operator="tester")
    workspace.store.ensure()
    return workspace


def _lint(ws: Workspace, case_id: str, text: str):
    case = ws.store.load(case_id)
    return lint_letter(LintInput(text=text, case=case, policy=ws.policy_for(case),
                                 now=ws.now()))


# -- unchanged sections (the check) ----------------------------------------------------


def test_each_unchanged_required_section_is_a_finding_at_its_heading(ws):
    case_id = _rejected_case(ws)
    found = [f for f in _lint(ws, case_id, REWRITTEN_ACTIONS) if f.code == "section_unchanged"]
    assert {f.where for f in found} == {"Root cause", "Steps to prevent recurrence"}
    for finding in found:
        assert REASON[:40] in finding.message  # the reviewer's words beside it
        assert finding.fix == "letter.edit"
        line = REWRITTEN_ACTIONS.splitlines()[finding.values["line"] - 1]
        assert line == f"## {finding.where}"


def test_a_rewritten_section_is_not_a_finding(ws):
    case_id = _rejected_case(ws)
    rewritten = REWRITTEN_ACTIONS.replace(
        "Our regional carrier did not collect parcels for three days in November, and our\n"
        "warehouse team waited for it instead of booking another carrier for the orders.",
        "Our dispatch relied on a single carrier whose van missed 11-13 November;\n"
        "no one owned the decision to switch, so 41 orders sat packed for three days.")
    codes = [f.where for f in _lint(ws, case_id, rewritten) if f.code == "section_unchanged"]
    assert codes == ["Steps to prevent recurrence"]


def test_no_rejection_no_section_findings(ws):
    text = (NOTICES / "amazon_uk_late_dispatch.txt").read_text("utf-8")
    case_id = create_case_from_text(ws, text).id
    assert not [f for f in _lint(ws, case_id, REJECTED) if f.code == "section_unchanged"]


# -- placeholders (core) ------------------------------------------------------------------


def test_gaps_are_found_in_reading_order_and_next_wraps():
    text = "Dear team,\nStore {store} sold TODO items.\n<!-- {not_this} -->\nSee [Order ID]."
    found = [(g.line, g.start, g.token) for g in gaps(text)]
    assert found == [(2, 6, "{store}"), (2, 19, "TODO"), (4, 4, "[Order ID]")]
    assert next_gap(text, 2, 6).token == "TODO"
    assert next_gap(text, 4, 4).token == "{store}"  # after the last: the first again
    assert next_gap("no gaps", 1, 0) is None


# -- the editor (Pilot) -------------------------------------------------------------------

PLACEHOLDER_LETTER = """\
# Plan of Action

## Root cause

Our store {store} missed the carrier pick-up; TODO count the orders.
"""


def _selected(pane: EditorPane) -> str:
    return pane.text_area.selected_text


async def test_enter_on_a_placeholder_finding_selects_the_placeholder(demo_app, demo_workspace):
    save_letter(demo_workspace, LETTER_CASE, PLACEHOLDER_LETTER)
    app = demo_app()
    async with app.run_test(size=(100, 30)) as pilot:
        pane = await open_letter(pilot, LETTER_CASE)
        shown = pane.render_findings + pane.findings
        index = next(i for i, f in enumerate(shown) if f.code == "placeholder_left")
        findings = pane.query_one("#editor-findings", OptionList)
        findings.focus()
        findings.highlighted = index
        await pilot.press("enter")
        await pilot.pause()
        assert pane.text_area.has_focus
        assert _selected(pane) == "{store}"
        assert pane.text_area.selection.start == (4, 10)
        await pilot.press("S", "h", "o", "p")  # typing replaces the placeholder
        assert "Our store Shop missed" in pane.text


async def test_n_jumps_to_the_next_placeholder_and_wraps(demo_app, demo_workspace):
    save_letter(demo_workspace, LETTER_CASE, PLACEHOLDER_LETTER)
    app = demo_app()
    async with app.run_test(size=(100, 30)) as pilot:
        pane = await open_letter(pilot, LETTER_CASE)
        assert not pane.text_area.has_focus  # on the outline: n is a command
        await pilot.press("n")
        assert _selected(pane) == "{store}"
        await pilot.press("escape", "n")
        assert _selected(pane) == "TODO"
        await pilot.press("escape", "n")
        assert _selected(pane) == "{store}"  # from the top again
        await pilot.press("n")  # while editing, n is text
        assert "{store}" not in pane.text


async def test_home_and_end_act_on_the_logical_line_of_a_wrapped_paragraph(demo_app,
                                                                          demo_workspace):
    long_line = "  " + " ".join(f"word{i}" for i in range(60))
    save_letter(demo_workspace, LETTER_CASE, f"# Plan\n\n{long_line}\n")
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await open_letter(pilot, LETTER_CASE)
        await pilot.press("e")
        area = pane.text_area
        middle = len(long_line) // 2
        area.move_cursor((2, middle))
        assert area.wrapped_document.height > area.document.line_count  # it does wrap
        await pilot.press("end")
        assert area.cursor_location == (2, len(long_line))
        await pilot.press("home")
        assert area.cursor_location == (2, 2)  # the first non-blank character
        await pilot.press("home")
        assert area.cursor_location == (2, 0)
        area.move_cursor((2, middle))
        await pilot.press("shift+end")
        assert area.selected_text == long_line[middle:]
        area.move_cursor((2, middle))
        await pilot.press("shift+home")
        assert area.selected_text == long_line[2:middle]


async def test_after_a_rejection_the_reason_stands_above_the_letter(demo_app, tmp_path):
    ws = Workspace.open(tmp_path / "own", clock=frozen_clock(FROZEN_NOW), operator="tester")
    ws.store.ensure()
    case_id = _rejected_case(ws)
    app = demo_app(ws)
    async with app.run_test(size=(100, 30)) as pilot:
        pane = await open_letter(pilot, case_id)
        note = pane.query_one("#editor-rejection")
        assert note.display
        shown = str(note.render())
        assert "Rejected on" in shown and REASON in shown
        unchanged = [f for f in pane.findings if f.code == "section_unchanged"]
        assert {f.where for f in unchanged} >= {"Root cause"}
        # Enter on one: the cursor goes to that section's heading
        shown = pane.render_findings + pane.findings
        index = next(i for i, f in enumerate(shown)
                     if f.code == "section_unchanged" and f.where == "Root cause")
        findings = pane.query_one("#editor-findings", OptionList)
        findings.focus()
        findings.highlighted = index
        await pilot.press("enter")
        await pilot.pause()
        row = pane.text_area.cursor_location[0]
        assert pane.text.splitlines()[row] == "## Root cause"
