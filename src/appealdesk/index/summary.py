"""What the index keeps of one case: a summary, its open deadlines, its searchable text.

A summary holds what the inbox, ``list``, ``followups``, the filters and the
cross-case checks need, computed once when the case file is read (the next
deadline does not move with time; only "time left" does, and that is worked
out when shown). Texts a policy gives in two languages are kept in both, so
the index does not depend on the interface language.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from appealdesk.cases.status import INACTIVE, Status
from appealdesk.i18n import pick

if TYPE_CHECKING:
    from appealdesk.cases.model import Case
    from appealdesk.deadlines.windows import CaseDue, Deadline
    from appealdesk.policy.loading import PolicySet


@dataclass(frozen=True, slots=True)
class Summary:
    id: str
    marketplace: str
    store: str = ""
    site: str = ""
    status: Status = Status.NEW
    type: str = "unknown"
    type_name_en: str = ""
    type_name_zh: str = ""
    notification_id: str | None = None
    received: datetime | None = None
    created: datetime | None = None
    cited_orders: tuple[str, ...] = ()
    quoted_metrics: tuple[str, ...] = ()  # metric ids the notification quotes
    evidence: int = 0
    rejected: int = 0  # rejected submissions (repeated_appeal compares with these)
    due: datetime | None = None  # the next time that matters (deadlines.windows.case_due)
    due_kind: str = ""  # response | final | followup | ""

    @property
    def type_name(self) -> str:
        return pick(self.type_name_en, self.type_name_zh) or self.type

    @property
    def active(self) -> bool:
        return self.status not in INACTIVE


@dataclass(frozen=True, slots=True)
class DueItem:
    """An open response deadline or follow-up timer of a case (``appealdesk followups``)."""

    case_id: str
    kind: str  # deadline | followup
    item: str  # response | final | the policy's follow-up id
    due: datetime
    target: datetime | None = None
    source: str = "policy"
    action_en: str = ""
    action_zh: str = ""
    title: str = ""


@dataclass(frozen=True)
class Indexed:
    """Everything the index stores for one readable case."""

    summary: Summary
    items: list[DueItem] = field(default_factory=list)
    text: dict[str, str] = field(default_factory=dict)  # search column -> text


SEARCH_COLUMNS = ("ids", "notice", "letter", "history")


_ANSWERING = (Status.NEW, Status.IN_PROGRESS, Status.READY)


def summarize(case: Case, policies: PolicySet, now: datetime) -> Indexed:
    from appealdesk.deadlines.windows import CaseDue, case_due, response_deadline

    policy = policies.get(case.marketplace)
    n = case.notification
    ntype = policy.notification_type(n.type) if policy else None
    if case.status in _ANSWERING:
        # case_due's answer for these statuses, from the one response deadline that
        # due_items needs too (computed once: a cold build does this for every case)
        deadline = response_deadline(case, policy)
        due = CaseDue(deadline.due, "response", "") if deadline else CaseDue(None, "", "")
    else:
        deadline = None
        due = case_due(case, policy, now)
    summary = Summary(
        id=case.id, marketplace=case.marketplace, store=case.store, site=case.site,
        status=case.status, type=n.type,
        type_name_en=ntype.name if ntype else "", type_name_zh=ntype.name_zh if ntype else "",
        notification_id=n.external_id, received=n.received, created=case.created,
        cited_orders=tuple(n.cited_orders),
        quoted_metrics=tuple(q.metric for q in n.quoted_metrics),
        evidence=len(case.evidence),
        rejected=sum(1 for s in case.submissions if s.outcome == "rejected"),
        due=due.due, due_kind=due.kind,
    )
    return Indexed(summary, due_items(case, policies, now, (deadline, due)), search_text(case))


def due_items(case: Case, policies: PolicySet, now: datetime,
              known: tuple[Deadline | None, CaseDue] | None = None) -> list[DueItem]:
    """Open response deadlines and follow-up timers, as ``appealdesk followups`` lists them.

    Whether a timer is open does not depend on ``now`` (due and overdue are both open).
    ``known``: the case's response deadline and ``case_due``, when already computed."""
    from appealdesk.deadlines.followups import case_timers
    from appealdesk.deadlines.windows import case_due, response_deadline

    policy = policies.get(case.marketplace)
    items = []
    if case.status in _ANSWERING:
        deadline = known[0] if known else response_deadline(case, policy)
        if deadline is not None:
            items.append(DueItem(case.id, "deadline", "response", deadline.due, deadline.target,
                                 deadline.source))
    elif case.status is Status.REJECTED:
        due = known[1] if known else case_due(case, policy, now)
        if due.kind == "final" and due.due is not None:
            items.append(DueItem(case.id, "deadline", "final", due.due))
    if policy is not None:
        rules = {r.id: r for r in policy.followups}
        for timer in case_timers(case, policy, now):
            if timer.open:
                rule = rules.get(timer.id)
                items.append(DueItem(
                    case.id, "followup", timer.id, timer.due,
                    action_en=rule.action if rule else timer.action,
                    action_zh=rule.action_zh if rule else "", title=timer.title))
    return items


def search_text(case: Case) -> dict[str, str]:
    """The text search finds a case by: ids, the notice, the letters, the history."""
    n = case.notification
    ids = [case.id, case.marketplace, case.store, case.site, n.type, n.external_id or "",
           *n.cited_orders]
    ids += [e.name for e in case.evidence] + [e.original_name for e in case.evidence]
    ids += [o for e in case.evidence for o in e.orders]
    ids += [s.ticket or "" for s in case.submissions]
    letters = [case.letter.draft] + [v.text for v in case.letter.versions
                                     if v.text != case.letter.draft]
    history = [h.note or "" for h in case.history]
    history += [" ".join(x for x in (s.note, s.reason, s.code) if x) for s in case.submissions]
    history += [w.reason for w in case.waivers]
    return {
        "ids": " ".join(x for x in ids if x),
        "notice": "\n".join(x for x in (n.subject or "", n.text) if x),
        "letter": "\n\n".join(x for x in letters if x),
        "history": "\n".join(x for x in history if x),
    }
