"""The DataTable every pane uses: one that redraws rows drawn before a re-measure.

Textual 8.2 measures columns when the table is next idle after rows or cells
change, but caches each drawn row (the header too) under a counter that only
the change itself moves. A frame drawn between the change and that idle left
rows drawn with the old widths in the cache: a header that no longer lined up
with its columns, now and then, under load (seen once in a CI snapshot). Moving
the counter when a width changes makes those rows draw again.
"""

from __future__ import annotations

from textual import events
from textual.widgets import DataTable


class Table(DataTable):
    async def _on_idle(self, event: events.Idle) -> None:
        widths = [column.content_width for column in self.columns.values()]
        await super()._on_idle(event)
        if widths != [column.content_width for column in self.columns.values()]:
            self._update_count += 1
            self.refresh()
