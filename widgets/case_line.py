"""The case line: which case the panes on the right show, on the frame around them.

``case id · store · status · time left`` — so a narrow terminal, where the inbox is
hidden while a case is open, still says which case this is, whose it is, where it
stands and how long is left. The store is cut first (with an ellipsis) when the
line does not fit; the inbox's detail line shows it whole.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.text import Text

from appealdesk.i18n import _

if TYPE_CHECKING:
    from appealdesk.cases.model import Case
    from appealdesk.index import Summary

SEPARATOR = " · "


def time_left_text(summary: Summary | None, now: datetime) -> Text:
    """What is due next and when: "reply in 2d 3h", "follow-up: overdue 4h"."""
    from appealdesk.deadlines.display import Urgency, format_time_left, urgency

    if summary is None or summary.due is None:
        return Text(_("no deadline"), style="dim")
    kind = {"response": _("reply"), "final": _("final deadline"),
            "followup": _("follow-up")}.get(summary.due_kind, _("due"))
    left = format_time_left(summary.due, now)
    level = urgency(summary.due, now)
    text = (_("{kind}: {left}") if level is Urgency.OVERDUE else _("{kind} in {left}")).format(
        kind=kind, left=left)
    style = {Urgency.OVERDUE: "bold red", Urgency.DUE_SOON: "bold yellow"}.get(level, "")
    return Text(text, style=style)


def case_line(case: Case | None, summary: Summary | None, now: datetime,
              width: int) -> Text:
    """The line for ``case`` (its summary from the index gives the deadline), at most
    ``width`` cells; empty without a case."""
    from appealdesk.widgets.inbox_cells import status_label

    if case is None:
        return Text("")
    store = case.store or "-"
    status = status_label(case.status.value)
    left = time_left_text(summary, now)
    fixed = (cell_len(case.id) + cell_len(status) + left.cell_len
             + 3 * cell_len(SEPARATOR))
    room = width - fixed
    out = Text()
    out.append(case.id, style="bold")
    if room >= 4:  # the store, cut to the room left (at least "Sun…")
        cut = Text(store)
        cut.truncate(room, overflow="ellipsis")
        out.append(SEPARATOR)
        out.append_text(cut)
    out.append(SEPARATOR + status + SEPARATOR)
    out.append_text(left)
    out.truncate(max(1, width), overflow="ellipsis")
    return out


def summary_of(summaries: list[Summary], case_id: str) -> Summary | None:
    return next((s for s in summaries if s.id == case_id), None)
