"""What the inbox shows, without Textual: rows, urgency order, filters, recurrences, counts.

Kept out of the widget so it is tested directly and stays fast for 10,000 cases:
rows are made from the index's summaries (``appealdesk.index``), whose next
deadline was computed when the case file was read (it does not move with time);
only the "time left" text is refreshed by the clock.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from appealdesk.cases.status import INACTIVE

# The deadline engine and the index's summaries are imported where they are used: the
# app builds its (empty) inbox before the first paint and fills it once the index answers.
if TYPE_CHECKING:
    from appealdesk.cases.model import Case, Status
    from appealdesk.deadlines.display import Urgency
    from appealdesk.index.summary import Summary
    from appealdesk.policy.loading import PolicySet

_FAR = float("inf")


@dataclass(slots=True)
class InboxRow:
    summary: Summary
    recurrence_of: str | None = None  # the earlier case of the same store and type or metric
    id: str = ""
    _haystack: str | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        self.id = self.summary.id

    @property
    def haystack(self) -> str:
        """The lower-cased text `/` searches; made the first time a filter asks."""
        if self._haystack is None:
            s = self.summary
            self._haystack = " ".join(
                [s.id, s.store, s.marketplace, s.type, s.type_name_en, s.type_name_zh,
                 s.notification_id or "", *s.cited_orders]
            ).lower()
        return self._haystack

    @property
    def type_name(self) -> str:
        return self.summary.type_name

    @property
    def due(self) -> datetime | None:
        return self.summary.due

    @property
    def due_kind(self) -> str:
        return self.summary.due_kind

    def time_left(self, now: datetime) -> str:
        from appealdesk.deadlines.display import format_time_left

        return format_time_left(self.summary.due, now)

    def urgency(self, now: datetime) -> Urgency:
        from appealdesk.deadlines.display import urgency

        return urgency(self.summary.due, now)

    def sort_key(self, now: datetime) -> tuple:
        # Overdue first, then least time left: ordering by due time alone does both,
        # and it never changes as the clock moves (so live updates only touch the text).
        due = self.summary.due
        if due is None:
            return (3, _FAR, self.summary.id)  # no deadline: last
        return (0, due.timestamp(), self.summary.id)


def summaries_of(cases: list[Case], policies: PolicySet, now: datetime) -> list[Summary]:
    """Summaries straight from cases (tests, and callers without an index)."""
    from appealdesk.index.summary import summarize

    return [summarize(c, policies, now).summary for c in cases]


def build_rows(summaries: list[Summary], now: datetime) -> list[InboxRow]:
    """One row per case, in urgency order, with recurrence links."""
    rows = [InboxRow(s) for s in summaries]
    mark_recurrences(rows)
    stamp = _Timestamps()  # the index gives equal times as one object: each counted once
    far = (3, _FAR)
    rows.sort(key=lambda r: (*far, r.id) if r.summary.due is None
              else (0, stamp[r.summary.due], r.id))  # InboxRow.sort_key, inline
    return rows


class _Timestamps(dict):
    """datetime -> timestamp, remembered (thousands of cases share a time)."""

    def __missing__(self, moment: datetime) -> float:
        self[moment] = value = moment.timestamp()
        return value


def _received(s: Summary) -> float:
    moment = s.received or s.created
    return moment.timestamp() if moment else 0.0


def mark_recurrences(rows: list[InboxRow]) -> None:
    """A case whose store had an earlier case of the same type or metric is a recurrence."""
    seen: dict[tuple, str] = {}
    stores: dict[str, str] = {}  # as written -> as compared
    stamp = _Timestamps()

    def received(row: InboxRow) -> tuple[float, str]:
        moment = row.summary.received or row.summary.created
        return (stamp[moment] if moment else 0.0, row.id)

    for row in sorted(rows, key=received):
        s = row.summary
        store = stores.get(s.store)
        if store is None:
            store = stores[s.store] = s.store.strip().casefold()
        if not store:
            continue
        keys = []
        if s.type and s.type != "unknown":
            keys.append((s.marketplace, store, "type", s.type))
        if s.quoted_metrics:
            keys += [(s.marketplace, store, "metric", m) for m in s.quoted_metrics]
        for key in keys:
            if key in seen and row.recurrence_of is None:
                row.recurrence_of = seen[key]
        for key in keys:
            seen[key] = s.id  # link to the latest earlier case, not the first ever


@dataclass
class InboxFilter:
    text: str = ""
    marketplace: str | None = None
    status: str | None = None
    store: str | None = None
    show_inactive: bool = False
    ids: frozenset[str] | None = None  # a search's hits: only these cases

    def accepts(self, row: InboxRow) -> bool:
        s = row.summary
        if self.ids is not None:
            if s.id not in self.ids:
                return False
        elif not self.show_inactive and not s.active:
            return False
        if self.marketplace and s.marketplace != self.marketplace:
            return False
        if self.status and s.status.value != self.status:
            return False
        if self.store and s.store != self.store:
            return False
        if self.text:
            return all(word in row.haystack for word in self.text.lower().split())
        return True


def active_rows(rows: list[InboxRow]) -> list[InboxRow]:
    """The rows of cases not archived (what the inbox shows without its archive)."""
    return [r for r in rows if r.summary.status not in INACTIVE]


def apply_filter(rows: list[InboxRow], flt: InboxFilter,
                 active: list[InboxRow] | None = None) -> list[InboxRow]:
    """The rows ``flt.accepts``, in order: one pass per condition set, not one call of
    ``accepts`` per row (a keystroke in the filter of 10,000 cases). ``active``:
    ``active_rows(rows)`` when the caller keeps it between keystrokes."""
    out = rows
    if flt.ids is not None:
        ids = flt.ids
        out = [r for r in out if r.id in ids]
    elif not flt.show_inactive:
        out = active if active is not None else active_rows(rows)
    if flt.marketplace:
        out = [r for r in out if r.summary.marketplace == flt.marketplace]
    if flt.status:
        out = [r for r in out if r.summary.status.value == flt.status]
    if flt.store:
        out = [r for r in out if r.summary.store == flt.store]
    for word in flt.text.lower().split() if flt.text else ():
        out = [r for r in out if word in r.haystack]
    return out if out is not rows and out is not active else list(out)


def status_counts(rows: list[InboxRow]) -> list[tuple[Status, int]]:
    """Cases per status, in lifecycle order, leaving out empty ones."""
    from appealdesk.cases.model import Status

    counts = Counter(r.summary.status for r in rows)
    return [(s, counts[s]) for s in Status if counts[s]]


def cycle(options: list[str], current: str | None) -> str | None:
    """The next quick-filter value: None (all), then each option, then None again."""
    if not options:
        return None
    if current not in options:
        return options[0]
    index = options.index(current) + 1
    return options[index] if index < len(options) else None
