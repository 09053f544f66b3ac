"""The letter's preview: the Markdown as rich renders it, in place of the text area.

``preview_text`` has no Textual in it; ``EditorPreviewMixin`` is a mixin of
``EditorPane`` (``widgets/editor_pane.py``) holding the ``p`` command. The
preview is rendered to styled lines in a thread worker: Textual's Markdown
widget is too slow for a long letter (DESIGN.md), so the event loop only paints
a ready-made Text.

The text is wrapped once, by rich, at the width the preview's lines have: the
scrollbar's gutter is kept whether or not it is needed, the lines are not wrapped
again (``text-wrap: nowrap``), and a resize renders them again at the new width.
"""

from __future__ import annotations

import io
from typing import Any

from rich.text import Text
from textual import work
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import ContentSwitcher, Static

from appealdesk.app import WorkerErrorsToApp
from appealdesk.i18n import N_, _
from appealdesk.widgets.nav_keys import Scroll


def preview_text(markdown: str, width: int) -> Text:
    """The letter as rich renders Markdown, flattened into styled lines (runs in a worker:
    the event loop then only paints a ready-made Text). A pasted letter's "•" and
    "Label:" lines keep their lines, as in the PDF (``render.pdf.pasted_lines``)."""
    from rich.console import Console
    from rich.markdown import Markdown

    from appealdesk.render.pdf import pasted_lines

    console = Console(width=max(20, width), file=io.StringIO(), color_system="truecolor",
                      force_terminal=True, legacy_windows=False)
    lines = console.render_lines(Markdown(pasted_lines(markdown), hyperlinks=False), pad=False)
    out = Text(no_wrap=True, end="")
    for n, line in enumerate(lines):
        if n:
            out.append("\n")
        for segment in line:
            if not segment.control:
                out.append(segment.text, segment.style)
    return out



PREVIEW_CSS = """
EditorPane #editor-preview {
    height: 1fr;
    padding: 0 1;
    scrollbar-gutter: stable;
}
EditorPane #editor-preview-body {
    text-wrap: nowrap;
    text-overflow: clip;
}
"""


class PreviewScroll(Scroll):
    """The preview's scrolled lines; Esc goes back to the text (one level up), as ``p``."""

    BINDINGS = [Binding("escape", "close_preview", N_("Back to the text"), show=False,
                        id="editor.close_preview")]

    def action_close_preview(self) -> None:
        pane: Any = self.parent
        while pane is not None and not isinstance(pane, EditorPreviewMixin):
            pane = pane.parent
        if pane is not None and pane._preview_shown():
            pane.action_toggle_preview()


def preview_width(views_width: int, scroll: VerticalScroll) -> int:
    """The cells a preview line has: the views' width less the preview's padding and its
    scrollbar's gutter (kept even when nothing scrolls). Worked out from the switcher,
    which is laid out even while the preview is hidden."""
    padding = scroll.styles.padding
    return views_width - padding.left - padding.right - scroll.styles.scrollbar_size_vertical


# WorkerErrorsToApp: its workers' failures reach the app even outside EditorPane.
class EditorPreviewMixin(WorkerErrorsToApp):
    """The preview of ``EditorPane`` (the switcher and its widgets live in the pane)."""

    def _preview_shown(self) -> bool:
        return self.query_one("#editor-views", ContentSwitcher).current == "editor-preview"


    def action_toggle_preview(self) -> None:
        if self.case is None:
            return
        switcher = self.query_one("#editor-views", ContentSwitcher)
        if self._preview_shown():
            switcher.current = "editor-text"
            self.focus_first()
        else:
            switcher.current = "editor-preview"
            self._refresh_preview()
            self.query_one("#editor-preview", VerticalScroll).focus()
        self._update_status()

    def _refresh_preview(self) -> None:
        width = preview_width(self.query_one("#editor-views").size.width,
                              self.query_one("#editor-preview", VerticalScroll))
        self._preview_worker(self.text, width if width > 20 else 60)
        self._preview_width = width

    def on_resize(self) -> None:
        self.call_after_refresh(self._rewrap_preview)  # once the views have their width

    def _rewrap_preview(self) -> None:
        if self._preview_shown() and self.case is not None:
            width = preview_width(self.query_one("#editor-views").size.width,
                                  self.query_one("#editor-preview", VerticalScroll))
            if width != getattr(self, "_preview_width", None):
                self._refresh_preview()

    @work(thread=True, exclusive=True, group="editor-preview", exit_on_error=False)
    def _preview_worker(self, text: str, width: int) -> None:
        rendered = preview_text(text, width) if text.strip() else Text(
            _("The letter is empty."), style="dim")
        body = self.query_one("#editor-preview-body", Static)
        self.app.call_from_thread(body.update, rendered)
