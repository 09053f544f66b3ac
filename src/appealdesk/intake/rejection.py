"""A rejection reply joins the case it answers, as that submission's outcome.

A pasted text the policy's ``rejection_keywords`` recognise is matched against
the cases: same marketplace, same store (when the reply names one), a
submission still waiting for its outcome, and something that ties them — the
notification id, a cited listing or order, or the notice type. The best match
takes the reply as its outcome (``submissions.record.record_outcome``: the
reason text, the code, then the new deadline the reply states, counted from
the original notification when the reply says so). Two cases equally good:
the operator chooses. Nothing matches: the reply becomes a new case.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from appealdesk.cases.model import Case
from appealdesk.i18n import _
from appealdesk.intake.detect import Detection
from appealdesk.intake.text import UNKNOWN, IntakeError, normalise
from appealdesk.intake.vocabulary import vocabulary

if TYPE_CHECKING:
    from appealdesk.cases.workspace import Workspace

_REASON_LIMIT = 600
_HEADER_LINE = re.compile(
    r"^(?:from|to|cc|subject|date|sent|发件人|收件人|主题|日期|发件时间|发送时间)[ ]?:", re.IGNORECASE)
_GREETING = re.compile(r"^(?:dear|hello|hi|greetings|尊敬的|您好|你好)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Match:
    case: Case
    score: int
    why: str  # what tied the reply to the case: id | listing | order | type


def _open_submission(case: Case) -> bool:
    return bool(case.submissions) and not case.submissions[-1].outcome


def candidates(cases: list[Case], detection: Detection) -> list[Match]:
    """Cases the reply may answer, best first (an empty list: none)."""
    found = []
    store = detection.store.casefold()
    for case in cases:
        if case.marketplace != detection.marketplace or not _open_submission(case):
            continue
        if store and case.store and case.store.casefold() != store:
            continue
        n = case.notification
        ties = []
        if detection.external_id and n.external_id and \
                detection.external_id.casefold() == n.external_id.casefold():
            ties.append(("id", 8))
        if set(detection.cited_listings) & set(n.cited_listings):
            ties.append(("listing", 4))
        if set(detection.cited_orders) & set(n.cited_orders):
            ties.append(("order", 3))
        if detection.type != UNKNOWN and detection.type == n.type:
            ties.append(("type", 2))
        if not ties:
            continue
        score = sum(points for _why, points in ties) + (1 if store and case.store else 0)
        found.append(Match(case, score, ties[0][0]))
    found.sort(key=lambda m: (-m.score, m.case.id))
    return found


def best_match(cases: list[Case], detection: Detection) -> tuple[Match | None, list[Match]]:
    """(the case the reply answers, or None; the candidates when it cannot be told)."""
    found = candidates(cases, detection)
    if not found:
        return None, []
    if len(found) > 1 and found[0].score == found[1].score:
        return None, [m for m in found if m.score == found[0].score]
    return found[0], []


def _body(paragraph: str) -> str:
    lines = [ln for ln in paragraph.split("\n")
             if not _HEADER_LINE.match(ln) and not _GREETING.match(ln)]
    return " ".join(lines).strip()


def reason_text(detection: Detection, policy=None) -> str:
    """Why it was rejected: the paragraph with the rejection wording (else the body), one line."""
    paragraphs = [_body(p) for p in normalise(detection.text).split("\n\n")]
    paragraphs = [p for p in paragraphs if p]
    keys = vocabulary(policy).rejection if policy else []
    for text in paragraphs:
        if any(k.search(text.lower()) for k in keys):
            return text[:_REASON_LIMIT]
    return " ".join(paragraphs)[:_REASON_LIMIT].strip()


def join(workspace: Workspace, case_id: str, detection: Detection):
    """Record the reply as the outcome of ``case_id``'s open submission; returns the Submission."""
    from appealdesk.submissions.record import SubmissionError, record_outcome

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
    try:
        record_outcome(workspace, case_id, "rejected", reason or None,
                       detection.rejection_code or None)
    except SubmissionError as exc:
        raise IntakeError(str(exc)) from None
    with workspace.store.editing(case_id, workspace.operator) as editable:
        last = editable.submissions[-1]
        last.deadline = detection.stated_deadline
        last.reply = detection.text
        window = detection.stated_window
        note = _("rejection reply joined this case")
        if detection.stated_deadline is not None and window is not None:
            source = (_("counted from the original notification") if window.anchor == "original"
                      else _("counted from the reply"))
            note += "; " + _("new deadline {when} (stated in the reply: \"{text}\", {source})").format(
                when=detection.stated_deadline.isoformat(timespec="minutes"),
                text=window.text, source=source)
        editable.log("rejection", operator=workspace.operator, at=workspace.now(), note=note)
    return last
