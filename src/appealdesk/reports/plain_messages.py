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

from datetime import datetime, timedelta
from itertools import compress
from typing import Any
from zoneinfo import ZoneInfo

from appealdesk.reports.iso_columns import AWARE, parse_iso_column

TRUE = frozenset({"yes", "y", "true", "1", "是", "x"})
FALSE = frozenset({"no", "n", "false", "0", "否", ""})
NOT_NEEDED = frozenset({"no response needed", "no reply needed", "not needed", "无需回复",
                        "不需要回复"})
FLAG = {**dict.fromkeys(TRUE, True), **dict.fromkeys(FALSE, False)}
NEEDED = {**FLAG, "": True, **dict.fromkeys(NOT_NEEDED, False)}
_BUCKET = 900  # zones change offset on quarter hours
_EPOCH = datetime(1970, 1, 1)


def wall_to_utc(np: Any, wall: Any, zone: ZoneInfo) -> Any:
    """Wall-clock seconds in ``zone`` -> POSIX seconds (a repeated hour: its first pass)."""
    buckets = np.floor_divide(wall, _BUCKET).astype(np.int64)
    unique, inverse = np.unique(buckets, return_inverse=True)
    offsets = np.array([
        zone.utcoffset(_EPOCH + timedelta(seconds=int(b) * _BUCKET)).total_seconds()
        for b in unique.tolist()], dtype=np.float64)
    return wall - offsets[inverse.reshape(-1)]


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
    out = list(map(table.get, map(str.lower, values)))
    return None if None in out else out


def read_plain(
    text: str, delimiter: str, ncols: int, columns: dict[str, int], zone: ZoneInfo, name: str
) -> dict[str, Any] | None:
    """The ``_Columns`` fields of a plain file, or None when it needs the row-by-row reader."""
    import numpy as np

    if '"' in text:
        return None
    body = text.split("\n", 1)[1] if "\n" in text else ""
    if "\r" in body:
        body = body.replace("\r\n", "\n")
        if "\r" in body:
            return None
    body = body.rstrip("\n")
    if "\n\n" in body or ncols < 1:
        return None
    n = body.count("\n") + 1 if body else 0
    pieces = body.replace("\n", delimiter + "\n").split(delimiter) if body else []
    if len(pieces) != n * ncols:
        return None
    starts = pieces[ncols::ncols]
    if not all(p[:1] == "\n" for p in starts):
        return None
    pieces[ncols::ncols] = [p[1:] for p in starts]

    def column(field: str) -> list[str] | None:
        index = columns.get(field)
        return None if index is None else list(map(str.strip, pieces[index::ncols]))

    received = _times(np, column("received_at") or [], zone)
    if received is None:
        return None
    replied = np.full(n, np.nan)
    reply_text = column("replied_at")
    if reply_text is not None:
        mask = [v != "" for v in reply_text]
        answered = _times(np, list(compress(reply_text, mask)), zone)
        if answered is None:
            return None
        replied[np.array(mask, dtype=bool)] = answered
        if (replied < received).any():
            return None
    flags = {}
    for field, table, default in (("response_needed", NEEDED, True), ("automatic", FLAG, False),
                                  ("spam", FLAG, False)):
        values = column(field)
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
