"""The case's submissions and outcomes as a timeline, oldest first.

Times are shown in the operator's own zone. Each submission shows the ticket,
the PDF that went out and the letter version; each outcome its result, code and
reason; the policy's follow-up timers (followups.py) close the timeline.

Keys: ``d`` marks the open follow-up due first as done; ``s`` records that the
rendered letter was submitted; ``a`` and ``x`` record the answer to a submission
waiting for one (approved; rejected). The screen returns a ``TimelineChoice``; the
letter pane opens the form (which PDF and ticket; reason and code) and runs the
operation, as its own ``s``, ``o`` and ``f`` do. A change made elsewhere while the
timeline is open (the CLI, another operator) is shown at once (``case_changed``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from appealdesk.cases.model import Case
from appealdesk.deadlines.display import format_moment
from appealdesk.i18n import N_, _
from appealdesk.policy.types import Policy
from appealdesk.widgets.nav_keys import Scroll


@dataclass(frozen=True)
class TimelineChoice:
    """What the operator asked for: ``followup_done`` (value: its id), ``submit``, or
    ``outcome`` (value: ``approved`` or ``rejected``)."""

    action: str
    value: str = ""


@dataclass(frozen=True)
class Event:
    at: datetime
    kind: str  # received | submitted | approved | rejected | waiting | followup
    title: str
    details: tuple[str, ...] = ()


def _hours(start: datetime, end: datetime) -> str:
    hours = max(0, int((end - start).total_seconds() // 3600))
    if hours < 48:
        return _("{n} h").format(n=hours)
    return _("{n} days").format(n=hours // 24)


def timeline_events(case: Case, now: datetime, policy: Policy | None = None) -> list[Event]:
    """What happened to the appeal, in order (pure: tested without the screen)."""
    events = [Event(case.notification.received, "received", _("Notification received"),
                    tuple(x for x in (case.notification.external_id,) if x))]
    for n, s in enumerate(case.submissions, 1):
        details = [
            _("ticket {ticket}").format(ticket=s.ticket) if s.ticket else _("no ticket id"),
            s.pdf or _("no PDF recorded"),
        ]
        if s.letter_version:
            details.append(_("letter version {n}").format(n=s.letter_version))
        details.append(_("by {operator}").format(operator=s.operator))
        if s.note:
            details.append(s.note)
        events.append(Event(s.at, "submitted", _("Submission {n}").format(n=n), tuple(details)))
        if s.outcome:
            result = _("Approved") if s.outcome == "approved" else _("Rejected")
            extra = tuple(x for x in (
                _("code {code}").format(code=s.code) if s.code else "",
                s.reason or "",
                _("after {time}").format(time=_hours(s.at, s.outcome_at))
                if s.outcome_at else "") if x)
            events.append(Event(s.outcome_at or s.at, s.outcome, result, extra))
        else:
            events.append(Event(now, "waiting", _("Waiting for the outcome"),
                                (_("for {time} so far").format(time=_hours(s.at, now)),)))
    if policy is not None and case.submissions:
        from appealdesk.deadlines.followups import case_timers

        for timer in case_timers(case, policy, now):
            if timer.open:
                state = _("overdue") if timer.state == "overdue" else _("due")
                title, action = timer.title or timer.action, timer.action
                events.append(Event(timer.due, "followup", _("Follow-up {state}: {title}").format(
                    state=state, title=title), (action,) if action and action != title else ()))
    return events


MARKS = {
    "received": ("○", "cyan"), "submitted": ("●", "bold"), "approved": ("✓", "bold green"),
    "rejected": ("✗", "bold red"), "waiting": ("◌", "yellow"), "followup": ("»", "magenta"),
}


def timeline_text(events: list[Event]) -> Table:
    """Two columns, the marks and what happened, so wrapped lines stay indented."""
    table = Table.grid(padding=(0, 1))
    table.add_column(width=1, no_wrap=True)
    table.add_column(ratio=1)
    for index, event in enumerate(events):
        mark, style = MARKS.get(event.kind, ("•", ""))
        head = Text()
        head.append(format_moment(event.at) if event.kind != "waiting" else _("now"),
                    style="dim")
        head.append("  ")
        head.append(event.title, style=style)
        if event.details:
            head.append("\n" + " · ".join(event.details))
        if index:
            table.add_row(Text("│", style="dim"), "")
        table.add_row(Text(mark, style=style), head)
    return table


class SubmissionsScreen(ModalScreen[TimelineChoice | None]):
    DEFAULT_CSS = """
    SubmissionsScreen {
        align: center middle;
    }
    SubmissionsScreen > #timeline {
        width: 96%;
        max-width: 110;
        height: auto;
        max-height: 94%;
        border: round $accent;
        background: $surface;
        padding: 0 1;
    }
    SubmissionsScreen #timeline-title {
        text-style: bold;
        height: auto;
    }
    SubmissionsScreen #timeline-scroll {
        height: auto;
        max-height: 70vh;  /* a short terminal scrolls it (j/k, g/G) */
    }
    SubmissionsScreen #timeline-hint {
        color: $text-muted;
        height: auto;
    }
    """
    BINDINGS = [
        Binding("d", "followup_done", N_("Follow-up done"), id="timeline.followup_done"),
        Binding("s", "submit", N_("Record submission"), id="timeline.submit"),
        Binding("a", "outcome('approved')", N_("Approved"), id="timeline.approved"),
        Binding("x", "outcome('rejected')", N_("Rejected"), id="timeline.rejected"),
        Binding("escape,t", "close", N_("Close"), id="timeline.close"),
    ]

    def __init__(self, case: Case, *, now: datetime, policy: Policy | None = None) -> None:
        super().__init__()
        self.now = now
        self.policy = policy
        self._take(case)

    def _take(self, case: Case) -> None:
        self.case = case
        self.next_followup = None
        if self.policy is not None and case.submissions:
            from appealdesk.deadlines.followups import case_timers

            self.next_followup = next(
                (t for t in case_timers(case, self.policy, self.now) if t.open), None)

    def case_changed(self, case: Case) -> None:
        """The case changed on disk while the timeline is open: show it as it is now."""
        if case.id != self.case.id:
            return
        self._take(case)
        self.query_one("#timeline-body", Static).update(self._body())
        self.query_one("#timeline-hint", Static).update(" · ".join(self._hints()))
        self.refresh_bindings()

    @property
    def waiting(self) -> bool:
        """The last submission has no outcome yet."""
        return bool(self.case.submissions) and not self.case.submissions[-1].outcome

    @property
    def can_submit(self) -> bool:
        """Nothing is waiting for an answer and the case is not approved or closed."""
        return not self.waiting and self.case.active and self.case.status.value != "approved"

    def compose(self) -> ComposeResult:
        with Vertical(id="timeline"):
            yield Static(_("Submissions of {case_id}").format(case_id=self.case.id),
                         id="timeline-title")
            with Scroll(id="timeline-scroll"):
                yield Static(self._body(), id="timeline-body")
            yield Static(" · ".join(self._hints()), id="timeline-hint")

    def _body(self) -> Table | Text:
        if self.case.submissions:
            return timeline_text(timeline_events(self.case, self.now, self.policy))
        return Text(_("Not submitted yet. Render the letter (r), submit it on the "
                      "marketplace, then press s to record which PDF went and the "
                      "marketplace's ticket id."))

    def _hints(self) -> list[str]:
        hints = []
        if self.next_followup is not None:
            title = self.next_followup.title or self.next_followup.action
            hints.append(_("d: mark \u201c{title}\u201d done").format(title=title))
        if self.waiting:
            hints.append(_("a: approved · x: rejected"))
        elif self.can_submit:
            hints.append(_("s: record a submission"))
        hints.append(_("esc: close"))
        return hints

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "followup_done":
            return self.next_followup is not None
        if action == "submit":
            return self.can_submit
        if action == "outcome":
            return self.waiting
        return True

    def action_submit(self) -> None:
        self.dismiss(TimelineChoice("submit"))

    def action_outcome(self, result: str) -> None:
        self.dismiss(TimelineChoice("outcome", result))

    def action_followup_done(self) -> None:
        if self.next_followup is not None:
            self.dismiss(TimelineChoice("followup_done", self.next_followup.id))

    def action_close(self) -> None:
        self.dismiss(None)
