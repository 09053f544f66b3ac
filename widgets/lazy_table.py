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
from collections.abc import Sequence as SequenceABC

from textual._two_way_dict import TwoWayDict
from textual.widgets._data_table import ColumnKey, Row, RowKey

from appealdesk.widgets.table import Table


class _Cells(dict):
    """row key -> {column key: cell}; a row's cells are made the first time it is asked."""

    def __init__(self, index: dict[str, int], columns: list[ColumnKey],
                 make: Callable[[str], Sequence[object]]) -> None:
        super().__init__()
        self._index = index
        self._columns = columns
        self._make = make

    def __missing__(self, key: RowKey) -> dict[ColumnKey, object]:
        if key not in self._index:
            raise KeyError(key)
        cells = dict(zip(self._columns, self._make(str(getattr(key, "value", key))),
                         strict=False))
        self[key] = cells
        return cells

    def get(self, key, default=None):  # type: ignore[override]
        return self[key] if key in self._index else default

    def __contains__(self, key) -> bool:
        return key in self._index

    def __len__(self) -> int:
        return len(self._index)

    def clear(self) -> None:
        super().clear()
        self._index = {}


# A RowKey hashes and compares like its string, so these look rows up in dicts keyed by
# the plain case ids: no RowKey, Row or offset object is made for rows never drawn.


class _Locations(TwoWayDict):
    """row key <-> row index, over the list of keys."""

    def __init__(self, keys: list[str], index: dict[str, int]) -> None:
        self._keys = keys
        self._forward = index  # type: ignore[assignment]
        self._reverse = {}  # type: ignore[assignment]

    def __setitem__(self, key, value) -> None:  # pragma: no cover - rows are set whole
        raise TypeError("rows of a LazyTable are set with set_rows")

    __delitem__ = __setitem__

    def __iter__(self):
        return (RowKey(k) for k in self._keys)

    def get(self, key):
        return self._forward.get(key)

    def get_key(self, value: int) -> RowKey | None:
        return RowKey(self._keys[value]) if 0 <= value < len(self._keys) else None

    def contains_value(self, value) -> bool:
        return isinstance(value, int) and 0 <= value < len(self._keys)

    def __len__(self) -> int:
        return len(self._keys)

    def __contains__(self, item) -> bool:
        return item in self._forward


class _Rows(dict):
    """row key -> Row (every row one line high), made when asked."""

    def __init__(self, index: dict[str, int]) -> None:
        super().__init__()
        self._index = index

    def __missing__(self, key) -> Row:
        if key not in self._index:
            raise KeyError(key)
        return Row(key if isinstance(key, RowKey) else RowKey(key), 1)

    def get(self, key, default=None):  # type: ignore[override]
        return self[key] if key in self._index else default

    def __contains__(self, key) -> bool:
        return key in self._index

    def __len__(self) -> int:
        return len(self._index)

    def __iter__(self):
        return (RowKey(k) for k in self._index)

    def keys(self):  # type: ignore[override]
        return list(iter(self))

    def values(self):  # type: ignore[override]
        return [self[k] for k in self]

    def clear(self) -> None:
        self._index = {}


class _Sequence(SequenceABC):
    """Row i (or the line y: every row is one line) of a list of keys."""

    def __init__(self, keys: list[str], item: Callable[[str], object]) -> None:
        self._keys = keys
        self._item = item

    def __len__(self) -> int:
        return len(self._keys)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self._item(k) for k in self._keys[index]]
        return self._item(self._keys[index])

    def clear(self) -> None:
        pass  # DataTable.clear() clears its offsets list; LazyTable.clear() drops the keys


class LazyTable(Table):
    _keys: list[str] = []

    def set_rows(self, keys: Sequence[str], make: Callable[[str], Sequence[object]],
                 widths: Sequence[int]) -> None:
        """Show ``keys`` in this order; ``make(key)`` gives a row's cells when drawn.

        ``widths``: the widest cell of each column (header excluded), in cells."""
        self.clear()
        self._keys = list(keys)
        index = {key: i for i, key in enumerate(self._keys)}
        self._row_locations = _Locations(self._keys, index)
        self.rows = _Rows(index)
        self._set_cells(make, widths)

    def clear(self, columns: bool = False):
        self._keys = []
        return super().clear(columns)

    @property
    def ordered_rows(self) -> list[Row]:  # type: ignore[override]
        return _Sequence(self._keys, lambda k: Row(RowKey(k), 1))  # type: ignore[return-value]

    @property
    def _y_offsets(self) -> list[tuple[RowKey, int]]:  # type: ignore[override]
        return _Sequence(self._keys, lambda k: (RowKey(k), 0))  # type: ignore[return-value]

    def redraw_rows(self, make: Callable[[str], Sequence[object]],
                    widths: Sequence[int]) -> None:
        """Same rows, new cells (the clock moved): made again as they are drawn."""
        self._set_cells(make, widths)
        self.refresh()

    def _set_cells(self, make: Callable[[str], Sequence[object]], widths: Sequence[int]) -> None:
        columns = self.ordered_columns
        self._data = _Cells(self._row_locations._forward, [c.key for c in columns], make)
        for column, width in zip(columns, widths, strict=False):
            # like DataTable's own: a column grows to its widest cell and never shrinks
            # (clear() keeps it), so columns do not jump while a filter is typed
            column.content_width = max(column.content_width, column.label.cell_len, width)
        self._clear_caches()
        self._update_count += 1
        self._require_update_dimensions = True
        self.fit_width()
        self.check_idle()
