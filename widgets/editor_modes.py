"""The letter pane's two modes: commands (plain letters) and editing (every key is text).

A mixin of ``EditorPane`` (``widgets/editor_pane.py``, where the keys are declared).
The pane opens on the outline, where plain letters are commands; ``e`` (or enter on
a heading or a finding) edits, ``esc`` stops. While editing, the commands are
hidden from the footer (``check_action``): their keys are text. Commands that need
a case are shown greyed out while there is none.
"""

from __future__ import annotations

from textual.widgets import ContentSwitcher, OptionList

from appealdesk.widgets.workflow_actions import WORKFLOW_ACTIONS

# Commands typed as plain letters: hidden while the text area has the keys.
COMMANDS = {"edit", "toggle_preview", "draft", "render", "versions", "timeline",
            "external_editor", "insert_phrase", "download_pdf", "next_placeholder",
            *WORKFLOW_ACTIONS}
NEEDS_CASE = COMMANDS - {"edit"}


class EditorModesMixin:
    """Which of ``EditorPane``'s commands are live, and going in and out of editing."""

    def editing(self) -> bool:
        return self.text_area.has_focus  # type: ignore[attr-defined]

    def focus_first(self) -> None:
        pane = self  # type: ignore[assignment]
        outline = pane.query_one("#editor-outline", OptionList)
        target = outline if outline.display and outline.option_count else (
            pane.query_one("#editor-findings", OptionList))
        if pane.case is None or not target.display:
            pane.focus()
            return
        target.focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # True: shown and enabled; False: hidden; None: shown greyed out.
        pane = self  # type: ignore[assignment]
        editing = pane.case is not None and self.editing()
        if action == "stop_editing":
            return editing
        if action == "external_editor" and pane.app.is_web:
            return False  # no terminal to hand over in a browser
        if action == "download_pdf" and not pane.app.is_web:
            return False  # a terminal user has the path (shown when rendered)
        if action in COMMANDS:
            if editing:
                return False  # the keys are text now; esc first
            if pane.case is None and action in NEEDS_CASE:
                return None
        return pane.workflow_allowed(action) if action in WORKFLOW_ACTIONS else True

    def jump_to_line(self, line: int) -> None:
        """Edit at a 1-based line of the letter."""
        pane = self  # type: ignore[assignment]
        if pane._preview_shown():
            pane.query_one("#editor-views", ContentSwitcher).current = "editor-text"
        area = pane.text_area
        row = min(max(0, line - 1), max(0, area.document.line_count - 1))
        area.move_cursor((row, 0), center=True)
        area.focus()

    def action_edit(self) -> None:
        pane = self  # type: ignore[assignment]
        if pane.case is None:
            return
        if pane._preview_shown():
            pane.query_one("#editor-views", ContentSwitcher).current = "editor-text"
        # Focus now, not as focus() does (a callback queued behind the keys already
        # typed): the keys typed right after "e" belong to the letter, not to the list.
        pane.screen.set_focus(pane.text_area)

    def action_stop_editing(self) -> None:
        self.focus_first()
