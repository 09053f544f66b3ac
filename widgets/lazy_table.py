"""A DataTable whose rows are made only when they are drawn (or read).

``DataTable.add_row`` stores every cell and measures it: 10,000 rows take
seconds, and a filter keystroke that shows them again takes as long.
``set_rows`` instead takes the row keys, a function that makes one row's cells,
and the column widths (worked out by the caller from plain text), so a redraw
costs the rows on screen, not the rows in the table. Drawing is DataTable's
own (textual 8.2.8, pinned): it looks and behaves the same, cursor and
messages included.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from textual._two_way_dict import TwoWayDict
from textual.widgets._data_table import ColumnKey, Row, RowKey

from appealdesk.widgets.table import Table


class _Cells(dict):
    """row key -> {column key: cell}; a row's cells are made the first time it is asked."""

    def __init__(self, keys: set[RowKey], columns: list[ColumnKey],
                 make: Callable[[str], Sequence[object]]) -> None:
        super().__init__()
        self._keys = keys
        self._columns = columns
        self._make = make

    def __missing__(self, key: RowKey) -> dict[ColumnKey, object]:
        if key not in self._keys:
            raise KeyError(key)
        cells = dict(zip(self._columns, self._make(key.value), strict=False))
        self[key] = cells
        return cells

    def get(self, key, default=None):  # type: ignore[override]
        return self[key] if key in self._keys else default

    def __contains__(self, key) -> bool:
        return key in self._keys

    def __len__(self) -> int:
        return len(self._keys)

    def clear(self) -> None:
        super().clear()
        self._keys = set()


class LazyTable(Table):
    def set_rows(self, keys: Sequence[str], make: Callable[[str], Sequence[object]],
                 widths: Sequence[int]) -> None:
        """Show ``keys`` in this order; ``make(key)`` gives a row's cells when drawn.

        ``widths``: the widest cell of each column (header excluded), in cells."""
        self.clear()
        row_keys = [RowKey(k) for k in keys]
        self._row_locations = TwoWayDict({k: i for i, k in enumerate(row_keys)})
        self.rows = {k: Row(k, 1) for k in row_keys}
        self._set_cells(make, widths)

    def redraw_rows(self, make: Callable[[str], Sequence[object]],
                    widths: Sequence[int]) -> None:
        """Same rows, new cells (the clock moved): made again as they are drawn."""
        self._set_cells(make, widths)
        self.refresh()

    def _set_cells(self, make: Callable[[str], Sequence[object]], widths: Sequence[int]) -> None:
        columns = self.ordered_columns
        self._data = _Cells(set(self.rows), [c.key for c in columns], make)
        for column, width in zip(columns, widths, strict=False):
            # like DataTable's own: a column grows to its widest cell and never shrinks
            # (clear() keeps it), so columns do not jump while a filter is typed
            column.content_width = max(column.content_width, column.label.cell_len, width)
        self._clear_caches()
        self._update_count += 1
        self._require_update_dimensions = True
        self.check_idle()
