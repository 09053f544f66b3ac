"""Submitting the letter, recording the marketplace's answer, marking a follow-up done.

``submit`` records the letter PDF that ``evidence.outputs.letter_pdf`` names (the
newest rendered letter, never an evidence bundle), or the one of out/ the operator
picked (``pdf``, a file name from ``evidence.outputs.rendered_pdfs``), with its sha256.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from appealdesk.cases.model import Case, Submission
from appealdesk.cases.workspace import Workspace
from appealdesk.deadlines.followups import Timer, case_timers, mark_done
from appealdesk.evidence.outputs import is_bundle, letter_pdf
from appealdesk.i18n import _
from appealdesk.render.draft_mark import is_draft
from appealdesk.submissions.record import (
    SubmissionError,
    check_can_submit,
    record_outcome,
    record_submission,
)

__all__ = ["FollowupError", "FollowupResult", "SubmissionError", "followup_done", "outcome",
           "submit"]


def submit(workspace: Workspace, case_id: str, ticket: str | None = None,
           note: str | None = None, pdf: str | None = None) -> Submission:
    """Record that the rendered letter went to the marketplace; raises ``SubmissionError``
    (no rendered letter: fix ``render``; a submission without outcome: ``duplicate``).
    ``pdf``: the name of the file in the case's out/ that went (default: ``letter_pdf``)."""
    store, now, operator = workspace.store, workspace.now(), workspace.operator
    with store.editing(case_id, operator) as case:
        check_can_submit(case)
        chosen: Path | None
        if pdf:
            chosen = _chosen_pdf(workspace, case_id, pdf)
        else:
            chosen = letter_pdf(store, case, workspace.policy_for(case))
        return _record(case, chosen, case_id, operator=operator, at=now, ticket=ticket,
                       note=note, chosen=bool(pdf))


def _chosen_pdf(workspace: Workspace, case_id: str, name: str) -> Path:
    """``name`` as a PDF of the case's out/ that is not an evidence bundle."""
    found = {p.name: p for p in workspace.store.list_files(case_id, "out")}
    path = found.get(name)
    if path is None or path.suffix.lower() != ".pdf":
        raise SubmissionError(_("{case_id} has no rendered PDF named {name}").format(
            case_id=case_id, name=name), fix="render")
    if is_bundle(path):
        raise SubmissionError(_("{name} is the evidence bundle, not the letter").format(
            name=name))
    return path


def _record(case: Case, pdf: Path | None, case_id: str, *, operator: str, at: datetime,
            ticket: str | None, note: str | None, chosen: bool = False) -> Submission:
    if pdf is None:
        raise SubmissionError(_(
            "case {case_id} has no rendered letter; render it first"
        ).format(case_id=case_id), fix="render")
    if is_draft(pdf) and chosen:
        raise SubmissionError(_(
            "{pdf} is a DRAFT (rendered with blocking findings) and cannot be submitted"
        ).format(pdf=pdf.name), fix="render")
    if is_draft(pdf):
        raise SubmissionError(_(
            "the newest rendered letter of {case_id}, {pdf}, is a DRAFT (rendered with "
            "blocking findings); fix them and render the letter again before submitting"
        ).format(case_id=case_id, pdf=pdf.name), fix="render")
    return record_submission(
        case, pdf=pdf.name, sha256=hashlib.sha256(pdf.read_bytes()).hexdigest(),
        operator=operator, at=at, ticket=ticket, note=note)


def outcome(workspace: Workspace, case_id: str, result: str, reason: str | None = None,
            code: str | None = None) -> Submission:
    """Record the marketplace's answer (approved or rejected) to the last submission."""
    with workspace.store.editing(case_id, workspace.operator) as case:
        return record_outcome(case, result, operator=workspace.operator, at=workspace.now(),
                              reason=reason, code=code)


class FollowupError(Exception):
    """No such follow-up, or none open; one line for the user."""


@dataclass(frozen=True)
class FollowupResult:
    timer: Timer  # the timer as it is now
    changed: bool  # False: it was already done or cancelled


def followup_done(workspace: Workspace, case_id: str,
                  followup: str | None = None) -> FollowupResult:
    """Mark the follow-up ``followup`` (default: the open one due first) as done."""
    now = workspace.now()
    case = workspace.store.load(case_id)
    timers = case_timers(case, workspace.policy_for(case), now)
    if followup:
        timer = next((t for t in timers if t.id == followup), None)
        if timer is None:
            open_ids = ", ".join(t.id for t in timers if t.open) or _("none")
            raise FollowupError(_("{case} has no follow-up {id}; open ones: {ids}").format(
                case=case_id, id=followup, ids=open_ids))
    else:
        timer = next((t for t in timers if t.open), None)
        if timer is None:
            raise FollowupError(_("{case} has no open follow-up").format(case=case_id))
    if not timer.open:
        return FollowupResult(timer, False)
    with workspace.store.editing(case_id, workspace.operator) as editable:
        mark_done(editable, timer.id, operator=workspace.operator, at=now)
    fresh = next(t for t in case_timers(editable, workspace.policy_for(editable), now)
                 if t.id == timer.id)
    return FollowupResult(fresh, True)
