"""What the four panes share: a border title, an empty state, focusing the first control,
and changing a case from a thread worker."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual.containers import Vertical
from textual.widget import Widget

from appealdesk.app import WorkerErrorsToApp

if TYPE_CHECKING:
    from appealdesk.cases.model import Case


class Pane(WorkerErrorsToApp, Vertical):
    """A pane of the main screen showing one aspect of the selected case. Its workers'
    errors reach the app's one error handler."""

    def focus_first(self) -> None:
        for widget in self.query("*"):
            if isinstance(widget, Widget) and widget.focusable and widget.display:
                widget.focus()
                return
        self.focus()

    def show_case(self, case: Case | None) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    def apply_change(self, case_id: str, change: Callable[[Any, str], object],
                     message: str | Callable[[], str],
                     errors: tuple[type[Exception], ...] = ()) -> None:
        """Run ``change(workspace, case_id)`` in the calling thread worker, then show the
        case again and ``message`` (or what ``message()`` says after the change) on the
        event loop; a store, file or ``errors`` error is shown instead (one line, with the
        key that fixes it when the error names a fix)."""
        from appealdesk.cases.errors import StoreError
        from appealdesk.widgets.fixes import with_key_hint

        try:
            change(self.app.workspace, case_id)
        except (StoreError, OSError, *errors) as exc:
            text = with_key_hint(str(exc), getattr(exc, "fix", ""))
            self.app.call_from_thread(self.app.notify, text, severity="error", timeout=8)
            return
        self.app.call_from_thread(self.app.reload_case, case_id)
        self.app.call_from_thread(self.app.notify, message() if callable(message) else message)
