"""A rejection reply joins the case it answers, as that submission's outcome.

A pasted text the policy's ``rejection_keywords`` recognise is matched against
the cases: same marketplace, same store (when the reply names one), a
submission still waiting for its outcome, and something that ties them — the
notification id, a cited listing or order, or the notice type. The best match
takes the reply as its outcome (``operations.replies.join_reply``, a higher
layer, records it with ``submissions.record.record_outcome``: the reason text
from here, the code, then the new deadline the reply states, counted from the
original notification when the reply says so). Two cases equally good: the
operator chooses. Nothing matches: the reply becomes a new case.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from appealdesk.cases.model import Case
from appealdesk.intake.detect import Detection
from appealdesk.intake.text import UNKNOWN, normalise, simplified
from appealdesk.intake.vocabulary import vocabulary

_REASON_LIMIT = 600
_HEADER_LINE = re.compile(
    r"^(?:from|to|cc|subject|date|sent|发件人|收件人|主题|日期|发件时间|发送时间)[ ]?:",
    re.IGNORECASE)
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
        if any(k.search(simplified(text).lower()) for k in keys):  # 申訴未通過 too
            return text[:_REASON_LIMIT]
    return " ".join(paragraphs)[:_REASON_LIMIT].strip()
