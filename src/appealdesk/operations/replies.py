"""A rejection reply recorded as the outcome of the submission it answers.

Which case a reply answers is intake's job (``intake.rejection``); recording it changes
the case, in one edit: the outcome (``submissions.record.record_outcome``: status,
reason, code), then what only a reply has, the new deadline it states and its text.
"""

from __future__ import annotations

from appealdesk.cases.model import Submission
from appealdesk.cases.workspace import Workspace
from appealdesk.deadlines.display import format_moment
from appealdesk.i18n import _
from appealdesk.intake.detect import Detection
from appealdesk.intake.rejection import reason_text
from appealdesk.intake.text import IntakeError
from appealdesk.submissions.record import SubmissionError, record_outcome

__all__ = ["join_reply"]


def join_reply(workspace: Workspace, case_id: str, detection: Detection) -> Submission:
    """Record the reply as the outcome of ``case_id``'s open submission; returns the Submission."""
    case = workspace.store.load(case_id)
    policy = workspace.policies.get(case.marketplace)
    calendar = policy.calendar_for(case.site or None) if policy else None
    if detection.received is None:
        detection.received = workspace.now()
        detection.received_from = "intake"
    if calendar is not None:
        detection.calendar = calendar
    detection.resolve_deadline(original=case.notification.received)
    reason = reason_text(detection, policy)
    now, operator = workspace.now(), workspace.operator
    with workspace.store.editing(case_id, operator) as editable:
        try:
            last = record_outcome(editable, "rejected", operator=operator, at=now,
                                  reason=reason or None, code=detection.rejection_code or None)
        except SubmissionError as exc:
            raise IntakeError(str(exc)) from None
        last.deadline = detection.stated_deadline
        last.reply = detection.text
        window = detection.stated_window
        note = _("rejection reply joined this case")
        if detection.stated_deadline is not None and window is not None:
            source = (_("counted from the original notification") if window.anchor == "original"
                      else _("counted from the reply"))
            note += "; " + _(
                "new deadline {when} (stated in the reply: \"{text}\", {source})").format(
                when=format_moment(detection.stated_deadline),
                text=window.text, source=source)
        editable.log("rejection", operator=operator, at=now, note=note)
    return last
