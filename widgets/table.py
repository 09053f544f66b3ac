"""The DataTable every pane uses: one that draws again once its columns are measured.

Textual 8.2's DataTable measures column widths when it is next idle after rows or
cells change, and caches each drawn row (the header too) under a key that the
change moves but the measuring does not. A frame drawn between the change and
that idle (rare; it happens under load) leaves rows drawn with the old widths in
the cache: a header that no longer lines up with its columns (seen once in a CI
snapshot).

This subclass uses public API only. A change that can widen a column (``add_row``,
``add_column``, ``update_cell``) notes the widths; the next idle handler runs just
before DataTable's own (subclass handlers come first in the MRO walk), so it
schedules a check with ``call_next`` that runs just after the measuring. When a
width changed, ``notify_style_update`` (public: it drops the render caches and
refreshes) draws every row again at the new widths.
"""

from __future__ import annotations

from typing import Any

from textual import events
from textual.widgets import DataTable

from appealdesk.widgets.nav_keys import TableKeys


class Table(TableKeys, DataTable):
    """A DataTable whose rows never stay drawn at column widths measured before; it
    takes the moving keys every list has (``j``/``k``, ``g``/``G``, ``ctrl+d``/``ctrl+u``:
    ``widgets/nav_keys.py``)."""

    BINDINGS = TableKeys.NAV_BINDINGS

    _widths_before: list[int] | None = None
    _wanted_row: int | None = None

    def keep_cursor_row(self, row: int) -> None:
        """Put the cursor on ``row`` now, or once the table has that many rows (a pane
        filled again after the screen was rebuilt)."""
        if row < self.row_count:
            self.move_cursor(row=row)
        else:
            self._wanted_row = row

    def add_column(self, *args: Any, **kwargs: Any) -> Any:
        self._note_widths()
        return super().add_column(*args, **kwargs)

    def add_row(self, *args: Any, **kwargs: Any) -> Any:
        self._note_widths()
        key = super().add_row(*args, **kwargs)
        wanted = self._wanted_row
        if wanted is not None and wanted < self.row_count:
            self._wanted_row = None
            # After the filler's own cursor move (it runs on to the end of its rows).
            self.call_after_refresh(self.move_cursor, row=wanted)
        return key

    def update_cell(self, *args: Any, **kwargs: Any) -> None:
        self._note_widths()
        super().update_cell(*args, **kwargs)

    def _note_widths(self) -> None:
        if self._widths_before is None:
            self._widths_before = self._widths()

    def _widths(self) -> list[int]:
        return [column.content_width for column in self.columns.values()]

    def on_idle(self, _event: events.Idle) -> None:
        if self._widths_before is not None:
            self.call_next(self._redraw_if_remeasured, self._widths_before)
            self._widths_before = None

    def _redraw_if_remeasured(self, before: list[int]) -> None:
        if self._widths() != before:
            self.notify_style_update()
