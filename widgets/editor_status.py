"""The letter pane's status line: version, saved or unsaved, words, and the key that
matters now (``e`` to edit, ``esc`` to stop, ``p`` back from the preview).

A mixin of ``EditorPane`` (``widgets/editor_pane.py``); it is redrawn when the
save state, the findings or the focus change, not on every keystroke.
"""

from __future__ import annotations

from textual.widgets import Static

from appealdesk.i18n import _


class EditorStatusMixin:
    """The status line of ``EditorPane`` (state lives in the pane)."""

    def _update_status(self) -> None:
        case = self.case
        if case is None:
            return
        letter = case.letter
        parts = []
        if not self.text.strip():
            parts.append(_("No letter yet · d: draft one from the case"))
        if letter.version:
            parts.append(_("version {n} of {m}").format(n=letter.version,
                                                        m=len(letter.versions)))
        if self.dirty:
            parts.append(_("● unsaved"))
        elif self._saved_at is not None:
            parts.append(_("saved {time}").format(
                time=self._saved_at.astimezone().strftime("%H:%M:%S")))
        from appealdesk.letter.words import count_words, words_label

        if self.text.strip():
            parts.append(words_label(count_words(self.text)))
        if self.editing():
            parts.append(_("esc: stop editing"))
        elif self._preview_shown():
            parts.append(_("preview · p: back to the text"))
        else:
            parts.append(_("e: edit"))
        self.query_one("#editor-status", Static).update(" · ".join(parts))

    def on_descendant_focus(self) -> None:
        self._update_status()
        self.refresh_bindings()

    def on_descendant_blur(self) -> None:
        self.call_after_refresh(self._update_status)
        self.call_after_refresh(self.refresh_bindings)
