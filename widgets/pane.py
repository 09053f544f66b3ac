"""What the four panes share: a border title, an empty state, focusing the first control."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.containers import Vertical
from textual.widget import Widget

if TYPE_CHECKING:
    from appealdesk.model import Case


class Pane(Vertical):
    """A pane of the main screen showing one aspect of the selected case."""

    def focus_first(self) -> None:
        for widget in self.query("*"):
            if isinstance(widget, Widget) and widget.focusable and widget.display:
                widget.focus()
                return
        self.focus()

    def show_case(self, case: Case | None) -> None:  # pragma: no cover - overridden
        raise NotImplementedError
