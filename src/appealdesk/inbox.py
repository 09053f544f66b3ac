"""What the inbox shows, without Textual: rows, urgency order, filters, recurrences, counts.

Kept out of the widget so it is tested directly and stays fast for 1,000 cases:
each case's next deadline is computed once per load (it does not move with
time); only the "time left" text is refreshed by the clock.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

# The deadline engine and the case model are imported where they are used: the app
# builds its (empty) inbox before the first paint and fills it once the cases are read.
if TYPE_CHECKING:
    from appealdesk.cases.model import Case, Status
    from appealdesk.deadlines.windows import CaseDue, Urgency
    from appealdesk.policy.rules import PolicySet

_FAR = float("inf")


@dataclass
class InboxRow:
    case: Case
    due: CaseDue
    type_name: str
    recurrence_of: str | None = None  # the earlier case of the same store and type or metric
    haystack: str = field(default="", repr=False)  # lower-cased text `/` searches

    @property
    def id(self) -> str:
        return self.case.id

    def time_left(self, now: datetime) -> str:
        from appealdesk.deadlines.windows import format_time_left

        return format_time_left(self.due.due, now)

    def urgency(self, now: datetime) -> Urgency:
        from appealdesk.deadlines.windows import urgency

        return urgency(self.due.due, now)

    def sort_key(self, now: datetime) -> tuple:
        # Overdue first, then least time left: ordering by due time alone does both,
        # and it never changes as the clock moves (so live updates only touch the text).
        from appealdesk.deadlines.windows import URGENCY_ORDER, Urgency

        level = self.urgency(now)
        timestamp = self.due.due.timestamp() if self.due.due else _FAR
        return (URGENCY_ORDER[level] if level is Urgency.NONE else 0, timestamp, self.case.id)


def _type_name(case: Case, policies: PolicySet) -> str:
    from appealdesk.i18n import pick

    policy = policies.get(case.marketplace)
    ntype = policy.notification_type(case.notification.type) if policy else None
    return pick(ntype.name, ntype.name_zh) if ntype else case.notification.type


def build_rows(cases: list[Case], policies: PolicySet, now: datetime) -> list[InboxRow]:
    """One row per case, in urgency order, with recurrence links."""
    from appealdesk.deadlines.windows import case_due

    rows = []
    for case in cases:
        policy = policies.get(case.marketplace)
        row = InboxRow(case, case_due(case, policy, now), _type_name(case, policies))
        n = case.notification
        row.haystack = " ".join(
            [case.id, case.store, case.marketplace, n.type, row.type_name, n.external_id or "",
             *n.cited_orders]
        ).lower()
        rows.append(row)
    mark_recurrences(rows)
    rows.sort(key=lambda r: r.sort_key(now))
    return rows


def _received(case: Case) -> float:
    moment = case.notification.received or case.created
    return moment.timestamp() if moment else 0.0


def mark_recurrences(rows: list[InboxRow]) -> None:
    """A case whose store had an earlier case of the same type or metric is a recurrence."""
    seen: dict[tuple, str] = {}
    for row in sorted(rows, key=lambda r: (_received(r.case), r.case.id)):
        case = row.case
        store = case.store.strip().casefold()
        if not store:
            continue
        keys = []
        if case.notification.type and case.notification.type != "unknown":
            keys.append((case.marketplace, store, "type", case.notification.type))
        keys += [(case.marketplace, store, "metric", q.metric)
                 for q in case.notification.quoted_metrics]
        for key in keys:
            if key in seen and row.recurrence_of is None:
                row.recurrence_of = seen[key]
        for key in keys:
            seen[key] = case.id  # link to the latest earlier case, not the first ever


@dataclass
class InboxFilter:
    text: str = ""
    marketplace: str | None = None
    status: str | None = None
    store: str | None = None
    show_inactive: bool = False

    def accepts(self, row: InboxRow) -> bool:
        from appealdesk.cases.model import INACTIVE

        case = row.case
        if not self.show_inactive and case.status in INACTIVE:
            return False
        if self.marketplace and case.marketplace != self.marketplace:
            return False
        if self.status and case.status.value != self.status:
            return False
        if self.store and case.store != self.store:
            return False
        if self.text:
            return all(word in row.haystack for word in self.text.lower().split())
        return True


def apply_filter(rows: list[InboxRow], flt: InboxFilter) -> list[InboxRow]:
    return [r for r in rows if flt.accepts(r)]


def status_counts(rows: list[InboxRow]) -> list[tuple[Status, int]]:
    """Cases per status, in lifecycle order, leaving out empty ones."""
    from appealdesk.cases.model import Status

    counts = Counter(r.case.status for r in rows)
    return [(s, counts[s]) for s in Status if counts[s]]


def cycle(options: list[str], current: str | None) -> str | None:
    """The next quick-filter value: None (all), then each option, then None again."""
    if not options:
        return None
    if current not in options:
        return options[0]
    index = options.index(current) + 1
    return options[index] if index < len(options) else None
