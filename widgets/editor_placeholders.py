"""The letter's template gaps: Enter on a ``placeholder_left`` finding and ``n`` put the
cursor on a gap and select it, so typing replaces it (``checks.placeholders``).

A mixin of ``EditorPane`` (``widgets/editor_pane.py``); ``n`` is declared there with
the pane's other keys and, like them, is text while the letter is being edited.
"""

from __future__ import annotations

from textual.widgets import ContentSwitcher
from textual.widgets.text_area import Selection

from appealdesk.checks.placeholders import Gap, gap_on_line, next_gap
from appealdesk.i18n import _


class EditorPlaceholdersMixin:
    """Selecting the gaps of ``EditorPane``'s letter."""

    def select_gap(self, gap: Gap) -> None:
        pane = self  # type: ignore[assignment]
        if pane._preview_shown():
            pane.query_one("#editor-views", ContentSwitcher).current = "editor-text"
        area = pane.text_area
        row = gap.line - 1
        area.selection = Selection((row, gap.start), (row, gap.end))
        area.scroll_cursor_visible(center=True)
        area.focus()

    def select_gap_on_line(self, line: int, token: str = "") -> bool:
        """Select the gap a finding names on ``line``; False when it is gone."""
        gap = gap_on_line(self.text, line, token)  # type: ignore[attr-defined]
        if gap is None:
            return False
        self.select_gap(gap)
        return True

    def action_next_placeholder(self) -> None:
        """The next gap after the cursor, from the top again after the last one."""
        pane = self  # type: ignore[assignment]
        if pane.case is None:
            return
        row, column = pane.text_area.selection.end
        gap = next_gap(pane.text, row + 1, column)
        if gap is None:
            pane.notify(_("The letter has no placeholders left."), timeout=3)
            return
        self.select_gap(gap)
