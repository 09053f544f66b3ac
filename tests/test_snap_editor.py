"""Snapshots of the letter editor: findings, the preview, the version comparison and the
submission timeline, at 80x24 and 160x48 on the demo cases."""

from __future__ import annotations

import pytest

from appealdesk.operations.letters import save_letter as save_text
from appealdesk.widgets.editor_pane import EditorPane
from tests.conftest import SIZES, settle, still

LETTER_CASE = "amazon-5839201744"
SUBMITTED_CASE = "joom-jn-7729-8810"
APPROVED_CASE = "amazon-5790114420"

# A few lines that trip the checks: emotional, boilerplate, a placeholder, a claim
# without evidence.
TROUBLE = ("\n## Our view\n\nThis suspension is unfair.\n"
           "We apologize for any inconvenience.\n"
           "We trained our staff on [Date].\n")


def open_case(case_id: str, *keys: str):
    async def run_before(pilot) -> None:
        await settle(pilot)
        pilot.app.select_case(case_id)
        await pilot.press("4")
        await settle(pilot)
        if keys:
            # The letter under a modal shows at its edges: let it wrap to its final width
            # before the modal covers it.
            await still(pilot)
            await pilot.press(*keys)
            # The footer is rebuilt for a pushed screen; let its keys take their final style.
            await settle(pilot, times=6)
        await still(pilot)

    return run_before


async def _with_findings(pilot) -> None:
    await open_case(LETTER_CASE)(pilot)
    pane = pilot.app.screen.query_one(EditorPane)
    area = pane.text_area
    area.insert(TROUBLE, area.document.end)
    # Save and check now rather than after the debounces: the picture must not depend on timing.
    pane._start_save()
    pane._lint_now()
    await settle(pilot)
    area.move_cursor((area.document.line_count - 3, 0))
    pane.query_one("#editor-findings").focus()
    await settle(pilot)


class TestEditorPane:
    @pytest.mark.parametrize("size", ["narrow", "wide"])
    def test_findings(self, snap_compare, demo_app, size):
        assert snap_compare(demo_app(), terminal_size=SIZES[size], run_before=_with_findings)

    @pytest.mark.parametrize("size", ["narrow", "wide"])
    def test_preview(self, snap_compare, demo_app, size):
        assert snap_compare(demo_app(), terminal_size=SIZES[size],
                            run_before=open_case(LETTER_CASE, "p"))

    def test_case_already_submitted(self, snap_compare, demo_app):
        assert snap_compare(demo_app(), terminal_size=SIZES["narrow"],
                            run_before=open_case(SUBMITTED_CASE))


class TestVersions:
    @pytest.mark.parametrize("size", ["narrow", "wide"])
    def test_compare(self, snap_compare, demo_app, demo_workspace, size):
        first = demo_workspace.store.load(LETTER_CASE).letter.draft
        second = (first.replace("three days", "four days")
                  .replace("## Actions already taken",
                           "## Actions already taken\n\n- We added a second carrier, DHL.")
                  .replace("the same day", "within four hours"))
        save_text(demo_workspace, LETTER_CASE, second, origin="imported")
        assert snap_compare(demo_app(), terminal_size=SIZES[size],
                            run_before=open_case(LETTER_CASE, "v"))


class TestTimeline:
    @pytest.mark.parametrize("size", ["narrow", "wide"])
    def test_approved(self, snap_compare, demo_app, size):
        assert snap_compare(demo_app(), terminal_size=SIZES[size],
                            run_before=open_case(APPROVED_CASE, "t"))

    @pytest.mark.parametrize("size", ["narrow", "wide"])
    def test_waiting_for_the_outcome(self, snap_compare, demo_app, size):
        assert snap_compare(demo_app(), terminal_size=SIZES[size],
                            run_before=open_case(SUBMITTED_CASE, "t"))
