"""The order table the fast path (``fast_orders``) builds, a piece at a time.

Each column gets its room once, sized from the first piece (its rows per byte
times the file's bytes, and a tenth more), and every piece is copied into
place; a column outgrows its room only when the file's lines get longer, then
it doubles. Appending each piece instead (``array.frombytes``) reallocated and
copied the columns again and again: 0.19 s against 0.10 s for the date and
text columns of a million rows. Each piece is let go once copied, so memory
holds the table and the pieces being read, no more.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable
from functools import partial
from typing import Any

from appealdesk.reports.table import BOOL_FIELDS, DATE_FIELDS, TEXT_FIELDS, OrderTable

_SPARE = 1.1  # room for longer lines later in the file than in its first piece


class _Room:
    """One fixed-width column: ``data`` (an ``array``), written through a numpy view."""

    def __init__(self, np: Any, typecode: str, dtype: Any) -> None:
        self.np, self.typecode, self.dtype = np, typecode, dtype
        self.data = array(typecode)
        self.view: Any = np.zeros(0, dtype=dtype)

    def put(self, at: int, values: Any) -> None:
        end = at + len(values)
        if end > len(self.data):
            self.grow(max(end, 2 * len(self.data)), at)
        self.view[at:end] = values

    def grow(self, size: int, used: int) -> None:
        old = self.view[:used].copy()
        self.view = None  # (an array cannot be resized or replaced while viewed)
        self.data = array(self.typecode, [0]) * size
        self.view = self.np.frombuffer(self.data, dtype=self.dtype)
        self.view[:used] = old

    def done(self, n: int) -> array:
        self.view = None
        del self.data[n:]
        return self.data


class TableBuilder:
    """The table, a piece at a time (parts as ``fast_orders._block`` makes them)."""

    def __init__(self, np: Any, columns: dict[str, int], spans: Any, size: int) -> None:
        self.np, self.columns, self.size = np, columns, size
        self.n = 0
        self.table = OrderTable()
        self.hashes: list[Any] = []
        self.kinds: dict[str, _Room] = {}
        self.seconds: dict[str, _Room] = {}
        self.flags: dict[str, _Room] = {}
        code = "i" if spans().itemsize == 4 else "q"
        self.where = {f: (_Room(np, code, spans), _Room(np, code, spans))
                      for f in TEXT_FIELDS if f in columns}
        self.dates = [f for f in DATE_FIELDS if f in columns]
        for name in self.dates:
            self.kinds[name] = _Room(np, "B", np.uint8)
            self.seconds[name] = _Room(np, "d", np.float64)
        for name in (*BOOL_FIELDS, "cancelled_by"):
            self.flags[name] = _Room(np, "B", np.uint8)

    def _reserve(self, part: dict[str, Any]) -> None:
        rows = int(self.size / max(1, part["bytes"]) * part["n"] * _SPARE) + part["n"]
        for room in self._rooms():
            room.grow(rows, 0)

    def _rooms(self) -> list[_Room]:
        return [*self.kinds.values(), *self.seconds.values(), *self.flags.values(),
                *(r for pair in self.where.values() for r in pair)]

    def add(self, part: dict[str, Any]) -> None:
        np, at, k = self.np, self.n, part["n"]
        if not at:
            self._reserve(part)
        self.n += k
        self.table.order_id.extend(part["order_id"])
        self.hashes.append(part["hashes"])
        for name in self.dates:
            kinds, seconds = part[name]
            self.kinds[name].put(at, kinds)
            self.seconds[name].put(at, seconds)
        for name, room in self.flags.items():
            if name in part:
                room.put(at, np.frombuffer(part[name], dtype=np.uint8))
        for name, (starts, ends) in self.where.items():
            starts.put(at, part["text:" + name][0])
            ends.put(at, part["text:" + name][1])

    def finish(self, texts: Callable[[str, tuple[Any, Any], int], Any]) -> OrderTable:
        """The table of ``n`` rows; each text field read when first used by
        ``texts(field, (starts, ends), n)``."""
        np, t, n = self.np, self.table, self.n
        for name in DATE_FIELDS:
            if name in self.kinds:
                t.dates[name].kinds = bytearray(self.kinds[name].done(n))
                t.dates[name].seconds = self.seconds[name].done(n)
            else:
                t.dates[name].kinds, t.dates[name].seconds = bytearray(n), array("d", bytes(8 * n))
        for name, room in self.flags.items():  # (a field no part had is all zeros)
            flags = bytearray(room.done(n)) if len(room.data) >= n else bytearray(n)
            if name == "cancelled_by":
                t.cancelled_by = flags
            else:
                t.flags[name] = flags
        blank = [""] * n  # one list for every field without a column (never changed in place)
        for name in TEXT_FIELDS:
            t.text[name] = [] if name in self.columns else blank
        for name, (starts, ends) in self.where.items():
            spans = (np.frombuffer(starts.done(n), dtype=starts.dtype),
                     np.frombuffer(ends.done(n), dtype=ends.dtype))
            t.text.defer([name], partial(texts, name, spans, n))
        return t


__all__ = ["TableBuilder"]
