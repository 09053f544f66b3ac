"""Submissions and outcomes: what went to the marketplace, when, and what came back.

``submit`` records the newest rendered PDF (name and sha256) with the time,
operator and ticket, and moves the case to ``submitted``; the follow-up timers
of the policy count from that time (deadlines.py reads ``Case.submissions``).
``outcome`` closes the last submission as approved or rejected. After a
rejection the next ``letter draft`` starts a new version with the reason at the
top (see letter.versions.needs_after_rejection).
"""

from __future__ import annotations

import hashlib
from typing import Any

from appealdesk.i18n import _
from appealdesk.cases.model import Status, Submission

OUTCOMES = ("approved", "rejected")


class SubmissionError(Exception):
    """A submission or outcome that cannot be recorded; one line for the user."""

    def __init__(self, message: str, duplicate: bool = False):
        super().__init__(message)
        self.duplicate = duplicate


def submit(workspace: Any, case_id: str, ticket: str | None = None,
           note: str | None = None) -> Submission:
    from appealdesk.render.draft_mark import is_draft
    from appealdesk.render.pdf import latest_rendered

    store, now, operator = workspace.store, workspace.now(), workspace.operator
    with store.editing(case_id, operator) as case:
        pending = [s for s in case.submissions if not s.outcome]
        if pending:
            raise SubmissionError(_(
                "case {case_id} was already submitted on {at} and has no outcome yet; record the "
                "outcome first (a duplicate submission is rejected)"
            ).format(case_id=case_id, at=pending[-1].at.strftime("%Y-%m-%d %H:%M")),
                duplicate=True)
        pdf = latest_rendered(store, case_id)
        if pdf is None:
            raise SubmissionError(_(
                "case {case_id} has no rendered letter; run `appealdesk render {case_id}` first"
            ).format(case_id=case_id))
        if is_draft(pdf):
            raise SubmissionError(_(
                "the newest rendered letter of {case_id}, {pdf}, is a DRAFT (rendered with "
                "blocking findings); fix them and render the letter again before submitting"
            ).format(case_id=case_id, pdf=pdf.name))
        if case.status in (Status.NEW, Status.IN_PROGRESS):
            case.change_status(Status.READY, operator=operator, at=now,
                               note=_("letter rendered and submitted"))
        case.change_status(Status.SUBMITTED, operator=operator, at=now, note=ticket or None)
        submission = Submission(
            at=now, operator=operator, pdf=pdf.name,
            sha256=hashlib.sha256(pdf.read_bytes()).hexdigest(),
            ticket=ticket or None, note=note or None,
            letter_version=case.letter.version or None,
        )
        case.submissions.append(submission)
    return submission


def record_outcome(workspace: Any, case_id: str, result: str, reason: str | None = None,
                   code: str | None = None) -> Submission:
    if result not in OUTCOMES:
        raise SubmissionError(_("the outcome is approved or rejected, not {result!r}").format(
            result=result))
    store, now, operator = workspace.store, workspace.now(), workspace.operator
    with store.editing(case_id, operator) as case:
        if not case.submissions:
            raise SubmissionError(_("case {case_id} has no submission to record an outcome for")
                                  .format(case_id=case_id))
        last = case.submissions[-1]
        if last.outcome:
            raise SubmissionError(_(
                "the last submission of {case_id} already has the outcome {outcome}"
            ).format(case_id=case_id, outcome=last.outcome))
        last.outcome, last.outcome_at = result, now
        last.reason, last.code = reason or None, code or None
        case.change_status(Status(result), operator=operator, at=now,
                           note=" ".join(x for x in (code or "", reason or "") if x) or None)
    return last


# The brief's name for it; `outcome` reads well at the call site.
outcome = record_outcome
