"""The inbox's status keys: ``c`` moves the highlighted case to another status of its
lifecycle, ``C`` closes or archives it; both with a note for the case's history.

A mixin of ``InboxPane`` (``widgets/inbox_pane.py``). The change runs
``operations.status.change_status`` (what ``appealdesk status`` runs) in a thread worker.
"""

from __future__ import annotations

from textual import work

from appealdesk.app import WorkerErrorsToApp
from appealdesk.i18n import _
from appealdesk.widgets.inbox_cells import status_label

CLOSING = ("closed", "archived")


# WorkerErrorsToApp: its workers' failures reach the app even outside InboxPane.
class InboxStatusMixin(WorkerErrorsToApp):
    """``c`` and ``C`` of ``InboxPane``."""

    def action_change_status(self, only: tuple[str, ...] = ()) -> None:
        case = self.app.case
        if case is None:
            return
        from appealdesk.screens.dialogs.status import StatusChoice, StatusScreen

        def chosen(choice: StatusChoice | None) -> None:
            if choice is not None:
                self._change_status(case.id, choice.status, choice.note)

        self.app.push_screen(StatusScreen(case, status_label, only or None), chosen)

    def action_close_case(self) -> None:
        self.action_change_status(CLOSING)

    @work(thread=True, group="inbox-status", exit_on_error=False)
    def _change_status(self, case_id: str, new: str, note: str = "") -> None:
        from appealdesk.cases.model import TransitionError
        from appealdesk.operations import status

        self.apply_change(case_id,
                          lambda ws, cid: status.change_status(ws, cid, new, note or None),
                          _("{case}: {status}").format(case=case_id, status=status_label(new)),
                          errors=(TransitionError,))
