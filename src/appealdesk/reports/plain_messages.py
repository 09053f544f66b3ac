"""The fast path for a messages export: plain text split into whole columns at once.

Most exports have no quotes, one row per line and every time stamp of a column
written alike. Such a file is split with ``str.split`` into columns (no per-row
Python), its date-time columns read with ``iso_columns.parse_iso_column``
(numpy) and its flags through one dictionary lookup per value. Anything else —
quotes, blank or short lines, a value that does not read, a reply before its
message — returns None, and ``conversations`` reads the file row by row, with
the same result and every bad row explained (tests/test_messages.py checks
both paths agree).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from itertools import compress
from operator import itemgetter
from typing import Any, cast
from zoneinfo import ZoneInfo

from appealdesk.reports.iso_columns import AWARE, parse_iso_column

TRUE = frozenset({"yes", "y", "true", "1", "是", "x"})
FALSE = frozenset({"no", "n", "false", "0", "否", ""})
NOT_NEEDED = frozenset({"no response needed", "no reply needed", "not needed", "无需回复",
                        "不需要回复"})
FLAG = {**dict.fromkeys(TRUE, True), **dict.fromkeys(FALSE, False)}
NEEDED = {**FLAG, "": True, **dict.fromkeys(NOT_NEEDED, False)}
_BUCKET = 900  # zones change offset on quarter hours
_PER_DAY = 86400 // _BUCKET
_EPOCH = datetime(1970, 1, 1)


def bucket_offsets(np: Any, seconds: Any, offset_at: Callable[[int], float]) -> Any:
    """``offset_at(bucket)`` for the quarter-hour bucket of each value, asked once per bucket."""
    if not len(seconds):
        return np.zeros(0, dtype=np.float64)
    buckets = np.floor_divide(seconds, _BUCKET).astype(np.int64)
    low, high = int(buckets.min()), int(buckets.max())
    if high - low < 200_000:  # about five years: a dense table, no sort
        return _dense_offsets(np, low, high, offset_at)[buckets - low]
    unique, inverse = np.unique(buckets, return_inverse=True)
    table = np.array([offset_at(b) for b in unique.tolist()], dtype=np.float64)
    return table[inverse.reshape(-1)]


def _dense_offsets(np: Any, low: int, high: int, offset_at: Callable[[int], float]) -> Any:
    """``offset_at(b)`` for every bucket b from ``low`` to ``high``, asked at each
    day's edges and bucket by bucket only in a day whose two edges differ (a zone
    changes its offset at most once a day, as every zone in the tz database does)."""
    first, last = low // _PER_DAY, high // _PER_DAY
    edges = np.array([offset_at(d * _PER_DAY) for d in range(first, last + 2)],
                     dtype=np.float64)
    table = np.repeat(edges[:-1], _PER_DAY)
    for k in np.flatnonzero(edges[:-1] != edges[1:]).tolist():
        day = (first + k) * _PER_DAY
        table[k * _PER_DAY:(k + 1) * _PER_DAY] = [offset_at(b) for b in range(day, day + _PER_DAY)]
    return table[low - first * _PER_DAY:high - first * _PER_DAY + 1]


def wall_offsets(np: Any, wall: Any, zone: ZoneInfo) -> Any:
    """The UTC offset (seconds) of each wall-clock time in ``zone`` (a repeated
    hour: its first pass)."""
    def offset_at(bucket: int) -> float:
        offset = zone.utcoffset(_EPOCH + timedelta(seconds=bucket * _BUCKET))
        assert offset is not None  # a ZoneInfo knows the offset of every instant
        return offset.total_seconds()

    return bucket_offsets(np, wall, offset_at)


def wall_to_utc(np: Any, wall: Any, zone: ZoneInfo) -> Any:
    """Wall-clock seconds in ``zone`` -> POSIX seconds (a repeated hour: its first pass)."""
    return wall - wall_offsets(np, wall, zone)


def _times(np: Any, values: list[str], zone: ZoneInfo) -> Any | None:
    if not values:
        return np.zeros(0, dtype=np.float64)
    parsed = parse_iso_column(values)
    if parsed is None:
        return None
    kind, seconds = parsed
    array = np.frombuffer(seconds, dtype=np.float64) if not isinstance(seconds, np.ndarray) \
        else seconds
    return array.copy() if kind == AWARE else wall_to_utc(np, array, zone)


def _flags(values: list[str], table: dict[str, bool]) -> list[bool] | None:
    """One lookup per value through a table of the column's distinct values."""
    distinct = {v: table.get(v.strip().lower()) for v in set(values)}
    if None in distinct.values():
        return None
    known = cast("dict[str, bool]", distinct)  # no None left: checked above
    return list(map(known.__getitem__, values))


def read_plain(
    text: str, delimiter: str, ncols: int, columns: dict[str, int], zone: ZoneInfo, name: str
) -> dict[str, Any] | None:
    """The ``_Columns`` fields of a plain file, or None when it needs the row-by-row reader."""
    import numpy as np

    if '"' in text or ncols < 1:
        return None
    if "\r" in text:
        text = text.replace("\r\n", "\n")
        if "\r" in text:
            return None
    if "\n\n" in text:
        return None  # blank lines: the row reader skips them
    lines = text.count("\n") + (0 if text.endswith("\n") else 1)
    pieces = text.replace("\n", delimiter + "\n").split(delimiter)
    if text.endswith("\n"):
        pieces.pop()  # the "\n" after the last line
    del text
    if len(pieces) != lines * ncols:
        return None
    n = lines - 1  # the header is the first line
    starts = pieces[ncols::ncols]
    if "".join(map(itemgetter(slice(0, 1)), starts)) != "\n" * n:
        return None  # a line with more or fewer fields than the header
    pieces[ncols::ncols] = map(itemgetter(slice(1, None)), starts)
    del starts

    def column(field: str, strip: bool = True) -> list[str] | None:
        index = columns.get(field)
        if index is None:
            return None
        values = pieces[ncols + index::ncols]
        if strip:
            joined = "".join(values)
            if " " in joined or "\t" in joined:
                values = list(map(str.strip, values))
        return values

    received = _times(np, column("received_at", strip=False) or [], zone)
    if received is None:
        return None
    replied = np.full(n, np.nan)
    reply_text = column("replied_at", strip=False)  # padded values: the row reader
    if reply_text is not None:
        mask = list(map(bool, reply_text))
        answered = _times(np, list(compress(reply_text, mask)), zone)
        if answered is None:
            return None
        replied[np.array(mask, dtype=bool)] = answered
        if (replied < received).any():
            return None
    flags = {}
    for field, table, default in (("response_needed", NEEDED, True), ("automatic", FLAG, False),
                                  ("spam", FLAG, False)):
        values = column(field, strip=False)
        flags[field] = [default] * n if values is None else _flags(values, table)
        if flags[field] is None:
            return None
    ids = column("message_id") or [""] * n
    if "" in ids:
        ids = [v or f"{name}:{k + 2}" for k, v in enumerate(ids)]
    return {
        "ids": ids, "received": received, "replied": replied,
        "needed": flags["response_needed"], "automatic": flags["automatic"],
        "spam": flags["spam"], "channel": column("channel") or [""] * n,
        "order_id": column("order_id") or [""] * n, "agent": column("agent") or [""] * n,
    }
