"""Follow-up timers that start when an appeal is submitted, rejected or approved.

The policy's ``[[followups]]`` say what to do and when (Joom: open a ticket
within 24 h titled ``URGENT: Appeal Submitted for {notification_id}``; noon:
open a ticket after 5 business days without a result). Timers are derived,
never stored: from the case's submissions (or, when none were recorded, from
its status history) and the follow-ups it has marked done.

States:

* ``due``       — waiting; ``due`` is in the future.
* ``overdue``   — waiting; ``due`` has passed.
* ``done``      — the operator marked it done (history ``followup_done``), or
                  a rejection timer was answered by a later submission.
* ``cancelled`` — an ``until_outcome`` timer after the outcome arrived, or
                  any open timer of a closed or archived case.

Only the latest event of each kind starts timers: a resubmission replaces
the timers of the previous submission.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from appealdesk.cases.model import Case, Status
from appealdesk.deadlines.windows import add_duration, case_calendar
from appealdesk.i18n import pick
from appealdesk.policy.templates import fill
from appealdesk.policy.types import FollowUp, Policy

DONE_EVENT = "followup_done"


@dataclass(frozen=True)
class Timer:
    id: str  # the policy follow-up id
    due: datetime
    action: str
    title: str
    state: str  # due | overdue | done | cancelled
    after: str  # the event that started it
    started: datetime

    @property
    def open(self) -> bool:
        return self.state in ("due", "overdue")

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "due": self.due.isoformat(),
            "action": self.action,
            "title": self.title,
            "state": self.state,
            "after": self.after,
            "started": self.started.isoformat(),
        }


def fill_title(template: str, case: Case) -> str:
    """The policy's follow-up title for ``case``; a placeholder it cannot fill stays visible
    and a malformed template is shown as written (policy.templates.fill)."""
    return fill(template, {
        "notification_id": case.notification.external_id or case.id,
        "case_id": case.id,
        "store": case.store,
        "marketplace": case.marketplace,
    })


def _events(case: Case) -> dict[str, datetime]:
    """The latest time of each event kind (submitted / rejected / approved)."""
    latest: dict[str, datetime] = {}

    def note(kind: str, at: datetime | None) -> None:
        if at is not None and (kind not in latest or at > latest[kind]):
            latest[kind] = at

    for sub in case.submissions:
        note("submitted", sub.at)
        if sub.outcome in ("approved", "rejected"):
            note(sub.outcome, sub.outcome_at or sub.at)
    for entry in case.history:
        if entry.event == "status" and entry.to_status in ("submitted", "rejected", "approved"):
            # the history records every change even when no Submission was made
            kind = entry.to_status
            if kind == "submitted" and case.submissions:
                continue
            if kind != "submitted" and any(s.outcome for s in case.submissions):
                continue
            note(kind, entry.at)
    return latest


def _done_ids(case: Case) -> dict[str, datetime]:
    done: dict[str, datetime] = {}
    for entry in case.history:
        if entry.event == DONE_EVENT and entry.note:
            done[entry.note] = entry.at
    return done


def _outcome_after(events: dict[str, datetime], start: datetime) -> bool:
    return any(events.get(k) is not None and events[k] >= start for k in ("approved", "rejected"))


def case_timers(case: Case, policy: Policy | None, now: datetime) -> list[Timer]:
    """Every follow-up timer of ``case`` under ``policy``, sorted by due time."""
    if policy is None or not policy.followups:
        return []
    calendar = case_calendar(case, policy)
    if calendar is None:
        return []
    events = _events(case)
    done = _done_ids(case)
    inactive = case.status in (Status.CLOSED, Status.ARCHIVED)
    timers = []
    for rule in policy.followups:
        start = events.get(rule.after)
        if start is None:
            continue
        due = add_duration(start, rule.wait, calendar)
        timers.append(
            Timer(
                id=rule.id,
                due=due,
                action=pick(rule.action, rule.action_zh),
                title=fill_title(rule.title, case) if rule.title else "",
                state=_state(rule, start, due, events, done, inactive, now),
                after=rule.after,
                started=start,
            )
        )
    timers.sort(key=lambda t: t.due)
    return timers


def _state(
    rule: FollowUp,
    start: datetime,
    due: datetime,
    events: dict[str, datetime],
    done: dict[str, datetime],
    inactive: bool,
    now: datetime,
) -> str:
    if rule.id in done and done[rule.id] >= start:
        return "done"
    if rule.after == "rejected" and events.get("submitted") and events["submitted"] > start:
        return "done"  # resubmitted after the rejection
    if rule.after == "submitted" and rule.until_outcome and _outcome_after(events, start):
        return "cancelled"
    if inactive:
        return "cancelled"
    return "overdue" if now >= due else "due"


def mark_done(case: Case, timer_id: str, *, operator: str, at: datetime) -> None:
    """Record that the operator did what a timer asked (e.g. opened the ticket)."""
    case.log(DONE_EVENT, operator=operator, at=at, note=timer_id)
