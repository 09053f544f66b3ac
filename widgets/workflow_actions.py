"""The appeal's workflow from the letter pane: record the submission (``s``), the
marketplace's answer (``o``), a follow-up done (``f``), and the timeline (``t``) that
shows them all.

A mixin of ``EditorPane`` (``widgets/editor_pane.py``), whose ``BINDINGS`` include
``WORKFLOW_BINDINGS``. Every change runs the same operation the CLI runs
(``operations.submissions``: ``submit``, ``outcome``, ``followup_done``) in a thread
worker; the forms are ``screens/dialogs/workflow.py``.
"""

from __future__ import annotations

from textual import work
from textual.binding import Binding

from appealdesk.app import WorkerErrorsToApp, guarded
from appealdesk.i18n import N_, _
from appealdesk.operations import submissions

WORKFLOW_BINDINGS = [
    Binding("s", "submit", N_("Submit"), id="editor.submit"),
    Binding("o", "outcome", N_("Outcome"), id="editor.outcome"),
    Binding("f", "followup_done", N_("Follow-up done"), show=False, id="editor.followup_done"),
]
WORKFLOW_ACTIONS = {"submit", "outcome", "followup_done"}


# WorkerErrorsToApp: its workers' failures reach the app even outside EditorPane.
class WorkflowActionsMixin(WorkerErrorsToApp):
    """Submit, outcome, follow-up done and the timeline of ``EditorPane``."""

    def workflow_allowed(self, action: str) -> bool | None:
        """For ``check_action``: None (greyed) when the case's state does not allow it."""
        case = self.case
        if case is None:
            return None
        waiting = bool(case.submissions) and not case.submissions[-1].outcome
        if action == "submit":
            return None if waiting or not case.active or case.status.value == "approved" else True
        if action == "outcome":
            return True if waiting else None
        if action == "followup_done":
            return True if case.submissions and case.active else None
        return True

    # submit ------------------------------------------------------------------------
    def action_submit(self) -> None:
        if self.case is not None and self.workflow_allowed("submit"):
            self._prepare_submit(self.case.id)

    @work(thread=True, group="submit", exit_on_error=False)
    def _prepare_submit(self, case_id: str) -> None:
        """Which PDFs out/ holds (reading them tells a bundle or a DRAFT): off the loop."""
        from appealdesk.evidence.outputs import letter_pdf, rendered_pdfs
        from appealdesk.render.draft_mark import is_draft
        from appealdesk.screens.dialogs.workflow import PdfChoice

        ws = self.app.workspace
        case = ws.store.load(case_id)
        pdfs = [PdfChoice(p.name, is_draft(p)) for p in rendered_pdfs(ws.store, case)]
        default = letter_pdf(ws.store, case, ws.policy_for(case))
        self.app.call_from_thread(self._ask_submit, case, pdfs,
                                  default.name if default is not None else None)

    def _ask_submit(self, case, pdfs, default: str | None) -> None:
        from appealdesk.screens.dialogs.workflow import SubmitRequest, SubmitScreen

        def answered(request: SubmitRequest | None) -> None:
            if request is not None:
                self._submit(case.id, request)

        self.app.push_screen(SubmitScreen(case, pdfs, default), answered)

    @work(thread=True, group="submit", exit_on_error=False)
    def _submit(self, case_id: str, request) -> None:
        self.apply_change(
            case_id, lambda ws, cid: submissions.submit(
                ws, cid, ticket=request.ticket or None, note=request.note or None,
                pdf=request.pdf),
            _("Submission recorded: {pdf}").format(pdf=request.pdf),
            errors=(submissions.SubmissionError,))

    # outcome -----------------------------------------------------------------------
    def action_outcome(self, result: str = "") -> None:
        if self.case is None or not self.workflow_allowed("outcome"):
            return
        from appealdesk.screens.dialogs.workflow import OutcomeRequest, OutcomeScreen

        case_id = self.case.id

        def answered(request: OutcomeRequest | None) -> None:
            if request is not None:
                self._outcome(case_id, request)

        self.app.push_screen(OutcomeScreen(self.case, result or None), answered)

    @work(thread=True, group="outcome", exit_on_error=False)
    def _outcome(self, case_id: str, request) -> None:
        self.apply_change(
            case_id, lambda ws, cid: submissions.outcome(
                ws, cid, request.result, reason=request.reason or None,
                code=request.code or None),
            _("Outcome recorded: {result}").format(
                result=_("approved") if request.result == "approved" else _("rejected")),
            errors=(submissions.SubmissionError,))

    # follow-ups ----------------------------------------------------------------------
    def action_followup_done(self, followup: str = "") -> None:
        """Mark ``followup`` (default: the open one due first) as done."""
        if self.case is not None and self.workflow_allowed("followup_done"):
            self._followup_done(self.case.id, followup)

    @work(thread=True, group="followup-done", exit_on_error=False)
    def _followup_done(self, case_id: str, followup: str) -> None:
        from appealdesk.operations.submissions import FollowupError

        done: list[str] = []

        def change(ws, cid) -> None:
            result = submissions.followup_done(ws, cid, followup or None)
            done.append(result.timer.title or result.timer.action or result.timer.id)

        self.apply_change(case_id, change, lambda: _("Follow-up done: {id}").format(
            id=done[0] if done else followup), errors=(FollowupError,))

    # timeline ------------------------------------------------------------------------
    @guarded(N_("Showing the case failed"))
    def action_timeline(self) -> None:
        if self.case is None:
            return
        from appealdesk.screens.dialogs.submissions import SubmissionsScreen, TimelineChoice

        ws = self.app.workspace

        def chosen(choice: TimelineChoice | None) -> None:
            if choice is None:
                return
            if choice.action == "followup_done":
                self.action_followup_done(choice.value)
            elif choice.action == "submit":
                self.action_submit()
            elif choice.action == "outcome":
                self.action_outcome(choice.value)

        self.app.push_screen(SubmissionsScreen(self.case, now=ws.now(),
                                               policy=ws.policy_for(self.case)), chosen)
