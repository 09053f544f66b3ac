"""How an inbox row is drawn: its cells (time left coloured by urgency, marketplace,
case, status, store, type) and the columns' widths, worked out from plain text.

The table makes only the rows on screen (``LazyTable``) and asks for their cells
as it draws them; ``InboxCellsMixin`` is a mixin of ``InboxPane``
(``widgets/inbox_pane.py``) answering that, with the time-left text kept per
case until the clock ticks.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.text import Text

if TYPE_CHECKING:  # the inbox's rows (appealdesk.inbox) import when the cases are shown
    from appealdesk.inbox import InboxRow

RECURRENCE_MARK = "↻"
# Most telling first: at 80 columns (and in the wide layout's left part) the time left,
# case and status always fit; store and type are cut short (with an ellipsis, to the
# room left: Table.fit_width) and shown whole below the table.
STORE_WIDTH = 16
TYPE_WIDTH = 22


def status_label(value: str) -> str:
    from appealdesk.cases.names import status_name

    return status_name(value)


_STATUSES = ("new", "in_progress", "ready", "submitted", "approved", "rejected", "closed",
             "archived")


class _WidthOf(dict):
    """cell_len, remembered: stores, types and times repeat across thousands of rows."""

    def __missing__(self, text: str) -> int:
        self[text] = width = cell_len(text)
        return width

    def __call__(self, text: str) -> int:
        return self[text]


def _cut(value: str, width: int) -> Text:
    # overflow: a narrow inbox cuts the column further, with an ellipsis (Table.fit_width)
    text = Text(value, no_wrap=True, overflow="ellipsis")
    text.truncate(width, overflow="ellipsis")
    return text


class InboxCellsMixin:
    """The cells and column widths of ``InboxPane``'s rows (state lives in the pane)."""

    def _column_widths(self) -> list[int]:
        """Each column's widest cell among the rows shown (DataTable would measure them
        all; this works it out from the plain text, kept per case)."""
        rows = self.shown_rows
        if not rows:
            return [0] * 6
        now = self.now
        width = _WidthOf()
        left_plain = self._left_plain
        left = max({left_plain(r, now) for r in rows}, key=width)
        fixed = zip(*map(self._widths.__getitem__, [r.id for r in rows]), strict=True)
        return [width(left), *map(max, fixed)]

    def _row_cells(self, case_id: str) -> list:
        """A row's cells, made when the table draws (or a test reads) it."""
        return self._cells(self._shown_by_id[case_id], self.now)

    def _cells(self, row: InboxRow, now: datetime) -> list:
        s = row.summary
        marker = f"{RECURRENCE_MARK} " if row.recurrence_of else ""
        status = Text(status_label(s.status.value))
        if not s.active:
            status.stylize("dim")
        return [
            self._left_text(row, now),
            _cut(s.marketplace, len(s.marketplace)),
            marker + s.id,
            status,
            _cut(s.store or "-", STORE_WIDTH),
            _cut(row.type_name, TYPE_WIDTH),
        ]

    def _left_plain(self, row: InboxRow, now: datetime) -> str:
        """The time left as shown; kept until the clock ticks."""
        text = self._left_cache.get(row.id)
        if text is None:
            text = row.time_left(now) or "-"
            if row.due_kind in ("followup", "final") and row.due:
                text = f"{text}*"  # not the response deadline: a follow-up or final deadline
            self._left_cache[row.id] = text
        return text

    def _left_text(self, row: InboxRow, now: datetime) -> Text:
        from appealdesk.deadlines.display import Urgency

        level = row.urgency(now)
        theme = self.app.current_theme
        style = {
            Urgency.OVERDUE: f"bold {theme.error}",
            Urgency.DUE_SOON: f"bold {theme.warning}",
            Urgency.OK: f"{theme.success}",
        }.get(level, "dim")
        return Text(self._left_plain(row, now), style=style, justify="right")
