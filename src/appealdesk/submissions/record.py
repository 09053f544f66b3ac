"""Submissions and outcomes: what went to the marketplace, when, and what came back.

Pure rules on a ``Case`` (the use-case layer, ``operations.submissions``, loads,
locks and saves it): ``record_submission`` adds what was sent (PDF name and
sha256, time, operator, ticket) and moves the case to ``submitted``; the
follow-up timers of the policy count from that time. ``record_outcome`` closes
the last submission as approved or rejected. After a rejection the next draft
starts a new version with the reason at the top
(``letter.versions.needs_after_rejection``).
"""

from __future__ import annotations

from datetime import datetime

from appealdesk.cases.model import Case, Status, Submission
from appealdesk.i18n import _

OUTCOMES = ("approved", "rejected")


class SubmissionError(Exception):
    """A submission or outcome that cannot be recorded; one line for the user.

    ``fix`` is the action id that resolves it (``"render"``, ``"outcome.record"``),
    for the front ends to word; ``duplicate`` marks a second submission without outcome.
    """

    def __init__(self, message: str, duplicate: bool = False, fix: str = ""):
        super().__init__(message)
        self.duplicate = duplicate
        self.fix = fix


def check_can_submit(case: Case) -> None:
    """Refuse a submission while the last one has no outcome (a duplicate is rejected)."""
    pending = [s for s in case.submissions if not s.outcome]
    if pending:
        raise SubmissionError(_(
            "case {case_id} was already submitted on {at} and has no outcome yet; record the "
            "outcome first (a duplicate submission is rejected)"
        ).format(case_id=case.id, at=pending[-1].at.strftime("%Y-%m-%d %H:%M")),
            duplicate=True, fix="outcome.record")


def record_submission(case: Case, *, pdf: str, sha256: str, operator: str, at: datetime,
                      ticket: str | None = None, note: str | None = None) -> Submission:
    """Add the submission of the letter PDF ``pdf`` and move the case to ``submitted``."""
    check_can_submit(case)
    if case.status in (Status.NEW, Status.IN_PROGRESS):
        case.change_status(Status.READY, operator=operator, at=at,
                           note=_("letter rendered and submitted"))
    case.change_status(Status.SUBMITTED, operator=operator, at=at, note=ticket or None)
    submission = Submission(
        at=at, operator=operator, pdf=pdf, sha256=sha256,
        ticket=ticket or None, note=note or None,
        letter_version=case.letter.version or None,
    )
    case.submissions.append(submission)
    return submission


def record_outcome(case: Case, result: str, *, operator: str, at: datetime,
                   reason: str | None = None, code: str | None = None) -> Submission:
    """Close the last submission as ``approved`` or ``rejected`` and move the case there."""
    if result not in OUTCOMES:
        raise SubmissionError(_("the outcome is approved or rejected, not {result!r}").format(
            result=result))
    if not case.submissions:
        raise SubmissionError(_("case {case_id} has no submission to record an outcome for")
                              .format(case_id=case.id))
    last = case.submissions[-1]
    if last.outcome:
        raise SubmissionError(_(
            "the last submission of {case_id} already has the outcome {outcome}"
        ).format(case_id=case.id, outcome=last.outcome))
    last.outcome, last.outcome_at = result, at
    last.reason, last.code = reason or None, code or None
    case.change_status(Status(result), operator=operator, at=at,
                       note=" ".join(x for x in (code or "", reason or "") if x) or None)
    return last
